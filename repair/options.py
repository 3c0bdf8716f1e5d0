"""Run options: everything a check or the pipeline may be told by the user."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# a grammar back end registered in repair.checks.registry (its grammar_choices()), or "none"
Grammar = str
Dialect = Literal["us", "gb", "ca", "au", "in"]


@dataclass(frozen=True)
class Options:
    select: tuple[str, ...] = ()          # rule ids or prefixes; empty means all
    ignore: tuple[str, ...] = ()
    unsafe: bool = False                  # apply `suggest` edits too
    grammar: Grammar = "harper"
    dialect: Dialect = "us"
    languagetool_url: str | None = None
    languagetool_dir: str | None = None
    languagetool_timeout: float = 5.0     # seconds: connecting to the server, and each wait for data
    languagetool_deadline: float = 20.0   # seconds: all requests to the server in one run together
    rules_dirs: tuple[str, ...] = ()      # extra rule packs
    accept_words: frozenset[str] = field(default_factory=frozenset)
    input_format: str = "plain"           # a name in repair.formats: what is prose, what is protected
    # ftfy typography options; quotes are an editor's choice, not damage
    uncurl_quotes: bool = False
    fix_latin_ligatures: bool = True
    # readability thresholds to override, as (field, value) pairs of ReadabilityThresholds
    readability: tuple[tuple[str, float], ...] = ()
    max_passes: int = 8
    # the columns of a CSV/TSV/JSONL translation table (repair/formats/tables.py); None: not a table
    source_field: str | None = None
    target_field: str | None = None
    # languages of a translation (BCP 47 tags) given by option or configuration: over a file's
    # metadata (repair/bilingual/language.py); None: the metadata's, else detected / English
    source_language: str | None = None
    target_language: str | None = None
    # translation files (repair/bilingual): glossary entries (repair.bilingual.glossary.Entry) and
    # do-not-translate terms; where source.inconsistent compares units ("file", or "run": across the
    # files of the run); fix marks the units it repaired for review (PO fuzzy, XLIFF state)
    glossary: tuple = ()
    do_not_translate: tuple[str, ...] = ()
    consistency: str = "file"
    mark_for_review: bool = False

    def enabled(self, rule_id: str) -> bool:
        """Ruff-style selection: the longest matching prefix of select/ignore wins."""
        best_sel = max((len(p) for p in self.select if _matches(rule_id, p)), default=-1 if self.select else 0)
        best_ign = max((len(p) for p in self.ignore if _matches(rule_id, p)), default=-1)
        return best_sel >= 0 and best_sel >= best_ign if best_ign >= 0 else best_sel >= 0


def _matches(rule_id: str, prefix: str) -> bool:
    return rule_id == prefix or rule_id.startswith(prefix.rstrip(".") + ".")
