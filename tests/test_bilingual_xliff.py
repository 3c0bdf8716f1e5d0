"""repair/bilingual/xliff.py (and the XML reader it shares with TMX): XLIFF 1.2 and 2.0."""
import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree
from translate.storage import xliff as ttk_xliff
from translate.storage import xliff2 as ttk_xliff2

from bilingual_support import assert_only_target_changed, assert_positions, decode_xml, read, rendered
from repair.bilingual import BilingualFormatError, xliff

FILES = ["app.xlf", "app.xliff"]


def crlf(text):
    return text.replace("\n", "\r\n")


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("ending", ["lf", "crlf"])
def test_round_trip_without_changes_is_byte_identical(name, ending):
    text = read(name) if ending == "lf" else crlf(read(name))
    doc = xliff.parse(text)
    assert xliff.splice(doc, {}) == text
    assert xliff.splice(doc, {u.key: u.target for u in doc.units}, review=True) == text


def test_xliff12_units_states_notes_and_inline_codes():
    doc = xliff.parse(read("app.xlf"))
    assert doc.format == "xliff-1.2" and (doc.source_language, doc.target_language) == ("ja", "en")
    ids = [u.id for u in doc.units]
    assert ids == ["greeting", "save", "link", "disk", "quote", "multi", "empty", "untranslated"]  # no "brand"
    greeting = doc.unit("app.properties#greeting")
    assert (greeting.context, greeting.target, greeting.notes) == ("app.greeting", "Welcome",
                                                                   ("Shown on the start page.",))
    assert "state=translated" in greeting.flags
    save = doc.unit("app.properties#save")
    assert save.target == "<b>Save</b> & quit" and save.protected == () and "approved" in save.flags
    link = doc.unit("app.properties#link")
    assert link.target == 'For details click <g id="1">the the here</g>.<x id="2"/>'
    assert [link.target[a:b] for a, b in link.protected] == ['<g id="1">', "</g>", '<x id="2"/>']
    assert link.prose() == "For details click the the here."
    assert link.fuzzy and "needs-review" in link.flags
    disk = doc.unit("app.properties#disk")
    assert disk.target == 'The disk is short of <ph id="1">%d</ph> MB of space.'  # not the alt-trans proposal
    assert doc.unit("app.properties#quote").target == "\"Quote\" says 5 > 3 \u2014 it's true"
    multi = doc.unit("app.properties#multi")
    assert [multi.target[a:b] for a, b in multi.protected] == ['<bpt id="3">&lt;i&gt;</bpt>',
                                                               '<ept id="3">&lt;/i&gt;</ept>']
    assert doc.unit("app.properties#empty").target == "" and doc.unit("app.properties#untranslated").segments == ()


def test_xliff20_segments_states_and_inline_codes():
    doc = xliff.parse(read("app.xliff"))
    assert doc.format == "xliff-2.0" and (doc.source_language, doc.target_language) == ("de", "en")
    assert [u.key for u in doc.units] == ["f1#u1", "f1#u2/s1", "f1#u2/s2", "f1#u4"]  # u3 is translate="no"
    u1 = doc.unit("f1#u1")
    assert (u1.context, u1.notes, u1.prose()) == ("menu.open", ("Menu entry",), "Open the file file")
    assert [u1.target[a:b] for a, b in u1.protected] == ['<pc id="1">', "</pc>"]
    s2 = doc.unit("f1#u2/s2")
    assert s2.target == 'Another <sc id="2"/>sentence<ec startRef="2"/> & more <stuff>.'
    assert "state=initial" in s2.flags and "state=final" in doc.unit("f1#u2/s1").flags
    u4 = doc.unit("f1#u4")
    assert u4.target == 'A <mrk id="m1" translate="no">Begriff</mrk> and a control\x07 character'
    assert [u4.target[a:b] for a, b in u4.protected] == ['<mrk id="m1" translate="no">Begriff</mrk>']


