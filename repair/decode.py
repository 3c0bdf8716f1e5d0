"""Bytes <-> text, losslessly.

``decode`` turns a file's bytes into a :class:`Document`; ``encode`` turns
(possibly edited) text back into bytes in the same encoding. Every accepted
input round-trips: ``encode(doc, doc.text) == data``. A candidate decoding
whose re-encoding differs from the input (e.g. cp932's duplicate code points)
is never chosen, so an untouched file is always written back byte for byte.

Legacy (non-UTF) detection is biased towards cp1252 on purpose: ungarble
repairs English, and charset-normalizer on its own calls short or ordinary
English cp1252 text cp1250 (turning "naïve" into "naďve"). We leave cp1252
only on positive evidence: cp1252 cannot decode the bytes, its reading is
implausible (symbols inside words, case flips, controls), or, for text that
does not look English, the detector recognises a language cp1252 cannot write
(Czech, Polish, Russian, Japanese, ...).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from .model import Document
from .text import LETTERS_RE as _WORD


class InputError(Exception):
    """A one-line, user-facing reason why a file cannot be read or written."""


class EncodeError(InputError):
    """The text holds a character the document's encoding cannot represent."""


_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {name: bom for bom, name in _BOMS}

# Legacy encodings charset-normalizer may choose among (Python codec names).
CANDIDATES: tuple[str, ...] = (
    "cp1252", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1257",
    "iso8859_15", "shift_jis", "cp932", "euc_jp", "gb18030", "big5", "euc_kr",
)

# Languages charset-normalizer reports that cp1252 writes correctly; any
# other language it names is positive evidence for a non-Western encoding.
_WESTERN_LANGUAGES = frozenset({
    "English", "German", "French", "Dutch", "Italian", "Spanish", "Portuguese", "Swedish",
    "Norwegian", "Danish", "Finnish", "Indonesian", "Estonian", "Latin Based", "Unknown", "",
})

# Frequent English words that are not also frequent words in the
# Central-European, Baltic or Turkish languages (so no "a", "to", "i", "na").
_ENGLISH_WORDS = frozenset("""
the and of that was for with this are have from not but which you they were been has had
their there what would will it its he she we his her or an as than then them when who our
about into also only can could should these those
""".split())

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def decode(data: bytes, path: str) -> Document:
    """Decode a file's bytes; raise InputError for binary or undecodable data.

    Order: BOM (UTF-32, UTF-8, UTF-16), NUL bytes mean binary, strict UTF-8,
    then legacy detection. ``text`` keeps the file's line endings exactly.
    """
    if not data:
        return Document(path, "", "utf-8")
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], name)
            if text is not None:
                if _binary(text, c1=False):
                    raise InputError(f"{path}: binary file (control characters), skipped")
                return Document(path, text, name, bom=True)
    if b"\x00" in data:
        raise InputError(f"{path}: binary file (NUL bytes), skipped")
    text = _strict(data, "utf-8")
    if text is not None:
        # C1 controls are allowed here: UTF-8 mojibake ("â€\x9d") is our business.
        if _binary(text, c1=False):
            raise InputError(f"{path}: binary file (control characters), skipped")
        return Document(path, text, "utf-8")
    _refuse_stray_bytes(data, path)
    text, encoding = _detect_legacy(data, path)
    return Document(path, text, encoding)


_SHOWN_STRAYS = 5


def _refuse_stray_bytes(data: bytes, path: str) -> None:
    """UTF-8 text with a few invalid bytes is refused, with their offsets, rather than re-encoded.

    Reading such a file as a legacy encoding would turn every correct UTF-8 character into
    mojibake on write (a stray Latin-1 byte made "“" cp1250 bytes and "café" "cafĂ©"). The
    text counts as UTF-8 when it holds at least as many valid multi-byte sequences that read
    as mojibake in cp1252 ("“" as "â€œ", "é" as "Ã©": Latin, punctuation and emoji, the
    characters English text has) as invalid bytes. A legacy file seldom holds one: its
    accidental valid sequences are CJK characters (cp1252 "é——" is UTF-8 U+95D7), not counted.
    """
    from ftfy.badness import is_bad

    text = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    if not invalid:
        return
    valid = 0
    for ch in set(text):
        if "\x80" <= ch < "\u0800" or "\u2000" <= ch < "\u3000" or ch >= "\U00010000":
            if is_bad(ch.encode("utf-8").decode("cp1252", errors="replace")):
                valid += text.count(ch)
    if valid == 0 or invalid > valid:
        return
    offsets: list[int] = []
    pos = 0
    while len(offsets) < _SHOWN_STRAYS:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as err:
            offsets.append(pos + err.start)
            pos += err.start + max(1, err.end - err.start)
    shown = ", ".join(f"0x{data[i]:02X} at byte {i}" for i in offsets)
    more = f" and {invalid - len(offsets)} more" if invalid > len(offsets) else ""
    raise InputError(f"{path}: UTF-8 text with {invalid} invalid byte{'s' * (invalid != 1)} ({shown}{more}); "
                     "not read, so as not to re-encode the whole file: fix or remove those bytes")


