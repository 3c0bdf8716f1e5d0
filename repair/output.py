"""Standard output that is written completely or fails with one line, and SIGTERM as an interrupt.

Every command's stdout goes through :func:`guarded_stdout`: a full disk (``> /dev/full``), a closed
pipe (``| head``) or a short write becomes :class:`OutputError` with a one-line reason instead of a
traceback, a silently truncated file or Python's "Exception ignored" at exit; click reports it as
``ungarble: <reason>`` and exit code 2.
"""
from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from typing import Any, Iterator

import click

_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EPIPE: "the reader closed the pipe",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
    errno.EBADF: "not open for writing",
}


class OutputError(click.ClickException):
    """Standard output could not take everything we wrote (message is one line); exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        silence_stdout()  # so the flush at exit cannot fail a second time
        click.echo(f"ungarble: {self.message}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``timeout``, CI cancellation): unwinds like Ctrl-C so temp files are removed."""


def _fail(exc: OSError) -> OutputError:
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    return OutputError(f"cannot write to standard output: {reason}; the output is incomplete")


class _Guard:
    """A stream proxy: writes everything or raises OutputError; anything else is delegated."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        if isinstance(data, str) and os.name == "posix" and hasattr(self._stream, "buffer"):
            # TextIOWrapper ignores a short count from its buffer (a pipe whose reader left
            # mid-write returns one): encode here and write the bytes through the loop below.
            try:
                self._stream.flush()
            except OSError as exc:
                raise _fail(exc) from None
            encoding = self._stream.encoding or "utf-8"
            try:
                encoded = data.encode(encoding, self._stream.errors or "strict")
            except UnicodeEncodeError:  # a file name's undecodable bytes (a diff header): as they were
                encoded = data.encode(encoding, "surrogateescape" if encoding.lower().replace("-", "") == "utf8"
                                      else "backslashreplace")
            _Guard(self._stream.buffer).write(encoded)
            return len(data)
        total = len(data)
        view = memoryview(data).cast("B") if isinstance(data, (bytes, bytearray, memoryview)) else None
        try:
            n = self._stream.write(data)
            if view is not None:
                # A raw (unbuffered) stream may take only part: write the rest, never drop it.
                done = total if n is None else n
                while done < total:
                    n = self._stream.write(view[done:])
                    if not n:
                        raise OSError(errno.EIO, "short write")
                    done += n
        except OSError as exc:
            raise _fail(exc) from None
        return total

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _fail(exc) from None

    @property
    def buffer(self) -> "_Guard":
        return _Guard(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def silence_stdout() -> None:
    """After a failed write: point fd 1 at /dev/null so the exit flush cannot fail again."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Within the block ``sys.stdout`` (and its ``.buffer``) raise OutputError on any failure,
    SIGTERM raises :class:`Terminated`, and stdout is flushed before the block ends."""
    original = sys.stdout
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not the main thread
        previous = None
    sys.stdout = _Guard(original)
    try:
        try:
            yield
        except SystemExit:  # commands end with sys.exit(code): what they printed must still arrive
            sys.stdout.flush()
            raise
        sys.stdout.flush()
    finally:
        sys.stdout = original
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def text_name(name: str) -> str:
    """A file name (or a message holding one) as valid text: bytes that are not UTF-8 (which
    Python keeps as lone surrogates) become ``\\xNN`` escapes; every other character is kept."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def printable_report(report: Any) -> Any:
    """A FileReport whose path and error are valid UTF-8 (for JSON, GitHub, HTML and human views)."""
    import dataclasses

    path = text_name(report.path)
    error = text_name(report.error) if report.error else report.error
    if path == report.path and error == report.error:
        return report
    return dataclasses.replace(report, path=path, error=error)
