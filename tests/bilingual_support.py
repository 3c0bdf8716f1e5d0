"""Helpers shared by the tests of repair/bilingual (not a test module itself)."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "bilingual"


def read(name: str) -> str:
    with open(SAMPLES / name, encoding="utf-8", newline="") as fh:
        return fh.read()


def decode_po(raw: str) -> str:
    if raw.startswith("\\"):
        simple = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f",
                  "v": "\v", "'": "'", "?": "?"}
        if raw[1] in simple:
            return simple[raw[1]]
        if raw[1] == "x":
            return chr(int(raw[2:], 16))
        return chr(int(raw[1:], 8))
    return raw


def decode_xml(raw: str) -> str:
    if raw.startswith("&"):
        return html.unescape(raw)
    if raw in ("\r\n", "\r"):
        return "\n"
    m = re.fullmatch(r'<cp hex="([0-9A-Fa-f]+)"\s*/>', raw)
    if m:
        return chr(int(m.group(1), 16))
    return raw


def decode_json(raw: str) -> str:
    return json.loads('"' + raw + '"')


def decode_csv(raw: str) -> str:
    return '"' if raw == '""' else raw


def assert_positions(doc, decode_one) -> int:
    """Every character of every target (and source) maps to the file text that spells it."""
    checked = 0
    for unit in doc.units:
        for string, pm in ((unit.target, unit.positions), (unit.source, unit.source_positions)):
            if pm is None:
                continue
            assert len(pm.starts) == len(pm.ends) == len(string), unit.key
            previous = -1
            for i, ch in enumerate(string):
                a, b = pm.starts[i], pm.ends[i]
                assert previous <= a < b, (unit.key, i)
                raw = doc.text[a:b]
                assert raw == ch or decode_one(raw) == ch, (unit.key, i, ch, raw)
                previous = b
                checked += 1
            if string:
                assert pm.end >= pm.ends[-1]
        for a, b in unit.protected:
            assert unit.target[a:b] == doc.text[unit.positions.starts[a]:unit.positions.ends[b - 1]]
        if unit.segments and unit.target:
            assert unit.segments[0].start <= unit.positions.starts[0]
            assert unit.positions.ends[-1] <= unit.segments[-1].end
    return checked


def assert_only_target_changed(parse, splice, doc, unit, new: str, **kw) -> str:
    """Splice one new target: the text before and after the unit's raw pieces is untouched, the unit
    reads back as `new`, every other unit reads back as before."""
    out = splice(doc, {unit.key: new}, **kw)
    a, b = unit.segments[0].start, unit.segments[-1].end
    assert out[:a] == doc.text[:a]
    tail = doc.text[b:]
    assert out[len(out) - len(tail):] == tail
    again = parse(out)
    assert again.unit(unit.key).target == new
    assert [u.key for u in again.units] == [u.key for u in doc.units]
    for old in doc.units:
        if old.key != unit.key:
            assert again.unit(old.key).target == old.target
            assert again.unit(old.key).source == old.source
    return out


def rendered(target: str, protected) -> str:
    """What an XML library's itertext() gives for a target: markup of the protected codes removed,
    the text inside them (a <ph>'s native code) decoded."""
    out, last = [], 0
    for a, b in protected:
        out.append(target[last:a])
        out.append(html.unescape(re.sub(r"<[^>]*>", "", target[a:b])))
        last = b
    out.append(target[last:])
    return "".join(out)
