"""The assets a wheel carries, and where an install finds them."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from scanner import assets

ROOT = Path(__file__).resolve().parent.parent


def test_every_asset_file_goes_into_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    patterns = [p for files in data_files.values() for p in files]
    for target, files in data_files.items():
        for pattern in files:  # each pattern lands in the matching folder under share/bhyt-kiosk
            assert target == "share/bhyt-kiosk/" + str(Path(pattern).parent)
    on_disk = [p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*") if p.is_file()]
    assert on_disk
    missing = [f for f in on_disk if not any(fnmatch.fnmatch(f, p) and "/" not in f[len(p) - 1 :] for p in patterns)]
    assert missing == []


def test_an_installed_copy_is_found_under_the_prefix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share = tmp_path / "share" / "bhyt-kiosk" / "assets"
    (share / "models").mkdir(parents=True)
    monkeypatch.setattr(assets.sys, "prefix", str(tmp_path))
    monkeypatch.delenv(assets.ENV_VAR, raising=False)
    monkeypatch.setattr(assets, "__file__", str(tmp_path / "site-packages" / "scanner" / "assets.py"))
    assert assets.assets_dir() == share
    assert assets.models_dir() == share / "models"


def test_no_assets_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets.sys, "prefix", str(tmp_path))
    monkeypatch.setenv(assets.ENV_VAR, str(tmp_path / "nowhere"))
    monkeypatch.setattr(assets, "__file__", str(tmp_path / "site-packages" / "scanner" / "assets.py"))
    with pytest.raises(FileNotFoundError, match=assets.ENV_VAR):
        assets.assets_dir()
