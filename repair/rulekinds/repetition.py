"""``repetition``: a unit of 1..N words repeated next to itself.

The engine builds the (backreferencing) regex from data; rule authors give:

- ``joiners``: words allowed between the copies ("and", "or"); empty means the
  copies are separated by white space only (``separator`` overrides that, as a
  regex, e.g. ``'\\s*[,;]?\\s+'`` for "my Lord, my Lord, my Lord");
- ``min_words``/``max_words`` (unit length), ``min_copies``/``max_copies``;
- ``allow_followed_by``: a regex; a repeat followed by a match is left alone
  ("might or might not");
- ``allow``: units that are legitimate repeats ("had", "that", "more") or whole
  repeats ("pago pago"), and ``allow_pattern`` (regex the unit must not fully match);
- ``context_units`` with ``context_allow``: units that are legitimate only in some sentences
  ("What it is is ..." but not "The museum is is closed"): such a repeat is left alone when
  ``context_allow`` (a regex) finds a match in its sentence before it;
- ``emphasis_tags`` (Penn tags, read by :mod:`repair.tagger` on the sentence): a one-word unit
  joined by "and" that the tagger tags so ("VBD") whose last copy is not followed by an object (a token
  tagged as one of ``object_tags``, default determiners, pronouns, nouns, numbers and
  adjectives) is narrative emphasis and left alone: "He laughed and laughed.", "She waited and
  waited for a letter", but not "Officials debated and debated the budget";
- the narrow safe form: ``safe_units`` (the unit is one of these words),
  ``safe_min_words`` (the unit has at least this many words), ``safe_after`` /
  ``safe_after_pattern`` (the word before the first copy; an entry "might or"
  holds only with that joiner), ``safe_joiners``;
  ``never_safe_pattern`` vetoes them (e.g. past forms, which are emphatic far
  more often than garbled). Units not safe take the rule's own safety.

The fix keeps the first copy and removes the rest.

Speed: before the regex runs, :meth:`RepetitionRule.precheck` looks for the repeat on the
text's case-folded word tokens (bytes of "word i equals word i+d"), which is exact as
long as the separator cannot match a letter, apostrophe or hyphen (the default, the
joiners, and separators made of white space, commas, semicolons and colons); other
separators skip the precheck.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Finding
from .base import _MARK_CHARS, WORD, Facts, LazyRegex, Rule, RuleSafety, kind, param

_PREV = regex.compile(r"(" + WORD + r")[ \t\u00a0]*\Z")
_SENT_START = regex.compile(r"(?:^|[.!?:;][\"'”’)\]]*)\s*\Z")
# separators the token precheck understands: white space, commas, semicolons, colons (no
# letters, digits, apostrophes or hyphens)
_LETTER_FREE_SEP = regex.compile(r"(?:[ \t\[\],;:*+?()|]|\{\d+(?:,\d*)?\}|\\[stnr])*")
# separators that can only match white space, commas, semicolons and colons (no
# groups; classes of those only): they never cross a punctuation mark of Facts.words
_MARK_FREE_SEP = regex.compile(r"(?:[ \t,;:*+?|]|\{\d+(?:,\d*)?\}|\\[stnr]|\[(?:[ \t,;:]|\\[stnr])+\])*")
_PLAIN_WORD = regex.compile(r"[a-z]+")


def _period(unit: str) -> int:
    """How many copies of a smaller unit ``unit`` is made of ("the the" -> 2, "at the" -> 1)."""
    words = unit.casefold().split()
    n = len(words)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and words == words[:size] * (n // size):
            return n // size
    return 1


@kind("repetition")
class RepetitionRule(Rule):
    PLACEHOLDERS = ("unit", "copies")
    @dataclass(frozen=True)
    class Params:
        joiners: tuple[str, ...] = param("strlist", default=())
        separator: str | None = param("str")
        min_words: int = param("int", default=1)
        max_words: int = param("int", default=4)
        min_copies: int = param("int", default=2)
        max_copies: int = param("int", default=0)
        allow: tuple[str, ...] = param("words", default=())
        allow_pattern: Any = param("regex")
        safe_units: tuple[str, ...] = param("words", default=())
        safe_min_words: int = param("int", default=0)
        safe_after: tuple[str, ...] = param("words", default=())
        safe_after_pattern: Any = param("regex")
        safe_joiners: tuple[str, ...] = param("strlist", default=())
        never_safe_pattern: Any = param("regex")
        allow_followed_by: Any = param("regex")
        requires: tuple[str, ...] = param("strlist", default=())
        context_units: tuple[str, ...] = param("words", default=())
        emphasis_tags: tuple[str, ...] = param("strlist", default=())
        object_tags: tuple[str, ...] = param("strlist", default=(
            "DT", "PDT", "PRP", "PRP$", "NN", "NNS", "NNP", "NNPS", "CD", "JJ", "JJR", "JJS", "WP", "EX"))
        context_allow: Any = param("regex")

    def setup(self) -> None:
        lo, hi = self.p("min_words"), self.p("max_words")
        if not 1 <= lo <= hi <= 8:
            raise ValueError("need 1 <= min_words <= max_words <= 8")
        if self.p("min_copies") < 2:
            raise ValueError("min_copies must be at least 2")
        joiners = self.p("joiners")
        if joiners:
            alt = "|".join(regex.escape(j) for j in joiners)
            sep = rf"\s+(?P<joiner>{alt})\s+"
        elif self.p("separator") is not None:
            sep = f"(?:{self.p('separator')})"
        else:
            sep = r"\s+"
        unit = rf"(?P<unit>{WORD}(?:[ \t]+{WORD}){{{lo - 1},{hi - 1}}})"
        copies = self.p("min_copies") - 1
        source = rf"(?<![\w'’\-]){unit}(?:{sep}(?P<copy>(?P=unit))){{{copies},}}(?![\w'’\-])"
        try:
            self._re = regex.compile(source, regex.IGNORECASE)
        except regex.error as exc:
            raise ValueError(f"bad separator regex: {exc}") from None
        norm = lambda s: " ".join(s.casefold().split())  # noqa: E731
        self._norm = norm
        self._allow = frozenset(norm(a) for a in self.p("allow"))
        self._safe_units = frozenset(norm(a) for a in self.p("safe_units"))
        self._context_units = frozenset(norm(a) for a in self.p("context_units"))
        if self._context_units and self.p("context_allow") is None:
            raise ValueError("'context_units' needs 'context_allow'")
        self._safe_after: dict[str, frozenset | None] = {}
        for entry in self.p("safe_after"):
            word, _, joiner = norm(entry).partition(" ")
            if joiner and not joiners:
                raise ValueError(f"safe_after entry {entry!r} names a joiner, but the rule has no 'joiners'")
            if joiner:
                old = self._safe_after.get(word, frozenset())
                self._safe_after[word] = None if old is None else old | {joiner}
            else:
                self._safe_after[word] = None
        self._safe_joiners = frozenset(j.casefold() for j in self.p("safe_joiners"))
        self._requires = tuple(self.p("requires"))
        # the token precheck: exact when the copies are separated by letter-free text, or by
        # one joiner word
        sep_src = self.p("separator")
        if joiners:
            self._joiner_words = frozenset(j.casefold() for j in joiners)
            self._fast = all(_PLAIN_WORD.fullmatch(j) for j in self._joiner_words)
        else:
            self._joiner_words = frozenset()
            self._fast = sep_src is None or _LETTER_FREE_SEP.fullmatch(sep_src) is not None
        # which token stream keeps the separator's characters out: the default (white space)
        # and joiners cross no punctuation; other separators may cross commas (or anything)
        if joiners:
            self._stream = "marked"
        elif sep_src is None:
            # white space only; the stream without comma marks is looser, and shared with
            # comma-separated rules
            self._stream = "commaless"
        elif _MARK_FREE_SEP.fullmatch(sep_src):
            self._stream = "commaless"
        else:
            self._stream = "plain"
        self._lo, self._hi = lo, hi
        # k equal words in a row, (min_copies - 1) times: a unit of k words and its copies
        self._runs = {k: bytes(k * (self.p("min_copies") - 1)) for k in range(lo, hi + 1)}
        if self._safe_joiners and not joiners:
            raise ValueError("'safe_joiners' needs 'joiners'")
        # the patterns match case-insensitively, as the repeat itself does
        self.params = dataclasses.replace(self.params, **{
            key: (LazyRegex(pat.pattern, regex.IGNORECASE) if isinstance(pat, LazyRegex)
                  else regex.compile(pat.pattern, regex.IGNORECASE))
            for key in ("allow_pattern", "safe_after_pattern", "never_safe_pattern", "allow_followed_by")
            if (pat := self.p(key)) is not None})

    def allowed(self, unit: str, whole: str = "") -> bool:
        u = self._norm(unit)
        if u in self._allow or (whole and self._norm(whole) in self._allow):
            return True
        pat = self.p("allow_pattern")
        return pat is not None and pat.fullmatch(u) is not None

    def safe_forms(self) -> bool:
        return self.safety == "suggest" and bool(
            self._safe_units or self.p("safe_min_words") or self._safe_after
            or self.p("safe_after_pattern") is not None or self._safe_joiners)

    def _safe(self, text: str, m: regex.Match, unit: str) -> bool:
        u = self._norm(unit)
        never = self.p("never_safe_pattern")
        if never is not None and never.fullmatch(u):
            return False
        copies = m.captures("copy")
        # "the The Times": a capital on a later copy may start a name or a sentence
        if any(c[:1].isupper() and not unit[:1].isupper() for c in copies):
            return False
        if u in self._safe_units:
            return True
        if self.p("safe_min_words") and len(u.split()) >= self.p("safe_min_words"):
            return True
        if self._safe_joiners and any(j.casefold() in self._safe_joiners for j in m.captures("joiner")):
            return True
        if self._safe_after or self.p("safe_after_pattern") is not None:
            prev = _PREV.search(text, max(0, m.start() - 40), m.start())
            if prev is not None:
                word = prev.group(1).casefold()
                if word in self._safe_after:
                    only = self._safe_after[word]
                    if only is None or any(j.casefold() in only for j in m.captures("joiner")):
                        return True
                pat = self.p("safe_after_pattern")
                if pat is not None and pat.fullmatch(word):
                    return True
        return False

    def precheck(self, text: str, facts: Facts) -> bool:
        if self._requires and not any(r in text for r in self._requires):
            return False
        if not self._fast:
            return True
        words = facts.words
        if words is None:
            return True
        # Every match is a unit of k words (k in min_words..max_words) followed by its
        # copies: with a letter-free separator the k words recur at distance k
        # ((min_copies - 1) * k equal words in a row); with a joiner, at distance k + 1
        # with the joiner between. A unit on the allow-list is never
        # reported, so only units not allowed count.
        lo, hi = self._lo, self._hi
        if self._joiner_words:
            for joiner in self._joiner_words:
                at = facts.positions(joiner)
                p = at.find(1)
                while p != -1:
                    for k in range(lo, hi + 1):
                        if p >= k and words[p - k:p] == words[p + 1:p + 1 + k]:
                            unit = words[p - k:p]
                            if _MARK_CHARS.isdisjoint(unit) and not self._unit_allowed(" ".join(unit)):
                                return True
                    p = at.find(1, p + 1)
            return False
        stream: list[str] | None = None
        for k in range(lo, hi + 1):
            diff = facts.differ(k, self._stream)
            run = self._runs[k]
            i = diff.find(run)
            while i != -1:
                if stream is None:
                    stream = facts.stream(self._stream)
                    assert stream is not None  # differ() above built it
                unit = stream[i:i + k]
                if _MARK_CHARS.isdisjoint(unit) and not self._unit_allowed(" ".join(unit)):
                    return True
                i = diff.find(run, i + 1)
        return False

    def _emphasis(self, text: str, m: regex.Match) -> bool:
        """Is the one-word repeat a past form (``emphasis_tags``) joined by "and" with no object
        after it? ("stolen or stolen" is never emphasis)"""
        from .. import tagger

        if any(j.casefold() != "and" for j in m.captures("joiner")):
            return False

        sent = next((s for s in tagger.sentence_spans(text) if s.start <= m.start() and m.end() <= s.end), None)
        if sent is None:
            return False
        offsets = tagger.token_offsets(text, sent)  # as the tokens rules read a sentence (tags cached)
        tags = tagger.tag_words(tuple(text[a:b] for a, b in offsets))
        first = next((i for i, (a, _) in enumerate(offsets) if a == m.start()), None)
        last = next((i for i, (_, b) in enumerate(offsets) if b == m.end()), None)
        if first is None or last is None:
            return False
        if tags[first].xpos not in self.p("emphasis_tags") or tags[last].xpos not in self.p("emphasis_tags"):
            return False
        return last + 1 >= len(tags) or tags[last + 1].xpos not in self.p("object_tags")

    def _context_allows(self, text: str, start: int) -> bool:
        """Does ``context_allow`` match in the sentence before ``start``?"""
        a = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
        return self.p("context_allow").search(text, a, start) is not None

    def _unit_allowed(self, unit: str) -> bool:
        """Is a normalised unit (case-folded words joined by one space) allowed on its own?"""
        if unit in self._allow:
            return True
        pat = self.p("allow_pattern")
        return pat is not None and pat.fullmatch(unit) is not None

    def find(self, text: str) -> list[Finding]:
        if self._requires and not any(r in text for r in self._requires):
            return []
        out = []
        max_copies = self.p("max_copies")
        for m in self._re.finditer(text, timeout=self.limit()):
            unit = m.group("unit")
            n = (len(m.captures("copy")) + 1) * _period(unit)
            if max_copies and n > max_copies:
                continue
            if self.allowed(unit, m.group()):
                continue
            if self._norm(unit) in self._context_units and self._context_allows(text, m.start()):
                continue
            if self.p("emphasis_tags") and " " not in unit.strip() and self._emphasis(text, m):
                continue
            follow = self.p("allow_followed_by")
            if follow is not None and follow.match(text, m.end()):
                continue
            safety: RuleSafety | None = "safe" if self._safe(text, m, unit) else None
            out.append(self.finding(text, m.start(), m.end(), unit, safety, unit=unit, copies=str(n)))
        return out
