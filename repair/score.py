"""The garble score: 0 (clean) to 100 (unreadable) for each sentence, paragraph and document.

A sentence's score is an additive model over cheap features, fitted on the MLQE-PE train
split (all five language pairs together, so one model for any text) to rank sentences by
HTER, the share of words a human post-editor changed (the target is the sentence's HTER
quantile within its language pair, so the model learns what makes one sentence worse than
another rather than which language it came from). A share of the post-edits joins the fit as
edited English with the target of an untouched translation, so that the model also sees
what clean English looks like. Features (see :func:`sentence_features`):

* **edit rates**: how often post-editors changed each English word, and each word pair,
  when machine translation produced it (``repair/data/edit_rates.tsv``, counted on the
  MLQE-PE train split by ``benchmarks/fit_score.py``; residual to each language pair's own
  rate, smoothed towards the overall rate; only words of the English frequency list and
  token classes such as ``<unkcap>`` or ``<num>``, never a name or a sentence). A sentence
  made of words editors keep scores low, one full of MT-ese or of word pairs they rewrite
  scores high. This is the strongest single signal.
* **fluency** from word and word-pair frequencies (the English unigram and bigram lists
  shipped in the ``symspellpy`` wheel): unknown-word rates, rarity, word pairs that should
  be frequent but are absent, a backoff bigram language model, function-word balance;
* **repetition** (repeated words and n-grams, loops), **fragments** (no final
  punctuation, lower-case start, very short), **wrong script** (share of non-Latin
  letters), **unbalanced quotes and brackets**, odd punctuation, digits;
* **article shapes** (:func:`article_features`): the share of "the", genitive chains and
  short sentences without a name, the marks of translation from languages without articles
  (added for ru-en, whose worst rows are word-by-word renderings of proverbs);
* **findings** of the rule packs, counted by rule id and dotted prefix. The rule packs
  rarely fire on MLQE-PE, so rules without enough support there keep a prior weight stated
  in the model (``meta.key_priors``); boilerplate, grammar-checker (Harper, LanguageTool)
  and readability findings never count: the score is the same whatever ``--grammar`` is,
  and scraped captions are not language garble.

Every numeric feature enters through a monotone non-decreasing piecewise-linear function
(knots at training quantiles, non-negative steps), oriented so that larger is more
suspicious: plain style (short common words, simple sentences) never raises a score. The
fitted functions are plain JSON in ``repair/data/score_model.json`` (written by
``benchmarks/fit_score.py``); evaluating the model needs nothing but Python.

The scale is linear in the model's prediction: 0 where a quarter of the 35,000 training
translations lie (raw MT that looks this clean or cleaner), 100 at the worst half percent
of them; clipped to 0..100.

Paragraph and document scores weight the worst sentences: the mean of a length-weighted
cubic mean and the mean of the worst fifth of the sentences (see :func:`aggregate`), plus
the **findings term** (see :func:`finding_points`): every finding of the rule packs and the
encoding check in the paragraph or document, boilerplate and duplicates included, adds
points by severity per 100 words. The sentence model alone tells clean English from machine
translation only weakly (it ranks translations by post-editing effort, and reads vocabulary
that MT often gets wrong, digits and dialogue punctuation as risk: clean 300-word documents
average 30, MLQE-PE dev MT documents 36); the findings are what separates garbled text from
clean text, so they weigh at document level whatever the sentences say.
"""
from __future__ import annotations

import bisect
import functools
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from . import readability as rd
from .checks.registry import UNSCORED_SOURCES
from .model import Finding, Span
# words, and words and single punctuation marks (as the edit-rate table was counted)
from .text import TOKEN_OR_MARK_RE as _RATE_TOKEN
from .text import TOKEN_RE as _TOKEN

DATA = os.path.join(os.path.dirname(__file__), "data")
MODEL_PATH = os.path.join(DATA, "score_model.json")
RATES_PATH = os.path.join(DATA, "edit_rates.tsv")

