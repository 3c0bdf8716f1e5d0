"""The garble score: 0 (clean) to 100 (unreadable) for each sentence, paragraph and document.

A sentence's score is a linear model over cheap features, fitted on the MLQE-PE train
split (all five language pairs together, so one model for any text) to rank sentences by
HTER, the share of words a human post-editor changed (the target is the sentence's HTER
quantile within its language pair, so the model learns what makes one sentence worse than
another rather than which language it came from). The score is linear in the
prediction: 0 where a quarter of the 35,000 training translations lie (raw MT that looks
this clean or cleaner), 100 at the worst half percent of them; clipped to 0..100. Every
feature is oriented so that larger is more suspicious and every weight is >= 0, so plain
style (short words, simple sentences) never raises a score. Features (see
:func:`sentence_features`):

* **findings** of every check (rule packs, Harper, ftfy, readability), counted by rule id,
  every dotted prefix of it, source and severity, so a new rule gets the fitted weight of
  its family until a refit gives it its own;
* **fluency** from word and word-pair frequencies (the English unigram and bigram lists
  shipped in the ``symspellpy`` wheel): unknown-word rates, rarity, unseen word pairs,
  function-word balance;
* **repetition** (repeated words and n-grams, loops), **fragments** (no final
  punctuation, lower-case start, very short), **wrong script** (share of non-Latin
  letters), **unbalanced quotes and brackets**, and **readability** (words per sentence,
  estimated syllables per word).

Numeric features enter as piecewise-linear functions (hinges at training quantiles); the
fitted weights are plain JSON in ``repair/data/score_model.json`` written by
``benchmarks/fit_score.py``; evaluating the model needs nothing but Python.

Paragraph and document scores are length-weighted quadratic means of their sentences'
scores (a few bad sentences pull a paragraph up more than a plain mean would).
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from . import readability as rd
from .model import Finding, Span

DATA = os.path.join(os.path.dirname(__file__), "data")
MODEL_PATH = os.path.join(DATA, "score_model.json")

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_OPEN_CLOSE = (("(", ")"), ("[", "]"), ("“", "”"), ("‘", "’"), ("«", "»"))


# --- lexicon ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    unigrams: dict[str, int]
    bigrams: dict[str, int]
    total: int
    function_words: frozenset[str]

    def rarity(self, word: str) -> float | None:
        """-log10 of the word's relative frequency (about 1.6 for "the", 11 for the rarest)."""
        count = self.unigrams.get(word)
        return None if count is None else math.log10(self.total / count)

    def logprob(self, prev: str | None, word: str) -> float:
        """log10 P(word | prev) with stupid backoff (factor 0.4) to unigrams; 1e-9 for unknown words."""
        count = self.unigrams.get(word)
        if count is None:
            return -9.0
        if prev is not None:
            pair = self.bigrams.get(f"{prev} {word}")
            prev_count = self.unigrams.get(prev)
            if pair and prev_count:
                return math.log10(min(1.0, pair / prev_count))
            return math.log10(0.4 * count / self.total)
        return math.log10(count / self.total)


