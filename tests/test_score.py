"""The garble score: features, the shipped model, and scores of our own sample texts."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import repair
from repair.model import Finding, Span
from repair.report.metrics import metrics_for
from repair.score import (MODEL_PATH, RATES_PATH, Model, Scored, aggregate, counts_in_document, edit_rate_features,
                          edit_rates, finding_keys, finding_points, lexicon, load_model, rate_keys,
                          read_rates, score_text, sentence_features)

CLEAN = [
    "The library opens at nine in the morning and closes at six in the evening.",
    "Most visitors come on Saturdays, when the reading room is quiet and full of light.",
    "The staff will help you find a book, order one from another branch or renew a loan.",
    "The cat sat on the mat and looked out of the window.",
    "Our neighbours keep bees in the garden behind their house.",
    "After the storm, the council closed the coast road for two days.",
    "She sold the old car in March and now takes the bus to work.",
    "The museum added a new wing for its collection of maps.",
]
GARBLED = [
    "The the committee decided decided to to approve approve the plan plan on Tuesday.",
    "He said said that that that the the vote vote was was fair fair fair.",
    "Lord Lord, my Lord, my Lord, my Lord, my Lord, my Lord, and and and the the the.",
]
# machine-translation garble of our own, with the kinds of faults the rules repair
MT_GARBLE = ("The council has been reviewing the plan since early spring, ordering to close or close the "
             "two old bridges and to build a new one. Approved.\n\n"
             "“We will finish the work by winter,” city engineer Anna Berg and local reporters told. "
             "The cost of the work is is about four million.")


def _score(text: str):
    return score_text(text, repair.analyse(text, grammar="none").findings)


def _sentence(text: str) -> float:
    return _score(text).document


def test_finding_keys_are_rule_and_prefixes_and_skip_grammar_and_boilerplate():
    f = Finding("mt.repeated-phrase", "rules", "warning", "m", Span(0, 3), "abc")
    assert finding_keys(f) == ["rule:mt.repeated-phrase", "prefix:mt"]
    assert finding_keys(Finding("harper.Spelling.SpellCheck", "harper", "warning", "m", Span(0, 3), "abc")) == []
    assert finding_keys(Finding("boilerplate.duplicate-paragraph", "rules", "info", "m", Span(0, 3), "abc")) == []


def test_score_does_not_depend_on_grammar_checker_findings():
    text = CLEAN[1]
    lint = Finding("harper.Spelling.SpellCheck", "harper", "warning", "m", Span(4, 12), text[4:12])
    assert sentence_features(text, [lint]) == sentence_features(text)


def test_features_see_repetition_fragments_script_and_quotes():
    loop = sentence_features("my Lord, my Lord, my Lord, my Lord")
    assert loop["rep_bigrams"] >= 3 and loop["lower_start"] == 1 and loop["no_final_punct"] == 1
    clean = sentence_features(CLEAN[2])
    assert clean["rep_bigrams"] == 0 and clean["no_final_punct"] == 0 and clean["unk_low_rate"] == 0
    assert sentence_features("The meeting was held in 東京都庁舎 yesterday.")["foreign_rate"] == pytest.approx(5 / 33)
    assert sentence_features("He said “we will come back tomorrow.")["unbalanced"] == 1
    assert sentence_features("The blorptastic wuzzle frimbled the grontic.")["unk_low_rate"] >= 0.5
    # a pair of frequent words that English never puts together is surprising
    surprise = [sentence_features(s)["pair_surp_max"] for s in ("It is of the house.", "It is the of house.")]
    assert surprise[0] < surprise[1]


def test_findings_count_by_rule_and_prefix():
    fs = [Finding("mt.doubled-verb", "rules", "warning", "m", Span(0, 3), "abc")] * 2
    feats = sentence_features("abc def ghi.", fs)
    assert feats["rule:mt.doubled-verb"] == feats["prefix:mt"] == pytest.approx(math.log(3))


def test_edit_rates_are_data_and_names_are_neutral():
    rates = edit_rates()
    assert len(rates.unigrams) > 1000 and len(rates.bigrams) > 1000
    assert "<unkcap>" not in rates.unigrams  # a name is not evidence of garble
    keys = rate_keys("Zorvakia Quintrelle paid 40 euros for the blorptastic 東京 lamp.")
    assert keys[:2] == ["<unkcap>", "<unkcap>"] and "<num>" in keys and "<unklow>" in keys and "<nonascii>" in keys
    named = edit_rate_features(rate_keys("Zorvakia met Quintrelle."), rates)
    assert named["ep_word_mean"] == pytest.approx((2 * rates.unigram_default + rates.unigrams["met"]) / 3)


def test_legitimate_repeats_of_the_rules_allow_list_are_not_repetition():
    assert sentence_features("She had had enough by the time we reached Walla Walla.")["adjacent_repeat"] == 0
    assert sentence_features("She said that that was fine.")["adjacent_repeat"] == 0
    assert sentence_features("The the train left left early.")["adjacent_repeat"] == 2


def test_typographic_punctuation_scores_as_its_plain_form():
    curly = "“We came back,” she said – and then she was gone…"
    plain = '"We came back," she said - and then she was gone.'
    assert rate_keys(curly) == rate_keys(plain)
    assert "<punct>" not in rate_keys(curly)


def test_read_rates_roundtrip(tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text("# comment\nu\t<default>\t0.01\nb\t<default>\t-0.02\nu\tcat\t0.2\nb\tthe cat\t-0.1\n",
                    encoding="utf-8")
    r = read_rates(str(path))
    assert r.unigrams == {"cat": 0.2} and r.bigrams == {"the cat": -0.1}
    assert (r.unigram_default, r.bigram_default) == (0.01, -0.02)
    f = edit_rate_features(["the", "cat", "."], r)
    assert f["ep_max"] == 0.2 and f["ep_word_mean"] == pytest.approx((0.01 + 0.2) / 2)
    assert f["bp_ep_mean"] == pytest.approx((-0.02 - 0.1 - 0.02) / 3)


def test_model_is_plain_json_with_monotone_functions():
    with open(MODEL_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    model = Model.from_json(data)
    assert model.meta["fitted_by"] in ("benchmarks/fit_score.py", "training/fit_score.py")  # moved to training/
    # fitted on machine translation and on post-edits as clean English, not on MT alone
    assert model.meta["post_edits"]["share"] > 0 and model.meta["post_edits"]["rows"] > 1000
    assert model.numeric and all(w >= 0 for w in model.keys.values())
    for name, spec in model.numeric.items():
        assert spec["x"] == sorted(spec["x"]) and len(spec["x"]) == len(spec["y"]), name
        assert all(b >= a for a, b in zip(spec["y"], spec["y"][1:])), name  # larger is never less suspicious
    xs = [x for x, _ in model.calibration]
    assert xs == sorted(xs) and len(xs) >= 2
    assert not any(k.startswith(("rule:boilerplate", "prefix:boilerplate", "rule:harper")) for k in model.keys)
    with open(RATES_PATH, encoding="utf-8") as fh:
        assert fh.readline().startswith("#")


def test_model_arithmetic():
    m = Model(0.1, {"x": {"x": [0.0, 2.0, 10.0], "y": [0.0, 0.1, 0.9]}}, {"rule:a": 0.2},
              calibration=((0.1, 0.0), (1.1, 1.0)))
    assert m.predict({"x": 1.0}) == pytest.approx(0.15)
    assert m.predict({"x": 4.0, "rule:a": 1.0}) == pytest.approx(0.1 + 0.3 + 0.2)
    assert m.predict({"x": 50.0}) == pytest.approx(1.0)  # constant past the last point
    assert m.score({"x": -3.0}) == 0.0 and m.score({"x": 50.0}) == pytest.approx(90.0)
    assert m.score({"x": 4.0}) == pytest.approx(30.0)
    # findings add their points on top of the clipped text score, clipped at 100
    assert m.score({"x": -3.0, "rule:a": 1.0}) == pytest.approx(20.0)
    assert m.score({"x": 50.0, "rule:a": 1.0}) == 100.0


def test_clean_sentences_of_our_own_score_low():
    scores = [_sentence(s) for s in CLEAN]
    assert max(scores) < 40, scores
    assert sum(scores) / len(scores) < 20, scores


def test_garbled_sentences_score_above_clean_ones():
    clean = [_sentence(s) for s in CLEAN]
    garbled = [_sentence(s) for s in GARBLED]
    assert max(clean) + 20 < min(garbled), (clean, garbled)
    assert all(0.0 <= s <= 100.0 for s in clean + garbled)


def test_garbled_text_scores_clearly_above_its_repair():
    before = _score(MT_GARBLE)
    fixed = repair.fix(MT_GARBLE, grammar="none", unsafe=True)
    assert fixed != MT_GARBLE
    after = _score(fixed)
    assert before.document > after.document + 10, (before.document, after.document)


def test_doubling_a_phrase_never_lowers_a_sentence_score():
    for sentence in CLEAN:
        words = sentence.rstrip(".").split()
        base = _sentence(sentence)
        for i in range(1, len(words) - 2, 2):
            doubled = " ".join(words[:i + 2] + words[i:i + 2] + words[i + 2:]) + "."
            assert _sentence(doubled) >= base, (sentence, doubled)
        word = " ".join(words[:3] + words[2:3] + words[3:]) + "."
        assert _sentence(word) >= base, (sentence, word)


def test_one_word_fragment_pulls_a_paragraph_up():
    para = " ".join(CLEAN[:3])
    with_fragment = CLEAN[0] + " Relocated. " + " ".join(CLEAN[1:3])
    assert _score(with_fragment).document > _score(para).document + 5


def test_boilerplate_sentences_weigh_little_next_to_others():
    def s(score, words=10, boiler=False):
        return Scored(Span(0, 1), score, words, boiler)

    plain = aggregate([s(10), s(10), s(10)])
    assert plain == pytest.approx(10.0)
    assert aggregate([s(10), s(10), s(10), s(80, boiler=True)]) < aggregate([s(10), s(10), s(10), s(80)]) - 20
    assert aggregate([s(80, boiler=True)]) == pytest.approx(80.0)  # alone, it is what there is
    # the worst sentences weigh more than a plain mean
    assert aggregate([s(0)] * 9 + [s(90)]) > 40  # a plain mean would say 9


def test_paragraph_scores_point_at_the_garbled_paragraph():
    text = "\n\n".join([" ".join(CLEAN[:3]), " ".join(GARBLED), " ".join(reversed(CLEAN[:3]))])
    scores = _score(text)
    assert len(scores.paragraphs) == 3
    worst = max(scores.paragraphs, key=lambda p: p.score)
    assert text[worst.span.start:worst.span.end] == " ".join(GARBLED)
    assert len(scores.sentences) == 9
    clean_doc = _score("\n\n".join([" ".join(CLEAN[:3]), " ".join(reversed(CLEAN[:3]))])).document
    assert scores.document > clean_doc + 20


def test_metrics_for_shape():
    text = " ".join(CLEAN[:3]) + "\n\n" + " ".join(GARBLED)
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


@pytest.mark.slow
def test_lexicon_comes_from_symspellpy_without_importing_heavy_modules():
    lex = lexicon()
    assert lex.unigrams["the"] > lex.unigrams["library"] > 0
    assert lex.logprob("of", "the") > lex.logprob("of", "library")
    out = subprocess.run([sys.executable, "-c",
                          "import sys; from repair.score import score_text; score_text('A short test.', ()); "
                          "print(sorted(m for m in ('symspellpy', 'numpy', 'scipy', 'textstat') if m in sys.modules))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_load_model_is_cached():
    assert load_model() is load_model()
    assert edit_rates() is edit_rates()


SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# plain edited prose of about 300 words, no finding (the length of samples/rules-boilerplate.txt)
CLEAN_PAGE = """The town library reopened on Monday after eight months of repairs to its roof and heating. The
work cost less than the council had feared, and the builders finished two weeks early.

