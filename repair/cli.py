"""The command line: thin commands that map flags to a session request (repair.session), render
through the output-format registry (repair.report) and choose an exit code. Shared options live in
repair/cli_options.py; `score`, `report` and `batch` in repair/cli_score.py and repair/cli_batch.py."""
from __future__ import annotations

import sys

import click

from . import __version__
from . import terminal
from .cli_options import (EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Abort, _error, _progress,  # noqa: F401
                          _read_words, _run_guarded, _show_progress, _use_colour, colour_option, common_options,
                          emit, format_option, session, source_option)
from .terminal import visible, write_out

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ungarble")
def main() -> None:
    """Find and repair garbled English text: mojibake, machine-translation garble, scraped boilerplate."""
    from .output import guarded_stdout

    # stdout is written in full or the run ends with one line and exit 2; SIGTERM unwinds like Ctrl-C
    click.get_current_context().with_resource(guarded_stdout())


@main.command()
@common_options(unsafe_help=None)
@source_option
@colour_option
@format_option("check")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1.  [default: warning]")
@click.option("--baseline", metavar="FILE",
              help="Report only findings not recorded in FILE; records today's findings there when it is missing.")
@click.option("--update-baseline", is_flag=True, help="With --baseline: record today's findings again.")
@click.option("--metrics", is_flag=True, help="Add the garble score and readability figures under each file's metrics.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Files analysed at once, each on its own process (output in the same order).")
def check(paths, fmt, fail_on, baseline, update_baseline, metrics, **params) -> None:
    """Report findings: path:line:col: severity rule message."""
    params["fail_on"] = fail_on

    def body() -> int:
        from .cli_options import with_metrics
        from .session import apply_baseline, fails, reports as reports_of

        inputs = session(paths, params)
        items = list(_progress(iter(inputs), len(inputs.paths), "checking"))
        if metrics:
            items = list(with_metrics(items))
        if baseline:
            recorded = apply_baseline(items, baseline, update_baseline)
            if recorded is not None:
                click.echo(f"ungarble: recorded {recorded} finding{'s' * (recorded != 1)} in {visible(baseline)}", err=True)
                return EXIT_ERROR if any(r.error for r in reports_of(items)) else EXIT_CLEAN
        reports = reports_of(items)
        if emit("check", fmt, reports, params).human:
            from .report import human

            if len(reports) > 1:
                click.echo(human.summary(reports), err=True, nl=False)
            click.echo(human.suggestion_hint(sum(r.suggestions_left for r in reports)), err=True, nl=False)
        if any(r.error for r in reports):
            return EXIT_ERROR
        return EXIT_FINDINGS if any(fails(i) for i in items if i.report and i.report.result) else EXIT_CLEAN

    _run_guarded(body)


@main.command(short_help="Print a diff of the repairs (exit 1 if any); --write applies them.")
@common_options
@source_option
@colour_option
@click.option("--write", is_flag=True, help="Apply the fixes in place (atomically).")
@click.option("--interactive", "-i", is_flag=True, help="Review each edit (y/n/a/d/e/q/?) and write what you accept.")
@click.option("--word-diff", is_flag=True, help="Show changes inline, word by word.")
@click.option("--utf8", is_flag=True, help="With --write, save as UTF-8 whatever the file was read as.")
@click.option("--mark-for-review", is_flag=True,
              help="Translation files: mark each repaired unit for review (PO fuzzy, XLIFF needs-review state).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Files analysed at once, each on its own process (output in the same order).")
