"""One voice: merge findings that several sources report on the same spot, and drop
grammar-checker suggestions that our own rules or the edit engine would undo.

Two findings are one when they cover the same text (spans equal once surrounding
whitespace is trimmed), or when they overlap and their fixes turn the text into the
same result (our ``mt.repeated-word`` deleting " the" and Harper replacing "the the"
with "the"). The merged finding keeps the most specific rule id in ``rule`` and
``source`` (our own rules first: they target garble; then LanguageTool's and Harper's
per-rule ids), the primary rule's own severity (what the rule declares, whatever else
fired on the spot: ``--fail-on`` must not depend on it), a fix (the primary's, else the first
other one) and every source in ``sources``.

A grammar checker's suggestion is dropped, finding and all, when

* it rewrites a word used as a name where it stands (capitalised mid-sentence) without
  keeping that word: Harper's "Sea port" -> "Seaport" in "Black Sea port";
* applying it and then one round of our safe edits (encoding repair and rules: ``undo``,
  which the engine passes in, :func:`repair.pipeline.undo_probe`) gives back the text our
  safe edits make of the original, when that is not the same change (agreement is merged,
  not dropped): the engine would undo it;
* it replaces text with itself.
"""
from __future__ import annotations

from typing import Callable, Sequence

from . import edits as edit_engine
from .checks.registry import GRAMMAR_SOURCES, rank
from .model import Edit, Finding, Span
from .names import is_spelling_finding
from .options import Options
from .text import BLANK_LINE as _BLANK_LINE  # one blank line, not a run: as merging always read paragraphs
from .text import WORD_RE, BlankLineIndex
from .text import starts_sentence as _sentence_initial


def merge_findings(text: str, findings: Sequence[Finding], options: Options,
                   undo: Callable[[str], str] | None = None) -> list[Finding]:
    """``undo``: what one round of the engine's safe edits makes of a text (without it, no
    suggestion is dropped as one the engine would undo)."""
    kept = drop_undone(text, findings, undo)
    return merge_same_spot(text, kept)


# --- merging ----------------------------------------------------------------------

def _trimmed(text: str, span: Span) -> tuple[int, int]:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _result(text: str, fix: Edit, lo: int, hi: int) -> str:
    """The window text[lo:hi] with ``fix`` applied (fix lies inside the window)."""
    return text[lo:fix.span.start] + fix.replacement + text[fix.span.end:hi]


def _same_spot(text: str, a: Finding, b: Finding) -> bool:
    if _trimmed(text, a.span) == _trimmed(text, b.span):
        return True
    if a.fix is None or b.fix is None or not a.span.overlaps(b.span):
        return False
    lo = min(a.fix.span.start, b.fix.span.start)
    hi = max(a.fix.span.end, b.fix.span.end)
    return _result(text, a.fix, lo, hi) == _result(text, b.fix, lo, hi)


def _specificity(f: Finding) -> tuple:
    return (rank(f.source), f.rule.count("."), f.fix is not None, len(f.rule))


def merge_same_spot(text: str, findings: Sequence[Finding]) -> list[Finding]:
    items = sorted(findings, key=lambda f: (f.span.start, f.span.end, f.rule))
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # sweep: compare each finding with the earlier ones it can still overlap
    active: list[int] = []
    for i, f in enumerate(items):
        active = [j for j in active if items[j].span.end >= f.span.start]
        for j in active:
            g = items[j]
            if g.source == f.source and g.rule == f.rule and g.span == f.span and g.fix == f.fix:
                parent[find(i)] = find(j)   # exact duplicate
            elif g.source != f.source and _same_spot(text, g, f):
                parent[find(i)] = find(j)
        active.append(i)

    groups: dict[int, list[Finding]] = {}
    for i, f in enumerate(items):
        groups.setdefault(find(i), []).append(f)
    merged = [_merge_group(g) for g in groups.values()]
    merged.sort(key=lambda f: (f.span.start, f.span.end, f.rule))
    return merged


