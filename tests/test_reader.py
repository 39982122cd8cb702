"""The FrameReader cascade on synthetic webcam frames: exact text, the ladder, hints, nothing on empty frames.

Readers get a large work budget here (budgets count work, not time: results do not depend on the machine's
load); speed is measured by bench/bench_decode.py.
"""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
from hard_frames import hard_frame, texture_frame

from scanner import preprocess as pp
from scanner.decoders import DecoderUnavailable, create_decoder
from scanner.reader import FrameRead, FrameReader, ReadHint
from scanner.standins import synth

PAYLOAD = synth.SAMPLE_PAYLOAD
BIG_WORK = 10_000


@pytest.fixture(scope="module")
def reader() -> FrameReader:
    return FrameReader(work_budget=BIG_WORK)


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
    assert FrameReader(["zxing"], work_budget=BIG_WORK).read(blurred).hint is ReadHint.BLURRY
    assert reader.read(frame(card_width_frac=0.6, glare=((0.7, 0.3, 0.04, 1.0),))).hint is ReadHint.GLARE
    dark = synth.synth_frame(None, synth.FrameConditions(brightness=0.2))
    assert reader.read(dark).hint is ReadHint.TOO_DARK
    tiny = synth.synth_frame(PAYLOAD, synth.FrameConditions(frame_size=(640, 480), card_width_frac=0.3))
    assert reader.read(tiny).hint is ReadHint.TOO_SMALL


def test_single_backend_cascades(reader: FrameReader) -> None:
    img = frame(card_width_frac=0.8)
    for name in ("zxing", "zbar", "wechat"):
        r = FrameReader([name], work_budget=BIG_WORK)
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
        reader.read_region(crop, work_budget=-1)


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
    read = FrameReader(["zxing"], work_budget=BIG_WORK).read_region(img, stage="crop")
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
    read = FrameReader(["zxing"], work_budget=BIG_WORK).read_region(img, stage="crop")
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
        FrameReader(work_budget=-1)
    with pytest.raises(ValueError):
        FrameReader(time_cap_ms=0)
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
    reader = FrameReader(work_budget=BIG_WORK, stills=stills)
    calls: list[str] = []
    for dec in reader._decoders.values():  # count the decoders' calls
        original = dec.decode
        dec.decode = lambda gray, _o=original, _n=dec.name: calls.append(_n) or _o(gray)  # type: ignore[method-assign]
    desk = cv2.resize(synth.synth_frame(None, synth.FrameConditions()), (320, 240), interpolation=cv2.INTER_AREA)
    assert reader.read(desk).texts == ()
    # a camera frame this small is not a photo of one code: only the first backend looks at it, unless stills
    assert (set(calls) == {"zxing"}) is not stills


def _segno_frame(px: int, *, damage_data: bool = False, seed: int = 0) -> tuple[np.ndarray, float]:
    """A segno-made code (independent encoder) at ``px`` px per module in a 1280x720 frame; its true module size.
    ``damage_data``: the data area is overwritten with random modules (finder patterns kept): not decodable."""
    import segno

    qr = segno.make_qr(PAYLOAD, error="m", boost_error=False)
    m = np.array(qr.matrix, np.uint8)
    if damage_data:
        rng = np.random.default_rng(seed)
        n = m.shape[0]
        noise = rng.integers(0, 2, (n, n), dtype=np.uint8)
        keep = np.zeros_like(m, bool)
        keep[:8, :8] = keep[:8, -8:] = keep[-8:, :8] = True
        m = np.where(keep, m, noise)
    img = np.where(np.kron(m, np.ones((px, px), np.uint8)) > 0, 30, 225).astype(np.uint8)
    img = cv2.copyMakeBorder(img, 4 * px, 4 * px, 4 * px, 4 * px, cv2.BORDER_CONSTANT, value=225)
    out = np.full((720, 1280), 200, np.uint8)
    out[100:100 + img.shape[0], 300:300 + img.shape[1]] = img
    return cv2.GaussianBlur(out, (0, 0), 0.6), float(px)


@pytest.mark.parametrize("px", [2, 3, 5])
def test_module_size_is_reported_for_a_decoded_code(reader: FrameReader, px: int) -> None:
    gray, true_px = _segno_frame(px)
    read = reader.read(gray)
    assert read.texts == (PAYLOAD,)
    assert read.module_px is not None and abs(read.module_px / true_px - 1) < 0.05


def test_module_size_is_reported_for_a_code_that_does_not_decode(reader: FrameReader) -> None:
    gray, true_px = _segno_frame(4, damage_data=True)
    read = reader.read(gray)
    assert read.texts == ()
    assert read.module_px is not None and abs(read.module_px / true_px - 1) < 0.1
    assert read.finders >= 1


