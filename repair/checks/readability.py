"""The ``readability`` check: flag sentences that are extreme *for their document*.

Flag only (severity ``info``, no fix): a very long sentence or a very hard one is not
wrong, but in machine-translated or scraped text it is often two sentences run
together, a caption glued to a paragraph, or a list flattened into prose, and an editor
wants to look at it.

Cheap by design: it counts words and estimates syllables with a vowel-group rule
(:func:`repair.readability.estimate_syllables`); it never imports textstat or the CMU
dictionary, so ``ungarble check`` keeps its start-up time. ``ungarble score`` reports
textstat's exact figures.

Rule ids:

* ``readability.long-sentence``: at least ``min_long_words`` words and at least
  ``long_factor`` times the document's median sentence length.
* ``readability.hard-sentence``: estimated Flesch reading ease below ``max_flesch`` and
  at least ``flesch_margin`` points below the document's own (word-weighted) figure,
  for sentences of at least ``min_hard_words`` words.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Literal

from ..model import Finding, Span
from ..options import Options
from .. import readability as rd
from . import Check

# the ids this check emits, for `ungarble rules`
RULES = {
    "readability.long-sentence": {
        "safety": "flag", "severity": "info",
        "description": "A sentence far longer than the document's typical sentence (often two run together)."},
    "readability.hard-sentence": {
        "safety": "flag", "severity": "info",
        "description": "A sentence far harder to read than the rest of the document."},
}


@dataclass(frozen=True)
class ReadabilityThresholds:
    min_long_words: int = 60        # never call a sentence under this long
    long_factor: float = 3.0        # ... and it must be this many times the document median
    max_flesch: float = 10.0        # "very difficult" and below (Flesch's scale: 0-30 is for graduates)
    flesch_margin: float = 40.0     # ... and this far below the document
    min_hard_words: int = 12        # short sentences swing too much to call hard
    min_sentences: int = 4          # a document needs this many sentences to have a norm


@dataclass(frozen=True)
class ReadabilityCheck:
    thresholds: ReadabilityThresholds = ReadabilityThresholds()
    name: str = "readability"
    scope: Literal["paragraph", "document"] = "document"

    @classmethod
    def for_options(cls, options: Options, **thresholds) -> "ReadabilityCheck":
        return cls(ReadabilityThresholds(**{**dict(options.readability), **thresholds}))

    def check(self, text: str, options: Options) -> list[Finding]:
        want_long = options.enabled("readability.long-sentence")
        want_hard = options.enabled("readability.hard-sentence")
        if not (want_long or want_hard):
            return []
        return sentence_outliers(text, self.thresholds, want_long, want_hard)


def build(options: Options) -> list[Check]:  # typed so that mypy checks the class against Check
    """The registry's way in (see :mod:`repair.checks.registry`)."""
    return [ReadabilityCheck.for_options(options)]


def sentence_outliers(text: str, t: ReadabilityThresholds = ReadabilityThresholds(),
                      want_long: bool = True, want_hard: bool = True) -> list[Finding]:
    spans = rd.sentence_spans(text)
    if len(spans) < t.min_sentences:
        return []
    stats = [(span, rd.counts(text[span.start:span.end], sentences=1)) for span in spans]
    lengths = [c.words for _, c in stats if c.words]
    if len(lengths) < t.min_sentences:
        return []
    median = statistics.median(lengths)
    total = sum(c.words for _, c in stats)
    doc = rd.Counts(total, len(lengths), sum(c.syllables_estimate for _, c in stats),
                    sum(c.long_words for _, c in stats))
    doc_flesch = doc.flesch_estimate
    found: list[Finding] = []
    for span, c in stats:
        snippet = text[span.start:span.end]
        if want_long and c.words >= t.min_long_words and c.words >= t.long_factor * median:
            found.append(Finding(
                "readability.long-sentence", "readability", "info",
                f"Very long sentence: {c.words} words, {c.words / median:.1f} times this document's median of "
                f"{median:g}; often two sentences run together or a list flattened into prose.",
                Span(span.start, span.end), snippet))
            continue
        flesch = c.flesch_estimate
        if (want_hard and c.words >= t.min_hard_words and flesch < t.max_flesch
                and flesch <= doc_flesch - t.flesch_margin):
            found.append(Finding(
                "readability.hard-sentence", "readability", "info",
                f"Very hard sentence: Flesch reading ease about {flesch:.0f} against {doc_flesch:.0f} for the "
                f"document ({c.words} words, {c.syllables_estimate / c.words:.1f} syllables a word, "
                f"{c.long_words} of three syllables or more).",
                Span(span.start, span.end), snippet))
    return found
