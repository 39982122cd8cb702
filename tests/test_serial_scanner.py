"""Serial barcode scanners: a pseudo-terminal pair stands in for the scanner's COM port."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from scanner.serial_scanner import (
    CodeSplitter,
    SerialScanner,
    SerialSpec,
    SerialSpecError,
    parse_serial_spec,
)

PAYLOAD = "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Bắc Ninh|20042021"


@pytest.mark.parametrize(("text", "spec"), [
    ("serial:/dev/ttyACM0", SerialSpec("/dev/ttyACM0", 9600)),
    ("serial:COM3,115200", SerialSpec("COM3", 115200)),
    (" SERIAL:COM12 , 9600 ", SerialSpec("COM12", 9600)),
    ("serial:loop://", SerialSpec("loop://", 9600)),
])
def test_spec(text: str, spec: SerialSpec) -> None:
    assert parse_serial_spec(text) == spec


@pytest.mark.parametrize("text", ["COM3", "serial:", "serial:COM3,fast", "serial:COM3,12345", "usb:0"])
def test_bad_spec(text: str) -> None:
    with pytest.raises(SerialSpecError):
        parse_serial_spec(text)


def test_splitter_ends_codes_at_cr_lf_and_keeps_utf8_split_across_reads() -> None:
    data = (PAYLOAD + "\r\n" + "second\r" + "third\n").encode()
    splitter = CodeSplitter()
    codes: list[str] = []
    for i in range(0, len(data), 7):  # arbitrary chunks cut through multi-byte letters
        codes += splitter.feed(data[i:i + 7])
    assert codes == [PAYLOAD, "second", "third"]
    assert not splitter.pending


def test_splitter_turns_damaged_bytes_into_replacement_characters() -> None:
    splitter = CodeSplitter()
    assert splitter.feed(b"abc\xff\xfedef\n") == ["abc\ufffd\ufffddef"]


needs_pty = pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "openpty"), reason="needs a pty")


class Collector:
    def __init__(self) -> None:
        self.codes: list[str] = []
        self.statuses: list[tuple[bool, str | None]] = []
        self.event = threading.Event()

    def code(self, text: str) -> None:
        self.codes.append(text)
        self.event.set()

    def status(self, connected: bool, problem: str | None) -> None:
        self.statuses.append((connected, problem))

    def wait_codes(self, n: int, timeout: float = 5.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while len(self.codes) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.codes


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    import tty

    master, slave = os.openpty()
    tty.setraw(slave)  # a COM port passes bytes as they are (no echo, no CR/LF translation)
    try:
        yield master, os.ttyname(slave)
    finally:
        os.close(master)
        os.close(slave)


@needs_pty
def test_scanner_on_a_pty_gets_exact_vietnamese_payloads(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    got = Collector()
    scanner = SerialScanner(f"serial:{path},115200", got.code, got.status)
    scanner.start()
    try:
        deadline = time.monotonic() + 5
        while not scanner.connected and time.monotonic() < deadline:
            time.sleep(0.01)
        assert scanner.connected
        os.write(master, (PAYLOAD + "\r\n").encode())
        os.write(master, b"001098012345||NGUYEN VAN A|15081998|Nam|Ha Noi|25052021")  # no suffix: a pause ends it
        codes = got.wait_codes(2)
    finally:
        scanner.close()
    assert codes == [PAYLOAD, "001098012345||NGUYEN VAN A|15081998|Nam|Ha Noi|25052021"]
    assert got.statuses[0] == (True, None)
    assert not scanner._thread.is_alive()


def test_missing_port_is_reported_and_retried_without_crashing() -> None:
    got = Collector()
    scanner = SerialScanner("serial:/nonexistent/ttyACM9" if sys.platform != "win32" else "serial:COM250",
                            got.code, got.status, retry_s=0.05)
    scanner.start()
    try:
        deadline = time.monotonic() + 5
        while not got.statuses and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # several retries
    finally:
        scanner.close()
    assert got.statuses and got.statuses[0][0] is False and "cannot open" in (got.statuses[0][1] or "")
    assert len(got.statuses) <= 2  # reported once (then "closed"), not once per retry
    assert not scanner._thread.is_alive()
