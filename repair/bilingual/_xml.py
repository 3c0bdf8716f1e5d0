"""A small offset-tracking XML reader for XLIFF and TMX, and the inline-code aware target reader and
writer they share.

It builds a light tree whose elements and text nodes know their exact spans in the file text, and
text nodes know where each of their decoded characters came from (an entity or character reference,
a CR LF pair normalised to LF). It is strict: malformed markup, a DOCTYPE or any other `<!` declaration,
an undeclared entity and characters XML forbids raise BilingualFormatError naming line and column, so
no entity is ever expanded (no billion laughs, no external entities). Namespace prefixes that are
never declared are tolerated (the element then has no namespace): translation tools write such files
(libxml2 refuses them), and nothing here depends on those elements.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .units import BilingualFormatError, PositionMap, RawPiece, Unit, fail, newline_of, place_protected

_NAME_START = (":A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
               "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
NAME = f"[{_NAME_START}][{_NAME_CHAR}]*"
_NAME_RE = re.compile(NAME)
_ATTR_RE = re.compile(rf"(\s+)({NAME})\s*=\s*(\"[^<\"]*\"|'[^<']*')")
_TAG_END_RE = re.compile(r"\s*(/?)>")
_END_TAG_RE = re.compile(rf"</({NAME})\s*>")
_BAD_CHAR_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_REF_RE = re.compile(rf"&(?:#([0-9]+)|#x([0-9a-fA-F]+)|({NAME}));")
_PLAIN_RUN = re.compile(r"[^&\r<]+")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
XML_NS = "http://www.w3.org/XML/1998/namespace"


def valid_char(c: str) -> bool:
    return _BAD_CHAR_RE.match(c) is None


@dataclass
class Text:
    chars: str
    starts: list[int]
    ends: list[int]
    start: int  # raw span in the file
    end: int
    cdata: bool = False


@dataclass
class Element:
    qname: str
    attrs: dict[str, str]  # qualified attribute name -> normalised value
    start: int  # '<' of the start tag
    start_end: int  # just after the start tag's '>'
    self_closing: bool
    parent: "Element | None" = None
    ns: str | None = None
    nsmap: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)
    end_start: int = -1  # '<' of the end tag (== start_end when self-closing)
    end: int = -1  # just after the end tag

    @property
    def local(self) -> str:
        return self.qname.rpartition(":")[2]

    def elements(self, local: str | None = None):
        for child in self.children:
            if isinstance(child, Element) and (local is None or child.local == local):
                yield child

    def first(self, local: str) -> "Element | None":
        return next(self.elements(local), None)

    def attr(self, local: str, ns: str | None = None) -> str | None:
        """An attribute by local name (no prefix), or by namespace and local name."""
        if ns is None:
            return self.attrs.get(local)
        for qname, value in self.attrs.items():
            prefix, _, name = qname.rpartition(":")
            if name == local and prefix and self._uri(prefix) == ns:
                return value
        return None

    def _uri(self, prefix: str) -> str | None:
        if prefix == "xml":
            return XML_NS
        node: Element | None = self
        while node is not None:
            if prefix in node.nsmap:
                return node.nsmap[prefix]
            node = node.parent
        return None

    def text(self) -> str:
        """All text inside, inline elements' text included (for notes and the like)."""
        out = []
        for child in self.children:
            out.append(child.chars if isinstance(child, Text) else child.text())
        return "".join(out)


@dataclass
class XmlDocument:
    text: str
    root: Element
    entities_in_text: set[str]
    encoding: str | None


def _decode_refs(s: str, a: int, b: int, chars: list, starts: list, ends: list) -> None:
    """Decode s[a:b] (character data) into chars with their file spans."""
    i = a
    while i < b:
        c = s[i]
        if c == "&":
            m = _REF_RE.match(s, i, b)
            if not m:
                raise fail(s, i, "'&' that is not an entity or character reference (write &amp;)")
            dec, hexa, name = m.groups()
            if name is not None:
                if name not in _PREDEFINED:
                    raise fail(s, i, f"undeclared entity &{name}; (entity declarations are not accepted)")
                ch = _PREDEFINED[name]
            else:
                code = int(dec) if dec is not None else int(hexa, 16)
                if code > 0x10FFFF or not valid_char(chr(code)):
                    raise fail(s, i, f"character reference {m.group(0)} to a character XML forbids")
                ch = chr(code)
            chars.append(ch)
            starts.append(i)
            ends.append(m.end())
            i = m.end()
        elif c == "\r":
            j = i + 2 if s.startswith("\r\n", i) else i + 1
            chars.append("\n")
            starts.append(i)
            ends.append(j)
            i = j
        elif c == "<":
            raise fail(s, i, "'<' in character data")
        else:
            m = _PLAIN_RUN.match(s, i, b)
            assert m is not None  # the run of at least one character that is not '&', '<' or a newline
            j = m.end()
            chars.extend(s[i:j])
            starts.extend(range(i, j))
            ends.extend(range(i + 1, j + 1))
            i = j


