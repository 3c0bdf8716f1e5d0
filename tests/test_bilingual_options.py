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


# --- fix --write --mark-for-review ------------------------------------------------------------------

def fix_write(tmp_path: Path, name: str, data: bytes, *flags: str) -> bytes:
    path = tmp_path / name
    path.write_bytes(data)
    out = run("fix", "--grammar", "none", "--write", *flags, name, cwd=tmp_path)
    assert out.returncode == 1 and out.stderr.startswith(b"fixed "), out.stderr  # 1: it changed the file
    return path.read_bytes()


MARK_PO = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
           '#: src/a.c:1\n#, c-format\nmsgid "Öffne %s"\nmsgstr "Open the the file %s"\n\n'
           '#,no-wrap\nmsgid "Drucke"\nmsgstr "Print the the page"\n\n'
           '# a comment\n#: src/a.c:2\n#| msgid "Alt"\nmsgid "Schließe die Datei"\nmsgstr "Close the the file"\n\n'
           'msgctxt "menu"\nmsgid "Beenden"\nmsgstr "Quit the the program"\n\n'
           '#, fuzzy\nmsgid "Speichere die Datei"\nmsgstr "Save the the file"\n\n'
           'msgid "Lade die Datei"\nmsgstr "Load the file"\n\n'
           '#~ msgid "Alt"\n#~ msgstr "Old the the one"\n')
MARKED_PO = ('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
             '#: src/a.c:1\n#, fuzzy, c-format\nmsgid "Öffne %s"\nmsgstr "Open the file %s"\n\n'
             '#, fuzzy, no-wrap\nmsgid "Drucke"\nmsgstr "Print the page"\n\n'
             '# a comment\n#: src/a.c:2\n#, fuzzy\n#| msgid "Alt"\nmsgid "Schließe die Datei"\nmsgstr "Close the file"\n\n'
             '#, fuzzy\nmsgctxt "menu"\nmsgid "Beenden"\nmsgstr "Quit the program"\n\n'
             '#, fuzzy\nmsgid "Speichere die Datei"\nmsgstr "Save the file"\n\n'
             'msgid "Lade die Datei"\nmsgstr "Load the file"\n\n'
             '#~ msgid "Alt"\n#~ msgstr "Old the the one"\n')


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_mark_for_review_po(tmp_path, newline):
    data = MARK_PO.replace("\n", newline).encode("utf-8")
    # flags merged into an existing #, line or a "#, fuzzy" line where gettext puts it (after #:,
    # before #|); the fuzzy entry stays as it was, the unchanged and obsolete ones are untouched
    assert fix_write(tmp_path, "app.po", data, "--mark-for-review") == MARKED_PO.replace("\n", newline).encode()
    # without the option no flag is added
    plain = fix_write(tmp_path, "plain.po", data)
    assert plain == MARKED_PO.replace("#, fuzzy, ", "#, ").replace("#, fuzzy\n#|", "#|").replace(
        '#, fuzzy\nmsgctxt', 'msgctxt').replace("#, no-wrap", "#,no-wrap").replace("\n", newline).encode()


MARK_XLF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui" source-language="de" target-language="en" datatype="plaintext">
    <body>
      <trans-unit id="a">
        <source>Datei öffnen</source>
        <target>Open the the file</target>
      </trans-unit>
      <trans-unit id="b">
        <source>Datei schließen</source>
        <target xml:lang='en' state='translated'>Close the the file</target>
      </trans-unit>
      <trans-unit id="c">
        <source>Datei speichern</source>
        <target state="needs-review-l10n">Save the the file</target>
      </trans-unit>
      <trans-unit id="d">
        <source>Datei laden</source>
        <target state="final">Load the file</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_mark_for_review_xliff12(tmp_path):
    out = fix_write(tmp_path, "app.xlf", MARK_XLF.encode(), "--mark-for-review")
    assert out == MARK_XLF.replace(
        "<target>Open the the file", '<target state="needs-review-translation">Open the file').replace(
        "state='translated'>Close the the file", "state='needs-review-translation'>Close the file").replace(
        "Save the the file", "Save the file").encode()
    assert fix_write(tmp_path, "plain.xlf", MARK_XLF.encode()) == MARK_XLF.replace(" the the ", " the ").encode()


