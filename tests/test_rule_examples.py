"""Every rule's own examples, run through the real engine (``repair.pipeline.run``, rules only).

- bad texts draw a finding; ``fix`` makes ``examples.fixed`` of them and ``fix --unsafe``
  ``examples.fixed_unsafe`` (safety pinned: a safe edit turned into a suggestion, or the
  reverse, changes ``fixed``); a flag-only rule leaves them as they are;
- good texts draw no finding, from this rule or (item 5 of issue 12) from any other rule
  unless the other rule declares the overlap (``overlaps:``);
- ``known_failures`` still draw no finding: when a change catches one, move it to ``bad``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from repair.rulebook import builtin_rules_dir, load_rules

from rule_engine import findings, fix

RULES = load_rules()
BY_ID = {r.id: r for r in RULES}


def _ids(rule):
    return rule.id


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_bad_examples_fire_and_fix_as_pinned(rule):
    ex = rule.examples
    for i, bad in enumerate(ex.bad):
        found = findings([rule], bad)
        assert found, f"{rule.id}: bad example {bad!r} draws no finding"
        for f in found:
            assert f.text == bad[f.span.start:f.span.end]
            if f.fix is not None:
                assert f.fix.rule == rule.id
        if rule.safety == "flag":
            assert all(f.fix is None for f in found), f"{rule.id} is flag-only but proposes an edit"
            assert fix([rule], bad) == bad and fix([rule], bad, unsafe=True) == bad
            continue
        assert fix([rule], bad) == ex.fixed[i], f"{rule.id}: `fix` of {bad!r}"
        assert fix([rule], bad, unsafe=True) == ex.fixed_unsafe[i], f"{rule.id}: `fix --unsafe` of {bad!r}"


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_good_examples_draw_no_finding(rule):
    for good in rule.examples.good:
        found = findings([rule], good)
        assert not found, f"{rule.id} fires on good example {good!r}: {[f.text for f in found]}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.safety != "flag"], ids=_ids)
def test_fixed_examples_are_stable(rule):
    """The texts ``fix`` and ``fix --unsafe`` make are fixed points: nothing more to edit."""
    for fixed in rule.examples.fixed:
        assert fix([rule], fixed) == fixed, rule.id
    for fixed in rule.examples.fixed_unsafe:
        assert fix([rule], fixed, unsafe=True) == fixed, rule.id


@pytest.mark.parametrize("rule", [r for r in RULES if r.examples.known_failures], ids=_ids)
def test_known_failures_still_fail(rule):
    for text in rule.examples.known_failures:
        found = findings([rule], text)
        assert not found, (f"{rule.id} now catches its known failure {text!r}: move it to 'bad' "
                           f"(with what fix makes of it)")


def test_there_are_known_failures():
    assert sum(len(r.examples.known_failures) for r in RULES) >= 5


def test_no_rule_fires_on_another_rules_good_examples_unless_declared():
    """Each good example is clean for every rule, or the rule that fires declares the overlap
    (``examples.fires_on_good_of``); a declaration that no longer holds is an error too."""
    undeclared, used = [], set()
    for rule in RULES:
        for other in RULES:
            if other is rule:
                continue
            for good in other.examples.good:
                if not findings([rule], good):
                    continue
                if other.id in rule.examples.fires_on_good_of:
                    used.add((rule.id, other.id))
                else:
                    undeclared.append((rule.id, other.id, good))
    assert not undeclared
    declared = {(r.id, o) for r in RULES for o in r.examples.fires_on_good_of}
    assert declared - used == set(), "declared overlaps that no longer happen (or name no rule)"


def test_a_safe_edit_turned_into_a_suggestion_fails_the_pinned_examples(tmp_path):
    """Safety is pinned: the same rule with ``safety: suggest`` no longer makes ``fixed``."""
    source = builtin_rules_dir() / "typography" / "doubled-punctuation.yaml"
    text = source.read_text(encoding="utf-8")
    assert "safety: safe\n" in text
    (tmp_path / "copy.yaml").write_text(text.replace("safety: safe\n", "safety: suggest\n"), encoding="utf-8")
    (weaker,) = load_rules([tmp_path], builtin=False)
    original = BY_ID[weaker.id]
    assert [fix([original], b) for b in original.examples.bad] == list(original.examples.fixed)
    assert [fix([weaker], b) for b in weaker.examples.bad] != list(weaker.examples.fixed)
    # --unsafe still applies it: only `fixed` tells the two apart
    assert [fix([weaker], b, unsafe=True) for b in weaker.examples.bad] == list(weaker.examples.fixed_unsafe)


def test_rule_ids_match_their_file_paths():
    """rules/<pack>/<name>.yaml holds the rule <pack>.<name> (one rule a file)."""
    root = builtin_rules_dir()
    by_path: dict[str, list[str]] = {}
    for rule in RULES:
        by_path.setdefault(rule.path, []).append(rule.id)
    for path, ids in by_path.items():
        rel = Path(path).relative_to(root).with_suffix("")
        assert ids == [".".join(rel.parts)], (path, ids)



def test_the_readme_rule_example_holds(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Rule packs"):]
    block = section[section.index("```yaml\n") + 8:section.index("```\n", section.index("```yaml\n") + 8)]
    (tmp_path / "utilise.yaml").write_text(block, encoding="utf-8")
    (rule,) = load_rules([tmp_path], builtin=False)
    ex = rule.examples
    assert [fix([rule], b) for b in ex.bad] == list(ex.fixed) == list(ex.fixed_unsafe)
    assert ex.known_failures and not any(findings([rule], t) for t in ex.known_failures)
