"""Core value types shared by every stage of the pipeline.

All offsets are code points of a Python ``str``. Checks return spans in the
text they were given; the pipeline maps them back to the text as read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
Safety = Literal["safe", "suggest"]

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def shift(self, delta: int) -> "Span":
        return Span(self.start + delta, self.end + delta)

    def overlaps(self, other: "Span") -> bool:
        """True when the spans share a character, or when an empty span touches the other.

        Two insertions at one point, or an insertion at the edge of a replacement,
        have no defined order, so the edit engine treats them as a conflict.
        """
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    replacement: str
    rule: str
    safety: Safety = "suggest"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    source: str
    severity: Severity
    message: str
    span: Span
    text: str
    fix: Edit | None = None
    sources: tuple[str, ...] = field(default=())

    def with_span(self, span: Span, text: str) -> "Finding":
        fix = self.fix
        if fix is not None:
            fix = Edit(span, fix.replacement, fix.rule, fix.safety)
        return Finding(self.rule, self.source, self.severity, self.message, span, text, fix, self.sources)


@dataclass(frozen=True, slots=True)
class Document:
    """Decoded input. ``text`` has any BOM stripped and line endings as in the file."""

    path: str
    text: str
    encoding: str
    bom: bool = False
    # What was read (device, inode, size, mtime_ns, BLAKE2 digest of the bytes), so a rewrite can
    # refuse when the file changed meanwhile; None for stdin and text that never was a file.
    source: tuple | None = field(default=None, compare=False, repr=False)
