"""Webcams (and network cameras) through OpenCV ``VideoCapture``.

A grabber thread reads the device continuously and keeps only the newest frame: V4L2 and DirectShow queue
frames, and a consumer that decodes slower than the camera delivers must see the card as it is now, not
as it was a second ago. ``read()`` hands out each grabbed frame at most once.

When the camera disappears (unplugged, USB reset, driver hiccup) the grabber releases it and tries to
open it again with exponential backoff; ``connected`` is ``False`` meanwhile and ``read()`` returns
``None`` after its timeout. No exception reaches the consumer, and the log gets one line per
disconnect/reconnect, not one per attempt.

The only platform-specific code of the scanner is :func:`camera_api_preference`.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from scanner.sources.base import Frame, FrameSource, SourceError, as_bgr

log = logging.getLogger(__name__)


class CaptureLike(Protocol):
    """The part of ``cv2.VideoCapture`` the camera source uses (fakes implement this in tests)."""

    def isOpened(self) -> bool: ...

    def read(self) -> tuple[bool, np.ndarray | None]: ...

    def release(self) -> None: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def get(self, prop_id: int) -> float: ...


CaptureFactory = Callable[[], CaptureLike | None]


def camera_api_preference(platform: str | None = None) -> list[int]:
    """OpenCV capture APIs to try, in order, for a local camera on this platform."""
    import cv2

    platform = platform or sys.platform
    if platform.startswith("linux"):
        return [cv2.CAP_V4L2, cv2.CAP_ANY]
    if platform.startswith("win"):
        # DirectShow opens quickly and honours MJPG/resolution requests on most USB webcams; Media
        # Foundation is the fallback for cameras only it exposes.
        return [cv2.CAP_DSHOW, cv2.CAP_MSMF, cv2.CAP_ANY]
    if platform == "darwin":
        return [cv2.CAP_AVFOUNDATION, cv2.CAP_ANY]
    return [cv2.CAP_ANY]


#: What a camera is asked for when nothing else is configured: its highest resolution up to 1920x1080 (a device
#: given a size it lacks picks its nearest mode). 1080p gives 50% more pixels per QR module than 720p.
DEFAULT_CAPTURE_SIZE: tuple[int, int] = (1920, 1080)


@dataclass(frozen=True)
class CaptureSettings:
    width: int | None = DEFAULT_CAPTURE_SIZE[0]
    height: int | None = DEFAULT_CAPTURE_SIZE[1]
    fps: float | None = None
    # MJPG: None = when the requested resolution is above 640x480 (uncompressed YUYV at 720p fits USB 2
    # only at ~10 fps; a device without MJPG keeps its own format); True/False forces it.
    mjpg: bool | None = None
    autofocus: bool = True  # continuous autofocus, where the device and backend have it
    auto_exposure: bool = True

    @property
    def use_mjpg(self) -> bool:
        if self.mjpg is not None:
            return self.mjpg
        return (self.width or 0) * (self.height or 0) > 640 * 480


def auto_exposure_value(backend_name: str) -> float:
    """CAP_PROP_AUTO_EXPOSURE's "automatic" for an OpenCV capture backend: V4L2 takes the V4L2 menu value 3
    (aperture priority); DirectShow and Media Foundation take 0.75."""
    return 3.0 if backend_name.upper() == "V4L2" else 0.75


def apply_settings(cap: CaptureLike, settings: CaptureSettings) -> None:
    """Ask the device for the settings (best effort: devices pick the nearest mode they support; a property the
    device or backend lacks is ignored)."""
    import cv2

    if settings.use_mjpg:
        cap.set(cv2.CAP_PROP_FOURCC, float(cv2.VideoWriter.fourcc(*"MJPG")))
    if settings.width:
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, float(settings.width))
    if settings.height:
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, float(settings.height))
    if settings.fps:
        cap.set(cv2.CAP_PROP_FPS, float(settings.fps))
    if settings.autofocus:
        cap.set(cv2.CAP_PROP_AUTOFOCUS, 1.0)
    if settings.auto_exposure:
        backend = getattr(cap, "getBackendName", lambda: "")
        try:
            name = str(backend())
        except cv2.error:
            name = ""
        cap.set(cv2.CAP_PROP_AUTO_EXPOSURE, auto_exposure_value(name))
    cap.set(cv2.CAP_PROP_BUFFERSIZE, 1.0)  # honoured by some backends; the grabber thread does the rest


def open_capture(
    device: int | str,
    settings: CaptureSettings = CaptureSettings(),
    apis: Sequence[int] | None = None,
) -> CaptureLike | None:
    """Open a camera by index, device path or URL with the first API that works; ``None`` if none does."""
    import cv2

    if apis is None:
        apis = camera_api_preference() if isinstance(device, int) or _is_device_path(device) else [cv2.CAP_ANY]
    for api in apis:
        try:
            cap = cv2.VideoCapture(device, api)
        except cv2.error as exc:
            log.debug("VideoCapture(%r, %d) raised %s", device, api, exc)
            continue
        if cap.isOpened():
            with contextlib.suppress(cv2.error):
                apply_settings(cap, settings)
            return cap
        cap.release()
    return None


def _is_device_path(device: str) -> bool:
    return device.startswith("/dev/")


@dataclass(frozen=True)
class ReconnectPolicy:
    initial_delay: float = 0.5  # seconds before the first reopen attempt
    max_delay: float = 5.0
    factor: float = 2.0
    max_failed_reads: int = 10  # consecutive failed reads after which the device is considered gone
    failed_read_pause: float = 0.02  # pause between failed reads (no busy loop on a dead device)


class CameraSource(FrameSource):
    """A live camera; see the module docstring.

    ``device``: an index (``0``), a device path (``/dev/video2``) or a stream URL (``rtsp://...``).
    ``capture_factory`` replaces how the device is opened (tests inject fakes or a recorded ``.avi``).
    ``require_device=True`` makes ``open()`` raise :class:`SourceError` when the first attempt fails;
    ``False`` starts disconnected and keeps retrying (a kiosk whose camera is plugged in later).
    ``on_connection(connected)`` is called from the grabber thread when ``connected`` flips.
    """

    live = True

    def __init__(
        self,
        device: int | str = 0,
        *,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        mjpg: bool | None = None,
        capture_factory: CaptureFactory | None = None,
        reconnect: ReconnectPolicy | None = None,
        require_device: bool = True,
        on_connection: Callable[[bool], None] | None = None,
        open_timeout: float = 10.0,
        join_timeout: float = 5.0,
    ) -> None:
        super().__init__()
        self.device = device
        size = (width, height) if width or height else DEFAULT_CAPTURE_SIZE
        self.settings = CaptureSettings(width=size[0], height=size[1], fps=fps, mjpg=mjpg)
        self.description = f"camera {device}"
        self._factory: CaptureFactory = capture_factory or (lambda: open_capture(device, self.settings))
        self.policy = reconnect or ReconnectPolicy()
        self.require_device = require_device
        self.on_connection = on_connection
        self.open_timeout = open_timeout
        self.join_timeout = join_timeout
        self.reconnects = 0  # how many times the device came back after a loss
        self.frames_grabbed = 0
        self.frame_size: tuple[int, int] | None = None  # (width, height) of the latest frame
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._delivered = -1
        self._connected = False
        self._stop = threading.Event()
        self._first_attempt = threading.Event()
        self._first_error: str | None = None
        self._thread: threading.Thread | None = None

    # -- FrameSource ------------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._connected and self.is_open

    def _open(self) -> None:
        self._stop.clear()
        self._first_attempt.clear()
        self._first_error = None
        self._thread = threading.Thread(target=self._run, name=f"camera-grabber-{self.device}", daemon=True)
        self._thread.start()
        if not self._first_attempt.wait(self.open_timeout):
            self._shutdown()
            raise SourceError(f"{self.description}: no answer from the device within {self.open_timeout:g} s")
        if self._first_error is not None and self.require_device:
            self._shutdown()
            raise SourceError(f"{self.description}: {self._first_error}")

    def _close(self) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(self.join_timeout)
            if thread.is_alive():  # a driver blocked in read(); the thread releases the device when it returns
                log.warning("%s: grabber thread did not stop within %g s", self.description, self.join_timeout)

    def _read(self, timeout: float | None) -> Frame | None:
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        with self._cond:
            while True:
                if self._stop.is_set():
                    return None
                latest = self._latest
                if latest is not None and latest.index > self._delivered:
                    self._delivered = latest.index
                    return latest
                if deadline is None:
                    self._cond.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._cond.wait(remaining)

    # -- grabber thread ---------------------------------------------------------------------------------
    def _try_open(self) -> CaptureLike | None:
        try:
            cap = self._factory()
        except Exception as exc:  # a factory (or driver) error is a failed attempt, not a crash
            log.debug("%s: open failed: %s", self.description, exc)
            return None
        if cap is None:
            return None
        try:
            opened = cap.isOpened()
        except Exception:
            opened = False
        if not opened:
            _release(cap)
            return None
        return cap

    def _set_connected(self, value: bool) -> None:
        if self._connected == value:
            return
        self._connected = value
        if self.on_connection is not None:
            try:
                self.on_connection(value)
            except Exception:
                log.exception("%s: on_connection callback failed", self.description)

    def _publish(self, image: np.ndarray) -> None:
        image = as_bgr(image)
        frame = Frame(image=image, index=self.frames_grabbed, timestamp=time.monotonic())
        self.frames_grabbed += 1
        self.frame_size = (int(image.shape[1]), int(image.shape[0]))
        with self._cond:
            self._latest = frame
            self._cond.notify_all()

    def _run(self) -> None:
        cap = self._try_open()
        if cap is None:
            self._first_error = "cannot open the camera (not connected, in use by another program, or no access)"
        self._first_attempt.set()
        if cap is None and self.require_device:
            return
        if cap is None:
            log.warning("%s: not available; retrying in the background", self.description)
        delay = self.policy.initial_delay
        failures = 0
        ever_connected = False
        try:
            while not self._stop.is_set():
                if cap is None:
                    if self._stop.wait(delay):
                        break
                    delay = min(delay * self.policy.factor, self.policy.max_delay)
                    cap = self._try_open()
                    if cap is None:
                        continue
                    failures = 0
                try:
                    ok, image = cap.read()
                except Exception as exc:
                    log.debug("%s: read raised %s", self.description, exc)
                    ok, image = False, None
                if self._stop.is_set():
                    break
                if ok and image is not None and image.size > 0:
                    failures = 0
                    delay = self.policy.initial_delay
                    if not self._connected:
                        if ever_connected:
                            self.reconnects += 1
                            log.warning("%s: reconnected", self.description)
                        ever_connected = True
                        self._set_connected(True)
                    try:
                        self._publish(image)
                    except ValueError as exc:  # a frame in an unexpected format: skip it
                        log.debug("%s: bad frame: %s", self.description, exc)
                    continue
                failures += 1
                if failures >= self.policy.max_failed_reads:
                    if self._connected or not ever_connected:
                        log.warning("%s: no frames; reopening the device", self.description)
                    _release(cap)
                    cap = None
                    self._set_connected(False)
                    continue
                self._stop.wait(self.policy.failed_read_pause)
        finally:
            if cap is not None:
                _release(cap)
            self._set_connected(False)
            with self._cond:
                self._cond.notify_all()


def _release(cap: CaptureLike) -> None:
    try:
        cap.release()
    except Exception as exc:
        log.debug("release failed: %s", exc)


# -- discovery --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CameraInfo:
    index: int  # the OpenCV index (``/dev/videoN`` -> N on Linux)
    device: str  # what to pass to open_source / the settings file: "0", "/dev/video2"
    name: str  # human-readable name when the platform tells it, else "Camera N"
    available: bool  # it opened when probed (False: busy, not a capture node, or not probed off Linux)


def _sysfs_cameras(max_index: int) -> list[tuple[int, str, bool]] | None:
    """Linux: (index, name, primary node) from /sys/class/video4linux without opening anything."""
    root = Path("/sys/class/video4linux")
    if not root.is_dir():
        return None
    found: list[tuple[int, str, bool]] = []
    for entry in root.iterdir():
        if not entry.name.startswith("video"):
            continue
        try:
            number = int(entry.name.removeprefix("video"))
        except ValueError:
            continue
        if number >= max_index:
            continue
        name = _read_text(entry / "name") or f"Camera {number}"
        # UVC cameras expose a capture node (index 0) and a metadata node (index 1) per device.
        primary = (_read_text(entry / "index") or "0") == "0"
        found.append((number, name, primary))
    return sorted(found)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or None
    except OSError:
        return None


def _probe(index: int) -> bool:
    cap = open_capture(index, CaptureSettings())
    if cap is None:
        return False
    try:
        ok, _ = cap.read()
        return bool(ok)
    except Exception:
        return False
    finally:
        _release(cap)


def list_cameras(max_index: int = 5, *, probe: bool = True) -> list[CameraInfo]:
    """Cameras for the settings screen: indices below ``max_index``. Never raises.

    On Linux the list comes from sysfs (names included; metadata nodes left out) and, with ``probe``, each
    camera is opened once to see whether it delivers a frame. Elsewhere the system gives no list through
    OpenCV: with ``probe`` the indices are opened one by one (slow: never on a GUI thread), without it every
    index is listed unchecked (``available`` False). OpenCV's warnings are silenced while probing.
    """
    try:
        import cv2
    except ImportError:
        return []
    try:
        previous = cv2.utils.logging.getLogLevel()
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    except Exception:
        previous = None
    cameras: list[CameraInfo] = []
    try:
        nodes = _sysfs_cameras(max_index) if sys.platform.startswith("linux") else None
        if nodes is not None:
            for number, name, primary in nodes:
                if not primary:
                    continue
                available = _probe(number) if probe else True
                cameras.append(CameraInfo(number, f"/dev/video{number}", name, available))
        else:
            for index in range(max(0, max_index)):
                if not probe:
                    cameras.append(CameraInfo(index, str(index), f"Camera {index}", False))
                elif _probe(index):
                    cameras.append(CameraInfo(index, str(index), f"Camera {index}", True))
    except Exception as exc:  # discovery is a convenience: never take the settings screen down
        log.warning("camera discovery failed: %s", exc)
    finally:
        if previous is not None:
            with contextlib.suppress(Exception):
                cv2.utils.logging.setLogLevel(previous)
    return cameras
