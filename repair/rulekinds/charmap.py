"""``charmap``: characters replaced one for one (CJK punctuation, full-width forms).

``map`` gives each character's replacement. ``space_after`` lists characters
whose replacement needs a following space when a letter, digit or opening
bracket follows ("district。Residents" -> "district. Residents");
``space_before`` those that need a space before them after a letter or digit
("word（note）" -> "word (note)"). ``fullwidth_ascii`` adds the full-width forms
U+FF01..U+FF5E mapped to ASCII: ``alnum`` letters and digits only, ``all``
every one (and the ideographic space). With
``context: latin`` a run is only replaced when the text next to it (spaces
skipped) is Latin, a digit or ASCII punctuation: inside a run of Chinese or
Japanese text the characters are left for the ``script`` rules to flag.
"""
from __future__ import annotations

from dataclasses import dataclass

import re

import regex

from ..model import Finding
from .base import Facts, Rule, kind, param

_OPENERS = "([{“‘\"'"


def _latinish(ch: str) -> bool:
    return ch.isascii() or regex.match(r"\p{Latin}", ch) is not None


@kind("charmap")
class CharmapRule(Rule):
    PLACEHOLDERS = ("to",)
    @dataclass(frozen=True)
    class Params:
        map: dict[str, str] = param("strmap", factory=dict)
        fullwidth_ascii: str = param("str", default="none", choices=("none", "alnum", "all"))
        space_after: str = param("str", default="")
        space_before: str = param("str", default="")
        context: str = param("str", default="latin", choices=("latin", "any"))

    def setup(self) -> None:
        table = dict(self.p("map"))
        for key in table:
            if len(key) != 1:
                raise ValueError(f"map keys must be single characters, not {key!r}")
        fullwidth = self.p("fullwidth_ascii")
        if fullwidth != "none":
            for code in range(0xFF01, 0xFF5F):
                ascii_char = chr(code - 0xFEE0)
                if fullwidth == "all" or ascii_char.isalnum():
                    table.setdefault(chr(code), ascii_char)
            if fullwidth == "all":
                table.setdefault("\u3000", " ")
        if not table:
            raise ValueError("a charmap rule needs 'map' or 'fullwidth_ascii'")
        if self.safety != "flag" and any(v == k for k, v in table.items()):
            raise ValueError("a charmap entry maps a character to itself")
        self._table = table
        self._re = regex.compile("[" + "".join(regex.escape(c) for c in table) + "]+")
        self._chars = frozenset(table)
        self._any = re.compile("[" + "".join(re.escape(c) for c in table) + "]")
        # every mapped character lies beyond Latin and General Punctuation: Facts.exotic
        self._exotic_only = all(ord(c) > 0x206F for c in table)

    def precheck(self, text: str, facts: Facts) -> bool:
        if self._exotic_only and not facts.exotic:
            return False
        return self._any.search(text) is not None

    def find(self, text: str) -> list[Finding]:
        if text.isascii() or not any(c in self._chars for c in text if not c.isascii()):
            return []
        out = []
        space_after = self.p("space_after")
        space_before = self.p("space_before")
        for m in self._re.finditer(text, timeout=self.limit()):
            start, end = m.start(), m.end()
            left = text[:start].rstrip()[-1:]
            right = text[end:].lstrip()[:1]
            if self.p("context") == "latin" and not (
                    (left and _latinish(left)) or (right and _latinish(right))):
                continue
            pieces = []
            run = m.group()
            for i, ch in enumerate(run):
                rep = self._table[ch]
                prev = run[i - 1] if i else text[start - 1:start]
                nxt = run[i + 1] if i + 1 < len(run) else text[end:end + 1]
                if ch in space_before and prev and (prev.isalnum()):
                    rep = " " + rep
                if ch in space_after and nxt and (nxt.isalnum() or nxt in _OPENERS):
                    rep = rep + " "
                pieces.append(rep)
            replacement = "".join(pieces)
            out.append(self.finding(text, start, end, replacement, to=replacement))
        return out
