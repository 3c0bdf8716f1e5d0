"""`--diff-only`: only lines a change adds are checked (and fixed); old text is not blamed."""
import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from repair.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
OLD = "It was the the end.\n\nSome fine text.\n"
NEW = "It was the the end.\n\nSome fine text.\nWe saw a a bird.\n"


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=dict(os.environ, **ENV))


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "doc.txt").write_text(OLD, encoding="utf-8")
    git(tmp_path, "add", "doc.txt")
    git(tmp_path, "commit", "-q", "-m", "old")
    (tmp_path / "doc.txt").write_text(NEW, encoding="utf-8")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, [*args[:1], "--grammar", "none", *args[1:]])


def test_staged_lines_only(repo):
    doc = str(repo / "doc.txt")
    assert run("check", "--diff-only", doc).exit_code == 0  # nothing staged yet
    git(repo, "add", "doc.txt")
    res = run("check", "--diff-only", doc)
    assert res.exit_code == 1
    assert res.stdout == f"{doc}:4:8: warning mt.repeated-phrase Repeated words: 'a a'. [fixable]\n"
    assert "the the" in run("check", doc).stdout  # without the option the old one is there too


def test_against_a_base_ref_and_fix_only_touches_added_lines(repo):
    doc = repo / "doc.txt"
    res = run("check", "--diff-base", "HEAD", str(doc))
    assert res.exit_code == 1 and ":4:8:" in res.stdout and ":1:" not in res.stdout
    assert run("fix", "--write", "--diff-base", "HEAD", str(doc)).exit_code == 1
    assert doc.read_text(encoding="utf-8") == "It was the the end.\n\nSome fine text.\nWe saw a bird.\n"


def test_untracked_files_are_all_new_and_outside_git_is_an_error(repo, tmp_path_factory):
    (repo / "new.txt").write_text(OLD, encoding="utf-8")
    assert run("check", "--diff-only", str(repo / "new.txt")).exit_code == 1
    outside = tmp_path_factory.mktemp("nogit") / "x.txt"
    outside.write_text(OLD, encoding="utf-8")
    res = run("check", "--diff-only", str(outside))
    if res.exit_code != 2:  # the temp folder may itself sit inside some repository
        pytest.skip("temporary folder is inside a git work tree")
    assert "not inside a git repository" in res.stderr


def test_bad_ref_is_an_error(repo):
    res = run("check", "--diff-base", "no-such-ref", str(repo / "doc.txt"))
    assert res.exit_code == 2 and "git diff failed" in res.stderr


@pytest.mark.parametrize("unsafe", [[], ["--unsafe"]], ids=["safe", "unsafe"])
def test_edits_made_in_two_passes_on_added_lines_are_all_applied(repo, unsafe):
    # the second pass's edits stand on the first's: the plan replays them pass by pass (they used to
    # be left out, or half applied: "The train left  , on time.")
    doc = repo / "doc.txt"
    added = "The train  left  ,  on time .\nPhoto: Jane Roe/Agency Photo: Jane Roe/Agency Photo: Jane Roe/Agency\n"
    doc.write_text(OLD + added, encoding="utf-8")
    assert run("fix", "--write", *unsafe, "--diff-base", "HEAD", str(doc)).exit_code == 1
    assert doc.read_text(encoding="utf-8") == OLD + "The train left, on time.\nPhoto: Jane Roe/Agency\n"