def _lxml_targets(text, v20):
    root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    ns = {"x": xliff.NS20 if v20 else xliff.NS12}
    path = "//x:segment/x:target" if v20 else "//x:trans-unit/x:target"
    found = []
    for target in root.xpath(path, namespaces=ns):
        unit = target.getparent() if not v20 else target.getparent().getparent()
        if any(a.get("translate") == "no" for a in [unit, *unit.iterancestors()]):
            continue
        found.append((target.sourceline, "".join(target.itertext())))
    return found


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("ending", ["lf", "crlf"])
def test_cross_check_with_lxml(name, ending):
    text = read(name) if ending == "lf" else crlf(read(name))
    doc = xliff.parse(text)
    ours = []
    for u in doc.units:
        if not u.segments:
            continue
        plain = rendered(u.target, u.protected).replace("\x07", "")  # <cp/> is our decoding, not lxml's
        ours.append((doc.line_col(u.raw["target"].start)[0], plain))
    assert ours == _lxml_targets(text, name.endswith(".xliff"))


def _norm(s):
    return " ".join((s or "").split())


def test_cross_check_with_translate_toolkit_xliff12():
    doc = xliff.parse(read("app.xlf"))
    store = ttk_xliff.xlifffile(read("app.xlf").encode("utf-8"))
    toolkit = [u for u in store.units if u.getid().split("\x04")[-1] != "brand"]
    assert [u.getid().split("\x04")[-1] for u in toolkit] == [u.id for u in doc.units]
    for ours, theirs in zip(doc.units, toolkit):
        assert _norm(rendered(ours.source, ours.source_protected)) == _norm(theirs.source)
        assert _norm(rendered(ours.target, ours.protected)) == _norm(theirs.target)
        assert ours.fuzzy == (theirs.isfuzzy() and "state=needs-review-translation" in ours.flags)


def test_cross_check_with_translate_toolkit_xliff20():
    doc = xliff.parse(read("app.xliff"))
    store = ttk_xliff2.Xliff2File(read("app.xliff").encode("utf-8"))
    toolkit = [u for u in store.units if u.getid() != "u3"]
    assert [u.getid().replace("::", "/") for u in toolkit] == [u.id for u in doc.units]
    for ours, theirs in zip(doc.units, toolkit):
        def text(s, protected):
            out, last = [], 0
            for a, b in protected:  # the toolkit drops 2.0 codes but keeps <pc>/<mrk> content
                piece = s[a:b]
                out.append(s[last:a])
                if piece.startswith("<mrk"):
                    out.append(rendered(piece, [(0, len(piece))]))
                last = b
            out.append(s[last:])
            return "".join(out).replace("\x07", "")
        assert _norm(text(ours.source, ours.source_protected)) == _norm(theirs.source)
        assert _norm(text(ours.target, ours.protected)) == _norm(theirs.target)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("ending", ["lf", "crlf"])
def test_position_map_points_at_each_character_or_its_escape(name, ending):
    text = read(name) if ending == "lf" else crlf(read(name))
    doc = xliff.parse(text)
    assert assert_positions(doc, decode_xml) > 300
    if name == "app.xlf":
        quote = doc.unit("app.properties#quote")
        dash = quote.target.index("\u2014")
        assert text[quote.positions[dash]:].startswith("&#x2014;")
        line, col = doc.line_col(quote.positions[dash])
        assert text.splitlines()[line - 1][col - 1:].startswith("&#x2014;")


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("ending", ["lf", "crlf"])
def test_one_change_touches_only_that_target(name, ending):
    text = read(name) if ending == "lf" else crlf(read(name))
    doc = xliff.parse(text)
    for unit in doc.units:
        if not unit.segments or unit.raw["target"].self_closing:
            continue
        new = unit.target + " & <more>\nnext line"
        out = assert_only_target_changed(xliff.parse, xliff.splice, doc, unit, new)
        etree.fromstring(out.encode("utf-8"))  # still well-formed for a real XML parser
        if ending == "crlf":
            assert "\n" not in out.replace("\r\n", "")


def test_inline_codes_are_kept_byte_for_byte_and_may_not_be_lost():
    doc = xliff.parse(read("app.xlf"))
    link = doc.unit("app.properties#link")
    out = xliff.splice(doc, {link.key: link.target.replace("the the here", "here")})
    assert '<target state="needs-review-translation">For details click <g id="1">here</g>.<x id="2"/></target>' in out
    with pytest.raises(BilingualFormatError, match="inline code"):
        xliff.splice(doc, {link.key: "For details click here."})
    with pytest.raises(BilingualFormatError, match="inline code"):
        xliff.splice(doc, {link.key: 'For details click <x id="2"/><g id="1">here</g>.'})


