"""The rule loader: strict validation with file and line, safe YAML, timeouts, selection."""
from __future__ import annotations

import textwrap
import time

import pytest

from repair.checks.rules import RuleChecks
from repair.options import Options
from repair.rulebook import (
    TIMEOUT_RULE,
    RuleFileError,
    builtin_rules_dir,
    load_rules,
    rules_for,
    run_rules,
)

GOOD_RULE = """\
id: house.no-foo
kind: pattern
message: "Avoid '{match}'."
severity: info
safety: safe
pattern: "\\\\bfoo\\\\b"
replacement: "bar"
examples:
  bad: ["A foo here."]
  fixed: ["A bar here."]
  good: ["A food here."]
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path):
    with pytest.raises(RuleFileError) as info:
        load_rules([tmp_path], builtin=False)
    return info.value.problems, str(info.value)


def test_a_valid_user_rule_loads_and_runs(tmp_path):
    write(tmp_path, "no-foo.yaml", GOOD_RULE)
    (rule,) = load_rules([tmp_path], builtin=False)
    assert rule.id == "house.no-foo" and rule.scope == "paragraph"
    (f,) = run_rules([rule], "A foo here.")
    assert (f.text, f.fix.replacement, f.fix.safety, f.source) == ("foo", "bar", "safe", "rules")


def test_unknown_key_names_file_and_line(tmp_path):
    path = write(tmp_path, "bad.yaml", GOOD_RULE.replace("severity: info\n", "severity: info\nsevirity: high\n"))
    problems, message = problems_of(tmp_path)
    assert len(problems) == 1
    assert problems[0].path == str(path) and problems[0].line == 5
    assert "unknown key 'sevirity'" in problems[0].reason
    assert f"{path}:5:" in message


def test_bad_regex_names_file_and_line(tmp_path):
    path = write(tmp_path, "bad.yaml", GOOD_RULE.replace('"\\\\bfoo\\\\b"', '"(foo"'))
    problems, _ = problems_of(tmp_path)
    assert [(p.path, p.line) for p in problems] == [(str(path), 6)]
    assert "bad regex in 'pattern'" in problems[0].reason


def test_missing_examples_is_rejected(tmp_path):
    text = GOOD_RULE.split("examples:")[0]
    path = write(tmp_path, "bad.yaml", text)
    problems, _ = problems_of(tmp_path)
    assert problems[0].path == str(path) and problems[0].line == 1
    assert "missing required key 'examples'" in problems[0].reason


def test_empty_good_examples_are_rejected(tmp_path):
    write(tmp_path, "bad.yaml", GOOD_RULE.replace('  good: ["A food here."]\n', ""))
    problems, _ = problems_of(tmp_path)
    assert problems[0].line == 8 and "no 'good' examples" in problems[0].reason


def test_fixed_examples_must_match_bad_ones(tmp_path):
    write(tmp_path, "bad.yaml", GOOD_RULE.replace('  fixed: ["A bar here."]\n', ""))
    problems, _ = problems_of(tmp_path)
    assert "examples.fixed must give the text `fix` makes of each of the 1 bad examples" in problems[0].reason


def test_fixed_unsafe_examples_must_match_bad_ones_and_flag_rules_take_none(tmp_path):
    path = write(tmp_path, "bad.yaml", GOOD_RULE.replace('  fixed: ["A bar here."]\n',
                                                         '  fixed: ["A bar here."]\n  fixed_unsafe: []\n'))
    (problem,), _ = problems_of(tmp_path)
    assert problem.line == 11 and "examples.fixed_unsafe must give the text `fix --unsafe` makes" in problem.reason
    path.write_text(textwrap.dedent(GOOD_RULE.replace("safety: safe", "safety: flag").replace(
        '  fixed: ["A bar here."]\n', '  fixed_unsafe: ["A bar here."]\n')), encoding="utf-8")
    (problem,), _ = problems_of(tmp_path)
    assert "a flag-only rule makes no edits, so it takes no 'fixed_unsafe' examples" in problem.reason


def test_examples_keep_fixed_unsafe_and_known_failures(tmp_path):
    write(tmp_path, "r.yaml", GOOD_RULE.replace('  good: ["A food here."]\n',
                                                '  good: ["A food here."]\n  known_failures: ["A FOO here."]\n'))
    (rule,) = load_rules([tmp_path], builtin=False)
    # fixed_unsafe left out: fix --unsafe makes the same text
    assert rule.examples.fixed_unsafe == rule.examples.fixed == ("A bar here.",)
    assert rule.examples.known_failures == ("A FOO here.",)


def test_unknown_kind_duplicate_key_and_bad_placeholder(tmp_path):
    write(tmp_path, "a.yaml", GOOD_RULE.replace("kind: pattern", "kind: grammar"))
    write(tmp_path, "b.yaml", GOOD_RULE.replace("id: house.no-foo", "id: house.b\nid: house.c"))
    write(tmp_path, "c.yaml", GOOD_RULE.replace("id: house.no-foo", "id: house.c-rule")
          .replace("Avoid '{match}'.", "Avoid {thing}."))
    problems, _ = problems_of(tmp_path)
    reasons = {p.path.rsplit("/", 1)[1]: (p.line, p.reason) for p in problems}
    assert reasons["a.yaml"][0] == 2 and "unknown or missing kind 'grammar'" in reasons["a.yaml"][1]
    assert reasons["b.yaml"] == (2, "duplicate key 'id'")
    assert reasons["c.yaml"][0] == 3 and "unknown placeholder {thing}" in reasons["c.yaml"][1]


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    write(tmp_path, "one.yaml", GOOD_RULE)
    write(tmp_path, "two.yaml", GOOD_RULE)
    problems, _ = problems_of(tmp_path)
    assert len(problems) == 1 and "duplicate rule id 'house.no-foo'" in problems[0].reason


def test_user_rule_may_not_shadow_a_builtin_id(tmp_path):
    write(tmp_path, "x.yaml", GOOD_RULE.replace("house.no-foo", "mt.repeated-phrase"))
    with pytest.raises(RuleFileError, match="duplicate rule id 'mt.repeated-phrase'"):
        load_rules([tmp_path])


def test_yaml_is_loaded_safely(tmp_path):
    write(tmp_path, "evil.yaml", GOOD_RULE.replace('message: "Avoid \'{match}\'."',
                                                   "message: !!python/object/apply:os.system ['echo pwned']"))
    problems, _ = problems_of(tmp_path)
    assert problems[0].line == 3 and "YAML error" in problems[0].reason


def test_word_list_file_is_read_next_to_the_rule(tmp_path):
    write(tmp_path, "rep.yaml", """\
        id: house.rep
        kind: repetition
        message: "Repeated: {match}"
        safety: suggest
        allow: rep.allow.txt
        examples:
          bad: ["the cat cat sat"]
          fixed: ["the cat sat"]
          good: ["the dog dog sat"]
        """)
    write(tmp_path, "rep.allow.txt", "# legitimate\ndog\n")
    (rule,) = load_rules([tmp_path], builtin=False)
    assert rule.p("allow") == ("dog",)
    (tmp_path / "rep.allow.txt").unlink()
    problems, _ = problems_of(tmp_path)
    assert problems[0].line == 5 and "word list file not found" in problems[0].reason


def test_builtin_rules_dir_is_the_checkout_rules_folder():
    root = builtin_rules_dir()
    assert root.is_dir() and any(root.rglob("*.yaml"))


CATASTROPHIC = """\
id: house.slow
kind: pattern
message: "Slow: {match}"
safety: flag
timeout: 0.2
pattern: "(?:a|a)+!"
examples:
  bad: ["aaa!"]
  good: ["bbb"]
