"""Reading input files and writing repaired ones without ever losing data."""
from __future__ import annotations

import dataclasses
import errno
import fnmatch
import hashlib
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
from typing import BinaryIO, Callable, Iterator, Sequence

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
            opened = os.fstat(f.fileno())
            data = f.read()
    except OSError as err:
        if err.errno == errno.ENOENT and os.path.islink(path):
            raise InputError(f"{path}: no such file (dangling symbolic link)") from None
        raise InputError(f"{path}: {_reason(err)}") from None
    doc = decode(data, path)
    if not stat.S_ISREG(opened.st_mode):
        return doc
    return dataclasses.replace(doc, source=_fingerprint(opened, data))


def _fingerprint(st: os.stat_result, data: bytes) -> tuple:
    return (st.st_dev, st.st_ino, len(data), st.st_mtime_ns, hashlib.blake2b(data, digest_size=16).digest())


def _unchanged(target: str, source: tuple) -> bool:
    """Is ``target`` still the file that was read? Same inode, size and mtime, and the same bytes."""
    try:
        st = os.stat(target)
        if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != source[:4]:
            return False
        with open(target, "rb") as f:
            return hashlib.blake2b(f.read(), digest_size=16).digest() == source[4]
    except OSError:
        return False


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


STALE_TEMP_SECONDS = 600  # a temp file of ours this old is left over from a killed run


def atomic_write(path: str, data: bytes, expect: tuple | None = None) -> None:
    """Replace ``path``'s content with ``data`` so a crash leaves old or new, never half.

    Write a hidden temp file beside the target, fsync it, give it the
    original's mode (and owner when we may) and extended attributes (``user.*``,
    ACLs, security labels, where the file system lets us), then rename it over
    the target. A symlink is resolved and its target replaced, so the link
    survives. Hard links to the file are not updated (rename makes a new inode).
    Refused, with the file untouched: a target that is not a regular file (a
    FIFO, a device), a read-only one, and, when ``expect`` (``Document.source``)
    is given, one that changed since it was read. Temp files of ours that a
    killed run left beside the target are removed.
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
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise InputError(f"{path}: not a regular file, not written")
        if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
            raise InputError(f"{path}: read-only, not written")
        _remove_stale_temps(folder, os.path.basename(target))
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
            _copy_xattrs(target, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if expect is not None and not _unchanged(target, expect):
            raise InputError(f"{path}: changed since it was read, not written (run again)")
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


def _temp_name(base: str) -> re.Pattern[str]:
    # tempfile.mkstemp(prefix=".NAME.", suffix=".tmp"): eight characters of [a-z0-9_] in between
    return re.compile(re.escape("." + base + ".") + r"[a-z0-9_]{8}\.tmp")


def _remove_stale_temps(folder: str, base: str) -> None:
    pattern = _temp_name(base)
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        with os.scandir(folder) as it:
            stale = [e.path for e in it if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False)
                     and e.stat(follow_symlinks=False).st_mtime < cutoff]
    except OSError:
        return
    for name in stale:
        try:
            os.unlink(name)
        except OSError:
            pass


def _copy_xattrs(source: str, dest: str) -> None:
    """Extended attributes (user.*, system.posix_acl_*, security.*) as far as we are allowed."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        try:
            os.setxattr(dest, name, os.getxattr(source, name))
        except OSError:
            pass  # e.g. security.* without the privilege, or a file system without that namespace


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