def test_escaping_follows_the_file():
    doc = xliff.parse(read("app.xlf"))  # writes &gt; in its text, not &quot;
    out = xliff.splice(doc, {"app.properties#greeting": 'Tom & "Jerry" <3 > ]]> '})
    assert '<target state="translated">Tom &amp; "Jerry" &lt;3 &gt; ]]&gt; </target>' in out
    v20 = xliff.parse(read("app.xliff").replace("&gt;", ">"))  # no &gt;: > stays, but not in ]]>
    out = xliff.splice(v20, {"f1#u2/s1": 'First line<ph id="1" dataRef="d1"/>a > b ]]> c\x01'})
    assert 'a > b ]]&gt; c<cp hex="0001"/></target>' in out
    assert xliff.parse(out).unit("f1#u2/s1").target.endswith("a > b ]]> c\x01")
    with pytest.raises(BilingualFormatError, match="U\\+0001"):
        xliff.splice(doc, {"app.properties#greeting": "bell\x01"})


def test_non_utf8_declared_encoding_gets_character_references():
    text = read("app.xlf").replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    doc = xliff.parse(text)
    out = xliff.splice(doc, {"app.properties#greeting": "Caf\u00e9 \u2014 \U0001F600"})
    assert ">Caf\u00e9 &#x2014; &#x1F600;</target>" in out


def test_review_state_xliff12():
    doc = xliff.parse(read("app.xlf"))
    out = xliff.splice(doc, {"app.properties#greeting": "Hello", "app.properties#link":
                             'Click <g id="1">here</g>.<x id="2"/>', "app.properties#quote": "Quote",
                             "app.properties#empty": "Empty"}, review=True)
    assert '<target state="needs-review-translation">Hello</target>' in out
    assert out.count('state="needs-review-translation"') == 4  # link already had it, once
    assert '<target state="needs-review-translation">Quote</target>' in out
    assert '<target state="needs-review-translation">Empty</target>' in out
    again = xliff.parse(out)
    assert all(again.unit(k).fuzzy for k in ("app.properties#greeting", "app.properties#quote"))
    assert xliff.splice(doc, {"app.properties#empty": "Empty"}).count("<target>Empty</target>") == 1
    with pytest.raises(BilingualFormatError, match="no <target>"):
        xliff.splice(doc, {"app.properties#untranslated": "x"})


def test_review_state_xliff20():
    doc = xliff.parse(read("app.xliff"))
    out = xliff.splice(doc, {"f1#u2/s1": 'Line one<ph id="1" dataRef="d1"/>line two.',
                             "f1#u1": 'Open <pc id="1">the file</pc>', "f1#u4":
                             'A <mrk id="m1" translate="no">Begriff</mrk> and a control character'}, review=True)
    assert '<segment id="s1" state="translated">' in out  # final -> translated
    assert '<segment state="translated">\n        <source>Ein' in out  # reviewed -> translated
    assert out.count('state="translated"') == 3  # u1 was already translated
    plain = xliff.splice(doc, {"f1#u2/s1": 'Line one<ph id="1" dataRef="d1"/>line two.'})
    assert '<segment id="s1" state="final">' in plain


