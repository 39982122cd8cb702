"""``bhyt-kiosk service`` (or ``collector``) in a process of its own on 127.0.0.1, for the benchmarks that measure it
from outside."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from kiosk.signing.keys import load_public_key, public_key_pem

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ServiceProcess:
    process: subprocess.Popen[bytes]
    port: int
    url: str
    public_pem: bytes  # the service key, fetched from GET /v1/service-key


@contextlib.contextmanager
def service_process(
    keys_dir: Path, root: Path = ROOT, *, command: str = "service", extra: Sequence[str] = ()
) -> Iterator[ServiceProcess]:
    """Start ``bhyt-kiosk <command>`` (the service, or the collector with ``extra=("--database", url)``; the code
    under ``root``) on a free loopback port; yields once it publishes its key; stops it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # stderr to a file, not an unread pipe: a server that logs much would block once a pipe's buffer is full
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the process has ended
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))",
         command, "--port", str(port), "--keys-dir", str(keys_dir), *extra],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                pem = public_key_pem(load_public_key(httpx.get(url + "/v1/service-key", trust_env=False).text))
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    errors.seek(0)
                    said = errors.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"the {command} did not start: {said}") from None
                time.sleep(0.1)
        yield ServiceProcess(process, port, url, pem)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()
