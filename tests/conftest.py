from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import uuid
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Qt widgets render offscreen under pytest (no display needed); set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.lookup_loop import LookupLoop
from kiosk.signing.keys import generate_private_key, save_public_key
from kiosk.standins.service.server import RunningService, start_service


def free_port() -> int:
    """A free loopback port: nobody listens on it until someone binds it (also a port that refuses connections)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def kiosk_key() -> Ed25519PrivateKey:
    """A kiosk's signing key, one per test module (the service tests' kiosk)."""
    return generate_private_key()


def trust_kiosk(keys_dir: Path, kiosk_key: Ed25519PrivateKey, kiosk_id: str) -> Path:
    """Puts the kiosk's public key where the mocked service looks for trusted kiosks; returns ``keys_dir``."""
    save_public_key(kiosk_key.public_key(), keys_dir / "trusted" / f"{kiosk_id}.pem")
    return keys_dir


def service_trusting(keys_dir: Path, kiosk_key: Ed25519PrivateKey, kiosk_id: str, **options: Any) -> RunningService:
    """The mocked service on 127.0.0.1 (free port) trusting this one kiosk; use it with ``with``."""
    return start_service(keys_dir=trust_kiosk(keys_dir, kiosk_key, kiosk_id), **options)


@pytest.fixture(scope="session", autouse=True)
def _private_kiosk_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands that record (lookup, scan) write into a throw-away kiosk home, never the real data folder."""
    if os.environ.get("BHYT_KIOSK_HOME"):
        yield
        return
    os.environ["BHYT_KIOSK_HOME"] = str(tmp_path_factory.mktemp("kiosk-home"))
    try:
        yield
    finally:
        os.environ.pop("BHYT_KIOSK_HOME", None)


class BlockingLookups:
    """A :class:`kiosk.client.LookupClient` driven from test code the way the pipeline drives it: every call is a
    task on one lookup loop (its own thread), and :meth:`cancel` cancels that task."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.loop = LookupLoop("test-lookup-loop")
        self.loop.start()
        self._lookups: dict[concurrent.futures.Future[Any], Coroutine[Any, Any, Any]] = {}

    @property
    def breaker(self) -> Any:
        return self.client.breaker

    def start(self, request: Any) -> concurrent.futures.Future[Any]:
        lookup = self.client.lookup(request)
        future = self.loop.submit(lookup)
        self._lookups[future] = lookup
        return future

    def cancel(self, future: concurrent.futures.Future[Any]) -> None:
        """Cancel the lookup's task as the pipeline does (on the loop); its future gets how the lookup ended."""
        lookup = self._lookups[future]

        def cancel_task() -> None:  # (the task exists by now: submit() made it in an earlier loop callback)
            for task in asyncio.all_tasks():
                if task.get_coro() is lookup:
                    task.cancel()

        self.loop.call_soon(cancel_task)

    def lookup(self, request: Any) -> Any:
        return self.start(request).result(60)

    def close(self) -> None:
        self.loop.submit(self.client.aclose()).result(10)
        self.loop.stop()

    def __enter__(self) -> BlockingLookups:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

# ---------------------------------------------------------------------------------------------------------- PostgreSQL
# A real PostgreSQL server for the central-store tests: BHYT_TEST_POSTGRES_URL (``scripts/test-postgres.sh start``
# prints it; `.ci/run` starts one). Without it those tests are skipped, unless BHYT_REQUIRE_POSTGRES is set (CI): then
# they fail. Each test gets a fresh database of its own.


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get("BHYT_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("BHYT_REQUIRE_POSTGRES"):
            pytest.fail("BHYT_REQUIRE_POSTGRES is set but BHYT_TEST_POSTGRES_URL is not (no test PostgreSQL server)")
        pytest.skip("no test PostgreSQL server (eval \"$(scripts/test-postgres.sh start)\" to run these tests)")
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the test server (dropped after the test)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = f"bhyt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    parts = conninfo_to_dict(postgres_server_url)
    user = parts.get("user", "")
    yield f"postgresql://{user}@{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{name}"
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
