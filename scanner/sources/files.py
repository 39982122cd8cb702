"""Recorded sources: a single image, a folder of images, a video file.

Unreadable images in a folder are not fatal: the folder source skips them, logs a warning (file name
only), records them in :attr:`ImageFolderSource.skipped` and calls ``on_skip(path, reason)`` when given, so
a batch over a folder of photos keeps going. A path the user named directly (a single image, a video, the
folder itself) that cannot be read raises :class:`SourceError` from ``open()``.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scanner.sources.base import Frame, FrameSource, SourceError, as_bgr

if TYPE_CHECKING:
    import cv2

log = logging.getLogger(__name__)

IMAGE_SUFFIXES: frozenset[str] = frozenset(
    {".png", ".jpg", ".jpeg", ".jpe", ".bmp", ".webp", ".tif", ".tiff", ".pgm", ".ppm", ".pbm"}
)
VIDEO_SUFFIXES: frozenset[str] = frozenset(
    {".mp4", ".m4v", ".avi", ".mkv", ".mov", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".ts", ".3gp", ".mjpeg",
     ".mjpg", ".ogv"}
)

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key putting ``frame2.png`` before ``frame10.png`` (case-insensitive)."""
    parts: list[tuple[int, int | str]] = []
    for i, part in enumerate(_DIGITS.split(name)):
        if i % 2:
            parts.append((0, int(part)))
        elif part:
            parts.append((1, part.casefold()))
    return tuple(parts)


