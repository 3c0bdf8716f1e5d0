"""`score --format human`: a table of garble scores and readability, worst first, with each
paragraph's score as a bar under ``--paragraphs``."""
from __future__ import annotations

from typing import Iterable

import click

from ..terminal import visible
from . import FileReport, LineIndex, OutputFormat, RenderContext, register

_BAR_CELLS = 20


def bar(score: float, cells: int = _BAR_CELLS) -> str:
    """``score`` (0-100) as a bar of ``cells`` characters, in eighths."""
    eighths = round(max(0.0, min(100.0, score)) / 100 * cells * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(cells, "·")


def _shade(score: float) -> str:
    return "red" if score >= 50 else "yellow" if score >= 30 else "green"


def render_table(reports: Iterable[FileReport], *, colour: bool, paragraphs: bool) -> str:
    good = [r for r in reports if r.error is None and r.metrics]
    good.sort(key=lambda r: (-r.metrics["garble_score"], r.path))
    head = f"{'garble':>6}  {'flesch':>6}  {'grade':>5}  {'words':>6}  {'err':>4} {'warn':>4} {'info':>4}  file"
    lines = [click.style(head, bold=True) if colour else head]
    for r in good:
        m = r.metrics
        read = m["readability"]
        sev = {s: sum(1 for f in r.findings if f.severity == s) for s in ("error", "warning", "info")}
        score = f"{m['garble_score']:6.1f}"
        if colour:
            score = click.style(score, fg=_shade(m["garble_score"]), bold=True)
        lines.append(f"{score}  {read['flesch']:6.1f}  {read['grade']:5.1f}  {read['words']:6d}  "
                     f"{sev['error']:4d} {sev['warning']:4d} {sev['info']:4d}  {visible(r.path)}")
        if paragraphs and "units" in m:  # a translation file: its units
            lines += unit_lines(m["units"], colour)
            lines.append("")
        elif paragraphs:
            assert r.result is not None
            index = LineIndex(r.result.original)
            for p in m["paragraphs"]:
                line, _ = index.position(p["start"])
                b = bar(p["garble_score"])
                if colour:
                    b = click.style(b, fg=_shade(p["garble_score"]))
                lines.append(f"  {line:>5}  {b} {p['garble_score']:5.1f}  {visible(p['first_words'])}")
            lines.append("")
    return "".join(line + "\n" for line in lines)


def unit_lines(units: list[dict], colour: bool) -> list[str]:
    """Each unit of a translation file: its line, score bar, name (id, context, plural form when
    the id is not the source text itself), then its source and target (first words)."""
    from .metrics import first_words, unit_name

    lines = []
    for u in units:
        b = bar(u["garble_score"])
        if colour:
            b = click.style(b, fg=_shade(u["garble_score"]))
        lines.append(f"  {u['line']:>5}  {b} {u['garble_score']:5.1f}  {visible(unit_name(u))}".rstrip())
        if u["source_text"] is not None:
            lines.append(f"{'':35}source: {visible(first_words(u['source_text'], 12))}")
        lines.append(f"{'':35}target: {visible(first_words(u['text'], 12))}")
    return lines


def _table(reports: Iterable[FileReport], ctx: RenderContext) -> str:
    return render_table(reports, colour=ctx.colour, paragraphs=ctx.paragraphs)


register(OutputFormat("human", "score", _table, "a table, worst first", human=True, default=True))
