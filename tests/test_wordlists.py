"""One word-list reader: accept-words files (flag, config, names) and rule-pack word lists
give the same entries for the same file, with the ``#`` comments the README promises."""
from __future__ import annotations

import textwrap

import pytest

from repair import config, names, wordlists
from repair.rulebook import load_rules

# the file of issue 12: an inline comment, an indented comment line, a word with a "#" in it
FILE = "# team words\nKirbyson # our brand\n   # an indented comment\n\n  iFrobnicator  \nC#\n"
EXPECTED = ("Kirbyson", "iFrobnicator", "C#")


@pytest.fixture
def word_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_the_reader(word_file):
    assert wordlists.read_word_file(word_file, "x") == EXPECTED
    assert wordlists.parse_words("\ufeffword\n#x\n a # b\n") == ("\ufeffword", "a")
    assert wordlists.read_word_set(word_file, "x") == frozenset(EXPECTED)


def test_a_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffKirbyson\n".encode("utf-8"))
    assert wordlists.read_word_file(path, "x") == ("Kirbyson",)


def test_every_caller_reads_the_same_list(word_file, tmp_path):
    assert names.load_accept_words(word_file) == frozenset(EXPECTED)
    # accept-words-file in a config file
    (tmp_path / ".ungarble.toml").write_text('accept-words-file = "names.txt"\n', encoding="utf-8")
    settings = config.load(str(tmp_path / ".ungarble.toml"))
    assert settings is not None and settings.accept_words == frozenset(EXPECTED)
    # --accept-words on the command line
    from repair.cli import _read_words

    assert _read_words(str(word_file)) == frozenset(EXPECTED)
    # a rule pack's word list
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "names.txt").write_text(FILE, encoding="utf-8")
    (pack / "rep.yaml").write_text(textwrap.dedent("""\
        id: house.rep
        kind: repetition
        message: "Repeated: {match}"
        safety: suggest
        allow: names.txt
        examples:
          bad: ["the cat cat sat"]
          fixed: ["the cat sat"]
          good: ["the dog sat"]
        """), encoding="utf-8")
    (rule,) = [r for r in load_rules([pack], builtin=False)]
    assert rule.p("allow") == EXPECTED
