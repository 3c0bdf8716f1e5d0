"""Batch mode: many documents in, one JSON line per document out, on every core, resumable.

Input is JSON Lines (one object a line; the text in a named field, default ``text``;
every other field, such as an id, is carried through) or a directory of text files.
Each output line is the input record with one more key, ``ungarble``::

    {"id": "a1", "text": "...", "ungarble": {"line": 1, "crc32": 2774328, "score": 12.5,
     "changed": true, "fixed": "...", "findings": [{...same shape as check --format json...}]}}

A bad record (a line that is not JSON, not an object, or without the text field)
gets ``{"ungarble": {"line": N, "error": "..."}}`` (with the record's other fields
when it has them) and the run carries on. Directory inputs give
``{"path": ..., "text": ..., "ungarble": {"path": ..., "encoding": ..., ...}}``.

Streaming and bounded: records are read lazily, grouped in chunks, and at most a
few chunks per worker are in flight; nothing holds the whole corpus. The grammar
back end is built once per worker process (``repair.api.checks_for`` caches it).

Output is written in input order, append-only, one ``write`` and ``flush`` per
chunk. Running the same command again resumes: it drops a torn last line (a kill
mid-write), reads which records the output already holds (``line`` for JSON Lines,
checked against the input line's CRC-32 so a different input is refused; ``path``
for directories) and processes only the others.
"""
from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .options import Options

KEY = "ungarble"  # the one key batch adds to each record


class BatchError(Exception):
    """A run cannot start or go on (a message for the user, one line)."""


@dataclass(frozen=True)
class BatchConfig:
    """Everything a worker needs to turn a record into an output line (picklable)."""

    options: Options = field(default_factory=Options)
    text_field: str = "text"
    keep_text: bool = True          # carry the input text through (``fixed`` is always there)
    with_fixed: bool = True
    with_score: bool = True         # the garble score costs about as much as the rules


# ---------------------------------------------------------------- garble score hook

_SCORE_FN: Any = None  # resolved once per process; False when there is no scorer


def score_hook() -> Callable[[Any, Options], float | None] | None:
    """The garble scorer, ``fn(result, options) -> float`` (0 clean .. 100 unreadable), if any.

    This is the single place batch (and :mod:`repair.distributed`) asks for a score:
    :mod:`repair.score` scores the text as read from its findings; without that
    module every record gets ``"score": null``.
    """
    global _SCORE_FN
    if _SCORE_FN is None:
        _SCORE_FN = _find_scorer() or False
    return _SCORE_FN or None


def _find_scorer() -> Callable[[Any, Options], float | None] | None:
    try:
        from . import score as module
    except ImportError:
        return None
    score_text = getattr(module, "score_text", None)
    findings_for_score = getattr(module, "findings_for_score", None)
    if not (callable(score_text) and callable(findings_for_score)):
        return None

    def document_score(result: Any, options: Options) -> float:
        text = result.original
        return score_text(text, findings_for_score(text, result)).document

    return document_score


def garble_score(result: Any, options: Options) -> float | None:
    fn = score_hook()
    if fn is None:
        return None
    return round(float(fn(result, options)), 1)


# ---------------------------------------------------------------- one record

def analysis(text: str, options: Options, *, with_fixed: bool = True, with_score: bool = True) -> dict[str, Any]:
    """The ``ungarble`` object for one text: score, changed, fixed, findings."""
    from .api import analyse
    from .report import LineIndex
    from .report.jsonout import finding_dict

    result = analyse(text, options)
    index = LineIndex(result.original)
    out: dict[str, Any] = {}
    if with_score:
        try:
            out["score"] = garble_score(result, options)
        except Exception as exc:  # no score is better than no findings
            out["score"] = None
            out["score_error"] = f"{type(exc).__name__}: {exc}"
    out["changed"] = result.changed
    if with_fixed:
        out["fixed"] = result.fixed
    out["findings"] = [finding_dict(f, index) for f in result.findings]
    return out


