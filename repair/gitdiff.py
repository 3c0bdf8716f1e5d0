"""Which lines a change adds, from git: for ``--diff-only`` (blame new text, not old)."""
from __future__ import annotations

import os
import re
import subprocess

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class GitError(RuntimeError):
    """git is missing, the file is outside a repository, or the ref does not exist."""


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", check=False)
    except FileNotFoundError:
        raise GitError("--diff-only needs git, which is not installed") from None


def added_lines(path: str, base: str | None = None) -> frozenset[int] | None:
    """1-based numbers of the lines of ``path`` that are new.

    Against the index (staged changes, what a commit adds) when ``base`` is None,
    else the working tree against ``base`` (a commit, branch or tag). ``None``
    means the whole file is new (git does not know it).
    """
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    tracked = _git(["ls-files", "--error-unmatch", "--", name], folder)
    if tracked.returncode != 0:
        inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
        if inside.returncode != 0:
            raise GitError(f"{path}: --diff-only: not inside a git repository")
        return None
    args = ["diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames"]
    args += ["--cached"] if base is None else [base]
    diff = _git(args + ["--", name], folder)
    if diff.returncode != 0:
        raise GitError(f"{path}: --diff-only: git diff failed: {diff.stderr.strip()}")
    lines: set[int] = set()
    for m in _HUNK.finditer(diff.stdout):
        start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
        lines.update(range(start, start + count))
    return frozenset(lines)


def touches(span, index, added: frozenset[int] | None) -> bool:
    """Does ``span`` (offsets of the file's text) touch an added line? Everything does in a new file."""
    if added is None:
        return True
    first, _ = index.position(span.start)
    last, _ = index.position(max(span.start, span.end - 1))
    return any(line in added for line in range(first, last + 1))
