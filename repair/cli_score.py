"""`ungarble score` and `ungarble report`: triage for an editor with many documents.

Registered by the group in repair/cli.py (``main.add_command(score)``, ``main.add_command(report)``).
"""
from __future__ import annotations

import sys
from typing import Any

import click

from .cli_options import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, _error, _run_guarded, colour_option, \
    common_options, emit, format_option, session, with_metrics
from .report.table import bar  # noqa: F401  (where it used to live)
from .terminal import visible


@click.command("score", short_help="Garble score (0 clean, 100 unreadable) and readability.")
@common_options(unsafe_help=None)
@colour_option
@format_option("score")
@click.option("--paragraphs", is_flag=True, help="Show each paragraph's score as a bar, with its first words.")
@click.option("--sentences", is_flag=True, help="With --format json, also list each sentence's score.")
@click.option("--fail-above", type=click.FloatRange(0, 100), metavar="N",
              help="Exit 1 when any document's garble score is above N (0-100).")
def score(paths, fmt, paragraphs, sentences, fail_above, **params) -> None:
    """Garble score (0 clean .. 100 unreadable) and readability of each file, worst first.

    The garble score estimates the share of words a post-editor would change (fitted on
    human post-edits of machine translation). Exit 0, or 1 with --fail-above when a
    document scores above N; 2 for unreadable inputs.
    """
    def body() -> int:
        from .session import reports as reports_of

        reports = reports_of(with_metrics(session(paths, params), per_sentence=sentences))
        emit("score", fmt, reports, params, paragraphs=paragraphs)
        if any(r.error for r in reports):
            return EXIT_ERROR
        if fail_above is not None and any(r.metrics.get("garble_score", 0.0) > fail_above for r in reports):
            return EXIT_FINDINGS
        return EXIT_CLEAN

    _run_guarded(body)


@click.command("report", short_help="Write one HTML page: garble scores, findings, repairs.")
@common_options(unsafe_help="Also show `suggest` edits in the proposed repair (--safe-only: only safe ones, "
                            "whatever the config says).")
@click.option("-o", "--output", required=True, metavar="FILE", help="Where to write the HTML page ('-' for stdout).")
@click.option("--title", default=None, help="Page title (default: the file names).")
def report(paths, output, title, **params) -> None:
    """Write one self-contained HTML page: paragraphs shaded by garble score, findings on hover,
    the proposed repair side by side. Works offline (no scripts or fonts from the network)."""
    def body() -> int:
        from .files import atomic_write
        from .output import text_name
        from .report import html
        from .score import findings_for_score, score_text

        docs = []
        errors = 0
        for item in with_metrics(session(paths, params)):
            doc, rep = item.doc, item.report
            assert rep is not None  # with_metrics reports every input
            if rep.error or doc is None or rep.result is None:
                errors += 1
                continue
            if "units" in rep.metrics:  # a translation file: its units, shaded where their targets are
                from .report.metrics import file_scores, unit_label

                docs.append(html.DocumentView(text_name(rep.path), doc.text, rep.result.fixed, tuple(rep.result.findings),
                                              file_scores(rep.result), rep.metrics,
                                              tuple(unit_label(u) for u in rep.metrics["units"])))
                continue
            findings = findings_for_score(doc.text, rep.result)
            scores = score_text(doc.text, findings, units=[_span(p) for p in rep.metrics["paragraphs"]])
            docs.append(html.DocumentView(text_name(rep.path), doc.text, rep.result.fixed, tuple(findings), scores,
                                          rep.metrics))
        page = html.render(docs, title=title)
        if output == "-":
            click.echo(page, nl=False)
        else:
            from .decode import InputError

            try:
                atomic_write(output, page.encode("utf-8"))
            except InputError as exc:  # missing folder, a directory, a full disk: one line
                _error(str(exc))
                return EXIT_ERROR
            click.echo(f"wrote {visible(output)} ({len(docs)} document{'s' * (len(docs) != 1)})", err=True)
        return EXIT_ERROR if errors else EXIT_CLEAN

    _run_guarded(body)


def _span(p: dict) -> Any:
    from .model import Span

    return Span(p["start"], p["end"])


if __name__ == "__main__":  # pragma: no cover
    click.Group(commands=[score, report])(sys.argv[1:])
