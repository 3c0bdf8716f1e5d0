"""Part-of-speech tags and lemmas for English tokens: the linguistic layer.

The model is an averaged perceptron (the features and decision rule of NLTK's
``PerceptronTagger``) trained by ``training/tagger/train.py`` on the UD English Web Treebank
and shipped as ``repair/data/tagger.sqlite`` (CC BY-SA 4.0, see ``repair/data/README.md``).
Reading it needs only the standard library: nothing is imported from NLTK at run time and
nothing is downloaded. Weights are fetched from SQLite per sentence, so loading costs a few
milliseconds and happens on first use (:func:`model`), never at import.

- :func:`tag` tags a list of words: ``Tag(xpos, upos, lemma)`` per word (Penn Treebank XPOS,
  Universal UPOS, lemma from the treebank's majority lemma per form and tag).
- :func:`tokens` splits a text into sentences and tokens (spans of the text) and tags them.

The tokenizer is one seam, :func:`token_spans` (a sentence span in, token spans out), and
:func:`sentence_spans` another, so both can move onto the text layer (:mod:`repair.text`) later.
"""
from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Sequence

from .model import Span

MODEL_FILE = Path(__file__).parent / "data" / "tagger.sqlite"
LEXICON_FILE = Path(__file__).parent / "data" / "tagger-lexicon.txt"


class Tag(NamedTuple):
    xpos: str   # Penn Treebank tag: NN, NNS, VBZ, MD, ...
    upos: str   # Universal POS: NOUN, VERB, AUX, ...
    lemma: str


@dataclass(frozen=True)
class Token:
    """One token: its span in the text, its text, and its tags."""

    span: Span
    text: str
    xpos: str
    upos: str
    lemma: str
    sentence: int  # index of its sentence in the text


# ---------------------------------------------------------------------------------- tokenizer
# Words as the treebank splits them: "don't" -> "do" "n't", "it's" -> "it" "'s", "can't" ->
# "ca" "n't"; numbers keep their separators ("1,000", "3.5"); hyphenated words and
# abbreviations with inner dots stay whole ("long-term", "U.S"); any other character that is
# not a word character or space is a token of its own.
_APOS = "'’"
_TOKEN_SOURCE = (
    rf"[^\W\d_]+(?=n[{_APOS}]t\b)|n[{_APOS}]t\b"
    rf"|[{_APOS}](?:s|re|ve|ll|d|m)\b"
    rf"|\d+(?:[.,:/]\d+)*"
    rf"|\w+(?:[-.]\w+|[{_APOS}](?!(?:s|re|ve|ll|d|m|t)\b)\w+)*"
    r"|[^\w\s]")
# A sentence ends at . ! ? (and closing quotes or brackets after it) followed by white space
# and a capital letter, digit or opening quote, or at a line break.
_SENTENCE_END_SOURCE = r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n"


@functools.lru_cache(maxsize=None)
def _regexes() -> tuple[re.Pattern, re.Pattern]:
    """Compiled on first use: compiling costs more than a run that never needs them."""
    return re.compile(_TOKEN_SOURCE, re.I), re.compile(_SENTENCE_END_SOURCE)
