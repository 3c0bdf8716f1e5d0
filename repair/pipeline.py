"""One run of the pipeline over one text: encoding repair, checks, edits to a fixed point.

Every finding comes back in code points of the text as read, whatever the
encoding repair and earlier passes did to lengths.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import edits as edit_engine
from . import encoding
from .checks import Check
from .model import Edit, Finding, Span
from .options import Options
from .text import paragraphs  # the text layer's; tests and benchmarks import it from here too


# Damage to characters, not words: reported inside paths, URLs and identifiers too.
_CHARACTER_RULES = ("encoding.", "unicode.", "script.", "internal.")

# the ids the loop emits itself, for `ungarble rules` (source "ungarble" in repair.checks.registry)
RULES = {"internal.unstable": {
    "safety": "flag", "severity": "error",
    "description": "Edits kept changing the text after the maximum number of passes; the rest were not applied."}}


@dataclass(frozen=True)
class Shield:
    """A region findings must not touch: markup and code (``blank``: checks do not even see it),
    an inline suppression (``rules``: only these ids or prefixes; empty means all), or a token
    that is not a word (``token``: a path, URL, identifier, ... from :mod:`repair.nonprose`).

    A token shield drops findings on or inside the token or reaching into it (a spelling
    "correction" of ``src`` in ``src/main.py``), not those that merely touch it or hold all of
    it (a repeated phrase, a duplicate paragraph), nor damage to characters (mojibake in a URL)."""

    span: Span
    rules: tuple[str, ...] = ()
    blank: bool = False
    token: bool = False

    def covers(self, finding: Finding) -> bool:
        if self.token:
            f, t = finding.span, self.span
            if not (f.start < t.end and f.end > t.start) or finding.rule.startswith(_CHARACTER_RULES):
                return False
            return not (f.start <= t.start and f.end >= t.end and f.end - f.start > t.end - t.start)
        if not self.span.overlaps(finding.span):
            return False
        return not self.rules or any(finding.rule == r or finding.rule.startswith(r.rstrip(".") + ".")
                                     for r in self.rules)


def shields_for(text: str, options: Options) -> list[Shield]:
    """What the input format protects (Markdown's code and markup), tokens that are not words
    (paths, URLs, identifiers, placeholders: in every format) and inline suppressions."""
    from . import formats

    fmt = formats.get(options.input_format)
    shields = [Shield(span, blank=True) for span in fmt.protected(text)]
    from . import nonprose

    shields.extend(Shield(span, token=True) for span in nonprose.spans(text))
    if "ungarble:" in text:
        from .suppress import suppressions

        shields.extend(Shield(span, tuple(rules)) for span, rules in suppressions(text, fmt))
    return shields


def _blank(text: str, shields: Sequence[Shield]) -> str:
    """Hide shielded regions from checks without moving any offset."""
    spans = [s.span for s in shields if s.blank]
    if not spans:
        return text
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _unshielded(findings: Iterable[Finding], shields: Sequence[Shield]) -> list[Finding]:
    """Drop findings under a shield; Markdown gives thousands of shields, so search them by position."""
    if not shields:
        return list(findings)
    ordered = sorted(shields, key=lambda s: s.span.start)
    starts = [s.span.start for s in ordered]
    reach = list(itertools.accumulate((s.span.end for s in ordered), max))  # furthest end so far
    kept = []
    for f in findings:
        i = bisect.bisect_right(starts, f.span.end) - 1
        covered = False
        while i >= 0 and reach[i] >= f.span.start:
            if ordered[i].covers(f):
                covered = True
                break
            i -= 1
        if not covered:
            kept.append(f)
    return kept


@dataclass(frozen=True)
class Result:
    """What one text became: its findings (offsets of the original) and the repaired text."""

    original: str
    fixed: str
    findings: tuple[Finding, ...]
    applied: tuple[Edit, ...] = ()
    passes: int = 0
    # the rules whose edits kept changing the text (a cycle, or still changing after
    # max_passes): the result is not a fixed point and must not be written
    unstable: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


@dataclass
class _Runner:
    checks: Sequence[Check]
    options: Options
    # Paragraph checks see only their paragraph, so their findings depend on its
    # content alone: caching by content re-checks only what an edit touched.
    cache: dict[tuple[int, str], list[Finding]] = field(default_factory=dict)

    def findings(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        para_spans = None
        for index, check in enumerate(self.checks):
            if check.scope == "document":
                found.extend(check.check(text, self.options))
                continue
            if para_spans is None:
                para_spans = paragraphs(text)
            for span in para_spans:
                chunk = text[span.start:span.end]
                key = (index, chunk)
                if key not in self.cache:
                    self.cache[key] = check.check(chunk, self.options)
                found.extend(f.with_span(f.span.shift(span.start), f.text) for f in self.cache[key])
        # internal.* findings report our own failures (a rule that timed out): never filtered
        found = [f for f in found if f.rule.startswith("internal.") or self.options.enabled(f.rule)]
        return _merge(text, found, self.options)


def _merge(text: str, findings: list[Finding], options: Options) -> list[Finding]:
    try:
        from .merge import merge_findings
    except ImportError:
        return findings
    return list(merge_findings(text, findings, options))


def applicable(findings: Iterable[Finding], options: Options) -> list[Edit]:
    return [f.fix for f in findings
            if f.fix is not None and (f.fix.safety == "safe" or options.unsafe)]


def run(text: str, options: Options, checks: Sequence[Check]) -> Result:
    """Find everything, apply what the options allow, repeat until nothing changes."""
    from .rulebook import document_budget

    with document_budget(text):  # rule time budgets are per document, over every pass
        return _run(text, options, checks)


def _run(text: str, options: Options, checks: Sequence[Check]) -> Result:
    collected: dict[tuple, Finding] = {}
    applied: list[Edit] = []

    def collect(found: Iterable[Finding], to_original) -> None:
        for f in found:
            span = to_original(f.span)
            mapped = f.with_span(span, text[span.start:span.end])
            # by start, not span: a later pass may have shortened the paragraph a finding covers
            key = (mapped.rule, span.start, mapped.fix.replacement if mapped.fix else None)
            collected.setdefault(key, mapped)

    maps: list[edit_engine.OffsetMap] = []

    def to_original(span: Span) -> Span:
        for m in reversed(maps):
            span = m.span(span)
        return span

    current = text
    enc = _unshielded(encoding.find(current, options), shields_for(current, options))
    collect(enc, to_original)
    current = _apply(current, applicable(enc, options), maps, applied, to_original)

    runner = _Runner(checks, options)
    passes = 0
    # a digest of the text after each pass, and the rules each pass applied: a text seen
    # before is a cycle of edits (alpha -> beta -> gamma -> alpha), named by its rules
    seen = {_digest(current): 0}
    pass_rules: list[set[str]] = []
    unstable: tuple[str, ...] = ()
    while True:
        shields = shields_for(current, options)
        found = _unshielded(runner.findings(_blank(current, shields)), shields)
        collect(found, to_original)
        todo = applicable(found, options)
        if not todo:
            break
        if passes >= options.max_passes:
            unstable = tuple(sorted({e.rule for e in todo}))
            collected[("internal.unstable", 0, None)] = Finding(
                "internal.unstable", "ungarble", "error",
                f"Edits of {', '.join(unstable)} still changed the text after {passes} passes; "
                "the rest were not applied. Please report this text.", Span(0, 0), "")
            break
        before = len(applied)
        current = _apply(current, todo, maps, applied, to_original)
        pass_rules.append({e.rule for e in applied[before:]})
        passes += 1
        digest = _digest(current)
        if digest in seen:
            first = seen[digest]
            unstable = tuple(sorted(set().union(*pass_rules[first:])))
            collected[("internal.unstable", 0, None)] = Finding(
                "internal.unstable", "ungarble", "error",
                f"Edits of {', '.join(unstable)} undo each other: the text came back after "
                f"{passes - first} passes (a cycle of replacements). Fix or ignore these rules.",
                Span(0, 0), "")
            break
        seen[digest] = passes

    findings = sorted(collected.values(), key=lambda f: (f.span.start, f.span.end, f.rule))
    return Result(text, current, tuple(findings), tuple(applied), passes, unstable)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _apply(current: str, todo: list[Edit], maps: list, applied: list[Edit], to_original) -> str:
    chosen, _skipped = edit_engine.resolve(todo)
    if not chosen:
        return current
    for e in chosen:
        applied.append(Edit(to_original(e.span), e.replacement, e.rule, e.safety))
    maps.append(edit_engine.OffsetMap.from_edits(chosen))
    return edit_engine.apply(current, chosen)
