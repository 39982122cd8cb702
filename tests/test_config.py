"""Kiosk settings: TOML file < BHYT_KIOSK_* environment < flags, validation messages, saving."""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.config import ConfigError, KioskConfig, add_lookup_arguments, config_from_args, setting_names
from kiosk.signing.keys import SigningKeyError, load_public_key


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("BHYT_KIOSK_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("BHYT_KIOSK_") and name != "BHYT_KIOSK_HOME":
            monkeypatch.delenv(name)
    return home


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    add_lookup_arguments(p)
    p.add_argument("--camera", dest="camera", default=None)  # another command's setting flag
    return p


@pytest.fixture
def key_files(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "kiosk.pem"
    public = tmp_path / "service.pem"
    private.write_text("-----BEGIN PRIVATE KEY-----\n")
    public.write_text("-----BEGIN PUBLIC KEY-----\n")
    return private, public


def complete(key_files: tuple[Path, Path], **changes: object) -> KioskConfig:
    config = KioskConfig(kiosk_id="kiosk-1", facility_code="27001", operator_name="Trần Thị Lan",
                         operator_id="027085001234", service_url="http://127.0.0.1:8000",
                         service_key=str(key_files[1]), private_key=key_files[0])
    for name, value in changes.items():
        setattr(config, name, value)
    return config


def test_defaults_when_no_file_exists() -> None:
    config = KioskConfig.load(env={})
    assert config == KioskConfig()
    assert (config.connect_timeout_s, config.read_timeout_s, config.retries, config.backoff_s) == (3.0, 10.0, 2, 0.2)
    assert (config.breaker_threshold, config.breaker_reset_s) == (5, 30.0)
    assert config.camera == "auto" and config.language == "vi" and config.mode == "kiosk"
    assert config.log_db is None and config.log_retention_days == 400 and config.result_timeout_s == 15.0
    assert config.lookup_deadline_s == 11.0


def test_default_file_environment_and_flags_in_order(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = isolated_home / "config" / "kiosk.toml"
    default.parent.mkdir(parents=True)
    default.write_text('facility_code = "27001"\nkiosk_id = "from-file"\nretries = 4\nread_timeout_s = 8\n'
                       'sounds = false\nlog_db = "~/lookups.db"\n', encoding="utf-8")
    monkeypatch.setenv("BHYT_KIOSK_KIOSK_ID", "from-env")
    monkeypatch.setenv("BHYT_KIOSK_RETRIES", "1")
    monkeypatch.setenv("BHYT_KIOSK_HIGH_CONTRAST", "yes")
    monkeypatch.setenv("BHYT_KIOSK_OPERATOR_NAME", "   ")  # blank: not set
    args = parser().parse_args(["--kiosk-id", "from-flag", "--camera", "2", "--timeout", "2.5"])
    config = config_from_args(args)
    assert config.kiosk_id == "from-flag" and config.sources["kiosk_id"] == "--kiosk-id"
    assert config.retries == 1 and config.sources["retries"] == "BHYT_KIOSK_RETRIES"
    assert config.facility_code == "27001" and config.sources["facility_code"] == "kiosk.toml"
    assert config.read_timeout_s == 2.5 and config.connect_timeout_s == 2.5  # connect clipped to the timeout
    assert config.sounds is False and config.high_contrast is True and config.camera == "2"
    assert config.operator_name == ""
    assert config.log_db == Path("~/lookups.db").expanduser()


def test_explicit_config_file_and_env_selected_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "site.toml"
    file.write_text('facility_code = "27002"\n', encoding="utf-8")
    assert config_from_args(parser().parse_args(["--config", str(file)])).facility_code == "27002"
    monkeypatch.setenv("BHYT_KIOSK_CONFIG", str(file))
    assert config_from_args(parser().parse_args([])).facility_code == "27002"
    with pytest.raises(ConfigError, match="config file not found"):
        config_from_args(parser().parse_args(["--config", str(tmp_path / "missing.toml")]))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retries = 'two'", "retries: must be a whole number, got 'two' (from x.toml)"),
        ("sounds = 1", "sounds: must be true or false"),
        ("facility = '27001'", "facility: not a kiosk setting (in x.toml)"),
        ("[service]\nurl = 'x'", "service: tables are not used"),
        ("retries = ", "not valid TOML"),
        ("mode = 'desk'", "mode: must be one of kiosk, reception, got 'desk' (from x.toml)"),
        ("read_timeout_s = 0", "read_timeout_s: must be a finite number greater than 0"),
        ("retries = 50", "retries: must be between 0 and 10, got 50"),
        ("backoff_s = -1", "backoff_s: must not be negative"),
    ],
)
def test_bad_file_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "x.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        KioskConfig.load(file, env={})
    assert message in str(info.value)


def test_bad_environment_values_are_named() -> None:
    with pytest.raises(ConfigError, match="read_timeout_s: must be a number, got 'soon' "
                                          r"\(from BHYT_KIOSK_READ_TIMEOUT_S\)"):
        KioskConfig.load(env={"BHYT_KIOSK_READ_TIMEOUT_S": "soon"})
    with pytest.raises(ConfigError, match="sounds: must be true or false"):
        KioskConfig.load(env={"BHYT_KIOSK_SOUNDS": "maybe"})
    with pytest.raises(ConfigError, match="camera_fps: must be a whole number"):
        KioskConfig.load(env={"BHYT_KIOSK_CAMERA_FPS": "30.5"})


def test_bad_timeout_flag() -> None:
    with pytest.raises(ConfigError, match="read_timeout_s: must be a finite number greater than 0"):
        config_from_args(parser().parse_args(["--timeout", "0"]))
    with pytest.raises(ConfigError, match=r"read_timeout_s: must be a finite number greater than 0, got nan"):
        config_from_args(parser().parse_args(["--timeout", "nan"]))
    with pytest.raises(ConfigError, match=r"read_timeout_s: must be a number, got 'inf'"):
        KioskConfig.load(env={"BHYT_KIOSK_READ_TIMEOUT_S": "inf"})


def test_complete_settings_validate(key_files: tuple[Path, Path]) -> None:
    complete(key_files).validate_for_lookup()
    inline = complete(key_files, service_key='{"kty": "OKP"}')
    inline.validate_for_lookup()  # taken as an inline JWK here (not as a file name); its contents are checked ...
    with pytest.raises(SigningKeyError, match="not an Ed25519 JWK: crv: missing"):
        load_public_key(inline.service_key)  # ... when the key is loaded (the client then raises ConfigError)


def test_missing_setting_says_how_to_set_it(key_files: tuple[Path, Path]) -> None:
    with pytest.raises(ConfigError) as info:
        complete(key_files, service_key="").validate_for_lookup()
    assert str(info.value) == (
        "service_key: missing — set service_key in kiosk.toml, BHYT_KIOSK_SERVICE_KEY or --service-key"
    )
    with pytest.raises(ConfigError, match=r"private_key: missing .* --key$"):
        complete(key_files, private_key=None).validate_for_lookup()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"facility_code": "27A"}, "facility_code: must be 5 characters, got '27A'"),
        ({"facility_code": "AB001"}, "facility_code: must be 2 province digits"),
        ({"operator_id": "12345"}, "operator_id: must be the operator's 12-digit CCCD number"),
        ({"operator_name": "X"}, "operator_name: must be the operator's full name"),
        ({"kiosk_id": "kiosk one"}, "kiosk_id: must be 1–64 letters"),
        ({"service_url": "ftp://host"}, "service_url: must be an http:// or https:// URL"),
        ({"service_url": "http://host/?q=1"}, "service_url: must not have a query"),
        ({"service_key": "/nonexistent/service.pem"}, "service_key: file not found: "),
        ({"private_key": Path("/nonexistent/kiosk.pem")}, "private_key: file not found: "),
    ],
)
def test_bad_lookup_settings_are_named(key_files: tuple[Path, Path], changes: dict[str, object],
                                       message: str) -> None:
    with pytest.raises(ConfigError) as info:
        complete(key_files, **changes).validate_for_lookup()
    assert str(info.value).startswith(message), str(info.value)


