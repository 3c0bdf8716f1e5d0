"""Markdown: which parts of a file are prose and which are markup or code.

The file is parsed with markdown-it-py (CommonMark plus GFM tables and
strikethrough). Its block tokens carry line ranges; we scan the original text
for the inline constructs the tokens say are there, so every span is an exact
offset into the text as read (CRLF, CR and LF line breaks alike, tabs, NULs).

Never flagged or edited: front matter (YAML ``---`` or TOML ``+++``), fenced and
indented code blocks, HTML blocks (comments included), link reference
definitions, thematic breaks, setext underlines, table delimiter rows, inline
code, inline HTML, autolinks, link and image targets (``](...)``, ``][ref]``)
and bare URLs. Prose, headings, list items, block quotes and table cells are
checked. Blocks nested deeper than the parser's limit (20 levels: block quotes, or
lists from 10 levels) get no tokens from it; their lines are read again without
their quote and list markers, as a Markdown document of their own, so their prose
is checked too (the markers are left as on any quoted line).
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from .model import Span

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FRONT_MATTER_OPEN = {"---": ("---", "..."), "+++": ("+++",)}
# A bare URL or www. host in prose; trailing punctuation is left to the sentence.
_BARE_URL = re.compile(
    r"(?:\b[a-zA-Z][a-zA-Z0-9+.\-]{1,31}://|\bwww\.)[^\s<>`\"]*[^\s<>`\".,;:!?)\]'*_]"
    r"|\bmailto:[^\s<>`\"]+[^\s<>`\".,;:!?)]"
    r"|\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b"
)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9]"
                       r"(?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*)>")
_SETEXT_UNDERLINE = re.compile(r"[ \t]*(?:=+|-+)[ \t]*\Z")
# the quote and list markers in front of a line of a block nested too deep to parse
_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t]|\Z)|\d{1,9}[.)](?=[ \t]|\Z)))*[ \t]*")
_CONTAINERS = ("blockquote", "list_item", "bullet_list", "ordered_list")
_MAX_REPARSE = 8  # each reparse strips every marker in front of its lines: more is never needed


@functools.lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _Lines:
    """Offsets of the lines of ``text`` as markdown-it counts them (CRLF, CR, LF)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        # end of each line's content (before its line break)
        self.ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]
        if self.starts[-1] == len(text) and len(self.starts) > 1:
            # a trailing line break does not start another line
            self.starts.pop()
            self.ends.pop()

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> str:
        return self.text[self.starts[i]:self.ends[i]]


def front_matter_lines(lines: _Lines) -> int:
    """How many lines at the top are front matter (0 when there is none)."""
    if not len(lines):
        return 0
    first = lines.line(0).rstrip()
    closers = _FRONT_MATTER_OPEN.get(first)
    if closers is None:
        return 0
    for i in range(1, len(lines)):
        if lines.line(i).rstrip() in closers:
            return i + 1
    return 0


def protected_spans(text: str) -> list[Span]:
    """Spans of ``text`` (Markdown) that are markup or code, sorted and merged."""
    return list(_scan(text)[0])


def code_spans(text: str) -> list[Span]:
    """Only the code of ``text`` (Markdown): fenced and indented blocks and inline code."""
    return list(_scan(text)[1])


