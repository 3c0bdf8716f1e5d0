"""Decoding and encoding: every accepted input must round-trip byte for byte."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair.decode import EncodeError, InputError, decode, encode

ENGLISH_CP1252 = "The café served a naïve “espresso” — wasn’t it good? We think it was.\r\n"


def roundtrip(data: bytes):
    doc = decode(data, "in.txt")
    assert encode(doc, doc.text) == data
    return doc


# --- Unicode with and without byte-order marks -------------------------------------------------

def test_plain_utf8():
    doc = roundtrip("Plain “UTF-8” → fine.\n".encode())
    assert (doc.text, doc.encoding, doc.bom) == ("Plain “UTF-8” → fine.\n", "utf-8", False)


def test_empty_input():
    doc = roundtrip(b"")
    assert (doc.text, doc.encoding, doc.bom) == ("", "utf-8", False)


def test_utf8_bom_is_stripped_and_restored():
    data = codecs.BOM_UTF8 + "Résumé line\r\nsecond\r\n".encode()
    doc = roundtrip(data)
    assert doc.text == "Résumé line\r\nsecond\r\n"
    assert (doc.encoding, doc.bom) == ("utf-8", True)


@pytest.mark.parametrize("name,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                      ("utf-32-le", codecs.BOM_UTF32_LE)])
def test_bom_encodings(name, bom):
    text = "Zürich → 東京, naïve.\n"
    doc = roundtrip(bom + text.encode(name))
    assert (doc.text, doc.encoding, doc.bom) == (text, name, True)


def test_utf16_without_bom_is_binary():
    with pytest.raises(InputError, match="NUL"):
        decode("hello world".encode("utf-16-le"), "x.txt")


def test_c1_mojibake_in_utf8_is_text():
    # "”" mis-decoded as latin-1 and saved as UTF-8: C1 controls that ftfy must see.
    text = "He said â€\x9dhello â€\x9d.\n" * 3
    assert roundtrip(text.encode()).text == text


# --- Line endings -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a\r\nb\r\nc\r\n",
    "a\nb\nc",
    "a\rb\rc\r",
    "a\r\nb\nc\r\nd\r\n",   # mixed: kept exactly
    "a\nb\r\nc\n",
    "no newline",
])
def test_line_endings_kept(text):
    doc = roundtrip(text.encode())
    assert doc.text == text


# --- Legacy encodings ---------------------------------------------------------------------------

def test_cp1252_english_is_not_cp1250():
    doc = roundtrip(ENGLISH_CP1252.encode("cp1252"))
    assert doc.encoding == "cp1252"
    assert doc.text == ENGLISH_CP1252
    assert "naïve" in doc.text and "naďve" not in doc.text


@pytest.mark.parametrize("text", ["naïve", "A naïve café.", "“Quoted” text – with a dash…", "Grüße, señor."])
def test_short_cp1252_strings(text):
    doc = roundtrip(text.encode("cp1252"))
    assert (doc.text, doc.encoding) == (text, "cp1252")


def test_latin1_text():
    # Without bytes 0x80-0x9F latin-1 and cp1252 read the same; cp1252 is reported
    # because it can also write typographic quotes an edit may introduce.
    text = "Ça coûte très cher, señor, à la fin de l'été. Naïve élève.\n"
    doc = roundtrip(text.encode("latin-1"))
    assert doc.text == text
    assert doc.encoding == "cp1252"


@pytest.mark.parametrize("text", [
    "Příliš žluťoučký kůň úpěl ďábelské ódy. Včera jsem šel do města a koupil si nové boty.\n",
    # no "ť": cp1252 decodes these bytes too, into "Vèera ... mìsta"
    "Včera jsem šel do města a koupil si nové boty, protože staré už byly roztrhané.\n",
    "Dobrý den, jak se máte? Děkuji, mám se dobře.\n",
    "Zażółć gęślą jaźń. Wczoraj poszedłem do sklepu i kupiłem chleb oraz masło.\n",
    "Our guide in Łódź played Dvořák on the piano.\n",  # English text, Central European names
])
def test_cp1250_central_european(text):
    doc = roundtrip(text.encode("cp1250"))
    assert doc.encoding == "cp1250"
    assert doc.text == text


@pytest.mark.parametrize("text,encoding", [
    ("これは日本語のテキストです。今日は天気がいいですね。明日も晴れるでしょう。\n", "shift_jis"),
    ("これは日本語のテキストです。今日は天気がいいですね。\n", "euc_jp"),
    ("Привет, как дела? Сегодня хорошая погода, и мы идём гулять в парк.\n", "cp1251"),
    ("Καλημέρα, τι κάνεις; Σήμερα ο καιρός είναι πολύ ωραίος.\n", "cp1253"),
    ("Bugün hava çok güzel, şehirde yürüyüş yaptık ve ağaçları gördük.\n", "cp1254"),
])
def test_other_legacy_encodings(text, encoding):
    doc = roundtrip(text.encode(encoding))
    assert doc.text == text
    assert codecs.lookup(doc.encoding).name == codecs.lookup(encoding).name


def test_long_english_with_a_stray_symbol_stays_cp1252():
    text = ENGLISH_CP1252 * 40 + "The room is 3 m wide, a×b in size.\r\n"
    doc = roundtrip(text.encode("cp1252"))
    assert (doc.text, doc.encoding) == (text, "cp1252")


def test_long_polish_text_stays_cp1250():
    text = "Wczoraj poszedłem do sklepu i kupiłem chleb, masło oraz żółty ser dla mojej siostry.\n" * 40
    doc = roundtrip(text.encode("cp1250"))
    assert (doc.text, doc.encoding) == (text, "cp1250")


def test_cp1252_crlf_kept():
    doc = roundtrip(ENGLISH_CP1252.encode("cp1252") * 3)
    assert doc.text.count("\r\n") == 3


# --- Binary input -------------------------------------------------------------------------------

def test_png_header_is_binary():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))
    with pytest.raises(InputError) as info:
        decode(data, "img.txt")
    assert str(info.value) == "img.txt: binary file (NUL bytes), skipped"


def test_control_bytes_without_nul_are_binary():
    data = bytes(b for b in range(1, 256) if b not in b"\t\n\r") * 4
    with pytest.raises(InputError, match=r"^blob: binary file"):
        decode(data, "blob")


def test_control_chars_in_utf8_are_binary():
    with pytest.raises(InputError, match="control characters"):
        decode(b"ab\x01\x02\x03\x04cd\x05\x06\x07\x08", "c.txt")


def test_one_stray_control_is_text():
    text = "Old DOS file with an end marker.\r\n\x1a"
    assert roundtrip(text.encode()).text == text


# --- Encoding back ------------------------------------------------------------------------------

def test_encode_reports_unrepresentable_character():
    doc = decode(ENGLISH_CP1252.encode("cp1252"), "notes.txt")
    new = doc.text + "line two\r\ngo → there\r\n"
    with pytest.raises(EncodeError) as info:
        encode(doc, new)
    assert str(info.value) == ("notes.txt: cp1252 cannot represent '→' (U+2192) at line 3; "
                               "use --utf8 to write UTF-8")
    assert isinstance(info.value, InputError)
    assert encode(doc, new, utf8=True) == new.encode("utf-8")


def test_encode_line_number_with_cr_only_newlines():
    doc = decode("a\rb\rc".encode("cp1252") + b"\xe9", "mac.txt")
    with pytest.raises(EncodeError, match="at line 3"):
        encode(doc, "a\rb\r→")


def test_encode_edited_text_keeps_encoding_and_bom():
    doc = decode(codecs.BOM_UTF16_LE + "teh cat\n".encode("utf-16-le"), "u16.txt")
    assert encode(doc, "the cat\n") == codecs.BOM_UTF16_LE + "the cat\n".encode("utf-16-le")
    # --utf8 converts to plain UTF-8 (no UTF-16 BOM carried over)
    assert encode(doc, "the cat\n", utf8=True) == b"the cat\n"
    bom8 = decode(codecs.BOM_UTF8 + b"x", "b.txt")
    assert encode(bom8, "y", utf8=True) == codecs.BOM_UTF8 + b"y"


def test_lone_surrogate_cannot_be_written_even_as_utf8():
    doc = decode(b"abc", "s.txt")
    with pytest.raises(EncodeError) as info:
        encode(doc, "ab\ud800", utf8=True)
    assert "U+D800" in str(info.value) and "--utf8" not in str(info.value)


# --- Properties ---------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_accepted_bytes_round_trip(data):
    try:
        doc = decode(data, "p")
    except InputError as err:
        assert str(err).startswith("p: ") and "\n" not in str(err)
        return
    assert encode(doc, doc.text) == data


printable = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)


@settings(max_examples=200, deadline=None)
@given(printable, st.sampled_from([None, "utf-8", "utf-16-le", "utf-16-be"]))
def test_unicode_text_decodes_to_itself(text, bom_encoding):
    data = text.encode("utf-8") if bom_encoding is None else (
        {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE,
         "utf-16-be": codecs.BOM_UTF16_BE}[bom_encoding] + text.encode(bom_encoding))
    try:
        doc = decode(data, "p")
    except InputError as err:
        assert "control characters" in str(err)
        return
    assert doc.text == text
    assert encode(doc, doc.text) == data


cp1252_text = st.text(st.sampled_from("abc def. The, and of é ï ü ’“”—\r\n"), min_size=1, max_size=120)


@settings(max_examples=200, deadline=None)
@given(cp1252_text)
def test_cp1252_bytes_always_round_trip(text):
    data = text.encode("cp1252")
    doc = decode(data, "p")
    assert encode(doc, doc.text) == data


# --- UTF-8 with a few invalid bytes is refused, never re-encoded ---------------------------------

def test_utf8_with_stray_bytes_is_refused_with_their_offsets():
    body = "“Quoted” text, a café and a naïve reader. ".encode() * 3
    data = body + b"\x93stray\x94 and \xe9" + body
    with pytest.raises(InputError) as info:
        decode(data, "in.txt")
    first = len(body)
    assert str(info.value) == (
        f"in.txt: UTF-8 text with 3 invalid bytes (0x93 at byte {first}, 0x94 at byte {first + 6}, "
        f"0xE9 at byte {first + 12}); not read, so as not to re-encode the whole file: fix or remove those bytes")


def test_many_stray_bytes_show_five_offsets():
    data = "é".encode() * 20 + b"\x93" * 7
    with pytest.raises(InputError, match=r"7 invalid bytes \(0x93 at byte 40, .*0x93 at byte 44 and 2 more\)"):
        decode(data, "in.txt")


def test_legacy_text_without_valid_utf8_sequences_is_still_legacy():
    doc = roundtrip(ENGLISH_CP1252.encode("cp1252"))
    assert doc.encoding == "cp1252"
