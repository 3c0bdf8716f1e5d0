"""Paired documents and the languages of a translation (issue 14 item 1): a translated document
checked next to its source (``--source``, the ``source-files`` configuration table), paragraphs
aligned by structure, the source checks on each aligned pair; languages by option over metadata,
the source's detected from its script; one note per run for targets that are not English.
All texts are written here."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from repair.bilingual.language import detect
from repair.bilingual.paired import Block, align, blocks, compare, mapped_source, parse_source_files
from repair.config import Settings
from repair.options import Options

SOURCE_JA = """# インストール

このツールは3つのパッケージを必要とします。

## 設定

`config.toml` を編集して、ポート8080を設定してください。

- 最初の項目
- 詳しくは https://example.org/v2/ja/docs を参照してください。

```sh
npm install tool@7
```
"""

TARGET_EN = """# Installation

This tool needs two packages.

## Configuration

Edit `config.toml` and set the port to 8080.

- The first item
- See https://example.org/v3/en/docs for details.

```sh
npm install tool@9
```
"""

# the same document with its second section restructured: nothing says which block is which
UNALIGNED_EN = """# Installation

This tool needs two packages. It was the the first release.

Set the port to 8080 in the file.

Done.
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(out: subprocess.CompletedProcess) -> list[dict]:
    return [f for file in json.loads(out.stdout)["files"] for f in file["findings"]]


def notes(out: subprocess.CompletedProcess) -> list[str]:
    return [line for line in out.stderr.splitlines() if line.startswith("ungarble: note:")]


# ---------------------------------------------------------------------------------------------
# --source

