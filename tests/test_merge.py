"""One voice: merging findings across sources and dropping suggestions we would undo."""
from __future__ import annotations

import pytest

from repair.merge import breaks_name, merge_findings
from repair.model import Edit, Finding, Span
from repair.options import Options
from repair.pipeline import undo_probe


def probe(options: Options):
    """What the engine hands merging: one round of its safe edits (encoding repair, our rules)."""
    from repair.checks.rules import RuleChecks

    return undo_probe(options, RuleChecks.for_options(options))


def merge_as_engine(text: str, findings, options: Options) -> list[Finding]:
    """Merging as the engine calls it."""
    return merge_findings(text, findings, options, undo=probe(options))


def finding(text: str, start: int, end: int, rule: str, source: str, replacement: str | None = None,
            severity: str = "warning", safety: str = "suggest") -> Finding:
    fix = Edit(Span(start, end), replacement, rule, safety) if replacement is not None else None
    return Finding(rule, source, severity, f"{rule} says so", Span(start, end), text[start:end], fix, (source,))


TEXT = "We recieve the the letters."


def test_same_span_from_three_sources_is_one_finding():
    s = TEXT.index("recieve")
    fs = [
        finding(TEXT, s, s + 7, "harper.Spelling.SpellCheck", "harper", "receive"),
        finding(TEXT, s, s + 7, "languagetool.TYPOS.MORFOLOGIK_RULE_EN_US", "languagetool", "receive",
                severity="error"),
        finding(TEXT, s, s + 7, "typo.common-misspelling", "rules", "receive", severity="info", safety="safe"),
    ]
    (merged,) = merge_as_engine(TEXT, fs, Options())
    assert merged.rule == "typo.common-misspelling" and merged.source == "rules"
    assert set(merged.sources) == {"rules", "harper", "languagetool"} and merged.sources[0] == "rules"
    assert merged.severity == "info"                       # what the primary rule declares
    assert merged.fix.safety == "safe" and merged.fix.span == merged.span
    assert "harper.Spelling.SpellCheck" in merged.message


def test_overlapping_findings_with_the_same_result_merge():
    s = TEXT.index("the the")
    ours = finding(TEXT, s + 3, s + 7, "mt.repeated-word", "rules", "", safety="safe")   # delete " the"
    harper = finding(TEXT, s, s + 7, "harper.Repetition.RepeatedWords", "harper", "the")
    (merged,) = merge_as_engine(TEXT, [harper, ours], Options())
    assert merged.rule == "mt.repeated-word"
    assert merged.sources == ("rules", "harper")
    assert merged.span == ours.span


def test_different_spots_stay_apart_and_sources_are_filled():
    a = TEXT.index("recieve")
    b = TEXT.index("letters")
    fs = [finding(TEXT, a, a + 7, "harper.Spelling.SpellCheck", "harper", "receive"),
          finding(TEXT, b, b + 7, "harper.Style.X", "harper")]
    bare = [Finding(f.rule, f.source, f.severity, f.message, f.span, f.text, f.fix) for f in fs]
    merged = merge_as_engine(TEXT, bare, Options())
    assert [f.text for f in merged] == ["recieve", "letters"]
    assert all(f.sources == ("harper",) for f in merged)


def test_overlapping_but_different_changes_stay_apart():
    s = TEXT.index("recieve the")
    a = finding(TEXT, s, s + 7, "harper.Spelling.SpellCheck", "harper", "receive")
    b = finding(TEXT, s, s + 11, "languagetool.GRAMMAR.X", "languagetool", "got the")
    assert len(merge_as_engine(TEXT, [a, b], Options())) == 2


def test_flag_only_primary_takes_a_fix_from_another_source():
    s = TEXT.index("recieve")
    ours = finding(TEXT, s, s + 7, "typo.flag", "rules")
    harper = finding(TEXT, s, s + 7, "harper.Spelling.SpellCheck", "harper", "receive")
    (merged,) = merge_as_engine(TEXT, [ours, harper], Options())
    assert merged.rule == "typo.flag"
    assert merged.fix is not None and merged.fix.replacement == "receive" and merged.fix.span == merged.span


def test_exact_duplicates_collapse():
    s = TEXT.index("recieve")
    f = finding(TEXT, s, s + 7, "harper.Spelling.SpellCheck", "harper", "receive")
    assert merge_as_engine(TEXT, [f, f], Options()) == [f]


def test_compound_that_breaks_a_name_is_dropped():
    text = "They sailed from the Black Sea port of Varnokai. He works in a sea port."
    s = text.index("Sea port")
    t = text.index("sea port")
    bad = finding(text, s, s + 8, "harper.WordChoice.CompoundNouns", "harper", "Seaport")
    fine = finding(text, t, t + 8, "harper.WordChoice.CompoundNouns", "harper", "seaport")
    merged = merge_as_engine(text, [bad, fine], Options())
    assert [f.text for f in merged] == ["sea port"]


def test_breaks_name_only_for_words_standing_as_names():
    text = "Its fine. We met Ms Larsdottir there."
    assert not breaks_name(text, Edit(Span(0, 3), "It's", "r"))          # sentence-initial capital
    s = text.index("Larsdottir")
    assert breaks_name(text, Edit(Span(s, s + 10), "Lars dottir", "r"))
    assert not breaks_name(text, Edit(Span(s - 3, s + 10), "Ms. Larsdottir", "r"))


