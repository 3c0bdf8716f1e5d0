"""Gettext PO and POT (`.po`, `.pot`).

Supported: `msgctxt`, `msgid`, `msgid_plural`, `msgstr` and `msgstr[N]` with strings wrapped over
several `"..."` lines (leading whitespace allowed), C escapes (`\\n \\t \\r \\" \\\\ \\a \\b \\f \\v \\' \\?`,
octal `\\ooo`, hex `\\xHH`), translator (`# `) and extracted (`#.`) comments as notes, `#:` references
as locations, `#,` flags (`fuzzy`, `c-format`, ...). Each msgstr is a unit; a plural entry gives one
unit per `msgstr[N]` (`plural_index` N; its source is `msgid` for N = 0 and `msgid_plural` for the
others). Fuzzy entries are units (flag `fuzzy`). Not units: the header entry (empty msgid and no
context; its `Language:` is the target language, `X-Source-Language:` the source language when
present), obsolete `#~` entries (never returned, never changed). A POT's units have empty targets.
Keys: `msgid`, or `msgctxt + "\\x04" + msgid` with a context (gettext's own convention), plus `[N]`
for a plural form; a repeated entry gets ` #2`.

`splice` rewrites only the changed `msgstr` lines. A msgstr that was on one line stays on one line; one
that was wrapped is re-wrapped like gettext does (first line `msgstr ""`, a break after each `\\n`, long
lines broken after spaces so that a line with its quotes fits the file's width: 79 like msgcat unless
the file's own wrapped lines show another width, no width limit in a `--no-wrap` file); an empty
msgstr follows the file's style. Lines keep the file's line ending. `review=True` adds `fuzzy` to the
`#,` line of a changed entry (or inserts `#, fuzzy` where gettext puts it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping

from .units import (BilingualDocument, BilingualFormatError, PositionMap, RawPiece, Unit, apply_edits, fail,
                    newline_of, resolve_changes, unique_keys)

_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[ \t\"]|$)[ \t]*")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f",
           "v": "\v", "'": "'", "?": "?"}
_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
           "\f": "\\f", "\v": "\\v"}
DEFAULT_WIDTH = 79


@dataclass
class _Str:
    """One keyword's string: decoded value, per-character file spans, the quoted tokens."""

    keyword: str
    start: int  # the keyword
    chars: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    tokens: list[tuple[int, int]] = field(default_factory=list)  # inside of each "...": (after ", at ")
    token_values: list[str] = field(default_factory=list)

    @property
    def value(self) -> str:
        return "".join(self.chars)

    @property
    def end(self) -> int:
        return self.tokens[-1][1] + 1

    def positions(self) -> PositionMap:
        return PositionMap(tuple(self.starts), tuple(self.ends), self.tokens[-1][1])


@dataclass
class _Entry:
    start: int
    comment_start: int | None = None
    flags_line: tuple[int, int] | None = None  # span of the first "#," line
    first_previous: int | None = None  # start of the first "#|" line
    keyword_line: int | None = None  # start of the line of the first keyword
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    strings: dict[str, _Str] = field(default_factory=dict)

    def has_msgstr(self) -> bool:
        return any(k.startswith("msgstr") for k in self.strings)


def _read_string(text: str, i: int, line_end: int, into: _Str) -> int:
    """Read the quoted string at text[i] == '"'; return the offset after its closing quote."""
    j = i + 1
    value_start = len(into.chars)
    while True:
        if j >= line_end:
            raise fail(text, i, "unterminated string (no closing quote on this line)")
        c = text[j]
        if c == '"':
            break
        if c == "\\":
            if j + 1 >= line_end:
                raise fail(text, i, "unterminated string (it ends with a backslash)")
            e = text[j + 1]
            if e in _SIMPLE:
                ch, k = _SIMPLE[e], j + 2
            elif e in "01234567":
                m = re.compile(r"[0-7]{1,3}").match(text, j + 1, line_end)
                assert m is not None  # e is an octal digit
                ch, k = chr(int(m.group(), 8)), m.end()
            elif e == "x":
                m = re.compile(r"[0-9a-fA-F]{1,2}").match(text, j + 2, line_end)
                if not m:
                    raise fail(text, j, "\\x without hex digits")
                ch, k = chr(int(m.group(), 16)), m.end()
            else:
                raise fail(text, j, f"unknown escape sequence \\{e}")
            into.chars.append(ch)
            into.starts.append(j)
            into.ends.append(k)
            j = k
        else:
            into.chars.append(c)
            into.starts.append(j)
            into.ends.append(j + 1)
            j += 1
    into.tokens.append((i + 1, j))
    into.token_values.append("".join(into.chars[value_start:]))
    return j + 1


def _lines(text: str):
    i, n = 0, len(text)
    while i < n:
        j = text.find("\n", i)
        end = n if j < 0 else j + 1
        content_end = end - (1 if j >= 0 else 0)
        if content_end > i and text[content_end - 1] == "\r":
            content_end -= 1
        yield i, content_end, end
        i = end


