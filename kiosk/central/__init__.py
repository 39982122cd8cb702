"""A province's kiosks in one place: the central store (PostgreSQL, or SQLite for development), the collector that
receives signed batches of attempts from kiosks, and the kiosk-side shipper that sends them.

- :mod:`kiosk.central.location`: a log's location (a file path, ``sqlite:///...`` or ``postgresql://...``);
- :mod:`kiosk.central.wire`: the batch format (JSON) and its validation;
- :mod:`kiosk.central.store`: the central store and its idempotent writes; :mod:`kiosk.central.migrations`: its
  PostgreSQL schema (numbered steps, monthly partitions);
- :mod:`kiosk.central.pg_reader`: the lookup-log reader on a PostgreSQL store (same figures as on a file);
- :mod:`kiosk.central.collector`: the HTTP collector (same signing profile as the mocked service);
- :mod:`kiosk.central.shipper`: the kiosk-side shipper (in order, in batches, resumes, backs off).
"""
