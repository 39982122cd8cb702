"""``bhyt-kiosk lookup``: one signed eligibility lookup from a CCCD QR payload or typed card data.

Every run with usable settings is an attempt in the lookup log (source ``command-line``), invalid card data included,
like a card shown to the camera; the result is printed after the attempt was committed.

Exit status: 0 when the service gave a definitive answer (eligible or not: the lookup succeeded);
1 when it did not (the card data failed validation, or a timeout, service error, rejected signature,
set-up error code, ...: the result is printed all the same); 2 when the settings or flags are unusable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.attempts import InputSource, LookupAttempt, Stage, utc_now
from kiosk.cli import CommandError
from kiosk.config import add_lookup_arguments

if TYPE_CHECKING:
    from kiosk.client import LookupClient
    from kiosk.config import KioskConfig
    from kiosk.eligibility import EligibilityResult, LookupRequest

NAME = "lookup"
HELP = "Look up health-insurance eligibility for one CCCD (QR payload or id/name/date of birth)."

EPILOG = """exit status: 0 a definitive answer came back (eligible or not); 1 no definitive answer
(invalid card data, timeout, service error, rejected signature, set-up error); 2 unusable settings."""

# Vietnamese labels for the outcomes (the CLI's human output; the app has its own wording).
OUTCOME_LABELS: dict[str, str] = {
    "eligible": "Đủ điều kiện hưởng BHYT",
    "eligible-with-warning": "Đủ điều kiện hưởng BHYT — cần kiểm tra giấy tờ tại quầy",
    "new-card": "Đủ điều kiện hưởng BHYT — đã được cấp thẻ mới",
    "not-eligible": "Không đủ điều kiện hưởng BHYT",
    "not-found": "Không tìm thấy thông tin thẻ BHYT — mời đến quầy",
    "data-mismatch": "Thông tin không khớp với dữ liệu BHYT — mời đến quầy",
    "setup-error": "Lỗi cài đặt máy tra cứu — cần nhân viên kỹ thuật",
    "service-error": "Lỗi dịch vụ tra cứu — thử lại hoặc mời đến quầy",
    "timeout": "Hết thời gian chờ dịch vụ tra cứu — thử lại hoặc mời đến quầy",
    "rejected-signature": "Phản hồi của dịch vụ không hợp lệ (chữ ký sai) — cần nhân viên kỹ thuật",
    "invalid-card": "Dữ liệu thẻ CCCD không hợp lệ",
    "not-id-card": "Không phải mã QR của thẻ CCCD",
    "cancelled": "Đã hủy",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    card = parser.add_argument_group("the card (either --qr, or --id with --name and --dob)")
    source = card.add_mutually_exclusive_group(required=True)
    source.add_argument("--qr", metavar="PAYLOAD", help="the CCCD QR text: id|old id|name|ddMMyyyy|sex|address|issue")
    source.add_argument("--id", dest="id_number", metavar="ID", help="12-digit CCCD number")
    card.add_argument("--name", metavar="NAME", help="full name as on the card (with --id)")
    card.add_argument("--dob", metavar="DATE",
                      help="date of birth: dd/MM/yyyy, ddMMyyyy, yyyy-MM-dd, MM/yyyy or yyyy (with --id)")
    card.add_argument("--sex", metavar="SEX", help="Nam or Nữ (optional with --id; checked against the number)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_lookup_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from kiosk.client import LookupClient
    from kiosk.config import ConfigError, config_from_args
    from kiosk.eligibility import LookupRequest
    from kiosk.outcomes import Outcome
    from scanner.cccd import (
        CardPayloadError,
        InvalidReason,
        Sex,
        looks_like_cccd,
        manual_card,
        parse_cccd,
        validate_id_number,
    )
    from scanner.masking import mask_id

    # 0. The settings (the kiosk and facility the attempt is recorded for).
    try:
        config = config_from_args(args)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    attempt = _Attempt(config)

    # 1. The card data.
    id_number: str
    try:
        if args.qr is not None:
            id_number = args.qr.split("|", 1)[0].strip()
            card = parse_cccd(args.qr)
        else:  # checked as staff's manual entry in the app is, plus the sex when given
            id_number = args.id_number.strip()
            if not args.name or not args.dob:
                raise CommandError("--id needs --name and --dob")
            card = manual_card(id_number, args.name, args.dob)
            if args.sex:
                try:
                    sex = Sex.parse(args.sex)
                except ValueError as exc:
                    raise CardPayloadError(InvalidReason.BAD_SEX, str(exc), field="sex") from None
                validate_id_number(id_number, card.date_of_birth, sex)
    except CardPayloadError as exc:
        is_card = args.qr is None or looks_like_cccd(args.qr)
        outcome = Outcome.INVALID_CARD if is_card else Outcome.NOT_ID_CARD
        return _print_invalid(args, attempt, outcome, str(exc), mask_id(id_number) if is_card else None,
                              card_error=exc.reason.value)

    # 2. The lookup settings.
    try:
        config.validate_for_lookup()
        client = LookupClient(config)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None

    # 3. The lookup.
    request = LookupRequest(id_number, card.full_name, card.date_of_birth, config.facility_code, config.operator_name,
                            config.operator_id)
    attempt.validated(id_number)
    result = asyncio.run(_lookup_once(client, request))
    attempt.answered(result)
    _print_result(args, result, request, mask_id(id_number))
    return 0 if result.outcome.definitive else 1


@dataclass
class _Attempt:
    """The attempt this run records in the lookup log (source ``command-line``), filled in as the run goes."""

    config: KioskConfig
    attempt: LookupAttempt = field(init=False)
    _t0: float = field(init=False, default_factory=time.perf_counter)
    _sent: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.attempt = LookupAttempt.start(kiosk_id=self.config.kiosk_id or "?",
                                           facility_code=self.config.facility_code or "?",
                                           source=InputSource.COMMAND_LINE)
        self.attempt.read_at = self.attempt.first_seen_at
        self.attempt.stage = Stage.READ

    def validated(self, id_number: str) -> None:
        from kiosk.privacy import PersonHasher, load_or_create_secret, mask_id

        a = self.attempt
        a.stage = Stage.LOOKUP_SENT
        a.validate_ms = round((time.perf_counter() - self._t0) * 1000, 3)
        a.masked_id = mask_id(id_number)
        a.person_hash = PersonHasher(load_or_create_secret()).hash_id(id_number)
        a.lookup_sent_at = utc_now()
        self._sent = time.perf_counter()

    def answered(self, result: EligibilityResult) -> None:
        a = self.attempt
        a.lookup_ms = round((time.perf_counter() - (self._sent or self._t0)) * 1000, 3)
        a.http_attempts = result.attempts
        a.result_code = result.result_code
        a.eligible = bool(result.eligible)
        if result.result_code is not None:
            a.answered_at = utc_now()
            a.stage = Stage.ANSWERED
        elif not result.attempts:
            a.lookup_sent_at = None  # nothing went out
            a.stage = Stage.VALIDATED
        self.end(result.outcome, f"{result.outcome.value}: {result.reason}" if result.reason else None)

    def end(self, outcome: Any, error: str | None) -> None:
        """Record the attempt and wait for the commit (the result is printed after it)."""
        from kiosk.lookup_log import LogError, LookupLog

        a = self.attempt
        a.outcome = outcome
        a.error_reason = error
        if a.eligible is None:
            a.eligible = False
        a.total_ms = round((time.perf_counter() - self._t0) * 1000, 3)
        try:
            log = LookupLog(self.config.effective_log_db, retention_days=self.config.log_retention_days)
        except (LogError, OSError, ValueError) as exc:
            sys.stderr.write(f"bhyt-kiosk lookup: lookup log: {exc}: this attempt was not recorded\n")
            return
        try:
            problem = log.problem
            committed = log.record(a).wait(timeout=0 if problem else 10.0)
        except (TypeError, ValueError) as exc:  # a malformed attempt (e.g. a masked number with too many digits)
            problem, committed = str(exc), False
        finally:
            log.close(timeout=0 if log.problem else 10.0)
        if not committed:
            sys.stderr.write(f"bhyt-kiosk lookup: {problem or log.stats().last_error or 'lookup log'}: "
                             "this attempt was not recorded\n")


async def _lookup_once(client: LookupClient, request: LookupRequest) -> EligibilityResult:
    async with client:
        return await client.lookup(request)


def _print_invalid(args: argparse.Namespace, attempt: _Attempt, outcome: Any, reason: str, masked_id: str | None,
                   card_error: str) -> int:
    from kiosk.eligibility import EligibilityResult

    attempt.attempt.masked_id = masked_id
    attempt.end(outcome, f"{outcome.value}: {card_error}")
    result = EligibilityResult(outcome=outcome, reason=reason)
    if args.json:
        data = {**result.to_json(), "masked_id": masked_id, "card_error": card_error}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_lines([
            ("Kết quả", f"{OUTCOME_LABELS[outcome.value]} ({outcome.value})"),
            ("Số CCCD", masked_id),
            ("Lý do (kỹ thuật)", reason),
        ])
    return 1


def _print_result(args: argparse.Namespace, result: EligibilityResult, request: LookupRequest,
                  masked_id: str) -> None:
    if args.json:
        print(json.dumps({**result.to_json(), "masked_id": masked_id}, ensure_ascii=False, indent=2))
        return
    code = f", mã {result.result_code}" if result.result_code else ""
    lines: list[tuple[str, str | None]] = [
        ("Kết quả", f"{OUTCOME_LABELS.get(result.outcome.value, result.outcome.value)} ({result.outcome.value}{code})"),
        ("Số CCCD", masked_id),
    ]
    person = result.person
    if person is not None:
        lines.append(("Họ tên", person.full_name))
        lines.append(("Ngày sinh", _vn_date_text(person.date_of_birth)))
    ins = result.insurance
    if ins is not None:
        lines += [
            ("Số thẻ BHYT", ins.card_number + (" (thẻ mới)" if ins.new_card else "")),
            ("Mã đối tượng", ins.object_group),
            ("Mức hưởng", f"{ins.benefit_level} ({ins.coverage_percent}%)"),
            ("Hạn thẻ", f"{ins.valid_from:%d/%m/%Y} – {ins.valid_to:%d/%m/%Y}"),
            ("Nơi ĐK KCB BĐ", f"{ins.primary_facility.code} – {ins.primary_facility.name}"),
            ("5 năm liên tục", f"từ {ins.five_years_continuous_from:%d/%m/%Y}"
             if ins.five_years_continuous_from else None),
            ("Mã khu vực", ins.area_code),
        ]
    if result.reason:
        lines.append(("Lý do (kỹ thuật)", result.reason))
    when = f"{result.checked_at:%d/%m/%Y %H:%M:%S}, " if result.checked_at else ""
    ident = f"{result.lookup_id}, " if result.lookup_id else ""
    lines.append(("Tra cứu", f"{ident}{when}{result.attempts} lần gửi, {result.elapsed_ms:.0f} ms"))
    _print_lines(lines)


def _vn_date_text(iso_text: str) -> str:
    parts = iso_text.split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else iso_text


def _print_lines(lines: list[tuple[str, str | None]]) -> None:
    shown = [(label, value) for label, value in lines if value]
    width = max(len(label) for label, _ in shown) + 1
    for label, value in shown:
        sys.stdout.write(f"{label + ':':<{width + 1}}{value}\n")
    sys.stdout.flush()
