"""Options of translation files (issue 14 items 2 and 4): a glossary (CSV or TBX) and do-not-translate
terms, source.inconsistent within a file and across the files of a run, and fix --mark-for-review."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from repair.api import analyse
from repair.bilingual import glossary

PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Source-Language: de\\n"\n\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], cwd=cwd, capture_output=True, timeout=300)


def check_json(cwd: Path, *args: str) -> list[tuple[str, str, str]]:
    """(file, rule, text) of each finding of `check --format json` (exit 0 or 1)."""
    out = run("check", "--grammar", "none", "--format", "json", *args, cwd=cwd)
    assert out.returncode in (0, 1), out.stderr
    return [(file["path"], f["rule"], f["text"]) for file in json.loads(out.stdout)["files"]
            for f in file["findings"]]


def po(*pairs: tuple[str, str]) -> str:
    return PO_HEADER + "".join(f'msgid "{s}"\nmsgstr "{t}"\n\n' for s, t in pairs)


def rules(text: str, fmt: str = "po", **options) -> list[tuple[str, str]]:
    result = analyse(text, input_format=fmt, grammar="none", **options)
    return [(f.rule, f.text) for f in result.findings if f.rule.startswith("source.")]


# --- glossary and do-not-translate ----------------------------------------------------------------

GLOSSARY_PO = po(("Datei speichern", "Save the document"), ("Datei öffnen", "Open the file"),
                 ("Ungarble prüft Texte", "Unscramble checks texts"), ("Ungarble ist schnell", "Ungarble is fast"),
                 ("Dateien speichern", "Save the documents"))

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="de">
<text><body>
<termEntry id="c1">
  <langSet xml:lang="de"><tig><term>Speicher</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>memory</term></tig><tig><term>storage</term></tig></langSet>
</termEntry>
<termEntry id="c2">
  <descrip type="Translation needed">no</descrip>
  <langSet xml:lang="de"><tig><term>Ungarble</term></tig></langSet>
</termEntry>
<termEntry id="c3">
  <langSet xml:lang="fr"><tig><term>Speicher</term></tig></langSet>
  <langSet xml:lang="en"><tig><term>cache</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def test_csv_glossary_hit_and_miss_and_do_not_translate(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text("source,target\nDatei,file\nUngarble,\n", encoding="utf-8")
    entries = glossary.read(str(path))
    found = rules(GLOSSARY_PO, glossary=entries)
    # "Datei" -> "file": missed in unit 1, kept in unit 2; "Dateien" is another word (whole words in
    # the source); "Ungarble" must stay as written
    assert found == [("source.glossary", "Save the document"),
                     ("source.do-not-translate", "Unscramble checks texts")]
    assert rules(GLOSSARY_PO) == []  # without a glossary: nothing


def test_tbx_glossary_by_language_pair(tmp_path):
    path = tmp_path / "terms.tbx"
    path.write_text(TBX, encoding="utf-8")
    entries = glossary.read(str(path))
    text = po(("Speicher voll", "Storage is full"), ("Speicher leer", "Disk empty"),
              ("Speichern", "Save"), ("Ungarble prüft", "Unscramble checks"))
    # de -> en: "memory" or "storage" (the fr entry's "cache" is not asked for); "Speichern" is not the term
    assert rules(text, glossary=entries) == [("source.glossary", "Disk empty"),
                                            ("source.do-not-translate", "Unscramble checks")]


def test_glossary_through_the_cli_and_the_configuration(tmp_path):
    (tmp_path / "app.po").write_text(GLOSSARY_PO, encoding="utf-8")
    (tmp_path / "terms.tbx").write_text(TBX, encoding="utf-8")
    (tmp_path / "terms.csv").write_text("Datei,file\n", encoding="utf-8")
    assert check_json(tmp_path, "--glossary", "terms.csv", "app.po") == [
        ("app.po", "source.glossary", "Save the document")]
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "app.po").write_text(GLOSSARY_PO, encoding="utf-8")
    (sub / ".ungarble.toml").write_text('glossary = "../terms.tbx"\ndo-not-translate = ["Texte"]\n',
                                        encoding="utf-8")
    assert check_json(tmp_path, "sub/app.po") == [
        ("sub/app.po", "source.do-not-translate", "Unscramble checks texts"),
        ("sub/app.po", "source.do-not-translate", "Unscramble checks texts")]
    # the flag replaces the configured glossary
    assert ("sub/app.po", "source.glossary", "Save the document") in check_json(
        tmp_path, "--glossary", "terms.csv", "sub/app.po")


@pytest.mark.parametrize("content,message", [
    (None, "cannot read"),
    (b"<martif><text><body><termEntry>", "not a readable TBX file"),
    (b"<tbx><text/></tbx>", "not a TBX file"),
])
def test_a_glossary_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, content, message):
    (tmp_path / "app.po").write_text(GLOSSARY_PO, encoding="utf-8")
    if content is not None:
        (tmp_path / "terms.tbx").write_bytes(content)
    out = run("check", "--grammar", "none", "--glossary", "terms.tbx", "app.po", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == b""
    lines = out.stderr.decode().splitlines()
    assert len(lines) == 1 and message in lines[0] and "terms.tbx" in lines[0], lines
    (tmp_path / ".ungarble.toml").write_text('glossary = "terms.tbx"\n', encoding="utf-8")
    out = run("check", "--grammar", "none", "app.po", cwd=tmp_path)
    lines = out.stderr.decode().splitlines()
    assert out.returncode == 2 and len(lines) == 1 and ".ungarble.toml" in lines[0] and message in lines[0]


def test_a_csv_glossary_that_is_not_utf8_is_exit_2(tmp_path):
    (tmp_path / "app.po").write_text(GLOSSARY_PO, encoding="utf-8")
    (tmp_path / "terms.csv").write_bytes(b"Datei,\xff\xfe\n")
    out = run("check", "--grammar", "none", "--glossary", "terms.csv", "app.po", cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.decode().splitlines()) == 1


# --- source.inconsistent ----------------------------------------------------------------------------

CONSISTENCY_PO = PO_HEADER + """msgid "Speichern"
msgstr "Save"

