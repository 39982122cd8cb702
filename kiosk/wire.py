"""The wire schema of ``POST /v1/eligibility/lookups``: one set of pydantic models for the service (validation,
OpenAPI document) and the kiosk (building the request, reading the answer).

The patterns state the real rules so that an OpenAPI client (or schemathesis) can make valid requests: 12-digit
ids, names of letters (Vietnamese ones included) separated by single spaces, apostrophes, hyphens or dots, dates
that exist (yyyy-MM-dd, or yyyy-MM / yyyy when the card has only those) from 1900 on. What a pattern cannot say is
checked too: a date that does not exist (31 February) or lies in the future, and names are NFC-normalised.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
)

from scanner.dates import PartialDate

VIETNAM_TZ = datetime.timezone(datetime.timedelta(hours=7), "ICT")
ID_PATTERN = r"^[0-9]{12}$"
_LETTER = "A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ"  # Latin letters with the ranges that hold every Vietnamese letter (ơ ư đ ạ ế ...)
NAME_PATTERN = rf"^[{_LETTER}]+(?:[ '’.-]{{1,2}}[{_LETTER}]+)*[.]?$"
_MONTH = "(?:0[1-9]|1[0-2])"
_DAY = "(?:0[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = rf"^(?:19|20)[0-9]{{2}}(?:-{_MONTH}(?:-{_DAY})?)?$"
FACILITY_PATTERN = r"^[0-9]{2}[0-9A-Z]{3}$"
RESULT_CODE_PATTERN = r"^[0-9]{3}$"


def _check_name(value: Any) -> Any:
    """NFC, single spaces, and what the pattern cannot say (Unicode letters); runs before the pattern."""
    if not isinstance(value, str):
        return value  # pydantic's own type check names it
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if not value:
        raise ValueError("must not be empty or blank")
    if not all(unicodedata.category(c)[0] in "LM" or c in " '’-." for c in value):
        raise ValueError("must hold only letters, spaces, apostrophes, hyphens and dots")
    if not any(unicodedata.category(c)[0] == "L" for c in value):
        raise ValueError("must hold at least one letter")
    return value


ATTEMPT_ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NAME_PATTERN), BeforeValidator(_check_name)]
IdNumber = Annotated[str, Field(pattern=ID_PATTERN, description="12-digit CCCD number")]


class Operator(BaseModel):
    """The staff member doing the lookup (registered at the facility)."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[Name, Field(description="Full name as registered")]
    id_number: IdNumber


class LookupRequestBody(BaseModel):
    """An eligibility lookup for the holder of a chip citizen ID card."""

    model_config = ConfigDict(extra="forbid")
    id_number: IdNumber
    full_name: Annotated[Name, Field(description="Full name as on the card")]
    date_of_birth: Annotated[str, Field(pattern=DATE_PATTERN, description=(
        "ISO date: yyyy-MM-dd, or yyyy-MM / yyyy when partial; a date that exists, not in the future"))]
    facility_code: Annotated[str, Field(pattern=FACILITY_PATTERN, description="5-character facility code")]
    operator: Operator
    attempt_id: Annotated[str | None, Field(pattern=ATTEMPT_ID_PATTERN, description=(
        "the kiosk's attempt id: the same on every try of one attempt, background retries included (a repeat)"))] = None

    @field_validator("date_of_birth")
    @classmethod
    def _date_of_birth(cls, value: str) -> str:
        try:
            date = PartialDate.parse_iso(value)
        except ValueError:
            raise ValueError("is not a real date (yyyy-MM-dd, yyyy-MM or yyyy)") from None
        if date.earliest() > datetime.datetime.now(VIETNAM_TZ).date():
            raise ValueError("is in the future")
        return value


class Person(BaseModel):
    """The person as the insurance record has them."""

    full_name: str
    date_of_birth: str
    sex: str | None = None
    address: str | None = None


class Facility(BaseModel):
    code: str
    name: str


class Insurance(BaseModel):
    """The BHYT card."""

    card_number: str
    bhxh_number: str
    object_group: str
    benefit_level: Annotated[StrictInt, Field(ge=1, le=5)]
    coverage_percent: Annotated[StrictInt, Field(ge=0, le=100)]
    valid_from: datetime.date
    valid_to: datetime.date
    primary_facility: Facility
    area_code: str | None
    five_years_continuous_from: datetime.date | None
    new_card: StrictBool

    @field_validator("area_code", "five_years_continuous_from", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("valid_to")
    @classmethod
    def _not_before_start(cls, value: datetime.date, info: Any) -> datetime.date:
        start = info.data.get("valid_from")
        if start is not None and value < start:
            raise ValueError("before valid_from")
        return value


class LookupAnswer(BaseModel):
    """The gateway's answer: its result code (maKetQua) decides the outcome."""

    model_config = ConfigDict(strict=True)
    result_code: Annotated[str, Field(pattern=RESULT_CODE_PATTERN, description="BHXH result code (maKetQua)")]
    eligible: bool
    person: Person | None
    insurance: Insurance | None
    checked_at: datetime.datetime
    lookup_id: str


class PublicJwk(BaseModel):
    """An Ed25519 public key as a JWK (RFC 8037): the service's key at ``GET /v1/service-key``, or a pinned one."""

    kty: Literal["OKP"]
    crv: Literal["Ed25519"]
    x: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{43}$", description="The 32-byte public key, base64url")]
    kid: str | None = None
    use: str | None = None
    alg: str | None = None


def first_error(error: ValidationError) -> str:
    """``insurance.valid_to: before valid_from`` — where the first problem is, and what it is."""
    problem = error.errors()[0]
    where = ".".join(str(p) for p in problem["loc"]) or "body"
    if problem["type"] == "json_invalid":
        return "body is not JSON"
    if problem["type"] == "model_type" and not problem["loc"]:
        return "body: expected a JSON object"
    what = "missing" if problem["type"] == "missing" else problem["msg"]
    return f"{where}: {what}"
