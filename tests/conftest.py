from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Qt widgets render offscreen under pytest (no display needed); set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
