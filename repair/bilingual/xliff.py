"""XLIFF 1.2 and 2.0 (`.xlf`, `.xliff`).

Supported:
- 1.2: every `<trans-unit>` (inside `<file>`, nested `<group>`s too) with its `<source>`, direct-child
  `<target>` (`<alt-trans>` proposals are not targets), `<note>`s, `resname` (as the context) and the
  `<file>`'s `source-language`/`target-language`. Flags: `state=<value>` of the target, `needs-review`
  when that state is a `needs-review-*` one, `approved` for `approved="yes"`.
- 2.0 (and 2.1): one unit per `<segment>` of each `<unit>` (id `unit-id`, or `unit-id/segment-id`
  when a unit has several segments), `<notes><note>`, `srcLang`/`trgLang`; flags `state=<value>` and
  `subState=<value>` of the segment.
- Keys: 1.2 `original#id` (`id` when the `<file>` has no `original`), 2.0 `file-id#unit-id` (with
  `/segment-id` or `/segment-number` when the unit has several segments); a repeated key gets ` #2`.
- Whitespace is as in the file (`xml:space` is not applied); CR LF reads as LF, as XML says.
- Units with `translate="no"` (on the unit or inherited from a group or file) are not returned.
- Inline codes stay in the target string as their markup text and are listed in `Unit.protected`:
  `<g>`, `<mrk>` (1.2) and `<pc>`, `<mrk>` (2.0) protect their start and end tags and leave their
  content as text (unless marked `translate="no"` or `mtype="protected"`); `<x/>`, `<bx/>`, `<ex/>`, `<ph>`, `<bpt>`, `<ept>`, `<it>` (1.2) and `<ph/>`,
  `<sc/>`, `<ec/>`, `<sm/>`, `<em/>` (2.0) and any element of another namespace are protected whole.
  XLIFF 2.0 `<cp hex="..."/>` stands for the character it names.

`splice` rewrites only the content of changed `<target>` elements: prose escaped (`&` and `<` always,
`>` only after `]]` unless the file writes `&gt;` in its text, `"`/`'` only if the file writes
`&quot;`/`&apos;` in its text; a new line in the file's line ending; CR as `&#13;`; a character the
declared encoding cannot hold as `&#x...;`), inline codes byte for byte, a target that was a lone CDATA
section stays one. With `review=True` a changed unit is marked for review: 1.2 sets the target's
`state="needs-review-translation"` (unless it already has a `needs-review-*` state); 2.0 has no
needs-review state, so a changed segment whose state is `reviewed` or `final` goes back to
`state="translated"` (translated, not yet reviewed) and loses its `subState`, which qualified the old
state (the spec: a writer that updates `state` must update or delete `subState`); a segment
without a state (`initial`) or already `translated` keeps it. A unit
without a `<target>` element cannot be changed (BilingualFormatError).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from . import _xml
from .units import (BilingualDocument, BilingualFormatError, Unit, apply_edits, fail, resolve_changes,
                    unique_keys)

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
TRANSPARENT_12 = {"g", "mrk"}
TRANSPARENT_20 = {"pc", "mrk"}


def _cp(el: _xml.Element) -> str | None:
    try:
        code = int(el.attrs.get("hex", ""), 16)
        return chr(code) if 0 <= code <= 0x10FFFF else None
    except ValueError:
        return None


def _translatable(el: _xml.Element) -> bool:
    node: _xml.Element | None = el
    while node is not None:
        value = node.attrs.get("translate")
        if value is not None:
            return value != "no"
        node = node.parent
    return True


def parse(text: str) -> BilingualDocument:
    doc = _xml.parse_xml(text)
    root = doc.root
    if root.local != "xliff":
        raise fail(text, root.start, f"not an XLIFF file: the root element is <{root.qname}>")
    version = root.attrs.get("version", "")
    if root.ns == NS20 or version.startswith("2"):
        return _parse20(doc)
    return _parse12(doc)


def _make(doc, key, uid, context, source_el, target_el, transparent, flags, notes, locations, slang,
          tlang, plural_index=None, extra=None) -> Unit:
    chars_from = {"cp": _cp} if transparent is TRANSPARENT_20 else None
    src = _xml.flatten(doc, source_el, transparent, chars_from) if source_el is not None else None
    if target_el is not None:
        tgt = _xml.flatten(doc, target_el, transparent, chars_from)
        segments = _xml.content_pieces(target_el)
        if target_el.self_closing:
            tgt.end = target_el.start_end
        cdata = (len(target_el.children) == 1 and isinstance(target_el.children[0], _xml.Text)
                 and target_el.children[0].cdata)
    else:
        tgt = _xml.Flat("", [], [], [], source_el.end if source_el is not None else 0)
        segments = ()
        cdata = False
    raw = {"target": target_el, "cdata": cdata, **(extra or {})}
    return Unit(key=key, id=uid, context=context, source=src.text if src else None, target=tgt.text,
                segments=segments, positions=_xml.flat_positions(tgt), protected=tuple(tgt.protected),
                flags=frozenset(flags), plural_index=plural_index, notes=tuple(notes),
                locations=tuple(locations), source_language=slang, target_language=tlang,
                source_positions=_xml.flat_positions(src) if src else None,
                source_protected=tuple(src.protected) if src else (), raw=raw)


def _parse12(doc: _xml.XmlDocument) -> BilingualDocument:
    units: list[Unit] = []
    keys: list[str] = []
    langs: list[tuple[str | None, str | None]] = []

    def walk(node: _xml.Element, file_el: _xml.Element) -> None:
        for child in node.elements():
            if child.local == "group":
                walk(child, file_el)
            elif child.local == "trans-unit" and _translatable(child):
                uid = child.attrs.get("id", "")
                source = child.first("source")
                target = child.first("target")
                flags = set()
                if target is not None and "state" in target.attrs:
                    state = target.attrs["state"]
                    flags.add(f"state={state}")
                    if state.startswith("needs-review"):
                        flags.add("needs-review")
                if child.attrs.get("approved") == "yes":
                    flags.add("approved")
                notes = [n.text() for n in child.elements("note")]
                slang = file_el.attrs.get("source-language")
                tlang = (target.attr("lang", _xml.XML_NS) if target is not None else None) \
                    or file_el.attrs.get("target-language")
                original = file_el.attrs.get("original", "")
                keys.append(f"{original}#{uid}" if original else uid)
                units.append(_make(doc, "", uid, child.attrs.get("resname"), source, target, TRANSPARENT_12,
                                   flags, notes, [], slang, tlang))
                langs.append((slang, tlang))

    for file_el in doc.root.elements("file"):
        body = file_el.first("body")
        if body is not None:
            walk(body, file_el)
    return _finish(doc, "xliff-1.2", units, keys, langs)


def _parse20(doc: _xml.XmlDocument) -> BilingualDocument:
    root = doc.root
    slang = root.attrs.get("srcLang")
    tlang = root.attrs.get("trgLang")
    units: list[Unit] = []
    keys: list[str] = []
    langs: list[tuple[str | None, str | None]] = []

    def walk(node: _xml.Element, fid: str) -> None:
        for child in node.elements():
            if child.local == "group":
                walk(child, fid)
            elif child.local == "unit" and _translatable(child):
                uid = child.attrs.get("id", "")
                notes_el = child.first("notes")
                notes = [n.text() for n in notes_el.elements("note")] if notes_el is not None else []
                segments = list(child.elements("segment"))
                for index, seg in enumerate(segments):
                    sid = seg.attrs.get("id")
                    name = uid if len(segments) == 1 else f"{uid}/{sid if sid is not None else index + 1}"
                    source = seg.first("source")
                    target = seg.first("target")
                    flags = set()
                    state = seg.attrs.get("state")
                    if state is not None:
                        flags.add(f"state={state}")
                    if "subState" in seg.attrs:
                        flags.add(f"subState={seg.attrs['subState']}")
                    lang = (target.attr("lang", _xml.XML_NS) if target is not None else None) or tlang
                    keys.append(f"{fid}#{name}" if fid else name)
                    units.append(_make(doc, "", name, child.attrs.get("name"), source, target, TRANSPARENT_20,
                                       flags, notes, [], slang, lang, extra={"segment": seg}))
                    langs.append((slang, lang))

    for file_el in root.elements("file"):
        walk(file_el, file_el.attrs.get("id", ""))
    return _finish(doc, "xliff-2.0", units, keys, langs, slang, tlang)


def _finish(doc, fmt, units, keys, langs, slang=None, tlang=None) -> BilingualDocument:
    units = [replace(u, key=k) for u, k in zip(units, unique_keys(keys))]
    if slang is None and langs:
        slang = langs[0][0]
    if tlang is None and langs:
        tlang = langs[0][1]
    return BilingualDocument(fmt, doc.text, tuple(units), slang, tlang, raw={"xml": doc})


def splice(doc: BilingualDocument, changes: Mapping, *, review: bool = False) -> str:
    """The file text with the changed targets rewritten and nothing else touched."""
    xml: _xml.XmlDocument = doc.raw["xml"]
    v20 = doc.format == "xliff-2.0"
    style = _xml.Style.of(xml, cp=v20)
    edits = []
    for unit, new in resolve_changes(doc, changes):
        target = unit.raw["target"]
        if target is None:
            raise BilingualFormatError(f"unit {unit.key!r} has no <target> element to rewrite")
        attrs = {}
        if review:
            if v20:
                seg = unit.raw["segment"]
                if seg.attrs.get("state") in ("reviewed", "final"):
                    edits.append(_xml.set_attr(doc.text, seg, "state", "translated"))
                    gone = _xml.remove_attr(doc.text, seg, "subState")  # it qualified the old state
                    if gone is not None:
                        edits.append(gone)
            elif not target.attrs.get("state", "").startswith("needs-review"):
                attrs["state"] = "needs-review-translation"
        edits.extend(_xml.target_edits(doc.text, target, _xml.write_content(unit, new, style), attrs))
    return apply_edits(doc.text, edits)
