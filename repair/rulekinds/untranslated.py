"""``untranslated``: a word of another language left in an English sentence.

A thin kind over :mod:`repair.untranslated`, which finds and scores the candidates
(lexicon, capitalisation, position, letters and endings of other languages, names the
text uses). Keys: ``info_at`` and ``warn_at`` (scores from which a candidate is an info or a
warning finding; defaults are the module's fitted thresholds) and ``allow`` (words never
reported, any case). Flag only: which English word was meant needs the source or a person.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Finding, Severity, Span
from .base import SOURCE, Facts, Rule, kind, param


@kind("untranslated")
class UntranslatedRule(Rule):
    # the whole document: a word it uses twice is a term, a word it capitalises elsewhere a name
    SCOPE = "document"

    @dataclass(frozen=True)
    class Params:
        info_at: float | None = param("float")
        warn_at: float | None = param("float")
        allow: tuple[str, ...] = param("words", default=())

    def setup(self) -> None:
        if self.safety != "flag":
            raise ValueError("untranslated rules are flag-only (safety: flag)")
        self._allow = frozenset(w.casefold() for w in self.p("allow"))

    def precheck(self, text: str, facts: Facts) -> bool:
        # a candidate is a word of at least 3 letters on a line of at least 4 words
        return len(facts.tokens) >= 4

    def find(self, text: str) -> list[Finding]:
        from .. import untranslated

        info_at = self.p("info_at")
        warn_at = self.p("warn_at")
        info_at = untranslated.INFO_AT if info_at is None else info_at
        warn_at = untranslated.WARN_AT if warn_at is None else warn_at
        out = []
        for c in untranslated.candidates(text, floor=info_at):
            if c.score < info_at or c.word.casefold() in self._allow:
                continue
            severity: Severity = "warning" if c.score >= warn_at else "info"
            if self.severity == "info":
                severity = "info"
            out.append(Finding(self.id, SOURCE, severity, self.render(c.word), Span(c.start, c.end), c.word))
        return out
