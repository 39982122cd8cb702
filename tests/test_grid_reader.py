"""The module-grid reader: grid fitting, soft module values, and reads of codes too small for the other backends."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from scanner import preprocess as pp
from scanner.decoders import create_decoder
from scanner.grid_reader import (
    GridReader,
    equalized_darkness,
    fit_grids,
    project,
    sample_modules,
    symbol_outlines,
)
from scanner.standins import synth

PAYLOAD = synth.SAMPLE_PAYLOAD


def thresholded_darkness(samples: np.ndarray) -> np.ndarray:
    """Darkness from samples against a local mean, no equalising (the baseline the equaliser has to beat)."""
    detail = samples - cv2.blur(samples, (9, 9), borderType=cv2.BORDER_REFLECT)
    return (detail < 0).astype(np.float32)


def small_code(module_px: float, *, angle: float = 12.0, blur: float = 0.0, noise: float = 2.0, seed: int = 0,
               text: str = PAYLOAD) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A printed code at ``module_px`` px per module, rotated and blurred: (image, true corners, modules)."""
    modules = synth.qr_modules(text)
    n = modules.shape[0]
    k = 16  # master pixels per module
    master = np.pad(np.where(modules, 30, 225).astype(np.uint8), 6, constant_values=225)
    master = cv2.resize(master, None, fx=k, fy=k, interpolation=cv2.INTER_NEAREST)
    side = n * module_px
    size = int(side * 1.9)
    centre = np.array([size / 2, size / 2])
    a = np.radians(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    unit = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]) * side
    corners = (unit @ rot.T + centre).astype(np.float32)  # TL TR BR BL of the module area (pixel edges)
    src = np.float32([[6 * k, 6 * k], [(6 + n) * k, 6 * k], [(6 + n) * k, (6 + n) * k], [6 * k, (6 + n) * k]])
    # pixel-edge corners -> pixel-centre coordinates for warpPerspective
    h = cv2.getPerspectiveTransform(src - 0.5, corners - 0.5)
    img = cv2.warpPerspective(cv2.GaussianBlur(master, (0, 0), k / (2 * module_px)), h, (size, size),
                              flags=cv2.INTER_AREA, borderValue=225).astype(np.float32)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    img += np.random.default_rng(seed).normal(0, noise, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), corners, modules


def test_project_matches_opencv() -> None:
    quad = np.array([[[10.0, 12.0], [80.0, 5.0], [90.0, 70.0], [5.0, 85.0]]])
    uv = np.random.default_rng(1).random((20, 2))
    x, y = project(quad, uv)
    h = cv2.getPerspectiveTransform(np.float32([[0, 0], [1, 0], [1, 1], [0, 1]]), quad[0].astype(np.float32))
    expected = cv2.perspectiveTransform(uv[None].astype(np.float32), h)[0]
    assert np.allclose(x[0], expected[:, 0], atol=1e-3) and np.allclose(y[0], expected[:, 1], atol=1e-3)


@pytest.mark.parametrize("angle", [0.0, 17.0, -35.0, 100.0])
def test_fit_finds_version_orientation_and_corners(angle: float) -> None:
    img, corners, modules = small_code(1.6, angle=angle, blur=0.5)
    outlines = symbol_outlines(img)
    assert outlines
    fits = fit_grids(img.astype(np.float32), outlines)
    fit = fits[0] if fits else None
    assert fit is not None and fit.size == modules.shape[0]
    module = 1.6
    # fitted corners are pixel-centre coordinates; the truth is at pixel edges; orientation must match too
    assert np.abs(fit.quad + 0.5 - corners).max() < 0.4 * module


def test_equalizing_removes_most_of_the_blur_damage() -> None:
    img, _, modules = small_code(1.5, blur=0.7)
    fits = fit_grids(img.astype(np.float32), symbol_outlines(img))
    fit = fits[0] if fits else None
    assert fit is not None and fit.size == modules.shape[0]
    f32 = img.astype(np.float32)
    plain_errors = int(((thresholded_darkness(sample_modules(f32, fit)) > 0.5) != modules).sum())
    eq = equalized_darkness(sample_modules(f32, fit, pad=1), fit.version)
    assert eq is not None
    eq_errors = int(((eq.dark > 0.5) != modules).sum())
    assert plain_errors > 150 and eq_errors < plain_errors / 10
    assert eq.noise < 0.25


