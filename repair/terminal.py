"""Text from outside (file names, findings' text, server messages, rule descriptions) shown
to a person: control characters become visible escapes, so that nothing a file or a server
holds can clear the screen, set the window title, move the cursor, hide text, reorder a
line (bidirectional controls) or split a ``path:line:col`` location across lines.

Only human views escape: diffs, JSON, SARIF and the written files keep exact bytes.
"""
from __future__ import annotations

import re

# C0 controls (tab included: it can hide alignment tricks in a location line), DEL, C1
# controls, and the invisible format characters that reorder or hide text on screen:
# bidirectional embeddings, overrides and isolates, LRM/RLM/ALM, zero-width characters,
# the BOM, soft hyphen and the tag characters.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\U000e0000-\U000e007f]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, keep_tabs: bool = False) -> str:
    """``text`` with every control and invisible format character written as an escape.

    >>> visible("x\\x1b[2J\\x1b]0;T\\x07 y\\nz.txt")
    'x\\\\x1b[2J\\\\x1b]0;T\\\\x07 y\\\\nz.txt'
    >>> visible("plain café — fine")
    'plain café — fine'
    """
    if text.isprintable() and not _CONTROL.search(text):
        return text
    if keep_tabs:
        return _CONTROL.sub(lambda m: "\t" if m.group() == "\t" else _escape(m), text)
    return _CONTROL.sub(_escape, text)


def visible_lines(text: str) -> str:
    """``visible`` line by line: for messages that are several lines by design (a list of
    problems); the line breaks stay, every other control character is escaped."""
    return "\n".join(visible(line) for line in text.replace("\r\n", "\n").split("\n"))


def use_colour(choice: str | None = None, stream=None) -> bool:
    """Colour for ``stream`` (stdout by default): ``--color always|never`` decides; with
    ``auto`` (or no flag), a non-empty ``FORCE_COLOR`` or ``CLICOLOR_FORCE`` (other than
    ``0``) turns it on, then a non-empty ``NO_COLOR`` turns it off, then it is on only when
    the stream is a terminal (and ``TERM`` is not ``dumb``)."""
    import os
    import sys

    if choice == "always":
        return True
    if choice == "never":
        return False
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE"):
        value = os.environ.get(name, "")
        if value and value != "0":
            return True
    if os.environ.get("NO_COLOR", ""):
        return False
    stream = sys.stdout if stream is None else stream
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and os.environ.get("TERM") != "dumb"


def write_out(text: str) -> None:
    """``text`` to stdout as exact UTF-8 bytes: nothing stripped (click.echo drops ``ESC[...``
    sequences when stdout is not a terminal, which breaks a diff of a line that holds one)."""
    import sys

    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some test harnesses)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not text, as read
        try:
            data = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "backslashreplace")
    buffer.write(data)
    buffer.flush()
