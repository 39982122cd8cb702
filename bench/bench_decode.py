"""QR decode benchmark: every backend and the FrameReader cascade, on real photos and synthetic CCCD frames.

    .venv/bin/python bench/bench_decode.py            # full run (a few minutes on a loaded 2-core machine)
    .venv/bin/python bench/bench_decode.py --quick    # smaller seeded sets (~1 minute)

Prints, per backend and for the pipeline (FrameReader default cascade; on the photos, as stills):
1. ``qr-real`` (shared/datasets/qr-real, 201 photos with expected text): read count, wrong texts, latency; and
   the photos zxing-cpp reads, shrunk to webcam module sizes (1.3 / 1.6 / 2.0 px per module).
2. Synthetic webcam frames of mixed difficulty (scanner.standins.synth, seeded): CCCD cards (on the issue's geometry:
   frame size uniform over 640x480/1280x720/1920x1080, card 30-95% of the frame width), empty desks and non-ID
   QR codes; read rate, wrong texts, texts/cards reported on frames that hold none, latency; reads by
   QR module size.
3. One-second presentation clips (30 frames) through the StreamReader: share read, frames until first read;
   and small codes held still in dim, noisy pictures, with and without multi-frame fusion.
4. Timings: empty 1280x720 frames, frames with a readable QR, all 1920x1080 frames, empty 320x240 frames.
Frame sets are deterministic (seeded); timings depend on the machine's load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scanner.decoders import available_backends, create_decoder  # noqa: E402
from scanner.payload import PayloadKind, classify_payload  # noqa: E402
from scanner.reader import FrameReader  # noqa: E402
from scanner.standins import synth  # noqa: E402
from scanner.stream import StreamReader  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "datasets" / "qr-real"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")


@dataclass
class Tally:
    read: int = 0
    wrong: int = 0
    total: int = 0
    ms: list[float] = field(default_factory=list)

    def line(self, name: str) -> str:
        med = statistics.median(self.ms) if self.ms else float("nan")
        p95 = float(np.percentile(self.ms, 95)) if self.ms else float("nan")
        pct = 100.0 * self.read / self.total if self.total else 0.0
        return (f"  {name:<9} {self.read:>4}/{self.total:<4} ({pct:5.1f}%)  wrong {self.wrong:<3} "
                f"median {med:6.1f} ms  p95 {p95:6.1f} ms")


def _pipeline_fn(reader: FrameReader) -> Callable[[np.ndarray], tuple[str, ...]]:
    return lambda gray: reader.read(gray).texts


def _backend_fn(name: str) -> Callable[[np.ndarray], tuple[str, ...]]:
    dec = create_decoder(name)
    return lambda gray: tuple(d.text for d in dec.decode(gray))


def _timed(fn: Callable[[np.ndarray], tuple[str, ...]], gray: np.ndarray) -> tuple[tuple[str, ...], float]:
    t0 = time.perf_counter()
    texts = fn(gray)
    return texts, (time.perf_counter() - t0) * 1000.0


def load_dataset(root: Path) -> list[tuple[str, np.ndarray, str]]:
    items = []
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        expected = path.with_suffix(".txt")
        if not expected.is_file():
            continue
        gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            print(f"  (cannot read {path.relative_to(root)})")
            continue
        items.append((str(path.relative_to(root)), gray, expected.read_bytes().decode("utf-8")))
    return items


def bench_dataset(root: Path, fns: dict[str, Callable[[np.ndarray], tuple[str, ...]]]) -> None:
    print(f"\n== qr-real: {root}")
    if not root.is_dir():
        print("  dataset not found: skipped")
        return
    items = load_dataset(root)
    for name, fn in fns.items():
        t = Tally(total=len(items))
        for _, gray, expected in items:
            texts, ms = _timed(fn, gray)
            t.ms.append(ms)
            if expected in texts:
                t.read += 1
            elif texts:
                t.wrong += 1
        print(t.line(name))


def _module_px(gray: np.ndarray, expected: str) -> float | None:
    """Pixels per module of the QR code zxing-cpp reads with ``expected`` text in ``gray`` (None: not read)."""
    import zxingcpp

    for r in zxingcpp.read_barcodes(gray):
        version = r.extra.get("Version") if isinstance(r.extra, dict) else None
        if r.text != expected or not str(version).isdigit():
            continue
        p = r.position
        corners = np.array([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                            [p.bottom_right.x, p.bottom_right.y], [p.bottom_left.x, p.bottom_left.y]], float)
        side = float(np.mean(np.linalg.norm(corners - np.roll(corners, 1, axis=0), axis=1)))
        return side / (17 + 4 * int(version))
    return None


def bench_real_shrunk(root: Path, fns: dict[str, Callable[[np.ndarray], tuple[str, ...]]], seed: int) -> None:
    """The real photos zxing-cpp reads, shrunk so their codes have webcam-sized modules (1.3-2.0 px), with a
    webcam's mild blur, noise and JPEG: real print and photo texture instead of the synthetic card."""
    print("\n== qr-real shrunk to webcam module sizes (the photos zxing-cpp reads at full size; INTER_AREA, "
          "in a 640x480 frame, blur 0.5 px, noise 3, JPEG 80)")
    if not root.is_dir():
        print("  dataset not found: skipped")
        return
    items = [(name, gray, text, _module_px(gray, text)) for name, gray, text in load_dataset(root)]
    items = [(name, gray, text, m) for name, gray, text, m in items if m is not None]
    rng = np.random.default_rng(seed)
    for target in (1.3, 1.6, 2.0):
        shrunk = []
        for _, gray, text, m in items:
            if m <= target:
                continue
            small = cv2.resize(gray, None, fx=target / m, fy=target / m, interpolation=cv2.INTER_AREA)
            if min(small.shape) < 16:
                continue
            # a camera frame: the shrunk photo in the middle of a 640x480 picture of a plain surface
            h, w = small.shape
            top, left = max(0, (480 - h) // 2), max(0, (640 - w) // 2)
            frame = cv2.copyMakeBorder(small, top, max(0, 480 - h - top), left, max(0, 640 - w - left),
                                       cv2.BORDER_CONSTANT, value=int(np.median(small)))
            noisy = cv2.GaussianBlur(frame, (0, 0), 0.5).astype(np.float32) + rng.normal(0, 3, frame.shape)
            _, jpg = cv2.imencode(".jpg", np.clip(noisy, 0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 80])
            shrunk.append((cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE), text))
        line = f"  {target:.1f} px/module, {len(shrunk)} photos:"
        for name, fn in fns.items():
            got = [fn(g) for g, _ in shrunk]
            read = sum(t in texts for (_, t), texts in zip(shrunk, got, strict=True))
            wrong = sum(bool(texts) and t not in texts for (_, t), texts in zip(shrunk, got, strict=True))
            line += f"  {name} {read}" + (f" (wrong {wrong})" if wrong else "")
        print(line)