def process_record(record: Any, config: BatchConfig, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """One parsed record -> its output record. Never raises for bad data: it reports it.

    ``meta`` (e.g. ``{"line": 7}``) leads the ``ungarble`` object. This is the
    picklable unit of work the process pool, Dask, Spark or Ray run.
    """
    info: dict[str, Any] = dict(meta or {})
    if not isinstance(record, dict):
        info["error"] = f"not a JSON object but {_json_type(record)}"
        return {KEY: info}
    out = dict(record)
    text = record.get(config.text_field)
    if text is None:
        info["error"] = f"no field {config.text_field!r}" if config.text_field not in record \
            else f"field {config.text_field!r} is null"
    elif not isinstance(text, str):
        info["error"] = f"field {config.text_field!r} is {_json_type(text)}, not a string"
    else:
        if not config.keep_text:
            out.pop(config.text_field, None)
        try:
            info.update(analysis(text, config.options, with_fixed=config.with_fixed,
                                 with_score=config.with_score))
        except Exception as exc:  # a bug of ours must not stop the run
            info["error"] = f"internal error {type(exc).__name__}: {exc} (please report this)"
    out.pop(KEY, None)
    out[KEY] = info
    return out


def _json_type(value: Any) -> str:
    for kind, name in ((bool, "a boolean"), (str, "a string"), (int, "a number"), (float, "a number"),
                       (list, "an array"), (dict, "an object")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


def process_line(raw: bytes, line: int, config: BatchConfig) -> dict[str, Any]:
    """One raw JSON Lines line (bytes, any line ending) -> its output record."""
    meta = {"line": line, "crc32": line_crc(raw)}
    try:
        record = json.loads(raw)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        return {KEY: {**meta, "error": f"line {line}: not valid JSON: {exc}"}}
    out = process_record(record, config, meta)
    if "error" in out[KEY]:
        out[KEY]["error"] = f"line {line}: {out[KEY]['error']}"
    return out


def process_file(path: str, config: BatchConfig, options: Options | None = None) -> dict[str, Any]:
    """One file of a directory input -> its output record (Markdown by extension).

    ``options`` (default ``config.options``) are this file's, e.g. after per-file ignores.
    """
    from .decode import InputError
    from .files import read_document

    try:
        doc = read_document(path)
    except InputError as exc:
        return {"path": path, KEY: {"path": path, "error": str(exc)}}
    options = options or config.options
    if path.lower().endswith((".md", ".markdown")) and not options.markdown:
        options = dataclasses.replace(options, markdown=True)
    record = {"path": path, config.text_field: doc.text}
    return process_record(record, dataclasses.replace(config, options=options),
                          {"path": path, "encoding": doc.encoding})


def line_crc(raw: bytes) -> int:
    return zlib.crc32(raw.rstrip(b"\r\n"))


def dumps(record: dict[str, Any]) -> bytes:
    """One output line as UTF-8 bytes; lone surrogates from the input are written escaped."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(record, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


# ---------------------------------------------------------------- workers

Item = tuple  # ("line", n, raw bytes) or ("file", path, Options | None)

_WORKER_CONFIG: BatchConfig | None = None


def warm_up(options: Options) -> None:
    """Build the checks (and Harper's dictionary) now, once for this process."""
    from .api import analyse

    analyse("Warm up the checks.", options)


def _init_worker(config: BatchConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    _exit_with_parent()
    warm_up(config.options)


def _exit_with_parent(interval: float = 1.0) -> None:
    """A worker whose parent was killed (SIGKILL, OOM) would wait for work forever: exit instead."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="ungarble-parent-watch", daemon=True).start()


def process_chunk(items: Sequence[Item], config: BatchConfig | None = None) -> tuple[bytes, int, int]:
    """A chunk of items -> (their output lines concatenated, error count, changed count)."""
    config = config or _WORKER_CONFIG or BatchConfig()
    parts: list[bytes] = []
    errors = changed = 0
    for item in items:
        if item[0] == "line":
            out = process_line(item[2], item[1], config)
        else:
            out = process_file(item[1], config, item[2])
        info = out[KEY]
        errors += "error" in info
        changed += bool(info.get("changed"))
        parts.append(dumps(out))
    return b"".join(parts), errors, changed


# ---------------------------------------------------------------- input

@dataclass
class Progress:
    """A one-line progress display on stderr; only ever used on a terminal."""

    total_bytes: int | None
    stream: IO[str] = field(default_factory=lambda: sys.stderr)
    records: int = 0
    done_bytes: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0

    def update(self, records: int, nbytes: int, *, force: bool = False) -> None:
        self.records += records
        self.done_bytes += nbytes
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        rate = self.records / elapsed
        line = f"ungarble batch: {self.records + self.skipped:,} records ({rate:,.0f}/s)"
        if self.total_bytes:
            frac = min(self.done_bytes / self.total_bytes, 1.0)
            bar = "#" * int(frac * 30)
            line = f"[{bar:<30}] {frac:6.1%}  " + line
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        self.update(0, 0, force=True)
        self.stream.write("\n")
        self.stream.flush()


class Done:
    """What an earlier run already wrote to the output, for resuming."""

    def __init__(self) -> None:
        self.lines: dict[int, int] | None = None   # line -> crc32, when not in order
        self.ordered_path: str | None = None       # an in-order output read in lockstep
        self.last_line = 0
        self.paths: set[str] = set()
        self.count = 0
        self.errors = 0
        self._reader: Iterator[tuple[int, int]] | None = None

    def has_line(self, line: int, crc: int) -> bool:
        if line > self.last_line:
            return False
        if self.lines is not None:
            if line not in self.lines:
                return False
            expected = self.lines[line]
        else:
            if self._reader is None:
                self._reader = _keys_in(self.ordered_path) if self.ordered_path else iter(())
            got = next(self._reader, None)
            if got is None or got[0] != line:
                raise BatchError(f"the output does not match this input (line {line} is missing from it "
                                 "though later lines are there); use --overwrite or another output file")
            expected = got[1]
        if expected is not None and expected != crc:
            raise BatchError(f"the output was written from a different input (line {line} differs); "
                             "use --overwrite or another output file")
        return True


def _keys_in(path: str) -> Iterator[tuple[int, int]]:
    with open(path, "rb") as fh:
        for raw in fh:
            info = json.loads(raw)[KEY]
            yield info["line"], info.get("crc32")


def scan_output(path: str) -> Done:
    """Truncate a torn last line, then read the keys of the finished records (streaming)."""
    done = Done()
    if path == "-" or not os.path.exists(path):
        return done
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size:
            fh.seek(size - 1)
            if fh.read(1) != b"\n":
                end = _last_newline(fh, size)
                fh.truncate(end)
    ordered = True
    lines: dict[int, int] = {}
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            try:
                info = json.loads(raw)[KEY]
            except (ValueError, KeyError, TypeError):
                raise BatchError(f"{path}: line {number} is not a record this command wrote; "
                                 "use --overwrite or another output file") from None
            done.count += 1
            done.errors += "error" in info
            if "line" in info:
                n = int(info["line"])
                if n <= done.last_line:
                    ordered = False
                done.last_line = max(done.last_line, n)
                lines[n] = info.get("crc32")
                if ordered and len(lines) > 4096:
                    lines.clear()  # in order: checked in lockstep instead, memory stays flat
            elif "path" in info:
                done.paths.add(info["path"])
            else:
                raise BatchError(f"{path}: line {number} has no record key (written by another tool?); "
                                 "use --overwrite or another output file")
    if ordered:
        done.ordered_path = path
    else:
        # Out of order (e.g. outputs concatenated by hand): keep every key; this re-reads the file.
        done.lines = {n: c for n, c in _keys_in(path)}
    return done


def _last_newline(fh: Any, size: int) -> int:
    """Offset just after the last b"\\n" before ``size`` (0 if none)."""
    pos = size
    while pos > 0:
        step = min(65536, pos)
        pos -= step
        fh.seek(pos)
        block = fh.read(step)
        i = block.rfind(b"\n")
        if i >= 0:
            return pos + i + 1
    return 0


def is_jsonl(path: str) -> bool:
    return path == "-" or not os.path.isdir(path)


def iter_items(path: str, done: Done, include: Sequence[str], progress: Progress | None,
               file_options: Callable[[str], Options] | None = None) -> Iterator[Item]:
    """The input's records still to do, lazily, in order."""
    if is_jsonl(path):
        fh = sys.stdin.buffer if path == "-" else open(path, "rb")
        try:
            for number, raw in enumerate(fh, 1):
                if not raw.strip():
                    if progress:
                        progress.done_bytes += len(raw)
                    continue
                if done.count and done.has_line(number, line_crc(raw)):
                    if progress:
                        progress.skipped += 1
                        progress.done_bytes += len(raw)
                    continue
                yield ("line", number, raw)
        finally:
            if fh is not sys.stdin.buffer:
                fh.close()
    else:
        from .files import iter_input_paths

        for p in iter_input_paths([path], include or ("*.txt", "*.md")):
            if p in done.paths:
                if progress:
                    progress.skipped += 1
                continue
            yield ("file", p, file_options(p) if file_options else None)


def chunks(items: Iterable[Item], size: int, max_bytes: int = 1 << 20) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    nbytes = 0
    for item in items:
        chunk.append(item)
        nbytes += len(item[2]) if item[0] == "line" else 4096
        if len(chunk) >= size or nbytes >= max_bytes:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


def _chunk_bytes(chunk: Sequence[Item]) -> int:
    return sum(len(item[2]) for item in chunk if item[0] == "line")


# ---------------------------------------------------------------- the run

@dataclass
class BatchStats:
    written: int = 0        # records written by this run
    errors: int = 0         # error lines written by this run
    changed: int = 0
    resumed: int = 0        # records already in the output
    resumed_errors: int = 0
    seconds: float = 0.0


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def execute(chunk_iter: Iterable[list[Item]], config: BatchConfig, jobs: int,
            window: int | None = None) -> Iterator[tuple[list[Item], tuple[bytes, int, int]]]:
    """Run chunks on ``jobs`` processes, yielding (chunk, output) in input order.

    At most ``window`` chunks (default 2 per job) are in flight or waiting to be
    written, so memory does not grow with the input.
    """
    if jobs <= 1:
        warm_up(config.options)
        for chunk in chunk_iter:
            yield chunk, process_chunk(chunk, config)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    window = window or 2 * jobs
    # spawn: workers start clean (no forked locks or threads) on every platform
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(config,))
    pending: deque = deque()
    try:
        for chunk in chunk_iter:
            pending.append((chunk, pool.submit(process_chunk, chunk)))
            if len(pending) >= window:
                head, fut = pending.popleft()
                yield head, fut.result()
        while pending:
            head, fut = pending.popleft()
            yield head, fut.result()
    except BrokenProcessPool as exc:
        raise BatchError(f"a worker process died ({exc}); the records written so far are complete "
                         "and a rerun resumes after them") from None
    finally:
        for _, fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def run_batch(input_path: str, output_path: str, config: BatchConfig, *, jobs: int = 1,
              chunk_size: int = 64, include: Sequence[str] = (), overwrite: bool = False,
              progress: bool = False, on_resume: Callable[[Done], None] | None = None,
              file_options: Callable[[str], Options] | None = None) -> BatchStats:
    """Process ``input_path`` into ``output_path`` (``-`` for stdout, which cannot resume).

    ``file_options(path)`` gives each file of a directory input its own options
    (configuration files, per-file ignores); otherwise ``config.options`` apply.
    """
    started = time.monotonic()
    if input_path != "-" and not os.path.exists(input_path):
        raise BatchError(f"{input_path}: no such file or directory")
    if output_path != "-" and input_path != "-" and os.path.exists(output_path) \
            and os.path.samefile(input_path, output_path):
        raise BatchError("the output must not be the input")
    if overwrite and output_path != "-" and os.path.exists(output_path):
        with open(output_path, "wb"):
            pass
    done = scan_output(output_path)
    if done.count and on_resume:
        on_resume(done)
    if done.count and is_jsonl(input_path) and done.paths:
        raise BatchError(f"{output_path} holds results for a directory, not JSON Lines; use --overwrite")
    if done.count and not is_jsonl(input_path) and done.last_line:
        raise BatchError(f"{output_path} holds results for JSON Lines, not a directory; use --overwrite")
    stats = BatchStats(resumed=done.count, resumed_errors=done.errors)
    bar = None
    if progress:
        total = os.path.getsize(input_path) if is_jsonl(input_path) and input_path != "-" else None
        bar = Progress(total)
    items = iter_items(input_path, done, include, bar, file_options)
    out = sys.stdout.buffer if output_path == "-" else open(output_path, "ab")
    try:
        for chunk, (data, errors, changed) in execute(chunks(items, chunk_size), config, jobs):
            out.write(data)
            out.flush()
            stats.written += len(chunk)
            stats.errors += errors
            stats.changed += changed
            if bar:
                bar.update(len(chunk), _chunk_bytes(chunk))
    finally:
        if out is not sys.stdout.buffer:
            out.close()
        if bar:
            bar.close()
        stats.seconds = time.monotonic() - started
    return stats
