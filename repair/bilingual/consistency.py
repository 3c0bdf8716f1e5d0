"""``source.inconsistent`` on translation files (issue 14 item 2): one source translated two ways, or two
sources translated the same way, within a file (the default: :func:`within`, run by
repair.bilingual.run) or across the files of a run (``--consistency run`` / ``consistency = "run"``:
each file's result carries its :class:`Record`s and :func:`across_run` compares them once every file
is analysed, whichever process analysed it).

Which units take part: those with a source and a non-empty target whose msgid is not a key. The
same source in two contexts (msgctxt, XLIFF resname / unit name) may be translated two ways, so
short labels ("Open" a file, "Open" as a state) are compared only within their context; the plural
forms of one entry are never compared with each other; a fuzzy or needs-review unit is compared with
the settled ones, never the reverse (a settled translation is not called inconsistent because an
unreviewed one differs); targets in different languages (a TMX unit's) are not compared.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from ..model import Span
from .units import Unit, UnitFinding, line_col, line_starts, source_is_key

RULE = "source.inconsistent"
# a msgid that is a key of a monolingual file ("menu.save", "app_title", "errors:404"), not a source text
_KEY = re.compile(r"[A-Za-z0-9]+(?:[._:/][A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class Record:
    """What the comparison needs of one unit, and where its target is in the file."""

    source: str
    target: str
    context: str | None
    group: str  # the unit's key without its plural index: the plural forms of one entry share it
    settled: bool
    span: tuple[int, int]  # the whole target's file span
    line: int
    unit_id: str
    plural: int | None
    language: str = ""  # the target's: a TMX unit's targets in two languages are not compared


def records(units: Iterable[Unit], text: str) -> tuple[Record, ...]:
    """The records of a document's units that take part (see the module docstring)."""
    from ..checks.source import _whole

    out = []
    for unit in units:
        if unit.source is None or not unit.target.strip() or not unit.source.strip() or source_is_key(unit) \
                or _KEY.fullmatch(unit.source.strip()):
            continue
        a, b = _whole(unit.target)
        span = unit.positions.span(a, b)
        group = unit.key if unit.plural_index is None else re.sub(r"\[\d+\](?=(?: #\d+)?$)", "", unit.key)
        out.append(Record(unit.source, unit.target, unit.context, group, not unit.fuzzy,
                          span, line_col(text, span[0])[0], unit.id, unit.plural_index,
                          (unit.target_language or "").lower()))
    return tuple(out)


def _compare(recs: list[Record], files: list[str], wheres: list[str]) -> list[tuple[int, Any]]:
    from ..checks.source import Translation, check_consistency

    return check_consistency([Translation(r.source, r.target, (r.language, r.context), (file, r.group),
                                          r.settled, where)
                              for r, file, where in zip(recs, files, wheres)])


def _finding(record: Record, finding: Any) -> Any:
    return UnitFinding(finding.rule, finding.source, finding.severity, finding.message, Span(*record.span),
                       finding.text, None, finding.sources, unit_id=record.unit_id, source_text=record.source,
                       context=record.context, plural=record.plural)


def within(recs: tuple[Record, ...]) -> list[Any]:
    """The findings of one file (spans in the file)."""
    return [_finding(recs[i], f) for i, f in _compare(list(recs), [""] * len(recs), [f"line {r.line}" for r in recs])]


def across_run(items: list[Any], keep: Callable[[Any, list[Any]], list[Any]] | None = None) -> Iterator[Any]:
    """The session's items (repair.session.Item), the findings of the comparison across the files
    whose options ask for it (``consistency == "run"``) added to their reports. ``keep(item,
    findings)`` filters the new findings of an item (``--diff-only``)."""
    pooled: list[tuple[int, Record]] = []
    for n, item in enumerate(items):
        result = item.report.result if item.report is not None else None
        if result is None or item.options.consistency != "run" or not item.options.enabled(RULE):
            continue
        pooled.extend((n, r) for r in getattr(result, "records", ()))
    found: dict[int, list[Any]] = {}
    for i, f in _compare([r for _, r in pooled], [str(n) for n, _ in pooled],
                         [f"{items[n].name}:{r.line}" for n, r in pooled]):
        n, record = pooled[i]
        found.setdefault(n, []).append(_finding(record, f))
    for n, item in enumerate(items):
        new = found.get(n)
        if new and keep is not None:
            new = keep(item, new)
        if new:
            result = item.report.result
            findings = sorted((*result.findings, *new), key=lambda f: (f.span.start, f.span.end, f.rule))
            item.report = dataclasses.replace(item.report, result=dataclasses.replace(result, findings=tuple(findings)))
        yield item


def only_added(diff_base: str | None) -> Callable[[Any, list[Any]], list[Any]]:
    """``keep`` for :func:`across_run` with ``--diff-only``: the findings on lines the change adds."""

    def keep(item: Any, findings: list[Any]) -> list[Any]:
        from ..gitdiff import GitError, added_lines, touches

        if item.path == "-":
            return findings
        try:
            added = added_lines(item.path, diff_base)
        except GitError:
            return []  # the session has already reported it for this file
        if added is None:
            return findings
        index = _Lines(item.report.result.original)
        return [f for f in findings if touches(f.span, index, added)]

    return keep


class _Lines:
    """1-based line and column of offsets (as repair.report.LineIndex, for gitdiff.touches)."""

    def __init__(self, text: str) -> None:
        self.text = text
        line_starts(text)

    def position(self, offset: int) -> tuple[int, int]:
        return line_col(self.text, offset)
