"""`ungarble score` and `ungarble report` through click (registered here as the lead does in cli.py)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from repair.cli import main
from repair.cli_score import bar, report, score

main.add_command(score)
main.add_command(report)

CLEAN = ("The library opens at nine in the morning and closes at six in the evening. Most visitors come on "
         "Saturdays, when the reading room is quiet.\n\nThe staff will help you find a book or renew a loan.\n")
GARBLED = ("The the committee decided decided to to approve approve the plan plan on Tuesday.\n\n"
           "He said said that that that the the vote vote was was fair fair fair. Lord, my Lord, my Lord, my "
           "Lord, my Lord, and and and the the the.\n")


@pytest.fixture
def files(tmp_path):
    clean = tmp_path / "clean.txt"
    garbled = tmp_path / "garbled.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    garbled.write_text(GARBLED, encoding="utf-8")
    return str(clean), str(garbled)


def run(*args):
    return CliRunner().invoke(main, ["score", "--grammar", "none", *args])


def test_table_sorted_worst_first(files):
    clean, garbled = files
    result = run(clean, garbled)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["garble", "flesch", "grade", "words", "err", "warn", "info", "file"]
    assert lines[1].endswith(garbled) and lines[2].endswith(clean)
    assert float(lines[1].split()[0]) > float(lines[2].split()[0])


def test_paragraph_view_has_a_bar_and_first_words(files):
    clean, garbled = files
    result = run("--paragraphs", garbled)
    assert result.exit_code == 0
    rows = [l for l in result.output.splitlines()[2:] if l.strip()]
    assert len(rows) == 2
    assert rows[0].split()[0] == "1" and "The the committee decided" in rows[0]
    assert rows[1].split()[0] == "3" and "█" in rows[1]


def test_json_metrics_have_the_check_shape(files):
    clean, garbled = files
    result = run("--format", "json", clean, garbled)
    data = json.loads(result.output)
    assert data["version"] == 1 and [f["path"] for f in data["files"]] == [clean, garbled]
    for f in data["files"]:
        assert {"path", "encoding", "findings", "metrics"} <= set(f)
        m = f["metrics"]
        assert 0 <= m["garble_score"] <= 100
        assert {"flesch", "grade", "fog", "words", "words_per_sentence"} <= set(m["readability"])
    assert data["files"][1]["metrics"]["garble_score"] > data["files"][0]["metrics"]["garble_score"]
    assert any(x["rule"].startswith("mt.") for x in data["files"][1]["findings"])


def test_fail_above(files):
    clean, garbled = files
    scores = {f["path"]: f["metrics"]["garble_score"]
              for f in json.loads(run("--format", "json", clean, garbled).output)["files"]}
    between = (scores[clean] + scores[garbled]) / 2
    assert run("--fail-above", f"{between:.2f}", clean).exit_code == 0
    assert run("--fail-above", f"{between:.2f}", clean, garbled).exit_code == 1
    assert run("--fail-above", "100", garbled).exit_code == 0


def test_unreadable_input_exits_2(files, tmp_path):
    clean, _ = files
    result = run(clean, str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert clean in result.output


def test_report_writes_a_page(files, tmp_path):
    clean, garbled = files
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "--grammar", "none", clean, garbled, "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.index(garbled) < page.index(clean)
    assert "http://" not in page and "https://" not in page


def test_bar():
    assert bar(0) == "·" * 20 and bar(100) == "█" * 20 and bar(50).startswith("█" * 10)
