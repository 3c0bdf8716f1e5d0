"""Run rules through the real engine (``repair.pipeline.run``), rules only: no encoding
repair, no grammar checker. Shared by the rule tests (not a test module itself)."""
from __future__ import annotations

from typing import Sequence

from repair import pipeline
from repair.checks.rules import RuleCheck
from repair.options import Options
from repair.rulekinds.base import Rule


def run(rules: Sequence[Rule], text: str, unsafe: bool = False) -> pipeline.Result:
    """What ``ungarble fix`` (``unsafe``: ``fix --unsafe``) does to ``text`` with only ``rules``
    on: ``result.fixed`` and ``result.findings`` (offsets of ``text``)."""
    options = Options(select=tuple(r.id for r in rules), unsafe=unsafe, grammar="none")
    checks = [RuleCheck(tuple(r for r in rules if r.scope == scope), scope)  # type: ignore[arg-type]
              for scope in ("paragraph", "document") if any(r.scope == scope for r in rules)]
    return pipeline.run(text, options, checks)


def fix(rules: Sequence[Rule], text: str, unsafe: bool = False) -> str:
    return run(rules, text, unsafe).fixed


def findings(rules: Sequence[Rule], text: str) -> list:
    """The findings of ``rules`` on ``text`` (the first pass's and every later one's)."""
    ids = {r.id for r in rules}
    return [f for f in run(rules, text).findings if f.rule in ids]
