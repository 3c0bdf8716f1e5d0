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
from .model import SEVERITY_RANK, Document
from .options import Options
from .report import FileReport

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_MIN_FILES = 10
DEFAULT_INCLUDE = ("*.txt", "*.md")
MARKDOWN_SUFFIXES = (".md", ".markdown")


class Abort(Exception):
    """An error that ends the run with exit code 2 (message already clean)."""


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
        click.option("--grammar", type=click.Choice(["harper", "languagetool", "none"]), default=None,
                     help="Grammar checker back end.  [default: harper]"),
        click.option("--dialect", type=click.Choice(["us", "gb", "ca", "au", "in"]), default=None,
                     help="English dialect.  [default: us]"),
        click.option("--languagetool-url", metavar="URL", help="A LanguageTool server you run (text is sent there)."),
        click.option("--languagetool-dir", metavar="DIR", help="A local LanguageTool install (needs Java >= 17)."),
        click.option("--accept-words", metavar="FILE", help="A file of accepted words (names, brands), one a line."),
        click.option("--unsafe/--safe-only", default=None,
                     help="Also apply `suggest` edits (--safe-only: only safe ones, whatever the config says)."),
        click.option("--uncurl-quotes", is_flag=True, default=None,
                     help="Straighten curly quotes (off: typography is not damage)."),
        click.option("--keep-ligatures", is_flag=True, default=None, help="Leave ligatures such as 'ﬁ' alone."),
        click.option("--include", multiple=True, metavar="GLOB",
                     help="File patterns for directory arguments (default *.txt, *.md)."),
        click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
                     help="Use this configuration file for every input (default: the nearest one)."),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option("--stdin-filename", metavar="NAME",
                     help="The name of the text read from '-': for config, per-file ignores, Markdown and reports."),
        click.option("--diff-only", is_flag=True,
                     help="Only findings on lines the staged change adds (git diff --cached)."),
        click.option("--diff-base", metavar="REF",
                     help="With --diff-only (implied): lines added since REF instead of the staged ones."),
    ]
    for decorator in reversed(decorators):
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
        "accept_words": _read_words(params["accept_words"]),
        "unsafe": params["unsafe"],
        "uncurl_quotes": params["uncurl_quotes"] or None,
        "keep_ligatures": params["keep_ligatures"] or None,
    }


