"""Untranslated words: a word of another language left inside an English sentence.

Machine translation leaves words it does not know as they were in the source
("the budget is aprobat by parliament", "the spitalului in the north"). A spell checker flags
them, but so it does names, and the names filter (:mod:`repair.names`) rightly drops
unknown capitalised words. This module tells the two apart with evidence from the word
and its place, and scores each candidate:

* **candidates** are Latin-script words of at least 3 letters that the offline English
  lexicon (:mod:`repair.lexicon`: SymSpell's 82,765 words, accents folded, so "café",
  "naïve", "Zürich" and "São" are known) does not list, and that are not a regular
  English derivation of a listed word ("unreflected"). All-capitals words, words with a
  capital inside ("iPhone"), words with digits or apostrophes, hyphenated compounds of
  known words, initials and the words of foreign phrases English uses ("de facto") are
  never candidates; nor are words in quotation marks (titles, quoted speech), on a line of
  fewer than ``MIN_LINE_WORDS`` words (one-word replies, headings, captions), or inside code,
  paths and identifiers (the rule engine drops those anyway);
* **evidence for a foreign word**: lower case in mid-sentence (English writes names with a
  capital; lower-case unknown words in MLQE-PE machine translation were changed by the
  post-editor about 90% of the time); letters of another language's alphabet ("ș ț ă",
  "õ", "š ž", "ł", "ő" ...; German, Nordic and Spanish letters count less, French accents not
  at all: English keeps them in loanwords); an ending English words do not have ("-ului",
  "-ilor", "-ție", "-iga", "-ust", "-ung", and Romanian endings without their diacritics:
  "biserica", "aprobat", "dinastii"); a case ending of another language on a known word or
  name ("Darwin-il", "Paris-ul"); letter triples likelier in Romanian or Estonian than in
  English (``repair/data/untranslated_trigrams.tsv``, lower-case words only: names have every
  shape);
* **evidence for English or a name**: a capital in mid-sentence, the same word capitalised
  elsewhere in the text (:class:`repair.names.NameIndex`), a title before it ("President X"),
  an English suffix or learned prefix ("-ation", "-ize", "hyper-"), letter triples far likelier
  in English, another unknown word right next to it (a quoted foreign phrase or a name), and a
  lower-case word the document uses twice (a term the author means: "the veselija").

Each signal has a weight (:data:`WEIGHTS`, set by hand from what the signal means); a
candidate whose score reaches :data:`WARN_AT` is a warning, one that reaches :data:`INFO_AT`
an info. The two thresholds were fitted on MLQE-PE *train* against the post-edits, within the
issue's limit on clean prose (``benchmarks/eval_untranslated.py``; results in
``benchmarks/untranslated.md``). Capitalised words practically never reach them: an unknown
capitalised word in MLQE-PE was a name the editor kept about half the time, whatever else it
showed.

Other scripts (Cyrillic, Devanagari, Sinhala, ...) are the ``script.foreign-run`` rule's: this
module takes Latin-script words only, so the same word is not reported twice.

The lexicon is read lazily, once per process, when the rule first runs (about 30 ms), or
taken from :func:`repair.lexicon.frequencies` when that is already built; the triple table
(about 10,000 lines) only when a lower-case candidate is scored.
"""
from __future__ import annotations

import bisect
import collections
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

RULE_ID = "mt.untranslated-word"
MIN_LINE_WORDS = 4
MIN_LETTERS = 3
STEM_MIN = 50_000          # a known stem under a foreign ending must be at least this common

# Letters of other Latin alphabets that English text does not use, loanwords aside.
# Strong: no English loanword keeps them. Weak: French, Spanish and German accents that
# English keeps in names and loanwords ("Zürich", "señor", "façade").
STRONG_LETTERS = frozenset("șțşţăĂȘȚŞŢõÕšŠžŽąĄęĘłŁńŃśŚźŹżŻřŘůŮěĚğĞıőŐűŰāĀēĒīĪūŪļĻķĶņŅģĢėĖįĮųŲđĐ"
                           "ãÃ")
