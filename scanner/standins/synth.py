"""Synthetic webcam frames of a made-up chip citizen ID card (CCCD) for tests, benchmarks and a demo camera.

The card is drawn once per payload (85.6 x 54 mm proportions, light background, header, photo box, text
blocks, and the ~13 mm QR code in the top-right corner as on the real card) and cached at a few
resolutions. Each frame then only costs a perspective warp of the cached card onto a cached desk
background plus the degradations of :class:`FrameConditions` (defocus, motion blur, noise, JPEG, low light,
glare), which keeps a 1280x720 frame around 10 ms.

Text on the card is decoration, printed in Vietnamese with its diacritics (Pillow with a system TrueType
font: DejaVu Sans, Noto Sans, Arial or Segoe UI; without one, OpenCV's ASCII Hershey font); the QR code carries
the exact UTF-8 payload (EC level M, no ECI header, like the real cards).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

CARD_MM = (85.6, 54.0)
QR_MM = 13.0
_MASTER_WIDTH = 2000
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_FONT_BOLD = cv2.FONT_HERSHEY_DUPLEX

SAMPLE_PAYLOAD = (
    "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh|20042021"
)

#: Non-ID QR codes people may hold up to the kiosk camera by mistake.
OTHER_QR_TEXTS: tuple[str, ...] = (
    "https://benhvien.example.vn/dat-lich?ma=QX7F2",
    "WIFI:S:PhongKham-Guest;T:WPA;P:matkhau2024;;",
    "00020101021238570010A000000727012700069704220113VQRQ00012345670208QRIBFTTA53037045802VN62150811Thanh toan"
    "6304A1B2",
    "Số thứ tự: 027 - Phòng khám Nội",
)

_PROVINCES = ("001", "024", "027", "031", "033", "048", "079", "092", "096")
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Thanh", "Xuân")
_GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Sơn", "Thảo", "Tú", "Yến", "Ân")
_PLACES = (
    "Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh",
    "Số 12 Ngõ 34 Phố Huế, Phường Phố Huế, Quận Hai Bà Trưng, Hà Nội",
    "Khu phố 3, Phường Tân Phú, Quận 7, Thành phố Hồ Chí Minh",
    "Xóm Mới, Xã Đại Đồng, Huyện Tiên Du, Bắc Ninh",
    "",
)


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics (for Hershey-font decoration only)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c) and ord(c) < 128)


def random_payload(rng: np.random.Generator) -> str:
    """A made-up CCCD QR payload of the real shape whose 12-digit number agrees with the birth date and sex."""
    province = str(rng.choice(_PROVINCES))
    year = int(rng.integers(1940, 2010))
    month = int(rng.integers(1, 13))
    day = int(rng.integers(1, 29))
    female = bool(rng.integers(0, 2))
    century_digit = (year // 100 - 19) * 2 + int(female)
    number = f"{province}{century_digit}{year % 100:02d}{int(rng.integers(0, 1_000_000)):06d}"
    old = "" if rng.random() < 0.3 else f"{int(rng.integers(0, 1_000_000_000)):09d}"
    middle = "Thị" if female and rng.random() < 0.6 else str(rng.choice(_MIDDLE))
    name = f"{rng.choice(_SURNAMES)} {middle} {rng.choice(_GIVEN)}"
    if rng.random() < 0.2:
        name = name.upper()
    sex = "Nữ" if female else "Nam"
    issue = f"{int(rng.integers(1, 29)):02d}{int(rng.integers(1, 13)):02d}{int(rng.integers(2021, 2025))}"
    address = str(rng.choice(_PLACES))
    return f"{number}|{old}|{name}|{day:02d}{month:02d}{year}|{sex}|{address}|{issue}"


# --------------------------------------------------------------------------------------------- card rendering


def qr_modules(text: str, ec_level: str = "M") -> np.ndarray:
    """The QR symbol of ``text`` as a bool module matrix (True = dark), without quiet zone.

    Encoded like the real cards: the UTF-8 bytes in byte mode, no ECI header (OpenCV's encoder; zxing-cpp's
    would store text that fits ISO-8859-1 as Latin-1).
    """
    if not isinstance(text, str) or not text:
        raise ValueError("QR payload must be a non-empty string")
    levels = {"L": cv2.QRCODE_ENCODER_CORRECT_LEVEL_L, "M": cv2.QRCODE_ENCODER_CORRECT_LEVEL_M,
              "Q": cv2.QRCODE_ENCODER_CORRECT_LEVEL_Q, "H": cv2.QRCODE_ENCODER_CORRECT_LEVEL_H}
    if ec_level not in levels:
        raise ValueError(f"ec_level must be one of L, M, Q, H, got {ec_level!r}")
    params = cv2.QRCodeEncoder_Params()
    params.correction_level = levels[ec_level]
    params.mode = cv2.QRCODE_ENCODER_MODE_BYTE
    img = cv2.QRCodeEncoder.create(params).encode(text)
    if img is None or img.size == 0:
        raise ValueError(f"payload too long for a QR code ({len(text.encode('utf-8'))} bytes)")
    dark = img < 128
    ys, xs = np.nonzero(dark)
    return dark[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].copy()


def _draw_qr(canvas: np.ndarray, modules: np.ndarray, x: int, y: int, size: int, ink: tuple[int, int, int]) -> None:
    n = modules.shape[0]
    k = max(1, math.ceil(size * 2 / n))
    big = np.kron(modules.astype(np.float32), np.ones((k, k), np.float32))
    cov = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)[..., None]
    roi = canvas[y : y + size, x : x + size].astype(np.float32)
    roi = roi * (1.0 - cov) + np.array(ink, np.float32) * cov
    canvas[y : y + size, x : x + size] = np.clip(roi, 0, 255).astype(np.uint8)


# TrueType fonts with Vietnamese letters, regular and bold, where the usual systems keep them.
_TTF_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("C:/Windows/Fonts/segoeui.ttf", "C:/Windows/Fonts/segoeuib.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
)
_HERSHEY_CAP_PX = 22.0  # cap height of a Hershey font at scale 1; a TrueType em is about 1.4 cap heights


@functools.lru_cache(maxsize=64)
def _truetype(bold: bool, size_px: int):  # type: ignore[no-untyped-def]
    """A Pillow font with Vietnamese letters, or None (no Pillow, no such font installed)."""
    try:
        from PIL import ImageFont
    except ImportError:
        return None
    for regular, heavy in _TTF_CANDIDATES:
        path = heavy if bold else regular
        if Path(path).is_file():
            try:
                return ImageFont.truetype(path, size_px)
            except OSError:
                continue
    return None


def has_vietnamese_font() -> bool:
    return _truetype(False, 20) is not None


def _text(img: np.ndarray, text: str, org: tuple[int, int], scale: float, color: tuple[int, int, int],
          thick: int, font: int = _FONT) -> int:
    """Print ``text`` with its baseline starting at ``org`` (OpenCV's convention); returns its width in pixels."""
    size = max(6, round(scale * _HERSHEY_CAP_PX * 1.4))
    ttf = _truetype(font == _FONT_BOLD, size)
    if ttf is None:
        folded = ascii_fold(text)
        cv2.putText(img, folded, org, font, scale, color, thick, cv2.LINE_AA)
        return cv2.getTextSize(folded, font, scale, thick)[0][0]
    from PIL import Image, ImageDraw

    width = round(ttf.getlength(text))
    ascent, descent = ttf.getmetrics()
    x0, y0 = max(0, org[0]), max(0, org[1] - ascent - size // 3)
    x1, y1 = min(img.shape[1], org[0] + width + 2), min(img.shape[0], org[1] + descent + 2)
    if x1 <= x0 or y1 <= y0:
        return width
    patch = Image.fromarray(np.ascontiguousarray(img[y0:y1, x0:x1]))  # channels stay BGR: so does the colour
    ImageDraw.Draw(patch).text((org[0] - x0, org[1] - y0), text, font=ttf, fill=tuple(int(c) for c in color),
                               anchor="ls")
    img[y0:y1, x0:x1] = np.asarray(patch)
    return width


def _render_card_master(payload: str, width_px: int) -> np.ndarray:
    w = width_px
    h = round(w * CARD_MM[1] / CARD_MM[0])
    mm = w / CARD_MM[0]
    fields = payload.split("|")
    fields += [""] * (7 - len(fields))
    number, _old, name, dob, sex, address, issued = fields[:7]

    # light blue-green background with soft gradient and guilloche lines
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.empty((h, w, 3), np.float32)
    base[..., 0] = 236 - 14 * xx / w
    base[..., 1] = 238 - 8 * yy / h
    base[..., 2] = 226 + 10 * xx / w
    wave = 5.0 * np.sin(xx / (3.1 * mm) + 2.0 * np.sin(yy / (5.3 * mm))) * np.cos(yy / (7.7 * mm))
    base += wave[..., None] * np.array([0.6, 0.3, 0.9], np.float32)
    card = np.clip(base, 0, 255).astype(np.uint8)
    thin = max(1, round(0.12 * mm))
    # emblem (red disc with yellow star) top-left
    cx, cy, r = round(9 * mm), round(9 * mm), round(6 * mm)
    cv2.circle(card, (cx, cy), r, (40, 40, 200), -1, cv2.LINE_AA)
    cv2.circle(card, (cx, cy), r, (20, 140, 200), thin, cv2.LINE_AA)
    star = np.array([[cx + 0.6 * r * math.sin(a * math.pi / 5) * (1 if a % 2 == 0 else 0.4),
                      cy - 0.6 * r * math.cos(a * math.pi / 5) * (1 if a % 2 == 0 else 0.4)] for a in range(10)])
    cv2.fillPoly(card, [star.round().astype(np.int32)], (40, 210, 240), cv2.LINE_AA)
    # header
    navy = (90, 40, 20)
    red = (40, 30, 190)
    s = 0.055 * mm
    _text(card, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", (round(18 * mm), round(6.5 * mm)), s * 1.05, navy,
          max(1, round(0.25 * mm)), _FONT_BOLD)
    _text(card, "Độc lập - Tự do - Hạnh phúc", (round(27 * mm), round(10 * mm)), s * 0.95, navy,
          max(1, round(0.2 * mm)))
    _text(card, "CĂN CƯỚC CÔNG DÂN", (round(25 * mm), round(15.5 * mm)), s * 1.7, red, max(1, round(0.4 * mm)),
          _FONT_BOLD)
    _text(card, "Citizen Identity Card", (round(32 * mm), round(18.8 * mm)), s * 0.8, red, max(1, round(0.15 * mm)))
    # photo placeholder
    px0, py0, px1, py1 = round(4 * mm), round(20 * mm), round(24 * mm), round(46 * mm)
    cv2.rectangle(card, (px0, py0), (px1, py1), (205, 200, 195), -1)
    cv2.circle(card, ((px0 + px1) // 2, py0 + round(9 * mm)), round(5.2 * mm), (150, 150, 160), -1, cv2.LINE_AA)
    cv2.ellipse(card, ((px0 + px1) // 2, py1), (round(8.5 * mm), round(9 * mm)), 0, 180, 360, (150, 150, 160), -1,
                cv2.LINE_AA)
    cv2.rectangle(card, (px0, py0), (px1, py1), (120, 110, 100), thin)
    _text(card, "Có giá trị đến: 15/08/2036", (round(3.5 * mm), round(50.5 * mm)), s * 0.7, (40, 40, 40),
          max(1, round(0.12 * mm)))
    # text blocks
    ink = (30, 30, 30)
    x0 = round(27 * mm)
    lines = [
        ("Số / No.:", number, 23.5, 1.25),
        ("Họ và tên / Full name:", "", 27.0, 0.8),
        ("", name.upper(), 30.5, 1.1),
        ("Ngày sinh / Date of birth:", f"{dob[:2]}/{dob[2:4]}/{dob[4:]}" if len(dob) == 8 else dob, 34.0, 0.85),
        ("Giới tính / Sex:", sex, 37.0, 0.85),
        ("Quốc tịch / Nationality: Việt Nam", "", 40.0, 0.8),
        ("Nơi thường trú / Place of residence:", "", 43.5, 0.8),
        ("", address[:48], 47.0, 0.8),
        ("", address[48:96] or f"Ngày cấp: {issued[:2]}/{issued[2:4]}/{issued[4:]}", 50.5, 0.8),
    ]
    for label, value, y_mm, scale in lines:
        org_y = round(y_mm * mm)
        x = x0
        if label:
            x += _text(card, label, (x, org_y), s * 0.75, (70, 70, 70), max(1, round(0.12 * mm))) + round(1.2 * mm)
        if value:
            _text(card, value, (x, org_y), s * scale, ink, max(1, round(0.22 * mm * scale)), _FONT_BOLD)
    # QR code: ~13 mm, top-right, on a white patch (quiet zone)
    modules = qr_modules(payload)
    n = modules.shape[0]
    qr = round(QR_MM * mm)
    quiet = math.ceil(2.5 * qr / n)
    qx = w - round(2.5 * mm) - qr
    qy = round(2.5 * mm)
    cv2.rectangle(card, (qx - quiet, qy - quiet), (qx + qr + quiet, qy + qr + quiet), (246, 248, 247), -1)
    _draw_qr(card, modules, qx, qy, qr, (28, 26, 30))
    # rounded corners (outside = black, later masked away when composed)
    return card


def _card_qr_box(width_px: int) -> tuple[int, int, int]:
    mm = width_px / CARD_MM[0]
    qr = round(QR_MM * mm)
    return width_px - round(2.5 * mm) - qr, round(2.5 * mm), qr


@functools.lru_cache(maxsize=16)
def _card_pyramid(payload: str) -> tuple[np.ndarray, ...]:
    """The card at 2000, 1000, 500 and 250 px width (read-only), rendered once per payload."""
    return _halvings(_render_card_master(payload, _MASTER_WIDTH))


def _halvings(image: np.ndarray) -> tuple[np.ndarray, ...]:
    """``image`` and its successive halvings down to about 300 px wide, all read-only."""
    levels = [image]
    while levels[-1].shape[1] > 300:
        prev = levels[-1]
        levels.append(cv2.resize(prev, (prev.shape[1] // 2, prev.shape[0] // 2), interpolation=cv2.INTER_AREA))
    for level in levels:
        level.setflags(write=False)
    return tuple(levels)


@functools.lru_cache(maxsize=16)
def _qr_sheet_pyramid(text: str) -> tuple[np.ndarray, ...]:
    """A printed QR code on white paper (a non-ID code), same layout proportions as a card."""
    w = 1200
    h = round(w * CARD_MM[1] / CARD_MM[0])
    sheet = np.full((h, w, 3), 250, np.uint8)
    modules = qr_modules(text)
    size = round(h * 0.8)
    x, y = round(w * 0.06), round(h * 0.1)
    _draw_qr(sheet, modules, x, y, size, (20, 20, 20))
    tx = x + size + round(w * 0.04)
    for i, line in enumerate(("Quet ma", "Scan me", ascii_fold(text)[:14])):
        cv2.putText(sheet, line, (tx, round(h * (0.3 + 0.15 * i))), _FONT, 1.3, (60, 60, 60), 2, cv2.LINE_AA)
    return _halvings(sheet)


def render_card(payload: str, *, width_px: int = 1200) -> np.ndarray:
    """The card carrying ``payload`` in its QR code, as a BGR image ``width_px`` wide (a fresh copy)."""
    if not isinstance(payload, str) or not payload:
        raise ValueError("payload must be a non-empty string")
    if not 200 <= width_px <= 4000:
        raise ValueError(f"width_px must be 200..4000, got {width_px}")
    if width_px == _MASTER_WIDTH:
        return _card_pyramid(payload)[0].copy()
    if width_px > _MASTER_WIDTH:
        return _render_card_master(payload, width_px)
    master = _card_pyramid(payload)[0]
    h = round(width_px * CARD_MM[1] / CARD_MM[0])
    return cv2.resize(master, (width_px, h), interpolation=cv2.INTER_AREA)


def card_qr_corners(width_px: int = 1200) -> np.ndarray:
    """The QR symbol's corners (TL, TR, BR, BL) in a card rendered ``width_px`` wide."""
    x, y, s = _card_qr_box(_MASTER_WIDTH)
    f = width_px / _MASTER_WIDTH
    return np.array([[x, y], [x + s, y], [x + s, y + s], [x, y + s]], np.float32) * f


def write_sample_card(path: Path | str | None = None, payload: str = SAMPLE_PAYLOAD) -> Path:
    """(Re)generate ``assets/demo/sample_card.png`` (or ``path``) from the domain example payload."""
    if path is None:
        from scanner.assets import assets_dir

        path = assets_dir() / "demo" / "sample_card.png"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), render_card(payload, width_px=1200)):
        raise OSError(f"could not write {path}")
    return path


# --------------------------------------------------------------------------------------------- frame conditions

Glare = tuple[float, float, float, float]  # x, y (frame fractions), radius (fraction of frame width), strength 0..1


@dataclass(frozen=True)
class FrameConditions:
    """How the card appears in one webcam frame. Positions are fractions of the frame size."""

    frame_size: tuple[int, int] = (1280, 720)
    card_width_frac: float = 0.6
    center: tuple[float, float] = (0.5, 0.5)
    rotation_deg: float = 0.0
    tilt: tuple[float, float] = (0.0, 0.0)  # perspective: rotation about the x and y axes, degrees
    defocus_sigma: float = 0.0
    motion_blur_px: float = 0.0
    motion_angle: float = 0.0
    noise_sigma: float = 0.0
    jpeg_quality: int | None = None
    brightness: float = 1.0  # < 1: low light
    glare: tuple[Glare, ...] = field(default_factory=tuple)
    seed: int = 0  # noise pattern

    def __post_init__(self) -> None:
        w, h = self.frame_size
        if not (160 <= w <= 4096 and 120 <= h <= 4096):
            raise ValueError(f"frame_size out of range: {self.frame_size}")
        if not 0.05 <= self.card_width_frac <= 1.5:
            raise ValueError(f"card_width_frac out of range: {self.card_width_frac}")
        if self.jpeg_quality is not None and not 1 <= self.jpeg_quality <= 100:
            raise ValueError(f"jpeg_quality must be 1..100, got {self.jpeg_quality}")
        if self.brightness <= 0 or self.defocus_sigma < 0 or self.motion_blur_px < 0 or self.noise_sigma < 0:
            raise ValueError("brightness must be > 0 and blur/noise values >= 0")
        if abs(self.tilt[0]) >= 80 or abs(self.tilt[1]) >= 80:
            raise ValueError(f"tilt must be within +-80 degrees, got {self.tilt}")
        object.__setattr__(self, "glare", tuple(tuple(float(v) for v in g) for g in self.glare))

    @classmethod
    def random(cls, rng: np.random.Generator, difficulty: str = "mixed") -> FrameConditions:
        """Random conditions: ``easy`` (close, sharp, well lit), ``hard`` (small, blurred, dark, glare) or ``mixed``."""
        if difficulty not in ("easy", "mixed", "hard"):
            raise ValueError(f"difficulty must be easy, mixed or hard, got {difficulty!r}")
        sizes = [(640, 480), (1280, 720), (1920, 1080)]
        if difficulty == "mixed":
            frame_size = sizes[int(rng.choice(3, p=[0.25, 0.5, 0.25]))]
        else:
            frame_size = sizes[int(rng.integers(0, 3))]
        hard = difficulty == "hard" or (difficulty == "mixed" and rng.random() < 0.5)
        u = rng.random
        if not hard:
            frac = float(rng.uniform(0.55, 0.95))
            return qr_in_frame(cls(
                frame_size=frame_size,
                card_width_frac=frac,
                center=(0.5 + float(rng.uniform(-0.1, 0.1)), 0.5 + float(rng.uniform(-0.1, 0.1))),
                rotation_deg=float(rng.normal(0, 6)),
                tilt=(float(rng.uniform(-12, 12)), float(rng.uniform(-12, 12))),
                defocus_sigma=float(rng.uniform(0, 0.8)),
                motion_blur_px=float(rng.uniform(0, 2)) if u() < 0.3 else 0.0,
                motion_angle=float(rng.uniform(0, 180)),
                noise_sigma=float(rng.uniform(0, 4)),
                jpeg_quality=int(rng.integers(75, 96)) if u() < 0.5 else None,
                brightness=float(rng.uniform(0.85, 1.1)),
                glare=(),
                seed=int(rng.integers(0, 2**31)),
            ))
        frac = float(rng.uniform(0.3, 0.95))
        half = frac / 2 * 0.9
        glare: tuple[Glare, ...] = ()
        if u() < 0.35:
            glare = ((float(0.5 + rng.uniform(-half, half)), float(rng.uniform(0.3, 0.7)),
                      float(rng.uniform(0.02, 0.08)), float(rng.uniform(0.3, 0.9))),)
        return qr_in_frame(cls(
            frame_size=frame_size,
            card_width_frac=frac,
            center=(0.5 + float(rng.uniform(-0.5, 0.5)) * (1 - frac) * 0.8,
                    0.5 + float(rng.uniform(-0.15, 0.15))),
            rotation_deg=float(rng.uniform(-30, 30)) if u() < 0.5 else float(rng.normal(0, 8)),
            tilt=(float(rng.uniform(-30, 30)), float(rng.uniform(-30, 30))),
            defocus_sigma=float(rng.uniform(0.5, 1.5)) if u() < 0.6 else float(rng.uniform(0, 0.6)),
            motion_blur_px=float(rng.uniform(1.5, 4.5)) if u() < 0.3 else 0.0,
            motion_angle=float(rng.uniform(0, 180)),
            noise_sigma=float(rng.uniform(2, 10)),
            jpeg_quality=int(rng.integers(40, 85)) if u() < 0.6 else None,
            brightness=float(rng.uniform(0.3, 0.7)) if u() < 0.35 else float(rng.uniform(0.75, 1.15)),
            glare=glare,
            seed=int(rng.integers(0, 2**31)),
        ))


def qr_in_frame(cond: FrameConditions, margin: float = 0.02) -> FrameConditions:
    """``cond`` with the card shifted (if needed) so that its QR code lies wholly inside the frame."""
    fw, fh = cond.frame_size
    quad = card_qr_quad(cond)
    lo = np.array([margin * fw, margin * fh])
    hi = np.array([(1 - margin) * fw, (1 - margin) * fh])
    shift = np.maximum(lo - quad.min(axis=0), 0) - np.maximum(quad.max(axis=0) - hi, 0)
    if not np.any(shift):
        return cond
    return replace(cond, center=(cond.center[0] + float(shift[0]) / fw, cond.center[1] + float(shift[1]) / fh))


# --------------------------------------------------------------------------------------------- composition


@functools.lru_cache(maxsize=8)
def _background(seed: int, size: tuple[int, int]) -> np.ndarray:
    """A desk-like background (wood, papers, a keyboard, pens), read-only."""
    w, h = size
    rng = np.random.default_rng(seed)
    tone = np.array([rng.uniform(60, 140), rng.uniform(80, 150), rng.uniform(100, 180)], np.float32)
    small = rng.normal(0, 1, (max(2, h // 40), max(2, w // 40))).astype(np.float32)
    smooth = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grain = np.sin(yy / rng.uniform(4, 12) + 3 * smooth) * 8
    light = 1.0 - 0.35 * ((xx / w - rng.uniform(0.3, 0.7)) ** 2 + (yy / h - 0.4) ** 2)
    bg = (tone[None, None, :] + (smooth * 10 + grain)[..., None]) * light[..., None]
    img = np.clip(bg, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(2, 5))):  # papers with printed lines
        pw, ph = int(rng.uniform(0.15, 0.35) * w), int(rng.uniform(0.2, 0.5) * h)
        x, y = int(rng.uniform(-0.1, 0.9) * w), int(rng.uniform(-0.1, 0.9) * h)
        box = cv2.boxPoints(((x, y), (pw, ph), float(rng.uniform(-30, 30)))).astype(np.int32)
        cv2.fillPoly(img, [box], tuple(int(v) for v in rng.uniform(200, 240, 3)), cv2.LINE_AA)
        for i in range(6):
            _text(img, "Phiếu khám bệnh  số " + str(int(rng.integers(100, 999))),
                  (x - pw // 3, y - ph // 3 + i * max(12, ph // 9)), 0.0004 * w, (70, 70, 70), 1)
    kx, ky = int(rng.uniform(0, 0.6) * w), int(rng.uniform(0.7, 0.95) * h)  # keyboard keys
    key = max(8, w // 60)
    for r in range(4):
        for c in range(14):
            x0, y0 = kx + c * (key + 3), ky + r * (key + 3)
            cv2.rectangle(img, (x0, y0), (x0 + key, y0 + key), (35, 35, 38), -1)
            cv2.rectangle(img, (x0, y0), (x0 + key, y0 + key), (90, 90, 95), 1)
    for _ in range(2):  # pens
        p0 = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        ang = rng.uniform(0, math.pi)
        p1 = (int(p0[0] + 0.2 * w * math.cos(ang)), int(p0[1] + 0.2 * w * math.sin(ang)))
        cv2.line(img, p0, p1, tuple(int(v) for v in rng.uniform(0, 200, 3)), max(3, w // 200), cv2.LINE_AA)
    img.setflags(write=False)
    return img


def _card_quad(cond: FrameConditions, aspect: float) -> np.ndarray:
    """Destination corners (TL, TR, BR, BL) of the card in the frame: a 3D-rotated rectangle, pinhole-projected."""
    fw, fh = cond.frame_size
    f = 1.1 * fw  # ~50 degree horizontal field of view
    half_w, half_h = 0.5, 0.5 * aspect
    pts = np.array([[-half_w, -half_h, 0], [half_w, -half_h, 0], [half_w, half_h, 0], [-half_w, half_h, 0]], float)
    ax, ay, az = (math.radians(v) for v in (*cond.tilt, cond.rotation_deg))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    world = pts @ (rz @ ry @ rx).T
    z0 = f / (cond.card_width_frac * fw)  # card 1 unit wide at distance z0 spans card_width_frac of the frame
    proj = f * world[:, :2] / (z0 + world[:, 2:3])
    center = np.array([cond.center[0] * fw, cond.center[1] * fh])
    return (proj + center).astype(np.float32)


def _motion_kernel(length: float, angle_deg: float) -> np.ndarray:
    n = max(3, math.ceil(length) | 1)
    k = np.zeros((n, n), np.float32)
    c = n // 2
    dx, dy = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    half = length / 2
    for t in np.linspace(-half, half, max(2, int(length * 3))):
        k[round(float(c + t * dy)), round(float(c + t * dx))] += 1
    return k / k.sum()


def _compose(levels: tuple[np.ndarray, ...] | None, cond: FrameConditions, background_seed: int) -> np.ndarray:
    fw, fh = cond.frame_size
    frame = _background(background_seed, (fw, fh)).copy()
    roi = (0, 0, fw, fh)
    if levels is not None:
        card_h_over_w = levels[0].shape[0] / levels[0].shape[1]
        quad = _card_quad(cond, card_h_over_w)
        target_w = float(np.linalg.norm(quad[1] - quad[0]))
        src = levels[0]
        for level in levels:  # the smallest cached card still at least as wide as its image in the frame
            if level.shape[1] >= target_w:
                src = level
        sh, sw = src.shape[:2]
        src_quad = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
        x0, y0 = np.floor(quad.min(axis=0)).astype(int) - 2
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int) + 2
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(fw, x1), min(fh, y1)
        if x1 > x0 and y1 > y0:
            h_mat = cv2.getPerspectiveTransform(src_quad, quad - np.array([x0, y0], np.float32))
            patch = frame[y0:y1, x0:x1]
            cv2.warpPerspective(src, h_mat, (x1 - x0, y1 - y0), dst=patch, flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_TRANSPARENT)
            margin = int(3 * cond.defocus_sigma + cond.motion_blur_px + 4)
            roi = (max(0, x0 - margin), max(0, y0 - margin), min(fw, x1 + margin), min(fh, y1 + margin))
    rx0, ry0, rx1, ry1 = roi
    region = frame[ry0:ry1, rx0:rx1]
    if cond.defocus_sigma > 0.05:
        cv2.GaussianBlur(region, (0, 0), cond.defocus_sigma, dst=region)
    if cond.motion_blur_px >= 1.0:
        cv2.filter2D(region, -1, _motion_kernel(cond.motion_blur_px, cond.motion_angle), dst=region)
    if cond.glare:
        for gx, gy, gr, gs in cond.glare:
            cx, cy, r = gx * fw, gy * fh, max(2.0, gr * fw)
            bx0, by0 = max(0, int(cx - 3 * r)), max(0, int(cy - 3 * r))
            bx1, by1 = min(fw, int(cx + 3 * r)), min(fh, int(cy + 3 * r))
            if bx1 <= bx0 or by1 <= by0:
                continue
            yy, xx = np.ogrid[by0:by1, bx0:bx1]
            blob = (gs * 400.0) * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)).astype(np.float32)
            patch = frame[by0:by1, bx0:bx1]
            patch[:] = np.clip(patch.astype(np.float32) + blob[..., None], 0, 255).astype(np.uint8)
    if abs(cond.brightness - 1.0) > 1e-3:
        gamma = 1.0 + max(0.0, 1.0 - cond.brightness) * 0.5
        lut = np.clip(255.0 * cond.brightness * (np.arange(256) / 255.0) ** gamma, 0, 255).astype(np.uint8)
        cv2.LUT(frame, lut, dst=frame)
    if cond.noise_sigma > 0:
        noise = np.empty((fh, fw, 3), np.int16)
        cv2.setRNGSeed(cond.seed & 0x7FFFFFFF)
        cv2.randn(noise, 0, cond.noise_sigma)
        frame = cv2.add(frame, noise, dtype=cv2.CV_8U)
    if cond.jpeg_quality is not None:
        ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, int(cond.jpeg_quality)])
        if ok:
            frame = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return frame


def synth_frame(payload: str | None, cond: FrameConditions, *, background_seed: int = 0) -> np.ndarray:
    """A BGR webcam frame showing the card that carries ``payload`` (``None``: the empty desk only)."""
    if payload is not None and (not isinstance(payload, str) or not payload):
        raise ValueError("payload must be a non-empty string or None")
    levels = _card_pyramid(payload) if payload is not None else None
    return _compose(levels, cond, background_seed)


def other_qr_frame(text: str, cond: FrameConditions, *, background_seed: int = 0) -> np.ndarray:
    """A frame showing a printed non-ID QR code (URL, Wi-Fi, payment ...) where the card would be."""
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty string")
    return _compose(_qr_sheet_pyramid(text), cond, background_seed)


def card_qr_quad(cond: FrameConditions) -> np.ndarray:
    """Where the card's QR symbol lands in a frame made with ``cond`` (TL, TR, BR, BL corners)."""
    aspect = CARD_MM[1] / CARD_MM[0]
    quad = _card_quad(cond, aspect)
    src = np.array([[0, 0], [1, 0], [1, aspect], [0, aspect]], np.float32)
    h_mat = cv2.getPerspectiveTransform(src, quad)
    corners = card_qr_corners(_MASTER_WIDTH) / _MASTER_WIDTH
    return cv2.perspectiveTransform(corners[None], h_mat)[0]


@dataclass(frozen=True)
class Presentation:
    """Frames of a card being presented, and the index of the first frame where it has arrived (stopped
    sliding in; it still shakes, and focus may still be hunting)."""

    frames: list[np.ndarray]
    arrival: int


def presentation_clip(payload: str, rng: np.random.Generator, n_frames: int = 30,
                      frame_size: tuple[int, int] = (1280, 720), *, background_seed: int | None = None
                      ) -> list[np.ndarray]:
    """One second (30 fps) of a card being presented: it moves in, shakes a little, focus hunts, glare moves."""
    return presentation(payload, rng, n_frames, frame_size, background_seed=background_seed).frames


def presentation(payload: str, rng: np.random.Generator, n_frames: int = 30,
                 frame_size: tuple[int, int] = (1280, 720), *, background_seed: int | None = None) -> Presentation:
    """:func:`presentation_clip` with the frame where the card arrives."""
    if n_frames < 1:
        raise ValueError("n_frames must be >= 1")
    target = FrameConditions.random(rng, "mixed")
    target = qr_in_frame(replace(target, frame_size=frame_size))
    bg_seed = int(rng.integers(0, 1000)) if background_seed is None else background_seed
    enter = int(rng.integers(3, 9))  # frames until the card has arrived
    side = rng.choice([-1.0, 1.0])
    start = (target.center[0] + side * rng.uniform(0.4, 0.7), target.center[1] + rng.uniform(0.1, 0.4))
    focus_start = float(rng.uniform(1.5, 4.0))
    focus_frames = int(rng.integers(4, 15))
    glare_on = rng.random() < 0.4
    glare_path = (rng.uniform(0.25, 0.75, 2), rng.uniform(-0.01, 0.01, 2))
    shake = float(rng.uniform(0.001, 0.005))
    frames: list[np.ndarray] = []
    prev = np.array(start)
    for i in range(n_frames):
        t = min(1.0, i / enter)
        ease = 1 - (1 - t) ** 3
        pos = np.array(start) * (1 - ease) + np.array(target.center) * ease + rng.normal(0, shake, 2)
        speed_px = float(np.linalg.norm((pos - prev) * np.array(frame_size)))
        prev = pos
        if i < focus_frames:
            phase = i / focus_frames
            defocus = focus_start * (1 - phase) * (0.6 + 0.4 * abs(math.cos(3 * math.pi * phase)))
        else:  # autofocus settled (not perfectly: half the target's defocus stays)
            defocus = 0.5 * target.defocus_sigma
        glare: tuple[Glare, ...] = ()
        if glare_on:
            g = glare_path[0] + glare_path[1] * i
            glare = ((float(g[0]), float(g[1]), 0.05, 0.7),)
        cond = replace(
            target,
            center=(float(pos[0]), float(pos[1])),
            card_width_frac=target.card_width_frac * (0.8 + 0.2 * ease),
            rotation_deg=target.rotation_deg + float(rng.normal(0, 1.0)) + (1 - ease) * 15 * float(side),
            tilt=(target.tilt[0] + float(rng.normal(0, 1.5)), target.tilt[1] + float(rng.normal(0, 1.5))),
            defocus_sigma=defocus,
            motion_blur_px=min(25.0, speed_px * 0.4),
            motion_angle=float(np.degrees(np.arctan2(*(pos - np.array(start))[::-1]))) if i < enter else
            target.motion_angle,
            glare=glare,
            seed=int(rng.integers(0, 2**31)),
        )
        frames.append(synth_frame(payload, cond, background_seed=bg_seed))
    return Presentation(frames, min(enter, n_frames - 1))
