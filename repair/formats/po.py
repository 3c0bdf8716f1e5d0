"""Gettext PO and POT files (repair/bilingual/po.py): each msgstr (each plural form) is checked as a
unit; obsolete ``#~`` entries never; fix splices the changed msgstr strings back."""
from __future__ import annotations

from dataclasses import dataclass

from .translation import BilingualFormat
from . import register


@dataclass(frozen=True)
class Po(BilingualFormat):
    def parse(self, text, options):
        from ..bilingual import po

        return po.parse(text)

    def splice(self, doc, changes, review=False):
        from ..bilingual import po

        return po.splice(doc, changes, review=review)


PO = register(Po("po", "Gettext PO/POT: each translation (msgstr) is checked; the file is rewritten only there.",
                 extensions=(".po", ".pot"), include=("*.po", "*.pot"), directives=()))
