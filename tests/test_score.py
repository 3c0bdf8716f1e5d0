"""The garble score: features, the shipped model, and scores of our own sample texts."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import repair
from repair.model import Finding, Span
from repair.score import (MODEL_PATH, Model, finding_keys, lexicon, load_model, metrics_for, score_text,
                          sentence_features)

CLEAN = [
    "The library opens at nine in the morning and closes at six in the evening.",
    "Most visitors come on Saturdays, when the reading room is quiet and full of light.",
    "The staff will help you find a book, order one from another branch or renew a loan.",
]
GARBLED = [
    "The the committee decided decided to to approve approve the plan plan on Tuesday.",
    "He said said that that that the the vote vote was was fair fair fair.",
    "Lord Lord, my Lord, my Lord, my Lord, my Lord, my Lord, and and and the the the.",
]


def _score(text: str):
    return score_text(text, repair.analyse(text, grammar="none").findings)


def test_finding_keys_are_generic():
    f = Finding("harper.Spelling.SpellCheck", "harper", "warning", "m", Span(0, 3), "abc")
    assert finding_keys(f) == ["rule:harper.Spelling.SpellCheck", "prefix:harper", "prefix:harper.Spelling",
                               "source:harper", "severity:warning"]


def test_features_see_repetition_fragments_script_and_quotes():
    loop = sentence_features("my Lord, my Lord, my Lord, my Lord")
    assert loop["repeated_bigrams"] >= 3 and loop["lower_start"] == 1 and loop["no_final_punct"] == 1
    clean = sentence_features(CLEAN[2])
    assert clean["repeated_bigrams"] == 0 and clean["no_final_punct"] == 0 and clean["unknown_lower_rate"] == 0
    assert sentence_features("The meeting was held in 東京都庁舎 yesterday.")["foreign_letter_rate"] == pytest.approx(5 / 33)
    assert sentence_features("He said “we will come back tomorrow.")["unbalanced"] == 1
    assert sentence_features("The blorptastic wuzzle frimbled the grontic.")["unknown_lower_rate"] >= 0.5


def test_findings_count_by_rule_prefix_source_and_severity():
    fs = [Finding("mt.doubled-verb", "rules", "warning", "m", Span(0, 3), "abc")] * 2
    feats = sentence_features("abc def ghi.", fs)
    assert feats["rule:mt.doubled-verb"] == feats["prefix:mt"] == feats["source:rules"] == pytest.approx(1.0986, 1e-3)


def test_model_is_plain_json_with_non_negative_weights():
    with open(MODEL_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    model = Model.from_json(data)
    assert model.meta["fitted_by"] == "benchmarks/fit_score.py"
    assert all(w >= 0 for w in model.keys.values())
    assert all(w >= 0 for spec in model.numeric.values() for w in spec["w"])
    xs = [x for x, _ in model.calibration]
    assert xs == sorted(xs) and len(xs) >= 2


def test_model_arithmetic():
    m = Model(0.1, {"x": {"clip": [0.0, 10.0], "knots": [2.0], "w": [0.05, 0.1]}}, {"rule:a": 0.2},
              calibration=((0.1, 0.0), (1.1, 1.0)))
    assert m.predict({"x": 1.0}) == pytest.approx(0.15)
    assert m.predict({"x": 4.0, "rule:a": 1.0}) == pytest.approx(0.1 + 0.2 + 0.2 + 0.2)
    assert m.predict({"x": 50.0}) == pytest.approx(0.1 + 0.5 + 0.8)  # clipped at 10
    assert m.score({"x": 0.0}) == 0.0 and m.score({"x": 50.0}) == 100.0
    assert m.score({"x": 4.0, "rule:a": 1.0}) == pytest.approx(60.0)


def test_garbled_sentences_score_above_clean_ones():
    clean = [_score(s).document for s in CLEAN]
    garbled = [_score(s).document for s in GARBLED]
    assert max(clean) < min(garbled)
    assert all(0.0 <= s <= 100.0 for s in clean + garbled)


def test_paragraph_scores_point_at_the_garbled_paragraph():
    text = "\n\n".join([" ".join(CLEAN), " ".join(GARBLED), " ".join(reversed(CLEAN))])
    scores = _score(text)
    assert len(scores.paragraphs) == 3
    worst = max(scores.paragraphs, key=lambda p: p.score)
    assert text[worst.span.start:worst.span.end] == " ".join(GARBLED)
    assert len(scores.sentences) == 9
    clean_doc = _score("\n\n".join([" ".join(CLEAN), " ".join(reversed(CLEAN))])).document
    assert scores.document > clean_doc


def test_metrics_for_shape():
    text = " ".join(CLEAN) + "\n\n" + " ".join(GARBLED)
    result = repair.analyse(text, grammar="none")
    m = metrics_for(text, result, per_sentence=True)
    assert set(m) == {"garble_score", "readability", "paragraphs", "sentences"}
    assert {"flesch", "grade", "fog", "words", "words_per_sentence"} <= set(m["readability"])
    assert [p["first_words"] for p in m["paragraphs"]][0].startswith("The library opens")
    assert m["paragraphs"][1]["garble_score"] > m["paragraphs"][0]["garble_score"]
    json.dumps(m)


def test_empty_text_scores_zero():
    assert score_text("", ()).document == 0.0
    assert metrics_for("", None)["garble_score"] == 0.0


def test_lexicon_comes_from_symspellpy_without_importing_it():
    lex = lexicon()
    assert lex.unigrams["the"] > lex.unigrams["library"] > 0
    assert lex.logprob("of", "the") > lex.logprob("of", "library")
    out = subprocess.run([sys.executable, "-c",
                          "import sys; from repair.score import score_text; score_text('A short test.', ()); "
                          "print(sorted(m for m in ('symspellpy', 'numpy', 'scipy') if m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_load_model_is_cached():
    assert load_model() is load_model()
