"""The lookup loop: one thread running an asyncio event loop, on which every lookup of the pipeline runs as a task.

Any thread submits a coroutine (:meth:`LookupLoop.submit`) and gets a ``concurrent.futures.Future`` for its result;
:meth:`LookupLoop.cancel` cancels the task from any thread (a lookup in flight is aborted: its connection is
closed). :meth:`LookupLoop.stop` cancels what still runs, closes the loop and joins the thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class LookupLoop:
    def __init__(self, name: str = "lookup-loop") -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._tasks: dict[concurrent.futures.Future[Any], asyncio.Task[Any]] = {}

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=self._run, args=(loop,), name=self.name, daemon=True)
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
        """Run ``coro`` as a task on the loop; its future is cancelled when the task is cancelled before it ran."""
        loop = self._loop
        if loop is None:
            coro.close()
            raise RuntimeError("the lookup loop is not running")
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def start() -> None:
            task = loop.create_task(coro)
            self._tasks[future] = task
            task.add_done_callback(lambda done: self._settle(future, done))

        loop.call_soon_threadsafe(start)
        return future

    def _settle(self, future: concurrent.futures.Future[T], task: asyncio.Task[T]) -> None:
        self._tasks.pop(future, None)
        if task.cancelled():
            future.cancel()
        elif task.exception() is not None:
            future.set_exception(task.exception())
        else:
            future.set_result(task.result())

    def call_soon(self, fn: Callable[..., object], *args: Any) -> None:
        """Call ``fn(*args)`` on the loop's thread (from any thread)."""
        if self._loop is None:
            raise RuntimeError("the lookup loop is not running")
        self._loop.call_soon_threadsafe(fn, *args)

    def cancel(self, future: concurrent.futures.Future[Any]) -> None:
        """Cancel the task behind ``future`` (from any thread); it ends as its coroutine decides."""
        loop = self._loop
        if loop is None:
            return

        def cancel() -> None:
            task = self._tasks.get(future)
            if task is not None:
                task.cancel()

        with contextlib.suppress(RuntimeError):  # the loop has just closed
            loop.call_soon_threadsafe(cancel)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel every task still running, wait for them to end (up to ``timeout``), close the loop, join."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def finish() -> None:
            tasks = list(self._tasks.values())
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=timeout)

        with contextlib.suppress(concurrent.futures.TimeoutError):
            asyncio.run_coroutine_threadsafe(finish(), loop).result(timeout + 1.0)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            log.error("the lookup loop did not stop in time")
        self._loop = self._thread = None
