"""Reading input files and writing repaired ones without ever losing data."""
from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
import tempfile
from typing import BinaryIO, Iterator, Sequence

from .decode import InputError, decode
from .model import Document

_REASONS = {
    errno.ENOENT: "no such file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "no such file (a parent is not a directory)",
    errno.ELOOP: "too many levels of symbolic links",
}


def _reason(err: OSError) -> str:
    return _REASONS.get(err.errno or 0) or (err.strerror or str(err)).lower()


def read_document(path: str, stdin: BinaryIO | None = None) -> Document:
    """Read and decode ``path`` ("-" is stdin); failures raise InputError with one line."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return decode(stream.read(), "-")
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            os.listdir(path)  # an unreadable directory reports "permission denied"
            raise InputError(f"{path}: is a directory")
        # Pipes (e.g. bash's <(cmd)) are fine; devices such as /dev/zero never end.
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            raise InputError(f"{path}: not a regular file")
        with open(path, "rb") as f:
            data = f.read()
    except OSError as err:
        if err.errno == errno.ENOENT and os.path.islink(path):
            raise InputError(f"{path}: no such file (dangling symbolic link)") from None
        raise InputError(f"{path}: {_reason(err)}") from None
    return decode(data, path)


def iter_input_paths(args: Sequence[str], patterns: Sequence[str] = ("*.txt", "*.md")) -> Iterator[str]:
    """Expand command-line arguments into input paths, each once.

    Files are yielded as given, whatever their name, and so are missing paths
    (reading them reports the error). Directories are walked recursively in
    sorted order for files matching ``patterns`` (case-insensitively), skipping
    hidden names and not following symlinked directories (no loops).
    An unlistable directory is yielded itself so that reading reports it.
    """
    seen: set[str] = set()
    lowered = [p.lower() for p in patterns]

    def fresh(path: str) -> bool:
        key = path if path == "-" else os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for arg in args:
        if arg != "-" and os.path.isdir(arg):
            for path in _walk(arg, lowered):
                if fresh(path):
                    yield path
        elif fresh(arg):
            yield arg


def _walk(top: str, patterns: Sequence[str]) -> Iterator[str]:
    try:
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        yield top
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, patterns)
        elif entry.is_file() and any(fnmatch.fnmatchcase(entry.name.lower(), p) for p in patterns):
            yield entry.path


def atomic_write(path: str, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` so a crash leaves old or new, never half.

    Write a hidden temp file beside the target, fsync it, give it the
    original's mode (and owner when we may), then rename it over the target.
    A symlink is resolved and its target replaced, so the link survives.
    Hard links to the file are not updated (rename makes a new inode).
    OSErrors become InputError with one line; any exception, including
    KeyboardInterrupt, removes the temp file and leaves the original as it was.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    try:
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", path)
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    except OSError as err:
        raise InputError(f"{path}: cannot write: {_reason(err)}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != _owner(tmp):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass  # not allowed to give the file away: keep ours
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise InputError(f"{path}: cannot write: {_reason(err)}") from None
        raise
    _fsync_dir(folder)


def _owner(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: str) -> None:
    """Make the rename durable; not every platform or filesystem allows this."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
