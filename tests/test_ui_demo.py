"""kiosk.standins.demo.DemoEnvironment (no Qt): a whole working kiosk set-up in a temporary folder."""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from kiosk.outcomes import Outcome
from kiosk.pipeline import EventKind, KioskPipeline, PipelineEvent
from kiosk.staff_pin import DEMO_PIN, verify_pin
from kiosk.standins.demo import PAPER_PREFIX, DemoEnvironment, DemoError

pytestmark = pytest.mark.timeout(120)

EXPECTED = {Outcome.ELIGIBLE, Outcome.ELIGIBLE_WITH_WARNING, Outcome.NEW_CARD, Outcome.NOT_ELIGIBLE,
            Outcome.NOT_FOUND, Outcome.DATA_MISMATCH, Outcome.INVALID_CARD, Outcome.NOT_ID_CARD}


@pytest.fixture(scope="module")
def demo() -> DemoEnvironment:
    with DemoEnvironment() as env:
        yield env  # type: ignore[misc]


def test_config_is_complete_and_points_at_the_running_service(demo: DemoEnvironment) -> None:
    config = demo.config
    config.validate_for_lookup()
    assert config.service_url.startswith("http://127.0.0.1:")
    assert verify_pin(DEMO_PIN, config.staff_pin_hash)
    assert demo.folder is not None and config.log_db is not None
    assert config.log_db.parent == demo.folder  # nothing outside the temporary folder
    # the operator is registered staff of the facility
    assert demo.population.staff[config.facility_code][config.operator_id] == config.operator_name


@pytest.mark.skipif(sys.platform == "win32", reason="file modes")
def test_private_key_is_owner_only(demo: DemoEnvironment) -> None:
    assert demo.config.private_key is not None
    mode = stat.S_IMODE(os.stat(demo.config.private_key).st_mode)
    assert mode == 0o600


def test_people_cover_every_card_outcome(demo: DemoEnvironment) -> None:
    assert {p.outcome for p in demo.people} == EXPECTED
    operator = demo.config.operator_id
    assert all(p.person is None or p.person.identity.id_number != operator for p in demo.people)
    not_id = demo.person_for(Outcome.NOT_ID_CARD)
    assert not_id.camera_payload == PAPER_PREFIX + not_id.payload
    assert len(demo.camera_payloads()) == len(demo.people)
    with pytest.raises(KeyError):
        demo.person_for(Outcome.TIMEOUT)


def test_every_demo_card_gets_its_outcome_from_the_service(demo: DemoEnvironment) -> None:
    results: dict[str, PipelineEvent] = {}
    done = threading.Event()

    def listen(event: PipelineEvent) -> None:
        if event.kind in (EventKind.RESULT, EventKind.CARD_INVALID, EventKind.NOT_ID_CARD) and event.attempt_id:
            results[event.attempt_id] = event
            done.set()

    pipeline = KioskPipeline(config=demo.config, hasher=demo.hasher)
    pipeline.add_listener(listen)
    pipeline.start()
    try:
        ids = {}
        for person in demo.people:
            ids[pipeline.submit_payload(person.payload)] = person
            assert pipeline.wait_idle(20)
            pipeline.reset()
    finally:
        pipeline.stop()
    for attempt_id, person in ids.items():
        event = results[attempt_id]
        assert event.outcome is person.outcome, person.label
        if person.result_code is not None:
            assert event.result is not None and event.result.result_code == person.result_code


def test_faults_change_the_answers(demo: DemoEnvironment) -> None:
    demo.set_faults("error=1")
    config = demo.config
    try:
        from conftest import BlockingLookups

        from kiosk.client import LookupClient
        from kiosk.eligibility import LookupRequest

        person = demo.person_for(Outcome.ELIGIBLE).person
        assert person is not None
        old_retries = config.retries
        config.retries = 0
        try:
            with BlockingLookups(LookupClient(config)) as client:
                result = client.lookup(LookupRequest.from_card(person.identity, config))
        finally:
            config.retries = old_retries
        assert result.outcome is Outcome.SERVICE_ERROR
    finally:
        demo.set_faults("none")


def test_close_removes_everything_and_is_idempotent(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    env = DemoEnvironment(base_dir=tmp_path, population_size=120)
    env.start()
    folder = env.folder
    assert folder is not None and folder.is_dir()
    env.close()
    env.close()
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DemoError):
        env.start()
    with pytest.raises(DemoError):
        env.set_faults("none")
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()
                and not t.name.startswith(("AnyIO worker", "asyncio"))]
    assert leftover == []
