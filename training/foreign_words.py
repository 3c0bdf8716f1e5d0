"""Build ``repair/data/foreign_words.txt``: words common in another Latin-script language and
rare in English, the evidence :mod:`repair.untranslated` uses to tell an untranslated word
("cosecha", "spitalului", "Regierung") from an English word or a name.

    pip install wordfreq==3.1.1      # training only: ungarble does not need it at run time
    python training/foreign_words.py

Source: wordfreq 3.1.1 (Robyn Speer; its word lists are CC BY-SA 4.0, built from Wikipedia,
subtitles, news, books, web text and more; see https://github.com/rspeer/wordfreq). A word is
kept when, in some language of LANGUAGES, its Zipf frequency is at least MIN_ZIPF (about once
in 300,000 words or more often), and in English it is at most MAX_EN_ZIPF and below the other
language's by at least MARGIN: "nouvelle" (French 5.6, English 2.7) is kept, "fiesta" (Spanish
5.0, English 3.3), "angst" and "café" are English enough to be left out, and so are names
English writes often ("Merkel", "Paris"). Words are lower-cased, one a line, sorted; words of
fewer than 4 letters and words with digits are left out (too often English abbreviations). A
word English practically never writes (Zipf below RARE_EN_ZIPF: "cosecha", "spitalului") is
listed bare; one English writes now and then ("nouvelle", "podia", "savoir": a loan phrase, a
Latin plural, a quotation) is followed by a tab and "w", weaker evidence. A tab sorts below
every letter, so the lines are in the order of their words.
Estonian is not in wordfreq: repair/untranslated.py's letter-triple table covers it.
"""
from __future__ import annotations

import sys
from pathlib import Path

LANGUAGES = ("ca", "cs", "da", "de", "es", "fi", "fr", "hu", "id", "is", "it", "lt", "lv", "ms", "nb",
             "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr")
MIN_ZIPF = 3.5
MAX_EN_ZIPF = 3.0
MARGIN = 2.5
RARE_EN_ZIPF = 1.0  # below it (practically never written in English) a word is marked strong
OUT = Path(__file__).resolve().parents[1] / "repair" / "data" / "foreign_words.txt"


def build() -> list[str]:
    import wordfreq

    keep: dict[str, str] = {}
    for lang in LANGUAGES:
        for word in wordfreq.iter_wordlist(lang, "best"):
            z = wordfreq.zipf_frequency(word, lang)
            if z < MIN_ZIPF:
                break  # the list is in order of frequency
            if len(word) < 4 or not word.isalpha() or word in keep:
                continue
            en = wordfreq.zipf_frequency(word, "en")
            if en <= MAX_EN_ZIPF and z - en >= MARGIN:
                keep[word] = word if en < RARE_EN_ZIPF else word + "\tw"
    return [keep[w] for w in sorted(keep)]


def main() -> int:
    words = build()
    OUT.write_text("".join(w + "\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words -> {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