msgctxt "file"
msgid "Öffnen"
msgstr "Open"

msgctxt "state"
msgid "Öffnen"
msgstr "Opened"

msgctxt "state"
msgid "Offen"
msgstr "Open"

msgid "Sichern"
msgstr "Save"

msgid "%d Datei"
msgid_plural "%d Dateien"
msgstr[0] "%d file"
msgstr[1] "%d files"
msgstr[2] "%d files"

#, fuzzy
msgid "Schließen"
msgstr "Save"

msgid "Speichern unter"
msgstr "Save as"

msgid "Beenden"
msgstr "Quit"
"""

OTHER_PO = PO_HEADER + """#, fuzzy
msgid "Speichern"
msgstr "Keep"

msgid "Speichern unter"
msgstr "Save under"
"""


def inconsistent(text: str, **options) -> list[tuple[int, str, str]]:
    result = analyse(text, input_format="po", grammar="none", **options)
    return [(text.count("\n", 0, f.span.start) + 1, f.text, f.message) for f in result.findings
            if f.rule == "source.inconsistent"]


def test_consistency_within_a_file():
    # "Sichern" -> "Save" like "Speichern" (two sources, one translation) and the fuzzy "Schließen"
    # -> "Save" (compared with the settled units) are; not inconsistent: the label "Öffnen" as "Open"
    # in context "file" and "Opened" in context "state", nor "Offen" -> "Open" in "state" next to
    # "Öffnen" -> "Open" in "file"; the plural forms [1] and [2] of one entry (one source)
    assert inconsistent(CONSISTENCY_PO) == [
        (22, "Save", "line 7 has the same translation for a different source"),
        (32, "Save", "line 7 has the same translation for a different source")]
    assert inconsistent(CONSISTENCY_PO, ignore=("source.inconsistent",)) == []
    # findings and fixes of other rules are untouched: only info findings are added
    result = analyse(CONSISTENCY_PO, input_format="po", grammar="none")
    assert all(f.severity == "info" for f in result.findings if f.rule == "source.inconsistent")


def test_a_settled_unit_is_not_inconsistent_because_of_a_fuzzy_one():
    text = PO_HEADER + '#, fuzzy\nmsgid "Sichern"\nmsgstr "Save"\n\nmsgid "Speichern"\nmsgstr "Save"\n'
    assert inconsistent(text) == [(8, "Save", "line 11 has the same translation for a different source")]


def test_duplicate_entries_are_compared_plural_forms_are_not():
    text = PO_HEADER + ('msgid "Speichern"\nmsgstr "Save"\n\nmsgid "Speichern"\nmsgstr "Store"\n\n'
                        'msgid "%d Datei"\nmsgid_plural "%d Dateien"\nmsgstr[0] "%d file"\nmsgstr[1] "%d files"\n'
                        'msgstr[2] "%d filez"\n')
    assert [line for line, _, _ in inconsistent(text)] == [10]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_consistency_across_the_files_of_a_run(tmp_path, jobs):
    (tmp_path / "a.po").write_text(CONSISTENCY_PO, encoding="utf-8")
    (tmp_path / "b.po").write_text(OTHER_PO, encoding="utf-8")
    within = [f for f in check_json(tmp_path, "-j", jobs, "a.po", "b.po") if f[1] == "source.inconsistent"]
    assert within == [("a.po", "source.inconsistent", "Save")] * 2  # b.po alone is consistent
    out = run("check", "--grammar", "none", "-j", jobs, "--consistency", "run", "a.po", "b.po", cwd=tmp_path)
    assert out.returncode == 0, out.stderr  # info findings do not fail the run
    lines = [line for line in out.stdout.decode().splitlines() if "source.inconsistent" in line]
    assert lines == [
        "a.po:22:9: info source.inconsistent a.po:7 has the same translation for a different source",
        "a.po:32:9: info source.inconsistent a.po:7 has the same translation for a different source",
        "b.po:8:9: info source.inconsistent a.po:7 translates the same source as 'Save'",
        "b.po:11:9: info source.inconsistent a.po:35 translates the same source as 'Save as'",
    ]
    # the configuration key does the same
    (tmp_path / ".ungarble.toml").write_text('consistency = "run"\n', encoding="utf-8")
    again = run("check", "--grammar", "none", "-j", jobs, "a.po", "b.po", cwd=tmp_path)
    assert [line for line in again.stdout.decode().splitlines() if "source.inconsistent" in line] == lines
    (tmp_path / ".ungarble.toml").write_text('consistency = "files"\n', encoding="utf-8")
    bad = run("check", "--grammar", "none", "a.po", cwd=tmp_path)
    assert bad.returncode == 2 and b"consistency" in bad.stderr and len(bad.stderr.splitlines()) == 1


def test_rules_lists_the_translation_file_rules_with_examples(tmp_path):
    for rule in ("source.glossary", "source.do-not-translate", "source.inconsistent"):
        out = run("rules", "--explain", rule, cwd=tmp_path)
        text = out.stdout.decode()
        assert out.returncode == 0 and "fires on:" in text and "leaves alone:" in text, text
