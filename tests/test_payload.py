import datetime
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanner.cccd import InvalidReason
from scanner.payload import PayloadKind, PayloadReading, best_reading, classify_payload, is_mojibake, letters_lost

TODAY = datetime.date(2025, 6, 1)
CCCD = "027195001234|125678901|Nguyễn Thị Minh Châu|15081995|Nữ|Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh|20042021"
BHYT = (
    "DN401AA31900313|4cc3aa205669e1bb87742048c6b06e67|04/09/1985|1|"
    "437479207068e1baa76e206de1bb816d20564e50542d20434e2074e1bb956e6720437479204456205654|01 - 043|"
    "01/07/2017|31/12/2017|21/07/2017|01059710639215|-|4|01/07/2022|1f2fa22c47f0bd18-7102|$"
)

NAMES = [
    "Trần Văn Sơn",
    "Nguyễn Thị Minh Châu",
    "Lê Việt Hưng",
    "Phạm Đức Thắng",
    "Hoàng Thị Ngọc Ánh",
    "ĐẶNG QUỐC BẢO",
    "Võ Thị Út",
    "Bùi Xuân Hiếu",
    "Dương Thị Hồng Nhung",
    "Huỳnh Tấn Phát",
    "Thôn Đông, Xã Tam Sơn, Thị xã Từ Sơn, Bắc Ninh",
    "Số 12 ngõ 34 phố Kim Mã, quận Ba Đình, Hà Nội",
]
WRONG_CHARSETS = ["shift_jis", "cp932", "euc_jp", "big5", "gbk", "gb18030", "euc_kr", "latin-1", "cp1252"]


def test_classify_valid_cccd() -> None:
    reading = classify_payload(CCCD, today=TODAY)
    assert reading.kind is PayloadKind.CCCD and reading.valid
    assert reading.card is not None and reading.card.full_name == "Nguyễn Thị Minh Châu"
    assert reading.error is None and reading.reason is None and not reading.retry_advised
    assert reading.text == CCCD


def test_classify_invalid_cccd_keeps_the_kind() -> None:
    reading = classify_payload(CCCD.replace("027195001234", "027095001234"), today=TODAY)
    assert reading.kind is PayloadKind.CCCD and not reading.valid and reading.card is None
    assert reading.reason is InvalidReason.SEX_MISMATCH and not reading.retry_advised
    truncated = classify_payload(CCCD[:40], today=TODAY)
    assert truncated.kind is PayloadKind.CCCD and truncated.reason is InvalidReason.FIELD_COUNT


def test_mojibake_read_is_an_id_card_read_to_retry() -> None:
    reading = classify_payload(CCCD.encode("utf-8").decode("shift_jis", errors="ignore"), today=TODAY)
    assert reading.kind is PayloadKind.CCCD and reading.reason is InvalidReason.MOJIBAKE
    assert reading.retry_advised and not reading.valid



def test_text_with_u_fffd_is_damaged_not_a_retry() -> None:
    """U+FFFD is in the code itself (exact decoders all read the same): refused as damaged, not read again."""
    replaced = classify_payload(CCCD.encode("utf-8").decode("ascii", errors="replace"), today=TODAY)
    assert replaced.reason is InvalidReason.REPLACEMENT_CHARACTER and replaced.damaged
    assert not replaced.retry_advised and not replaced.valid
    other = classify_payload("https://example.vn/\ufffd")
    assert other.kind is PayloadKind.OTHER and other.damaged
    assert not classify_payload(CCCD, today=TODAY).damaged


def test_classify_bytes() -> None:
    assert classify_payload(CCCD.encode("utf-8"), today=TODAY).valid
    bad = classify_payload(b"027195001234|\xff\xfe|x|y|z|w|v", today=TODAY)
    assert bad.kind is PayloadKind.CCCD and bad.reason is InvalidReason.NOT_UTF8 and bad.retry_advised


