"""Kiosk settings: one TOML file, overridable by environment variables and command-line flags.

Precedence, lowest first: built-in defaults < the TOML file < ``BHYT_KIOSK_<FIELD>`` environment
variables < flags. The TOML file is flat (``facility_code = "27001"``); the file used is ``--config``,
else ``BHYT_KIOSK_CONFIG``, else :func:`kiosk.paths.default_config_file` (a missing default file just
means "defaults"; a missing file that was asked for by name is an error).

Commands get the lookup flags with :func:`add_lookup_arguments` and build the configuration with
:func:`config_from_args`. That function is general: any parsed argument whose ``dest`` is the name of a
:class:`KioskConfig` field and whose value is not ``None`` overrides the setting, so a command can add
e.g. ``parser.add_argument("--camera", dest="camera", default=None)`` and get it merged.

Every problem is a :class:`ConfigError` whose message names the setting and where it came from.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Any
from urllib.parse import urlsplit

from kiosk import paths

ENV_PREFIX = "BHYT_KIOSK_"
CONFIG_ENV = "BHYT_KIOSK_CONFIG"
MODES = ("kiosk", "reception")
LANGUAGES = ("vi", "en")

_FACILITY = re.compile(r"\d{2}[0-9A-Za-z]{3}")
_CCCD = re.compile(r"\d{12}")


class ConfigError(Exception):
    """A setting is missing, malformed or out of range; the message names it."""


# The settings every looking-up command takes as flags: setting -> (flag, metavar, type, help).
LOOKUP_FLAGS: dict[str, tuple[str, str, type, str]] = {
    "service_url": ("--service", "URL", str, "eligibility service base URL, e.g. http://127.0.0.1:8765"),
    "service_key": ("--service-key", "FILE", str,
                    "the service's public key: PEM file, or the JWK that GET /v1/service-key publishes"),
    "kiosk_id": ("--kiosk-id", "ID", str, "this kiosk's id (the signature key id registered with the service)"),
    "private_key": ("--key", "FILE", Path, "this kiosk's private signing key (PEM or JWK file)"),
    "facility_code": ("--facility", "CODE", str, "5-character health-facility code, e.g. 27001"),
    "operator_id": ("--operator-id", "ID", str, "12-digit CCCD number of the staff member responsible for lookups"),
    "operator_name": ("--operator-name", "NAME", str, "full name of that staff member, as on their CCCD"),
    "read_timeout_s": ("--timeout", "S", float, "seconds to wait for an answer (a lookup ends within this plus 1 s)"),
    "retries": ("--retries", "N", int, "extra tries after a transient failure (default 2)"),
}
# The flag that sets a setting (named in "missing" messages); the flag's dest is the setting's name.
FIELD_FLAGS: dict[str, str] = {name: flag for name, (flag, *_rest) in LOOKUP_FLAGS.items()}


@dataclass
class KioskConfig:
    # Identity of this kiosk and the staff member responsible for its lookups (sent with every lookup).
    kiosk_id: str = ""
    facility_code: str = ""
    operator_name: str = ""
    operator_id: str = ""
    # The eligibility service.
    service_url: str = ""
    service_key: str = ""  # path to a PEM or JWK file, or the PEM / JWK text itself
    private_key: Path | None = None  # the kiosk's signing key (PEM or JWK file)
    # The province's log collector: when set, the app ships the lookup log there in the background.
    collector_url: str = ""
    collector_key: str = ""  # the collector's public key: a PEM or JWK file, or the key itself
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 10.0
    retries: int = 2
    backoff_s: float = 0.2
    breaker_threshold: int = 5
    breaker_reset_s: float = 30.0
    # App settings.
    camera: str = "auto"
    camera_width: int = 1920  # the camera's highest resolution up to this (scanner.sources.camera)
    camera_height: int = 1080
    camera_fps: int = 30
    result_timeout_s: float = 15.0
    language: str = "vi"
    log_db: Path | None = None  # None: kiosk.paths.default_log_db()
    log_retention_days: int = 400
    staff_pin_hash: str | None = None
    mode: str = "kiosk"
    sounds: bool = True
    font_scale: float = 1.0
    high_contrast: bool = False
    kiosk_masking: bool = True  # kiosk mode: BHYT number and date of birth shown in part (reception: in full)
    scanner: str = ""  # a serial (USB CDC / COM) barcode scanner: "serial:PORT[,BAUD]"; "" for none
    # Background retries, queue tickets, hand-off to the hospital system (issue 14).
    first_try_deadline_s: float = 3.0  # then the patient gets a ticket and the lookup goes on in the background
    retry_limit_s: float = 600.0  # background retries stop (abandoned) this long after the first try
    pending_at_rest: bool = True  # keep pending lookups encrypted on disk to resume after a restart; else memory only
    pending_resume: bool = True  # on start, resume them (else they are recorded as abandoned)
    ticket_printer: str = ""  # usb:VID:PID | serial:DEVICE[:BAUD] | network:HOST[:PORT]; "" = PDF tickets
    ticket_printer_profile: str = "default"  # python-escpos printer profile
    ticket_fields: str = "number,time,counter,bhyt_status"  # also: facility, masked_id
    ticket_counter: str = "1"
    ticket_pdf_dir: Path | None = None  # None: <data dir>/tickets
    ticket_pdf_font: Path | None = None  # a TTF with Vietnamese letters; None: DejaVu Sans / Arial
    facility_name: str = ""
    his_url: str = ""  # the hospital system's FHIR endpoint (a Bundle is POSTed there); "" = no hand-off
    # Where each non-default setting came from ("kiosk.toml", "BHYT_KIOSK_X", "--flag"); not a setting.
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    # ----------------------------------------------------------------- loading

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        env: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> KioskConfig:
        """Defaults < TOML file < environment < ``overrides`` (already-typed values, e.g. from flags)."""
        environ = os.environ if env is None else env
        config = cls()
        explicit = path is not None or bool(environ.get(CONFIG_ENV))
        file = path if path is not None else Path(environ[CONFIG_ENV]) if explicit else paths.default_config_file()
        if explicit or file.exists():
            for name, value in _read_toml(file).items():
                if name not in _FIELD_TYPES:
                    raise ConfigError(f"{name}: not a kiosk setting (in {file.name}); "
                                      f"known settings: {', '.join(_FIELD_TYPES)}")
                config._set(name, _coerce(name, value, file.name, text=False), file.name)
        for name in setting_names():
            var = ENV_PREFIX + name.upper()
            raw = environ.get(var)
            if raw is not None and raw.strip() != "":
                config._set(name, _coerce(name, raw.strip(), var, text=True), var)
        for name, value in (overrides or {}).items():
            if name not in _FIELD_TYPES:
                raise ConfigError(f"{name}: not a kiosk setting")
            source = FIELD_FLAGS.get(name, "--" + name.replace("_", "-"))
            config._set(name, _coerce(name, value, source, text=isinstance(value, str)), source)
        config.validate()
        return config

    def _set(self, name: str, value: Any, source: str) -> None:
        setattr(self, name, value)
        self.sources[name] = source

    # ----------------------------------------------------------------- checks

    def _bad(self, name: str, message: str) -> ConfigError:
        """A problem with setting ``name``, and where its value came from when it was not the default."""
        source = self.sources.get(name)
        return ConfigError(f"{name}: {message}" + (f" (from {source})" if source else ""))

    def validate(self) -> None:
        """Check types and ranges of every setting (required lookup settings: :meth:`validate_for_lookup`)."""
        positive = ("connect_timeout_s", "read_timeout_s", "breaker_reset_s", "result_timeout_s", "font_scale",
                    "first_try_deadline_s", "retry_limit_s")
        for name in positive:
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise self._bad(name, f"must be a finite number greater than 0, got {value}")
        for name, low, high in (
            ("retries", 0, 10),
            ("breaker_threshold", 1, 1000),
            ("camera_width", 16, 16384),
            ("camera_height", 16, 16384),
            ("camera_fps", 1, 240),
            ("log_retention_days", 1, 36500),
        ):
            value = getattr(self, name)
            if not low <= value <= high:
                raise self._bad(name, f"must be between {low} and {high}, got {value}")
        if self.backoff_s < 0:
            raise self._bad("backoff_s", f"must not be negative, got {self.backoff_s}")
        if self.mode not in MODES:
            raise self._bad("mode", f"must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.language not in LANGUAGES:
            raise self._bad("language", f"must be one of {', '.join(LANGUAGES)}, got {self.language!r}")
        if not self.camera.strip():
            raise self._bad("camera", "must not be empty (use 'auto')")
        if self.scanner.strip():
            from scanner.serial_scanner import SerialSpecError, parse_serial_spec

            try:
                parse_serial_spec(self.scanner)
            except SerialSpecError as exc:
                raise self._bad("scanner", str(exc)) from None
        from kiosk.tickets.printing import PrinterSpec
        from kiosk.tickets.ticket import TicketLayout

        if self.retry_limit_s > 86_400:
            raise self._bad("retry_limit_s", f"must be at most 86400 s (a day), got {self.retry_limit_s}")
        try:
            TicketLayout.parse(self.ticket_fields)
        except ValueError as exc:
            raise self._bad("ticket_fields", str(exc)) from None
        try:
            PrinterSpec.parse(self.ticket_printer)
        except ValueError as exc:
            raise self._bad("ticket_printer", str(exc)) from None
        if self.his_url and urlsplit(self.his_url).scheme not in ("http", "https"):
            raise self._bad("his_url", f"must be an http:// or https:// URL, got {self.his_url!r}")

    def validate_for_lookup(self) -> None:
        """Raise :class:`ConfigError` naming the first lookup setting that is missing or malformed."""
        from kiosk.signing.keys import is_inline_key
        from kiosk.signing.profile import KEYID_PATTERN

        self.validate()
        for name in ("service_url", "service_key", "private_key", "kiosk_id", "facility_code",
                     "operator_id", "operator_name"):
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise ConfigError(f"{name}: missing — {self.how_to_set(name)}")
        url = urlsplit(self.service_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise self._bad("service_url", f"must be an http:// or https:// URL, got {self.service_url!r}")
        if url.query or url.fragment:
            raise self._bad("service_url", "must not have a query or fragment")
        if not is_inline_key(self.service_key):
            key_path = Path(self.service_key)
            if not key_path.is_file():
                raise self._bad("service_key", f"file not found: {key_path} (give a PEM or JWK file, or the key)")
        assert self.private_key is not None
        if not Path(self.private_key).is_file():
            raise self._bad("private_key", f"file not found: {self.private_key}")
        if not KEYID_PATTERN.fullmatch(self.kiosk_id):  # the kiosk id is its signature key id
            raise self._bad(
                "kiosk_id", f"must be 1–64 letters, digits, '.', '_' or '-', got {self.kiosk_id!r}"
            )
        if len(self.facility_code) != 5:
            raise self._bad("facility_code", f"must be 5 characters, got {self.facility_code!r}")
        if not _FACILITY.fullmatch(self.facility_code):
            raise self._bad(
                "facility_code",
                f"must be 2 province digits and 3 letters or digits, got {self.facility_code!r}",
            )
        if not _CCCD.fullmatch(self.operator_id):
            raise self._bad("operator_id", "must be the operator's 12-digit CCCD number")
        if len(self.operator_name.strip()) < 2:
            raise self._bad("operator_name", "must be the operator's full name")

    def how_to_set(self, name: str) -> str:
        flag = FIELD_FLAGS.get(name)
        where = f"set {name} in kiosk.toml, {ENV_PREFIX}{name.upper()}"
        return f"{where} or {flag}" if flag else where

    # ----------------------------------------------------------------- derived values

    @property
    def lookup_deadline_s(self) -> float:
        """Upper bound on one lookup's wall time, retries included."""
        return self.read_timeout_s + 1.0

    @property
    def effective_log_db(self) -> Path:
        return self.log_db if self.log_db is not None else paths.default_log_db()

    @property
    def effective_ticket_pdf_dir(self) -> Path:
        return self.ticket_pdf_dir if self.ticket_pdf_dir is not None else paths.data_dir() / "tickets"

    # ----------------------------------------------------------------- saving

    def to_toml_dict(self) -> dict[str, Any]:
        """The settings as TOML values (``None`` settings are left out: TOML has no null)."""
        values = {name: getattr(self, name) for name in setting_names()}
        return {name: str(value) if isinstance(value, Path) else value
                for name, value in values.items() if value is not None}

    def save(self, path: Path | None = None) -> Path:
        """Write every setting to ``path`` (default: the default config file) as TOML, atomically."""
        import tomli_w

        self.validate()
        target = path if path is not None else paths.default_config_file()
        # holds the staff PIN hash: owner-only, and replaced whole (a failed write leaves the old file)
        paths.write_private_file(target, tomli_w.dumps(self.to_toml_dict()).encode("utf-8"))
        return target