WEAK_LETTERS = frozenset("äÄöÖüÜßñÑåÅæÆøØìÌòÒáÁíÍóÓúÚýÝčČćĆ")
# French accents: English keeps them in many loanwords ("crème brûlée", "entrée", "façade")
FRENCH_LETTERS = frozenset("âÂîÎêÊôÔûÛëËïÏÿŸçÇàÀèÈùÙéÉœŒ")

# Endings of Romanian, Estonian, Finnish, German, Slavic, Romance languages that no
# English word has, on a word the lexicon does not know. Longest first.
FOREIGN_ENDINGS: tuple[str, ...] = tuple(sorted(set("""
    ului ilor elor ției ţiei ţia ția ție ţie ții ţii iei ească ești eşti ătă ării ările ărilor
    urilor urile ează eaza uri ismului ismul ţiune țiune
    iga ega aga uga ust ilt alt elt lle sse isse asse tud tavad mise ikud aks iks eks
    ung ungen heit keit lich lichen isch ische ischen schaft
    ción ciones ção ções zione zioni mente dade ità
    ować owie ów ych ymi
    """.split()), key=len, reverse=True))
# Endings that a known word or name takes when it is inflected in Estonian or Romanian
# ("Darwinil", "Parisul", "Okinawal", "Donetskis"), tried against the lexicon.
INFLECTIONS: tuple[str, ...] = ("ului", "ilor", "elor", "ul", "ului", "ei", "ii",
                                "il", "ile", "ilt", "is", "isse", "ist", "iga", "ga", "lt", "le", "l",
                                "st", "sse", "ks", "ta", "ga", "ni", "na")

WEIGHTS = {
    "lower": 2.0,            # lower case in mid-sentence
    "initial": 0.0,          # first word of a sentence: capital says nothing
    "capital": -1.0,         # capitalised in mid-sentence: likely a name
    "strong_letter": 2.5,
    "weak_letter": 1.5,      # on a lower-case word (a name keeps its accents)
    "weak_letter_name": 0.5,  # on a capitalised one
    "french_letter": 0.0,    # French accents: loanwords keep them
    "known_stem": 2.0,       # a known word + a foreign case ending
    "ending": 1.5,           # a non-English ending
    "name_in_text": -2.0,    # the text uses it as a name elsewhere
    "after_title": -2.0,
    "typo": -3.0,            # a common word is one slip away ("teh"): a typo, not a foreign word
    "repeated": -1.5,        # a lower-case word the text uses twice: a term the author means
    "phrase": -1.5,          # next to another unknown word: a quoted foreign phrase or a name
    "foreign_shape": 1.5,    # its letter triples are likelier in Romanian/Estonian than English
    "very_foreign_shape": 1.0,  # ... much likelier (added to foreign_shape)
    "english_shape": -1.0,   # ... far likelier in English
    "english_ending": -1.5,  # an English suffix: "-ation", "-ous", "-ness", "-ize", "-ish" ...
    "english_prefix": -1.0,  # a learned prefix: "hyper-", "nano-", "ethno-" ...
    "foreign_word": 3.0,     # a common word of another language, never in English ("cosecha")
    "foreign_word_mid": 2.5,   # ... that English writes now and then, at a tenth of the usual
                               # margin or less ("chiesa", "lavoro", "coche")
    "foreign_word_weak": 2.0,  # ... that English writes now and then ("nouvelle", "savoir")
}
VERY_FOREIGN_SHAPE = 0.3
ENGLISH_ENDINGS = tuple(sorted(set("""
    tion tions sion sions ous ously ical ically ive ives ively ness nesses ize izes ized izing ise ises ising
    ism isms ist ists istic ish able ably ible ibly ment ments ship ships man men woman women ware like
    less lessly ful fully ular ary ery ory ories ity ities ogy ogies ology ologist oid oids ence ences ance
    ances ant ants ent ents ency ancy ative atives ator ators ette ettes ling lings dom hood wise ward
    ling ery eries phobia phile philia graphy graph graphs scope metry meter meters cide cides itis emia
    uria osis oma omas ase ases ine ines ide ides ate ates ated ating ation ations al als ally
    """.split()), key=len, reverse=True))
