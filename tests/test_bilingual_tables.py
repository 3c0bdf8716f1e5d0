"""repair/bilingual/tables.py: CSV, TSV and JSON Lines with a source and a target column."""
import csv
import io
import json

import pytest
from hypothesis import given, settings, strategies as st

from bilingual_support import assert_only_target_changed, assert_positions, decode_csv, decode_json, read
from repair.bilingual import BilingualFormatError, tables

CASES = [("strings.csv", "csv", {}), ("strings.tsv", "tsv", {"id_field": "key"}), ("strings.jsonl", "jsonl", {})]


def _parse(kind, **fields):
    return lambda text: tables.parse(text, kind, **fields)


@pytest.mark.parametrize("name, kind, fields", CASES)
def test_round_trip_without_changes_is_byte_identical(name, kind, fields):
    text = read(name)
    doc = tables.parse(text, kind, **fields)
    assert tables.splice(doc, {}) == text
    assert tables.splice(doc, {u.key: u.target for u in doc.units}) == text


@pytest.mark.parametrize("name, kind, fields", CASES[:2])
def test_cross_check_with_the_csv_module(name, kind, fields):
    text = read(name)
    doc = tables.parse(text, kind, **fields)
    rows = list(csv.DictReader(io.StringIO(text, newline=""), dialect="excel" if kind == "csv" else "excel-tab"))
    assert [(u.source, u.target) for u in doc.units] == [(r["source"], r["target"]) for r in rows]
    id_field = fields.get("id_field", "id")
    assert [u.id for u in doc.units] == [r[id_field] for r in rows]


def test_cross_check_with_the_json_module():
    text = read("strings.jsonl")
    doc = tables.parse(text, "jsonl")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert [(u.source, u.target) for u in doc.units] == [(r["source"], r["target"] or "") for r in rows]
    assert [u.id for u in doc.units] == ["greeting", "2", "3", "none"]
    assert doc.unit("3").source == "Emoji \U0001F600" and doc.unit("3").context == "chat"


@pytest.mark.parametrize("name, kind, fields", CASES)
def test_position_map(name, kind, fields):
    doc = tables.parse(read(name), kind, **fields)
    assert assert_positions(doc, decode_json if kind == "jsonl" else decode_csv) > 25


def test_position_map_reports_line_and_column():
    doc = tables.parse(read("strings.csv"), "csv")
    multi = doc.unit("3")
    at = multi.target.index("line two")
    assert doc.locate(multi, at, at + 8) == (6, 1, 6, 9)  # the cell's second line
    surrogate = tables.parse(read("strings.jsonl"), "jsonl").unit("3")
    assert surrogate.source_positions.ends[-1] - surrogate.source_positions.starts[-1] == 12  # \ud83d\ude00


@pytest.mark.parametrize("name, kind, fields", CASES)
def test_one_change_touches_only_that_cell(name, kind, fields):
    doc = tables.parse(read(name), kind, **fields)
    for unit in doc.units:
        if unit.segments:
            assert_only_target_changed(_parse(kind, **fields), tables.splice, doc, unit,
                                       unit.target + ', "quoted", tab\there')


def test_quoting_only_where_needed():
    doc = tables.parse(read("strings.csv"), "csv")
    out = tables.splice(doc, {"1": "Save now", "4": "Apples, pears", "5": "Empty"})
    assert "1,button,Speichern,Save now,\r\n" in out
    assert '"Äpfel, Birnen","Apples, pears",needs' in out
    assert "5,,Leer,Empty,empty target\r\n" in out
    out = tables.splice(doc, {"2": "plain"})
    assert '"Er sagte ""Hallo""","plain",quoted' in out  # a quoted cell stays quoted


def test_jsonl_escaping_follows_the_file():
    doc = tables.parse(read("strings.jsonl"), "jsonl")
    out = tables.splice(doc, {"1": 'Grüße "all" \\ \n\t😀'})
    assert '"target": "Grüße \\"all\\" \\\\ \\n\\t😀"' in out
    ascii_text = '{"source": "Caf\\u00e9", "target": "Caf\\u00e9"}\n'
    out = tables.splice(tables.parse(ascii_text, "jsonl"), {"1": "Thé 😀"})
    assert out == '{"source": "Caf\\u00e9", "target": "Th\\u00e9 \\ud83d\\ude00"}\n'
    with pytest.raises(BilingualFormatError, match="no target cell"):
        tables.splice(doc, {"4": "Nothing"})  # its target is null


def test_review_is_refused():
    doc = tables.parse(read("strings.csv"), "csv")
    with pytest.raises(BilingualFormatError, match="no review flag"):
        tables.splice(doc, {"1": "Save it"}, review=True)


def test_an_emptied_lone_cell_stays_a_row():
    doc = tables.parse("target\nHello\nBye\n", "csv")
    out = tables.splice(doc, {"1": ""})
    assert out == 'target\n""\nBye\n'
    assert [u.target for u in tables.parse(out, "csv").units] == ["", "Bye"]


def test_custom_column_names():
    text = "de,en\nHallo,Hello\n"
    doc = tables.parse(text, "csv", source_field="de", target_field="en")
    assert [(u.source, u.target) for u in doc.units] == [("Hallo", "Hello")]
    with pytest.raises(BilingualFormatError, match="^line 1, column 1: no target column 'target'"):
        tables.parse(text, "csv")


@pytest.mark.parametrize("kind, bad, where", [
    ("csv", 'source,target\na,"unterminated\n', "line 2, column 3"),
    ("csv", 'source,target\na,"b"c\n', "line 2, column 6"),
    ("csv", "source,source,target\n", "line 1, column 1"),
    ("csv", "", "line 1, column 1"),
    ("jsonl", '{"source": "a", "target": "b"}\n["x"]\n', "line 2, column 1"),
    ("jsonl", '{"source": "a", "target": "b\n', "line 1, column 27"),
    ("jsonl", '{"source": "a", "target": "b\\q"}\n', "line 1, column 29"),
    ("jsonl", '{"source": "a", "target": tru}\n', "line 1, column 27"),
    ("jsonl", '{"source": "a", "target": "b"} x\n', "line 1, column 32"),
])
def test_malformed_tables(kind, bad, where):
    with pytest.raises(BilingualFormatError) as info:
        tables.parse(bad, kind)
    assert str(info.value).startswith(where) and "\n" not in str(info.value)


cells = st.text(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list(',"\t\r\n\\😀')), max_size=60)


@settings(max_examples=120, deadline=None)
@given(new=cells, case=st.sampled_from(CASES), which=st.integers(0, 3))
def test_any_target_round_trips(new, case, which):
    name, kind, fields = case
    doc = tables.parse(read(name), kind, **fields)
    unit = doc.units[which % len(doc.units)]
    if not unit.segments:
        return
    out = tables.splice(doc, {unit.key: new})
    again = tables.parse(out, kind, **fields)
    assert again.unit(unit.key).target == new
    assert [u.target for u in again.units if u.key != unit.key] == [u.target for u in doc.units if u.key != unit.key]


@pytest.mark.parametrize("kind, text", [("csv", "\ufeffsource,target\nHallo,Hello\n"),
                                        ("jsonl", '\ufeff{"source": "Hallo", "target": "Hello"}\n')])
def test_a_byte_order_mark_is_not_part_of_the_first_name(kind, text):
    doc = tables.parse(text, kind)
    assert [(u.source, u.target) for u in doc.units] == [("Hallo", "Hello")]
    assert tables.splice(doc, {"1": "Hi"}) == text.replace("Hello", "Hi")
