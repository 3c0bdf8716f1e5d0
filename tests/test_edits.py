from hypothesis import given, strategies as st

from repair.edits import OffsetMap, apply, resolve
from repair.model import Edit, Span


def edit(start, end, replacement, rule="r"):
    return Edit(Span(start, end), replacement, rule, "safe")


def test_apply_back_to_front_keeps_offsets_valid():
    text = "one two three four"
    edits = [edit(0, 3, "ONE"), edit(8, 13, "3"), edit(4, 7, "")]
    assert apply(text, edits) == "ONE  3 four"


def test_resolve_skips_overlaps_deterministically():
    a, b, c = edit(0, 5, "x", "b.rule"), edit(3, 8, "y", "a.rule"), edit(8, 9, "z")
    chosen, skipped = resolve([c, b, a])
    assert chosen == [a, c] and skipped == [b]
    assert resolve([a, b, c]) == resolve([c, a, b])


def test_insertions_at_one_point_conflict():
    chosen, skipped = resolve([edit(4, 4, "a"), edit(4, 4, "b"), edit(4, 6, "c")])
    assert len(chosen) == 1 and len(skipped) == 2


def test_apply_refuses_overlapping_edits():
    import pytest

    with pytest.raises(ValueError):
        apply("abcdef", [edit(0, 3, ""), edit(2, 4, "")])


def test_offset_map_after_deletion_and_growth():
    text = "the the cafÃ© is open"
    edits = [edit(0, 4, ""), edit(8, 13, "café")]
    new = apply(text, edits)
    assert new == "the café is open"
    m = OffsetMap.from_edits(edits)
    for word in ("the", "café", "is", "open"):
        start = new.index(word)
        span = m.span(Span(start, start + len(word)))
        expected = {"the": "the", "café": "cafÃ©", "is": "is", "open": "open"}[word]
        assert text[span.start:span.end] == expected


@st.composite
def text_and_edits(draw):
    text = draw(st.text(alphabet="ab cdé😀\n", max_size=40))
    points = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits = []
    for start, end in zip(points[::2], points[1::2]):
        edits.append(edit(start, end, draw(st.text(alphabet="xyz", max_size=3))))
    return text, edits


@given(text_and_edits())
def test_no_edits_is_identity_and_unchanged_text_maps_back(case):
    text, edits = case
    assert apply(text, []) == text
    chosen, _ = resolve(edits)
    new = apply(text, chosen)
    m = OffsetMap.from_edits(chosen)
    # every character outside a replacement maps back to the same character
    inserted = set()
    delta = 0
    for e in chosen:
        start = e.span.start + delta
        inserted.update(range(start, start + len(e.replacement)))
        delta += len(e.replacement) - (e.span.end - e.span.start)
    for i, ch in enumerate(new):
        if i not in inserted:
            span = m.span(Span(i, i + 1))
            assert text[span.start:span.end] == ch


class _CountingSegments(tuple):
    """Segments that count how often something walks all of them."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def test_offset_map_walks_its_segments_once_not_once_per_lookup():
    # issue 18 item 1: the list of segment starts was rebuilt on every lookup, so mapping
    # F findings through E edits cost O(E x F); now it is built once per map
    edits = [edit(i * 10, i * 10 + 2, "x") for i in range(1000)]
    built = OffsetMap.from_edits(edits)
    m = OffsetMap(_CountingSegments(built.segments))
    _CountingSegments.walks = 0
    for i in range(500):
        assert m.span(Span(i * 9, i * 9 + 3)) == built.span(Span(i * 9, i * 9 + 3))
    assert _CountingSegments.walks <= 1