ENGLISH_PREFIXES = ("hyper", "hypo", "nano", "paleo", "palaeo", "ethno", "micro", "macro", "mega", "multi",
                    "poly", "mono", "tele", "thermo", "electro", "neuro", "psycho", "photo", "proto", "pseudo",
                    "socio", "geo", "bio", "eco", "cyber", "crypto", "meta", "para", "peri", "trans",
                    "ultra", "infra", "intra", "inter", "counter", "over", "under", "out", "up", "down",
                    "fore", "after", "back", "self", "anti", "post", "pre", "sub", "super", "semi")
FOREIGN_SHAPE = -0.15        # mean log ratio of the word's letter triples, from which a word
ENGLISH_SHAPE = -1.0         # looks foreign / English (repair/data/untranslated_trigrams.tsv)
TRIGRAMS_FILE = Path(__file__).with_name("data") / "untranslated_trigrams.tsv"
# words common in another Latin-script language and rare in English (training/foreign_words.py,
# from wordfreq's lists, CC BY-SA 4.0)
FOREIGN_WORDS_FILE = Path(__file__).with_name("data") / "foreign_words.txt"
WARN_AT = 5.0
INFO_AT = 4.0

_WORD = re.compile(r"[^\W\d_]+(?:[-][^\W\d_]+)*")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_KEY_AFTER = re.compile(r"[ \t]*(?:[=\"']|:(?!\s*$))")
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’", "`": "`"}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    word: str
    score: float
    reasons: tuple[str, ...]

    @property
    def severity(self) -> str | None:
        if self.score >= WARN_AT:
            return "warning"
        if self.score >= INFO_AT:
            return "info"
        return None


# --- the lexicon, read lazily --------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """word -> count as text, from symspellpy's list (empty without symspellpy)."""
    from . import lexicon

    parts = lexicon._symspell_text(lexicon.WORDS_FILE).split()
    return dict(zip(parts[0::2], parts[1::2]))


def _words() -> dict:
    """The lexicon as a dict: :func:`repair.lexicon.frequencies` when it is built, else ours."""
    from . import lexicon

    if lexicon.frequencies.cache_info().currsize:
        return lexicon.frequencies()
    return _table()


@functools.lru_cache(maxsize=1)
def _foreign_words() -> bytes:
    """The foreign word list as read (sorted, one word a line): searched in place, since
    building a set of its 0.34 million words would cost more than a hook's whole budget."""
    try:
        return b"\n" + FOREIGN_WORDS_FILE.read_bytes()
    except OSError:
        return b"\n"


def foreign_word(word: str) -> str | None:
    """Is ``word`` common in another language and rare in English? "strong" when English
    practically never writes it ("cosecha", "spitalului", "zarplata"), "mid" when it does now and
    then (less than once in 100 million words) and the other language a thousand times as often
    ("lavoro", "coche", "église"), "mid-often" the same when English writes it more often ("chiesa",
    "déjà", "très": French loans keep their accents), "weak" when English
    writes it now and then ("nouvelle", "savoir"), None when it is not listed. A binary search
    over the sorted lines of the list (a line is the word, or the word, a tab and "m" or "w"; byte
    order is the sort order)."""
    data = _foreign_words()
    key = word.casefold().encode("utf-8")
    lo, hi = 0, len(data)  # invariant: every line starting before lo sorts below key
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid + 1) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line, _, mark = data[start:end].partition(b"\t")
        if line == key:
            return {b"": "strong", b"m": "mid", b"n": "mid-often"}.get(mark, "weak")
        if line < key:
            lo = end + 1
        else:
            hi = start - 1 if start > 0 else 0
    return None


