"""Batch workers and the run: items processed inline or on a process pool, in input order, with
progress, Ctrl-C and the run's statistics (see :mod:`repair.batch`)."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from typing import IO, Any, Callable, Sequence

from ..options import Options
from .records import (BatchConfig, BatchError, BatchStats, Interrupted, Item, RecordTimeout, _error_text, dumps,
                      line_crc, process_file, process_line, time_limit, timeout_message, too_large)
from .resume import (Done, Output, _Guard, chunks, count_lines, file_items, is_jsonl, line_items, preflight,
                     read_lines, remove_stale_temporaries, scan_output)


_WORKER_CONFIG: BatchConfig | None = None


def process_item(item: Item, config: BatchConfig) -> tuple[bytes, bool, bool]:
    """One item -> (its output line, is an error, changed). Never raises but for Ctrl-C.

    Whatever goes wrong while handling this one record (RecursionError, a time-out,
    a bug) becomes this record's error line.
    """
    kind, key = item[0], item[1]
    if kind == "file":
        meta: dict[str, Any] = {"path": key}
        prefix = ""
    else:
        crc = item[2][1] if kind == "big" else line_crc(item[2])
        meta = {"line": key, "crc32": crc}
        prefix = f"line {key}: "
    try:
        if kind == "big":
            out = {config.result_key: {**meta, "error": prefix + (too_large(item[2][0], config.max_record_bytes)
                                                                    or "record too large")}}
        else:
            with time_limit(config.record_timeout):
                out = process_line(item[2], key, config) if kind == "line" else process_file(key, config, item[2])
                data = dumps(out)
            info = out[config.result_key]
            return data, "error" in info, bool(info.get("changed"))
    except RecordTimeout:
        out = {config.result_key: {**meta, "error": prefix + timeout_message(config.record_timeout)}}
    except Exception as exc:  # RecursionError, MemoryError, a bug: this record's error, not the run's
        out = {config.result_key: {**meta, "error": prefix + _error_text(exc)}}
    if kind == "file":
        out = {"path": key, **out}
    return dumps(out), True, False


def process_chunk(items: Sequence[Item], config: BatchConfig | None = None,
                  sink: list[bytes] | None = None) -> tuple[list[bytes], int, int]:
    """A chunk of work items -> (their output lines, error count, changed count).

    ``sink`` (when given) receives each line as soon as it is done, so that an
    in-process run interrupted mid-chunk still has the finished ones.
    """
    config = config or _WORKER_CONFIG or BatchConfig()
    lines: list[bytes] = [] if sink is None else sink
    errors = changed = 0
    for item in items:
        data, error, change = process_item(item, config)
        lines.append(data)
        errors += error
        changed += change
    return lines, errors, changed


def warm_up(options: Options) -> None:
    """Build the checks (and Harper's dictionary) now, once for this process."""
    from ..api import analyse

    analyse("Warm up the checks.", options)


def _init_worker(config: BatchConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    _exit_with_parent()
    warm_up(config.options)


def _exit_with_parent(interval: float = 1.0) -> None:
    """A worker whose parent was killed (SIGKILL, OOM) would wait for work forever: exit instead."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="ungarble-parent-watch", daemon=True).start()


# ---------------------------------------------------------------- workers

class _Finished:
    """A future that is already done (in-process work, or nothing to do)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> Any:
        return self.value

    def cancel(self) -> bool:
        return False


class InlineRunner:
    """``-j 1``: the work runs in this process, with the same per-record limits."""

    def __init__(self, config: BatchConfig) -> None:
        self.config = config
        self.partial: tuple[list[Item], list[bytes]] | None = None
        warm_up(config.options)

    def submit(self, chunk: list[Item]) -> _Finished:
        sink: list[bytes] = []
        self.partial = (chunk, sink)
        result = process_chunk([it for it in chunk if it[0] != "keep"], self.config, sink)
        self.partial = None
        return _Finished(result)

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class PoolRunner:
    """``-j N``: N spawned worker processes (they start clean on every platform)."""

    def __init__(self, config: BatchConfig, jobs: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.partial = None
        ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(config,))

    def submit(self, chunk: list[Item]) -> Any:
        work = [it for it in chunk if it[0] != "keep"]
        if not work:
            return _Finished(([], 0, 0))
        return self.pool.submit(process_chunk, work)

    def stop(self) -> None:
        """Ctrl-C: cancel what has not started and end the workers now (they may be mid-record)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            try:
                process.terminate()
            except (OSError, ValueError, AttributeError):
                pass
        deadline = time.monotonic() + 3
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- the run

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def run_batch(input_path: str, output_path: str, config: BatchConfig, *, jobs: int = 1,
              chunk_size: int = 64, include: Sequence[str] = (), overwrite: bool = False,
              progress: Callable[..., Any] | None = None, on_resume: Callable[[Done], None] | None = None,
              file_options: Callable[[str], Options] | None = None, window: int | None = None) -> BatchStats:
    """Process ``input_path`` into ``output_path`` (``-`` for stdout, which cannot resume).

    ``file_options(path)`` gives each file of a directory input its own options
    (configuration files, per-file ignores); otherwise ``config.options`` apply.
    ``progress(total, already=n)`` makes a progress display (``update(records)``, ``close()``;
    the command's bar is ``repair.cli_batch.Progress``); ``total`` counts the input, or is None.
    Raises :class:`BatchError` (nothing lost: the output holds whole records) and, on
    Ctrl-C, :class:`Interrupted` after writing every finished record.
    """
    from ..terminal import visible

    started = time.monotonic()
    jsonl = is_jsonl(input_path)
    if input_path != "-" and not os.path.exists(input_path):
        raise BatchError(f"{visible(input_path)}: no such file or directory")
    if output_path != "-":
        if os.path.isdir(output_path):
            raise BatchError(f"{visible(output_path)}: is a directory; name an output file")
        parent = os.path.dirname(os.path.abspath(output_path))
        if not os.path.isdir(parent):
            raise BatchError(f"{visible(output_path)}: no such directory: {visible(parent)}")
        if input_path != "-" and os.path.exists(output_path) and os.path.samefile(input_path, output_path):
            raise BatchError("the output must not be the input")
    guard = _Guard()
    source: IO[bytes] | None = None
    bar: Any = None
    runner: Any = None
    out: Output | None = None
    stats = BatchStats()
    try:
        guard.install()
        if jsonl:
            try:
                source = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")
            except OSError as exc:
                raise BatchError(f"{visible(input_path)}: {exc.strerror or exc}") from None
            lines = preflight(read_lines(source, config.max_record_bytes), config)
        if overwrite and output_path != "-" and os.path.isfile(output_path):
            try:
                with open(output_path, "wb"):
                    pass
            except OSError as exc:
                raise BatchError(f"{visible(output_path)}: {exc.strerror or exc}") from None
        done = scan_output(output_path, config.result_key)
        if done.count and jsonl and done.has_paths:
            raise BatchError(f"{visible(output_path)} holds results for a directory, not JSON Lines; "
                             "use --overwrite")
        if done.count and not jsonl and done.last_line:
            raise BatchError(f"{visible(output_path)} holds results for JSON Lines, not a directory; "
                             "use --overwrite")
        if done.count and on_resume:
            on_resume(done)
        stats.resumed = done.count - done.errors
        if progress:
            if input_path == "-":
                total = None
            elif jsonl:
                total = lambda: count_lines(input_path)  # noqa: E731
            else:
                from ..files import iter_input_paths

                total = lambda: sum(1 for _ in iter_input_paths([input_path], include or ("*.txt", "*.md")))  # noqa: E731
            bar = progress(total, already=stats.resumed)
        items = line_items(lines, done) if jsonl else file_items(input_path, done, include, file_options)
        if output_path != "-":
            remove_stale_temporaries(output_path)
        out = Output(output_path, done, guard)
        runner = InlineRunner(config) if jobs <= 1 else PoolRunner(config, jobs)
        window = window or 2 * max(jobs, 1)
        pending: deque = deque()

        def write_head() -> None:
            chunk, fut = pending[0]
            try:
                lines_out, errors, changed = fut.result()
            except Exception as exc:  # BrokenProcessPool: a worker died (killed, out of memory)
                raise BatchError(f"a worker process died ({type(exc).__name__}: {exc}); the records written "
                                 "so far are complete and a rerun resumes after them") from None
            n = out.write(chunk, lines_out)
            pending.popleft()
            stats.written += n
            stats.errors += errors
            stats.changed += changed
            stats.retried += sum(1 for it in chunk if it[0] != "keep" and it[3] is not None)
            if bar:
                bar.update(n)

        try:
            for chunk in chunks(items, chunk_size):
                pending.append((chunk, runner.submit(chunk)))
                while pending and (len(pending) >= window or pending[0][1].done()):
                    write_head()
            while pending:
                write_head()
        except (KeyboardInterrupt, BatchError) as exc:
            guard.ignore()
            runner.stop()
            if out.closed:
                raise
            # every finished record, in order; then whatever the old output held after them
            while pending and pending[0][1].done():
                try:
                    write_head()
                except BatchError:
                    break
            if not pending and runner.partial is not None:
                stats.written += out.write(*runner.partial)
            out.finish()
            if isinstance(exc, KeyboardInterrupt):
                stats.seconds = time.monotonic() - started
                raise Interrupted(out.lines, output_path, stats) from None
            raise
        out.finish()
    finally:
        try:
            if runner is not None:
                runner.close()
            if out is not None and not out.closed:  # an unexpected error: keep the old output as it was
                if out.rewrite:
                    out._discard()
                else:
                    out.finish()
            if source is not None and source is not sys.stdin.buffer:
                source.close()
            if bar:
                bar.close()
        finally:
            guard.restore()
        stats.seconds = time.monotonic() - started
    return stats
