import pytest

from repair import encoding
from repair.edits import apply, resolve
from repair.options import Options


def repaired(text, **kw):
    findings = encoding.find(text, Options(**kw))
    chosen, _ = resolve([f.fix for f in findings if f.fix.safety == "safe"])
    return apply(text, chosen), findings


@pytest.mark.parametrize("bad, good, rule", [
    ("They didnâ€™t come.", "They didn’t come.", "encoding.mojibake"),
    ("A cafÃ© latte.", "A café latte.", "encoding.mojibake"),
    ("Salt &amp; pepper.", "Salt & pepper.", "encoding.html-entity"),
    ("bell\x07 here", "bell here", "encoding.control-char"),
    ("\x1b[31mred\x1b[0m alert", "red alert", "encoding.terminal-escape"),
    ("a ﬁne day", "a fine day", "encoding.ligature"),
])
def test_each_repair_has_its_rule_and_a_message(bad, good, rule):
    fixed, findings = repaired(bad)
    assert fixed == good
    assert {f.rule for f in findings} == {rule}
    assert all(f.source == "ftfy" and f.message for f in findings)
    for f in findings:
        assert bad[f.span.start:f.span.end] == f.text


@pytest.mark.parametrize("clean", [
    "He said “no” and left — naïve, isn’t it?",
    "Tabs\tand\r\nCRLF line endings\r\n",
    "Combining accents: cafe\u0301 stay decomposed.",
    "Word\u2060joiner and\u00a0non-breaking space.",
    "Emoji 😀 and 日本語 are fine.",
    "",
])
def test_clean_text_is_left_alone(clean):
    assert encoding.find(clean, Options()) == []


def test_quotes_straightened_only_on_request():
    text = "It’s “fine”."
    assert encoding.find(text, Options()) == []
    fixed, findings = repaired(text, uncurl_quotes=True)
    assert fixed == "It's \"fine\"." and {f.rule for f in findings} == {"encoding.curly-quote"}


def test_offsets_on_later_lines_and_crlf():
    text = "fine line\r\nthen cafÃ© here\r\n"
    (finding,) = encoding.find(text, Options())
    assert text[finding.span.start:finding.span.end] == "cafÃ©"


def test_select_and_ignore_apply_to_encoding_rules():
    text = "cafÃ© &amp; bar"
    rules = {f.rule for f in encoding.find(text, Options(ignore=("encoding.html-entity",)))}
    assert rules == {"encoding.mojibake"}


def test_full_width_forms_are_left_to_the_script_rules():
    # ftfy would make "district，Residents" into "district,Residents"; the rule pack adds the space
    assert encoding.find("district，Residents ＡＢＣ", Options()) == []


# Issue 11 item 3: each damaged word gets the id of its own damage, whatever else is on its line.
@pytest.mark.parametrize("line, word, rule", [
    ("Café &amp; bar: they didnâ€™t come.", "didnâ€™t", "encoding.mojibake"),
    ("Café &amp; bar: they didnâ€™t come.", "&amp;", "encoding.html-entity"),
    ("ﬁne &amp; they didnâ€™t", "didnâ€™t", "encoding.mojibake"),
    ("ﬁne &amp; they didnâ€™t", "ﬁne", "encoding.ligature"),
    ("\x93quoted\x94 and didnâ€™t", "didnâ€™t", "encoding.mojibake"),
    ("\x93quoted\x94 and didnâ€™t", "\x93quoted\x94", "encoding.c1-control"),
    ("Café: didnâ€™t \x1b[31mred\x1b[0m", "didnâ€™t", "encoding.mojibake"),
    ("Café: didnâ€™t \x1b[31mred\x1b[0m", "\x1b[31mred\x1b[0m", "encoding.terminal-escape"),
])
def test_each_hunk_is_labelled_by_its_own_damage(line, word, rule):
    found = {f.text: f for f in encoding.find(line, Options())}
    assert found[word].rule == rule
    assert found[word].severity == encoding.STEPS[{
        "encoding.mojibake": "decode", "encoding.html-entity": "unescape_html",
        "encoding.ligature": "fix_latin_ligatures", "encoding.c1-control": "fix_c1_controls",
        "encoding.terminal-escape": "remove_terminal_escapes"}[rule]][1]


def test_mojibake_next_to_an_entity_is_selected_ignored_and_fails_as_an_error():
    line = "Café &amp; bar: they didnâ€™t come."
    assert [f.text for f in encoding.find(line, Options(select=("encoding.mojibake",)))] == ["didnâ€™t"]
    assert [f.text for f in encoding.find(line, Options(ignore=("encoding.html-entity",)))] == ["didnâ€™t"]


@pytest.mark.parametrize("line, word", [
    ("Café: cafÃ©&amp;bar ok", "cafÃ©&amp;bar"),
    ("é: \x1b[31mcafÃ©\x1b[0m", "\x1b[31mcafÃ©\x1b[0m"),
    ("é ﬁnÃ© x", "ﬁnÃ©"),
])
def test_a_word_with_two_kinds_of_damage_is_named_by_the_graver(line, word):
    found = {f.text: f for f in encoding.find(line, Options())}
    assert found[word].rule == "encoding.mojibake" and found[word].severity == "error"


def test_a_mojibake_word_in_a_long_line_is_diffed_near_the_word_not_over_the_line(monkeypatch):
    # issue 18 item 3: difflib over the whole line cost its square (29 s for one word in 25 KB)
    import difflib

    from repair import encoding

    work = []

    class Counting(difflib.SequenceMatcher):
        def set_seqs(self, a, b):
            work.append(len(a) * len(b))
            super().set_seqs(a, b)

    monkeypatch.setattr(encoding.difflib, "SequenceMatcher", Counting)
    words = "the quick brown fox jumps over a lazy dog and runs far away. ".split(" ")
    prose = " ".join(words[i % len(words)] for i in range(8000))
    for size in (4_000, 40_000):
        line = prose[:size // 2] + " didnâ€™t " + prose[size // 2:size]
        work.clear()
        findings = encoding.find(line, Options())
        assert [(f.text, f.fix.replacement) for f in findings] == [("didnâ€™t", "didn’t")]
        assert line[findings[0].span.start:findings[0].span.end] == "didnâ€™t"
        assert sum(work) < 100_000  # whole-line difflib: 16,000,000 and 1,600,000,000
    # mojibake on every word: the work grows with the line, not with its square
    sizes = {}
    for n in (50, 200):
        work.clear()
        hunks = list(encoding._hunks("Ã©tÃ© " * n + "end", "été " * n + "end"))
        assert len(hunks) == n
        sizes[n] = sum(work)
    assert sizes[200] < 6 * sizes[50]  # whole-line difflib: 16 x


def test_hunks_rebuild_the_repair_and_stay_word_sized():
    from repair.encoding import _hunks

    cases = [("cafÃ© and naÃ¯ve", "café and naïve"), ("aa", "aaa"), ("", "x"), ("x", ""),
             ("Ã©tÃ© " * 300 + "end", "été " * 300 + "end"), ("a\x1b[31mred\x1b[0m b", "ared b")]
    for old, new in cases:
        hunks = list(_hunks(old, new))
        out, pos = [], 0
        for i1, i2, text in hunks:
            assert i1 >= pos
            out += [old[pos:i1], text]
            pos = i2
        assert "".join(out) + old[pos:] == new
    assert list(_hunks("cafÃ© and naÃ¯ve", "café and naïve")) == [(0, 5, "café"), (10, 16, "naïve")]
    assert len(list(_hunks("Ã©tÃ© " * 300 + "end", "été " * 300 + "end"))) == 300
