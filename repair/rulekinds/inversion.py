"""``reporting-inversion``: "X and reporters told." for "X told reporters", on part-of-speech tags.

Machine translation from languages that put the listeners before the verb writes the listeners
as a second subject: "The coach and reporters said on Sunday that ...", "the engineer and
journalists told." The kind finds ``and`` + up to two modifiers + a listener word (``listeners``:
"reporters", "the press") + ``told`` or ``said``, and suggests "told <listeners>" for that
stretch. When it fires:

- the verb ends its clause ("... and the press told.", "..., the governor and reporters said.",
  before a closing quote or ``;``): always, whatever the subject;
- ``told`` goes on without an object (the next token is a preposition, an adverb, a time word,
  a day, "that", a colon): "told on Monday that ..."; English never lets "told" go without one;
- ``said`` goes on the same way ("said on Sunday that", "said Tuesday", "said late on Friday",
  "said:"): only when the subject before "and" is one singular noun phrase, read from the
  tagger (:mod:`repair.tagger`): from the clause's start (the sentence's, or after a comma,
  colon, quotation mark or bracket) to "and", no verb, and a singular noun last ("The
  coach", "A spokesman for the ministry", "President Ruto", "The White House press
  secretary"); not a plural ("Editors and reporters said on Sunday that they would strike",
  "The club's players"), not a collective noun (``collective``: "Police and reporters said
  ..."), not a clause ("The players left the pitch and reporters said ...").

Keys: ``listeners`` (words, required), ``modifiers`` (words allowed before the listeners
besides capitalised words: "the", "local", "foreign"), ``collective`` (singular nouns that name
a group) and ``max_subject`` (tokens, default 12). The edit is the rule's safety (a suggestion
in the shipped rule): the listeners moved may need an article ("told the media").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import regex

from ..model import Finding
from .base import Facts, Rule, kind, param

_CLAUSE_END = regex.compile(r"\s*(?:[.;!?]|,?\s*[\"”’)]|\Z)")
_COLON = regex.compile(r"[ \t]*:")
_NEXT_WORD = regex.compile(r"\s+([\p{L}]+)")
_TIME_WORDS = frozenset("""yesterday today tonight earlier later last this late that
    monday tuesday wednesday thursday friday saturday sunday""".split())
# tags of a token that starts something other than an object: a preposition, an adverb
_NO_OBJECT_TAGS = ("IN", "RB", "RBR", "RBS")
# the start of the clause whose subject is read: after these characters
_BOUNDARY = re.compile(r"[,;:“”\"()\[\]—–]")


@kind("reporting-inversion")
class ReportingInversionRule(Rule):
    @dataclass(frozen=True)
    class Params:
        listeners: tuple[str, ...] = param("words", required=True)
        modifiers: tuple[str, ...] = param("words", default=("the",))
        collective: tuple[str, ...] = param("words", default=())
        max_subject: int = param("int", default=12)

    def setup(self) -> None:
        listeners = sorted({w.casefold() for w in self.p("listeners")}, key=len, reverse=True)
        if not listeners:
            raise ValueError("a reporting-inversion rule needs 'listeners'")
        mods = sorted({w.casefold() for w in self.p("modifiers")}, key=len, reverse=True)
        self._listeners = tuple(listeners)
        self._collective = frozenset(w.casefold() for w in self.p("collective"))
        mod = "|".join(regex.escape(m) for m in mods) or "(?!)"
        lst = "|".join(regex.escape(w) for w in listeners)
        self._re = regex.compile(
            rf"(?<![\w'’-])and\s+(?P<who>(?:(?i:{mod})\s+|\p{{Lu}}[\p{{L}}.\-]*\s+){{0,2}}(?i:{lst}))"
            rf"\s+(?P<verb>told|said)(?![\w'’-])")

    def precheck(self, text: str, facts: Facts) -> bool:
        if "and" not in text or ("told" not in text and "said" not in text):
            return False
        low = text.casefold()
        return any(w in low for w in self._listeners)

    def find(self, text: str) -> list[Finding]:
        out = []
        for m in self._re.finditer(text, timeout=self.limit()):
            if self._fires(text, m):
                out.append(self.finding(text, m.start(), m.end(), "told " + m.group("who")))
        return out

    def _fires(self, text: str, m) -> bool:
        end = m.end()
        if _CLAUSE_END.match(text, end):
            return True
        said = m.group("verb") == "said"
        if not (_COLON.match(text, end) or self._no_object(text, end)):
            return False
        return not said or self._singular_subject(text, m.start())

    def _no_object(self, text: str, end: int) -> bool:
        """Does the clause go on after the verb with something that is not its object?"""
        nxt = _NEXT_WORD.match(text, end)
        if nxt is None:
            return False
        word = nxt.group(1)
        if word.casefold() in _TIME_WORDS:
            return True
        sent = _sentence(text, end)
        if sent is None:
            return False
        for start, _end, _w, xpos in _tagged(text, sent):
            if start == nxt.start(1):
                return xpos in _NO_OBJECT_TAGS and word.casefold() not in ("about", "of")
        return False

    def _singular_subject(self, text: str, and_at: int) -> bool:
        """Is the stretch from the clause's start to "and" one singular noun phrase?"""
        sent = _sentence(text, and_at)
        if sent is None:
            return False
        start = sent[0]
        for b in _BOUNDARY.finditer(text, sent[0], and_at):
            start = b.end()
        subject = [t for t in _tagged(text, sent) if start <= t[0] and t[1] <= and_at]
        # "... said that the coach and reporters said ...": the clause after a conjunction
        for i in range(len(subject) - 1, -1, -1):
            if subject[i][2].casefold() in _CONJUNCTIONS:
                subject = subject[i + 1:]
                break
        if not subject or len(subject) > self.p("max_subject"):
            return False
        if any(t[3].startswith("VB") or t[3] in ("MD", "WDT", "WP", "PRP", "CC") for t in subject):
            return False  # a clause, a pronoun, a list: "The players left the pitch and ..."
        last = subject[-1]
        if last[2].casefold() in self._collective:
            return False
        if last[3] not in ("NN", "NNP"):
            from .. import tagger

            # a noun the tagger read as an adjective before "and" ("the chief executive")
            if not (last[3] == "JJ" and tagger.known(last[2], "NOUN")):
                return False
        return subject[0][3] in ("DT", "NNP", "PRP$", "JJ", "NN")


_CONJUNCTIONS = frozenset("that but while when after because".split())


def _sentence(text: str, pos: int) -> tuple[int, int] | None:
    from .. import tagger

    for s in tagger.sentence_spans(text):
        if s.start <= pos <= s.end:
            return (s.start, s.end)
    return None


@functools.lru_cache(maxsize=64)
def _tagged_sentence(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, text, Penn tag) of each token of one sentence (the tagger, cached)."""
    from .. import tagger
    from ..model import Span

    return tuple((t.span.start, t.span.end, t.text, t.xpos)
                 for t in tagger.tag_sentence(sentence, Span(0, len(sentence))))


def _tagged(text: str, sent: tuple[int, int]) -> list[tuple[int, int, str, str]]:
    a = sent[0]
    return [(s + a, e + a, w, x) for s, e, w, x in _tagged_sentence(text[sent[0]:sent[1]])]
