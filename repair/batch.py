"""Batch mode: many documents in, one JSON line per document out, on every core, resumable.

Input is JSON Lines (one object a line; the text in a named field, default ``text``;
every other field, such as an id, is carried through) or a directory of text files.
Each output line is the input record with one more key, ``ungarble`` (or the
``result_key`` the user chose; an input field of that name is never replaced)::

    {"id": "a1", "text": "...", "ungarble": {"line": 1, "crc32": 2774328, "score": 12.5,
     "changed": true, "fixed": "...", "findings": [{...same shape as check --format json...}]}}

A bad record (a line that is not JSON, not an object, without the text field, larger
than ``max_record_bytes``, taking longer than ``record_timeout`` seconds, or anything
else that goes wrong while handling it) gets ``{"ungarble": {"line": N, "error": "..."}}``
(with the record's other fields when it has them) and the run carries on. Directory
inputs give ``{"path": ..., "text": ..., "ungarble": {"path": ..., "encoding": ..., ...}}``.

Streaming and bounded: records are read lazily (a line over the size limit is never
held whole), grouped in chunks, and at most a few chunks per worker are in flight;
nothing holds the whole corpus. The grammar back end is built once per worker
process (``repair.api.checks_for`` caches it).

Output is written in input order, one ``write`` per chunk, always as whole lines: it
holds exactly one line per input record, in input order. Running the same command
again resumes: it drops a torn last line (a kill mid-write), reads which records the
output already holds (``line`` for JSON Lines, checked against the input line's CRC-32
so a different input is refused; ``path`` for directories) and processes only the
others. When the output holds error lines, those records are retried and the output
is rewritten (into a temporary file next to it, renamed over it once every old line
has been copied or replaced), so a record's new result replaces its error line.

Ctrl-C (SIGINT) stops the run within moments: workers are terminated, every finished
record is written in order, and :class:`Interrupted` says how many the output holds.
"""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import stat
import sys
import tempfile
import threading
import time
import zlib
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Literal, Sequence, TextIO

from .options import Options

KEY = "ungarble"  # the one key batch adds to each record (by default)
MAX_RECORD_BYTES = 10_000_000   # default per-record size limit (bytes of the JSON line or file)
RECORD_TIMEOUT = 120.0          # default per-record time limit (seconds)


class BatchError(Exception):
    """A run cannot start or go on (a message for the user, one line)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C: the run stopped; ``kept`` records are in ``output``, complete and in order."""

    def __init__(self, kept: int, output: str, stats: "BatchStats") -> None:
        super().__init__(kept)
        self.kept, self.output, self.stats = kept, output, stats


@dataclass(frozen=True)
class BatchConfig:
    """Everything a worker needs to turn a record into an output line (picklable)."""

    options: Options = field(default_factory=Options)
    text_field: str = "text"
    keep_text: bool = True          # carry the input text through (``fixed`` is always there)
    with_fixed: bool = True
    with_score: bool = True         # the garble score costs about as much as the rules
    result_key: str = KEY           # where the results go in each output record
    max_record_bytes: int | None = MAX_RECORD_BYTES   # None or 0: no limit
    record_timeout: float | None = RECORD_TIMEOUT     # seconds; None or 0: no limit


# ---------------------------------------------------------------- limits

class RecordTimeout(BaseException):
    """Raised into the code handling a record that ran out of time.

    A BaseException, so that no ``except Exception`` on the way swallows it.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in the body after ``seconds`` (None or 0: no limit).

    In a process's main thread (worker processes, ``-j 1``) a SIGALRM timer
    interrupts the body; in another thread (a Dask worker's task thread) a timer
    thread raises the exception asynchronously in it. Either way the exception
    arrives when the body next runs Python code: a long call into a C extension
    is interrupted when it returns.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum: int, frame: Any) -> None:
            raise RecordTimeout

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                signal.signal(signal.SIGALRM, previous)
        return
    limit = _ThreadLimit(seconds)
    with limit:
        yield


class _ThreadLimit:
    """The time limit for a thread that is not the main thread (CPython's async exceptions)."""

    def __init__(self, seconds: float) -> None:
        self.thread = threading.get_ident()
        self.lock = threading.Lock()
        self.armed = True
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _set(self, exc: type[BaseException] | None) -> None:
        try:
            import ctypes
        except ImportError:  # pragma: no cover - no ctypes: no limit in threads
            return
        setter = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)
        if setter is not None:
            setter(ctypes.c_ulong(self.thread), ctypes.py_object(exc) if exc else None)

    def _fire(self) -> None:
        with self.lock:
            if self.armed:
                self.fired = True
                self._set(RecordTimeout)

    def __enter__(self) -> "_ThreadLimit":
        self.timer.start()
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> Literal[False]:
        with self.lock:
            self.armed = False
        self.timer.cancel()
        if self.fired:
            self._set(None)  # withdraw it if it has not arrived yet
            if kind is None:
                raise RecordTimeout
        return False


