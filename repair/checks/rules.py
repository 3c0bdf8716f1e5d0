"""The rule packs as checks: one check for paragraph-scope rules, one for document scope."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Sequence

from ..model import Finding
from ..options import Options
from ..rulebook import Rule, rules_for, run_rules
from . import Check


@dataclass(frozen=True)
class RuleCheck:
    """Runs a fixed list of rules over the text it is given."""

    rules: tuple[Rule, ...]
    scope: Literal["paragraph", "document"]
    name: str = "rules"

    def check(self, text: str, options: Options) -> list[Finding]:
        return run_rules(self.rules, text)


class RuleChecks:
    @classmethod
    def rules(cls, options: Options) -> list[Rule]:
        """The rules enabled by ``options`` (built-in packs plus ``options.rules_dirs``)."""
        return [r for r in rules_for(options.rules_dirs) if options.enabled(r.id)]

    @classmethod
    def for_options(cls, options: Options) -> Sequence[RuleCheck]:
        enabled = cls.rules(options)
        checks = []
        for scope in ("paragraph", "document"):
            chosen = tuple(r for r in enabled if r.scope == scope)
            if chosen:
                checks.append(RuleCheck(chosen, scope))
        return checks


def build(options: Options) -> Sequence[Check]:  # typed so that mypy checks RuleCheck against Check
    """The registry's way in (see :mod:`repair.checks.registry`)."""
    return RuleChecks.for_options(options)


def catalog(dirs: Sequence[str] = ()) -> dict[str, dict[str, Any]]:
    """The ids of the YAML rule packs, built-in and ``dirs`` (raises repair.rulebook.RuleFileError
    for a broken pack), and those the rule engine emits itself; for repair.catalog."""
    from .. import rulebook

    packs = {r.id: {"safety": r.safety, "severity": r.severity, "description": r.description, "message": r.message,
                    "where": f"{r.path}:{r.line}", "bad": r.examples.bad, "fixed": r.examples.fixed_unsafe,
                    "good": r.examples.good, "kind": r.KIND, "safe_forms": r.safe_forms()}
             for r in rules_for(tuple(dirs))}
    return {**packs, **rulebook.RULES}
