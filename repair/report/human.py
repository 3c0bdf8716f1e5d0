"""Findings for people, coloured on a TTY, in two layouts (as ruff's ``concise`` and ``full``):

- concise: ``path:line:col: severity rule message``, one finding a line (scripts, pipes, editors);
- full: the same line, then the finding's source line with a caret under what is flagged.

Locations point at the first character of what is flagged (a span that starts with the
white space before it, such as a duplicate paragraph's removal, points at the paragraph).
Everything from outside (paths, messages, the text) is shown with control characters
escaped (repair.terminal.visible), so a file cannot drive the terminal.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Iterable

import click

from ..terminal import visible
from . import FileReport, LineIndex, OutputFormat, RenderContext, register

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
CONTEXT_WIDTH = 100  # columns of a source line shown around what is flagged


def anchor(f) -> int:
    """Where a finding points: the first non-space character of its span (the span start
    when the span is empty or all white space)."""
    stripped = len(f.text) - len(f.text.lstrip())
    return f.span.start + stripped if stripped < len(f.text) else f.span.start


def render(reports: Iterable[FileReport], *, colour: bool, context: bool = False) -> str:
    lines: list[str] = []
    for report in reports:
        if report.result is None:
            continue
        text = report.result.original
        index = LineIndex(text)
        path = visible(report.path)
        for f in report.findings:
            at = anchor(f)
            line, col = index.position(at)
            severity = click.style(f.severity, fg=_COLOURS[f.severity], bold=True) if colour else f.severity
            rule = click.style(f.rule, dim=True) if colour else f.rule
            fix = ""
            if f.fix is not None:
                fix = f" [{'fixable' if f.fix.safety == 'safe' else 'suggestion'}]"
            head = f"{path}:{line}:{col}:"
            lines.append(f"{click.style(head, bold=True) if colour else head} {severity} {rule} "
                         f"{visible(f.message)}{fix}")
            if context:
                lines += source_lines(text, index, line, at, f.span.end, colour=colour,
                                      tint=_COLOURS[f.severity])
    return "".join(line + "\n" for line in lines)


def _human(reports, ctx: RenderContext) -> str:
    return render(reports, colour=ctx.colour, context=ctx.terminal)


def _concise(reports, ctx: RenderContext) -> str:
    return render(reports, colour=ctx.colour, context=False)


def _full(reports, ctx: RenderContext) -> str:
    return render(reports, colour=ctx.colour, context=True)


register(OutputFormat("human", "check", _human, "full on a terminal, concise otherwise", human=True, default=True))
register(OutputFormat("concise", "check", _concise, "path:line:col: severity rule message", human=True))
register(OutputFormat("full", "check", _full, "that and the source line with a caret under the finding", human=True))


def _width(text: str) -> int:
    """Terminal columns of ``text`` (wide East Asian characters take two, marks none)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def source_lines(text: str, index: LineIndex, line: int, start: int, end: int, *, colour: bool,
                 tint: str = "red") -> list[str]:
    """The finding's line, cut to about CONTEXT_WIDTH columns around it, with carets under
    what is flagged (one ``^`` for an insertion point):

    ``   |``, ``19 | The duplicate paragraph ...``, ``   | ^^^^^^^^^``
    """
    begin = index.starts[line - 1]
    stop = index.starts[line] if line < len(index.starts) else len(text)
    source = text[begin:stop].rstrip("\r\n")
    a = min(start - begin, len(source))
    b = max(a, min(end - begin, len(source)))
    before, flagged, after = source[:a], source[a:b], source[b:]
    if len(source) > CONTEXT_WIDTH:  # a long line: a window around what is flagged
        if len(flagged) > CONTEXT_WIDTH // 2:
            flagged = flagged[:CONTEXT_WIDTH // 2 - 1] + "…"
        lead = (CONTEXT_WIDTH - len(flagged)) // 3
        if len(before) > lead:
            before = "…" + before[len(before) - lead + 1:]
        if len(before) + len(flagged) + len(after) > CONTEXT_WIDTH:
            after = after[:max(0, CONTEXT_WIDTH - len(before) - len(flagged) - 1)] + "…"
    before, flagged, after = visible(before), visible(flagged), visible(after)
    gutter = " " * len(str(line))
    carets = "^" * max(1, _width(flagged))
    bar = click.style("|", fg="blue", bold=True) if colour else "|"
    number = click.style(str(line), fg="blue", bold=True) if colour else str(line)
    shown = before + (click.style(flagged, fg=tint, bold=True) if colour and flagged else flagged) + after
    return [f"{gutter} {bar}", f"{number} {bar} {shown}".rstrip(),
            f"{gutter} {bar} {' ' * _width(before)}{click.style(carets, fg=tint, bold=True) if colour else carets}",
            ""]


def suggestion_hint(count: int) -> str:
    """What to do about suggestions left, as ruff says how to apply its unsafe fixes."""
    if not count:
        return ""
    noun = "suggestion" if count == 1 else "suggestions"
    return (f"{count} {noun} not applied: `ungarble fix --unsafe` applies {'it' if count == 1 else 'them'}, "
            f"`ungarble fix -i` reviews {'it' if count == 1 else 'them one by one'}.\n")


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
