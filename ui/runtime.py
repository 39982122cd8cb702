"""What the app runs on, built off the GUI thread: configuration, demo environment, camera, pipeline.

No Qt in this module: the app calls :func:`build_runtime` on a worker thread (service start-up, camera
probing and the OpenCV import are slow) and the benchmarks and tests use it directly.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import paths
from kiosk.config import ConfigError, KioskConfig

if TYPE_CHECKING:
    from kiosk.central.shipper import Shipper
    from kiosk.his import HisSender
    from kiosk.pipeline import KioskPipeline, PipelineEvent
    from kiosk.retrier import RetryEvent
    from kiosk.standins.demo import DemoEnvironment
    from kiosk.tickets.issuer import TicketIssuer
    from scanner.serial_scanner import SerialScanner
    from scanner.sources.base import FrameSource

log = logging.getLogger(__name__)

SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class StartOptions:
    mode: str | None = None  # None: the config's mode
    camera: str | None = None  # None: the config's camera
    config_path: Path | None = None
    demo: bool = False
    scanner: str | None = None  # None: the config's scanner
    # settings given as lookup flags (--service, --kiosk-id, ... --timeout): field name -> value
    overrides: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Any) -> StartOptions:
        from kiosk.config import FIELD_FLAGS

        config = getattr(args, "config", None)
        overrides = {name: getattr(args, name) for name in FIELD_FLAGS if getattr(args, name, None) is not None}
        return cls(
            mode=getattr(args, "mode", None),
            camera=getattr(args, "camera", None),
            config_path=Path(config) if config else None,
            demo=bool(getattr(args, "demo", False)),
            scanner=getattr(args, "scanner", None),
            overrides=overrides,
        )

    def setting_overrides(self) -> dict[str, Any]:
        """Every setting the command line gives, by field name."""
        out = dict(self.overrides)
        for name in ("mode", "camera", "scanner"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out

    def wants_demo(self) -> bool:
        """--demo, or no configuration at all (a fresh machine shows the whole flow)."""
        if self.demo:
            return True
        if self.config_path is not None or self.overrides:
            return False
        import os

        from kiosk.config import CONFIG_ENV

        return not os.environ.get(CONFIG_ENV) and not paths.default_config_file().exists()


@dataclass
class Runtime:
    config: KioskConfig
    config_path: Path | None  # where settings are saved (None in demo mode: nothing is saved)
    pipeline: KioskPipeline
    source_description: str
    demo: DemoEnvironment | None = None
    demo_payloads: list[str] = field(default_factory=list)
    camera_problem: str | None = None  # the camera could not be set up (the app runs without one)
    serial_scanner: SerialScanner | None = None
    shipper: Shipper | None = None  # ships the lookup log to the collector (collector_url set)
    tickets: TicketIssuer | None = None  # kiosk mode: queue tickets
    his: HisSender | None = None  # reception with his_url: hands results to the hospital system
    _closed: bool = False

    def close(self) -> None:
        """Stop the serial scanner, the log shipper and the pipeline (joins their threads), then close the HIS
        sender and the demo service. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.serial_scanner is not None:
                self.serial_scanner.close()
            if self.shipper is not None:
                self.shipper.stop()
            self.pipeline.stop()
        finally:
            if self.tickets is not None:
                self.tickets.close()
            if self.his is not None:
                self.his.close()
            if self.demo is not None:
                self.demo.close()

    def make_source(self, spec: str) -> FrameSource:
        return make_source(spec, self.config, self.demo_payloads)


def describe(runtime: Runtime) -> list[str]:
    """What is running, for the terminal and the app's log file (no personal data, no secrets)."""
    config = runtime.config
    if runtime.demo is not None:
        service = f"demo: mock service in-process at {config.service_url} (demo people, staff PIN {runtime.demo.pin})"
    else:
        service = f"service {config.service_url} as kiosk {config.kiosk_id!r}, facility {config.facility_code}"
    source = runtime.pipeline.source
    if source is None:
        camera = f"camera: none ({runtime.camera_problem or 'not configured'})"
    else:
        size = getattr(source, "frame_size", None) or (getattr(source, "width", None), getattr(source, "height", None))
        # a real camera says its size only with its first frame: then what was asked for
        requested = f"{config.camera_width}x{config.camera_height} requested"
        at = f"{size[0]}x{size[1]}" if size and all(size) else requested
        camera = f"camera: {source.description} at {at} (setting {config.camera!r})"
    scanner = f"serial scanner: {config.scanner}" if config.scanner else "serial scanner: none (keyboard scanners work)"
    settings = f"settings: {runtime.config_path}" if runtime.config_path else "settings: built-in demo (not saved)"
    return [f"mode: {config.mode}", service, camera, scanner, f"lookup log: {config.effective_log_db}", settings]


def config_file(options: StartOptions) -> Path:
    """The settings file the options point at (the one KioskConfig.load reads)."""
    import os

    from kiosk.config import CONFIG_ENV

    if options.config_path is not None:
        return options.config_path
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else paths.default_config_file()


def salvage_pin_hash(path: Path) -> str | None:
    """The staff PIN hash from a settings file that does not load (so that staff can still open the staff menu
    and read the error): the TOML's value if it parses, else the ``staff_pin_hash = "..."`` line."""
    import re
    import tomllib

    from kiosk.staff_pin import is_valid_hash

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    try:
        value = tomllib.loads(text).get("staff_pin_hash")
    except tomllib.TOMLDecodeError:
        match = re.search(r'^\s*staff_pin_hash\s*=\s*["\']([^"\']+)["\']\s*$', text, re.MULTILINE)
        value = match.group(1) if match else None
    return value if isinstance(value, str) and is_valid_hash(value) else None


