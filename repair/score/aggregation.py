"""Scoring texts: sentences scored by the model, paragraphs and documents by an aggregate that
weights the worst sentences, plus the findings term (see :mod:`repair.score`)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from .. import readability as rd
from ..model import Finding, Span
from .features import IGNORED_PREFIXES, edit_rates, finding_points, lexicon, sentence_features
from .model import Model, load_model


# --- scoring texts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    span: Span
    score: float
    words: int
    boilerplate: bool = False  # inside a boilerplate finding's span (a caption, a credit line)
    monolingual: float | None = None  # a sentence's score without its unit's source (only when one counted)


@dataclass(frozen=True)
class Scores:
    """Scores of one text: the document, its paragraphs and its sentences (spans into the text).

    ``document`` and each paragraph's score include the findings term (``findings``: the
    document's share of it, in points)."""

    document: float
    paragraphs: tuple[Scored, ...]
    sentences: tuple[Scored, ...]
    findings: float = 0.0


BOILERPLATE_WEIGHT = 0.2  # a boilerplate sentence's weight in a score next to other sentences


def aggregate(items: Sequence[Scored]) -> float:
    """A score for several sentences that weights the worst ones: the mean of a cubic mean
    (each sentence weighted by its length, at least 5 words, so a one-word fragment still
    counts) and the mean of the worst fifth of the sentences (at least one).

    Sentences inside boilerplate findings (captions, credit lines that survived repair) are
    not language garble: next to other sentences they weigh ``BOILERPLATE_WEIGHT`` in the
    mean and never count among the worst."""
    if not items:
        return 0.0
    mixed = any(s.boilerplate for s in items) and not all(s.boilerplate for s in items)
    weights = [max(5, s.words) * (BOILERPLATE_WEIGHT if mixed and s.boilerplate else 1.0) for s in items]
    cubic = (sum(w * s.score ** 3 for w, s in zip(weights, items)) / sum(weights)) ** (1 / 3)
    pool = [s.score for s in items if not (mixed and s.boilerplate)]
    worst = sorted(pool, reverse=True)[:max(1, math.ceil(len(pool) / 5))]
    return 0.5 * cubic + 0.5 * sum(worst) / len(worst)


def _overlapping(span: Span, findings: Sequence[Finding]) -> list[Finding]:
    out = []
    for f in findings:
        if f.span.start < span.end and span.start < f.span.end:
            out.append(f)
        elif f.span.start == f.span.end and span.start <= f.span.start < span.end:
            out.append(f)
    return out


def score_text(text: str, findings: Sequence[Finding] = (), model: Model | None = None,
               units: Sequence[Span] | None = None, shifts: Sequence[float | None] | None = None) -> Scores:
    """Score ``text`` given its ``findings`` (spans into ``text``, e.g. ``repair.analyse(text).findings``).

    ``units`` are the paragraphs (default :func:`repair.readability.paragraph_spans`); ``shifts``,
    one per unit, what each unit's source adds to the prediction of its sentences
    (:func:`repair.score.source.source_shift`; None or 0: no source).
    """
    model = model or load_model()
    lex = lexicon()
    rates = edit_rates()
    if units is None:
        units = rd.paragraph_spans(text)
    sentences: list[Scored] = []
    paragraphs: list[Scored] = []
    for k, unit in enumerate(units):
        shift = (shifts[k] or 0.0) if shifts is not None else 0.0
        inner: list[Scored] = []
        chunk = text[unit.start:unit.end]
        for s in rd.sentence_spans(chunk):
            span = s.shift(unit.start)
            sentence = text[span.start:span.end]
            near = _overlapping(span, findings)
            feats = sentence_features(sentence, near, lex, rates)
            boiler = any(f.rule.startswith(IGNORED_PREFIXES) for f in near)
            if shift:
                inner.append(Scored(span, model.score(feats, shift), int(feats["n_words"]), boiler,
                                    model.score(feats)))
            else:
                inner.append(Scored(span, model.score(feats), int(feats["n_words"]), boiler))
        if not inner:
            continue
        sentences.extend(inner)
        words = sum(s.words for s in inner)
        extra = finding_points(_overlapping(unit, findings), words)
        paragraphs.append(Scored(unit, min(100.0, aggregate(inner) + extra), words))
    extra = finding_points(findings, sum(s.words for s in sentences)) if sentences else 0.0
    return Scores(min(100.0, aggregate(sentences) + extra), tuple(paragraphs), tuple(sentences), extra)


def _readability_findings(text: str) -> list[Finding]:
    from ..checks.readability import sentence_outliers

    return sentence_outliers(text)


def findings_for_score(text: str, result=None) -> tuple[Finding, ...]:
    """``result``'s findings, plus the readability check's when the pipeline did not run it."""
    findings = tuple(result.findings) if result is not None else ()
    if not any(f.source == "readability" for f in findings):
        findings += tuple(_readability_findings(text))
    return findings


def sentence_text_score(sentence: str, model: Model | None = None, shift: float = 0.0) -> float:
    """One sentence's score from its text alone (no findings: the ``mt.garbled-sentence``
    check flags sentences by this, and its findings never count in the score); ``shift``: what
    its unit's source adds to the prediction (:func:`repair.score.source.source_shift`)."""
    return (model or load_model()).score(sentence_features(sentence, (), lexicon(), edit_rates()), shift)
