"""`ungarble rules`: the rule catalog as a table or JSON (view ``rules``), and one rule in full
(view ``rule``, ``--explain``). The "reports" these formats get are ``repair.catalog`` entries."""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from ..terminal import visible, visible_lines
from . import OutputFormat, RenderContext, register

LISTED = ("id", "source", "safety", "safe_forms", "severity", "description", "where")


def table(known: Sequence[Any], ctx: RenderContext) -> str:
    width = max(len(r.id) for r in known)
    lines = [f"{r.id:<{width}}  {r.source:<12}  {r.shown_safety:<7}  {r.severity:<7}  {visible(r.summary)}"
             for r in known]
    if any(r.safe_forms for r in known):
        lines.append("\nsafe*: safe in narrow forms (fix applies those), a suggestion otherwise; "
                     "`ungarble rules --explain ID` says which.")
    return "".join(line + "\n" for line in lines)


def listing(known: Sequence[Any], ctx: RenderContext) -> str:
    import json

    return json.dumps([{k: v for k, v in dataclasses.asdict(r).items() if k in LISTED} for r in known],
                      ensure_ascii=False, indent=2) + "\n"


def explain(infos: Sequence[Any], ctx: RenderContext) -> str:
    (info,) = infos
    lines = [f"{info.id}", f"  source:   {info.source}" + (f" ({info.kind})" if info.kind else ""),
             f"  safety:   {info.safety}" + ("; safe in narrow forms (fix applies those; the description says which)"
                                              if info.safe_forms else ""),
             f"  severity: {info.severity}"]
    if info.where:
        lines.append(f"  defined:  {info.where}")
    if info.description:
        lines += ["", *("  " + line for line in info.description.strip().splitlines())]
    if info.message:
        lines += ["", f"  message: {info.message}"]
    if info.bad:
        lines += ["", "  fires on:"]
        for i, bad in enumerate(info.bad):
            lines.append(f"    - {bad!r}")
            if i < len(info.fixed):
                lines.append(f"      -> {info.fixed[i]!r}")
    if info.good:
        lines += ["", "  leaves alone:"] + [f"    - {good!r}" for good in info.good]
    return visible_lines("\n".join(lines) + "\n")  # a rule pack's text is outside text


def one(infos: Sequence[Any], ctx: RenderContext) -> str:
    import json

    (info,) = infos
    return json.dumps(dataclasses.asdict(info), ensure_ascii=False, indent=2) + "\n"


register(OutputFormat("human", "rules", table, "a table (one rule a line)", human=True, default=True))
register(OutputFormat("json", "rules", listing, "a list of rule objects (one object with --explain)"))
register(OutputFormat("human", "rule", explain, "the rule in full, with its examples", human=True, default=True))
register(OutputFormat("json", "rule", one, "the rule as one object"))
