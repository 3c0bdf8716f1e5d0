"""Sources of findings. Each check owns one source and never prints.

A check is any object with ``name`` (its source), ``scope`` and
``check(text, options) -> list[Finding]`` returning spans relative to ``text``.
``scope == "paragraph"`` checks see one paragraph at a time (so the fixed-point
loop re-checks only what an edit touched); ``"document"`` checks see the whole text.
Which checks exist is declared in :mod:`repair.checks.registry` (one entry per source);
heavy back ends are imported by ``build_checks`` only when asked for.
"""
from __future__ import annotations

import threading
import time
from typing import Literal, Protocol, Sequence

from ..model import Finding
from ..options import Options


class Check(Protocol):
    # read-only: a check may be a frozen dataclass (each source's build() is typed to return
    # Check, so mypy checks every check class against this protocol)
    @property
    def name(self) -> str: ...

    @property
    def scope(self) -> Literal["paragraph", "document"]: ...

    def check(self, text: str, options: Options) -> list[Finding]: ...


class BackendUnavailable(RuntimeError):
    """A back end the user asked for cannot run here; the message says what is missing and how to get it."""


class Run:
    """One run of requests to a remote back end: its total deadline counts from the first of them."""

    def __init__(self) -> None:
        self._started: float | None = None
        self._lock = threading.Lock()

    def start(self) -> float:
        """The :func:`time.monotonic` instant of the run's first request (now, when this is it)."""
        with self._lock:
            if self._started is None:
                self._started = time.monotonic()
            return self._started


_RUN: Run | None = None


def begin_run() -> None:
    """Start a run (the CLI starts one per command): every request to a remote back end from now on
    shares one total deadline (``--languagetool-deadline``). Without a run, each document checked
    through the library has a deadline of its own."""
    global _RUN
    _RUN = Run()


def current_run() -> Run | None:
    return _RUN


def build_checks(options: Options) -> Sequence[Check]:
    """The checks ``options`` ask for, from the registry (see :func:`repair.checks.registry.build`)."""
    from .registry import build

    return build(options)
