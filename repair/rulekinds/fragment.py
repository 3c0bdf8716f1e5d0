"""``fragment``: a sentence that is only a verb or participle ("Relocated.", "Told.").

Keys: ``words`` (a word list of verbs/participles, lower case), ``word_pattern``
(a regex the lower-cased word may fully match instead, e.g. ``[a-z]{4,}ed``),
``allow`` (words that are fine alone: "indeed", names ending in -ed),
``skip_in_quotes`` (dialogue: "Done." inside quotes is fine) and
``after_sentence`` (only fire when another sentence precedes it in the same
paragraph, so a one-word line or reply is left alone). Flag only: the fix
(drop the word or join it to its sentence) needs a human.
"""
from __future__ import annotations

import re

import regex

from ..model import Finding
from .base import Facts, Key, Rule, inside_quotes, kind

_FRAGMENT = regex.compile(
    r"(?:(?<=[\p{L}\d)%][.!?][\"'”’)\]]?[ \t]+)|(?<=^[ \t]*))(?P<word>\p{Lu}\p{Ll}+)\.(?=\s|\Z)", regex.MULTILINE
)


# Precheck (``re``, looser than _FRAGMENT): a one-word sentence after a sentence end.
# ``[^\W\d_]`` in ``re`` holds every letter and ``\s`` every ``regex`` white space.
_AFTER_SENTENCE = re.compile(r"[.!?][\"'”’)\]]?[ \t]+[^\W\d_]+\.(?=\s|\Z)")


@kind("fragment")
class FragmentRule(Rule):
    KEYS = {
        "words": Key("words", default=()),
        "word_pattern": Key("regex"),
        "allow": Key("words", default=()),
        "skip_in_quotes": Key("bool", default=True),
        "after_sentence": Key("bool", default=True),
    }

    def setup(self) -> None:
        if not self.p("words") and self.p("word_pattern") is None:
            raise ValueError("a fragment rule needs 'words' or 'word_pattern'")
        self._words = frozenset(w.casefold() for w in self.p("words"))
        self._allow = frozenset(w.casefold() for w in self.p("allow"))
        if self.safety != "flag":
            raise ValueError("fragment rules are flag-only (safety: flag)")

    def is_fragment_word(self, word: str) -> bool:
        w = word.casefold()
        if w in self._allow:
            return False
        if w in self._words:
            return True
        pat = self.p("word_pattern")
        return pat is not None and pat.fullmatch(w) is not None

    def precheck(self, text: str, facts: Facts) -> bool:
        if "." not in text:
            return False
        # with after_sentence, a match at a line start is never reported
        return not self.p("after_sentence") or _AFTER_SENTENCE.search(text) is not None

    def find(self, text: str) -> list[Finding]:
        if "." not in text:
            return []
        out = []
        for m in _FRAGMENT.finditer(text, timeout=self.limit()):
            if not self.is_fragment_word(m.group("word")):
                continue
            start = m.start("word")
            line_start = text.rfind("\n", 0, start) + 1
            if self.p("after_sentence") and not text[line_start:start].strip():
                continue
            if self.p("skip_in_quotes") and inside_quotes(text, start):
                continue
            out.append(self.finding(text, start, m.end()))
        return out
