"""Bilingual files through the CLI (issue 14 items 1, 3, 4): PO, XLIFF and TMX are read unit by
unit, findings point at the target in the file and name their unit, and `fix --write` changes
target strings only, byte for byte everywhere else."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bilingual_support import SAMPLES


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=300)


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(SAMPLES / name, target)
    return target


def findings(tmp_path: Path, *names: str, extra: tuple[str, ...] = ()) -> list[dict]:
    out = run("check", "--grammar", "none", "--format", "json", *extra, *names, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    return [f for file in json.loads(out.stdout)["files"] for f in file["findings"]]


def test_po_finding_points_at_the_plural_target_and_names_its_unit(tmp_path):
    copy(tmp_path, "app.po")
    # the source-aware checks are tested below; here, where the target's findings land (the sample's
    # "the way gettext does it" draws source.copied-word: a tool's name, a known false alarm)
    found = [f for f in findings(tmp_path, "app.po") if not f["rule"].startswith("source.")]
    assert [(f["rule"], f["line"], f["column"], f["text"]) for f in found] == [
        ("mt.repeated-phrase", 23, 21, "were were")]
    assert found[0]["unit"] == {"id": "%d Datei gelöscht", "source_text": "%d Dateien gelöscht", "plural": 1}
    raw = (tmp_path / "app.po").read_text(encoding="utf-8")
    assert raw[found[0]["start"]:found[0]["end"]] == "were were"  # offsets of the file text


def test_json_with_units_matches_the_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).resolve().parent.parent / "repair" / "report" / "check.schema.json")
                        .read_text(encoding="utf-8"))
    for name in ("app.po", "app.xliff"):
        copy(tmp_path, name)
    out = run("check", "--grammar", "none", "--format", "json", "app.po", "app.xliff", cwd=tmp_path)
    document = json.loads(out.stdout)
    jsonschema.validate(document, schema)
    units = [f["unit"] for file in document["files"] for f in file["findings"]]
    assert {"id": "u1", "source_text": 'Datei <pc id="1">öffnen</pc>', "context": "menu.open"} in units


def test_check_output_formats_point_at_the_file_line(tmp_path):
    copy(tmp_path, "app.po")
    human = run("check", "--grammar", "none", "app.po", cwd=tmp_path)
    assert human.returncode == 1
    assert human.stdout.decode().startswith("app.po:23:21: warning mt.repeated-phrase")
    github = run("check", "--grammar", "none", "--format", "github", "app.po", cwd=tmp_path)
    assert "line=23,col=21" in github.stdout.decode()


def test_fix_write_po_changes_only_the_target_string(tmp_path):
    path = copy(tmp_path, "app.po")
    before = path.read_bytes()
    out = run("fix", "--grammar", "none", "--unsafe", "--write", "app.po", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert path.read_bytes() == before.replace(b'msgstr[1] "%d files were were deleted"',
                                               b'msgstr[1] "%d files were deleted"')
    again = run("fix", "--grammar", "none", "--unsafe", "--write", "app.po", cwd=tmp_path)
    assert again.returncode == 0 and path.read_bytes() == before.replace(b"were were", b"were")


def test_fix_write_keeps_crlf(tmp_path):
    path = copy(tmp_path, "app-crlf.po")
    before = path.read_bytes()
    assert b"\r\n" in before
    out = run("fix", "--grammar", "none", "--unsafe", "--write", "app-crlf.po", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert path.read_bytes() == before.replace(b"were were", b"were")


def test_fix_diff_shows_the_files_own_lines(tmp_path):
    copy(tmp_path, "app.po")
    out = run("fix", "--grammar", "none", "--unsafe", "app.po", cwd=tmp_path)
    assert out.returncode == 1
    diff = out.stdout.decode()
    assert '-msgstr[1] "%d files were were deleted"\n+msgstr[1] "%d files were deleted"\n' in diff


def test_xliff_inline_codes_are_never_flagged_or_changed(tmp_path):
    path = copy(tmp_path, "app.xlf")
    before = path.read_bytes()
    found = findings(tmp_path, "app.xlf", extra=("--grammar", "harper"))
    # the escaped "&lt;i&gt;" inside <bpt> is code, not the word "lt"
    assert [(f["rule"], f["text"]) for f in found] == [("mt.repeated-phrase", "the the")]
    assert found[0]["unit"]["id"] == "link"
    out = run("fix", "--grammar", "none", "--write", "app.xlf", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert path.read_bytes() == before.replace(b'<g id="1">the the here</g>', b'<g id="1">the here</g>')
    # the needs-review state stays
    assert b'<target state="needs-review-translation">For details click <g id="1">the here</g>' in path.read_bytes()


def test_an_edit_that_would_change_an_inline_code_leaves_the_unit_alone(tmp_path):
    (tmp_path / "codes.xlf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2"><file source-language="de" '
        'target-language="en" datatype="plaintext" original="x"><body>\n<trans-unit id="a"><source>x</source>'
        '<target>Press <x id="1"/> <x id="1"/> now , then wait.</target></trans-unit>\n'
        '</body></file></xliff>\n', encoding="utf-8")
    before = (tmp_path / "codes.xlf").read_bytes()
    run("fix", "--grammar", "none", "--unsafe", "--write", "codes.xlf", cwd=tmp_path)
    after = (tmp_path / "codes.xlf").read_bytes()
    assert after.count(b'<x id="1"/>') == 2
    assert after == before.replace(b"now , then", b"now, then")


@pytest.mark.parametrize("name", ["app.pot", "memory.tmx", "app.xliff"])
def test_unchanged_file_round_trips_byte_identical(tmp_path, name):
    path = copy(tmp_path, name)
    before = path.read_bytes()
    out = run("fix", "--grammar", "none", "--write", "--select", "typography.doubled-punctuation", name,
              cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert path.read_bytes() == before


PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def test_obsolete_entries_are_never_checked_and_fuzzy_stays_fuzzy(tmp_path):
    path = tmp_path / "ui.po"
    path.write_text(PO_HEADER + '#, fuzzy\nmsgid "Datei"\nmsgstr "The the file was saved."\n\n'
                    '#~ msgid "Alt"\n#~ msgstr "Old old entry was was here."\n', encoding="utf-8")
    found = findings(tmp_path, "ui.po")
    assert [(f["rule"], f["line"]) for f in found] == [("mt.repeated-phrase", 8)]
    run("fix", "--grammar", "none", "--write", "ui.po", cwd=tmp_path)
    text = path.read_text(encoding="utf-8")
    assert '#, fuzzy\nmsgid "Datei"\nmsgstr "The file was saved."\n' in text
    assert '#~ msgstr "Old old entry was was here."' in text


def test_labels_are_not_checked_as_sentences(tmp_path):
    (tmp_path / "ui.po").write_text(PO_HEADER + 'msgid "a"\nmsgstr "Settings saved. Finished."\n\n'
                                    'msgid "b"\nmsgstr "The airport closed its second runway for repairs. Finished."\n',
                                    encoding="utf-8")
    found = findings(tmp_path, "ui.po")
    assert [(f["rule"], f["line"], f["unit"]["id"]) for f in found] == [("mt.fragment", 10, "b")]


def test_a_directory_walk_picks_up_translation_files(tmp_path):
    for name in ("app.po", "app.xlf", "memory.tmx"):
        copy(tmp_path, name)
    (tmp_path / "notes.csv").write_text("source,target\nx,the the\n", encoding="utf-8")
    out = run("check", "--grammar", "none", "--format", "json", ".", cwd=tmp_path)
    paths = sorted(Path(f["path"]).name for f in json.loads(out.stdout)["files"])
    assert paths == ["app.po", "app.xlf", "memory.tmx"]


def test_a_broken_translation_file_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "bad.po").write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    out = run("check", "bad.po", cwd=tmp_path)
    assert out.returncode == 2
    err = out.stderr.decode().strip().splitlines()
    assert err == ["ungarble: bad.po: not a readable po file: line 2, column 8: unterminated string "
                   "(no closing quote on this line)"]
    assert (tmp_path / "bad.po").read_text(encoding="utf-8") == 'msgid "a"\nmsgstr "b\n'


def test_parallel_jobs_give_the_same_findings(tmp_path):
    for name in ("app.po", "app.xlf"):
        copy(tmp_path, name)
    one = run("check", "--grammar", "none", "--format", "json", "app.po", "app.xlf", cwd=tmp_path)
    two = run("check", "--grammar", "none", "--format", "json", "-j", "2", "app.po", "app.xlf", cwd=tmp_path)
    assert one.stdout == two.stdout


@pytest.mark.parametrize("name, before, after", [
    ("strings.csv", b"and and", b"and"),
    ("strings.tsv", b"the the", b"the"),
    ("strings.jsonl", b"you you", b"you"),
])
def test_tables_with_named_columns_fix_only_the_target_cells(tmp_path, name, before, after):
    path = copy(tmp_path, name)
    original = path.read_bytes()
    found = findings(tmp_path, name, extra=("--source-field", "source"))
    assert [f["rule"] for f in found] == ["mt.repeated-phrase"] and "unit" in found[0]
    out = run("fix", "--grammar", "none", "--unsafe", "--write", "--target-field", "target", name, cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert path.read_bytes() == original.replace(before, after, 1)


def test_a_table_without_named_columns_is_read_as_before(tmp_path):
    copy(tmp_path, "strings.csv")
    found = findings(tmp_path, "strings.csv")
    assert all("unit" not in f for f in found)
    # the doubled word is found in the file read as plain text, with no unit to name
    assert "mt.repeated-phrase" in [f["rule"] for f in found]


def test_table_columns_from_the_configuration(tmp_path):
    copy(tmp_path, "strings.tsv")
    (tmp_path / ".ungarble.toml").write_text('target-field = "target"\n', encoding="utf-8")
    found = findings(tmp_path, "strings.tsv")
    assert [(f["rule"], f["unit"]["source_text"]) for f in found] == [("mt.repeated-phrase", "Bearbeiten")]


def test_source_aware_checks_run_on_units_with_a_source(tmp_path):
    # repair.checks.source through repair.bilingual.run: a dropped placeholder and a changed number
    path = tmp_path / "de.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
                    'msgid "Der Preis beträgt 250 Euro für %s Nächte."\n'
                    'msgstr "The price is 520 euros for nights."\n', encoding="utf-8")
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", "--format", "json",
                          str(path)], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    found = {(f["rule"], f["line"]) for f in json.loads(out.stdout)["files"][0]["findings"]}
    assert ("source.placeholder-missing", 7) in found and ("source.number-different", 7) in found
    ignored = subprocess.run([sys.executable, "-m", "repair.cli", "check", "--grammar", "none", "--format", "json",
                              "--ignore", "source", str(path)], capture_output=True, text=True)
    assert not [f for f in json.loads(ignored.stdout)["files"][0]["findings"] if f["rule"].startswith("source.")]


def test_a_source_without_spaces_in_another_script_is_text_not_a_key(tmp_path):
    # a Chinese headline has no spaces, like a key ("menu.save"), but is the text to compare with
    path = tmp_path / "zh.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
                    'msgid "2020年直招士官工作全面展开-新华网"\n'
                    'msgstr "Direct recruitment of sergeants in full swing in 202 - Xinhuanet"\n'
                    '\nmsgid "menu.save_2020"\nmsgstr "Save the file as it is now"\n', encoding="utf-8")
    rules = {(f["rule"], f["line"]) for f in findings(tmp_path, "zh.po")}
    assert ("source.number-missing", 7) in rules or ("source.number-different", 7) in rules
    assert not [r for r, line in rules if r.startswith("source.") and line == 9]  # the key is no source
