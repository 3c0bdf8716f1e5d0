"""Golden files: every samples/x.txt, run through the whole default pipeline (Harper included),
becomes samples/x.fixed.txt (so does the replay of its plan), and the golden text is stable (a second run
changes nothing)."""
from pathlib import Path

import pytest

import repair

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CASES = sorted(p for p in SAMPLES.glob("*.txt") if not p.name.endswith(".fixed.txt"))


def test_every_sample_has_a_golden_file():
    assert len(CASES) >= 8
    assert all(p.with_name(p.stem + ".fixed.txt").exists() for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_fix_reaches_the_golden_text_and_is_stable(path):
    text = path.read_text(encoding="utf-8")
    expected = path.with_name(path.stem + ".fixed.txt").read_text(encoding="utf-8")
    result = repair.analyse(text)
    assert result.fixed == expected
    assert result.replay() == expected  # the plan, pass by pass, gives the golden text too
    assert repair.fix(expected) == expected


def test_mt_sample_flags_what_it_cannot_fix():
    rules = {f.rule for f in repair.check((SAMPLES / "mt-article.txt").read_text(encoding="utf-8"))}
    assert {"mt.fragment", "mt.reporting-inversion", "quotes.unbalanced"} <= rules


def test_clean_sample_has_no_findings_at_warning_or_above():
    findings = repair.check((SAMPLES / "clean.txt").read_text(encoding="utf-8"))
    assert [f for f in findings if f.severity != "info"] == []
