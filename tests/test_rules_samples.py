"""Golden files: samples/rules-*.txt fixed with SAFE rule edits to a fixed point equal
samples/rules-*.fixed.txt, and together the samples exercise every built-in rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from repair.rulebook import fix_with_rules, load_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RULES = load_rules()
CASES = sorted(p for p in SAMPLES.glob("rules-*.txt") if not p.name.endswith(".fixed.txt"))


def test_there_are_samples():
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_safe_edits_reach_the_golden_text(path):
    text = path.read_text(encoding="utf-8")
    expected = path.with_name(path.stem + ".fixed.txt").read_text(encoding="utf-8")
    fixed, _ = fix_with_rules(text, RULES)
    assert fixed == expected
    again, found = fix_with_rules(fixed, RULES)
    assert again == fixed
    assert not [f for f in found if f.fix is not None and f.fix.safety == "safe"]


def test_samples_exercise_every_rule():
    fired = set()
    for path in CASES:
        _, found = fix_with_rules(path.read_text(encoding="utf-8"), RULES)
        fired |= {f.rule for f in found}
    assert {r.id for r in RULES} - fired == set()
