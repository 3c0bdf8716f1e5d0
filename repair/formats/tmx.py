"""TMX translation memories (repair/bilingual/tmx.py): each target segment is checked as a unit;
fix splices the changed segments back."""
from __future__ import annotations

from dataclasses import dataclass

from .translation import BilingualFormat
from . import register


@dataclass(frozen=True)
class Tmx(BilingualFormat):
    def parse(self, text, options):
        from ..bilingual import tmx

        return tmx.parse(text)

    def splice(self, doc, changes, review=False):  # no review flag in this format
        from ..bilingual import tmx

        return tmx.splice(doc, changes)


TMX = register(Tmx("tmx", "TMX: each target segment is checked; the file is rewritten only there.",
                   extensions=(".tmx",), include=("*.tmx",), directives=()))
