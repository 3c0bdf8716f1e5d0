"""ungarble works with the network cut off: every socket but loopback is blocked in a real
subprocess of the CLI, and any attempt to reach further is recorded and fails the test."""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

GUARD = textwrap.dedent('''
    import ipaddress, os, socket

    LOG = os.environ["UNGARBLE_NET_LOG"]

    def _loopback(address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, bytes):
            host = host.decode()
        if host in ("localhost",) or isinstance(address, str):  # AF_UNIX paths are local
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def _refuse(what):
        with open(LOG, "a") as fh:
            fh.write(what + "\\n")
        raise OSError(101, "network blocked by the test: " + what)

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if self.family != socket.AF_UNIX and not _loopback(address):
            _refuse(f"connect {address!r}")
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family != socket.AF_UNIX and not _loopback(address):
            _refuse(f"connect_ex {address!r}")
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost") and not _loopback((host,)):
            _refuse(f"getaddrinfo {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
''')


@pytest.fixture
def offline_env(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "net.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
           "UNGARBLE_NET_LOG": str(log), "NO_COLOR": "1", "HOME": str(tmp_path)}
    return env, log


def run(env, *args, cwd):
    return subprocess.run([sys.executable, "-m", "repair.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_the_guard_really_blocks(offline_env, tmp_path):
    env, log = offline_env
    probe = "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\nexcept OSError as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert "network blocked by the test" in out.stdout
    assert log.read_text().count("192.0.2.1") >= 1


@pytest.mark.slow
def test_every_command_runs_offline_with_harper(offline_env, tmp_path):
    env, log = offline_env
    repo = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] += os.pathsep + str(repo)
    article = str(SAMPLES / "mt-article.txt")
    checked = run(env, "check", "--metrics", "--format", "json", article, cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    data = json.loads(checked.stdout)
    assert {f["rule"] for f in data["files"][0]["findings"]} >= {"mt.doubled-verb", "mt.fragment"}
    assert "garble_score" in data["files"][0]["metrics"]
    assert run(env, "fix", article, cwd=tmp_path).returncode == 1
    assert run(env, "score", article, cwd=tmp_path).returncode == 0
    report = tmp_path / "r.html"
    assert run(env, "report", article, "-o", str(report), cwd=tmp_path).returncode == 0
    assert report.exists()
    assert not log.exists(), log.read_text()
