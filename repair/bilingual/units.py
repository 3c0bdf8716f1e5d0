"""Common types of the bilingual formats: units, position maps, documents and the splice helper.

A `BilingualDocument` is the file's decoded text plus its translation units in file order. Each
`Unit` carries its source and target as the *unescaped* strings a translator sees, the inline codes of
the target as `protected` spans (their markup text is kept in the string, a checker must leave it
alone), and a `PositionMap` from every character of the target to the file text, so that a finding at
characters 5..9 of a target can be reported at its line and column in the file.

Nothing here is wired to the pipeline or the CLI yet (issue 12 brings the input-format registry).
"""
from __future__ import annotations

import bisect
import contextvars
import dataclasses
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..model import Finding, Span


_LINE_END = re.compile(r"\r\n|\n|\r")


class BilingualFormatError(ValueError):
    """A bilingual file that cannot be read (or a change that cannot be written) safely.

    `str(error)` is one line: ``line L, column C: what is wrong`` (line and column 1-based; the column
    counts characters) when a place in the file is known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message = " ".join(message.split())
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + self.message)


@dataclass(frozen=True)
class RawPiece:
    """A stretch of the file text that holds (part of) a string: the inside of one PO quoted string,
    the content of an XML element, the inside of a CSV cell or a JSON string literal."""

    start: int
    end: int


@dataclass(frozen=True)
class PositionMap:
    """Maps each character of an unescaped string to the file text.

    `starts[i]` is the file offset where character i begins (the start of its escape sequence, entity
    or character reference when it is written as one); `ends[i]` is the offset just after it. `end` is
    where a character appended to the string would go (the end of its last raw piece)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    end: int

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> int:
        if index == len(self.starts):
            return self.end
        return self.starts[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The file span covering characters start..end of the string (end exclusive)."""
        if not 0 <= start <= end <= len(self.starts):
            raise IndexError(f"span {start}..{end} outside a string of {len(self.starts)} characters")
        if start == end:
            return (self[start], self[start])
        return (self.starts[start], self.ends[end - 1])


@dataclass(frozen=True)
class Unit:
    """One translatable string pair. `key` is unique within its document and names the unit in
    `splice`; `id` is what the file calls it (XLIFF/TMX id, PO msgid, a table's id column or row)."""

    key: str
    id: str
    context: str | None
    source: str | None
    target: str
    segments: tuple[RawPiece, ...]
    positions: PositionMap
    protected: tuple[tuple[int, int], ...] = ()
    flags: frozenset[str] = frozenset()
    plural_index: int | None = None
    notes: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    source_language: str | None = None
    target_language: str | None = None
    source_positions: PositionMap | None = None
    source_protected: tuple[tuple[int, int], ...] = ()
    # format-specific data that splice needs; not part of the public contract
    raw: Any = field(default=None, repr=False, compare=False)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags or "needs-review" in self.flags

    def prose(self) -> str:
        """The target with its protected inline codes removed (for a quick look, not for offsets)."""
        out, last = [], 0
        for a, b in self.protected:
            out.append(self.target[last:a])
            last = b
        out.append(self.target[last:])
        return "".join(out)


@dataclass(frozen=True)
class BilingualDocument:
    format: str  # "po", "xliff-1.2", "xliff-2.0", "tmx", "csv", "tsv", "jsonl"
    text: str
    units: tuple[Unit, ...]
    source_language: str | None = None
    target_language: str | None = None
    raw: Any = field(default=None, repr=False, compare=False)

    def unit(self, key: str) -> Unit:
        for unit in self.units:
            if unit.key == key:
                return unit
        raise KeyError(key)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a file offset; the column counts characters (code points)."""
        return line_col(self.text, offset)

    def locate(self, unit: Unit | str, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) in the file of characters start..end of a target."""
        if isinstance(unit, str):
            unit = self.unit(unit)
        a, b = unit.positions.span(start, end)
        return (*self.line_col(a), *self.line_col(b))


@dataclass(frozen=True, slots=True)
class UnitFinding(Finding):
    """A finding on the target of one translation unit (span and line/column: the file's)."""

    unit_id: str | None = None
    source_text: str | None = None
    context: str | None = None
    plural: int | None = None  # which plural form (msgstr[N]) the target is

    def with_span(self, span: Span, text: str) -> "UnitFinding":
        base = Finding.with_span(self, span, text)
        return UnitFinding(**{f.name: getattr(base, f.name) for f in dataclasses.fields(Finding)},
                           unit_id=self.unit_id, source_text=self.source_text, context=self.context,
                           plural=self.plural)


def source_is_key(unit: Unit) -> bool:
    """The msgid is a key ("b", "menu.save"), not the source text: ASCII without spaces (a Chinese
    headline has no spaces either, and is text)."""
    return unit.source is not None and bool(re.fullmatch(r"[A-Za-z0-9_.:/-]+", unit.source.strip())) \
        and bool(re.search(r"\s", unit.target.strip()))


@functools.lru_cache(maxsize=8)
def line_starts(text: str) -> tuple[int, ...]:
    """Offsets where each line begins (\\r\\n, \\n and a lone \\r end a line)."""
    return (0, *(m.end() for m in _LINE_END.finditer(text)))


def line_col(text: str, offset: int) -> tuple[int, int]:
    starts = line_starts(text)
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def fail(text: str, offset: int, message: str) -> BilingualFormatError:
    line, col = line_col(text, offset)
    return BilingualFormatError(message, line, col)


def newline_of(text: str) -> str:
    """The file's line ending: that of its first line (\\n when it has none)."""
    i = text.find("\n")
    if i > 0 and text[i - 1] == "\r":
        return "\r\n"
    if i < 0 and "\r" in text:
        return "\r"
    return "\n"


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Make keys unique in order: a repeated key gets ' #2', ' #3', ..."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        n = seen.get(key, 0) + 1
        seen[key] = n
        out.append(key if n == 1 else f"{key} #{n}")
    return out


def resolve_changes(doc: BilingualDocument, changes: Mapping[Any, str]) -> list[tuple[Unit, str]]:
    """The (unit, new target) pairs that really change something, in file order."""
    by_key = {u.key: u for u in doc.units}
    wanted: dict[str, str] = {}
    for key, value in changes.items():
        k = key.key if isinstance(key, Unit) else key
        if k not in by_key:
            raise KeyError(f"no unit {k!r} in this document")
        if not isinstance(value, str):
            raise TypeError(f"new target of {k!r} is {type(value).__name__}, not str")
        wanted[k] = value
    return [(u, wanted[u.key]) for u in doc.units if u.key in wanted and wanted[u.key] != u.target]


# where apply_edits also records the file edits it makes (set by repair.bilingual.run.analyse)
EDIT_SINK: contextvars.ContextVar[list | None] = contextvars.ContextVar("bilingual_edit_sink", default=None)


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace file spans (start, end, new text); spans must not overlap."""
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    sink = EDIT_SINK.get()
    if sink is not None:  # repair.bilingual.run keeps them as the plan of a fix
        sink.extend(edits)
    out, last = [], 0
    for start, end, new in edits:
        if start < last:
            raise BilingualFormatError("internal error: overlapping changes to the file")
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def place_protected(unit: Unit, new: str) -> list[tuple[int, int]]:
    """Where the unit's protected inline codes are in a new target, in order.

    Codes inside the common prefix or suffix of the old and new target map directly; the others are
    searched for, in order, in the changed middle. A new target that drops, alters or reorders an
    inline code is refused (BilingualFormatError): splice never invents or loses markup."""
    old = unit.target
    if not unit.protected:
        return []
    limit = min(len(old), len(new))
    p = 0
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    delta = len(new) - len(old)
    placed: list[tuple[int, int]] = []
    cursor = 0
    for a, b in unit.protected:
        piece = old[a:b]
        if b <= p:
            na = a
        elif a >= len(old) - s:
            na = a + delta
        else:
            na = new.find(piece, cursor)
        if na < cursor or na < 0 or new[na:na + len(piece)] != piece:
            raise BilingualFormatError(
                f"the new target of unit {unit.key!r} drops, alters or moves the inline code {piece!r}")
        placed.append((na, na + len(piece)))
        cursor = na + len(piece)
    return placed