def build_options(params: dict) -> Options:
    """Options from flags alone (no configuration file)."""
    from .config import Settings, options_for

    return options_for(Settings(), "-", cli_overrides(params))


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _error(message: str) -> None:
    click.echo(f"ungarble: {message}", err=True)


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
        from .config import clear_cache

        clear_cache()
        self.params = params
        self.cli = cli_overrides(params)
        self.fail_on_flag: str | None = params.get("fail_on")
        self.diff_only = bool(params["diff_only"] or params["diff_base"])
        self.paths = self._expand(paths)

    def settings(self, name: str):
        from .config import ConfigError, settings_for

        try:
            return settings_for(name, self.params["config_path"], self.params["isolated"])
        except ConfigError as exc:
            raise Abort(str(exc)) from None

    def _expand(self, args: tuple[str, ...]) -> list[str]:
        from .files import iter_input_paths

        seen: set[str] = set()
        out: list[str] = []
        for arg in args:
            patterns = tuple(self.params["include"]) or None
            if patterns is None and arg != "-" and os.path.isdir(arg):
                patterns = self.settings(arg).include
            for path in iter_input_paths([arg], patterns or DEFAULT_INCLUDE):
                key = path if path == "-" else os.path.realpath(path)
                if key not in seen:
                    seen.add(key)
                    out.append(path)
        return out

    def item(self, path: str) -> Item:
        from .config import fail_on_for, options_for

        name = self.params["stdin_filename"] if path == "-" and self.params["stdin_filename"] else path
        settings = self.settings(name)
        options = options_for(settings, name, self.cli)
        if name.lower().endswith(MARKDOWN_SUFFIXES):
            options = dataclasses.replace(options, markdown=True)
        return Item(path, name, options, fail_on_for(settings, self.fail_on_flag))

    def __iter__(self) -> Iterator[Item]:
        """Each input with its document and report; unreadable inputs get a report with an error."""
        jobs = self.params.get("jobs") or 1
        if jobs > 1 and len(self.paths) > 1:
            yield from self._parallel(min(jobs, len(self.paths)))
            return
        from .api import analyse
        from .checks import BackendUnavailable
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
            try:
                result = analyse(doc.text, item.options)
                if self.diff_only:
                    result = self._only_added(item, result)
            except (BackendUnavailable, KeyboardInterrupt, Abort):
                raise
            except Exception as exc:  # a bug of ours must not stop the other files
                message = f"{item.name}: internal error {type(exc).__name__}: {exc} (please report this)"
                _error(message)
                item.report = FileReport(item.name, doc.encoding, error=message)
                yield item
                continue
            item.report = FileReport(item.name, doc.encoding, result=result)
            yield item

    def _parallel(self, jobs: int) -> Iterator[Item]:
        """As ``__iter__``, the analyses on ``jobs`` processes (repair.parallel), in the same order."""
        from .checks import BackendUnavailable
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
            doc = item.doc
            try:
                result = future.result()
                if self.diff_only:
                    result = self._only_added(item, result)
            except (BackendUnavailable, KeyboardInterrupt, Abort):
                raise
            except Exception as exc:  # a bug of ours must not stop the other files
                message = f"{item.name}: internal error {type(exc).__name__}: {exc} (please report this)"
                _error(message)
                item.report = FileReport(item.name, doc.encoding, error=message)
                yield item
                continue
            item.report = FileReport(item.name, doc.encoding, result=result)
            yield item

    def _only_added(self, item: Item, result):
        from . import edits as edit_engine
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
        findings = tuple(f for f in result.findings if touches(f.span, index, added))
        applied = [e for e in result.applied if touches(e.span, index, added)]
        # Apply only the edits on added lines; one that overlaps another (made on top of
        # an earlier pass) is left for the next run rather than guessed at.
        chosen, _ = edit_engine.resolve(applied)
        chosen = [e for e in chosen if not any(o is not e and o.span.overlaps(e.span) for o in applied)]
        fixed = edit_engine.apply(result.original, chosen)
        return dataclasses.replace(result, findings=findings, fixed=fixed, applied=tuple(chosen))


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

    try:
        code = body()
    except (BackendUnavailable, Abort) as exc:
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


def _fails(item: Item) -> bool:
    threshold = SEVERITY_RANK.get(item.fail_on, len(SEVERITY_RANK))
    return any(SEVERITY_RANK[f.severity] >= threshold for f in item.report.findings)


@main.command()
@common_options
@click.option("--format", "fmt", type=click.Choice(["human", "json", "jsonl", "github", "sarif"]), default="human",
              show_default=True)
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
                click.echo(f"ungarble: recorded {recorded} finding{'s' * (recorded != 1)} in {baseline}", err=True)
                return EXIT_ERROR if any(i.report.error for i in items) else EXIT_CLEAN
        reports = [i.report for i in items]
        click.echo(_render(fmt, reports, params), nl=False)
        if fmt == "human" and len(reports) > 1:
            from .report import human

            click.echo(human.summary(reports), err=True, nl=False)
        if any(r.error for r in reports):
            return EXIT_ERROR
        return EXIT_FINDINGS if any(_fails(i) for i in items if i.report.result) else EXIT_CLEAN

    _run_guarded(body)


def _render(fmt: str, reports: list[FileReport], params: dict) -> str:
    if fmt == "json":
        from .report import jsonout

        return jsonout.render(reports)
    if fmt == "jsonl":
        from .report import jsonl

        return jsonl.render(reports)
    if fmt == "github":
        from .report import github

        return github.render(reports)
    if fmt == "sarif":
        from .catalog import descriptions
        from .report import sarif

        return sarif.render(reports, version=__version__, rule_descriptions=descriptions(params["rules_dirs"]))
    from .report import human

    return human.render(reports, colour=_use_colour())


