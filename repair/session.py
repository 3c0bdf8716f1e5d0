"""The session layer between the commands and the library.

A command maps its flags to a :class:`Request`; a :class:`Session` then does what every
input-reading command shares: configuration (the nearest configuration file, per-file
settings, flags over both), input-format detection (through :func:`repair.config.options_for`),
reading (:mod:`repair.decode`), analysis (the pipeline, chunk by chunk above a size threshold,
on ``jobs`` processes), the ``--diff-only`` restriction and the metrics (garble score and
readability). Nothing here knows about click: messages go to the callbacks the command gives.
"""
from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from .model import SEVERITY_RANK, Document
from .options import Options
from .report import FileReport
from .terminal import visible


class SessionError(Exception):
    """An error that ends the run with exit code 2 (message already clean)."""


@dataclass(frozen=True)
class Request:
    """What a command asks of a session: its inputs and the flags that shape reading and analysis."""

    paths: tuple[str, ...]
    overrides: Mapping[str, Any] = field(default_factory=dict)  # Options fields given by flags (None: not given)
    rules_dirs: tuple[str, ...] = ()
    config_path: str | None = None
    isolated: bool = False
    stdin_filename: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    diff_only: bool = False
    diff_base: str | None = None
    fail_on: str | None = None
    jobs: int = 1
    source: str | None = None  # --source: the document the one input translates (repair/bilingual/paired.py)

    @property
    def restricted(self) -> bool:
        """Only findings on added lines (``--diff-only``, implied by ``--diff-base``)."""
        return bool(self.diff_only or self.diff_base)


@dataclass
class Item:
    """One input as the commands see it."""

    path: str                     # as read ("-" for stdin)
    name: str                     # as reported (the --stdin-filename for stdin)
    options: Options
    fail_on: str
    doc: Document | None = None
    report: FileReport | None = None


def _stderr(message: str) -> None:
    sys.stderr.write(f"ungarble: {message}\n")