_RATE_PUNCT = frozenset(".,;:!?()\"'-/")
# typographic marks count as their plain forms: an editor's curly quotes and dashes are not garble
_PLAIN_PUNCT = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                              "‚": "'", "—": "-", "–": "-", "―": "-", "‒": "-", "…": "."})
_FINAL_PUNCT = re.compile(r"""[.!?…:;。！？]["'”’»)\]]*$""")
_ODD_PUNCT = re.compile(r"\s[,.;:!?)]|[(\[]\s|[,;:]{2,}|\.\.(?!\.)|[,;]\s*[.!?]|\s'\s|\s-\s-")
_OPEN_CLOSE = (("(", ")"), ("[", "]"), ("“", "”"))
_ARTICLES = frozenset(("a", "an", "the"))
_AUXILIARIES = frozenset("be am is are was were been being have has had do does did will would shall should "
                         "can could may might must".split())
# findings that never count towards the score (see the module docstring)
IGNORED_SOURCES = UNSCORED_SOURCES  # grammar back ends and readability (repair.checks.registry)
IGNORED_PREFIXES = ("boilerplate.",)
# the findings term of paragraph and document scores (a prior, validated by
# benchmarks/eval_score_threshold.py): points per finding per 100 words, by severity; texts
# shorter than FINDING_MIN_WORDS count as that long; the term saturates towards FINDING_MAX_POINTS.
# Clean prose has about 0.01 findings per 100 words, the seeds 1.4 (scraped page) and 2.3 (MT).
FINDING_POINTS = {"error": 30.0, "warning": 15.0, "info": 3.0}
FINDING_MIN_WORDS = 100
FINDING_MAX_POINTS = 50.0