def load_config(options: StartOptions) -> KioskConfig:
    config = KioskConfig.load(options.config_path, overrides=options.setting_overrides())
    if "read_timeout_s" in options.overrides:
        config.connect_timeout_s = min(config.connect_timeout_s, config.read_timeout_s)
    return config


def start_serial_scanner(config: KioskConfig, pipeline: KioskPipeline) -> SerialScanner | None:
    """The serial scanner of the settings (``scanner = "serial:PORT[,BAUD]"``), feeding the pipeline."""
    if not config.scanner.strip():
        return None
    from kiosk.attempts import InputSource
    from scanner.serial_scanner import SerialScanner

    def on_code(text: str) -> None:
        pipeline.submit_payload(text, InputSource.SERIAL_SCANNER)

    def on_status(connected: bool, problem: str | None) -> None:
        if not connected and problem and problem != "closed":
            pipeline.report_error(f"scanner {config.scanner}: {problem}")

    scanner = SerialScanner(config.scanner, on_code, on_status)
    scanner.start()
    return scanner


def camera_choices(*, probe: bool = False) -> list[tuple[str, str]]:
    """(spec, label) for the settings screen: the cameras found, then the synthetic camera."""
    choices: list[tuple[str, str]] = []
    try:
        from scanner.sources import list_cameras

        for cam in list_cameras(probe=probe):
            choices.append((cam.device, f"{cam.name} ({cam.device})"))
    except Exception as exc:  # listing cameras must never break the settings screen
        log.info("listing cameras failed: %s", exc)
    choices.append((SYNTHETIC, "Camera mô phỏng (synthetic)"))
    return choices


def make_source(spec: str, config: KioskConfig, demo_payloads: Sequence[str] = ()) -> FrameSource:
    """The frame source for a camera setting: 'auto' is the first working camera, else the synthetic one."""
    from scanner.sources import SyntheticSource, list_cameras, open_source

    size = {"width": config.camera_width, "height": config.camera_height, "fps": float(config.camera_fps)}
    spec = spec.strip()
    if spec == "auto":
        cameras = [c for c in list_cameras(probe=True) if c.available]
        if cameras:
            return open_source(cameras[0].device, **size)
        spec = SYNTHETIC
    if spec == SYNTHETIC:
        return SyntheticSource(payloads=list(demo_payloads) or None, width=min(config.camera_width, 1280),
                               height=min(config.camera_height, 720), fps=float(min(config.camera_fps, 30)))
    return open_source(spec, **size)


def build_runtime(
    options: StartOptions,
    listeners: Sequence[Callable[[PipelineEvent], None]] = (),
    *,
    cancelled: threading.Event | None = None,
    retry_listeners: Sequence[Callable[[RetryEvent], None]] = (),
) -> Runtime:
    """Load the config (or start the demo), open the camera, start the pipeline with ``listeners`` attached.

    Lookups without an answer in time go on in the background (``retry_listeners`` hear about them); in kiosk
    mode each of them, and any patient who asks, gets a queue ticket.

    Raises ConfigError (bad settings) or another exception with a message for the start-up error screen.
    """
    from kiosk.pipeline import KioskPipeline

    demo: DemoEnvironment | None = None
    try:
        if options.wants_demo():
            from kiosk.standins.demo import DemoEnvironment

            demo = DemoEnvironment()
            demo.start()
            config = demo.config
            for name, value in options.setting_overrides().items():
                setattr(config, name, value)
            config.validate()
            config_path = None
            payloads = demo.camera_payloads()
        else:
            config = load_config(options)
            config_path = options.config_path or paths.default_config_file()
            payloads = []
        if cancelled is not None and cancelled.is_set():
            raise ConfigError("start-up cancelled")
        camera_problem: str | None = None
        try:
            source: FrameSource | None = make_source(config.camera, config, payloads)
        except Exception as exc:  # no camera: the app still runs (USB scanner, manual entry)
            log.warning("camera %r unavailable: %s", config.camera, exc)
            camera_problem = f"camera {config.camera!r}: {exc}"
            source = None
        tickets: TicketIssuer | None = None
        if config.mode == "kiosk":
            from kiosk.tickets.issuer import TicketIssuer
            from kiosk.tickets.numbers import TicketNumberError

            try:
                if demo is not None:  # the demo keeps its tickets in its own temporary folder
                    from kiosk.tickets.numbers import TicketCounter

                    config.ticket_pdf_dir = demo.folder / "tickets"
                    tickets = TicketIssuer(config, TicketCounter(demo.folder / "tickets.db"))
                else:
                    tickets = TicketIssuer(config)
            except TicketNumberError as exc:
                log.error("queue tickets unavailable: %s", exc)
        pipeline = KioskPipeline(config=config, source=source, hasher=demo.hasher if demo else None,
                                 background_retries=True, tickets=tickets)
        for fn in listeners:
            pipeline.add_listener(fn)
        for retry_fn in retry_listeners:
            pipeline.add_retry_listener(retry_fn)
        runtime = Runtime(
            config=config,
            config_path=config_path,
            pipeline=pipeline,
            source_description=source.description if source is not None else "",
            demo=demo,
            demo_payloads=payloads,
            camera_problem=camera_problem,
            tickets=tickets,
        )
        pipeline.start()
        if camera_problem is not None:
            pipeline.report_error(camera_problem)
        runtime.serial_scanner = start_serial_scanner(config, pipeline)
        from kiosk.log_shipping import start_log_shipping

        runtime.shipper = start_log_shipping(config)
        if config.mode == "reception" and config.his_url:  # built here, off the GUI thread (its client loads TLS)
            from kiosk.his import HisSender

            runtime.his = HisSender(config.his_url)
        return runtime
    except BaseException:
        if demo is not None:
            with contextlib.suppress(Exception):
                demo.close()
        raise
