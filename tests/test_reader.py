"""The FrameReader cascade on synthetic webcam frames: exact text, the ladder, hints, nothing on empty frames.

Readers get a huge time budget here so that results do not depend on the machine's load; speed is
measured by bench/bench_decode.py.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanner import synth
from scanner.decoders import DecoderUnavailable, create_decoder
from scanner.reader import FrameRead, FrameReader, ReadHint

PAYLOAD = synth.SAMPLE_PAYLOAD
NO_BUDGET = 60_000.0


@pytest.fixture(scope="module")
def reader() -> FrameReader:
    return FrameReader(time_budget_ms=NO_BUDGET)


def frame(**kwargs: object) -> np.ndarray:
    cond = synth.FrameConditions(**{"frame_size": (1280, 720), "noise_sigma": 3.0, **kwargs})  # type: ignore[arg-type]
    return synth.synth_frame(PAYLOAD, cond)


def test_easy_frame_is_read_on_the_cheap_path(reader: FrameReader) -> None:
    read = reader.read(frame(card_width_frac=0.7, rotation_deg=10, tilt=(10, 5)))
    assert isinstance(read, FrameRead)
    assert read.texts == (PAYLOAD,)
    assert read.hint is ReadHint.DECODED
    assert read.backend == "zxing" and read.stage == "frame"
    assert read.qr_box is not None and read.qr_box.shape == (4, 2)
    assert read.ms > 0


def test_gray_and_bgr_frames_read_the_same(reader: FrameReader) -> None:
    bgr = frame(card_width_frac=0.7)
    assert reader.read(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)).texts == reader.read(bgr).texts == (PAYLOAD,)


def test_ladder_reads_a_small_soft_code_that_zxing_alone_misses(reader: FrameReader) -> None:
    img = frame(card_width_frac=0.4, rotation_deg=6, tilt=(8, -10), defocus_sigma=0.6, jpeg_quality=70, seed=1)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    assert create_decoder("zxing").decode(gray) == []
    read = reader.read(img)
    assert read.texts == (PAYLOAD,)
    assert read.stage not in (None, "frame")
    box = read.qr_box
    assert box is not None
    expected = synth.card_qr_quad(synth.FrameConditions(frame_size=(1280, 720), card_width_frac=0.4,
                                                        rotation_deg=6, tilt=(8, -10)))
    assert np.abs(box.mean(axis=0) - expected.mean(axis=0)).max() < 15


def test_degraded_mixed_frames_never_give_wrong_text(reader: FrameReader) -> None:
    rng = np.random.default_rng(77)
    read_count = 0
    for i in range(12):
        payload = synth.random_payload(rng)
        cond = synth.FrameConditions.random(rng, "mixed")
        texts = reader.read(synth.synth_frame(payload, cond, background_seed=i)).texts
        assert texts in ((), (payload,))
        read_count += texts == (payload,)
    assert read_count >= 6


@pytest.mark.parametrize("seed", range(6))
def test_empty_frames_give_no_text(reader: FrameReader, seed: int) -> None:
    cond = synth.FrameConditions.random(np.random.default_rng(seed), "mixed")
    read = reader.read(synth.synth_frame(None, cond, background_seed=seed))
    assert read.texts == ()
    assert read.hint is not ReadHint.DECODED
    assert read.backend is None and read.stage is None


def test_non_id_code_is_read_as_what_it_is(reader: FrameReader) -> None:
    text = synth.OTHER_QR_TEXTS[0]
    read = reader.read(synth.other_qr_frame(text, synth.FrameConditions(card_width_frac=0.5)))
    assert read.texts == (text,)


def test_hints_for_blur_glare_and_darkness(reader: FrameReader) -> None:
    assert reader.read(frame(card_width_frac=0.6, defocus_sigma=2.0)).hint is ReadHint.BLURRY
    assert reader.read(frame(card_width_frac=0.6, glare=((0.7, 0.3, 0.04, 1.0),))).hint is ReadHint.GLARE
    dark = synth.synth_frame(None, synth.FrameConditions(brightness=0.2))
    assert reader.read(dark).hint is ReadHint.TOO_DARK
    tiny = synth.synth_frame(PAYLOAD, synth.FrameConditions(frame_size=(640, 480), card_width_frac=0.3))
    assert reader.read(tiny).hint is ReadHint.TOO_SMALL


def test_single_backend_cascades(reader: FrameReader) -> None:
    img = frame(card_width_frac=0.8)
    for name in ("zxing", "zbar", "wechat"):
        r = FrameReader([name], time_budget_ms=NO_BUDGET)
        assert r.backends == (name,)
        read = r.read(img)
        assert read.texts == (PAYLOAD,)
        assert read.backend == name


def test_read_region_decodes_a_crop(reader: FrameReader) -> None:
    card = synth.render_card(PAYLOAD, width_px=900)
    crop = cv2.cvtColor(card[:200, 650:], cv2.COLOR_BGR2GRAY)
    read = reader.read_region(crop, stage="test")
    assert read.texts == (PAYLOAD,)
    assert read.stage is not None and read.stage.startswith("test")
    with pytest.raises(ValueError):
        reader.read_region(crop, budget_ms=0)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        FrameReader(["nope"])
    with pytest.raises(ValueError):
        FrameReader([])
    with pytest.raises(ValueError):
        FrameReader(time_budget_ms=0)
    r = FrameReader(["zxing"])
    for bad in (np.zeros((5, 5), np.uint8), np.zeros((100, 100), np.float64), None):
        with pytest.raises(ValueError):
            r.read(bad)  # type: ignore[arg-type]


def test_missing_backend_is_reported_when_asked_for(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BHYT_KIOSK_ASSETS", str(tmp_path))  # no models there
    with pytest.raises(DecoderUnavailable):
        FrameReader(["wechat"])
    assert "wechat" not in FrameReader().backends  # the default cascade does without
