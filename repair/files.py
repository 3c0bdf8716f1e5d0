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
from typing import BinaryIO, Callable, Iterable, Iterator, Sequence

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


def iter_input_paths(args: Sequence[str], patterns: Sequence[str] = ("*.txt", "*.md"),
                     exclude: Sequence[str] = (), *, gitignore: bool = True,
                     note: Callable[[str], None] | None = None) -> Iterator[str]:
    """Expand command-line arguments into input paths, each once.

    Files are yielded as given, whatever their name, and so are missing paths
    (reading them reports the error); ``exclude`` does not apply to them.
    Directories are walked recursively in sorted order for files matching
    ``patterns`` (case-insensitively), skipping hidden names, names matching an
    ``exclude`` glob (see :func:`_excluded`), files git ignores (``gitignore``,
    inside a git work tree) and not following symlinked directories (no loops).
    A symlinked file whose target is outside the walked directory is skipped
    with a ``note`` (a walk never writes outside the tree); a symlink loop is
    yielded so that reading reports it. An unlistable directory is yielded
    itself so that reading reports it.
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
            walk = _Walk(arg, lowered, tuple(exclude), _git_visible(arg) if gitignore else None, note)
            for path in walk.walk(arg):
                if fresh(path):
                    yield path
        elif fresh(arg):
            yield arg


class _Git:
    """The files git would show in a directory: tracked ones and untracked ones no ignore rule names."""

    def __init__(self, files: set[str], trees: set[str]) -> None:
        self.files = files            # normalised absolute paths
        self.trees = trees            # submodules and nested repositories: everything under them counts
        self.dirs: set[str] = set()   # every folder holding one of them, at any depth
        for f in files | trees:
            d = os.path.dirname(f)
            while d not in self.dirs:
                self.dirs.add(d)
                d = os.path.dirname(d)

    def _under_tree(self, path: str) -> bool:
        return any(path == t or path.startswith(t + os.sep) for t in self.trees)

    def keeps_dir(self, path: str) -> bool:
        return path in self.dirs or self._under_tree(path)

    def keeps_file(self, path: str) -> bool:
        return path in self.files or self._under_tree(path)


def _git_visible(top: str) -> _Git | None:
    """``git ls-files --cached --others --exclude-standard`` under ``top``; None outside a work tree,
    and None when git ignores ``top`` itself (a folder named on the command line is walked whole)."""
    try:
        if subprocess.run(["git", "-C", top, "check-ignore", "-q", "."], capture_output=True,
                          timeout=120).returncode == 0:
            return None
        proc = subprocess.run(["git", "-C", top, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                              capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    base = os.path.abspath(top)
    files: set[str] = set()
    trees: set[str] = set()
    for raw in proc.stdout.split(b"\0"):
        if not raw:
            continue
        path = os.path.normpath(os.path.join(base, os.fsdecode(raw)))
        if raw.endswith(b"/") or os.path.isdir(path) and not os.path.islink(path):
            trees.add(path)  # a submodule or a nested repository: git does not list inside it
        else:
            files.add(path)
    return _Git(files, trees)


def _excluded(globs: Sequence[str], top: str, path: str, name: str) -> bool:
    """A glob without "/" matches a file or folder name at any depth; one with "/" matches the path
    relative to the walked directory or the path as given (``docs/vendor``, ``*/build/*``)."""
    if not globs:
        return False
    rel = os.path.relpath(path, top).replace(os.sep, "/")
    given = os.path.normpath(path).replace(os.sep, "/")
    for glob in globs:
        pat = glob.rstrip("/")
        pat = pat[2:] if pat.startswith("./") else pat
        if "/" not in pat:
            if fnmatch.fnmatchcase(name, pat):
                return True
        elif fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(given, pat):
            return True
    return False


class _Walk:
    def __init__(self, top: str, patterns: Sequence[str], exclude: tuple[str, ...], git: _Git | None,
                 note: Callable[[str], None] | None) -> None:
        self.top = top
        self.root = os.path.realpath(top)
        self.patterns = patterns
        self.exclude = exclude
        self.git = git
        self.note = note

    def walk(self, folder: str) -> Iterator[str]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            yield folder
            return
        for entry in entries:
            if entry.name.startswith(".") or _excluded(self.exclude, self.top, entry.path, entry.name):
                continue
            absolute = os.path.normpath(os.path.abspath(entry.path))
            if entry.is_dir(follow_symlinks=False):
                if self.git is None or self.git.keeps_dir(absolute):
                    yield from self.walk(entry.path)
                continue
            if not any(fnmatch.fnmatchcase(entry.name.lower(), p) for p in self.patterns):
                continue
            if self.git is not None and not self.git.keeps_file(absolute):
                continue
            try:
                is_file = entry.is_file()
            except OSError:  # a symlink loop: reading it reports it on one line
                yield entry.path
                continue
            if not is_file:
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if os.path.commonpath([target, self.root]) != self.root:
                    if self.note is not None:
                        self.note(f"{entry.path}: symbolic link to a file outside {self.top}, skipped "
                                  "(name it on the command line to check it)")
                    continue
            yield entry.path


STALE_TEMP_SECONDS = 600  # a temp file of ours this old is left over from a killed run


def atomic_write(path: str, data: bytes | Iterable[bytes], expect: tuple | None = None) -> None:
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
            for piece in (data,) if isinstance(data, (bytes, bytearray)) else data:  # or pieces, in order
                f.write(piece)
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