def test_no_module_size_without_a_code(reader: FrameReader) -> None:
    assert reader.read(np.full((720, 1280), 128, np.uint8)).module_px is None


def test_damaged_text_is_read_as_it_is(reader: FrameReader) -> None:
    import segno

    text = PAYLOAD.replace("Nguyễn", "Nguy\ufffdn") if "Nguyễn" in PAYLOAD else PAYLOAD[:20] + "\ufffd" + PAYLOAD[21:]
    m = np.kron(np.array(segno.make_qr(text, error="m", encoding="utf-8").matrix, np.uint8), np.ones((4, 4), np.uint8))
    gray = np.full((720, 1280), 215, np.uint8)
    gray[150:150 + m.shape[0], 300:300 + m.shape[1]] = np.where(m > 0, 25, 230)
    read = reader.read(gray)
    assert read.texts == (text,) and read.hint is ReadHint.DECODED


def test_budgets_count_work_not_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded machine (every clock reading jumps a second) tries the same steps and reads the same as an idle one:
    the budget counts decoder calls, so figures repeat. Only the live camera's explicit time cap looks at clocks."""
    img = frame(card_width_frac=0.4, rotation_deg=6, tilt=(8, -10), defocus_sigma=0.6, jpeg_quality=70, seed=1)
    idle = FrameReader().read(img)
    assert idle.texts == (PAYLOAD,) and idle.work > 0
    real = time.perf_counter
    jumps = iter(range(1, 10**9))
    monkeypatch.setattr(time, "perf_counter", lambda: real() + next(jumps))
    loaded = FrameReader().read(img)
    assert (loaded.texts, loaded.backend, loaded.stage, loaded.work) == (idle.texts, idle.backend, idle.stage,
                                                                          idle.work)
    capped = FrameReader(time_cap_ms=50).read(img)  # the safety net: a frame that "took seconds" stops early
    assert capped.texts == () and capped.work < idle.work


def test_work_budget_bounds_the_ladder() -> None:
    img = frame(card_width_frac=0.4, rotation_deg=6, tilt=(8, -10), defocus_sigma=0.6, jpeg_quality=70, seed=1)
    assert FrameReader(work_budget=0).read(img).texts == ()  # the whole-frame read only: zxing misses it
    read = FrameReader(work_budget=5).read(img)
    assert read.work <= 5


def test_stills_read_whatever_one_backend_alone_reads() -> None:
    """On a photo the cascade runs every backend on the whole image too: never fewer reads than one of them."""
    card = cv2.cvtColor(synth.render_card(PAYLOAD, width_px=900), cv2.COLOR_BGR2GRAY)
    still = FrameReader(["zbar", "zxing"], stills=True, work_budget=0)
    camera = FrameReader(["zbar", "zxing"], work_budget=0)
    blank_zbar = np.full_like(card, 255)  # zbar finds nothing here, zxing reads the card
    img = np.hstack([blank_zbar, card])
    calls: list[str] = []
    zbar = still._decoders["zbar"]
    original = zbar.decode
    zbar.decode = lambda gray: calls.append("zbar") or []  # type: ignore[method-assign]
    assert still.read(img).texts == (PAYLOAD,) and still.read(img).backend == "zxing"
    assert calls  # the first backend was tried, found nothing, the next one read it
    zbar.decode = original  # type: ignore[method-assign]
    camera._decoders["zbar"].decode = lambda gray: []  # type: ignore[method-assign]
    assert camera.read(img).texts == ()  # a camera frame: only the first backend reads the whole frame


def test_spurious_symbols_from_processed_texture_are_not_reads() -> None:
    """A "code" with sub-pixel modules, or a tiny one inside the region that made the reader look, is texture the
    ladder's processing turned into a symbol (seen: a version-1 "827663" inside a qr-real photo shrunk to
    1.3 px/module), never the code."""
    from scanner.decoders import Decoded
    from scanner.reader import _plausible

    region = pp.Candidate(100, 100, 160, 160, 0.8, 3, 3.0)
    quad = np.array([[110, 110], [250, 110], [250, 250], [110, 250]], np.float32)
    assert _plausible(Decoded("t", "zxing", quad, 3.4), region, whole=False)
    assert not _plausible(Decoded("t", "zxing", quad, 0.3), region, whole=False)
    tiny = np.array([[150, 150], [165, 150], [165, 165], [150, 165]], np.float32)
    assert not _plausible(Decoded("t", "zxing", tiny, None), region, whole=False)
    assert _plausible(Decoded("t", "zxing", tiny, None), region, whole=True)  # a photo of one small code


