"""Languages of a translation (issue 14 item 1): where a unit's or a paired document's source and
target languages come from, and what a language tag looks like.

The order is: the option (``--source-language`` / ``--target-language`` or the configuration's
``source-language`` / ``target-language``), then the file's metadata (PO ``Language`` and
``X-Source-Language``, XLIFF ``srcLang``/``trgLang`` and ``source-language``/``target-language``,
TMX ``srclang`` and ``xml:lang``), then, for a source only, its script (:func:`detect`). Every
check works without a language: None means "not known" (a target is then taken as English).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

# a BCP 47 tag as files and people write it: "ja", "zh-Hans", "pt_BR", "de-CH-1996"
TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

# the script of a letter -> the language a source written in it most likely is; Han alone is
# Chinese, Han with kana Japanese (see detect)
_SCRIPT_LANGUAGE = {"HANGUL": "ko", "CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "HEBREW": "he",
                    "DEVANAGARI": "hi", "SINHALA": "si", "THAI": "th", "GEORGIAN": "ka", "ARMENIAN": "hy",
                    "BENGALI": "bn", "TAMIL": "ta"}


def is_tag(value: object) -> bool:
    return isinstance(value, str) and TAG.fullmatch(value) is not None


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    if name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH")):
        return "HAN"
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return "KANA"
    if not ch.isalpha():
        return ""
    first = name.split(" ")[0]
    return first if first in _SCRIPT_LANGUAGE or first == "LATIN" else ""


def detect(text: str | None) -> str | None:
    """The language a source text's script tells (``ja`` for kana, ``zh`` for Han alone, ``ko``,
    ``ru``, ``el``, ``ar``, ...); None for Latin script (which language is not told by its
    letters) or too little text."""
    if not text:
        return None
    counts = Counter(s for s in map(_script, text) if s)
    latin = counts.pop("LATIN", 0)
    if sum(counts.values()) < 2 or sum(counts.values()) * 2 < latin:
        return None
    if counts.get("KANA"):
        return "ja"
    script = counts.most_common(1)[0][0]
    return "zh" if script == "HAN" else _SCRIPT_LANGUAGE.get(script)


def english(language: str | None) -> bool:
    """Is a target in this language (None: not known) checked as English?"""
    return language is None or primary(language) in ("en", "")


def primary(language: str) -> str:
    """The language subtag of a tag, lower case: ``pt_BR`` -> ``pt``."""
    return language.replace("_", "-").split("-")[0].lower()


def source_language(unit: Any, options: Any) -> str | None:
    """A translation unit's source language: the option's, else the file's, else the one the
    source's script tells."""
    return getattr(options, "source_language", None) or unit.source_language or detect(unit.source)


def target_language(unit: Any, options: Any) -> str | None:
    """A translation unit's target language: the option's, else the file's (None: not known,
    checked as English)."""
    return getattr(options, "target_language", None) or unit.target_language
