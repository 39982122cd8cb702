"""The built-in demo: everything the kiosk needs, in one process, with no set-up (``bhyt-kiosk --demo``).

:class:`DemoEnvironment` creates a temporary folder with the kiosk's signing key and the service's
trusted-key folder, starts the mocked eligibility service on a free loopback port with a synthetic
population, and builds a :class:`KioskConfig` pointing at it whose operator is a registered staff member of
the facility. :attr:`DemoEnvironment.people` are demo cards covering every outcome the data can produce
(plus an invalid card and a QR code that is not an ID card); :meth:`camera_payloads` are their QR texts for
the synthetic camera. No Qt here::

    with DemoEnvironment() as demo:
        pipeline = KioskPipeline(config=demo.config, hasher=demo.hasher)
        ...

The staff PIN of the demo is :data:`kiosk.staff_pin.DEMO_PIN` (1234). Nothing is written outside the
temporary folder, which is removed by :meth:`close`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kiosk.config import KioskConfig
from kiosk.outcomes import Outcome, outcome_for_result_code
from kiosk.staff_pin import DEMO_PIN, hash_pin

if TYPE_CHECKING:
    from kiosk.privacy import PersonHasher
    from kiosk.standins.population import Person, Population

DEMO_KIOSK_ID = "demo-kiosk-01"
DEMO_SEED = 1
DEMO_POPULATION_SIZE = 200
NOT_AN_ID_CARD = "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"
PAPER_PREFIX = "paper:"  # the synthetic camera shows such a payload as a printed QR sheet

# One demo card per result code, in the order the synthetic camera shows them, with a short English label.
DEMO_CARDS = {
    "000": "eligible", "001": "eligible, Defence BHXH: check papers", "003": "new card (old expired)",
    "010": "card expired", "110": "card revoked", "050": "no card found", "060": "name does not match",
    "070": "date of birth does not match", "130": "child without a card",
}  # fmt: skip


class DemoError(RuntimeError):
    """The demo environment could not be set up (the message says why)."""


@dataclass(frozen=True)
class DemoPerson:
    label: str  # short English description, for docs and test ids
    outcome: Outcome  # what the kiosk shows for this card
    result_code: str | None  # the service's result code (None: no lookup is sent)
    payload: str  # what the QR code holds (USB scanner / submit_payload)
    camera_payload: str  # what the synthetic camera shows (a printed sheet for a non-ID QR)
    person: Person | None = field(default=None, repr=False, compare=False)


def invalid_payload(person: Person) -> str:
    """``person``'s card with a date of birth that disagrees with the number: an invalid card."""
    fields_ = person.qr_payload.split("|")
    dob = fields_[3]
    year = int(dob[-4:])
    fields_[3] = dob[:-4] + f"{year + 1 if year < 2000 else year - 1:04d}"
    return "|".join(fields_)


class DemoEnvironment:
    def __init__(
        self,
        *,
        population_size: int = DEMO_POPULATION_SIZE,
        base_dir: Path | None = None,
        read_timeout_s: float | None = None,
    ) -> None:
        self._size = population_size
        self._base_dir = base_dir
        self._read_timeout_s = read_timeout_s
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self.folder: Path | None = None
        self.service: Any = None
        self.config = KioskConfig()
        self.people: list[DemoPerson] = []
        self.pin = DEMO_PIN
        self.hasher: PersonHasher | None = None

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> DemoEnvironment:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        with self._lock:
            if self._closed:
                raise DemoError("the demo environment was closed")
            if self._started:
                return
            self._started = True
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        from kiosk.privacy import PersonHasher
        from kiosk.signing.keys import generate_private_key, save_private_key, save_public_key
        from kiosk.standins.population import generate_population
        from kiosk.standins.service.server import start_service, trusted_keys_dir

        self.population = population = generate_population(seed=DEMO_SEED, size=self._size)
        facilities = population.facilities()
        if not facilities:
            raise DemoError("the demo population has no registered staff")
        facility = facilities[0]
        operator = population.staff_member(facility.code)

        self.folder = Path(tempfile.mkdtemp(prefix="bhyt-kiosk-demo-", dir=self._base_dir))
        keys_dir = self.folder / "service-keys"  # the service's own key and the kiosk keys it trusts
        trusted = trusted_keys_dir(keys_dir)
        trusted.mkdir(parents=True)
        kiosk_key = generate_private_key()
        private_path = self.folder / "kiosk-private.pem"
        save_private_key(kiosk_key, private_path)
        save_public_key(kiosk_key.public_key(), trusted / f"{DEMO_KIOSK_ID}.pem")

        self.service = start_service(population=population, keys_dir=keys_dir, host="127.0.0.1", port=0)
        service_key_path = self.folder / "service-public.pem"
        save_public_key(self.service.service_public_key, service_key_path)

        self.hasher = PersonHasher(os.urandom(32))
        self.config = KioskConfig(
            kiosk_id=DEMO_KIOSK_ID,
            facility_code=facility.code,
            operator_name=operator.identity.full_name,
            operator_id=operator.identity.id_number,
            service_url=self.service.url,
            service_key=str(service_key_path),
            private_key=private_path,
            camera="auto",
            log_db=self.folder / "lookups.db",
            pending_at_rest=False,  # the demo leaves nothing behind: its pending lookups stay in memory
            staff_pin_hash=hash_pin(DEMO_PIN),
            mode="kiosk",
        )
        if self._read_timeout_s is not None:
            self.config.read_timeout_s = self._read_timeout_s
            self.config.connect_timeout_s = min(self.config.connect_timeout_s, self._read_timeout_s)
        self.config.validate_for_lookup()
        self.people = self._pick_people(population, exclude={operator.identity.id_number})

    def _pick_people(self, population: Population, exclude: set[str]) -> list[DemoPerson]:
        people: list[DemoPerson] = []
        for code, label in DEMO_CARDS.items():
            person = next((p for p in population.with_code(code) if p.identity.id_number not in exclude), None)
            if person is not None:
                people.append(DemoPerson(label, outcome_for_result_code(code), code, person.qr_payload,
                                         person.qr_payload, person))
        first_eligible = next((p.person for p in people if p.result_code == "000"), None)
        if first_eligible is not None:
            bad = invalid_payload(first_eligible)
            people.append(DemoPerson("invalid card (birth year disagrees with the number)", Outcome.INVALID_CARD,
                                     None, bad, bad, None))
        people.append(DemoPerson("a QR code that is not an ID card", Outcome.NOT_ID_CARD, None, NOT_AN_ID_CARD,
                                 PAPER_PREFIX + NOT_AN_ID_CARD, None))
        return people

    def close(self) -> None:
        """Stop the service and remove the temporary folder. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        service, self.service = self.service, None
        try:
            if service is not None:
                service.stop()
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ helpers

    def camera_payloads(self) -> list[str]:
        return [p.camera_payload for p in self.people]

    def person_for(self, outcome: Outcome) -> DemoPerson:
        for person in self.people:
            if person.outcome is outcome:
                return person
        raise KeyError(f"no demo card for {outcome.value}")

    def set_faults(self, spec: str) -> None:
        """Change the service's fault injection (e.g. ``error=1``, ``hang=1:30``, ``badsig=1``, ``none``)."""
        if self.service is None:
            raise DemoError("the demo service is not running")
        self.service.set_faults(spec)
