"""What the commands share: click options, flags mapped to a session request, output through the
output-format registry, progress, error lines and exit codes. Commands import this module (and
repair.session); the group in repair/cli.py imports the commands."""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable, Iterator, TypeVar

import click

from . import __version__
from .checks.registry import grammar_choices
from .session import Request
from .session import SessionError as Abort  # noqa: F401  (the name the commands use)
from .terminal import visible, visible_lines, write_out

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 10
T = TypeVar("T")


def _csv(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _read_words(path: str | None) -> frozenset[str]:
    if not path:
        return frozenset()
    from .wordlists import read_word_set

    try:  # a regular UTF-8 file of bounded size (not /dev/zero)
        return read_word_set(path, "--accept-words")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _read_glossary(path: str | None) -> tuple | None:
    if not path:
        return None
    from .bilingual.glossary import GlossaryError, read

    try:
        return read(path)
    except GlossaryError as exc:  # one line, exit 2 (the commands run this under _run_guarded)
        raise Abort(str(exc)) from None


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    from .config import positive_seconds

    if value is not None and not positive_seconds(value):
        raise click.BadParameter(f"expected a number of seconds above 0, got {value!r}")
    return value


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .bilingual.language import is_tag

    if value is not None and not is_tag(value):
        raise click.BadParameter(f"expected a language tag such as 'ja' or 'pt-BR', got {value!r}")
    return value


class Registered(click.Choice):
    """A choice among the names a registry holds when the command runs (so a format registered
    after this module was imported is a valid choice too)."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self._names = names
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    @choices.setter
    def choices(self, value: Any) -> None:
        pass


def _input_formats() -> tuple[str, ...]:
    from .formats import names

    return names()


def format_option(view: str) -> Callable:
    """``--format`` for a command showing ``view`` (repair.report): choices, default and help
    come from the output-format registry."""
    from . import report

    return click.option("--format", "fmt", type=Registered(lambda: report.names(view)), default=report.default(view),
                        show_default=True, help=report.help_text(view))


def emit(view: str, fmt: str, reports: list, params: dict, **context: Any) -> Any:
    """Render ``reports`` in the output format ``fmt`` of ``view`` to stdout; returns the format."""
    from . import report
    from .output import printable_report

    out = report.get(view, fmt)
    if view in report.FILE_VIEWS and not out.raw_names:
        # names that are not UTF-8 get \xNN escapes; SARIF percent-encodes their bytes
        reports = [printable_report(r) for r in reports]

    def descriptions() -> Any:
        from .catalog import descriptions

        return descriptions(params.get("rules_dirs") or ())

    colour = _use_colour(params)
    ctx = report.RenderContext(colour=colour, terminal=sys.stdout.isatty(), version=__version__,
                               rule_descriptions=descriptions, **context)
    text = out.render(reports, ctx)
    if out.human:  # a human view: escaped, coloured as asked
        click.echo(text, nl=False, color=colour)
    else:  # machine formats: exact bytes
        write_out(text)
    return out


UNSAFE_HELP = "Also apply `suggest` edits (--safe-only: only safe ones, whatever the config says)."


def common_options(func: Callable | None = None, *, unsafe_help: str | None = UNSAFE_HELP,
                   diff: bool = True, single_input: bool = False) -> Callable:
    """The options every input-reading command shares. ``unsafe_help`` None leaves out
    --unsafe/--safe-only (commands that apply nothing); ``diff`` False leaves out
    --diff-only/--diff-base; ``single_input`` names the argument INPUT (one input)."""
    if func is None:
        return lambda f: common_options(f, unsafe_help=unsafe_help, diff=diff, single_input=single_input)
    decorators = [
        click.argument("paths", nargs=-1, required=True, metavar="INPUT" if single_input else "PATHS..."),
        click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or prefixes (comma-separated)."),
        click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or prefixes (comma-separated)."),
        click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
                     help="Extra rule pack directory (repeatable)."),
        click.option("--grammar", type=click.Choice(grammar_choices()), default=None,
                     help="Grammar checker back end.  [default: harper]"),
        click.option("--dialect", type=click.Choice(["us", "gb", "ca", "au", "in"]), default=None,
                     help="English dialect.  [default: us]"),
        click.option("--languagetool-url", metavar="URL", help="A LanguageTool server you run (text is sent there)."),
        click.option("--languagetool-dir", metavar="DIR", help="A local LanguageTool install (needs Java >= 17)."),
        click.option("--languagetool-timeout", type=float, metavar="SECONDS", callback=_seconds,
                     help="Give up on the LanguageTool server after this long without a connection or data.  "
                          "[default: 5]"),
        click.option("--languagetool-deadline", type=float, metavar="SECONDS", callback=_seconds,
                     help="Give up on the LanguageTool server when all its requests of this run took this long.  "
                          "[default: 20]"),
        click.option("--accept-words", metavar="FILE", help="A file of accepted words (names, brands), one a line."),
        click.option("--unsafe/--safe-only", default=None, help=unsafe_help) if unsafe_help else None,
        click.option("--uncurl-quotes", is_flag=True, default=None,
                     help="Straighten curly quotes (off: typography is not damage)."),
        click.option("--keep-ligatures", is_flag=True, default=None, help="Leave ligatures such as 'ﬁ' alone."),
        click.option("--include", multiple=True, metavar="GLOB",
                     help="File patterns for directory arguments (default *.txt, *.md)."),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Skip matching files and folders when walking a directory (repeatable); "
                          "files git ignores are skipped too."),
        click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Use this configuration file for every input (default: the nearest one)."),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option("--stdin-filename", metavar="NAME",
                     help="The name of the text read from '-': for config, per-file ignores, the input format "
                          "and reports."),
        click.option("--input-format", type=Registered(_input_formats), default=None,
                     help="Read every input as this format (default: by file suffix, plain text otherwise)."),
        click.option("--source-field", metavar="NAME",
                     help="Read .csv/.tsv/.jsonl inputs as translation tables: the source column (default source)."),
        click.option("--target-field", metavar="NAME",
                     help="Read .csv/.tsv/.jsonl inputs as translation tables: the target column (default target)."),
        click.option("--source-language", metavar="TAG", callback=_language,
                     help="The language translations are from (over the file's metadata; default: the "
                          "metadata, else the source's script)."),
        click.option("--target-language", metavar="TAG", callback=_language,
                     help="The language of the translations (over the file's metadata; default: the "
                          "metadata, else English). Not English: only language-independent checks."),
        click.option("--glossary", metavar="FILE",
                     help="Translation files: a TBX or CSV (source,target) glossary whose terms the targets must "
                          "use; an empty CSV target, or a TBX entry marked 'Translation needed: no', is "
                          "do-not-translate."),
        click.option("--consistency", type=click.Choice(["file", "run"]), default=None,
                     help="Translation files: compare translations (source.inconsistent) within each file, or "
                          "across all the files of the run.  [default: file]"),
        click.option("--diff-only", is_flag=True,
                     help="Only findings on lines the staged change adds (git diff --cached).") if diff else None,
        click.option("--diff-base", metavar="REF",
                     help="With --diff-only (implied): lines added since REF instead of the staged ones.")
        if diff else None,
    ]
    for decorator in reversed([d for d in decorators if d is not None]):
        func = decorator(func)
    return func


def cli_overrides(params: dict) -> dict[str, Any]:
    """The flags actually given, as Options fields (None = not given, the config decides)."""
    return {
        "select": _csv(params["select"]) or None,
        "ignore": _csv(params["ignore"]) or None,
        "rules_dirs": tuple(params["rules_dirs"]) or None,
        "grammar": params["grammar"],
        "dialect": params["dialect"],
        "languagetool_url": params["languagetool_url"],
        "languagetool_dir": params["languagetool_dir"],
        "languagetool_timeout": params.get("languagetool_timeout"),
        "languagetool_deadline": params.get("languagetool_deadline"),
        "accept_words": _read_words(params["accept_words"]),
        "unsafe": params.get("unsafe"),
        "uncurl_quotes": params["uncurl_quotes"] or None,
        "keep_ligatures": params["keep_ligatures"] or None,
        "input_format": params.get("input_format"),
        "source_field": params.get("source_field"),
        "target_field": params.get("target_field"),
        "source_language": params.get("source_language"),
        "target_language": params.get("target_language"),
        "glossary": _read_glossary(params.get("glossary")),
        "consistency": params.get("consistency"),
        "mark_for_review": params.get("mark_for_review") or None,
    }


def source_option(func: Callable) -> Callable:
    """``--source FILE`` (check, fix): the document the one input translates (repair/bilingual/paired.py)."""
    return click.option("--source", "source_path", metavar="FILE",
                        help="The source document the one input translates: its paragraphs are aligned and "
                             "compared (numbers, placeholders, names, ...).")(func)


def colour_option(func: Callable) -> Callable:
    return click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
                        show_default=True,
                        help="Colour the human output; auto: only on a terminal (NO_COLOR, FORCE_COLOR and "
                             "CLICOLOR_FORCE are honoured).")(func)


def _use_colour(params: dict | None = None) -> bool:
    from .terminal import use_colour

    return use_colour((params or {}).get("color"))


def _error(message: str) -> None:
    click.echo(f"ungarble: {visible_lines(message)}", err=True)


def _note(message: str) -> None:
    click.echo(f"ungarble: {visible(message)}", err=True)


def _show_progress(count: int) -> bool:
    """A bar only for people: many files, stderr a terminal, not in CI."""
    return (count >= PROGRESS_MIN_FILES and sys.stderr.isatty() and not os.environ.get("CI")
            and os.environ.get("TERM") != "dumb")


def request(paths: tuple[str, ...], params: dict) -> Request:
    """The session request of an input-reading command's flags."""
    return Request(
        paths=tuple(paths), overrides=cli_overrides(params), rules_dirs=tuple(params.get("rules_dirs") or ()),
        config_path=params.get("config_path"), isolated=bool(params.get("isolated")),
        stdin_filename=params.get("stdin_filename"), include=tuple(params.get("include") or ()),
        exclude=tuple(params.get("exclude") or ()), diff_only=bool(params.get("diff_only")),
        diff_base=params.get("diff_base"), fail_on=params.get("fail_on"), jobs=params.get("jobs") or 1,
        source=params.get("source_path"))


def _unknown_suppression(name: str, line: int, rule: str) -> None:
    click.echo(f"ungarble: note: {visible(name)}:{line}: the suppression names no rule {visible(rule)!r}", err=True)


def session(paths: tuple[str, ...], params: dict) -> Any:
    """A :class:`repair.session.Session` of the flags, its messages on stderr as the CLI writes them."""
    from .session import Session

    return Session(request(paths, params), error=_error, note=_note, unknown_suppression=_unknown_suppression)


def with_metrics(items: Iterable[Any], per_sentence: bool = False) -> Iterator[Any]:
    from . import session as s

    return s.with_metrics(items, per_sentence=per_sentence, error=_error)


def _progress(items: Iterator[T], count: int, label: str) -> Iterator[T]:
    if not _show_progress(count):
        yield from items
        return
    with click.progressbar(items, length=count, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


def _run_guarded(body: Callable[[], int]) -> None:
    from .checks import BackendUnavailable
    from .output import Terminated

    try:
        code = body()
    except (BackendUnavailable, Abort) as exc:
        _error(str(exc))
        code = EXIT_ERROR
    except Terminated:  # SIGTERM (timeout, CI cancellation) unwinds like Ctrl-C: temp files are removed
        _error("terminated; files already written are complete, the rest are untouched")
        code = 143
    except KeyboardInterrupt:
        _error("interrupted; files already written are complete, the rest are untouched")
        code = 130
    sys.exit(code)
