"""Real X input: the reception window in its own process on its own Xvfb display, typed at with xdotool.

These tests run where Xvfb and xdotool are installed (CI installs both through scripts/setup.sh) and are
skipped elsewhere. A USB barcode scanner is a keyboard to X: ``xdotool type --delay 2`` sends the same key
events (with Shift presses for capitals and ``|``, and a remapped keycode for each Vietnamese letter).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.outcomes import Outcome
from kiosk.standins.demo import DemoEnvironment

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.xinput,
    pytest.mark.timeout(240),
    pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")) or sys.platform == "win32",
                       reason="needs Xvfb and xdotool"),
]


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """An Xvfb on a display number it picks itself (-displayfd): no clash with other X servers."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        pytest.skip("Xvfb did not start")
    return proc, f":{number}"


@dataclass
class XApp:
    display: str
    state_dir: Path
    proc: subprocess.Popen[bytes]
    log_db: Path
    requests: int = 0

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.display}, check=True, timeout=120)

    def state(self, submit: str | None = None) -> dict:  # type: ignore[type-arg]
        self.requests += 1
        body = json.dumps({"submit": submit}) if submit else ""
        (self.state_dir / f"request-{self.requests}").write_text(body, encoding="utf-8")
        target = self.state_dir / f"state-{self.requests}.json"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if target.exists():
                try:
                    return json.loads(target.read_text(encoding="utf-8"))
                except json.JSONDecodeError:  # being written
                    pass
            time.sleep(0.05)
        raise AssertionError("the app did not answer")

    def wait_attempts(self, count: int, timeout: float = 30.0) -> dict:  # type: ignore[type-arg]
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if len(state["attempts"]) >= count or time.monotonic() > deadline:
                return state
            time.sleep(0.2)

    def click_name_field(self) -> None:
        x, y = self.state()["name_field_centre"]
        self.xdotool("mousemove", str(x), str(y), "click", "1")
        deadline = time.monotonic() + 10
        while not self.state()["focus_is_name"]:
            assert time.monotonic() < deadline, "the name field did not take the focus"
            time.sleep(0.1)


def map_letters(display: str, text: str) -> None:
    """Give every non-ASCII letter of ``text`` a key of its own in the X keyboard map (as a Vietnamese keyboard
    layout or a scanner's Unicode mode would), lower and upper case on one key. Without this, xdotool binds
    each such letter to a spare key only for the moment it types it, and the letter is lost on the way."""
    env = {**os.environ, "DISPLAY": display}
    table = subprocess.run(["xmodmap", "-pke"], env=env, capture_output=True, text=True, check=True).stdout
    free = [int(line.split()[1]) for line in table.splitlines() if line.split()[3:] == [] or "XF86" in line]
    letters = sorted({ch.lower() for ch in text if not ch.isascii()})
    assert len(free) >= len(letters), "not enough spare keys"
    expressions = []
    for code, letter in zip(free, letters, strict=False):
        lower, upper = letter, letter.upper()
        expressions += ["-e", f"keycode {code} = U{ord(lower):04X} U{ord(upper):04X}"]
    subprocess.run(["xmodmap", *expressions], env=env, check=True, timeout=30)


@pytest.fixture(scope="module")
def demo_people() -> Iterator[DemoEnvironment]:
    with DemoEnvironment() as env:  # the same seed as the app's: the same people
        yield env


@pytest.fixture
def xapp(tmp_path: Path) -> Iterator[XApp]:
    xvfb, display = start_xvfb()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "BHYT_KIOSK_HOME": str(tmp_path / "home")}
    env.pop("WAYLAND_DISPLAY", None)
    log = (tmp_path / "app.log").open("wb")
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "x_app.py"), str(tmp_path)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        ready = tmp_path / "ready.json"
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the app did not start:\n" + (tmp_path / "app.log").read_text(errors="replace"))
            time.sleep(0.1)
        time.sleep(0.3)
        app = XApp(display, tmp_path, proc, Path(json.loads(ready.read_text())["log_db"]))
        app.xdotool("search", "--sync", "--onlyvisible", "--name", "BHYT", "windowfocus", "--sync")
        yield app
    finally:
        (tmp_path / "quit").write_text("")
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        xvfb.terminate()
        xvfb.wait(10)


