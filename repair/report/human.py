"""`path:line:col: severity rule message`, one finding a line, coloured on a TTY."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

import click

from . import FileReport, LineIndex

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def render(reports: Iterable[FileReport], *, colour: bool) -> str:
    lines: list[str] = []
    for report in reports:
        if report.result is None:
            continue
        index = LineIndex(report.result.original)
        for f in report.findings:
            line, col = index.position(f.span.start)
            severity = click.style(f.severity, fg=_COLOURS[f.severity], bold=True) if colour else f.severity
            rule = click.style(f.rule, dim=True) if colour else f.rule
            fix = ""
            if f.fix is not None:
                fix = f" [{'fixable' if f.fix.safety == 'safe' else 'suggestion'}]"
            lines.append(f"{report.path}:{line}:{col}: {severity} {rule} {f.message}{fix}")
    return "".join(line + "\n" for line in lines)


def summary(reports: list[FileReport], *, edits_applied: int | None = None) -> str:
    counts = Counter(f.severity for r in reports for f in r.findings)
    files = sum(1 for r in reports if r.result is not None)
    failed = sum(1 for r in reports if r.error)
    parts = [f"{files} file{'s' * (files != 1)} checked"]
    parts.append(", ".join(f"{counts[s]} {s}{'s' * (counts[s] != 1)}" for s in ("error", "warning", "info")))
    if edits_applied is not None:
        parts.append(f"{edits_applied} edit{'s' * (edits_applied != 1)} applied")
    if failed:
        parts.append(f"{failed} unreadable")
    return "; ".join(parts) + "\n"