@functools.lru_cache(maxsize=4)
def _scan(text: str, depth: int = 0) -> tuple[list[Span], list[Span]]:
    if not text:
        return [], []
    lines = _Lines(text)
    spans: list[Span] = []
    fm = front_matter_lines(lines)
    source = text
    if fm:
        spans.append(Span(0, lines.ends[fm - 1]))
        # the parser sees blank lines there, so line numbers stay the same
        source = "\n" * fm + text[lines.starts[fm]:] if fm < len(lines) else "\n" * fm
    tokens = _parser().parse(source)

    prose = [False] * len(lines)
    inline_tokens = []
    setext: list[int] = []
    code: list[Span] = []
    for tok in tokens:
        if tok.type in ("fence", "code_block") and tok.map and tok.map[0] < len(lines):
            last = min(tok.map[1], len(lines)) - 1
            code.append(Span(lines.starts[tok.map[0]], lines.ends[last]))
        if tok.type == "inline" and tok.map:
            inline_tokens.append(tok)
            for i in range(tok.map[0], min(tok.map[1], len(lines))):
                prose[i] = True
        elif tok.type == "heading_open" and tok.map and tok.markup in ("=", "-"):
            setext.append(tok.map[1] - 1)
    for i in setext:
        if 0 <= i < len(lines) and _SETEXT_UNDERLINE.match(lines.line(i)):
            prose[i] = False
    if depth < _MAX_REPARSE:
        for first, last in _too_deep(tokens, len(lines)):
            found, found_code = _reparse(lines, first, last, depth)
            spans.extend(found)
            code.extend(found_code)
            for i in range(first, last):
                prose[i] = True
    # Every non-blank line outside an inline run is markup or code.
    for i in range(fm, len(lines)):
        if not prose[i] and lines.line(i).strip():
            spans.append(Span(lines.starts[i], lines.ends[i]))

    cursor = 0
    for tok in inline_tokens:
        first, last = tok.map[0], min(tok.map[1], len(lines))
        if first >= len(lines):
            continue
        region = Span(lines.starts[first], lines.ends[last - 1])
        cursor = max(cursor, region.start)
        inline, cursor = _inline_spans(text, region, tok.children or (), cursor)
        spans.extend(span for span, _ in inline)
        code.extend(span for span, kind in inline if kind == "code_inline")
        spans.extend(_targets_and_urls(text, region, [span for span, _ in inline]))
    return merge(spans, text), merge(code)


def _too_deep(tokens, n_lines: int) -> list[tuple[int, int]]:
    """Line ranges of containers the parser opened and left empty although their lines hold
    text: beyond its nesting limit it gives their content no tokens at all."""
    out = []
    for tok, nxt in zip(tokens, tokens[1:]):
        if (tok.nesting == 1 and tok.map and tok.type[:-5] in _CONTAINERS and tok.type.endswith("_open")
                and nxt.type == tok.type[:-5] + "_close" and tok.map[0] < n_lines):
            out.append((tok.map[0], min(tok.map[1], n_lines)))
    return out


def _reparse(lines: _Lines, first: int, last: int, depth: int) -> tuple[list[Span], list[Span]]:
    """Protected and code spans of lines ``first``..``last`` read as a document of their own,
    without the quote and list markers in front of them."""
    text = lines.text
    starts = []
    for i in range(first, last):
        m = _CONTAINER_PREFIX.match(text, lines.starts[i], lines.ends[i])
        assert m is not None  # the prefix pattern matches the empty string
        starts.append(m.end())
    sub = "\n".join(text[start:lines.ends[i]] for start, i in zip(starts, range(first, last)))
    sub_starts = [0]
    for start, i in zip(starts, range(first, last - 1)):
        sub_starts.append(sub_starts[-1] + lines.ends[i] - start + 1)
    protected, code = _scan(sub, depth + 1) if sub.strip() else ([], [])

    def back(spans: list[Span]) -> list[Span]:
        out = []
        for span in spans:
            for k, sub_start in enumerate(sub_starts):
                sub_end = sub_start + lines.ends[first + k] - starts[k]
                lo, hi = max(span.start, sub_start), min(span.end, sub_end)
                if lo < hi:
                    out.append(Span(starts[k] + lo - sub_start, starts[k] + hi - sub_start))
        return out

    # the markers stay visible, as on any quoted or listed line: Harper parses them itself
    return back(protected), back(code)


