"""repair/bilingual/tmx.py: TMX translation memories."""
import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree
from translate.storage import tmx as ttk_tmx

from bilingual_support import assert_only_target_changed, assert_positions, decode_xml, read, rendered
from repair.bilingual import BilingualFormatError, tmx


def test_round_trip_without_changes_is_byte_identical():
    for text in (read("memory.tmx"), read("memory.tmx").replace("\n", "\r\n")):
        doc = tmx.parse(text)
        assert tmx.splice(doc, {}) == text
        assert tmx.splice(doc, {u.key: u.target for u in doc.units}) == text


def test_units_source_language_and_several_targets():
    doc = tmx.parse(read("memory.tmx"))
    assert doc.source_language == "fr" and doc.target_language is None  # en, en-GB and de targets
    assert [u.key for u in doc.units] == ["1/en", "2/en-GB", "3/en", "3/de", "4/en"]
    first = doc.unit("1/en")
    assert (first.source, first.target, first.notes) == ("Bonjour tout le monde", "Hello all the world",
                                                         ("Greeting", "x-domain: ui"))
    second = doc.unit("2/en-GB")  # srclang fr matches the fr-FR tuv even though it comes second
    assert second.source.startswith("Cliquez") and second.source_language == "fr-FR"
    assert [second.target[a:b] for a, b in second.protected] == ['<bpt i="1" x="1">&lt;b&gt;</bpt>',
                                                                  '<ept i="1">&lt;/b&gt;</ept>']
    assert doc.unit("3/de").target == 'Drei <ph x="1">{n}</ph> Dateien' and doc.unit("3/de").id == "3"
    assert doc.unit("4/en").target == "Raw <text> & stuff"


def test_cross_check_with_translate_toolkit_and_lxml():
    text = read("memory.tmx")
    doc = tmx.parse(text)
    store = ttk_tmx.tmxfile(text.encode("utf-8"))
    firsts = [u for u in doc.units if u.key != "3/de"]  # the toolkit reads one target per tu
    assert len(store.units) == len(firsts)
    for ours, theirs in zip(firsts, store.units):
        assert rendered(ours.source, ours.source_protected) == theirs.source
        assert rendered(ours.target, ours.protected) == theirs.target
    root = etree.fromstring(text.encode("utf-8"))
    segs = [(tuv.find("seg").sourceline, "".join(tuv.find("seg").itertext()))
            for tu in root.iter("tu") for tuv in tu.findall("tuv")[0:]]
    ours = {(doc.line_col(u.raw["target"].start)[0], rendered(u.target, u.protected)) for u in doc.units}
    assert ours <= set(segs) and len(ours) == 5


def test_position_map():
    doc = tmx.parse(read("memory.tmx"))
    assert assert_positions(doc, decode_xml) > 150
    raw = doc.unit("4/en")  # CDATA: characters map one to one
    assert doc.text[raw.positions[4]] == "<"


def test_one_change_touches_only_that_target_and_cdata_stays_cdata():
    doc = tmx.parse(read("memory.tmx"))
    for unit in doc.units:
        assert_only_target_changed(tmx.parse, tmx.splice, doc, unit, unit.target + " & <b>")
    out = tmx.splice(doc, {"4/en": "Raw <text> ]]> end"})
    assert "<seg><![CDATA[Raw <text> ]]]]><![CDATA[> end]]></seg>" in out
    assert tmx.parse(out).unit("4/en").target == "Raw <text> ]]> end"
    crlf = tmx.parse(read("memory.tmx").replace("\n", "\r\n"))
    out = tmx.splice(crlf, {"4/en": "two\nlines"})
    assert "<seg><![CDATA[two\r\nlines]]></seg>" in out
    out = tmx.splice(doc, {"4/en": "carriage\rreturn"})  # CDATA cannot hold a CR: escaped text instead
    assert "<seg>carriage&#13;return</seg>" in out and tmx.parse(out).unit("4/en").target == "carriage\rreturn"


def test_review_is_refused():
    doc = tmx.parse(read("memory.tmx"))
    with pytest.raises(BilingualFormatError, match="no review flag"):
        tmx.splice(doc, {"1/en": "Hello world"}, review=True)


@pytest.mark.parametrize("bad", [
    '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4"/>',
    '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&ent;</seg></tuv></tu></body></tmx>',
    '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>open</tuv></tu></body></tmx>',
    '<xliff/>',
])
def test_malformed_or_hostile_tmx(bad):
    with pytest.raises(BilingualFormatError) as info:
        tmx.parse(bad)
    assert str(info.value).startswith("line 1, column ")


@settings(max_examples=100, deadline=None)
@given(new=st.text(st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: c in "\t\n\r" or 0x20 <= ord(c) and c not in "\ufffe\uffff") | st.sampled_from(list("\r\n]>")),
    max_size=60), which=st.integers(0, 4), crlf=st.booleans())
@pytest.mark.slow
def test_any_target_round_trips(new, which, crlf):
    doc = tmx.parse(read("memory.tmx").replace("\n", "\r\n" if crlf else "\n"))
    unit = doc.units[which]
    value = new + "".join(unit.target[a:b] for a, b in unit.protected)
    out = tmx.splice(doc, {unit.key: value})
    assert tmx.parse(out).unit(unit.key).target == value