def test_aligned_pair_finds_the_missing_number_on_the_target(tmp_path):
    write(tmp_path, "ja/guide.md", SOURCE_JA)
    target = write(tmp_path, "en/guide.md", TARGET_EN)
    out = run("check", "--grammar", "none", "--format", "json", "--source", "ja/guide.md", "en/guide.md",
              cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    found = [f for f in findings(out) if f["rule"].startswith("source.")]
    assert [(f["rule"], f["line"], f["text"]) for f in found] == [
        ("source.number-missing", 3, "This tool needs two packages.")]
    f = found[0]
    assert "3" in f["message"]
    raw = target.read_text(encoding="utf-8")
    assert raw[f["start"]:f["end"]] == f["text"]  # offsets of the target as read
    assert f["unit"] == {"id": "ja/guide.md:3", "source_text": "このツールは3つのパッケージを必要とします。"}
    assert f["fix"] is None
    assert not notes(out)  # every block aligned


def test_code_fences_inline_code_and_urls_are_not_compared_as_prose(tmp_path):
    # the URL's v2/v3 and the fence's 7/9 differ; the inline code is kept: nothing to say about them
    write(tmp_path, "ja.md", SOURCE_JA)
    write(tmp_path, "en.md", TARGET_EN)
    out = run("check", "--grammar", "none", "--format", "json", "--source", "ja.md", "en.md", cwd=tmp_path)
    rules = [(f["rule"], f["line"]) for f in findings(out)]
    assert rules == [("source.number-missing", 3)]


def test_inline_code_dropped_from_the_translation_is_a_missing_placeholder(tmp_path):
    write(tmp_path, "ja.md", SOURCE_JA)
    write(tmp_path, "en.md", TARGET_EN.replace("Edit `config.toml` and", "Edit the file and"))
    out = run("check", "--grammar", "none", "--format", "json", "--source", "ja.md", "en.md", cwd=tmp_path)
    missing = [f for f in findings(out) if f["rule"] == "source.placeholder-missing"]
    assert len(missing) == 1 and missing[0]["line"] == 7
    assert "`config.toml`" in missing[0]["message"]  # the code itself, not a stand-in token


def test_unalignable_pair_is_one_note_and_the_monolingual_checks_still_run(tmp_path):
    write(tmp_path, "ja.md", SOURCE_JA)
    write(tmp_path, "en.md", UNALIGNED_EN)
    alone = run("check", "--grammar", "none", "--format", "json", "en.md", cwd=tmp_path)
    paired = run("check", "--grammar", "none", "--format", "json", "--source", "ja.md", "en.md", cwd=tmp_path)
    assert paired.returncode == alone.returncode == 1
    assert findings(paired) == findings(alone)
    assert any(f["rule"] == "mt.repeated-phrase" for f in findings(paired))
    assert len(paired.stderr.splitlines()) == 1
    assert notes(paired)[0].startswith("ungarble: note: en.md: cannot align it with its source ja.md")


def test_source_with_two_targets_is_a_usage_error(tmp_path):
    write(tmp_path, "ja.md", SOURCE_JA)
    write(tmp_path, "en.md", TARGET_EN)
    write(tmp_path, "en2.md", TARGET_EN)
    for command in ("check", "fix"):
        out = run(command, "--source", "ja.md", "en.md", "en2.md", cwd=tmp_path)
        assert out.returncode == 2
        assert out.stderr.strip().splitlines() == [
            "ungarble: --source names the source of one translated document; 2 inputs were given"]


def test_source_that_does_not_exist_is_an_error(tmp_path):
    write(tmp_path, "en.md", TARGET_EN)
    out = run("check", "--source", "missing.md", "en.md", cwd=tmp_path)
    assert out.returncode == 2
    assert "--source: missing.md" in out.stderr and len(out.stderr.splitlines()) == 1


def test_fix_accepts_source_and_applies_only_the_monolingual_repairs(tmp_path):
    write(tmp_path, "ja.md", SOURCE_JA)
    target = write(tmp_path, "en.md", TARGET_EN.replace("two packages.", "two  packages."))
    before = target.read_bytes()
    out = run("fix", "--grammar", "none", "--source", "ja.md", "en.md", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "-This tool needs two  packages." in out.stdout and "+This tool needs two packages." in out.stdout
    assert target.read_bytes() == before
    out = run("fix", "--grammar", "none", "--write", "--source", "ja.md", "en.md", cwd=tmp_path)
    assert target.read_text(encoding="utf-8") == TARGET_EN  # the source findings change nothing


# ---------------------------------------------------------------------------------------------
# the source-files table

CONFIG = '[tool.ungarble]\nsource-files = { "docs/en/{path}" = "docs/ja/{path}" }\n'


def test_a_hook_given_only_the_translation_finds_its_source(tmp_path):
    write(tmp_path, "pyproject.toml", CONFIG)
    write(tmp_path, "docs/ja/setup/guide.md", SOURCE_JA)
    write(tmp_path, "docs/en/setup/guide.md", TARGET_EN)
    out = run("check", "--grammar", "none", "--format", "json", "docs/en/setup/guide.md", cwd=tmp_path)
    found = [f for f in findings(out) if f["rule"].startswith("source.")]
    assert [(f["rule"], f["unit"]["id"]) for f in found] == [
        ("source.number-missing", "docs/ja/setup/guide.md:3")]
    assert out.returncode == 1 and not notes(out)
    # from a subfolder, too: the patterns are relative to the configuration's folder
    out = run("check", "--grammar", "none", "--format", "json", "en/setup/guide.md", cwd=tmp_path / "docs")
    assert [f["rule"] for f in findings(out)] == ["source.number-missing"]


def test_a_missing_mapped_source_is_one_note_and_the_exit_code_is_unchanged(tmp_path):
    write(tmp_path, "pyproject.toml", CONFIG)
    write(tmp_path, "docs/en/new.md", "It was the the first release.\n")
    write(tmp_path, "other.md", "It was the the first release.\n")
    out = run("check", "--grammar", "none", "--format", "json", "docs/en/new.md", "other.md", cwd=tmp_path)
    assert out.returncode == 1
    assert [f["rule"] for f in findings(out)] == ["mt.repeated-phrase", "mt.repeated-phrase"]
    assert notes(out) == ["ungarble: note: docs/en/new.md: its source docs/ja/new.md (configuration source-files) "
                          "cannot be read (no such file); only the checks of the text itself ran"]


@pytest.mark.parametrize("value, message", [
    ("3", "expected a table of target pattern = source pattern"),
    ('{ "docs/en/{path}" = "docs/ja/{name}" }', "uses {name}, which the target pattern"),
    ('{ "docs/{a}/{a}" = "x/{a}" }', "a placeholder appears twice"),
    ('{ "docs/en/{path" = "docs/ja" }', "a placeholder is written {name}"),
    ('{ "docs/en/{path}" = 3 }', "expected a source path pattern"),
])
def test_a_bad_source_files_table_is_one_line_naming_file_and_key(tmp_path, value, message):
    write(tmp_path, ".ungarble.toml", f"source-files = {value}\n")
    write(tmp_path, "a.md", "Fine text.\n")
    out = run("check", "a.md", cwd=tmp_path)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and ".ungarble.toml: source-files: " in lines[0] and message in lines[0]


def test_mapped_source_patterns():
    settings = Settings(path="/r/pyproject.toml", root="/r", source_files=parse_source_files(
        {"docs/en/{path}": "docs/ja/{path}", "{name}.en.md": "{name}.md"}))
    assert mapped_source("/r/docs/en/a/b.md", settings) == "/r/docs/ja/a/b.md"
    assert mapped_source("/r/intro.en.md", settings) == "/r/intro.md"
    assert mapped_source("/r/sub/intro.en.md", settings) is None  # {name} stays within a folder
    assert mapped_source("/r/docs/fr/a.md", settings) is None


# ---------------------------------------------------------------------------------------------
# alignment

def _kinds(text: str, markdown: bool = True) -> list[str]:
    return [b.kind for b in blocks(text, markdown)]


def test_markdown_blocks_are_headings_paragraphs_items_and_code():
    assert _kinds(SOURCE_JA) == ["h1", "p", "h2", "p", "li", "li", "code"]
    assert _kinds("One.\n\nTwo\nlines.\n\n\nThree.\n", markdown=False) == ["p", "p", "p"]


def test_alignment_by_sections_where_the_whole_does_not_match():
    source = "# A\n\nOne 5.\n\n## B\n\nTwo.\n\nThree.\n"
    target = "# A\n\nOne 6.\n\n## B\n\nTwo and three.\n"
    pairs = align(blocks(source, True), blocks(target, True))
    assert pairs is not None
    assert [(s.line, t.line) for s, t in pairs] == [(1, 1), (3, 3), (5, 5)]  # section B is left out
    result = compare(source, target, source_name="s.md", target_name="t.md", markdown=True,
                     source_markdown=True, options=Options())
    assert [f.rule for f in result.findings] == ["source.number-different"]
    assert result.unaligned == 1 and result.note is not None and "1 of 4 text blocks" in result.note


def test_no_alignment_without_matching_structure():
    s = [Block("p", 0, 1, 1), Block("p", 2, 3, 3)]
    t = [Block("p", 0, 1, 1)]
    assert align(s, t) is None
    assert align([Block("h1", 0, 1, 1), Block("p", 2, 3, 3)], [Block("h2", 0, 1, 1), Block("p", 2, 3, 3)]) is None


# ---------------------------------------------------------------------------------------------
# languages

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
{headers}
msgid "Das kostet 1.500 Euro."
msgstr "That costs 1.5 euros."

msgid "Die Datei wurde gespeichert."
msgstr "The file was was saved."
"""


def po(headers: str) -> str:
    return PO.format(headers=headers)


def test_source_language_option_overrides_the_metadata(tmp_path):
    write(tmp_path, "de.po", po('"X-Source-Language: de\\n"\n'))
    metadata = run("check", "--grammar", "none", "--format", "json", "de.po", cwd=tmp_path)
    assert "source.number-different" in [f["rule"] for f in findings(metadata)]  # German 1.500 is 1500
    option = run("check", "--grammar", "none", "--format", "json", "--source-language", "en", "de.po", cwd=tmp_path)
    assert "source.number-different" not in [f["rule"] for f in findings(option)]  # English 1.500 is 1.5


def test_target_language_option_overrides_the_metadata(tmp_path):
    write(tmp_path, "de.po", po('"Language: de\\n"\n'))
    metadata = run("check", "--grammar", "none", "--format", "json", "de.po", cwd=tmp_path)
    assert "mt.repeated-phrase" not in [f["rule"] for f in findings(metadata)]
    assert len(notes(metadata)) == 1
    option = run("check", "--grammar", "none", "--format", "json", "--target-language", "en", "de.po", cwd=tmp_path)
    assert "mt.repeated-phrase" in [f["rule"] for f in findings(option)]
    assert not notes(option)


def test_languages_from_the_configuration_and_a_bad_tag(tmp_path):
    write(tmp_path, ".ungarble.toml", 'target-language = "fr"\n')
    write(tmp_path, "a.po", po(""))
    out = run("check", "--grammar", "none", "--format", "json", "a.po", cwd=tmp_path)
    assert "mt.repeated-phrase" not in [f["rule"] for f in findings(out)] and len(notes(out)) == 1
    write(tmp_path, ".ungarble.toml", 'source-language = "not a tag"\n')
    out = run("check", "a.po", cwd=tmp_path)
    assert out.returncode == 2 and "source-language: expected a language tag" in out.stderr
    out = run("check", "--target-language", "x y", "a.po", cwd=tmp_path)
    assert out.returncode == 2 and "expected a language tag" in out.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_not_english_note_is_printed_once_per_run(tmp_path, jobs):
    write(tmp_path, "de.po", po('"Language: de\\n"\n'))
    write(tmp_path, "de2.po", po('"Language: de_DE\\n"\n'))
    write(tmp_path, "fr.po", po('"Language: fr\\n"\n'))
    write(tmp_path, "en.po", po('"Language: en\\n"\n'))
    out = run("check", "--grammar", "none", "-j", jobs, "de.po", "de2.po", "fr.po", "en.po", cwd=tmp_path)
    assert notes(out) == ["ungarble: note: 3 files have targets in 'de', 'de_DE' and 'fr', not English: only "
                          "the language-independent checks ran on them (encoding, unicode, script, typography, "
                          "source)"]
    assert out.returncode == 1  # en.po's "was was"


def test_a_document_with_a_target_language_gets_only_language_independent_checks(tmp_path):
    write(tmp_path, "a.md", "Das war war gut.\n")
    plain = run("check", "--grammar", "none", "--format", "json", "a.md", cwd=tmp_path)
    assert "mt.repeated-phrase" in [f["rule"] for f in findings(plain)] and not notes(plain)
    german = run("check", "--grammar", "none", "--format", "json", "--target-language", "de", "a.md", cwd=tmp_path)
    assert findings(german) == [] and german.returncode == 0
    assert notes(german) == ["ungarble: note: 1 file has targets in 'de', not English: only the "
                             "language-independent checks ran on them (encoding, unicode, script, typography, "
                             "source)"]


def test_source_language_detected_from_its_script():
    assert detect("このツールは3つのパッケージを必要とします。") == "ja"
    assert detect("价格上涨了1倍。") == "zh"
    assert detect("Это очень важно.") == "ru"
    assert detect("설정을 저장했습니다") == "ko"
    assert detect("Das kostet 1.500 Euro.") is None  # Latin script does not tell the language
    assert detect("iPhone 15 是苹果的") == "zh"
    assert detect("") is None


def test_english_typography_and_grammar_stand_down_on_a_target_in_another_language(tmp_path):
    write(tmp_path, "fr.po", 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Are you sure? There are 250000 files."\n'
                             'msgstr "Êtes-vous sûr ? Il y a 250000 fichiers."\n')
    out = run("check", "--grammar", "none", "--format", "json", "fr.po", cwd=tmp_path)
    assert [f["rule"] for f in findings(out)] == []
    english = run("check", "--grammar", "none", "--format", "json", "--target-language", "en", "fr.po", cwd=tmp_path)
    assert {"typography.space-before-punctuation", "typography.number-separator"} <= {
        f["rule"] for f in findings(english)}


def test_source_for_a_translation_file_is_a_usage_error_and_stdin_takes_one(tmp_path):
    write(tmp_path, "ja.md", SOURCE_JA)
    write(tmp_path, "a.po", po(""))
    out = run("check", "--source", "ja.md", "a.po", cwd=tmp_path)
    assert out.returncode == 2 and "a.po is a translation file" in out.stderr
    piped = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", "--format", "json",
                            "--stdin-filename", "en.md", "--source", "ja.md", "-"], cwd=tmp_path, input=TARGET_EN,
                           capture_output=True, text=True, timeout=300)
    assert [f["rule"] for f in findings(piped)] == ["source.number-missing"]
