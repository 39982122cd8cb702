"""Every QR backend returns the exact Vietnamese text and never passes mojibake or non-UTF-8 reads on."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from pyzbar import pyzbar

from scanner.decoders import BACKENDS, DecoderUnavailable, as_gray, available_backends, create_decoder
from scanner.decoders.base import clean_text
from scanner.decoders.wechat_backend import WeChatDecoder
from scanner.standins import synth

AVAILABLE = available_backends()
# Short names that ZBar, guessing the charset of a UTF-8 code without ECI, turns into Shift-JIS mojibake.
ZBAR_TRAPS = ("Trần Văn Sơn", "Phạm Văn Đồng", "Đặng Thùy Trâm")
PAYLOADS = (synth.SAMPLE_PAYLOAD, "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021", *ZBAR_TRAPS)


def qr_image(text: str, module_px: int = 6) -> np.ndarray:
    modules = synth.qr_modules(text)
    img = np.pad(np.where(modules, 0, 255).astype(np.uint8), 4, constant_values=255)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def test_all_backends_are_available_here() -> None:
    assert set(AVAILABLE) == set(BACKENDS)


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown QR decoder backend 'nope'"):
        create_decoder("nope")


@pytest.mark.parametrize("backend", AVAILABLE)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_exact_vietnamese_text(backend: str, payload: str) -> None:
    decoder = create_decoder(backend)
    assert decoder.name == backend
    found = decoder.decode(qr_image(payload))
    assert [d.text for d in found] == [payload]
    assert found[0].backend == backend


def test_plain_pyzbar_garbles_the_trap_names_that_our_zbar_backend_reads_exactly() -> None:
    zbar = create_decoder("zbar")
    for name in ZBAR_TRAPS:
        img = qr_image(name)
        garbled = pyzbar.decode(img)[0].data.decode("utf-8", errors="replace")
        assert garbled != name  # the trap is real
        assert [d.text for d in zbar.decode(img)] == [name]


@pytest.mark.parametrize("backend", AVAILABLE)
def test_corners_are_reported_in_image_coordinates(backend: str) -> None:
    img = qr_image("027195001234|125678901|Lê Thị Hà|15081995|Nữ||20042021", module_px=5)
    canvas = np.full((500, 600), 255, np.uint8)
    canvas[100 : 100 + img.shape[0], 150 : 150 + img.shape[1]] = img
    (found,) = create_decoder(backend).decode(canvas)
    if found.points is not None:
        assert found.points.shape == (4, 2)
        x, y = found.points[:, 0], found.points[:, 1]
        assert x.min() >= 140 and x.max() <= 160 + img.shape[1]
        assert y.min() >= 90 and y.max() <= 110 + img.shape[0]


@pytest.mark.parametrize("backend", AVAILABLE)
def test_nothing_in_an_empty_image(backend: str) -> None:
    rng = np.random.default_rng(0)
    noise = cv2.GaussianBlur(rng.integers(0, 255, (240, 320), dtype=np.uint8), (0, 0), 3)
    assert create_decoder(backend).decode(noise) == []


def _latin1_code() -> np.ndarray:
    # A code whose bytes are Latin-1 (not UTF-8): zxing-cpp's encoder stores this text that way.
    import zxingcpp

    barcode = zxingcpp.create_barcode("Bùi Xuân Phái", zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.asarray(barcode.to_image(scale=6))


@pytest.mark.parametrize("backend", ["zbar", "wechat"])
def test_non_utf8_payloads_are_dropped(backend: str) -> None:
    assert create_decoder(backend).decode(_latin1_code()) == []


@pytest.mark.parametrize("backend", ["zxing", "opencv"])
def test_latin1_payloads_are_read_as_latin1_or_not_at_all(backend: str) -> None:
    # zxing-cpp and OpenCV transcode an ECI-less Latin-1 code themselves (ISO-8859-1 is the QR default)
    assert [d.text for d in create_decoder(backend).decode(_latin1_code())] in ([], ["Bùi Xuân Phái"])


def test_clean_text_rules() -> None:
    assert clean_text("Nguyễn".encode()) == "Nguyễn"
    assert clean_text(b"\xff\xfe") is None
    assert clean_text("") is None
    assert clean_text("ab\ufffdc") == "ab\ufffdc"  # damaged text is read (and refused downstream)
    assert clean_text("hype\u0083") is None  # C1 control: latin-1 damage
    assert clean_text("Tr蘯ｧn Vﾄハ Sﾆ｡n", charset_guessed=True) is None
    assert clean_text("Nguyá»…n", charset_guessed=True) is None
    assert clean_text("[外側QRコード]", charset_guessed=False) == "[外側QRコード]"


def test_as_gray_accepts_gray_bgr_bgra_and_rejects_the_rest() -> None:
    bgr = np.zeros((20, 30, 3), np.uint8)
    assert as_gray(bgr).shape == (20, 30)
    assert as_gray(np.zeros((20, 30, 4), np.uint8)).shape == (20, 30)
    assert as_gray(np.zeros((20, 30), np.uint8)).shape == (20, 30)
    for bad in (np.zeros((20, 30), np.float32), np.zeros((20, 30, 2), np.uint8), np.zeros((4, 4), np.uint8)):
        with pytest.raises(ValueError):
            as_gray(bad)
    with pytest.raises(ValueError):
        as_gray("not an image")  # type: ignore[arg-type]


def test_wechat_without_models_is_unavailable_not_slow(tmp_path) -> None:
    with pytest.raises(DecoderUnavailable, match="models missing"):
        WeChatDecoder(model_folder=tmp_path)


DAMAGED = "001098012345||Nguy\ufffdn Văn An|01011998|Nam|Hà Nội|01012021"


def _damaged_code() -> np.ndarray:
    """A code (segno, UTF-8 bytes) whose text holds U+FFFD: the printed text itself is damaged."""
    import segno

    qr = segno.make_qr(DAMAGED, error="m", encoding="utf-8")
    return np.where(np.kron(np.array(qr.matrix, np.uint8), np.ones((6, 6), np.uint8)) > 0, 0, 255).astype(
        np.uint8)


@pytest.mark.parametrize("backend", ["zxing", "zbar", "opencv", "wechat"])
def test_damaged_text_is_read_not_dropped(backend: str) -> None:
    code = cv2.copyMakeBorder(_damaged_code(), 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255)
    assert [d.text for d in create_decoder(backend).decode(code)] == [DAMAGED]
