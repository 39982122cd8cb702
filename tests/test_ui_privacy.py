"""Privacy on a public screen and guidance: the kiosk preview cannot be read back, a stopped camera is noticed
within 2 s, and the distance hint follows the QR's measured module size."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
import zxingcpp
from glyph_check import as_array, pump
from PySide6.QtWidgets import QApplication

from ui.guidance import (
    CARD_MM,
    CARD_QR_MM,
    CARD_QR_MODULES,
    GUIDE_MODULE_PX,
    Distance,
    DistanceGuide,
    guide_card_width,
)
from ui.preview import PreviewWidget

PAYLOAD = "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Bắc Ninh|20042021"


def card_frame(module_px: int = 6) -> np.ndarray:
    """A 1280x720 camera frame holding a sharp QR of the payload (larger than a real card shows it)."""
    symbol = zxingcpp.create_barcode(PAYLOAD, zxingcpp.BarcodeFormat.QRCode)
    modules = np.asarray(symbol.to_image(scale=1, add_quiet_zones=True))
    big = cv2.resize(modules, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)
    frame = np.full((720, 1280, 3), 200, np.uint8)
    h, w = big.shape[:2]
    y, x = (720 - h) // 2 - 60, (1280 - w) // 2 + 200
    frame[y:y + h, x:x + w] = big[..., None]
    return frame


def decoded(image: np.ndarray) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("module_px", [3, 6, 10])
def test_kiosk_preview_cannot_be_read_from_the_screen(qtbot, module_px: int) -> None:  # type: ignore[no-untyped-def]
    frame = card_frame(module_px)
    assert decoded(frame) == [PAYLOAD]  # the camera sees it
    shots = {}
    for privacy in (False, True):
        widget = PreviewWidget(privacy=privacy)
        qtbot.addWidget(widget)
        widget.resize(1280, 720)
        widget.show()
        widget.set_frame(frame)
        pump(0.05)
        shots[privacy] = as_array(widget.grab().toImage()).astype(np.uint8)
    assert PAYLOAD in decoded(shots[False])  # the check can see a readable code on screen (reception)
    assert decoded(shots[True]) == []  # a photo of the kiosk screen reads nothing


def test_a_camera_that_stops_is_noticed_within_two_seconds(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = PreviewWidget(privacy=True)
    qtbot.addWidget(widget)
    widget.show()
    widget.set_frame(card_frame())
    assert widget.has_frame
    started = time.monotonic()
    with qtbot.waitSignal(widget.frames_stopped, timeout=3000):
        pass
    assert 1.9 <= time.monotonic() - started <= 2.6
    assert not widget.has_frame and widget.placeholder_text() == "Không nhận được hình ảnh từ camera"


def test_kiosk_shows_camera_lost_and_recovers(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk.config import KioskConfig
    from ui.flow import Screen
    from ui.main_window import MainWindow

    window = MainWindow(KioskConfig(mode="kiosk", sounds=False), apply_style=False)
    qtbot.addWidget(window)
    window.show()
    window._show_screen(Screen.WAITING)
    window.preview.stale_after_s = 0.3
    window.preview.set_frame(card_frame())
    qtbot.waitUntil(lambda: window.current_screen is Screen.CAMERA_LOST, timeout=3000)
    assert not window.preview.has_frame
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState

    window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.WAITING, frame=card_frame()))
    qtbot.waitUntil(lambda: window.current_screen is Screen.WAITING, timeout=3000)
    window.allow_exit()
    window.shutdown()


def test_distance_guide_follows_module_size_with_hysteresis() -> None:
    guide = DistanceGuide(window=3)
    assert guide.update(None) is None
    for _ in range(3):
        hint = guide.update(1.4)  # below what the decoder reads well
    assert hint is Distance.CLOSER
    assert guide.update(2.1) is Distance.CLOSER  # median still small
    guide.update(2.1)
    assert guide.update(2.1) is Distance.CLOSER  # inside the hysteresis band: no flicker
    for _ in range(3):
        hint = guide.update(3.0)
    assert hint is None  # 2-4 px per module: no advice
    for _ in range(3):
        hint = guide.update(6.5)
    assert hint is Distance.FURTHER
    assert guide.update(None) is None  # the code left the view


def test_one_odd_frame_does_not_flip_the_advice() -> None:
    guide = DistanceGuide(window=5)
    for size in (3.0, 3.1, 2.9, 0.8, 3.0):
        hint = guide.update(size)
    assert hint is None


def test_card_guide_brings_the_qr_to_the_module_size_that_reads_best() -> None:
    for width, height in ((1280, 720), (1920, 1080)):
        card = guide_card_width(width, height)
        module_px = card / CARD_MM[0] * CARD_QR_MM / CARD_QR_MODULES
        assert module_px == pytest.approx(GUIDE_MODULE_PX, rel=0.01)
    card = guide_card_width(640, 480)  # a small camera: the guide fills the frame, modules ~2 px
    assert card <= 0.92 * 640 and card / CARD_MM[0] * CARD_QR_MM / CARD_QR_MODULES >= 1.8


def test_window_distance_hint_comes_from_module_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk.config import KioskConfig
    from kiosk.pipeline import EventKind, PipelineEvent, PipelineState
    from scanner.reader import ReadHint
    from ui.flow import Screen
    from ui.main_window import MainWindow

    window = MainWindow(KioskConfig(mode="kiosk", sounds=False), apply_style=False)
    qtbot.addWidget(window)
    window.show()
    window._show_screen(Screen.READING)
    for _ in range(5):
        window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.READING,
                                             frame=card_frame(), hint=ReadHint.BLURRY, module_px=1.2))
        pump(0.03)
    assert window.hint.isVisible() and window.hint.text() == "Đưa thẻ lại gần hơn"
    for _ in range(5):
        window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.READING,
                                             frame=card_frame(), hint=ReadHint.BLURRY, module_px=7.0))
        pump(0.03)
    assert window.hint.text() == "Đưa thẻ ra xa hơn một chút"
    for _ in range(5):
        window.bridge.listener(PipelineEvent(kind=EventKind.FRAME, state=PipelineState.READING,
                                             frame=card_frame(), hint=ReadHint.BLURRY, module_px=3.0))
        pump(0.03)
    assert window.hint.text() == "Giữ yên thẻ"  # the size is right: the decoder's own hint
    window.allow_exit()
    window.shutdown()
    assert QApplication.instance() is not None
