"""A check source is one module plus one registration (repair.checks.registry): a toy source,
registered from its own module and no other file touched, runs in `check`, is listed by
`ungarble rules`, merges by its rank, is a `--grammar` choice when it says it is a grammar
back end, and leaves everything else as it was."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap

import pytest

from repair import catalog, config
from repair.checks import registry
from repair.merge import merge_same_spot
from repair.model import Edit, Finding, Span
from repair.names import is_spelling_finding
from repair.options import Options
from repair.score import counts_in_document, finding_keys

TOY = '''
from repair.checks.registry import Source, register
from repair.model import Edit, Finding, Span

RULES = {{
    "toy.doubled": {{"safety": "suggest", "severity": "warning",
                    "description": "A doubled 'the' (the toy back end's only rule)."}},
    "toy.spelling": {{"safety": "flag", "severity": "info", "description": "The word zork."}},
}}


class ToyCheck:
    name = "toy"
    scope = "paragraph"

    def check(self, text, options):
        found = []
        start = text.find("the the")
        if start >= 0:
            span = Span(start, start + 7)
            found.append(Finding("toy.doubled", "toy", "warning", "Doubled 'the' (toy).", span, "the the",
                                 Edit(span, "the", "toy.doubled", "suggest"), ("toy",)))
        start = text.find("zork")
        if start >= 0:
            found.append(Finding("toy.spelling", "toy", "info", "zork?", Span(start, start + 4), "zork"))
        return found


def build(options):
    return [ToyCheck()]


register(Source("toy", __name__, rank={rank}, grammar={grammar}, spelling=r"toy\\.spelling"))
'''


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A function writing the toy module (with the given rank and grammar flag) and importing it."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def make(rank: int = 5, grammar: bool = True):
        (tmp_path / "toycheck.py").write_text(TOY.format(rank=rank, grammar=grammar), encoding="utf-8")
        sys.modules.pop("toycheck", None)
        importlib.invalidate_caches()
        importlib.import_module("toycheck")
        return tmp_path

    yield make
    registry.unregister("toy")
    sys.modules.pop("toycheck", None)


def _cli(tmp_path, *args: str, toy: bool = True) -> subprocess.CompletedProcess:
    """`ungarble ARGS` in a fresh process, with the toy module imported first when ``toy``."""
    prelude = "import toycheck; " if toy else ""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", f"{prelude}from repair.cli import main; main(prog_name='ungarble')",
                           *args], capture_output=True, text=True, env=env, cwd=tmp_path)


def test_toy_grammar_back_end_runs_in_check_and_is_listed(toy):
    tmp_path = toy(rank=5, grammar=True)
    (tmp_path / "doc.txt").write_text("It was the the end of zork.\n", encoding="utf-8")

    proc = _cli(tmp_path, "check", "--grammar", "toy", "--isolated", "--format", "json", "doc.txt")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    by_rule = {f["rule"]: f for f in findings}
    # rank 5 beats the rule packs (3): the toy's id leads the merged finding
    assert by_rule["toy.doubled"]["sources"] == ["toy", "rules"]
    assert "mt.repeated-phrase" in by_rule["toy.doubled"]["message"]
    assert by_rule["toy.spelling"]["source"] == "toy"

    # without --grammar toy the back end is not built
    proc = _cli(tmp_path, "check", "--grammar", "none", "--isolated", "--format", "json", "doc.txt")
    assert not any(f["source"] == "toy" for f in json.loads(proc.stdout)["files"][0]["findings"])
    # and without the module, --grammar toy is a usage error
    proc = _cli(tmp_path, "check", "--grammar", "toy", "doc.txt", toy=False)
    assert proc.returncode == 2 and "'toy' is not one of 'harper', 'languagetool', 'none'" in proc.stderr

    # `ungarble rules`: the toy's ids, and otherwise exactly what it lists without the toy
    with_toy = _cli(tmp_path, "rules").stdout.splitlines()
    without = _cli(tmp_path, "rules", toy=False).stdout.splitlines()
    toy_lines = [line for line in with_toy if line.startswith("toy.")]
    assert [line.split()[:4] for line in toy_lines] == [["toy.doubled", "toy", "suggest", "warning"],
                                                         ["toy.spelling", "toy", "flag", "info"]]
    assert [line for line in with_toy if not line.startswith("toy.")] == without
    explained = json.loads(_cli(tmp_path, "rules", "--explain", "toy.doubled", "--format", "json").stdout)
    assert explained["source"] == "toy" and explained["description"].startswith("A doubled 'the'")


@pytest.mark.parametrize("rank, primary", [(5, "toy.doubled"), (0, "mt.repeated-phrase")])
def test_toy_findings_merge_by_their_rank(toy, rank, primary):
    toy(rank=rank)
    text = "It was the the end."
    span = Span(7, 14)
    ours = Finding("mt.repeated-phrase", "rules", "warning", "Repeated words.", span, "the the",
                   Edit(span, "the", "mt.repeated-phrase", "safe"))
    theirs = Finding("toy.doubled", "toy", "warning", "Doubled.", span, "the the",
                     Edit(span, "the", "toy.doubled", "suggest"))
    (merged,) = merge_same_spot(text, [ours, theirs])
    assert merged.rule == primary
    assert merged.sources[0] == ("toy" if rank > 3 else "rules")


def test_toy_declarations_reach_options_config_names_and_score(toy, tmp_path):
    toy(grammar=True)
    assert registry.grammar_choices() == ("harper", "languagetool", "toy", "none")
    assert [c.name for c in registry.build(Options(grammar="toy"))][-1] == "toy"
    assert "toy" not in [c.name for c in registry.build(Options(grammar="none"))]
    with pytest.raises(ValueError, match="unknown grammar back end 'nonsense'"):
        registry.build(Options(grammar="nonsense"))
    assert config.parse({"grammar": "toy"}, str(tmp_path / ".ungarble.toml")).grammar == "toy"
    zork = Finding("toy.spelling", "toy", "info", "zork?", Span(0, 4), "zork")
    assert is_spelling_finding(zork)
    assert not counts_in_document(zork) and finding_keys(zork) == []  # a grammar back end never scores
    assert [r.id for r in catalog.all_rules() if r.source == "toy"] == ["toy.doubled", "toy.spelling"]


def test_toy_that_is_not_a_grammar_back_end_always_runs(toy):
    toy(grammar=False)
    assert "toy" not in registry.grammar_choices()
    assert "toy" in [c.name for c in registry.build(Options(grammar="none"))]
    with pytest.raises(config.ConfigError, match="expected one of harper, languagetool, none"):
        config.parse({"grammar": "toy"}, "/x/.ungarble.toml")


def test_the_builtin_sources_are_derived_as_before():
    assert registry.grammar_choices() == ("harper", "languagetool", "none")
    assert set(registry.GRAMMAR_SOURCES) == {"harper", "languagetool"}
    assert set(registry.UNSCORED_SOURCES) == {"harper", "languagetool", "readability", "garble"}
    assert [registry.rank(s) for s in ("rules", "languagetool", "harper", "ftfy", "readability", "ungarble")] \
        == [3, 2, 1, 4, 4, 4]
    assert [c.name for c in registry.build(Options(grammar="none"))] == ["rules", "rules", "readability"]
    for rule, spelling in [("harper.Spelling.SpellCheck", True), ("harper.Typo.X", False),
                           ("languagetool.TYPOS.MORFOLOGIK_RULE_EN_US", True),
                           ("languagetool.TYPOS.hunspell_rule", True), ("languagetool.X.SPELLING_MISTAKE", True),
                           ("languagetool.SPELL", True), ("languagetool.SPELL.OTHER", False),
                           ("languagetool.GRAMMAR.HE_VERB_AGR", False), ("mt.spelling", False)]:
        assert registry.is_spelling(rule) is spelling, rule


def test_ids_emitted_by_code_are_declared_where_they_are_emitted():
    from repair import encoding, pipeline, rulebook
    from repair.checks import harper, languagetool, readability

    known = {r.id: r for r in catalog.all_rules()}
    for module, source in [(encoding, "ftfy"), (readability, "readability"), (pipeline, "ungarble"),
                           (rulebook, "rules"), (harper, "harper"), (languagetool, "languagetool")]:
        assert module.RULES, module
        for rule, meta in module.RULES.items():
            assert known[rule].source == source
            assert (known[rule].severity, known[rule].safety) == (meta["severity"], meta["safety"])
            assert known[rule].description == meta["description"]
    assert set(encoding.RULES) == {rule for rule, *_ in encoding.STEPS.values()}


def test_batch_readiness_check_is_the_back_ends_own(monkeypatch):
    """`batch` asks the chosen back end's declared cheap check (Harper: importing harper-py)."""
    import types

    from repair.checks import BackendUnavailable

    monkeypatch.setitem(sys.modules, "harper", types.ModuleType("harper"))  # not harper-py
    with pytest.raises(BackendUnavailable, match="not harper-py"):
        registry.make_ready(Options(grammar="harper"))
    assert registry.make_ready(Options(grammar="languagetool")) is False  # none declared: batch builds it
    assert registry.make_ready(Options(grammar="none")) is False
