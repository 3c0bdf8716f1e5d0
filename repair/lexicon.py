"""A second opinion on "misspellings": an offline list of real English words with corpus counts.

Harper's dictionary is small by design. On clean, edited prose most of its spelling
flags are real words it does not know: archaic or British forms ("gaol", "connexion",
"marvellous"), rare and technical words ("predaceous", "apperception"), and
regular derivations of known words ("pragmatistic", "unreflected", "chiefdoms").

The list is SymSpell's English frequency dictionary (82,765 words with their Google
Books n-gram counts, shipped in the ``symspellpy`` wheel, MIT). It was built from the
intersection of two word lists, so common misspellings are not in it ("teh",
"recieve", "goverment", "occured" are all absent). A word is taken as known when

* its lower-case form (possessive stripped) is in the list, or it is a regular
  derivation of a listed word (prefix ``un-``, ``re-``, ``non-`` ...; suffix ``-ness``,
  ``-ist``, ``-ic``, ``-s`` ...) whose stem is common; and
* no word one edit away (deletion, insertion, substitution, transposition) is far more
  common (``NEIGHBOUR_RATIO`` times the word's count, or ``DERIVED_NEIGHBOUR_MIN`` for a
  derivation): "chris" next to "christ", "truely" next to "truly" stay misspellings.
  Another dialect's spelling of the word ("fibre" next to "fiber") does not count as such
  a neighbour.

Measured with ``benchmarks/eval_grammar.py`` and a synthetic-typo check (one random edit
in 4,000 common words: 3,761 flagged by Harper, 6 of them taken as known here). When
``symspellpy`` is not installed the list is empty and nothing is rescued.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import re
import unicodedata
from typing import Iterable, Iterator, Sequence

from .text import LETTER

NEIGHBOUR_RATIO = 30
DERIVED_NEIGHBOUR_MIN = 1_000_000
STEM_MIN = 100_000           # a derivation's stem must be at least this common
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_POSSESSIVE = re.compile(r"(?:'s|s')$")

_PREFIXES = ("un", "re", "non", "pre", "anti", "over", "under", "mis", "dis", "sub", "inter", "multi",
             "semi", "counter", "out", "super", "self-", "co")
# suffix -> ways to rebuild the stem (e.g. "ness" on "happiness": "happi" -> "happy")
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nesses", ("",)), ("ness", ("",)), ("istic", ("ism", "ist", "")), ("ists", ("ist", "", "e")),
    ("ist", ("", "e", "ism")), ("isms", ("", "e")), ("ism", ("", "e")), ("ically", ("ic", "ical")),
    ("ity", ("", "e")), ("ities", ("", "e", "ity")), ("ic", ("", "e", "ism", "y")), ("ally", ("al",)),
    ("ly", ("", "le")), ("less", ("",)), ("ful", ("",)), ("ship", ("",)), ("dom", ("",)),
    ("doms", ("dom",)), ("hood", ("",)), ("like", ("",)), ("wise", ("",)), ("es", ("", "e")),
    ("s", ("",)), ("ed", ("", "e")), ("ing", ("", "e")), ("er", ("", "e")), ("ers", ("", "e", "er")),
)


WORDS_FILE = "frequency_dictionary_en_82_765.txt"
PAIRS_FILE = "frequency_bigramdictionary_en_243_342.txt"


def _symspell_file(name: str) -> str | None:
    """A data file of the symspellpy wheel, located but not imported (importing it costs more
    than reading the file); None when it is not installed."""
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.join(list(spec.submodule_search_locations)[0], name)


def _symspell_text(name: str) -> str:
    path = _symspell_file(name)
    try:
        with open(path, encoding="utf-8") as fh:  # type: ignore[arg-type]
            return fh.read()
    except (OSError, TypeError):
        return ""


def _counts(name: str) -> dict[str, int]:
    """``{"w1 ... wk": count}`` from a symspellpy list of lines "words count", read line by
    line (no copy of the whole file in memory); empty when symspellpy is not installed."""
    path = _symspell_file(name)
    out: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8") as fh:  # type: ignore[arg-type]
            for line in fh:
                key, _, n = line.rstrip("\n").rpartition(" ")
                if key and n.isdigit():
                    out[key] = int(n)
    except (OSError, TypeError):
        return {}
    return out


@functools.lru_cache(maxsize=1)
def frequencies() -> dict[str, int]:
    """word -> corpus count, from symspellpy's bundled list (empty when it is not installed)."""
    return _counts(WORDS_FILE)