def test_classify_bhyt() -> None:
    reading = classify_payload(BHYT)
    assert reading.kind is PayloadKind.BHYT and reading.valid
    assert reading.insurance_card is not None and reading.insurance_card.full_name == "Lê Việt Hưng"
    assert reading.card is None
    truncated = classify_payload(BHYT[:120])
    assert truncated.kind is PayloadKind.BHYT and truncated.reason is InvalidReason.MISSING_TERMINATOR
    new_card = classify_payload(BHYT.replace("DN401AA31900313", "0123456789"))
    assert new_card.kind is PayloadKind.BHYT and new_card.valid


@pytest.mark.parametrize(
    "text",
    [
        "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "WIFI:T:WPA;S:PhongKham;P:matkhau123;;",
        "00020101021238570010A00000072701270006970436011300123456789010208QRIBFTTA53037045802VN6304ABCD",
        "BEGIN:VCARD\nFN:Nguyễn Văn A\nEND:VCARD",
        "Xin chào | Hà Nội",
        "",
        "   ",
        "|||||||",
    ],
)
def test_other_codes(text: str) -> None:
    reading = classify_payload(text, today=TODAY)
    assert reading == PayloadReading(text, PayloadKind.OTHER)
    assert not reading.valid and reading.reason is None


# -- mojibake ------------------------------------------------------------------------------------------


def test_domain_examples_of_mojibake() -> None:
    assert is_mojibake("Tr蘯ｧn Vﾄハ Sﾆ｡n")
    assert is_mojibake("Nguyá»…n")
    assert is_mojibake("LÃª Viá»‡t HÆ°ng")
    assert is_mojibake("Ä\x90á»©c")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("charset", WRONG_CHARSETS)
def test_wrong_charset_reads_are_caught(name: str, charset: str) -> None:
    """Every misread of these names is flagged as mojibake (a retry) or carries U+FFFD (refused as damaged)."""
    for errors in ("replace", "ignore"):
        misread = name.encode("utf-8").decode(charset, errors=errors)
        assert misread != name
        assert is_mojibake(misread) or "\ufffd" in misread, (charset, errors, misread)
        reading = classify_payload(CCCD.replace("Nguyễn Thị Minh Châu", misread), today=TODAY)
        assert reading.retry_advised or reading.damaged, (charset, errors, misread)


_VOWELS = "aăâeêioôơuưy"
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
_LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES} | set("bcdđfghjklmnpqrstvwxz"))
VIETNAMESE_ALPHABET = _LOWER + [c.upper() for c in _LOWER]


def test_vietnamese_alphabet_is_complete() -> None:
    assert len(_LOWER) == 12 * 6 + 21
    assert {"ầ", "ữ", "ỵ", "Ợ", "Ẫ", "đ", "Đ", "ỷ", "Ằ"} <= set(VIETNAMESE_ALPHABET)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_no_vietnamese_letter_is_mojibake(form: str) -> None:
    for letter in VIETNAMESE_ALPHABET:
        for text in (letter, f"x{letter}y", f"{letter}{letter}", f"Ã{letter}", f"{letter}Ã"):
            assert not is_mojibake(unicodedata.normalize(form, text)), text
    for name in NAMES:
        for text in (name, name.upper(), name.lower()):
            assert not is_mojibake(unicodedata.normalize(form, text))


@given(
    st.text(alphabet=[*VIETNAMESE_ALPHABET, *" 0123456789,.-/()'|"], max_size=80),
    st.sampled_from(["NFC", "NFD"]),
)
def test_legitimate_vietnamese_is_never_mojibake(text: str, form: str) -> None:
    assert not is_mojibake(unicodedata.normalize(form, text))


@given(
    st.text(alphabet=[c for c in VIETNAMESE_ALPHABET if c != "Ã"] + [*" ,.-…‘’“”•–—"], max_size=60),
    st.sampled_from(["NFC", "NFD"]),
)
def test_vietnamese_with_typographic_punctuation_is_not_mojibake(text: str, form: str) -> None:
    # known limits: 'Ã' then a curly quote or dash is the mojibake of 'Ò'..'×'; a Vietnamese capital then
    # '«', '»' or '°' (U+00AB, U+00BB, U+00B0) is the mojibake of those very characters, so both are flagged
    assert not is_mojibake(unicodedata.normalize(form, text))