# --------------------------------------------------------------------- field typing

# Each setting's annotation, e.g. "float" or "Path | None" (the module's annotations are strings).
_FIELD_TYPES: dict[str, str] = {f.name: str(f.type) for f in dataclasses.fields(KioskConfig) if f.name != "sources"}


def setting_names() -> tuple[str, ...]:
    return tuple(_FIELD_TYPES)


def _finite_number(raw: str) -> float:
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


_BOOL_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


# Per annotation: how text (an environment variable, a flag) becomes the value, the TOML values taken as they are
# (a TOML string is never a number), and the words of the error message.
_KINDS: dict[str, tuple[Callable[[str], Any], type | UnionType, str]] = {
    "str": (str, str, "a string"),
    "str | None": (str, str, "a string"),
    "int": (int, int, "a whole number"),
    "float": (_finite_number, int | float, "a number"),
    "bool": (lambda raw: _BOOL_WORDS[raw.lower()], bool, "true or false"),
    "Path | None": (Path, str | Path, "a path string"),
}


def _coerce(name: str, value: Any, source: str, *, text: bool) -> Any:
    """A setting from ``text`` (an environment variable or flag) or from a TOML value (or an already-typed flag)."""
    kind = _FIELD_TYPES[name]
    parse, toml_types, expected = _KINDS[kind]
    try:
        if text:
            value = parse(value)
        elif not isinstance(value, toml_types) or (isinstance(value, bool) and kind != "bool"):
            raise ValueError(value)
    except (ValueError, KeyError):
        raise ConfigError(f"{name}: must be {expected}, got {value!r} (from {source})") from None
    if kind == "float":
        return float(value)
    return Path(value).expanduser() if kind == "Path | None" else value


