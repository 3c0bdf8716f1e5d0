"""The one reader of word-list files: accept-words files (``--accept-words``,
``accept-words-file``) and the word lists of rule packs (``allow: names.txt``).

Format: UTF-8 (a byte-order mark is dropped), one entry a line, white space around it
ignored, blank lines ignored. ``#`` starts a comment at the start of a line (indented or
not) or after white space, so ``Kirbyson  # our brand`` is the entry ``Kirbyson``, while a
``#`` inside an entry (``C#``) is kept.
"""
from __future__ import annotations

import os
import re
import stat

MAX_WORD_FILE_BYTES = 10_000_000   # a word list of names and brands; /dev/zero is not one

# a comment: "#" at the start of the line or after white space, to the end of the line
_COMMENT = re.compile(r"(?:^|\s)#.*\Z", re.DOTALL)


def parse_words(text: str) -> tuple[str, ...]:
    """The entries of a word list's text, in order (duplicates kept)."""
    entries = []
    for raw in text.splitlines():
        entry = _COMMENT.sub("", raw).strip()
        if entry:
            entries.append(entry)
    return tuple(entries)


def read_word_file(path: str | os.PathLike[str], where: str) -> tuple[str, ...]:
    """The entries of the word file at ``path``, in order.

    Only a regular UTF-8 file of at most ``MAX_WORD_FILE_BYTES`` is read (not /dev/zero);
    otherwise ``ValueError`` with a one-line message that starts with ``where``.
    """
    path = os.fspath(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{where}: {path!r} is not a regular file")
        if info.st_size > MAX_WORD_FILE_BYTES:
            raise ValueError(f"{where}: {path!r} is too large ({info.st_size:,} bytes; "
                             f"at most {MAX_WORD_FILE_BYTES:,})")
        with open(path, "rb") as fh:
            data = fh.read(MAX_WORD_FILE_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"{where}: cannot read {path!r}: {(exc.strerror or str(exc)).lower()}") from None
    if len(data) > MAX_WORD_FILE_BYTES:  # it grew while we looked
        raise ValueError(f"{where}: {path!r} is too large (at most {MAX_WORD_FILE_BYTES:,} bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"{where}: {path!r} is not UTF-8 (line {line}); save it as UTF-8") from None
    return parse_words(text)


def read_word_set(path: str | os.PathLike[str], where: str) -> frozenset[str]:
    """:func:`read_word_file` as a set (accept-words)."""
    return frozenset(read_word_file(path, where))