def _escaped(text: str, pos: int) -> bool:
    n = 0
    while pos - n - 1 >= 0 and text[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _backtick_run(text: str, start: int, end: int, length: int) -> int | None:
    """The next run of exactly ``length`` backticks in text[start:end] (not escaped)."""
    i = start
    while True:
        i = text.find("`", i, end)
        if i < 0:
            return None
        j = i
        while j < end and text[j] == "`":
            j += 1
        run_start = i
        if _escaped(text, i):
            run_start = i + 1
        if j - run_start == length:
            return run_start
        i = j


def _inline_spans(text: str, region: Span, children: Iterable, cursor: int) -> tuple[list[tuple[Span, str]], int]:
    """Code spans, inline HTML and autolinks of one inline token, located in order."""
    out: list[tuple[Span, str]] = []
    end = region.end
    for child in children:
        if child.type == "code_inline":
            n = len(child.markup) or 1
            opening = _backtick_run(text, cursor, end, n)
            if opening is None:
                continue
            closing = _backtick_run(text, opening + n, end, n)
            if closing is None:
                continue
            out.append((Span(opening, closing + n), child.type))
            cursor = closing + n
        elif child.type == "html_inline" and child.content:
            at = text.find(child.content, cursor, end)
            if at < 0:  # content with a line break: the file's may be CRLF or CR
                m = None
                if "\n" in child.content:
                    pattern = r"(?:\r\n|\r|\n)".join(re.escape(part) for part in child.content.split("\n"))
                    m = re.compile(pattern).search(text, cursor, end)
                if m is None:
                    continue
                at, stop = m.start(), m.end()
            else:
                stop = at + len(child.content)
            out.append((Span(at, stop), child.type))
            cursor = stop
        elif child.type == "link_open" and child.markup == "autolink":
            m = _AUTOLINK.search(text, cursor, end)
            if m is None:
                continue
            out.append((Span(m.start(), m.end()), "autolink"))
            cursor = m.end()
    return out, cursor


def _inside(pos: int, spans: list[Span]) -> bool:
    return any(s.start <= pos < s.end for s in spans)


def _closing_paren(text: str, start: int, end: int) -> int | None:
    """Index just past the ``)`` closing the ``(`` at ``start`` (balanced, escapes, <...>)."""
    depth = 0
    i = start
    angle = False
    while i < end:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if angle:
            if c == ">":
                angle = False
        elif c == "<" and i == start + 1:
            angle = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _targets_and_urls(text: str, region: Span, code: list[Span]) -> list[Span]:
    """Link and image targets (``](dest "title")``, ``][label]``) and bare URLs in prose."""
    out: list[Span] = []
    i = region.start
    while True:
        i = text.find("]", i, region.end)
        if i < 0:
            break
        if _escaped(text, i) or _inside(i, code):
            i += 1
            continue
        nxt = i + 1
        if nxt < region.end and text[nxt] == "(":
            stop = _closing_paren(text, nxt, region.end)
            if stop is not None:
                out.append(Span(i, stop))
                i = stop
                continue
        elif nxt < region.end and text[nxt] == "[":
            stop = text.find("]", nxt + 1, region.end)
            if stop >= 0:
                out.append(Span(i, stop + 1))
                i = stop + 1
                continue
        i += 1
    taken = code + out
    for m in _BARE_URL.finditer(text, region.start, region.end):
        if not _inside(m.start(), taken):
            out.append(Span(m.start(), m.end()))
    return out


def merge(spans: Iterable[Span], text: str | None = None) -> list[Span]:
    """Sorted, with overlapping or touching spans joined (and, given ``text``, spans
    separated by a single line break, so a code block is one span); empty spans dropped."""
    out: list[Span] = []
    for s in sorted(s for s in spans if s.end > s.start):
        if out and (s.start <= out[-1].end
                    or (text is not None and text[out[-1].end:s.start] in ("\n", "\r\n", "\r"))):
            if s.end > out[-1].end:
                out[-1] = Span(out[-1].start, s.end)
        else:
            out.append(s)
    return out


def prose_spans(text: str) -> list[Span]:
    """The complement of :func:`protected_spans` (for tools that want the prose itself)."""
    out: list[Span] = []
    pos = 0
    for s in protected_spans(text):
        if s.start > pos:
            out.append(Span(pos, s.start))
        pos = s.end
    if pos < len(text):
        out.append(Span(pos, len(text)))
    return out
