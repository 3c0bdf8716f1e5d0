"""Presentation only: every formatter turns values into text and decides nothing.

The output formats are a registry: a format module renders a list of :class:`FileReport` for one
*view* (``check``: findings; ``score``: garble scores; ``rules`` and ``rule``: catalog entries, not
reports) and calls :func:`register`; the ``--format`` choices of ``check``, ``score`` and ``rules``,
their help and the dispatch all come from here. The built-in
formats are imported at the end of this module.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..model import Finding
from ..pipeline import Result

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class FileReport:
    """One input's outcome, as every formatter sees it."""

    path: str
    encoding: str | None
    result: Result | None = None
    error: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    written: bool = False

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings if self.result else ()

    @property
    def suggestions_left(self) -> int:
        """Suggested edits that were not applied (without --unsafe)."""
        if self.result is None:
            return 0
        applied = {(e.rule, e.span) for e in self.result.applied}
        return sum(1 for f in self.findings
                   if f.fix is not None and f.fix.safety == "suggest" and (f.rule, f.fix.span) not in applied)


class LineIndex:
    """1-based line and column (in code points) of offsets into a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


# --- the output-format registry ----------------------------------------------------------

VIEWS = ("check", "score", "rules", "rule")
FILE_VIEWS = ("check", "score")  # views whose items are FileReports


@dataclass(frozen=True)
class RenderContext:
    """What a format may be told besides the reports: colour, whether stdout is a terminal, the
    program's version, ``score --paragraphs``, and the rule descriptions (loaded only when asked)."""

    colour: bool = False
    terminal: bool = False
    version: str = ""
    paragraphs: bool = False
    rule_descriptions: Callable[[], Mapping[str, str]] = dict


@dataclass(frozen=True)
class OutputFormat:
    """One ``--format`` value of one view.

    ``render(reports, context)`` gives the whole output. ``human``: a view for people (written
    with control characters escaped and colour as asked, the run's summary on stderr); otherwise
    exact UTF-8 bytes. ``default``: the view's default (``--format`` not given). ``raw_names``: the
    format gets file names as read (SARIF percent-encodes their bytes); the others get names that
    are valid UTF-8 (``\\xNN`` escapes)."""

    name: str
    view: str
    render: Callable[[Sequence[FileReport], RenderContext], str]
    help: str
    human: bool = False
    default: bool = False
    raw_names: bool = False


FORMATS: dict[tuple[str, str], OutputFormat] = {}


def register(fmt: OutputFormat) -> OutputFormat:
    """Add ``fmt`` to its view (a name is registered once per view; one default per view)."""
    if fmt.view not in VIEWS:
        raise ValueError(f"output format {fmt.name!r}: unknown view {fmt.view!r} (known: {', '.join(VIEWS)})")
    key = (fmt.view, fmt.name)
    if key in FORMATS and FORMATS[key] != fmt:
        raise ValueError(f"an output format {fmt.name!r} is already registered for {fmt.view}")
    if fmt.default and any(f.default and f.name != fmt.name for f in formats(fmt.view)):
        raise ValueError(f"output format {fmt.name!r}: {fmt.view} already has a default ({default(fmt.view)})")
    FORMATS[key] = fmt
    return fmt


def formats(view: str) -> list[OutputFormat]:
    """The formats of ``view``, in the order they were registered."""
    return [f for (v, _), f in FORMATS.items() if v == view]


def names(view: str) -> tuple[str, ...]:
    return tuple(f.name for f in formats(view))


def get(view: str, name: str) -> OutputFormat:
    try:
        return FORMATS[(view, name)]
    except KeyError:
        raise ValueError(f"no output format {name!r} for {view} (known: {', '.join(names(view))})") from None


def default(view: str) -> str:
    return next((f.name for f in formats(view) if f.default), names(view)[0])


def help_text(view: str) -> str:
    """The ``--format`` help: each format's own line."""
    return "; ".join(f"{f.name}: {f.help}" for f in formats(view)) + "."


# the built-in formats register themselves
from . import human, table, jsonout, jsonl, github, sarif, rules  # noqa: E402,F401