def test_reads_a_small_blurred_code_that_zxing_cannot() -> None:
    img, _, _ = small_code(1.35, blur=0.7, angle=8.0)
    assert create_decoder("zxing").decode(img) == []
    found = GridReader().read(img)
    assert [d.text for d in found] == [PAYLOAD]
    assert found[0].backend == "grid" and found[0].points is not None


def test_mirrored_code() -> None:
    img, _, _ = small_code(1.6, blur=0.4)
    assert [d.text for d in GridReader().read(np.ascontiguousarray(img[:, ::-1]))] == [PAYLOAD]


def test_large_crisp_code_is_scaled_down_and_read() -> None:
    img, corners, _ = small_code(9.0, angle=5.0, noise=1.0)
    (found,) = GridReader().read(img)
    assert found.text == PAYLOAD
    assert np.abs(found.points - corners).max() < 9.0


def test_never_a_wrong_text_and_nothing_from_texture() -> None:
    rng = np.random.default_rng(5)
    reader = GridReader()
    read = 0
    for i in range(24):
        text = synth.random_payload(rng)
        img, _, _ = small_code(float(rng.uniform(0.8, 1.8)), angle=float(rng.uniform(-40, 40)),
                               blur=float(rng.uniform(0.3, 1.3)), noise=float(rng.uniform(1, 8)), seed=i, text=text)
        texts = [d.text for d in reader.read(img)]
        assert texts in ([], [text])
        read += texts == [text]
    assert read >= 4  # the easier half of these sizes reads
    for i in range(10):
        noise = cv2.GaussianBlur(rng.integers(0, 255, (120, 120), dtype=np.uint8), (0, 0), 1 + i % 3)
        assert reader.read(noise) == []
    checker = np.kron((np.indices((12, 12)).sum(axis=0) % 2) * 200 + 25, np.ones((8, 8))).astype(np.uint8)
    assert reader.read(checker) == []


def test_outline_of_nothing() -> None:
    assert symbol_outlines(np.full((100, 100), 200, np.uint8)) == []
    assert symbol_outlines(np.full((10, 10), 200, np.uint8)) == []


def test_grid_backend_on_a_frame_reports_frame_coordinates() -> None:
    cond = synth.FrameConditions(frame_size=(1280, 720), card_width_frac=0.36, defocus_sigma=0.5, noise_sigma=2)
    frame = cv2.cvtColor(synth.synth_frame(PAYLOAD, cond), cv2.COLOR_BGR2GRAY)
    truth = synth.card_qr_quad(cond)
    found = create_decoder("grid").decode(frame)
    assert [d.text for d in found] == [PAYLOAD]
    assert np.abs(found[0].points - truth).max() < 3.0
    assert pp.find_candidates(frame)  # (the backend looks for the region itself)


def test_fuse_soft_averages_one_code_only() -> None:
    from scanner.grid_reader import SoftSymbol, fuse_soft

    modules = synth.qr_modules(PAYLOAD).astype(np.float32)
    rng = np.random.default_rng(2)
    quad = np.float32([[0, 0], [49, 0], [49, 49], [0, 49]])
    noisy = [SoftSymbol(8, np.clip(modules + rng.normal(0, 0.45, modules.shape), 0, 1).astype(np.float32), 0.3, quad)
             for _ in range(6)]
    assert all(fuse_soft([s]) is None for s in noisy[:2])  # one frame alone is too noisy
    fused = fuse_soft(noisy)
    assert fused is not None and fused.text == PAYLOAD and fused.backend == "grid"
    assert fuse_soft([]) is None
    assert fuse_soft([noisy[0], SoftSymbol(7, np.zeros((45, 45), np.float32), 0.3, quad)]) is None
