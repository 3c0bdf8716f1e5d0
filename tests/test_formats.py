"""Machine formats (github, jsonl, json), the summary line and the progress bar."""
import json
import os
import pty
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest
from click.testing import CliRunner

from repair.cli import main

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # run this code, not an older install
from repair.report import FileReport
from repair.report.github import escape_data, escape_property, render as github_render

TEXT = "It was the the end.\nThey didnâ€™t come.\n"


def invoke(*args, input=None):
    return CliRunner().invoke(main, ["check", "--grammar", "none", *args], input=input)


@pytest.fixture
def garbled(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_github_annotations(garbled):
    result = invoke("--format", "github", str(garbled))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f"::warning file={garbled},line=1,col=8,endLine=1,endColumn=14,title=mt.repeated-phrase"
                        "::Repeated words: 'the the'. [fixable: 'the']")
    assert lines[1].startswith(f"::error file={garbled},line=2,col=6,endLine=2,endColumn=13,title=encoding.mojibake::")


def test_github_escaping_keeps_one_command_per_line():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    from repair.model import Finding, Span
    from repair.pipeline import Result

    text = "x\ny"
    f = Finding("mt.x", "rules", "info", "line one\nline two: 100%", Span(0, 3), "x\ny")
    out = github_render([FileReport("dir,with:odd.txt", "utf-8", Result(text, text, (f,)))])
    assert out == ("::notice file=dir%2Cwith%3Aodd.txt,line=1,col=1,endLine=2,endColumn=1,title=mt.x"
                   "::line one%0Aline two: 100%25\n")


def test_jsonl_one_object_per_finding(garbled, tmp_path):
    result = invoke("--format", "jsonl", str(garbled), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("rule") for r in records] == ["mt.repeated-phrase", "encoding.mojibake", None]
    assert records[0]["path"] == str(garbled) and records[0]["line"] == 1
    assert TEXT[records[1]["start"]:records[1]["end"]] == records[1]["text"] == "didnâ€™t"
    assert records[2]["encoding"] is None and "no such file" in records[2]["error"]


def test_json_format_is_unchanged_version_1(garbled):
    schema = json.loads(resources.files("repair.report").joinpath("check.schema.json").read_text("utf-8"))
    data = json.loads(invoke("--format", "json", str(garbled)).stdout)
    jsonschema.validate(data, schema)
    assert data["version"] == 1 and [f["rule"] for f in data["files"][0]["findings"]] == \
        ["mt.repeated-phrase", "encoding.mojibake"]


def test_summary_line_for_many_files(tmp_path):
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_text(TEXT if i else "Clean text.\n", encoding="utf-8")
    result = invoke(str(tmp_path))
    assert result.stderr.strip().splitlines()[-1] == "3 files checked; 2 errors, 2 warnings, 0 infos"
    fixed = CliRunner().invoke(main, ["fix", "--write", "--grammar", "none", str(tmp_path)])
    assert fixed.stderr.strip().splitlines()[-1] == "3 files checked; 2 errors, 2 warnings, 0 infos; 4 edits applied"


def _stderr_on_a_tty(args, cwd, extra_env=None):
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm", **(extra_env or {}))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [CHECKOUT, env.get("PYTHONPATH")]))
    if not extra_env or "CI" not in extra_env:
        env.pop("CI", None)
    proc = subprocess.run([sys.executable, "-m", "repair.cli", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=slave, env=env, timeout=120)
    os.close(slave)
    chunks = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks += chunk
    os.close(master)
    return proc, chunks.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.slow
def test_progress_bar_only_on_a_terminal_and_not_in_ci(tmp_path):
    for i in range(12):
        (tmp_path / f"f{i:02}.txt").write_text("Clean text.\n", encoding="utf-8")
    args = ["check", "--grammar", "none", str(tmp_path)]
    proc, err = _stderr_on_a_tty(args, tmp_path)
    assert proc.returncode == 0 and "checking" in err and "12/12" in err
    assert proc.stdout == b""  # the bar never goes to stdout
    proc, err = _stderr_on_a_tty(args, tmp_path, {"CI": "true"})
    assert "checking" not in err and "12 files checked" in err
    piped = invoke(str(tmp_path))
    assert "checking" not in piped.stderr


def test_rules_lists_every_rule_with_source_and_safety():
    from repair.encoding import STEPS
    from repair.rulebook import rules_for

    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    table, _, footnote = result.stdout.partition("\n\n")
    listed = {line.split()[0]: line.split()[1:3] for line in table.splitlines()}
    for rule in rules_for(()):
        # safe*: a suggestion whose narrow forms are safe (issue 11.13)
        assert listed[rule.id] == ["rules", "safe*" if rule.safe_forms() else rule.safety]
    for rule_id, _sev, _msg, safety in STEPS.values():
        assert listed[rule_id] == ["ftfy", safety]
    assert "harper.*" in listed and "languagetool.*" in listed


def test_rules_explain_shows_examples_and_unknown_ids_fail():
    from repair.rulebook import rules_for

    rule = next(r for r in rules_for(()) if r.id == "mt.repeated-phrase")
    out = CliRunner().invoke(main, ["rules", "--explain", rule.id]).stdout
    assert rule.id in out and repr(rule.examples.bad[0]) in out and repr(rule.examples.good[0]) in out
    data = json.loads(CliRunner().invoke(main, ["rules", "--explain", "harper.Spelling", "--format", "json"]).stdout)
    assert data["source"] == "harper"
    missing = CliRunner().invoke(main, ["rules", "--explain", "mt.no-such-rule"])
    assert missing.exit_code == 2 and "no rule" in missing.stderr
