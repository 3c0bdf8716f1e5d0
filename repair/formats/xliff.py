"""XLIFF 1.2 and 2.0 (repair/bilingual/xliff.py): each target is checked as a unit; inline codes
(<g>, <x/>, <ph>, <pc>, ...) are protected; fix splices the changed targets back."""
from __future__ import annotations

from dataclasses import dataclass

from .translation import BilingualFormat
from . import register


@dataclass(frozen=True)
class Xliff(BilingualFormat):
    def parse(self, text, options):
        from ..bilingual import xliff

        return xliff.parse(text)

    def splice(self, doc, changes, review=False):
        from ..bilingual import xliff

        return xliff.splice(doc, changes, review=review)


XLIFF = register(Xliff("xliff", "XLIFF 1.2/2.0: each target is checked, inline codes left alone; "
                                "the file is rewritten only there.",
                       extensions=(".xlf", ".xliff"), include=("*.xlf", "*.xliff"), directives=()))
