"""A corpus of clean, standard QR codes made at test time by four independent encoders.

segno, ``qrcode`` (python-qrcode), zxing-cpp's writer (``zxingcpp.create_barcode``) and OpenCV's
``QRCodeEncoder`` each encode texts at versions 1-20, EC levels L/M/Q/H, all 8 mask patterns (where the
encoder lets one choose), as byte (UTF-8 Vietnamese), alphanumeric, numeric or ECI (UTF-8) segments. The
symbols are drawn with a quiet zone of 1-4 modules on a plain grey surface, optionally mirrored and rotated
(quarter turns and free angles), and sampled by area at 1-6 px per module with a random sub-pixel phase —
what an ideal camera sees. No blur, noise or perspective: a reader that misses one of these misses a clean code.

Used by ``tests/test_clean_corpus.py`` (CI) and ``bench/bench_decode.py``. The factors are drawn as shuffled
cycles, so every value of each factor occurs about equally often.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

ENCODERS: tuple[str, ...] = ("segno", "qrcode", "zxing", "opencv")
ECC_LEVELS = "LMQH"
#: Segment modes each encoder can be told to use.
MODES: dict[str, tuple[str, ...]] = {
    "segno": ("byte", "alphanumeric", "numeric", "eci"),
    "qrcode": ("byte", "alphanumeric", "numeric"),
    "zxing": ("byte", "alphanumeric", "numeric"),
    "opencv": ("byte", "alphanumeric", "numeric", "eci"),
}
_MASKABLE = ("segno", "qrcode", "zxing")  # OpenCV's encoder picks the mask itself
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_WORDS = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
          "Thị", "Văn", "Hữu", "Minh", "Thu", "Hương", "Quốc", "Đức", "Phường", "Xã", "Quận", "Huyện", "Hà Nội",
          "Đà Nẵng", "Cần Thơ", "Số", "đường", "Lý Thường Kiệt", "Nam", "Nữ", "|")
_HI_RES = 8  # px per module of the drawing that is sampled down


@dataclass(frozen=True)
class CleanCode:
    encoder: str
    text: str
    version: int
    ecc: str
    mask: int | None  # None: the encoder chose
    mode: str
    quiet: int  # modules of white around the symbol
    px: float  # pixels per module in the image
    rotation: float  # degrees (counter-clockwise)
    mirrored: bool
    image: np.ndarray  # gray uint8

    @property
    def name(self) -> str:
        mask = "auto" if self.mask is None else str(self.mask)
        return (f"{self.encoder}-v{self.version}{self.ecc}-m{mask}-{self.mode}-q{self.quiet}-{self.px:g}px"
                f"-r{self.rotation:g}{'-mirrored' if self.mirrored else ''}")


def _text(rng: np.random.Generator, mode: str, length: int) -> str:
    if mode == "numeric":
        return "".join(rng.choice(list("0123456789"), length))
    if mode == "alphanumeric":
        return "".join(rng.choice(list(_ALNUM), length))
    words: list[str] = []
    while len("".join(words).encode("utf-8")) < length:
        words.append(str(rng.choice(_WORDS)))
    return " ".join(words).encode("utf-8")[:length].decode("utf-8", errors="ignore").strip() or "Hà Nội"


def fitting_text(rng: np.random.Generator, version: int, ecc: str, mode: str) -> str:
    """A text of ``mode`` that fills 45-95% of a version-``version`` symbol at ``ecc`` (so the version is real).
    The ECI header and encoders' segment choices cost a little room: the text is kept with some to spare."""
    length = max(1, int(_capacity(version, ecc, mode) * rng.uniform(0.45, 0.95)) - 2)
    return _text(rng, mode, length)


