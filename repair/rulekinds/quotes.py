"""The quotation-mark kinds, one algorithm each:

- ``quotes-unbalanced`` (one paragraph): an opening double quote followed by another
  opening one with no closing quote between ("“We help. “We stay,” he said").
  A quote left open at the end of a paragraph is not reported: English
  continues a quotation into the next paragraph that way.
- ``quotes-hanging-end`` (whole document): the text ends with a lone opening quote.
  The fix (suggest) turns it into the closing quote of an open quotation, or
  removes it when nothing is open.
- ``quotes-unfinished-end`` (whole document): the text stops mid-sentence: its last
  paragraph has at least ``min_words`` words and ends in a lower-case word or a
  comma, with no closing punctuation (a truncated translation or scrape). A text of one
  sentence (a headline, a caption) is taken only when it ends in a comma or one of
  ``open_words`` (words no sentence ends on: "the", "of", "and").
  Headings and sign-offs ("Best regards, Ana Lopes") end otherwise. Flag only.
- ``quotes-unclosed-start`` (whole document): the text opens with a double quotation mark
  and no closing double quote follows anywhere in it (a quotation the translation or
  the cut never closed). A quotation carried over several paragraphs still closes
  at its end, so it is not reported. Flag only: where it should close needs a human.
- ``quotes-mixed`` (whole document): both straight and curly apostrophes (or double
  quotes) in one text; the minority style is flagged with a suggested edit to
  the dominant one.

Only ``quotes-unfinished-end`` has keys of its own (``min_words``, ``open_words``).
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..model import Finding
from .base import Facts, Rule, kind, param

_DOUBLE = regex.compile(r"[“”\"]")
_APOS_STRAIGHT = regex.compile(r"(?<=\p{L})'(?=\p{L})")
_APOS_CURLY = regex.compile(r"(?<=\p{L})’(?=\p{L})")
# the last word of a text that stops mid-sentence: lower case, maybe a comma after it
_UNFINISHED = regex.compile(r"(?<![\p{L}\d'’\-])\p{Ll}[\p{Ll}'’\-]*,?\Z")
# a sentence end inside a text (so the text is more than one sentence)
_SENTENCE_BREAK = regex.compile(r"[.!?…。！？][\"'”’»)\]]*\s+\S")
_OPEN_CTX = set(" \t\n\r([{—–-/\u00a0") | {""}


def _straight_role(text: str, i: int) -> str | None:
    """Is the straight quote at ``i`` opening, closing, or unclear?"""
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before in _OPEN_CTX and after and not after.isspace():
        return "open"
    if before and not before.isspace() and (not after or after.isspace() or after in ".,;:!?)]}—–-"):
        return "close"
    return None


def _roles(text: str):
    for m in _DOUBLE.finditer(text):
        ch = m.group()
        if ch == "“":
            yield m.start(), "open"
        elif ch == "”":
            yield m.start(), "close"
        else:
            role = _straight_role(text, m.start())
            if role:
                yield m.start(), role


@kind("quotes-unbalanced")
class UnbalancedQuotesRule(Rule):
    SCOPE = "paragraph"

    def precheck(self, text: str, facts: Facts) -> bool:
        # a finding needs two opening marks
        return text.count("“") + text.count('"') >= 2

    def find(self, text: str) -> list[Finding]:
        if "“" not in text and '"' not in text:
            return []
        out = []
        open_at = None
        for pos, role in _roles(text):
            if role == "open":
                if open_at is not None:
                    out.append(self.finding(text, open_at, open_at + 1))
                open_at = pos
            else:
                open_at = None
        return out


@kind("quotes-unclosed-start")
class UnclosedStartRule(Rule):
    SCOPE = "document"

    def precheck(self, text: str, facts: Facts) -> bool:
        return text.lstrip("\ufeff \t\r\n")[:1] in ("“", '"')

    def find(self, text: str) -> list[Finding]:
        start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
        if text[start:start + 1] not in ("“", '"'):
            return []
        roles = list(_roles(text))
        if not roles or roles[0] != (start, "open"):
            return []  # a straight quote that does not open (a lone '"' before a space)
        if any(role == "close" for _pos, role in roles):
            return []
        if text[start] == '"' and text.count('"') > 1:
            return []  # straight quotes whose roles are unclear: leave them be
        return [self.finding(text, start, start + 1)]


@kind("quotes-unfinished-end")
class UnfinishedEndRule(Rule):
    SCOPE = "document"

    @dataclass(frozen=True)
    class Params:
        min_words: int = param("int", default=8)
        # a text of one sentence without end punctuation is a headline, a caption or an example
        # sentence as often as a cut: there only a comma or one of these words marks the cut
        open_words: tuple[str, ...] = param("words", default=())

    def find(self, text: str) -> list[Finding]:
        body = text.rstrip()
        last = body[-1:]
        # _UNFINISHED ends in a lower-case letter, an apostrophe, a hyphen or a comma: a cheap
        # test before the regex (which would try every position of the text)
        if not last or not (last.islower() or last in ",'’-"):
            return []
        m = _UNFINISHED.search(body, max(0, len(body) - 200))
        if m is None and len(body) > 200:
            m = _UNFINISHED.search(body)
        if m is None:
            return []
        para_start = max(body.rfind("\n\n"), body.rfind("\r\n\r\n"), body.rfind("\r\r")) + 1
        if len(body[para_start:].split()) < self.p("min_words"):
            return []
        if para_start == 0 and not _SENTENCE_BREAK.search(body) and not m.group().endswith(","):
            if m.group().casefold() not in self.p("open_words"):
                return []  # one sentence, cut only if it stops on a word that cannot end one
        return [self.finding(text, m.start(), m.end())]


@kind("quotes-hanging-end")
class HangingEndRule(Rule):
    SCOPE = "document"

    def find(self, text: str) -> list[Finding]:
        body = text.rstrip()
        if not body or body[-1] not in "“‘\"":
            return []
        last = len(body) - 1
        mark = body[-1]
        before = body[:last]
        if mark == '"' and not (before == "" or before[-1].isspace()):
            return []  # a straight quote that closes something
        if mark in "“‘" and before and not before[-1].isspace() and before[-1] not in ".,;:!?":
            return []
        para_start = max(before.rfind("\n\n"), before.rfind("\r\n\r\n"))
        para = before[para_start + 1:]
        still_open = False
        if mark in "“\"":
            state = None
            for _pos, role in _roles(para):
                state = role
            still_open = state == "open"
        else:
            still_open = para.count("‘") > para.count("’")
        start = len(before.rstrip())
        if still_open:
            replacement = {"“": "”", "‘": "’", '"': '"'}[mark]
        else:
            replacement = ""
        return [self.finding(text, start, last + 1, replacement)]


@kind("quotes-mixed")
class MixedQuotesRule(Rule):
    SCOPE = "document"
    PLACEHOLDERS = ("dominant", "count")

    def precheck(self, text: str, facts: Facts) -> bool:
        return ("'" in text and "’" in text) or ('"' in text and ("“" in text or "”" in text))

    def find(self, text: str) -> list[Finding]:
        out = []
        straight = list(_APOS_STRAIGHT.finditer(text, timeout=self.limit()))
        curly = list(_APOS_CURLY.finditer(text, timeout=self.limit()))
        if straight and curly:
            if len(curly) >= len(straight):
                minority, rep, dominant = straight, "’", "curly ’"
            else:
                minority, rep, dominant = curly, "'", "straight '"
            for m in minority:
                out.append(self.finding(text, m.start(), m.end(), rep, dominant=f"{dominant} apostrophes",
                                        count=str(len(minority))))
        roles = list(_roles(text)) if ('"' in text and ("“" in text or "”" in text)) else []
        if roles:
            straight_d = [(p, r) for p, r in roles if text[p] == '"']
            curly_d = [(p, r) for p, r in roles if text[p] != '"']
            if straight_d and curly_d:
                if len(curly_d) >= len(straight_d):
                    for p, r in straight_d:
                        out.append(self.finding(text, p, p + 1, "“" if r == "open" else "”",
                                                dominant="curly “” quotes", count=str(len(straight_d))))
                else:
                    for p, r in curly_d:
                        out.append(self.finding(text, p, p + 1, '"', dominant='straight " quotes',
                                                count=str(len(curly_d))))
        return out
