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
