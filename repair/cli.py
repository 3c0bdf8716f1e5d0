"""The command line: a thin layer over repair.api, repair.config and the formatters."""
from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import click

from . import __version__
from .checks.registry import grammar_choices
from .model import SEVERITY_RANK, Document
from .options import Options
from .report import FileReport
from . import terminal
from .terminal import visible, visible_lines, write_out

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 10


class Abort(Exception):
    """An error that ends the run with exit code 2 (message already clean)."""


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


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    from .config import positive_seconds

    if value is not None and not positive_seconds(value):
        raise click.BadParameter(f"expected a number of seconds above 0, got {value!r}")
    return value


class Registered(click.Choice):
    """A choice among the names a registry holds when the command runs (so a format registered
    after this module was imported is a valid choice too)."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self._names = names
        super().__init__(())

    @property  # type: ignore[override]
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


def emit(view: str, fmt: str, reports: list, params: dict, **context: Any):
    """Render ``reports`` in the output format ``fmt`` of ``view`` to stdout; returns the format."""
    from . import report
    from .output import printable_report

    out = report.get(view, fmt)
    if view in report.FILE_VIEWS and not out.raw_names:
        # names that are not UTF-8 get \xNN escapes; SARIF percent-encodes their bytes
        reports = [printable_report(r) for r in reports]

    def descriptions():
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
    }


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


@dataclass
class Item:
    """One input as the commands see it."""

    path: str                     # as read ("-" for stdin)
    name: str                     # as reported (the --stdin-filename for stdin)
    options: Options
    fail_on: str
    doc: Document | None = None
    report: FileReport | None = None


class Inputs:
    """Expands arguments, resolves configuration per file, reads, analyses and filters."""

    def __init__(self, paths: tuple[str, ...], params: dict) -> None:
        from .checks import begin_run
        from .config import clear_cache

        clear_cache()
        begin_run()  # one total deadline for the grammar server's requests of this command
        self.params = params
        self.cli = cli_overrides(params)
        self.fail_on_flag: str | None = params.get("fail_on")
        self.diff_only = bool(params.get("diff_only") or params.get("diff_base"))
        self.paths = self._expand(paths)
        self._preflight()

    def _preflight(self) -> None:
        """Rule packs and selectors (flags and each input's configuration), once, before any input."""
        from .validate import preflight

        items = [self.item(path) for path in self.paths]
        try:
            preflight(self.cli, [(self.settings(i.name), i.options) for i in items], tuple(self.params["rules_dirs"]))
        except ValueError as exc:  # RuleFileError, SelectorError
            raise Abort(str(exc)) from None

    def settings(self, name: str):
        from .config import ConfigError, settings_for

        try:
            return settings_for(name, self.params["config_path"], self.params["isolated"])
        except ConfigError as exc:
            raise Abort(str(exc)) from None

    def _expand(self, args: tuple[str, ...]) -> list[str]:
        from .files import iter_input_paths
        from .formats import default_include

        seen: set[str] = set()
        out: list[str] = []
        for arg in args:
            patterns = tuple(self.params["include"]) or None
            exclude = tuple(self.params.get("exclude") or ())
            if arg != "-" and os.path.isdir(arg):
                settings = self.settings(arg)
                patterns = patterns or settings.include
                exclude += settings.exclude or ()
            for path in iter_input_paths([arg], patterns or default_include(), exclude, note=_note):
                key = path if path == "-" else os.path.realpath(path)
                if key not in seen:
                    seen.add(key)
                    out.append(path)
        return out

    def item(self, path: str) -> Item:
        from .config import fail_on_for, options_for

        name = self.params["stdin_filename"] if path == "-" and self.params["stdin_filename"] else path
        settings = self.settings(name)
        options = options_for(settings, name, self.cli)  # the input format too: flag, else suffix
        return Item(path, name, options, fail_on_for(settings, self.fail_on_flag))

    def __iter__(self) -> Iterator[Item]:
        """Each input with its document and report; unreadable inputs get a report with an error."""
        jobs = self.params.get("jobs") or 1
        if jobs > 1 and len(self.paths) > 1:
            yield from self._parallel(min(jobs, len(self.paths)))
            return
        from .chunks import analyse as chunked  # above a size threshold, chunk by chunk (repair.chunks)
        from .decode import InputError
        from .files import read_document

        stdin = sys.stdin.buffer
        for path in self.paths:
            item = self.item(path)
            try:
                doc = read_document(path, stdin=stdin)
            except InputError as exc:
                message = str(exc)
                _error(message)
                item.report = FileReport(item.name, None, error=message)
                yield item
                continue
            item.doc = doc
            yield self._finish(item, lambda: chunked(doc.text, item.options))

    def _finish(self, item: Item, analysis: Callable[[], Any]) -> Item:
        """The item with its report: ``analysis()`` gives the result; a bug of ours in it becomes
        this file's error and the other files go on."""
        from .checks import BackendUnavailable
        from .decode import InputError

        doc = item.doc
        assert doc is not None
        try:
            result = analysis()
            if self.diff_only:
                result = self._only_added(item, result)
        except (BackendUnavailable, KeyboardInterrupt, Abort):
            raise
        except InputError as exc:  # a translation file that cannot be parsed (repair.bilingual.run)
            message = f"{item.name}: {exc}"
            _error(message)
            item.report = FileReport(item.name, doc.encoding, error=message)
            return item
        except Exception as exc:  # a bug of ours must not stop the other files
            message = f"{item.name}: internal error {type(exc).__name__}: {exc} (please report this)"
            _error(message)
            item.report = FileReport(item.name, doc.encoding, error=message)
            return item
        item.report = FileReport(item.name, doc.encoding, result=result)
        _note_unknown_suppressions(item, doc.text)
        return item

    def _parallel(self, jobs: int) -> Iterator[Item]:
        """As ``__iter__``, the analyses on ``jobs`` processes (repair.parallel), in the same order."""
        from .decode import InputError
        from .files import read_document
        from .parallel import analyse_in_order

        def tasks():
            stdin = sys.stdin.buffer
            for path in self.paths:
                item = self.item(path)
                try:
                    item.doc = read_document(path, stdin=stdin)
                except InputError as exc:
                    item.report = FileReport(item.name, None, error=str(exc))
                    yield item, None, None
                    continue
                yield item, item.doc.text, item.options

        for item, future in analyse_in_order(tasks(), jobs):
            if item.report is not None:  # unreadable
                _error(item.report.error)
                yield item
                continue
            yield self._finish(item, future.result)

    def _only_added(self, item: Item, result):
        from .gitdiff import GitError, added_lines, touches
        from .report import LineIndex

        if item.path == "-":
            return result  # text from a pipe is all new
        try:
            added = added_lines(item.path, self.params["diff_base"])
        except GitError as exc:
            raise Abort(str(exc)) from None
        if added is None:
            return result
        index = LineIndex(result.original)
        # the findings and edits on added lines, the plan replayed pass by pass: an edit made on
        # top of one that is left out is left for the next run rather than guessed at
        return result.restricted(lambda span: touches(span, index, added))


def _note_unknown_suppressions(item: Item, text: str) -> None:
    """Inline directives may name retired ids: a note on stderr, the exit code unchanged."""
    from .report import LineIndex
    from .validate import unknown_in_text

    found = unknown_in_text(text, item.options.input_format, item.options.rules_dirs)
    if found:
        index = LineIndex(text)
        for offset, rule in found:
            line, _ = index.position(offset)
            click.echo(f"ungarble: note: {visible(item.name)}:{line}: the suppression names no rule "
                       f"{visible(rule)!r}", err=True)


def with_metrics(items: Iterable[Item], per_sentence: bool = False) -> Iterator[Item]:
    """Add the garble score and readability figures (repair.score) under each report's metrics."""
    from .score import metrics_for

    for item in items:
        report = item.report
        if report is not None and report.result is not None and item.doc is not None:
            try:
                metrics = metrics_for(item.doc.text, report.result, per_sentence=per_sentence)
                item.report = dataclasses.replace(report, metrics=metrics)
            except Exception as exc:  # a bug of ours must not stop the other files
                message = f"{item.name}: internal error while scoring {type(exc).__name__}: {exc} (please report this)"
                _error(message)
                item.report = dataclasses.replace(report, error=message)
        yield item


def _progress(items: Iterator[Item], count: int, label: str) -> Iterator[Item]:
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ungarble")
def main() -> None:
    """Find and repair garbled English text: mojibake, machine-translation garble, scraped boilerplate."""
    from .output import guarded_stdout

    # stdout is written in full or the run ends with one line and exit 2; SIGTERM unwinds like Ctrl-C
    click.get_current_context().with_resource(guarded_stdout())


def _fails(item: Item) -> bool:
    threshold = SEVERITY_RANK.get(item.fail_on, len(SEVERITY_RANK))
    return any(SEVERITY_RANK[f.severity] >= threshold for f in item.report.findings)


@main.command()
@common_options(unsafe_help=None)
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
        inputs = Inputs(paths, params)
        items = list(_progress(iter(inputs), len(inputs.paths), "checking"))
        if metrics:
            items = list(with_metrics(items))
        if baseline:
            recorded = _apply_baseline(items, baseline, update_baseline)
            if recorded is not None:
                click.echo(f"ungarble: recorded {recorded} finding{'s' * (recorded != 1)} in {visible(baseline)}", err=True)
                return EXIT_ERROR if any(i.report.error for i in items) else EXIT_CLEAN
        reports = [i.report for i in items]
        if emit("check", fmt, reports, params).human:
            from .report import human

            if len(reports) > 1:
                click.echo(human.summary(reports), err=True, nl=False)
            click.echo(human.suggestion_hint(sum(r.suggestions_left for r in reports)), err=True, nl=False)
        if any(r.error for r in reports):
            return EXIT_ERROR
        return EXIT_FINDINGS if any(_fails(i) for i in items if i.report.result) else EXIT_CLEAN

    _run_guarded(body)


def _apply_baseline(items: list[Item], path: str, update: bool) -> int | None:
    """Drop findings the baseline knows; returns the count recorded when it (re)records instead."""
    from . import baseline as bl

    root = bl.root_of(path)
    current = [(i, bl.entries([(i.name, i.report.result.original, i.report.findings)], root))
               for i in items if i.report.result is not None]
    if update or not os.path.exists(path):
        everything = [e for _, entries in current for e in entries]
        from .decode import InputError

        try:
            bl.save(path, everything)
        except (InputError, OSError) as exc:  # atomic_write's one-line error
            raise Abort(str(exc)) from None
        return len(everything)
    try:
        recorded = bl.load(path)
    except bl.BaselineError as exc:
        raise Abort(str(exc)) from None
    flat = [e for _, entries in current for e in entries]
    mask = bl.new_mask(flat, recorded)
    pos = 0
    for item, entries in current:
        keep = mask[pos:pos + len(entries)]
        pos += len(entries)
        findings = tuple(f for f, new in zip(item.report.findings, keep) if new)
        result = dataclasses.replace(item.report.result, findings=findings)
        item.report = dataclasses.replace(item.report, result=result)
    return None


@main.command(short_help="Print a diff of the repairs (exit 1 if any); --write applies them.")
@common_options
@colour_option
@click.option("--write", is_flag=True, help="Apply the fixes in place (atomically).")
@click.option("--interactive", "-i", is_flag=True, help="Review each edit (y/n/a/d/e/q/?) and write what you accept.")
@click.option("--word-diff", is_flag=True, help="Show changes inline, word by word.")
@click.option("--utf8", is_flag=True, help="With --write, save as UTF-8 whatever the file was read as.")
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
        inputs = Inputs(paths, params)
        bar = write and _show_progress(len(inputs.paths))
        reports = []
        for item in _progress(iter(inputs), len(inputs.paths), "fixing") if write else inputs:
            doc, report = item.doc, item.report
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


def _translation_formats() -> set[str]:
    from .formats import FORMATS
    from .formats.translation import BilingualFormat

    return {name for name, fmt in FORMATS.items() if isinstance(fmt, BilingualFormat)}


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
    inputs = Inputs(paths, params)
    errors = 0

    def documents():
        nonlocal errors
        from .files import read_document

        for path in inputs.paths:
            item = inputs.item(path)
            if item.options.input_format in _translation_formats():  # not yet: fix --write splices them
                _error(f"{path}: --interactive does not review translation files yet; use fix (--write)")
                errors += 1
                continue
            try:
                doc = read_document(path)
            except InputError as exc:
                _error(str(exc))
                errors += 1
                continue
            wanted = None
            if inputs.diff_only:
                from .gitdiff import GitError, added_lines, touches
                from .report import LineIndex

                try:
                    added = added_lines(path, params["diff_base"])
                except GitError as exc:
                    raise Abort(str(exc)) from None
                index = LineIndex(doc.text)
                wanted = lambda span, index=index, added=added: touches(span, index, added)  # noqa: E731
            yield doc, item.options, wanted

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
        stats = review_files(documents(), reviewer, lambda text, opts: analyse(text, opts), write)
    click.echo(f"{stats.files} file{'s' * (stats.files != 1)} reviewed; {stats.accepted} edit"
               f"{'s' * (stats.accepted != 1)} accepted, {stats.rejected} rejected; "
               f"{stats.written} file{'s' * (stats.written != 1)} written", err=True)
    if stats.interrupted:
        _error("interrupted; the edits accepted so far were written")
        return 130
    return EXIT_ERROR if errors else EXIT_CLEAN


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


OPTIONAL_COMMANDS = {"cli_score": ("score", "report"), "cli_batch": ("batch",)}


def _register_optional_commands() -> None:
    """Commands other modules provide (`score`, `report`, `batch`), when they are there."""
    for module, names in OPTIONAL_COMMANDS.items():
        if importlib.util.find_spec(f"{__package__}.{module}") is None:
            continue
        loaded = importlib.import_module(f"{__package__}.{module}")
        for name in names:
            command = getattr(loaded, name, None)
            if isinstance(command, click.Command):
                main.add_command(command, name)


_register_optional_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
