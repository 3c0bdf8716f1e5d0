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
listed bare; one English writes now and then is followed by a tab and a mark of how much more
common it is in the other language: "m" when by at least MID_MARGIN in Zipf (a thousand times as
common) and English writes it less than once in 100 million words (Zipf MID_EN_ZIPF: "lavoro",
"coche", "église"), "n" when by that margin but English writes it more often ("chiesa", "déjà",
"très": French loans and quotations keep their accents), "w" otherwise ("nouvelle", "podia",
"savoir": a loan phrase, a Latin plural, a quotation), weaker evidence. (A smaller margin was
tried: "biblioteca", "puente", "regen" are only a hundred times as common abroad, since place and
brand names carry them into English, but so are "matai", "pano", "natura" of clean English prose.) A tab sorts below every letter, so the lines
are in the order of their words.

Russian, Ukrainian and Bulgarian words are listed transliterated too (TRANSLIT_LANGUAGES, two
common romanisations: BGN/PCGN, "zarplata", "khleb", and the passport style, "hleb", "iuzhnyi"), as
machine translation leaves a word it does not know in Latin letters; the same frequency tests hold.
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
MID_MARGIN = 3.0  # at least this much more common abroad (and not rare in English): "m" or "n"
MID_EN_ZIPF = 2.0  # "m" below it, "n" from it
TRANSLIT_LANGUAGES = ("ru", "uk", "bg")
_BGN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
                ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
                 "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi",
                 "ye", "g"]))
_PASSPORT = dict(_BGN, **{"х": "h", "й": "i", "ю": "iu", "я": "ia", "ы": "y", "ц": "c", "щ": "sch"})
RARE_EN_ZIPF = 1.0  # below it (practically never written in English) a word is marked strong
OUT = Path(__file__).resolve().parents[1] / "repair" / "data" / "foreign_words.txt"


def _mark(z: float, en: float) -> str | None:
    """"" (strong), "m", "w", or None (English enough)."""
    if en > MAX_EN_ZIPF or z - en < MARGIN:
        return None
    if en < RARE_EN_ZIPF:
        return ""
    if z - en >= MID_MARGIN:
        return "m" if en < MID_EN_ZIPF else "n"
    return "w"


def _romanise(word: str, table: dict[str, str]) -> str | None:
    out = []
    for c in word:
        if c not in table:
            return None  # a letter outside the table (Latin, a digit, an apostrophe)
        out.append(table[c])
    return "".join(out)


def build() -> list[str]:
    import wordfreq

    keep: dict[str, str] = {}
    order = {"": 0, "m": 1, "n": 2, "w": 3}

    def add(word: str, mark: str) -> None:
        if word not in keep or order[mark] < order[keep[word]]:
            keep[word] = mark

    for lang in LANGUAGES:
        for word in wordfreq.iter_wordlist(lang, "best"):
            z = wordfreq.zipf_frequency(word, lang)
            if z < MIN_ZIPF:
                break  # the list is in order of frequency
            if len(word) < 4 or not word.isalpha():
                continue
            mark = _mark(z, wordfreq.zipf_frequency(word, "en"))
            if mark is not None:
                add(word, mark)
    for lang in TRANSLIT_LANGUAGES:
        for word in wordfreq.iter_wordlist(lang, "best"):
            z = wordfreq.zipf_frequency(word, lang)
            if z < MIN_ZIPF:
                break
            for table in (_BGN, _PASSPORT):
                latin = _romanise(word, table)
                if latin is None or len(latin) < 4 or not latin.isalpha():
                    continue
                mark = _mark(z, wordfreq.zipf_frequency(latin, "en"))
                if mark is not None:
                    add(latin, mark)
    return [w + ("\t" + keep[w] if keep[w] else "") for w in sorted(keep)]


def main() -> int:
    words = build()
    OUT.write_text("".join(w + "\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words -> {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
