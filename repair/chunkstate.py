"""The state that crosses chunk boundaries (see :mod:`repair.chunks`).

It sits low in the layers so that the rule kinds that read it (``duplicate-paragraph``) need not
import the chunk runner, which is built on :mod:`repair.api`.
"""
from __future__ import annotations

import contextvars
import hashlib
from dataclasses import dataclass, field
from typing import Sequence


# --- the state that crosses chunk boundaries ----------------------------------------

@dataclass
class CrossChunk:
    """What a chunk's checks may know of the chunks before it (see duplicate.py)."""

    line_base: int = 0          # lines before this chunk
    paragraph_base: int = 0     # non-blank paragraphs before this chunk
    last: bool = True           # does this chunk end the text?
    # digest of a paragraph (white space collapsed) -> (paragraph number, line), 1-based
    prior: dict[bytes, tuple[int, int]] = field(default_factory=dict)
    pending: dict[bytes, tuple[int, int]] | None = None  # this chunk's, as first seen

    @staticmethod
    def digest(key: str) -> bytes:
        return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def seen_before(self, key: str) -> tuple[int, int] | None:
        return self.prior.get(self.digest(key))

    def record(self, keys: Sequence[tuple[str, int, int]]) -> None:
        """The paragraphs (key, number in chunk, line in chunk; 1-based) of this chunk's first
        pass; later passes of the same chunk record nothing."""
        if self.pending is not None:
            return
        self.pending = {}
        for key, number, line in keys:
            self.pending.setdefault(self.digest(key), (number + self.paragraph_base, line + self.line_base))

    def commit(self, paragraphs: int, lines: int) -> None:
        for digest, where in (self.pending or {}).items():
            self.prior.setdefault(digest, where)
        self.pending = None
        self.paragraph_base += paragraphs
        self.line_base += lines


_CONTEXT: contextvars.ContextVar[CrossChunk | None] = contextvars.ContextVar("ungarble_chunk", default=None)


def current() -> CrossChunk | None:
    """The cross-chunk state while a chunk is checked (None in an ordinary, whole-text run)."""
    return _CONTEXT.get()
