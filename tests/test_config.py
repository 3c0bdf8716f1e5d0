"""Configuration files: discovery (nearest, walking up), every key, errors, and flags over config."""

import pytest
from click.testing import CliRunner

from repair.cli import main
from repair.config import ConfigError, find, load, options_for, settings_for

GARBLE = "It was the the end of the cafÃ© day.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def rules_reported(output):
    return sorted({line.split()[2] for line in output.splitlines() if ": " in line and line.count(":") >= 3})


@pytest.fixture(autouse=True)
def fresh_caches():
    from repair import config

    config.load.cache_clear()
    config._find_from.cache_clear()
    yield
    config.load.cache_clear()
    config._find_from.cache_clear()


def test_nearest_config_wins_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ungarble]\nignore = ["encoding"]\ngrammar = "none"\n')
    sub = tmp_path / "docs" / "deep"
    sub.mkdir(parents=True)
    (tmp_path / "docs" / ".ungarble.toml").write_text('ignore = ["mt"]\ngrammar = "none"\n')
    top, deep = tmp_path / "top.txt", sub / "deep.txt"
    top.write_text(GARBLE)
    deep.write_text(GARBLE)
    assert find(str(deep)) == str(tmp_path / "docs" / ".ungarble.toml")
    result = run("check", str(top), str(deep))
    lines = result.output.splitlines()
    assert any(l.startswith(f"{top}:") and "mt.repeated-phrase" in l for l in lines)
    assert not any(l.startswith(f"{top}:") and "encoding." in l for l in lines)
    assert any(l.startswith(f"{deep}:") and "encoding.mojibake" in l for l in lines)
    assert not any(l.startswith(f"{deep}:") and "mt." in l for l in lines)


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ungarble]\nselect = ["encoding"]\n')
    sub = tmp_path / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find(str(sub / "a.txt")) == str(tmp_path / "pyproject.toml")


def test_dot_file_beats_pyproject_in_the_same_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ungarble]\nselect = ["encoding"]\n')
    (tmp_path / ".ungarble.toml").write_text('select = ["mt"]\n')
    assert settings_for(str(tmp_path / "a.txt")).select == ("mt",)


def test_every_key_is_read(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "words.txt").write_text("# names\nKirbyson\n")
    (tmp_path / ".ungarble.toml").write_text(
        'select = ["mt", "encoding"]\nignore = "mt.fragment"\n'
        '[per-file-ignores]\n"notes/*.md" = ["mt.repeated-phrase"]\n"README.md" = ["encoding"]\n'
    )
    text = (tmp_path / ".ungarble.toml").read_text()
    (tmp_path / ".ungarble.toml").write_text(
        'fail-on = "error"\nsafety = "suggest"\nrules = ["rules"]\naccept-words = ["Zorblax"]\n'
        'accept-words-file = "words.txt"\ngrammar = "languagetool"\nlanguagetool-url = "http://localhost:8081"\n'
        'languagetool-dir = "lt"\ndialect = "gb"\ninclude = ["*.text"]\nuncurl-quotes = true\n'
        'keep-ligatures = true\n' + text)
    s = settings_for(str(tmp_path / "x.txt"))
    opts = options_for(s, str(tmp_path / "notes" / "a.md"), {})
    assert opts.select == ("mt", "encoding")
    assert opts.ignore == ("mt.fragment", "mt.repeated-phrase")
    assert options_for(s, str(tmp_path / "README.md"), {}).ignore == ("mt.fragment", "encoding")
    assert options_for(s, str(tmp_path / "other.md"), {}).ignore == ("mt.fragment",)
    assert opts.unsafe is True and opts.grammar == "languagetool" and opts.dialect == "gb"
    assert opts.rules_dirs == (str(tmp_path / "rules"),)
    assert opts.accept_words == frozenset({"Zorblax", "Kirbyson"})
    assert opts.languagetool_url == "http://localhost:8081" and opts.languagetool_dir == str(tmp_path / "lt")
    assert opts.uncurl_quotes and not opts.fix_latin_ligatures
    assert s.fail_on == "error" and s.include == ("*.text",)


def test_readability_thresholds_from_config_reach_the_check(tmp_path):
    words = ("The council said that the bridge would close for the winter while the crews "
             "repaired the old supports and painted the rails along the river road.")  # 25 words
    short = "The river rose. People moved their cars. The school closed. Shops opened again. "
    (tmp_path / "a.txt").write_text(short + words + "\n")
    def reported():
        return rules_reported(run("check", "--grammar", "none", "--fail-on", "info", str(tmp_path / "a.txt")).output)
    assert reported() == []
    (tmp_path / ".ungarble.toml").write_text("[readability]\nmin-long-words = 20\nlong-factor = 2.0\n")
    assert reported() == ["readability.long-sentence"]
    opts = options_for(settings_for(str(tmp_path / "a.txt")), str(tmp_path / "a.txt"), {})
    assert dict(opts.readability) == {"min_long_words": 20, "long_factor": 2.0}


