"""Issue 13: the new rules of the measured detectors and the generalised rule families.

Hand-written traps of each family (codes, years, compounds, names) must draw nothing from the
new rules; garbled variants the examples do not spell out must be found and fixed exactly."""
from __future__ import annotations

import pytest

from repair.rulebook import load_rules

from rule_engine import findings, fix

RULES = {r.id: r for r in load_rules()}
NEW = ("typography.number-separator", "typography.hyphen-as-dash", "typography.spaced-hyphen-compound",
       "quotes.unclosed-start")
CHANGED = ("mt.fragment", "mt.reporting-inversion")


def _found(rule_id: str, text: str):
    return findings([RULES[rule_id]], text)


def _fixed(rule_id: str, text: str) -> str:
    return fix([RULES[rule_id]], text, unsafe=True)


TRAPS = [
    "The treaty was signed in 1999 and renewed in 2024.",
    "Our office is at 350 Fifth Avenue, New York, NY 10118.",
    "Post it to 75008 Paris or to Berlin 10115 by Friday.",
    "Please quote invoice No. 12345 and order #67890.",
    "Phone 020 7946 0958, or +1 212 555 0199, or 5550199 from a landline.",
    "The RTX 40090 and the model 30000 are not on sale.",
    "COVID-19 reached my mother-in-law and my ex-wife in a T-shirt shop.",
    "Jean-Luc Smith-Jones bought a Rolls-Royce and a well-known X-ray machine.",
    "The Anglo-French co-op ran a non-stop e-mail service for twenty-one self-aware users.",
    "Set PORT=54321 and user_id 987654 in https://example.com/a/123456?id=99999.",
    "The price rose from 12345.50 to 23456.75 euros, a rise of 0.00012.",
    "The sample was 99999–100000 units and the range 20000-30000.",
    "Year\tExports\tImports\n2019\t123456\t654321",
    "He came - and went.",
    "“Is it over?” she asked. “Finished.”",
    "The harbour reopened.\nFinished.",
    "Editors and reporters said on Sunday that they would strike.",
    "“The harbour stays open,” the mayor said.",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_draw_nothing_from_the_new_rules(text):
    for rid in NEW + CHANGED:
        assert not _found(rid, text), (rid, text)


@pytest.mark.parametrize("rid,text,fixed", [
    ("typography.number-separator", "Nearly 4500000 people voted, and 123456 stayed home.",
     "Nearly 4,500,000 people voted, and 123,456 stayed home."),
    ("typography.number-separator", "The fine is 20000 yuan ($3000).", "The fine is 20,000 yuan ($3000)."),
    ("typography.hyphen-as-dash", "It is closer than we thought-maybe a little too close.",
     "It is closer than we thought—maybe a little too close."),
    ("typography.hyphen-as-dash", "These are towns in England and Wales-the poorest on the right.",
     "These are towns in England and Wales—the poorest on the right."),
    ("typography.spaced-hyphen-compound", "A high - risk area and a well - known singer.",
     "A high-risk area and a well-known singer."),
    ("typography.spaced-hyphen-compound", "They build middle - income housing.", "They build middle-income housing."),
    ("mt.reporting-inversion", "The striker and journalists said after the match that he would stay.",
     "The striker told journalists after the match that he would stay."),
    ("mt.reporting-inversion", "Coach Anna Berg and local reporters told yesterday that the game was off.",
     "Coach Anna Berg told local reporters yesterday that the game was off."),
])
def test_garbled_variants_are_fixed(rid, text, fixed):
    assert _found(rid, text), (rid, text)
    assert _fixed(rid, text) == fixed


@pytest.mark.parametrize("rid,text", [
    ("mt.fragment", "The airport closed its second runway for repairs. Finished."),
    ("mt.fragment", "The police sealed the road to the port. Blocked."),
    ("quotes.unclosed-start", "“The ceasefire will hold, the minister said.\n\nTalks resume on Monday."),
])
def test_garbled_variants_are_flagged(rid, text):
    found = _found(rid, text)
    assert found and all(f.fix is None for f in found)


def test_number_groups_by_three():
    rule = RULES["typography.number-separator"]
    assert [rule.group(d) for d in ("12345", "123456", "1234567", "12345678901")] == [
        "12,345", "123,456", "1,234,567", "12,345,678,901"]


def test_fragment_lexicon_lookup_does_not_build_the_whole_table():
    """Building the lexicon's table costs about 0.3 s, over a hook's budget: the fragment rule
    looks its few words up without it."""
    from repair import lexicon

    lexicon.frequencies.cache_clear()
    assert _found("mt.fragment", "The airport closed its second runway for repairs. Finished.")
    assert lexicon.frequencies.cache_info().currsize == 0


# --- precision on single sentences and excerpts (LanguageTool's correct examples) ----------

@pytest.mark.parametrize("text", [
    "Floods close the coast road after three days of heavy rain",
    "Schematic drawing of the new membrane for filtering sea water",
    "All animals are equal but some animals are more equal than others",
])
def test_a_one_sentence_headline_is_not_cut(text):
    assert not _found("quotes.unfinished-end", text)


@pytest.mark.parametrize("text", [
    "The ferry will run twice a day from the north pier until the",
    "The ferry will run twice a day from the north pier, and",
    "The ferry will run twice a day from the north pier on weekdays,",
    "The pier opened in May. The ferry will run twice a day from the north pier on weekdays",
])
def test_a_cut_sentence_is_still_found(text):
    assert _found("quotes.unfinished-end", text)


def test_a_word_cut_by_an_excerpts_ellipsis_is_no_misspelling():
    from repair import api
    from repair.options import Options

    def spelled(text):
        return [f.text for f in api.check(text, Options()) if f.rule == "harper.Spelling.SpellCheck"]

    assert spelled("...stics of the new engine were measured twice.") == []
    assert spelled("The new engine was tested by the team in the dese...") == []
    # inside the text the same fragment is a misspelling
    assert spelled("The stics of the new engine were measured twice.") == ["stics"]