class Session:
    """Expands arguments, resolves configuration per file, reads, analyses and filters.

    ``error(message)`` gets one-line errors of single inputs (the run goes on), ``note(message)``
    notes (a skipped file) and ``unknown_suppression(name, line, rule)`` an inline directive that
    names no rule; the command escapes and prints them."""

    def __init__(self, request: Request, *, error: Callable[[str], None] = _stderr,
                 note: Callable[[str], None] = _stderr,
                 unknown_suppression: Callable[[str, int, str], None] | None = None) -> None:
        from .checks import begin_run
        from .config import clear_cache

        clear_cache()
        begin_run()  # one total deadline for the grammar server's requests of this command
        self.request = request
        self.cli = dict(request.overrides)
        self.fail_on_flag: str | None = request.fail_on
        self.diff_only = request.restricted
        self.error = error
        self.note = note
        self.unknown_suppression = unknown_suppression or (
            lambda name, line, rule: sys.stderr.write(f"ungarble: note: {visible(name)}:{line}: the suppression "
                                                      f"names no rule {visible(rule)!r}\n"))
        self.read_errors = 0  # inputs reviewable() could not read
        self.paths = self._expand(request.paths)
        self._preflight()
        self.source = self._read_source()  # (path, text) of --source

    def _preflight(self) -> None:
        """Rule packs and selectors (flags and each input's configuration), once, before any input."""
        from .validate import preflight

        items = [self.item(path) for path in self.paths]
        try:
            preflight(self.cli, [(self.settings(i.name), i.options) for i in items], self.request.rules_dirs)
        except ValueError as exc:  # RuleFileError, SelectorError
            raise SessionError(str(exc)) from None

    def _read_source(self) -> tuple[str, str] | None:
        from .bilingual.paired import explicit_source

        try:
            return explicit_source(self.request.source, self.paths, self.item)
        except ValueError as exc:
            raise SessionError(str(exc)) from None

    def settings(self, name: str) -> Any:
        from .config import ConfigError, settings_for

        try:
            return settings_for(name, self.request.config_path, self.request.isolated)
        except ConfigError as exc:
            raise SessionError(str(exc)) from None

    def _expand(self, args: tuple[str, ...]) -> list[str]:
        from .files import iter_input_paths
        from .formats import default_include

        seen: set[str] = set()
        out: list[str] = []
        for arg in args:
            patterns = self.request.include or None
            exclude = self.request.exclude
            if arg != "-" and os.path.isdir(arg):
                settings = self.settings(arg)
                patterns = patterns or settings.include
                exclude += settings.exclude or ()
            for path in iter_input_paths([arg], patterns or default_include(), exclude, note=self.note):
                key = path if path == "-" else os.path.realpath(path)
                if key not in seen:
                    seen.add(key)
                    out.append(path)
        return out

    def item(self, path: str) -> Item:
        from .config import fail_on_for, options_for

        stdin_name = self.request.stdin_filename
        name = stdin_name if path == "-" and stdin_name else path
        settings = self.settings(name)
        options = options_for(settings, name, self.cli)  # the input format too: flag, else suffix
        from .bilingual.paired import document_options

        options = document_options(options)  # a document in another language: language-independent checks
        return Item(path, name, options, fail_on_for(settings, self.fail_on_flag))

    def __iter__(self) -> Iterator[Item]:
        """Each input with its document and report; unreadable inputs get a report with an error.
        At the end, one note when targets in another language than English had fewer checks.
        With ``consistency = "run"`` (translation files) the items come once all are analysed."""
        from .bilingual.paired import LanguageTally

        tally = LanguageTally()
        for item in self._items():
            tally.add(item)
            yield item
        message = tally.message()
        if message:
            self.note(message)

    def _items(self) -> Iterator[Item]:
        if any(self.item(path).options.consistency == "run" for path in self.paths):
            from .bilingual.consistency import across_run, only_added

            yield from across_run(list(self._analysed()), only_added(self.request.diff_base) if self.diff_only else None)
            return
        yield from self._analysed()

    def _analysed(self) -> Iterator[Item]:
        jobs = self.request.jobs or 1
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
                self.error(message)
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
            result = self._with_source(item, analysis())
            if self.diff_only:
                result = self._only_added(item, result)
        except (BackendUnavailable, KeyboardInterrupt, SessionError):
            raise
        except InputError as exc:  # a translation file that cannot be parsed (repair.bilingual.run)
            message = f"{item.name}: {exc}"
            self.error(message)
            item.report = FileReport(item.name, doc.encoding, error=message)
            return item
        except Exception as exc:  # a bug of ours must not stop the other files
            message = f"{item.name}: internal error {type(exc).__name__}: {exc} (please report this)"
            self.error(message)
            item.report = FileReport(item.name, doc.encoding, error=message)
            return item
        item.report = FileReport(item.name, doc.encoding, result=result)
        self._note_unknown_suppressions(item, doc.text)
        return item

    def _with_source(self, item: Item, result: Any) -> Any:
        """The source findings of a document that has a source (``--source`` or ``source-files``)."""
        from .bilingual.paired import with_source
        from .files import read_document

        assert item.doc is not None
        return with_source(result, text=item.doc.text, name=item.name, options=item.options,
                           settings=self.settings(item.name), explicit=self.source, note=self.note,
                           read=read_document)

    def _parallel(self, jobs: int) -> Iterator[Item]:
        """As ``__iter__``, the analyses on ``jobs`` processes (repair.parallel), in the same order."""
        from .decode import InputError
        from .files import read_document
        from .parallel import analyse_in_order

        def tasks() -> Iterator[tuple[Item, str | None, Options | None]]:
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
                assert item.report.error is not None
                self.error(item.report.error)
                yield item
                continue
            yield self._finish(item, future.result)

    def _only_added(self, item: Item, result: Any) -> Any:
        from .gitdiff import GitError, added_lines, touches
        from .report import LineIndex

        if item.path == "-":
            return result  # text from a pipe is all new
        try:
            added = added_lines(item.path, self.request.diff_base)
        except GitError as exc:
            raise SessionError(str(exc)) from None
        if added is None:
            return result
        index = LineIndex(result.original)
        # the findings and edits on added lines, the plan replayed pass by pass: an edit made on
        # top of one that is left out is left for the next run rather than guessed at
        return result.restricted(lambda span: touches(span, index, added))

    def _note_unknown_suppressions(self, item: Item, text: str) -> None:
        """Inline directives may name retired ids: a note on stderr, the exit code unchanged."""
        from .report import LineIndex
        from .validate import unknown_in_text

        found = unknown_in_text(text, item.options.input_format, item.options.rules_dirs)
        if found:
            index = LineIndex(text)
            for offset, rule in found:
                line, _ = index.position(offset)
                self.unknown_suppression(item.name, line, rule)

    def reviewable(self) -> Iterator[tuple[Document, Options, Callable[[Any], bool] | None]]:
        """For interactive review: each readable input's document, options and, with diff-only,
        which spans may be proposed (those touching added lines); unreadable ones go to
        ``error`` and count in ``self.read_errors``."""
        from .decode import InputError
        from .files import read_document

        from . import formats
        from .formats.translation import BilingualFormat

        for path in self.paths:
            item = self.item(path)
            if isinstance(formats.get(item.options.input_format), BilingualFormat):  # fix --write splices them
                self.error(f"{path}: --interactive does not review translation files yet; use fix (--write)")
                self.read_errors += 1
                continue
            try:
                doc = read_document(path)
            except InputError as exc:
                self.error(str(exc))
                self.read_errors += 1
                continue
            wanted = None
            if self.diff_only:
                from .gitdiff import GitError, added_lines, touches
                from .report import LineIndex

                try:
                    added = added_lines(path, self.request.diff_base)
                except GitError as exc:
                    raise SessionError(str(exc)) from None
                index = LineIndex(doc.text)
                wanted = lambda span, index=index, added=added: touches(span, index, added)  # noqa: E731
            yield doc, item.options, wanted


