"""Run one function on several threads at once, for the tests that race threads against a shared resource."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_in_threads(work: Callable[[], T], count: int) -> list[T]:
    """Start ``count`` threads running ``work`` (all started before any is joined), join them and return what
    each returned. A thread's exception is raised here, after all have finished, instead of being lost."""
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            value = work()
        except BaseException as exc:  # handed to the caller below
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(value)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results
