"""Tests over the rule data itself (codespell style), not just the engine."""
from __future__ import annotations

import collections

import pytest
import yaml

from repair.wordlists import read_word_file

from repair.rulebook import builtin_rules_dir, load_rules, rule_files, run_rules
from repair.rulekinds.repetition import RepetitionRule
from repair.rulekinds.fragment import FragmentRule
from repair.rulekinds.pattern import PatternRule

RULES = load_rules()


def test_builtin_dir_holds_the_packs():
    root = builtin_rules_dir()
    packs = {p.parent.name for p in rule_files(root)}
    assert {"mt", "boilerplate", "typography", "script", "quotes"} <= packs


def test_rule_ids_unique_across_files():
    ids = collections.Counter()
    for path in rule_files(builtin_rules_dir()):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            ids[doc["id"]] += 1
    dupes = [i for i, n in ids.items() if n > 1]
    assert not dupes
    assert len(ids) == len(RULES)


def test_ids_carry_their_pack_prefix():
    for rule in RULES:
        pack = rule.id.split(".")[0]
        assert pack in {"mt", "boilerplate", "typography", "script", "quotes", "unicode", "grammar"}, rule.id


def test_word_lists_have_no_duplicates():
    for path in builtin_rules_dir().rglob("*.txt"):
        entries = [e.casefold() for e in read_word_file(path, path.name)]
        dupes = [e for e, n in collections.Counter(entries).items() if n > 1]
        assert not dupes, f"{path.name}: {dupes}"


def test_every_word_list_is_used_by_a_rule():
    used = set()
    for path in rule_files(builtin_rules_dir()):
        text = path.read_text(encoding="utf-8")
        used.update(p.name for p in path.parent.glob("*.txt") if p.name in text)
    listed = {p.name for p in builtin_rules_dir().rglob("*.txt")}
    assert listed == used


REPEATS = [r for r in RULES if isinstance(r, RepetitionRule)]


@pytest.mark.parametrize("rule", REPEATS, ids=lambda r: r.id)
def test_allow_list_entries_are_not_flagged(rule):
    """An allow-list entry, repeated the way the rule looks for, draws no finding."""
    joiners = rule.p("joiners") or [None]
    copies = rule.p("min_copies")
    for entry in rule.p("allow"):
        words = entry.split()
        half = len(words) // 2
        whole_repeat = len(words) % 2 == 0 and words[:half] == words[half:]
        for joiner in joiners:
            if whole_repeat:
                text = f"They said {entry} today."
            else:
                sep = f" {joiner} " if joiner else (", " if rule.p("separator") else " ")
                text = f"They said {sep.join([entry] * copies)} today."
            found = run_rules([rule], text)
            assert not found, f"{rule.id}: allow-list entry {entry!r} is flagged in {text!r}"


@pytest.mark.parametrize("rule", REPEATS, ids=lambda r: r.id)
def test_safe_units_are_not_also_allowed(rule):
    allowed = {a.casefold() for a in rule.p("allow")}
    assert not allowed & {s.casefold() for s in rule.p("safe_units")}


def test_fragment_words_fire_and_allow_list_does_not():
    frag = next(r for r in RULES if isinstance(r, FragmentRule))
    for word in frag.p("words"):
        text = f"The report came out on Monday. {word.capitalize()}."
        assert run_rules([frag], text), word
    for word in frag.p("allow"):
        text = f"The report came out on Monday. {word.capitalize()}."
        assert not run_rules([frag], text), word


@pytest.mark.parametrize("rule", [r for r in RULES if r.safety != "flag"], ids=lambda r: r.id)
def test_replacements_are_not_flagged_again(rule):
    """Applying a rule's edits once leaves nothing for the same rule to edit."""
    from repair import edits

    for bad in rule.examples.bad:
        found = run_rules([rule], bad)
        todo = [f.fix for f in found if f.fix is not None]
        chosen, skipped = edits.resolve(todo)
        if skipped:
            continue  # overlapping edits need another pass by design
        once = edits.apply(bad, chosen)
        again = [f for f in run_rules([rule], once) if f.fix is not None]
        assert not again, f"{rule.id}: its replacement in {once!r} is edited again: {[f.text for f in again]}"


def test_pattern_rules_replacement_text_is_clean():
    """A literal replacement must not itself match its rule's pattern."""
    for rule in RULES:
        if isinstance(rule, PatternRule) and rule.p("replacement") and "\\" not in rule.p("replacement"):
            assert not rule.p("pattern").search(rule.p("replacement")), rule.id
