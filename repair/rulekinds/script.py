"""The script kinds: characters from a script English text does not use.

- ``script-run`` flags runs of the listed Unicode ``scripts`` (Han, Cyrillic, ...)
  inside a paragraph that is otherwise English (at least ``min_latin_ratio`` of
  its letters Latin). Letters inside a Latin word are ``script-mixed-word``'s business.
- ``script-mixed-word`` flags single words (runs of letters, so "PGC1α" and "α-helix"
  are not one word) in which letters of the listed scripts sit between Latin letters
  (homoglyphs such as a Cyrillic "о" inside "Mоscow"), and words that start or end with
  such letters when they are letters of ``edge_scripts`` ("аdmin", "compaу" with Cyrillic
  letters) or listed in ``edge_letters`` (look-alikes of Latin letters: Greek "Ο" in
  "Οfficial"); symbols such as "μm", "TNFα" or "kΩ" are left alone.

Both take ``allow`` (runs or words that are fine) and ``min_chars`` (shorter ones are).
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..model import Finding
from .base import Facts, Rule, kind, param

_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")


def _script_class(scripts: tuple[str, ...]) -> str:
    return "".join(rf"\p{{Script={s}}}" for s in scripts)


class _ScriptRule(Rule):
    """What both script kinds share: the listed scripts, the allow-list, the precheck."""

    _re: regex.Pattern  # each kind's own search, compiled in setup()

    def _compile(self) -> str:
        cls = _script_class(self.p("scripts"))
        try:
            self._any = regex.compile(rf"[{cls}]")
        except regex.error as exc:
            raise ValueError(f"bad script name in 'scripts': {exc}") from None
        self._allow = frozenset(self.p("allow"))
        # scripts with letters among the ordinary characters (Latin, Common, Inherited) need
        # the full search in the precheck
        self._unusual = any(s.casefold() in ("latin", "latn", "common", "zyyy", "inherited", "zinh", "qaai")
                            for s in self.p("scripts"))
        return cls

    def precheck(self, text: str, facts: Facts) -> bool:
        # no script but Latin and Common lies within Facts' ordinary characters
        return facts.exotic or self._any.search(text) is not None if self._unusual else facts.exotic

    def _runs(self, text: str):
        for m in self._re.finditer(text, timeout=self.limit()):
            run = m.group()
            if run in self._allow or len(run) < self.p("min_chars"):
                continue
            yield m


@kind("script-run")
class ScriptRunRule(_ScriptRule):
    @dataclass(frozen=True)
    class Params:
        scripts: tuple[str, ...] = param("strlist", required=True)
        min_latin_ratio: float = param("float", default=0.5)
        min_chars: int = param("int", default=1)
        allow: tuple[str, ...] = param("words", default=())

    def setup(self) -> None:
        cls = self._compile()
        try:
            self._re = regex.compile(rf"[{cls}]+(?:[\s\p{{Common}}\p{{Inherited}}]*[{cls}]+)*")
        except regex.error as exc:
            raise ValueError(f"bad script name in 'scripts': {exc}") from None

    def find(self, text: str) -> list[Finding]:
        if text.isascii() or self._any.search(text, timeout=self.limit()) is None:
            return []
        letters = len(_LETTER.findall(text, timeout=self.limit()))
        latin = len(_LATIN.findall(text, timeout=self.limit()))
        if not letters or latin / letters < self.p("min_latin_ratio"):
            return []
        out = []
        for m in self._runs(text):
            if (_LATIN.match(text[m.start() - 1:m.start()] if m.start() else "")
                    or _LATIN.match(text[m.end():m.end() + 1])):
                continue  # letters inside a Latin word: the mixed-word rule's business
            out.append(self.finding(text, m.start(), m.end()))
        return out


@kind("script-mixed-word")
class MixedWordRule(_ScriptRule):
    @dataclass(frozen=True)
    class Params:
        scripts: tuple[str, ...] = param("strlist", required=True)
        min_chars: int = param("int", default=1)
        allow: tuple[str, ...] = param("words", default=())
        edge_scripts: tuple[str, ...] = param("strlist", default=())
        edge_letters: str = param("str", default="")

    def setup(self) -> None:
        cls = self._compile()
        try:
            # one word of Latin and listed letters only: "Mоscow", "аdmin"; not "PGC1α"
            self._re = regex.compile(rf"(?<![\w])[\p{{Latin}}{cls}]+(?![\w])")
            edge = _script_class(self.p("edge_scripts"))
            edge += "".join(regex.escape(c) for c in self.p("edge_letters"))
            self._edge = regex.compile(f"[{edge}]") if edge else None
        except regex.error as exc:
            raise ValueError(f"bad script name in 'scripts': {exc}") from None

    def find(self, text: str) -> list[Finding]:
        if text.isascii() or self._any.search(text, timeout=self.limit()) is None:
            return []
        return [self.finding(text, m.start(), m.end()) for m in self._runs(text) if self._mixed(m.group())]

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
