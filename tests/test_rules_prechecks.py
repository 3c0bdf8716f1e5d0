"""The engine's speed-ups never change what a rule finds.

``run_rules`` skips a rule on a text when the rule's ``gate`` (its kind's precheck on
shared ``Facts``, then its ``prefilter``) says it cannot fire there. These tests hold the
gate to that promise: on every example, every sample and thousands of generated garbled
texts, the gated run equals running ``rule.find`` itself.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
import regex

from repair.checks.rules import RuleChecks
from repair.options import Options
from repair.rulebook import TIMEOUT_RULE, load_rules, run_rules
from repair.rulekinds import base
from repair.rulekinds.base import Facts, line_anchored

RULES = load_rules()
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def ungated(rule, text):
    """The rule run without its gate (as run_rules did before the prechecks)."""
    return run_rules([_Ungated(rule)], text)


class _Ungated:
    def __init__(self, rule):
        self.rule = rule
        self.id, self.path, self.line, self.timeout = rule.id, rule.path, rule.line, rule.timeout

    def gate(self, text, facts):
        return True

    def find(self, text):
        return self.rule.find(text)


def same(rule, text):
    assert run_rules([rule], text) == ungated(rule, text), (rule.id, text)


def example_texts():
    for rule in RULES:
        yield from rule.examples.bad
        yield from rule.examples.good
        yield from rule.examples.fixed
        yield from rule.examples.fixed_unsafe
        yield from rule.examples.known_failures


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_gate_lets_every_example_through_unchanged(rule):
    for text in example_texts():
        same(rule, text)


def test_every_bad_example_passes_its_own_gate():
    for rule in RULES:
        for bad in rule.examples.bad:
            assert rule.gate(bad, Facts(bad)), (rule.id, bad)


def test_samples_unchanged_by_gates():
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paras = [p for p in text.split("\n\n") if p.strip()]
        for rule in RULES:
            if rule.scope == "paragraph":
                for p in paras:
                    same(rule, p)
            else:
                same(rule, text)


# -- generated garble -------------------------------------------------------------

WORDS = ("the at to and or of in it is was a an we had that very deploy strengthen walked "
         "more over my lord no yes Relocated Told reporters press said ferry harbour "
         "Walla Pago bye so don't well-known 5th 6th THE The tHe Straße STRASSE straße "
         "ſun Sun İstanbul istanbul Kelvin Kelvin café cafe\u0301 naïve σοφία ΣΟΦΊΑ "
         "Credit: Jane Roe Photo: date 2024-03-02 Updated: 3/4/2024 Москва 東京").split()
GLUE = [" ", " ", " ", " ", "  ", ", ", "; ", ". ", "! ", "? ", " — ", "—", "\u2060—", " … ",
        "\n", "\n\n", "\t", " ,", " .", "..", ". ..", ",,", " ;", "( ", " )", "[ ", " ]",
        "“", "”", '"', "'", "’", "‘", "«", "»", "/", "-", "_", "1", "。", "、", "（", "）",
        "１２", "「", "」", "\u00a0", "\u200a", "\r\n"]


def garble(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(3, 60)):
        r = rng.random()
        if r < 0.25 and out:
            # repeat the last 1 to 4 pieces, with or without a joiner or comma
            k = rng.randint(1, min(8, len(out)))
            joint = rng.choice(["", " and ", " or ", ", ", " AND ", " "])
            out.append(joint + "".join(out[-k:]))
        elif r < 0.35 and len(out) > 6:
            # a copy of an earlier run of text (sentences, blocks, paragraphs)
            a = rng.randrange(len(out))
            out.append(rng.choice([" ", ". ", "\n\n"]) + "".join(out[a:a + rng.randint(3, 20)]))
        else:
            word = rng.choice(WORDS)
            if rng.random() < 0.2:
                word = word.upper() if rng.random() < 0.5 else word.capitalize()
            out.append(rng.choice(GLUE) + word)
    text = "".join(out)[:rng.choice([200, 1000, 3000])]
    if rng.random() < 0.2:
        text += rng.choice([" “", ' "', " ‘", "."])
    return text


@pytest.mark.slow
def test_gates_never_hide_a_finding_on_generated_garble():
    rng = random.Random(20240302)
    fired = set()
    for _ in range(1200):
        text = garble(rng)
        for rule in RULES:
            want = ungated(rule, text)
            assert run_rules([rule], text) == want, (rule.id, text)
            if want:
                fired.add(rule.id)
    # the generator reaches the rules it is meant to exercise
    assert {"mt.repeated-phrase", "mt.doubled-verb", "mt.repetition-loop", "boilerplate.repeated-block",
            "boilerplate.duplicate-sentence", "boilerplate.duplicate-paragraph",
            "boilerplate.near-duplicate-paragraph"} <= fired


@pytest.mark.slow
def test_all_rules_at_once_equal_each_rule_alone():
    rng = random.Random(7)
    for _ in range(300):
        text = garble(rng)
        together = run_rules(RULES, text)
        alone = [f for rule in RULES for f in ungated(rule, text)]
        assert together == alone


# -- the facts the prechecks rely on ----------------------------------------------

def test_safe_token_chars_fold_alike_in_re_and_regex():
    """On SAFE_TOKEN_CHARS, regex's case-insensitive equality implies equal case folds."""
    chars = [c for c in base.SAFE_TOKEN_CHARS if c.isalpha()]
    for c in chars:
        pat = regex.compile(regex.escape(c), regex.IGNORECASE)
        for d in chars:
            if pat.fullmatch(d):
                assert c.casefold() == d.casefold(), (c, d)


