"""Analysis of a bilingual file (issue 14 items 1, 3, 4): every checkable unit's target through the
ordinary pipeline, findings located in the file, and the repaired file made by splicing the changed
targets into the original text (nothing else is touched).

A bilingual input format (repair/formats/po.py, xliff.py, tmx.py, tables.py) is a
:class:`BilingualFormat`; :func:`repair.api.analyse` hands a text of such a format to :func:`analyse`
instead of running the pipeline on the whole file. The result is an ordinary
:class:`repair.pipeline.Result` over the file text, so every formatter, ``--diff-only``, the
baseline and ``fix --write`` work on it unchanged:

- ``findings`` are in offsets of the file (their ``text`` is the unescaped target text they cover);
  each is a :class:`UnitFinding` naming its unit (``unit_id``, ``source_text``);
- ``fixed`` is the file with the repaired targets spliced in; ``plan`` one pass whose edits are the
  file regions that splice rewrote; ``applied`` the pipeline's edits mapped to the file.

Which units are checked: every unit with a non-empty target, fuzzy / needs-review ones included;
obsolete PO entries (``#~``) are not units at all; each plural form is its own unit. A unit whose
repair does not settle (``internal.unstable``) or that would drop or alter an inline code is left
as it is. Short interface strings are labels, not sentences (:func:`is_label`): the prose rules of
:data:`LABEL_IGNORE` stand down on them.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable

from ..formats.translation import BilingualFormat, _TAG, _current_unit
from ..decode import InputError
from ..model import Edit, Finding, Span
from .language import english, source_language, target_language
from .units import EDIT_SINK, BilingualFormatError, Unit, UnitFinding, source_is_key  # noqa: F401 (re-exported)

# rules about sentences and documents: wrong on a button label or a menu entry
LABEL_IGNORE = ("mt.fragment", "mt.missing-subject", "quotes.unfinished-end", "quotes.unclosed-start",
                "quotes.hanging-end", "readability", "harper.SentenceCapitalization")
LABEL_MAX_WORDS = 3  # a target of 3 words or fewer is a label
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？:][\"'”’»)\]]*\s*$")
# on a target that is not English only the checks of characters and typography run (not the
# English grammar pack, nor English typography: French writes "sûr ?", German "250.000")
NOT_ENGLISH_IGNORE = ("harper", "languagetool", "readability", "mt", "boilerplate", "quotes", "grammar",
                      "typography.space-before-punctuation", "typography.number-separator")


def is_label(target: str) -> bool:
    """A short interface string ("Cancel", "Open settings"): under four words or no sentence end."""
    prose = _TAG.sub(" ", target)
    return len(_WORD.findall(prose)) <= LABEL_MAX_WORDS or not _SENTENCE_END.search(prose)


def source_findings(unit: Unit, target_result: Any, options: Any, terms: Any = None) -> list[Finding]:
    """The source-aware checks (:mod:`repair.checks.source`) of a unit that has a source:
    findings in offsets of ``unit.target``, those the options select. ``terms`` is a
    :class:`repair.bilingual.glossary.Resolver` (the run's glossary and do-not-translate terms)."""
    from ..checks.source import SourceCheckOptions, check_pair

    if unit.source is None:
        return []
    if source_is_key(unit):
        return []
    source_lang, target_lang = source_language(unit, options), target_language(unit, options)
    check_options = None
    if terms:
        glossary, keep = terms(source_lang, target_lang)
        check_options = SourceCheckOptions(glossary=glossary, do_not_translate=keep)
    found = check_pair(unit.source, unit.target, source_lang=source_lang,
                       target_lang=target_lang or "en", options=check_options)
    # nothing inside an inline code (its markup text, such as id="3", is not the translation's)
    found = [f for f in found if not any(a < f.span.end and f.span.start < b for a, b in unit.protected)]
    if unit.protected or unit.source_protected:
        # inline codes: splice refuses a target whose codes changed; their markup text is not
        # a placeholder to compare, nor part of the lengths the ratio was calibrated on
        found = [f for f in found if not f.rule.startswith(("source.placeholder", "source.length"))]
    elif is_label(unit.target):
        found = [f for f in found if f.rule != "source.length-ratio"]
    return [f for f in found if options.enabled(f.rule)]


class TranslationFileError(InputError, ValueError):
    """A translation file that cannot be parsed: a ValueError for the library, an InputError for
    the CLI (one line, exit 2)."""


def _locate(unit: Unit, f: Finding) -> UnitFinding:
    a, b = unit.positions.span(f.span.start, f.span.end)
    span = Span(a, b)
    fix = None if f.fix is None else Edit(span, f.fix.replacement, f.fix.rule, f.fix.safety)
    return UnitFinding(f.rule, f.source, f.severity, f.message, span, f.text, fix, f.sources,
                       unit_id=unit.id, source_text=unit.source, context=unit.context, plural=unit.plural_index)


def _with_marks_joined(text: str, fmt: BilingualFormat, doc: Any, changes: dict[str, str],
                       raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The splice's file edits with each review mark (a PO flag, an XLIFF state) joined to the
    target edit after it, so that ``--diff-only`` keeps or leaves the two together."""
    plain: list[tuple[int, int, str]] = []
    token = EDIT_SINK.set(plain)
    try:
        fmt.splice(doc, changes)
    finally:
        EDIT_SINK.reset(token)
    targets = {(a, b) for a, b, _ in plain}  # the same with or without the marks
    out: list[tuple[int, int, str]] = []
    pending: tuple[int, int, str] | None = None  # marks wait for the target edit that follows them
    for a, b, new in sorted(raw):
        mark = (a, b) not in targets
        if pending is not None:
            a, new = pending[0], pending[2] + text[pending[1]:a] + new
        if mark:
            pending = (a, b, new)
        else:
            out.append((a, b, new))
            pending = None
    if pending is not None:
        out.append(pending)
    return out


def analyse(text: str, options: Any, fmt: BilingualFormat, checks_for: Callable[[Any], Any]) -> Any:
    """Findings and the repaired file for a bilingual file ``text`` of format ``fmt``;
    ``checks_for(options)`` builds the checks (``repair.api.checks_for``: built once per process)."""
    from ..edits import Pass
    from ..pipeline import run
    from .result import UnitsResult, UnitText

    try:
        doc = fmt.parse(text, options)
    except BilingualFormatError as exc:  # one line: where and what (exit 2)
        raise TranslationFileError(f"not a readable {fmt.name} file: {exc}") from None
    from .glossary import Resolver

    terms = Resolver(tuple(options.glossary), tuple(options.do_not_translate))
    # the pipeline of a target needs none of the file-level options (and checks_for hashes its options)
    sentence_options = dataclasses.replace(options, input_format=fmt.name, glossary=(), do_not_translate=(),
                                           consistency="file", mark_for_review=False)
    label_options = dataclasses.replace(sentence_options, ignore=tuple(options.ignore) + LABEL_IGNORE)
    findings: list[Finding] = []
    changes: dict[str, str] = {}
    unit_edits: dict[str, list[Edit]] = {}
    passes = 0
    other_languages: set[str] = set()
    checked: list[UnitText] = []
    for unit in doc.units:
        if not unit.target.strip():
            continue  # untranslated: nothing to check in the target
        checked.append(UnitText(unit.key, unit.id, unit.context, unit.plural_index, unit.source, unit.target,
                                unit.positions, unit.source_language, unit.target_language, unit.protected))
        opts = label_options if is_label(unit.target) else sentence_options
        language = target_language(unit, options)
        if not english(language):
            opts = dataclasses.replace(opts, ignore=tuple(opts.ignore) + NOT_ENGLISH_IGNORE)
            assert language is not None
            other_languages.add(language)
        token = _current_unit.set(unit)
        try:
            result = run(unit.target, opts, checks_for(opts))
        finally:
            _current_unit.reset(token)
        passes = max(passes, result.passes)
        found = list(result.findings)
        if unit.source is not None:
            found.extend(source_findings(unit, result, opts, terms))
        findings.extend(_locate(unit, f) for f in found)
        if result.changed and not result.unstable:
            changes[unit.key] = result.fixed
            unit_edits[unit.key] = [Edit(Span(*unit.positions.span(e.span.start, e.span.end)), e.replacement,
                                         e.rule, e.safety) for e in result.applied]
    from . import consistency

    records: tuple = ()
    if options.enabled(consistency.RULE):  # source.inconsistent: this file's, or kept for the run's
        records = consistency.records(doc.units, text)
        if options.consistency != "run":
            findings.extend(consistency.within(records))
            records = ()
    # a change splice refuses (an inline code dropped or altered) leaves its unit alone
    try:
        fmt.splice(doc, changes)
    except BilingualFormatError:
        for key in list(changes):
            try:
                fmt.splice(doc, {key: changes[key]})
            except BilingualFormatError:
                del changes[key]
    raw: list[tuple[int, int, str]] = []
    token = EDIT_SINK.set(raw)
    try:
        # --mark-for-review: the repaired units become fuzzy / needs-review (PO, XLIFF)
        fixed = fmt.splice(doc, changes, review=options.mark_for_review) if changes else text
    finally:
        EDIT_SINK.reset(token)
    if options.mark_for_review and changes:
        raw = _with_marks_joined(text, fmt, doc, changes, raw)
    edits = tuple(Edit(Span(a, b), new, "bilingual.target", "safe") for a, b, new in sorted(raw))
    plan = (Pass("checks", edits),) if edits else ()
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.rule))
    applied = tuple(e for key in changes for e in unit_edits[key])
    out = UnitsResult(text, fixed, tuple(findings), plan, passes, (), unit_edits=applied,
                      other_languages=tuple(sorted(other_languages)), units=tuple(checked), records=records)
    if out.replay() != fixed:  # the plan must give the file back: one edit over the changed region
        a = 0
        while a < min(len(text), len(fixed)) and text[a] == fixed[a]:
            a += 1
        b = 0
        while b < min(len(text), len(fixed)) - a and text[-1 - b] == fixed[-1 - b]:
            b += 1
        edit = Edit(Span(a, len(text) - b), fixed[a:len(fixed) - b], "bilingual.target", "safe")
        out = dataclasses.replace(out, plan=(Pass("checks", (edit,)),))
    return out
