"""``tokens``: a sequence of token constraints on words, lemmas and part-of-speech tags.

The text is split into sentences and tokens by :mod:`repair.tagger` (tokens as the treebank
splits them: "don't" is "do" + "n't"); a match is a run of tokens of one sentence.

``pattern`` is the sequence: elements separated by white space, each element one token made
of clauses joined by ``&``, all of which must hold:

- ``REGEX`` or ``word:REGEX``: the token's text fully matches (case-insensitive; write
  ``(?-i:...)`` to match case);
- ``lemma:REGEX``: its lemma (case-insensitive); ``tag:REGEX``: its Penn Treebank tag (``NNS``,
  ``VBZ``, ``MD``); ``upos:REGEX``: its Universal tag (``NOUN``, ``AUX``); both case-sensitive;
- ``lemma:=``: the token is its own lemma (case-insensitive): a base form, "see" but not "seen";
- ``is:VERB`` (or ``NOUN``, ``ADJ``, ``ADV``): the token's text, lower-cased, is a lemma the
  treebank has under that Universal tag ("see" is a verb, "seen" and "seldom" are not);
- ``!`` before a clause negates it (``tag:NNS&!word:data|news``): an exception;
- a prefix ``?`` (0 or 1 token), ``*`` (0 to 8) or ``{m,n}`` repeats the element;
- ``^`` alone, as the first element, anchors the match at the sentence start; ``$`` alone,
  as the last, at its end.

Regexes hold no white space or ``&`` (write ``\\s``, ``\\x26``). ``antipatterns``: sequences
in the same syntax; a match that overlaps a token of an antipattern match is left alone.
``mark``: the elements reported, ``"2"`` or ``"2-3"`` (1-based; default all).
``suggestion``: the replacement of the marked text, a template where ``{N}`` is the text of
element N (from its first token to its last) and ``{N.lemma}`` its lemmas; it takes the case
of the marked text ("Goes" -> "Go"); the message may name it as ``{suggestion}``.

Cost: the tagger loads only when a sentence passes every word clause of the pattern (tag
and lemma clauses are checked after tagging), and the rule's precheck first asks for
the literal words of its word clauses (``this|these`` gives "this", "these") in the text.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, NamedTuple, Sequence

from .. import tagger
from ..model import Finding, Span
from .base import Facts, Rule, casefold, kind, param, preserve_case

FIELDS = ("word", "lemma", "tag", "upos", "is")
LEXICON = ("VERB", "NOUN", "ADJ", "ADV")
MAX_REPEAT = 8
_LITERALS = re.compile(r"(?:\(\?i\))?([A-Za-z']+(?:\|[A-Za-z']+)*)|\(\?-i:([A-Za-z']+(?:\|[A-Za-z']+)*)\)")
_SAME = re.compile("=")  # stands for ``lemma:=``
_PLACEHOLDER = re.compile(r"\{(\d)(?:\.(lemma))?\}")


@dataclass(frozen=True)
class Clause:
    field: str
    regex: Any  # re.Pattern, or Uncompiled (parse_sequence(..., compile=False))
    negated: bool


@dataclass(frozen=True)
class Element:
    low: int
    high: int
    clauses: tuple[Clause, ...]
    anchor: str = ""  # "^" or "$": zero-width, at the sentence's start or end

    def words_ok(self, word: str) -> bool:
        """Do the word and ``is:`` clauses hold? (what can be known before tagging: ``is:``
        asks the model file's lexicon, which does not load the tagger)"""
        for c in self.clauses:
            if c.field == "word" and (c.regex.fullmatch(word) is None) != c.negated:
                return False
        for c in self.clauses:
            if c.field == "is" and tagger.known(word, c.regex.pattern) == c.negated:
                return False
        return True

    def ok(self, tok: tagger.Token) -> bool:
        for c in self.clauses:
            if c.field == "is":
                if tagger.known(tok.text, c.regex.pattern) == c.negated:
                    return False
                continue
            if c.regex is _SAME:
                if (tok.lemma.casefold() == tok.text.casefold()) == c.negated:
                    return False
                continue
            value = tok.text if c.field == "word" else tok.lemma if c.field == "lemma" else \
                tok.xpos if c.field == "tag" else tok.upos
            if (c.regex.fullmatch(value) is not None) == c.negated:
                return False
        return True


class Uncompiled(NamedTuple):
    """A clause's regex before it is compiled (``parse_sequence(..., compile=False)``)."""
    pattern: str


def parse_sequence(source: str, what: str, compile: bool = True) -> tuple[Element, ...]:
    """Parse a pattern (see the module doc); raises ValueError naming the bad element. With
    ``compile=False`` the clauses' regexes stay :class:`Uncompiled` (their syntax unchecked):
    enough to know the elements, their counts and literal words."""
    items = source.split()
    if not items:
        raise ValueError(f"{what} is empty")
    out = []
    for n, item in enumerate(items):
        if item in ("^", "$"):
            if (item == "^") != (n == 0) or (item == "$" and n != len(items) - 1):
                raise ValueError(f"{what}: {item!r} must be the {'first' if item == '^' else 'last'} element")
            out.append(Element(0, 0, (), item))
            continue
        low = high = 1
        m = re.match(r"\{(\d+),(\d+)\}|[?*]", item)
        if m:
            if m.group() == "?":
                low, high = 0, 1
            elif m.group() == "*":
                low, high = 0, MAX_REPEAT
            else:
                low, high = int(m.group(1)), int(m.group(2))
                if not 0 <= low <= high or high > MAX_REPEAT or high == 0:
                    raise ValueError(f"{what}: bad repeat in {item!r} (0 <= m <= n <= {MAX_REPEAT}, n >= 1)")
            item = item[m.end():]
        clauses = []
        for part in item.split("&"):
            negated = part.startswith("!")
            part = part[1:] if negated else part
            field, sep, rx = part.partition(":")
            if not sep or field not in FIELDS:
                field, rx = "word", part
            if field == "is":
                if rx not in LEXICON:
                    raise ValueError(f"{what}: is:{rx} in element {n + 1}: use one of {', '.join(LEXICON)}")
                clauses.append(Clause(field, re.compile(rx), negated))
                continue
            if field == "lemma" and rx == "=":
                clauses.append(Clause(field, _SAME, negated))
                continue
            if not rx:
                raise ValueError(f"{what}: empty clause in element {n + 1} ({item!r})")
            if not compile:
                clauses.append(Clause(field, Uncompiled(rx), negated))
                continue
            try:
                compiled = re.compile(rx, re.IGNORECASE if field in ("word", "lemma") else 0)
            except re.error as exc:
                raise ValueError(f"{what}: bad regex {rx!r} in element {n + 1}: {exc}") from None
            clauses.append(Clause(field, compiled, negated))
        out.append(Element(low, high, tuple(clauses)))
    if all(e.anchor or e.low == 0 for e in out):
        raise ValueError(f"{what} must have an element that takes a token")
    return tuple(out)


# between two sentences in the joined words of a paragraph: a token of its own
_BREAK = "\x00\n"


@dataclass(frozen=True)
class Split:
    """A paragraph as its sentences (token offsets and words) and all their words joined by
    line breaks, sentences separated by a ``\x00`` line, with the (sentence, token) at each
    word's offset in that string."""

    sentences: tuple[tuple[tuple[tuple[int, int], ...], tuple[str, ...]], ...]
    joined: str
    at: dict


@functools.lru_cache(maxsize=8)
def _split(text: str) -> Split:
    """:class:`Split` of ``text`` (shared by the rules)."""
    sentences = []
    pieces: list[str] = []
    at: dict = {}
    pos = 0
    for si, sent in enumerate(tagger.sentence_spans(text)):
        offsets = tuple(tagger.token_offsets(text, sent))
        words = tuple(text[a:b] for a, b in offsets)
        sentences.append((offsets, words))
        if si:
            pieces.append(_BREAK)
            pos += 2
        for ti, w in enumerate(words):
            at[pos] = (si, ti)
            pos += len(w) + 1
        pieces.append("".join(w + "\n" for w in words))
    return Split(tuple(sentences), "".join(pieces), at)


def quick_regex(elems: Sequence[Element]) -> re.Pattern | None:
    """A regex over a paragraph's words joined by line breaks (:class:`Split`) that matches
    wherever ``elems`` can match: each element's positive word clauses as lookaheads (``^``/``$``
    of a clause mean a word's start/end, as in ``fullmatch``); it may match more often, never
    less. None when it cannot be built."""
    parts = []
    for e in elems:
        if e.anchor:
            parts.append(r"(?:\A|(?<=\x00\n))" if e.anchor == "^" else r"(?=\x00\n|\Z)")
            continue
        body = "".join(f"(?=(?:{c.regex.pattern})\n)" for c in e.clauses
                       if c.field == "word" and not c.negated) + "[^\n]*\n"
        parts.append(f"(?:{body}){{{e.low},{e.high}}}")
    try:
        # zero-width, so that finditer gives every token where a match can start
        return re.compile(r"(?:\A|(?<=\n))(?=" + "".join(parts) + ")", re.IGNORECASE | re.MULTILINE)
    except re.error:
        return None


def match_at(elems: Sequence[Element], toks: Sequence[Any], i: int, ok) -> list[tuple[int, int]] | None:
    """Match ``elems`` at token ``i`` (greedy, backtracking); ``ok(element, token)`` tests one
    token. Returns each element's token range, or None."""
    n = len(toks)
    ranges: list[tuple[int, int]] = []

    def go(k: int, pos: int) -> bool:
        if k == len(elems):
            return True
        e = elems[k]
        if e.anchor:
            if (e.anchor == "^" and pos != 0) or (e.anchor == "$" and pos != n):
                return False
            ranges.append((pos, pos))
            if go(k + 1, pos):
                return True
            ranges.pop()
            return False
        most = pos
        while most < n and most - pos < e.high and ok(e, toks[most]):
            most += 1
        for end in range(most, pos + e.low - 1, -1):
            ranges.append((pos, end))
            if go(k + 1, end):
                return True
            ranges.pop()
        return False

    return ranges if go(0, i) else None


@kind("tokens")
class TokenRule(Rule):
    PLACEHOLDERS = ("suggestion",)

    @dataclass(frozen=True)
    class Params:
        pattern: str = param("str", required=True, doc="token constraints, see the module doc")
        antipatterns: tuple[str, ...] = param("strlist", default=(), doc="sequences that veto a match")
        mark: str | None = param("str", doc='the elements reported: "2" or "2-3" (default all)')
        suggestion: str | None = param("str", doc="replacement template: {N}, {N.lemma}")

    def setup(self) -> None:
        # a shipped rule's regexes compile on first use (_elems, _anti); a user's, here
        elems = parse_sequence(self.p("pattern"), "pattern", compile=not self.builtin)
        if not self.builtin:
            self.__dict__["_elems"] = elems
            self.__dict__["_anti"] = self._antipatterns()
        mark = self.p("mark")
        count = len(elems)
        if mark is None:
            self._mark = (0, count - 1)
        else:
            m = re.fullmatch(r"(\d+)(?:-(\d+))?", mark)
            if not m:
                raise ValueError(f'mark must be "N" or "N-M", not {mark!r}')
            a, b = int(m.group(1)), int(m.group(2) or m.group(1))
            if not 1 <= a <= b <= count:
                raise ValueError(f"mark {mark!r} is outside the pattern's {count} elements")
            self._mark = (a - 1, b - 1)
        sugg = self.p("suggestion")
        if sugg is None:
            if self.safety != "flag":
                raise ValueError("a tokens rule with safety safe or suggest needs a 'suggestion'")
        else:
            for num, _ in _PLACEHOLDER.findall(sugg):
                if not 1 <= int(num) <= count:
                    raise ValueError(f"suggestion names element {num}, which the pattern lacks")
        # literal words one of which the text must hold (from the first element that must
        # take a token and whose word clause is a plain alternation of words)
        self._needs: tuple[str, ...] = ()
        for e in elems:
            if e.anchor or e.low == 0:
                continue
            for c in e.clauses:
                if c.field == "word" and not c.negated:
                    m = _LITERALS.fullmatch(c.regex.pattern)
                    if m:
                        alts = (m.group(1) or m.group(2)).split("|")
                        self._needs = tuple(sorted({casefold(a) for a in alts}))
                        break
            if self._needs:
                break
        self._min_tokens = sum(e.low for e in elems)

    def _antipatterns(self) -> tuple[tuple[Element, ...], ...]:
        return tuple(parse_sequence(a, f"antipattern {i + 1}") for i, a in enumerate(self.p("antipatterns")))

    @functools.cached_property
    def _elems(self) -> tuple[Element, ...]:
        return parse_sequence(self.p("pattern"), "pattern")

    @functools.cached_property
    def _anti(self) -> tuple[tuple[Element, ...], ...]:
        return self._antipatterns()

    @functools.cached_property
    def _quick(self) -> re.Pattern | None:
        return quick_regex(self._elems)  # on first use: most runs never need it

    def precheck(self, text: str, facts: Facts) -> bool:
        if not self._needs:
            return True
        folded = facts.__dict__.get("_tokens_folded")
        if folded is None:
            folded = facts.__dict__["_tokens_folded"] = casefold(text)
        return any(w in folded for w in self._needs)

    def find(self, text: str) -> list[Finding]:
        out: list[Finding] = []
        split = _split(text)
        # before tagging: a regex of the positive word clauses over the paragraph's words (in C),
        # then every word and lexicon clause; the tagger runs only where both pass
        quick = self._quick
        by_sentence: dict[int, list[int]] = {}
        if quick is None:
            for si, (_o, words) in enumerate(split.sentences):
                by_sentence[si] = list(range(len(words)))
        else:
            for m in quick.finditer(split.joined):
                where = split.at.get(m.start())
                if where is not None:
                    by_sentence.setdefault(where[0], []).append(where[1])
        for index, candidates in by_sentence.items():
            offsets, words = split.sentences[index]
            if len(words) < self._min_tokens:
                continue
            starts = [i for i in candidates if match_at(self._elems, words, i, Element.words_ok) is not None]
            if not starts:
                continue
            tags = tagger.tag_words(words)
            toks = [tagger.Token(Span(a, b), w, t.xpos, t.upos, t.lemma, index)
                    for (a, b), w, t in zip(offsets, words, tags)]
            vetoed: list[bool] | None = None  # the antipatterns run only once a match is found
            last_end = -1
            for i in starts:
                if i < last_end:
                    continue
                ranges = match_at(self._elems, toks, i, Element.ok)
                if ranges is None:
                    continue
                lo = min(a for a, b in ranges if b > a)
                hi = max(b for a, b in ranges if b > a)
                if vetoed is None:
                    vetoed = self._vetoed(toks)
                if any(vetoed[lo:hi]):
                    continue
                a, b = ranges[self._mark[0]][0], ranges[self._mark[1]][1]
                if b <= a:
                    continue  # the marked elements took no token
                last_end = hi
                out.append(self._finding(text, toks, ranges, a, b))
        return out

    def _vetoed(self, toks: Sequence[tagger.Token]) -> list[bool]:
        vetoed = [False] * len(toks)
        for anti in self._anti:
            for i in range(len(toks)):
                ranges = match_at(anti, toks, i, Element.ok)
                if ranges is not None:
                    for a, b in ranges:
                        for k in range(a, b):
                            vetoed[k] = True
        return vetoed

    def _finding(self, text: str, toks, ranges, a: int, b: int) -> Finding:
        start, end = toks[a].span.start, toks[b - 1].span.end
        sugg = self.p("suggestion")
        replacement = None
        if sugg is not None:
            def fill(m: re.Match) -> str:
                lo, hi = ranges[int(m.group(1)) - 1]
                if hi <= lo:
                    return ""
                if m.group(2):
                    return " ".join(t.lemma for t in toks[lo:hi])
                return text[toks[lo].span.start:toks[hi - 1].span.end]
            replacement = preserve_case(text[start:end], _PLACEHOLDER.sub(fill, sugg))
        return self.finding(text, start, end, replacement, suggestion=replacement or "")