@dataclass(frozen=True)
class SynthFrame:
    kind: str  # card | empty | other
    payload: str | None
    cond: synth.FrameConditions
    gray: np.ndarray
    module_px: float


#: The scanner-core issue's ranges: "card 30-95% of the frame width; 640x480 to 1920x1080".
ISSUE_FRAME_SIZES: tuple[tuple[int, int], ...] = ((640, 480), (1280, 720), (1920, 1080))
ISSUE_CARD_WIDTH = (0.30, 0.95)


def issue_conditions(rng: np.random.Generator) -> synth.FrameConditions:
    """Mixed-difficulty degradations (``FrameConditions.random``) on the issue's geometry, drawn uniformly.

    ``FrameConditions.random(..., "mixed")`` favours 1280x720 and draws half of the cards at 55-95% width,
    which puts fewer codes below 2 px per module than the issue's ranges do; here the frame size is uniform
    over the three sizes and the card width uniform over 30-95%, and the card is shifted (if needed) so its QR
    code lies inside the frame.
    """
    cond = synth.FrameConditions.random(rng, "mixed")
    size = ISSUE_FRAME_SIZES[int(rng.integers(0, len(ISSUE_FRAME_SIZES)))]
    return synth.qr_in_frame(replace(cond, frame_size=size, card_width_frac=float(rng.uniform(*ISSUE_CARD_WIDTH))))


def synthetic_set(n_cards: int, n_empty: int, n_other: int, seed: int) -> list[SynthFrame]:
    rng = np.random.default_rng(seed)
    frames: list[SynthFrame] = []
    for i in range(n_cards):
        payload = synth.random_payload(rng)
        cond = issue_conditions(rng)
        quad = synth.card_qr_quad(cond)
        module_px = float(np.linalg.norm(quad[1] - quad[0])) / synth.qr_modules(payload).shape[0]
        img = synth.synth_frame(payload, cond, background_seed=i % 7)
        frames.append(SynthFrame("card", payload, cond, cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), module_px))
    for i in range(n_empty):
        cond = synth.FrameConditions.random(rng, "mixed")
        if i % 3 == 0:
            cond = replace(cond, frame_size=(1280, 720))
        img = synth.synth_frame(None, cond, background_seed=i % 7)
        frames.append(SynthFrame("empty", None, cond, cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), 0.0))
    for i in range(n_other):
        text = synth.OTHER_QR_TEXTS[i % len(synth.OTHER_QR_TEXTS)]
        cond = synth.FrameConditions.random(rng, "easy" if i % 2 else "mixed")
        img = synth.other_qr_frame(text, cond, background_seed=i % 7)
        frames.append(SynthFrame("other", text, cond, cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), 0.0))
    return frames


