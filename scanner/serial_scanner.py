"""Serial barcode scanners (USB CDC "virtual COM port" or RS-232): exact UTF-8 payloads, one per line.

A keyboard-wedge scanner emulates a US keyboard and often cannot type Vietnamese letters; in serial mode the
scanner sends the code's bytes as they are. The input is configured as ``serial:PORT[,BAUD]`` — ``PORT`` is
whatever pyserial opens: ``/dev/ttyACM0``, ``/dev/ttyUSB0``, ``COM3`` on Windows, or a pyserial URL.

:class:`SerialScanner` reads on its own thread, splits the stream into codes at CR/LF (and at a pause, for
scanners set up without a suffix), decodes them as UTF-8 (damage becomes U+FFFD, which the card parser
refuses as a read error) and hands each to ``on_code``. A port that is missing or unplugged is retried
every ``retry_s`` seconds; ``on_status`` hears about each change. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

PREFIX = "serial:"
DEFAULT_BAUD = 9600
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)
MAX_CODE_BYTES = 8192  # a CCCD payload is a few hundred bytes; anything longer is noise on the line
IDLE_END_S = 0.15  # bytes that stop this long without CR/LF end a code


class SerialSpecError(ValueError):
    """A scanner setting that is not ``serial:PORT[,BAUD]``."""


@dataclass(frozen=True)
class SerialSpec:
    port: str
    baudrate: int = DEFAULT_BAUD

    def __str__(self) -> str:
        return f"{PREFIX}{self.port},{self.baudrate}"


def parse_serial_spec(text: str) -> SerialSpec:
    """``serial:/dev/ttyACM0``, ``serial:COM3,115200`` -> SerialSpec."""
    text = text.strip()
    if not text.lower().startswith(PREFIX):
        raise SerialSpecError(f"a scanner is 'serial:PORT[,BAUD]' (e.g. serial:COM3,9600), got {text!r}")
    body = text[len(PREFIX):]
    port, _, baud = body.rpartition(",") if "," in body else (body, "", "")
    port = port.strip()
    if not port:
        raise SerialSpecError(f"no port in {text!r} (e.g. serial:/dev/ttyACM0 or serial:COM3)")
    baudrate = DEFAULT_BAUD
    if baud.strip():
        try:
            baudrate = int(baud)
        except ValueError:
            raise SerialSpecError(f"baud rate must be a number, got {baud!r}") from None
        if baudrate not in BAUD_RATES:
            raise SerialSpecError(f"baud rate {baudrate} is not a standard rate ({', '.join(map(str, BAUD_RATES))})")
    return SerialSpec(port, baudrate)


class CodeSplitter:
    """Bytes in, codes out: a code ends at CR or LF (CRLF is one end), or when the line goes quiet."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[str]:
        codes: list[str] = []
        for byte in data:
            if byte in (0x0D, 0x0A):
                codes.extend(self.flush())
                continue
            if len(self._buf) >= MAX_CODE_BYTES:
                self._overflow = True
                continue
            self._buf.append(byte)
        return codes

    def flush(self) -> list[str]:
        """End the code held so far (the line went quiet, or a terminator came)."""
        data, overflow = bytes(self._buf), self._overflow
        self._buf.clear()
        self._overflow = False
        if overflow:
            log.warning("serial scanner: a code longer than %d bytes was dropped", MAX_CODE_BYTES)
            return []
        text = data.decode("utf-8", errors="replace").strip("\x00 \t")
        return [text] if text else []

    @property
    def pending(self) -> bool:
        return bool(self._buf)


class SerialScanner:
    """Reads codes from a serial port on a thread. ``on_code(text)``; ``on_status(connected, problem)``."""

    def __init__(
        self,
        spec: SerialSpec | str,
        on_code: Callable[[str], None],
        on_status: Callable[[bool, str | None], None] | None = None,
        *,
        retry_s: float = 2.0,
    ) -> None:
        self.spec = parse_serial_spec(spec) if isinstance(spec, str) else spec
        self._on_code = on_code
        self._on_status = on_status
        self._retry_s = retry_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._port: object | None = None
        self._thread = threading.Thread(target=self._run, name="serial-scanner", daemon=True)
        self.connected = False
        self.problem: str | None = None

    def start(self) -> None:
        self._thread.start()

    def close(self, timeout: float = 3.0) -> None:
        """Stop reading and close the port (joins the thread). Idempotent."""
        self._stop.set()
        with self._lock:
            port = self._port
        if port is not None:
            cancel = getattr(port, "cancel_read", None)
            if cancel is not None:
                try:
                    cancel()
                except Exception:  # a port that is already gone
                    log.debug("serial scanner: cancel_read failed", exc_info=True)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # ------------------------------------------------------------------ the thread

    def _status(self, connected: bool, problem: str | None) -> None:
        if (connected, problem) == (self.connected, self.problem):
            return
        self.connected, self.problem = connected, problem
        if connected:
            log.info("serial scanner on %s connected", self.spec)
        else:
            log.warning("serial scanner on %s: %s", self.spec, problem)
        if self._on_status is not None:
            try:
                self._on_status(connected, problem)
            except Exception:
                log.exception("serial scanner status listener failed")

    def _run(self) -> None:
        import serial

        while not self._stop.is_set():
            try:
                port = serial.serial_for_url(self.spec.port, baudrate=self.spec.baudrate, timeout=IDLE_END_S)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._status(False, f"cannot open {self.spec.port}: {exc}")
                self._stop.wait(self._retry_s)
                continue
            with self._lock:
                self._port = port
            self._status(True, None)
            try:
                self._read(port)
            except (serial.SerialException, OSError) as exc:
                if not self._stop.is_set():
                    self._status(False, f"{self.spec.port} stopped: {exc}")
            finally:
                with self._lock:
                    self._port = None
                try:
                    port.close()
                except Exception:
                    log.debug("serial scanner: close failed", exc_info=True)
            if not self._stop.is_set():
                self._stop.wait(self._retry_s)
        self._status(False, "closed")

    def _read(self, port: object) -> None:
        splitter = CodeSplitter()
        read = port.read  # type: ignore[attr-defined]
        while not self._stop.is_set():
            data = read(max(1, getattr(port, "in_waiting", 0) or 1))
            # no data: quiet for IDLE_END_S, so a code sent without a suffix has ended
            codes = splitter.feed(data) if data else splitter.flush()
            for code in codes:
                try:
                    self._on_code(code)
                except Exception:
                    log.exception("serial scanner code listener failed")
