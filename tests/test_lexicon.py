"""The offline word list that keeps real words from being called misspellings (real symspellpy data)."""
from __future__ import annotations

import pytest

from repair import lexicon

pytestmark = pytest.mark.skipif(not lexicon.available(), reason="symspellpy (its word list) is not installed")


@pytest.mark.parametrize("word", ["teh", "recieve", "Recieve", "goverment", "definately", "occured",
                                  "seperate", "thier", "truely", "happyness", "wierd"])
def test_common_misspellings_are_not_known_words(word):
    assert not lexicon.is_known_word(word)
    assert lexicon.not_a_misspelling(word) is None


@pytest.mark.parametrize("word", ["connexion", "marvellous", "predaceous", "apperception", "fibre",
                                  "Colour’s", "décor", "coupé", "well-known"])
def test_real_words_are_known(word):
    assert lexicon.is_known_word(word)


@pytest.mark.parametrize("word, stem", [("pragmatistic", "pragmatism"), ("unreflected", "reflected"),
                                        ("manyness", "many")])
def test_regular_derivations_of_common_words(word, stem):
    assert lexicon.derivation_stem(word) == stem
    assert lexicon.is_known_word(word)


def test_a_listed_word_next_to_a_far_more_common_one_stays_suspect():
    # "gaol" is listed, but "goal" is one edit away and far more common
    word, (near, near_count) = "gaol", lexicon.strongest_neighbour("gaol")
    assert near == "goal" and near_count > lexicon.NEIGHBOUR_RATIO * lexicon.count(word)
    assert not lexicon.is_known_word(word)
    # another dialect's spelling is not such a neighbour: "fibre" is known although "fiber" is near
    assert lexicon.strongest_neighbour("fibre")[0] != "fiber"


def test_typo_shape_one_edit_from_a_common_word():
    assert lexicon.is_typo_shaped("recieve") and lexicon.is_typo_shaped("thw")
    assert not lexicon.is_typo_shaped("Stoltenberg")
    assert not lexicon.is_typo_shaped("methyltransferase")
    assert lexicon.not_a_misspelling("Kogalniceanu") == "no common word is one edit away"


def test_initials_foreign_phrases_and_dropped_g():
    assert lexicon.not_a_misspelling("J.") == "initials"
    assert lexicon.not_a_misspelling("A.D.") == "initials"
    text = "It was de facto a coup d’etat, said Smith et al. in the report."
    for word in ("facto", "d’etat", "al"):
        start = text.index(word)
        assert lexicon.not_a_misspelling(word, text, start, start + len(word)) == "foreign phrase"
    assert not lexicon.in_foreign_phrase("the facto report", 4, 9)
    text = "We was goin’ home, and goin home."
    first = text.index("goin")
    second = text.index("goin", first + 1)
    assert lexicon.is_dropped_g("goin", text, first + 4)
    assert not lexicon.is_dropped_g("goin", text, second + 4)  # no apostrophe: could be a typo


def test_common_pairs():
    assert lexicon.is_common_pair("the", "same")
    assert not lexicon.is_common_pair("print", "makers")


def test_pair_list_answers_the_same_by_scanning_and_by_set():
    pairs = ["the same", "kick in", "print makers", "sea port", "of the", "the of", "same the", "zzz qqq"]
    pairs += [f"the {w}" for w in ("house", "end", "xylophonic", "way", "and")]
    scanning = lexicon._PairList()
    scanning.SCAN_LIMIT = 10 ** 6
    by_set = lexicon._PairList()
    by_set.SCAN_LIMIT = 0
    answers = [p in scanning for p in pairs]
    assert answers == [p in by_set for p in pairs]
    assert by_set._table is not None and scanning._table is None
    assert answers[:2] == [True, True] and not answers[2] and not answers[7]


def test_synthetic_typos_of_common_words_stay_misspellings():
    # one random edit in common words: nearly all must stay suspect
    import random

    rnd = random.Random(7)
    freq = lexicon.frequencies()
    words = [w for w, c in sorted(freq.items(), key=lambda x: -x[1])[:3000] if len(w) >= 5 and w.isalpha()]
    typos = []
    for w in rnd.sample(words, 400):
        i = rnd.randrange(1, len(w) - 1)
        typo = w[:i] + w[i + 1] + w[i] + w[i + 2:]  # swap two letters
        if typo != w and typo not in freq:
            typos.append(typo)
    rescued = [t for t in typos if lexicon.not_a_misspelling(t)]
    assert len(typos) > 300
    assert len(rescued) <= len(typos) // 50, rescued


def test_acronyms_and_brand_names_unless_the_line_is_in_capitals():
    text = "The DEQ issued a permit, and eSpeed shares rose."
    for word in ("DEQ", "eSpeed"):
        start = text.index(word)
        assert lexicon.not_a_misspelling(word, text, start, start + len(word)) == "acronym or brand"
    shout = "WE RECIEVE TEH LETTERS EVERY DAY"
    start = shout.index("TEH")
    assert lexicon.not_a_misspelling("TEH", shout, start, start + 3) is None
    assert not lexicon.is_acronym_or_brand("Recieve") and not lexicon.is_acronym_or_brand("teh")
