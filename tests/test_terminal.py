"""repair.terminal.visible: what reaches a person's terminal has no live control characters."""
from repair.terminal import visible


def test_escape_sequences_and_newlines_become_visible():
    shown = visible("x\x1b[2J\x1b]0;T\x07 y\nz.txt")
    assert shown == "x\\x1b[2J\\x1b]0;T\\x07 y\\nz.txt"
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)


def test_bidi_and_invisible_format_characters_become_visible():
    assert visible("admin\u202etxt.exe") == "admin\\u202etxt.exe"
    assert visible("a\u200bb\u2066c\U000e0041") == "a\\u200bb\\u2066c\\U000e0041"


def test_ordinary_text_is_unchanged():
    text = "plain café — “quoted” naïve 東京"
    assert visible(text) is text or visible(text) == text


def test_tabs_kept_on_request():
    assert visible("a\tb\x07", keep_tabs=True) == "a\tb\\x07"
    assert visible("a\tb") == "a\\tb"