@functools.lru_cache(maxsize=1)
def pair_counts() -> dict[str, int]:
    """"first second" -> corpus count, from symspellpy's bigram list (242,342 pairs, each at
    least 6.4M; empty when it is not installed)."""
    return _counts(PAIRS_FILE)


class _PairList:
    """Membership in symspellpy's bigram list.

    Reading it into :func:`pair_counts` costs about 0.1 s, more than a hook's whole check of a
    small file, which asks a handful of pairs: the first ``SCAN_LIMIT`` questions are
    answered by searching the file's text (about 2 ms each), later ones by the table (batch
    work, where the garble score reads it anyway)."""

    SCAN_LIMIT = 32

    def __init__(self) -> None:
        self._text: str | None = None
        self._table: dict[str, int] | None = None
        self._asked = 0

    def __contains__(self, pair: str) -> bool:
        if self._table is not None:
            return pair in self._table
        self._asked += 1
        if self._asked > self.SCAN_LIMIT:
            self._table, self._text = pair_counts(), None
            return pair in self._table
        if self._text is None:
            self._text = "\n" + _symspell_text(PAIRS_FILE)
        return f"\n{pair} " in self._text


@functools.lru_cache(maxsize=1)
def bigrams() -> _PairList:
    return _PairList()


def is_common_pair(first: str, second: str) -> bool:
    """Whether "first second" is a common two-word sequence ("the same", "kick in")."""
    return f"{fold(first)} {fold(second)}" in bigrams()


def available() -> bool:
    return bool(frequencies())


def count(word: str) -> int:
    return frequencies().get(word, 0)


