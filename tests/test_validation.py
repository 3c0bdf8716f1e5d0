"""Bad configuration, selectors and rule packs are caught once, before any input is read:
one line (or one block) on stderr and exit 2, never a traceback or a per-file "internal error"."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from repair.cli import main

GRAMMAR_OFF = ["--grammar", "none"]


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def replacement_rule(name: str, new: str) -> str:
    return textwrap.dedent(f"""\
        id: cycle.{name}
        kind: pattern
        message: "{name} -> {new}"
        safety: safe
        pattern: "\\\\b{name}\\\\b"
        replacement: "{new}"
        examples:
          bad: ["{name}"]
          fixed: ["{new}"]
          good: ["nothing"]
        """)


@pytest.fixture
def cycle_pack(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    for old, new in (("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")):
        (pack / f"{old}.yaml").write_text(replacement_rule(old, new), encoding="utf-8")
    return pack


# --- issue 17.7: a cycle of replacements -----------------------------------------------

def test_fix_write_refuses_a_cycle_of_replacements_and_names_its_rules(tmp_path, cycle_pack):
    path = tmp_path / "t.txt"
    path.write_text("The alpha test.\n", encoding="utf-8")
    result = invoke("fix", "--write", *GRAMMAR_OFF, "--rules", cycle_pack, path)
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == "The alpha test.\n"       # nothing written
    assert "cycle.alpha, cycle.beta, cycle.gamma" in result.stderr
    diff = invoke("fix", *GRAMMAR_OFF, "--rules", cycle_pack, path)
    assert diff.exit_code == 2 and diff.stdout == ""                     # no diff of a half-fixed text


def test_check_names_the_rules_of_the_cycle(tmp_path, cycle_pack):
    path = tmp_path / "t.txt"
    path.write_text("The alpha test.\n", encoding="utf-8")
    result = invoke("check", *GRAMMAR_OFF, "--rules", cycle_pack, path)
    assert result.exit_code == 1
    (line,) = [x for x in result.stdout.splitlines() if "internal.unstable" in x]
    assert "cycle.alpha, cycle.beta, cycle.gamma" in line
