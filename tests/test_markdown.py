"""Markdown: code, markup, URLs and front matter are never flagged or edited; prose is."""
import pytest
from click.testing import CliRunner

from repair import analyse
from repair.cli import main
from repair.markdown import code_spans, protected_spans, prose_spans

PROSE = ("The new rules certainly strengthen and strengthen the trade links, a spokesman and reporters told.\n"
         "Crews were told to deploy or deploy two more ships.")
DOC = f"""---
title: Port report
summary: the the summary
---
# Port report

{PROSE}

```text
{PROSE}
```

    {PROSE.splitlines()[1]}

Inline `to deploy or deploy` stays, and so does [the link](https://example.org/the_the_path) and <span
title="the the">this</span>.

<!-- {PROSE.splitlines()[1]} -->

<div>
Crews were told to deploy or deploy two more ships.
</div>
"""


def protected_texts(text):
    return [text[s.start:s.end] for s in protected_spans(text)]


def test_each_construct_is_protected_exactly():
    text = ("---\ntitle: x\n---\n# Head `the the`\n\n| a | b `c` |\n|---|---|\n| x [l](http://u/a_b) | <b>y</b> |\n\n"
            "- item <http://auto.link> and [ref] see https://x.org/a_b.\n- ![alt](pic.png \"t\") and [x][ref]\n\n"
            "[ref]: http://example.com \"t\"\n\n~~~\ncode\n~~~\n\n<!-- c1\nc2 -->\n\nSetext\n======\n")
    got = protected_texts(text)
    assert got == [
        "---\ntitle: x\n---", "`the the`", "`c`", "|---|---|", "](http://u/a_b)", "<b>", "</b>",
        "<http://auto.link>", "https://x.org/a_b", '](pic.png "t")', "][ref]", '[ref]: http://example.com "t"',
        "~~~\ncode\n~~~", "<!-- c1\nc2 -->", "======",
    ]
    # prose stays visible: headings, table cells, list items, link text, image alt text
    prose = "".join(text[s.start:s.end] for s in prose_spans(text))
    for visible in ("# Head", "| a | b", "| x [l", "y", "- item", "and [ref] see", "![alt", "Setext"):
        assert visible in prose


def test_inline_code_and_code_blocks_are_code_but_html_is_not():
    text = "Use `a b` here.\n\n```\nx\n```\n\n<p>html</p>\n"
    assert [text[s.start:s.end] for s in code_spans(text)] == ["`a b`", "```\nx\n```"]


def test_escaped_backticks_and_double_backtick_spans():
    text = "Not \\`code\\` but ``a ` b`` is.\n"
    assert protected_texts(text) == ["``a ` b``"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_offsets_are_exact_in_crlf_and_cr_files(newline):
    lf = DOC
    other = DOC.replace("\n", newline)
    assert [t.replace(newline, "\n") for t in protected_texts(other)] == protected_texts(lf)


def test_no_front_matter_without_closing_line():
    text = "---\nnot front matter\n\nA paragraph.\n"
    assert "not front matter" not in "".join(protected_texts(text))


def test_findings_only_in_prose_with_the_same_garble_in_code():
    result = analyse(DOC, grammar="none", input_format="markdown")
    prose_start = DOC.index("# Port report")
    prose_end = DOC.index("```text")
    assert {f.rule for f in result.findings} >= {"mt.doubled-verb", "mt.reporting-inversion"}
    for f in result.findings:
        assert prose_start <= f.span.start and f.span.end <= prose_end, (f.rule, f.text)
    # the same text as plain text is flagged everywhere
    plain = analyse(DOC, grammar="none")
    assert any(f.span.start > prose_end for f in plain.findings)


def test_fix_write_leaves_code_markup_and_front_matter_byte_for_byte(tmp_path):
    path = tmp_path / "doc.md"
    path.write_bytes(DOC.replace("\n", "\r\n").encode())
    result = CliRunner().invoke(main, ["fix", "--write", "--unsafe", "--grammar", "none", str(path)])
    assert result.exit_code == 1, result.output
    after = path.read_bytes().decode()
    before = DOC.replace("\n", "\r\n")
    head, tail = before.split("# Port report", 1)
    assert after.startswith(head)  # front matter untouched
    code_part = before[before.index("```text"):]
    assert after.endswith(code_part)  # everything after the prose: code, HTML, links
    assert "strengthen the trade links" in after and "strengthen and strengthen the trade links, a spokesman" not in \
        after[:after.index("```text")]


def test_md_files_are_markdown_and_txt_files_are_not(tmp_path):
    text = "Run `the the` now.\n"
    md, txt = tmp_path / "a.md", tmp_path / "a.txt"
    md.write_text(text, encoding="utf-8")
    txt.write_text(text, encoding="utf-8")
    run = lambda p: CliRunner().invoke(main, ["check", "--grammar", "none", str(p)])
    assert run(md).exit_code == 0
    assert run(txt).exit_code == 1


def test_stdin_filename_makes_stdin_markdown():
    text = "Run `the the` now.\n"
    as_md = CliRunner().invoke(main, ["check", "--grammar", "none", "--stdin-filename", "notes.md", "-"], input=text)
    as_txt = CliRunner().invoke(main, ["check", "--grammar", "none", "-"], input=text)
    assert as_md.exit_code == 0, as_md.output
    assert as_txt.exit_code == 1 and "-:1:6:" in as_txt.output


from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(["word ", "the ", "`", "``", "\\", "[", "]", "(", ")", "<", ">", "<!--", "-->", "<b>",
                           "http://x.org/a ", "\n", "\n\n", "```\n", "    ", "# ", "- ", "> ", "| a | b |\n|---|---|\n",
                           "---\n", "![", "*", "_", "&amp;", "\t", "é", "a@b.co "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_spans_are_sorted_disjoint_in_bounds_and_line_ending_independent(text):
    spans = protected_spans(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end < b.start for a, b in zip(spans, spans[1:]))
    crlf = text.replace("\n", "\r\n")
    assert [crlf[s.start:s.end].replace("\r\n", "\n") for s in protected_spans(crlf)] == \
        [text[s.start:s.end] for s in spans]
