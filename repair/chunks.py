"""Large texts in bounded chunks: memory that grows with the text, not faster (issue 18 item 8).

A text longer than :func:`threshold` characters (default 4,000,000; ``UNGARBLE_CHUNK_THRESHOLD``
in the environment changes it) is cut into chunks of about a quarter of the threshold at
paragraph boundaries (after a run of blank lines). A single paragraph longer than that is cut
inside, at the last sentence end (``. `` and the like) in the second half of the window, else at
the last white space, else at the window's end (never inside ``\\r\\n``). Each chunk goes through
the ordinary pipeline (:func:`repair.pipeline.run`) on its own, so the pipeline's working set
(every pass's text, its per-paragraph cache, its offset maps) is that of one chunk; the findings
come back shifted to offsets of the whole text, and the repaired chunks in order. Shorter texts
take the ordinary path unchanged.

What a chunk boundary changes, compared with one run over the whole text:

- **Exact duplicate paragraphs** (rules of kind ``duplicate-paragraph``)
  are found across chunks: a compact state keeps a 16-byte digest of each paragraph (white space
  collapsed) as the rule first saw it in its chunk (after encoding repair), with its line and
  paragraph number, so a copy in a later chunk is reported and removed with the same message and
  edit. A copy that only becomes equal to an earlier chunk's paragraph after a rule's edit (a
  second pass) is not found across chunks.
- **Near duplicates** (``match: near``) are found within a chunk only; across chunks they are lost
  (their test needs the earlier paragraph's whole text). Exact copies from earlier chunks are
  still left to the exact rule, as in a whole run.
- **Quotes at the ends of the text** (``quotes`` rules ``hanging-end`` and ``unfinished-end``) run
  on the last chunk only, ``unclosed-start`` on the first chunk only (a closing quote that first
  appears in a later chunk is not seen); ``mixed`` chooses the dominant style per chunk.
- **Readability outliers** (``readability.long-sentence``, ``readability.hard-sentence``) compare
  a sentence with its chunk's median and Flesch score, not the whole text's.
- **Names** (spelling findings dropped for words used as names) and Harper/LanguageTool see one
  chunk at a time; a rule's time budget is per chunk, not per document.
- A paragraph cut inside (a line longer than a chunk) is checked as two paragraphs.
- An ``internal.unstable`` finding points at the start of its chunk (the whole text is still not
  written: the result is unstable).

Markdown is never chunked (a fenced block may hold blank lines). Offsets, lines and columns of
findings are those of the text as read, as always.
"""
from __future__ import annotations

import bisect
import dataclasses
import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from .chunkstate import _CONTEXT, CrossChunk, current  # noqa: F401  (the state lives below the rule kinds)
from .model import Edit, Finding
from .text import BLANK_LINES as _BLANK_LINES  # the pipeline's paragraphs: a lone CRLF is one line break

DEFAULT_THRESHOLD = 4_000_000  # characters
THRESHOLD_ENV = "UNGARBLE_CHUNK_THRESHOLD"

_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*[ \t]+")
_SPACE = re.compile(r"\s")


def threshold() -> int:
    """Texts longer than this many characters are chunked (``UNGARBLE_CHUNK_THRESHOLD``)."""
    value = os.environ.get(THRESHOLD_ENV, "").strip()
    if value:
        try:
            number = int(value.replace("_", ""))
        except ValueError:
            number = 0
        if number > 0:
            return number
    return DEFAULT_THRESHOLD


