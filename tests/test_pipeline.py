"""The pipeline with small checks written here, so the engine is tested apart from the rule packs."""
import re
from dataclasses import dataclass

from hypothesis import given, settings, strategies as st

from repair.model import Edit, Finding, Span
from repair.options import Options
from repair.pipeline import paragraphs, run


@dataclass
class DoubledWord:
    """Deletes the second of two equal adjacent words; counts its calls."""
    name: str = "test"
    scope: str = "paragraph"
    calls: int = 0

    def check(self, text, options):
        self.calls += 1
        out = []
        for m in re.finditer(r"\b(\w+) (\1)\b", text):
            span = Span(m.start(1), m.start(2))
            out.append(Finding("test.doubled", "test", "warning", "doubled", span, text[span.start:span.end],
                               Edit(span, "", "test.doubled", "safe")))
        return out


@dataclass
class FlagWord:
    word: str = "garble"
    name: str = "test"
    scope: str = "document"

    def check(self, text, options):
        return [Finding("test.flag", "test", "info", "flagged", Span(m.start(), m.end()), m.group())
                for m in re.finditer(self.word, text)]


@dataclass
class Suggest:
    name: str = "test"
    scope: str = "paragraph"

    def check(self, text, options):
        return [Finding("test.suggest", "test", "warning", "colour", Span(m.start(), m.end()), m.group(),
                        Edit(Span(m.start(), m.end()), "color", "test.suggest", "suggest"))
                for m in re.finditer("colour", text)]


def test_fixed_point_removes_triples_and_reports_in_original_offsets():
    text = "It was the the the end.\n\nA cafÃ© garble here."
    result = run(text, Options(), [DoubledWord(), FlagWord()])
    assert result.fixed == "It was the end.\n\nA café garble here."
    assert result.passes == 2
    for f in result.findings:
        assert text[f.span.start:f.span.end] == f.text
    flag = next(f for f in result.findings if f.rule == "test.flag")
    assert flag.text == "garble" and flag.span.start == text.index("garble")
    enc = next(f for f in result.findings if f.rule == "encoding.mojibake")
    assert enc.text == "cafÃ©"


def test_unchanged_paragraphs_are_not_checked_again():
    check = DoubledWord()
    paras = [f"Paragraph {i} is clean." for i in range(20)] + ["It is is doubled."]
    result = run("\n\n".join(paras), Options(), [check])
    assert "It is doubled." in result.fixed
    assert check.calls == 21 + 1  # every paragraph once, then only the edited one


def test_suggestions_are_reported_but_applied_only_when_unsafe():
    text = "The colour of the the sky."
    safe = run(text, Options(), [DoubledWord(), Suggest()])
    assert safe.fixed == "The colour of the sky."
    assert {f.rule for f in safe.findings} == {"test.doubled", "test.suggest"}
    unsafe = run(text, Options(unsafe=True), [DoubledWord(), Suggest()])
    assert unsafe.fixed == "The color of the sky."


def test_ignored_rules_neither_report_nor_edit():
    result = run("the the", Options(ignore=("test",)), [DoubledWord()])
    assert result.fixed == "the the" and result.findings == ()


def test_unstable_edits_stop_and_say_so():
    @dataclass
    class Flipper:
        name: str = "test"
        scope: str = "document"

        def check(self, text, options):
            new = "b" if text == "a" else "a"
            return [Finding("test.flip", "test", "warning", "flip", Span(0, 1), text,
                            Edit(Span(0, 1), new, "test.flip", "safe"))]

    result = run("a", Options(max_passes=3), [Flipper()])
    assert any(f.rule == "internal.unstable" for f in result.findings)


def test_paragraphs_split_on_blank_lines_of_any_ending():
    text = "one\r\n\r\ntwo\nstill two\n \n\nthree"
    assert [text[s.start:s.end] for s in paragraphs(text)] == ["one", "two\nstill two", "three"]


words = st.sampled_from(["the", "cafÃ©", "sky", "is", "😀", "garble", "&amp;", "\r\n", "\n\n", " "])


@settings(max_examples=150, deadline=None)
@given(st.lists(words, max_size=30).map(" ".join))
def test_fixing_twice_equals_fixing_once(text):
    checks = [DoubledWord(), FlagWord()]
    once = run(text, Options(), checks)
    assert run(once.fixed, Options(), checks).fixed == once.fixed
    for f in once.findings:
        assert 0 <= f.span.start <= f.span.end <= len(text)
        assert text[f.span.start:f.span.end] == f.text


@given(st.text(max_size=50))
def test_no_checks_and_no_encoding_damage_is_identity(text):
    result = run(text, Options(select=("nothing",)), [])
    assert result.fixed == text and result.findings == ()


@dataclass
class Ligature:
    """A (hypothetical) grammar checker proposing typographic ligatures."""
    name: str = "languagetool"
    scope: str = "paragraph"

    def check(self, text, options):
        return [Finding("languagetool.TYPOGRAPHY.LIGATURE", "languagetool", "warning", "ligature",
                        Span(m.start(), m.end()), m.group(),
                        Edit(Span(m.start(), m.end()), "\ufb01rst", "languagetool.TYPOGRAPHY.LIGATURE", "suggest"))
                for m in re.finditer("first", text)]


def test_the_engine_drops_grammar_suggestions_its_own_passes_would_undo():
    # merging asks the engine (its encoding pass and our rules) what one round of safe edits does
    text = "The first step."
    assert run(text, Options(), [Ligature()]).findings == ()
    kept = run(text, Options(fix_latin_ligatures=False), [Ligature()]).findings
    assert [f.rule for f in kept] == ["languagetool.TYPOGRAPHY.LIGATURE"]


def test_the_plan_records_every_pass():
    text = "It was the the the end.\n\nA cafÃ© garble here."
    result = run(text, Options(), [DoubledWord(), FlagWord()])
    assert [(step.stage, len(step.edits)) for step in result.plan] == [
        ("encoding", 1), ("checks", 1), ("checks", 1), ("checks", 0)]
    assert result.replay() == result.fixed
    # each pass's edits are in offsets of the text before it; applied, in offsets of the original
    assert result.plan[1].edits[0].span == result.plan[2].edits[0].span == Span(7, 11)
    assert [e.span for e in result.applied[1:]] == [Span(7, 11), Span(11, 15)]
    assert {f.rule for f in result.plan[0].found} == {"encoding.mojibake"}
