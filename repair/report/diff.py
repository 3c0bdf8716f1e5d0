"""Unified (git-style, `patch`-compatible) and word-level diffs."""
from __future__ import annotations

import difflib
import re

import click

_NO_EOL = "\\ No newline at end of file\n"
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
        out.append(click.style(f"{path}:{i1 + 1}:", bold=True) if colour else f"{path}:{i1 + 1}:")
        out.append("\n" + _inline(old_block, new_block, colour).rstrip("\r\n") + "\n")
    return "".join(out)


def _inline(old: str, new: str, colour: bool) -> str:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            pieces.append(removed)
            continue
        if removed:
            pieces.append(click.style(removed, fg="red", strikethrough=True) if colour else f"[-{removed}-]")
        if added:
            pieces.append(click.style(added, fg="green", underline=True) if colour else f"{{+{added}+}}")
    return "".join(pieces)
