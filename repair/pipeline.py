"""One run of the pipeline over one text: encoding repair, checks, edits to a fixed point.

This is the only fixed-point loop. Every finding comes back in code points of the text as
read, whatever the encoding repair and earlier passes did to lengths; the result holds the
plan (:class:`repair.edits.Pass` after pass) that replays the repair on the text as read.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from . import edits as edit_engine
from . import encoding
from .checks import Check
from .edits import Pass, replay
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
    """What one text became: its findings (offsets of the original), the repaired text, and the
    plan that turns one into the other (``replay()`` gives ``fixed`` back from ``original``)."""

    original: str
    fixed: str
    findings: tuple[Finding, ...]
    # every pass the engine made, each with its edits in offsets of the text before it
    plan: tuple[Pass, ...] = field(default=(), repr=False)
    passes: int = 0
    # the rules whose edits kept changing the text (a cycle, or still changing after
    # max_passes): the result is not a fixed point and must not be written
    unstable: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    @functools.cached_property
    def applied(self) -> tuple[Edit, ...]:
        """Every edit applied, in offsets of the original, in the order of the passes. An edit made
        on top of an earlier one is widened over it, so these cannot be applied in one go:
        :meth:`replay` applies the plan."""
        return tuple(e for step in self.plan for e in step.original_edits())

    def restricted(self, wanted: Callable[[Span], bool]) -> "Result":
        """The result with only the findings and edits that ``wanted`` (given spans of the
        original) keeps, later passes rebased on what is left (:func:`repair.edits.restrict`)."""
        plan = edit_engine.restrict(self.plan, wanted)
        findings = tuple(f for f in self.findings if wanted(f.span))
        return dataclasses.replace(self, findings=findings, plan=plan, fixed=replay(self.original, plan))

    def replay(self, original: str | None = None) -> str:
        """The plan applied to ``original`` (by default the text as read): always ``fixed``."""
        return replay(self.original if original is None else original, self.plan)


@dataclass
class _Runner:
    checks: Sequence[Check]
    options: Options
    # Paragraph checks see only their paragraph, so their findings depend on its
    # content alone: caching by content re-checks only what an edit touched.
    cache: dict[tuple[int, str], list[Finding]] = field(default_factory=dict)
    merging: bool = True
    _probe: "_Runner | None" = None

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
        if not self.merging:
            return found
        from .merge import merge_findings

        return list(merge_findings(text, found, self.options, undo=self.undo_probe))

    def encoding_findings(self, text: str) -> list[Finding]:
        return _unshielded(encoding.find(text, self.options), shields_for(text, self.options))

    def check_findings(self, text: str) -> list[Finding]:
        shields = shields_for(text, self.options)
        return _unshielded(self.findings(_blank(text, shields)), shields)

    def undo_probe(self, text: str) -> str:
        """What one round of our own safe edits makes of ``text`` (see :func:`undo_probe`)."""
        if self._probe is None:
            self._probe = _Runner([c for c in self.checks if c.name == "rules"], self.options, merging=False)
        return self._probe.safe_round(text)

    def safe_round(self, text: str) -> str:
        """One encoding pass and one pass of the checks, applying safe edits only."""
        for found in (self.encoding_findings, self.check_findings):
            chosen, _ = edit_engine.resolve(f.fix for f in found(text) if f.fix is not None and f.fix.safety == "safe")
            if chosen:
                text = edit_engine.apply(text, chosen)
        return text


def undo_probe(options: Options, checks: Sequence[Check]) -> Callable[[str], str]:
    """What one round of the engine's safe edits (its encoding pass, then one pass of our own rule
    checks among ``checks``) makes of a text: how merging tells a grammar suggestion that the
    engine would undo (:func:`repair.merge.drop_undone`)."""
    return _Runner(checks, options).undo_probe


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
    plan: list[Pass] = []
    back: tuple[edit_engine.OffsetMap, ...] = ()

    def collect(found: Iterable[Finding]) -> list[Finding]:
        """Record findings of the current pass in offsets of the original; returns the new ones."""
        new = []
        for f in found:
            span = f.span
            for m in back:
                span = m.span(span)
            mapped = f.with_span(span, text[span.start:span.end])
            # by start, not span: a later pass may have shortened the paragraph a finding covers
            key = (mapped.rule, span.start, mapped.fix.replacement if mapped.fix else None)
            if key not in collected:
                collected[key] = mapped
                new.append(mapped)
        return new

    def step(stage: str, chosen: list[Edit], found: list[Finding]) -> Pass:
        """Record a pass: ``chosen`` (resolved) in offsets of the text before it."""
        nonlocal back
        done = Pass(stage, tuple(chosen), tuple(found), back)
        plan.append(done)
        back = done.later_back()
        return done

    runner = _Runner(checks, options)
    current = text
    enc = runner.encoding_findings(current)
    current = step("encoding", edit_engine.resolve(applicable(enc, options))[0], collect(enc)).apply(current)

    passes = 0
    # a digest of the text after each pass, and the rules each pass applied: a text seen
    # before is a cycle of edits (alpha -> beta -> gamma -> alpha), named by its rules
    seen = {_digest(current): 0}
    pass_rules: list[set[str]] = []
    unstable: tuple[str, ...] = ()
    while True:
        found = runner.check_findings(current)
        new = collect(found)
        todo = applicable(found, options)
        if not todo:
            step("checks", [], new)
            break
        if passes >= options.max_passes:
            unstable = tuple(sorted({e.rule for e in todo}))
            new.append(_unstable(collected, f"Edits of {', '.join(unstable)} still changed the text after {passes} "
                                             "passes; the rest were not applied. Please report this text."))
            step("checks", [], new)
            break
        chosen, _skipped = edit_engine.resolve(todo)
        after = edit_engine.apply(current, chosen)
        pass_rules.append({e.rule for e in chosen})
        passes += 1
        digest = _digest(after)
        if digest in seen:
            first = seen[digest]
            unstable = tuple(sorted(set().union(*pass_rules[first:])))
            new.append(_unstable(collected, f"Edits of {', '.join(unstable)} undo each other: the text came back "
                                             f"after {passes - first} passes (a cycle of replacements). "
                                             "Fix or ignore these rules."))
        step("checks", chosen, new)
        current = after
        if unstable:
            break
        seen[digest] = passes

    findings = sorted(collected.values(), key=lambda f: (f.span.start, f.span.end, f.rule))
    return Result(text, current, tuple(findings), tuple(plan), passes, unstable)


def _unstable(collected: dict[tuple, Finding], message: str) -> Finding:
    finding = Finding("internal.unstable", "ungarble", "error", message, Span(0, 0), "")
    collected[("internal.unstable", 0, None)] = finding
    return finding


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
