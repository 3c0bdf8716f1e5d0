"""Suppression comments in the text: ignore (line / next line / rules), off/on regions."""
import pytest
from click.testing import CliRunner

from repair import analyse
from repair.cli import main
from repair.suppress import suppressions


def rules_at(text, **kw):
    """(line number, rule) of every finding."""
    result = analyse(text, grammar="none", **kw)
    return sorted((text.count("\n", 0, f.span.start) + 1, f.rule) for f in result.findings)


BASE = "It was the the end.\n"


def test_without_directives_the_finding_is_there():
    assert rules_at(BASE) == [(1, "mt.repeated-phrase")]


@pytest.mark.parametrize("note", ["[ungarble: ignore]", "# ungarble: ignore", "// ungarble: ignore",
                                  "<!-- ungarble: ignore -->"])
def test_ignore_on_the_same_line_in_plain_text(note):
    text = f"It was the the end. {note}\nWe saw a a bird.\n"
    assert rules_at(text) == [(2, "mt.repeated-phrase")]


@pytest.mark.parametrize("note", ["[ungarble: ignore]", "# ungarble: ignore", "<!-- ungarble: ignore -->"])
def test_ignore_alone_on_a_line_covers_the_next_line_only(note):
    text = f"{note}\nIt was the the end.\nWe saw a a bird.\n"
    assert rules_at(text) == [(3, "mt.repeated-phrase")]


def test_ignore_with_rule_ids_keeps_other_rules():
    text = "[ungarble: ignore[encoding]]\nIt was the the end of the cafÃ© day.\n"
    assert rules_at(text) == [(2, "mt.repeated-phrase")]
    text = "[ungarble: ignore[mt.repeated-phrase, encoding.mojibake]]\nIt was the the end of the cafÃ© day.\n"
    assert rules_at(text) == []


def test_off_on_region():
    text = ("It was the the end.\n\n[ungarble: off]\nWe saw a a bird.\n\nThen we we left.\n[ungarble: on]\n\n"
            "It ended at at noon.\n")
    assert rules_at(text) == [(1, "mt.repeated-phrase"), (9, "mt.repeated-phrase")]


def test_off_without_on_runs_to_the_end():
    text = "It was the the end.\n# ungarble: off\nWe saw a a bird.\n"
    assert rules_at(text) == [(1, "mt.repeated-phrase")]


def test_off_for_one_rule_only():
    text = "<!-- ungarble: off[encoding] -->\nIt was the the cafÃ©.\n<!-- ungarble: on[encoding] -->\ncafÃ©\n"
    got = rules_at(text)
    assert (2, "mt.repeated-phrase") in got and (4, "encoding.mojibake") in got
    assert (2, "encoding.mojibake") not in got


def test_markdown_uses_html_comments_only_and_not_inside_code():
    text = ("<!-- ungarble: ignore -->\nIt was the the end.\n\n[ungarble: ignore]\nWe saw a a bird.\n\n"
            "Write `<!-- ungarble: off -->` to switch it off.\n\nThen we we left.\n")
    assert rules_at(text, input_format="markdown") == [(5, "mt.repeated-phrase"), (9, "mt.repeated-phrase")]


def test_suppressed_edits_are_not_applied(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("[ungarble: off]\nIt was the the end.\n[ungarble: on]\nWe saw a a bird.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", "--write", "--grammar", "none", str(path)])
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == "[ungarble: off]\nIt was the the end.\n[ungarble: on]\nWe saw a bird.\n"


def test_crlf_offsets():
    text = "[ungarble: ignore]\r\nIt was the the end.\r\nWe saw a a bird.\r\n"
    spans = suppressions(text, False)
    assert [text[s.start:s.end] for s, _ in spans] == ["[ungarble: ignore]", "It was the the end."]


def test_mentions_that_are_not_directives_are_ignored():
    text = "The tool reads ungarble: ignore notes.\nIt was the the end.\n"
    assert suppressions(text, False) == []
    assert suppressions("[ungarble: ignore[]]\nx\n", False) == []
