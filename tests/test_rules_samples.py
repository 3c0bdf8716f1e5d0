"""Golden files: samples/rules-*.txt fixed with SAFE rule edits (the real engine, rules only)
equal samples/rules-*.fixed.txt, and together the samples exercise every built-in rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from repair.rulebook import load_rules

from rule_engine import run

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RULES = load_rules()
CASES = sorted(p for p in SAMPLES.glob("rules-*.txt") if not p.name.endswith(".fixed.txt"))


def test_there_are_samples():
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_safe_edits_reach_the_golden_text(path):
    text = path.read_text(encoding="utf-8")
    expected = path.with_name(path.stem + ".fixed.txt").read_text(encoding="utf-8")
    result = run(RULES, text)
    assert result.fixed == expected
    again = run(RULES, result.fixed)
    assert again.fixed == result.fixed
    assert not [f for f in again.findings if f.fix is not None and f.fix.safety == "safe"]


def test_samples_exercise_every_rule():
    fired = set()
    for path in CASES:
        fired |= {f.rule for f in run(RULES, path.read_text(encoding="utf-8")).findings}
    assert {r.id for r in RULES} - fired == set()