# abbreviations that do not end a sentence before a capital
_ABBREV = frozenset("mr mrs ms dr prof st jr sr vs no gen col lt sgt gov sen rep rev fig e.g i.e".split())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of ``text[start:end]`` as spans (leading and trailing space excluded)."""
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    for m in _regexes()[1].finditer(text, start, end):
        if m.group() != "\n":
            word = text[text.rfind(" ", pos, m.start()) + 1:m.start()].lower().lstrip("(\"'“")
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue  # "Dr. Smith", "J. Smith"
        _add(out, text, pos, m.end())
        pos = m.end()
    _add(out, text, pos, end)
    return out


def _add(out: list, text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        out.append(Span(a, b))


def token_spans(text: str, sentence: Span) -> list[Span]:
    """The tokens of one sentence of ``text``, as spans of ``text`` (the tokenizer seam)."""
    return [Span(a, b) for a, b in token_offsets(text, sentence)]


def token_offsets(text: str, sentence: Span) -> list[tuple[int, int]]:
    """:func:`token_spans` as (start, end) pairs (cheaper)."""
    return [m.span() for m in _regexes()[0].finditer(text, sentence.start, sentence.end)]


# ---------------------------------------------------------------------------------- the model
_PREV_TAG_WORD = "i-1 tag+i word "
_VERB_TAGS = ("VBD", "VBN", "VBZ", "VBG", "VBP", "VB")
_START = ("-START-", "-START2-")
_END = ("-END-", "-END2-")


class Tagger:
    """The averaged perceptron read from its SQLite file (weights fetched per sentence)."""

    def __init__(self, path: str | Path = MODEL_FILE) -> None:
        import json
        import sqlite3  # here, not at import: most runs never tag

        self.path = Path(path)
        uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        meta = json.loads(self._db.execute("SELECT v FROM meta WHERE k='model'").fetchone()[0])
        self.classes: list[str] = meta["classes"]
        self.tagdict: dict[str, str] = meta["tagdict"]
        self._order = sorted(range(len(self.classes)), key=lambda c: self.classes[c])
        # tag-only features (a few thousand rows) are read now; word features per sentence
        self._weights: dict[str, list[int] | None] = {
            f: [int(x) for x in v.split(",")] for f, v in self._db.execute("SELECT f, v FROM t")}
        self._grouped: dict[str, str] = {}

    @staticmethod
    def _normalize(word: str) -> str:
        if "-" in word and word[0] != "-":
            return "!HYPHEN"
        if word.isdigit() and len(word) == 4:
            return "!YEAR"
        if word and word[0].isdigit():
            return "!DIGITS"
        return word.lower()

    def _prefetch(self, feats: set[str]) -> None:
        want = [f for f in feats if f not in self._weights and f not in self._grouped]
        for k in range(0, len(want), 500):
            chunk = want[k:k + 500]
            rows = self._db.execute(
                "SELECT f, v FROM w WHERE f IN (%s)" % ",".join("?" * len(chunk)), chunk).fetchall()
            for f, v in rows:
                if f.startswith(_PREV_TAG_WORD):
                    self._grouped[f] = v  # "\nT=c,w,...\nU=c,w,...\n", parsed on use
                else:
                    self._weights[f] = [int(x) for x in v.split(",")]
            for f in chunk:
                if f.startswith(_PREV_TAG_WORD):
                    self._grouped.setdefault(f, "")
                else:
                    self._weights.setdefault(f, None)

    def _weight(self, f: str) -> list[int] | None:
        return self._weights.get(f)

    def _prev_tag_word(self, tag: str, word: str) -> list[int] | None:
        raw = self._grouped.get(_PREV_TAG_WORD + "* " + word, "")
        k = raw.find("\n" + tag + "=")
        if k < 0:
            return None
        k += len(tag) + 2
        return [int(x) for x in raw[k:raw.index("\n", k)].split(",")]

    def joint(self, words: Sequence[str]) -> list[str]:
        """The joint ``XPOS|UPOS`` label of each word (NLTK's perceptron decision, exactly)."""
        ctx = list(_START) + [self._normalize(w) for w in words] + list(_END)
        with self._lock:
            want: set[str] = set()
            for i, word in enumerate(words):
                if word in self.tagdict:
                    continue
                j = i + 2
                want.update(("i suffix " + word[-3:], "i pref1 " + (word[0] if word else ""),
                             "i word " + ctx[j], "i-1 word " + ctx[j - 1],
                             "i-1 suffix " + ctx[j - 1][-3:], "i-2 word " + ctx[j - 2],
                             "i+1 word " + ctx[j + 1], "i+1 suffix " + ctx[j + 1][-3:],
                             "i+2 word " + ctx[j + 2], _PREV_TAG_WORD + "* " + ctx[j]))
            self._prefetch(want)
            prev, prev2 = _START
            out = []
            ncls = len(self.classes)
            weight = self._weight
            for i, word in enumerate(words):
                tag = self.tagdict.get(word)
                if tag is None:
                    j = i + 2
                    rows = [weight(f) for f in (
                        "bias", "i suffix " + word[-3:], "i pref1 " + (word[0] if word else ""),
                        "i-1 tag " + prev, "i-2 tag " + prev2, "i tag+i-2 tag " + prev + " " + prev2,
                        "i word " + ctx[j])]
                    rows.append(self._prev_tag_word(prev, ctx[j]))
                    rows += [weight(f) for f in (
                        "i-1 word " + ctx[j - 1], "i-1 suffix " + ctx[j - 1][-3:],
                        "i-2 word " + ctx[j - 2], "i+1 word " + ctx[j + 1],
                        "i+1 suffix " + ctx[j + 1][-3:], "i+2 word " + ctx[j + 2])]
                    scores = [0] * ncls
                    for row in rows:
                        if row:
                            for k in range(0, len(row), 2):
                                scores[row[k]] += row[k + 1]
                    # NLTK breaks ties by the label (max over (score, label))
                    top = max(scores)
                    if scores.count(top) == 1:
                        tag = self.classes[scores.index(top)]
                    else:
                        tag = max(self.classes[c] for c in range(ncls) if scores[c] == top)
                out.append(tag)
                prev2, prev = prev, tag
        return out

    def lemmas(self, words: Sequence[str], xpos: Sequence[str]) -> list[str]:
        """The lemma of each word given its XPOS (the form itself, lower-cased unless a proper
        noun, where the treebank's majority lemma is that)."""
        keys = {k for w, x in zip(words, xpos) for k in (w + "\t" + x, w.lower() + "\t" + x)}
        # a verb the context tagged with another verb tag ("will made/VB") takes the lemma
        # of its form under the verb tags ("made/VBD" -> "make")
        keys.update(w.lower() + "\t" + v for w, x in zip(words, xpos) if x.startswith("VB")
                    for v in _VERB_TAGS)
        found: dict[str, str] = {}
        keys_l = list(keys)
        with self._lock:
            for k in range(0, len(keys_l), 500):
                chunk = keys_l[k:k + 500]
                found.update(self._db.execute(
                    "SELECT k, v FROM lemma WHERE k IN (%s)" % ",".join("?" * len(chunk)), chunk))
        out = []
        for w, x in zip(words, xpos):
            got = found.get(w + "\t" + x) or found.get(w.lower() + "\t" + x)
            if not got and x.startswith("VB"):
                got = next((found[k] for k in (w.lower() + "\t" + v for v in _VERB_TAGS) if k in found), None)
            out.append(got or (w if x.startswith("NNP") else w.lower()))
        return out

    def tag(self, words: Sequence[str]) -> list[Tag]:
        joint = self.joint(words)
        xpos, upos = [], []
        for label in joint:
            x, _, u = label.partition("|")
            xpos.append(x)
            upos.append(u)
        return [Tag(x, u, lemma) for x, u, lemma in zip(xpos, upos, self.lemmas(words, xpos))]


# Loads of the shipped model in this process (tests count them: the model loads only when a
# rule needs tags, and once).
LOADS = 0
_load_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _shipped() -> Tagger:
    global LOADS
    LOADS += 1
    return Tagger(MODEL_FILE)


def model() -> Tagger:
    """The shipped model, loaded on first use."""
    with _load_lock:
        return _shipped()


def loaded() -> bool:
    return _shipped.cache_info().currsize > 0


def _model_word(word: str) -> str:
    # the treebank writes straight apostrophes
    return word.replace("’", "'") if "’" in word else word


def tag(words: Sequence[str]) -> list[Tag]:
    """Tag one sentence given as a list of words: ``Tag(xpos, upos, lemma)`` per word."""
    if not words:
        return []
    return model().tag([_model_word(w) for w in words])


@functools.lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    with open(LEXICON_FILE, encoding="utf-8") as fh:
        return frozenset(line.rstrip("\n") for line in fh if not line.startswith("#"))


def known(word: str, upos: str) -> bool:
    """Is ``word`` (lower-cased) a lemma the treebank has under ``upos`` (VERB, NOUN, ADJ,
    ADV)? "see" is a verb, "seen" and "seldom" are not. Reads ``tagger-lexicon.txt`` (a text
    file): neither the tagger nor sqlite3 is loaded for it."""
    return f"{upos}\t{_model_word(word).lower()}" in _lexicon()


def tag_sentence(text: str, sentence: Span, index: int = 0) -> list[Token]:
    """Tokens of one sentence of ``text``, tagged."""
    spans = token_spans(text, sentence)
    words = [text[s.start:s.end] for s in spans]
    return [Token(s, w, t.xpos, t.upos, t.lemma, index) for s, w, t in zip(spans, words, tag(words))]


@functools.lru_cache(maxsize=32)
def tokens(text: str) -> tuple[Token, ...]:
    """Every token of ``text``, sentence by sentence, tagged (cached for the last few texts,
    so the rules that look at one paragraph tag it once)."""
    out: list[Token] = []
    for i, sent in enumerate(sentence_spans(text)):
        out.extend(tag_sentence(text, sent, i))
    return tuple(out)


@functools.lru_cache(maxsize=256)
def tag_words(words: tuple[str, ...]) -> tuple[Tag, ...]:
    """:func:`tag`, cached for the last few hundred sentences (the rules that look at one
    sentence tag it once)."""
    return tuple(tag(words))
