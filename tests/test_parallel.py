"""check -j / fix -j: files analysed on several processes, output exactly as with one."""
import shutil

import pytest
from click.testing import CliRunner

from repair.cli import main

TEXTS = [
    "The museum didnâ€™t open on Sunday because the the guards were on strike.\n",
    "Our neighbours planted three apple trees along the fence last spring.\n",
    "She ordered a crÃ¨me brÃ»lÃ©e and a glass of water.\n",
    "It rained rained all day in the valley, and the river rose.\n",
]


def _tree(root):
    root.mkdir()
    for i in range(9):
        (root / f"doc{i}.txt").write_text(TEXTS[i % len(TEXTS)] * (1 + i % 3), encoding="utf-8")
    (root / "broken.txt").write_bytes(b"\x00\x01\x02 binary \x00")  # unreadable: an error in its place
    # a suppression naming a retired rule: a note on stderr, from either path
    (root / "note.md").write_text("Intro.\n\n<!-- ungarble: ignore[mt.retired-rule] -->\nIt was the the end.\n",
                                  encoding="utf-8")
    return root


@pytest.mark.slow
def test_check_with_jobs_prints_what_one_process_prints(tmp_path):
    root = _tree(tmp_path / "docs")
    runner = CliRunner()
    for fmt in ("json", "human"):
        one = runner.invoke(main, ["check", str(root), "--grammar", "none", "--format", fmt])
        two = runner.invoke(main, ["check", str(root), "--grammar", "none", "--format", fmt, "-j", "2"])
        assert two.exit_code == one.exit_code == 2, two.output
        assert two.stdout == one.stdout and two.stderr == one.stderr
        assert "'mt.retired-rule'" in two.stderr


@pytest.mark.slow
def test_fix_write_with_jobs_writes_what_one_process_writes(tmp_path):
    one = _tree(tmp_path / "one")
    two = tmp_path / "two"
    shutil.copytree(one, two)
    runner = CliRunner()
    a = runner.invoke(main, ["fix", str(one), "--grammar", "none", "--write"])
    b = runner.invoke(main, ["fix", str(two), "--grammar", "none", "--write", "--jobs", "2"])
    assert a.exit_code == b.exit_code
    assert a.stdout.replace(str(one), "X") == b.stdout.replace(str(two), "X")
    for path in sorted(one.iterdir()):
        assert (two / path.name).read_bytes() == path.read_bytes()
    assert "didn’t" in (two / "doc0.txt").read_text(encoding="utf-8")
