"""Synthetic CCCD frames: the card carries the exact payload, frames are deterministic, conditions validated."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp

from scanner.payload import PayloadKind, classify_payload
from scanner.standins import synth

PAYLOAD = synth.SAMPLE_PAYLOAD


def _zxing_texts(img: np.ndarray) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(img, text_mode=zxingcpp.TextMode.Plain)]


def test_render_card_has_id1_proportions_and_carries_the_exact_payload() -> None:
    card = synth.render_card(PAYLOAD, width_px=1000)
    assert card.dtype == np.uint8 and card.shape[2] == 3
    assert card.shape[1] == 1000
    assert card.shape[0] == round(1000 * 54 / 85.6)
    assert _zxing_texts(card) == [PAYLOAD]


def test_qr_is_utf8_byte_mode_without_eci_like_real_cards() -> None:
    modules = synth.qr_modules("Bùi Xuân Phái")  # fits Latin-1: must still be stored as UTF-8
    img = np.pad(np.where(modules, 0, 255).astype(np.uint8), 4, constant_values=255)
    img = np.kron(img, np.ones((5, 5), np.uint8))
    (barcode,) = zxingcpp.read_barcodes(img, text_mode=zxingcpp.TextMode.Plain)
    assert barcode.bytes == "Bùi Xuân Phái".encode()
    assert barcode.symbology_identifier == "]Q1"  # no ECI
    assert barcode.ec_level == "M"


def test_qr_sits_in_the_top_right_corner_about_13_mm_wide() -> None:
    corners = synth.card_qr_corners(856)  # 10 px per mm
    width_mm = (corners[1, 0] - corners[0, 0]) / 10
    assert 11 <= width_mm <= 15
    assert corners[1, 0] > 856 * 0.8 and corners[0, 1] < 540 * 0.2


def test_frames_are_deterministic() -> None:
    cond = synth.FrameConditions.random(np.random.default_rng(5), "hard")
    a = synth.synth_frame(PAYLOAD, cond, background_seed=3)
    b = synth.synth_frame(PAYLOAD, cond, background_seed=3)
    assert np.array_equal(a, b)
    c1 = synth.FrameConditions.random(np.random.default_rng(9))
    c2 = synth.FrameConditions.random(np.random.default_rng(9))
    assert c1 == c2


def test_frame_size_and_empty_frames() -> None:
    cond = synth.FrameConditions(frame_size=(640, 480), card_width_frac=0.8)
    frame = synth.synth_frame(PAYLOAD, cond)
    assert frame.shape == (480, 640, 3)
    empty = synth.synth_frame(None, cond)
    assert empty.shape == (480, 640, 3)
    assert _zxing_texts(empty) == []


def test_easy_frame_is_readable_and_qr_quad_points_at_the_code() -> None:
    cond = synth.FrameConditions(frame_size=(1280, 720), card_width_frac=0.8, rotation_deg=8, tilt=(5, -8))
    frame = synth.synth_frame(PAYLOAD, cond)
    found = zxingcpp.read_barcodes(frame, text_mode=zxingcpp.TextMode.Plain)
    assert [b.text for b in found] == [PAYLOAD]
    p = found[0].position
    got = np.array([[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], float)
    expected = synth.card_qr_quad(cond)
    assert np.abs(got - expected).max() < 12


def test_random_conditions_keep_the_qr_in_frame_and_ranges() -> None:
    rng = np.random.default_rng(1)
    for difficulty in ("easy", "mixed", "hard"):
        for _ in range(20):
            cond = synth.FrameConditions.random(rng, difficulty)
            assert 0.3 <= cond.card_width_frac <= 0.95
            quad = synth.card_qr_quad(cond)
            w, h = cond.frame_size
            assert quad[:, 0].min() >= 0 and quad[:, 0].max() <= w
            assert quad[:, 1].min() >= 0 and quad[:, 1].max() <= h


@pytest.mark.parametrize(
    "kwargs",
    [
        {"frame_size": (10, 10)},
        {"card_width_frac": 0.0},
        {"jpeg_quality": 0},
        {"brightness": 0},
        {"noise_sigma": -1},
        {"tilt": (85.0, 0.0)},
    ],
)
def test_bad_conditions_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        synth.FrameConditions(**kwargs)  # type: ignore[arg-type]


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError):
        synth.FrameConditions.random(np.random.default_rng(0), "impossible")
    with pytest.raises(ValueError):
        synth.render_card("")
    with pytest.raises(ValueError):
        synth.render_card(PAYLOAD, width_px=50)
    with pytest.raises(ValueError):
        synth.other_qr_frame("", synth.FrameConditions())
    with pytest.raises(ValueError):
        synth.presentation_clip(PAYLOAD, np.random.default_rng(0), n_frames=0)


def test_presentation_clip_is_one_second_and_deterministic() -> None:
    a = synth.presentation_clip(PAYLOAD, np.random.default_rng(3), n_frames=6, frame_size=(640, 360))
    b = synth.presentation_clip(PAYLOAD, np.random.default_rng(3), n_frames=6, frame_size=(640, 360))
    assert len(a) == 6 and a[0].shape == (360, 640, 3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], a[-1])  # the card moves


def test_other_qr_frame_shows_a_non_id_code() -> None:
    text = "WIFI:S:PhongKham-Guest;T:WPA;P:matkhau2024;;"
    frame = synth.other_qr_frame(text, synth.FrameConditions(card_width_frac=0.6))
    assert _zxing_texts(frame) == [text]


def test_random_payloads_are_valid_cccd_payloads() -> None:
    rng = np.random.default_rng(42)
    for _ in range(30):
        reading = classify_payload(synth.random_payload(rng))
        assert reading.kind is PayloadKind.CCCD
        assert reading.valid, reading.error


def test_sample_card_can_be_regenerated(tmp_path) -> None:
    path = synth.write_sample_card(tmp_path / "demo" / "card.png")
    import cv2

    img = cv2.imread(str(path))
    assert img is not None and img.shape[1] == 1200
    assert _zxing_texts(img) == [PAYLOAD]


def test_ascii_fold_drops_diacritics() -> None:
    assert synth.ascii_fold("Nguyễn Thị Minh Châu, Đông") == "Nguyen Thi Minh Chau, Dong"


def test_presentation_says_when_the_card_has_arrived() -> None:
    p = synth.presentation(PAYLOAD, np.random.default_rng(3), n_frames=12, frame_size=(640, 360))
    assert len(p.frames) == 12 and 3 <= p.arrival <= 8
    same = synth.presentation_clip(PAYLOAD, np.random.default_rng(3), n_frames=12, frame_size=(640, 360))
    assert all(np.array_equal(x, y) for x, y in zip(p.frames, same, strict=True))
    # sliding in, the card moves between frames; once arrived it only shakes
    moving = np.abs(p.frames[1].astype(int) - p.frames[2].astype(int)).mean()
    held = np.abs(p.frames[p.arrival + 1].astype(int) - p.frames[p.arrival + 2].astype(int)).mean()
    assert held < moving
    short = synth.presentation(PAYLOAD, np.random.default_rng(3), n_frames=2, frame_size=(640, 360))
    assert short.arrival == 1
