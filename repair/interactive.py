"""`ungarble fix --interactive`: review each proposed edit, as `git add -p` does.

Keys: y accept, n reject, a accept this and every later edit of this rule,
d reject every edit of this rule, e type your own replacement, q stop (what
was accepted so far is written), ? help. Accepted edits are written at the end
of each file, atomically, in the file's own encoding and line endings.

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
from typing import Callable, Sequence

import click

from . import edits as edit_engine
from .model import Edit, Finding, Span
from .options import Options

HELP = """\
y - accept this edit
n - reject this edit
a - accept this edit and every later edit of this rule
d - reject this edit and every later edit of this rule
e - type your own replacement for the highlighted text
q - quit; edits accepted so far are written
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
        self.saved = None

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
        if self.fd is None:
            return click.prompt(label, default=default, show_default=True)
        import termios

        cbreak = termios.tcgetattr(self.fd)
        termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)
        try:
            click.echo(f"{label} (Enter keeps {default!r}): ", nl=False)
            raw = b""
            while not raw.endswith((b"\n", b"\r")):
                chunk = os.read(self.fd, 1)
                if not chunk:
                    break
                raw += chunk
            value = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            return value if value else default
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, cbreak)


class Quit(Exception):
    """The reviewer pressed q."""


@dataclass
class Stats:
    files: int = 0
    written: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: int = 0


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

        line, col = LineIndex(text).position(finding.span.start)
        fix = finding.fix
        assert fix is not None
        kind = "safe" if fix.safety == "safe" else "suggestion"
        head = f"{path}:{line}:{col}: {finding.rule} ({kind})"
        self.echo(click.style(head, bold=True) if self.colour else head)
        self.echo(f"  {finding.message}")
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
        old = text[span.start:span.end]
        if self.colour:
            changed = (click.style(old, fg="red", strikethrough=True) if old else "") + \
                      (click.style(replacement, fg="green", underline=True) if replacement else "")
        else:
            changed = (f"[-{old}-]" if old else "") + (f"{{+{replacement}+}}" if replacement else "")
        return (before + changed + after).replace("\t", " ")

    def ask(self) -> str:
        while True:
            self.echo(f"Apply this edit [{KEYS}]? ", nl=False)
            try:
                key = self.getchar()
            except EOFError:
                key = "q"
            key = (key or "").strip().lower()[:1]
            self.echo(key)
            if key in ("y", "n", "a", "d", "e", "q"):
                return key
            self.echo(HELP)

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
        maps: list[edit_engine.OffsetMap] = []  # newest last; map current offsets back to original
        answered: set[tuple[str, Span, str]] = set()
        accepted_all: list[Edit] = []
        number = 0

        def to_original(span: Span) -> Span:
            for m in reversed(maps):
                span = m.span(span)
            return span

        for _ in range(MAX_ROUNDS):
            result = analyse(current, opts)
            accepted: list[Edit] = []
            asked = False
            quitting = False
            def was_answered(e: Edit) -> bool:
                return (e.rule, to_original(e.span), e.replacement) in answered

            for finding in direct_proposals(result, was_answered):
                fix = finding.fix
                key = (finding.rule, to_original(finding.span), fix.replacement)
                if key in answered or any(a.span.overlaps(finding.span) for a in accepted):
                    continue
                if wanted is not None and not wanted(key[1]):
                    continue
                answered.add(key)
                asked = True
                if finding.rule in self.accept_rules:
                    choice = "y"
                elif finding.rule in self.reject_rules:
                    choice = "n"
                else:
                    number += 1
                    self.show(path, current, finding, number)
                    choice = self.ask()
                if choice == "q":
                    quitting = True
                    break
                if choice == "a":
                    self.accept_rules.add(finding.rule)
                    choice = "y"
                elif choice == "d":
                    self.reject_rules.add(finding.rule)
                    choice = "n"
                if choice == "e":
                    replacement = self.prompt("Replacement", fix.replacement)
                    accepted.append(Edit(finding.span, replacement, finding.rule, fix.safety))
                elif choice == "y":
                    accepted.append(Edit(finding.span, fix.replacement, finding.rule, fix.safety))
                else:
                    self.stats.rejected += 1
            if accepted:
                chosen, _ = edit_engine.resolve(accepted)
                for e in chosen:
                    accepted_all.append(Edit(to_original(e.span), e.replacement, e.rule, e.safety))
                maps.append(edit_engine.OffsetMap.from_edits(chosen))
                current = edit_engine.apply(current, chosen)
                self.stats.accepted += len(chosen)
            if quitting:
                raise Quit(current, accepted_all)
            if not asked:
                break
        return current, accepted_all


def _key(e) -> tuple:
    return (e.span, e.rule, e.replacement)


def direct_proposals(result, ignore: Callable[[Edit], bool] = lambda e: False) -> list[Finding]:
    """Findings with an edit that stands on the text as given.

    The pipeline also reports edits it found only after applying others (in
    offsets of the original, widened over the earlier edit); those wait for the
    next round, when they are found again on the text the reviewer accepted.
    ``result.applied`` is in the order the edits were applied, so of two
    overlapping applied edits the earlier one stands on the original. Applied
    edits for which ``ignore`` is true (already rejected) block nothing.
    """
    applied = list(result.applied)
    first: dict[tuple, int] = {}
    for i, e in enumerate(applied):
        first.setdefault(_key(e), i)
    out: list[Finding] = []
    for f in result.findings:
        if f.fix is None:
            continue
        own = _key(f.fix)
        mine = first.get(own)
        blockers = [i for i, e in enumerate(applied)
                    if e.span.overlaps(f.span) and _key(e) != own and not ignore(e)]
        if blockers and (mine is None or min(blockers) < mine):
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
            if accepted:
                write(doc, text)
                reviewer.stats.written += 1
            break
        if accepted:
            write(doc, text)
            reviewer.stats.written += 1
    return reviewer.stats
