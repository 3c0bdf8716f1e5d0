"""The command line: a thin layer over repair.api and the formatters."""
from __future__ import annotations

import dataclasses
import os
import sys
from typing import Callable, Iterable

import click

from . import __version__
from .model import SEVERITY_RANK
from .options import Options
from .report import FileReport

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _csv(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _read_words(path: str | None) -> frozenset[str]:
    if not path:
        return frozenset()
    try:
        with open(path, encoding="utf-8") as fh:
            return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))
    except OSError as exc:
        raise click.UsageError(f"--accept-words {path}: {exc.strerror.lower() if exc.strerror else exc}")


def common_options(func: Callable) -> Callable:
    decorators = [
        click.argument("paths", nargs=-1, required=True),
        click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or prefixes (comma-separated)."),
        click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or prefixes (comma-separated)."),
        click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
                     help="Extra rule pack directory (repeatable)."),
        click.option("--grammar", type=click.Choice(["harper", "languagetool", "none"]), default="harper",
                     show_default=True, help="Grammar checker back end."),
        click.option("--dialect", type=click.Choice(["us", "gb", "ca", "au", "in"]), default="us", show_default=True),
        click.option("--languagetool-url", metavar="URL", help="A LanguageTool server you run (text is sent there)."),
        click.option("--languagetool-dir", metavar="DIR", help="A local LanguageTool install (needs Java >= 17)."),
        click.option("--accept-words", metavar="FILE", help="A file of accepted words (names, brands), one a line."),
        click.option("--unsafe", is_flag=True, help="Also apply `suggest` edits."),
        click.option("--uncurl-quotes", is_flag=True, help="Straighten curly quotes (off: typography is not damage)."),
        click.option("--keep-ligatures", is_flag=True, help="Leave ligatures such as 'ﬁ' alone."),
        click.option("--keep-width", is_flag=True, help="Leave full-width letters and digits alone."),
        click.option("--include", multiple=True, metavar="GLOB",
                     help="File patterns for directory arguments (default *.txt, *.md)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def build_options(params: dict) -> Options:
    return Options(
        select=_csv(params["select"]),
        ignore=_csv(params["ignore"]),
        rules_dirs=tuple(params["rules_dirs"]),
        grammar=params["grammar"],
        dialect=params["dialect"],
        languagetool_url=params["languagetool_url"],
        languagetool_dir=params["languagetool_dir"],
        accept_words=_read_words(params["accept_words"]),
        unsafe=params["unsafe"],
        uncurl_quotes=params["uncurl_quotes"],
        fix_latin_ligatures=not params["keep_ligatures"],
        fix_character_width=not params["keep_width"],
    )


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _error(message: str) -> None:
    click.echo(f"ungarble: {message}", err=True)


def _process(paths: tuple[str, ...], options: Options, include: tuple[str, ...]):
    """Yield (document, FileReport) per input; unreadable inputs give a report with an error."""
    from .api import analyse
    from .checks import BackendUnavailable
    from .decode import InputError
    from .files import iter_input_paths, read_document

    patterns = include or ("*.txt", "*.md")
    stdin = sys.stdin.buffer
    for path in iter_input_paths(paths, patterns):
        try:
            doc = read_document(path, stdin=stdin)
        except InputError as exc:
            _error(str(exc))
            yield None, FileReport(path, None, error=str(exc))
            continue
        opts = options
        if path.endswith((".md", ".markdown")) and not options.markdown:
            opts = dataclasses.replace(options, markdown=True)
        try:
            result = analyse(doc.text, opts)
        except (BackendUnavailable, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug of ours must not stop the other files
            message = f"{path}: internal error {type(exc).__name__}: {exc} (please report this)"
            _error(message)
            yield None, FileReport(path, doc.encoding, error=message)
            continue
        yield doc, FileReport(path, doc.encoding, result=result)


def _run_guarded(body: Callable[[], int]) -> None:
    from .checks import BackendUnavailable

    try:
        code = body()
    except BackendUnavailable as exc:
        _error(str(exc))
        code = EXIT_ERROR
    except KeyboardInterrupt:
        _error("interrupted; files already written are complete, the rest are untouched")
        code = 130
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ungarble")
def main() -> None:
    """Find and repair garbled English text: mojibake, machine-translation garble, scraped boilerplate."""


@main.command()
@common_options
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="warning",
              show_default=True, help="Lowest severity that makes the exit code 1.")
def check(paths, fmt, fail_on, **params) -> None:
    """Report findings: path:line:col: severity rule message."""
    options = build_options(params)

    def body() -> int:
        from .report import human, jsonout

        reports = [report for _, report in _process(paths, options, params["include"])]
        if fmt == "json":
            click.echo(jsonout.render(reports), nl=False)
        else:
            click.echo(human.render(reports, colour=_use_colour()), nl=False)
            if len(reports) > 1:
                click.echo(human.summary(reports), err=True, nl=False)
        if any(r.error for r in reports):
            return EXIT_ERROR
        threshold = SEVERITY_RANK.get(fail_on, len(SEVERITY_RANK))
        failing = any(SEVERITY_RANK[f.severity] >= threshold for r in reports for f in r.findings)
        return EXIT_FINDINGS if failing else EXIT_CLEAN

    _run_guarded(body)


@main.command()
@common_options
@click.option("--write", is_flag=True, help="Apply the fixes in place (atomically).")
@click.option("--word-diff", is_flag=True, help="Show changes inline, word by word.")
@click.option("--utf8", is_flag=True, help="With --write, save as UTF-8 whatever the file was read as.")
def fix(paths, write, word_diff, utf8, **params) -> None:
    """Print a unified diff of the repairs (exit 1 if there are any); --write applies them."""
    options = build_options(params)

    def body() -> int:
        from .decode import InputError, encode
        from .files import atomic_write
        from .report import diff

        errors = changed = 0
        colour = _use_colour()
        stdout = sys.stdout.buffer
        for doc, report in _process(paths, options, params["include"]):
            if report.error or doc is None or report.result is None:
                errors += 1
                continue
            result = report.result
            if write and doc.path == "-" and not result.changed:
                stdout.write(encode(doc, result.fixed, utf8=utf8))  # a filter passes clean text through
                continue
            if not result.changed:
                continue
            changed += 1
            if write:
                try:
                    data = encode(doc, result.fixed, utf8=utf8)
                    if doc.path == "-":
                        stdout.write(data)
                        stdout.flush()
                    else:
                        atomic_write(doc.path, data)
                        click.echo(f"fixed {doc.path} ({len(result.applied)} edits)", err=True)
                except (InputError, OSError) as exc:
                    _error(str(exc) if isinstance(exc, InputError) else f"{doc.path}: {exc}")
                    errors += 1
            elif word_diff:
                click.echo(diff.words(doc.path, result.original, result.fixed, colour=colour), nl=False)
            else:
                click.echo(diff.unified(doc.path, result.original, result.fixed), nl=False)
        if errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if changed else EXIT_CLEAN

    _run_guarded(body)


if __name__ == "__main__":  # pragma: no cover
    main()
