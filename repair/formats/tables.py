"""Translation tables: CSV, TSV and JSON Lines with a source and a target column
(repair/bilingual/tables.py). Only when a column is named (``--source-field``/``--target-field`` or
the configuration keys ``source-field``/``target-field``): a .csv/.tsv/.jsonl file is otherwise
not read as a table (and ``batch`` reads JSONL records its own way)."""
from __future__ import annotations

from dataclasses import dataclass

from . import register
from .translation import BilingualFormat

SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class Table(BilingualFormat):
    def parse(self, text, options):
        from ..bilingual import tables

        return tables.parse(text, self.name, source_field=options.source_field or "source",
                            target_field=options.target_field or "target")

    def splice(self, doc, changes, review=False):  # no review flag in this format
        from ..bilingual import tables

        return tables.splice(doc, changes)

    def protected(self, text):
        return []  # a table cell is plain text: no inline codes


def table_format(path: str) -> str | None:
    """The table format of ``path`` by its suffix, or None."""
    lower = path.lower()
    for suffix, name in SUFFIXES.items():
        if lower.endswith(suffix):
            return name
    return None


# no extensions: a table is chosen by naming a column (repair.config), never by its suffix alone
for _name, _what in (("csv", "CSV"), ("tsv", "TSV"), ("jsonl", "JSON Lines")):
    register(Table(_name, f"{_what} translation table (with --source-field/--target-field): each target cell "
                          "is checked; the file is rewritten only there.", directives=()))