def bench_synthetic(frames: list[SynthFrame], fns: dict[str, Callable[[np.ndarray], tuple[str, ...]]]
                    ) -> dict[str, dict[int, bool]]:
    cards = [f for f in frames if f.kind == "card"]
    print(f"\n== synthetic frames: {len(cards)} CCCD cards (mixed difficulty), "
          f"{sum(f.kind == 'empty' for f in frames)} empty, {sum(f.kind == 'other' for f in frames)} non-ID QR")
    hits: dict[str, dict[int, bool]] = {}
    for name, fn in fns.items():
        t = Tally(total=len(cards))
        phantom = 0  # any text on an empty frame, or a card on a frame without one
        other_read = 0
        hits[name] = {}
        for i, f in enumerate(frames):
            texts, ms = _timed(fn, f.gray)
            t.ms.append(ms)
            if f.kind == "card":
                ok = f.payload in texts
                hits[name][i] = ok
                t.read += ok
                t.wrong += bool(texts) and not ok
            elif f.kind == "empty":
                phantom += bool(texts)
            else:
                other_read += f.payload in texts
                if any(classify_payload(x).kind is PayloadKind.CCCD for x in texts):
                    phantom += 1
                t.wrong += any(x != f.payload for x in texts)
        print(t.line(name) + f"  phantom {phantom}  non-ID read {other_read}")
    print("  reads by QR module size (px/module): zxing vs pipeline")
    buckets = ((0, 1.3), (1.3, 2.0), (2.0, 2.5), (2.5, 3.0), (3.0, 4.0), (4.0, 99))
    for lo, hi in buckets:
        idx = [i for i, f in enumerate(frames) if f.kind == "card" and lo <= f.module_px < hi]
        if not idx:
            continue
        z = sum(hits.get("zxing", {}).get(i, False) for i in idx)
        p = sum(hits.get("pipeline", {}).get(i, False) for i in idx)
        print(f"    {lo:4.1f}-{hi:<4.1f} {len(idx):>4} frames   zxing {z:>4}   pipeline {p:>4}")
    if "zxing" in hits and "pipeline" in hits:
        gain = 100.0 * (sum(hits["pipeline"].values()) - sum(hits["zxing"].values())) / max(1, len(cards))
        print(f"  pipeline - zxing: {gain:+.1f} percentage points")
    return hits


def bench_clips(n_clips: int, seed: int) -> None:
    print(f"\n== presentation clips: {n_clips} x 30 frames (1 s at 30 fps, 1280x720) through StreamReader")
    read = 0
    firsts: list[int] = []
    after_arrival: list[int] = []
    wrong = 0
    fused = 0
    ms: list[float] = []
    for i in range(n_clips):
        rng = np.random.default_rng(seed * 1000 + i)
        payload = synth.random_payload(rng)
        clip = synth.presentation(payload, rng)
        stream = StreamReader()
        for k, frame in enumerate(clip.frames):
            res = stream.feed(frame, now=k / 30.0)
            ms.append(res.ms)
            if any(t != payload for t in res.texts):
                wrong += 1
            if res.accepted is not None:
                if res.accepted == payload:
                    read += 1
                    firsts.append(k + 1)
                    after_arrival.append(max(0, k - clip.arrival) + 1)
                    fused += res.fused
                break
    med = statistics.median(firsts) if firsts else float("nan")
    med_after = statistics.median(after_arrival) if after_arrival else float("nan")
    within2 = sum(a <= 2 for a in after_arrival)
    print(f"  read within the clip: {read}/{n_clips} ({100.0 * read / max(1, n_clips):.0f}%)   "
          f"frames until first read: median {med}, max {max(firsts) if firsts else '-'}   "
          f"via fusion {fused}   wrong texts {wrong}")
    print(f"  counted from the card's arrival (it slides in for 3-8 frames): median {med_after} frames, "
          f"within 2 frames {within2}/{n_clips}")
    print(f"  per-frame stream latency: median {statistics.median(ms):.1f} ms  p95 {np.percentile(ms, 95):.1f} ms")


