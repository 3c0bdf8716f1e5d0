"""mypy over ``repair`` (settings in pyproject.toml's ``[tool.mypy]``) reports no error.

It runs through mypy's API, as part of the README's test command (and so of CI); slow (about
half a minute), so out of the fast loop.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api", reason="mypy is in the test extras: pip install '.[test]'")

PROJECT = Path(__file__).resolve().parent.parent

# Files whose errors are not counted (none: every module is checked).
NOT_YET: set[str] = set()

ERROR = re.compile(r"^(?P<path>[^:\n]+):\d+:(?:\d+:)? error: ", re.MULTILINE)


def errors(report: str) -> list[str]:
    """The error lines of a mypy report, except those of the files in NOT_YET."""
    return [line for line in report.splitlines()
            if (m := ERROR.match(line)) and m["path"].replace(os.sep, "/") not in NOT_YET]


def test_errors_reads_a_report():
    report = ("repair/a.py:3: error: Bad  [misc]\nrepair/a.py:3: note: see\n"
              "repair/cli.py:9: error: Worse  [misc]\nFound 2 errors in 2 files\n")
    assert errors(report) == ["repair/a.py:3: error: Bad  [misc]", "repair/cli.py:9: error: Worse  [misc]"]


@pytest.mark.slow
def test_mypy_reports_no_error(monkeypatch):
    monkeypatch.chdir(PROJECT)  # [tool.mypy] of pyproject.toml: files, strictness, overrides
    stdout, stderr, status = mypy_api.run(["--no-error-summary", "--no-color-output"])
    assert status in (0, 1), stderr  # 2: mypy itself failed (bad settings, a crash)
    assert errors(stdout) == []
