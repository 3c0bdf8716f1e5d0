"""Every rule ungarble can report, for `ungarble rules` and SARIF rule metadata."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\"'])")


@dataclass(frozen=True)
class RuleInfo:
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


ENCODING_DESCRIPTIONS = {
    "encoding.mojibake": "Text decoded with the wrong encoding (UTF-8 read as Windows-1252 and the like).",
    "encoding.html-entity": "HTML entity such as &amp; left in plain text.",
    "encoding.terminal-escape": "Terminal colour escape code in the text.",
    "encoding.control-char": "Invisible control character.",
    "encoding.c1-control": "C1 control character: Windows-1252 decoded as Latin-1.",
    "encoding.ligature": "Typographic ligature (from PDF extraction) such as 'ﬁ'.",
    "encoding.full-width": "Full-width letters or digits in English text.",
    "encoding.curly-quote": "Curly quote straightened (only with --uncurl-quotes).",
    "encoding.surrogate": "Broken UTF-16 surrogate pair.",
    "encoding.lossy-mojibake": "Mojibake whose bytes were partly lost; the repair is a guess.",
    "encoding.line-break": "Unusual line break character.",
}

EXTERNAL = (
    RuleInfo("harper.*", "harper", "varies", "varies",
             "Grammar and spelling from Harper (offline, the default back end); ids are harper.<Kind>.<Rule>.",
             pattern=True),
    RuleInfo("languagetool.*", "languagetool", "varies", "varies",
             "Grammar and style from LanguageTool (--grammar languagetool); ids are languagetool.<RULE_ID>.",
             pattern=True),
)

INTERNAL = (
    RuleInfo("internal.unstable", "ungarble", "flag", "error",
             "Edits kept changing the text after the maximum number of passes; the rest were not applied."),
    RuleInfo("internal.rule-timeout", "rules", "flag", "error",
             "A rule's pattern ran past its time budget and was stopped."),
)

READABILITY = (
    RuleInfo("readability.long-sentence", "readability", "flag", "info",
             "A sentence far longer than the document's typical sentence (often two run together)."),
    RuleInfo("readability.hard-sentence", "readability", "flag", "info",
             "A sentence far harder to read than the rest of the document."),
)


def encoding_rules() -> list[RuleInfo]:
    from .encoding import STEPS

    out: dict[str, RuleInfo] = {}
    for rule, severity, message, safety in STEPS.values():
        if rule not in out:
            out[rule] = RuleInfo(rule, "ftfy", safety, severity, ENCODING_DESCRIPTIONS.get(rule, ""), message)
    return list(out.values())


def pack_rules(dirs: Sequence[str] = ()) -> list[RuleInfo]:
    """The YAML rule packs (raises repair.rulebook.RuleFileError for a broken pack)."""
    from .rulebook import rules_for

    return [RuleInfo(r.id, "rules", r.safety, r.severity, r.description, r.message, f"{r.path}:{r.line}",
                     r.examples.bad, r.examples.fixed, r.examples.good, r.KIND, safe_forms=r.safe_forms())
            for r in rules_for(tuple(dirs))]


def all_rules(dirs: Sequence[str] = ()) -> list[RuleInfo]:
    rules = encoding_rules() + pack_rules(dirs) + list(READABILITY) + list(INTERNAL)
    rules.sort(key=lambda r: r.id)
    return rules + list(EXTERNAL)


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
