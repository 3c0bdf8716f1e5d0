"""``script``: characters from a script English text does not use.

``mode: run`` flags runs of the listed Unicode ``scripts`` (Han, Cyrillic, ...)
inside a paragraph that is otherwise English (at least ``min_latin_ratio`` of
its letters Latin). ``mode: mixed-word`` flags single words (runs of letters, so "PGC1α"
and "α-helix" are not one word) in which letters of the listed scripts sit between Latin
letters (homoglyphs such as a Cyrillic "о" inside "Mоscow"), and words that start or end
with such letters when they are letters of ``edge_scripts`` ("аdmin", "compaу" with
Cyrillic letters) or listed in ``edge_letters`` (look-alikes of Latin letters: Greek "Ο"
in "Οfficial"); symbols such as "μm", "TNFα" or "kΩ" are left alone.
``allow`` lists runs or words that are fine.
"""
from __future__ import annotations

import regex

from ..model import Finding
from .base import Facts, Key, Rule, kind

_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")


@kind("script")
class ScriptRule(Rule):
    KEYS = {
        "scripts": Key("strlist", required=True),
        "mode": Key("str", default="run", choices=("run", "mixed-word")),
        "min_latin_ratio": Key("float", default=0.5),
        "min_chars": Key("int", default=1),
        "allow": Key("words", default=()),
        "edge_scripts": Key("strlist", default=()),
        "edge_letters": Key("str", default=""),
    }

    def setup(self) -> None:
        cls = "".join(rf"\p{{Script={s}}}" for s in self.p("scripts"))
        try:
            if self.p("mode") == "run":
                self._re = regex.compile(rf"[{cls}]+(?:[\s\p{{Common}}\p{{Inherited}}]*[{cls}]+)*")
            else:
                # one word of Latin and listed letters only: "Mоscow", "аdmin"; not "PGC1α"
                self._re = regex.compile(rf"(?<![\w])[\p{{Latin}}{cls}]+(?![\w])")
                edge = "".join(rf"\p{{Script={s}}}" for s in self.p("edge_scripts"))
                edge += "".join(regex.escape(c) for c in self.p("edge_letters"))
                self._edge = regex.compile(f"[{edge}]") if edge else None
            self._any = regex.compile(rf"[{cls}]")
        except regex.error as exc:
            raise ValueError(f"bad script name in 'scripts': {exc}") from None
        self._allow = frozenset(self.p("allow"))
        # scripts with letters among the ordinary characters (Latin, Common, Inherited) need
        # the full search in the precheck
        self._unusual = any(s.casefold() in ("latin", "latn", "common", "zyyy", "inherited", "zinh", "qaai")
                            for s in self.p("scripts"))

    def precheck(self, text: str, facts: Facts) -> bool:
        # no script but Latin and Common lies within Facts' ordinary characters
        return facts.exotic or self._any.search(text) is not None if self._unusual else facts.exotic

    def find(self, text: str) -> list[Finding]:
        if text.isascii() or self._any.search(text, timeout=self.limit()) is None:
            return []
        if self.p("mode") == "run":
            letters = len(_LETTER.findall(text, timeout=self.limit()))
            latin = len(_LATIN.findall(text, timeout=self.limit()))
            if not letters or latin / letters < self.p("min_latin_ratio"):
                return []
        out = []
        for m in self._re.finditer(text, timeout=self.limit()):
            run = m.group()
            if run in self._allow or len(run) < self.p("min_chars"):
                continue
            if self.p("mode") == "mixed-word" and not self._mixed(run):
                continue
            if self.p("mode") == "run" and (_LATIN.match(text[m.start() - 1:m.start()] if m.start() else "")
                                            or _LATIN.match(text[m.end():m.end() + 1])):
                continue  # letters inside a Latin word: the mixed-word rule's business
            out.append(self.finding(text, m.start(), m.end()))
        return out

    def _mixed(self, word: str) -> bool:
        """Does this word of Latin and listed letters mix them: a listed letter between
        Latin ones, or at its start or end one of the edge letters?"""
        latin = [i for i, c in enumerate(word) if _LATIN.match(c)]
        if not latin or len(latin) == len(word):
            return False
        first, last = latin[0], latin[-1]
        if len(latin) != last - first + 1:
            return True  # a foreign letter between Latin ones
        if self._edge is None:
            return False
        return self._edge.search(word[:first] + word[last + 1:]) is not None
