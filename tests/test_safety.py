"""Writes that never surprise (issue 17) and a walk that respects .gitignore and --exclude (issue 11).

Real files, real processes: a full disk is /dev/full, a kill is a real signal.
"""
from __future__ import annotations

import errno
import io
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from repair import files
from repair.cli import main
from repair.decode import InputError
from repair.files import atomic_write, iter_input_paths, read_document
from repair.output import OutputError, _Guard

MOJIBAKE = "They didnâ€™t like the cafÃ© &amp; the bar.\n"
FIXED = "They didn’t like the café & the bar.\n"
GRAMMAR_OFF = ["--grammar", "none"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def run(*args, cwd=None, stdout=subprocess.PIPE, input=None, timeout=120):
    env = {**os.environ, "NO_COLOR": "1", "CI": "1"}
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, input=input, env=env, timeout=timeout)


def temps(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- 2 and 12. stdout written in full or one line and exit 2 ---------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full (always full) is Linux-only")
@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"], ["fix"], ["fix", "--write", "-"],
                                  ["score"], ["report", "-o", "-"]])
def test_full_stdout_is_one_line_and_exit_2(tmp_path, args):
    p = tmp_path / "a.txt"
    p.write_text(MOJIBAKE * 50)
    target = ["-"] if args[-1] == "-" and args[0] == "fix" else [str(p)]
    with open("/dev/full", "wb") as full:
        proc = run(*args, *GRAMMAR_OFF, *target, stdout=full, input=p.read_bytes())
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode()
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.splitlines()[-1] == ("ungarble: cannot write to standard output: no space left on device; "
                                    "the output is incomplete")
    assert p.read_text() == MOJIBAKE * 50


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full (always full) is Linux-only")
def test_rules_to_a_full_disk(tmp_path):
    with open("/dev/full", "wb") as full:
        proc = run("rules", stdout=full)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert proc.stderr.count(b"\n") == 1


class Trickle(io.RawIOBase):
    """A raw stream that takes at most three bytes a call, then (when ``full``) none."""

    def __init__(self, limit=None):
        self.data = bytearray()
        self.limit = limit

    def writable(self):
        return True

    def write(self, b):
        if self.limit is not None and len(self.data) >= self.limit:
            raise OSError(errno.ENOSPC, "No space left on device")
        chunk = bytes(b[:3])
        self.data += chunk
        return len(chunk)


def test_short_writes_are_completed_not_dropped():
    raw = Trickle()
    _Guard(raw).write(b"0123456789" * 10)
    assert bytes(raw.data) == b"0123456789" * 10


def test_short_write_then_full_disk_raises_one_line():
    with pytest.raises(OutputError, match="no space left on device"):
        _Guard(Trickle(limit=6)).write(b"0123456789")


def test_report_output_errors_are_one_line(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    p.write_text(MOJIBAKE)
    (tmp_path / "folder").mkdir()
    for output, reason in [(tmp_path / "missing" / "r.html", "no such file"),
                           (tmp_path / "folder", "is a directory")]:
        result = invoke("report", *GRAMMAR_OFF, "-o", str(output), str(p))
        assert result.exit_code == 2
        assert result.stderr == f"ungarble: {output}: cannot write: {reason}\n"

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    result = invoke("report", *GRAMMAR_OFF, "-o", str(tmp_path / "r.html"), str(p))
    assert result.exit_code == 2
    assert result.stderr.endswith(": cannot write: no space left on device\n")
    assert not (tmp_path / "r.html").exists() and temps(tmp_path) == []


# --- 8. SIGTERM unwinds like Ctrl-C: the temp file is removed ------------------------------------

SIGTERM_IN_WRITE = """
import os, signal, sys
real = os.fsync
def fsync(fd):  # the signal arrives while the temp file is being written
    os.kill(os.getpid(), signal.SIGTERM)
    real(fd)
os.fsync = fsync
from repair.cli import main
main(sys.argv[1:])
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_during_write_leaves_no_temp_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(MOJIBAKE)
    proc = subprocess.run([sys.executable, "-c", SIGTERM_IN_WRITE, "fix", "--write", *GRAMMAR_OFF, str(p)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr == "ungarble: terminated; files already written are complete, the rest are untouched\n"
    assert p.read_text() == MOJIBAKE
    assert temps(tmp_path) == []
