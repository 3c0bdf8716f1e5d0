"""The ``garble`` check: tell an editor which sentences read as garbled machine translation.

One rule id, ``mt.garbled-sentence`` (flag only, no fix): a sentence whose garble score
(:mod:`repair.score`, the sentence model over its text alone) reaches the thresholds stored
with the model (``meta.sentence_findings`` in ``repair/data/score_model.json``, fitted on
the MLQE-PE train split by ``training/fit_score.py``): ``info`` from the lower threshold,
``warning`` from the higher one. The span is the sentence.

* **With a source.** A unit of a translation file (PO, XLIFF, TMX, tables) whose source the
  garble score can use (an English target, a source that is text in another language, not a
  key) is judged by the score with the source's terms (:mod:`repair.score.source`: length,
  copied words, numbers and names next to the source; they only raise a score), against
  thresholds of that source language (``meta.sentence_findings`` in
  ``repair/data/score_source_model.json``, fitted on the MLQE-PE train split by
  ``training/fit_source_score.py``: each language's thresholds flag a stated share of its
  train sentences at a stated mean HTER; a pooled pair for the languages train lacks). A
  text without a source (a plain file, a unit without one) is judged exactly as before.

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
from typing import Any, Literal, NamedTuple

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


@functools.lru_cache(maxsize=1)
def _source_spec() -> dict[str, Any]:
    from ..score.source import load_source_model

    return load_source_model().meta.get("sentence_findings") or {}


def source_thresholds(language: str | None) -> Thresholds:
    """The thresholds for a sentence scored with its source in ``language`` (a tag such as
    ``ro`` or ``ru-RU``; None: not known): that language's when train had it, else the pooled
    ones (``meta.sentence_findings`` of the source model; 101: never, when the data lacks them)."""
    from ..bilingual.language import primary

    spec = _source_spec()
    own = (spec.get("languages") or {}).get(primary(language)) if language else None
    chosen = own or spec.get("pooled") or {}
    return Thresholds(float(chosen.get("info", 101.0)), float(chosen.get("warning", 101.0)))


class WithSource(NamedTuple):
    """What a unit's source brings to its sentences: the score's shift and the thresholds."""
    shift: float
    limits: Thresholds


@functools.lru_cache(maxsize=256)
def _with_source(source: str, target: str, language: str | None) -> WithSource | None:
    from ..score.source import source_shift

    shift = source_shift(source, target, language)
    return None if shift is None else WithSource(shift, source_thresholds(language))


def unit_source(options: Options) -> WithSource | None:
    """The source of the translation unit whose target is being checked, when the garble score
    can use it (as ``repair.report.metrics.unit_scores`` does: an English target, a source not in
    English, not a key); None for any other text."""
    from ..formats.translation import _current_unit

    unit = _current_unit.get()
    if unit is None or getattr(unit, "source", None) is None:
        return None
    from ..bilingual.language import english, source_language, target_language

    language = source_language(unit, options)
    if not english(target_language(unit, options)) or (language and english(language)):
        return None
    return _with_source(_flat(_blank_codes(unit.source)), _flat(_blank_codes(unit.prose())), language)


def _blank_codes(text: str) -> str:
    from .source import blank_codes

    return blank_codes(text)


def _flat(text: str) -> str:
    return " ".join(text.split())


def sentence_score(sentence: str) -> float:
    """The sentence's garble score from its text alone (no findings), 0..100."""
    from ..score import sentence_text_score

    return sentence_text_score(sentence)


def sentence_score_with_source(sentence: str, shift: float) -> float:
    """The sentence's garble score from its text and its unit's source (``shift``: what the
    source adds to the prediction, :func:`repair.score.source.source_shift`), 0..100."""
    from ..score import sentence_text_score

    return sentence_text_score(sentence, shift=shift)


def garbled_sentences(text: str, limits: Thresholds | None = None,
                      source: WithSource | None = None) -> list[Finding]:
    """``mt.garbled-sentence`` findings of ``text`` (spans into it); ``source``: the text is a
    unit's target and this is what its source brings (the thresholds are then ``source.limits``
    unless ``limits`` is given)."""
    from ..text import split_sentences

    found: list[Finding] = []
    for span in split_sentences(text):
        sentence = text[span.start:span.end]
        if not is_prose(sentence):
            continue
        if source is None:
            t = limits or thresholds()
            value = sentence_score(sentence)
            told = f"garble score {value:.0f}/100"
        else:
            t = limits or source.limits
            value = sentence_score_with_source(sentence, source.shift)
            told = f"garble score {value:.0f}/100 next to its source"
        if value < t.info:
            continue
        if value >= t.warning:
            severity: Literal["warning", "info"] = "warning"
            message = (f"This sentence reads as garbled machine translation ({told}); "
                       f"check it against the source.")
        else:
            severity = "info"
            message = (f"This sentence may be garbled machine translation ({told}); "
                       f"worth checking against the source.")
        found.append(Finding(RULE, "garble", severity, message, Span(span.start, span.end), sentence))
    return found


class GarbleCheck:
    name = "garble"
    scope: Literal["paragraph", "document"] = "paragraph"

    def check(self, text: str, options: Options) -> list[Finding]:
        if not options.enabled(RULE):
            return []
        return garbled_sentences(text, source=unit_source(options))


def build(options: Options) -> list[GarbleCheck]:
    """The registry's way in: nothing with ``--grammar none`` (see the module docstring)."""
    from .registry import NO_GRAMMAR

    if options.grammar == NO_GRAMMAR:
        return []
    return [GarbleCheck()]
