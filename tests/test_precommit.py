"""The pre-commit hooks for real: `pre-commit try-repo` against this checkout, as it is on disk.

pre-commit installs the hook repository into its own virtualenv with pip (from PyPI), so this
test needs the network (marked ``network_install``) and takes a minute the first time. try-repo
only sees committed files (and the staged and modified tracked ones), so the test commits a
snapshot of this checkout's files, untracked new ones included, into a scratch repository and
points try-repo at that.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.network_install, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
GARBLED = "They didnâ€™t like the cafÃ© at all.\n\nIt was the the end.\n"
FIXED = "They didn’t like the café at all.\n\nIt was the end.\n"
CLEAN = "# Notes\n\nThe minutes of the meeting are below.\n\n```\nIt was the the end.\n```\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if exe is None:
        try:
            import pre_commit  # noqa: F401
        except ImportError:
            pytest.skip("pre-commit is not installed (pip install '.[test]')")
        return [sys.executable, "-m", "pre_commit"]
    return [exe]


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, **GIT_ENV))


def _checkout_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        return [p for p in out.split("\0") if p and (ROOT / p).is_file()]
    except (subprocess.CalledProcessError, FileNotFoundError):
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                if p.is_file() and ".git" not in p.parts and "__pycache__" not in p.parts]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for rel in _checkout_files():
        if rel.startswith(("benchmarks/", "samples/")) or "__pycache__" in rel:
            continue
        target = snapshot / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    git("init", "-q", cwd=snapshot)
    git("add", "-A", cwd=snapshot)
    git("commit", "-q", "-m", "snapshot", cwd=snapshot)
    return snapshot


@pytest.fixture(scope="module")
def pc_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    git("init", "-q", cwd=work)
    (work / "garbled.txt").write_bytes(GARBLED.encode())
    (work / "clean.md").write_bytes(CLEAN.encode())
    (work / ".ungarble.toml").write_text('grammar = "none"\n', encoding="utf-8")
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "text", cwd=work)
    return work


def try_repo(hook_repo, pc_home, project, hook, *files):
    env = dict(os.environ, PRE_COMMIT_HOME=str(pc_home), PRE_COMMIT_COLOR="never", **GIT_ENV)
    env.pop("CI", None)
    return subprocess.run(_pre_commit() + ["try-repo", str(hook_repo), hook, "--files", *files],
                          cwd=project, capture_output=True, text=True, env=env, timeout=900)


def test_check_hook_fails_on_the_garbled_file_and_passes_the_clean_one(hook_repo, pc_home, project):
    bad = try_repo(hook_repo, pc_home, project, "ungarble-check", "garbled.txt", "clean.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "garbled.txt:1:6: error encoding.mojibake" in bad.stdout
    assert "garbled.txt:3:" in bad.stdout and "mt.repeated-phrase" in bad.stdout
    assert "clean.md" not in bad.stdout.split("Failed", 1)[-1]  # the code block is not prose
    good = try_repo(hook_repo, pc_home, project, "ungarble-check", "clean.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_fix_hook_repairs_fails_once_then_passes(hook_repo, pc_home, project):
    first = try_repo(hook_repo, pc_home, project, "ungarble-fix", "garbled.txt", "clean.md")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (project / "garbled.txt").read_bytes() == FIXED.encode()
    assert (project / "clean.md").read_bytes() == CLEAN.encode()
    git("add", "-A", cwd=project)
    second = try_repo(hook_repo, pc_home, project, "ungarble-fix", "garbled.txt", "clean.md")
    assert second.returncode == 0, second.stdout + second.stderr
