"""`ungarble fix --interactive`: review each proposed edit, as `git add -p` does.

Keys: y accept, n reject, a accept this and every later edit of this rule,
d reject every edit of this rule, e edit the replacement (a line editor,
pre-filled with the proposal), q stop (what was accepted so far is written),
? help. Ctrl-C at a question does what q does and exits 130; Ctrl-C while
editing a replacement cancels that edit and asks again. Each question shows
its position in the file's review, as git does: ``(3/12)``. Accepted edits are
written at the end of each file, atomically, in the file's own encoding and
line endings.

Proposals come in rounds: the first round offers the edits the checks propose
on the text as read (an edit that only exists on top of another edit waits);
once the round's answers are applied, the text is checked again and edits that
are new (typically ones an accepted edit made possible) are offered, never one
already answered.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import click

from . import edits as edit_engine
from .model import Edit, Finding, Span
from .options import Options
from .terminal import visible

HELP = """\
y - accept this edit
n - reject this edit
a - accept this edit and every later edit of this rule
d - reject this edit and every later edit of this rule
e - edit the replacement (pre-filled with the proposal; Ctrl-C cancels)
q - quit; edits accepted so far are written (Ctrl-C too)
? - show this help
"""
KEYS = "y,n,a,d,e,q,?"
MAX_ROUNDS = 8
CONTEXT = 40


class KeyReader:
    """Single keys from the terminal on standard input.

    The terminal stays in cbreak mode (no line editing, no echo, Ctrl-C still
    interrupts) for the whole review, so a key typed before the prompt is drawn
    is not lost, as it would be if raw mode were entered (and input flushed) per
    key. ``line`` reads a whole line in the terminal's normal mode, for ``e``.
    Where termios does not exist, click's getchar and prompt are used.
    """

    def __init__(self) -> None:
        self.fd: int | None = None
        self.saved: Any = None  # the terminal's attributes (termios) while reading keys

    def __enter__(self) -> "KeyReader":
        try:
            import termios
            import tty

            fd = sys.stdin.fileno()
            self.saved = termios.tcgetattr(fd)
            tty.setcbreak(fd, termios.TCSANOW)
            self.fd = fd
        except (ImportError, OSError, ValueError, AttributeError):
            self.fd = None
        except Exception:  # termios.error
            self.fd = None
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def key(self) -> str:
        if self.fd is None:
            return click.getchar()
        data = os.read(self.fd, 1)
        if not data or data == b"\x04":
            raise EOFError
        # a UTF-8 character arrives as several bytes
        need = 0 if data[0] < 0xC0 else 1 if data[0] < 0xE0 else 2 if data[0] < 0xF0 else 3
        for _ in range(need):
            data += os.read(self.fd, 1)
        return data.decode("utf-8", errors="replace")

    def line(self, label: str, default: str) -> str:
        """A line edited in the terminal's normal mode, pre-filled with ``default``."""
        if self.fd is None:
            return click.prompt(label, default=default, show_default=True)
        import termios

        cbreak = termios.tcgetattr(self.fd)
        termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)
        try:
            return edit_line(f"{label}: ", default)
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, cbreak)


def _readline():
    try:
        import readline
    except ImportError:  # Python built without it (some Windows and minimal builds)
        return None
    return readline


def edit_line(prompt: str, default: str, *, read: Callable[[str], str] = input) -> str:
    """Read one line with a real line editor (GNU readline or libedit through Python's
    ``readline`` module): arrows, Home/End, Ctrl-U and the rest edit the line instead of
    landing in it as escape bytes. The line starts out holding ``default``.

    Without readline (or when the terminal is not one), the line is read plainly and an
    empty answer keeps ``default``. A line holding a control character that the proposal
    does not hold (an arrow typed where nothing interprets it, a pasted escape) is refused
    and asked again: only what the user typed as text reaches the file.
    """
    readline = _readline()
    while True:
        if readline is not None:
            def prefill() -> None:
                readline.insert_text(default)
                readline.redisplay()

            if "libedit" not in (readline.__doc__ or ""):
                readline.parse_and_bind("tab: tab-insert")  # no file-name completion in prose
            readline.set_startup_hook(prefill)
            try:
                value = read(prompt)
            finally:
                readline.set_startup_hook(None)
        else:
            value = read(f"{prompt}(Enter keeps '{visible(default)}') ") or default
        bad = sorted({c for c in value if _is_control(c) and c not in default})
        if not bad:
            return value
        click.echo("Control characters are not allowed in a replacement ("
                   + ", ".join(visible(c) for c in bad) + "); edit it again.")