"""


def test_catastrophic_pattern_times_out_and_other_rules_still_run(tmp_path):
    write(tmp_path, "slow.yaml", CATASTROPHIC)
    options = Options(rules_dirs=(str(tmp_path),))
    checks = RuleChecks.for_options(options)
    (para,) = [c for c in checks if c.scope == "paragraph"]
    text = "They met at the at the station " + "a" * 40 + " today."
    start = time.perf_counter()
    found = para.check(text, options)
    assert time.perf_counter() - start < 5
    timeouts = [f for f in found if f.rule == TIMEOUT_RULE]
    assert len(timeouts) == 1
    assert timeouts[0].severity == "error" and "house.slow" in timeouts[0].message
    assert str(tmp_path / "slow.yaml") in timeouts[0].message
    assert any(f.rule == "mt.repeated-phrase" and f.text == "at the at the" for f in found)


def test_checks_split_by_scope_and_are_named_rules():
    checks = RuleChecks.for_options(Options())
    assert {c.scope for c in checks} == {"paragraph", "document"}
    assert all(c.name == "rules" for c in checks)
    doc = next(c for c in checks if c.scope == "document")
    assert any(r.id == "boilerplate.duplicate-paragraph" for r in doc.rules)


def test_select_and_ignore_by_id_and_prefix():
    options = Options(select=("mt",), ignore=("mt.fragment",))
    ids = {r.id for r in RuleChecks.rules(options)}
    assert ids and all(i.startswith("mt.") for i in ids)
    assert "mt.fragment" not in ids and "mt.repeated-phrase" in ids
    text = "The plant moved north. Relocated. They sent the the crates."
    found = [f for c in RuleChecks.for_options(options) for f in c.check(text, options)]
    assert {f.rule for f in found} == {"mt.repeated-phrase"}
    everything = Options()
    found_all = [f for c in RuleChecks.for_options(everything) for f in c.check(text, everything)]
    assert {"mt.fragment", "mt.repeated-phrase"} <= {f.rule for f in found_all}


def test_rules_for_caches_per_directory_set(tmp_path):
    write(tmp_path, "no-foo.yaml", GOOD_RULE)
    first = rules_for((str(tmp_path),))
    assert rules_for((str(tmp_path),)) is first
    assert any(r.id == "house.no-foo" for r in first)
    assert not any(r.id == "house.no-foo" for r in rules_for(()))


# --- hostile rule packs (issues 17.14, 17.15, 18.5) --------------------------------

def _bomb(levels: int, width: int) -> str:
    """The billion-laughs shape: each level lists the previous one ``width`` times."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join(f"*a{i - 1}" for _ in range(width)) + "]")
    return GOOD_RULE + "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_without_following_the_aliases(tmp_path, monkeypatch):
    import repair.ruleyaml as ruleyaml

    calls = 0
    walk = ruleyaml._node_lines

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return walk(*args, **kwargs)

    monkeypatch.setattr(ruleyaml, "_node_lines", counting)
    path = write(tmp_path, "bomb.yaml", _bomb(6, 6))   # 6^5 = 7,776 paths to the innermost list
    problems, message = problems_of(tmp_path)
    assert calls < 100                                  # each node once, not each path
    (problem,) = problems
    assert problem.path == str(path) and "aliases" in problem.reason


