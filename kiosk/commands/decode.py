"""``bhyt-kiosk decode``: read the QR codes in images, videos and folders of images.

``bhyt-kiosk decode [--backend NAME] [--json] PATH...``

With ``--json`` every image (every frame of a video) gives one JSON object on its own line::

    {"path": "card.jpg", "texts": ["027195001234|..."], "kind": "cccd",
     "card": {"id_number": "027195001234", "old_id_number": "125678901", "full_name": "Nguyễn Thị Minh Châu",
              "date_of_birth": "1995-08-15", "sex": "Nữ", "address": "...", "issue_date": "2021-04-20",
              "extras": []},
     "error": null, "error_detail": null, "insurance_card": null, "backend": "zxing", "ms": 12.3}

* ``texts``: every decoded text, exact; ``kind``: ``cccd`` / ``bhyt`` / ``other`` for the payload the
  line reports (a valid ID card first), ``null`` when nothing was decoded;
* ``card``: the valid CCCD record (``CitizenCard.to_json``; dates ISO 8601, ``yyyy`` / ``yyyy-MM`` when
  the card gives only part), else ``null``; ``insurance_card``: the same for a BHYT card's QR;
* ``error``: why the payload was refused (a validation reason such as ``sex-mismatch``), ``null`` when
  it was not; ``error_detail``: the same as an English sentence (ID numbers masked);
* ``ms``: decoding time of that image/frame.

A video is read as the camera stream it stands for: one StreamReader runs over all its frames (frame
index in ``frame``, the video's own timing), so multi-frame fusion and read confirmation apply, and each
line reports what the pipeline says after that frame: ``texts`` decoded in this frame (or from this and
the last frames together — an aligned, averaged crop: ``fused``), ``accepted``
the payload the pipeline confirmed at this frame (reported once; ``null`` on other frames), and
``kind``/``card``/``error`` for the accepted payload, else the best one seen in this frame.
Images (also those of a folder) are independent of each other.

Exit status 0 even when nothing decodes; 2 with a message for unusable arguments or unreadable paths
(the other paths are still decoded). Unreadable images inside a folder are skipped with a warning on
stderr. Without ``--json`` a short line per image is printed, with the ID number masked.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.cli import CommandError

if TYPE_CHECKING:
    from scanner.payload import PayloadReading

NAME = "decode"
HELP = "Decode the QR codes in images, videos or folders of images (one line per image or video frame)."

KNOWN_BACKENDS = ("zxing", "zbar", "opencv", "wechat")  # scanner.decoders.BACKENDS (not imported: numpy)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="an image, a video file or a folder of images",
    )
    parser.add_argument(
        "--backend",
        action="append",
        metavar="NAME",
        help=f"decoder backend to use ({', '.join(KNOWN_BACKENDS)}); repeat or separate with commas; "
        "default: the standard cascade (zxing-cpp, then WeChat and OpenCV on hard frames)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per line per image (per frame for a video), with the exact decoded card",
    )


def parse_backends(values: Sequence[str] | None) -> list[str] | None:
    """``--backend`` values (repeated and/or comma-separated) as a list; ``None`` for the default cascade."""
    if not values:
        return None
    names: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in KNOWN_BACKENDS:
                raise CommandError(f"unknown backend {part.strip()!r} (choose from {', '.join(KNOWN_BACKENDS)})")
            if name not in names:
                names.append(name)
    if not names:
        raise CommandError("--backend needs a backend name")
    return names


def _check_backends(names: list[str]) -> None:
    from scanner.decoders import DecoderUnavailable, create_decoder

    for name in names:
        try:
            create_decoder(name)
        except DecoderUnavailable as exc:
            raise CommandError(f"backend {name} is not available on this machine: {exc}") from None


def _check_paths(raw: Sequence[str]) -> list[Path]:
    paths: list[Path] = []
    problems: list[str] = []
    for text in raw:
        path = Path(text)
        if not text.strip():
            problems.append("empty path")
        elif not path.exists():
            problems.append(f"{text}: no such file or folder")
        elif not (path.is_file() or path.is_dir()):
            problems.append(f"{text}: not a file or folder")
        else:
            paths.append(path)
    if problems:
        raise CommandError("; ".join(problems))
    return paths


# -- reporting ------------------------------------------------------------------------------------------


def reading_fields(reading: PayloadReading | None) -> dict[str, Any]:
    if reading is None:
        return {"kind": None, "card": None, "insurance_card": None, "error": None, "error_detail": None}
    card = reading.card.to_json() if reading.card is not None and reading.valid else None
    insurance = (
        reading.insurance_card.to_json() if reading.insurance_card is not None and reading.valid else None
    )
    error = reading.error
    return {
        "kind": reading.kind.value,
        "card": card,
        "insurance_card": insurance,
        "error": error.reason.value if error is not None else None,
        "error_detail": error.detail if error is not None else None,
    }


# what the decoder's hint codes (scanner.reader.ReadHint) ask of the user, in this command's words
HINT_WORDS = {
    "decoded": "card read",
    "no-code": "show the QR code on the card to the camera",
    "too-small": "move the card closer",
    "blurry": "hold still",
    "glare": "tilt the card",
    "too-dark": "more light, please",
    "unreadable": "hold the card flat, facing the camera",
}


def summary(reading: PayloadReading | None, hint: str | None = None) -> str:
    """A short human description of a reading, without personal data in clear."""
    from scanner.masking import mask_id, mask_name

    if reading is None:
        return "no QR code decoded" + (f" ({HINT_WORDS.get(hint, hint)})" if hint else "")
    kind = reading.kind.value
    if reading.error is not None:
        label = "invalid ID card" if kind == "cccd" else "invalid BHYT card"
        return f"{label}: {reading.error.reason.value} ({reading.error.detail})"
    if reading.card is not None:
        card = reading.card
        return (
            f"CCCD {mask_id(card.id_number)}  {mask_name(card.full_name)}  born {card.date_of_birth.iso()}  "
            f"{card.sex.value}"
        )
    if reading.insurance_card is not None:
        ins = reading.insurance_card
        return f"BHYT card {mask_id(ins.card_number)}  valid {ins.valid_from.isoformat()}..{ins.valid_to.isoformat()}"
    text = reading.text if len(reading.text) <= 60 else reading.text[:57] + "..."
    return f"not an ID card: {json.dumps(text, ensure_ascii=False)}"


# -- decoding -------------------------------------------------------------------------------------------


class PathDecoder:
    """Decodes the paths of one command run with the chosen backends."""

    def __init__(self, backends: list[str] | None, as_json: bool, out: TextIO, err: TextIO) -> None:
        from scanner.reader import FrameReader

        self.backends = backends
        self.as_json = as_json
        self.out = out
        self.err = err
        self.still_reader = FrameReader(backends=backends, stills=True)
        self._video_reader: FrameReader | None = None  # camera budget; made for the first video, then reused
        self.failures: list[str] = []  # paths that could not be read: reported together at the end (exit status 2)

    def line(self, text_or_record: str | dict[str, Any]) -> None:
        """A line of output: a JSON record (``--json``) or a human line."""
        if isinstance(text_or_record, dict):
            text_or_record = json.dumps(text_or_record, ensure_ascii=False)
        self.out.write(text_or_record + "\n")
        self.out.flush()

    def warn(self, message: str) -> None:
        self.err.write(f"bhyt-kiosk decode: warning: {message}\n")
        self.err.flush()

    # images -------------------------------------------------------------------------------------
    def image(self, image: Any, *, display: str) -> None:
        from scanner.payload import best_reading, classify_payload

        read = self.still_reader.read(image)
        texts = list(read.texts)
        reading = best_reading(classify_payload(t) for t in texts)
        ms = round(float(read.ms), 2)
        if self.as_json:
            self.line(
                {
                    "path": display,
                    "texts": texts,
                    **reading_fields(reading),
                    "backend": read.backend,
                    "hint": read.hint.value,
                    "ms": ms,
                }
            )
        else:
            self.line(f"{display}: {summary(reading, read.hint)}  [{ms:.0f} ms]")

    def image_file(self, path: Path) -> None:
        from scanner.sources import ImageSource, SourceError

        try:
            with ImageSource(path) as source:
                frame = source.read()
        except SourceError as exc:
            self.failures.append(str(exc))
            return
        if frame is not None:
            self.image(frame.image, display=str(path))

    def folder(self, path: Path) -> None:
        from scanner.sources import ImageFolderSource, SourceError

        source = ImageFolderSource(path, on_skip=lambda p, reason: self.warn(f"skipped {p}: {reason}"))
        try:
            with source:
                if not source.paths:
                    self.warn(f"{path}: no images in this folder")
                for frame in source:
                    self.image(frame.image, display=str(frame.path))
        except SourceError as exc:
            self.failures.append(str(exc))

    # videos -------------------------------------------------------------------------------------
    def video(self, path: Path) -> None:
        from scanner.reader import FrameReader
        from scanner.sources import SourceError, VideoFileSource
        from scanner.stream import StreamReader

        if self._video_reader is None:
            self._video_reader = FrameReader(backends=self.backends)
        stream = StreamReader(reader=self._video_reader)
        display = str(path)
        frames = decoded = accepted_count = 0
        try:
            with VideoFileSource(path, realtime=False) as source:
                for frame in source:
                    result = stream.feed(frame.image, now=frame.timestamp)
                    frames += 1
                    texts = list(result.texts)
                    decoded += bool(texts)
                    accepted_count += result.accepted is not None
                    ms = round(float(result.ms), 2)
                    if self.as_json:
                        self.line(
                            {
                                "path": display,
                                "frame": frame.index,
                                "texts": texts,
                                **reading_fields(result.reading),
                                "accepted": result.accepted,
                                "fused": result.fused,
                                "backend": result.frame_read.backend,
                                "hint": result.hint.value,
                                "ms": ms,
                            }
                        )
                    elif result.accepted is not None:
                        self.line(f"{display} frame {frame.index}: {summary(result.reading)}  [{ms:.0f} ms]")
        except SourceError as exc:
            self.failures.append(str(exc))
            return
        if not self.as_json:
            self.line(
                f"{display}: {frames} frames, a QR code decoded in {decoded}, {accepted_count} payload(s) accepted"
            )

    # dispatch -----------------------------------------------------------------------------------
    def path(self, path: Path) -> None:
        from scanner.sources import is_image_file

        if path.is_dir():
            self.folder(path)
        elif is_image_file(path):
            self.image_file(path)
        else:
            self.video(path)


def _utf8(stream: TextIO) -> TextIO:
    """Vietnamese text must survive a Windows pipe (whose default encoding is the ANSI code page)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        with contextlib.suppress(OSError, ValueError):
            reconfigure(encoding="utf-8")
    return stream


def run(args: argparse.Namespace) -> int:
    backends = parse_backends(args.backend)
    paths = _check_paths(args.paths)
    if backends is not None:
        _check_backends(backends)
    decoder = PathDecoder(backends, bool(args.json), _utf8(sys.stdout), _utf8(sys.stderr))
    for path in paths:
        decoder.path(path)
    if decoder.failures:
        count = len(decoder.failures)
        raise CommandError(f"{count} path{'s' if count > 1 else ''} could not be read: " + "; ".join(decoder.failures))
    return 0