def edits1(word: str) -> set[str]:
    """Every string one edit (Damerau) away from ``word`` over a-z."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


# British/Commonwealth -> American spelling patterns, applied to a lower-case word
_REGIONAL = [
    (re.compile(r"(?<=[a-z]{2})our(?=(s|ed|ing|ite|ites|able|ably|hood|hoods|ful|less|er|ers|ism)?$)"), "or"),
    (re.compile(r"(?<=[a-z]{2})our(?=(ab|it|ing|ed|hood))"), "or"),
    (re.compile(r"(?<=[a-z])tre(s|d)?$"), r"ter\1"),
    (re.compile(r"(?<=[a-z]{2})is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z])ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=[aeiou])ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=[a-z])ence(s)?$"), r"ense\1"),
    (re.compile(r"wards$"), "ward"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),
    (re.compile(r"(?<=[a-z])oe(?=[a-z])"), "e"),
    (re.compile(r"^sceptic"), "skeptic"),
    (re.compile(r"^grey"), "gray"),
    (re.compile(r"^whisky"), "whiskey"),
    (re.compile(r"^mould"), "mold"),
    (re.compile(r"^tyre"), "tire"),
    (re.compile(r"^ageing"), "aging"),
    (re.compile(r"^programme"), "program"),
    (re.compile(r"^plough"), "plow"),
    (re.compile(r"^aluminium"), "aluminum"),
]


def american_form(word: str) -> str:
    out = word.casefold()
    for pattern, repl in _REGIONAL:
        out = pattern.sub(repl, out)
    return out


def _variant(a: str, b: str) -> bool:
    return american_form(a) == american_form(b)


def strongest_neighbour(word: str) -> tuple[str, int]:
    """The most common listed word one edit away (other dialects' spellings excluded)."""
    freq = frequencies()
    best, best_count = "", 0
    for e in edits1(word):
        c = freq.get(e, 0)
        if c > best_count and not _variant(e, word):
            best, best_count = e, c
    return best, best_count


def fold(word: str) -> str:
    """Lower case, straight apostrophes, accents removed ("Décor" -> "decor")."""
    w = unicodedata.normalize("NFKD", word.translate(_APOSTROPHES).casefold())
    return "".join(c for c in w if not unicodedata.combining(c))


def _forms(word: str) -> Iterable[str]:
    w = word.translate(_APOSTROPHES).casefold()
    yield w
    bare = _POSSESSIVE.sub("", w)
    if bare != w:
        yield bare
    folded = fold(bare)
    if folded != bare:
        yield folded


def stem_candidates(word: str, suffixes: Iterable[tuple[str, Sequence[str]]]) -> Iterator[list[str]]:
    """For each ``(suffix, rebuilds)`` that ``word`` ends with (leaving at least 3 letters), the
    stems it may be a regular derivation of: base + each rebuild, "i" -> "y", a doubled final
    consonant undone ("planned" -> "plan")."""
    for suffix, rebuilds in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            candidates = [base + r for r in rebuilds]
            if base.endswith("i"):
                candidates.append(base[:-1] + "y")
            if len(base) >= 2 and base[-1] == base[-2]:
                candidates.append(base[:-1])
            yield candidates


def derivation_stem(word: str) -> str | None:
    """A common listed word that ``word`` is a regular derivation of, if any."""
    freq = frequencies()
    for candidates in stem_candidates(word, _SUFFIXES):
        for stem in candidates:
            if freq.get(stem, 0) >= STEM_MIN:
                return stem
    for prefix in _PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4:
            rest = rest.lstrip("-")
            if freq.get(rest, 0) >= STEM_MIN:
                return rest
            if freq.get(rest, 0) == 0 and derivation_stem(rest):
                return rest
    return None


def is_known_word(word: str) -> bool:
    """Whether ``word`` is a real English word that a spelling flag should not call wrong."""
    freq = frequencies()
    if not freq or not word or not all(c.isalpha() or c in "'’-" for c in word):
        return False
    for form in _forms(word):
        if "-" in form:
            parts = [p for p in form.split("-") if p]
            if parts and all(is_known_word(p) for p in parts):
                return True
            continue
        c = freq.get(form, 0)
        if c:
            _, nc = strongest_neighbour(form)
            if nc <= NEIGHBOUR_RATIO * c:
                return True
            continue
        if len(form) >= 6 and derivation_stem(form):
            _, nc = strongest_neighbour(form)
            if nc < DERIVED_NEIGHBOUR_MIN:
                return True
    return False


# --- what a misspelling looks like ------------------------------------------------------

TYPO_NEIGHBOUR_MIN = 1_000_000
_INITIALS = re.compile(rf"^(?:{LETTER}\.){{1,4}}{LETTER}?\.?$")

# Foreign phrases of English prose whose words no English dictionary lists on their own.
FOREIGN_PHRASES: tuple[str, ...] = (
    "de facto", "de jure", "prima facie", "bona fide", "bona fides", "per capita", "per se",
    "carte blanche", "en masse", "en route", "coup d'etat", "coup d'état", "coups d'etat",
    "pince-nez", "nouveaux riches", "nouveau riche", "c'est", "et al", "et cetera", "vice versa",
    "ad hoc", "ad infinitum", "ad nauseam", "status quo", "modus vivendi", "modus operandi",
    "mea culpa", "sine qua non", "raison d'etre", "raison d'être", "fait accompli", "faux pas",
    "in toto", "in situ", "in vitro", "in vivo", "ipso facto", "persona non grata", "quid pro quo",
    "tete-a-tete", "tête-à-tête", "laissez-faire", "joie de vivre", "je ne sais quoi",
    "savoir faire", "savoir-faire", "noblesse oblige", "cul-de-sac", "hoi polloi", "alma mater",
    "vis-a-vis", "vis-à-vis", "pro rata", "pro forma", "sui generis", "terra incognita",
)


@functools.cache
def _phrase_re() -> re.Pattern[str]:
    """Compiled on first use: most texts never ask (a hook's start-up)."""
    return re.compile(
        rf"(?<!{LETTER})(?:" + "|".join(
            r"[ \u00a0-]+".join(re.escape(w).replace("'", "['’]") for w in re.split(r"[ -]", p))
            for p in sorted(FOREIGN_PHRASES, key=len, reverse=True)
        ) + rf")(?!{LETTER})",
        re.IGNORECASE,
    )


def is_initials(word: str) -> bool:
    """A single letter or initials and dotted abbreviations ("J.", "A.D.", "W.E.")."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) == 1 or bool(_INITIALS.match(word))


def in_foreign_phrase(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a foreign phrase such as "de facto"."""
    lo = max(0, start - 30)
    for m in _phrase_re().finditer(text, lo, min(len(text), end + 30)):
        if m.start() <= start and end <= m.end():
            return True
    return False


def is_typo_shaped(word: str) -> bool:
    """Whether a common word is one edit away, as it is for nearly every real typo.

    ("recieve"/"receive", "goverment"/"government", "teh"/"the"). A word no common
    word is near is a rare word, a name or a foreign word, not a slip of the keys.
    Without the word list every word counts as typo-shaped.
    """
    if not available():
        return True
    w = fold(_POSSESSIVE.sub("", word.translate(_APOSTROPHES).casefold()))
    if not w.isascii() or not w.replace("'", "").replace("-", "").isalpha():
        return True
    _, c = strongest_neighbour(w)
    return c >= TYPO_NEIGHBOUR_MIN


def is_dropped_g(word: str, text: str | None, end: int) -> bool:
    """Eye dialect: "goin’", "havin'" (the apostrophe marks the dropped g of a known word)."""
    return (text is not None and text[end:end + 1] in ("'", "’") and word.lower().endswith("in")
            and count(fold(word) + "g") > 0)


_INNER_CAPITAL = re.compile(rf"^{LETTER}+$")


def is_acronym_or_brand(word: str) -> bool:
    """All capitals ("DEQ", "VDOT") or a capital inside a word ("eSpeed", "microSD", "iTaukei")."""
    bare = _POSSESSIVE.sub("", word.translate(_APOSTROPHES))
    if not _INNER_CAPITAL.match(bare) or len(bare) < 2:
        return False
    if bare.isupper():
        return len(bare) <= 6
    return any(c.isupper() for c in bare[1:]) and any(c.islower() for c in bare)


def _in_capitals(text: str | None, start: int, end: int) -> bool:
    """Whether the words around text[start:end] are in capitals too (a heading, a shouted line)."""
    if text is None:
        return False
    around = text[max(0, start - 40):start] + text[end:end + 40]
    upper = sum(c.isupper() for c in around)
    lower = sum(c.islower() for c in around)
    return upper > lower


def not_a_misspelling(word: str, text: str | None = None, start: int = 0, end: int = 0) -> str | None:
    """Why a word a spell checker flagged is not a misspelling, or None when it may be one."""
    if is_initials(word):
        return "initials"
    if is_acronym_or_brand(word) and not (word.isupper() and _in_capitals(text, start, end)):
        return "acronym or brand"
    if text is not None and in_foreign_phrase(text, start, end):
        return "foreign phrase"
    if is_dropped_g(word, text, end):
        return "dropped g"
    if is_known_word(word):
        return "known word"
    if not is_typo_shaped(word):
        return "no common word is one edit away"
    return None