def _merge_group(group: list[Finding]) -> Finding:
    if len(group) == 1:
        f = group[0]
        return f if f.sources else Finding(f.rule, f.source, f.severity, f.message, f.span, f.text,
                                          f.fix, (f.source,))
    ranked = sorted(group, key=_specificity, reverse=True)
    primary = ranked[0]
    fix = primary.fix
    if fix is None:
        fix = next((f.fix for f in ranked if f.fix is not None
                    and f.fix.span.start >= primary.span.start and f.fix.span.end <= primary.span.end
                    and f.fix.span == f.span), None)
        if fix is not None and fix.span != primary.span:
            # every edit is also a finding with the edit's span: re-anchor on the primary span
            before = primary.text[: fix.span.start - primary.span.start]
            after = primary.text[fix.span.end - primary.span.start:]
            fix = Edit(primary.span, before + fix.replacement + after, fix.rule, fix.safety)
    sources: list[str] = []
    for f in ranked:
        for s in (f.sources or (f.source,)):
            if s not in sources:
                sources.append(s)
    others = sorted({f.rule for f in group if f.rule != primary.rule})
    message = primary.message
    if others:
        message = f"{message} (also {', '.join(others)})"
    return Finding(primary.rule, primary.source, primary.severity, message, primary.span, primary.text,
                   fix, tuple(sources))


# --- dropping suggestions the rest of ungarble would undo -------------------------

def drop_undone(text: str, findings: Sequence[Finding], undo: Callable[[str], str] | None = None) -> list[Finding]:
    kept: list[Finding] = []
    probe = None
    for f in findings:
        if f.source in GRAMMAR_SOURCES and f.fix is not None:
            if f.fix.replacement == text[f.fix.span.start:f.fix.span.end]:
                continue
            if not is_spelling_finding(f) and breaks_name(text, f.fix):
                continue
            if undo is not None:
                if probe is None:
                    probe = _Undo(text, undo)
                if probe.would_undo(f.fix):
                    continue
        kept.append(f)
    return kept


def breaks_name(text: str, fix: Edit) -> bool:
    """Whether the fix rewrites a word that stands as (part of) a name where it is."""
    kept_words = set(WORD_RE.findall(fix.replacement))
    for m in WORD_RE.finditer(text, fix.span.start, fix.span.end):
        word = m.group()
        if not word[:1].isupper() or word in kept_words:
            continue
        if not _sentence_initial(text, m.start()):
            return True
    return False


class _Blanks(BlankLineIndex):
    """The blank lines of one text, found once: a paragraph lookup is a binary search, not a
    scan of everything before the finding (which made merging O(text x findings))."""

    __slots__ = ()

    def __init__(self, text: str) -> None:
        super().__init__(text, _BLANK_LINE)


def _paragraph(text: str, span: Span, blanks: _Blanks | None = None) -> tuple[int, int]:
    return (blanks or _Blanks(text)).paragraph(span)


_WINDOW = 160  # characters of context either side: enough for any rule that could undo a word fix


def _window(text: str, span: Span, blanks: _Blanks | None = None) -> tuple[int, int]:
    """The fix's paragraph, cut to a window around it at whitespace, so that a long paragraph
    with many grammar findings is not re-checked whole for each one."""
    start, end = _paragraph(text, span, blanks)
    if span.start - start > _WINDOW:
        cut = text.rfind(" ", start, span.start - _WINDOW)
        start = cut + 1 if cut >= 0 else start
    if end - span.end > _WINDOW:
        cut = text.find(" ", span.end + _WINDOW, end)
        end = cut if cut >= 0 else end
    return start, end


class _Undo:
    """Whether one round of our safe edits (encoding repair, rules) reverts a grammar fix."""

    def __init__(self, text: str, fixer: Callable[[str], str]) -> None:
        self.text = text
        self.fixer = fixer
        self.cache: dict[str, str] = {}
        self.blanks = _Blanks(text)

    def _fixed(self, para: str) -> str:
        if para not in self.cache:
            self.cache[para] = self.fixer(para)
        return self.cache[para]

    def would_undo(self, fix: Edit) -> bool:
        start, end = _window(self.text, fix.span, self.blanks)
        para = self.text[start:end]
        local = Edit(fix.span.shift(-start), fix.replacement, fix.rule, fix.safety)
        edited = edit_engine.apply(para, [local])
        try:
            fixed_original = self._fixed(para)
            # undone: our edits take the edited text back to what they make of the
            # original, and that is not simply the grammar fix itself (agreement)
            return self._fixed(edited) == fixed_original and fixed_original != edited
        except Exception:  # a broken rule must not take the grammar layer down
            return False

