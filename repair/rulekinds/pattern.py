"""``pattern``: a regular expression with an optional replacement template.

The replacement uses the ``regex`` module's template syntax (``\\1``,
``\\g<name>``). With ``ignorecase`` the replacement takes the case pattern of the
match (``The`` -> ``A``, ``THE`` -> ``A``). Per-match safety: when the rule's
safety is ``suggest`` and the pattern has a group named ``safe``, matches where
that group took part are ``safe`` (the narrow form); a group named ``unsafe``
turns a ``safe`` rule's match into ``suggest``; matches where a group named ``flag``
took part carry no edit at all (flag only). ``requires`` lists literal
strings of which at least one must occur for the rule to run (a cheap
prefilter). ``exceptions`` is an allow-list of matched texts (case-insensitive)
that are left alone. Messages may name ``{next}``, the character after the match
(what a match of white space stands before).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from ..model import Finding
from .base import Facts, Rule, RuleSafety, kind, param, preserve_case


@kind("pattern")
class PatternRule(Rule):
    PLACEHOLDERS = ("next",)
    @dataclass(frozen=True)
    class Params:
        pattern: Any = param("regex", required=True)
        replacement: str | None = param("str")
        ignorecase: bool = param("bool", default=False)
        preserve_case: bool = param("bool", default=True)
        requires: tuple[str, ...] = param("strlist", default=())
        exceptions: tuple[str, ...] = param("words", default=())

    def setup(self) -> None:
        pattern: regex.Pattern = self.p("pattern")
        repl = self.p("replacement")
        if repl is not None:
            for name, number in regex.findall(r"\\g<([^>]*)>|\\(\d+)", repl):
                if name:
                    ok = name in pattern.groupindex or (name.isdigit() and int(name) <= pattern.groups)
                else:
                    ok = int(number) <= pattern.groups
                if not ok:
                    raise ValueError(f"replacement refers to group {name or number!r}, which the pattern lacks")
        elif self.safety != "flag":
            raise ValueError("a rule with safety safe or suggest needs a 'replacement'")
        self._requires = tuple(self.p("requires"))
        self._flag_group = "flag" in pattern.groupindex
        self._exceptions = frozenset(e.casefold() for e in self.p("exceptions"))
        self._safe_group = "safe" in pattern.groupindex
        self._unsafe_group = "unsafe" in pattern.groupindex

    def safe_forms(self) -> bool:
        return self.safety == "suggest" and self._safe_group

    def precheck(self, text: str, facts: Facts) -> bool:
        if not self._requires:
            return True
        for r in self._requires:
            if r in text:
                return True
        return False

    def find(self, text: str) -> list[Finding]:
        if self._requires and not any(r in text for r in self._requires):
            return []
        pattern: regex.Pattern = self.p("pattern")
        repl = self.p("replacement")
        out = []
        for m in pattern.finditer(text, timeout=self.limit()):
            matched = m.group()
            if self._exceptions and matched.casefold() in self._exceptions:
                continue
            replacement = None
            if repl is not None:
                replacement = m.expand(repl)
                if self.p("ignorecase") and self.p("preserve_case"):
                    replacement = preserve_case(matched, replacement)
            safety: RuleSafety | None = None
            if self._safe_group and self.safety == "suggest" and m.group("safe") is not None:
                safety = "safe"
            if self._flag_group and m.group("flag") is not None:
                replacement = None  # flag only, whatever the other groups say
            if self._unsafe_group and self.safety == "safe" and m.group("unsafe") is not None:
                safety = "suggest"
            out.append(self.finding(text, m.start(), m.end(), replacement, safety, next=text[m.end():m.end() + 1]))
        return out
