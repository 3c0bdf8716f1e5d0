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
    found = rules_on(text, input_format="markdown")
    starts = [f.span.start for f in repair.check(text, grammar="none", input_format="markdown")
              if f.rule == "mt.repeated-phrase"]
    assert found.count(("mt.repeated-phrase", "the the")) == 1  # the prose, not the inline code
    assert starts == [text.index("the the")]


def test_prose_in_deeply_nested_lists_is_checked():
    text = "".join("  " * i + f"- item {i} is the the best\n" for i in range(14))
    assert rules_on(text, input_format="markdown").count(("mt.repeated-phrase", "the the")) == 14


def test_code_nested_too_deep_stays_code():
    from repair.markdown import code_spans, protected_spans

    deep = ">" * 30
    text = f"{deep} ```\n{deep} the the code\n{deep} ```\n"
    inside = text.index("the the code")
    assert any(s.start <= inside < s.end for s in protected_spans(text))
    assert any(s.start <= inside < s.end for s in code_spans(text))
    assert not rules_on(text, input_format="markdown")


def test_harper_checks_prose_nested_too_deep():
    pytest.importorskip("harper", reason="harper-py is not installed")
    text = ">" * 30 + " They went to teh house.\n"
    assert "harper.Typo.The" in [f.rule for f in repair.check(text, input_format="markdown")]


