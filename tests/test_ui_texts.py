"""Pure-Python parts of the UI: outcome texts, the screen state machine, the staff PIN, translations."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk.outcomes import RESULT_CODES, Outcome, outcome_for_result_code
from kiosk.pipeline import EventKind, PipelineState
from kiosk.staff_pin import PinFormatError, check_pin_format, hash_pin, is_valid_hash, verify_pin
from scanner.reader import ReadHint
from ui.flow import Screen, next_screen
from ui.outcome_texts import Banner, all_outcome_texts, hint_text, outcome_text

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "assets" / "i18n" / "bhyt_kiosk_en.ts"


# ---------------------------------------------------------------------- outcome texts


def test_every_outcome_has_banner_title_reason_and_next_step() -> None:
    table = all_outcome_texts()
    assert set(table) == set(Outcome)
    for outcome, text in table.items():
        assert text.title and text.reason and text.next_step, outcome
        assert text.title != text.reason


@pytest.mark.parametrize(
    ("outcome", "banner"),
    [
        (Outcome.ELIGIBLE, Banner.GREEN),
        (Outcome.ELIGIBLE_WITH_WARNING, Banner.AMBER),
        (Outcome.NEW_CARD, Banner.AMBER),
        (Outcome.NOT_ELIGIBLE, Banner.RED),
        (Outcome.NOT_FOUND, Banner.RED),
        (Outcome.DATA_MISMATCH, Banner.RED),
        (Outcome.SERVICE_ERROR, Banner.GREY),
        (Outcome.TIMEOUT, Banner.GREY),
        (Outcome.SETUP_ERROR, Banner.GREY),
        (Outcome.REJECTED_SIGNATURE, Banner.GREY),
    ],
)
def test_banner_colours(outcome: Outcome, banner: Banner) -> None:
    assert outcome_text(outcome).banner is banner


def test_only_eligible_outcomes_are_green_or_amber() -> None:
    for outcome, text in all_outcome_texts().items():
        assert (text.banner in (Banner.GREEN, Banner.AMBER)) == outcome.eligible, outcome


def test_result_codes_refine_the_reason_but_keep_the_outcome_banner() -> None:
    expired = outcome_text(Outcome.NOT_ELIGIBLE, "010")
    revoked = outcome_text(Outcome.NOT_ELIGIBLE, "110")
    assert expired.reason != revoked.reason
    assert expired.banner is revoked.banner is Banner.RED
    assert outcome_text(Outcome.ELIGIBLE_WITH_WARNING, "001").reason != outcome_text(
        Outcome.ELIGIBLE_WITH_WARNING, "002").reason
    # an unknown code falls back to the outcome's reason (never the service's free text)
    assert outcome_text(Outcome.SERVICE_ERROR, "999") == outcome_text(Outcome.SERVICE_ERROR)


def test_every_known_result_code_gives_a_text() -> None:
    for code in RESULT_CODES:
        text = outcome_text(outcome_for_result_code(code), code)
        assert text.title and text.reason


def test_texts_are_vietnamese_with_diacritics() -> None:
    assert outcome_text(Outcome.ELIGIBLE).title == "Thẻ BHYT còn hiệu lực"
    assert outcome_text(Outcome.NOT_ELIGIBLE, "010").reason == "Thẻ BHYT đã hết hạn sử dụng."


def test_hint_texts() -> None:
    assert hint_text(ReadHint.TOO_SMALL) == "Đưa thẻ lại gần hơn"
    assert hint_text(ReadHint.BLURRY) == "Giữ yên thẻ"
    assert hint_text(ReadHint.GLARE) == "Bị lóa — nghiêng thẻ"
    assert hint_text(ReadHint.TOO_DARK) is not None
    assert hint_text("something-new") is None
    assert hint_text(None) is None


def test_hint_texts_cover_the_decoder_hints() -> None:
    reader = pytest.importorskip("scanner.reader")
    for hint in reader.ReadHint:
        if hint.name in ("NO_CODE", "DECODED"):
            continue
        assert hint_text(hint) is not None, hint


# ---------------------------------------------------------------------- screen state machine


def test_flow_normal_path() -> None:
    s = next_screen(Screen.STARTING, EventKind.STARTED, PipelineState.WAITING)
    assert s is Screen.WAITING
    s = next_screen(s, EventKind.CARD_SEEN, PipelineState.READING)
    assert s is Screen.READING
    s = next_screen(s, EventKind.LOOKING_UP, PipelineState.LOOKING_UP)
    assert s is Screen.LOOKING_UP
    s = next_screen(s, EventKind.RESULT, PipelineState.RESULT)
    assert s is Screen.RESULT
    # the pipeline going back to waiting by itself does not clear a result
    assert next_screen(s, EventKind.RESET, PipelineState.WAITING) is Screen.RESULT
    assert next_screen(s, EventKind.ATTEMPT_ENDED, PipelineState.WAITING) is Screen.RESULT
    # the next card does
    assert next_screen(s, EventKind.CARD_SEEN, PipelineState.READING) is Screen.READING
    # a cancelled lookup goes back to waiting
    assert next_screen(Screen.LOOKING_UP, EventKind.ATTEMPT_ENDED, PipelineState.WAITING) is Screen.WAITING


def test_flow_errors_and_camera() -> None:
    assert next_screen(Screen.WAITING, EventKind.SOURCE_LOST, PipelineState.ERROR) is Screen.CAMERA_LOST
    assert next_screen(Screen.CAMERA_LOST, EventKind.ATTEMPT_ENDED, PipelineState.WAITING) is Screen.CAMERA_LOST
    assert next_screen(Screen.CAMERA_LOST, EventKind.SOURCE_RESTORED, PipelineState.WAITING) is Screen.WAITING
    assert next_screen(Screen.STARTING, EventKind.SOURCE_FAILED, PipelineState.ERROR) is Screen.ERROR
    assert next_screen(Screen.RESULT, EventKind.ERROR, PipelineState.RESULT) is Screen.RESULT  # keeps the answer
    assert next_screen(Screen.WAITING, EventKind.ERROR, PipelineState.WAITING) is Screen.WAITING
    assert next_screen(Screen.READING, EventKind.CARD_INVALID, PipelineState.RESULT) is Screen.RESULT
    assert next_screen(Screen.READING, EventKind.NOT_ID_CARD, PipelineState.RESULT) is Screen.RESULT
    assert next_screen(Screen.WAITING, EventKind.FRAME, PipelineState.WAITING) is Screen.WAITING
    assert next_screen(Screen.WAITING, EventKind.STOPPED, PipelineState.STOPPED) is Screen.STARTING


# ---------------------------------------------------------------------- staff PIN


def test_pin_hash_round_trip_and_salt() -> None:
    stored = hash_pin("1234", iterations=1000)
    assert verify_pin("1234", stored)
    assert not verify_pin("1235", stored)
    assert not verify_pin("12a4", stored)
    assert "1234" not in stored
    assert hash_pin("1234", iterations=1000) != stored  # salted
    assert is_valid_hash(stored)


@pytest.mark.parametrize("bad", ["", "123", "123456789", "12 34", "abcd", "١٢٣٤"])
def test_pin_format(bad: str) -> None:
    with pytest.raises(PinFormatError):
        check_pin_format(bad)


@pytest.mark.parametrize("stored", [None, "", "plain", "pbkdf2-sha256$x$y$z", "md5$1$AAAA$BBBB",
                                    "pbkdf2-sha256$1000$@@@@$AAAA"])
def test_damaged_pin_hash(stored: str | None) -> None:
    assert not is_valid_hash(stored)
    with pytest.raises(PinFormatError):
        verify_pin("1234", stored)


# ---------------------------------------------------------------------- translations


def _messages() -> list[ET.Element]:
    return list(ET.parse(TS).iter("message"))


def test_english_catalogue_is_complete() -> None:
    messages = _messages()
    assert len(messages) > 100
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), source
        assert (translation.text or "").strip(), source
        # placeholders survive translation
        for token in ("{pin}", "{error}", "{n}", "{path}", "{s}", "{level}", "{percent}", "{start}", "{end}",
                      "{problem}"):
            assert (token in source) == (token in (translation.text or "")), source


def test_english_catalogue_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(__import__("sys").executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate not installed")
    copy = tmp_path / "check.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "ui").glob("*.py"))
    done = subprocess.run([lupdate, *sources, "-ts", str(copy)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    new = [m.findtext("source") for m in ET.parse(copy).iter("message")
           if (m.find("translation") is not None and m.find("translation").get("type") == "unfinished")]
    assert new == [], f"strings missing from {TS.name}: {new}"


def test_lrelease_compiles_the_catalogue(tmp_path: Path) -> None:
    from ui.i18n import compile_ts

    qm = compile_ts(TS, tmp_path / "en.qm")
    assert qm.stat().st_size > 1000


# ---------------------------------------------------------------------- theme and sounds


def test_style_sheets_fill_every_placeholder_and_scale() -> None:
    import re

    from ui.theme import Theme

    for high_contrast in (False, True):
        sheet = Theme(high_contrast=high_contrast, font_scale=1.5).style_sheet()
        assert not re.search(r"@[A-Z_]+@", sheet)
    assert Theme(font_scale=2.0).font_px() == 2 * Theme().font_px()
    assert "#000000" in Theme(high_contrast=True).style_sheet()


def test_generated_sounds_are_short_valid_wavs(tmp_path: Path) -> None:
    import wave

    from ui.sounds import RATE, TONES, write_default_sounds

    paths = write_default_sounds(tmp_path)
    assert len(paths) == len(TONES)
    for path, tones in zip(paths, TONES.values(), strict=True):
        with wave.open(str(path)) as wav:
            assert wav.getframerate() == RATE and wav.getnchannels() == 1
            seconds = wav.getnframes() / RATE
        assert seconds == pytest.approx(sum(s for _, s in tones), abs=0.01)
        assert seconds < 0.5
    shipped = ROOT / "assets" / "sounds"
    assert {p.name for p in paths} == {p.name for p in shipped.glob("*.wav")}
