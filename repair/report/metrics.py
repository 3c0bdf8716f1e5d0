"""The figures ``score --format json`` and ``check --metrics`` put under a file's ``metrics``
(the garble score of :mod:`repair.score` and readability of :mod:`repair.readability`)."""
from __future__ import annotations

import bisect
import dataclasses
from typing import Any, Sequence

from .. import readability as rd
from ..model import Finding, Span
from ..score import Scores, findings_for_score, score_text


def metrics_for(text: str, result=None, per_sentence: bool = False, findings: Sequence[Finding] | None = None
                ) -> dict[str, Any]:
    """The figures ``score --format json`` and ``check --metrics`` put under a file's ``metrics``:
    ``garble_score`` (document), ``readability`` (textstat's document figures) and
    ``paragraphs`` (each paragraph's span, score, words and first words).

    ``result`` is the :class:`repair.pipeline.Result` of ``text`` (its findings feed the
    score); readability findings are added when ``result`` has none of its own.
    """
    if getattr(result, "units", None):  # a translation file (repair.bilingual): its units, not paragraphs
        return unit_metrics(text, result, per_sentence)
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


def _target_span(positions: Any, start: int, end: int) -> tuple[int, int]:
    """The characters of a target that the file span start..end covers (inverse of PositionMap.span)."""
    a = bisect.bisect_right(positions.starts, start) - 1 if positions.starts else 0
    a = max(0, a)
    if end <= start:
        return a, a
    b = bisect.bisect_left(positions.ends, end) + 1
    return a, max(a, min(b, len(positions.starts)))


def _blank_codes(text: str) -> str:
    from ..checks.source import blank_codes

    return blank_codes(text)


def _flat(text: str) -> str:
    return " ".join(text.split())


def unit_scores(result: Any) -> tuple[str, list[Span], list[Any], Scores, list[float | None]]:
    """Score the units of a translation file's result (repair.bilingual.result.UnitsResult): their
    targets joined by blank lines, each unit one paragraph, the findings mapped into the targets,
    and what each unit's source adds (repair.score.source; None where there is no source to use,
    or the target is not English). Placeholders, tags and inline codes are blanked out (markup is
    not words); the ``source.*`` findings count through the source's terms, not as findings. Returns the joined text, the unit spans in it, the findings in
    it, the scores and the shifts."""
    from ..bilingual.run import english
    from ..score.source import source_shift

    parts: list[str] = []
    spans: list[Span] = []
    mapped: list[Finding] = []
    shifts: list[float | None] = []
    offset = 0
    # the source checks' findings count through the source's terms (fitted), not the findings term
    ordered = sorted((f for f in result.findings if f.source != "source"), key=lambda f: f.span.start)
    starts = [f.span.start for f in ordered]
    for unit in result.units:
        fa, fb = unit.positions.span(0, len(unit.target))
        for f in ordered[bisect.bisect_left(starts, fa):bisect.bisect_right(starts, fb)]:
            if getattr(f, "unit_id", None) != unit.id:
                continue
            a, b = _target_span(unit.positions, f.span.start, min(f.span.end, fb))
            mapped.append(f.with_span(Span(offset + a, offset + b), unit.target[a:b]))
        spans.append(Span(offset, offset + len(unit.target)))
        prose = _blank_codes(unit.prose())
        parts.append(prose)
        offset += len(unit.target) + 2
        use = english(unit.target_language) and not (unit.source_language and english(unit.source_language))
        shifts.append(source_shift(_flat(_blank_codes(unit.source or "")), _flat(prose),
                                   unit.source_language) if use else None)
    joined = "\n\n".join(parts)
    return joined, spans, mapped, score_text(joined, mapped, units=spans, shifts=shifts), shifts


def _by_unit(spans: list[Span], sentences: Sequence[Any]) -> list[list[Any]]:
    """The scored sentences of each unit span (both in order of the joined text)."""
    starts = [s.span.start for s in sentences]
    return [list(sentences[bisect.bisect_left(starts, span.start):bisect.bisect_left(starts, span.end)])
            for span in spans]