def is_image_path(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def is_image_file(path: Path) -> bool:
    """Whether a file is read as an image (else as a video): by its suffix, and for a suffix that is neither
    an image's nor a video's, by whether OpenCV has an image decoder for the file's signature."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return True
    if suffix in VIDEO_SUFFIXES:
        return False
    import cv2

    try:
        return bool(cv2.haveImageReader(str(path)))
    except cv2.error:
        return False


def load_image(path: Path) -> np.ndarray:
    """Read an image file as BGR uint8 (EXIF orientation applied); raises :class:`SourceError`.

    Reads the bytes with Python and decodes them in memory, so non-ASCII paths work on Windows too.
    """
    import cv2

    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a folder, not an image") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data.size == 0:
        raise SourceError(f"{path}: empty file")
    try:
        image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    except cv2.error:
        image = None
    if image is None:
        raise SourceError(f"{path}: not a readable image")
    try:
        return as_bgr(image)
    except ValueError as exc:
        raise SourceError(f"{path}: {exc}") from None


class ImageSource(FrameSource):
    """One image file: a single frame, then the end."""

    live = False

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.description = f"image {self.path.name}"
        self._image: np.ndarray | None = None
        self._done = False

    def _open(self) -> None:
        self._image = load_image(self.path)

    def _close(self) -> None:
        self._image = None

    def _read(self, timeout: float | None) -> Frame | None:
        if self._done or self._image is None:
            return None
        self._done = True
        return Frame(image=self._image, index=0, timestamp=time.monotonic(), path=self.path)


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str


def list_images(folder: Path, *, recursive: bool = False) -> list[Path]:
    """The image files of ``folder`` (by suffix), in natural order of their relative paths."""
    try:
        entries = list(folder.rglob("*") if recursive else folder.iterdir())
    except FileNotFoundError:
        raise SourceError(f"{folder}: no such folder") from None
    except NotADirectoryError:
        raise SourceError(f"{folder}: not a folder") from None
    except OSError as exc:
        raise SourceError(f"{folder}: cannot list ({exc.strerror or exc})") from None
    images = [p for p in entries if is_image_path(p) and p.is_file()]
    return sorted(images, key=lambda p: natural_key(p.relative_to(folder).as_posix()))


class ImageFolderSource(FrameSource):
    """The images of a folder in natural name order (``2.png`` before ``10.png``); one frame per image.

    ``Frame.index`` is the image's position in that order, so a skipped (unreadable) image leaves a gap.
    Files whose suffix is not an image suffix are ignored. With ``fps`` and ``realtime`` the frames are
    paced (a folder of extracted video frames played back as a clip).
    """

    live = False

    def __init__(
        self,
        folder: str | Path,
        *,
        recursive: bool = False,
        fps: float | None = None,
        realtime: bool = False,
        on_skip: Callable[[Path, str], None] | None = None,
    ) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.recursive = recursive
        self.fps = fps if fps and fps > 0 else None
        self.realtime = realtime
        self.on_skip = on_skip
        self.description = f"folder {self.folder}"
        self.paths: list[Path] = []
        self.skipped: list[SkippedFile] = []
        self._next = 0
        self._t0 = 0.0
        self._stop = threading.Event()

    def _open(self) -> None:
        if not self.folder.exists():
            raise SourceError(f"{self.folder}: no such folder")
        if not self.folder.is_dir():
            raise SourceError(f"{self.folder}: not a folder")
        self.paths = list_images(self.folder, recursive=self.recursive)
        self._t0 = time.monotonic()

    def _close(self) -> None:
        self._stop.set()
        self._next = len(self.paths)

    def _read(self, timeout: float | None) -> Frame | None:
        while self._next < len(self.paths):
            index = self._next
            path = self.paths[index]
            self._next += 1
            try:
                image = load_image(path)
            except SourceError as exc:
                reason = str(exc).removeprefix(f"{path}: ")
                self.skipped.append(SkippedFile(path, reason))
                log.warning("skipping unreadable image %s: %s", path.name, reason)
                if self.on_skip is not None:
                    self.on_skip(path, reason)
                continue
            if self.fps is not None:
                due = self._t0 + index / self.fps
                if self.realtime and self._stop.wait(max(0.0, due - time.monotonic())):
                    return None
                timestamp = due
            else:
                timestamp = time.monotonic()
            return Frame(image=image, index=index, timestamp=timestamp, path=path)
        return None


DEFAULT_VIDEO_FPS = 30.0


class VideoFileSource(FrameSource):
    """Every frame of a video file in order, then the end (or from the start again with ``loop``).

    ``realtime=True`` paces frames at the video's frame rate (a recording standing in for a camera in the
    app); ``False`` reads as fast as decoding allows (tests, ``decode``, benchmarks). Either way
    ``Frame.timestamp`` is the open time plus the frame's position in the video.
    """

    live = False

    def __init__(
        self,
        path: str | Path,
        *,
        realtime: bool = False,
        loop: bool = False,
        fps: float | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.realtime = realtime
        self.loop = loop
        self.description = f"video {self.path.name}"
        self._fps_override = fps if fps and fps > 0 else None
        self.fps = self._fps_override or DEFAULT_VIDEO_FPS
        self.size: tuple[int, int] | None = None  # (width, height)
        self._cap: cv2.VideoCapture | None = None
        self._lock = threading.Lock()
        self._pending: np.ndarray | None = None
        self._index = 0
        self._t0 = 0.0
        self._stop = threading.Event()

    def _open_capture(self) -> cv2.VideoCapture:
        import cv2

        try:
            cap = cv2.VideoCapture(str(self.path))
        except cv2.error as exc:
            raise SourceError(f"{self.path}: cannot open video ({exc})") from None
        if not cap.isOpened():
            cap.release()
            raise SourceError(f"{self.path}: not a readable video")
        return cap

    def _open(self) -> None:
        import cv2

        if not self.path.exists():
            raise SourceError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise SourceError(f"{self.path}: is a folder, not a video")
        cap = self._open_capture()
        ok, image = cap.read()
        if not ok or image is None:
            cap.release()
            raise SourceError(f"{self.path}: no frame could be decoded")
        fps = float(cap.get(cv2.CAP_PROP_FPS))
        if self._fps_override is None and np.isfinite(fps) and 0 < fps <= 1000:
            self.fps = fps
        self.size = (int(image.shape[1]), int(image.shape[0]))
        self._cap = cap
        self._pending = image
        self._t0 = time.monotonic()

    def _close(self) -> None:
        self._stop.set()
        with self._lock:
            cap, self._cap = self._cap, None
            self._pending = None
            if cap is not None:
                cap.release()

    def _next_image(self) -> np.ndarray | None:
        if self._pending is not None:
            image, self._pending = self._pending, None
            return image
        if self._cap is None:
            return None
        ok, image = self._cap.read()
        if ok and image is not None:
            return image
        if not self.loop or self._index == 0:
            return None
        self._cap.release()
        self._cap = None
        self._cap = self._open_capture()
        ok, image = self._cap.read()
        return image if ok and image is not None else None

    def _read(self, timeout: float | None) -> Frame | None:
        with self._lock:
            try:
                image = self._next_image()
            except SourceError:
                raise
            except Exception as exc:  # a corrupt stream must not crash the consumer thread
                log.warning("video %s: decoding stopped: %s", self.path.name, exc)
                image = None
            if image is None:
                return None
            index = self._index
            self._index += 1
        due = self._t0 + index / self.fps
        if self.realtime and self._stop.wait(max(0.0, due - time.monotonic())):
            return None
        return Frame(image=as_bgr(image), index=index, timestamp=due, path=self.path)
