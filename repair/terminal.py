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