def _lex(text: str) -> list[_Entry]:
    entries: list[_Entry] = []
    current: _Entry | None = None
    pending = _Entry(start=0)
    last_string: _Str | None = None

    def finish(entry: _Entry | None) -> None:
        if entry is None:
            return
        if "msgid" not in entry.strings:
            raise fail(text, entry.keyword_line or entry.start, "entry without msgid")
        if not entry.has_msgstr():
            raise fail(text, entry.keyword_line or entry.start, "entry without msgstr")
        plural = "msgid_plural" in entry.strings
        if plural and "msgstr" in entry.strings or not plural and any("[" in k for k in entry.strings):
            assert entry.keyword_line is not None  # it has a msgid
            raise fail(text, entry.keyword_line, "msgstr[N] and msgid_plural must go together")
        entries.append(entry)

    for start, end, _ in _lines(text):
        stripped_at = start + 1 if start == 0 and text.startswith("\ufeff") else start  # a byte-order mark
        while stripped_at < end and text[stripped_at] in " \t":
            stripped_at += 1
        if stripped_at == end:
            last_string = None
            continue
        c = text[stripped_at]
        if c == "#":
            last_string = None
            if current is not None and current.has_msgstr():
                finish(current)
                current = None
            if current is not None:
                raise fail(text, stripped_at, "comment inside an entry (between its keywords)")
            if text.startswith("#~", stripped_at):
                pending = _Entry(start=end)  # comments above an obsolete entry belong to it
                continue
            if pending.comment_start is None:
                pending.comment_start = start
                pending.start = start
            body = text[stripped_at + 2:end].strip() if end > stripped_at + 1 else ""
            kind = text[stripped_at + 1:stripped_at + 2]
            if kind == ",":
                pending.flags_line = pending.flags_line or (start, end)
                pending.flags += [f.strip() for f in body.split(",") if f.strip()]
            elif kind == ".":
                pending.notes.append(body)
            elif kind == ":":
                pending.locations += body.split()
            elif kind == "|":
                if pending.first_previous is None:
                    pending.first_previous = start
            elif text[stripped_at + 1:end].strip():
                pending.notes.append(text[stripped_at + 1:end].strip())
            continue
        if c == '"':
            if last_string is None:
                raise fail(text, stripped_at, "string without a keyword before it")
            k = _read_string(text, stripped_at, end, last_string)
        else:
            m = _KEYWORD_RE.match(text, stripped_at, end)
            if not m:
                raise fail(text, stripped_at, "expected a keyword (msgid, msgstr, ...), a string or a comment")
            keyword = m.group(1)
            if keyword in ("msgctxt", "msgid") and current is not None and (
                    keyword in current.strings or "msgid" in current.strings):
                finish(current)
                current = None
            if current is None:
                current, pending = pending, _Entry(start=end)
                if current.comment_start is None:
                    current.start = start
                current.keyword_line = start
            if keyword in current.strings:
                raise fail(text, stripped_at, f"{keyword} given twice in one entry")
            if m.end() >= end or text[m.end()] != '"':
                raise fail(text, m.end(), f"{keyword} without a string")
            last_string = current.strings[keyword] = _Str(keyword, stripped_at)
            k = _read_string(text, m.end(), end, last_string)
        rest = text[k:end].strip(" \t")
        if rest:
            raise fail(text, k + len(text[k:end]) - len(text[k:end].lstrip(" \t")), "text after the closing quote")
    finish(current)
    return entries