def test_ordinary_characters_hold_no_script_the_script_rules_look_for():
    latin_common = regex.compile(r"[\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]")
    for code in (c for a, b in base.ORDINARY_RANGES for c in range(a, b + 1)):
        c = chr(code)
        assert not Facts(c).exotic
        if regex.match(r"\p{Cn}", c):
            continue
        assert latin_common.match(c), hex(code)


def test_facts_words_split_units_like_the_rules_word():
    f = Facts("“The the” — well-known, WELL-KNOWN; 5th and 6th. Straße STRASSE")
    assert f.words is not None
    assert "the" in f.words and "well-known" in f.words and "5th" in f.words
    assert f.words.count("strasse") == 2
    # text the fast tokenizer might split differently from regex is left to the rule
    assert Facts("naïve ½ the the").words is None


def test_line_anchored_recognises_only_line_start_patterns():
    assert line_anchored(regex.compile(r"(?m)^[ \t]*(?i:date|posted)"))
    assert line_anchored(regex.compile(r"(?m)^(?:a|b)c"))
    assert not line_anchored(regex.compile(r"(?m)^a|b"))
    assert not line_anchored(regex.compile(r"^a"))
    assert not line_anchored(regex.compile(r"(?mw)^a"))


# -- timeouts still name the culprit ------------------------------------------------

SLOW_PREFILTER = """\
id: house.slow-filter
kind: pattern
message: "Slow: {match}"
safety: flag
timeout: 0.2
prefilter: "(?:a|a)+!"
pattern: "(?:b|b)+!"
examples:
  bad: ["aaa! bbb!"]
  good: ["ccc"]
"""

FAST = """\
id: house.fast
kind: pattern
message: "Fast: {match}"
safety: flag
pattern: "zebra"
examples:
  bad: ["a zebra"]
  good: ["a horse"]
"""


def write(dir_: Path, name: str, text: str) -> None:
    (dir_ / name).write_text(text, encoding="utf-8")


def test_prefilter_timeout_runs_the_rule_and_a_rule_timeout_names_it(tmp_path):
    write(tmp_path, "slow.yaml", SLOW_PREFILTER)
    write(tmp_path, "fast.yaml", FAST)
    options = Options(rules_dirs=(str(tmp_path),))
    (para,) = [c for c in RuleChecks.for_options(options) if c.scope == "paragraph"]
    # both the prefilter and the pattern backtrack catastrophically on this text
    text = "The zebra met at the at the station " + "a" * 40 + " and " + "b" * 40 + " today."
    start = time.perf_counter()
    found = para.check(text, options)
    assert time.perf_counter() - start < 10
    timeouts = [f for f in found if f.rule == TIMEOUT_RULE]
    assert len(timeouts) == 1 and "house.slow-filter" in timeouts[0].message
    ids = {f.rule for f in found}
    assert {"house.fast", "mt.repeated-phrase"} <= ids


def test_prefilter_that_never_matches_skips_the_rule(tmp_path):
    write(tmp_path, "slow.yaml", SLOW_PREFILTER)
    options = Options(rules_dirs=(str(tmp_path),))
    (para,) = [c for c in RuleChecks.for_options(options) if c.scope == "paragraph"]
    # the pattern would time out here, but the prefilter shows it cannot match
    found = para.check("c" * 10 + " " + "b" * 40 + " today.", options)
    assert not [f for f in found if f.rule == TIMEOUT_RULE]


def test_builtin_patterns_compile_lazily_and_all_compile():
    """Built-in rule patterns are compiled on first use (repair.rulekinds.base.LazyRegex); this
    test is where a broken one is caught, since loading does not compile them."""
    import dataclasses

    from repair.rulebook import load_rules
    from repair.rulekinds.base import LazyRegex

    lazy = [getattr(r.params, f.name) for r in load_rules() for f in dataclasses.fields(r.params)
            if isinstance(getattr(r.params, f.name), LazyRegex)]
    assert len(lazy) >= 10
    for pattern in lazy:
        names = set(pattern.groupindex)  # read before compiling: from the source
        assert set(pattern.compiled().groupindex) == names, pattern.pattern


@pytest.mark.parametrize("kind, pattern", [("pattern", "(unclosed"), ("tokens", "tag:DT word:(unclosed")])
def test_a_users_pattern_is_still_compiled_at_load(tmp_path, kind, pattern):
    from repair.rulebook import RuleFileError, load_rules

    (tmp_path / "r.yaml").write_text(f'id: mine.bad\nkind: {kind}\nmessage: "x"\nseverity: warning\n'
                                     f'safety: flag\npattern: "{pattern}"\nexamples:\n  bad: ["x"]\n'
                                     '  good: ["y"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="bad regex"):
        load_rules([tmp_path], builtin=False)


def test_a_lazy_pattern_pickles():
    import pickle

    from repair.rulekinds.base import LazyRegex

    p = LazyRegex(r"(?P<w>a+)b", 0)
    q = pickle.loads(pickle.dumps(p))
    assert q.search("xaab").group("w") == "aa" and "w" in q.groupindex
    p.compiled()
    assert pickle.loads(pickle.dumps(p)).pattern == p.pattern


def test_builtin_token_patterns_compile_on_first_use_and_all_compile():
    """A shipped ``tokens`` rule parses its pattern at load but compiles its regexes on first
    use (a hook's start-up); this test is where a broken one is caught."""
    import re as _re

    from repair.rulebook import load_rules
    from repair.rulekinds.tokens import TokenRule

    rules = [r for r in load_rules() if isinstance(r, TokenRule)]
    assert len(rules) >= 10 and all(r.builtin for r in rules)
    assert not any("_elems" in r.__dict__ or "_anti" in r.__dict__ for r in rules)
    for r in rules:
        for elems in (r._elems, *r._anti):
            assert all(isinstance(c.regex, _re.Pattern) for e in elems for c in e.clauses), r.id

