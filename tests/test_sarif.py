"""`check --format sarif` validated against the official SARIF 2.1.0 schema (vendored in tests/data)."""
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from repair.cli import main

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
TEXT = "It was the the end.\nThey didnâ€™t come to the cafÃ©.\n"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert "2.1.0" in schema["title"]
    return jsonschema.Draft4Validator(schema)


def sarif(*args, cwd=None, input=None):
    result = CliRunner().invoke(main, ["check", "--format", "sarif", "--grammar", "none", *args], input=input)
    return result, json.loads(result.stdout)


def test_valid_sarif_with_locations_rules_and_fixes(tmp_path, validator, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    path = tmp_path / "docs" / "a b.txt"
    path.write_text(TEXT, encoding="utf-8")
    result, log = sarif("docs/a b.txt")
    assert result.exit_code == 1
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "ungarble"
    assert run["columnKind"] == "unicodeCodePoints"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"mt.repeated-phrase", "encoding.mojibake"}
    rules = run["tool"]["driver"]["rules"]
    for rid, res in by_rule.items():
        assert rules[res["ruleIndex"]]["id"] == rid
    moji = [r for r in run["results"] if r["ruleId"] == "encoding.mojibake"][0]
    loc = moji["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/a%20b.txt", "uriBaseId": "%SRCROOT%", "index": 0}
    region = loc["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 6, 2, 14)
    assert TEXT[region["charOffset"]:region["charOffset"] + region["charLength"]] == "didnâ€™t"
    assert moji["level"] == "error"
    replacement = moji["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "didn’t"
    rep = [r for r in run["results"] if r["ruleId"] == "mt.repeated-phrase"][0]
    assert rep["level"] == "warning"
    assert rules[rep["ruleIndex"]]["shortDescription"]["text"]


def test_clean_file_unreadable_file_and_stdin_are_valid_too(tmp_path, validator, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.txt").write_text("All is well here.\n", encoding="utf-8")
    result, log = sarif("clean.txt", "missing.txt")
    assert result.exit_code == 2
    assert not list(validator.iter_errors(log))
    run = log["runs"][0]
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "missing.txt" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    result, log = sarif("--stdin-filename", "notes/x.md", "-", input="It was the the end.\n")
    assert not list(validator.iter_errors(log))
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notes/x.md"


def test_the_validator_would_catch_a_broken_log(validator):
    # the test above means something only if the schema rejects bad SARIF
    assert list(validator.iter_errors({"version": "2.1.0", "runs": [{"results": []}]}))  # no tool
    assert list(validator.iter_errors({"version": "2.0.0", "runs": []}))