def test_source_is_named_in_messages(key_files: tuple[Path, Path]) -> None:
    config = KioskConfig.load(env={"BHYT_KIOSK_FACILITY_CODE": "27A"})
    for name in ("kiosk_id", "operator_name", "operator_id", "service_url", "service_key", "private_key"):
        setattr(config, name, getattr(complete(key_files), name))
    with pytest.raises(ConfigError, match=r"\(from BHYT_KIOSK_FACILITY_CODE\)$"):
        config.validate_for_lookup()


def test_save_round_trip(tmp_path: Path, key_files: tuple[Path, Path]) -> None:
    config = complete(key_files, staff_pin_hash="pbkdf2$abc", font_scale=1.25, high_contrast=True,
                      log_db=tmp_path / "log.db", mode="reception")
    target = tmp_path / "conf" / "kiosk.toml"
    assert config.save(target) == target
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert data["facility_code"] == "27001" and data["font_scale"] == 1.25 and "sources" not in data
    loaded = KioskConfig.load(target, env={})
    assert loaded == config
    if sys.platform != "win32":
        assert target.stat().st_mode & 0o777 == 0o600
    assert not list(target.parent.glob("*.tmp"))


def test_save_leaves_out_none_and_refuses_invalid(tmp_path: Path) -> None:
    config = KioskConfig()
    config.save(tmp_path / "a.toml")
    data = tomllib.loads((tmp_path / "a.toml").read_text(encoding="utf-8"))
    assert "log_db" not in data and "staff_pin_hash" not in data and "private_key" not in data
    assert set(data) <= set(setting_names())
    config.mode = "desk"
    with pytest.raises(ConfigError, match="mode"):
        config.save(tmp_path / "b.toml")
    assert not (tmp_path / "b.toml").exists()


def test_overrides_must_name_settings() -> None:
    with pytest.raises(ConfigError, match="colour: not a kiosk setting"):
        KioskConfig.load(env={}, overrides={"colour": "red"})
    config = KioskConfig.load(env={}, overrides={"camera_fps": "25", "sounds": False})
    assert config.camera_fps == 25 and config.sounds is False
