"""Names are not errors: drop spelling findings on proper nouns and on accepted words.

A grammar checker's dictionary does not know "Stoltenberg" or "Iohannis"; on news
text most of Harper's spelling flags are names. A capitalised word that a checker
calls a misspelling is taken as a name when the document itself uses it as one:

* it is capitalised in the middle of a sentence somewhere in the document;
* it follows a title ("President", "Secretary General", "spokesman"), directly or
  as part of a run of capitalised words ("Secretary General Jens Stoltenberg");
* it appears capitalised at least twice (e.g. only ever at sentence starts);
* it is an all-caps word inside such a name ("President Abdelmadjid TEBBOUNE"), or a
  capitalised word directly before an all-caps surname ("Jomo KENYATTA"), or that surname.

None of this applies when the same word also appears in lower case in the document
(a lower-case "recieve" shows the capitalised one is a misspelling too), and a
lower-case word is never a name ("teh" stays flagged). Words the user accepts
(``Options.accept_words``, from ``--accept-words FILE``) are never misspellings,
whatever their case.

Spelling findings are also dropped on words that are not misspellings by the lights of
:mod:`repair.lexicon` (a larger offline word list): initials ("J.", "A.D."), words of a
foreign phrase ("de facto"), real words the checker does not know ("gaol",
"apperception"), and words no common word is one edit away from (rare terms and names:
a real typo is nearly always one edit from the word meant).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .checks.registry import is_spelling
from .lexicon import american_form, count, fold, not_a_misspelling
from .model import Finding
from .options import Options
from .text import WORD_RE, starts_sentence

_POSSESSIVE_RE = re.compile(r"(?:['’]s|s['’]|['’])$", re.IGNORECASE)
COMMON = 1_000_000  # a word this common in the lexicon is not taken for a first name

# Words after which a capitalised word is a name. Compared case-insensitively; the
# run of capitalised words after one is a name ("Secretary General Jens Stoltenberg").
TITLES: frozenset[str] = frozenset(
    """
    president vice secretary general minister premier chancellor prime king queen prince
    princess emperor empress sultan emir sheikh pope cardinal bishop archbishop rabbi imam
    father sister brother saint st sir dame lady lord mr mrs ms miss mx dr prof professor
    senator sen rep representative congressman congresswoman governor gov mayor judge justice
    ambassador envoy commissioner chairman chairwoman chair director commander admiral colonel
    col captain capt lieutenant lt sergeant sgt major corporal marshal officer agent detective
    inspector spokesman spokeswoman spokesperson ceo cfo coach dean chief deputy
    """.split()
)


def word_key(word: str) -> str:
    """The lookup form of a word: possessive stripped, case folded."""
    return _POSSESSIVE_RE.sub("", word).casefold()


def load_accept_words(path: str | Path) -> frozenset[str]:
    """Read an accepted-words file (see :mod:`repair.wordlists`)."""
    from .wordlists import read_word_set

    return read_word_set(path, str(path))


def is_accepted(word: str, accept_words: Iterable[str]) -> bool:
    keys = {w.casefold() for w in accept_words}
    return word.casefold() in keys or word_key(word) in keys


def is_spelling_finding(finding: Finding) -> bool:
    """Whether a finding says "this word is not in my dictionary"."""
    rule = finding.rule
    if is_spelling(rule):  # the ids each source declares spelling (repair.checks.registry)
        return True
    return rule.endswith(".spelling") or ".spelling." in rule


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_all_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass
class _Evidence:
    capitalised: int = 0
    mid_sentence: int = 0
    lower: int = 0
    after_title: int = 0
    by_caps: int = 0   # next to an all-caps surname: "Jomo KENYATTA"


@dataclass
class NameIndex:
    """Evidence, gathered over one document, of which words it uses as names."""

    evidence: dict[str, _Evidence] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str) -> "NameIndex":
        index = cls()
        ev = index.evidence
        prev_end = -1
        prev: tuple[str, _Evidence] | None = None
        in_name_run = False  # the previous token was a title or part of a name run
        for m in WORD_RE.finditer(text):
            word = m.group()
            key = word_key(word)
            e = ev.setdefault(key, _Evidence())
            gap = text[prev_end:m.start()] if prev_end >= 0 else None
            contiguous = gap is not None and _joins_name(gap)
            if (contiguous and prev is not None and _is_all_caps(word) and len(word) >= 3
                    and _is_capitalised(prev[0]) and not _is_all_caps(prev[0])
                    and count(fold(prev[0])) < COMMON):  # not "The DAREK report"
                prev[1].by_caps += 1
                e.by_caps += 1
            prev = (word, e)
            if _is_capitalised(word):
                e.capitalised += 1
                if not starts_sentence(text, m.start()):
                    e.mid_sentence += 1
                if in_name_run and contiguous:
                    e.after_title += 1
                in_name_run = key in TITLES or (in_name_run and contiguous)
            else:
                e.lower += 1
                in_name_run = key in TITLES
            prev_end = m.end()
        return index

    def is_name(self, word: str) -> bool:
        """Whether ``word`` (as it appears in the text) is used as a name in the document."""
        if not (_is_capitalised(word) or _is_all_caps(word)):
            return False
        e = self.evidence.get(word_key(word))
        if e is None or e.lower:
            return False
        return e.mid_sentence >= 1 or e.after_title >= 1 or e.capitalised >= 2 or e.by_caps >= 1


def _joins_name(gap: str) -> bool:
    """Whether two capitalised words separated by ``gap`` belong to one name."""
    if not gap or "\n" in gap:
        return False
    stripped = gap.strip()
    # a space, or an initial's full stop ("Mark J. Smith"), or an "-" inside a double name
    return stripped in ("", ".", "-") and len(gap) <= 3


def is_regional_variant(word: str, suggestions: Iterable[str]) -> bool:
    """Whether a "misspelling" is the same word spelt for another English dialect.

    "colour" flagged in American English with "color" suggested, or "color" flagged in
    British English with "colour" suggested: not garble, just another dialect.
    """
    w = word.casefold()
    us = american_form(w)
    for s in suggestions:
        c = s.casefold()
        if c != w and (c == us != w or american_form(c) == w != c):
            return True
    return False


def suppress_names(text: str, findings: Sequence[Finding], options: Options,
                   index: NameIndex | None = None,
                   alternatives: Mapping[tuple[int, int], Sequence[str]] | None = None) -> list[Finding]:
    """Drop spelling findings on words the document uses as names, that the user accepts,
    or that are another dialect's spelling of the suggested word.

    ``alternatives`` maps a finding's (start, end) to every suggestion the checker made
    (the finding's fix holds only the first).
    """
    kept: list[Finding] = []
    for f in findings:
        if is_spelling_finding(f):
            word = f.text.strip()
            if options.accept_words and is_accepted(word, options.accept_words):
                continue
            suggestions = list((alternatives or {}).get((f.span.start, f.span.end), ()))
            if not suggestions and f.fix is not None:
                suggestions = [f.fix.replacement]
            if is_regional_variant(word, suggestions[:3]):
                continue
            if not_a_misspelling(word, text, f.span.start, f.span.end):
                continue
            if index is None:
                index = NameIndex.from_text(text)
            parts = WORD_RE.findall(word)
            if parts and all(index.is_name(p) for p in parts):
                continue
        kept.append(f)
    return kept