@pytest.mark.parametrize("text", ["Bà Rịa–Vũng Tàu", "Hà Nội—Việt Nam", "“Thôn Đông”", "Lê Thị Hà…", "CHỢ “BÀ CÔ”"])
def test_punctuation_examples(text: str) -> None:
    assert not is_mojibake(text)


def test_genuine_cjk_text_is_not_mojibake() -> None:
    assert not is_mojibake("你好世界")
    assert not is_mojibake("こんにちは")
    assert not is_mojibake("")


# -- never raises ------------------------------------------------------------------------------------------


@given(
    st.one_of(
        st.text(),
        st.binary(),
        st.lists(st.text(max_size=14), min_size=6, max_size=16).map("|".join),
        st.from_regex(r"[0-9]{9,13}\|.*", fullmatch=True),
        st.from_regex(r"[A-Z]{2}[0-9]{3}[0-9A-Z]{10}\|.*\|\$", fullmatch=True),
    )
)
def test_classify_never_raises(payload: str | bytes) -> None:
    reading = classify_payload(payload, today=TODAY)
    assert isinstance(reading.kind, PayloadKind)
    assert reading.valid == (reading.error is None and reading.kind is not PayloadKind.OTHER)
    if reading.kind is PayloadKind.OTHER:
        assert reading.error is None and reading.card is None and reading.insurance_card is None


def test_best_reading_puts_a_card_that_can_be_looked_up_first() -> None:
    valid_id = classify_payload(CCCD, today=TODAY)
    refused_id = classify_payload(CCCD.replace("027195001234", "027095001234"), today=TODAY)
    bhyt = classify_payload(BHYT, today=TODAY)
    other = classify_payload("https://dichvucong.gov.vn", today=TODAY)
    assert bhyt.kind is PayloadKind.BHYT and bhyt.valid
    order = [valid_id, bhyt, refused_id, other]
    for k in range(len(order)):
        assert best_reading(reversed(order[k:])) is order[k]
    assert best_reading([]) is None


# ---------------------------------------------------------------------- typed by a keyboard-wedge scanner

US_KEYBOARD = "".join(ch for ch in CCCD if ch.isascii())  # what a scanner emulating a US keyboard types
TYPED_INVALID = [(US_KEYBOARD, InvalidReason.LETTERS_LOST)]


def test_a_wedge_scan_that_lost_its_letters_is_refused_with_its_own_reason() -> None:
    assert US_KEYBOARD.startswith("027195001234|125678901|Nguyn Th Minh Chu|15081995|N|")
    assert letters_lost(US_KEYBOARD)
    typed = classify_payload(US_KEYBOARD, today=TODAY, typed=True)
    assert typed.kind is PayloadKind.CCCD and typed.reason is InvalidReason.LETTERS_LOST and not typed.valid
    # the same text from a camera is judged on its own (here: "N" is no sex)
    assert classify_payload(US_KEYBOARD, today=TODAY).reason is InvalidReason.BAD_SEX


@pytest.mark.parametrize("text", [
    CCCD,  # Vietnamese letters intact
    "https://example.vn/abc|def",  # not an ID card
    "001098012345||NGUYEN VAN A|1508199|Nam|Ha Noi|25052021",  # a bad date: not "only the letters lost"
    "00109801234||NGUYEN VAN A|15081998|Nam|Ha Noi|25052021",  # an 11-digit number
])
def test_letters_lost_only_for_well_formed_ascii_id_payloads(text: str) -> None:
    assert not letters_lost(text)
    assert classify_payload(text, today=TODAY, typed=True).reason is not InvalidReason.LETTERS_LOST
