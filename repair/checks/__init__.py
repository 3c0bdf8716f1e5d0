"""Sources of findings. Each check owns one source and never prints.

A check is any object with ``name`` (its source), ``scope`` and
``check(text, options) -> list[Finding]`` returning spans relative to ``text``.
``scope == "paragraph"`` checks see one paragraph at a time (so the fixed-point
loop re-checks only what an edit touched); ``"document"`` checks see the whole text.
Heavy back ends are imported inside ``build_checks`` only when asked for.
"""
from __future__ import annotations

from typing import Literal, Protocol, Sequence

from ..model import Finding
from ..options import Options


class Check(Protocol):
    name: str
    scope: Literal["paragraph", "document"]

    def check(self, text: str, options: Options) -> list[Finding]: ...


class BackendUnavailable(RuntimeError):
    """A back end the user asked for cannot run here; the message says what is missing and how to get it."""


def build_checks(options: Options) -> Sequence[Check]:
    grammar: list[Check] = []
    if options.grammar == "harper":
        from .harper import HarperCheck

        grammar.append(HarperCheck.for_options(options))  # first: its dictionary builds while the rest loads
    elif options.grammar == "languagetool":
        from .languagetool import LanguageToolCheck

        grammar.append(LanguageToolCheck.for_options(options))
    checks: list[Check] = []
    from .rules import RuleChecks

    checks.extend(RuleChecks.for_options(options))
    from .readability import ReadabilityCheck

    checks.append(ReadabilityCheck.for_options(options))
    return checks + grammar
