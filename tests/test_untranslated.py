"""Issue 13 item 3: untranslated words (``mt.untranslated-word``, repair/untranslated.py).

Hand-written sentences: a word of another language left in an English sentence is found; names,
loanwords with accents, one-word replies, code and paths, and quoted titles are left alone."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import repair
from repair import untranslated
from repair.rulebook import load_rules, run_rules

RULE = "mt.untranslated-word"
RULES = {r.id: r for r in load_rules()}


def _ours(text: str):
    return [f for f in run_rules([RULES[RULE]], text) if f.rule == RULE]


FOREIGN = [
    # (sentence, the untranslated word)
    ("The minister said that the budget is aprobat by parliament.", "aprobat"),
    ("He visited the biserica in the old town.", "biserica"),
    ("The rebels were defeated near the cetății walls in the spring.", "cetății"),
    ("The history of the dinastiei is told in the second chapter.", "dinastiei"),
    ("The team hired a new trainer from the küla in the north.", "küla"),
    ("The company opened a new tehas near the river last year.", "tehas"),
    ("The council met to discuss the şcoala and the roads.", "şcoala"),
]


@pytest.mark.parametrize("text,word", FOREIGN)
def test_foreign_word_is_found(text, word):
    found = _ours(text)
    assert [f.text for f in found] == [word]
    assert found[0].fix is None  # flag only
    assert found[0].severity in ("warning", "info")
    # and through the library, as a user runs it
    assert any(f.rule == RULE and f.text == word for f in repair.check(text, grammar="none"))


def test_strong_evidence_is_a_warning_weak_an_info():
    strong = _ours("The rebels were defeated near the cetății walls in the spring.")
    # ("tehas" is Russian "Texas" romanised, on the foreign word list now: "kauplus", a shop)
    weak = _ours("The company opened a new kauplus near the river last year.")
    assert strong[0].severity == "warning"
    assert weak[0].severity == "info"


def test_cyrillic_word_is_found_once():
    text = "The soldiers sang Пойдёмте on the way back to the camp."
    found = [f for f in repair.check(text, grammar="none") if f.text == "Пойдёмте"]
    # the script rule owns other scripts; this rule does not report the same word again
    assert [f.rule for f in found] == ["script.foreign-run"]
    assert _ours(text) == []


CLEAN = [
    "They met at a café in Zürich and drove a Škoda to the station.",
    "The naïve visitor liked the music of Dvořák in São Paulo.",
    "Nicolae Bălcescu and Mihai Eminescu were born in Romania, and Jüri Ratas in Tallinn.",
    "The talks between Erdoğan and Łukasz Kowalski ended in Gdańsk on Friday.",
    "The chef served a crème brûlée and a soufflé after the entrée.",
    "Her résumé lists a role as fiancée and protégé of a well-known doyenne.",
    "The treaty was, de facto and a priori, the status quo of the region.",
    "The minister said that the budget was approved by parliament.",
    "She read “Cartea ființei” and “Pan Tadeusz” on the train to Iași.",
    "He called the book 'Mostenirea' in his letter to the editor.",
    "Open src/biserica/main.py and set dinastia_id in the config file.",
    "Run the command `aprobat --verbose` to see the list of changes.",
    "Gracias.",
    "Danke schön",
    "Mulțumesc!",
    "President Iohannis met Chancellor Scholz in Bucharest, and Iohannis spoke first.",
    "The ship carried rideshare drivers, a sternpost and a bitcoin miner.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_names_loanwords_replies_code_and_titles_are_left_alone(text):
    assert _ours(text) == []


def test_code_in_markdown_is_left_alone():
    text = ("Set the option in the file before the next release:\n\n```\nwhen the dinastia value is aprobat\n```\n\n"
            "Then run `the biserica tool` again on the whole folder.\n")
    found = [f for f in repair.check(text, grammar="none", select=[RULE], markdown=True)]
    assert found == []


def test_a_word_the_text_uses_as_a_term_is_left_alone():
    # a lower-case foreign word the author uses twice is a term ("veselija" in a novel)
    text = ("They danced at the veselija until dawn. Everyone who came to the veselija "
            "brought a gift for the bride.")
    assert _ours(text) == []


def test_listed_with_examples():
    out = subprocess.run([sys.executable, "-m", "repair.cli", "rules", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    rules = {r["id"]: r for r in json.loads(out)}
    assert rules[RULE]["safety"] == "flag"


def test_check_reports_it_on_the_command_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The rebels were defeated near the cetății walls in the spring.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", "--format",
                           "json", str(path)], capture_output=True, text=True)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    rules = [f["rule"] for f in doc["files"][0]["findings"]]
    assert RULE in rules


def test_word_list_is_read_once(monkeypatch):
    """The lexicon table is built once per process however many texts are checked."""
    untranslated._table.cache_clear()
    calls = []
    from repair import lexicon

    orig = lexicon._symspell_text

    def counting(name):
        calls.append(name)
        return orig(name)

    monkeypatch.setattr(lexicon, "_symspell_text", counting)
    for _ in range(5):
        untranslated.candidates("The minister said that the budget is aprobat by parliament.")
    assert len(calls) <= 1


def test_name_evidence_is_gathered_at_most_once_per_document(monkeypatch):
    """A long document full of unknown capitalised words builds one name index, not one a word
    (the first version took a second on a 1,100-word news page)."""
    from repair import names

    calls = []
    real = names.NameIndex.from_text.__func__

    def counting(cls, text):
        calls.append(1)
        return real(cls, text)

    monkeypatch.setattr(names.NameIndex, "from_text", classmethod(counting))
    people = " ".join(f"Mr Zorblat{i}escu met Ms Vrangel{i}ova in the town of Kzastl{i}ovo today." for i in range(60))
    text = people + " The rebels were defeated near the cetății walls in the spring."
    found = _ours(text)
    assert [f.text for f in found] == ["cetății"]
    assert len(calls) <= 1
    calls.clear()
    untranslated.candidates(people, floor=untranslated.INFO_AT)
    assert calls == []  # no capitalised word there can reach the threshold


# --- the foreign word list (training/foreign_words.py, from wordfreq) -------------------------

def test_foreign_word_tiers():
    from repair.untranslated import foreign_word

    assert foreign_word("cosecha") == "strong"      # Spanish, never written in English
    assert foreign_word("Spitalului") == "strong"   # case folded
    assert foreign_word("nouvelle") == "weak"       # French, in English loan phrases
    assert foreign_word("fiesta") is None and foreign_word("house") is None  # English enough
    assert foreign_word("lavoro") == "mid"          # English writes it, a thousand times less often
    assert foreign_word("chiesa") == "mid-often"    # ... but more than once in 100 million words
    assert foreign_word("zarplata") == "strong"     # Russian, romanised (BGN/PCGN)
    assert foreign_word("khleb") == "strong" and foreign_word("hleb") == "mid"  # two romanisations


@pytest.mark.parametrize("text, word", [
    # a word another language writes a thousand times as often as English (the "m" tier)
    ("The government promised more lavoro for young people in the south.", "lavoro"),
    ("The police found the stolen coche near the border.", "coche"),
    ("The town has a beautiful église near the main square.", "église"),   # English ending -ise
    # one slip from "salaries", but English never writes it: not a typo
    ("The workers demanded better salaires and shorter hours.", "salaires"),
    # known only as "legumes" (accents folded) or "voiture" + s: the exact form is French
    ("The farmers brought their légumes to the weekly market.", "légumes"),
    ("Several voitures were parked outside the station all night.", "voitures"),
    # Romanian: the article on a verbal noun, without diacritics
    ("Residents protested against the scumpirea of electricity.", "scumpirea"),
    # Russian left in Latin letters
    ("The workers were paid their zarplata late again this month.", "zarplata"),
    # English writes it now and then ("weak"), another language 300 times as often
    ("The police arrested two ladrones near the station.", "ladrones"),
])
def test_frequency_abroad_finds_words_english_looks_like(text, word):
    assert [c.word for c in untranslated.flagged(text)] == [word]


@pytest.mark.parametrize("text", [
    "The podia were empty after the ceremony ended.",                # Latin plural of podium
    "The old vender sold apples and a conserver of fruit.",          # English derivations
    "She spoke of a très chic hotel and felt a sense of déjà vu.",   # French English keeps
    "The senator's résumé lists three degrees and a year abroad.",
])
def test_english_derivations_and_french_loans_stay_quiet(text):
    assert untranslated.flagged(text) == []


@pytest.mark.parametrize("text, word", [
    ("The farmers sold their cosecha at the market on Saturday.", "cosecha"),
    ("The minister visited the nouvelle school in the north.", "nouvelle"),
])
def test_a_common_word_of_another_language_is_untranslated(text, word):
    assert [c.word for c in untranslated.flagged(text)] == [word]


@pytest.mark.parametrize("text", [
    "She had a strong sense of déjà vu in the old house.",
    "The podia were empty after the ceremony ended.",
    "We had a fiesta at the café and felt some angst about it.",
])
def test_loanwords_and_latin_plurals_are_not_untranslated(text):
    assert untranslated.flagged(text) == []


@pytest.mark.parametrize("text, word, why", [
    ("Łukasz Piszczek and Jiří Novák signed for the club.", "Łukasz", "a name in another alphabet"),
    ("She was reading “Cien años de soledad” on the train.", "años", "a quoted foreign title or phrase"),
    ("She was reading Cien años de soledad on the train.", "años", None),   # not quoted
    ("The bugetul was approved.", "bugetul", None),                          # lower case, not quoted
])
def test_spelling_findings_that_are_not_english_misspellings(text, word, why):
    """Harper's spelling findings are dropped on these (repair/checks/harper.py, _false_alarm)."""
    start = text.index(word)
    assert untranslated.not_a_misspelling(word, text, start, start + len(word)) == why
