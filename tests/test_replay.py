"""The engine's result is a replayable plan (as ftfy's ``fix_and_explain``/``apply_plan``): a sequence
of passes, each with its edits in offsets of the text before it; ``replay(original) == fixed`` always."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import repair
from repair import edits
from repair.edits import Pass, replay, restrict
from repair.model import Span

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TRAIN = "The train  left  ,  on time ."
CREDIT = "Photo: Jane Roe/Agency Photo: Jane Roe/Agency Photo: Jane Roe/Agency"

# the shapes of the two seeds, in words of our own: machine-translated news, one paragraph a line,
# with doubled verbs, stray "..", fragments and hanging quotes; a scraped article with a metadata
# line, captions repeated whole and doubled credit lines
MT_SHAPE = (
    "The agency said on Tuesday that it had asked the fleet to send three more boats to the bay.\n"
    "“These boats will patrol the coast, and surely support and support the allies. "
    "“We are ready,” agency spokesman Tom Berg and Oslo reporters told.\n"
    "The boats left the harbour in May, when the storm began. ..\n"
    "The fleet has been moving boats since early May, ordering to send or send about 30 boats. Moved.\n"
    "“In the long run, this work is I think it will go on. “"
)
SCRAPED_SHAPE = (
    "date 2023-05-02 The bridge opened on Monday after repairs.\n\n"
    "The city’s mayor thanked the workers. The bridge's owners thanked the city's engineers.\n\n"
    + "\n\n".join(["Caption Trucks cross the bridge at the at the east end, Monday, May 1, 2023. "
                   "The bridge reopened after a month of work. (Photo/Lea Moss) Credit: Lea Moss Credit: Lea Moss"]
                  + ["Caption Trucks cross the bridge at the east end, Monday, May 1, 2023. "
                     "The bridge reopened after a month of work. (Photo/Lea Moss) Credit: Lea Moss Credit: Lea Moss"] * 2)
)


def assert_replays(result) -> None:
    """The plan, pass by pass, turns the text as read into the fixed text; findings stay in
    offsets of the text as read, each reported by exactly one pass."""
    text = result.original
    for step in result.plan:
        assert all(0 <= e.span.start <= e.span.end <= len(text) for e in step.edits)
        chosen, skipped = edits.resolve(step.edits)
        assert list(step.edits) == chosen and not skipped  # sorted, never overlapping
        text = step.apply(text)
    assert text == result.fixed
    assert result.replay() == result.fixed == replay(result.original, result.plan)
    assert sorted(map(id, result.findings)) == sorted(id(f) for step in result.plan for f in step.found)
    for f in result.findings:
        assert result.original[f.span.start:f.span.end] == f.text


@pytest.mark.parametrize("text, fixed", [(TRAIN, "The train left, on time."), (CREDIT, "Photo: Jane Roe/Agency")])
def test_two_pass_repairs_replay_where_the_applied_edits_cannot(text, fixed):
    result = repair.analyse(text, grammar="none", unsafe=True)
    assert result.fixed == fixed and result.passes == 2
    assert_replays(result)
    # the edits in offsets of the original overlap (the second pass stands on the first), so
    # they cannot be applied in one go: that is what the plan is for
    with pytest.raises(ValueError, match="overlapping edits"):
        edits.apply(text, result.applied)


def test_each_pass_maps_back_to_the_text_as_read():
    result = repair.analyse(CREDIT, grammar="none", unsafe=True)
    stages = [step.stage for step in result.plan]
    assert stages[0] == "encoding" and set(stages[1:]) == {"checks"}
    second = [step for step in result.plan if step.edits][1]
    (e,) = second.edits
    assert second.to_original(e.span) == Span(0, len(CREDIT))  # widened over the first pass's edit
    assert result.applied[-1].span == Span(0, len(CREDIT))


PIECES = ["the", "the the", "and and", "It was", "end", "  ", " ", " ,", " .", ",", ".", "didnâ€™t", "cafÃ©",
          "â€œHiâ€\x9d", "\u201c", "\u201d", '"', "'", "\n", "\n\n", "Photo: Jane Roe/Agency", "Credit: Ana Reis",
          " ..", "colour", "teh", "\u00a0", "ﬁrst", "--", "!!"]


@st.composite
def garbled(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        line = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10)))
        parts.append(draw(st.sampled_from([" ", "\n", "\n\n"])).join([line] * draw(st.integers(1, 3))))
    return draw(st.sampled_from(["\n", "\n\n", " "])).join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbled(), st.booleans())
def test_replay_gives_the_fixed_text(text, unsafe):
    assert_replays(repair.analyse(text, grammar="none", unsafe=unsafe))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbled(), st.booleans())
def test_replay_gives_the_fixed_text_with_harper(text, unsafe):
    pytest.importorskip("harper")
    assert_replays(repair.analyse(text, unsafe=unsafe))


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", sorted(p for p in SAMPLES.rglob("*") if p.is_file()),
                         ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_sample_replays(path, unsafe):
    text = path.read_bytes().decode("utf-8")
    assert_replays(repair.analyse(text, unsafe=unsafe))


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("text, passes", [(MT_SHAPE, 1), (SCRAPED_SHAPE, 2)], ids=["mt", "scraped"])
def test_seed_shapes_replay(text, passes, unsafe):
    result = repair.analyse(text, unsafe=unsafe)
    # the captions are one and the same only once the first pass fixed "at the at the"
    assert result.changed and result.passes >= passes
    assert_replays(result)


# --- restricting a plan (--diff-only) ---------------------------------------------------------

def test_restricting_to_everything_or_nothing():
    result = repair.analyse(CREDIT + "\n" + TRAIN, grammar="none", unsafe=True)
    everything = restrict(result.plan, lambda span: True)
    assert [s.edits for s in everything] == [s.edits for s in result.plan]
    assert replay(result.original, everything) == result.fixed
    nothing = restrict(result.plan, lambda span: False)
    assert replay(result.original, nothing) == result.original
    assert all(not s.edits and not s.found for s in nothing)


def test_an_edit_on_top_of_one_left_out_is_left_out_and_the_rest_is_rebased():
    text = "ab cd ef"
    first = Pass("checks", (edits.Edit(Span(0, 2), "X", "r.a"), edits.Edit(Span(3, 5), "YYY", "r.b")))
    second = Pass("checks", (edits.Edit(Span(0, 1), "Z", "r.c"), edits.Edit(Span(6, 8), "W", "r.d")),
                  back=first.later_back())
    assert replay(text, [first, second]) == "Z YYY W"
    # leave out "ab" -> "X": "X" -> "Z" stood on it; "ef" -> "W" moves back by the two characters
    kept = restrict([first, second], lambda span: span.start > 0)
    assert replay(text, kept) == "ab YYY W"
    assert kept[1].edits == (edits.Edit(Span(7, 9), "W", "r.d"),)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbled(), st.booleans(), st.sets(st.integers(0, 12)))
def test_restricting_to_some_lines_replays_and_edits_only_those(text, unsafe, lines):
    result = repair.analyse(text, grammar="none", unsafe=unsafe)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def wanted(span: Span) -> bool:
        first = sum(1 for s in starts if s <= span.start) - 1
        last = sum(1 for s in starts if s <= max(span.start, span.end - 1)) - 1
        return any(n in lines for n in range(first, last + 1))

    plan = restrict(result.plan, wanted)
    fixed = replay(text, plan)
    assert all(wanted(e.span) for step in plan for e in step.original_edits())
    assert all(wanted(f.span) for step in plan for f in step.found)
    if all(wanted(e.span) for e in result.applied):
        assert fixed == result.fixed
