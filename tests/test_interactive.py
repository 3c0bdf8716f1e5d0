"""`fix --interactive` driven through a real pseudo-terminal (the pty module), keys and all."""
import os
import pty
import select
import subprocess
import sys
import time

import pytest

from repair.cli import main

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # run this code, not an older install
from click.testing import CliRunner

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

TEXT = "It was the the end of the day.\nThey didnâ€™t come back.\n"
PROMPT = b"Apply this edit ["


def _own_terminal():
    """In the child: a new session whose controlling terminal is the pty, so that Ctrl-C
    typed there reaches the child as SIGINT, as in a real terminal."""
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A child process on a pty; ``expect`` reads until a marker, ``send`` types keys."""

    def __init__(self, args, cwd):
        self.master, slave = pty.openpty()
        env = dict(os.environ, NO_COLOR="1", TERM="xterm", COLUMNS="120")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [CHECKOUT, env.get("PYTHONPATH")]))
        env.pop("CI", None)
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                                     close_fds=True, preexec_fn=_own_terminal)
        os.close(slave)
        self.buffer = b""

    def expect(self, marker: bytes, timeout: float = 60.0) -> bytes:
        deadline = time.monotonic() + timeout
        while marker not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {marker!r}; got:\n{self.buffer.decode(errors='replace')}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"terminal closed before {marker!r}:\n{self.buffer.decode(errors='replace')}")
                self.buffer += chunk
        before, _, self.buffer = self.buffer.partition(marker)
        return before + marker

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self, timeout: float = 60.0) -> tuple[int, bytes]:
        rest = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                rest += chunk
            elif self.proc.poll() is not None:
                break
        code = self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        os.close(self.master)
        return code, self.buffer + rest


def ungarble(*args):
    return [sys.executable, "-m", "repair.cli", *args]


@pytest.fixture
def garbled(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


@pytest.mark.slow
def test_accepts_one_edit_rejects_another_and_writes_exactly_the_accepted_one(garbled, tmp_path):
    term = Terminal(ungarble("fix", "--interactive", "--grammar", "none", str(garbled)), cwd=tmp_path)
    first = term.expect(PROMPT)
    assert b"mt.repeated-phrase" in first and b"[-the the-]{+the+}" in first
    assert garbled.read_bytes() == TEXT.encode()  # nothing is written before the file is done
    term.send(b"y")
    second = term.expect(PROMPT)
    assert b"encoding.mojibake" in second and "[-didnâ€™t-]{+didn’t+}".encode() in second
    term.send(b"n")
    code, rest = term.finish()
    assert code == 0, rest.decode(errors="replace")
    assert garbled.read_bytes() == "It was the end of the day.\nThey didnâ€™t come back.\n".encode()
    assert b"1 edit accepted, 1 rejected" in rest


@pytest.mark.slow
def test_own_replacement_help_and_quit_keep_what_was_accepted(tmp_path):
    path = tmp_path / "two.txt"
    second_file = tmp_path / "untouched.txt"
    path.write_bytes(TEXT.encode())
    second_file.write_bytes(TEXT.encode())
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", str(path), str(second_file)), cwd=tmp_path)
    term.expect(PROMPT)
    term.send(b"?")
    helped = term.expect(PROMPT)
    assert b"accept this edit and every later edit of this rule" in helped
    term.send(b"e")
    term.expect(b"Replacement")
    term.send(b"\x15the very\r")  # Ctrl-U clears the pre-filled proposal
    term.expect(PROMPT)
    term.send(b"q")
    code, _ = term.finish()
    assert code == 0
    assert path.read_bytes() == "It was the very end of the day.\nThey didnâ€™t come back.\n".encode()
    assert second_file.read_bytes() == TEXT.encode()  # q stops before the next file


@pytest.mark.slow
def test_accept_all_of_a_rule_applies_later_ones_without_asking(tmp_path):
    path = tmp_path / "many.txt"
    path.write_bytes(b"It was the the end.\n\nWe saw a a bird.\n\nThen we we left.\n")
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", "--select", "mt.repeated-phrase", str(path)),
                    cwd=tmp_path)
    term.expect(PROMPT)
    term.send(b"a")
    code, rest = term.finish()
    assert code == 0
    assert PROMPT not in rest  # asked once only
    assert path.read_bytes() == b"It was the end.\n\nWe saw a bird.\n\nThen we left.\n"


@pytest.mark.slow
def test_crlf_and_cp1252_files_keep_their_form(tmp_path):
    path = tmp_path / "win.txt"
    data = "It was the the end of a café.\r\nSecond line.\r\n".encode("cp1252")
    path.write_bytes(data)
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", str(path)), cwd=tmp_path)
    term.expect(PROMPT)
    term.send(b"y")
    code, _ = term.finish()
    assert code == 0
    assert path.read_bytes() == "It was the end of a café.\r\nSecond line.\r\n".encode("cp1252")


def test_refuses_politely_without_a_terminal(garbled):
    result = CliRunner().invoke(main, ["fix", "--interactive", "--grammar", "none", str(garbled)], input="y\n")
    assert result.exit_code == 2
    assert "needs a terminal" in result.output
    assert garbled.read_bytes() == TEXT.encode()


@pytest.mark.slow
def test_diff_only_reviews_only_added_lines(tmp_path):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True, env=env)  # noqa: E731
    path = tmp_path / "doc.txt"
    path.write_bytes(b"It was the the end.\n")
    git("init", "-q")
    git("add", "doc.txt")
    git("commit", "-q", "-m", "old")
    path.write_bytes(b"It was the the end.\nWe saw a a bird.\n")
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", "--diff-base", "HEAD", str(path)), cwd=tmp_path)
    first = term.expect(PROMPT)
    assert b"[-a a-]{+a+}" in first and b"the the" not in first
    term.send(b"y")
    code, rest = term.finish()
    assert code == 0 and PROMPT not in rest
    assert path.read_bytes() == b"It was the the end.\nWe saw a bird.\n"


QUESTION = b"Apply this edit [y,n,a,d,e,q,?]? "


@pytest.mark.slow
def test_edit_prompt_is_a_line_editor_prefilled_with_the_proposal(tmp_path):
    """Issue 11.1: Left arrow moves the cursor; it is not written into the file as ESC [ D."""
    path = tmp_path / "edit.txt"
    path.write_bytes(TEXT.encode())
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", str(path)), cwd=tmp_path)
    term.expect(QUESTION)
    term.send(b"e")
    shown = term.expect(b"Replacement: ")
    assert b"Enter keeps" not in shown
    term.expect(b"the")  # the proposal, ready to edit
    term.send(b"\x15improv\x1b[DX\r")  # Ctrl-U, type, Left, type, Enter
    term.expect(QUESTION)
    term.send(b"e")
    term.expect(b"Replacement: ")
    term.expect("didn’t".encode())  # the proposal drawn: readline reads keys now
    term.send(b"\x05 - fixed\r")  # Ctrl-E: the end of the pre-filled "didn’t"
    code, rest = term.finish()
    assert code == 0, rest.decode(errors="replace")
    assert path.read_bytes() == "It was improXv end of the day.\nThey didn’t - fixed come back.\n".encode()


@pytest.mark.slow
def test_edit_prompt_refuses_control_characters(tmp_path):
    path = tmp_path / "ctl.txt"
    path.write_bytes(TEXT.encode())
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", "--select", "mt", str(path)), cwd=tmp_path)
    term.expect(QUESTION)
    term.send(b"e")
    term.expect(b"Replacement: ")
    term.expect(b"the")  # the proposal drawn: readline reads keys now
    term.send(b"\x15a\x16\x1b[2Jb\r")  # Ctrl-V Esc: a literal escape byte in the line
    refused = term.expect(b"edit it again.")
    assert b"Control characters are not allowed in a replacement (\\x1b)" in refused
    term.expect(b"Replacement: ")
    term.expect(b"the")
    term.send(b"\x15ok\r")
    code, rest = term.finish()
    assert code == 0, rest.decode(errors="replace")
    assert path.read_bytes() == TEXT.replace("the the", "ok").encode()


@pytest.mark.slow
def test_questions_show_their_position(tmp_path):
    path = tmp_path / "count.txt"
    path.write_bytes(TEXT.encode())
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", str(path)), cwd=tmp_path)
    assert b"(1/2) " + QUESTION in term.expect(QUESTION)
    term.send(b"n")
    assert b"(2/2) " + QUESTION in term.expect(QUESTION)
    term.send(b"n")
    code, _ = term.finish()
    assert code == 0


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_accepted_and_ends_the_line(tmp_path):
    """Issue 11.14: Ctrl-C at a question acts as q (the accepted edits are written), exits 130,
    and leaves no question half-printed before the next line."""
    path = tmp_path / "intr.txt"
    path.write_bytes(TEXT.encode())
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", str(path)), cwd=tmp_path)
    term.expect(QUESTION)
    term.send(b"y")
    term.expect(QUESTION)
    term.send(b"\x03")
    code, rest = term.finish()
    assert code == 130, rest.decode(errors="replace")
    assert path.read_bytes() == TEXT.replace("the the", "the").encode()
    assert rest.startswith(b"^C\r\n") and b"edits accepted so far were written" in rest


@pytest.mark.slow
def test_ctrl_c_while_editing_cancels_the_edit_and_asks_again(tmp_path):
    path = tmp_path / "cancel.txt"
    path.write_bytes(TEXT.encode())
    term = Terminal(ungarble("fix", "-i", "--grammar", "none", "--select", "mt", str(path)), cwd=tmp_path)
    term.expect(QUESTION)
    term.send(b"e")
    term.expect(b"Replacement: ")
    term.expect(b"the")  # readline drew the proposal: it reads keys now (typed-ahead keys can be flushed)
    term.send(b"zzz")
    term.expect(b"zzz")
    time.sleep(0.3)
    term.send(b"\x03")
    try:
        again = term.expect(QUESTION, timeout=10)
    except AssertionError:
        # CPython's readline loop can miss a SIGINT that lands between handling a key and
        # blocking for the next one (only under heavy load): a user presses Ctrl-C again
        term.send(b"\x03")
        again = term.expect(QUESTION)
    assert b"Edit cancelled." in again
    term.send(b"n")
    code, rest = term.finish()
    assert code == 0, rest.decode(errors="replace")
    assert path.read_bytes() == TEXT.encode()


def test_edit_line_without_readline_keeps_the_proposal_and_refuses_escapes(monkeypatch, capsys):
    import repair.interactive as interactive

    monkeypatch.setattr(interactive, "_readline", lambda: None)
    assert interactive.edit_line("R: ", "the", read=lambda prompt: "") == "the"
    answers = iter(["a\x1b[Db", "ok"])
    assert interactive.edit_line("R: ", "the", read=lambda prompt: next(answers)) == "ok"
    assert "Control characters are not allowed in a replacement (\\x1b)" in capsys.readouterr().out


def test_direct_proposals_come_from_the_plan():
    """A finding stands on the text as given unless an edit of its pass or an earlier one (not its
    own, not rejected) changed the text where it is; it never waits on a later pass."""
    from repair.edits import Pass
    from repair.interactive import direct_proposals
    from repair.model import Edit, Finding, Span
    from repair.pipeline import Result

    def found(start, end, rule, replacement):
        return Finding(rule, "rules", "warning", rule, Span(start, end), "x" * (end - start),
                       Edit(Span(start, end), replacement, rule, "safe"))

    a, b = found(0, 3, "r.a", "A"), found(2, 5, "r.b", "B")  # b lost to a in the first pass
    c = found(0, 3, "r.c", "C")  # found on a's repair
    first = Pass("checks", (a.fix,), (a, b))
    second = Pass("checks", (Edit(Span(0, 1), "C", "r.c", "safe"),), (c,), first.later_back())
    result = Result("xxxxx", "Cxx", (a, c, b), (first, second, Pass("checks", back=second.later_back())), 2)
    assert direct_proposals(result) == [a]
    # once a is rejected, b (its rival) is asked: c's edit came in a later pass and holds nothing back
    assert direct_proposals(result, lambda e: e.rule == "r.a") == [a, c, b]
