"""Presentation only: every formatter turns values into text and decides nothing."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

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


class LineIndex:
    """1-based line and column (in code points) of offsets into a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
