"""The lookup-log reader on the central PostgreSQL store.

:class:`kiosk.log.reader.LogReader` (and the dashboard's reader) run the same queries on a kiosk's SQLite file and on
the central store: the attempts table has the same columns. :class:`PgConnection` gives a psycopg 3 connection the
small part of the ``sqlite3.Connection`` interface the readers use (``execute`` returning a cursor with ``fetchall`` /
``fetchmany`` / ``fetchone``, ``interrupt``, ``close``) and rewrites the few SQLite spellings into PostgreSQL ones:
``?`` placeholders, ``INDEXED BY`` hints (PostgreSQL plans by itself), the two-argument scalar ``min``, and
``CAST(x AS INTEGER)`` (SQLite truncates, PostgreSQL rounds). Errors come out as ``sqlite3.DatabaseError`` so that the
readers' error handling (a :class:`LogError` with a message) is the same.

The session is read-only (``default_transaction_read_only``): a report can never change the central store.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import Any

import psycopg

from kiosk.central.location import safe_url
from kiosk.central.migrations import SCHEMA_VERSION, applied_version
from kiosk.log.schema import LogError

_INDEXED_BY = re.compile(r"\s+INDEXED BY \w+")
_SCALAR_MIN = re.compile(r"\bmin\((CAST\([^()]*\)), (\d+)\)")
_CAST_INT = re.compile(r"CAST\(([^()]*) AS INTEGER\)")


def to_postgres_sql(sql: str) -> str:
    """The PostgreSQL spelling of one of the readers' SQLite queries."""
    sql = _INDEXED_BY.sub("", sql)
    sql = _SCALAR_MIN.sub(r"least(\1, \2)", sql)
    sql = _CAST_INT.sub(r"trunc(\1)::integer", sql)
    return sql.replace("%", "%%").replace("?", "%s")


class PgConnection:
    """A read-only psycopg connection with the ``sqlite3.Connection`` methods the log readers call."""

    def __init__(self, url: str, *, connect_timeout: float = 5.0) -> None:
        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(connect_timeout)))
            self._conn.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            raise LogError(f"cannot open the central store {safe_url(url)}: {str(exc).strip()}") from exc

    def execute(self, sql: str, params: Sequence[object] = ()) -> psycopg.Cursor[Any]:
        """psycopg's own cursor: a client-side one, which has the whole result once ``execute`` returns, so a database
        error can only come here."""
        try:
            return self._conn.execute(to_postgres_sql(sql), list(params))  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise sqlite3.DatabaseError(str(exc).strip()) from exc

    def interrupt(self) -> None:
        """Cancel the running query (from another thread)."""
        self._conn.cancel_safe(timeout=2.0)

    def close(self) -> None:
        self._conn.close()


def check_central_schema(conn: PgConnection) -> None:
    """A clear error unless the database is a migrated central store this program can read."""
    where = safe_url(conn.url)
    row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL, to_regclass('attempts') IS NOT NULL")
    has_versions, has_attempts = row.fetchone() or (False, False)
    if not (has_versions and has_attempts):
        raise LogError(f"{where} is not a bhyt-kiosk central store (start `bhyt-kiosk collector --database URL` once)")
    version = applied_version(conn)  # type: ignore[arg-type]  # the part of a psycopg connection it uses
    if version > SCHEMA_VERSION:
        raise LogError(f"{where} was written by a newer bhyt-kiosk (central schema v{version})")
    if version < SCHEMA_VERSION:
        raise LogError(f"{where} has an older central schema (v{version}); start the collector once to migrate it")
