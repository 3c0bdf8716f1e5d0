"""The ``garble`` check: tell an editor which sentences read as garbled machine translation.

One rule id, ``mt.garbled-sentence`` (flag only, no fix): a sentence whose garble score
(:mod:`repair.score`, the sentence model over its text alone) reaches the thresholds stored
with the model (``meta.sentence_findings`` in ``repair/data/score_model.json``, fitted on
the MLQE-PE train split by ``training/fit_score.py``): ``info`` from the lower threshold,
``warning`` from the higher one. The span is the sentence.

* **Text alone.** The score used here leaves out the findings of other rules: those are
  shown already, and the score's own findings term ignores this check's findings (the
  source is registered ``scored=False``), so nothing feeds back.
* **Prose only.** Headings, labels, list items, code and table rows are not sentences an
  editor reads as translation: a sentence needs ``MIN_WORDS`` words, final punctuation,
  mostly letters, and must not start with a list marker or sit on several short lines.
* **Cost.** The score needs the English frequency lists (about 0.3 s to read) and the
  model: both load on the first sentence that passes the prose test, never at import, and
  the check runs only on the default path (a grammar back end chosen), not with
  ``--grammar none``, whose start-up budget (0.25 s for a hook) the lists alone would
  exceed. Features are linear in the sentence length.
"""
from __future__ import annotations

import functools
import re
from typing import Literal, NamedTuple

from ..model import Finding, Span
from ..options import Options

RULE = "mt.garbled-sentence"
RULES = {
    RULE: {
        "safety": "flag", "severity": "warning",
        "description": "A sentence whose garble score (the sentence model, fitted on post-edited machine "
                       "translation) is high: it reads as garbled machine translation. Info from the "
                       "lower threshold, warning from the higher; runs on the default path only "
                       "(not with --grammar none)."},
}

MIN_WORDS = 6          # shorter ones are labels, headings, replies: too little text to judge
MIN_LETTER_SHARE = 0.6  # letters among non-space characters: below it, code, tables, formulas


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Words, final punctuation, list markers, code (compiled on first use: this module is
    imported on every start-up, with --grammar none too)."""
    return (re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*"), re.compile(r"""[.!?…]["'”’»)\]]*\s*$"""),
            re.compile(r"^\s*(?:[-*•·–—>#|]|\d+[.)]\s|[a-z][.)]\s|\(\w{1,3}\)\s)"),
            re.compile(r"[{}=<>`]|\w\(|\w_\w|://|\\\w"))


def is_prose(sentence: str) -> bool:
    """Whether ``sentence`` is running prose the check may judge (see the module docstring)."""
    word, final, list_start, code = _patterns()
    if len(word.findall(sentence)) < MIN_WORDS or not final.search(sentence):
        return False
    if list_start.match(sentence):
        return False
    lines = [ln for ln in sentence.splitlines() if ln.strip()]
    if len(lines) > 1 and (any(list_start.match(ln) for ln in lines) or len(lines) >= 3):
        return False
    if code.search(sentence):
        return False
    visible = [c for c in sentence if not c.isspace()]
    return sum(c.isalpha() for c in visible) >= MIN_LETTER_SHARE * len(visible)


class Thresholds(NamedTuple):
    info: float
    warning: float


@functools.lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    from ..score import load_model

    spec = load_model().meta.get("sentence_findings") or {}
    return Thresholds(float(spec.get("info", 101.0)), float(spec.get("warning", 101.0)))


def sentence_score(sentence: str) -> float:
    """The sentence's garble score from its text alone (no findings), 0..100."""
    from ..score import sentence_text_score

    return sentence_text_score(sentence)


def garbled_sentences(text: str, limits: Thresholds | None = None) -> list[Finding]:
    """``mt.garbled-sentence`` findings of ``text`` (spans into it)."""
    from ..text import split_sentences

    found: list[Finding] = []
    for span in split_sentences(text):
        sentence = text[span.start:span.end]
        if not is_prose(sentence):
            continue
        t = limits or thresholds()
        value = sentence_score(sentence)
        if value < t.info:
            continue
        if value >= t.warning:
            severity: Literal["warning", "info"] = "warning"
            message = (f"This sentence reads as garbled machine translation (garble score {value:.0f}/100); "
                       f"check it against the source.")
        else:
            severity = "info"
            message = (f"This sentence may be garbled machine translation (garble score {value:.0f}/100); "
                       f"worth checking against the source.")
        found.append(Finding(RULE, "garble", severity, message, Span(span.start, span.end), sentence))
    return found


class GarbleCheck:
    name = "garble"
    scope: Literal["paragraph", "document"] = "paragraph"

    def check(self, text: str, options: Options) -> list[Finding]:
        if not options.enabled(RULE):
            return []
        return garbled_sentences(text)


def build(options: Options) -> list[GarbleCheck]:
    """The registry's way in: nothing with ``--grammar none`` (see the module docstring)."""
    from .registry import NO_GRAMMAR

    if options.grammar == NO_GRAMMAR:
        return []
    return [GarbleCheck()]
