"""The shared part of every rule kind: common fields, key schemas, findings.

A rule kind is a subclass of :class:`Rule` registered with :func:`kind`. It
declares the keys it accepts in ``KEYS`` (the loader rejects any other key) and
implements ``find(text) -> list[Finding]``. Adding a kind means adding one module
to this package.
"""
from __future__ import annotations

from dataclasses import dataclass, field
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

    def setup(self) -> None:
        """Called once after loading; kinds precompute here (may raise ValueError)."""

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