def word_count(word: str) -> int:
    """A lower-case word's count in the offline lexicon (0 when it is not listed)."""
    n = _words().get(word)
    return int(n) if n else 0


def lexicon_available() -> bool:
    from . import lexicon

    if lexicon.frequencies.cache_info().currsize:
        return bool(lexicon.frequencies())
    return bool(_table())


def _fold(word: str) -> str:
    w = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in w if not unicodedata.combining(c)).replace("ı", "i").replace("ł", "l")


def is_known(word: str) -> bool:
    """Whether the lexicon lists the word (accents folded) or it is an English derivation."""
    return _is_known(word.casefold())


@functools.lru_cache(maxsize=1 << 15)
def _is_known(w: str) -> bool:
    if word_count(w) or word_count(_fold(w)):
        return True
    f = _fold(w)
    if not f.isascii():
        return False
    if "-" in f:
        parts = [p for p in f.split("-") if p]
        return bool(parts) and all(word_count(p) or len(p) < MIN_LETTERS or p in _EN_PREFIXES
                                   or p in ("socio", "ethno", "euro", "afro", "indo", "sino", "franco")
                                   or _english_derivation(p) or _dialect_known(p) for p in parts)
    return _english_derivation(f) or _dialect_known(f) or _compound(f)


_DIALECT = ((re.compile(r"or(?=[a-z]{0,5}$)"), "our"), (re.compile(r"er(s?)$"), r"re\1"),
            (re.compile(r"iz"), "is"), (re.compile(r"is(?=(e|es|ed|ing|ation|ations|er|ers)$)"), "iz"), (re.compile(r"ward$"), "wards"), (re.compile(r"(?<=[aeiou])l(ed|ing|er|ers)$"), r"ll\1"),
            (re.compile(r"og$"), "ogue"), (re.compile(r"ense$"), "ence"), (re.compile(r"yz"), "ys"),
            (re.compile(r"^sk"), "sc"), (re.compile(r"ol(?=d)"), "oul"), (re.compile(r"um$"), "ium"),
            (re.compile(r"lty$"), "lity"), (re.compile(r"(?<=[a-z])e(?=[a-z]{2,}$)"), "ae"),
            (re.compile(r"(?<=[a-z])e(?=[a-z]{2,}$)"), "oe"), (re.compile(r"ing$"), "eing"))


def _dialect_known(f: str) -> bool:
    """An American spelling of a listed British one ("labor", "neighboring", "afterward")."""
    for pattern, repl in _DIALECT:
        alt = pattern.sub(repl, f)
        if alt != f and (word_count(alt) or _english_derivation(alt)):
            return True
    return False


COMPOUND_PART_MIN = 1_000_000


def _compound(f: str) -> bool:
    """Two common English words written together ("sternpost", "rideshare", "rainforests")."""
    for i in range(4, len(f) - 3):
        a, b = f[:i], f[i:]
        if word_count(a) >= COMPOUND_PART_MIN and (word_count(b) >= COMPOUND_PART_MIN
                                                  or (b.endswith("s") and word_count(b[:-1]) >= COMPOUND_PART_MIN)):
            return True
    return False


_EN_SUFFIXES = (("nesses", ("",)), ("ness", ("",)), ("ists", ("ist", "", "e")), ("ist", ("", "e")),
                ("isms", ("", "e")), ("ism", ("", "e")), ("ically", ("ic",)), ("ity", ("", "e")),
                ("ities", ("", "e")), ("ic", ("", "e", "y")), ("ally", ("al",)), ("ly", ("", "le")),
                ("less", ("",)), ("ful", ("",)), ("ship", ("",)), ("dom", ("",)), ("hood", ("",)),
                ("like", ("",)), ("wise", ("",)), ("es", ("", "e")), ("s", ("",)), ("ed", ("", "e")),
                ("ing", ("", "e")), ("er", ("", "e")), ("ers", ("", "e")), ("est", ("", "e")),
                ("able", ("", "e")), ("ment", ("",)), ("ments", ("",)), ("ian", ("", "y", "ia", "a")),
                ("ians", ("", "y", "ia", "a")), ("ese", ("", "a")), ("an", ("a", "")), ("ans", ("a", "")),
                # Latin and Greek plurals: "podia", "strata", "formulae", "stimuli", "indices", "criteria"
                ("a", ("um", "on")), ("ae", ("a",)), ("i", ("us",)), ("ices", ("ex", "ix")))
