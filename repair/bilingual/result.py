"""The Result of a bilingual file's analysis (repair.bilingual.run): a module of its own so that it
pickles (``-j``) without importing the pipeline when the formats register."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from ..model import Edit, Span
from ..pipeline import Result
from .units import PositionMap


@dataclass(frozen=True)
class UnitText:
    """What the garble score needs of a checked unit (repair.report.metrics scores units, not
    paragraphs, in a bilingual file): its names, source and target, and where the target's
    characters are in the file. Plain data, so that a Result pickles (``-j``)."""

    key: str
    id: str
    context: str | None
    plural: int | None
    source: str | None
    target: str
    positions: PositionMap
    source_language: str | None = None
    target_language: str | None = None
    protected: tuple[tuple[int, int], ...] = ()  # the target's inline codes (markup, not words)

    def prose(self) -> str:
        """The target with its inline codes blanked out (spaces: offsets stay the target's)."""
        out = self.target
        for a, b in self.protected:
            out = out[:a] + " " * (b - a) + out[b:]
        return out


@dataclass(frozen=True)
class UnitsResult(Result):
    """A Result over a bilingual file. ``applied`` are the pipeline's edits of the targets in file
    offsets (the plan's edits are the file regions splice rewrote, which replay gives ``fixed``);
    ``units`` the checked units in file order."""

    unit_edits: tuple[Edit, ...] = ()
    # the target languages other than English of the units checked (only the language-independent
    # checks ran on those; the session says so once per run)
    other_languages: tuple[str, ...] = ()
    units: tuple[UnitText, ...] = ()
    # with consistency = "run": the units the comparison across files needs (repair.bilingual.consistency)
    records: tuple = ()

    @property
    def applied(self) -> tuple[Edit, ...]:
        return self.unit_edits

    def restricted(self, wanted: Callable[[Span], bool]) -> "UnitsResult":
        out = Result.restricted(self, wanted)
        assert isinstance(out, UnitsResult)  # Result.restricted replaces fields, keeping the class
        return dataclasses.replace(out, unit_edits=tuple(e for e in self.unit_edits if wanted(e.span)))