# --- lexicon ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    unigrams: dict[str, int]
    bigrams: dict[str, int]
    total: int
    function_words: frozenset[str]
    bigram_total: int = 1
    bigram_floor: int = 1  # the smallest count in the bigram list: unlisted pairs are rarer

    def rarity(self, word: str) -> float | None:
        """-log10 of the word's relative frequency (about 1.4 for "the", 10.6 for the rarest)."""
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

    def pair_surprise(self, a: str, b: str, rarity_a: float, rarity_b: float) -> float:
        """-PMI (log10) of the adjacent pair ``a b``; an unlisted pair gets the list's floor
        count as an upper bound, so a pair of frequent words that is absent is surprising."""
        count = self.bigrams.get(f"{a} {b}") or self.bigram_floor
        return -(math.log10(count / self.bigram_total) + rarity_a + rarity_b)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """English word and word-pair frequencies from the symspellpy wheel (82,765 words from
    Google Books n-grams; 242,342 frequent word pairs), read once per process and shared
    with :mod:`repair.lexicon`."""
    from . import lexicon as english

    unigrams, bigrams = english.frequencies(), english.pair_counts()
    if not unigrams or not bigrams:
        raise RuntimeError("the garble score needs the 'symspellpy' package for its English frequency lists "
                           "(pip install symspellpy)")
    fw = set()
    with open(os.path.join(DATA, "function_words.txt"), encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                fw.update(line.split())
    return Lexicon(unigrams, bigrams, sum(unigrams.values()), frozenset(fw),
                   sum(bigrams.values()), min(bigrams.values()))


# --- edit rates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EditRates:
    """How often post-editors changed a token (``unigrams``) or a token after another
    (``bigrams``, key ``"prev tok"``, ``<s>`` before the first); ``*_default`` for the rest."""

    unigrams: dict[str, float]
    bigrams: dict[str, float]
    unigram_default: float
    bigram_default: float


def rate_key(token: str, lex: Lexicon) -> str:
    """The edit-rate table's key of one token: the lower-cased word when the English list
    has it, else a class (``<num>``, ``<punct>``, ``<nonascii>``, ``<unkcap>``, ``<unklow>``)."""
    if any(c.isdigit() for c in token):
        return "<num>"
    if not token[0].isalnum():
        token = token.translate(_PLAIN_PUNCT)
        return token if token in _RATE_PUNCT else "<punct>"
    word = token.lower().replace("’", "'")
    if word in lex.unigrams:
        return word
    if not token.isascii():
        return "<nonascii>"
    return "<unkcap>" if token[0].isupper() else "<unklow>"


def rate_keys(text: str, lex: Lexicon | None = None) -> list[str]:
    lex = lex or lexicon()
    return [rate_key(t, lex) for t in _RATE_TOKEN.findall(text)]


def edit_rate_features(keys: Sequence[str], rates: EditRates) -> dict[str, float]:
    """Mean, maximum and top-3 mean of the tokens' edit rates, and the mean over words
    only; the same over word pairs (``bp_`` prefix)."""
    out: dict[str, float] = {}
    pairs = [f"{a} {b}" for a, b in zip(["<s>", *keys], keys)]
    for prefix, table, default, items in (("ep_", rates.unigrams, rates.unigram_default, list(keys)),
                                          ("bp_ep_", rates.bigrams, rates.bigram_default, pairs)):
        values = [table.get(k, default) for k in items]
        if not values:
            for name in ("mean", "max", "top3", "word_mean"):
                out[prefix + name] = 0.0
            continue
        ranked = sorted(values, reverse=True)
        words = [v for k, v in zip(keys, values) if not (len(k) == 1 and not k.isalnum())]
        out[prefix + "mean"] = sum(values) / len(values)
        out[prefix + "max"] = ranked[0]
        out[prefix + "top3"] = sum(ranked[:3]) / min(3, len(ranked))
        out[prefix + "word_mean"] = sum(words) / len(words) if words else default
    return out


def read_rates(path: str) -> EditRates:
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    defaults = {"u": 0.0, "b": 0.0}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            kind, key, value = line.rstrip("\n").split("\t")
            if key == "<default>":
                defaults[kind] = float(value)
            else:
                (uni if kind == "u" else bi)[key] = float(value)
    return EditRates(uni, bi, defaults["u"], defaults["b"])


@functools.lru_cache(maxsize=4)
def edit_rates(path: str = RATES_PATH) -> EditRates:
    return read_rates(path)


# --- features -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _repeat_rule():
    """The built-in ``mt.repeated-phrase`` rule: what it allows ("had had", "Walla Walla")
    is not repetition to the score either."""
    from .rulebook import rules_for

    return next((r for r in rules_for() if r.id == "mt.repeated-phrase"), None)


def legitimate_repeat(word: str) -> bool:
    rule = _repeat_rule()
    return rule is not None and rule.allowed(word, f"{word} {word}")


def finding_keys(f: Finding) -> list[str]:
    """The feature names a finding counts towards: its rule id and each dotted prefix
    (none for the sources and families in ``IGNORED_SOURCES`` / ``IGNORED_PREFIXES``)."""
    if f.source in IGNORED_SOURCES or f.rule.startswith(IGNORED_PREFIXES):
        return []
    parts = f.rule.split(".")
    return [f"rule:{f.rule}"] + [f"prefix:{'.'.join(parts[:i])}" for i in range(1, len(parts))]


def counts_in_document(f: Finding) -> bool:
    """Whether a finding weighs in the findings term: rule packs (boilerplate included) and the
    encoding check, never a grammar checker or readability (the score is the same whatever
    ``--grammar`` is)."""
    return f.source not in IGNORED_SOURCES


def finding_points(findings: Iterable[Finding], words: int) -> float:
    """Points the findings add to a paragraph's or document's score: ``FINDING_POINTS`` by
    severity per 100 words (at least ``FINDING_MIN_WORDS``), saturating towards
    ``FINDING_MAX_POINTS`` (``m * (1 - exp(-x / m))``: linear for a few findings)."""
    x = sum(FINDING_POINTS.get(f.severity, 0.0) for f in findings if counts_in_document(f))
    x *= 100.0 / max(words, FINDING_MIN_WORDS)
    return FINDING_MAX_POINTS * (1.0 - math.exp(-x / FINDING_MAX_POINTS)) if x > 0 else 0.0


def _is_latin_letter(ch: str) -> bool:
    return ch.isascii() or "LATIN" in unicodedata.name(ch, "")


def text_features(text: str, lex: Lexicon | None = None) -> dict[str, float]:
    """The features of one sentence that need neither findings nor the edit-rate table."""
    lex = lex or lexicon()
    f: dict[str, float] = {}
    words = [t for t in _TOKEN.findall(text) if not any(c.isdigit() for c in t)]
    n = len(words)
    f["n_words"] = float(n)
    lower = [t.lower().replace("’", "'") for t in words]

    # unknown and rare words
    unknown_lower = unknown_cap = 0
    rarity: list[float | None] = []
    for tok, low in zip(words, lower):
        r = lex.rarity(low)
        if r is None and "'" in low:
            r = lex.rarity(low.split("'", 1)[0])
        if r is None:
            if tok[0].isupper():
                unknown_cap += 1
            else:
                unknown_lower += 1
        rarity.append(r)
    known = [r for r in rarity if r is not None]
    f["unk_low"] = float(unknown_lower)
    f["unk_low_rate"] = unknown_lower / n if n else 0.0
    f["unk_cap_rate"] = unknown_cap / n if n else 0.0
    f["rarity_max"] = max(known) if known else 0.0

    # word pairs: -PMI, and frequent pairs that the list lacks
    surprise: list[float] = []
    absent = absent_strong = 0
    for i in range(1, n):
        ra, rb = rarity[i - 1], rarity[i]
        if ra is None or rb is None:
            continue
        s = lex.pair_surprise(lower[i - 1], lower[i], ra, rb)
        if f"{lower[i - 1]} {lower[i]}" not in lex.bigrams and s > 0:
            absent += 1
            absent_strong += s > 1
        surprise.append(s)
    if surprise:
        ranked = sorted(surprise, reverse=True)
        f["pair_surp_max"] = ranked[0]
        f["pair_surp_top2"] = sum(ranked[:2]) / min(2, len(ranked))
        f["pair_surp_mean"] = sum(surprise) / len(surprise)
        f["pair_surp_pos_mean"] = sum(max(0.0, x) for x in surprise) / len(surprise)
        f["pair_absent_rate"] = absent / len(surprise)
    else:
        f["pair_surp_max"] = f["pair_surp_top2"] = f["pair_surp_mean"] = 0.0
        f["pair_surp_pos_mean"] = f["pair_absent_rate"] = 0.0
    f["pair_absent"] = float(absent)
    f["pair_absent_strong"] = float(absent_strong)

    # a bigram language model (stupid backoff) over the known words
    lps = []
    prev = None
    for w in lower:
        lps.append(lex.logprob(prev, w))
        prev = w
    known_lps = [lp for lp in lps if lp > -9.0]
    f["lm_neg_mean"] = -sum(known_lps) / len(known_lps) if known_lps else 0.0
    f["lm_neg_min"] = -min(known_lps) if known_lps else 0.0

    # function-word balance; telegraphic sentences
    fw = sum(1 for w in lower if w in lex.function_words)
    share = fw / n if n else 0.45
    f["fw_low"] = max(0.0, 0.45 - share) if n >= 4 else 0.0
    f["fw_high"] = max(0.0, share - 0.45) if n >= 4 else 0.0
    f["no_article_long"] = 1.0 if n >= 8 and not any(w in _ARTICLES for w in lower) else 0.0
    f["no_aux_long"] = 1.0 if n >= 6 and not any(w in _AUXILIARIES for w in lower) else 0.0

    # repetition: repeated words, n-grams and loops
    content = [w for w in lower if w not in lex.function_words and len(w) > 2]
    f["rep_content"] = float(len(content) - len(set(content)))
    f["rep_content_rate"] = f["rep_content"] / len(content) if content else 0.0
    f["adjacent_repeat"] = float(sum(1 for a, b in zip(lower, lower[1:]) if a == b and not legitimate_repeat(a)))
    grams2 = list(zip(lower, lower[1:]))
    grams3 = list(zip(lower, lower[1:], lower[2:]))
    f["rep_bigrams"] = float(len(grams2) - len(set(grams2)))
    f["rep_trigrams"] = float(len(grams3) - len(set(grams3)))

    # fragments, capitals and punctuation
    stripped = text.strip()
    f["no_final_punct"] = 0.0 if _FINAL_PUNCT.search(stripped) else 1.0
    first = next((c for c in stripped if c.isalpha()), "")
    f["lower_start"] = 1.0 if first and first.islower() else 0.0
    f["very_short"] = 1.0 if n <= 3 else 0.0
    f["short"] = max(0.0, 8.0 - n)
    f["long"] = max(0.0, n - 25.0)
    f["cap_function_mid"] = float(sum(1 for i in range(1, n) if words[i][0].isupper() and not words[i].isupper()
                                      and lower[i] in lex.function_words))
    f["cap_rate"] = sum(1 for t in words if t[0].isupper()) / n if n else 0.0
    f["allcaps"] = float(sum(1 for t in words if len(t) > 1 and t.isupper()))
    letters = [c for c in text if c.isalpha()]
    f["foreign_rate"] = sum(1 for c in letters if not _is_latin_letter(c)) / len(letters) if letters else 0.0
    f["digit_rate"] = sum(1 for c in text if c.isdigit()) / max(1, len(text))
    f["punct_rate"] = sum(1 for c in text if unicodedata.category(c).startswith("P")) / max(1, n)
    f["odd_punct"] = float(len(_ODD_PUNCT.findall(text)))
    f["brackets"] = float(text.count("(") + text.count("[") + text.count("/"))
    unbalanced = sum(abs(text.count(o) - text.count(c)) for o, c in _OPEN_CLOSE)
    f["unbalanced"] = float(unbalanced + text.count('"') % 2)
    f["colon_end"] = 1.0 if stripped.endswith(":") else 0.0
    f["multi_sent"] = float(len(re.findall(r"[.!?]\s+[A-Z]", stripped)))
    c = rd.counts(text, sentences=1)
    f["syll_high"] = max(0.0, c.syllables_estimate / c.words - 1.5) if c.words >= 4 else 0.0
    f.update(article_features(words, lower))
    return f


_OF_CHAIN = frozenset(("of", "the", "a", "an"))


def article_features(words: Sequence[str], lower: Sequence[str]) -> dict[str, float]:
    """Shapes of translation from languages without articles (ru, et): the share of "the"
    among the words, chains of genitives ("the decision of the head of the department of"),
    and short sentences without a name (proverbs and sayings, which MT renders word by word)."""
    n = len(lower)
    the = sum(1 for w in lower if w == "the")
    chains = sum(1 for i in range(2, n - 1) if lower[i] == "of" and "of" in lower[max(0, i - 4):i])
    names = sum(1 for t in words[1:] if t[0].isupper())
    return {"the_rate": the / n if n >= 4 else 0.0, "of_chain": float(chains),
            "short_no_name": 1.0 if 3 <= n <= 14 and not names else 0.0}


def finding_features(findings: Iterable[Finding]) -> dict[str, float]:
    counts: dict[str, int] = {}
    for f in findings:
        for key in finding_keys(f):
            counts[key] = counts.get(key, 0) + 1
    return {key: math.log1p(value) for key, value in counts.items()}


def sentence_features(text: str, findings: Iterable[Finding] = (), lex: Lexicon | None = None,
                      rates: EditRates | None = None) -> dict[str, float]:
    """Every feature of one sentence (``findings`` are those that overlap it)."""
    lex = lex or lexicon()
    rates = rates or edit_rates()
    feats = text_features(text, lex)
    feats.update(edit_rate_features(rate_keys(text, lex), rates))
    feats.update(finding_features(findings))
    return feats


# --- model --------------------------------------------------------------------------------


def _interp(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x)
    x0, x1 = xs[i - 1], xs[i]
    return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - x0) / (x1 - x0) if x1 > x0 else ys[i]


