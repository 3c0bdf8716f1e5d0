"""Bad configuration, selectors and rule packs are caught once, before any input is read:
one line (or one block) on stderr and exit 2, never a traceback or a per-file "internal error"."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from repair.cli import main

GRAMMAR_OFF = ["--grammar", "none"]


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def replacement_rule(name: str, new: str) -> str:
    return textwrap.dedent(f"""\
        id: cycle.{name}
        kind: pattern
        message: "{name} -> {new}"
        safety: safe
        pattern: "\\\\b{name}\\\\b"
        replacement: "{new}"
        examples:
          bad: ["{name}"]
          fixed: ["{new}"]
          good: ["nothing"]
        """)


@pytest.fixture
def cycle_pack(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    for old, new in (("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")):
        (pack / f"{old}.yaml").write_text(replacement_rule(old, new), encoding="utf-8")
    return pack


# --- issue 17.7: a cycle of replacements -----------------------------------------------

def test_fix_write_refuses_a_cycle_of_replacements_and_names_its_rules(tmp_path, cycle_pack):
    path = tmp_path / "t.txt"
    path.write_text("The alpha test.\n", encoding="utf-8")
    result = invoke("fix", "--write", *GRAMMAR_OFF, "--rules", cycle_pack, path)
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == "The alpha test.\n"       # nothing written
    assert "cycle.alpha, cycle.beta, cycle.gamma" in result.stderr
    diff = invoke("fix", *GRAMMAR_OFF, "--rules", cycle_pack, path)
    assert diff.exit_code == 2 and diff.stdout == ""                     # no diff of a half-fixed text


def test_check_names_the_rules_of_the_cycle(tmp_path, cycle_pack):
    path = tmp_path / "t.txt"
    path.write_text("The alpha test.\n", encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, "--rules", cycle_pack, path)
    assert result.exit_code == 1
    (line,) = [x for x in result.stdout.splitlines() if "internal.unstable" in x]
    assert "cycle.alpha, cycle.beta, cycle.gamma" in line


# --- issue 11.4: unknown rule selectors ------------------------------------------------

@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("It was the the end.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("flag, selector, closest", [
    ("--select", "nonexistent", ""),
    ("--select", "mt.doubled", "mt.doubled-verb"),     # not a whole id nor a dotted prefix
    ("--ignore", "typografy", "typography"),
    ("--select", "harper.Spellin", "harper.Spelling"),
    ("--ignore", "harper.Typo.Toto", "harper.Typo.ToTo"),
])
def test_an_unknown_selector_is_a_usage_error_naming_the_closest_ids(text_file, flag, selector, closest):
    if selector.startswith("harper"):
        pytest.importorskip("harper")
    result = invoke("check", *GRAMMAR_OFF, flag, selector, text_file)
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert f"{flag}: unknown rule selector '{selector}'" in line and "did you mean" in line
    assert closest in line


@pytest.mark.parametrize("selector", ["mt", "mt.", "mt.doubled-verb", "encoding", "internal", "harper",
                                      "languagetool.ANYTHING_AT_ALL", "readability.long-sentence"])
def test_ids_and_dotted_prefixes_are_accepted(text_file, selector):
    assert invoke("check", *GRAMMAR_OFF, "--select", selector, text_file).exit_code in (0, 1)


def test_harper_is_not_imported_to_check_selectors_that_do_not_name_it(text_file, monkeypatch):
    import repair.validate as validate

    def boom(*args):
        raise AssertionError("harper's rule list was read")

    monkeypatch.setattr(validate, "harper_rules", boom)
    assert invoke("check", *GRAMMAR_OFF, "--select", "mt,encoding", "--ignore", "mt.fragment",
                  text_file).exit_code == 1
    # a lint kind needs no rule list either
    assert invoke("check", *GRAMMAR_OFF, "--select", "mt", "--ignore", "harper.Style", text_file).exit_code == 1


def test_selectors_of_a_user_pack_are_known(tmp_path, text_file, cycle_pack):
    assert invoke("check", *GRAMMAR_OFF, "--rules", cycle_pack, "--ignore", "cycle", text_file).exit_code == 1
    assert invoke("check", *GRAMMAR_OFF, "--ignore", "cycle", text_file).exit_code == 2


@pytest.mark.parametrize("table, key", [
    ('select = ["mtt"]', "select"),
    ('ignore = ["mt.doubled"]', "ignore"),
    ('[tool.ungarble.per-file-ignores]\n"*.txt" = ["typografy"]', "per-file-ignores"),
])
def test_unknown_selectors_in_the_configuration_name_file_and_key(tmp_path, text_file, table, key):
    (tmp_path / "pyproject.toml").write_text(f"[tool.ungarble]\n{table}\n", encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, text_file)
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "pyproject.toml: [tool.ungarble] " + key in line and "unknown rule selector" in line


def test_an_unknown_id_in_an_inline_suppression_is_a_note_and_changes_no_exit_code(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Intro.\n\n<!-- ungarble: ignore[mt.retired-rule, mt] -->\nIt was the the end.\n",
                    encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, path)
    assert result.exit_code == 0 and result.stdout == ""              # "mt" still suppresses
    (note,) = result.stderr.splitlines()
    assert note.startswith("ungarble: note:") and f"{path}:3:" in note and "'mt.retired-rule'" in note


# --- issue 17.14: a broken rule pack ---------------------------------------------------

def test_a_broken_pack_is_one_usage_error_before_any_input_is_read(tmp_path, monkeypatch):
    import repair.files

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "bad.yaml").write_text(replacement_rule("alpha", "beta").replace("safety: safe", "safety: maybe"),
                                   encoding="utf-8")
    files = []
    for i in range(3):
        files.append(tmp_path / f"{i}.txt")
        files[-1].write_text("Hello.\n", encoding="utf-8")

    def never(*args, **kwargs):
        raise AssertionError("an input was read")

    monkeypatch.setattr(repair.files, "read_document", never)
    result = invoke("check", *GRAMMAR_OFF, "--rules", pack, *files)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("bad.yaml:4:") == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith("ungarble: --rules: invalid rule file")


def test_an_empty_rule_file_stops_the_run(tmp_path, text_file):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "empty.yaml").write_text("", encoding="utf-8")
    result = invoke("fix", *GRAMMAR_OFF, "--rules", pack, text_file)
    assert result.exit_code == 2 and "empty.yaml:1: empty rule file" in result.stderr


# --- issue 17.15: hostile configuration ------------------------------------------------

@pytest.mark.parametrize("setting, key", [
    ("long-factor = nan", "long-factor"),
    ("max-flesch = inf", "max-flesch"),
    ("flesch-margin = -inf", "flesch-margin"),
    ("min-long-words = -5", "min-long-words"),
    ("min-long-words = 0", "min-long-words"),
    ("long-factor = 0", "long-factor"),
    ("min-hard-words = 0", "min-hard-words"),
    ("min-sentences = 0", "min-sentences"),
])
def test_thresholds_must_be_finite_and_in_range(tmp_path, text_file, setting, key):
    (tmp_path / ".ungarble.toml").write_text(f"[readability]\n{setting}\n", encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, text_file)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"readability.{key}: expected a finite number" in result.stderr


def test_sensible_thresholds_are_still_accepted(tmp_path, text_file):
    (tmp_path / ".ungarble.toml").write_text("[readability]\nmax-flesch = -20.5\nflesch-margin = 0\n"
                                             "long-factor = 1.5\nmin-sentences = 1\n", encoding="utf-8")
    assert invoke("check", *GRAMMAR_OFF, text_file).exit_code == 1


def test_a_word_file_must_be_a_regular_file(tmp_path, text_file):
    (tmp_path / ".ungarble.toml").write_text('accept-words-file = "/dev/null"\n', encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, text_file)
    assert result.exit_code == 2 and "accept-words-file: '/dev/null' is not a regular file" in result.stderr
    flag = invoke("check", *GRAMMAR_OFF, "--isolated", "--accept-words", "/dev/null", text_file)
    assert flag.exit_code == 2 and "--accept-words: '/dev/null' is not a regular file" in flag.stderr


def test_a_word_file_has_a_size_limit(tmp_path, text_file, monkeypatch):
    import repair.wordlists as wordlists

    monkeypatch.setattr(wordlists, "MAX_WORD_FILE_BYTES", 10)
    words = tmp_path / "words.txt"
    words.write_text("Kirbyson\nFrobnicator\n", encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, "--accept-words", words, text_file)
    assert result.exit_code == 2 and "too large" in result.stderr


def test_a_latin1_word_file_is_an_error_naming_the_key(tmp_path, text_file):
    words = tmp_path / "words.txt"
    words.write_bytes("Kirbyson\nCaf\xe9\n".encode("latin-1"))
    (tmp_path / ".ungarble.toml").write_text('accept-words-file = "words.txt"\n', encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, text_file)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "accept-words-file: " in result.stderr and "not UTF-8 (line 2)" in result.stderr
    flag = invoke("check", *GRAMMAR_OFF, "--isolated", "--accept-words", words, text_file)
    assert flag.exit_code == 2 and "--accept-words: " in flag.stderr and "not UTF-8" in flag.stderr


def test_a_rules_folder_that_is_not_a_pack_is_refused_naming_the_key(tmp_path, text_file, monkeypatch):
    import repair.rulebook as rulebook

    monkeypatch.setattr(rulebook, "MAX_PACK_ENTRIES", 20)
    big = tmp_path / "everything"
    for i in range(30):
        (big / f"d{i}").mkdir(parents=True)
    (tmp_path / ".ungarble.toml").write_text('rules = ["everything"]\n', encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, text_file)
    assert result.exit_code == 2 and result.stdout == ""
    assert ".ungarble.toml rules: " in result.stderr and "not a rule pack" in result.stderr


def test_a_configuration_file_must_be_a_regular_utf8_file(tmp_path, text_file):
    result = invoke("check", *GRAMMAR_OFF, "--config", "/dev/null", text_file)   # /dev/zero would never end
    assert result.exit_code == 2 and "/dev/null: not a configuration file" in result.stderr
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('accept-words = ["Caf\xe9"]\n'.encode("latin-1"))
    result = invoke("check", *GRAMMAR_OFF, "--config", latin1, text_file)
    assert result.exit_code == 2 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_batch_refuses_an_unknown_selector_before_reading_records(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "It was the the end."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke("batch", *GRAMMAR_OFF, "--select", "mt.doubled", "-j", "1", source, "-o", out)
    assert result.exit_code == 2 and "unknown rule selector 'mt.doubled'" in result.stderr
    assert not out.exists()
