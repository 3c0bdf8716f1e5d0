"""Analysing many files on several processes while keeping their order (``check -j``, ``fix -j``).

The parent reads each file and resolves its options (configuration, per-file ignores);
spawned workers only run :func:`repair.api.analyse` on the text. At most two texts per
worker are in flight, and results come back in input order, so the output of ``-j N``
is the output of ``-j 1``. Ctrl-C ends the workers at once.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from .options import Options


def _init_worker() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the workers


def _analyse(text: str, options: Options | None) -> Any:
    from .api import analyse

    return analyse(text, options)


class _Ready:
    """A result that needs no worker (an unreadable file: nothing to analyse)."""

    def done(self) -> bool:
        return True

    def result(self) -> None:
        return None


def _wait(entry: tuple[Any, Any]) -> tuple[Any, Any]:
    if not isinstance(entry[1], _Ready):
        entry[1].exception()  # blocks until it is done (Ctrl-C interrupts the wait)
    return entry


def analyse_in_order(tasks: Iterable[tuple[Any, str | None, Options | None]], jobs: int) -> Iterator[tuple[Any, Any]]:
    """``(tag, text, options)`` -> ``(tag, future)`` in the same order, the future done.

    A task without text (``None``) passes straight through with a future whose result
    is None. ``future.result()`` raises what the analysis raised.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker)
    pending: deque = deque()
    clean = False
    try:
        for tag, text, options in tasks:
            pending.append((tag, _Ready() if text is None else pool.submit(_analyse, text, options)))
            while pending and (len(pending) >= 2 * jobs or pending[0][1].done()):
                yield _wait(pending.popleft())
        while pending:
            yield _wait(pending.popleft())
        clean = True
    finally:
        if clean:
            pool.shutdown(wait=True)
        else:  # Ctrl-C, or the consumer stopped: do not wait for the workers' texts
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                try:
                    process.terminate()
                except (OSError, ValueError, AttributeError):
                    pass
            for process in processes:
                process.join(3)