def _read_toml(path: Path) -> dict[str, Any]:
    text = paths.read_file(path, "config file", ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    for key, value in data.items():
        if isinstance(value, dict):
            raise ConfigError(f"{key}: tables are not used in kiosk.toml; write settings as top-level keys")
    return data


# --------------------------------------------------------------------- command-line flags


def add_lookup_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the settings flags a lookup needs; every default is ``None`` (meaning "not given")."""
    group = parser.add_argument_group("kiosk settings (override kiosk.toml and BHYT_KIOSK_* variables)")
    group.add_argument("--config", metavar="FILE", type=Path, default=None,
                       help="settings file (default: BHYT_KIOSK_CONFIG or the platform's kiosk.toml)")
    for name, (flag, metavar, kind, help_text) in LOOKUP_FLAGS.items():
        group.add_argument(flag, dest=name, metavar=metavar, type=kind, default=None, help=help_text)


def config_from_args(args: argparse.Namespace, *, env: Mapping[str, str] | None = None) -> KioskConfig:
    """Merge file < environment < flags. Any ``args`` attribute named like a setting and not None is a flag."""
    overrides = {
        name: getattr(args, name)
        for name in setting_names()
        if getattr(args, name, None) is not None
    }
    config = KioskConfig.load(getattr(args, "config", None), env=env, overrides=overrides)
    if "read_timeout_s" in overrides and config.connect_timeout_s > config.read_timeout_s:
        config.connect_timeout_s = config.read_timeout_s
    return config
