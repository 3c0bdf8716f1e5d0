"""`ungarble batch`: JSON Lines (or a directory) in, JSON Lines out, on every core, resumable.

Registered by the group in repair/cli.py with ``main.add_command(batch)``.
"""
from __future__ import annotations

import dataclasses
import sys
import threading
import time
from typing import Any, Callable, Iterator, TextIO

import click

from .cli_options import EXIT_ERROR, common_options, request
from .session import SessionError, batch_configuration

EXIT_DONE, EXIT_BAD_RECORDS = 0, 1


def _configured(source: str, params: dict) -> Any:
    """(options for the input, per-file options for a directory's files, include patterns):
    :func:`repair.session.batch_configuration` of the flags; its errors are usage errors."""
    try:
        return batch_configuration(source, request((source,), params))
    except SessionError as exc:
        raise click.UsageError(str(exc)) from None


class Progress:
    """A progress bar on stderr (click's): records done of the total, rate and ETA.

    The total is counted in a background thread, so a large input starts at once.
    """

    def __init__(self, total: Callable[[], int | None] | None = None, already: int = 0,
                 stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.done = 0
        nothing: Iterator[str] = iter(())
        self.bar = click.progressbar(nothing, label="ungarble batch", file=stream or sys.stderr,
                                     show_pos=True, show_eta=False, show_percent=False,
                                     item_show_func=lambda info: info)
        self.bar.length = None
        self.bar.render_progress()
        if total is not None:
            def count() -> None:
                try:
                    n = total()
                except OSError:
                    return
                if n is not None:
                    self.set_total(max(n - already, self.done))

            threading.Thread(target=count, name="ungarble-count", daemon=True).start()

    def set_total(self, n: int) -> None:
        self.bar.length = n
        self.bar.show_percent = True

    def info(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        text = f"{rate:,.1f} records/s"
        if self.bar.length is not None and rate > 0 and self.done < self.bar.length:
            left = int(max(self.bar.length - self.done, 0) / rate)
            hours, rest = divmod(left, 3600)
            text += f", eta {hours:d}:{rest // 60:02d}:{rest % 60:02d}"
        return text

    def update(self, records: int) -> None:
        self.done += records
        self.bar.update(records, self.info())

    def close(self) -> None:
        if self.bar.length is not None and self.bar.pos < self.bar.length:
            self.bar.length = self.bar.pos  # blank lines were counted as records
        self.bar.render_finish()


def _echo(message: str) -> None:
    click.echo(f"ungarble batch: {message}", err=True)


@click.command("batch", short_help="Repair many documents (JSON Lines or a directory), resumably.")
@common_options(unsafe_help="Also apply `suggest` edits to each record's repaired text (--safe-only: only safe "
                            "ones, whatever the config says).", diff=False, single_input=True)
@click.option("-o", "--output", required=True, metavar="OUTPUT.jsonl",
              help="Where the results go (appended to; '-' for stdout, which cannot resume).")
@click.option("--text-field", default="text", show_default=True, metavar="NAME",
              help="The JSON field holding each record's text (other fields are carried through).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default="0 = all cores",
              help="Worker processes.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Records per unit of work (and per write to the output).")
@click.option("--overwrite", is_flag=True, help="Start afresh instead of resuming into an existing output.")
@click.option("--drop-text", is_flag=True, help="Do not copy the input text into the output (keep only 'fixed').")
@click.option("--no-score", is_flag=True, help="Skip the garble score (faster).")
@click.option("--markdown", is_flag=True,
              help="Treat JSON Lines texts as Markdown (files: by extension); older spelling of --input-format "
                   "markdown, which applies to files too.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (records, rate, ETA) [default: only when stderr is a terminal].")
@click.option("--result-key", default="ungarble", show_default=True, metavar="NAME",
              help="The key each output record gets for its results (input records must not have it).")
@click.option("--max-record-bytes", type=click.IntRange(min=0), default=10_000_000, show_default=True,
              metavar="BYTES", help="A larger record (line, or file) becomes an error line; 0: no limit.")
@click.option("--record-timeout", type=click.FloatRange(min=0), default=120.0, show_default=True,
              metavar="SECONDS", help="A record taking longer becomes an error line; 0: no limit.")
def batch(paths, output, text_field, jobs, chunk_size, overwrite, drop_text, no_score, markdown, progress,
          result_key, max_record_bytes, record_timeout, **params) -> None:
    """Repair many documents: INPUT is a JSON Lines file (one object a line, '-' for stdin)
    or a directory of text files; each record becomes one JSON line in OUTPUT with its
    findings, garble score and repaired text under the key "ungarble".

    A bad record (not JSON, without the text field, too large, too slow) becomes an
    error line and the run goes on. Interrupted (Ctrl-C)? Every finished record is kept:
    run the same command again to finish; it also retries the records that failed, and
    their new results replace their error lines. Exit status: 0 done, 1 done but some
    records were bad, 2 the run could not complete, 130 interrupted.
    """
    from .batch import BatchConfig, BatchError, Interrupted, default_jobs, is_jsonl, run_batch
    from .terminal import visible
    from .checks import BackendUnavailable
    from .checks.registry import NO_GRAMMAR, make_ready

    if len(paths) != 1:
        raise click.UsageError("batch takes exactly one INPUT (a JSON Lines file, '-' or a directory)")
    for flag in ("diff_only", "diff_base", "stdin_filename"):
        if params.get(flag):
            raise click.UsageError(f"batch does not take --{flag.replace('_', '-')}")
    source = paths[0]
    options, file_options, include = _configured(source, params)
    if markdown and not params.get("input_format"):
        options = dataclasses.replace(options, input_format="markdown")
    if is_jsonl(source):
        file_options = None
    if not result_key or result_key in (text_field, "path"):
        raise click.UsageError(f"--result-key must name a new field, not '{visible(result_key)}'")
    config = BatchConfig(options=options, text_field=text_field, keep_text=not drop_text, with_score=not no_score,
                         result_key=result_key, max_record_bytes=max_record_bytes or None,
                         record_timeout=record_timeout or None)
    jobs = jobs or default_jobs()
    show = sys.stderr.isatty() if progress is None else progress

    def resumed(done) -> None:
        retry = f"; retrying the {done.errors:,} that failed" if done.errors else ""
        _echo(f"resuming: {done.count:,} records already in {visible(output)}{retry}")

    try:
        # A missing back end fails here, once, not in every worker: its cheap check, else building it.
        if not make_ready(options) and options.grammar != NO_GRAMMAR:
            from .api import checks_for

            checks_for(options)
        stats = run_batch(source, output, config, jobs=jobs, chunk_size=chunk_size,
                          include=include, overwrite=overwrite, progress=Progress if show else None,
                          on_resume=resumed, file_options=file_options)
    except BatchError as exc:
        _echo(str(exc))
        sys.exit(EXIT_ERROR)
    except BackendUnavailable as exc:
        _echo(str(exc))
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt as exc:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while exiting: no traceback
        if isinstance(exc, Interrupted) and output != "-":
            _echo(f"interrupted: {exc.kept:,} records kept in {visible(output)}; run the same command to finish")
        elif isinstance(exc, Interrupted):
            _echo(f"interrupted: {exc.stats.written:,} records written to stdout")
        else:
            _echo("interrupted; the records written so far are complete: run the same command again to finish")
        sys.exit(130)
    rate = stats.written / stats.seconds if stats.seconds else 0.0
    where = "stdout" if output == "-" else visible(output)
    _echo(f"{stats.written:,} records written to {where} ({stats.errors:,} bad, {stats.changed:,} changed) "
          f"in {stats.seconds:.1f} s ({rate:,.0f} records/s, {jobs} jobs)"
          + (f"; {stats.resumed:,} were already done" if stats.resumed else "")
          + (f"; {stats.retried:,} that had failed were retried" if stats.retried else ""))
    bad = stats.errors + stats.resumed_errors
    sys.exit(EXIT_BAD_RECORDS if bad else EXIT_DONE)


if __name__ == "__main__":  # pragma: no cover
    batch()