Visitors will find the reading room on the ground floor, next to a new cafe run by volunteers.
The children's books have moved upstairs, where there is more light and space for the weekly
story hour. Staff say the old card catalogue will stay on display, although nobody has used it
for years.

The library was built in 1902 with money from a local mill owner, who insisted that it stay open
in the evenings so that workers could use it after their shifts. That rule still holds: the doors
close at eight on weekdays and at five on Saturdays.

During the repairs, the collection was kept in a school hall across the road. Volunteers carried
most of the boxes by hand, and only a handful of books were lost or damaged. The local history
society used the time to sort through letters and photographs that had sat in the basement since
the war, and it plans to show some of them in the spring.

The head librarian thanked the builders and the volunteers, and asked readers to return any books
they had borrowed before the closure. There will be no fines for late returns this month.

Next year the council hopes to add a small room for meetings and classes. It has asked residents
to say what they would like to see there, and the first suggestions include a chess club, a
language group and evening talks on the history of the valley.
"""


def test_findings_weigh_in_the_document_score():
    text = " ".join(CLEAN[:3]) + "\n\n" + " ".join(CLEAN[3:])
    base = score_text(text, ())
    assert base.findings == 0.0
    boiler = [Finding("boilerplate.duplicate-paragraph", "rules", "warning", "m", Span(0, 20), text[:20]),
              Finding("boilerplate.metadata-line", "rules", "info", "m", Span(21, 40), text[21:40])]
    with_boiler = score_text(text, boiler)
    assert with_boiler.findings > 10 and with_boiler.document > base.document + 10
    assert with_boiler.document == pytest.approx(aggregate(with_boiler.sentences) + with_boiler.findings)
    # the paragraph holding them is pulled up too; the sentences' own scores are untouched
    assert with_boiler.paragraphs[0].score > base.paragraphs[0].score + 10
    assert with_boiler.paragraphs[1].score == base.paragraphs[1].score
    assert [s.score for s in with_boiler.sentences] == [s.score for s in base.sentences]
    # grammar checkers and readability never count: the score is the same whatever --grammar is
    lint = [Finding("harper.Spelling.SpellCheck", "harper", "warning", "m", Span(4, 12), text[4:12]),
            Finding("readability.long-sentence", "readability", "info", "m", Span(0, 30), text[:30])]
    assert score_text(text, lint).document == base.document


def test_finding_points_by_severity_per_100_words_saturating():
    def f(severity):
        return Finding("mt.fragment", "rules", severity, "m", Span(0, 1), "a")

    assert finding_points([], 300) == 0.0
    assert finding_points([f("warning")], 300) == pytest.approx(50 * (1 - math.exp(-5 / 50)))
    assert finding_points([f("error")], 300) > finding_points([f("warning")], 300) > finding_points([f("info")], 300)
    # a short text counts as 100 words, so one finding does not swamp it
    assert finding_points([f("warning")], 20) == finding_points([f("warning")], 100)
    assert 49 < finding_points([f("error")] * 100, 100) <= 50.0


def test_clean_text_scores_below_garbled_text_of_the_same_length():
    clean = (SAMPLES / "clean.txt").read_text(encoding="utf-8")  # 48 words, no finding
    garbled = (SAMPLES / "rules-endings.txt").read_text(encoding="utf-8")  # 52 words, two MT garbles
    assert _score(garbled).document > _score(clean).document + 5
    # a scraped page full of boilerplate scores above clean prose of its length
    page = (SAMPLES / "rules-boilerplate.txt").read_text(encoding="utf-8")
    assert 250 <= len(CLEAN_PAGE.split()) <= 340 and 250 <= len(page.split()) <= 340
    assert not [f for f in repair.analyse(CLEAN_PAGE, grammar="none").findings if counts_in_document(f)]
    assert _score(page).document > _score(CLEAN_PAGE).document + 10

