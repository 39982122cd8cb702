"""The FrameReader cascade on synthetic webcam frames: exact text, the ladder, hints, nothing on empty frames.

Readers get a huge time budget here so that results do not depend on the machine's load; speed is
measured by bench/bench_decode.py.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanner import preprocess as pp
from scanner.decoders import DecoderUnavailable, create_decoder
from scanner.reader import FrameRead, FrameReader, ReadHint
from scanner.standins import synth

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
    blurred = frame(card_width_frac=0.6, defocus_sigma=2.0)
    # the hint comes from image measures, not from the backends: zxing-cpp alone cannot read this frame
    assert FrameReader(["zxing"], time_budget_ms=NO_BUDGET).read(blurred).hint is ReadHint.BLURRY
    assert reader.read(frame(card_width_frac=0.6, glare=((0.7, 0.3, 0.04, 1.0),))).hint is ReadHint.GLARE
    dark = synth.synth_frame(None, synth.FrameConditions(brightness=0.2))
    assert reader.read(dark).hint is ReadHint.TOO_DARK
    tiny = synth.synth_frame(PAYLOAD, synth.FrameConditions(frame_size=(640, 480), card_width_frac=0.3))
    assert reader.read(tiny).hint is ReadHint.TOO_SMALL


def test_the_module_grid_reads_a_code_blurred_beyond_the_other_backends(reader: FrameReader) -> None:
    blurred = frame(card_width_frac=0.6, defocus_sigma=2.0)  # ~2.6 px per module, blur sigma 2 px
    assert FrameReader(["zxing", "wechat", "opencv"], time_budget_ms=NO_BUDGET).read(blurred).texts == ()
    read = reader.read(blurred)
    assert read.texts == (PAYLOAD,)
    assert (read.backend, read.stage) == ("grid", "grid")


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


def _soft_code(px_per_module: float, blur_sigma: float) -> np.ndarray:
    """The sample payload's QR code at ``px_per_module``, Gaussian-defocused, with a little sensor noise."""
    k = 8
    big = np.kron(np.where(synth.qr_modules(PAYLOAD), 30, 230).astype(np.float32), np.ones((k, k), np.float32))
    big = cv2.copyMakeBorder(big, 4 * k, 4 * k, 4 * k, 4 * k, cv2.BORDER_CONSTANT, value=230)
    side = round(big.shape[0] * px_per_module / k)
    img = cv2.GaussianBlur(cv2.resize(big, (side, side), interpolation=cv2.INTER_AREA), (0, 0), blur_sigma)
    noise = np.random.default_rng(1).normal(0, 2, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def test_deblur_step_reads_modules_merged_by_defocus() -> None:
    img = _soft_code(2.0, 1.2)  # 2 px per module, defocus sigma 1.2 px: unsharp masking cannot separate them
    zxing = create_decoder("zxing")
    up, _ = pp.upscale(img, 2.0)
    assert zxing.decode(up) == [] and zxing.decode(pp.unsharp(up, 1.4, 1.5)) == []
    read = FrameReader(["zxing"], time_budget_ms=NO_BUDGET).read_region(img, stage="crop")
    assert read.texts == (PAYLOAD,)
    assert read.stage == "crop:deblur"


def _motion_blurred(img: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    kernel = np.zeros((15, 15), np.float32)
    a = np.radians(angle_deg)
    for t in np.linspace(-length / 2, length / 2, int(length * 4)):
        kernel[round(7 + t * np.sin(a)), round(7 + t * np.cos(a))] += 1
    return cv2.filter2D(img, -1, kernel / kernel.sum(), borderType=cv2.BORDER_REPLICATE)


@pytest.mark.parametrize("angle", [0.0, 90.0])
def test_motion_deblur_step_reads_a_code_smeared_in_one_direction(angle: float) -> None:
    sharp = _soft_code(2.0, 0.3)
    direction, isotropy = pp.motion_direction(sharp)
    assert isotropy > 0.7
    img = _motion_blurred(sharp, 4.0, angle)
    direction, isotropy = pp.motion_direction(img)
    assert isotropy < 0.5
    assert min(abs(direction - angle), 180.0 - abs(direction - angle)) < 10.0
    read = FrameReader(["zxing"], time_budget_ms=NO_BUDGET).read_region(img, stage="crop")
    assert read.texts == (PAYLOAD,)
    assert read.stage == "crop:deblur-motion"


def test_deblur_restores_contrast_and_rejects_bad_arguments() -> None:
    sharp = _soft_code(4.0, 0.01)
    blurred = cv2.GaussianBlur(sharp, (0, 0), 1.2)
    restored = pp.deblur(blurred, 1.2)
    assert restored.shape == blurred.shape and restored.dtype == np.uint8
    err = lambda img: float(np.mean(np.abs(img.astype(np.float32) - sharp.astype(np.float32))))  # noqa: E731
    assert err(restored) < 0.8 * err(blurred)
    for sigma, nsr in ((0.0, 0.01), (1.0, 0.0), (-1.0, 0.01)):
        with pytest.raises(ValueError):
            pp.deblur(blurred, sigma, nsr)
    with pytest.raises(ValueError):
        pp.deblur(blurred, 1.0, motion_px=-1.0)
    assert pp.motion_direction(np.full((40, 40), 128, np.uint8)) == (0.0, 1.0)


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


def test_featureless_small_frame_is_not_a_code_candidate() -> None:
    """A covered lens or a blank wall at low resolution must not start a "card seen" attempt."""
    for value in (0, 90, 255):
        read = FrameReader().read(np.full((240, 320, 3), value, np.uint8))
        assert read.qr_box is None
        assert read.texts == ()
        assert read.hint is not ReadHint.DECODED


@pytest.mark.parametrize("stills", [False, True])
def test_small_camera_frames_keep_the_cheap_path(stills: bool) -> None:
    reader = FrameReader(time_budget_ms=NO_BUDGET, stills=stills)
    calls: list[str] = []
    for dec in reader._decoders.values():  # count the decoders' calls
        original = dec.decode
        dec.decode = lambda gray, _o=original, _n=dec.name: calls.append(_n) or _o(gray)  # type: ignore[method-assign]
    desk = cv2.resize(synth.synth_frame(None, synth.FrameConditions()), (320, 240), interpolation=cv2.INTER_AREA)
    assert reader.read(desk).texts == ()
    # a camera frame this small is not a photo of one code: only the first backend looks at it, unless stills
    assert (set(calls) == {"zxing"}) is not stills
