"""The lookup loop: one thread running an asyncio event loop, on which every lookup of the pipeline runs as a task.

Any thread submits a coroutine (:meth:`LookupLoop.submit`, asyncio's ``run_coroutine_threadsafe``) and gets a
``concurrent.futures.Future`` for its result. A lookup is cancelled as any asyncio task is, from the loop's thread
(:meth:`LookupLoop.call_soon` ``(task.cancel)`` from elsewhere): a request in flight is aborted, its connection
closed. :meth:`LookupLoop.stop` cancels what still runs, closes the loop and joins the thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class LookupLoop:
    def __init__(self, name: str = "lookup-loop") -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, args=(self._loop,), name=self.name, daemon=True)
        self._thread.start()

    def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``coro`` as a task on the loop (from any thread, the loop's own included)."""
        if self._loop is None:
            coro.close()
            raise RuntimeError("the lookup loop is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def call_soon(self, fn: Callable[..., object], *args: Any) -> None:
        """Call ``fn(*args)`` on the loop's thread (from any thread)."""
        if self._loop is None:
            raise RuntimeError("the lookup loop is not running")
        self._loop.call_soon_threadsafe(fn, *args)

    def cancel_all(self, tasks: Callable[[], Iterable[asyncio.Task[Any]]], timeout: float) -> None:
        """Cancel the tasks that ``tasks()`` gives on the loop's thread and wait for them to end (up to ``timeout``)."""

        async def cancel() -> None:
            cancelled = [task for task in tasks() if task is not asyncio.current_task()]
            for task in cancelled:
                task.cancel()
            if cancelled:
                await asyncio.wait(cancelled, timeout=timeout)

        with contextlib.suppress(concurrent.futures.TimeoutError):
            self.submit(cancel()).result(timeout + 1.0)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel every task still running, wait for them to end (up to ``timeout``), close the loop, join."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self.cancel_all(asyncio.all_tasks, timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            log.error("the lookup loop did not stop in time")
        self._loop = self._thread = None