EMPTY_FORM = {"id": "", "name": "", "dob": ""}


@pytest.mark.skipif(not shutil.which("xmodmap"), reason="needs xmodmap")
def test_scanner_burst_with_shift_and_vietnamese_letters_is_one_exact_scan(
    xapp: XApp, demo_people: DemoEnvironment
) -> None:
    eligible = demo_people.person_for(Outcome.ELIGIBLE).payload
    mismatch = demo_people.person_for(Outcome.DATA_MISMATCH).payload
    for payload in (eligible, mismatch):
        assert any(ch.isupper() for ch in payload) and "|" in payload  # Shift presses inside the burst
        assert any(ord(ch) > 127 for ch in payload)  # Vietnamese letters in the name and address
    map_letters(xapp.display, eligible + mismatch)
    xapp.click_name_field()  # the focus in a field: a leak would show there
    xapp.xdotool("type", "--delay", "2", eligible + "\n")
    state = xapp.wait_attempts(1)
    assert [(a["source"], a["outcome"]) for a in state["attempts"]] == [("usb-scanner", "eligible")], state
    assert state["fields"] == EMPTY_FORM  # nothing leaked into the form
    assert state["focus_is_name"]
    # a scanner set up with a Tab suffix
    xapp.xdotool("type", "--delay", "2", mismatch + "\t")
    state = xapp.wait_attempts(2)
    assert [a["outcome"] for a in state["attempts"]] == ["eligible", "data-mismatch"], state
    assert state["fields"] == EMPTY_FORM and state["focus_is_name"]


def test_scanner_that_loses_vietnamese_letters_gets_a_staff_message(xapp: XApp, demo_people: DemoEnvironment) -> None:
    """A HID scanner emulating a US keyboard sends no key for a Vietnamese letter: the letters are lost."""
    eligible = demo_people.person_for(Outcome.ELIGIBLE).payload
    typed = "".join(ch for ch in eligible if ch.isascii())
    assert typed != eligible
    xapp.click_name_field()
    xapp.xdotool("type", "--delay", "2", typed + "\n")
    state = xapp.wait_attempts(1)
    assert [(a["source"], a["outcome"], a["error_reason"]) for a in state["attempts"]] == [
        ("usb-scanner", "invalid-card", "invalid-card: letters-lost")], state
    assert "QR" not in state["result_title"] + state["result_reason"]
    assert "máy quét" in state["result_title"].lower() and "COM" in state["result_next"]
    assert state["fields"] == EMPTY_FORM


def test_typing_a_name_while_a_camera_result_arrives_keeps_every_key(
    xapp: XApp, demo_people: DemoEnvironment
) -> None:
    xapp.click_name_field()
    name = "Nguyen Van An Binh"
    typing = subprocess.Popen(["xdotool", "type", "--delay", "110", name],
                              env={**os.environ, "DISPLAY": xapp.display})
    time.sleep(0.6)
    xapp.state(submit=demo_people.person_for(Outcome.NOT_ELIGIBLE).payload)  # a card read by the camera
    typing.wait(60)
    deadline = time.monotonic() + 10
    while (state := xapp.state())["screen"] != "result" or state["fields"]["name"] != name:
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    assert state["focus_is_name"]
    assert [a["outcome"] for a in state["attempts"]] == ["not-eligible"]
    xapp.xdotool("type", "--delay", "110", " X")  # a space no longer dismisses the result
    time.sleep(0.5)
    state = xapp.state()
    assert state["fields"]["name"] == name + " X" and state["screen"] == "result"