def encode(doc: Document, text: str, *, utf8: bool = False) -> bytes:
    """Encode ``text`` as ``doc`` was read (BOM restored), or as UTF-8 when ``utf8``.

    With ``utf8`` a UTF-8 BOM is kept only if the document had one.
    """
    encoding = "utf-8" if utf8 else doc.encoding
    try:
        body = text.encode(encoding)
    except UnicodeEncodeError as err:
        raise EncodeError(_encode_message(doc, encoding, text, err.start)) from None
    if doc.bom and encoding == doc.encoding:
        return _BOM_OF[encoding] + body
    return body


def _encode_message(doc: Document, encoding: str, text: str, pos: int) -> str:
    ch = text[pos]
    before = text[:pos]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    msg = f"{doc.path}: {encoding} cannot represent {ch!r} (U+{ord(ch):04X}) at line {line}"
    if encoding != "utf-8":
        msg += "; use --utf8 to write UTF-8"
    return msg


def _strict(data: bytes, encoding: str) -> str | None:
    """Decode only if the bytes decode strictly AND re-encode to the same bytes."""
    try:
        text = data.decode(encoding)
        # strict UTF-8 always encodes back to its bytes: no second copy of a large file to compare
        if encoding != "utf-8" and text.encode(encoding) != data:
            return None
    except (UnicodeError, LookupError):
        return None
    return text


_C0 = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")  # all but \t \n \v \f \r and ESC
_C0_C1 = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


def _controls(text: str, *, c1: bool) -> int:
    return sum(1 for _ in (_C0_C1 if c1 else _C0).finditer(text))


def _binary(text: str, *, c1: bool) -> bool:
    """More control characters than a text file plausibly has (one stray is fine)."""
    return _controls(text, c1=c1) > 1 + len(text) // 20


def _ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _is_latin(ch: str) -> bool:
    return ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF


def _oddity(text: str) -> int:
    """Count non-ASCII characters that a correct decoding would rarely produce.

    Wrong single-byte decodings put symbols inside words ("by³a", "mo¿e"),
    uppercase letters after lowercase ("jaŸñ"), stray controls, or letters of
    another alphabet glued to Latin ones ("HelloЃ").
    """
    n = 0
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        ch = m.group()
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cn", "Cs"):
            n += 1
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if prev.isalpha() and nxt.isalpha() and (cat[0] == "S" or cat == "No" or ch in "¿¡§¶"):
            n += 1
        elif cat == "Lu" and prev.islower():
            n += 1
        elif ch.isalpha() and not _is_latin(ch) and (_ascii_letter(prev) or _ascii_letter(nxt)):
            n += 1
    return n


def _english_like(text: str) -> bool:
    words = _WORD.findall(text.lower())
    hits = sum(w in _ENGLISH_WORDS for w in words)
    return hits >= 2 and hits >= 0.12 * len(words)


def _display(codec: str) -> str:
    name = codecs.lookup(codec).name
    return "latin-1" if name == "iso8859-1" else name


def _detector_readings(data: bytes) -> list[tuple[str, str, str]]:
    """(codec, text, language) for charset-normalizer's guesses, best first, lossless only."""
    from charset_normalizer import from_bytes

    out = []
    for match in from_bytes(data, cp_isolation=list(CANDIDATES)):
        codec = match.encoding
        if codec == "cp932":
            # Prefer the standard name when plain Shift_JIS reads the same text.
            sjis = _strict(data, "shift_jis")
            if sjis is not None and sjis == str(match):
                codec = "shift_jis"
        text = _strict(data, codec)
        if text is not None and not _binary(text, c1=True):
            out.append((codec, text, match.language or ""))
    return out


def _detect_legacy(data: bytes, path: str) -> tuple[str, str]:
    western = _strict(data, "cp1252")
    if western is not None and _binary(western, c1=True):
        western = None
    # A long text may hold a stray "a×b"; a wrong reading is odd every few words.
    if western is not None and _oddity(western) <= len(western) // 2000:
        if _english_like(western):
            return western, "cp1252"
        readings = _detector_readings(data)
        if not readings:
            return western, "cp1252"
        codec, text, language = readings[0]
        if text != western and language not in _WESTERN_LANGUAGES and _oddity(text) <= len(text) // 100:
            return text, _display(codec)
        return western, "cp1252"
    readings = _detector_readings(data)
    options = ([("cp1252", western)] if western is not None else []) + [(c, t) for c, t, _ in readings]
    latin1 = data.decode("latin-1")
    if not _binary(latin1, c1=True):
        options.append(("latin_1", latin1))  # decodes anything; last resort
    if not options:
        raise InputError(f"{path}: binary file or unknown encoding, skipped")
    # Least implausible reading; ties keep the order above (cp1252, detector's rank, latin-1).
    codec, text = min(options, key=lambda opt: _oddity(opt[1]))
    return text, _display(codec)
