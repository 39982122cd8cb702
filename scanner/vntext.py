"""Text hygiene for decoded QR payloads: Unicode normalisation and detection of decoder damage.

ZBar (pyzbar) guesses the charset of a QR code without an ECI header and returns many UTF-8
Vietnamese strings as Shift-JIS/Big5 mojibake (``Trần Văn Sơn`` -> ``Tr蘯ｧn Vﾄハ Sﾆ｡n``); other
decoders and tools produce latin-1/cp1252 mojibake (``Nguyễn`` -> ``Nguyá»…n``). Such a read must be
dropped and retried, never shown as a name. Legitimate Vietnamese (any letter with any tone, upper or
lower case, NFC or NFD) must never be flagged.
"""

from __future__ import annotations

import re
import unicodedata

# UTF-8 continuation bytes 0x80..0xBF as they appear after a latin-1 or cp1252 decode: U+0080..U+00BF,
# plus the cp1252 characters at 0x80..0x9F.
_LATIN1_HIGH = "\u0080-\u00bf"
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_CP1252_PUNCTUATION = "…‘’“”•–—"  # cp1252 0x85, 0x91..0x97
_CP1252_OTHER = "".join(c for c in _CP1252_HIGH if c not in _CP1252_PUNCTUATION)
# UTF-8 lead bytes decoded as latin-1 / cp1252, then a continuation byte. 'Ã' 'Ä' 'Å' 'Æ' (0xC3..0xC6, the
# leads of Vietnamese letters) take any continuation ('Ã”' is 'Ô'); other 2-byte leads, some of which are
# Vietnamese capitals (Â É Ì Ô ...), need a continuation that is not ordinary punctuation, so 'Ô”' in
# legitimate text with curly quotes is not flagged; 3-byte leads (à á â ... 0xE0..0xF4, lower-case
# Vietnamese letters among them) need a latin-1 continuation or '€' (0xE2 0x80 0x..: 'â€™').
_LATIN1_MOJIBAKE = re.compile(
    f"[\u00c3-\u00c6][{_LATIN1_HIGH}{re.escape(_CP1252_HIGH)}]"
    f"|[\u00c2\u00c7-\u00df][{_LATIN1_HIGH}{re.escape(_CP1252_OTHER)}]"
    f"|[\u00e0-\u00f4][{_LATIN1_HIGH}€]"
)

# Half-width katakana: what Shift-JIS makes of many UTF-8 continuation bytes; never in Vietnamese.
_HALFWIDTH_KATAKANA = re.compile("[\uff61-\uff9f]")
# CJK scripts and forms (radicals, kana, ideographs, Hangul, compatibility ideographs, full/half-width forms).
_CJK = re.compile("[\u2e80-\u2fdf\u3000-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")

REPLACEMENT_CHARACTER = "\ufffd"
BOM = "\ufeff"
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def is_mojibake(text: str) -> bool:
    """True when ``text`` looks like UTF-8 Vietnamese decoded with the wrong charset.

    Flags half-width katakana anywhere, CJK characters mixed with Latin letters (Shift-JIS, Big5, GBK
    misreads of a Vietnamese payload), and latin-1/cp1252 misreads (a UTF-8 lead byte shown as
    'Ã', 'á', 'Æ', 'Ä', ... followed by a continuation byte shown as '»', '¡', '°', '€', ...).
    Pure CJK text (a genuine Chinese or Japanese QR code) is not mojibake.
    """
    if not isinstance(text, str) or not text:
        return False
    if _HALFWIDTH_KATAKANA.search(text):
        return True
    if _CJK.search(text) and _LATIN_LETTER.search(text):
        return True
    return _LATIN1_MOJIBAKE.search(unicodedata.normalize("NFC", text)) is not None


def first_control_character(text: str) -> int | None:
    """Index of the first control, format, surrogate, private-use or unassigned character, or None."""
    for index, char in enumerate(text):
        if unicodedata.category(char) in _BAD_CATEGORIES:
            return index
    return None


def normalise_field(text: str) -> str:
    """NFC, surrounding whitespace stripped and inner whitespace runs collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def strip_diacritics(text: str) -> str:
    """'Nguyễn Đức' -> 'Nguyen Duc' (for lenient comparisons, never for display)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("Đ", "D").replace("đ", "d")
