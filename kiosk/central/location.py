"""Where a lookup log or central store lives: a file path, ``sqlite:///path`` or ``postgresql://...``."""

from __future__ import annotations

from pathlib import Path

LogLocation = Path | str  # a lookup-log file, or the URL of a store


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def sqlite_path(target: str | Path) -> Path:
    """The file of a ``sqlite:///path`` URL or a plain path."""
    if isinstance(target, Path):
        return target
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///") :])
    if target.startswith("sqlite:"):
        raise ValueError(f"a SQLite URL looks like sqlite:///path/to/central.db, got {target!r}")
    return Path(target)


def log_location(text: str) -> LogLocation:
    """A command-line ``--db`` value: a PostgreSQL URL stays a string, anything else is a file path."""
    return text if is_postgres_url(text) else sqlite_path(text)


def safe_url(url: str) -> str:
    """A PostgreSQL URL without its password (for messages)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:
        return "the PostgreSQL database"
    host = parts.get("host", "localhost")
    port = parts.get("port", "5432")
    return f"postgresql://{parts.get('user', '')}@{host}:{port}/{parts.get('dbname', '')}"