def unit_metrics(text: str, result: Any, per_sentence: bool = False) -> dict[str, Any]:
    """``metrics_for`` of a translation file: ``garble_score`` (document) and ``readability`` of
    its targets together, and ``units`` instead of ``paragraphs``: each checked unit's ``id``,
    ``context`` and ``plural`` (when it has them), ``source_text``, ``text`` (the target), the
    target's ``start``/``end`` offsets and ``line`` in the file, ``garble_score``, ``words``, and
    ``source_points`` (what the source added to the unit's score; null when it has no source the
    score could use). With ``per_sentence``, ``sentences`` (offsets in the file)."""
    from ..score import aggregate
    from ..score.features import finding_points
    from ..score.aggregation import _overlapping
    from . import LineIndex

    joined, spans, mapped, scores, shifts = unit_scores(result)
    read = rd.metrics(joined, units=spans, per_sentence=False)
    by_span = {p.span: p for p in scores.paragraphs}
    index = LineIndex(text)
    units = []
    grouped = _by_unit(spans, scores.sentences)
    for unit, span, shift, inner in zip(result.units, spans, shifts, grouped):
        scored = by_span.get(span)
        score = scored.score if scored else 0.0
        points = None
        if shift is not None and scored is not None:
            plain = [dataclasses.replace(s, score=s.monolingual if s.monolingual is not None else s.score)
                     for s in inner]
            extra = finding_points(_overlapping(span, mapped), scored.words)
            points = round(score - min(100.0, aggregate(plain) + extra), 1)
        start, end = unit.positions.span(0, len(unit.target))
        entry: dict[str, Any] = {"id": unit.id}
        if unit.context is not None:
            entry["context"] = unit.context
        if unit.plural is not None:
            entry["plural"] = unit.plural
        entry.update({"source_text": unit.source, "text": unit.target, "start": start, "end": end,
                      "line": index.position(start)[0], "garble_score": round(score, 1),
                      "words": scored.words if scored else 0, "source_points": points})
        units.append(entry)
    out: dict[str, Any] = {"garble_score": round(scores.document, 1), "readability": read["document"],
                           "units": units}
    if per_sentence:
        sentences = []
        for unit, span, inner in zip(result.units, spans, grouped):
            for s in inner:
                a, b = unit.positions.span(s.span.start - span.start, s.span.end - span.start)
                sentences.append({"start": a, "end": b, "garble_score": round(s.score, 1), "words": s.words})
        out["sentences"] = sentences
    return out


def file_scores(result: Any) -> Scores:
    """The unit scores of a translation file's result with the spans of the file: each unit's
    target is a paragraph (for the HTML report, which shades the file where the targets are)."""
    from ..score import Scored

    _, spans, _, scores, _ = unit_scores(result)
    by_span = {p.span: p for p in scores.paragraphs}
    paragraphs, sentences = [], []
    for unit, span, inner in zip(result.units, spans, _by_unit(spans, scores.sentences)):
        scored = by_span.get(span)
        if scored is None:
            continue
        paragraphs.append(Scored(Span(*unit.positions.span(0, len(unit.target))), scored.score, scored.words))
        for s in inner:
            a, b = unit.positions.span(s.span.start - span.start, s.span.end - span.start)
            sentences.append(Scored(Span(a, b), s.score, s.words))
    return Scores(scores.document, tuple(paragraphs), tuple(sentences), scores.findings)


def unit_name(unit: dict[str, Any]) -> str:
    """A unit of ``metrics["units"]`` named: its id unless the id is its source text (a PO msgid),
    then ``[context]`` and ``[plural form]`` when it has them."""
    name = "" if unit["id"] == unit["source_text"] else unit["id"]
    if unit.get("context"):
        name += f" [{unit['context']}]"
    if unit.get("plural") is not None:
        name += f" [{unit['plural']}]"
    return name.strip()


def unit_label(unit: dict[str, Any]) -> str:
    """A unit's heading in the HTML report: its name and its source text."""
    name = unit_name(unit)
    parts = [name] if name else []
    if unit["source_text"] is not None:
        parts.append("source: " + unit["source_text"])
    return " · ".join(parts)