_EN_PREFIXES = ("un", "re", "non", "pre", "anti", "over", "under", "mis", "dis", "sub", "inter", "multi",
                "semi", "counter", "out", "super", "co", "de", "post", "pro", "trans", "ultra", "micro",
                "mega", "neo", "pseudo", "proto", "mid", "cyber", "bio", "geo", "eco", "auto")


def _english_derivation(w: str) -> bool:
    from .lexicon import stem_candidates

    if any(any(word_count(c) for c in cands) for cands in stem_candidates(w, _EN_SUFFIXES)):
        return True
    for prefix in _EN_PREFIXES:
        rest = w[len(prefix):].lstrip("-")
        if w.startswith(prefix) and len(rest) >= 4 and (word_count(rest) or _english_derivation(rest)):
            return True
    return False


TYPO_NEIGHBOUR_MIN = 5_000_000


def _slips(word: str):
    """Every string one slip of the keys away: two letters swapped, one dropped or doubled."""
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]
        if i + 1 < len(word):
            yield word[:i] + word[i + 1] + word[i] + word[i + 2:]
        yield word[:i] + word[i] + word[i:]


def _typo_shaped(word: str) -> bool:
    """A common word one slip away ("teh", "recieve", "goverment"): a typo, which the spelling
    checker reports under its own name, not a foreign word."""
    f = _fold(word)
    return f.isascii() and any(word_count(e) >= TYPO_NEIGHBOUR_MIN for e in _slips(f) if e != f)


# --- letter triples: how English a word looks ---------------------------------------------------

@functools.lru_cache(maxsize=1)
def _trigrams() -> tuple[dict[str, float], float]:
    """trigram -> log(P(foreign) / P(English)), and the value of an unseen trigram."""
    table: dict[str, float] = {}
    unseen = 0.0
    try:
        lines = TRIGRAMS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}, 0.0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        gram, _, value = line.rpartition("\t")
        if gram == "<unseen>":
            unseen = float(value)
        elif gram:
            table[gram] = float(value)
    return table, unseen


def trigrams(word: str) -> list[str]:
    w = "^" + word.casefold() + "$"
    return [w[i:i + 3] for i in range(len(w) - 2)]


def shape(word: str) -> float:
    """Mean log ratio of the word's letter triples, foreign (> 0) against English (< 0)."""
    table, unseen = _trigrams()
    grams = trigrams(word)
    if not table or not grams:
        return 0.0
    return sum(table.get(g, unseen) for g in grams) / len(grams)


# --- where a word stands --------------------------------------------------------------------

