"""Features of the garble score: the lexicon, the edit-rate table and each sentence's features
(see the package docstring, :mod:`repair.score`)."""
from __future__ import annotations

import functools
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from .. import readability as rd
from ..checks.registry import UNSCORED_SOURCES
from ..model import Finding
# words, and words and single punctuation marks (as the edit-rate table was counted)
from ..text import TOKEN_OR_MARK_RE as _RATE_TOKEN
from ..text import TOKEN_RE as _TOKEN

DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
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
    from .. import lexicon as english

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
    from ..rulebook import rules_for

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
