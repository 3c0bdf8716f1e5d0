"""The Harper back end, run for real (harper-py must be installed)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("harper", reason="harper-py is not installed")

from repair.checks.harper import HarperCheck, linter_for, load_harper  # noqa: E402
from repair.edits import apply  # noqa: E402
from repair.options import Options  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def harper_check() -> HarperCheck:
    return HarperCheck.for_options(Options())


def by_text(findings):
    return {f.text: f for f in findings}


def test_interface(harper_check):
    assert harper_check.name == "harper"
    assert harper_check.scope == "document"
    assert isinstance(HarperCheck.for_options(Options(dialect="gb")), HarperCheck)


@pytest.mark.parametrize("prefix", [
    "",
    "😀🎉 ",                       # outside the BMP: two UTF-16 units, one code point each
    "Café naïve ",                 # precomposed accents
    "Cafe\u0301 nai\u0308ve ",     # combining accents (NFD)
    "First line.\r\nSecond line.\r\n",  # CRLF line endings
])
def test_spans_are_code_points_of_the_text(harper_check, prefix):
    text = prefix + "We recieve teh letters today."
    findings = harper_check.check(text, Options())
    found = by_text(findings)
    assert "recieve" in found and "teh" in found
    for f in findings:
        assert text[f.span.start:f.span.end] == f.text
        if f.fix is not None:
            assert f.fix.span == f.span
    assert found["teh"].fix.replacement == "the"
    assert found["recieve"].fix.replacement == "receive"
    assert found["teh"].rule.startswith("harper.Typo") or found["teh"].rule.startswith("harper.Spelling")
    # applying the fixes repairs exactly those words
    fixed = apply(text, [found["teh"].fix, found["recieve"].fix])
    assert fixed == prefix + "We receive the letters today."


def test_every_edit_is_a_suggestion_never_safe(harper_check):
    text = "He had had enough. I think that that is fine. She has a a dog. We went to to the shop."
    # "had had" and "that that" are grammatical: not reported unless their rules are selected
    assert [f.text for f in harper_check.check(text, Options())] == ["a a", "to to"]
    findings = harper_check.check(text, Options(select=("harper.Repetition", "harper.Typo")))
    assert {f.text for f in findings} >= {"that that", "a a", "to to"}  # "had had" is filtered out
    assert all(f.fix is None or f.fix.safety == "suggest" for f in findings)
    assert all(f.source == "harper" and f.sources == ("harper",) for f in findings)


def test_rule_ids_and_severity(harper_check):
    findings = by_text(harper_check.check("I could of done it, and she has a a dog.",
                                          Options(select=("harper.WordChoice", "harper.Repetition"))))
    assert findings["could of"].rule == "harper.WordChoice.ModalOf"
    assert findings["a a"].rule == "harper.Repetition.RepeatedWords"
    assert findings["a a"].severity == "warning"
    assert all(f.severity in ("error", "warning", "info") for f in findings.values())


def test_select_and_ignore_by_prefix(harper_check):
    text = "We recieve teh letters, and she has a a dog."
    assert "recieve" not in by_text(harper_check.check(text, Options(ignore=("harper.Spelling",))))
    only = harper_check.check(text, Options(select=("harper.Repetition",)))
    assert [f.text for f in only] == ["a a"]


def test_remove_suggestion_becomes_empty_replacement(harper_check):
    text = "I will go there , and then return."
    f = next(f for f in harper_check.check(text, Options()) if f.rule.startswith("harper.Punctuation"))
    assert f.text == " " and f.fix.replacement == ""
    assert apply(text, [f.fix]) == "I will go there, and then return."


def test_insert_after_suggestion_keeps_the_span_text(harper_check):
    # the Oxford comma rule is quiet by default; selecting it by id turns it on
    text = "We sent troops to Greece, Poland and Romania."
    assert not any("OxfordComma" in f.rule for f in harper_check.check(text, Options()))
    opts = Options(select=("harper.Style.OxfordComma",))
    (f,) = harper_check.check(text, opts)
    assert f.fix.span == f.span
    assert f.fix.replacement == f.text + ","
    assert apply(text, [f.fix]) == "We sent troops to Greece, Poland, and Romania."


def test_plain_text_versus_markdown(harper_check):
    text = "Type `recieve` to see it."
    assert "recieve" in by_text(harper_check.check(text, Options()))
    assert "recieve" not in by_text(harper_check.check(text, Options(input_format="markdown")))


def test_dialect_reaches_harper():
    text = "The colour of the car is grey."
    us = HarperCheck.for_options(Options(dialect="us"))
    gb = HarperCheck.for_options(Options(dialect="gb"))
    assert {"colour", "grey"} <= {lint.problem_text for _, lint in us.raw_lints(text, Options(dialect="us"))}
    assert not gb.raw_lints(text, Options(dialect="gb"))
    # another dialect's spelling of the suggested word is not garble: not reported either way
    assert us.check(text, Options(dialect="us")) == []
    assert gb.check("The color of the car is gray.", Options(dialect="gb")) == []
    # while a real misspelling still is, in both
    assert [f.text for f in gb.check("The colour of the car is gery.", Options(dialect="gb"))] == ["gery"]


@pytest.mark.slow
def test_names_are_not_misspellings(harper_check):
    text = textwrap.dedent("""\
        Minister Oskarine Vaderholm met the press on Monday. Vaderholm said the talks went well.

        Spokeswoman Telmarine Quibbsley confirmed that Vaderholm will travel to Brunsfjeld next week.
        We recieve teh letters every morning.""")
    found = by_text(harper_check.check(text, Options()))
    assert not {"Vaderholm", "Oskarine", "Telmarine", "Quibbsley", "Brunsfjeld"} & set(found)
    assert {"recieve", "teh"} <= set(found)
    raw = {lint.problem_text for _, lint in harper_check.raw_lints(text, Options())}
    assert "Vaderholm" in raw  # Harper itself does flag the name


def test_accepted_words(harper_check):
    text = "the wrokbench and the tolbox are ready."  # team jargon, one edit from real words
    assert {"wrokbench", "tolbox"} <= set(by_text(harper_check.check(text, Options())))
    found = by_text(harper_check.check(text, Options(accept_words=frozenset({"Wrokbench"}))))
    assert "wrokbench" not in found and "tolbox" in found


def test_linter_is_built_once_per_dialect():
    assert linter_for("us") is linter_for("us")
    assert linter_for("gb") is not linter_for("us")
    with pytest.raises(ValueError):
        linter_for("xx")


def test_multi_paragraph_quotation_is_not_unclosed(harper_check):
    opts = Options(select=("harper.Formatting.UnclosedQuotes",))  # quiet by default
    text = "“The first paragraph of his story ran on.\n\n“And the second one closed it.”"
    assert not any("UnclosedQuotes" in f.rule for f in harper_check.check(text, opts))
    broken = "“The story never closed.\n\nThe narrator went on."
    assert any("UnclosedQuotes" in f.rule for f in harper_check.check(broken, opts))
    assert not any("UnclosedQuotes" in f.rule for f in harper_check.check(broken, Options()))


def test_style_kinds_are_quiet_unless_selected(harper_check):
    text = " ".join(["The committee met and talked and argued and decided and then adjourned"] * 4) + "."
    assert not any(f.rule.startswith("harper.Readability") for f in harper_check.check(text, Options()))
    selected = harper_check.check(text, Options(select=("harper.Readability",)))
    assert [f.rule for f in selected] == ["harper.Readability.LongSentences"]
    assert selected[0].severity == "info"


def test_empty_text(harper_check):
    assert harper_check.check("", Options()) == []
    assert harper_check.check(" \n\n ", Options()) == []


def _run(code: str, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    path = [str(extra_path)] if extra_path else []
    prog = "import sys; sys.path[:0] = " + repr(path + [str(ROOT)]) + "\n" + code
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=120)


def test_unrelated_harper_package_fails_clearly(tmp_path):
    fake = tmp_path / "harper"
    fake.mkdir()
    (fake / "__init__.py").write_text("def resample(x):\n    return x\n")  # an audio 'harper'
    out = _run(textwrap.dedent("""
        from repair.checks import BackendUnavailable
        from repair.checks.harper import HarperCheck
        from repair.options import Options
        try:
            HarperCheck.for_options(Options())
        except BackendUnavailable as exc:
            print("UNAVAILABLE:", exc)
    """), extra_path=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "UNAVAILABLE:" in out.stdout
    assert "not harper-py" in out.stdout and "pip install harper-py" in out.stdout


def test_harper_is_imported_lazily():
    out = _run(textwrap.dedent("""
        import sys
        import repair.checks.harper, repair.names, repair.merge
        print("harper" in sys.modules)
    """))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_load_harper_returns_harper_py():
    harper = load_harper()
    assert hasattr(harper, "Linter") and hasattr(harper, "SuggestionKind")


def test_quiet_stdout_keeps_descriptor_writes_out_of_our_output(capfd):
    from repair.checks.harper import quiet_stdout

    print("before", flush=True)
    with quiet_stdout():
        os.write(1, b"gerund_form: -noise- from the back end\n")
    print("after", flush=True)
    assert capfd.readouterr().out == "before\nafter\n"


def test_real_words_harper_does_not_know_are_not_misspellings(harper_check):
    # archaic, British and rare words, initials, a foreign phrase, a derivation of a known word
    text = ("The connexion to the prison was marvellous, said J. W. Smith in A.D. 1890. "
            "It was de facto a predaceous and pragmatistic scheme. We recieve teh letters.")
    raw = {lint.problem_text for _, lint in harper_check.raw_lints(text, Options())}
    assert {"connexion", "marvellous", "predaceous", "facto", "recieve", "teh"} <= raw
    found = set(by_text(harper_check.check(text, Options())))
    assert found == {"recieve", "teh"}


def test_joined_words_stay_flagged_but_real_compounds_do_not(harper_check):
    text = "The printmakers sold thesame paragliders at the market."
    raw = {lint.problem_text for _, lint in harper_check.raw_lints(text, Options())}
    assert {"printmakers", "thesame"} <= raw
    found = by_text(harper_check.check(text, Options()))
    assert "thesame" in found and found["thesame"].fix.replacement == "the same"
    assert "printmakers" not in found and "paragliders" not in found


def test_articles_before_h_acronyms_and_eye_dialect(harper_check):
    text = "It was an hypothesis. They formed an FBI unit. Pay him an’ go. She ate a apple. Ain’t goin’ back."
    found = by_text(harper_check.check(text, Options()))
    assert "a" in found and found["a"].fix.replacement == "an"   # "a apple" stays flagged
    assert "an" not in found
    assert "goin" not in found  # eye dialect, not a misspelling of "going" nor "go in"


def test_grammatical_and_name_doubles_are_not_repetitions(harper_check):
    text = "She had had enough of Baden Baden, and the the rest was a a mess."
    found = {f.text for f in harper_check.check(text, Options()) if "Repeat" in f.rule}
    assert found == {"the the", "a a"}


class _CountingLinter:
    def __init__(self, linter, seen):
        self._linter, self._seen = linter, seen

    def organized_lints(self, text, **kw):
        self._seen.append(text)
        return self._linter.organized_lints(text, **kw)


def test_later_passes_lint_only_the_paragraphs_an_edit_changed(monkeypatch):
    # issue 18 item 2: Harper linted the whole document once per fix pass
    from repair.api import analyse
    from repair.checks import harper as harper_module

    real = linter_for("us")
    seen: list[str] = []
    monkeypatch.setattr(harper_module, "linter_for", lambda dialect: _CountingLinter(real, seen))
    paras = [f"Paragraph {i} tells of a quiet harbour town where the boats come home at night." for i in range(30)]
    paras[10] = "The report said it was ready , and the council agreed ."
    text = "\n\n".join(paras) + "\n"
    result = analyse(text, Options())
    assert result.passes >= 1  # a safe edit (the space before the comma) made a second pass
    linted = sum(len(t) for t in seen)
    assert linted < len(text) + 200  # was (passes + 1) x the document
    assert any(t.startswith("The report said it was ready,") for t in seen)


def test_paragraph_by_paragraph_lints_match_the_whole_text():
    text = (ROOT / "samples" / "rules-mt.txt").read_text(encoding="utf-8")
    text = text + "\n\nHe said that that was fine and and left.\n\nAn other paragraf with teh typo.\n"
    check = HarperCheck.for_options(Options())
    whole = linter_for("us").organized_lints(text, language="plaintext")
    expected = sorted((lint.span.start, lint.span.end, rule) for rule, lints in whole.items() for lint in lints)
    got = sorted((lint.span.start, lint.span.end, rule) for rule, lint in check.raw_lints(text, Options()))
    assert got == expected and len(got) > 3
    for rule, lint in check.raw_lints(text, Options()):
        assert text[lint.span.start:lint.span.end] == lint.problem_text


def test_sentence_capitalization_is_on_by_default(harper_check):
    # measured on machine translation (benchmarks/harper-rules.md): 82% of its findings lie on
    # an MQM-marked error, 0.13 per 1,000 words at most on clean prose, so it is on by default
    text = "the airport closed its second runway on Monday."
    found = [f for f in harper_check.check(text, Options())
             if f.rule == "harper.Capitalization.SentenceCapitalization"]
    assert [f.text for f in found] == ["the"]
    assert not any(f.rule.endswith("SentenceCapitalization")
                   for f in harper_check.check("The airport closed. It reopened.", Options()))


def test_style_preferences_are_quiet_by_default(harper_check):
    # "ok" for "okay" is a spelling choice (0.10 per 1,000 clean CWEB words, none on MT): quiet
    found = [f.rule for f in harper_check.check("It is ok to leave the door open after nine.", Options())]
    assert not [r for r in found if r.endswith("OkToOkay")]
    everything = HarperCheck("us", quiet_rules=frozenset(), quiet_kinds=frozenset())
    assert any(f.rule.endswith("OkToOkay") for f in everything.check("It is ok to leave the door open.", Options()))