_SENTENCE_END = ".!?…:;"
_OPENERS = "\"'“‘«([{—–-*_„"


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _quoted(text: str, start: int, end: int) -> bool:
    """Inside quotation marks on its line (a title, a quoted word or speech)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start:start], text[end:line_end]
    for open_, close in _QUOTE_PAIRS.items():
        if open_ == close:
            if before.count(open_) % 2 == 1 and open_ in after:
                return True
        elif before.rfind(open_) > before.rfind(close) and close in after:
            return True
    # 'word' in single straight quotes
    if before.endswith("'") and after.startswith("'"):
        return True
    return False


def _line_words(text: str, start: int) -> int:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return len(text[line_start:len(text) if line_end == -1 else line_end].split())


# Romanian endings that survive when machine translation drops the diacritics ("biserica",
# "aprobat", "dinastii"), as patterns on the folded word
_BARE_ENDINGS = re.compile(r"(?:ica|ului|ata|[aeiu]rea|[bcdfgmnprtv]ul|[^aeiou]ei|[^aeiou]ii|[bcdfgmnprtv]at)$")


def _ending(f: str) -> str | None:
    for e in FOREIGN_ENDINGS:
        if f.endswith(e) and len(f) - len(e) >= 3:
            return e
    m = _BARE_ENDINGS.search(f)
    if m is not None and m.start() >= 3:
        return m.group()
    return None


# reasons from the foreign word list: a word on it at these tiers is not a typo of an English
# word ("salaires" is one slip from "salaries"), since English web text, typos and all, writes
# it less than once in 100 million words; a weak one may be ("sperma", "problema")
_LISTED = frozenset(("foreign_word", "foreign_word_mid"))


def _listed_abroad(word: str) -> bool:
    """A lower-case word the lexicon knows only with its accents folded or as a derivation
    ("légumes" as "legumes", "voitures" from "voiture"), that another language writes far more
    often than English: the exact form is not English. A word English writes now and then
    ("mid" on the list) counts only when the lexicon lists neither it nor its folded form and
    the word it derives from is on the list too ("voitures" of "voiture", not "conserver" of
    "conserve")."""
    low = word.casefold()
    if not word[0].islower():
        return False
    if word_count(low):
        return False
    tier = foreign_word(low)
    if tier == "strong":
        return True
    if tier != "mid" or word_count(_fold(low)):
        return False
    from .lexicon import stem_candidates

    stems = [c for cands in stem_candidates(low, _EN_SUFFIXES) for c in cands if word_count(c)]
    return bool(stems) and all(foreign_word(c) is not None for c in stems)


def _known_stem(f: str) -> str | None:
    """A common known word or name that ``f`` is with a foreign case ending added."""
    for e in INFLECTIONS:
        if f.endswith(e) and len(f) - len(e) >= 4:
            stem = f[: -len(e)]
            if word_count(stem) >= STEM_MIN:
                return stem
    return None


# Latin and French phrases of English prose besides those of repair.lexicon.FOREIGN_PHRASES
LATIN_PHRASES: tuple[str, ...] = (
    "a priori", "a posteriori", "a fortiori", "ad hominem", "ad libitum", "ad lib", "ex nihilo",
    "ex officio", "ex post facto", "ex cathedra", "inter alia", "mutatis mutandis", "non sequitur",
    "post mortem", "pro bono", "sub judice", "sub rosa", "terra firma", "vice versa", "in absentia",
    "in extremis", "in memoriam", "in loco parentis", "in medias res", "magnum opus", "deus ex machina",
    "ne plus ultra", "nolo contendere", "habeas corpus", "caveat emptor", "carpe diem", "annus mirabilis",
    "alter ego", "amicus curiae", "de novo", "de rigueur", "en passant", "en bloc", "fin de siecle",
    "fin de siècle", "idee fixe", "idée fixe", "mot juste", "nom de plume", "nom de guerre",
    "pièce de résistance", "piece de resistance", "par excellence", "tour de force", "bete noire",
    "bête noire", "enfant terrible", "esprit de corps", "force majeure", "folie a deux", "haute couture",
    "objet d'art", "cordon bleu", "dernier cri", "hors de combat", "mise en scene", "mise en scène",
    "nouveau riche", "sotto voce", "dolce vita", "al fresco", "a cappella", "pro tem", "rigor mortis",
    "crème brûlée", "creme brulee", "crème fraîche", "creme fraiche", "crème de la crème", "à la carte",
    "a la carte", "à la mode", "a la mode", "pièce", "summa cum laude", "magna cum laude", "cum laude", "honoris causa", "lingua franca", "status quo ante",
)
_LATIN_RE = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(
        r"[ \u00a0-]+".join(re.escape(w).replace("'", "['’]") for w in p.split())
        for p in sorted(LATIN_PHRASES, key=len, reverse=True)) + r")(?![^\W\d_])", re.IGNORECASE)


def _in_latin_phrase(text: str, start: int, end: int) -> bool:
    for m in _LATIN_RE.finditer(text, max(0, start - 30), min(len(text), end + 30)):
        if m.start() <= start and end <= m.end():
            return True
    return False


def _in_nonprose(text: str, start: int, end: int) -> bool:
    """Inside a path, URL, identifier ... (:mod:`repair.nonprose`)."""
    from . import nonprose

    return any(s.start < end and start < s.end for s in nonprose.spans(text))


# --- scoring ----------------------------------------------------------------------------------

def _shape_ok(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return False
    if not all(_LATIN_LETTER.match(c) for c in letters):
        return False  # another script: the script.foreign-run rule's business
    if word.isupper() or any(c.isupper() for c in word[1:]):
        return False  # acronyms, brands, CamelCase
    return True


def candidates(text: str, names=None, floor: float | None = None) -> list[Candidate]:
    """Every candidate word of ``text`` with its score (see ``Candidate.severity``).

    With a ``floor``, evidence that a capitalised word is a name (which only lowers a score)
    is gathered only for words that would otherwise reach it: scores below the floor may then
    be higher than they would be with it."""
    from . import lexicon

    found: list[tuple[int, int, str]] = []
    unknown_ends: dict[int, int] = {}  # start -> end of every word the lexicon does not know
    table = _words()
    if not table:
        return []
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) < MIN_LETTERS or word.lower() in table:
            continue  # the common case: a listed word
        if not _shape_ok(word) or (is_known(word) and not _listed_abroad(word)):
            continue
        start, end = m.start(), m.end()
        unknown_ends[start] = end
        if text[end:end + 1] in ("'", "’") and text[end + 1:end + 2].isalpha():
            continue  # "goin'" / "o'clock" / contractions
        if text[start - 1:start] in ("'", "’") and start >= 2 and text[start - 2].isalpha():
            continue
        if text[end:end + 1] == "." and text[end + 1:end + 2].isalpha():
            continue  # a dotted name: "os.path", "e.g"
        if lexicon.in_foreign_phrase(text, start, end) or _in_latin_phrase(text, start, end):
            continue
        if _line_words(text, start) < MIN_LINE_WORDS or _quoted(text, start, end):
            continue
        if _KEY_AFTER.match(text, end) and not text[text.rfind("\n", 0, start) + 1:start].strip():
            continue  # a key at a line's start: 'msgid "..."', 'name = value', 'title: ...'

        if _in_nonprose(text, start, end):
            continue
        found.append((start, end, word))
    if not found:
        return []
    uses = collections.Counter(w.casefold() for _s, _e, w in found if w[0].islower())
    starts = sorted(unknown_ends)
    out = []
    for start, end, word in found:
        extra = []
        if word[0].islower() and uses[word.casefold()] >= 2:
            extra.append("repeated")
        if _next_to_unknown(text, start, end, unknown_ends, starts):
            extra.append("phrase")
        cand = _score(text, start, end, word, None, extra)
        if (floor is None or cand.score >= floor) and not _LISTED.intersection(cand.reasons) and _typo_shaped(word):
            cand = _score(text, start, end, word, None, extra + ["typo"])
        if word[0].isupper() and (floor is None or cand.score >= floor):
            if names is None:
                from .names import NameIndex

                names = NameIndex.from_text(text)
            cand = _score(text, start, end, word, names, extra + (["typo"] if "typo" in cand.reasons else []))
        out.append(cand)
    return out


def _next_to_unknown(text: str, start: int, end: int, unknown_ends: dict[int, int], starts: list[int]) -> bool:
    """Is the word next to another word the lexicon does not know (a foreign phrase, a name)?"""
    i = bisect.bisect_left(starts, start)
    if i + 1 < len(starts):
        nxt = starts[i + 1]
        if text[end:nxt].strip(" \u00a0") == "" and nxt - end <= 2:
            return True
    if i > 0:
        prev = starts[i - 1]
        if text[unknown_ends[prev]:start].strip(" \u00a0") == "" and start - unknown_ends[prev] <= 2:
            return True
    return False


def _score(text: str, start: int, end: int, word: str, names, extra=()) -> Candidate:
    reasons: list[str] = list(extra)
    f = _fold(word)
    low = word.casefold()
    initial = _sentence_initial(text, start)
    if word[0].islower():
        reasons.append("lower")
    elif initial:
        reasons.append("initial")
    else:
        reasons.append("capital")
    if any(c in STRONG_LETTERS for c in word):
        reasons.append("strong_letter")
    elif any(c in WEAK_LETTERS for c in word):
        reasons.append("weak_letter" if word[0].islower() else "weak_letter_name")
    elif any(c in FRENCH_LETTERS for c in word):
        reasons.append("french_letter")
    if f.isascii() and _known_stem(f):
        reasons.append("known_stem")
    elif _ending(low) or _ending(f):
        reasons.append("ending")
    # names have every shape, and French-accented words are mostly loanwords ("déjà vu", "entrée")
    # whose letter triples the Romanian/Estonian table reads as foreign
    shaped = word[0].islower() and "french_letter" not in reasons
    if shaped:
        sh = shape(word)
        if sh >= FOREIGN_SHAPE:
            reasons.append("foreign_shape")
            if sh >= VERY_FOREIGN_SHAPE:
                reasons.append("very_foreign_shape")
        elif sh <= ENGLISH_SHAPE:
            reasons.append("english_shape")
    tier = foreign_word(word) if word[0].islower() else None
    if tier == "mid-often":
        # English writes it more than once in 100 million words: "déjà", "très", "podia",
        # "savoir" (loans, Latin plurals, quotations): as weak as the rest
        tier = "weak"
    if tier == "weak" and "french_letter" in reasons:
        tier = None  # "déjà", "entrée", "première": English keeps these accents
    if tier is not None:
        # names are the capitalised ones: they are left to the other signals
        reasons.append({"strong": "foreign_word", "mid": "foreign_word_mid"}.get(tier, "foreign_word_weak"))
    if tier in ("strong", "mid"):
        # the word's frequencies in English and abroad say more than its letters: an English
        # look ("salaires", "coche") or ending ("église") is no evidence against it
        reasons[:] = [r for r in reasons if r != "english_shape"]
    elif "ending" not in reasons and "known_stem" not in reasons:
        if any(f.endswith(e) and len(f) - len(e) >= 3 for e in ENGLISH_ENDINGS):
            reasons.append("english_ending")
        if any(f.startswith(p) and len(f) - len(p) >= 4 for p in ENGLISH_PREFIXES):
            reasons.append("english_prefix")
    if word[0].isupper() and names is not None:
        ev = names.evidence.get(word.casefold())
        if ev is not None and ev.after_title:
            reasons.append("after_title")
        elif ev is not None and (ev.mid_sentence >= 2 or (ev.capitalised >= 2 and not initial)):
            reasons.append("name_in_text")
    score = sum(WEIGHTS[r] for r in reasons)
    return Candidate(start, end, word, score, tuple(reasons))


def flagged(text: str) -> list[Candidate]:
    """The candidates that reach a severity."""
    cands = candidates(text)
    return [c for c in cands if c.severity is not None]


def not_a_misspelling(word: str, text: str, start: int, end: int) -> str | None:
    """Why a spelling checker's finding on ``text[start:end]`` is not an English misspelling,
    or None: a capitalised word with a letter of another alphabet is a name ("Łukasz",
    "Jiří", "Ştefan": no English misspelling has "ł" or "ř"), and a word of the foreign word list
    inside quotation marks is a quoted title or phrase ("“Cien años de soledad”"), which this
    rule leaves alone too."""
    if word[:1].isupper() and any(c in STRONG_LETTERS for c in word):
        return "a name in another alphabet"
    if _quoted(text, start, end) and foreign_word(word) is not None:
        return "a quoted foreign title or phrase"
    return None
