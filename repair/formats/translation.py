"""What a bilingual input format is (repair/formats/po.py, xliff.py, tmx.py, tables.py): a file of
translation units, analysed unit by unit by repair.bilingual.run instead of as one text."""
from __future__ import annotations

import contextvars
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..model import Span
from .base import InputFormat

# an XML or HTML tag inside a target (XLIFF inline codes keep their markup in the string; HTML in
# a PO string): protected, never flagged or edited
_TAG = re.compile(r"</?[A-Za-z_][\w:.-]*(?:\s[^<>]*)?/?>")
# the unit whose target the pipeline is checking (its exact inline codes, for BilingualFormat.protected)
_current_unit: contextvars.ContextVar[Any] = contextvars.ContextVar("bilingual_unit", default=None)


def _merged(spans: list[tuple[int, int]]) -> list[Span]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [Span(a, b) for a, b in out]


@dataclass(frozen=True)
class BilingualFormat(InputFormat):
    """An input format whose file holds translation units (source and target strings).

    :meth:`parse` reads the file with a parser of repair/bilingual, :meth:`splice` writes changed
    targets back. The format is also the one the pipeline is told when it checks a unit's target: :meth:`protected` then gives the
    inline codes and tags of that target."""

    chunkable: bool = False  # a unit is never cut

    def protected(self, text: str) -> list[Span]:
        spans = [(m.start(), m.end()) for m in _TAG.finditer(text)]
        unit = _current_unit.get()
        if unit is not None and unit.protected:
            if text == unit.target:
                spans.extend(unit.protected)
            else:  # a later pass: the unit's inline codes, found again in order
                at = 0
                for a, b in unit.protected:
                    i = text.find(unit.target[a:b], at)
                    if i < 0:
                        break
                    spans.append((i, i + b - a))
                    at = i + b - a
        return _merged(spans)

    def parse(self, text: str, options: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def splice(self, doc: Any, changes: Mapping[str, str], review: bool = False) -> str:  # pragma: no cover
        """The file with the changed targets; ``review``: mark the changed units for review where
        the format has a way to (formats without one ignore it)."""
        raise NotImplementedError

