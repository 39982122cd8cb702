"""StreamReader: a presented card is read once, fusion of noisy frames, nothing on empty frames."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from scanner.confirm import ReadConfirmer
from scanner.payload import PayloadKind
from scanner.reader import FrameReader, ReadHint
from scanner.standins import synth
from scanner.stream import StreamReader, StreamResult

PAYLOAD = synth.SAMPLE_PAYLOAD
BIG_WORK = 10_000


@pytest.fixture(scope="module")
def reader() -> FrameReader:
    return FrameReader(work_budget=BIG_WORK)


def test_presentation_clip_is_read_once_with_a_valid_card(reader: FrameReader) -> None:
    clip = synth.presentation_clip(PAYLOAD, np.random.default_rng(4))
    stream = StreamReader(reader, fusion_work=BIG_WORK)
    results = [stream.feed(f, now=i / 30) for i, f in enumerate(clip)]
    assert all(isinstance(r, StreamResult) for r in results)
    accepted = [r for r in results if r.accepted is not None]
    assert len(accepted) == 1
    first = accepted[0]
    assert first.accepted == PAYLOAD
    assert first.reading is not None and first.reading.valid
    assert first.reading.kind is PayloadKind.CCCD
    assert first.reading.card is not None
    assert first.hint is ReadHint.DECODED
    assert all(t == PAYLOAD for r in results for t in r.texts)


def test_fusion_reads_a_noisy_code_that_single_frames_miss(reader: FrameReader) -> None:
    base = synth.FrameConditions(frame_size=(1280, 720), card_width_frac=0.36, noise_sigma=80,
                                 defocus_sigma=0.5, brightness=0.35)
    frames = [synth.synth_frame(PAYLOAD, replace(base, seed=k)) for k in range(6)]
    assert reader.read(frames[0]).texts == ()  # too noisy on its own
    stream = StreamReader(reader, fusion_work=BIG_WORK)
    results = [stream.feed(f, now=k / 30) for k, f in enumerate(frames)]
    assert results[0].texts == ()
    fused = [r for r in results if r.fused]
    assert fused and all(r.texts == (PAYLOAD,) for r in fused)
    assert sum(r.accepted == PAYLOAD for r in results) == 1


def test_without_fusion_the_noisy_code_is_not_read(reader: FrameReader) -> None:
    base = synth.FrameConditions(frame_size=(1280, 720), card_width_frac=0.36, noise_sigma=100,
                                 defocus_sigma=0.5, brightness=0.35)
    stream = StreamReader(reader, fusion_frames=0)
    results = [stream.feed(synth.synth_frame(PAYLOAD, replace(base, seed=k)), now=k / 30) for k in range(3)]
    assert not any(r.fused for r in results)


def test_empty_frames_never_accept_anything(reader: FrameReader) -> None:
    stream = StreamReader(reader)
    rng = np.random.default_rng(8)
    for k in range(8):
        cond = synth.FrameConditions.random(rng, "mixed")
        r = stream.feed(synth.synth_frame(None, cond, background_seed=k % 3), now=k / 30)
        assert r.texts == () and r.accepted is None and r.reading is None
        assert r.hint is not ReadHint.DECODED


def test_non_id_code_needs_two_frames_and_is_classified_other(reader: FrameReader) -> None:
    text = "WIFI:S:PhongKham-Guest;T:WPA;P:matkhau2024;;"
    stream = StreamReader(reader)
    cond = synth.FrameConditions(card_width_frac=0.5)
    r1 = stream.feed(synth.other_qr_frame(text, cond), now=0.0)
    r2 = stream.feed(synth.other_qr_frame(text, replace(cond, seed=1)), now=0.033)
    assert r1.texts == (text,) and r1.accepted is None
    assert r1.reading is not None and r1.reading.kind is PayloadKind.OTHER and not r1.reading.valid
    assert r2.accepted == text


def test_reset_allows_the_same_card_again(reader: FrameReader) -> None:
    cond = synth.FrameConditions(card_width_frac=0.7)
    frame = synth.synth_frame(PAYLOAD, cond)
    stream = StreamReader(reader, ReadConfirmer(validator=lambda t: t == PAYLOAD))
    assert stream.feed(frame, now=0.0).accepted == PAYLOAD
    assert stream.feed(frame, now=0.1).accepted is None
    stream.reset()
    assert stream.feed(frame, now=0.2).accepted == PAYLOAD


def test_injected_clock_is_used(reader: FrameReader) -> None:
    ticks = iter([0.0, 0.1, 10.0])
    stream = StreamReader(reader, clock=lambda: next(ticks))
    frame = synth.synth_frame(PAYLOAD, synth.FrameConditions(card_width_frac=0.7))
    assert stream.feed(frame).accepted == PAYLOAD
    assert stream.feed(frame).accepted is None
    assert stream.feed(frame).accepted == PAYLOAD  # not seen for 9.9 s (> 5 s hold-off): a new presentation


def test_bad_settings() -> None:
    with pytest.raises(ValueError):
        StreamReader(FrameReader(["zxing"]), fusion_frames=-1)
    with pytest.raises(ValueError):
        StreamReader(FrameReader(["zxing"])).feed(np.zeros((3, 3), np.uint8))


def test_stream_result_carries_the_module_size(reader: FrameReader) -> None:
    import segno

    qr = segno.make_qr(synth.SAMPLE_PAYLOAD, error="m")
    m = np.kron(np.array(qr.matrix, np.uint8), np.ones((3, 3), np.uint8))
    frame = np.full((720, 1280), 210, np.uint8)
    frame[200:200 + m.shape[0], 400:400 + m.shape[1]] = np.where(m > 0, 20, 230)
    stream = StreamReader(reader)
    res = stream.feed(frame, now=0.0)
    assert res.texts == (synth.SAMPLE_PAYLOAD,)
    assert res.module_px is not None and abs(res.module_px - 3.0) < 0.15
    assert stream.feed(np.full((720, 1280), 128, np.uint8), now=0.1).module_px is None
