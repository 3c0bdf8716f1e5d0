"""The shared part of every rule kind: common fields, key schemas, findings.

A rule kind is a subclass of :class:`Rule` registered with :func:`kind`, with one
algorithm: it declares the keys it reads as the fields of a frozen ``Params``
dataclass made with :func:`param` (the loader converts and checks each value, builds
``rule.params`` from them, and rejects any other key with its file and line) and
implements ``find(text) -> list[Finding]``. Adding a kind means adding one module
to this package.
"""
from __future__ import annotations

import dataclasses
import itertools
import operator
import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, ClassVar, Literal

import regex

from .. import wordlists
from ..model import Edit, Finding, Severity, Span
from ..text import HYPHENATED_TOKEN, HYPHENATED_WORD

RuleSafety = Literal["safe", "suggest", "flag"]
SOURCE = "rules"

# Letters only (no digits or underscore), with inner apostrophes and hyphens.
WORD = HYPHENATED_WORD
WORD_RE = regex.compile(WORD)

KINDS: dict[str, type["Rule"]] = {}

# (rule, seconds): a shorter time limit than its ``timeout`` for the rule now running, set by
# repair.rulebook.run_rules when the rule's time budget for the document runs short
LIMIT: ContextVar[tuple["Rule", float] | None] = ContextVar("ungarble_rule_limit", default=None)


def kind(name: str) -> Callable[[type["Rule"]], type["Rule"]]:
    """Register a rule kind under ``name``; its ``Params`` dataclass says which keys it reads."""
    def register(cls: type["Rule"]) -> type["Rule"]:
        cls.KIND = name
        params = cls.Params
        if not (dataclasses.is_dataclass(params) and params.__dataclass_params__.frozen):  # type: ignore[attr-defined]
            raise TypeError(f"{cls.__name__}.Params must be a frozen dataclass")
        cls.KEYS = {f.name: f.metadata["key"] for f in dataclasses.fields(params)}
        KINDS[name] = cls
        return cls

    return register


@dataclass(frozen=True)
class Key:
    """One accepted key of a rule kind.

    ``type`` is one of: str, bool, int, float, regex (compiled with the rule's
    flags), words (a YAML list of strings, or the name of a .txt file next to the
    rule file with one entry a line), strlist, strmap.
    """

    type: str
    required: bool = False
    default: Any = None
    choices: tuple = ()
    doc: str = ""


def param(type: str, default: Any = None, *, required: bool = False, choices: tuple = (), doc: str = "",
          factory: Callable[[], Any] | None = None) -> Any:
    """One parameter of a kind: a field of its ``Params`` dataclass, read from the YAML key
    of the same name (converted and checked as :class:`Key` ``type``)."""
    key = Key(type, required, factory() if factory else default, choices, doc)
    if factory is not None:
        return field(default_factory=factory, metadata={"key": key})
    return field(default=default, metadata={"key": key})


@dataclass(frozen=True)
class NoParams:
    """The parameters of a kind that reads no key of its own."""


@dataclass(frozen=True)
class Examples:
    """A rule's examples. ``fixed[i]`` is what ``ungarble fix`` makes of ``bad[i]`` (safe edits
    only) and ``fixed_unsafe[i]`` what ``fix --unsafe`` makes of it, with this rule alone;
    both are empty for a flag-only rule (it leaves every text as it is). ``known_failures``
    are texts the rule should catch and does not yet: kept, and tested to still draw no
    finding, so that a change that catches one is noticed. ``fires_on_good_of`` names the
    rules whose good examples this rule fires on, on purpose (a declared overlap)."""

    bad: tuple[str, ...]
    fixed: tuple[str, ...]
    good: tuple[str, ...]
    fixed_unsafe: tuple[str, ...] = ()
    known_failures: tuple[str, ...] = ()
    fires_on_good_of: tuple[str, ...] = ()