def test_an_empty_rule_file_is_an_error(tmp_path):
    path = write(tmp_path, "empty.yaml", "# nothing here yet\n")
    (problem,) = problems_of(tmp_path)[0]
    assert problem.path == str(path) and "empty rule file" in problem.reason


def test_a_5001_digit_number_is_an_error_with_file_and_line(tmp_path):
    path = write(tmp_path, "big.yaml", GOOD_RULE.replace("severity: info\n", "severity: info\ntimeout: "
                                                         + "9" * 5001 + "\n"))
    (problem,) = problems_of(tmp_path)[0]
    assert (problem.path, problem.line) == (str(path), 5)
    assert "number too long" in problem.reason


def test_a_folder_with_too_many_entries_is_not_searched_through(tmp_path, monkeypatch):
    import repair.rulebook as rulebook

    monkeypatch.setattr(rulebook, "MAX_PACK_ENTRIES", 20)
    for i in range(30):
        (tmp_path / f"d{i}").mkdir()
    (problem,) = problems_of(tmp_path)[0]
    assert problem.path == str(tmp_path) and "not a rule pack" in problem.reason


def test_a_huge_rule_file_is_not_read(tmp_path, monkeypatch):
    import repair.rulebook as rulebook

    monkeypatch.setattr(rulebook, "MAX_RULE_FILE_BYTES", 100)
    write(tmp_path, "no-foo.yaml", GOOD_RULE)
    (problem,) = problems_of(tmp_path)[0]
    assert "too large" in problem.reason