def _apply_baseline(items: list[Item], path: str, update: bool) -> int | None:
    """Drop findings the baseline knows; returns the count recorded when it (re)records instead."""
    from . import baseline as bl

    root = bl.root_of(path)
    current = [(i, bl.entries([(i.name, i.report.result.original, i.report.findings)], root))
               for i in items if i.report.result is not None]
    if update or not os.path.exists(path):
        everything = [e for _, entries in current for e in entries]
        try:
            bl.save(path, everything)
        except Exception as exc:
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


@main.command()
@common_options
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
        from .decode import InputError, encode
        from .files import atomic_write
        from .report import diff, human

        errors = changed = applied = 0
        colour = _use_colour()
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
                        applied += len(result.applied)
                        if not bar:
                            n = len(result.applied)
                            click.echo(f"fixed {item.name} ({n} edit{'s' * (n != 1)})", err=True)
                except (InputError, OSError) as exc:
                    _error(str(exc) if isinstance(exc, InputError) else f"{doc.path}: {exc}")
                    errors += 1
            elif word_diff:
                click.echo(diff.words(item.name, result.original, result.fixed, colour=colour), nl=False)
            else:
                click.echo(diff.unified(item.name, result.original, result.fixed), nl=False)
        if len(reports) > 1:
            click.echo(human.summary(reports, edits_applied=applied if write else None), err=True, nl=False)
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
    inputs = Inputs(paths, params)
    errors = 0

    def documents():
        nonlocal errors
        from .files import read_document

        for path in inputs.paths:
            item = inputs.item(path)
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
            atomic_write(doc.path, encode(doc, text, utf8=utf8))
            click.echo(f"wrote {doc.path}", err=True)
        except (InputError, OSError) as exc:
            _error(str(exc) if isinstance(exc, InputError) else f"{doc.path}: {exc}")
            errors += 1

    click.echo("Reviewing proposed edits: y accept, n reject, a/d accept/reject the rest of a rule, "
               "e edit, q quit, ? help.")
    with KeyReader() as keys:
        reviewer = Reviewer(getchar=keys.key, prompt=keys.line, colour=_use_colour())
        stats = review_files(documents(), reviewer, lambda text, opts: analyse(text, opts), write)
    click.echo(f"{stats.files} file{'s' * (stats.files != 1)} reviewed; {stats.accepted} edit"
               f"{'s' * (stats.accepted != 1)} accepted, {stats.rejected} rejected; "
               f"{stats.written} file{'s' * (stats.written != 1)} written", err=True)
    return EXIT_ERROR if errors else EXIT_CLEAN


@main.command()
@click.option("--explain", metavar="ID", help="Show one rule in full, with its examples.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra rule pack directory (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human", show_default=True)
def rules(explain, rules_dirs, fmt) -> None:
    """List every rule id with its source, safety and description."""
    import json

    from . import catalog
    from .rulebook import RuleFileError

    try:
        known = catalog.all_rules(rules_dirs)
    except RuleFileError as exc:
        _error(str(exc))
        sys.exit(EXIT_ERROR)
    if explain:
        info = catalog.find(explain, known)
        if info is None:
            _error(f"no rule {explain!r}; `ungarble rules` lists them")
            sys.exit(EXIT_ERROR)
        if fmt == "json":
            click.echo(json.dumps(dataclasses.asdict(info), ensure_ascii=False, indent=2))
        else:
            click.echo(_explain(info), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps([{k: v for k, v in dataclasses.asdict(r).items() if k in
                                ("id", "source", "safety", "severity", "description", "where")}
                               for r in known], ensure_ascii=False, indent=2))
        return
    width = max(len(r.id) for r in known)
    for r in known:
        click.echo(f"{r.id:<{width}}  {r.source:<12}  {r.safety:<7}  {r.severity:<7}  {r.summary}")


def _explain(info) -> str:
    lines = [f"{info.id}", f"  source:   {info.source}" + (f" ({info.kind})" if info.kind else ""),
             f"  safety:   {info.safety}", f"  severity: {info.severity}"]
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
    return "\n".join(lines) + "\n"


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