@dataclass(eq=False)
class Rule:
    """A loaded, validated rule. Kinds add their own fields from ``KEYS``."""

    KIND: ClassVar[str] = ""
    # the kind's own keys: a frozen dataclass whose fields are made with :func:`param`;
    # the loader rejects any other key (KEYS is derived from it at registration)
    Params: ClassVar[type] = NoParams
    KEYS: ClassVar[dict[str, Key]] = {}
    SCOPE: ClassVar[str] = "paragraph"
    # placeholders a kind fills in messages, besides {match}
    PLACEHOLDERS: ClassVar[tuple[str, ...]] = ()

    id: str
    message: str
    severity: Severity
    safety: RuleSafety
    examples: Examples
    path: str = ""
    line: int = 0
    timeout: float = 1.0
    scope: str = "paragraph"
    description: str = ""
    params: Any = field(default_factory=NoParams)

    # a regex (``prefilter`` key) that must match somewhere for the rule to run
    prefilter: Any = None
    # a rule of the built-in packs: the tests compile its patterns, so a kind may compile
    # them on first use (a hook's start-up); a user's rule is checked whole at load
    builtin: bool = False

    def setup(self) -> None:
        """Called once after loading; kinds precompute here (may raise ValueError)."""

    def limit(self) -> float:
        """Seconds the next regex call may take: ``timeout``, or what is left of the rule's
        time budget for the document when that is less. Kinds pass it as ``timeout=``."""
        held = LIMIT.get()
        return held[1] if held is not None and held[0] is self else self.timeout

    def precheck(self, text: str, facts: "Facts") -> bool:
        """A cheap necessary condition: False only when ``find(text)`` is certain to find nothing.

        Kinds override it with exact reasoning about their own matching (see each kind);
        :func:`repair.rulebook.run_rules` skips the rule when it is False. It must never
        change what a rule finds, only avoid running it where it cannot fire.
        """
        return True

    def gate(self, text: str, facts: "Facts") -> bool:
        """``precheck``, then the rule's ``prefilter`` regex (a timeout there means: run the rule)."""
        if not self.precheck(text, facts):
            return False
        pre = self.prefilter
        if pre is None:
            return True
        try:
            if self.__dict__.get("_line_start") is None:
                self._line_start = line_anchored(pre)
            if self._line_start:
                # every match starts a line: try only there
                pos = 0
                while pos != -1:
                    if pre.match(text, pos, timeout=self.limit()) is not None:
                        return True
                    pos = text.find("\n", pos)
                    if pos != -1:
                        pos += 1
                return False
            return pre.search(text, timeout=self.limit()) is not None
        except TimeoutError:
            return True

    def safe_forms(self) -> bool:
        """Does a ``suggest`` rule have a narrow form whose matches are ``safe`` (given its
        parameters)? ``ungarble rules`` shows such rules as ``safe*``."""
        return False

    def find(self, text: str) -> list[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers for kinds -------------------------------------------------
    def p(self, key: str) -> Any:
        return getattr(self.params, key)

    def render(self, match: str, **extra: str) -> str:
        msg = self.message.replace("{match}", match)
        if "{codes}" in msg:  # any kind: the characters of the match that do not show
            msg = msg.replace("{codes}", hidden_codes(match))
        for name, value in extra.items():
            msg = msg.replace("{" + name + "}", value)
        return msg

    def finding(
        self,
        text: str,
        start: int,
        end: int,
        replacement: str | None = None,
        safety: RuleSafety | None = None,
        match: str | None = None,
        **extra: str,
    ) -> Finding:
        """A finding over ``text[start:end]``; with a replacement it carries an edit.

        ``safety`` overrides the rule's safety for this match (a narrow safe form);
        a rule whose safety is ``flag`` never carries an edit.
        """
        span = Span(start, end)
        chunk = text[start:end]
        level = safety or self.safety
        fix = None
        if replacement is not None and level != "flag" and replacement != chunk:
            fix = Edit(span, replacement, self.id, level)
        shown = match if match is not None else chunk
        return Finding(self.id, SOURCE, self.severity, self.render(shown, **extra), span, chunk, fix)


_NAMED_GROUP = regex.compile(r"(?<!\\)\(\?P?<([A-Za-z_]\w*)>")


class LazyRegex:
    """A regular expression of a built-in rule, compiled by the ``regex`` module on first use.

    Compiling every pattern of the shipped packs costs a large part of a hook's start-up
    budget, while most texts reach few of them (``requires`` and prechecks skip the rest).
    The shipped patterns are compiled and checked by the tests
    (tests/test_rules_prechecks.py), so loading them need not; a user's pack is compiled at
    load, where a bad pattern is reported with its file and line. ``pattern`` and
    ``groupindex``'s names are known without compiling; anything else compiles.
    """

    __slots__ = ("pattern", "_flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: regex.Pattern | None = None

    def compiled(self) -> regex.Pattern:
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern, self._flags)
        return self._compiled

    @property
    def groupindex(self) -> dict[str, int]:
        """The named groups (as keys; the numbers only once compiled)."""
        if self._compiled is not None:
            return dict(self._compiled.groupindex)
        return {name: 0 for name in _NAMED_GROUP.findall(self.pattern)}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)  # pickling and copying look these up before __init__ ran
        return getattr(self.compiled(), name)

    def __getstate__(self) -> tuple[str, int]:
        return self.pattern, self._flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.pattern, self._flags = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r})"


