"""Tables with a source and a target column: CSV, TSV and JSON Lines.

CSV and TSV follow Python's `csv` module (the `excel` and `excel-tab` dialects): the first row names
the columns; a cell that starts with `"` is quoted (`""` inside stands for one quote; the delimiter and
line breaks may appear inside); a quote elsewhere in an unquoted cell is an ordinary character; rows end
at CR LF, LF or CR; blank lines are skipped. JSON Lines: one JSON object per line (blank lines
skipped); string values are decoded (`\\uXXXX` escapes and surrogate pairs included).

Columns: `source_field` and `target_field` (defaults `source` and `target`; the target column must
exist, the source column may not), `id_field` (default `id`; the data row's 1-based number when
absent) and `context_field` (default `context`; an empty cell is no context), used when present. The unit key is the data row's
1-based number as a string. A row without a target cell, or whose JSON target is not a string, gives a
unit with an empty target that cannot be changed.

`splice` re-writes only the changed cells: a quoted CSV cell stays quoted (quotes doubled), an unquoted
one is quoted only when its new value needs it (delimiter, quote, CR or LF inside); a JSON string is
re-escaped like `json.dumps`, with `\\uXXXX` for every non-ASCII character when the file writes them so
(no raw non-ASCII character anywhere and such escapes present). Tables have no review flag: `review=True`
is refused (BilingualFormatError).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Mapping

from .units import (BilingualDocument, BilingualFormatError, PositionMap, RawPiece, Unit, apply_edits, fail,
                    resolve_changes)


@dataclass
class _Cell:
    value: str
    starts: list[int]
    ends: list[int]
    start: int  # raw span of the cell (quotes included)
    end: int
    quoted: bool

    def positions(self) -> PositionMap:
        return PositionMap(tuple(self.starts), tuple(self.ends), self.end - 1 if self.quoted else self.end)

    def piece(self) -> RawPiece:
        return RawPiece(self.start + 1, self.end - 1) if self.quoted else RawPiece(self.start, self.end)


def _csv_rows(text: str, delim: str):
    """Yield (row start offset, [cells]) for each non-blank row."""
    i, n = 0, len(text)
    while i < n:
        row_start = i
        cells: list[_Cell] = []
        while True:
            if i < n and text[i] == '"':
                q = i
                chars, starts, ends = [], [], []
                i += 1
                while True:
                    if i >= n:
                        raise fail(text, q, "unterminated quoted cell")
                    if text[i] == '"':
                        if text.startswith('""', i):
                            chars.append('"')
                            starts.append(i)
                            ends.append(i + 2)
                            i += 2
                            continue
                        i += 1
                        break
                    chars.append(text[i])
                    starts.append(i)
                    ends.append(i + 1)
                    i += 1
                if i < n and text[i] not in (delim, "\r", "\n"):
                    raise fail(text, i, "text after the closing quote of a cell")
                cells.append(_Cell("".join(chars), starts, ends, q, i, True))
            else:
                a = i
                while i < n and text[i] not in (delim, "\r", "\n"):
                    i += 1
                cells.append(_Cell(text[a:i], list(range(a, i)), list(range(a + 1, i + 1)), a, i, False))
            if i < n and text[i] == delim:
                i += 1
                continue
            break
        if i < n:
            i += 2 if text.startswith("\r\n", i) else 1
        if not (len(cells) == 1 and not cells[0].quoted and cells[0].value == ""):
            yield row_start, cells


def _table_units(text: str, fmt: str, rows, source_field, target_field, id_field, context_field):
    header_at, header = next(rows, (0, None))
    if header is None:
        raise fail(text, 0, "empty table: no header row")
    names = [c.value for c in header]
    if names and names[0].startswith("\ufeff"):  # a byte-order mark (spreadsheets write one)
        names[0] = names[0][1:]
    for name in set(names):
        if names.count(name) > 1:
            raise fail(text, header_at, f"column {name!r} appears twice in the header")
    if target_field not in names:
        raise fail(text, header_at, f"no target column {target_field!r} (columns: {', '.join(names)})")
    col = {name: k for k, name in enumerate(names)}
    units = []
    for number, (_, cells) in enumerate(rows, start=1):
        units.append(_unit(number, cells, col, source_field, target_field, id_field, context_field, text))
    return BilingualDocument(fmt, text, tuple(units), raw={"delimiter": "," if fmt == "csv" else "\t"})


def _get(cells, col, name):
    k = col.get(name)
    return cells[k] if k is not None and k < len(cells) else None


def _unit(number, cells, col, source_field, target_field, id_field, context_field, text) -> Unit:
    source = _get(cells, col, source_field)
    target = _get(cells, col, target_field)
    ident = _get(cells, col, id_field)
    context = _get(cells, col, context_field)
    segments: tuple = ()
    if target is not None:
        positions, segments, tvalue = target.positions(), (target.piece(),), target.value
    else:
        end = cells[-1].end if cells else 0
        positions, segments, tvalue = PositionMap((), (), end), (), ""
    return Unit(key=str(number), id=ident.value if ident is not None else str(number),
                context=context.value if context is not None and context.value else None,
                source=source.value if source is not None else None, target=tvalue, segments=segments,
                positions=positions, source_positions=source.positions() if source is not None else None,
                raw={"cell": target, "lone": len(cells) == 1})


def parse_csv(text: str, *, source_field: str = "source", target_field: str = "target", id_field: str = "id",
              context_field: str = "context", delimiter: str = ",") -> BilingualDocument:
    fmt = "tsv" if delimiter == "\t" else "csv"
    return _table_units(text, fmt, _csv_rows(text, delimiter), source_field, target_field, id_field,
                        context_field)


def parse_tsv(text: str, **fields) -> BilingualDocument:
    return parse_csv(text, delimiter="\t", **fields)


# --- JSON Lines ----------------------------------------------------------------------------------

_WS = " \t\r\n"
_JSON_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_DECODER = json.JSONDecoder()


def _json_string(text: str, q: int, end: int) -> tuple[_Cell, int]:
    chars, starts, ends = [], [], []
    i = q + 1
    while True:
        if i >= end:
            raise fail(text, q, "unterminated JSON string")
        c = text[i]
        if c == '"':
            break
        if c == "\\":
            e = text[i + 1] if i + 1 < end else ""
            if e in _JSON_SIMPLE:
                ch, k = _JSON_SIMPLE[e], i + 2
            elif e == "u" and _HEX4.match(text, i + 2, end):
                code = int(text[i + 2:i + 6], 16)
                k = i + 6
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", k) and _HEX4.match(text, k + 2, end):
                    low = int(text[k + 2:k + 6], 16)
                    if 0xDC00 <= low < 0xE000:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                ch = chr(code)
            else:
                raise fail(text, i, "invalid escape in a JSON string")
        elif ord(c) < 0x20:
            raise fail(text, i, f"control character U+{ord(c):04X} inside a JSON string")
        else:
            ch, k = c, i + 1
        chars.append(ch)
        starts.append(i)
        ends.append(k)
        i = k
    return _Cell("".join(chars), starts, ends, q, i + 1, True), i + 1


def _json_object(text: str, a: int, b: int) -> dict[str, object]:
    """The top-level members of the object on text[a:b]: string values as _Cells, others decoded."""
    i = a + 1 if a == 0 and text.startswith("\ufeff") else a  # a byte-order mark
    while i < b and text[i] in _WS:
        i += 1
    if i >= b or text[i] != "{":
        raise fail(text, i, "a JSON Lines row must be a JSON object")
    i += 1
    members: dict[str, object] = {}
    first = True
    while True:
        while i < b and text[i] in _WS:
            i += 1
        if i < b and text[i] == "}" and first:
            i += 1
            break
        if i >= b or text[i] != '"':
            raise fail(text, i, "expected a member name in quotes")
        key, i = _json_string(text, i, b)
        while i < b and text[i] in _WS:
            i += 1
        if i >= b or text[i] != ":":
            raise fail(text, i, "expected ':' after a member name")
        i += 1
        while i < b and text[i] in _WS:
            i += 1
        if i < b and text[i] == '"':
            value, i = _json_string(text, i, b)
        else:
            try:
                value, i = _DECODER.raw_decode(text[:b], i)
            except json.JSONDecodeError as exc:
                raise fail(text, exc.pos, f"invalid JSON: {exc.msg}") from None
        members[key.value] = value
        first = False
        while i < b and text[i] in _WS:
            i += 1
        if i < b and text[i] == ",":
            i += 1
            continue
        if i < b and text[i] == "}":
            i += 1
            break
        raise fail(text, i, "expected ',' or '}' in a JSON object")
    while i < b and text[i] in _WS:
        i += 1
    if i < b:
        raise fail(text, i, "text after the JSON object on this line")
    return members


def parse_jsonl(text: str, *, source_field: str = "source", target_field: str = "target", id_field: str = "id",
                context_field: str = "context") -> BilingualDocument:
    units = []
    number = 0
    i, n = 0, len(text)
    while i < n:
        j = text.find("\n", i)
        end = n if j < 0 else j
        if text[i:end].strip(_WS):
            number += 1
            members = _json_object(text, i, end)
            cells = {k: v for k, v in members.items() if isinstance(v, _Cell)}
            col = {name: k for k, name in enumerate(cells)}
            row = list(cells.values())
            unit = _unit(number, row, col, source_field, target_field, id_field, context_field, text)
            ident = members.get(id_field)
            if ident is not None and not isinstance(ident, _Cell):
                unit = replace(unit, id=json.dumps(ident, ensure_ascii=False))
            units.append(unit)
        i = end + 1
    ascii_style = not re.search(r"[^\x00-\x7f]", text) and bool(
        re.search(r"\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})", text))
    return BilingualDocument("jsonl", text, tuple(units), raw={"ascii": ascii_style})


def parse(text: str, kind: str = "csv", **fields) -> BilingualDocument:
    """Parse a table of `kind` "csv", "tsv" or "jsonl"."""
    readers = {"csv": parse_csv, "tsv": parse_tsv, "jsonl": parse_jsonl}
    if kind not in readers:
        raise ValueError(f"unknown table kind {kind!r} (csv, tsv or jsonl)")
    return readers[kind](text, **fields)


def json_string(value: str, ascii_only: bool) -> str:
    out = json.dumps(value, ensure_ascii=ascii_only)
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", out)


def _csv_cell(cell: _Cell, value: str, delim: str) -> str:
    if cell.quoted or any(c in value for c in (delim, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def splice(doc: BilingualDocument, changes: Mapping, *, review: bool = False) -> str:
    """The file text with only the changed target cells rewritten."""
    if review:
        raise BilingualFormatError("tables have no review flag; splice them with review=False")
    edits = []
    for unit, new in resolve_changes(doc, changes):
        cell: _Cell | None = unit.raw["cell"]
        if cell is None:
            raise BilingualFormatError(f"row {unit.key} has no target cell to rewrite")
        if doc.format == "jsonl":
            edits.append((cell.start, cell.end, json_string(new, doc.raw["ascii"])))
        else:
            cell_text = _csv_cell(cell, new, doc.raw["delimiter"])
            if cell_text == "" and unit.raw["lone"]:
                cell_text = '""'  # an empty line would be no row at all (csv.writer does the same)
            edits.append((cell.start, cell.end, cell_text))
    return apply_edits(doc.text, edits)
