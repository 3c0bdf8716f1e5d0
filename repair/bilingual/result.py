"""The Result of a bilingual file's analysis (repair.bilingual.run): a module of its own so that it
pickles (``-j``) without importing the pipeline when the formats register."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from ..model import Edit, Span
from ..pipeline import Result


@dataclass(frozen=True)
class UnitsResult(Result):
    """A Result over a bilingual file. ``applied`` are the pipeline's edits of the targets in file
    offsets (the plan's edits are the file regions splice rewrote, which replay gives ``fixed``)."""

    unit_edits: tuple[Edit, ...] = ()
    # with consistency = "run": the units the comparison across files needs (repair.bilingual.consistency)
    records: tuple = ()

    @property
    def applied(self) -> tuple[Edit, ...]:
        return self.unit_edits

    def restricted(self, wanted: Callable[[Span], bool]) -> "UnitsResult":
        out = Result.restricted(self, wanted)
        assert isinstance(out, UnitsResult)  # Result.restricted replaces fields, keeping the class
        return dataclasses.replace(out, unit_edits=tuple(e for e in self.unit_edits if wanted(e.span)))
