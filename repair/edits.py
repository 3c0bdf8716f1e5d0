"""The edit engine: resolve overlaps, apply back to front, map offsets back, and replay plans.

Overlaps are resolved as textlint does: edits are ordered by position (then by
rule id, so the outcome never depends on the order checks ran in) and an edit
that conflicts with one already chosen is skipped. Skipped edits are not lost:
the next pass of the fixed-point loop finds them again if they still apply.

What the fixed-point loop did to a text is a plan: a sequence of :class:`Pass`, each holding
the edits it applied in offsets of the text as it was before that pass (as ftfy's
``fix_and_explain`` gives a plan for ``apply_plan``). :func:`replay` applies a plan to the
text as read; :func:`restrict` keeps only the edits some regions want (``--diff-only``)
and rebases the later passes on what is left.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .model import Edit, Finding, Span


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


@dataclass(frozen=True)
class Pass:
    """One pass of the fixed-point loop over one text.

    ``edits`` are the edits the pass applied (resolved: sorted, never overlapping), in offsets
    of the text before the pass; ``found`` the findings first reported on that text, in offsets
    of the text as read; ``back`` the maps of the earlier passes that changed the text, newest
    first, which take this pass's offsets back to the text as read. ``stage`` says what made
    the edits: ``"encoding"`` (repair of mojibake and the like), ``"checks"``, or ``"review"``
    (a round of edits accepted in ``fix --interactive``).
    """

    stage: str
    edits: tuple[Edit, ...] = ()
    found: tuple[Finding, ...] = ()
    back: tuple[OffsetMap, ...] = field(default=(), repr=False)

    @functools.cached_property
    def map(self) -> OffsetMap:
        """Offsets after this pass -> offsets before it."""
        return OffsetMap.from_edits(self.edits)

    def to_original(self, span: Span) -> Span:
        """A span in this pass's offsets (the text before it) in offsets of the text as read."""
        for m in self.back:
            span = m.span(span)
        return span

    def apply(self, text: str) -> str:
        """The text before this pass -> the text after it."""
        return apply(text, self.edits) if self.edits else text

    def later_back(self) -> tuple[OffsetMap, ...]:
        """``back`` for the pass after this one."""
        return (self.map,) + self.back if self.edits else self.back

    def original_edits(self) -> list[Edit]:
        """The edits in offsets of the text as read (spans widened over earlier edits they touch)."""
        return [Edit(self.to_original(e.span), e.replacement, e.rule, e.safety) for e in self.edits]


def replay(original: str, plan: Sequence[Pass]) -> str:
    """The text ``plan`` makes of ``original``, one pass after another."""
    text = original
    for step in plan:
        text = step.apply(text)
    return text


def restrict(plan: Sequence[Pass], wanted: Callable[[Span], bool]) -> tuple[Pass, ...]:
    """The plan with only the edits and findings that ``wanted`` (given spans of the text as read)
    keeps, each later pass rebased on what is left.

    An edit that is left out leaves a hole: there the restricted text differs from the text the
    later passes saw. A later edit that touches a hole stood on what was left out, so it is left
    out too (the next run finds it again if it still applies); every other edit moves to the
    offsets of the restricted text, which around it is the text the pass saw.
    """
    out: list[Pass] = []
    back: tuple[OffsetMap, ...] = ()
    # (start, end) in the text the pass saw, and how much longer the region is in the restricted text
    holes: list[tuple[int, int, int]] = []
    for step in plan:
        kept: list[Edit] = []
        # start, end, growth in the restricted text, growth by this pass
        dirty = [(s, t, extra, 0) for s, t, extra in holes]
        h = 0
        for e in step.edits:
            s, t = e.span.start, e.span.end
            while h < len(holes) and holes[h][1] < s:
                h += 1
            if (h == len(holes) or holes[h][0] > t) and wanted(step.to_original(e.span)):
                kept.append(e)
            else:
                dirty.append((s, t, 0, len(e.replacement) - (t - s)))
        regions = _merged(dirty)
        new: list[Edit] = []
        holes = []
        shift = grow = 0  # left of where the sweep is: restricted minus seen, after the pass minus before
        events = sorted([(e.span.start, e.span.end, 0, i) for i, e in enumerate(kept)]
                        + [(s, t, 1, i) for i, (s, t, _, _) in enumerate(regions)])
        for s, t, kind, i in events:
            if kind == 0:
                e = kept[i]
                new.append(Edit(Span(s + shift, t + shift), e.replacement, e.rule, e.safety))
                grow += len(e.replacement) - (t - s)
            else:
                _, _, extra, growth = regions[i]
                holes.append((s + grow, t + grow + growth, extra - growth))
                shift += extra
                grow += growth
        step = Pass(step.stage, tuple(new), tuple(f for f in step.found if wanted(f.span)), back)
        back = step.later_back()
        out.append(step)
    return tuple(out)


def _merged(dirty: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Regions that touch or overlap become one, their growths added up."""
    regions: list[list[int]] = []
    for s, t, extra, growth in sorted(dirty):
        if regions and s <= regions[-1][1]:
            region = regions[-1]
            region[1] = max(region[1], t)
            region[2] += extra
            region[3] += growth
        else:
            regions.append([s, t, extra, growth])
    return [(s, t, extra, growth) for s, t, extra, growth in regions]
