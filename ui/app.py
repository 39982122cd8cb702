"""``bhyt-kiosk app``: start the Qt app.

The window comes first (a "starting camera" screen within a fraction of a second); the slow work —
loading the configuration or starting the demo service, opening the camera, importing OpenCV, starting
the pipeline — runs on a worker thread (:class:`Starter`) and is handed to the window when ready.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig
from ui.app_log import setup_logging
from ui.i18n import Translations
from ui.main_window import MainWindow
from ui.runtime import (
    Runtime,
    StartOptions,
    build_runtime,
    config_file,
    describe,
    load_config,
    salvage_pin_hash,
)
from ui.theme import Theme, apply_theme, for_screen

log = logging.getLogger(__name__)


class Starter(QObject):
    """Builds the :class:`Runtime` on a worker thread; ``ready``/``failed`` arrive on the GUI thread."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, options: StartOptions, window: MainWindow) -> None:
        super().__init__(window)
        self.options = options
        self.window = window
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._built: Runtime | None = None
        self.thread = threading.Thread(target=self._run, name="ui-starter", daemon=True)
        self.ready.connect(self._deliver)
        self.failed.connect(window.startup_failed)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        runtime: Runtime | None
        try:
            runtime = build_runtime(self.options, [self.window.bridge.listener], cancelled=self.cancelled,
                                    retry_listeners=[self.window.retry_bridge.listener])
        except ConfigError as exc:
            log.error("configuration problem, the kiosk is out of service: %s", exc)
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("start-up failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        with self._lock:
            if not self.cancelled.is_set():
                self._built = runtime
                runtime = None
        if runtime is not None:  # the window closed while starting
            runtime.close()
            return
        assert self._built is not None
        for line in describe(self._built):
            log.info("started: %s", line)
        self.ready.emit(self._built)

    def _deliver(self, runtime: Runtime) -> None:
        with self._lock:
            if self._built is not runtime:
                return  # stop() already closed it
            self._built = None
        if self.cancelled.is_set() or self.window._shut_down:
            runtime.close()
            return
        self.window.attach_runtime(runtime)

    def stop(self, timeout: float = 15.0) -> None:
        """The window is closing: a runtime still being built is closed by the worker itself."""
        self.cancelled.set()
        if self.thread.is_alive():
            self.thread.join(timeout)
        with self._lock:
            leftover, self._built = self._built, None
        if leftover is not None:  # built but never handed to the window
            leftover.close()


def initial_config(options: StartOptions) -> tuple[KioskConfig, str | None]:
    """Settings for the first screen (fast: no network, no camera). Demo mode starts from the defaults."""
    if options.wants_demo():
        config = KioskConfig()
        if options.mode:
            config.mode = options.mode
        return config, None
    try:
        return load_config(options), None
    except ConfigError as exc:
        path = config_file(options)
        problem = str(exc) if str(path) in str(exc) else f"{exc} — {path}"
        log.error("configuration problem, the kiosk is out of service: %s", problem)
        config = KioskConfig()
        if options.mode:
            config.mode = options.mode
        config.staff_pin_hash = salvage_pin_hash(path)  # staff can still open the staff menu and read the error
        return config, problem


def create_window(options: StartOptions, app: QApplication) -> tuple[MainWindow, Starter]:
    config, problem = initial_config(options)
    apply_theme(app, for_screen(Theme(config.high_contrast, config.font_scale)))
    translations = Translations()
    try:
        translations.install(config.language)
    except Exception as exc:  # a missing catalogue falls back to Vietnamese
        log.warning("translations: %s", exc)
    window = MainWindow(config, translations=translations)
    starter = Starter(options, window)
    if problem is not None:
        window.startup_failed(problem)
    else:
        starter.start()
    return window, starter


def show_window(window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    # Take the screen's geometry first, then ask the window manager: where none honours the request (kiosk PCs often
    # run X with no desktop) the window still covers the screen (kiosk) or the desktop's free area (reception: the
    # result details, recent lookups and pending list want the room; a desk screen is the reception's own).
    if window.mode == "kiosk":
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        if screen is not None:
            window.setGeometry(screen.availableGeometry())
        window.showMaximized()


def _quit_on_signals(app: QApplication, window: MainWindow) -> None:
    """Ctrl+C / SIGTERM close the app cleanly (Python handles signals only when the GUI loop lets it run)."""
    import signal

    from PySide6.QtCore import QTimer

    def stop(_signum: int, _frame: object) -> None:
        window.allow_exit()
        app.quit()

    for name in ("SIGINT", "SIGTERM"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, stop)
            except ValueError:  # not the main thread
                return
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)  # wakes the interpreter so that a pending signal is handled
    ticker.start(250)


def run_app(args: argparse.Namespace | Any) -> int:
    log_path = setup_logging()
    log.info("bhyt-kiosk %s; app log: %s", __version__, log_path or "terminal only")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("bhyt-kiosk")
    app.setApplicationDisplayName("BHYT kiosk")
    options = StartOptions.from_args(args)
    window, starter = create_window(options, app)
    show_window(window)
    _quit_on_signals(app, window)
    try:
        return int(app.exec())
    finally:
        starter.stop()
        window.shutdown()
