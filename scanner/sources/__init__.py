"""Frame sources: cameras, video files, images, folders of images and a synthetic camera.

One small interface (:class:`FrameSource`, see :mod:`scanner.sources.base`) and :func:`open_source`, which
picks the source from a user-facing spec string::

    "0", "2"                  camera index
    "/dev/video2"             camera device path (Linux)
    "rtsp://...", "http://..."  network camera stream
    "clip.mp4", "x.avi", ...  video file
    "frames/"                 folder of images (natural name order)
    "card.jpg"                a single image
    "synthetic"               synthetic card presentations; options after a colon:
                              "synthetic:seed=3,fps=15,size=640x480,difficulty=mixed,frames=300,
                              cards=path/to/payloads.txt"

Nothing here knows about Qt; sources are used from a worker thread and stop cleanly on ``close()``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scanner.sources.base import Frame, FrameSource, SourceError
from scanner.sources.camera import (
    CameraInfo,
    CameraSource,
    CaptureLike,
    ReconnectPolicy,
    camera_api_preference,
    list_cameras,
)
from scanner.sources.files import (
    IMAGE_SUFFIXES,
    VIDEO_SUFFIXES,
    ImageFolderSource,
    ImageSource,
    SkippedFile,
    VideoFileSource,
    is_image_file,
    list_images,
    load_image,
    natural_key,
)
from scanner.standins.synthetic_camera import SyntheticSource, load_payloads

__all__ = [
    "IMAGE_SUFFIXES",
    "VIDEO_SUFFIXES",
    "CameraInfo",
    "CameraSource",
    "CaptureLike",
    "Frame",
    "FrameSource",
    "ImageFolderSource",
    "ImageSource",
    "ReconnectPolicy",
    "SkippedFile",
    "SourceError",
    "SyntheticSource",
    "VideoFileSource",
    "camera_api_preference",
    "is_image_file",
    "list_cameras",
    "list_images",
    "load_image",
    "load_payloads",
    "natural_key",
    "open_source",
    "parse_synthetic_spec",
]

SYNTHETIC = "synthetic"
_STREAM_URL = re.compile(r"^(rtsp|rtsps|rtmp|http|https|udp|tcp)://", re.IGNORECASE)
_SIZE = re.compile(r"^(\d+)[x×](\d+)$")


def parse_synthetic_spec(spec: str) -> dict[str, Any]:
    """Options of a ``synthetic:key=value,...`` spec as :class:`SyntheticSource` keyword arguments."""
    head, _, rest = spec.partition(":")
    if head.strip().lower() != SYNTHETIC:
        raise SourceError(f"not a synthetic source spec: {spec!r}")
    options: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, sep, value = item.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise SourceError(f"synthetic source option {item!r}: expected key=value")
        try:
            if key == "seed":
                options["seed"] = int(value)
            elif key == "fps":
                options["fps"] = float(value)
            elif key in ("frames", "max_frames"):
                options["max_frames"] = int(value)
            elif key == "size":
                match = _SIZE.match(value)
                if not match:
                    raise ValueError(value)
                options["width"], options["height"] = int(match[1]), int(match[2])
            elif key in ("width", "height"):
                options[key] = int(value)
            elif key == "difficulty":
                options["difficulty"] = value.lower()
            elif key in ("cards", "payloads", "file"):
                options["payloads"] = load_payloads(value)
            else:
                raise SourceError(
                    f"unknown synthetic source option {key!r} (known: seed, fps, size, width, height, "
                    "difficulty, frames, cards)"
                )
        except ValueError:
            raise SourceError(f"synthetic source option {key}: bad value {value!r}") from None
    return options


def open_source(
    spec: str,
    *,
    width: int | None = None,
    height: int | None = None,
    fps: float | None = None,
    realtime: bool = True,
    **kw: Any,
) -> FrameSource:
    """The source named by ``spec`` (see the module docstring), not yet opened.

    ``width``/``height``/``fps`` are requests to cameras and the synthetic source (and the playback rate
    of a folder of images); ``realtime`` paces video files, folders with ``fps`` and the synthetic source
    at their frame rate (``False``: as fast as possible). Extra keyword arguments go to the source's
    constructor (``capture_factory``, ``require_device``, ``loop``, ``payloads``, ``seed``, ``on_skip``, ...).
    Raises :class:`SourceError` for an empty or unknown spec and for a path that does not exist.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise SourceError("no source given (expected a camera index, a file, a folder or 'synthetic')")
    text = spec.strip()

    if text.lower() == SYNTHETIC or text.lower().startswith(SYNTHETIC + ":"):
        options = parse_synthetic_spec(text)
        if width is not None:
            options.setdefault("width", width)
        if height is not None:
            options.setdefault("height", height)
        if fps is not None:
            options.setdefault("fps", fps)
        options.update(kw)
        return SyntheticSource(realtime=realtime, **options)

    if text.isdigit():
        return CameraSource(int(text), width=width, height=height, fps=fps, **kw)
    if _STREAM_URL.match(text):
        return CameraSource(text, width=width, height=height, fps=fps, **kw)
    if text.startswith("/dev/"):
        return CameraSource(text, width=width, height=height, fps=fps, **kw)

    path = Path(text).expanduser()
    if path.is_dir():
        return ImageFolderSource(path, fps=fps, realtime=realtime, **kw)
    if path.is_file():
        if is_image_file(path):
            return ImageSource(path, **kw)
        return VideoFileSource(path, realtime=realtime, fps=fps, **kw)
    if path.exists():
        raise SourceError(f"{text}: not a file or folder")
    if ":" in text and not re.match(r"^[A-Za-z]:[\\/]", text):
        raise SourceError(f"unknown source {text!r} (expected a camera index, a file, a folder or 'synthetic')")
    raise SourceError(f"{text}: no such file or folder")

