"""Queries of the log window off the GUI thread: a small QThreadPool whose results come back as signals.

Each task opens its own read-only :class:`kiosk.dashboard.DashboardReader` (a log file or a central store's URL; SQLite
connections belong to one thread),
runs one function on it and reports ``finished(kind, result)`` or ``failed(kind, message)`` on the GUI thread. Only the
newest task of each kind is reported (a filter changed twice quickly: the first answer is dropped). ``shutdown()``
interrupts running queries and waits for the pool, so closing the window leaves no thread behind — except a task
still connecting to a central store that does not answer: a connection attempt cannot be interrupted, so the runner
then outlives its window and ends itself when the attempt gives up (the store's connect timeout, 5 s), and closing
never freezes the GUI.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from kiosk.central.location import LogLocation
from kiosk.dashboard import DashboardReader
from kiosk.log.schema import LogError

log = logging.getLogger(__name__)

Task = Callable[[DashboardReader], Any]
_finishing: set[TaskRunner] = set()  # shut down while a task was still connecting: kept until it ends


class TaskRunner(QObject):
    finished = Signal(str, object)  # kind, result
    failed = Signal(str, str)  # kind, message for the user
    _done = Signal(str, int, object)
    _error = Signal(str, int, str)
    _ended = Signal()  # a task ended (queued to the GUI thread)

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._lock = threading.Lock()
        self._generation = 0
        self._latest: dict[str, int] = {}
        self._running: dict[int, DashboardReader] = {}
        self._active = 0  # tasks started and not ended
        self._connecting = 0  # of which opening their reader (a connection to a central store can hang)
        self._closed = False
        self._done.connect(self._deliver)
        self._error.connect(self._deliver_error)
        self._ended.connect(self._reap)

    def submit(self, kind: str, path: LogLocation, task: Task) -> int:
        """Run ``task(reader)`` on a worker thread; returns the task's number."""
        if self._closed:
            raise RuntimeError("the task runner was shut down")
        self._generation += 1
        number = self._generation
        self._latest[kind] = number
        self.pool.start(lambda: self._run(kind, number, path, task))
        return number

    @property
    def connecting(self) -> int:
        """How many tasks are opening their log or store (a connection to a central store can hang)."""
        with self._lock:
            return self._connecting

    def _run(self, kind: str, number: int, path: LogLocation, task: Task) -> None:
        reader: DashboardReader | None = None
        with self._lock:
            if self._closed:
                return
            self._active += 1
            self._connecting += 1
        try:
            try:
                reader = DashboardReader(path)
            finally:
                with self._lock:
                    self._connecting -= 1
            with self._lock:
                if self._closed:  # shut down while it was connecting
                    return
                self._running[number] = reader
            result = task(reader)
        except (LogError, OSError, ValueError) as exc:
            self._emit_error(kind, number, str(exc))
        except Exception as exc:  # a bug must not kill the worker silently
            log.exception("log window task %s failed", kind)
            self._emit_error(kind, number, f"{type(exc).__name__}: {exc}")
        else:
            with self._lock:
                if not self._closed:
                    self._done.emit(kind, number, result)
        finally:
            if reader is not None:
                with self._lock:
                    self._running.pop(number, None)
                reader.close()
            with self._lock:
                self._active -= 1
                if self._closed:
                    with contextlib.suppress(RuntimeError):  # the runner itself is gone (interpreter exit)
                        self._ended.emit()

    def _emit_error(self, kind: str, number: int, message: str) -> None:
        with self._lock:
            if not self._closed:
                self._error.emit(kind, number, message)

    def _deliver(self, kind: str, number: int, result: object) -> None:
        if self._latest.get(kind) == number:
            del self._latest[kind]
            self.finished.emit(kind, result)

    def _deliver_error(self, kind: str, number: int, message: str) -> None:
        if self._latest.get(kind) == number:
            del self._latest[kind]
            self.failed.emit(kind, message)

    def shutdown(self) -> None:
        """Stop: interrupt running queries, drop queued tasks, wait for the threads to end (not for a task still
        connecting: see the module's docstring)."""
        with self._lock:
            self._closed = True
            for reader in self._running.values():
                reader.interrupt()
            connecting = self._connecting
        self.pool.clear()
        self._latest.clear()
        if connecting == 0:
            self.pool.waitForDone()
            return
        log.info("log window closed while connecting to a central store: its thread ends on the connect timeout")
        self.setParent(None)  # outlive the window
        _finishing.add(self)

    def _reap(self) -> None:
        with self._lock:
            if self._active:
                return
        self.pool.waitForDone()  # the last task has ended: its thread is returning to the pool
        _finishing.discard(self)  # no parent: Python frees it with its last reference