HOSTILE = {
    "billion laughs": '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                      ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
                      '<xliff version="1.2"><file><body><trans-unit id="1"><source>&lol2;</source>'
                      '</trans-unit></body></file></xliff>',
    "external entity": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                       '<xliff version="1.2"><file><body><trans-unit id="1"><source>&xxe;</source>'
                       '</trans-unit></body></file></xliff>',
    "undeclared entity": '<xliff version="1.2"><file><body>\n<trans-unit id="1"><source>&nbsp;</source>'
                         '</trans-unit></body></file></xliff>',
    "mismatched tags": '<xliff version="1.2"><file><body>\n<trans-unit id="1"><source>a</target>'
                       '</trans-unit></body></file></xliff>',
    "unclosed": '<xliff version="1.2"><file><body>',
    "bare ampersand": '<xliff version="1.2"><file><body><trans-unit id="1"><source>a & b</source>'
                      '</trans-unit></body></file></xliff>',
    "bare less-than in attribute": '<xliff version="1.2" a="<"/>',
    "duplicate attribute": '<xliff version="1.2" version="2.0"/>',
    "two roots": '<xliff version="1.2"/><xliff version="1.2"/>',
    "text after root": '<xliff version="1.2"/>junk',
    "bad character reference": '<xliff version="1.2"><file><body><trans-unit id="1"><source>&#0;</source>'
                               '</trans-unit></body></file></xliff>',
    "control character": '<xliff version="1.2"><file><body><trans-unit id="1"><source>\x01</source>'
                         '</trans-unit></body></file></xliff>',
    "double dash in comment": '<xliff version="1.2"><!-- a -- b --></xliff>',
    "late XML declaration": '\n<?xml version="1.0"?><xliff version="1.2"/>',
    "not xliff": '<html/>',
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_or_malformed_xml_is_a_one_line_error(case):
    with pytest.raises(BilingualFormatError) as info:
        xliff.parse(HOSTILE[case])
    message = str(info.value)
    assert message.startswith("line ") and ", column " in message and "\n" not in message
    with pytest.raises(etree.XMLSyntaxError if case not in ("billion laughs", "external entity", "not xliff")
                       else Exception):
        # lxml agrees the document is broken (the DTD cases are well-formed XML that we refuse)
        if case in ("billion laughs", "external entity", "not xliff"):
            raise Exception("refused by policy")
        etree.fromstring(HOSTILE[case].encode("utf-8"))


def test_error_names_the_place():
    with pytest.raises(BilingualFormatError) as info:
        xliff.parse(HOSTILE["undeclared entity"])
    assert str(info.value).startswith("line 2, column 28: undeclared entity &nbsp;")
    with pytest.raises(BilingualFormatError, match="^line 2, column 1: a DOCTYPE is not accepted"):
        xliff.parse(HOSTILE["billion laughs"])


xml_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff")
                   .filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20) | st.sampled_from(list('<&>"\'\r\n]😀')),
                   max_size=80)


@settings(max_examples=120, deadline=None)
@given(pieces=st.lists(xml_text, min_size=4, max_size=4), which=st.integers(0, 5), ending=st.sampled_from(["lf", "crlf"]))
@pytest.mark.slow
def test_any_target_round_trips_xliff12(pieces, which, ending):
    text = read("app.xlf") if ending == "lf" else crlf(read("app.xlf"))
    doc = xliff.parse(text)
    unit = doc.units[which]
    codes = [unit.target[a:b] for a, b in unit.protected]
    new = pieces[0] + "".join(code + pieces[(k + 1) % 4] for k, code in enumerate(codes))
    out = xliff.splice(doc, {unit.key: new})
    assert xliff.parse(out).unit(unit.key).target == new
    etree.fromstring(out.encode("utf-8"))


@settings(max_examples=80, deadline=None)
@given(new=st.text(max_size=60) | st.sampled_from(["\x01\x02", "a\ud7ff\ue000b"]), which=st.integers(0, 1))
@pytest.mark.slow
def test_any_target_round_trips_xliff20(new, which):
    doc = xliff.parse(read("app.xliff"))
    unit = doc.units[which]
    codes = "".join(unit.target[a:b] for a, b in unit.protected)
    value = new + codes
    out = xliff.splice(doc, {unit.key: value})
    assert xliff.parse(out).unit(unit.key).target == value


def test_protected_mrk_is_protected_whole_and_foreign_elements_too():
    text = read("app.xlf").replace(
        "<target state=\"translated\">Welcome</target>",
        '<target state="translated">Welcome to <mrk mtype="protected">Ungarble</mrk> <o:b xmlns:o="urn:x">x</o:b>'
        ' <mrk mtype="term">here</mrk></target>')
    unit = xliff.parse(text).unit("app.properties#greeting")
    assert [unit.target[a:b] for a, b in unit.protected] == [
        '<mrk mtype="protected">Ungarble</mrk>', '<o:b xmlns:o="urn:x">x</o:b>', '<mrk mtype="term">', "</mrk>"]
    assert unit.prose() == "Welcome to   here"
