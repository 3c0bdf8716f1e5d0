"""`check --baseline`: record once, then report only new findings, robust to text moving."""
import json

from click.testing import CliRunner

from repair.cli import main

OLD = "Intro line.\n\nIt was the the end.\n\nThey didnâ€™t come.\n"


def check(*args):
    return CliRunner().invoke(main, ["check", "--grammar", "none", *args])


def rules(output):
    return [line.split()[2] for line in output.splitlines() if ": " in line and not line.startswith("ungarble")]


def test_records_when_missing_then_reports_only_new_findings(tmp_path):
    doc, base = tmp_path / "doc.txt", tmp_path / "baseline.json"
    doc.write_text(OLD, encoding="utf-8")
    first = check("--baseline", str(base), str(doc))
    assert first.exit_code == 0 and "recorded 2 findings" in first.stderr
    data = json.loads(base.read_text(encoding="utf-8"))
    assert data["version"] == 1 and {f["path"] for f in data["findings"]} == {"doc.txt"}
    again = check("--baseline", str(base), str(doc))
    assert again.exit_code == 0 and again.stdout == ""
    # text moves (new paragraphs above), old findings stay quiet, a new one is reported
    doc.write_text("A new opening paragraph.\n\nWe saw a a bird.\n\n" + OLD, encoding="utf-8")
    later = check("--baseline", str(base), str(doc))
    assert later.exit_code == 1
    assert rules(later.stdout) == ["mt.repeated-phrase"] and f"{doc}:3:" in later.stdout


def test_a_second_copy_of_an_old_finding_is_new(tmp_path):
    doc, base = tmp_path / "doc.txt", tmp_path / "b.json"
    doc.write_text(OLD, encoding="utf-8")
    check("--baseline", str(base), str(doc))
    doc.write_text(OLD + "\nThen came the the night.\n", encoding="utf-8")
    res = check("--baseline", str(base), str(doc))
    assert res.exit_code == 1 and rules(res.stdout) == ["mt.repeated-phrase"]


def test_edited_context_keeps_the_old_finding_matched(tmp_path):
    doc, base = tmp_path / "doc.txt", tmp_path / "b.json"
    doc.write_text(OLD, encoding="utf-8")
    check("--baseline", str(base), str(doc))
    doc.write_text(OLD.replace("It was the the end.", "So it was the the end of it all."), encoding="utf-8")
    assert check("--baseline", str(base), str(doc)).stdout == ""


def test_fixed_findings_disappear_and_update_rewrites(tmp_path):
    doc, base = tmp_path / "doc.txt", tmp_path / "b.json"
    doc.write_text(OLD, encoding="utf-8")
    check("--baseline", str(base), str(doc))
    doc.write_text(OLD.replace("the the", "the"), encoding="utf-8")
    assert check("--baseline", str(base), str(doc)).exit_code == 0
    res = check("--baseline", str(base), "--update-baseline", str(doc))
    assert "recorded 1 finding " in res.stderr
    assert len(json.loads(base.read_text())["findings"]) == 1


def test_paths_are_relative_to_the_baseline_so_it_works_from_any_folder(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    doc = tmp_path / "docs" / "doc.txt"
    doc.write_text(OLD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    check("--baseline", "b.json", "docs/doc.txt")
    monkeypatch.chdir(tmp_path / "docs")
    assert check("--baseline", "../b.json", "doc.txt").stdout == ""


def test_a_broken_baseline_is_an_error(tmp_path):
    doc, base = tmp_path / "doc.txt", tmp_path / "b.json"
    doc.write_text(OLD, encoding="utf-8")
    base.write_text("{not json", encoding="utf-8")
    res = check("--baseline", str(base), str(doc))
    assert res.exit_code == 2 and "not a baseline file" in res.stderr