def test_flags_override_the_config(tmp_path):
    (tmp_path / ".ungarble.toml").write_text('select = ["encoding"]\nsafety = "suggest"\ndialect = "gb"\n')
    s = settings_for(str(tmp_path / "a.txt"))
    opts = options_for(s, str(tmp_path / "a.txt"), {"select": ("mt",), "unsafe": False, "dialect": "au"})
    assert opts.select == ("mt",) and opts.unsafe is False and opts.dialect == "au"
    path = tmp_path / "a.txt"
    path.write_text(GARBLE)
    assert rules_reported(run("check", "--grammar", "none", str(path)).output) == ["encoding.mojibake"]
    assert rules_reported(run("check", "--grammar", "none", "--select", "mt", str(path)).output) == \
        ["mt.repeated-phrase"]
    assert rules_reported(run("check", "--grammar", "none", "--isolated", str(path)).output) == \
        ["encoding.mojibake", "mt.repeated-phrase"]


def test_fail_on_from_config_and_flag(tmp_path):
    (tmp_path / ".ungarble.toml").write_text('fail-on = "error"\ngrammar = "none"\n')
    path = tmp_path / "a.txt"
    path.write_text("It was the the end.\n")  # a warning only
    assert run("check", str(path)).exit_code == 0
    assert run("check", "--fail-on", "warning", str(path)).exit_code == 1


def test_safety_suggest_applies_suggestions(tmp_path):
    text = "The agency will expand and expand the programme.\n"  # a suggestion
    path = tmp_path / "a.txt"
    path.write_text(text)
    assert run("fix", "--write", "--grammar", "none", str(path)).exit_code == 0
    (tmp_path / ".ungarble.toml").write_text('safety = "suggest"\n')
    assert run("fix", "--write", "--grammar", "none", str(path)).exit_code == 1
    assert path.read_text() == "The agency will expand the programme.\n"


def test_include_from_config_for_directories(tmp_path):
    (tmp_path / ".ungarble.toml").write_text('include = ["*.text"]\ngrammar = "none"\n')
    (tmp_path / "a.text").write_text(GARBLE)
    (tmp_path / "b.txt").write_text(GARBLE)
    out = run("check", str(tmp_path)).output
    assert "a.text:" in out and "b.txt:" not in out


def test_stdin_filename_finds_config_and_per_file_ignores(tmp_path, monkeypatch):
    (tmp_path / ".ungarble.toml").write_text('grammar = "none"\n[per-file-ignores]\n"legacy/*" = ["mt"]\n')
    monkeypatch.chdir(tmp_path)
    res = run("check", "--stdin-filename", "legacy/old.txt", "-", input=GARBLE)
    assert rules_reported(res.output) == ["encoding.mojibake"]
    assert res.output.startswith("legacy/old.txt:1:")
    res = run("check", "--stdin-filename", "new.txt", "-", input=GARBLE)
    assert rules_reported(res.output) == ["encoding.mojibake", "mt.repeated-phrase"]


@pytest.mark.parametrize("content, key", [
    ('selct = ["mt"]\n', "selct"),
    ('fail-on = "sometimes"\n', "fail-on"),
    ('grammar = "grammarly"\n', "grammar"),
    ('dialect = 3\n', "dialect"),
    ('select = [1, 2]\n', "select"),
    ('rules = ["missing-dir"]\n', "rules"),
    ('accept-words-file = "nope.txt"\n', "accept-words-file"),
    ('languagetool-url = "localhost:8081"\n', "languagetool-url"),
    ('keep-ligatures = "yes"\n', "keep-ligatures"),
    ('[per-file-ignores]\n"*.md" = "not an id!"\n', "per-file-ignores"),
    ('[readability]\nmin-long-word = 30\n', "min-long-word"),
    ('[readability]\nmin-long-words = 30.5\n', "min-long-words"),
    ('[readability]\nmax-flesch = "low"\n', "max-flesch"),
    ('readability = 3\n', "readability"),
])
def test_bad_config_names_file_and_key(tmp_path, content, key):
    cfg = tmp_path / ".ungarble.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError) as err:
        load(str(cfg))
    assert str(cfg) in str(err.value) and key in str(err.value)
    path = tmp_path / "a.txt"
    path.write_text("fine\n")
    res = run("check", str(path))
    assert res.exit_code == 2 and str(cfg) in res.output and key in res.output


def test_bad_key_in_pyproject_and_invalid_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ungarble]\nunknown-thing = 1\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml: unknown key \[tool.ungarble\] 'unknown-thing'"):
        load(str(tmp_path / "pyproject.toml"))
    (tmp_path / ".ungarble.toml").write_text('select = [\n')
    with pytest.raises(ConfigError, match="invalid TOML"):
        load(str(tmp_path / ".ungarble.toml"))


def test_explicit_config_flag(tmp_path):
    cfg = tmp_path / "elsewhere.toml"
    cfg.write_text('select = ["encoding"]\ngrammar = "none"\n')
    path = tmp_path / "a.txt"
    path.write_text(GARBLE)
    assert rules_reported(run("check", "--config", str(cfg), str(path)).output) == ["encoding.mojibake"]


def test_the_readme_example_is_a_valid_configuration(tmp_path):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[tool\.ungarble\]\n.*?)```", readme, re.S)
    assert block, "README has no [tool.ungarble] example"
    (tmp_path / "pyproject.toml").write_text(block.group(1), encoding="utf-8")
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "names.txt").write_text("Zorblax\n", encoding="utf-8")
    (tmp_path / "terms.csv").write_text("Datei,file\n", encoding="utf-8")
    s = load(str(tmp_path / "pyproject.toml"))
    assert s is not None and s.per_file_ignores and s.select
