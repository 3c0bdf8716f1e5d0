"""What must be caught or left alone on hostile and technical input (issues 11 and 17)."""
from __future__ import annotations

import pytest

import repair


def rules_on(text, **kw):
    kw.setdefault("grammar", "none")
    return [(f.rule, f.text) for f in repair.check(text, **kw)]


# Issue 17 item 19: look-alike letters at the start or end of a word
@pytest.mark.parametrize("text, word", [
    ("Log in as \u0430dmin to continue.", "\u0430dmin"),          # Cyrillic а first
    ("The \u0441ompany was sold.", "\u0441ompany"),               # Cyrillic с first
    ("She joined the compa\u0443 in May.", "compa\u0443"),        # Cyrillic у last
    ("An \u039ffficial notice was posted.", "\u039ffficial"),           # Greek Ο
    ("The train to M\u043escow left.", "M\u043escow"),            # inside, as before
])
def test_a_word_mixing_scripts_anywhere_is_flagged(text, word):
    assert ("script.mixed-word", word) in rules_on(text)


@pytest.mark.parametrize("text", [
    "Cells were cut 10 \u03bcm thick and PGC1\u03b1 rose.",
    "TNF\u03b1 and IFN\u03b3 rose; the \u03b1-helix held; a 10 k\u03a9 resistor.",
    "The word \u03bb\u03cc\u03b3\u03bf\u03c2 means word, and \u041c\u043e\u0441\u043a\u0432\u0430 is Moscow.",
])
def test_symbols_and_foreign_words_are_not_mixed_words(text):
    assert not [r for r, _ in rules_on(text) if r == "script.mixed-word"]


# Issue 17 item 20: prose nested deeper than the Markdown parser's limit is still checked
def test_prose_in_deeply_nested_block_quotes_is_checked():
    deep = ">" * 25
    text = f"Intro.\n\n{deep} They went to the the house with `code the the` and <b>x</b>.\n{deep} More.\n"
    found = rules_on(text, markdown=True)
    starts = [f.span.start for f in repair.check(text, grammar="none", markdown=True)
              if f.rule == "mt.repeated-phrase"]
    assert found.count(("mt.repeated-phrase", "the the")) == 1  # the prose, not the inline code
    assert starts == [text.index("the the")]


def test_prose_in_deeply_nested_lists_is_checked():
    text = "".join("  " * i + f"- item {i} is the the best\n" for i in range(14))
    assert rules_on(text, markdown=True).count(("mt.repeated-phrase", "the the")) == 14


def test_code_nested_too_deep_stays_code():
    from repair.markdown import code_spans, protected_spans

    deep = ">" * 30
    text = f"{deep} ```\n{deep} the the code\n{deep} ```\n"
    assert protected_spans(text)[0].start == 0 and protected_spans(text)[-1].end == len(text.rstrip("\n"))
    assert code_spans(text)
    assert not rules_on(text, markdown=True)


def test_deep_nesting_on_the_command_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "deep.md"
    path.write_text(">" * 40 + " She said the the words.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "mt.repeated-phrase" in out.stdout
