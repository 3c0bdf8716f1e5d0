"""The input-format and output-format registries (issue 12 item 3): a new format is one module
plus its registration, and the CLI picks it up with no other file edited."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings

import pytest
from click.testing import CliRunner

import repair
from repair import formats, report
from repair.cli import main
from repair.formats import InputFormat, Unit
from repair.model import Span
from repair.options import Options

# One module: a toy input format (lines starting with ">" are protected) and a toy output format
# (one line per finding), each registered through its registry and nothing else.
TOY_MODULE = textwrap.dedent('''
    from dataclasses import dataclass

    from repair import report
    from repair.formats import InputFormat, register
    from repair.model import Span


    @dataclass(frozen=True)
    class Toy(InputFormat):
        def protected(self, text):
            spans, pos = [], 0
            for line in text.splitlines(keepends=True):
                if line.startswith(">"):
                    spans.append(Span(pos, pos + len(line.rstrip("\\r\\n"))))
                pos += len(line)
            return spans


    register(Toy("toy", "Toy: lines starting with > are quoted.", extensions=(".toy",), include=("*.toy",)))


    def render(reports, ctx):
        return "".join(f"TOY {r.path} {f.rule} {f.span.start}\\n" for r in reports for f in r.findings)


    report.register(report.OutputFormat("toy", "check", render, "one finding a line, toy style"))
''')

TEXT = "> It was the the end.\nWe saw a a bird.\n"


def _run_with_toy(tmp_path, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "toyplugin.py").write_text(TOY_MODULE, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = "import sys, toyplugin; from repair.cli import main; main(sys.argv[1:])"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


def test_a_toy_input_and_output_format_work_through_the_cli(tmp_path):
    (tmp_path / "quoted.toy").write_text(TEXT, encoding="utf-8")
    (tmp_path / "same.txt").write_text(TEXT, encoding="utf-8")
    run = _run_with_toy(tmp_path, "check", "--grammar", "none", "--format", "toy", "quoted.toy", "same.txt")
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    second = TEXT.index("a a")
    # the protected line of the .toy file has no finding; the same text as plain text has both
    assert lines == ["TOY quoted.toy mt.repeated-phrase " + str(second),
                     "TOY same.txt mt.repeated-phrase " + str(TEXT.index("the the")),
                     "TOY same.txt mt.repeated-phrase " + str(second)]


def test_a_toy_format_is_a_choice_walked_and_forced_by_flag(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "quoted.toy").write_text(TEXT, encoding="utf-8")
    (tmp_path / "quoted.txt").write_text(TEXT, encoding="utf-8")
    # a directory argument picks up *.toy (the format's include pattern); json dispatch still works
    run = _run_with_toy(tmp_path, "check", "--grammar", "none", "--format", "json", "docs")
    found = json.loads(run.stdout)["files"]
    assert [(f["path"], [x["start"] for x in f["findings"]]) for f in found] == \
        [(os.path.join("docs", "quoted.toy"), [TEXT.index("a a")])]
    # --input-format toy makes a .txt file a toy file
    run = _run_with_toy(tmp_path, "check", "--grammar", "none", "--format", "toy", "--input-format", "toy",
                        "quoted.txt")
    assert run.stdout.splitlines() == [f"TOY quoted.txt mt.repeated-phrase {TEXT.index('a a')}"]
    helped = _run_with_toy(tmp_path, "check", "--help")
    assert "toy" in helped.stdout  # --input-format [markdown|plain|toy], --format [...|toy]


def test_format_choices_come_from_the_registry():
    check = next(p for p in main.commands["check"].params if p.name == "fmt")
    score = next(p for p in main.commands["score"].params if p.name == "fmt")
    assert tuple(check.type.choices) == report.names("check") == (
        "human", "concise", "full", "json", "jsonl", "github", "sarif")
    assert tuple(score.type.choices) == report.names("score") == ("human", "json")
    assert check.default == report.default("check") == "human"
    assert score.default == report.default("score") == "human"
    listing = next(p for p in main.commands["rules"].params if p.name == "fmt")
    assert tuple(listing.type.choices) == report.names("rules") == report.names("rule") == ("human", "json")
    source = next(p for p in main.commands["check"].params if p.name == "input_format")
    assert tuple(source.type.choices) == formats.names() == (
        "csv", "jsonl", "markdown", "plain", "po", "tmx", "tsv", "xliff")


def test_registration_is_checked():
    with pytest.raises(ValueError, match="already registered"):
        report.register(report.OutputFormat("json", "check", lambda r, c: "", "another json"))
    with pytest.raises(ValueError, match="unknown view"):
        report.register(report.OutputFormat("x", "nowhere", lambda r, c: "", "x"))
    with pytest.raises(ValueError, match="already has a default"):
        report.register(report.OutputFormat("x", "check", lambda r, c: "", "x", default=True))
    with pytest.raises(ValueError, match="already belongs to 'markdown'"):
        formats.register(InputFormat("mine", "mine", extensions=(".MD",)))
    with pytest.raises(ValueError, match="unknown directive style"):
        formats.register(InputFormat("mine", "mine", directives=("xml",)))
    with pytest.raises(ValueError, match="known: csv, jsonl, markdown, plain, po, tmx, tsv, xliff"):
        formats.get("nope")
    assert "mine" not in formats.names() and ("check", "x") not in report.FORMATS


def test_the_format_is_chosen_by_flag_else_suffix_else_plain():
    assert formats.detect("notes.MD") == formats.detect("a.markdown") == "markdown"
    assert formats.detect("a.txt") == formats.detect("-") == formats.detect("README") == "plain"
    assert formats.detect("a.md", "plain") == "plain"
    assert formats.detect("a.txt", "markdown") == "markdown"
    assert formats.default_include() == ("*.txt", "*.md", "*.po", "*.pot", "*.xlf", "*.xliff", "*.tmx")
    assert formats.detect("de.PO") == "po" and formats.detect("a.xlf") == "xliff" and formats.detect("m.tmx") == "tmx"
    assert formats.detect("strings.csv") == "plain"  # a table only when a column is named


def test_input_format_flag_on_stdin_and_on_a_markdown_file(tmp_path):
    text = "Run `the the` now.\n"
    as_md = CliRunner().invoke(main, ["check", "--grammar", "none", "--input-format", "markdown", "-"], input=text)
    assert as_md.exit_code == 0, as_md.output
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    as_plain = CliRunner().invoke(main, ["check", "--grammar", "none", "--input-format", "plain", str(path)])
    assert as_plain.exit_code == 1 and ":1:6:" in as_plain.output
    bad = CliRunner().invoke(main, ["check", "--input-format", "nope", "-"], input=text)
    assert bad.exit_code == 2 and "'nope' is not one of" in bad.output


def test_what_the_builtin_formats_say():
    text = "# Title\n\nRun `code` here &amp; there.\n"
    plain, md = formats.get("plain"), formats.get("markdown")
    assert plain.protected(text) == [] and plain.examples(text) == []
    assert [text[s.start:s.end] for s in md.protected(text)] == ["`code`"]
    assert [text[s.start:s.end] for s in md.examples(text)] == ["`code`"]
    assert (plain.markup, md.markup) == ("plaintext", "markdown")
    assert (plain.entities_are_markup, md.entities_are_markup) == (False, True)
    assert plain.directives == ("html", "bracket", "comment") and md.directives == ("html",)
    # one unit each: the whole document, with no source text
    for fmt in (plain, md):
        assert fmt.units(text) == [Unit(text, Span(0, len(text)))]
        assert fmt.units(text)[0].source is None


def test_the_unit_type_can_carry_a_bilingual_unit():
    """A PO entry (repair.bilingual) as a Unit: its own source text, and a map from the unescaped
    target back to the file, so a finding in the target is reported where it is in the file."""
    from repair.bilingual import po

    text = 'msgid "Hello"\nmsgstr "Say \\"the the\\" now"\n'
    entry = [u for u in po.parse(text).units if u.source][0]
    unit = Unit(entry.target, Span(*entry.positions.span(0, len(entry.target))), source=entry.source,
                protected=tuple(Span(a, b) for a, b in entry.protected), key=entry.key, positions=entry.positions)
    assert unit.source == "Hello" and unit.text == 'Say "the the" now'
    at = unit.text.index("the the")
    where = unit.to_document(Span(at, at + len("the the")))
    assert text[where.start:where.end] == "the the"
    quote = unit.to_document(Span(4, 5))  # the unescaped '"' is written \" in the file
    assert text[quote.start:quote.end] == '\\"'


def test_markdown_keyword_is_a_deprecated_alias():
    text = "Run `the the` now.\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = repair.analyse(text, grammar="none", markdown=True)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    new = repair.analyse(text, grammar="none", input_format="markdown")
    assert old == new and not new.findings
    assert repair.check(text, grammar="none", input_format="plain")
    assert Options().input_format == "plain" and not hasattr(Options(), "markdown")
    with pytest.raises(ValueError, match="unknown input format"):
        repair.check(text, input_format="nope")
