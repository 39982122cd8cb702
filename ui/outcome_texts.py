"""What the screen says for each outcome: banner colour, title, reason and next step (pure Python, no Qt).

Texts come from the outcome and the BHXH result code only — never from the service's free-text note
(domain.md section 4). Vietnamese is the source language; every string is marked with
``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` extracts it into ``assets/i18n/bhyt_kiosk_en.ts`` under the
context :data:`CONTEXT`; the widgets translate with ``QCoreApplication.translate(CONTEXT, text)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.outcomes import Outcome

CONTEXT = "OutcomeTexts"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    return text


class Banner(StrEnum):
    GREEN = "green"  # eligible
    AMBER = "amber"  # eligible, but look at something (warning, new card)
    RED = "red"  # not eligible / no card found / data does not match
    GREY = "grey"  # no answer: service, set-up or reading problem


@dataclass(frozen=True)
class OutcomeText:
    banner: Banner
    title: str
    reason: str
    next_step: str


_DESK = QT_TRANSLATE_NOOP("OutcomeTexts", "Mời ông/bà đến quầy tiếp đón để được hỗ trợ.")

_TABLE: dict[Outcome, OutcomeText] = {
    Outcome.ELIGIBLE: OutcomeText(
        Banner.GREEN,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT còn hiệu lực"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thông tin thẻ BHYT chính xác."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mời ông/bà đến quầy tiếp đón để đăng ký khám bệnh."),
    ),
    Outcome.ELIGIBLE_WITH_WARNING: OutcomeText(
        Banner.AMBER,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT còn hiệu lực — cần kiểm tra giấy tờ"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT do cơ quan BHXH chuyên ngành quản lý."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mời ông/bà mang giấy tờ tùy thân đến quầy tiếp đón để kiểm tra."),
    ),
    Outcome.NEW_CARD: OutcomeText(
        Banner.AMBER,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT còn hiệu lực — đã cấp thẻ mới"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Ông/bà đã được cấp thẻ BHYT mới; thông tin thẻ mới được hiển thị."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mời ông/bà đến quầy tiếp đón để đăng ký khám bệnh theo thẻ mới."),
    ),
    Outcome.NOT_ELIGIBLE: OutcomeText(
        Banner.RED,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT không còn hiệu lực"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT không còn được sử dụng."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ (tự chi trả)."),
    ),
    Outcome.NOT_FOUND: OutcomeText(
        Banner.RED,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Không tìm thấy thẻ BHYT"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Không có thông tin thẻ BHYT của ông/bà trên hệ thống."),
        _DESK,
    ),
    Outcome.DATA_MISMATCH: OutcomeText(
        Banner.RED,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thông tin không khớp với dữ liệu BHYT"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thông tin trên thẻ CCCD không khớp với dữ liệu thẻ BHYT."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mời ông/bà đến quầy tiếp đón để nhân viên kiểm tra thông tin."),
    ),
    Outcome.SETUP_ERROR: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Máy tra cứu chưa được cài đặt đúng"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Máy không tra cứu được do lỗi cài đặt."),
        QT_TRANSLATE_NOOP(
            "OutcomeTexts", "Mời ông/bà đến quầy tiếp đón. Nhân viên: kiểm tra cài đặt của máy tra cứu."
        ),
    ),
    Outcome.SERVICE_ERROR: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Hệ thống tra cứu đang gặp sự cố"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Hệ thống tra cứu BHYT báo lỗi và không trả lời được."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Vui lòng đưa thẻ lại sau ít phút hoặc đến quầy tiếp đón."),
    ),
    Outcome.TIMEOUT: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Hệ thống tra cứu không phản hồi"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Không nhận được trả lời trong thời gian cho phép."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Vui lòng đưa thẻ lại sau ít phút hoặc đến quầy tiếp đón."),
    ),
    Outcome.REJECTED_SIGNATURE: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Không xác thực được hệ thống tra cứu"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Câu trả lời không có chữ ký hợp lệ nên không được sử dụng."),
        QT_TRANSLATE_NOOP(
            "OutcomeTexts", "Mời ông/bà đến quầy tiếp đón. Nhân viên: kiểm tra khóa của dịch vụ tra cứu."
        ),
    ),
    Outcome.INVALID_CARD: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Thông tin trên thẻ không hợp lệ"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Đọc được mã QR nhưng thông tin trên thẻ không hợp lệ."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Vui lòng đưa lại mã QR vào khung, hoặc đến quầy tiếp đón."),
    ),
    Outcome.NOT_ID_CARD: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Đây không phải mã QR của thẻ CCCD"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mã QR vừa đọc không phải của thẻ căn cước công dân."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Vui lòng đưa mã QR ở mặt trước thẻ CCCD vào khung."),
    ),
    Outcome.UNREADABLE: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Chưa đọc được mã QR"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Mã QR bị mờ, bị lóa hoặc quá nhỏ."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Giữ yên thẻ, đưa lại gần camera hơn và tránh đèn chiếu thẳng."),
    ),
    Outcome.CANCELLED: OutcomeText(
        Banner.GREY,
        QT_TRANSLATE_NOOP("OutcomeTexts", "Đã hủy tra cứu"),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Việc tra cứu đã được hủy."),
        QT_TRANSLATE_NOOP("OutcomeTexts", "Đưa mã QR trên thẻ CCCD vào khung để tra cứu lại."),
    ),
}

# A more precise reason for some result codes (the banner, title and next step stay the outcome's).
_CODE_REASONS: dict[str, str] = {
    "001": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT do BHXH Bộ Quốc phòng quản lý."),
    "002": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT do BHXH Bộ Công an quản lý."),
    "003": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ cũ đã hết hạn; ông/bà đã được cấp thẻ mới."),
    "004": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ cũ vẫn còn hạn; ông/bà đã được cấp thẻ mới."),
    "010": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã hết hạn sử dụng."),
    "110": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã bị thu hồi."),
    "120": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã bị báo giảm."),
    "121": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã bị báo giảm."),
    "122": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã bị báo giảm."),
    "123": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã bị báo giảm."),
    "124": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ BHYT đã bị báo giảm."),
    "130": QT_TRANSLATE_NOOP("OutcomeTexts", "Trẻ em chưa có thẻ BHYT."),
    "051": QT_TRANSLATE_NOOP("OutcomeTexts", "Mã thẻ BHYT không đúng."),
    "052": QT_TRANSLATE_NOOP("OutcomeTexts", "Mã tỉnh trên thẻ BHYT không đúng."),
    "053": QT_TRANSLATE_NOOP("OutcomeTexts", "Mã quyền lợi trên thẻ BHYT không đúng."),
    "060": QT_TRANSLATE_NOOP("OutcomeTexts", "Họ tên không khớp với dữ liệu thẻ BHYT."),
    "061": QT_TRANSLATE_NOOP("OutcomeTexts", "Họ tên không khớp với dữ liệu thẻ BHYT (chữ cái đầu đúng)."),
    "070": QT_TRANSLATE_NOOP("OutcomeTexts", "Ngày sinh không khớp với dữ liệu thẻ BHYT."),
    "054": QT_TRANSLATE_NOOP("OutcomeTexts", "Số CCCD của nhân viên phụ trách chưa được đăng ký."),
    "055": QT_TRANSLATE_NOOP("OutcomeTexts", "Họ tên nhân viên phụ trách không khớp với đăng ký."),
    "205": QT_TRANSLATE_NOOP("OutcomeTexts", "Dữ liệu gửi đi sai định dạng."),
    "401": QT_TRANSLATE_NOOP("OutcomeTexts", "Máy tra cứu không được xác thực."),
}


# A more precise next step for some result codes (a revoked card is not "renewed").
_CODE_NEXT_STEPS: dict[str, str] = {
    "010": QT_TRANSLATE_NOOP(
        "OutcomeTexts",
        "Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ, và liên hệ cơ quan BHXH để gia hạn thẻ.",
    ),
    "110": QT_TRANSLATE_NOOP(
        "OutcomeTexts",
        "Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ; hỏi cơ quan BHXH lý do thẻ bị thu hồi.",
    ),
    **dict.fromkeys(("120", "121", "122", "123", "124"), QT_TRANSLATE_NOOP(
        "OutcomeTexts",
        "Mời ông/bà đến quầy tiếp đón: có thể khám dịch vụ; hỏi cơ quan BHXH nơi đang tham gia BHYT.",
    )),
}

# Result codes whose card no longer holds at all: its validity dates are not shown as if they did.
VOID_CARD_CODES = frozenset({"110", "120", "121", "122", "123", "124"})

# Reception: the same answers told to the staff member at the desk ("the patient ..."), not to the patient.
_STAFF_NEXT_STEPS: dict[Outcome, str] = {
    Outcome.ELIGIBLE: QT_TRANSLATE_NOOP("OutcomeTexts", "Đăng ký khám cho người bệnh theo thẻ BHYT này."),
    Outcome.ELIGIBLE_WITH_WARNING: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Kiểm tra giấy tờ tùy thân của người bệnh trước khi đăng ký khám."),
    Outcome.NEW_CARD: QT_TRANSLATE_NOOP("OutcomeTexts", "Đăng ký khám theo thẻ BHYT mới (thông tin bên dưới)."),
    Outcome.NOT_ELIGIBLE: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Báo người bệnh thẻ không dùng được; có thể đăng ký khám dịch vụ (tự chi trả)."),
    Outcome.NOT_FOUND: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Hỏi người bệnh thẻ BHYT giấy hoặc ảnh thẻ trên VssID; kiểm tra lại số CCCD."),
    Outcome.DATA_MISMATCH: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Đối chiếu họ tên và ngày sinh với giấy tờ của người bệnh, sửa rồi tra cứu lại."),
    Outcome.SETUP_ERROR: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Kiểm tra cài đặt máy tra cứu (mã cơ sở, nhân viên phụ trách, khóa) hoặc báo bộ phận CNTT."),
    Outcome.SERVICE_ERROR: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Tra cứu lại sau ít phút; nếu vẫn lỗi, báo bộ phận CNTT. Vẫn có thể cấp số thứ tự."),
    Outcome.TIMEOUT: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Tra cứu lại sau ít phút; nếu vẫn lỗi, báo bộ phận CNTT. Vẫn có thể cấp số thứ tự."),
    Outcome.REJECTED_SIGNATURE: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Báo bộ phận CNTT: kiểm tra khóa công khai của dịch vụ tra cứu."),
    Outcome.INVALID_CARD: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Quét lại thẻ; nếu vẫn lỗi, nhập tay số CCCD, họ tên và ngày sinh."),
    Outcome.NOT_ID_CARD: QT_TRANSLATE_NOOP("OutcomeTexts", "Quét mã QR ở mặt trước thẻ CCCD của người bệnh."),
    Outcome.UNREADABLE: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Bảo người bệnh giữ yên thẻ, đưa mã QR lại gần camera; hoặc dùng máy quét."),
    Outcome.CANCELLED: QT_TRANSLATE_NOOP("OutcomeTexts", "Quét lại thẻ hoặc nhập tay để tra cứu lại."),
}
_STAFF_REASONS: dict[str, str] = {  # reasons that address the patient, told about the patient instead
    Outcome.NEW_CARD.value: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Người bệnh đã được cấp thẻ BHYT mới; thông tin thẻ mới ở dưới."),
    Outcome.NOT_FOUND.value: QT_TRANSLATE_NOOP(
        "OutcomeTexts", "Không có thông tin thẻ BHYT của người bệnh trên hệ thống."),
    "003": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ cũ đã hết hạn; người bệnh đã được cấp thẻ mới."),
    "004": QT_TRANSLATE_NOOP("OutcomeTexts", "Thẻ cũ vẫn còn hạn; người bệnh đã được cấp thẻ mới."),
}

# Typed entries (manual form): the answer never talks about QR codes.
_MANUAL_INVALID = OutcomeText(
    Banner.GREY,
    QT_TRANSLATE_NOOP("OutcomeTexts", "Thông tin nhập tay không hợp lệ"),
    QT_TRANSLATE_NOOP("OutcomeTexts", "Số CCCD, họ tên hoặc ngày sinh vừa nhập không hợp lệ."),
    QT_TRANSLATE_NOOP("OutcomeTexts", "Sửa thông tin trong ô nhập tay rồi tra cứu lại."),
)

# A keyboard-wedge scanner that lost the Vietnamese letters (scanner.payload.letters_lost): a set-up problem.
LETTERS_LOST = "letters-lost"
_LETTERS_LOST = OutcomeText(
    Banner.GREY,
    QT_TRANSLATE_NOOP("OutcomeTexts", "Máy quét làm mất chữ tiếng Việt"),
    QT_TRANSLATE_NOOP(
        "OutcomeTexts",
        "Máy quét đọc được số CCCD và ngày sinh nhưng không gõ được chữ có dấu (máy quét đang giả lập bàn phím Mỹ).",
    ),
    QT_TRANSLATE_NOOP(
        "OutcomeTexts",
        "Cài máy quét ở chế độ cổng COM (USB CDC/serial) rồi chọn cổng đó trong Cài đặt > Máy quét cổng COM; "
        "trong lúc chờ, nhập tay.",
    ),
)


def outcome_text(outcome: Outcome, result_code: str | None = None, *, staff: bool = False,
                 manual: bool = False, problem: str | None = None) -> OutcomeText:
    """The (untranslated, Vietnamese) texts for an outcome; a known result code refines the reason.

    ``staff``: told to reception staff (about the patient) rather than to the patient at a kiosk.
    ``manual``: the entry was typed, not scanned (no QR wording). ``problem``: :data:`LETTERS_LOST`.
    """
    if problem == LETTERS_LOST and outcome is Outcome.INVALID_CARD:
        return _LETTERS_LOST
    if manual and outcome is Outcome.INVALID_CARD:
        return _MANUAL_INVALID
    base = _TABLE[outcome]
    code = result_code or ""
    reason = _CODE_REASONS.get(code, base.reason)
    next_step = _CODE_NEXT_STEPS.get(code, base.next_step)
    if staff:
        general = None if code in _CODE_REASONS else _STAFF_REASONS.get(outcome.value)
        reason = _STAFF_REASONS.get(code) or general or reason
        next_step = _STAFF_NEXT_STEPS[outcome]
    return OutcomeText(base.banner, base.title, reason, next_step)


def all_outcome_texts() -> dict[Outcome, OutcomeText]:
    return dict(_TABLE)


# ------------------------------------------------------------------ live hints from the decoder

HINT_CONTEXT = "ReadHints"

_HINTS: dict[str, str] = {
    "no-code": QT_TRANSLATE_NOOP("ReadHints", "Đưa mã QR trên thẻ CCCD vào khung"),
    "too-small": QT_TRANSLATE_NOOP("ReadHints", "Đưa thẻ lại gần hơn"),
    "too-far": QT_TRANSLATE_NOOP("ReadHints", "Đưa thẻ lại gần hơn"),
    "too-close": QT_TRANSLATE_NOOP("ReadHints", "Đưa thẻ ra xa hơn một chút"),
    "blurry": QT_TRANSLATE_NOOP("ReadHints", "Giữ yên thẻ"),
    "motion": QT_TRANSLATE_NOOP("ReadHints", "Giữ yên thẻ"),
    "glare": QT_TRANSLATE_NOOP("ReadHints", "Bị lóa — nghiêng thẻ"),
    "too-dark": QT_TRANSLATE_NOOP("ReadHints", "Thiếu sáng — đưa thẻ ra chỗ sáng hơn"),
    "too-bright": QT_TRANSLATE_NOOP("ReadHints", "Bị lóa — nghiêng thẻ"),
    "partial": QT_TRANSLATE_NOOP("ReadHints", "Đưa cả mã QR vào trong khung"),
    "decoded": QT_TRANSLATE_NOOP("ReadHints", "Đã đọc được mã QR"),
    "found": QT_TRANSLATE_NOOP("ReadHints", "Giữ yên thẻ"),
    "unreadable": QT_TRANSLATE_NOOP("ReadHints", "Giữ thẻ phẳng, hướng về phía camera"),
}

# hints that need no message on the preview (nothing in view / already read)
QUIET_HINTS = frozenset({"no-code", "decoded", "none", ""})


def hint_key(hint: object | None) -> str:
    """A decoder ``ReadHint`` as its code ('too-small'); '' for none."""
    return "" if hint is None else str(getattr(hint, "value", hint))


def hint_text(hint: object | None) -> str | None:
    """The (untranslated) live hint for a decoder ``ReadHint`` code; None if none applies."""
    if hint is None:
        return None
    return _HINTS.get(hint_key(hint))
