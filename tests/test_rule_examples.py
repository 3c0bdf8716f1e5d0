"""Every rule's own examples: bad texts are fixed as promised, good texts draw no finding."""
from __future__ import annotations

import pytest

from repair.rulebook import fix_with_rules, load_rules, run_rules

RULES = load_rules()


def _ids(rule):
    return rule.id


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_rule_has_examples(rule):
    assert rule.examples.bad, f"{rule.id} ({rule.path}) has no bad examples"
    assert rule.examples.good, f"{rule.id} ({rule.path}) has no good examples"
    if rule.safety != "flag":
        assert len(rule.examples.fixed) == len(rule.examples.bad)


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_bad_examples_fire_and_fix(rule):
    for i, bad in enumerate(rule.examples.bad):
        found = [f for f in run_rules([rule], bad) if f.rule == rule.id]
        assert found, f"{rule.id}: bad example {bad!r} draws no finding"
        for f in found:
            assert f.text == bad[f.span.start:f.span.end]
            if f.fix is not None:
                assert f.fix.span == f.span and f.fix.rule == rule.id
        if rule.safety == "flag":
            assert all(f.fix is None for f in found), f"{rule.id} is flag-only but proposes an edit"
            continue
        fixed, _ = fix_with_rules(bad, [rule], safeties=("safe", "suggest"))
        assert fixed == rule.examples.fixed[i], f"{rule.id}: {bad!r}"


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_good_examples_draw_no_finding(rule):
    for good in rule.examples.good:
        found = [f for f in run_rules([rule], good) if f.rule == rule.id]
        assert not found, f"{rule.id} fires on good example {good!r}: {[f.text for f in found]}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.safety != "flag"], ids=_ids)
def test_fixed_examples_are_stable(rule):
    """The expected text is a fixed point: the rule proposes no further edit there."""
    for fixed in rule.examples.fixed:
        edits = [f for f in run_rules([rule], fixed) if f.fix is not None]
        assert not edits, f"{rule.id} would still edit its own fixed example {fixed!r}"
