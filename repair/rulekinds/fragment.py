"""``fragment``: a sentence that is only a verb or participle ("Relocated.", "Told.").

Keys: ``words`` (a word list of verbs/participles, lower case), ``word_pattern``
(a regex the lower-cased word may fully match instead, e.g. ``[a-z]{4,}ed``),
``allow`` (words that are fine alone: "indeed", names ending in -ed),
``skip_in_quotes`` (dialogue: "Done." inside quotes is fine) and
``after_sentence`` (only fire when another sentence precedes it in the same
paragraph, so a one-word line or reply is left alone) and ``lexicon_verbs`` (a corpus
count, 0 = off: a lower-case ``-ed`` word whose stem -- "finish" for "finished", "stop"
for "stopped", "carry" for "carried" -- is a word at least that common in the offline
English lexicon of :mod:`repair.lexicon` is taken too, so "Finished." needs no list entry;
the word itself must be in the list, and names the list holds ("Ahmed") belong in ``allow``),
``prefixes`` (``re``: a word that is one of them before a word the rule takes, "Reopened.",
"Rebuilt.", is taken too, unless that word is allowed), ``irregular_prefixes`` (prefixes
taken only before an irregular participle, from the word list or the tagger: "Withheld.",
"Overthrown.", not "Overpriced.") and ``tagger_participles`` (irregular participles outside the
list, found with the part-of-speech layer of :mod:`repair.tagger`: a form that ends like a past
participle, "-en", "-n" or "-t", of a verb the treebank knows ("beaten" of "beat", "forgiven" of
"forgive", "thrown" of "throw", "burnt" of "burn"), or that the treebank's lemma table gives as a
past form of a verb ("frozen" -> "freeze"), which the tagger also tags as a past participle in a
passive frame ("It was WORD by them."); a word the treebank has as a noun ("heaven", "joint"),
an adjective ("broken", "frozen": a state, as a reply) or a base verb ("listen", "darken") is not
taken). Flag only: the fix (drop the word or join it
to its sentence) needs a human.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import functools
import re

import regex

from ..model import Finding
from .base import Facts, Rule, inside_quotes, kind, param

_FRAGMENT = regex.compile(
    r"(?:(?<=[\p{L}\d)%][.!?][\"'”’)\]]?[ \t]+)|(?<=^[ \t]*))(?P<word>\p{Lu}\p{Ll}+)\.(?=\s|\Z)", regex.MULTILINE
)


# Precheck (``re``, looser than _FRAGMENT): a one-word sentence after a sentence end.
# ``[^\W\d_]`` in ``re`` holds every letter and ``\s`` every ``regex`` white space.
_AFTER_SENTENCE = re.compile(r"[.!?][\"'”’)\]]?[ \t]+[^\W\d_]+\.(?=\s|\Z)")


@kind("fragment")
class FragmentRule(Rule):
    @dataclass(frozen=True)
    class Params:
        words: tuple[str, ...] = param("words", default=())
        word_pattern: Any = param("regex")
        allow: tuple[str, ...] = param("words", default=())
        skip_in_quotes: bool = param("bool", default=True)
        after_sentence: bool = param("bool", default=True)
        lexicon_verbs: int = param("int", default=0)
        prefixes: tuple[str, ...] = param("words", default=())
        irregular_prefixes: tuple[str, ...] = param("words", default=())
        tagger_participles: bool = param("bool", default=False)

    def setup(self) -> None:
        if not self.p("words") and self.p("word_pattern") is None:
            raise ValueError("a fragment rule needs 'words' or 'word_pattern'")
        self._words = frozenset(w.casefold() for w in self.p("words"))
        self._allow = frozenset(w.casefold() for w in self.p("allow"))
        self._prefixes = tuple(w.casefold() for w in self.p("prefixes"))
        self._irregular_prefixes = tuple(w.casefold() for w in self.p("irregular_prefixes"))
        if self.safety != "flag":
            raise ValueError("fragment rules are flag-only (safety: flag)")

    def is_fragment_word(self, word: str) -> bool:
        w = word.casefold()
        if w in self._allow:
            return False
        if w in self._words:
            return True
        pat = self.p("word_pattern")
        if pat is not None and pat.fullmatch(w) is not None:
            return True
        if self._lexicon_participle(w):
            return True
        if self._tagged_participle(w):
            return True
        # "Reopened.", "Rebuilt.": a prefix before a verb form the rule takes
        for prefix in self._prefixes:
            rest = w[len(prefix):]
            if w.startswith(prefix) and len(rest) >= 4 and rest not in self._allow:
                if rest in self._words or self._lexicon_participle(rest) or self._tagged_participle(rest):
                    return True
        # "Withheld.", "Overthrown.": only irregular forms ("Overpriced." is a verdict)
        for prefix in self._irregular_prefixes:
            rest = w[len(prefix):]
            if w.startswith(prefix) and len(rest) >= 3 and rest not in self._allow:
                if rest in self._words or self._tagged_participle(rest):
                    return True
        return False

    def _tagged_participle(self, w: str) -> bool:
        """An irregular past participle outside the word list, told by the tagger's lexicon and
        lemma table and confirmed by its tag in a passive frame (see the module doc)."""
        if not self.p("tagger_participles") or len(w) < 4 or not w.isascii() or not w.isalpha():
            return False
        if w.endswith(("ed", "s", "ing")):
            return False  # regular forms are lexicon_verbs' ("Overpriced." is a verdict); "Works."
        from .. import tagger

        if tagger.known(w, "NOUN") or tagger.known(w, "VERB") or tagger.known(w, "ADJ"):
            # "heaven", "joint"; a base form: "listen", "darken"; a state the treebank writes
            # as an adjective, a reply in narrative: "Broken.", "Frozen."
            return False
        stems = []
        if w.endswith("en"):
            stems += [w[:-2], w[:-1]]                     # beaten, given
            if len(w) > 5 and w[-3] == w[-4]:
                stems.append(w[:-3] + "e")                # bitten -> bite
        elif w.endswith("n"):
            stems.append(w[:-1])                          # thrown, grown, drawn
        elif w.endswith("t"):
            stems.append(w[:-1])                          # burnt, dealt, leapt
        if not any(len(s) >= 3 and tagger.known(s, "VERB") for s in stems):
            stems = []
        frame = tagger.tag(["It", "was", w, "by", "them", "."])[2]
        if frame.xpos != "VBN":
            return False
        # the treebank's lemma of the form, when it has one ("frozen" -> "freeze")
        return bool(stems) or (frame.lemma != w and tagger.known(frame.lemma, "VERB"))

    def _lexicon_participle(self, w: str) -> bool:
        least = self.p("lexicon_verbs")
        if least <= 0 or len(w) < 5 or not w.endswith("ed") or not w.isascii() or not w.isalpha():
            return False
        if not _lexicon_count(w):
            return False  # not a word of the list: a rare name, a misspelling
        stems = [w[:-2], w[:-1]]
        if len(w) > 5 and w[-3] == w[-4]:
            stems.append(w[:-3])  # "stopped" -> "stop"
        if w.endswith("ied"):
            stems.append(w[:-3] + "y")  # "carried" -> "carry"
        return any(_lexicon_count(stem) >= least for stem in stems)

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


@functools.lru_cache(maxsize=1)
def _lexicon_text() -> str:
    from .. import lexicon

    return "\n" + lexicon._symspell_text(lexicon.WORDS_FILE)


def _lexicon_count(word: str) -> int:
    """The word's count in the offline lexicon. Building :func:`repair.lexicon.frequencies`
    costs about 0.3 s, more than a hook's whole check: unless it is built already, the few
    words a text asks about are looked up in the list's text (a few ms)."""
    from .. import lexicon

    if lexicon.frequencies.cache_info().currsize:
        return lexicon.frequencies().get(word, 0)
    text = _lexicon_text()
    at = text.find(f"\n{word} ")
    if at == -1:
        return 0
    end = text.find("\n", at + 1)
    n = text[at + len(word) + 2:end if end != -1 else len(text)].strip()
    return int(n) if n.isdigit() else 0
