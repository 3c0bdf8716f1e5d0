"""repair/bilingual/po.py: Gettext PO/POT read with offsets and written back by splicing."""
import shutil
import subprocess

import polib
import pytest
from hypothesis import given, settings, strategies as st
from translate.storage import po as ttk_po

from bilingual_support import assert_only_target_changed, assert_positions, decode_po, read
from repair.bilingual import BilingualFormatError, po

PO_FILES = ["app.po", "app-crlf.po", "app.pot"]


@pytest.mark.parametrize("name", PO_FILES)
def test_round_trip_without_changes_is_byte_identical(name):
    text = read(name)
    doc = po.parse(text)
    assert po.splice(doc, {}) == text
    assert po.splice(doc, {u.key: u.target for u in doc.units}) == text


def test_units_header_plurals_context_fuzzy_and_obsolete():
    doc = po.parse(read("app.po"))
    assert doc.format == "po" and (doc.source_language, doc.target_language) == ("de", "en")
    keys = [u.key for u in doc.units]
    assert "" not in [u.id for u in doc.units]  # the header is no unit
    assert not any("Alter Eintrag" in k or "Weg" in k for k in keys)  # obsolete entries are not units
    plural = [u for u in doc.units if u.plural_index is not None]
    assert [(u.plural_index, u.source, u.target) for u in plural] == [
        (0, "%d Datei gelöscht", "%d file deleted"), (1, "%d Dateien gelöscht", "%d files were were deleted")]
    assert all("c-format" in u.flags for u in plural)
    assert plural[0].locations == ("src/files.c:40", "src/files.c:77")
    menu, verb = doc.unit("menu\x04Öffnen"), doc.unit("verb\x04Öffnen")
    assert (menu.context, menu.target, verb.context, verb.target) == ("menu", "Open", "verb", "To open")
    fuzzy = doc.unit('Sag "%(name)s" zu \\ allen')
    assert fuzzy.fuzzy and fuzzy.target == 'Say "%(name)s" to \\ everyone'
    assert fuzzy.notes == ("Translator: check the quoting.",)
    assert doc.unit("Willkommen").notes == ("Shown on the start page",)
    wrapped = [u for u in doc.units if u.id.startswith("Dies ist")][0]
    assert wrapped.target == ("This is a long paragraph that was wrapped across several lines, the way gettext "
                              "does it with a width of 79 characters.\nSecond line with\ttab.")
    assert len(wrapped.segments) == 4  # msgstr "" and three lines


def test_pot_units_have_empty_targets():
    doc = po.parse(read("app.pot"))
    assert doc.units and all(u.target == "" for u in doc.units)
    assert [u.key for u in doc.units] == [u.key for u in po.parse(read("app.po")).units]


@pytest.mark.parametrize("name", PO_FILES)
def test_cross_check_with_polib_and_translate_toolkit(name):
    text = read(name)
    doc = po.parse(text)
    ours = [(u.context, u.id, u.plural_index, u.source, u.target, "fuzzy" in u.flags) for u in doc.units]
    expected = []
    for entry in polib.pofile(text):
        if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
            continue
        if entry.msgid_plural:
            for n, value in sorted(entry.msgstr_plural.items()):
                expected.append((entry.msgctxt, entry.msgid, n, entry.msgid_plural if n else entry.msgid, value,
                                 "fuzzy" in entry.flags))
        else:
            expected.append((entry.msgctxt, entry.msgid, None, entry.msgid, entry.msgstr, "fuzzy" in entry.flags))
    assert ours == expected
    store = ttk_po.pofile(text.encode("utf-8"))
    toolkit = [u for u in store.units if not u.isheader() and not u.isobsolete()]
    flat = []
    for u in toolkit:
        targets = u.target.strings if u.hasplural() else [u.target]
        for value in targets:
            flat.append((u.getcontext() or None, value or "", u.isfuzzy()))
    assert [(c, t, f) for c, _, _, _, t, f in ours] == flat


