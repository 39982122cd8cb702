"""No parser message shows more than 4 consecutive digits of an ID number (fuzzed).

Card payloads of stand-in people are mutated (the ID number moved into every other field, fields shifted, random
character edits, digits added around it) and fed to every parser that makes a message for staff or the logs: the CCCD
and BHYT payload parsers, ``classify_payload``, manual entry, the date and sex parsers and ``bhyt-kiosk lookup``. Each
message (``str`` and ``repr``) must not contain any 5 consecutive digits of the ID number.
"""

from __future__ import annotations

import contextlib
import io
import random
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.standins.population import generate_population
from scanner.bhyt_card import parse_bhyt_qr
from scanner.cccd import CardPayloadError, Sex, manual_card, parse_cccd
from scanner.dates import PartialDate
from scanner.payload import classify_payload

WINDOW = 5
SEED = 13
PEOPLE = 25
MUTATIONS = 60


def leaks(message: str, id_number: str) -> str | None:
    """The first 5-digit window of ``id_number`` that ``message`` shows, else None."""
    for i in range(len(id_number) - WINDOW + 1):
        window = id_number[i: i + WINDOW]
        if window in message:
            return window
    return None


def mutations(payload: str, id_number: str, rng: random.Random) -> Iterator[str]:
    fields = payload.split("|")
    for i in range(len(fields)):  # the ID number in every field
        yield "|".join([*fields[:i], id_number, *fields[i + 1:]])
        yield "|".join([*fields[:i], id_number + fields[i], *fields[i + 1:]])
    for shift in (1, 2):  # fields shifted (a missing or extra separator)
        yield "|".join(fields[shift:])
        yield "|".join([id_number] * shift + fields)
    alphabet = "0123456789|/-. aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁ\u0301\x00\ufffd"
    for _ in range(MUTATIONS):
        chars = list(payload)
        for _ in range(rng.randint(1, 4)):
            op = rng.random()
            pos = rng.randrange(len(chars) + 1)
            if op < 0.4 and chars:
                chars[min(pos, len(chars) - 1)] = rng.choice(alphabet)
            elif op < 0.7:
                chars.insert(pos, rng.choice(alphabet))
            elif chars:
                del chars[min(pos, len(chars) - 1)]
        yield "".join(chars)


def messages_of(fn: Callable[[], object]) -> list[str]:
    try:
        result = fn()
    except (ValueError, TypeError) as exc:
        return [str(exc), repr(exc)]
    error = getattr(result, "error", None)
    return [str(error), repr(error)] if error is not None else []


def test_no_parser_message_shows_5_digits_of_an_id() -> None:
    rng = random.Random(SEED)
    population = generate_population(SEED, 400)
    people = [p for p in population.people if p.staff_of is None][:PEOPLE]
    checked = 0
    for person in people:
        id_number = person.identity.id_number
        name = person.identity.full_name
        inputs = list(mutations(person.qr_payload, id_number, rng))
        calls: list[Callable[[], object]] = []
        for text in inputs:
            calls += [partial(parse_cccd, text), partial(classify_payload, text), partial(parse_bhyt_qr, text)]
        for odd in (id_number, id_number + "1", "0" + id_number, id_number[:8] + "/" + id_number[8:],
                    f"{id_number[:2]}/{id_number[2:4]}/{id_number[4:]}", f"{id_number}-01-01", f" {id_number} "):
            calls += [partial(PartialDate.parse_any, odd), partial(PartialDate.parse_card, odd),
                      partial(Sex.parse, odd), partial(manual_card, id_number, name, odd),
                      partial(manual_card, id_number, odd, "01/01/1990")]
        for call in calls:
            for message in messages_of(call):
                checked += 1
                assert leaks(message, id_number) is None, message
    assert checked > PEOPLE * MUTATIONS  # the fuzzing made messages to check


def test_lookup_command_never_echoes_an_id(tmp_path: Path) -> None:
    person = next(p for p in generate_population(SEED, 50).people if p.staff_of is None)
    id_number = person.identity.id_number
    empty = tmp_path / "kiosk.toml"
    empty.write_text('kiosk_id = "kiosk-01"\nfacility_code = "27001"\n', encoding="utf-8")
    runs = [["--id", id_number, "--name", person.identity.full_name, "--dob", id_number],
            ["--id", id_number, "--name", person.identity.full_name, "--dob", "01/01/1990", "--sex", id_number],
            ["--id", id_number, "--name", id_number, "--dob", "01/01/1990"],
            ["--qr", person.qr_payload.replace(person.qr_payload.split("|")[3], id_number)]]
    for extra in runs:
        for fmt in ([], ["--json"]):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(["lookup", "--config", str(empty), *fmt, *extra])
            text = out.getvalue() + err.getvalue()
            assert status == 1, text
            assert leaks(text, id_number) is None, text


def test_the_issue_example_is_masked() -> None:
    """The date of birth field holding the ID number: the message shows its last 4 digits only."""
    person = next(p for p in generate_population(SEED, 50).people if p.staff_of is None)
    fields = person.qr_payload.split("|")
    id_number = fields[0]
    fields[3] = id_number
    with pytest.raises(CardPayloadError) as info:
        parse_cccd("|".join(fields))
    assert f"The date of birth ••••••••{id_number[-4:]} is not a valid date" in str(info.value)
