"""Harper back end: the offline grammar checker (harper-py), the default grammar layer.

Findings carry ``harper.<LintKind>.<HarperRule>`` ids (so ``--ignore harper.Spelling``
and ``--ignore harper.Readability.LongSentences`` both work). Every suggestion is a
``suggest`` edit: no Harper category has been shown precise enough to apply blindly
(``benchmarks/eval_grammar.py`` measures it; its repetition lint, for one, fires on
"had had" and "that that").

Spelling findings on proper nouns and accepted words are dropped here (see
:mod:`repair.names`), because only a document-scope check sees every use of a name;
so are spelling findings on real words Harper's dictionary lacks, initials, acronyms and
words no common word is one edit away from (see :mod:`repair.lexicon`). Rules that
measured noisy on clean prose are quiet by default (``QUIET_RULES``), and a few rules
are filtered where they are wrong on their face (``_false_alarm``).

Harper is imported lazily, and one ``Linter`` per dialect is built per process (the
construction and the first lint cost about a second). It lints paragraph by paragraph
(neighbouring ones in chunks), cached by paragraph text, so a later pass of the fixed-point
loop lints only the paragraphs an edit changed; names are still judged over the whole document.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal, Sequence

from ..model import Edit, Finding, Severity, Span
from ..options import Options
from ..text import paragraphs
from . import BackendUnavailable, Check

# Severity of each Harper LintKind. "error": the text is wrong as written (a
# misspelling, a broken agreement, a doubled word); "warning": probably wrong but
# Harper's dictionary or context is often incomplete (word choice, capitalisation,
# punctuation); "info": a matter of style that clean, edited prose trips
# (long sentences, Oxford comma, regional variants). Spelling is a warning, not an
# error: a dictionary never knows every name or term (names are filtered anyway).
# Measured on clean prose (benchmarks/eval_grammar.py), the "info" kinds are the
# bulk of Harper's flags on text nobody would correct.
SEVERITY: dict[str, Severity] = {
    "Agreement": "error",
    "BoundaryError": "warning",
    "Capitalization": "warning",
    "Eggcorn": "error",
    "Enhancement": "info",
    "Formatting": "warning",
    "Grammar": "error",
    "Malapropism": "error",
    "Miscellaneous": "warning",
    "Nonstandard": "warning",
    "Punctuation": "warning",
    "Readability": "info",
    "Redundancy": "info",
    "Regionalism": "info",
    "Repetition": "warning",
    "Spelling": "warning",
    "Style": "info",
    "Typo": "error",
    "Usage": "warning",
    "WordChoice": "warning",
}
DEFAULT_SEVERITY: Severity = "warning"

# Harper rules and whole lint kinds switched off by default: they fire on clean,
# edited prose and find nothing garbled. An explicit --select of the rule or its kind
# (e.g. ``--select harper.Style``) turns them back on.
#
# The first group was chosen by hand. The second by a measured criterion, on the tuning
# half of the data (even-numbered documents of Standard Ebooks, CIA World Factbook and
# CWEB-unchanged, even-numbered rows of LanguageTool's English examples): a rule is
# quiet when it flags clean prose and LanguageTool's correct examples at least 4 times
# and hits the marked span of LanguageTool's incorrect examples fewer than half as often.
# On the other half the same criterion picks the same rules but for a handful of rare
# ones. SplitWords, AnA and RepeatedWords meet it too but are kept, filtered (see
# ``_false_alarm``): a joined word ("thesame"), a wrong article and a doubled word in
# machine translation are typical damage (RepeatedWords: 8 of its 9 findings on the MQM
# data lie on a marked error; on clean prose nearly all are "had had" and "Pago Pago").
#
# Re-selected by measurement on machine translation (benchmarks/eval_harper_rules.py,
# table in benchmarks/harper-rules.md): a quiet rule is turned on when at least 40% of its
# findings lie on an MQM-marked error (TED and newstest2021 zh-en pooled, at least 10
# findings) and it flags at most 0.2 per 1,000 words on each clean set. Of the quiet rules
# only SentenceCapitalization met it (82% of 50, 0.13 per 1,000 words at most), so it is on;
# Dashes (39%, 2.9 per 1,000 on the Factbook) and LongSentences (83%, but 1.1 to 4.8 per
# 1,000) stay quiet. SpellCheck, on, flags 0.8 to 1.3 per 1,000 clean words (over the 0.2 bar) but
# is kept: 43% MQM and 79% MLQE-PE edit precision, and it is what sees untranslated words.
QUIET_RULES: frozenset[str] = frozenset({
    "LongSentences",           # a 40-word sentence is style, not damage
    "OxfordComma",             # house style
    "Dashes",                  # "--" for a dash is a plain-text convention
    "NumericRangeEnDash",      # "1992-98": typography, not damage
    "DisjointPrefixes",        # "pre-colonial": hyphenation is house style
    # measured (see above); in brackets: LT incorrect hits / clean + LT correct flags, tuning half
    "MassNouns",               # "a republic", "an openness" (6 / 87)
    "PronounVerbAgreement",    # "he sprang", "he tore" (11 / 44)
    "PronounInflectionBe", "CapitalizePersonalPronouns", "Holidays",
    "OrthographicConsistency",  # (4 / 18)
    "ToSomeDegree", "EllipsisLength", "Spaces", "UnclosedQuotes",
    "UseEllipsisCharacter",    # "..." for an ellipsis (1 / 207)
    "QuantifierNumeralConflict", "TheirToTheyre", "ThereToTheir", "TheyToThem", "WhomSubjectOfVerb",
    "Insofar", "MissingPreposition", "Nonetheless", "DiscourseMarkers", "ItsContraction",
    "RedundantThat",           # "that that" (by hand: 0 / 10 on the other half)
    "QuiteQuiet",
    "CompoundNouns",           # "back yard", "rose bush" (18 / 86)
    "InflectedVerbAfterTo", "MissingTo", "PossessiveYour", "ToTwoToo",
    "UpdatePlaceNames", "WrongNegative",
    "OkToOkay",                # "ok" is a spelling, not damage: 0.10 per 1,000 CWEB words, none on MT
})
QUIET_KINDS: frozenset[str] = frozenset({"Enhancement", "Readability", "Regionalism", "Style", "Redundancy"})

_DIALECTS = {"us": "AMERICAN", "gb": "BRITISH", "ca": "CANADIAN", "au": "AUSTRALIAN", "in": "INDIAN"}

_LINTERS: dict[str, Future] = {}
_LOCK = threading.Lock()


def load_harper() -> Any:
    """Import harper-py, failing clearly when the module named ``harper`` is something else."""
    try:
        import harper  # noqa: PLC0415  (lazy on purpose)
    except ImportError as exc:
        raise BackendUnavailable(
            "Harper is not installed: install it with `pip install harper-py` "
            "(or choose another back end with --grammar languagetool|none)."
        ) from exc
    if not (hasattr(harper, "Linter") and hasattr(harper, "Dialect") and hasattr(harper, "SuggestionKind")):
        where = getattr(harper, "__file__", None) or "an unknown location"
        raise BackendUnavailable(
            f"The module `harper` found at {where} is not harper-py (the Harper grammar checker) "
            "but an unrelated package of the same name. Fix it with "
            "`pip uninstall harper && pip install harper-py`, or use --grammar none."
        )
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        distribution("harper-py")
    except PackageNotFoundError as exc:
        raise BackendUnavailable(
            "A module `harper` is importable but the harper-py distribution is not installed; "
            "install it with `pip install harper-py`."
        ) from exc
    return harper


def prepare(dialect: str) -> Future:
    """Start building the process-wide linter for a dialect in the background.

    Building Harper's dictionary takes about a second and releases the GIL, so the rest of
    start-up (reading, rule packs, encoding repair) runs meanwhile. Import problems are
    raised here, at once; the build's own errors when the linter is first needed.
    """
    if dialect not in _DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {', '.join(_DIALECTS)}")
    with _LOCK:
        future = _LINTERS.get(dialect)
        if future is None:
            harper = load_harper()
            future = Future()

            def build() -> None:
                try:
                    future.set_result(harper.Linter(getattr(harper.Dialect, _DIALECTS[dialect])))
                except BaseException as exc:  # handed to whoever waits for the linter
                    future.set_exception(exc)

            threading.Thread(target=build, name=f"harper-{dialect}", daemon=True).start()
            _LINTERS[dialect] = future
        return future


def linter_for(dialect: str) -> Any:
    """The process-wide Harper linter for a dialect, built on first use."""
    return prepare(dialect).result()


def rule_id(kind: str, rule: str | None) -> str:
    return f"harper.{kind}.{rule}" if rule else f"harper.{kind}"


# the ids rule_id emits, for `ungarble rules`: one family (safety: every fix is `suggest`;
# severity: by lint kind, SEVERITY)
RULES = {"harper.*": {
    "safety": "varies", "severity": "varies", "pattern": True,
    "description": "Grammar and spelling from Harper (offline, the default back end); ids are harper.<Kind>.<Rule>."}}


@dataclass(frozen=True)
class Lint:
    """A Harper lint, movable: its span in code points of the text it is reported against."""

    lint_kind: str
    span: Span
    problem_text: str
    message: str
    suggestions: tuple[Any, ...]

    @classmethod
    def of(cls, lint: Any) -> "Lint":
        return cls(lint.lint_kind, Span(lint.span.start, lint.span.end), lint.problem_text, lint.message,
                   tuple(lint.suggestions))

    def moved(self, by: int) -> "Lint":
        return dataclasses.replace(self, span=self.span.shift(by)) if by else self


# Markdown that can run on past a blank line (a fence, a raw HTML block, a comment): a paragraph
# holding one is linted alone, so what it opens cannot swallow its neighbours in a chunk, and its
# lints do not depend on which neighbours it was linted with.
_MARKDOWN_SPANNING = re.compile(r"```|~~~|<!--|<(?:pre|script|style|textarea)\b", re.IGNORECASE)


def _chunks(todo: list[int], spans: Sequence[Span], size: int,
            alone: Callable[[int], bool] = lambda i: False) -> Iterator[list[int]]:
    """Runs of neighbouring paragraphs (indices into ``spans``) of about ``size`` characters."""
    group: list[int] = []
    for i in todo:
        single = alone(i)
        if group and (single or alone(group[-1]) or i != group[-1] + 1
                      or spans[i].end - spans[group[0]].start > size):
            yield group
            group = []
        group.append(i)
    if group:
        yield group


class HarperCheck:
    name = "harper"
    scope: Literal["paragraph", "document"] = "document"
    CHUNK = 3000  # characters of neighbouring paragraphs linted in one call

    def __init__(self, dialect: str = "us", *, names: bool = True, quiet_rules: frozenset[str] = QUIET_RULES,
                 quiet_kinds: frozenset[str] = QUIET_KINDS) -> None:
        self.dialect = dialect
        self.names = names
        self.quiet_rules = quiet_rules
        self.quiet_kinds = quiet_kinds
        # Harper's Linter is not thread-safe; serialise calls on the shared one.
        self._lock = threading.Lock()
        # (language, paragraph text) -> its lints, for the paragraphs of the last document
        self._cache: dict[tuple[str, str], list[tuple[str, Lint]]] = {}

    @classmethod
    def for_options(cls, options: Options) -> "HarperCheck":
        check = cls(options.dialect)
        prepare(options.dialect)  # fail now (BackendUnavailable) rather than mid-run; build meanwhile
        return check

    def raw_lints(self, text: str, options: Options) -> list[tuple[str, "Lint"]]:
        """(Harper rule name, lint) pairs for ``text``, linted paragraph by paragraph.

        The fixed-point loop hands the whole document over once per pass, and a later pass has
        changed only a few paragraphs: lints are cached by paragraph text (for the paragraphs of
        the last document seen), and only new paragraphs are linted, consecutive ones together
        in chunks of about ``CHUNK`` characters (a call costs milliseconds, and a long text
        more per character). A lint that crosses a blank line between paragraphs is dropped.
        """
        from .. import formats

        language = formats.get(options.input_format).markup  # "plaintext" or "markdown"
        spans = paragraphs(text)
        keys = [(language, text[sp.start:sp.end]) for sp in spans]
        cache, used = self._cache, {}
        todo: list[int] = []
        for i, key in enumerate(keys):
            if key in used:
                continue
            if key in cache:
                used[key] = cache[key]
            else:
                used[key] = []
                todo.append(i)
        if language == "markdown":
            def alone(i: int) -> bool:
                return _MARKDOWN_SPANNING.search(keys[i][1]) is not None
        else:
            def alone(i: int) -> bool:
                return False
        for group in _chunks(todo, spans, self.CHUNK, alone):
            first, last = spans[group[0]], spans[group[-1]]
            for rule, lint in self._lint(text[first.start:last.end], language):
                start, end = first.start + lint.span.start, first.start + lint.span.end
                for i in group:
                    sp = spans[i]
                    if sp.start <= start and end <= sp.end:
                        used[keys[i]].append((rule, lint.moved(first.start - sp.start)))
                        break
        self._cache = used
        pairs = [(rule, lint.moved(sp.start)) for sp, key in zip(spans, keys) for rule, lint in used[key]]
        pairs.sort(key=lambda p: (p[1].span.start, p[1].span.end, p[0]))
        return pairs

    def _lint(self, text: str, language: str) -> list[tuple[str, "Lint"]]:
        linter = linter_for(self.dialect)
        with self._lock, quiet_stdout():
            organized = linter.organized_lints(text, language=language)
        return [(rule, Lint.of(lint)) for rule, lints in organized.items() for lint in lints]

    def _wanted(self, rid: str, kind: str, rule: str, options: Options) -> bool:
        if not options.enabled(rid):
            return False
        if rule in self.quiet_rules or kind in self.quiet_kinds:
            # on only when the user selected this rule (or its kind) explicitly, not all of harper
            return any(p.count(".") >= 1 and (rid == p or rid.startswith(p.rstrip(".") + "."))
                       for p in options.select)
        return True

    def check(self, text: str, options: Options) -> list[Finding]:
        if not text.strip():
            return []
        findings: list[Finding] = []
        alternatives: dict[tuple[int, int], list[str]] = {}
        for rule, lint in self.raw_lints(text, options):
            rid = rule_id(lint.lint_kind, rule)
            if not self._wanted(rid, lint.lint_kind, rule, options):
                continue
            if rule == "UnclosedQuotes" and quote_continues(text, lint.span.start):
                continue
            if _false_alarm(text, rule, lint):
                continue
            finding = to_finding(text, lint, rid)
            if finding is not None:
                findings.append(finding)
                alternatives[(finding.span.start, finding.span.end)] = suggestion_texts(
                    finding.text, lint.suggestions)
        if self.names:
            from ..names import suppress_names

            findings = suppress_names(text, findings, options, alternatives=alternatives)
        return findings


_OPENING_QUOTES = "“‘\"'«„"
# doubled words that are grammatical: "he had had enough", "I think that that is fine"
GRAMMATICAL_DOUBLES = frozenset({"had had", "that that", "so so", "her her", "do do"})
_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w'’.-]*)")


# an ellipsis that marks a cut: the word it touches is a piece of a word, not a misspelling
_CUT_BEFORE = re.compile(r"(?:\.\.\.|…)[ \t]*\Z")
_CUT_AFTER = re.compile(r"\A[ \t]*(?:\.\.\.|…)")


def cut_by_ellipsis(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a word an excerpt was cut in ("...nto Apollo", "psychoactive dr...")?
    Only the first word after a leading ellipsis and the last before a closing one count."""
    before, after = text[:start], text[end:]
    if _CUT_BEFORE.search(before) and not before.rstrip(" \t.…").strip():
        return True  # "...stics and performance": the text opens inside a word
    return bool(_CUT_AFTER.match(after)) and not after.lstrip(" \t").lstrip(".…").strip()


