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
