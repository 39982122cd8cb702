"""How much memory the kept deblur filters hold: the byte-bounded cache against the 64-entry one it replaced.

    .venv/bin/python bench/bench_deblur_cache.py                 # webcam-dev frames, qr-real, qr-real at 4000x3000
    .venv/bin/python bench/bench_deblur_cache.py --step 3 --large 10

Runs the readers as ``bench_decode.py`` does (camera reader on the webcam-dev frames, still reader on the qr-real
photos; then the qr-real photos enlarged to 4000x3000, as a phone or document camera takes them: independent photos,
our enlargement) and follows every filter the deblur step asks for: the bytes the byte-bounded cache holds
(``scanner.preprocess.deblur_filters``) and the bytes a least-recently-used cache of 64 filters would have held, at
their largest; the cache's hit rate; reads and the reader's time per image.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import OrderedDict
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scanner.preprocess as pp  # noqa: E402
from scanner.reader import FrameReader  # noqa: E402

MIB = 2**20


class Follow:
    """Wraps the filter function: the byte-bounded cache's size and what 64 kept entries would weigh."""

    def __init__(self) -> None:
        self.inner = pp._wiener_spectrum
        self.old: OrderedDict[tuple[object, ...], int] = OrderedDict()
        self.calls = self.old_hits = self.new_hits = 0
        self.peak_old = self.peak_new = 0
        self.largest = 0

    def __call__(self, *key: object) -> np.ndarray:
        self.calls += 1
        self.new_hits += key in pp.deblur_filters
        spectrum = self.inner(*key)
        self.largest = max(self.largest, spectrum.nbytes)
        if key in self.old:
            self.old_hits += 1
            self.old.move_to_end(key)
        else:
            self.old[key] = spectrum.nbytes
            if len(self.old) > 64:
                self.old.popitem(last=False)
        self.peak_old = max(self.peak_old, sum(self.old.values()))
        self.peak_new = max(self.peak_new, pp.deblur_filters.currsize)
        return spectrum


def images(folder: Path, step: int) -> list[Path]:
    found = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    return found[::step]


def run(name: str, paths: list[Path], reader: FrameReader, size: tuple[int, int] | None = None) -> None:
    pp._wiener_spectrum.cache_clear()
    follow = Follow()
    pp._wiener_spectrum = follow  # deblur() looks the function up at call time
    reads, took = 0, []
    try:
        for path in paths:
            gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if gray is None:
                continue
            if size is not None:
                gray = cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)
            t0 = time.perf_counter()
            reads += bool(reader.read(gray).texts)
            took.append(time.perf_counter() - t0)
    finally:
        pp._wiener_spectrum = follow.inner
    print(
        f"{name}: {len(took)} images, {reads} read, reader median {1000 * float(np.median(took)):.1f} ms; "
        f"{follow.calls} filters asked for, largest {follow.largest / MIB:.1f} MiB; kept at most "
        f"{follow.peak_new / MIB:.1f} MiB (budget {pp.SPECTRA_BUDGET_BYTES / MIB:.0f} MiB, hits {follow.new_hits}) "
        f"— 64 entries would have held {follow.peak_old / MIB:.1f} MiB (hits {follow.old_hits})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--step", type=int, default=1, help="every n-th image")
    parser.add_argument("--large", type=int, default=20, help="qr-real photos enlarged to 4000x3000")
    args = parser.parse_args()
    if not args.datasets.is_dir():
        args.datasets = Path("/work/shared/datasets")
    camera, still = FrameReader(), FrameReader(stills=True)
    run("webcam-dev frames (camera reader)", images(args.datasets / "webcam-dev" / "frames", args.step), camera)
    run("qr-real (still reader)", images(args.datasets / "qr-real", args.step), still)
    run("qr-real at 4000x3000 (still reader)", images(args.datasets / "qr-real", 1)[: args.large], still, (4000, 3000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
