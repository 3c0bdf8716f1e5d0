"""repair/bilingual/units.py: the shared types and helpers."""
import pytest

from repair.bilingual import BilingualFormatError, PositionMap, Unit
from repair.bilingual.units import line_col, place_protected


def _unit(target, protected):
    n = len(target)
    return Unit(key="k", id="k", context=None, source=None, target=target, segments=(),
                positions=PositionMap(tuple(range(n)), tuple(range(1, n + 1)), n), protected=protected)


def test_error_is_one_line_with_place():
    err = BilingualFormatError("bad\nthing  here", 3, 7)
    assert str(err) == "line 3, column 7: bad thing here" and (err.line, err.column) == (3, 7)
    assert str(BilingualFormatError("no place")) == "no place"


def test_position_map_span():
    pm = PositionMap((10, 11, 13), (11, 13, 14), 14)  # the middle character is an escape of two
    assert pm.span(0, 3) == (10, 14) and pm.span(1, 2) == (11, 13) and pm.span(3, 3) == (14, 14)
    assert pm[3] == 14
    with pytest.raises(IndexError):
        pm.span(2, 4)


def test_line_col_counts_crlf_lf_and_cr():
    text = "a\r\nb\nc\rd😀e"
    assert [line_col(text, text.index(c)) for c in "abcde"] == [(1, 1), (2, 1), (3, 1), (4, 1), (4, 3)]


def test_place_protected_follows_the_codes_through_an_edit():
    unit = _unit('Click <g id="1">the the here</g> now<x/>', ((6, 16), (28, 32), (36, 40)))
    new = 'Click <g id="1">here</g> right now<x/>'
    assert place_protected(unit, new) == [(6, 16), (20, 24), (34, 38)]
    moved = 'Please click <g id="1">here</g> now<x/>'
    assert place_protected(unit, moved) == [(13, 23), (27, 31), (35, 39)]
    for broken in ['Click here now<x/>', 'Click <g id="2">here</g> now<x/>', 'Click <x/><g id="1">here</g>']:
        with pytest.raises(BilingualFormatError, match="inline code"):
            place_protected(unit, broken)
