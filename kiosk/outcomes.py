"""Outcome categories of a lookup attempt, and the BHXH result-code mapping (domain.md section 4).

The service answers with a 3-character result code (``maKetQua``); the kiosk never shows the gateway's
free-text note, it maps the code to one of these categories. The same categories are recorded in the
lookup log, together with the pre-lookup outcomes (a card that could not be read or validated).
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    # Answers from the service about a card that was read (definitive: they count as successful lookups).
    ELIGIBLE = "eligible"
    ELIGIBLE_WITH_WARNING = "eligible-with-warning"
    NEW_CARD = "new-card"
    NOT_ELIGIBLE = "not-eligible"
    NOT_FOUND = "not-found"
    DATA_MISMATCH = "data-mismatch"
    # The lookup was sent but gave no definitive answer.
    SETUP_ERROR = "setup-error"
    SERVICE_ERROR = "service-error"
    TIMEOUT = "timeout"
    REJECTED_SIGNATURE = "rejected-signature"
    # No lookup was sent.
    INVALID_CARD = "invalid-card"  # a CCCD-shaped payload that failed validation
    NOT_ID_CARD = "not-id-card"  # a QR code that is not a citizen ID card (URL, Wi-Fi, payment, ...)
    UNREADABLE = "unreadable"  # a code was seen but never decoded before the card left
    CANCELLED = "cancelled"  # the user or the app cancelled before an answer

    @property
    def definitive(self) -> bool:
        """A definitive answer from the service for a card that was read (a "successful lookup")."""
        return self in DEFINITIVE

    @property
    def eligible(self) -> bool:
        return self in ELIGIBLE_OUTCOMES

    @property
    def lookup_sent(self) -> bool:
        return self not in PRE_LOOKUP


DEFINITIVE = frozenset(
    {
        Outcome.ELIGIBLE,
        Outcome.ELIGIBLE_WITH_WARNING,
        Outcome.NEW_CARD,
        Outcome.NOT_ELIGIBLE,
        Outcome.NOT_FOUND,
        Outcome.DATA_MISMATCH,
    }
)
ELIGIBLE_OUTCOMES = frozenset({Outcome.ELIGIBLE, Outcome.ELIGIBLE_WITH_WARNING, Outcome.NEW_CARD})
PRE_LOOKUP = frozenset({Outcome.INVALID_CARD, Outcome.NOT_ID_CARD, Outcome.UNREADABLE})
# CANCELLED may happen before or after the request was sent; the log's lookup_sent_at tells which.

# Every result code the kiosk knows (domain.md section 4) and its outcome.
RESULT_CODES: dict[str, Outcome] = {
    "000": Outcome.ELIGIBLE,
    "001": Outcome.ELIGIBLE_WITH_WARNING,  # managed by the Defence BHXH: check ID papers
    "002": Outcome.ELIGIBLE_WITH_WARNING,  # managed by the Public Security BHXH: check ID papers
    "003": Outcome.NEW_CARD,  # old card expired, new card issued
    "004": Outcome.NEW_CARD,  # old card still valid, new card issued
    "010": Outcome.NOT_ELIGIBLE,  # card expired
    "050": Outcome.NOT_FOUND,  # no card information
    "051": Outcome.DATA_MISMATCH,
    "052": Outcome.DATA_MISMATCH,
    "053": Outcome.DATA_MISMATCH,
    "054": Outcome.SETUP_ERROR,  # staff CCCD not registered
    "055": Outcome.SETUP_ERROR,  # staff name does not match
    "060": Outcome.DATA_MISMATCH,  # name wrong
    "061": Outcome.DATA_MISMATCH,  # name wrong, first letter right
    "070": Outcome.DATA_MISMATCH,  # date of birth wrong
    "100": Outcome.SERVICE_ERROR,
    "101": Outcome.SERVICE_ERROR,
    "500": Outcome.SERVICE_ERROR,
    "110": Outcome.NOT_ELIGIBLE,  # card revoked
    "120": Outcome.NOT_ELIGIBLE,  # card reported reduced ...
    "121": Outcome.NOT_ELIGIBLE,
    "122": Outcome.NOT_ELIGIBLE,
    "123": Outcome.NOT_ELIGIBLE,
    "124": Outcome.NOT_ELIGIBLE,
    "130": Outcome.NOT_FOUND,  # child without a card: the desk handles it
    "205": Outcome.SETUP_ERROR,  # bad parameter format: a kiosk bug, staff only
    "401": Outcome.SETUP_ERROR,  # authentication failed
}

# Codes after which a retry may help (transient errors on the gateway side).
RETRYABLE_RESULT_CODES = frozenset({"100", "101", "500"})


def outcome_for_result_code(code: str) -> Outcome:
    """Map a BHXH result code to its outcome; an unknown code is a service error, never eligible."""
    return RESULT_CODES.get(code, Outcome.SERVICE_ERROR)
