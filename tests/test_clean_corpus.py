"""Clean standard QR codes from four independent encoders (tests/qr_corpus.py): the pipeline reads every one at
1.5-6 px per module, each backend every one inside the range it claims (scanner.decoders.CLAIMED_MIN_MODULE_PX),
and nothing reads a wrong text."""

from __future__ import annotations

import collections

import pytest
from qr_corpus import ENCODERS, CleanCode, corpus

from scanner.decoders import CLAIMED_MIN_MODULE_PX, create_decoder
from scanner.reader import FrameReader

PIPELINE_PX = (1.5, 2.0, 2.5, 3.0, 4.0, 6.0)


@pytest.fixture(scope="module")
def codes() -> list[CleanCode]:
    return corpus(200, px=PIPELINE_PX)


def _misses(read: object, codes: list[CleanCode]) -> tuple[list[str], list[str]]:
    missed, wrong = [], []
    for c in codes:
        texts = read(c.image)  # type: ignore[operator]
        if c.text not in texts:
            missed.append(c.name)
        if any(t != c.text for t in texts):
            wrong.append(c.name)
    return missed, wrong


def test_the_corpus_covers_every_factor(codes: list[CleanCode]) -> None:
    seen = {k: collections.Counter(getattr(c, k) for c in codes)
            for k in ("encoder", "version", "ecc", "mask", "mode", "quiet", "px", "rotation", "mirrored")}
    assert set(seen["encoder"]) == set(ENCODERS)
    assert set(seen["version"]) == set(range(1, 21))
    assert set(seen["ecc"]) == set("LMQH")
    assert set(seen["mask"]) - {None} == set(range(8))
    assert set(seen["mode"]) == {"byte", "alphanumeric", "numeric", "eci"}
    assert set(seen["quiet"]) == {1, 2, 3, 4}
    assert set(seen["px"]) == set(PIPELINE_PX)
    assert {90, 180, 270}.issubset(seen["rotation"]) and any(r % 90 for r in seen["rotation"])
    assert seen["mirrored"][True] > 0


@pytest.mark.parametrize("stills", [True, False], ids=["stills", "camera"])
def test_the_pipeline_reads_every_clean_code(codes: list[CleanCode], stills: bool) -> None:
    reader = FrameReader(stills=stills)
    missed, wrong = _misses(lambda img: reader.read(img).texts, codes)
    assert (missed, wrong) == ([], [])


@pytest.mark.parametrize("backend", sorted(CLAIMED_MIN_MODULE_PX))
def test_each_backend_reads_every_clean_code_in_its_claimed_range(codes: list[CleanCode], backend: str) -> None:
    dec = create_decoder(backend)
    inside = [c for c in codes if c.px >= CLAIMED_MIN_MODULE_PX[backend]
              and not (backend == "wechat" and c.encoder == "zxing" and c.mode == "byte")]  # binary data
    assert len(inside) >= 60
    missed, wrong = _misses(lambda img: tuple(d.text for d in dec.decode(img)), inside)
    assert (missed, wrong) == ([], [])


def test_no_backend_reads_a_wrong_text_anywhere(codes: list[CleanCode]) -> None:
    for backend in ("zxing", "zbar", "opencv", "wechat"):
        dec = create_decoder(backend)
        _, wrong = _misses(lambda img, dec=dec: tuple(d.text for d in dec.decode(img)), codes[::2])
        assert wrong == [], backend