def parse(text: str) -> BilingualDocument:
    entries = _lex(text)
    units: list[Unit] = []
    keys: list[str] = []
    slang = tlang = None
    header = None
    for entry in entries:
        if entry.strings["msgid"].value == "" and "msgctxt" not in entry.strings:
            header = entry
            break
    if header is not None:
        meta = header.strings.get("msgstr")
        for line in (meta.value if meta else "").split("\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "language" and value.strip():
                tlang = value.strip()
            if name.strip().lower() == "x-source-language" and value.strip():
                slang = value.strip()
    for entry in entries:
        if entry is header:
            continue
        msgid = entry.strings["msgid"].value
        ctx = entry.strings["msgctxt"].value if "msgctxt" in entry.strings else None
        base = msgid if ctx is None else f"{ctx}\x04{msgid}"
        numbered = sorted(((int(k[7:-1]), s) for k, s in entry.strings.items() if k.startswith("msgstr[")),
                          key=lambda f: f[0])
        forms: list[tuple[int | None, _Str]] = list(numbered)
        if not forms:
            forms = [(None, entry.strings["msgstr"])]
        for index, string in forms:
            if index:
                source = entry.strings["msgid_plural"]
            else:
                source = entry.strings["msgid"]
            keys.append(base if index is None else f"{base}[{index}]")
            units.append(Unit(
                key="", id=msgid, context=ctx, source=source.value, target=string.value,
                segments=tuple(RawPiece(a, b) for a, b in string.tokens), positions=string.positions(),
                flags=frozenset(entry.flags), plural_index=index, notes=tuple(entry.notes),
                locations=tuple(entry.locations), source_language=slang, target_language=tlang,
                source_positions=source.positions(), raw={"entry": entry, "string": string}))
    units = [replace(u, key=k) for u, k in zip(units, unique_keys(keys))]
    return BilingualDocument("po", text, tuple(units), slang, tlang, raw={"entries": entries})


# --- writing -------------------------------------------------------------------------------------


def escape(value: str) -> str:
    out = []
    for c in value:
        e = _ESCAPE.get(c)
        if e is None and (ord(c) < 0x20 or ord(c) == 0x7F):
            e = f"\\{ord(c):03o}"
        out.append(e or c)
    return "".join(out)


def file_width(entries: list[_Entry]) -> float:
    """The wrap width the file visibly uses (see the module docstring)."""
    low, high, longest, breaks = 0, float("inf"), 0, False
    for entry in entries:
        for s in entry.strings.values():
            for n, (a, b) in enumerate(s.tokens):
                longest = max(longest, b - a + 2)
                if n + 1 < len(s.tokens) and s.token_values[n] and not s.token_values[n].endswith("\n"):
                    breaks = True
                    low = max(low, b - a + 2)
                    na, nb = s.tokens[n + 1]
                    following = re.match(r"[^ ]* *", "".join(escape(c) for c in s.token_values[n + 1]))
                    assert following is not None  # the pattern matches the empty string
                    word = following.group()
                    high = min(high, b - a + 2 + len(word) - 1 if word else high)
    if not breaks:
        return DEFAULT_WIDTH if longest <= DEFAULT_WIDTH else float("inf")
    for w in (79, 76, 78, 80, 77, 75, 72, 70):
        if low <= w <= high:
            return w
    return max(low, 20)


def format_string(keyword: str, value: str, width: float, newline: str, one_line: bool,
                  indent: str = "") -> str:
    """`keyword "value"`, on one line or wrapped the way gettext wraps."""
    esc = escape(value)
    single = f'{keyword} "{esc}"'
    if one_line or "\n" not in value[:-1] and (len(single) <= width or len(re.findall(r"[^ ]+ *| +", esc)) < 2):
        return single
    lines = [f'{keyword} ""']
    parts = re.findall(r"[^\n]*\n|[^\n]+", value)
    for part in parts:
        current = ""
        for tok in re.findall(r"[^ ]+ *| +", escape(part)):
            if current and len(current) + len(tok) + 2 > width:
                lines.append(f'{indent}"{current}"')
                current = tok
            else:
                current += tok
        if current:
            lines.append(f'{indent}"{current}"')
    return newline.join(lines)


def splice(doc: BilingualDocument, changes: Mapping, *, review: bool = False) -> str:
    """The file text with the changed msgstr strings rewritten and nothing else touched."""
    todo = resolve_changes(doc, changes)
    if not todo:
        return doc.text
    text = doc.text
    newline = newline_of(text)
    width = file_width(doc.raw["entries"])
    edits = []
    marked: set[int] = set()
    for unit, new in todo:
        string: _Str = unit.raw["string"]
        entry: _Entry = unit.raw["entry"]
        one_line = len(string.tokens) == 1 and string.token_values[0] != ""
        indent = ""
        if len(string.tokens) > 1:
            a = string.tokens[1][0] - 1
            line_start = text.rfind("\n", 0, a) + 1
            indent = text[line_start:a]
        edits.append((string.start, string.end, format_string(string.keyword, new, width, newline, one_line,
                                                              indent)))
        if review and "fuzzy" not in entry.flags and id(entry) not in marked:
            marked.add(id(entry))
            if entry.flags_line is not None:
                a, b = entry.flags_line
                at = text.index("#,", a) + 2
                rest = text[at:b].strip(" \t\r\n")
                # "#, c-format" -> "#, fuzzy, c-format"; "#,c-format" -> "#, fuzzy, c-format"; "#," -> "#, fuzzy"
                edits.append((at, at, (" fuzzy," if text[at:at + 1] in (" ", "\t") else " fuzzy, ") if rest
                              else " fuzzy"))
            else:
                line = entry.first_previous if entry.first_previous is not None else entry.keyword_line
                assert line is not None  # a parsed entry has a keyword line
                at = line
                # the line ending of the line it goes before (a file may mix them)
                j = text.find("\n", at)
                ending = newline if j < 0 else ("\r\n" if j > at and text[j - 1] == "\r" else "\n")
                edits.append((at, at, "#, fuzzy" + ending))
    return apply_edits(text, edits)


__all__ = ["parse", "splice", "escape", "format_string", "BilingualFormatError"]
