"""Batch input and output files: reading records lazily, the output a run resumes (which records it
holds, a torn last line, error lines retried and rewritten in place) (see :mod:`repair.batch`)."""
from __future__ import annotations

import json
import os
import signal
import stat
import sys
import tempfile
import threading
import zlib
from contextlib import contextmanager
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from ..options import Options
from .records import (BatchConfig, BatchError, Item, KEY, line_crc)


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

    from ..terminal import visible

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
    from ..terminal import visible

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
    from ..files import iter_input_paths

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
        from ..terminal import visible

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