def test_deep_nesting_on_the_command_line(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "deep.md"
    path.write_text(">" * 40 + " She said the the words.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "mt.repeated-phrase" in out.stdout


# Issue 11 item 2: paths, file names, identifiers, URLs, e-mail addresses, versions and
# placeholders are not words: Harper and the rule packs neither flag nor change them.
NON_WORDS = [
    # paths, relative, absolute, Windows, with line numbers
    "src/main.py", "docs/index.md", "src/list.c:41", "main.py:10:5", "lib/helpers.rb", "pkg/cmd/root.go",
    "docs/api/", "src/main/java", "/etc/hosts", "/usr/local/bin/ungarble", "~/notes.txt", "./run.sh",
    "../lib/utils", "C:\\Users\\me\\file.txt", "D:\\data\\out.csv", "\\\\server\\share", "src\\main.py",
    # file names and extensions
    ".py", "archive.tar.gz", "README.md", ".gitignore", "config.yaml", "report.pdf", "photo.JPG", "setup.cfg",
    # URLs and e-mail addresses
    "https://example.com/a?b=c", "www.example.org", "mailto:someone@example.com", "john.doe@example.com",
    "user@mail.co.uk", "example.com",
    # versions
    "v1.2.3", "2.0.1-rc1", "v2", "1.0b2", "3.11.7", "v0.1.0-beta.2",
    # identifiers and code-like tokens
    "snake_case", "my_var", "camelCase", "userName", "getElementById", "os.path.join", "repair.pipeline",
    "std::vector", "Foo::bar", "a->b", "obj->next", "main()", "print(x)", "fetchData()", "__init__",
    "--flags", "--dry-run", "--level=3", "--no-verify", "-rf", "$HOME", "${HOME}", "$(pwd)", "%PATH%",
    # placeholders
    "%s", "%d", "%1$s", "%-5.2f", "%(name)s", "%(count)d", "{name}", "{0}", "{}", "{{var}}", "{user.name}",
    "<name>", "%zu", "%.2f", "{0:>10}", "{name!r}",
    # more of the family: hashes, names with digits, encodings, indexes, globs, registry keys
    "python3.11", "sha256:abcd1234", "4eac243", "k8s", "utf-8", "ISO-8859-1", "en_US.UTF-8", "nums[0]", "arr[i]",
    "*.txt", "src/**/*.py", "HKEY_LOCAL_MACHINE\\Software", "git@github.com:org/repo.git", "s3://bucket/key",
    "127.0.0.1:8000", "LOG_LEVEL=debug", "user.getName()", "PATH=/usr/bin",
    # inside punctuation and emphasis, globs, variables in front of paths
    "(see docs/index.md)", "*src/main.py*", "src/*", "**/*.md", "$HOME/.config/app.toml",
    "%APPDATA%\\App\\config.ini", "~/src/app.py:12",
]


@pytest.fixture(scope="module")
def harper_options():
    pytest.importorskip("harper", reason="harper-py is not installed")
    return repair.Options(unsafe=True)


@pytest.mark.parametrize("token", NON_WORDS)
def test_non_words_are_neither_flagged_nor_changed(token, harper_options):
    for template in ("The code in {} is read by the tool.", "We fixed {}.", "{} was changed."):
        text = template.format(token)
        result = repair.analyse(text, harper_options)
        start = text.index(token)
        end = start + len(token)
        assert result.fixed == text, (text, result.fixed)
        assert not [f for f in result.findings if f.span.start < end and f.span.end > start], text


@pytest.mark.parametrize("prose", [
    "and/or", "he/she", "e.g.", "i.e.", "U.S.", "3.5 million", "24/7", "km/h", "1/2", "Ph.D.", "a.m.",
    "He left.The end", "It was 100% done.", "the end. Then", "well-known", "Hello (world).", "It costs $5.",
    "Fig. 3.2", "section 4.1.", "claim[1]", "I/O", "AT&T", "3:30 pm", "A-level", "x - y", "the word(s)",
    "Tom / Jerry", "in the mid-1990s", "the late-19th century", "the 21st", "the 1990s", "the11th", "x-ray",
])
def test_ordinary_prose_is_not_taken_for_a_token(prose):
    from repair import nonprose

    assert nonprose.spans(prose) == ()


@pytest.mark.slow
def test_the_issue_sentence_and_po_file_keep_their_paths(tmp_path):
    import subprocess
    import sys

    pytest.importorskip("harper", reason="harper-py is not installed")
    txt = tmp_path / "a.txt"
    txt.write_text("The code in src/main.py and docs/index.md is read by the tool.\n", encoding="utf-8")
    po = tmp_path / "fr.po"
    po.write_text('#: src/list.c:41 src/main.py:12\n#, c-format\nmsgid "Open the .py file %s in {dir}"\n'
                  'msgstr ""\n', encoding="utf-8")
    for path in (txt, po):
        before = path.read_bytes()
        out = subprocess.run([sys.executable, "-m", "repair.cli", "fix", "--unsafe", "--write", str(path)],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr
        assert path.read_bytes() == before
        out = subprocess.run([sys.executable, "-m", "repair.cli", "check", str(path)], capture_output=True, text=True)
        assert out.returncode == 0 and out.stdout == "", out.stdout


def test_prose_around_tokens_is_still_checked():
    text = "Use teh and/or the e.g. tool in src/main.py to recieve it."
    rules = [f.text for f in repair.check(text)]
    assert "teh" in rules and "recieve" in rules


def test_character_damage_and_whole_spans_around_tokens_are_still_reported():
    found = rules_on("Visit https://example.com/caf\u00c3\u00a9/menu today.")
    assert [r for r, _ in found] == ["encoding.mojibake"]
    para = "Open src/main.py now and wait for the result to appear on the screen."
    found = rules_on(f"{para}\n\n{para}\n")
    assert "boilerplate.duplicate-paragraph" in [r for r, _ in found]
    found = rules_on("They went to to src/main.py and the file src/main.py , which we edit.")
    assert ("mt.repeated-phrase", "to to") in found
    assert ("typography.space-before-punctuation", " ") in found  # touching a path, not inside it


def test_tokens_in_markdown_prose_are_shielded_too():
    text = "# Notes\n\nThe code in src/main.py and docs/index.md is `read` by the tool.\n"
    assert not [f for f in repair.check(text, input_format="markdown") if f.rule.startswith("harper.")]


# Issue 17 item 18: invisible and bidirectional control characters
@pytest.mark.parametrize("text, char, rule, removable", [
    ("The pass\u200bword is here.", "\u200b", "unicode.invisible", True),     # zero-width space in a word
    ("An extra\u00adordinary day.", "\u00ad", "unicode.invisible", True),      # soft hyphen
    ("A space \u200b there.", "\u200b", "unicode.invisible", False),
    ("A zero\u200c-width non-joiner.", "\u200c", "unicode.invisible", False),
    ("A \u200djoiner.", "\u200d", "unicode.invisible", False),
    ("Add 10\u206050 now.", "\u2060", "unicode.invisible", False),            # word joiner between digits
    ("Open invoice\u202eexe.pdf now.", "\u202e", "unicode.bidi-control", False),
    ("Level \u2066admin\u2069 set.", "\u2066", "unicode.bidi-control", False),
    ("Level \u2067user\u2069 set.", "\u2069", "unicode.bidi-control", False),
    ("A mark\u200e here.", "\u200e", "unicode.bidi-control", False),
    ("A mark\u200f here.", "\u200f", "unicode.bidi-control", False),
    ("Hidden\U000e0041\U000e0042 text.", "\U000e0041\U000e0042", "unicode.invisible", False),  # tag characters
])
def test_hidden_characters_are_flagged(text, char, rule, removable):
    found = [f for f in repair.check(text, grammar="none") if char in f.text or f.text in char and f.text]
    assert [f.rule for f in found] == [rule] * len(found) and found, (text, found)
    assert all(f"U+{ord(char[0]):04X}" in f.message for f in found[:1])
    assert all((f.fix is not None) == removable for f in found)
    assert all(f.fix.safety == "safe" and f.fix.replacement == "" for f in found if f.fix)
    assert (char not in repair.fix(text, grammar="none")) == removable  # safe: fix applies it
    assert (char not in repair.fix(text, grammar="none", unsafe=True)) == removable


def test_one_finding_per_hidden_character_no_duplicate_with_ftfy():
    text = "A BOM\ufeffinside, a \u202eright\u202c turn and pass\u200bword."
    found = [(f.rule, f.text) for f in repair.check(text, grammar="none")]
    assert found == [("encoding.control-char", "BOM\ufeffinside,"), ("unicode.bidi-control", "\u202e"),
                     ("unicode.bidi-control", "\u202c"), ("unicode.invisible", "\u200b")]


@pytest.mark.parametrize("text", [
    "He stopped\u2060\u2014and then went on.\u2060\u200a\u2026",                    # Standard Ebooks typography
    "The family \U0001f468\u200d\U0001f469\u200d\U0001f467 and the flag "
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f.",   # emoji sequences
])
def test_typography_and_emoji_sequences_are_not_hidden_characters(text):
    assert not [f for f in repair.check(text, grammar="none") if f.rule.startswith("unicode.")]


def test_hidden_characters_inside_markdown_code_are_ignored():
    text = "Pass\u200bword.\n\n```\ncode\u200bhere\u202e\n```\n\nSee `x\u200by` too.\n"
    found = [f for f in repair.check(text, grammar="none", input_format="markdown") if f.rule.startswith("unicode.")]
    assert [f.span.start for f in found] == [text.index("\u200b")]
