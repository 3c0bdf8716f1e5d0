"""The shared part of every rule kind: common fields, key schemas, findings.

A rule kind is a subclass of :class:`Rule` registered with :func:`kind`. It
declares the keys it accepts in ``KEYS`` (the loader rejects any other key) and
implements ``find(text) -> list[Finding]``. Adding a kind means adding one module
to this package.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, ClassVar, Literal

import regex

from ..model import Edit, Finding, Span

RuleSafety = Literal["safe", "suggest", "flag"]
SOURCE = "rules"

# Letters only (no digits or underscore), with inner apostrophes and hyphens.
WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
WORD_RE = regex.compile(WORD)

KINDS: dict[str, type["Rule"]] = {}


def kind(name: str) -> Callable[[type["Rule"]], type["Rule"]]:
    def register(cls: type["Rule"]) -> type["Rule"]:
        cls.KIND = name
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


@dataclass(frozen=True)
class Examples:
    bad: tuple[str, ...]
    fixed: tuple[str, ...]
    good: tuple[str, ...]


@dataclass(eq=False)
class Rule:
    """A loaded, validated rule. Kinds add their own fields from ``KEYS``."""

    KIND: ClassVar[str] = ""
    KEYS: ClassVar[dict[str, Key]] = {}
    SCOPE: ClassVar[str] = "paragraph"
    # placeholders a kind fills in messages, besides {match}
    PLACEHOLDERS: ClassVar[tuple[str, ...]] = ()

    id: str
    message: str
    severity: str
    safety: RuleSafety
    examples: Examples
    path: str = ""
    line: int = 0
    timeout: float = 1.0
    scope: str = "paragraph"
    description: str = ""
    params: dict = field(default_factory=dict)

    # a regex (``prefilter`` key) that must match somewhere for the rule to run
    prefilter: Any = None

    def setup(self) -> None:
        """Called once after loading; kinds precompute here (may raise ValueError)."""

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
        if self.prefilter is not None:
            try:
                return self.prefilter.search(text, timeout=self.timeout) is not None
            except TimeoutError:
                return True
        return True

    def find(self, text: str) -> list[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers for kinds -------------------------------------------------
    def p(self, key: str) -> Any:
        return self.params[key]

    def render(self, match: str, **extra: str) -> str:
        msg = self.message.replace("{match}", match)
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


def load_words(value: Any, base: Path) -> tuple[str, ...]:
    """A word list: inline YAML list, or a .txt file (relative to the rule file)."""
    if isinstance(value, str):
        path = (base / value)
        if path.suffix != ".txt":
            raise ValueError(f"word list file must end in .txt: {value!r}")
        if not path.is_file():
            raise ValueError(f"word list file not found: {value!r}")
        entries = []
        for raw in path.read_text(encoding="utf-8").splitlines():
            entry = raw.split("#", 1)[0].strip()
            if entry:
                entries.append(entry)
        return tuple(entries)
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
_EXOTIC = re.compile("[^\x00-\u02ff\u2000-\u206f]")


def _safe_token_chars() -> str:
    """The characters on which the fast tokenizer (``re``) and the rules' ``regex`` agree.

    For each of them, ``re`` and ``regex`` agree on ``\\w`` and on letters
    (``[^\\W\\d_]``), and its case fold consists of such characters too. On a text
    made of them, :attr:`Facts.words` tokenizes exactly as ``WORD`` does.
    """
    cand = [chr(c) for c in list(range(0x0000, 0x0250)) + list(range(0x2000, 0x2070))]
    ok = set()
    for c in cand:
        if (bool(re.match(r"[^\W\d_]", c)) == bool(regex.match(r"[^\W\d_]", c))
                and bool(re.match(r"\w", c)) == bool(regex.match(r"\w", c))):
            ok.add(c)
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
_FAST_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ONE = b"\x01"


class Facts:
    """Lazily computed facts about one text, shared by every rule's ``precheck``."""

    __slots__ = ("text", "__dict__")

    def __init__(self, text: str) -> None:
        self.text = text
        self._eq: dict[int, bytes] = {}

    @cached_property
    def exotic(self) -> bool:
        """True when the text has a character beyond Latin letters and common punctuation."""
        return not self.text.isascii() and _EXOTIC.search(self.text) is not None

    @cached_property
    def words(self) -> list[str] | None:
        """The text's ``WORD`` tokens, case-folded; None when the fast tokenizer could
        disagree with the ``regex`` module on this text (then prechecks must say yes)."""
        text = self.text
        if not text.isascii() and _UNSAFE_FOR_TOKENS.search(text) is not None:
            return None
        return _FAST_WORD.findall(text.casefold())

    def same_at(self, distance: int) -> bytes:
        """Byte i is 1 when ``words[i] == words[i + distance]`` (``words`` must not be None)."""
        got = self._eq.get(distance)
        if got is None:
            w = self.words
            got = self._eq[distance] = bytes(map(operator.eq, w, w[distance:]))
        return got

    @cached_property
    def tokens(self) -> list[str]:
        """White-space tokens (``str.split``)."""
        return self.text.split()

    def repeated_ngram(self, n: int, tokens: list[str] | None = None) -> bool:
        """Does some run of ``n`` consecutive tokens occur twice (at different positions)?"""
        toks = self.tokens if tokens is None else tokens
        if len(toks) < n + 1:
            return False
        if len(set(toks)) == len(toks):
            return False
        grams = list(zip(*(toks[i:] for i in range(n))))
        return len(set(grams)) < len(grams)
