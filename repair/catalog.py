"""Every rule ungarble can report, for `ungarble rules` and SARIF rule metadata.

The catalog only collects: each source in :mod:`repair.checks.registry` declares the ids it
emits where it emits them (``RULES`` in its module; the rule packs' YAML for rules).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .checks import registry

_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\"'])")


@dataclass(frozen=True)
class RuleInfo:
    """One rule id (or family of ids) as ``ungarble rules`` and SARIF describe it."""

    id: str
    source: str
    safety: str            # safe, suggest, flag, or "varies" for external checkers
    severity: str
    description: str
    message: str = ""
    where: str = ""        # the rule file, for rule packs
    bad: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    good: tuple[str, ...] = ()
    kind: str = ""
    pattern: bool = False  # a family of ids (harper.*), not one id
    safe_forms: bool = False  # a `suggest` rule whose narrow forms are `safe` (fix applies those)

    @property
    def shown_safety(self) -> str:
        """The safety as `ungarble rules` lists it: ``safe*`` for a rule safe in narrow forms."""
        return "safe*" if self.safe_forms else self.safety

    @property
    def summary(self) -> str:
        """The first sentence of the description (or the message)."""
        text = " ".join((self.description or self.message).split())
        match = _SENTENCE_END.search(text)
        return text[:match.start() + 1] if match else text


def declared(source: registry.Source, dirs: Sequence[str] = ()) -> list[RuleInfo]:
    """The ids one source declares (its module's ``RULES``, or what its function of ``dirs`` returns)."""
    rules = source.attr(source.catalog)
    if callable(rules):
        rules = rules(tuple(dirs))
    return [RuleInfo(rule, source.name, **meta) for rule, meta in rules.items()]


def all_rules(dirs: Sequence[str] = ()) -> list[RuleInfo]:
    """Every source's ids: single ids sorted, then families (``harper.*``) in registry order.
    Raises repair.rulebook.RuleFileError for a broken pack."""
    single: list[RuleInfo] = []
    families: list[RuleInfo] = []
    for source in registry.sources():
        for info in declared(source, dirs):
            (families if info.pattern else single).append(info)
    single.sort(key=lambda r: r.id)
    return single + families


def find(rule_id: str, rules: Sequence[RuleInfo]) -> RuleInfo | None:
    for r in rules:
        if r.id == rule_id or (r.pattern and rule_id.startswith(r.id[:-1])):
            return r
    return None


def descriptions(dirs: Sequence[str] = ()) -> dict[str, str]:
    from .rulebook import RuleFileError

    try:
        return {r.id: r.summary for r in all_rules(dirs) if not r.pattern}
    except RuleFileError:  # a broken pack is reported elsewhere; metadata is optional
        return {}
