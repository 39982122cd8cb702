"""QR decoder backends behind one small interface.

>>> decoder = create_decoder("zxing")
>>> decoder.decode(gray)            # -> list[Decoded(text, backend, points)]

Backends: ``zxing`` (zxing-cpp), ``zbar`` (pyzbar, binary mode), ``opencv`` (QRCodeDetector), ``wechat``
(OpenCV contrib WeChat CNN decoder with the models in assets/models). Every backend returns the exact UTF-8
text and drops reads that are not valid UTF-8, hold U+FFFD or look like mojibake.
"""

from __future__ import annotations

from collections.abc import Callable

from scanner.decoders.base import Decoded, Decoder, DecoderUnavailable, as_gray

BACKENDS: tuple[str, ...] = ("zxing", "zbar", "opencv", "wechat")

#: What each backend claims: every clean standard code (versions 1-20, EC levels L-H, all masks, byte /
#: alphanumeric / numeric / ECI segments, quiet zone >= 1 module, any rotation, mirrored) whose modules are at
#: least this many pixels. Checked by tests/test_clean_corpus.py on codes from four independent encoders.
#: WeChat's claim leaves out binary data (bytes without a charset, e.g. zxing-cpp's writer given bytes): it
#: drops those. OpenCV's classic detector claims nothing: it misses clean, upright codes at every size measured
#: (1.5-8 px); it stays in the still-image cascade for the curved and warped photos it alone reads.
CLAIMED_MIN_MODULE_PX: dict[str, float] = {"zxing": 3.0, "zbar": 3.0, "wechat": 2.0}


def _factory(name: str) -> Callable[[], Decoder]:
    if name == "zxing":
        from scanner.decoders.zxing_backend import ZxingDecoder

        return ZxingDecoder
    if name == "zbar":
        from scanner.decoders.zbar_backend import ZbarDecoder

        return ZbarDecoder
    if name == "opencv":
        from scanner.decoders.opencv_backend import OpenCVDecoder

        return OpenCVDecoder
    if name == "wechat":
        from scanner.decoders.wechat_backend import WeChatDecoder

        return WeChatDecoder
    raise ValueError(f"unknown QR decoder backend {name!r}; choose one of: {', '.join(BACKENDS)}")


def create_decoder(name: str) -> Decoder:
    """A new decoder. ValueError for an unknown name; DecoderUnavailable when its library or models are missing."""
    try:
        factory = _factory(name)
    except ImportError as exc:
        raise DecoderUnavailable(f"{name} backend unavailable: {exc}") from exc
    return factory()


def available_backends() -> list[str]:
    """The backends that can be created on this machine (library importable, models present)."""
    found: list[str] = []
    for name in BACKENDS:
        try:
            create_decoder(name)
        except DecoderUnavailable:
            continue
        found.append(name)
    return found


__all__ = ["BACKENDS", "CLAIMED_MIN_MODULE_PX", "Decoded", "Decoder", "DecoderUnavailable", "as_gray",
           "available_backends", "create_decoder"]