def _attr_value(s: str, a: int, b: int) -> str:
    chars: list[str] = []
    _decode_refs(s, a, b, chars, [], [])
    # attribute-value normalisation: literal whitespace becomes a space (references stay)
    out = []
    i = a
    k = 0
    while i < b:
        if s[i] == "&":
            m = _REF_RE.match(s, i, b)
            assert m is not None  # _decode_refs accepted it
            out.append(chars[k])
            i = m.end()
        elif s[i] in "\t\n\r":
            out.append(" ")
            i += 2 if s.startswith("\r\n", i) else 1
        else:
            out.append(chars[k])
            i += 1
        k += 1
    return "".join(out)


def parse_xml(s: str) -> XmlDocument:
    """Parse the whole text into a tree of Elements and Texts (strict, no DTD)."""
    bad = _BAD_CHAR_RE.search(s, 1 if s.startswith("\ufeff") else 0)
    if bad:
        raise fail(s, bad.start(), f"character U+{ord(bad.group()):04X} is not allowed in XML")
    n = len(s)
    pos = 1 if s.startswith("\ufeff") else 0
    begin = pos
    stack: list[Element] = []
    root: Element | None = None
    entities: set[str] = set()
    encoding = None
    while pos < n:
        if s[pos] != "<":
            lt = s.find("<", pos)
            end = n if lt < 0 else lt
            if not stack:
                if s[pos:end].strip(" \t\r\n"):
                    junk = pos + len(s[pos:end]) - len(s[pos:end].lstrip(" \t\r\n"))
                    raise fail(s, junk, "text outside the root element")
            else:
                cdend = s.find("]]>", pos, end)
                if cdend >= 0:
                    raise fail(s, cdend, "']]>' in character data")
                chars: list[str] = []
                starts: list[int] = []
                ends: list[int] = []
                _decode_refs(s, pos, end, chars, starts, ends)
                for ref in _REF_RE.finditer(s, pos, end):
                    if ref.group(3):
                        entities.add(ref.group(3))
                stack[-1].children.append(Text("".join(chars), starts, ends, pos, end))
            pos = end
            continue
        if s.startswith("<!--", pos):
            end = s.find("-->", pos + 4)
            if end < 0:
                raise fail(s, pos, "unterminated comment")
            dash = s.find("--", pos + 4, end)
            if dash >= 0 or s[end - 1] == "-" and end - 1 >= pos + 4:
                raise fail(s, dash if dash >= 0 else end - 1, "'--' inside a comment")
            pos = end + 3
        elif s.startswith("<![CDATA[", pos):
            if not stack:
                raise fail(s, pos, "CDATA section outside the root element")
            end = s.find("]]>", pos + 9)
            if end < 0:
                raise fail(s, pos, "unterminated CDATA section")
            chars, starts, ends = [], [], []
            i = pos + 9
            while i < end:
                if s[i] == "\r":
                    j = i + 2 if s.startswith("\r\n", i) else i + 1
                    chars.append("\n")
                else:
                    j = i + 1
                    chars.append(s[i])
                starts.append(i)
                ends.append(j)
                i = j
            stack[-1].children.append(Text("".join(chars), starts, ends, pos, end + 3, cdata=True))
            pos = end + 3
        elif s.startswith("<!", pos):
            what = "a DOCTYPE" if s.startswith("<!DOCTYPE", pos) else "a markup declaration"
            raise fail(s, pos, f"{what} is not accepted (entity declarations are never expanded)")
        elif s.startswith("<?", pos):
            end = s.find("?>", pos + 2)
            if end < 0:
                raise fail(s, pos, "unterminated processing instruction")
            m = _NAME_RE.match(s, pos + 2)
            if not m:
                raise fail(s, pos + 2, "processing instruction without a target name")
            if m.group().lower() == "xml":
                if m.group() != "xml" or pos != begin:
                    raise fail(s, pos, "XML declaration not at the start of the file")
                enc = re.search(r"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", s[pos:end])
                encoding = enc.group(1) if enc else None
            pos = end + 2
        elif s.startswith("</", pos):
            m = _END_TAG_RE.match(s, pos)
            if not m:
                raise fail(s, pos, "malformed end tag")
            if not stack:
                raise fail(s, pos, f"end tag </{m.group(1)}> without a start tag")
            top = stack.pop()
            if m.group(1) != top.qname:
                raise fail(s, pos, f"end tag </{m.group(1)}> does not match <{top.qname}>")
            top.end_start, top.end = pos, m.end()
            pos = m.end()
        else:
            m = _NAME_RE.match(s, pos + 1)
            if not m:
                raise fail(s, pos, "'<' that does not start a tag (write &lt;)")
            qname = m.group()
            i = m.end()
            attrs: dict[str, str] = {}
            while True:
                am = _ATTR_RE.match(s, i)
                if not am:
                    break
                name = am.group(2)
                if name in attrs:
                    raise fail(s, am.start(2), f"attribute {name} given twice")
                attrs[name] = _attr_value(s, am.start(3) + 1, am.end(3) - 1)
                i = am.end()
            em = _TAG_END_RE.match(s, i)
            if not em:
                raise fail(s, i, f"malformed start tag <{qname}>")
            if root is not None and not stack:
                raise fail(s, pos, "a second root element")
            parent = stack[-1] if stack else None
            el = Element(qname, attrs, pos, em.end(), bool(em.group(1)), parent)
            for name, value in attrs.items():
                if name == "xmlns":
                    el.nsmap[""] = value
                elif name.startswith("xmlns:"):
                    el.nsmap[name[6:]] = value
            prefix = qname.rpartition(":")[0]
            el.ns = el._uri(prefix) if prefix else el._uri("")
            if parent is not None:
                parent.children.append(el)
            else:
                root = el
            if el.self_closing:
                el.end_start = el.end = em.end()
            else:
                stack.append(el)
            pos = em.end()
    if stack:
        raise fail(s, stack[-1].start, f"element <{stack[-1].qname}> is never closed")
    if root is None:
        raise fail(s, pos, "no root element")
    return XmlDocument(s, root, entities, encoding)


