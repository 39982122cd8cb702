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
    from kiosk.pipeline import KioskPipeline, PipelineEvent
    from kiosk.retrier import RetryEvent
    from kiosk.standins.demo import DemoEnvironment
    from kiosk.tickets.issuer import TicketIssuer
    from scanner.sources.base import FrameSource

log = logging.getLogger(__name__)

SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class StartOptions:
    mode: str | None = None  # None: the config's mode
    camera: str | None = None  # None: the config's camera
    config_path: Path | None = None
    demo: bool = False

    @classmethod
    def from_args(cls, args: Any) -> StartOptions:
        config = getattr(args, "config", None)
        return cls(
            mode=getattr(args, "mode", None),
            camera=getattr(args, "camera", None),
            config_path=Path(config) if config else None,
            demo=bool(getattr(args, "demo", False)),
        )

    def wants_demo(self) -> bool:
        """--demo, or no configuration at all (a fresh machine shows the whole flow)."""
        if self.demo:
            return True
        if self.config_path is not None:
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
    shipper: Shipper | None = None  # ships the lookup log to the collector (collector_url set)
    tickets: TicketIssuer | None = None  # kiosk mode: queue tickets
    _closed: bool = False

    def close(self) -> None:
        """Stop the log shipper and the pipeline (joins their threads), then the demo service. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.shipper is not None:
                self.shipper.stop()
            self.pipeline.stop()
        finally:
            if self.tickets is not None:
                self.tickets.close()
            if self.demo is not None:
                self.demo.close()

    def make_source(self, spec: str) -> FrameSource:
        return make_source(spec, self.config, self.demo_payloads)


def load_config(options: StartOptions) -> KioskConfig:
    overrides: dict[str, Any] = {}
    if options.mode:
        overrides["mode"] = options.mode
    if options.camera:
        overrides["camera"] = options.camera
    return KioskConfig.load(options.config_path, overrides=overrides)


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
            if options.mode:
                config.mode = options.mode
            if options.camera:
                config.camera = options.camera
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
        from kiosk.log_shipping import start_log_shipping

        runtime.shipper = start_log_shipping(config)
        return runtime
    except BaseException:
        if demo is not None:
            with contextlib.suppress(Exception):
                demo.close()
        raise