def bench_noisy_holds(n_holds: int, seed: int) -> None:
    """A small card held still in a dim, noisy picture (8 frames): read with and without multi-frame fusion."""
    print(f"\n== noisy holds: {n_holds} x 8 frames (1280x720, card 33-45% wide, dim, sensor noise 35-60, "
          "defocus 0.8-1.2 px): fusion vs single frames")
    rng = np.random.default_rng(seed)
    holds = []
    for _ in range(n_holds):
        base = synth.FrameConditions(frame_size=(1280, 720), card_width_frac=float(rng.uniform(0.33, 0.45)),
                                     noise_sigma=float(rng.uniform(35, 60)), defocus_sigma=float(rng.uniform(0.8, 1.2)),
                                     brightness=float(rng.uniform(0.45, 0.6)), rotation_deg=float(rng.normal(0, 6)))
        payload = synth.random_payload(rng)
        holds.append((payload, [synth.synth_frame(payload, replace(base, seed=k)) for k in range(8)]))
    for fusion in (0, 4):
        read = 0
        firsts: list[int] = []
        by: dict[str, int] = {}
        for payload, frames in holds:
            stream = StreamReader(fusion_frames=fusion)
            for k, frame in enumerate(frames):
                res = stream.feed(frame, now=k / 30.0)
                if res.accepted is not None:
                    read += res.accepted == payload
                    firsts.append(k + 1)
                    stage = res.frame_read.stage or "-"
                    key = "soft fusion" if stage == "fused-soft" else "image fusion" if res.fused else "single frame"
                    by[key] = by.get(key, 0) + 1
                    break
        med = statistics.median(firsts) if firsts else float("nan")
        print(f"  fusion {'on ' if fusion else 'off'}: read {read}/{n_holds}, first read at frame {med} median; "
              + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))


def bench_timings(frames: list[SynthFrame], reader: FrameReader, hits: dict[int, bool]) -> None:
    print("\n== pipeline timings (targets: empty 1280x720 <= 5 ms median; readable QR <= 15 ms median; "
          "1920x1080 <= 40 ms p95)")
    empty = [f.gray for f in frames if f.kind == "empty" and f.cond.frame_size == (1280, 720)]
    readable = [f.gray for i, f in enumerate(frames) if f.kind == "card" and hits.get(i)]
    big = [f.gray for f in frames if f.cond.frame_size == (1920, 1080)]
    # a low-resolution webcam: empty 320x240 frames (the desk scenes, downscaled)
    small_empty = [cv2.resize(g, (320, 240), interpolation=cv2.INTER_AREA) for g in empty]
    for name, grays, stat in (("empty 1280x720", empty, "median"), ("readable QR", readable, "median"),
                              ("any 1920x1080", big, "p95"), ("empty 320x240", small_empty, "median")):
        if not grays:
            continue
        ms = []
        for g in grays:
            t0 = time.perf_counter()
            reader.read(g)
            ms.append((time.perf_counter() - t0) * 1000.0)
        val = statistics.median(ms) if stat == "median" else float(np.percentile(ms, 95))
        print(f"  {name:<16} {len(grays):>4} frames  {stat} {val:6.1f} ms  (median {statistics.median(ms):.1f}, "
              f"p95 {np.percentile(ms, 95):.1f}, max {max(ms):.1f})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller frame sets")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    ap.add_argument("--backends", nargs="*", default=None, help="backends to compare (default: all available)")
    ap.add_argument("--skip", nargs="*", default=[], choices=["real", "synthetic", "clips", "timings"])
    args = ap.parse_args(argv)
    backends = args.backends if args.backends is not None else available_backends()
    reader = FrameReader()
    print(f"backends available: {', '.join(available_backends())}; pipeline cascade: {', '.join(reader.backends)} "
          f"(budget {reader.time_budget_ms:.0f} ms/frame)")
    fns = {name: _backend_fn(name) for name in backends}
    fns["pipeline"] = _pipeline_fn(reader)
    for fn in fns.values():  # warm up (model loading, first-call allocations)
        fn(np.full((240, 320), 200, np.uint8))
    n_cards, n_empty, n_other, n_clips = (60, 20, 10, 12) if args.quick else (200, 60, 30, 30)
    if "real" not in args.skip:  # photos: the pipeline reads them as stills (small ones get the whole-image ladder)
        still_reader = FrameReader(stills=True)
        bench_dataset(args.dataset, {**fns, "pipeline": _pipeline_fn(still_reader)})
        bench_real_shrunk(args.dataset, {"zxing": fns["zxing"], "wechat": fns["wechat"], "pipeline": fns["pipeline"]}
                          if "wechat" in fns and "zxing" in fns else fns, args.seed)
    frames: list[SynthFrame] = []
    hits: dict[str, dict[int, bool]] = {}
    if "synthetic" not in args.skip or "timings" not in args.skip:
        frames = synthetic_set(n_cards, n_empty, n_other, args.seed)
    if "synthetic" not in args.skip:
        hits = bench_synthetic(frames, fns)
    if "clips" not in args.skip:
        bench_clips(n_clips, args.seed)
        bench_noisy_holds(n_clips, args.seed)
    if "timings" not in args.skip and frames:
        if "pipeline" not in hits:
            hits["pipeline"] = {i: f.payload in reader.read(f.gray).texts for i, f in enumerate(frames)
                                if f.kind == "card"}
        bench_timings(frames, reader, hits["pipeline"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
