"""The edit engine: resolve overlaps, apply back to front, and map offsets back.

Overlaps are resolved as textlint does: edits are ordered by position (then by
rule id, so the outcome never depends on the order checks ran in) and an edit
that conflicts with one already chosen is skipped. Skipped edits are not lost:
the next pass of the fixed-point loop finds them again if they still apply.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from typing import Iterable, Sequence

from .model import Edit, Span


def _order(edit: Edit) -> tuple:
    return (edit.span.start, edit.span.end, edit.rule, edit.replacement)


def resolve(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Split edits into a non-overlapping chosen list (sorted) and the skipped rest."""
    chosen: list[Edit] = []
    skipped: list[Edit] = []
    for edit in sorted(set(edits), key=_order):
        if chosen and chosen[-1].span.overlaps(edit.span):
            skipped.append(edit)
        else:
            chosen.append(edit)
    return chosen, skipped


def apply(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits back to front so earlier offsets stay valid."""
    ordered = sorted(edits, key=_order)
    for before, after in zip(ordered, ordered[1:]):
        if before.span.overlaps(after.span):
            raise ValueError(f"overlapping edits {before} and {after}")
    pieces: list[str] = []
    end = len(text)
    for edit in reversed(ordered):
        if edit.span.end > len(text):
            raise ValueError(f"edit {edit} is past the end of the text")
        pieces.append(text[edit.span.end:end])
        pieces.append(edit.replacement)
        end = edit.span.start
    pieces.append(text[:end])
    return "".join(reversed(pieces))


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in an edited text back to the text before the edits.

    ``segments`` holds, for every applied edit, ``(new_start, new_end, old_start, old_end)``.
    A position inside a replaced region maps to the edge of the old region, so a span
    that touches replaced text widens to cover all of it.
    """

    segments: tuple[tuple[int, int, int, int], ...] = ()

    @classmethod
    def from_edits(cls, edits: Sequence[Edit]) -> "OffsetMap":
        segments = []
        delta = 0
        for edit in sorted(edits, key=_order):
            old_start, old_end = edit.span.start, edit.span.end
            new_start = old_start + delta
            new_end = new_start + len(edit.replacement)
            segments.append((new_start, new_end, old_start, old_end))
            delta += len(edit.replacement) - (old_end - old_start)
        return cls(tuple(segments))

    def _locate(self, pos: int, is_end: bool) -> int:
        starts = self._starts
        if is_end:
            i = bisect.bisect_left(starts, pos)
            if i < len(starts) and starts[i] == pos:
                return self.segments[i][2]  # an end just before a replaced region
            i -= 1
        else:
            i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            return pos
        new_start, new_end, old_start, old_end = self.segments[i]
        if pos >= new_end and pos != new_start:
            return old_end + (pos - new_end)
        if pos == new_start:
            # a start at a deletion point belongs to the text after it
            return old_end if new_start == new_end else old_start
        return old_end if is_end else old_start

    @functools.cached_property
    def _starts(self) -> list[int]:
        # built once per map (a property rebuilt it on every lookup: O(edits x findings))
        return [s[0] for s in self.segments]

    def span(self, span: Span) -> Span:
        start = self._locate(span.start, is_end=False)
        end = self._locate(span.end, is_end=True)
        return Span(start, max(start, end))

    def then(self, later: "OffsetMap") -> "ComposedMap":
        return ComposedMap((later, self))


@dataclass(frozen=True)
class ComposedMap:
    """Maps through several passes, newest first."""

    maps: tuple[OffsetMap, ...]

    def span(self, span: Span) -> Span:
        for m in self.maps:
            span = m.span(span)
        return span