MARK_XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="de" trgLang="en">
  <file id="f1">
    <unit id="u1">
      <segment state="final" subState="acme:signed">
        <source>Datei öffnen</source>
        <target>Open the the file</target>
      </segment>
    </unit>
    <unit id="u2">
      <segment id="s1" state="reviewed">
        <source>Datei schließen</source>
        <target>Close the the file</target>
      </segment>
    </unit>
    <unit id="u3">
      <segment>
        <source>Datei speichern</source>
        <target>Save the the file</target>
      </segment>
      <segment state="final">
        <source>Datei laden</source>
        <target>Load the file</target>
      </segment>
    </unit>
  </file>
</xliff>
"""


def test_mark_for_review_xliff20(tmp_path):
    out = fix_write(tmp_path, "app.xliff", MARK_XLIFF2.encode(), "--mark-for-review")
    # final/reviewed -> translated (below reviewed), the old state's subState dropped; a segment
    # without a state (initial) keeps it; the unchanged final segment stays final
    assert out == MARK_XLIFF2.replace('<segment state="final" subState="acme:signed">',
                                      '<segment state="translated">').replace(
        '<segment id="s1" state="reviewed">', '<segment id="s1" state="translated">').replace(
        " the the ", " the ").encode()


def test_mark_for_review_leaves_tmx_as_a_plain_fix(tmp_path):
    tmx = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="de" adminlang="en" '
           'segtype="sentence" datatype="plaintext" o-tmf="none" creationtool="t" creationtoolversion="1"/>\n'
           '<body><tu tuid="1"><tuv xml:lang="de"><seg>Datei öffnen</seg></tuv>'
           '<tuv xml:lang="en"><seg>Open the the file</seg></tuv></tu></body></tmx>\n')
    assert fix_write(tmp_path, "m.tmx", tmx.encode(), "--mark-for-review") == tmx.replace(" the the ", " the ").encode()


def test_mark_for_review_with_diff_only_keeps_the_mark_with_its_repair(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    old = PO_HEADER + ('#, c-format\nmsgid "Öffne %s"\nmsgstr "Open the the file %s"\n\n'
                       '#: a.c:2\n#, c-format\nmsgid "Schließe %s"\nmsgstr "Close %s"\n')
    (tmp_path / "app.po").write_text(old, encoding="utf-8")
    subprocess.run([*git, "add", "app.po"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    # the staged change rewrites one msgstr line: only its repair is applied, with its mark on the
    # #, line above, which the change does not touch
    (tmp_path / "app.po").write_text(old.replace('"Close %s"', '"Close the the file %s"'), encoding="utf-8")
    subprocess.run([*git, "add", "app.po"], cwd=tmp_path, check=True)
    out = run("fix", "--grammar", "none", "--write", "--diff-only", "--mark-for-review", "app.po", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert (tmp_path / "app.po").read_text(encoding="utf-8") == old.replace(
        '#: a.c:2\n#, c-format', '#: a.c:2\n#, fuzzy, c-format').replace('"Close %s"', '"Close the file %s"')


def test_keys_are_not_sources_to_compare():
    text = PO_HEADER + 'msgid "menu.save"\nmsgstr "Save"\n\nmsgid "toolbar.save"\nmsgstr "Save"\n\n' \
        'msgid "app_title"\nmsgstr "Save"\n'
    assert inconsistent(text) == []


def test_the_glossary_is_resolved_once_per_language_pair(monkeypatch):
    calls = []
    real = glossary.terms_for
    monkeypatch.setattr(glossary, "terms_for", lambda *a: calls.append(a[2:]) or real(*a))
    text = po(*((f"Datei {i} speichern", f"Save record {i}") for i in range(40)))
    found = rules(text, glossary=(glossary.Entry(source=("Datei",), target=("file",)),))
    assert len(found) == 40 and calls == [("de", "en")]


def test_consistency_across_the_run_with_diff_only_reports_on_added_lines(tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "a.po").write_text(CONSISTENCY_PO, encoding="utf-8")
    subprocess.run([*git, "add", "a.po"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=tmp_path, check=True)
    (tmp_path / "b.po").write_text(OTHER_PO, encoding="utf-8")
    subprocess.run([*git, "add", "b.po"], cwd=tmp_path, check=True)
    out = run("check", "--grammar", "none", "--diff-only", "--consistency", "run", "a.po", "b.po", cwd=tmp_path)
    lines = [line for line in out.stdout.decode().splitlines() if "source.inconsistent" in line]
    assert lines == ["b.po:8:9: info source.inconsistent a.po:7 translates the same source as 'Save'",
                     "b.po:11:9: info source.inconsistent a.po:35 translates the same source as 'Save as'"]