def _is_control(ch: str) -> bool:
    return ch != "\t" and (ch < " " or "\x7f" <= ch <= "\x9f")


class Quit(Exception):
    """The reviewer pressed q (or Ctrl-C: ``interrupted``)."""

    def __init__(self, text: str, accepted: list, interrupted: bool = False) -> None:
        super().__init__(text, accepted)
        self.interrupted = interrupted


@dataclass
class Stats:
    files: int = 0
    written: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: int = 0
    interrupted: bool = False


@dataclass
class Reviewer:
    getchar: Callable[[], str] = click.getchar
    prompt: Callable[[str, str], str] = lambda label, default: click.prompt(label, default=default,
                                                                            show_default=True)
    echo: Callable[..., None] = click.echo
    colour: bool = False
    accept_rules: set[str] = field(default_factory=set)
    reject_rules: set[str] = field(default_factory=set)
    stats: Stats = field(default_factory=Stats)

    # -- presentation ------------------------------------------------------
    def show(self, path: str, text: str, finding: Finding, number: int) -> None:
        from .report import LineIndex
        from .report.human import anchor

        line, col = LineIndex(text).position(anchor(finding))  # its first character, as `check` says
        fix = finding.fix
        assert fix is not None
        kind = "safe" if fix.safety == "safe" else "suggestion"
        head = f"{visible(path)}:{line}:{col}: {finding.rule} ({kind})"
        self.echo(click.style(head, bold=True) if self.colour else head)
        self.echo(f"  {visible(finding.message)}")
        self.echo("  " + self.context(text, finding.span, fix.replacement))

    def context(self, text: str, span: Span, replacement: str) -> str:
        start = max(0, span.start - CONTEXT)
        end = min(len(text), span.end + CONTEXT)
        before = text[start:span.start]
        after = text[span.end:end]
        # stay on the finding's lines, and start and end on word boundaries
        for brk in ("\n", "\r"):
            before = before.rsplit(brk, 1)[-1]
            after = after.split(brk, 1)[0]
        if start > 0 and " " in before and len(before) == span.start - start:
            before = "…" + before.split(" ", 1)[1]
        if end < len(text) and " " in after and len(after) == end - span.end:
            after = after.rsplit(" ", 1)[0] + "…"
        old = visible(text[span.start:span.end])
        before, after, replacement = visible(before), visible(after), visible(replacement)
        if self.colour:
            changed = (click.style(old, fg="red", strikethrough=True) if old else "") + \
                      (click.style(replacement, fg="green", underline=True) if replacement else "")
        else:
            changed = (f"[-{old}-]" if old else "") + (f"{{+{replacement}+}}" if replacement else "")
        return before + changed + after

    def ask(self, position: str = "") -> str:
        """One key; ``position`` (``"(3/12)"``) leads the question. Ctrl-C raises
        KeyboardInterrupt, which the review takes as q."""
        while True:
            self.echo(f"{position + ' ' if position else ''}Apply this edit [{KEYS}]? ", nl=False)
            try:
                key = self.getchar()
            except EOFError:
                key = "q"
            key = (key or "").strip().lower()[:1]
            self.echo(key)
            if key in ("y", "n", "a", "d", "e", "q"):
                return key
            self.echo(HELP)

    def answer(self, proposal: str, position: str) -> tuple[str, str]:
        """(key, replacement) for one question; Ctrl-C while editing asks again."""
        while True:
            try:
                choice = self.ask(position)
            except KeyboardInterrupt:
                self.echo("^C")  # end the question's line: nothing is left after it
                raise
            if choice != "e":
                return choice, proposal
            try:
                return "e", self.prompt("Replacement", proposal)
            except (KeyboardInterrupt, EOFError):
                self.echo("")
                self.echo("Edit cancelled.")

    def _will_ask(self, finding: Finding, answered: set, to_original, wanted) -> bool:
        """Is ``finding`` still to be asked this round (for the position counter)?"""
        if finding.rule in self.accept_rules or finding.rule in self.reject_rules:
            return False
        span = to_original(finding.span)
        assert finding.fix is not None  # a proposal (direct_proposals) carries an edit
        if (finding.rule, span, finding.fix.replacement) in answered:
            return False
        return wanted is None or wanted(span)

    # -- one file ----------------------------------------------------------
    def review(self, path: str, original: str, options: Options,
               analyse: Callable[[str, Options], object],
               wanted: Callable[[Span], bool] | None = None) -> tuple[str, list[Edit]]:
        """Review one text; returns the new text and the edits accepted (offsets of ``original``).

        ``wanted`` (given offsets of ``original``) limits the review to some
        regions, e.g. the lines a change adds. Raises :class:`Quit` after
        applying what was accepted when the reviewer presses q; its args are
        the new text and the accepted edits.
        """
        import dataclasses

        opts = dataclasses.replace(options, unsafe=True)
        current = original
        # the rounds accepted so far, each a pass of the reviewer's plan: maps current offsets back
        back: tuple[edit_engine.OffsetMap, ...] = ()
        answered: set[tuple[str, Span, str]] = set()
        accepted_all: list[Edit] = []
        number = 0

        def to_original(span: Span) -> Span:
            for m in back:
                span = m.span(span)
            return span

        interrupted = False
        for _ in range(MAX_ROUNDS):
            try:
                result = analyse(current, opts)
            except KeyboardInterrupt:
                raise Quit(current, accepted_all, True) from None
            accepted: list[Edit] = []
            asked = False
            quitting = False
            def was_answered(e: Edit) -> bool:
                return (e.rule, to_original(e.span), e.replacement) in answered

            proposals = direct_proposals(result, was_answered)
            for i, finding in enumerate(proposals):
                fix = finding.fix
                assert fix is not None  # a proposal (direct_proposals) carries an edit
                key = (finding.rule, to_original(finding.span), fix.replacement)
                if key in answered or any(a.span.overlaps(finding.span) for a in accepted):
                    continue
                if wanted is not None and not wanted(key[1]):
                    continue
                answered.add(key)
                asked = True
                replacement = fix.replacement
                if finding.rule in self.accept_rules:
                    choice = "y"
                elif finding.rule in self.reject_rules:
                    choice = "n"
                else:
                    number += 1
                    later = sum(1 for f in proposals[i + 1:] if self._will_ask(f, answered, to_original, wanted))
                    self.show(path, current, finding, number)
                    try:
                        choice, replacement = self.answer(fix.replacement, f"({number}/{number + later})")
                    except KeyboardInterrupt:
                        choice, interrupted = "q", True
                if choice == "q":
                    quitting = True
                    break
                if choice == "a":
                    self.accept_rules.add(finding.rule)
                    choice = "y"
                elif choice == "d":
                    self.reject_rules.add(finding.rule)
                    choice = "n"
                if choice in ("y", "e"):
                    accepted.append(Edit(finding.span, replacement, finding.rule, fix.safety))
                else:
                    self.stats.rejected += 1
            if accepted:
                chosen, _ = edit_engine.resolve(accepted)
                round_ = edit_engine.Pass("review", tuple(chosen), back=back)
                accepted_all.extend(round_.original_edits())
                back = round_.later_back()
                current = round_.apply(current)
                self.stats.accepted += len(chosen)
            if quitting:
                raise Quit(current, accepted_all, interrupted)
            if not asked:
                break
        return current, accepted_all