def _symspell_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("symspellpy")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the garble score needs the 'symspellpy' package for its English frequency lists "
                           "(pip install symspellpy)")
    return list(spec.submodule_search_locations)[0]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """English word and word-pair frequencies from the symspellpy wheel (82,765 words from
    Google Books n-grams; 242,342 frequent word pairs), read once per process."""
    base = _symspell_dir()
    unigrams: dict[str, int] = {}
    with open(os.path.join(base, "frequency_dictionary_en_82_765.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, _, count = line.rstrip("\n").partition(" ")
            if count:
                unigrams[word] = int(count)
    bigrams: dict[str, int] = {}
    with open(os.path.join(base, "frequency_bigramdictionary_en_243_342.txt"), encoding="utf-8") as fh:
        for line in fh:
            a, b, count = line.split(" ", 2)
            bigrams[f"{a} {b}"] = int(count)
    fw = set()
    with open(os.path.join(DATA, "function_words.txt"), encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                fw.update(line.split())
    return Lexicon(unigrams, bigrams, sum(unigrams.values()), frozenset(fw))


# --- features -----------------------------------------------------------------------------


def finding_keys(f: Finding) -> list[str]:
    """The generic feature names a finding counts towards: its rule id, each dotted prefix,
    its source and its severity."""
    parts = f.rule.split(".")
    keys = [f"rule:{f.rule}"]
    keys += [f"prefix:{'.'.join(parts[:i])}" for i in range(1, len(parts))]
    keys += [f"source:{f.source}", f"severity:{f.severity}"]
    return keys


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() or "LATIN" in unicodedata.name(ch, "")


def sentence_features(text: str, findings: Iterable[Finding] = (), lex: Lexicon | None = None) -> dict[str, float]:
    """Every feature of one sentence (``findings`` are those that overlap it)."""
    lex = lex or lexicon()
    feats: dict[str, float] = {}
    tokens = _TOKEN.findall(text)
    alpha = [t for t in tokens if t.isalpha() or ("'" in t or "’" in t) and not any(ch.isdigit() for ch in t)]
    n = len(alpha)
    feats["log_words"] = math.log1p(n)

    # Every feature is oriented so that larger means more suspicious, and the fit keeps every
    # weight >= 0: the score can only go up for something that looks like garble, never for
    # plain style (short words, simple sentences), whatever the training data correlates.

    # fluency: word and word-pair frequencies
    lower = [t.lower().replace("’", "'") for t in alpha]
    unknown_lower = unknown_cap = rare = 0
    rarities: list[float] = []
    for tok, low in zip(alpha, lower):
        r = lex.rarity(low)
        if r is None and "'" in low:
            r = lex.rarity(low.split("'", 1)[0])
        if r is None:
            if tok[0].isupper():
                unknown_cap += 1
            else:
                unknown_lower += 1
            continue
        rarities.append(r)
        if r > 6.5:
            rare += 1
    feats["unknown_lower_rate"] = unknown_lower / n if n else 0.0
    feats["unknown_cap_rate"] = unknown_cap / n if n else 0.0
    feats["rare_rate"] = rare / n if n else 0.0
    feats["max_rarity"] = max(rarities) if rarities else 0.0
    pairs = [(a, b) for a, b in zip(lower, lower[1:]) if a in lex.unigrams and b in lex.unigrams]
    unseen = sum(1 for a, b in pairs if f"{a} {b}" not in lex.bigrams)
    feats["unseen_bigram_rate"] = unseen / len(pairs) if pairs else 0.0
    # a bigram language model (stupid backoff) over the known words
    lps = []
    prev = None
    for w in lower:
        lps.append(lex.logprob(prev, w))
        prev = w
    known_lps = [lp for lp in lps if lp > -9.0]
    feats["lm_neg_mean"] = -sum(known_lps) / len(known_lps) if known_lps else 0.0
    feats["lm_neg_min"] = -min(known_lps) if known_lps else 0.0
    feats["lm_low_rate"] = sum(1 for lp in known_lps if lp < -5.0) / len(known_lps) if known_lps else 0.0
    # function-word balance: edited English runs at about 45% function words
    fw = sum(1 for w in lower if w in lex.function_words)
    feats["function_word_imbalance"] = abs(fw / n - 0.45) if n >= 4 else 0.0

    # repetition: repeated words, n-grams and loops
    content = [w for w in lower if w not in lex.function_words and len(w) > 2]
    feats["repeated_content"] = float(len(content) - len(set(content)))
    feats["adjacent_repeat"] = float(sum(1 for a, b in zip(lower, lower[1:]) if a == b))
    grams2 = list(zip(lower, lower[1:]))
    grams3 = list(zip(lower, lower[1:], lower[2:]))
    feats["repeated_bigrams"] = float(len(grams2) - len(set(grams2)))
    feats["repeated_trigrams"] = float(len(grams3) - len(set(grams3)))

    # fragments and punctuation
    stripped = text.strip()
    feats["no_final_punct"] = 0.0 if re.search(r"""[.!?…:;。！？]["'”’»)\]]*$""", stripped) else 1.0
    first = next((c for c in stripped if c.isalpha()), "")
    feats["lower_start"] = 1.0 if first and first.islower() else 0.0
    feats["very_short"] = 1.0 if n <= 3 else 0.0

    # wrong script
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not _is_latin_letter(c))
    feats["foreign_letter_rate"] = foreign / len(letters) if letters else 0.0

    # unbalanced quotes and brackets
    unbalanced = sum(abs(text.count(o) - text.count(c)) for o, c in _OPEN_CLOSE[:3])
    unbalanced += text.count('"') % 2
    feats["unbalanced"] = float(unbalanced)

    # readability outliers (cheap estimate; the exact figures are textstat's, in the report)
    c = rd.counts(text, sentences=1)
    spw = c.syllables_estimate / c.words if c.words else 1.5
    feats["syllable_imbalance"] = abs(spw - 1.5) if c.words >= 4 else 0.0
    feats["long_sentence"] = max(0.0, n - 30.0)

    # findings by rule, prefix, source, severity
    counts: dict[str, int] = {}
    for f in findings:
        for key in finding_keys(f):
            counts[key] = counts.get(key, 0) + 1
    for key, value in counts.items():
        feats[key] = math.log1p(value)
        if key.startswith("source:"):
            feats["per_word:" + key] = value / max(1, n)
    return feats


# --- model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """``pred = intercept + sum(w * x + sum(h_k * max(0, x - knot_k)))`` over numeric
    features, plus ``sum(weight[key] * value)`` over finding keys; ``score = 100 * pred``."""

    intercept: float
    numeric: dict[str, dict[str, list[float]]]
    keys: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    calibration: tuple[tuple[float, float], ...] = ()  # (prediction, 0..1), increasing

    def predict(self, feats: dict[str, float]) -> float:
        total = self.intercept
        for name, spec in self.numeric.items():
            x = feats.get(name, 0.0)
            lo, hi = spec.get("clip", (-math.inf, math.inf))
            x = min(max(x, lo), hi)
            total += spec["w"][0] * x
            for knot, h in zip(spec["knots"], spec["w"][1:]):
                if x > knot:
                    total += h * (x - knot)
        for key, w in self.keys.items():
            value = feats.get(key)
            if value:
                total += w * value
        return total

    def calibrate(self, pred: float) -> float:
        """Piecewise-linear, monotone map from the linear prediction to 0..1 (clamped at the ends)."""
        table = self.calibration
        if not table:
            return pred
        if pred <= table[0][0]:
            return table[0][1]
        for (x0, y0), (x1, y1) in zip(table, table[1:]):
            if pred <= x1:
                return y0 + (y1 - y0) * (pred - x0) / (x1 - x0) if x1 > x0 else y1
        return table[-1][1]

    def score(self, feats: dict[str, float]) -> float:
        return min(100.0, max(0.0, 100.0 * self.calibrate(self.predict(feats))))

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "intercept": self.intercept, "numeric": self.numeric, "keys": self.keys,
                "calibration": [list(p) for p in self.calibration], "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Model":
        if data.get("version") != 1:
            raise ValueError(f"unknown score model version {data.get('version')!r}")
        return cls(float(data["intercept"]), data["numeric"], data["keys"], data.get("meta", {}),
                   tuple((float(x), float(y)) for x, y in data.get("calibration", ())))


@functools.lru_cache(maxsize=4)
def load_model(path: str = MODEL_PATH) -> Model:
    with open(path, encoding="utf-8") as fh:
        return Model.from_json(json.load(fh))


# --- scoring texts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    span: Span
    score: float
    words: int


@dataclass(frozen=True)
class Scores:
    """Scores of one text: the document, its paragraphs and its sentences (spans into the text)."""

    document: float
    paragraphs: tuple[Scored, ...]
    sentences: tuple[Scored, ...]


def aggregate(items: Sequence[Scored]) -> float:
    """Length-weighted quadratic mean: a few bad sentences pull the whole up."""
    weight = sum(max(1, s.words) for s in items)
    if not weight:
        return 0.0
    return math.sqrt(sum(max(1, s.words) * s.score ** 2 for s in items) / weight)


def _overlapping(span: Span, findings: Sequence[Finding]) -> list[Finding]:
    out = []
    for f in findings:
        if f.span.start < span.end and span.start < f.span.end:
            out.append(f)
        elif f.span.start == f.span.end and span.start <= f.span.start < span.end:
            out.append(f)
    return out


def score_text(text: str, findings: Sequence[Finding] = (), model: Model | None = None,
               units: Sequence[Span] | None = None) -> Scores:
    """Score ``text`` given its ``findings`` (spans into ``text``, e.g. ``repair.analyse(text).findings``).

    ``units`` are the paragraphs (default :func:`repair.readability.paragraph_spans`).
    """
    model = model or load_model()
    lex = lexicon()
    if units is None:
        units = rd.paragraph_spans(text)
    sentences: list[Scored] = []
    paragraphs: list[Scored] = []
    for unit in units:
        inner: list[Scored] = []
        chunk = text[unit.start:unit.end]
        for s in rd.sentence_spans(chunk):
            span = s.shift(unit.start)
            sentence = text[span.start:span.end]
            feats = sentence_features(sentence, _overlapping(span, findings), lex)
            n = round(math.expm1(feats["log_words"]))
            inner.append(Scored(span, model.score(feats), n))
        if not inner:
            continue
        sentences.extend(inner)
        paragraphs.append(Scored(unit, aggregate(inner), sum(s.words for s in inner)))
    return Scores(aggregate(sentences), tuple(paragraphs), tuple(sentences))


def score(text: str, options=None, **overrides) -> Scores:
    """Analyse ``text`` (same options as :func:`repair.analyse`) and score it."""
    from .api import analyse

    result = analyse(text, options, **overrides)
    return score_text(text, result.findings + tuple(_readability_findings(text)))


def _readability_findings(text: str) -> list[Finding]:
    from .checks.readability import sentence_outliers

    return sentence_outliers(text)


def findings_for_score(text: str, result=None) -> tuple[Finding, ...]:
    """``result``'s findings, plus the readability check's when the pipeline did not run it."""
    findings = tuple(result.findings) if result is not None else ()
    if not any(f.source == "readability" for f in findings):
        findings += tuple(_readability_findings(text))
    return findings


def metrics_for(text: str, result=None, per_sentence: bool = False, findings: Sequence[Finding] | None = None
                ) -> dict[str, Any]:
    """The figures ``score --format json`` and ``check --metrics`` put under a file's ``metrics``:
    ``garble_score`` (document), ``readability`` (textstat's document figures) and
    ``paragraphs`` (each paragraph's span, score, words and first words).

    ``result`` is the :class:`repair.pipeline.Result` of ``text`` (its findings feed the
    score); readability findings are added when ``result`` has none of its own.
    """
    if findings is None:
        findings = findings_for_score(text, result)
    units = rd.paragraph_spans(text)
    scores = score_text(text, findings, units=units)
    read = rd.metrics(text, units=[p.span for p in scores.paragraphs], per_sentence=False)
    paragraphs = []
    for p, r in zip(scores.paragraphs, read["paragraphs"]):
        paragraphs.append({"start": p.span.start, "end": p.span.end, "garble_score": round(p.score, 1),
                           "words": p.words, "flesch": r["flesch"], "grade": r["grade"],
                           "first_words": first_words(text[p.span.start:p.span.end])})
    out: dict[str, Any] = {"garble_score": round(scores.document, 1), "readability": read["document"],
                           "paragraphs": paragraphs}
    if per_sentence:
        out["sentences"] = [{"start": s.span.start, "end": s.span.end, "garble_score": round(s.score, 1),
                             "words": s.words} for s in scores.sentences]
    return out


def first_words(text: str, limit: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:limit]) + (" …" if len(parts) > limit else "")