def fix(paths, write, interactive, word_diff, utf8, **params) -> None:
    """Print a unified diff of the repairs (exit 1 if there are any); --write applies them."""
    params["fail_on"] = None
    if interactive:
        _run_guarded(lambda: _interactive(paths, params, utf8))
        return

    def body() -> int:
        from .chunks import encoded
        from .decode import InputError, encode
        from .files import atomic_write
        from .report import diff, human

        errors = changed = applied = 0
        colour = _use_colour(params)
        human_view = colour or sys.stdout.isatty()  # a person reads the diff: escape it; else exact bytes
        stdout = sys.stdout.buffer
        inputs = session(paths, params)
        bar = write and _show_progress(len(inputs.paths))
        reports = []
        for item in _progress(iter(inputs), len(inputs.paths), "fixing") if write else inputs:
            doc, report = item.doc, item.report
            assert report is not None  # the session reports every input
            reports.append(report)
            if report.error or doc is None or report.result is None:
                errors += 1
                continue
            result = report.result
            if result.unstable:  # not a fixed point: neither written nor shown as a repair
                _error(f"{visible(item.name)}: edits of {', '.join(result.unstable)} keep changing the text "
                       "(a cycle of replacements, or no end in sight); nothing written")
                errors += 1
                continue
            if write and doc.path == "-" and not result.changed:
                stdout.write(encode(doc, result.fixed, utf8=utf8))  # a filter passes clean text through
                continue
            if not result.changed:
                continue
            changed += 1
            if write:
                try:
                    data = encoded(doc, result, utf8=utf8)  # a chunked file: its chunks, one by one (repair.chunks)
                    if doc.path == "-":
                        assert isinstance(data, bytes)  # stdin is never streamed in chunks
                        stdout.write(data)
                        stdout.flush()
                    else:
                        atomic_write(doc.path, data, expect=doc.source)
                        applied += len(result.applied)
                        if not bar:
                            n = len(result.applied)
                            click.echo(f"fixed {terminal.visible(item.name)} ({n} edit{'s' * (n != 1)})", err=True)
                except (InputError, OSError) as exc:
                    _error(str(exc) if isinstance(exc, InputError) else f"{doc.path}: {exc}")
                    errors += 1
            elif word_diff:
                click.echo(diff.words(item.name, result.original, result.fixed, colour=colour), nl=False,
                           color=colour)
            else:
                patch = diff.unified(item.name, result.original, result.fixed)
                if human_view:
                    click.echo(diff.for_terminal(patch, colour=colour), nl=False, color=colour)
                else:
                    write_out(patch)
        if len(reports) > 1:
            click.echo(human.summary(reports, edits_applied=applied if write else None), err=True, nl=False)
        click.echo(human.suggestion_hint(sum(r.suggestions_left for r in reports)), err=True, nl=False)
        if errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if changed else EXIT_CLEAN

    _run_guarded(body)


def _interactive(paths: tuple[str, ...], params: dict, utf8: bool) -> int:
    from .api import analyse
    from .decode import InputError, encode
    from .files import atomic_write
    from .interactive import KeyReader, Reviewer, review_files

    if "-" in paths:
        raise click.UsageError("--interactive reviews files; it cannot read stdin ('-')")
    if not sys.stdin.isatty():
        _error("--interactive needs a terminal: standard input is not a TTY. "
               "Run `ungarble fix FILE` for a diff, or `ungarble fix --write FILE` to apply the safe edits.")
        return EXIT_ERROR
    inputs = session(paths, params)
    errors = 0

    def write(doc, text: str) -> None:
        nonlocal errors
        try:
            atomic_write(doc.path, encode(doc, text, utf8=utf8), expect=doc.source)
            click.echo(f"wrote {visible(doc.path)}", err=True)
        except (InputError, OSError) as exc:
            _error(str(exc) if isinstance(exc, InputError) else f"{doc.path}: {exc}")
            errors += 1

    click.echo("Reviewing proposed edits: y accept, n reject, a/d accept/reject the rest of a rule, "
               "e edit, q quit, ? help.")
    with KeyReader() as keys:
        reviewer = Reviewer(getchar=keys.key, prompt=keys.line, colour=_use_colour(params))
        stats = review_files(inputs.reviewable(), reviewer, lambda text, opts: analyse(text, opts), write)
    click.echo(f"{stats.files} file{'s' * (stats.files != 1)} reviewed; {stats.accepted} edit"
               f"{'s' * (stats.accepted != 1)} accepted, {stats.rejected} rejected; "
               f"{stats.written} file{'s' * (stats.written != 1)} written", err=True)
    if stats.interrupted:
        _error("interrupted; the edits accepted so far were written")
        return 130
    return EXIT_ERROR if errors or inputs.read_errors else EXIT_CLEAN


@main.command()
@click.option("--explain", metavar="ID", help="Show one rule in full, with its examples.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra rule pack directory (repeatable).")
@format_option("rules")
def rules(explain, rules_dirs, fmt) -> None:
    """List every rule id with its source, safety and description."""
    from . import catalog
    from .rulebook import RuleFileError

    try:
        known = catalog.all_rules(rules_dirs)
    except RuleFileError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    if explain:
        from . import report

        if fmt not in report.names("rule"):
            raise click.UsageError(f"--explain has no --format {fmt} (it has {', '.join(report.names('rule'))})")
        info = catalog.find(explain, known)
        if info is None:
            _error(f"no rule {explain!r}; `ungarble rules` lists them")
            sys.exit(EXIT_ERROR)
        emit("rule", fmt, [info], {})
        return
    emit("rules", fmt, list(known), {})

# the commands other modules define (they import repair.cli_options, never this module)
from .cli_batch import batch  # noqa: E402
from .cli_score import report, score  # noqa: E402

main.add_command(score, "score")
main.add_command(report, "report")
main.add_command(batch, "batch")


if __name__ == "__main__":  # pragma: no cover
    main()
