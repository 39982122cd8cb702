from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.staff_pin import verify_pin


def test_set_pin_stores_a_hash_and_show_hides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('kiosk_id = "kiosk-01"\nfacility_code = "27001"\n', encoding="utf-8")
    monkeypatch.setenv("BHYT_KIOSK_OPERATOR_NAME", "from env")
    monkeypatch.setattr("sys.stdin", io.StringIO("482913\n"))
    assert main(["config", "set-pin", "--config", str(cfg), "--pin-stdin"]) == 0
    saved = tomllib.loads(cfg.read_text(encoding="utf-8"))
    assert saved["kiosk_id"] == "kiosk-01"
    assert "operator_name" not in saved or saved["operator_name"] != "from env"
    assert "482913" not in cfg.read_text(encoding="utf-8")
    assert verify_pin("482913", saved["staff_pin_hash"])
    assert not verify_pin("000000", saved["staff_pin_hash"])
    capsys.readouterr()
    assert main(["config", "show", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "staff_pin_hash = (set)" in out
    assert saved["staff_pin_hash"] not in out
    assert "kiosk_id = kiosk-01    # kiosk.toml" in out


def test_set_pin_refuses_a_bad_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "kiosk.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("12ab\n"))
    assert main(["config", "set-pin", "--config", str(cfg), "--pin-stdin"]) == 2
    assert not cfg.exists()