def test_a_textured_region_without_finder_marks_gets_a_few_steps_only() -> None:
    """Desk or card texture can look QR-dense; without a finder mark it gets _WEAK_WORK units, not the budget."""
    from scanner.reader import _WEAK_WORK

    read = FrameReader().read(texture_frame())  # smeared sideways: the motion guesses apply too
    assert read.texts == () and read.qr_box is not None  # a QR-like region was seen
    assert 0 < read.work <= _WEAK_WORK
    assert read.finders == 0


def _wiener_reference(gray: np.ndarray, sigma: float, nsr: float, motion_px: float, motion_deg: float) -> np.ndarray:
    """The Wiener filter written out with numpy's FFT on the mirrored image, no packing, no size rounding."""
    pad = max(4, int(3 * sigma + motion_px + 1))
    img = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_REFLECT).astype(np.float64)
    h, w = img.shape
    fy, fx = np.fft.fftfreq(h)[:, None], np.fft.fftfreq(w)[None, :]
    otf = np.exp(-2.0 * (np.pi * sigma) ** 2 * (fx * fx + fy * fy))
    a = np.radians(motion_deg)
    otf = otf * np.sinc(motion_px * (fx * np.cos(a) + fy * np.sin(a)))
    out = np.real(np.fft.ifft2(np.fft.fft2(img) * otf / (otf * otf + nsr)))
    return np.clip(out[pad:-pad, pad:-pad], 0, 255)


@pytest.mark.parametrize("shape", [(97, 131), (128, 160), (151, 150)])
@pytest.mark.parametrize(("sigma", "motion_px", "motion_deg"), [(1.2, 0.0, 0.0), (0.8, 3.0, 35.0), (1.0, 4.0, 120.0)])
def test_deblur_is_the_wiener_filter_for_odd_and_even_sizes(shape: tuple[int, int], sigma: float, motion_px: float,
                                                            motion_deg: float) -> None:
    # OpenCV's packed spectrum, the padded DFT sizes and the kept filters must not change what the filter does
    rng = np.random.default_rng(5)
    blocks = (rng.random((shape[0] // 3 + 1, shape[1] // 3 + 1)) > 0.5).astype(np.uint8) * 200 + 30
    img = cv2.GaussianBlur(np.kron(blocks, np.ones((3, 3), np.uint8))[:shape[0], :shape[1]], (0, 0), sigma)
    deg = 2.0 * round(motion_deg / 2.0)  # directions are kept to 2 degrees
    ref = _wiener_reference(img, sigma, 0.01, motion_px, deg)
    for _ in range(2):  # computed, then from the kept filter
        got = pp.deblur(img, sigma, motion_px=motion_px, motion_deg=motion_deg).astype(np.float64)
        diff = np.abs(got - ref)[20:-20, 20:-20]  # the mirrored margin differs near the edges only
        assert float(diff.mean()) < 0.75 and float(np.percentile(diff, 99)) <= 4.0


def test_kept_deblur_filters_stay_within_their_byte_budget() -> None:
    """Many guesses on large crops, then a whole 4000x3000 photo: what the kept filters hold stays within the budget
    (a cache counted in entries kept 64 of them, 4 MB each for a 1000 px crop and 48 MB for the photo)."""
    import gc
    import tracemalloc

    pp._wiener_spectrum.cache_clear()
    rng = np.random.default_rng(7)
    crop = (rng.random((1000, 1000)) * 255).astype(np.uint8)
    photo = (rng.random((3000, 4000)) * 255).astype(np.uint8)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(40):  # 40 defocus guesses on crops of one size: 40 filters of ~4.2 MB
            pp.deblur(crop, 0.8 + 0.05 * i)
        assert pp.deblur(photo, 1.2).shape == photo.shape
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        pp._wiener_spectrum.cache_clear()
    budget = 32 * 2**20
    assert kept <= budget + 2**20, f"{kept / 2**20:.0f} MiB kept"
    assert kept >= budget // 2  # the budget is used: filters are still kept
    assert budget == pp.SPECTRA_BUDGET_BYTES


def test_wechat_can_be_left_out_of_a_frame() -> None:
    reader = FrameReader(work_budget=60)
    assert reader.read(hard_frame()).wechat_tries >= 1
    without = reader.read(hard_frame(), wechat=False)
    assert without.wechat_tries == 0 and without.work > 0


def test_read_region_stops_at_its_deadline() -> None:
    crop = synth.synth_frame(PAYLOAD, synth.FrameConditions(frame_size=(320, 320), card_width_frac=1.2,
                                                            defocus_sigma=1.4))
    reader = FrameReader(["zxing"], work_budget=BIG_WORK)
    assert reader.read_region(crop, deadline=time.perf_counter() + 60.0).work > 0
    late = reader.read_region(crop, deadline=time.perf_counter() - 1.0)
    assert late.work == 0 and late.texts == ()
