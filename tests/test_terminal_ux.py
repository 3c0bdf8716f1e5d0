"""Terminal conventions and human views (issues 11.6, 11.10, 11.12, 11.13, 17.16, 17.17).

Each test here failed on the code before its change.
"""
import io
import json
import os
import pty
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from repair.cli import main
from repair.report import FileReport, human

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # run this code, not an older install
ESCAPED_LINE = "The \x1b[31mprice\x1b[0m rose , then fell.\n"
ONLY_SUGGESTION = "The price rose ; then it fell.\n"
DUPLICATE = ("Intro line here.\n\n"
             "The credit line for this photo is by Agency News Photo Service.\n\n"
             "Body text goes on here.\n\n"
             "The credit line for this photo is by Agency News Photo Service.\n\n"
             "End of the story.\n")


def run(*args, cwd, env=None, input=None):
    """The CLI in a subprocess, stdout and stderr piped (not terminals)."""
    full = dict(os.environ, **(env or {}))
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CI"):
        if not env or name not in env:
            full.pop(name, None)
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [CHECKOUT, full.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], cwd=cwd, capture_output=True, env=full,
                          input=input, timeout=120)


def on_a_terminal(*args, cwd, env=None):
    """(exit code, stdout bytes) with stdout a pseudo-terminal."""
    master, slave = pty.openpty()
    full = dict(os.environ, TERM="xterm", **(env or {}))
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CI"):
        if not env or name not in env:
            full.pop(name, None)
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [CHECKOUT, full.get("PYTHONPATH")]))
    proc = subprocess.Popen([sys.executable, "-m", "repair.cli", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=subprocess.PIPE, env=full)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    proc.stderr.read()
    return proc.wait(timeout=120), out


# -- 17.17: the diff is exact when piped ------------------------------------------------

@pytest.mark.skipif(shutil.which("patch") is None, reason="patch(1) is not installed")
@pytest.mark.slow
def test_piped_diff_keeps_escape_codes_and_applies_with_patch(tmp_path):
    (tmp_path / "t.txt").write_bytes(ESCAPED_LINE.encode())
    result = run("fix", "--grammar", "none", "t.txt", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert b"-The \x1b[31mprice\x1b[0m rose , then fell.\n" in result.stdout  # exact bytes, nothing stripped
    subprocess.run(["patch", "-p1", "--quiet"], input=result.stdout, cwd=tmp_path, check=True)
    assert (tmp_path / "t.txt").read_bytes() == b"The price rose, then fell.\n"


@pytest.mark.slow
def test_machine_formats_keep_exact_bytes_when_piped(tmp_path):
    (tmp_path / "t.txt").write_bytes(ESCAPED_LINE.encode())
    result = run("check", "--grammar", "none", "--format", "jsonl", "t.txt", cwd=tmp_path)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert any("\x1b[31m" in r["text"] for r in records)


# -- 17.16: control characters in names and text are shown escaped -----------------------

def test_human_output_escapes_control_characters_in_names_and_messages(tmp_path):
    name = tmp_path / "x \x1b[2J \x1b]0;T\x07 y\nz.txt"
    name.write_bytes(b"It was the the end.\n")
    result = CliRunner().invoke(main, ["check", "--grammar", "none", str(name)])
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("\n") == 1  # the newline in the name does not split path:line:col
    assert "x \\x1b[2J \\x1b]0;T\\x07 y\\nz.txt:1:8:" in out
    fixed = CliRunner().invoke(main, ["fix", "--write", "--grammar", "none", str(name)])
    assert "\x1b" not in fixed.stderr and "fixed " in fixed.stderr and "\\x1b[2J" in fixed.stderr
    missing = run("check", "--grammar", "none", "gone\x1b[2J.txt", cwd=tmp_path)
    assert missing.returncode == 2 and b"\x1b" not in missing.stderr and b"gone\\x1b[2J.txt" in missing.stderr


@pytest.mark.slow
def test_findings_text_is_escaped_in_human_and_github_views(tmp_path):
    from repair.model import Finding, Span
    from repair.pipeline import Result
    from repair.report.github import render as github_render

    (tmp_path / "t.txt").write_bytes(b"Saw \x1b[2Jthe the end.\n")
    for fmt in ("concise", "full"):
        out = run("check", "--grammar", "none", "--format", fmt, "t.txt", cwd=tmp_path).stdout
        assert out and b"\x1b" not in out, fmt
    assert b"\\x1b[2J" in run("check", "--grammar", "none", "--format", "full", "t.txt", cwd=tmp_path).stdout
    text = "a \x1b]0;title\x07 b"
    f = Finding("mt.x", "rules", "info", f"Odd: '{text}'.", Span(0, len(text)), text)
    out = github_render([FileReport("t.txt", "utf-8", Result(text, text, (f,)))])
    assert "\x1b" not in out and "\x07" not in out and "Odd: 'a \\x1b]0;title\\x07 b'." in out


@pytest.mark.slow
def test_diff_on_a_terminal_is_escaped_and_coloured_like_git(tmp_path):
    (tmp_path / "t.txt").write_bytes(ESCAPED_LINE.encode())
    code, out = on_a_terminal("fix", "--grammar", "none", "t.txt", cwd=tmp_path)
    assert code == 1
    assert b"\x1b[1m--- a/t.txt" in out and b"\x1b[36m@@ -1 +1 @@" in out
    assert b"\x1b[31m-The \\x1b[31mprice\\x1b[0m rose , then fell.\x1b[0m" in out
    assert b"\x1b[32m+The price rose, then fell.\x1b[0m" in out


# -- 11.10: colour --------------------------------------------------------------------

class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("env, choice, tty, expected", [
    ({}, None, True, True),
    ({}, None, False, False),
    ({"NO_COLOR": ""}, None, True, True),          # only a non-empty NO_COLOR turns colour off
    ({"NO_COLOR": "1"}, None, True, False),
    ({"FORCE_COLOR": "1"}, None, False, True),
    ({"CLICOLOR_FORCE": "1"}, None, False, True),
    ({"CLICOLOR_FORCE": "0"}, None, False, False),
    ({"FORCE_COLOR": "1"}, "never", True, False),  # the flag wins
    ({"NO_COLOR": "1"}, "always", False, True),
    ({"TERM": "dumb"}, "auto", True, False),
])
def test_colour_decision(monkeypatch, env, choice, tty, expected):
    from repair.terminal import use_colour

    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_colour(choice, _Stream(tty)) is expected


@pytest.mark.slow
def test_color_always_and_force_color_colour_a_piped_diff(tmp_path):
    (tmp_path / "t.txt").write_bytes(b"It was the the end.\n")
    forced = run("fix", "--grammar", "none", "--color", "always", "t.txt", cwd=tmp_path).stdout
    assert b"\x1b[31m-It was the the end.\x1b[0m" in forced
    env = run("fix", "--grammar", "none", "t.txt", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert env == forced
    plain = run("fix", "--grammar", "none", "--color", "never", "t.txt", cwd=tmp_path,
                env={"FORCE_COLOR": "1"}).stdout
    assert b"\x1b" not in plain and plain.startswith(b"--- a/t.txt\n")


# -- 11.6: say what to do about suggestions left -----------------------------------------

@pytest.mark.slow
def test_fix_says_how_many_suggestions_were_left(tmp_path):
    (tmp_path / "s.txt").write_bytes(ONLY_SUGGESTION.encode())
    result = run("fix", "--grammar", "none", "s.txt", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == b""  # nothing applied: the exit code stays 0
    assert b"1 suggestion not applied" in result.stderr
    assert b"--unsafe" in result.stderr and b"fix -i" in result.stderr
    written = run("fix", "--write", "--grammar", "none", "s.txt", cwd=tmp_path)
    assert written.returncode == 0 and b"1 suggestion not applied" in written.stderr
    applied = run("fix", "--unsafe", "--grammar", "none", "s.txt", cwd=tmp_path)
    assert applied.returncode == 1 and b"not applied" not in applied.stderr


@pytest.mark.slow
def test_check_and_the_hook_say_the_same(tmp_path):
    (tmp_path / "s.txt").write_bytes(ONLY_SUGGESTION.encode())
    (tmp_path / "t.txt").write_bytes(b"Clean text here.\n")
    result = run("check", "--grammar", "none", "s.txt", "t.txt", cwd=tmp_path)
    lines = result.stderr.decode().splitlines()
    assert lines[0].startswith("2 files checked")
    assert lines[1].startswith("1 suggestion not applied: `ungarble fix --unsafe` applies it")
    machine = run("check", "--grammar", "none", "--format", "json", "s.txt", cwd=tmp_path)
    assert b"suggestion" not in machine.stderr


# -- 11.12: locations and the context view --------------------------------------------------

@pytest.mark.slow
def test_duplicate_paragraph_points_at_the_copy_and_names_a_line(tmp_path):
    (tmp_path / "news.txt").write_text(DUPLICATE, encoding="utf-8")
    out = run("check", "--grammar", "none", "--select", "boilerplate", "news.txt", cwd=tmp_path).stdout.decode()
    assert out == ("news.txt:7:1: warning boilerplate.duplicate-paragraph This paragraph repeats the one at "
                   "line 3 word for word (12 words). [fixable]\n")
    fixed = run("fix", "--write", "--grammar", "none", "news.txt", cwd=tmp_path)
    assert fixed.returncode == 1
    assert (tmp_path / "news.txt").read_text(encoding="utf-8") == DUPLICATE.replace(
        "The credit line for this photo is by Agency News Photo Service.\n\nEnd", "End")


@pytest.mark.slow
def test_last_paragraph_duplicate_points_at_its_first_character(tmp_path):
    text = DUPLICATE.replace("\n\nEnd of the story.\n", "\n")
    (tmp_path / "news.txt").write_text(text, encoding="utf-8")
    out = run("check", "--grammar", "none", "--select", "boilerplate", "news.txt", cwd=tmp_path).stdout.decode()
    assert out.startswith("news.txt:7:1: ")
    run("fix", "--write", "--grammar", "none", "news.txt", cwd=tmp_path)
    assert (tmp_path / "news.txt").read_text(encoding="utf-8") == text.rsplit("\n\nThe credit", 1)[0] + "\n"


@pytest.mark.slow
def test_full_format_shows_the_line_with_a_caret(tmp_path):
    long_line = "word " * 60 + "and then the the end of it " + "more " * 40 + "\n"
    (tmp_path / "long.txt").write_text(long_line, encoding="utf-8")
    full = run("check", "--grammar", "none", "--select", "mt.repeated-phrase", "--format", "full", "long.txt",
               cwd=tmp_path).stdout.decode().splitlines()
    assert full[0].startswith("long.txt:1:310: warning mt.repeated-phrase")
    assert full[1] == "  |"
    assert full[2].startswith("1 | …") and "then the the end" in full[2] and len(full[2]) < 120
    caret = full[3]
    assert caret.replace(" ", "") == "|^^^^^^^"
    # a line that fits is shown whole
    (tmp_path / "short.txt").write_text("The owner said the espresso machine and the the grinder had failed.\n",
                                        encoding="utf-8")
    short = run("check", "--grammar", "none", "--select", "mt.repeated-phrase", "--format", "full", "short.txt",
                cwd=tmp_path).stdout.decode().splitlines()
    assert short[2] == "1 | The owner said the espresso machine and the the grinder had failed."
    assert full[2][caret.index("^"):caret.index("^") + 7] == "the the"
    # piped, the default stays one line a finding; on a terminal it is the full view
    concise = run("check", "--grammar", "none", "--select", "mt.repeated-phrase", "long.txt", cwd=tmp_path)
    assert concise.stdout.decode().count("\n") == 1
    code, tty = on_a_terminal("check", "--grammar", "none", "--select", "mt.repeated-phrase", "--color", "never",
                              "long.txt", cwd=tmp_path)
    assert code == 1 and b"\r\n  | " in tty and b"^^^^^^^" in tty


def test_context_caret_counts_escapes_and_wide_characters():
    from repair.model import Finding, Span
    from repair.pipeline import Result

    text = "東京 \x1b[2J the the end.\n"
    start = text.index("the the")
    f = Finding("mt.repeated-phrase", "rules", "warning", "Repeated.", Span(start, start + 7), "the the")
    out = human.render([FileReport("t.txt", "utf-8", Result(text, text, (f,)))], colour=False, context=True)
    source, caret = out.splitlines()[2:4]
    assert source == "1 | 東京 \\x1b[2J the the end."
    assert caret == "  | " + " " * len("東京 \\x1b[2J ") + " " * 2 + "^^^^^^^"


# -- 11.13: help and messages ----------------------------------------------------------------

def _help(*args):
    return CliRunner().invoke(main, [*args, "--help"], terminal_width=120).stdout


def test_options_only_where_they_do_something():
    assert "--unsafe" not in _help("check") and "--unsafe" not in _help("score")
    for command in ("fix", "report", "batch"):
        assert "--unsafe / --safe-only" in _help(command)
    assert "repaired text" in _help("batch") and "proposed repair" in _help("report")
    batch = _help("batch")
    assert "--diff-only" not in batch and "--diff-base" not in batch
    assert "batch [OPTIONS] INPUT\n" in batch and "PATHS" not in batch
    assert "concise:" in _help("check") and "a table" in _help("score") and "a table" in _help("rules")
    assert "--color [auto|always|never]" in _help("check") and "--color" in _help("fix")
    top = _help()
    assert "score   Garble score (0 clean, 100 unreadable)" in top and "(0 clean .." not in top


def test_unsafe_is_refused_where_nothing_is_applied(tmp_path):
    (tmp_path / "t.txt").write_text("Fine.\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["check", "--unsafe", str(tmp_path / "t.txt")]).exit_code == 2
    assert CliRunner().invoke(main, ["batch", "--diff-only", "-o", "x", str(tmp_path)]).exit_code == 2


def test_rules_shows_per_match_safety():
    out = CliRunner().invoke(main, ["rules"]).stdout
    listed = {line.split()[0]: line.split()[2] for line in out.split("\n\n")[0].splitlines()}
    for rule_id in ("typography.space-before-punctuation", "typography.double-space", "mt.doubled-verb"):
        assert listed[rule_id] == "safe*"
    assert "safe*: safe in narrow forms" in out
    data = {r["id"]: r for r in json.loads(CliRunner().invoke(main, ["rules", "--format", "json"]).stdout)}
    assert data["mt.doubled-verb"]["safety"] == "suggest" and data["mt.doubled-verb"]["safe_forms"] is True
    explain = CliRunner().invoke(main, ["rules", "--explain", "mt.doubled-verb"]).stdout
    assert "safety:   suggest; safe in narrow forms" in explain


def test_messages_read_well(tmp_path):
    from repair.api import analyse
    from repair.encoding import STEPS, _encoding_detail
    from repair.options import Options

    message = STEPS["decode"][2].format(detail=_encoding_detail(()), old="x", new="y", codes="")
    assert "(wrong encoding)" not in message and message.startswith("Mojibake: text decoded with the wrong encoding;")
    found = analyse("The price rose , then fell ; he said.\n", Options(grammar="none")).findings
    assert [f.message for f in found if f.rule == "typography.space-before-punctuation"] == \
        ["Space before ','.", "Space before ';'."]
    (tmp_path / "one.txt").write_text("The train  left on time.\n", encoding="utf-8")
    page = CliRunner().invoke(main, ["report", "--grammar", "none", "-o", "-", str(tmp_path / "one.txt")]).stdout
    assert "0 warnings, 1 note</p>" in page and "1 notes" not in page
