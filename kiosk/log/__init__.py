"""The lookup log: every attempt in a local SQLite file (writer, schema and migrations, read/query layer).

Import from :mod:`kiosk.lookup_log` (the public facade).
"""