def _false_alarm(text: str, rule: str, lint: Any) -> bool:
    """Harper findings that are wrong on their face (measured on clean prose)."""
    start, end = lint.span.start, lint.span.end
    word = text[start:end]
    if rule == "SpellCheck" and cut_by_ellipsis(text, start, end):
        return True
    if rule == "SpellCheck":
        from .. import untranslated

        if untranslated.not_a_misspelling(word, text, start, end):
            return True  # a name in another alphabet ("Łukasz"), a quoted foreign title
    if rule == "SplitWords":
        # "paragliders", "printmakers": a real word Harper's dictionary lacks, not two run
        # together. Kept: a split into a common pair ("thesame" -> "the same").
        from .. import lexicon

        if not lexicon.available():
            return False
        if lexicon.is_known_word(word) or lexicon.is_dropped_g(word, text, end):
            return True
        splits = [s.replacement_text.split()
                  for s in lint.suggestions]
        return not any(len(p) == 2 and lexicon.is_common_pair(*p) for p in splits)
    if rule == "RepeatedWords":
        words = word.split()
        if len(words) == 2 and words[0][:1].isupper() and words[1][:1].isupper():
            return True  # "Pago Pago", "Baden Baden": a name
        return word.casefold() in GRAMMATICAL_DOUBLES
    if rule == "AnA":
        after = text[end:end + 40]
        if after[:1] in "'’":
            return True  # "an’ the": eye dialect for "and"
        m = _NEXT_WORD.match(after)
        if m:
            nxt = m.group(1)
            letters = [c for c in nxt if c.isalpha()]
            if nxt[:1] in "hH" and word.lower() == "an":
                return True  # "an hypothesis", "an hereditary": older usage
            if len(letters) >= 2 and all(c.isupper() for c in letters):
                return True  # "an FIS", "a UN": an acronym's sound is not its spelling
    return False


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 while Harper runs.

    harper-py writes debugging lines to the process's stdout on some inputs
    (seen: ``gerund_form: -snowing- ...``), which would corrupt ``--format json``.
    """
    fd = 1  # Rust writes to the descriptor, whatever sys.stdout is
    try:
        sys.stdout.flush()
        saved = os.dup(fd)
    except (OSError, ValueError):
        yield  # no descriptor 1 to protect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def quote_continues(text: str, pos: int) -> bool:
    """Whether an unclosed opening quote is a quotation running on into the next paragraph.

    Printers' convention: a quotation of several paragraphs opens each one and closes
    only the last, so an unclosed quote followed by a paragraph that opens with a quote
    is correct.
    """
    if pos >= len(text) or text[pos] not in _OPENING_QUOTES:
        return False
    end = text.find("\n", pos)
    if end < 0:
        return False
    rest = text[end:].lstrip()
    return bool(rest) and rest[0] == text[pos]


def to_finding(text: str, lint: Any, rid: str) -> Finding | None:
    start, end = lint.span.start, lint.span.end
    if not 0 <= start <= end <= len(text):
        return None
    span = Span(start, end)
    span_text = text[start:end]
    kind = lint.lint_kind
    severity = SEVERITY.get(kind, DEFAULT_SEVERITY)
    replacements = suggestion_texts(span_text, lint.suggestions)
    message = lint.message
    fix = None
    if replacements:
        fix = Edit(span, replacements[0], rid, "suggest")
        others = [r for r in replacements[1:4]]
        if others:
            message = f"{message} (other suggestions: {', '.join(repr(r) for r in others)})"
    return Finding(rid, "harper", severity, message, span, span_text, fix, ("harper",))


def suggestion_texts(span_text: str, suggestions: Sequence[Any]) -> list[str]:
    """Harper suggestions as replacement strings for the lint's span.

    REMOVE becomes the empty string; INSERT_AFTER becomes the span's text followed by
    the insertion, so every edit covers exactly the finding's span.
    """
    out: list[str] = []
    for s in suggestions:
        kind = int(s.kind)
        if kind == 1:  # REMOVE
            new = ""
        elif kind == 2:  # INSERT_AFTER
            new = span_text + s.replacement_text
        else:  # REPLACE
            new = s.replacement_text
        if new != span_text and new not in out:
            out.append(new)
    return out


def build(options: Options) -> list[Check]:  # typed so that mypy checks HarperCheck against Check
    """The registry's way in (see :mod:`repair.checks.registry`)."""
    return [HarperCheck.for_options(options)]


def ready(options: Options) -> None:
    """Raise BackendUnavailable when harper-py cannot be imported; the linter is not built (each
    process builds its own)."""
    load_harper()
