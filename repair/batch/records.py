"""Batch records: the run's configuration, per-record limits (size, time), one record's analysis
and its output line (see :mod:`repair.batch`)."""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Literal

from ..options import Options


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


@dataclass
class BatchStats:
    written: int = 0        # records done by this run (each one line)
    errors: int = 0         # error lines written by this run
    changed: int = 0
    resumed: int = 0        # finished records already in the output
    resumed_errors: int = 0  # error lines left in the output (none: failed records are retried)
    retried: int = 0        # records whose error line this run replaced
    seconds: float = 0.0


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
    from .. import score

    def document_score(result: Any, options: Options) -> float:
        text = result.original
        return score.score_text(text, score.findings_for_score(text, result)).document

    return document_score


def garble_score(result: Any, options: Options) -> float:
    return round(float(score_hook()(result, options)), 1)


# ---------------------------------------------------------------- one record

def analysis(text: str, options: Options, *, with_fixed: bool = True, with_score: bool = True) -> dict[str, Any]:
    """The ``ungarble`` object for one text: score, changed, fixed, findings."""
    from ..api import analyse
    from ..report import LineIndex
    from ..report.jsonout import finding_dict

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
    from ..decode import InputError
    from ..files import read_document

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
        from ..formats import DEFAULT, detect

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