def _capacity(version: int, ecc: str, mode: str) -> int:
    """How many characters (numeric, alphanumeric) or bytes (byte, ECI) one segment of ``mode`` holds
    (ISO/IEC 18004: data codewords from python-qrcode's RS block table; mode, ECI and count headers)."""
    import qrcode
    import qrcode.base

    level = {"L": qrcode.ERROR_CORRECT_L, "M": qrcode.ERROR_CORRECT_M, "Q": qrcode.ERROR_CORRECT_Q,
             "H": qrcode.ERROR_CORRECT_H}[ecc]
    bits = 8 * sum(block.data_count for block in qrcode.base.rs_blocks(version, level)) - 4
    if mode == "eci":
        bits -= 12  # ECI mode indicator and an 8-bit designator, before the byte segment's own header
    count_bits = {"numeric": (10, 12), "alphanumeric": (9, 11)}.get(mode, (8, 16))[version >= 10]
    bits -= count_bits
    if mode == "numeric":
        return 3 * (bits // 10) + (2 if bits % 10 >= 7 else 1 if bits % 10 >= 4 else 0)
    if mode == "alphanumeric":
        return 2 * (bits // 11) + (1 if bits % 11 >= 6 else 0)
    return bits // 8


def encode(encoder: str, text: str, version: int, ecc: str, mask: int | None, mode: str) -> np.ndarray:
    """The module matrix (True: dark, no quiet zone) of ``text`` made by ``encoder``."""
    if encoder == "segno":
        import segno

        qr = segno.make_qr(text, version=version, error=ecc.lower(), mask=mask,
                           mode=None if mode in ("byte", "eci") else mode,
                           encoding="utf-8" if mode in ("byte", "eci") else None, eci=mode == "eci",
                           boost_error=False)
        matrix = np.array(qr.matrix, bool)
    elif encoder == "qrcode":
        import qrcode
        import qrcode.util

        levels = {"L": qrcode.ERROR_CORRECT_L, "M": qrcode.ERROR_CORRECT_M, "Q": qrcode.ERROR_CORRECT_Q,
                  "H": qrcode.ERROR_CORRECT_H}
        modes = {"byte": qrcode.util.MODE_8BIT_BYTE, "alphanumeric": qrcode.util.MODE_ALPHA_NUM,
                 "numeric": qrcode.util.MODE_NUMBER}
        qr = qrcode.QRCode(version=version, error_correction=levels[ecc], border=0, mask_pattern=mask)
        data = text.encode("utf-8") if mode == "byte" else text
        qr.add_data(qrcode.util.QRData(data, mode=modes[mode]))
        qr.make(fit=False)
        matrix = np.array(qr.get_matrix(), bool)
    elif encoder == "zxing":
        import zxingcpp

        opts = f"ecLevel={ecc}, version={version}" + ("" if mask is None else f", dataMask={mask}")
        # byte mode: UTF-8 bytes handed over as binary data (zxing-cpp writes them without a charset)
        content: str | bytes = text.encode("utf-8") if mode == "byte" else text
        barcode = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode, options=opts)
        matrix = np.asarray(barcode.to_image(scale=1, add_quiet_zones=False)) < 128
    elif encoder == "opencv":
        params = cv2.QRCodeEncoder_Params()
        params.version = version
        params.correction_level = {"L": cv2.QRCODE_ENCODER_CORRECT_LEVEL_L, "M": cv2.QRCODE_ENCODER_CORRECT_LEVEL_M,
                                   "Q": cv2.QRCODE_ENCODER_CORRECT_LEVEL_Q,
                                   "H": cv2.QRCODE_ENCODER_CORRECT_LEVEL_H}[ecc]
        params.mode = {"byte": cv2.QRCODE_ENCODER_MODE_BYTE, "alphanumeric": cv2.QRCODE_ENCODER_MODE_ALPHANUMERIC,
                       "numeric": cv2.QRCODE_ENCODER_MODE_NUMERIC, "eci": cv2.QRCODE_ENCODER_MODE_ECI}[mode]
        img = cv2.QRCodeEncoder.create(params).encode(text)
        dark = img < 128
        ys, xs = np.nonzero(dark)
        matrix = dark[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1]
    else:
        raise ValueError(f"unknown encoder {encoder!r}")
    size = 17 + 4 * version
    if matrix.shape != (size, size):
        raise ValueError(f"{encoder} made a {matrix.shape} symbol for version {version}")
    return matrix


def render(matrix: np.ndarray, *, quiet: int, px: float, rotation: float, mirrored: bool,
           rng: np.random.Generator) -> np.ndarray:
    """The symbol with ``quiet`` white modules around it on a plain grey surface, sampled at ``px`` px/module."""
    m = np.fliplr(matrix) if mirrored else matrix
    m = np.rot90(m, int(rotation // 90) % 4)
    angle = rotation % 90
    ink, paper = int(rng.integers(0, 40)), int(rng.integers(220, 256))
    surface = int(rng.integers(110, 190))
    code = np.pad(np.where(m, ink, paper).astype(np.uint8), quiet, constant_values=paper)
    img = cv2.resize(code, None, fx=_HI_RES, fy=_HI_RES, interpolation=cv2.INTER_NEAREST)
    margin = (code.shape[0] // 2 + 6) * _HI_RES  # room for a free rotation and the surface around it
    img = cv2.copyMakeBorder(img, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=surface)
    h, w = img.shape
    shift = rng.uniform(0, _HI_RES, 2)  # sub-pixel phase of the sampling grid
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot[:, 2] += shift
    img = cv2.warpAffine(img, rot, (w, h), flags=cv2.INTER_LINEAR, borderValue=surface)
    scale = px / _HI_RES
    return cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def _cycle(values: Sequence, rng: np.random.Generator) -> Iterator:
    while True:
        yield from (values[i] for i in rng.permutation(len(values)))


def corpus(n: int, *, seed: int = 10, px: Sequence[float] = (1.5, 2.0, 2.5, 3.0, 4.0, 6.0),
           versions: Sequence[int] = tuple(range(1, 21)), encoders: Sequence[str] = ENCODERS,
           rotations: Sequence[float] = (0, 90, 180, 270, 0, 8, 30, 45, 180 + 17)) -> list[CleanCode]:
    """``n`` clean codes; every factor is a shuffled cycle over its values (seeded)."""
    rng = np.random.default_rng(seed)
    factors: tuple[tuple[str, Sequence], ...] = (
        ("encoder", tuple(encoders)), ("version", tuple(versions)), ("ecc", tuple(ECC_LEVELS)),
        ("mask", tuple(range(8))), ("quiet", (1, 2, 3, 4)), ("px", tuple(px)), ("rotation", tuple(rotations)),
        ("mirrored", (False, False, False, True)), ("mode", (0, 1, 2, 3)))
    cyc = {k: _cycle(v, np.random.default_rng(seed + i)) for i, (k, v) in enumerate(factors)}
    out: list[CleanCode] = []
    for _ in range(n):
        encoder, version, ecc = next(cyc["encoder"]), next(cyc["version"]), next(cyc["ecc"])
        mask = next(cyc["mask"]) if encoder in _MASKABLE else None
        modes = MODES[encoder]
        mode = modes[next(cyc["mode"]) % len(modes)]
        text = fitting_text(rng, version, ecc, mode)
        matrix = encode(encoder, text, version, ecc, mask, mode)
        quiet, px_, rotation, mirrored = next(cyc["quiet"]), next(cyc["px"]), next(cyc["rotation"]), next(
            cyc["mirrored"])
        image = render(matrix, quiet=quiet, px=px_, rotation=rotation, mirrored=mirrored, rng=rng)
        out.append(CleanCode(encoder, text, version, ecc, mask, mode, quiet, px_, rotation, mirrored, image))
    return out
