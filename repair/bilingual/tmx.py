"""TMX 1.4 (`.tmx`; 1.1's `lang` attribute is read as well as `xml:lang`).

Supported: every `<tu>` of the `<body>`; its `<tuv>`s' `<seg>`s; `<note>`s and `<prop type>`s of the
`<tu>` (as notes, a prop as `type: value`). The source is the `<tuv>` whose language is the header's
`srclang` (compared case-insensitively, then by primary subtag: `en` matches `en-US`); when
`srclang` is `*all*` or no `<tuv>` matches, the first `<tuv>` is the source. Every other `<tuv>` is
a target: a `<tu>` with several target languages gives one unit per target language, keyed
`<tuid or tu number>/<language>` (the `id` is the `tuid`, or the tu's 1-based number). Inline codes
follow the XLIFF rules: `<hi>` protects its tags and keeps its content as text; `<bpt>`, `<ept>`,
`<it>`, `<ph>`, `<ut>` (and foreign elements) are protected whole.

`splice` rewrites only the content of changed `<seg>` elements, escaped as in `xliff.splice`. TMX has
no standard review flag: `review=True` is refused (BilingualFormatError) rather than ignored.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from . import _xml
from .units import BilingualDocument, BilingualFormatError, Unit, apply_edits, fail, resolve_changes, unique_keys

TRANSPARENT = {"hi"}


def _lang(tuv: _xml.Element) -> str | None:
    return tuv.attr("lang", _xml.XML_NS) or tuv.attrs.get("lang")


def _same(a: str | None, b: str | None, loose: bool) -> bool:
    if not a or not b:
        return False
    a, b = a.lower(), b.lower()
    return a == b or loose and a.split("-")[0] == b.split("-")[0]


def parse(text: str) -> BilingualDocument:
    doc = _xml.parse_xml(text)
    root = doc.root
    if root.local != "tmx":
        raise fail(text, root.start, f"not a TMX file: the root element is <{root.qname}>")
    header = root.first("header")
    srclang = header.attrs.get("srclang") if header is not None else None
    body = root.first("body")
    units: list[Unit] = []
    keys: list[str] = []
    target_langs: list[str | None] = []
    for number, tu in enumerate(body.elements("tu") if body is not None else (), start=1):
        tuvs = list(tu.elements("tuv"))
        if not tuvs:
            continue
        src = None
        if srclang and srclang != "*all*":
            src = next((t for t in tuvs if _same(_lang(t), srclang, False)), None) \
                or next((t for t in tuvs if _same(_lang(t), srclang, True)), None)
        src = src or tuvs[0]
        source_seg = src.first("seg")
        source = _xml.flatten(doc, source_seg, TRANSPARENT) if source_seg is not None else None
        notes = [n.text() for n in tu.elements("note")]
        notes += [f"{p.attrs.get('type', '')}: {p.text()}" for p in tu.elements("prop")]
        uid = tu.attrs.get("tuid") or str(number)
        for tuv in tuvs:
            if tuv is src:
                continue
            seg = tuv.first("seg")
            if seg is None:
                continue
            flat = _xml.flatten(doc, seg, TRANSPARENT)
            lang = _lang(tuv)
            keys.append(f"{uid}/{lang}")
            target_langs.append(lang)
            cdata = len(seg.children) == 1 and isinstance(seg.children[0], _xml.Text) and seg.children[0].cdata
            units.append(Unit(
                key="", id=uid, context=None, source=source.text if source else None, target=flat.text,
                segments=_xml.content_pieces(seg), positions=_xml.flat_positions(flat),
                protected=tuple(flat.protected), notes=tuple(notes), source_language=_lang(src),
                target_language=lang, source_positions=_xml.flat_positions(source) if source else None,
                source_protected=tuple(source.protected) if source else (),
                raw={"target": seg, "cdata": cdata}))
    units = [replace(u, key=k) for u, k in zip(units, unique_keys(keys))]
    tlang = target_langs[0] if target_langs and len(set(target_langs)) == 1 else None
    return BilingualDocument("tmx", text, tuple(units), srclang if srclang != "*all*" else None, tlang,
                             raw={"xml": doc})


def splice(doc: BilingualDocument, changes: Mapping, *, review: bool = False) -> str:
    """The file text with the changed `<seg>`s rewritten and nothing else touched."""
    if review:
        raise BilingualFormatError("TMX has no review flag; splice it with review=False")
    style = _xml.Style.of(doc.raw["xml"])
    edits = []
    for unit, new in resolve_changes(doc, changes):
        seg = unit.raw["target"]
        edits.extend(_xml.target_edits(doc.text, seg, _xml.write_content(unit, new, style), {}))
    return apply_edits(doc.text, edits)