# --- inline-code aware targets -------------------------------------------------------------------


@dataclass
class Flat:
    """An element's content as a string with positions and protected spans."""

    text: str
    starts: list[int]
    ends: list[int]
    protected: list[tuple[int, int]]
    end: int


def flatten(doc: XmlDocument, el: Element, transparent: set[str], chars_from: dict | None = None) -> Flat:
    """The content of el: text decoded; a transparent inline element (`<g>`, `<pc>`, `<mrk>`, `<hi>`)
    contributes its start and end tags as protected markup and its content as text; any other
    element (`<x/>`, `<ph>`, `<bpt>`, ...) is protected whole, its markup text kept byte for byte.
    `chars_from` maps local names of elements that stand for one character (XLIFF 2.0 `<cp hex>`)."""
    s = doc.text
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    protected: list[tuple[int, int]] = []

    def raw(a: int, b: int) -> None:
        if a == b:
            return
        k = len(out)
        for i in range(a, b):
            out.append(s[i])
            starts.append(i)
            ends.append(i + 1)
        if protected and protected[-1][1] == k:
            protected[-1] = (protected[-1][0], k + b - a)
        else:
            protected.append((k, k + b - a))

    def walk(node: Element) -> None:
        for child in node.children:
            if isinstance(child, Text):
                out.extend(child.chars)
                starts.extend(child.starts)
                ends.extend(child.ends)
            elif chars_from and child.ns == el.ns and child.local in chars_from:
                ch = chars_from[child.local](child)
                if ch is None:
                    raw(child.start, child.end)
                else:
                    out.append(ch)
                    starts.append(child.start)
                    ends.append(child.end)
            elif (child.ns == el.ns and child.local in transparent and not child.self_closing
                  and child.attrs.get("translate") != "no" and child.attrs.get("mtype") != "protected"):
                raw(child.start, child.start_end)
                walk(child)
                raw(child.end_start, child.end)
            else:
                raw(child.start, child.end)

    walk(el)
    return Flat("".join(out), starts, ends, protected, el.end_start)


def flat_positions(flat: Flat) -> PositionMap:
    return PositionMap(tuple(flat.starts), tuple(flat.ends), flat.end)


def content_pieces(el: Element) -> tuple[RawPiece, ...]:
    if el.self_closing:
        return (RawPiece(el.start_end, el.start_end),)
    return (RawPiece(el.start_end, el.end_start),)