def test_a_huge_word_list_is_not_read(tmp_path, monkeypatch):
    import repair.wordlists as wordlists

    monkeypatch.setattr(wordlists, "MAX_WORD_FILE_BYTES", 5)
    write(tmp_path, "rep.yaml", """\
        id: house.rep
        kind: repetition
        message: "Repeated: {match}"
        safety: suggest
        allow: rep.allow.txt
        examples:
          bad: ["the cat cat sat"]
          fixed: ["the cat sat"]
          good: ["the dog dog sat"]
        """)
    write(tmp_path, "rep.allow.txt", "# legitimate\ndog\n")
    (problem,) = problems_of(tmp_path)[0]
    assert problem.line == 5 and "word list file too large" in problem.reason


FAST_CATASTROPHIC = CATASTROPHIC.replace("timeout: 0.2", "timeout: 0.05")


def _counting(options):
    """The house.slow rule of ``options``, with a counter of how often it runs."""
    (rule,) = [r for r in RuleChecks.rules(options) if r.id == "house.slow"]
    calls = []
    real = type(rule).find

    def find(text):
        calls.append(len(text))
        return real(rule, text)

    rule.find = find
    return calls


def test_a_rule_that_times_out_is_off_for_the_rest_of_the_document_and_reported_once(tmp_path):
    # issue 18 item 4: the budget was per paragraph, so (a|a)+ cost its timeout on each of 40
    from repair.api import analyse

    write(tmp_path, "slow.yaml", FAST_CATASTROPHIC)
    options = Options(rules_dirs=(str(tmp_path),), grammar="none")
    calls = _counting(options)
    text = "\n\n".join(f"Paragraph {i} met at the at the station " + "a" * 40 + " today." for i in range(40))
    result = analyse(text, options)
    timeouts = [f for f in result.findings if f.rule == TIMEOUT_RULE]
    assert len(timeouts) == 1 and "house.slow" in timeouts[0].message
    assert "off for the rest of this document" in timeouts[0].message
    assert len(calls) == 1  # was 40
    # the other rules still ran on every paragraph
    assert sum(f.rule == "mt.repeated-phrase" for f in result.findings) == 40


def test_a_rule_that_timed_out_in_several_documents_is_off_for_the_run(tmp_path):
    from repair.api import analyse
    from repair.rulebook import RUN_STRIKES

    write(tmp_path, "slow.yaml", FAST_CATASTROPHIC)
    options = Options(rules_dirs=(str(tmp_path),), grammar="none")
    calls = _counting(options)
    doc = "A station " + "a" * 40 + " today."
    for n in range(RUN_STRIKES + 2):
        timeouts = [f for f in analyse(f"{n}. {doc}", options).findings if f.rule == TIMEOUT_RULE]
        assert len(timeouts) == 1  # every document says the rule did not (fully) run on it
    assert len(calls) == RUN_STRIKES
    assert "off for the rest of it" in timeouts[0].message and str(tmp_path / "slow.yaml") in timeouts[0].message


def test_a_slow_rule_stops_when_its_budget_for_the_document_is_spent(tmp_path, monkeypatch):
    from repair import rulebook

    monkeypatch.setattr(rulebook, "DOC_BUDGET_TIMEOUTS", 0.0)  # no budget beyond the text's share
    write(tmp_path, "slow.yaml", FAST_CATASTROPHIC)
    options = Options(rules_dirs=(str(tmp_path),), grammar="none")
    calls = _counting(options)
    paragraphs = ["Clean words here."] * 3
    with rulebook.document_budget("x"):  # a one-character document: its budget is next to nothing
        found = [f for p in paragraphs for f in RuleChecks.for_options(options)[0].check(p, options)]
    timeouts = [f for f in found if f.rule == TIMEOUT_RULE and "house.slow" in f.message]
    assert len(timeouts) == 1 and "time budget" in timeouts[0].message
    assert len(calls) <= 2