def too_large(size: int, limit: int | None) -> str | None:
    """The error for a record of ``size`` bytes over ``limit``, or None."""
    if limit and size > limit:
        return f"record too large ({size:,} bytes; the limit is {limit:,}, --max-record-bytes)"
    return None


def timeout_message(seconds: float | None) -> str:
    return f"took longer than {seconds:g} s (--record-timeout)"


# ---------------------------------------------------------------- garble score hook

def score_hook() -> Callable[[Any, Options], float]:
    """The garble scorer, ``fn(result, options) -> float`` (0 clean .. 100 unreadable).

    This is the single place batch (and :mod:`repair.distributed`) asks for a score:
    :mod:`repair.score` scores the text as read from its findings.
    """
    from . import score

    def document_score(result: Any, options: Options) -> float:
        text = result.original
        return score.score_text(text, score.findings_for_score(text, result)).document

    return document_score


def garble_score(result: Any, options: Options) -> float:
    return round(float(score_hook()(result, options)), 1)


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

    ``meta`` (e.g. ``{"line": 7}``) leads the results object. This is the
    picklable unit of work the process pool, Dask, Spark or Ray run.
    """
    key = config.result_key
    info: dict[str, Any] = dict(meta or {})
    if not isinstance(record, dict):
        info["error"] = f"not a JSON object but {_json_type(record)}"
        return {key: info}
    if key in record:  # never replace input data: the record's fields are left out instead
        info["error"] = (f"the record already has a field {key!r}; choose another key for the results "
                         "(--result-key)")
        return {key: info}
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
    out[key] = info
    return out


def _json_type(value: Any) -> str:
    for kind, name in ((bool, "a boolean"), (str, "a string"), (int, "a number"), (float, "a number"),
                       (list, "an array"), (dict, "an object")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply (RecursionError)"
    if isinstance(exc, MemoryError):
        return "out of memory (MemoryError)"
    return f"internal error {type(exc).__name__}: {exc} (please report this)"


def process_line(raw: bytes, line: int, config: BatchConfig) -> dict[str, Any]:
    """One raw JSON Lines line (bytes, any line ending) -> its output record."""
    meta = {"line": line, "crc32": line_crc(raw)}
    key = config.result_key
    big = too_large(len(raw), config.max_record_bytes)
    if big:
        return {key: {**meta, "error": f"line {line}: {big}"}}
    try:
        record = json.loads(raw)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        return {key: {**meta, "error": f"line {line}: not valid JSON: {exc}"}}
    except RecursionError:
        return {key: {**meta, "error": f"line {line}: not read: JSON nested too deeply"}}
    out = process_record(record, config, meta)
    if "error" in out[key]:
        out[key]["error"] = f"line {line}: {out[key]['error']}"
    return out


def process_file(path: str, config: BatchConfig, options: Options | None = None) -> dict[str, Any]:
    """One file of a directory input -> its output record (Markdown by extension).

    ``options`` (default ``config.options``) are this file's, e.g. after per-file ignores.
    """
    from .decode import InputError
    from .files import read_document

    key = config.result_key
    try:
        big = too_large(os.path.getsize(path), config.max_record_bytes)
    except OSError:
        big = None  # reading reports it
    if big:
        return {"path": path, key: {"path": path, "error": big}}
    try:
        doc = read_document(path)
    except InputError as exc:
        return {"path": path, key: {"path": path, "error": str(exc)}}
    if options is None:  # no per-file options (repair.config.options_for chooses the format): by suffix
        from .formats import DEFAULT, detect

        options = config.options
        if options.input_format == DEFAULT:
            options = dataclasses.replace(options, input_format=detect(path))
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


# ---------------------------------------------------------------- work items

# An item is a tuple (kind, key, payload, old):
#   ("line", n, raw bytes, old)          a JSON Lines record to do
#   ("big", n, (size, crc32), old)       a line over the size limit (its bytes were never held)
#   ("file", path, Options | None, old)  a file of a directory input to do
#   ("keep", key, None, old)             a finished record the output already holds (resuming)
# ``old`` is (offset, length) of this record's line in the existing output, or None.
Item = tuple

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
    from .api import analyse

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


# ---------------------------------------------------------------- input

def read_lines(fh: IO[bytes], limit: int | None) -> Iterator[tuple[int, bytes | None, int, int | None]]:
    """(line number, raw bytes, size, None) for each line; a line over ``limit`` bytes is
    never held whole: (number, None, size, crc32) instead."""
    number = 0
    while True:
        raw = fh.readline(limit + 1) if limit else fh.readline()
        if not raw:
            return
        number += 1
        if limit and len(raw) > limit and not raw.endswith(b"\n"):
            size, crc, pending = 0, 0, b""
            piece = raw
            while piece:
                size += len(piece)
                data = pending + piece
                body = data.rstrip(b"\r\n")
                crc = zlib.crc32(body, crc)
                pending = data[len(body):]
                if piece.endswith(b"\n"):
                    break
                piece = fh.readline(1 << 20)
            yield number, None, size, crc
        else:
            yield number, raw, len(raw), None


PREFLIGHT_RECORDS = 20


def preflight(lines: Iterator[tuple[int, bytes | None, int, int | None]], config: BatchConfig,
              records: int = PREFLIGHT_RECORDS, max_bytes: int = 8 << 20) -> Iterator[tuple]:
    """Look at the first records before any work: refuse a ``--text-field`` that none of them
    has (naming the fields they have) and input that already holds the results key.

    Returns the same lines, those looked at included.
    """
    import itertools

    from .terminal import visible

    seen: list[tuple] = []
    fields: list[list[str]] = []
    nbytes = 0
    for entry in lines:
        seen.append(entry)
        raw = entry[1]
        if raw is not None and raw.strip():
            nbytes += len(raw)
            try:
                record = json.loads(raw)
            except (ValueError, RecursionError):
                record = None
            if isinstance(record, dict):
                fields.append([str(name) for name in record])
        if len(fields) >= records or nbytes >= max_bytes:
            break

    def named(name: str) -> str:
        return "'" + visible(name) + "'"

    key = config.result_key
    if any(key in names for names in fields):
        raise BatchError(f"the input records already have a field {named(key)}; the results would replace it: "
                         "choose another key for them with --result-key NAME")
    if fields and not any(config.text_field in names for names in fields):
        have: dict[str, None] = {}
        for names in fields:
            have.update(dict.fromkeys(names))
        listed = ", ".join(named(n) for n in list(have)[:12]) + (", ..." if len(have) > 12 else "")
        first = "the first record" if len(fields) == 1 else f"the first {len(fields)} records"
        raise BatchError(f"no field {named(config.text_field)} in {first} (--text-field); "
                         f"{'it has' if len(fields) == 1 else 'they have'}: {listed or 'no fields'}")
    return itertools.chain(seen, lines)


class Progress:
    """A progress bar on stderr (click's): records done of the total, rate and ETA.

    The total is counted in a background thread, so a large input starts at once.
    """

    def __init__(self, total: Callable[[], int | None] | None = None, already: int = 0,
                 stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        import click

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


def count_lines(path: str) -> int:
    """The number of lines of a file, counted in blocks (blank lines included)."""
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


class Done:
    """What an earlier run already wrote to the output, for resuming.

    Each entry is (key, crc32, offset, length, is_error); an in-order JSON Lines
    output is read in lockstep with the input (memory stays flat), otherwise the
    entries are held in ``index`` by line number or path.
    """

    def __init__(self, path: str | None = None, key: str = KEY) -> None:
        self.path = path
        self.key = key
        self.count = 0
        self.errors = 0
        self.last_line = 0
        self.size = 0
        self.has_paths = False
        self.index: dict[Any, tuple] | None = None
        self._reader: Iterator[tuple] | None = None

    @property
    def rewrite(self) -> bool:
        """Error lines to replace: the output is rewritten rather than appended to."""
        return self.errors > 0

    def lookup(self, line: int, crc: int) -> tuple[int, int, bool] | None:
        """(offset, length, is_error) of input line ``line`` in the output, or None."""
        if not self.count or line > self.last_line:
            return None
        if self.index is not None:
            entry = self.index.pop(line, None)
            if entry is None:
                return None
        else:
            if self._reader is None:
                self._reader = _entries(self.path, self.key) if self.path else iter(())
            entry = next(self._reader, None)
            if entry is None or entry[0] != line:
                raise BatchError(f"the output does not match this input (line {line} is missing from it "
                                 "though later lines are there); use --overwrite or another output file")
        if entry[1] is not None and entry[1] != crc:
            raise BatchError(f"the output was written from a different input (line {line} differs); "
                             "use --overwrite or another output file")
        return entry[2], entry[3], entry[4]

    def lookup_path(self, path: str) -> tuple[int, int, bool] | None:
        entry = self.index.pop(path, None) if self.index is not None and self.has_paths else None
        return None if entry is None else (entry[2], entry[3], entry[4])


def _info(raw: bytes, key: str) -> dict:
    info = json.loads(raw)[key]
    if not isinstance(info, dict):
        raise TypeError
    return info


def _entries(path: str, key: str) -> Iterator[tuple]:
    offset = 0
    with open(path, "rb") as fh:
        for raw in fh:
            info = _info(raw, key)
            yield int(info["line"]), info.get("crc32"), offset, len(raw), "error" in info
            offset += len(raw)


def scan_output(path: str, key: str = KEY) -> Done:
    """Truncate a torn last line, then read the keys of the finished records (streaming)."""
    from .terminal import visible

    done = Done(path, key)
    if path == "-" or not os.path.isfile(path):
        return done
    try:
        with open(path, "rb+") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            if size:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    end = _last_newline(fh, size)
                    fh.truncate(end)
        ordered = True
        paths: dict[str, tuple] = {}
        offset = 0
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                try:
                    info = _info(raw, key)
                    error = "error" in info
                    line = int(info["line"]) if "line" in info else None
                except (ValueError, KeyError, TypeError, RecursionError):
                    raise BatchError(f"{visible(path)}: line {number} is not a record this command wrote "
                                     f"(with the results under {visible(key)!r}); use --overwrite or another "
                                     "output file") from None
                done.count += 1
                done.errors += error
                if line is not None:
                    if line <= done.last_line:
                        ordered = False
                    done.last_line = max(done.last_line, line)
                elif "path" in info:
                    done.has_paths = True
                    paths[str(info["path"])] = (info["path"], None, offset, len(raw), error)
                else:
                    raise BatchError(f"{visible(path)}: line {number} has no record key (written by another "
                                     "tool?); use --overwrite or another output file")
                offset += len(raw)
        done.size = offset
        if done.has_paths:
            done.index = paths
        elif not ordered:
            # Out of order (e.g. outputs concatenated by hand): keep every key; this re-reads the file.
            index: dict[Any, tuple] = {}
            for entry in _entries(path, key):
                if entry[0] not in index or index[entry[0]][4]:
                    index[entry[0]] = entry
            done.index = index
    except OSError as exc:
        raise BatchError(f"{visible(path)}: cannot read or repair the output to resume: "
                         f"{exc.strerror or exc}") from None
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


def line_items(lines: Iterable[tuple], done: Done) -> Iterator[Item]:
    """The JSON Lines records, lazily, in order: work items, and "keep" items for
    finished records when the output is being rewritten (skipped when appending)."""
    for number, raw, size, crc in lines:
        if raw is not None and not raw.strip():
            continue
        old = None
        if done.count:
            if crc is None:
                crc = line_crc(raw)
            old = done.lookup(number, crc)
        previous = None
        if old is not None:
            if not old[2]:
                if done.rewrite:
                    yield ("keep", number, None, old[:2])
                continue
            previous = old[:2]  # a record that failed: do it again, its new line replaces the old
        yield ("line", number, raw, previous) if raw is not None else ("big", number, (size, crc), previous)


def file_items(path: str, done: Done, include: Sequence[str],
               file_options: Callable[[str], Options] | None = None) -> Iterator[Item]:
    from .files import iter_input_paths

    for p in iter_input_paths([path], include or ("*.txt", "*.md")):
        old = done.lookup_path(p) if done.count else None
        previous = None
        if old is not None:
            if not old[2]:
                if done.rewrite:
                    yield ("keep", p, None, old[:2])
                continue
            previous = old[:2]
        yield ("file", p, file_options(p) if file_options else None, previous)


def _item_bytes(item: Item) -> int:
    kind = item[0]
    if kind == "line":
        return len(item[2])
    if kind == "keep":
        return item[3][1]
    return 4096 if kind == "file" else 0


def chunks(items: Iterable[Item], size: int, max_bytes: int = 1 << 20) -> Iterator[list[Item]]:
    """Items grouped by count and bytes; a record larger than ``max_bytes`` goes alone, so the
    records before it are written without waiting for it."""
    chunk: list[Item] = []
    nbytes = 0
    for item in items:
        cost = _item_bytes(item)
        if chunk and nbytes + cost > max_bytes:
            yield chunk
            chunk, nbytes = [], 0
        chunk.append(item)
        nbytes += cost
        if len(chunk) >= size or nbytes >= max_bytes:
            yield chunk
            chunk, nbytes = [], 0
    if chunk:
        yield chunk


# ---------------------------------------------------------------- output

class _Guard:
    """Ctrl-C in the main thread: raise KeyboardInterrupt, but never in the middle of a write."""

    def __init__(self) -> None:
        self.critical = False
        self.pending = False
        self.previous: Any = None
        self.installed = False

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._on_sigint)
            self.installed = True

    def _on_sigint(self, signum: int, frame: Any) -> None:
        if self.critical:
            self.pending = True
            return
        raise KeyboardInterrupt

    def ignore(self) -> None:
        """A second Ctrl-C while stopping does nothing (stopping takes moments)."""
        if self.installed:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def restore(self) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.previous if self.previous is not None else signal.default_int_handler)
            self.installed = False

    @contextmanager
    def atomic(self) -> Iterator[None]:
        self.critical = True
        try:
            yield
        finally:
            self.critical = False
        if self.pending:
            self.pending = False
            raise KeyboardInterrupt


class Output:
    """Where the results go, always as whole lines in input order.

    Appends to a fresh output or one without error lines; when resuming into an
    output with error lines, writes the merged result (old finished lines copied,
    failed ones replaced) to a temporary file next to it and renames that over the
    output as soon as every old line has been copied or replaced (then appends).
    A failed write leaves the output as it was before that write; stdout and other
    non-regular files (a pipe, /dev/null) are written as streams.
    """

    def __init__(self, path: str, done: Done, guard: _Guard | None = None) -> None:
        from .terminal import visible

        self.path, self.done, self.guard = path, done, guard or _Guard()
        self.name = "stdout" if path == "-" else visible(path)
        self.rewrite = False
        self.stream = path == "-" or (os.path.exists(path) and not os.path.isfile(path))
        self.old: IO[bytes] | None = None
        self.tmp: str | None = None
        self.old_pos = 0
        self.consumed: set[int] | None = None
        self.lines = 0           # complete lines in what will be the output
        self.size = 0
        self.closed = False
        try:
            if path == "-":
                sys.stdout.flush()
                self.fd = sys.stdout.fileno()
            elif self.stream:
                self.fd = os.open(path, os.O_WRONLY | os.O_APPEND)
            elif done.rewrite:
                self.rewrite = True
                self.target = os.path.realpath(path)
                folder, base = os.path.split(self.target)
                self.fd, self.tmp = tempfile.mkstemp(dir=folder, prefix=f".{base}.", suffix=".ungarble-tmp")
                self.old = open(self.target, "rb")
                self.consumed = set() if done.index is not None else None
            else:
                self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
                self.size = os.lseek(self.fd, 0, os.SEEK_END)
                self.lines = done.count
        except OSError as exc:
            if self.tmp:
                self._discard()
            raise BatchError(f"{self.name}: cannot write: {exc.strerror or exc}") from None

    # -- writing

    def write(self, chunk: Sequence[Item], outs: Sequence[bytes]) -> int:
        """Write the chunk's lines in order (all of ``outs``; for a chunk cut short by Ctrl-C,
        the items up to the first without a line). Returns the work items written."""
        parts: list[bytes] = []
        consumed: list[tuple[int, int]] = []
        it = iter(outs)
        written = 0
        for item in chunk:
            if item[0] == "keep":
                parts.append(self._old_line(item[3]))
            else:
                data = next(it, None)
                if data is None:
                    break
                parts.append(data)
                written += 1
            if item[3] is not None:
                consumed.append(item[3])
        if not parts:
            return 0
        with self.guard.atomic():
            self._write(b"".join(parts), len(parts))
            for offset, length in consumed:
                if self.consumed is not None:
                    self.consumed.add(offset)
                else:
                    self.old_pos = offset + length
        if self.rewrite and self.consumed is None and self.old_pos >= self.done.size:
            self._commit()
        return written

    def _old_line(self, where: tuple[int, int]) -> bytes:
        assert self.old is not None
        self.old.seek(where[0])
        return self.old.read(where[1])

    def _write(self, data: bytes, lines: int) -> None:
        view = memoryview(data)
        try:
            while view:
                n = os.write(self.fd, view)
                view = view[n:]
        except OSError as exc:
            self._fail(exc)
        self.size += len(data)
        self.lines += lines

    def _fail(self, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        if self.stream:
            self.closed = True
            raise BatchError(f"cannot write to {self.name}: {reason}") from None
        if self.rewrite:
            self._discard()
            raise BatchError(f"{self.name}: cannot write the merged output ({reason}); the output is as it "
                             "was: free some space and run the same command again") from None
        try:
            os.ftruncate(self.fd, self.size)  # no torn last line
        except OSError:
            pass
        self._discard()
        raise BatchError(f"{self.name}: cannot write ({reason}); the {self.lines:,} records before are "
                         "complete: free some space and run the same command again to finish") from None

    def _discard(self) -> None:
        self.closed = True
        def remove_tmp() -> None:
            if self.tmp:
                os.unlink(self.tmp)

        for close in (lambda: os.close(self.fd), lambda: self.old and self.old.close(), remove_tmp):
            try:
                close()
            except (OSError, AttributeError):
                pass

    def _copy_rest(self) -> None:
        """Every old line not yet copied or replaced, in the old order (unchanged)."""
        assert self.old is not None
        if self.consumed is None:
            self.old.seek(self.old_pos)
            while True:
                block = self.old.read(1 << 20)
                if not block:
                    break
                self._write(block, block.count(b"\n"))
            self.old_pos = self.done.size
            return
        self.old.seek(0)
        offset = 0
        for raw in self.old:
            if offset not in self.consumed:
                self._write(raw, 1)
            offset += len(raw)

    def _commit(self) -> None:
        """Rename the merged output over the old one; from here on, append to it."""
        assert self.tmp is not None and self.old is not None
        try:
            os.fchmod(self.fd, stat.S_IMODE(os.fstat(self.old.fileno()).st_mode))
        except OSError:
            pass
        try:
            os.fsync(self.fd)
            os.replace(self.tmp, self.target)
        except OSError as exc:
            self._fail(exc)
        self.old.close()
        self.old, self.tmp, self.rewrite = None, None, False

    def finish(self) -> None:
        """Complete the output (copying what is left of the old one) and close it."""
        if self.closed:
            return
        with self.guard.atomic():
            if self.rewrite:
                self._copy_rest()
                self._commit()
            self.closed = True
            if self.path != "-":
                try:
                    os.close(self.fd)
                except OSError:
                    pass


def remove_stale_temporaries(path: str) -> None:
    """Remove merged outputs a killed run left next to ``path`` (the output is intact without them)."""
    import glob

    folder, base = os.path.split(os.path.realpath(path))
    for stale in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(base)}.*.ungarble-tmp")):
        try:
            os.unlink(stale)
        except OSError:
            pass


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

@dataclass
class BatchStats:
    written: int = 0        # records done by this run (each one line)
    errors: int = 0         # error lines written by this run
    changed: int = 0
    resumed: int = 0        # finished records already in the output
    resumed_errors: int = 0  # error lines left in the output (none: failed records are retried)
    retried: int = 0        # records whose error line this run replaced
    seconds: float = 0.0


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def run_batch(input_path: str, output_path: str, config: BatchConfig, *, jobs: int = 1,
              chunk_size: int = 64, include: Sequence[str] = (), overwrite: bool = False,
              progress: bool = False, on_resume: Callable[[Done], None] | None = None,
              file_options: Callable[[str], Options] | None = None, window: int | None = None) -> BatchStats:
    """Process ``input_path`` into ``output_path`` (``-`` for stdout, which cannot resume).

    ``file_options(path)`` gives each file of a directory input its own options
    (configuration files, per-file ignores); otherwise ``config.options`` apply.
    Raises :class:`BatchError` (nothing lost: the output holds whole records) and, on
    Ctrl-C, :class:`Interrupted` after writing every finished record.
    """
    from .terminal import visible

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
    bar: Progress | None = None
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
                from .files import iter_input_paths

                total = lambda: sum(1 for _ in iter_input_paths([input_path], include or ("*.txt", "*.md")))  # noqa: E731
            bar = Progress(total, already=stats.resumed)
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