@pytest.mark.parametrize("name", PO_FILES)
def test_position_map_points_at_each_character_or_its_escape(name):
    doc = po.parse(read(name))
    assert assert_positions(doc, decode_po) > 200
    if name == "app.pot":
        return
    fuzzy = doc.unit('Sag "%(name)s" zu \\ allen')
    at = fuzzy.positions[4]  # the first quote, written \"
    assert doc.text[at:at + 2] == '\\"'
    line, col = doc.line_col(at)
    assert doc.text.splitlines()[line - 1][col - 1:col + 1] == '\\"'
    wrapped = [u for u in doc.units if u.id.startswith("Dies ist")][0]
    second = wrapped.target.index("gettext")
    assert doc.locate(wrapped, second, second + 7)[:2] == doc.line_col(wrapped.segments[2].start)


@pytest.mark.parametrize("name", ["app.po", "app-crlf.po"])
def test_one_change_touches_only_that_target(name):
    doc = po.parse(read(name))
    for unit in doc.units:
        out = assert_only_target_changed(po.parse, po.splice, doc, unit, unit.target + " (fixed)")
        if name.endswith("crlf.po"):
            assert "\n" not in out.replace("\r\n", "")


def test_one_line_msgstr_stays_on_one_line_and_wrapped_is_rewrapped_like_gettext():
    doc = po.parse(read("app.po"))
    long = "word " * 30 + "end"
    out = po.splice(doc, {"Willkommen": long})
    assert f'msgstr "{long}"\n' in out
    wrapped = [u for u in doc.units if u.id.startswith("Dies ist")][0]
    new = "A shorter paragraph, wrapped again because the old one was wrapped over lines.\nSecond line."
    out = po.splice(doc, {wrapped.key: new})
    assert ('msgstr ""\n"A shorter paragraph, wrapped again because the old one was wrapped over "\n'
            '"lines.\\n"\n"Second line."\n') in out
    # an empty msgstr follows the file's (wrapped) style
    out = po.splice(doc, {"Noch nicht übersetzt": long})
    assert 'msgstr ""\n"word word' in out


MSGCAT_CASES = [
    "short",
    "a" * 60 + " " + "b" * 9,
    "a" * 60 + " " + "b" * 10,
    "word " * 30,
    "line one\nline two",
    "end only\n",
    "x" * 100,
    "abc " * 20 + "\n" + "de " * 30,
    'quotes "and" \\ backslashes\tand tabs ' * 4,
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore",
]


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext's msgcat is not installed")
def test_wrapping_matches_msgcat(tmp_path):
    head = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    body = "".join(f'msgid "id{i}"\nmsgstr "{po.escape(v)}"\n\n' for i, v in enumerate(MSGCAT_CASES))
    (tmp_path / "in.po").write_text(head + body, encoding="utf-8")
    out = subprocess.run(["msgcat", str(tmp_path / "in.po")], capture_output=True, text=True, check=True).stdout
    ours = head + "".join(f'msgid "id{i}"\n{po.format_string("msgstr", v, 79, chr(10), False)}\n\n'
                          for i, v in enumerate(MSGCAT_CASES))
    assert out == ours.rstrip("\n") + "\n"


def test_file_width_is_read_from_the_file():
    text = read("app.po")
    narrow = text.replace(
        '"This is a long paragraph that was wrapped across several lines, the way "\n'
        '"gettext does it with a width of 79 characters.\\n"\n',
        '"This is a long paragraph that was wrapped across "\n"several lines, the way gettext does it with a "\n'
        '"width of 79 characters.\\n"\n')
    assert po.file_width(po.parse(text).raw["entries"]) == 79
    assert po.file_width(po.parse(narrow).raw["entries"]) < 79


