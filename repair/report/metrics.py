"""The figures ``score --format json`` and ``check --metrics`` put under a file's ``metrics``
(the garble score of :mod:`repair.score` and readability of :mod:`repair.readability`)."""
from __future__ import annotations

from typing import Any, Sequence

from .. import readability as rd
from ..model import Finding
from ..score import findings_for_score, score_text


def metrics_for(text: str, result=None, per_sentence: bool = False, findings: Sequence[Finding] | None = None
                ) -> dict[str, Any]:
    """The figures ``score --format json`` and ``check --metrics`` put under a file's ``metrics``:
    ``garble_score`` (document), ``readability`` (textstat's document figures) and
    ``paragraphs`` (each paragraph's span, score, words and first words).

    ``result`` is the :class:`repair.pipeline.Result` of ``text`` (its findings feed the
    score); readability findings are added when ``result`` has none of its own.
    """
    if findings is None:
        findings = findings_for_score(text, result)
    units = rd.paragraph_spans(text)
    scores = score_text(text, findings, units=units)
    read = rd.metrics(text, units=[p.span for p in scores.paragraphs], per_sentence=False)
    paragraphs = []
    for p, r in zip(scores.paragraphs, read["paragraphs"]):
        paragraphs.append({"start": p.span.start, "end": p.span.end, "garble_score": round(p.score, 1),
                           "words": p.words, "flesch": r["flesch"], "grade": r["grade"],
                           "first_words": first_words(text[p.span.start:p.span.end])})
    out: dict[str, Any] = {"garble_score": round(scores.document, 1), "readability": read["document"],
                           "paragraphs": paragraphs}
    if per_sentence:
        out["sentences"] = [{"start": s.span.start, "end": s.span.end, "garble_score": round(s.score, 1),
                             "words": s.words} for s in scores.sentences]
    return out


def first_words(text: str, limit: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:limit]) + (" …" if len(parts) > limit else "")