def line_anchored(pattern: regex.Pattern) -> bool:
    """Is every match of ``pattern`` at a line start? True for ``(?m)^...`` without a
    top-level alternative (the only form recognised)."""
    src = pattern.pattern
    if pattern.flags & regex.WORD:
        return False  # other line separators count too
    if not src.startswith("(?m)^") and not (pattern.flags & regex.MULTILINE and src.startswith("^")):
        return False
    depth = 0
    i = 0
    in_class = False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if src[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


def load_words(value: Any, base: Path) -> tuple[str, ...]:
    """A word list: inline YAML list, or a .txt file (relative to the rule file) read by
    :func:`repair.wordlists.read_word_file`."""
    if isinstance(value, str):
        path = (base / value)
        if path.suffix != ".txt":
            raise ValueError(f"word list file must end in .txt: {value!r}")
        if not path.is_file():
            raise ValueError(f"word list file not found: {value!r}")
        if path.stat().st_size > wordlists.MAX_WORD_FILE_BYTES:
            raise ValueError(f"word list file too large: {value!r} (at most {wordlists.MAX_WORD_FILE_BYTES:,} bytes)")
        return wordlists.read_word_file(path, f"word list file {value!r}")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("expected a list of strings or the name of a .txt word list")


def preserve_case(matched: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``matched`` (UPPER, Title, or as written)."""
    letters = [c for c in matched if c.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters[0].isupper():
        for i, c in enumerate(replacement):
            if c.isalpha():
                return replacement[:i] + c.upper() + replacement[i + 1:]
    return replacement


# placeholders every kind's message may use besides {match}: {codes} names the invisible or
# control characters of the match ("U+200B ZERO WIDTH SPACE")
COMMON_PLACEHOLDERS = ("match", "codes")


def hidden_codes(text: str) -> str:
    """The characters of ``text`` that do not show (all of them when every one shows), by code
    point and name; at most four, then how many more."""
    hidden = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn") and c != " "]
    hidden = hidden or list(text)
    shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL CHARACTER')}" for c in hidden[:4])
    return shown + (f" and {len(hidden) - 4} more" if len(hidden) > 4 else "")


_QUOTE_OPEN = "“«„"
_QUOTE_CLOSE = "”»"


def inside_quotes(text: str, pos: int) -> bool:
    """Heuristic: is ``pos`` inside a quotation on its line of ``text``?"""
    before = text[text.rfind("\n", 0, pos) + 1:pos]
    opened = sum(before.count(c) for c in _QUOTE_OPEN) - sum(before.count(c) for c in _QUOTE_CLOSE)
    if opened > 0:
        return True
    return before.count('"') % 2 == 1


# --------------------------------------------------------------------------
# Facts about one text, shared by the rules' prechecks and computed at most once.

# Characters every English text uses: ASCII, Latin-1, Latin Extended-A/B, IPA, spacing
# modifiers and General Punctuation (curly quotes, dashes, word joiner). A text made only
# of these holds no CJK, Cyrillic, Greek, full-width or other script the script and
# charmap rules look for.
# (U+02EA and U+02EB are Bopomofo tone marks, so not ordinary.)
ORDINARY_RANGES = ((0x0000, 0x02E9), (0x02EC, 0x02FF), (0x2000, 0x206F))
_EXOTIC = re.compile("[^" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ORDINARY_RANGES) + "]")


def casefold(text: str) -> str:
    """``text.casefold()`` in pieces: on non-ASCII text CPython's casefold takes a buffer of
    12 bytes a character (27 MB for a 2 MB text); case folding maps each character alone,
    so the pieces give the same result."""
    if len(text) <= _FOLD_PIECE or text.isascii():
        return text.casefold()
    return "".join(text[i:i + _FOLD_PIECE].casefold() for i in range(0, len(text), _FOLD_PIECE))


_FOLD_PIECE = 1 << 16


def _safe_token_chars() -> str:
    """The characters on which the fast tokenizer (``re``) and the rules' ``regex`` agree.

    For each of them, ``re`` and ``regex`` agree on ``\\w``, ``\\d`` and letters
    (``[^\\W\\d_]``), its case fold consists of such characters too, and two of them
    that ``regex`` matches case-insensitively have the same case fold (tested). On a text
    made of them, :attr:`Facts.words` tokenizes exactly as ``WORD`` does.
    """
    cand = "".join(chr(c) for c in list(range(0x0000, 0x0250)) + list(range(0x2000, 0x2070)))
    ok = set(cand)
    for klass in (r"[^\W\d_]", r"\w", r"\d"):  # one scan per class and engine: this runs at import
        ok -= set(re.findall(klass, cand)) ^ set(regex.findall(klass, cand))
    # regex's case-insensitive matching takes dotless ı for I (casefold does not)
    ok.discard("\u0131")
    changed = True
    while changed:
        changed = False
        for c in list(ok):
            if not all(f in ok for f in c.casefold()):
                ok.discard(c)
                changed = True
    return "".join(sorted(ok))


SAFE_TOKEN_CHARS = _safe_token_chars()
_UNSAFE_FOR_TOKENS = re.compile("[^" + "".join(re.escape(c) for c in SAFE_TOKEN_CHARS) + "]")
# words with their digits ("5th"): a unit word is never next to a digit
_FAST_WORD = re.compile(HYPHENATED_TOKEN + r"|[\x01-\x08\x0e-\x19]")
# Punctuation that is never part of a word, a white-space separator or a comma-like
# separator: each becomes a mark token of its own (a control character), so the words on
# either side of it are not adjacent. Different marks never compare equal.
MARKS = {".": "\x01", "!": "\x02", "?": "\x03", "(": "\x04", ")": "\x05", "[": "\x06", "]": "\x07",
         '"': "\x08", "“": "\x0e", "”": "\x0f", "‘": "\x10", "—": "\x11", "–": "\x12",
         ",": "\x13", ";": "\x14", ":": "\x15", "…": "\x16", "/": "\x17", "*": "\x18", "&": "\x19",
         "\u2060": "\x19"}
_MARK_CHARS = frozenset(chr(c) for c in list(range(1, 9)) + list(range(0x0e, 0x1a)))
COMMA_MARKS = frozenset("\x13\x14\x15")
_COMMA_MARKS_STR = "\x13\x14\x15"  # a word is never a substring of it (no hashing)
_LAST_MARK = "\x19"  # every word sorts after every mark
# A text made only of safe word characters, white space, apostrophes, hyphens and the
# punctuation MARKS replaces splits, once folded and marked, on white space into the words
# units are made of: a unit word is bounded by white space or a mark on both sides.
_SPLITS_LIKE_WORDS = re.compile("[^" + "".join(
    re.escape(c) for c in SAFE_TOKEN_CHARS if re.match(r"[\w\s'’\-]", c) or c in MARKS) + "]")


class Facts:
    """Lazily computed facts about one text, shared by every rule's ``precheck``."""

    __slots__ = ("text", "__dict__")

    def __init__(self, text: str) -> None:
        self.text = text
        self._eq: dict = {}

    @cached_property
    def exotic(self) -> bool:
        """True when the text has a character beyond Latin letters and common punctuation."""
        return not self.text.isascii() and _EXOTIC.search(self.text) is not None

    @cached_property
    def words(self) -> list[str] | None:
        """The text's ``WORD`` tokens, case-folded, with a ``MARK`` token for each run of
        punctuation between them; None when the fast tokenizer could disagree with the
        ``regex`` module on this text (then prechecks must say yes)."""
        text = self.text
        splits = _SPLITS_LIKE_WORDS.search(text) is None
        if not splits and not text.isascii() and _UNSAFE_FOR_TOKENS.search(text) is not None:
            return None
        folded = casefold(text)
        for ch, mark in MARKS.items():
            if ch in folded:
                folded = folded.replace(ch, f" {mark} ")
        if splits:
            return folded.split()
        return _FAST_WORD.findall(folded)

    @cached_property
    def plain_words(self) -> list[str] | None:
        """``words`` without the punctuation marks."""
        w = self.words
        return None if w is None else list(filter(_LAST_MARK.__lt__, w))

    @cached_property
    def commaless_words(self) -> list[str] | None:
        """``words`` without the marks of commas, semicolons and colons."""
        w = self.words
        return None if w is None else list(itertools.filterfalse(_COMMA_MARKS_STR.__contains__, w))

    def stream(self, which: str) -> list[str] | None:
        """``words`` ("marked"), ``commaless_words`` or ``plain_words``."""
        if which == "marked":
            return self.words
        return self.commaless_words if which == "commaless" else self.plain_words

    def differ(self, distance: int, which: str = "marked") -> bytes:
        """Byte i is 0 when ``w[i] == w[i + distance]``, else 1 (``w`` the stream, which
        must not be None): search it for ``bytes(k)``, k equal words in a row."""
        key = (distance, which)
        got = self._eq.get(key)
        if got is None:
            w = self.stream(which)
            assert w is not None  # see the docstring
            got = self._eq[key] = bytes(map(operator.ne, w, w[distance:]))
        return got

    def positions(self, word: str) -> bytes:
        """Byte i is 1 when ``words[i] == word``: search it for ``b"\\x01"``."""
        key = ("at", word)
        got = self._eq.get(key)
        if got is None:
            assert self.words is not None  # positions are of the marked word stream
            got = self._eq[key] = bytes(map(operator.eq, self.words, itertools.repeat(word)))
        return got

    @cached_property
    def tokens(self) -> list[str]:
        """White-space tokens (``str.split``)."""
        return self.text.split()

    def repeated_ngram(self, n: int, tokens: list[str] | None = None) -> bool:
        """Does some run of ``n`` consecutive tokens (default: ``tokens``) occur twice?"""
        if tokens is not None:
            return _repeated_ngram(tokens, n)
        known = self.__dict__.setdefault("_ngrams", {})
        if n in known:
            return known[n]
        # a repeated n-gram holds a repeated m-gram for every m < n
        if any(not v for m, v in known.items() if m < n):
            known[n] = False
        else:
            known[n] = _repeated_ngram(self.tokens, n)
        return known[n]


def _repeated_ngram(toks: list[str], n: int) -> bool:
    if len(toks) < n + 1:
        return False
    if len(set(toks)) == len(toks):
        return False
    if n > 2 and not _repeated_ngram(toks, 2):
        return False
    grams = list(zip(*(toks[i:] for i in range(n))))
    return len(set(grams)) < len(grams)