def test_real_harper_seaport_is_dropped():
    pytest.importorskip("harper", reason="harper-py is not installed")
    from repair.checks.harper import HarperCheck

    text = "Ships left the Red Sea port city of Varnokai at dawn, and the old sea port emptied."
    opts = Options(select=("harper.WordChoice.CompoundNouns",))  # quiet by default
    found = HarperCheck.for_options(opts).check(text, opts)
    assert any(f.fix and f.fix.replacement == "Seaport" for f in found)     # Harper proposes it
    merged = merge_as_engine(text, found, opts)
    assert not any(f.fix and "Seaport" in f.fix.replacement for f in merged)
    assert any(f.text == "sea port" for f in merged)


def test_suggestion_the_edit_engine_would_undo_is_dropped():
    text = "The first step."
    s = text.index("first")
    # a (hypothetical) checker proposing a typographic ligature: encoding repair undoes it
    lig = finding(text, s, s + 5, "languagetool.TYPOGRAPHY.LIGATURE", "languagetool", "\ufb01rst")
    assert merge_as_engine(text, [lig], Options()) == []
    assert merge_as_engine(text, [lig], Options(fix_latin_ligatures=False)) != []


def test_curly_quotes_are_dropped_only_when_the_user_straightens_them():
    text = 'He said "yes" twice.'
    s = text.index('"yes"')
    curly = finding(text, s, s + 5, "harper.Formatting.Quotes", "harper", "\u201cyes\u201d")
    assert merge_as_engine(text, [curly], Options(uncurl_quotes=True)) == []
    assert len(merge_as_engine(text, [curly], Options())) == 1


def test_no_op_suggestion_is_dropped():
    s = TEXT.index("letters")
    assert merge_as_engine(TEXT, [finding(TEXT, s, s + 7, "harper.X.Y", "harper", "letters")], Options()) == []


def test_rule_findings_are_never_dropped():
    text = "They sailed from the Black Sea port."
    s = text.index("Sea port")
    ours = finding(text, s, s + 8, "names.example", "rules", "Seaport")
    assert merge_as_engine(text, [ours], Options()) == [ours]


def test_merging_never_changes_the_severity_the_rule_declares():
    # mt.repeated-phrase is a warning: Harper agreeing with an error kind must not make it one
    text = "We went to to the shop."
    s = text.index("to to")
    ours = finding(text, s + 2, s + 5, "mt.repeated-phrase", "rules", "", severity="warning", safety="safe")
    harper = finding(text, s, s + 5, "harper.Typo.ToTo", "harper", "to", severity="error")
    (merged,) = merge_as_engine(text, [harper, ours], Options())
    assert merged.rule == "mt.repeated-phrase" and set(merged.sources) == {"rules", "harper"}
    assert merged.severity == "warning"


def test_the_same_rule_has_one_severity_whatever_else_fired():
    pytest.importorskip("harper")
    from repair import check

    found = [f for f in check("We went to to the shop.\n\nIt was the the end of it.\n")
             if f.rule == "mt.repeated-phrase"]
    assert len(found) == 2 and {f.severity for f in found} == {"warning"}


def test_finding_the_paragraph_of_each_grammar_fix_does_not_rescan_the_text(monkeypatch):
    # issue 18: each grammar finding scanned every blank line before it (O(text x findings))
    from repair import merge

    scans = []
    real = merge._BLANK_LINE

    class Counting:
        def finditer(self, text, *args):
            scans.append(len(text))
            return real.finditer(text, *args)

        def search(self, text, *args):
            scans.append(len(text))
            return real.search(text, *args)

    monkeypatch.setattr(merge, "_BLANK_LINE", Counting())
    paras = [f"Paragraph {i} has words in it." for i in range(200)]
    text = "\n\n".join(paras)
    undo = merge._Undo(text, probe(Options(grammar="none")))
    for i in range(0, 200, 10):
        start = text.index(f"Paragraph {i} ") + len(f"Paragraph {i} ")
        assert not undo.would_undo(Edit(Span(start, start + 3), "had", "harper.x", "suggest"))
        assert merge._paragraph(text, Span(start, start + 3), undo.blanks) == (
            start - len(f"Paragraph {i} "), start - len(f"Paragraph {i} ") + len(paras[i]))
    assert len(scans) <= 1  # was two scans per fix


def test_merge_asks_the_engine_instead_of_running_checks_itself():
    # issue 12: merge ran a third mini pipeline of its own (encoding repair and rule checks)
    import ast
    from pathlib import Path

    from repair import merge

    tree = ast.parse(Path(merge.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported.update(f"{node.module or ''}.{a.name}".lstrip(".") for a in node.names)
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    # the registry is the sources' metadata (ranks, grammar back ends), not a check
    imported = {m for m in imported if not m.startswith(("checks.registry", "repair.checks.registry"))}
    assert not {m for m in imported if m.split(".")[0] in ("checks", "encoding") or "repair.checks" in m
                or m.endswith("encoding")}, imported
