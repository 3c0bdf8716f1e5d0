"""mt.garbled-sentence (repair/checks/garble.py): a sentence whose garble score is high gets a
finding an editor sees; clean sentences, labels, headings, list items and code do not; the
finding never feeds back into the score; the check is lazy and stays off `--grammar none`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from repair import catalog
from repair.checks import garble, registry
from repair.checks.garble import RULE, Thresholds, garbled_sentences, is_prose
from repair.model import Finding, Span
from repair.options import Options
from repair.score import counts_in_document, finding_keys, load_model, score_text

# garble of our own, in the shapes the sentence model reads as machine translation (loops, lists of
# the same noun phrase); none of them is from a corpus
GARBLED = [
    "The smoke filled the back half of the stretch of the stretch of the stretch of the road.",
    "The fields of the fields of the fields of the fields were sown with the wheat of the wheat.",
    "He looked at the crowd and the monsters and the monsters and the monsters.",
    "The train, the train, the train, the train and the train arrived at the station late.",
]
CLEAN = [
    "The library opens at nine in the morning and closes at six in the evening.",
    "Most visitors come on Saturdays, when the reading room is quiet and full of light.",
    "After the storm, the council closed the coast road for two days.",
    "She sold the old car in March and now takes the bus to work.",
    "Our neighbours keep bees in the garden behind their house, and sell the honey at the market.",
    "The report was written in haste, but its figures were checked twice before it went to print.",
]
EVERYTHING = Thresholds(info=0.0, warning=0.0)  # every prose sentence fires: isolates the prose test


def test_model_stores_fitted_thresholds():
    spec = load_model().meta["sentence_findings"]
    assert 0 < spec["info"] <= spec["warning"] <= 100
    assert "train" in spec["fitted_on"]


@pytest.mark.parametrize("sentence", GARBLED)
def test_garbled_sentences_of_our_own_are_flagged(sentence):
    text = f"The meeting began at noon. {sentence} Everyone went home afterwards."
    found = garbled_sentences(text)
    assert [f.rule for f in found] == [RULE]
    f = found[0]
    assert text[f.span.start:f.span.end] == sentence == f.text
    assert f.severity in ("info", "warning") and f.fix is None and f.source == "garble"
    assert "garbled machine translation" in f.message and "/100" in f.message


def test_severity_follows_the_two_thresholds():
    sentence = GARBLED[0]
    assert garbled_sentences(sentence, Thresholds(0.0, 0.0))[0].severity == "warning"
    assert garbled_sentences(sentence, Thresholds(0.0, 101.0))[0].severity == "info"
    assert garbled_sentences(sentence, Thresholds(101.0, 101.0)) == []


def test_clean_sentences_of_our_own_are_quiet():
    assert garbled_sentences(" ".join(CLEAN)) == []


@pytest.mark.parametrize("text", [
    "Annual report of the board",                                   # heading: no final punctuation
    "Chapter one.",                                                  # label: too short
    "Yes, of course.",                                               # one-word reply
    "- the stretch of the stretch of the stretch of the road.",      # list item
    "1. the monsters and the monsters and the monsters went.",       # numbered item
    "Call result = compute(the_stretch, of_the, stretch) and return it now.",  # code
    "a | b | c | d | e | f | g | h.",                                # table row
])
def test_labels_headings_lists_and_code_never_fire(text):
    assert not is_prose(text)
    assert garbled_sentences(text, EVERYTHING) == []


def test_prose_sentences_do_fire_at_a_zero_threshold():
    # the prose test, not the threshold, is what keeps the cases above quiet
    assert all(is_prose(s) for s in CLEAN + GARBLED)
    assert len(garbled_sentences(" ".join(CLEAN), EVERYTHING)) == len(CLEAN)


def test_findings_never_feed_back_into_the_score():
    text = GARBLED[0]
    own = Finding(RULE, "garble", "warning", "m", Span(0, len(text)), text)
    assert finding_keys(own) == []
    assert not counts_in_document(own)
    assert score_text(text, [own]).document == score_text(text, []).document


def test_registered_as_an_unscored_source_with_its_id_declared():
    source = registry.get("garble")
    assert source is not None and not source.grammar and not source.scored
    assert "garble" in registry.UNSCORED_SOURCES
    assert RULE in garble.RULES
    assert RULE in {r.id for r in catalog.all_rules()}


def test_off_with_grammar_none_and_on_the_default_path():
    assert garble.build(Options(grammar="none")) == []
    assert [c.name for c in garble.build(Options(grammar="harper"))] == ["garble"]
    # selection: ignoring the id turns it off
    check = garble.GarbleCheck()
    assert check.check(GARBLED[0], Options(ignore=(RULE,))) == []


def test_scores_each_prose_sentence_once(monkeypatch):
    calls = []
    monkeypatch.setattr(garble, "sentence_score", lambda s: calls.append(s) or 0.0)
    text = " ".join(CLEAN * 10) + "\n\nA heading\n\nShort one."
    assert garbled_sentences(text, Thresholds(50.0, 80.0)) == []
    assert len(calls) == len(CLEAN) * 10  # the heading and the short sentence are never scored


def test_importing_the_check_loads_no_model():
    code = ("import sys, repair.checks.garble, repair.checks.registry as r; from repair.options import Options; "
            "r.build(Options(grammar='none')); "
            "import repair.lexicon as l; print(l.frequencies.cache_info().currsize, 'repair.score' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]


def test_check_reports_it_on_the_default_path(tmp_path):
    path = tmp_path / "mt.txt"
    path.write_text(f"The meeting began at noon. {GARBLED[2]}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--format", "json", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    rules = [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]]
    assert RULE in rules
    proc = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", "--format", "json",
                           str(path)], capture_output=True, text=True)
    assert RULE not in proc.stdout


def test_article_shapes_of_translation_from_languages_without_articles():
    from repair.score import text_features

    chain = text_features("The decision of the head of the department of the ministry was made on Monday.")
    plain = text_features("Anna Berg met her brother in Tartu, and they walked home together.")
    assert chain["of_chain"] == 2.0 and plain["of_chain"] == 0.0
    assert chain["the_rate"] > 0.25 and plain["the_rate"] == 0.0
    assert plain["short_no_name"] == 0.0  # it names someone
    assert text_features("Where you sleep, there you lie down.")["short_no_name"] == 1.0
    # the shipped model uses them (fitted on MLQE-PE train), each monotone non-decreasing
    model = load_model()
    for name in ("the_rate", "of_chain", "short_no_name"):
        if name in model.numeric:
            ys = model.numeric[name]["y"]
            assert ys == sorted(ys)
    assert set(model.numeric) & {"the_rate", "of_chain", "short_no_name"}