def _key(e) -> tuple:
    return (e.span, e.rule, e.replacement)


def direct_proposals(result, ignore: Callable[[Edit], bool] = lambda e: False) -> list[Finding]:
    """Findings with an edit that stands on the text as given.

    The pipeline also reports edits it found only on top of others: a finding that a pass
    reported where an edit of that pass or an earlier one (not its own) changed the text
    exists only on top of that edit. It waits for the next round, when it is found again on
    the text the reviewer accepted. Edits for which ``ignore`` is true (already rejected)
    block nothing. The passes come from the result's plan.
    """
    out: list[Finding] = []
    if not result.plan:  # a result made by hand: everything stands on its text
        out = [f for f in result.findings if f.fix is not None]
    done: list[Edit] = []  # the edits of the passes so far, in offsets of the original
    for step in result.plan:
        done.extend(e for e in step.original_edits() if not ignore(e))
        for f in step.found:
            if f.fix is None:
                continue
            own = _key(f.fix)
            if any(e.span.overlaps(f.span) and _key(e) != own for e in done):
                continue
            out.append(f)
    out.sort(key=lambda f: (f.span.start, f.span.end, f.rule))
    return out


def review_files(items: Sequence, reviewer: Reviewer, analyse, write: Callable[[object, str], None]) -> Stats:
    """Review (document, options[, wanted]) in order; ``write(doc, text)`` saves an accepted text."""
    for entry in items:
        doc, options = entry[0], entry[1]
        wanted = entry[2] if len(entry) > 2 else None
        reviewer.stats.files += 1
        try:
            text, accepted = reviewer.review(doc.path, doc.text, options, analyse, wanted)
        except Quit as stop:
            text, accepted = stop.args
            reviewer.stats.interrupted = stop.interrupted
            if accepted:
                write(doc, text)
                reviewer.stats.written += 1
            break
        if accepted:
            write(doc, text)
            reviewer.stats.written += 1
    return reviewer.stats
