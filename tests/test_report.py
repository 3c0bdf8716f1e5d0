import json
import shutil
import subprocess
from importlib import resources

import jsonschema
import pytest

from repair.model import Edit, Finding, Span
from repair.pipeline import Result
from repair.report import FileReport, LineIndex, diff, human, jsonout

SCHEMA = json.loads(resources.files("repair.report").joinpath("check.schema.json").read_text("utf-8"))


def report_for(text, fixed=None):
    span = Span(text.index("cafÃ©"), text.index("cafÃ©") + 5)
    f = Finding("encoding.mojibake", "ftfy", "error", "Mojibake.", span, "cafÃ©", Edit(span, "café", "encoding.mojibake", "safe"))
    flag = Finding("mt.fragment", "rules", "info", "Fragment.", Span(0, 4), text[:4], None, ("rules", "harper"))
    return FileReport("doc.txt", "utf-8", Result(text, fixed or text.replace("cafÃ©", "café"), (flag, f)))


def test_line_index_counts_crlf_and_cr_as_one_break():
    index = LineIndex("ab\r\ncd\ref\ngh")
    assert [index.position(i) for i in (0, 1, 4, 7, 10)] == [(1, 1), (1, 2), (2, 1), (3, 1), (4, 1)]


def test_human_lines_have_path_line_col_severity_rule_message():
    text = "Told. That\r\nis a cafÃ© here."
    out = human.render([report_for(text)], colour=False)
    assert out.splitlines() == [
        "doc.txt:1:1: info mt.fragment Fragment.",
        "doc.txt:2:6: error encoding.mojibake Mojibake. [fixable]",
    ]
    assert "\x1b[" in human.render([report_for(text)], colour=True)


def test_json_matches_the_documented_schema():
    text = "Told. 😀 a cafÃ© here."
    data = json.loads(jsonout.render([report_for(text), FileReport("missing.txt", None, error="missing.txt: no such file")]))
    jsonschema.validate(data, SCHEMA)
    f = data["files"][0]["findings"][1]
    assert (f["start"], f["end"], f["line"], f["column"]) == (10, 15, 1, 11)
    assert text[f["start"]:f["end"]] == f["text"] == "cafÃ©"
    assert f["fix"] == {"replacement": "café", "safety": "safe"}
    assert data["files"][0]["findings"][0]["sources"] == ["rules", "harper"]
    assert data["files"][1]["encoding"] is None and data["files"][1]["findings"] == []


def test_schema_rejects_a_wrong_shape():
    bad = {"version": 1, "files": [{"path": "x", "encoding": "utf-8", "findings": [{"rule": "x"}], "metrics": {}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) is not installed")
@pytest.mark.parametrize("before, after", [
    ("one\ntwo cafÃ©\nthree\n", "one\ntwo café\nthree\n"),
    ("no final newline cafÃ©", "no final newline café"),
    ("a\r\nb cafÃ©\r\nc\r\n", "a\r\nb café\r\nc\r\n"),
    ("gone\n\nkeep\n", "keep\n"),
])
def test_unified_diff_applies_with_patch(tmp_path, before, after):
    target = tmp_path / "doc.txt"
    target.write_bytes(before.encode())
    patch_text = diff.unified("doc.txt", before, after)
    assert patch_text.startswith("--- a/doc.txt\n+++ b/doc.txt\n")
    subprocess.run(["patch", "-p1", "--quiet"], input=patch_text.encode(), cwd=tmp_path, check=True)
    assert target.read_bytes() == after.encode()


def test_no_newline_marker():
    out = diff.unified("x", "a cafÃ©", "a café")
    assert out.endswith("-a cafÃ©\n\\ No newline at end of file\n+a café\n\\ No newline at end of file\n")


def test_word_diff_shows_only_changed_words():
    out = diff.words("x", "keep\nthey arrive at the at the port\n", "keep\nthey arrive at the port\n", colour=False)
    assert out == "x:2:\nthey arrive at the [-at the -]port\n"
    assert diff.unified("x", "same", "same") == diff.words("x", "same", "same", colour=False) == ""


def test_absolute_paths_get_git_style_prefixes():
    assert diff.unified("/tmp/x.txt", "a cafÃ©\n", "a café\n").startswith("--- a/tmp/x.txt\n+++ b/tmp/x.txt\n")
