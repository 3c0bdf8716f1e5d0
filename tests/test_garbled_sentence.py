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


# --- with a source (a translation unit): the source-aware score and its own thresholds -----------

RO_SOURCE = "Trenul pleacă la ora opt dimineața, iar pasagerii urcă în primele vagoane."
# garbled next to its source: far longer than a Romanian sentence of this length predicts, with
# numbers the source lacks; on its own it reads as merely clumsy English
RO_TARGET = ("The train of the train leaves at the eight of the morning, and the passengers of the train "
             "climb the first of the wagons of the train.")


def po_text(source: str, target: str, language: str | None = "ro") -> str:
    lang = f'"X-Source-Language: {language}\\n"\n' if language else ""
    return (f'msgid ""\nmsgstr ""\n"Language: en\\n"\n{lang}"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid "{source}"\nmsgstr "{target}"\n')


def check_rules(path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--isolated", "--format", "json", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr
    return [f for f in json.loads(proc.stdout)["files"][0]["findings"] if f["rule"] == RULE]


def test_a_po_unit_garbled_next_to_its_source_is_flagged_where_the_plain_text_is_not(tmp_path):
    from repair.score.source import source_shift

    # the premise, from the shipped data: quiet alone, flagged with its source
    assert garble.sentence_score(RO_TARGET) < garble.thresholds().info
    shift = source_shift(RO_SOURCE, RO_TARGET, "ro")
    assert shift is not None and shift > 0
    assert garble.sentence_score_with_source(RO_TARGET, shift) >= garble.source_thresholds("ro").info
    po = tmp_path / "app.po"
    po.write_text(po_text(RO_SOURCE, RO_TARGET), encoding="utf-8")
    found = check_rules(po)
    assert len(found) == 1
    f = found[0]
    assert f["text"] == RO_TARGET and f["unit"]["source_text"] == RO_SOURCE
    assert "next to its source" in f["message"]
    txt = tmp_path / "app.txt"
    txt.write_text(RO_TARGET + "\n", encoding="utf-8")
    assert check_rules(txt) == []


def test_thresholds_with_a_source_are_read_from_the_data_file(monkeypatch):
    from repair.score.source import SOURCE_MODEL_PATH

    with open(SOURCE_MODEL_PATH, encoding="utf-8") as fh:
        spec = json.load(fh)["meta"]["sentence_findings"]
    assert set(spec["languages"]) == {"ro", "et", "ne", "si", "ru"}
    assert "train" in spec["fitted_on"]
    for lang, t in spec["languages"].items():
        assert garble.source_thresholds(lang) == Thresholds(t["info"], t["warning"])
        assert 0 < t["info"] <= t["warning"] <= 100
        assert garble.source_thresholds(lang.upper() + "-XX") == garble.source_thresholds(lang)
    # another data file, other thresholds
    monkeypatch.setattr(garble, "_source_spec", lambda: {"languages": {"ro": {"info": 11, "warning": 22}},
                                                         "pooled": {"info": 33, "warning": 44}})
    assert garble.source_thresholds("ro") == Thresholds(11.0, 22.0)
    assert garble.source_thresholds("de") == Thresholds(33.0, 44.0)
    monkeypatch.setattr(garble, "_source_spec", lambda: {})
    assert garble.source_thresholds("ro") == Thresholds(101.0, 101.0)  # no data: never


def _unit_source(text: str, options: Options | None = None):
    from repair.bilingual import po
    from repair.formats.translation import _current_unit

    unit = po.parse(text).units[0]
    token = _current_unit.set(unit)
    try:
        return garble.unit_source(options or Options())
    finally:
        _current_unit.reset(token)


def test_a_unit_of_an_unknown_source_language_uses_the_pooled_thresholds():
    from repair.score.source import load_source_model

    pooled = load_source_model().meta["sentence_findings"]["pooled"]
    pooled_limits = Thresholds(pooled["info"], pooled["warning"])
    de = _unit_source(po_text("Der Zug fährt um acht Uhr morgens ab, und die Fahrgäste steigen vorne ein.", RO_TARGET,
                              "de"))
    assert de is not None and de.limits == pooled_limits
    assert garble.source_thresholds(None) == pooled_limits
    ro = _unit_source(po_text(RO_SOURCE, RO_TARGET))
    assert ro is not None and ro.limits == garble.source_thresholds("ro") != pooled_limits
    # the option names the language when the file does not
    assert _unit_source(po_text(RO_SOURCE, RO_TARGET, None), Options(source_language="ro")).limits == ro.limits
    assert _unit_source(po_text(RO_SOURCE, RO_TARGET, None)).limits == pooled_limits  # Latin script: not told


def test_units_the_score_cannot_use_the_source_of_are_judged_as_plain_text():
    assert garble.unit_source(Options()) is None  # no unit: a plain text
    assert _unit_source(po_text("menu.save.title", RO_TARGET)) is None          # a key, not a source
    assert _unit_source(po_text("The train leaves at eight in the morning.", RO_TARGET, "en")) is None
    assert _unit_source(po_text(RO_SOURCE, RO_TARGET), Options(target_language="fr")) is None


def test_with_a_source_each_sentence_is_scored_once_and_the_source_once_per_unit(monkeypatch):
    from repair.score import source as score_source

    garble._with_source.cache_clear()
    calls = []
    real = score_source.source_features
    monkeypatch.setattr(score_source, "source_features", lambda *a, **k: calls.append(a) or real(*a, **k))
    scored = []
    monkeypatch.setattr(garble, "sentence_score_with_source", lambda s, shift: scored.append(s) or 0.0)
    monkeypatch.setattr(garble, "sentence_score", lambda s: pytest.fail("the monolingual score of a unit"))
    text = po_text(RO_SOURCE, " ".join(CLEAN))
    for _ in range(3):
        source = _unit_source(text)
        assert source is not None
        assert garbled_sentences(" ".join(CLEAN), source=source) == []
    assert len(calls) == 1 and len(scored) == 3 * len(CLEAN)
    garble._with_source.cache_clear()
