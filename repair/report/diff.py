"""Unified (git-style, `patch`-compatible) and word-level diffs.

``unified`` is exact text (what ``patch`` needs, written as bytes when piped);
``for_terminal`` is its human view; ``words`` is a human view only.
"""
from __future__ import annotations

import difflib
import re

import click

from ..terminal import visible

_NO_EOL = "\\ No newline at end of file\n"
_BREAKS = re.compile(r"(\r\n|\r|\n)")
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def _lines(text: str) -> list[str]:
    """Split on LF only, as patch does; CR stays part of its line."""
    return re.findall(r"[^\n]*\n|[^\n]+", text)


def unified(path: str, before: str, after: str, *, context: int = 3) -> str:
    if before == after:
        return ""
    out: list[str] = []
    name = path.lstrip("/")  # as git does: an absolute path becomes a/tmp/x, not a//tmp/x
    diff = difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}", n=context)
    for line in diff:
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + _NO_EOL)
    return "".join(out)


def for_terminal(diff: str, *, colour: bool) -> str:
    """A unified diff as a person sees it: control characters escaped (a line holding
    ``ESC[2J`` shows as ``\\x1b[2J`` instead of clearing the screen; tabs and a line's
    final CR stay), and with ``colour`` coloured as git does: file headers bold, hunk
    headers cyan, removed lines red, added lines green."""
    out: list[str] = []
    for line in diff.splitlines(keepends=True):
        body = line[:-1] if line.endswith("\n") else line
        end = "\n" if line.endswith("\n") else ""
        if body.endswith("\r"):
            body, end = body[:-1], "\r" + end
        body = visible(body, keep_tabs=True)
        if colour:
            if body.startswith(("--- ", "+++ ")):
                body = click.style(body, bold=True)
            elif body.startswith("@@"):
                at = body.find("@@", 2)
                head, rest = (body[:at + 2], body[at + 2:]) if at != -1 else (body, "")
                body = click.style(head, fg="cyan") + rest
            elif body.startswith("-"):
                body = click.style(body, fg="red")
            elif body.startswith("+"):
                body = click.style(body, fg="green")
        out.append(body + end)
    return "".join(out)


def words(path: str, before: str, after: str, *, colour: bool) -> str:
    """Changed lines only, each shown once with [-removed-]{+added+} inline (colour on a TTY)."""
    if before == after:
        return ""
    old_lines, new_lines = _lines(before), _lines(after)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        head = f"{visible(path)}:{i1 + 1}:"
        out.append(click.style(head, bold=True) if colour else head)
        out.append("\n" + _inline(old_block, new_block, colour).rstrip("\r\n") + "\n")
    return "".join(out)


def _shown(text: str) -> str:
    """``text`` escaped for a terminal, its tabs and line breaks kept."""
    return "".join(piece if i % 2 else visible(piece, keep_tabs=True)
                   for i, piece in enumerate(_BREAKS.split(text)))


def _inline(old: str, new: str, colour: bool) -> str:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = _shown("".join(a[i1:i2])), _shown("".join(b[j1:j2]))
        if tag == "equal":
            pieces.append(removed)
            continue
        if removed:
            pieces.append(click.style(removed, fg="red", strikethrough=True) if colour else f"[-{removed}-]")
        if added:
            pieces.append(click.style(added, fg="green", underline=True) if colour else f"{{+{added}+}}")
    return "".join(pieces)
