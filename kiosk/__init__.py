"""bhyt-kiosk domain and services: configuration, signed lookups, mock service, lookup log, pipeline, CLI.

No Qt here: the ``ui`` package drives this one, never the reverse.
"""

__version__ = "0.1.0"