@dataclass(frozen=True)
class Model:
    """``pred = intercept + sum(f_name(x_name)) + sum(weight[key] * value)``: each ``f`` is
    piecewise linear through the points ``numeric[name] = {"x": [...], "y": [...]}``
    (constant outside them); finding keys enter linearly. ``score`` is
    ``100 * calibrate(text part)`` clipped to 0..100, plus the findings' part in points."""

    intercept: float
    numeric: dict[str, dict[str, list[float]]]
    keys: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    calibration: tuple[tuple[float, float], ...] = ()  # (prediction, 0..1), increasing

    def predict_text(self, feats: dict[str, float]) -> float:
        """The prediction from the numeric (text) features alone."""
        total = self.intercept
        for name, spec in self.numeric.items():
            total += _interp(spec["x"], spec["y"], feats.get(name, 0.0))
        return total

    def predict_findings(self, feats: dict[str, float]) -> float:
        """The findings' share of the prediction (finding keys enter linearly)."""
        total = 0.0
        for key, w in self.keys.items():
            value = feats.get(key)
            if value:
                total += w * value
        return total

    def predict(self, feats: dict[str, float]) -> float:
        return self.predict_text(feats) + self.predict_findings(feats)

    def contributions(self, feats: dict[str, float]) -> dict[str, float]:
        """Each feature's share of the prediction above its smallest value (for explanations)."""
        out = {}
        for name, spec in self.numeric.items():
            v = _interp(spec["x"], spec["y"], feats.get(name, 0.0)) - spec["y"][0]
            if v:
                out[name] = v
        for key, w in self.keys.items():
            if feats.get(key):
                out[key] = w * feats[key]
        return out

    def calibrate(self, pred: float) -> float:
        """Piecewise-linear, monotone map from the prediction to 0..1 (clamped at the ends)."""
        table = self.calibration
        if not table:
            return pred
        return _interp([x for x, _ in table], [y for _, y in table], pred)

    def points_per_unit(self) -> float:
        """Score points per unit of prediction (the calibration's overall slope)."""
        (x0, y0), (x1, y1) = self.calibration[0], self.calibration[-1]
        return 100.0 * (y1 - y0) / (x1 - x0) if len(self.calibration) >= 2 and x1 > x0 else 100.0

    def score(self, feats: dict[str, float]) -> float:
        """The text's score (0..100), plus the findings' points on top: a finding counts in
        full even in a sentence that otherwise looks cleaner than the scale's zero."""
        text = max(0.0, min(100.0, 100.0 * self.calibrate(self.predict_text(feats))))
        return min(100.0, text + self.points_per_unit() * self.predict_findings(feats))

    def to_json(self) -> dict[str, Any]:
        return {"version": 2, "intercept": self.intercept, "numeric": self.numeric, "keys": self.keys,
                "calibration": [list(p) for p in self.calibration], "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Model":
        if data.get("version") != 2:
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
    boilerplate: bool = False  # inside a boilerplate finding's span (a caption, a credit line)


@dataclass(frozen=True)
class Scores:
    """Scores of one text: the document, its paragraphs and its sentences (spans into the text).

    ``document`` and each paragraph's score include the findings term (``findings``: the
    document's share of it, in points)."""

    document: float
    paragraphs: tuple[Scored, ...]
    sentences: tuple[Scored, ...]
    findings: float = 0.0


BOILERPLATE_WEIGHT = 0.2  # a boilerplate sentence's weight in a score next to other sentences


def aggregate(items: Sequence[Scored]) -> float:
    """A score for several sentences that weights the worst ones: the mean of a cubic mean
    (each sentence weighted by its length, at least 5 words, so a one-word fragment still
    counts) and the mean of the worst fifth of the sentences (at least one).

    Sentences inside boilerplate findings (captions, credit lines that survived repair) are
    not language garble: next to other sentences they weigh ``BOILERPLATE_WEIGHT`` in the
    mean and never count among the worst."""
    if not items:
        return 0.0
    mixed = any(s.boilerplate for s in items) and not all(s.boilerplate for s in items)
    weights = [max(5, s.words) * (BOILERPLATE_WEIGHT if mixed and s.boilerplate else 1.0) for s in items]
    cubic = (sum(w * s.score ** 3 for w, s in zip(weights, items)) / sum(weights)) ** (1 / 3)
    pool = [s.score for s in items if not (mixed and s.boilerplate)]
    worst = sorted(pool, reverse=True)[:max(1, math.ceil(len(pool) / 5))]
    return 0.5 * cubic + 0.5 * sum(worst) / len(worst)


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
    rates = edit_rates()
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
            near = _overlapping(span, findings)
            feats = sentence_features(sentence, near, lex, rates)
            boiler = any(f.rule.startswith(IGNORED_PREFIXES) for f in near)
            inner.append(Scored(span, model.score(feats), int(feats["n_words"]), boiler))
        if not inner:
            continue
        sentences.extend(inner)
        words = sum(s.words for s in inner)
        extra = finding_points(_overlapping(unit, findings), words)
        paragraphs.append(Scored(unit, min(100.0, aggregate(inner) + extra), words))
    extra = finding_points(findings, sum(s.words for s in sentences)) if sentences else 0.0
    return Scores(min(100.0, aggregate(sentences) + extra), tuple(paragraphs), tuple(sentences), extra)


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


# --- sentence findings (repair/checks/garble.py) -------------------------------------------


def sentence_text_score(sentence: str, model: Model | None = None) -> float:
    """One sentence's score from its text alone (no findings: the ``mt.garbled-sentence``
    check flags sentences by this, and its findings never count in the score)."""
    lex = lexicon()
    return (model or load_model()).score(sentence_features(sentence, (), lex, edit_rates()))
