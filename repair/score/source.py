"""The garble score with the source (issue 14 item 5): extra terms for a translation unit that
carries its source text (PO, XLIFF, TMX, tables).

A unit's features next to its source (:func:`source_features`; each oriented so that larger is
more suspicious):

* ``len_long`` / ``len_short``: how far the target's length is above / below what the source
  predicts for the language pair, as a z-score of log(target chars / source chars) against the
  pair's mean and spread (``repair.checks.source.LENGTH_MODEL``; the source's script picks the pair
  when the language is unknown), the spread widened by sqrt(80 / source chars) for sources shorter
  than 80 characters; 0 when both strings are shorter than 40 characters;
* ``copied_rate``: the share of the target's words (four letters or more, lower case) that are
  copied from a Latin-script source and that English does not know (untranslated words), and
  ``copied_words``: the ``source.copied-word`` findings per word;
* ``source_script``: the share of the target's letters in the source's script when that is not
  Latin (Cyrillic or Chinese left in the translation);
* ``num_missing`` / ``num_extra``: numbers of the source missing from the target, numbers of the
  target that the source lacks (``source.number-*`` findings);
* ``name_missing`` and ``untranslated``: the ``source.name-missing`` and ``source.untranslated``
  findings;
* ``saying`` (a Cyrillic source only): :func:`saying`, a source in the shape of a Russian proverb
  or saying. ru-en's worst rows in MLQE-PE are proverbs rendered word for word ("Rarely, yes
  aptly."), fluent enough that their English alone does not tell; fitted after the other terms, on
  the ru-en rows alone, so that it changes no other pair's score.

The model (``repair/data/score_source_model.json``, written by ``training/fit_source_score.py``)
adds monotone piecewise-linear functions of these features, in units of the monolingual model's
prediction, to every sentence of the unit before calibration. Each function is 0 at its smallest
point and never decreases, so a source can only raise a unit's score, and a text without a source
is scored exactly as before: the monolingual model is not touched.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
from dataclasses import dataclass
from typing import Any

from .features import DATA
from .model import _interp

SOURCE_MODEL_PATH = os.path.join(DATA, "score_source_model.json")
FEATURES = ("len_long", "len_short", "copied_rate", "copied_words", "source_script", "num_missing",
            "num_extra", "name_missing", "untranslated", "saying")
LENGTH_REF_CHARS = 80  # below this many source characters the ratio's spread grows as 1/sqrt(chars)
_KEY_LIKE = re.compile(r"[\w.:/-]+")


def is_key(source: str, target: str) -> bool:
    """A msgid that is a key ("b", "menu.save"), not the source text (as repair.bilingual.run has it,
    but ASCII only: a Chinese or Japanese sentence has no spaces either)."""
    return source.isascii() and bool(_KEY_LIKE.fullmatch(source.strip())) and re.search(r"\s", target.strip()) is not None


_LETTERS = re.compile(r"[^\W\d_]+")
_CLAUSE_BREAK = re.compile(r"[,;:—–]| - ")
SAYING_MAX_WORDS = 14
_SAYING_MARK = re.compile(r"(?:,|—|–| -)\s*(?:а|да|но|и|не|так|то|коли|что)\b|—", re.IGNORECASE)


def saying(source: str) -> float:
    """How much a (Russian) source looks like a proverb or saying: a capitalised line of at most
    ``SAYING_MAX_WORDS`` words and no digits, ending in a full stop or an exclamation mark, in two
    or more clauses: 1 when a clause opens with a conjunction of sayings ("..., а ...", "..., да
    ...", "... — ..."), 0.5 otherwise; 0 for any other source (one clause, a question, a longer text)."""
    s = source.strip()
    words = _LETTERS.findall(s)
    if not words or len(words) > SAYING_MAX_WORDS or any(c.isdigit() for c in s):
        return 0.0
    if not s[0].isupper() or not s.endswith((".", "!", "…")):
        return 0.0
    if sum(1 for part in _CLAUSE_BREAK.split(s) if part.strip()) < 2:
        return 0.0
    return 1.0 if _SAYING_MARK.search(s) else 0.5


def source_features(source: str, target: str, source_lang: str | None = None) -> dict[str, float]:
    """The features of ``target`` next to its ``source`` (see the module docstring)."""
    from ..checks import source as sc
    from .. import lexicon

    f = dict.fromkeys(FEATURES, 0.0)
    if not source.strip() or not target.strip():
        return f
    script = sc._main_script(source)
    key = (source_lang or "").replace("_", "-").split("-")[0].lower()
    length = sc.LENGTH_MODEL.get(key) or sc.LENGTH_MODEL.get(sc._SCRIPT_DEFAULT.get(script, ""))
    s, t = len(source.strip()), len(target.strip())
    if length is not None and max(s, t) >= sc._MIN_LENGTH_CHARS:
        # the pair's spread is that of sentences; shorter strings' ratios vary more
        z = (math.log(t / s) - length[0]) / (length[1] * math.sqrt(max(1.0, LENGTH_REF_CHARS / s)))
        f["len_long"], f["len_short"] = max(0.0, z), max(0.0, -z)
    words = sc._WORD.findall(target)
    n = max(1, len(words))
    if script == "latin":
        src_words = {w.casefold() for w in sc._WORD.findall(source)}
        copied = [w for w in words if len(w) >= 4 and w.islower() and w.casefold() in src_words
                  and not (sc._english_count(w) or sc._english_count(sc._fold(w)) or lexicon.is_known_word(w))]
        f["copied_rate"] = len(copied) / n
    elif script:
        letters = [ch for ch in target if ch.isalpha()]
        f["source_script"] = sum(1 for ch in letters if sc._script(ch) == script) / max(1, len(letters))
    if script == "cyrillic":  # Russian sayings rendered word for word: ru-en's worst rows
        f["saying"] = saying(source)
    for finding in sc.check_pair(source, target, source_lang=source_lang):
        if finding.rule == "source.copied-word":
            f["copied_words"] += 1 / n
        elif finding.rule == "source.number-missing":
            f["num_missing"] += 1
        elif finding.rule in ("source.number-extra", "source.number-different"):
            f["num_extra"] += 1
        elif finding.rule == "source.name-missing":
            f["name_missing"] += 1
        elif finding.rule == "source.untranslated":
            f["untranslated"] = 1.0
    return f


@dataclass(frozen=True)
class SourceModel:
    """``shift = sum(f_name(x_name))`` over the source features, each ``f`` piecewise linear
    through ``numeric[name] = {"x": [...], "y": [...]}`` with ``y[0] = 0`` and ``y`` non-decreasing
    (constant outside the points); ``shift`` is added to the monolingual model's text prediction."""

    numeric: dict[str, dict[str, list[float]]]
    meta: dict[str, Any]

    def shift(self, feats: dict[str, float]) -> float:
        return sum(_interp(spec["x"], spec["y"], feats.get(name, 0.0)) for name, spec in self.numeric.items())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SourceModel":
        if data.get("version") != 1:
            raise ValueError(f"unknown source score model version {data.get('version')!r}")
        return cls(data["numeric"], data.get("meta", {}))


@functools.lru_cache(maxsize=4)
def load_source_model(path: str = SOURCE_MODEL_PATH) -> SourceModel:
    with open(path, encoding="utf-8") as fh:
        return SourceModel.from_json(json.load(fh))


def source_shift(source: str | None, target: str, source_lang: str | None = None,
                 model: SourceModel | None = None) -> float | None:
    """What the source adds to the prediction of each sentence of ``target`` (None: no source to
    use: none given, an empty one, or a key rather than a text)."""
    if source is None or not source.strip() or is_key(source, target):
        return None
    return (model or load_source_model()).shift(source_features(source, target, source_lang))
