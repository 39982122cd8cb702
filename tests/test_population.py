"""The synthetic population: deterministic, realistic enough, and holding every result code."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kiosk.cli import main as cli_main
from kiosk.standins.population import (
    COVERED_RESULT_CODES,
    DISTRICTS,
    Population,
    PopulationError,
    generate_population,
    normalize_name,
)
from scanner.cccd import parse_cccd
from scanner.dates import PartialDate


@pytest.fixture(scope="module")
def population() -> Population:
    return generate_population(seed=3, size=400)


def test_same_seed_same_people_other_seed_other_people() -> None:
    assert generate_population(5, 120).to_jsonl() == generate_population(5, 120).to_jsonl()
    assert generate_population(5, 120).to_jsonl() != generate_population(6, 120).to_jsonl()


def test_a_400_person_population_holds_every_result_code(population: Population) -> None:
    codes = Counter(p.expected_result_code for p in population)
    assert set(codes) == set(COVERED_RESULT_CODES)
    assert codes["000"] > len(population) / 2
    assert len(population) == 400


def test_cards_are_valid_and_mostly_bac_ninh(population: Population) -> None:
    for person in population:
        card = parse_cccd(person.qr_payload)
        assert card == person.identity
        assert person.to_json()["identity"]["date_of_birth"] == card.date_of_birth.iso()
        assert card.address.endswith(", Bắc Ninh") and any(d in card.address for d in DISTRICTS)
    born_here = sum(p.identity.id_number.startswith("027") for p in population)
    assert 0.7 * len(population) < born_here < len(population)
    assert any(not p.identity.date_of_birth.complete for p in population)
    assert any(p.identity.full_name != p.identity.full_name.upper() for p in population)


def test_insurance_records_match_their_codes(population: Population) -> None:
    for person in population:
        record = person.insurance
        code = person.expected_result_code
        if code in ("050", "130"):
            assert record is None
            continue
        assert record is not None
        assert len(record.card_number) == 15 and record.card_number.endswith(record.bhxh_number)
        assert record.primary_facility_code.startswith("27") and len(record.primary_facility_code) == 5
        card_name, recorded = normalize_name(person.identity.full_name), normalize_name(record.recorded_name)
        if code == "060":
            assert card_name != recorded and card_name[0] != recorded[0]
        elif code == "061":
            assert card_name != recorded and card_name[0] == recorded[0]
        else:
            assert card_name == recorded
        recorded_dob = PartialDate.parse_iso(record.recorded_date_of_birth)
        assert (recorded_dob != person.identity.date_of_birth) is (code == "070")
        assert (record.new_card is not None) is (code in ("003", "004"))
        assert (record.valid_to_offset_days < 0) is (code in ("010", "003"))


def test_every_facility_has_registered_staff(population: Population) -> None:
    primary = {p.insurance.primary_facility_code for p in population if p.insurance}
    assert primary <= set(population.staff)
    assert all(len(members) >= 2 for members in population.staff.values())
    for facility in population.facilities():
        assert facility.code.startswith("27") and facility.name
        assert population.staff_member(facility.code).staff_of == facility.code


def test_save_and_load_round_trip(tmp_path: Path, population: Population) -> None:
    path = tmp_path / "people.jsonl"
    population.save(path)
    loaded = Population.load(path)
    assert loaded.to_jsonl() == population.to_jsonl()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{oops", "line 2: not JSON"),
        ('{"qr_payload": "123|x"}', "line 2: qr_payload is not a valid CCCD payload"),
        ("[]", "line 2: a line must hold a JSON object"),
    ],
)
def test_bad_population_files_name_the_line(tmp_path: Path, population: Population, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(population.to_jsonl().splitlines()[0] + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(PopulationError) as info:
        Population.load(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_population_generate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.jsonl"
    assert cli_main(["population", "generate", "--seed", "2", "--size", "150", "--out", str(out)]) == 0
    first = out.read_bytes()
    assert len(first.splitlines()) == 150
    assert json.loads(first.splitlines()[0])["expected_result_code"]
    assert cli_main(["population", "generate", "--seed", "2", "--size", "150", "--out", str(out)]) == 2
    assert cli_main(["population", "generate", "--seed", "2", "--size", "150", "--out", str(out), "--force"]) == 0
    assert out.read_bytes() == first
    assert cli_main(["population", "generate", "--size", "0", "--out", str(tmp_path / "x.jsonl")]) == 2
    capsys.readouterr()