def chunk_size(limit: int | None = None) -> int:
    return max(1, (limit or threshold()) // 4)


def wanted(text_length: int, options: Any, limit: int | None = None) -> bool:
    """Is a text of this length chunked under these options?"""
    from . import formats

    return text_length > (limit or threshold()) and formats.get(options.input_format).chunkable


def bounds(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive chunks covering ``text``: each ends after a blank-line separator
    when one ends within ``size`` characters of its start, else inside its paragraph (see the module)."""
    pos, n = 0, len(text)
    while pos < n:
        if n - pos <= size:
            yield pos, n
            return
        limit = pos + size
        end = None
        for m in _BLANK_LINES.finditer(text, pos, limit):
            if m.end() < limit or m.end() == n or text[m.end()] not in " \t\r\n":
                end = m.end()  # the last separator that ends inside the window, taken whole
        if end is None or end <= pos:
            end = _cut(text, pos, limit)
        elif n - end <= size and _count_paragraphs(text[end:]) < 2:
            end = n  # the last paragraph stays with the one before it (a duplicate's edit spans both)
        yield pos, end
        pos = end


def _cut(text: str, pos: int, limit: int) -> int:
    """A point inside one long paragraph: a sentence end, else white space, in the window's
    second half; else the window's end (moved off a ``\\r\\n``)."""
    half = pos + (limit - pos) // 2
    last = None
    for m in _SENTENCE_END.finditer(text, half, limit):
        last = m.end()
    if last is not None and last < limit:
        return last
    for i in range(limit - 1, half - 1, -1):
        if _SPACE.match(text, i) and text[i] not in "\r\n":
            return i + 1
    end = limit
    if text[end - 1] == "\r" and end < len(text) and text[end] == "\n":
        end -= 1 if end - 1 > pos else -1
    return end


# --- running -------------------------------------------------------------------------

@dataclass(frozen=True)
class ChunkResult:
    """One chunk's outcome, in offsets of the whole text."""

    start: int
    original: str
    fixed: str
    findings: tuple[Finding, ...]
    applied: tuple[Edit, ...]
    passes: int
    unstable: tuple[str, ...]


class Packed(Sequence):
    """A long sequence kept as compressed pickles of its parts (a 100 MB text has about half a
    million findings: as objects they would outweigh the text); iterating unpacks one part at a time."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._parts: list[bytes] = []
        self._ends: list[int] = []
        self.add(tuple(items))

    def add(self, items: tuple) -> None:
        if items:
            import pickle
            import zlib

            self._parts.append(zlib.compress(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL), 1))
            self._ends.append(len(self) + len(items))

    def _part(self, i: int) -> tuple:
        import pickle
        import zlib

        return pickle.loads(zlib.decompress(self._parts[i]))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self._parts)):
            yield from self._part(i)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        part = bisect.bisect_right(self._ends, index)
        return self._part(part)[index - (self._ends[part - 1] if part else 0)]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, list, Packed)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Packed({len(self)} items in {len(self._parts)} parts)"


def _pack_text(text: str) -> bytes:
    import zlib

    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _unpack_text(data: bytes) -> str:
    import zlib

    return zlib.decompress(data).decode("utf-8", "surrogatepass")


@dataclass(frozen=True, init=False)
class Result:
    """A chunked run, as the commands see a :class:`repair.pipeline.Result`: ``findings`` and
    ``applied`` are :class:`Packed`, the repaired text is kept compressed chunk by chunk and
    ``fixed`` puts it together when asked (``fix`` asks; ``check`` and ``score`` do not)."""

    original: str
    findings: Sequence[Finding]
    applied: Sequence[Edit]
    passes: int
    unstable: tuple[str, ...]
    chunks: int
    packed: tuple[bytes, ...]
    changed: bool

    def __init__(self, original: str, fixed: str | None = None, findings: Sequence[Finding] = (),
                 applied: Sequence[Edit] = (), passes: int = 0, unstable: tuple[str, ...] = (), chunks: int = 0,
                 packed: tuple[bytes, ...] = (), changed: bool | None = None) -> None:
        if fixed is not None:  # dataclasses.replace(result, fixed=...) (check --diff-only does)
            packed, changed = (_pack_text(fixed),), fixed != original
        for name, value in (("original", original), ("findings", findings), ("applied", applied),
                            ("passes", passes), ("unstable", unstable), ("chunks", chunks), ("packed", packed),
                            ("changed", bool(changed))):
            object.__setattr__(self, name, value)

    @property
    def fixed(self) -> str:
        return "".join([_unpack_text(p) for p in self.packed])

    def fixed_parts(self) -> Iterator[str]:
        """The repaired text, chunk by chunk."""
        for p in self.packed:
            yield _unpack_text(p)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PARAGRAPH = re.compile(r"\S")


def _count_paragraphs(text: str) -> int:
    return sum(1 for part in _BLANK_LINES.split(text) if _PARAGRAPH.search(part))


def _checks_for_chunk(checks: Sequence[Any], first: bool, last: bool) -> list[Any]:
    """Drop the quotes rules that judge the ends of the text from chunks that are not at that end."""
    if first and last:
        return list(checks)
    from .checks.rules import RuleCheck

    drop = set()
    if not last:
        drop |= {"quotes-hanging-end", "quotes-unfinished-end"}
    if not first:
        drop.add("quotes-unclosed-start")
    out = []
    for check in checks:
        if isinstance(check, RuleCheck) and check.scope == "document":
            rules = tuple(r for r in check.rules if r.KIND not in drop)
            if not rules:
                continue
            check = dataclasses.replace(check, rules=rules)
        out.append(check)
    return out


def run_chunks(text: str, options: Any, checks: Sequence[Any], size: int | None = None) -> Iterator[ChunkResult]:
    """Run the pipeline over each chunk of ``text`` in order (see the module)."""
    from .pipeline import run

    size = size or chunk_size()
    state = CrossChunk()
    pieces = list(bounds(text, size))
    variants: dict[tuple[bool, bool], list[Any]] = {}
    for i, (start, end) in enumerate(pieces):
        first, last = i == 0, i == len(pieces) - 1
        chunk = text[start:end]
        state.last = last
        key = (first, last)
        if key not in variants:
            variants[key] = _checks_for_chunk(checks, first, last)
        token = _CONTEXT.set(state)
        try:
            result = run(chunk, options, variants[key])
        finally:
            _CONTEXT.reset(token)
        state.commit(_count_paragraphs(chunk), len(_LINE_BREAK.findall(chunk)))
        findings = tuple(f.with_span(f.span.shift(start), f.text) for f in result.findings)
        applied = tuple(Edit(e.span.shift(start), e.replacement, e.rule, e.safety)
                        for e in getattr(result, "applied", ()))
        yield ChunkResult(start, chunk, result.fixed, findings, applied, getattr(result, "passes", 0),
                          tuple(result.unstable))


def analyse(text: str, options: Any, checks: Sequence[Any] | None = None) -> Any:
    """:func:`repair.api.analyse` for texts up to the threshold; above it, chunk by chunk."""
    if not wanted(len(text), options):
        if checks is None:
            from .api import analyse as whole

            return whole(text, options)
        from .pipeline import run

        return run(text, options, checks)
    if checks is None:
        from .api import checks_for

        checks = checks_for(options)
    findings, applied = Packed(), Packed()
    packed: list[bytes] = []
    unstable: set[str] = set()
    passes = count = 0
    changed = False
    for part in run_chunks(text, options, checks):
        findings.add(part.findings)
        applied.add(part.applied)
        packed.append(_pack_text(part.fixed))
        changed = changed or part.fixed != part.original
        unstable.update(part.unstable)
        passes = max(passes, part.passes)
        count += 1
    return Result(text, None, findings, applied, passes, tuple(sorted(unstable)), count, tuple(packed), changed)


def encoded(doc: Any, result: Any, *, utf8: bool = False) -> bytes | Iterator[bytes]:
    """``decode.encode(doc, result.fixed)``; for a chunked file read from a path, its chunks
    encoded one by one, for :func:`repair.files.atomic_write` to stream to its temporary file
    (a character the encoding cannot hold stops the write with the same message and line)."""
    from .decode import encode

    if not isinstance(result, Result) or doc.path == "-":
        return encode(doc, result.fixed, utf8=utf8)
    return _encoded_parts(doc, result, utf8)


def _encoded_parts(doc: Any, result: Result, utf8: bool) -> Iterator[bytes]:
    from .decode import EncodeError, encode

    bare = dataclasses.replace(doc, bom=False)
    lines = 0  # line breaks before this chunk, counted as decode's message counts them
    for i, part in enumerate(result.fixed_parts()):
        try:
            yield encode(doc if i == 0 else bare, part, utf8=utf8)
        except EncodeError as err:
            message = str(err)
            at = message.rfind(" at line ")
            if at != -1 and lines:
                rest = message[at + len(" at line "):]
                digits = len(rest) - len(rest.lstrip("0123456789"))
                message = f"{message[:at]} at line {int(rest[:digits]) + lines}{rest[digits:]}"
            raise EncodeError(message) from None
        lines += part.count("\n") + part.count("\r") - part.count("\r\n")