def with_metrics(items: Iterable[Item], per_sentence: bool = False,
                 error: Callable[[str], None] = _stderr) -> Iterator[Item]:
    """Add the garble score and readability figures (repair.report.metrics) under each report's metrics."""
    from .report.metrics import metrics_for

    for item in items:
        report = item.report
        if report is not None and report.result is not None and item.doc is not None:
            try:
                metrics = metrics_for(item.doc.text, report.result, per_sentence=per_sentence)
                item.report = dataclasses.replace(report, metrics=metrics)
            except Exception as exc:  # a bug of ours must not stop the other files
                message = f"{item.name}: internal error while scoring {type(exc).__name__}: {exc} (please report this)"
                error(message)
                item.report = dataclasses.replace(report, error=message)
        yield item


def reports(items: Iterable[Item]) -> list[FileReport]:
    """The items' reports (every item of a session has one)."""
    out = []
    for item in items:
        assert item.report is not None
        out.append(item.report)
    return out


def fails(item: Item) -> bool:
    """A finding at or above the item's ``fail_on`` severity."""
    assert item.report is not None
    threshold = SEVERITY_RANK.get(item.fail_on, len(SEVERITY_RANK))  # type: ignore[call-overload]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in item.report.findings)


def apply_baseline(items: list[Item], path: str, update: bool) -> int | None:
    """Drop findings the baseline knows; returns the count recorded when it (re)records instead."""
    from . import baseline as bl

    root = bl.root_of(path)
    current = []
    for i in items:
        if i.report is not None and i.report.result is not None:
            current.append((i, bl.entries([(i.name, i.report.result.original, i.report.findings)], root)))
    if update or not os.path.exists(path):
        everything = [e for _, entries in current for e in entries]
        from .decode import InputError

        try:
            bl.save(path, everything)
        except (InputError, OSError) as exc:  # atomic_write's one-line error
            raise SessionError(str(exc)) from None
        return len(everything)
    try:
        recorded = bl.load(path)
    except bl.BaselineError as exc:
        raise SessionError(str(exc)) from None
    flat = [e for _, entries in current for e in entries]
    mask = bl.new_mask(flat, recorded)
    pos = 0
    for item, entries in current:
        assert item.report is not None and item.report.result is not None
        keep = mask[pos:pos + len(entries)]
        pos += len(entries)
        findings = tuple(f for f, new in zip(item.report.findings, keep) if new)
        result = dataclasses.replace(item.report.result, findings=findings)
        item.report = dataclasses.replace(item.report, result=result)
    return None


def batch_configuration(source: str, request: Request) -> tuple[Options, Callable[[str], Options], tuple[str, ...]]:
    """(options for the input, per-file options for a directory's files, include patterns) of ``batch``.

    Configuration files apply as for ``check``: ``--config`` or the nearest
    ``[tool.ungarble]`` to the input (to each file of a directory), flags over both.
    """
    from .config import ConfigError, options_for, settings_for

    cli = dict(request.overrides)

    def settings(path: str) -> Any:
        try:
            return settings_for(path, request.config_path, request.isolated)
        except ConfigError as exc:
            raise SessionError(str(exc)) from None

    top = settings(source)
    include = request.include or tuple(getattr(top, "include", None) or ())

    def file_options(path: str) -> Options:
        return options_for(settings(path), path, cli)

    options = options_for(top, source, cli)
    from .validate import preflight

    try:  # rule packs and selectors, once, before any record is read
        preflight(cli, [(top, options)], request.rules_dirs)
    except ValueError as exc:
        raise SessionError(str(exc)) from None
    return options, file_options, include


__all__ = ["Item", "Request", "Session", "SessionError", "apply_baseline", "batch_configuration", "fails",
           "reports", "with_metrics"]