@dataclass
class Style:
    """How the file writes character data."""

    newline: str
    gt: bool  # writes > as &gt;
    quot: bool
    apos: bool
    encoding: str | None
    cp: bool = False  # XLIFF 2.0: a character XML forbids becomes <cp hex="..."/>

    @classmethod
    def of(cls, doc: XmlDocument, cp: bool = False) -> "Style":
        ents = doc.entities_in_text
        return cls(newline_of(doc.text), "gt" in ents, "quot" in ents, "apos" in ents, doc.encoding, cp)

    def cdata_can_hold(self, text: str) -> bool:
        """A CDATA section has no references: no CR (it would read back as LF), only characters
        XML allows and the declared encoding can hold."""
        codec = self._codec()
        return "\r" not in text and all(valid_char(c) and (not codec or ord(c) < 0x80 or _encodable(c, codec))
                                        for c in text)

    def _codec(self) -> str | None:
        if self.encoding and not re.match(r"(?i)utf-?(8|16|32)", self.encoding):
            return self.encoding
        return None

    def escape(self, text: str, unit_key: str) -> str:
        out = []
        codec = self._codec()
        i = 0
        while i < len(text):
            c = text[i]
            if c == "&":
                out.append("&amp;")
            elif c == "<":
                out.append("&lt;")
            elif c == ">":
                out.append("&gt;" if self.gt or text.startswith("]]", i - 2) and i >= 2 else ">")
            elif c == '"' and self.quot:
                out.append("&quot;")
            elif c == "'" and self.apos:
                out.append("&apos;")
            elif c == "\r":
                out.append("&#13;")
            elif c == "\n":
                out.append(self.newline)
            elif not valid_char(c):
                if not self.cp:
                    raise BilingualFormatError(
                        f"unit {unit_key!r}: character U+{ord(c):04X} cannot be written in this XML file")
                out.append(f'<cp hex="{ord(c):04X}"/>')
            elif codec and ord(c) > 0x7F and not _encodable(c, codec):
                out.append(f"&#x{ord(c):X};")
            else:
                out.append(c)
            i += 1
        return "".join(out)


def _encodable(c: str, codec: str) -> bool:
    try:
        c.encode(codec)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def write_content(unit: Unit, new: str, style: Style) -> str:
    """The new raw content of a target element: protected inline codes byte for byte, prose escaped."""
    placed = place_protected(unit, new)
    cdata = unit.raw.get("cdata") if isinstance(unit.raw, dict) else False
    if cdata and not placed and style.cdata_can_hold(new):
        body = new.replace("]]>", "]]]]><![CDATA[>").replace("\n", style.newline)
        return "<![CDATA[" + body + "]]>"
    out, last = [], 0
    for a, b in placed:
        out.append(style.escape(new[last:a], unit.key))
        out.append(new[a:b])
        last = b
    out.append(style.escape(new[last:], unit.key))
    return "".join(out)


def set_attr(s: str, el: Element, name: str, value: str) -> tuple[int, int, str]:
    """A file edit that sets attribute `name` of el's start tag (replacing its value in place, or
    appending it after the last attribute), leaving the rest of the tag alone."""
    m = _NAME_RE.match(s, el.start + 1)
    assert m is not None  # el's start tag was parsed
    last = None
    for am in _ATTR_RE.finditer(s, m.end(), el.start_end):
        if last is not None and am.start() != last.end():
            break
        if last is None and am.start() != m.end():
            break
        last = am
        if am.group(2) == name:
            q = am.group(3)[0]
            return (am.start(3), am.end(3), f"{q}{value}{q}")
    end = last.end() if last is not None else m.end()
    q = last.group(3)[0] if last is not None else '"'
    return (end, end, f" {name}={q}{value}{q}")


def remove_attr(s: str, el: Element, name: str) -> tuple[int, int, str] | None:
    """A file edit that removes attribute `name` (and the whitespace before it) from el's start tag;
    None when the tag does not have it."""
    m = _NAME_RE.match(s, el.start + 1)
    assert m is not None  # el's start tag was parsed
    last = None
    for am in _ATTR_RE.finditer(s, m.end(), el.start_end):
        if (last is None and am.start() != m.end()) or (last is not None and am.start() != last.end()):
            break
        last = am
        if am.group(2) == name:
            return (am.start(), am.end(), "")
    return None


def target_edits(s: str, target: Element, content: str, attrs: dict[str, str]) -> list[tuple[int, int, str]]:
    """File edits replacing a target element's content and setting some of its attributes (a
    self-closing target is rewritten as a start tag, the content and an end tag)."""
    edits = [set_attr(s, target, k, v) for k, v in attrs.items()]
    if not target.self_closing:
        return edits + [(target.start_end, target.end_start, content)]
    tag = s[target.start:target.start_end]
    for a, b, new in sorted(edits, reverse=True):
        tag = tag[:a - target.start] + new + tag[b - target.start:]
    head = tag[:-2].rstrip(" \t\r\n")
    return [(target.start, target.end, f"{head}>{content}</{target.qname}>")]
