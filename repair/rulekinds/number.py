"""``number``: a count of five or more digits written without thousands separators.

"250000 flowering plants" is how machine translation (and careless copy) writes what an
English editor writes "250,000". Numbers that are not counts are left alone:

* codes and identifiers: a leading zero ("000651"), letters, digits, ``-``, ``_``, ``/``,
  ``@``, ``=``, ``:`` or ``#`` touching the number ("A-12345", "12345-6789", "ISIN/12345",
  a URL, "600606.SH"), or a preceding word from ``code_words`` ("No. 12345", "ZIP 94105",
  "model 40090", "phone 5551234", "ISBN", "account", "flight", "patent" ...);
* decimals ("3.14159", "12345.67", "1,234567") and ranges ("10000-20000");
* postcodes before a town ("75008 Paris") and model numbers after a capitalised word that does not start the sentence
  ("Berlin 10115", "CA 94105", "RTX 40090");
* phone numbers ("+44 20 7946 0958": a ``+`` before it, or groups of digits on both sides);
* numbers in tables: a line holding a tab or a ``|``, or where most tokens are numbers.

Keys: ``min_digits`` (default 5), ``separator`` (default ``,``: what us, gb, ca and au
English use), ``code_words`` (a word list, lower case). The edit is a suggestion:
"250000" -> "250,000".
"""
from __future__ import annotations

from dataclasses import dataclass

import re

import regex

from ..model import Finding
from .base import Facts, Rule, kind, param

# a digit run with nothing word-like or code-like touching it on the left
_NUMBER = regex.compile(r"(?<![\p{L}\p{N}_\-–/#@=:.,+%&\\~^])\p{Nd}{5,}(?![\p{L}\p{N}_\-–/@=#\\~^%])")
_TOKEN_BEFORE = regex.compile(r"([\p{L}\p{N}.#'’]+)[ \t\u00a0]*(?:[(\[:][ \t\u00a0]*)?\Z")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\"“”(\[]\s*|\n)\Z")


@kind("number")
class NumberRule(Rule):
    @dataclass(frozen=True)
    class Params:
        min_digits: int = param("int", default=5)
        separator: str = param("str", default=",")
        code_words: tuple[str, ...] = param("words", default=())

    def setup(self) -> None:
        if self.p("min_digits") < 4:
            raise ValueError("min_digits must be at least 4")
        self._codes = frozenset(w.casefold() for w in self.p("code_words"))
        self._run = re.compile(r"\d{%d}" % self.p("min_digits"))

    def precheck(self, text: str, facts: Facts) -> bool:
        # ``re``'s \d holds every Unicode decimal digit, as ``regex``'s \p{Nd} does
        return self._run.search(text) is not None

    def group(self, digits: str) -> str:
        sep = self.p("separator")
        head = len(digits) % 3 or 3
        parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
        return sep.join(parts)

    def find(self, text: str) -> list[Finding]:
        if not self.precheck(text, None):  # type: ignore[arg-type]
            return []
        out = []
        n = self.p("min_digits")
        for m in _NUMBER.finditer(text, timeout=self.timeout):
            digits = m.group()
            if len(digits) < n or digits[0] == "0" or not digits.isascii():
                continue
            if self._code_like(text, m.start(), m.end()):
                continue
            out.append(self.finding(text, m.start(), m.end(), self.group(digits)))
        return out

    def _code_like(self, text: str, start: int, end: int) -> bool:
        after = text[end:end + 4]
        # a decimal or a code after a full stop ("12345.67", "600606.SH", "600606. SH")
        if regex.match(r"[.,]\p{N}|\.\s?\p{Lu}{2}\b|\s?\)?\.\p{L}", after):
            return True
        if regex.match(r"[ \t\u00a0]\p{N}", after):
            return True  # groups of digits: a phone number, a table row
        if regex.match(r"[ \t\u00a0]+\p{Lu}\p{Ll}", text[end:end + 8]):
            return True  # a postcode before its town: "75008 Paris"
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start:line_end if line_end != -1 else len(text)]
        if "\t" in line or "|" in line:
            return True
        tokens = line.split()
        if len(tokens) >= 3 and sum(any(c.isdigit() for c in t) for t in tokens) * 2 >= len(tokens):
            return True
        base = max(line_start, start - 40)
        before = text[base:start]
        if regex.search(r"\p{N}[ \t\u00a0]*\Z", before):
            return True  # "+44 20 7946 09581", "12 34567"
        m = _TOKEN_BEFORE.search(before)
        if m is None:
            return False
        word = m.group(1)
        bare = word.strip(".#'’").casefold()
        if bare in self._codes or word.endswith("#"):
            return True
        # "the patent number is 10123456": a code word among the three words before it
        near = regex.findall(r"[\p{L}]+", before.rsplit(",", 1)[-1])[-3:]
        if any(w.casefold() in self._codes for w in near):
            return True
        if any(c.isdigit() for c in word):
            return True
        if word.isupper() and len(word.strip(".")) >= 2:
            return True  # "CA 94105", "RTX 40090", "ID 55123"
        if word[:1].isupper():
            # a capitalised word that does not start its sentence: "Berlin 10115"
            head = text[max(line_start, base + m.start() - 40):base + m.start()]
            if not _SENTENCE_START.search(head):
                return True
        return False