# -- typed parameters: one algorithm per kind, each kind reads exactly its own keys ------------

FOREIGN_RUN = """\
id: house.cyrillic
kind: script-run
message: "Cyrillic: {match}"
safety: flag
scripts: [Cyrillic]
min_latin_ratio: 0.6
examples:
  bad: ["He ordered борщ at the station."]
  good: ["He ordered soup at the station."]
"""


def test_kind_parameters_are_a_frozen_dataclass(tmp_path):
    import dataclasses

    write(tmp_path, "cyr.yaml", FOREIGN_RUN)
    (rule,) = load_rules([tmp_path], builtin=False)
    assert rule.params.scripts == ("Cyrillic",) and rule.params.min_latin_ratio == 0.6
    assert rule.params.min_chars == 1  # a default
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.params.min_chars = 3
    for built in load_rules():
        assert dataclasses.is_dataclass(built.params), built.id
        assert {f.name for f in dataclasses.fields(built.params)} == set(type(built).KEYS), built.id


@pytest.mark.parametrize("line, reason", [
    # a misspelt key
    ("min_latin_ration: 0.6", "unknown key 'min_latin_ration' for kind 'script-run'"),
    # a key another script algorithm reads (script's mixed-word mode took it, the run mode ignored it)
    ("edge_letters: \"ΑΒ\"", "unknown key 'edge_letters' for kind 'script-run'"),
])
def test_a_key_the_kind_does_not_read_is_an_error_with_file_and_line(tmp_path, line, reason):
    path = write(tmp_path, "cyr.yaml", FOREIGN_RUN.replace("min_latin_ratio: 0.6", line))
    (problem,), _ = problems_of(tmp_path)
    assert (problem.path, problem.line) == (str(path), 6)
    assert reason in problem.reason


def test_a_key_of_another_duplicate_algorithm_is_an_error(tmp_path):
    path = write(tmp_path, "dup.yaml", """\
        id: house.dup
        kind: near-duplicate-paragraph
        message: "Again: {match}"
        safety: flag
        min_words: 3
        safe_min_words: 8
        examples:
          bad: ["The harbour opened today.\\n\\nThe harbour opened today!"]
          good: ["One.\\n\\nTwo."]
        """)
    (problem,), _ = problems_of(tmp_path)
    assert (problem.path, problem.line) == (str(path), 6)
    assert "unknown key 'safe_min_words' for kind 'near-duplicate-paragraph'" in problem.reason


def test_a_retired_kind_says_what_replaces_it(tmp_path):
    write(tmp_path, "q.yaml", """\
        id: house.q
        kind: quotes
        mode: unbalanced
        message: "Open quote."
        safety: flag
        examples:
          bad: ["“A. “B,” he said."]
          good: ["“A,” he said."]
        """)
    (problem,), _ = problems_of(tmp_path)
    assert problem.line == 2 and "kind 'quotes' was split" in problem.reason and "quotes-unbalanced" in problem.reason


def test_every_kind_reads_every_key_it_declares():
    """One algorithm per kind: no declared parameter goes unread (the code of the kind and its
    base classes in repair.rulekinds names each field of its Params)."""
    import inspect
    import re

    from repair.rulebook import _import_kinds
    from repair.rulekinds.base import KINDS

    _import_kinds()
    assert {"quotes-unbalanced", "script-run", "duplicate-block"} <= set(KINDS)
    for name, cls in KINDS.items():
        source = "".join(inspect.getsource(k) for k in cls.__mro__
                         if k.__module__.startswith("repair.rulekinds.") and k.__name__ != "Rule")
        code = re.sub(r"class Params:.*?\n\n", "", source, flags=re.S)
        unread = [k for k in cls.KEYS if not re.search(rf"\bp\(\"{k}\"\)|params\.{k}\b", code)]
        assert not unread, f"kind {name} declares keys it never reads: {unread}"