def test_review_marks_changed_entries_fuzzy_once():
    text = read("app.po")
    doc = po.parse(text)
    out = po.splice(doc, {"Willkommen": "Hello", "%d Datei gelöscht[1]": "%d files deleted",
                          "%d Datei gelöscht[0]": "%d file removed",
                          'Sag "%(name)s" zu \\ allen': "Say it"}, review=True)
    assert "#: src/start.c:12\n#, fuzzy\nmsgid \"Willkommen\"" in out
    assert "#, fuzzy, c-format\n" in out and out.count("fuzzy") == text.count("fuzzy") + 2
    entries = {e.msgid: e for e in polib.pofile(out)}
    assert "fuzzy" in entries["Willkommen"].flags and "fuzzy" in entries["%d Datei gelöscht"].flags
    assert "fuzzy" not in entries["Öffnen"].flags
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", "-"], input=out, text=True, check=True)
    again = po.parse(out)
    assert again.unit("Willkommen").fuzzy and again.unit("Willkommen").target == "Hello"
    # without review a fuzzy entry stays fuzzy and nothing else gets the flag
    plain = po.splice(doc, {'Sag "%(name)s" zu \\ allen': "Say it"})
    assert po.parse(plain).unit('Sag "%(name)s" zu \\ allen').fuzzy and plain.count("fuzzy") == text.count("fuzzy")


def test_obsolete_entries_never_change():
    text = read("app.po")
    doc = po.parse(text)
    out = po.splice(doc, {u.key: "X" for u in doc.units}, review=True)
    tail = text[text.index("#~ msgid"):]
    assert out.endswith(tail)
    assert len(polib.pofile(out).obsolete_entries()) == 2


@pytest.mark.parametrize("bad, where", [
    ('msgid "a\nmsgstr "b"\n', "line 1, column 7"),
    ('msgid "a"\nmsgstr "b\\"\n', "line 2, column 8"),
    ('msgid "a"\nmsgstr "b\\q"\n', "line 2, column 10"),
    ('msgid "a"\nmsgstr\n', "line 2, column 7"),
    ('msgid "a"\n', "line 1, column 1"),
    ('msgid "a"\nmsgstr "b" junk\n', "line 2, column 12"),
    ('msgid "a"\nmsgstr "b"\n"orphan\n', "line 3, column 1"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', "line 1, column 1"),
    ('bogus\n', "line 1, column 1"),
    ('msgid "a"\n# comment\nmsgstr "b"\n', "line 2, column 1"),
    ('msgid "a"\n#~ msgid "old"\nmsgstr "b"\n', "line 2, column 1"),
])
def test_malformed_po_is_a_one_line_error_with_line_and_column(bad, where):
    with pytest.raises(BilingualFormatError) as info:
        po.parse(bad)
    message = str(info.value)
    assert message.startswith(where) and "\n" not in message


targets = st.text(alphabet=st.sampled_from(list('ab "\\\n\t\r<&>é😀 x\x07\x00')) | st.characters(), max_size=200)


@settings(max_examples=150, deadline=None)
@given(new=targets, crlf=st.booleans(), which=st.integers(min_value=0, max_value=8))
@pytest.mark.slow
def test_any_target_round_trips_through_splice_and_parse(new, crlf, which):
    text = read("app-crlf.po" if crlf else "app.po")
    doc = po.parse(text)
    unit = doc.units[which]
    out = po.splice(doc, {unit.key: new})
    again = po.parse(out)
    assert again.unit(unit.key).target == new
    assert [u.target for u in again.units if u.key != unit.key] == [u.target for u in doc.units if u.key != unit.key]
    if crlf:
        assert "\n" not in out.replace("\r\n", "")


def test_no_wrap_files_stay_unwrapped_but_break_after_newlines():
    text = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "a"\nmsgstr ""\n"one\\n"\n"' + "long " * 30 + '"\n')
    doc = po.parse(text)
    assert po.file_width(doc.raw["entries"]) == float("inf")
    out = po.splice(doc, {"a": "first\n" + "longer " * 30})
    assert out.endswith('msgstr ""\n"first\\n"\n"' + "longer " * 30 + '"\n')


def test_a_byte_order_mark_is_accepted_and_kept():
    text = "\ufeff" + read("app.po")
    doc = po.parse(text)
    assert len(doc.units) == 9 and po.splice(doc, {}) == text
    assert po.splice(doc, {"Willkommen": "Hi"}).startswith("\ufeff# Sample PO")
