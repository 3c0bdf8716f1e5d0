"""A LanguageTool server that misbehaves on purpose (issue 15).

Each test runs a real HTTP server on 127.0.0.1 (port 0) in one mode -- slow loris,
silent, garbage, huge, error 500, matches out of range or at negative offsets, escape
sequences in messages and replacements -- and runs ``ungarble check`` and
``ungarble fix --write --unsafe`` against it in a subprocess, with short configured
timeouts. Each run must end within the deadline plus a second (counted from the
server's first request, so that Python's start-up does not count), exit 2 with one
line on stderr holding no raw control character, and leave the file as it was.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from repair.checks import BackendUnavailable
from repair.checks import languagetool as lt
from repair.checks.languagetool import LanguageToolCheck
from repair.options import Options

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT, DEADLINE = 1.0, 2.0
# mojibake our own rules repair safely, and a misspelling for LanguageTool: were the back end's
# failure swallowed, `fix --write` would write the file
TEXT = "The cafÃ© was nice. They recieve the parcel.\n"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[8m"
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

LANGUAGES = [{"name": "English (US)", "code": "en", "longCode": "en-US"}]


def u16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def match(text: str, word: str, **override) -> dict:
    start = u16(text, text.index(word)) if word in text else 0
    m = {"message": "Possible spelling mistake found.", "shortMessage": "Spelling mistake",
         "replacements": [{"value": "receive"}], "offset": start, "length": len(word),
         "context": {"text": text[:100], "offset": start, "length": len(word)}, "sentence": text[:100],
         "rule": {"id": "MORFOLOGIK_RULE_EN_US", "issueType": "misspelling",
                  "category": {"id": "TYPOS", "name": "Possible Typo"}}}
    m.update(override)
    return m


def answer(matches: list) -> dict:
    return {"software": {"name": "LanguageTool", "version": "6.4"}, "language": {"code": "en-US"},
            "matches": matches}


# mode -> the matches /v2/check answers with (modes that misbehave otherwise are handled in do_POST);
# test_validate_match_rejects covers more kinds of bad match without a server
MATCH_MODES = {
    "out-of-range": lambda text: [match(text, "recieve", offset=u16(text, len(text)) + 5)],
    "negative-offset": lambda text: [match(text, "recieve", offset=-3),
                                     match(text, "recieve", replacements=[{"value": "rec\ud800ive"}])],
    "lone-surrogate": lambda text: [match(text, "recieve", replacements=[{"value": "rec\ud800ive"}])],
    "escape-in-message": lambda text: [match(text, "recieve", message=f"Spelling{ESCAPES} mistake")],
    "escape-in-replacement": lambda text: [match(text, "recieve", replacements=[{"value": f"rec{ESCAPES}eive"}])],
}


class Hostile(BaseHTTPRequestHandler):
    mode = "ok"
    first_request: float | None = None
    paths: list = []                # request targets, as sent
    sent = 0                        # bytes of huge answers written
    release = threading.Event()     # set at teardown: silent handlers stop waiting

    def log_message(self, *args):
        pass

    def _send(self, payload, status=200, content_type="application/json"):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stamp(self):
        Hostile.paths.append(self.path)
        if Hostile.first_request is None:
            Hostile.first_request = time.monotonic()

    def do_GET(self):
        self._stamp()
        if self.mode == "languages-silent":
            self.release.wait(60)
            return
        self._send(LANGUAGES)

    def do_POST(self):
        self._stamp()
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        text = form.get("text", "")
        mode = self.mode
        try:
            if mode == "slow-loris":
                # a valid answer, headers and all, one byte every 0.1 s: each read gets data in time
                body = json.dumps(answer([match(text, "recieve")])).encode()
                raw = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                       .encode() + body)
                for i in range(len(raw)):
                    self.wfile.write(raw[i:i + 1])
                    self.wfile.flush()
                    if self.release.wait(0.1):
                        return
            elif mode == "silent":
                self.release.wait(60)
            elif mode == "garbage":
                self._send(b"<html><body>Bad gateway\x1b[31m</body></html>\x00\xff", content_type="text/html")
            elif mode == "not-http":
                self.wfile.write(b"\x1b]0;pwned\x07 SSH-2.0-OpenSSH_9.6\r\n\r\n")
            elif mode == "fail-on-second-file" and text.startswith("SECOND"):
                self._send(b"Internal Server Error", 500, content_type="text/plain")
            elif mode == "error-500":
                self._send(f"java.lang.RuntimeException: {ESCAPES}boom\nat org.languagetool".encode(), 500,
                           content_type="text/plain")
            elif mode == "huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                self._stream(50 * 1024 * 1024)
            elif mode == "huge-streamed":
                # no Content-Length: the body ends when the connection closes
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                self.wfile.write(b'{"matches": [], "padding": "')
                self._stream(50 * 1024 * 1024)
            elif mode == "too-many-matches":
                self._send(answer([match(text, "recieve")] * (lt.MAX_MATCHES + 1)))
            elif mode in MATCH_MODES:
                self._send(answer(MATCH_MODES[mode](text)))
            else:
                self._send(answer([match(text, "recieve")] if "recieve" in text else []))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _stream(self, size: int) -> None:
        block = b"x" * (1024 * 1024)
        for _ in range(size // len(block)):
            self.wfile.write(block)
            Hostile.sent += len(block)


@pytest.fixture
def hostile():
    """Start a server; ``hostile(mode)`` gives its URL."""
    servers = []

    def start(mode: str) -> str:
        Hostile.release.clear()
        Hostile.first_request = None
        handler = type("Handler", (Hostile,), {"mode": mode})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield start
    Hostile.release.set()
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
    lt._LANGUAGES.clear()


def run_cli(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float | None]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-m", "repair.cli", *args], capture_output=True, text=True,
                         env=env, timeout=timeout, cwd=ROOT)
    finished = time.monotonic()
    started = Hostile.first_request
    return out, (finished - started if started is not None else None)


def lt_args(url: str) -> list[str]:
    return ["--grammar", "languagetool", "--languagetool-url", url, "--isolated",
            "--languagetool-timeout", str(TIMEOUT), "--languagetool-deadline", str(DEADLINE)]


def assert_clean_failure(out: subprocess.CompletedProcess, elapsed: float | None) -> str:
    assert out.returncode == 2, (out.returncode, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ungarble: "), out.stderr
    assert not RAW_CONTROL.search(lines[0]), repr(lines[0])
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
    if elapsed is not None:   # counted from the server's first request: the deadline plus a second
        assert elapsed < DEADLINE + 1.0, elapsed
    return lines[0]


ALL_MODES = ["slow-loris", "silent", "languages-silent", "garbage", "not-http", "error-500", "huge-declared",
             "huge-streamed", "too-many-matches", *MATCH_MODES]

EXPECTED = {
    "slow-loris": "--languagetool-deadline",
    "silent": "--languagetool-timeout",
    "languages-silent": "--languagetool-timeout",
    "garbage": "not LanguageTool's JSON",
    "not-http": "not HTTP",
    "error-500": "HTTP 500",
    "huge-declared": "too large",
    "huge-streamed": "too large",
    "too-many-matches": "matches for one text",
    **{mode: "sent an invalid match" for mode in MATCH_MODES},
}


@pytest.mark.parametrize("mode", ALL_MODES)
@pytest.mark.slow
def test_check_fails_fast_and_cleanly(hostile, tmp_path, mode):
    url = hostile(mode)
    target = tmp_path / "a.txt"
    target.write_text(TEXT, encoding="utf-8")
    out, elapsed = run_cli("check", *lt_args(url), str(target))
    line = assert_clean_failure(out, elapsed)
    assert EXPECTED[mode] in line, line
    assert url in line
    assert out.stdout == ""


@pytest.mark.parametrize("mode", ALL_MODES)
@pytest.mark.slow
def test_fix_write_leaves_the_file_alone(hostile, tmp_path, mode):
    url = hostile(mode)
    target = tmp_path / "a.txt"
    target.write_bytes(TEXT.encode("utf-8"))
    out, elapsed = run_cli("fix", "--write", "--unsafe", *lt_args(url), str(target))
    line = assert_clean_failure(out, elapsed)
    assert EXPECTED[mode] in line, line
    assert target.read_bytes() == TEXT.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]   # no temporary file left behind


@pytest.mark.slow
def test_escapes_in_the_servers_error_are_shown_escaped(hostile, tmp_path):
    url = hostile("error-500")
    target = tmp_path / "a.txt"
    target.write_text(TEXT, encoding="utf-8")
    out, _ = run_cli("check", *lt_args(url), str(target))
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr
    assert "\\x1b]0;pwned\\x07" in out.stderr   # shown, harmlessly


@pytest.mark.slow
def test_a_well_behaved_server_still_works(hostile, tmp_path):
    url = hostile("ok")
    target = tmp_path / "a.txt"
    target.write_text(TEXT, encoding="utf-8")
    out, _ = run_cli("check", *lt_args(url), str(target))
    assert out.returncode == 1, out.stderr
    assert "languagetool.TYPOS.MORFOLOGIK_RULE_EN_US" in out.stdout
    out, _ = run_cli("fix", "--write", "--unsafe", *lt_args(url), str(target))
    assert out.returncode == 1, out.stderr
    assert target.read_text(encoding="utf-8") == "The café was nice. They receive the parcel.\n"


# --- in-process: the same bounds through the library ---------------------------------

@pytest.mark.slow
def test_deadline_is_shared_by_the_requests_of_a_run(hostile, monkeypatch):
    """Two documents against a slow loris: the second finds the run's time already spent."""
    from repair.checks import begin_run

    url = hostile("slow-loris")
    opts = Options(grammar="languagetool", languagetool_url=url, languagetool_timeout=TIMEOUT,
                   languagetool_deadline=DEADLINE)
    begin_run()
    check = LanguageToolCheck.for_options(opts)
    posts = []
    real = lt._request

    def counting(url, form, limits, end, what):
        posts.append(end)
        return real(url, form, limits, end, what)

    monkeypatch.setattr(lt, "_request", counting)
    with pytest.raises(BackendUnavailable, match="--languagetool-deadline"):
        check.check("They recieve it.", opts)
    with pytest.raises(BackendUnavailable, match="--languagetool-deadline"):
        check.check("They recieve it again.", opts)
    assert len(posts) == 2 and posts[0] == posts[1]   # one end for the whole run
    begin_run()


def test_without_a_run_each_text_has_its_own_deadline(hostile):
    import repair.checks as checks

    url = hostile("ok")
    opts = Options(grammar="languagetool", languagetool_url=url, languagetool_timeout=TIMEOUT,
                   languagetool_deadline=DEADLINE)
    saved = checks._RUN
    checks._RUN = None
    try:
        check = LanguageToolCheck.for_options(opts)
        ends = []
        real = lt._end
        lt._end = lambda limits, run=None: ends.append(real(limits, run)) or ends[-1]
        try:
            check.check("They recieve it.", opts)
            time.sleep(0.01)
            check.check("They recieve it again.", opts)
        finally:
            lt._end = real
        assert len(ends) == 2 and ends[1] > ends[0]
    finally:
        checks._RUN = saved


@pytest.mark.parametrize(("raw", "reason"), [
    ({"offset": 0, "length": 99}, "outside the text"),
    ({"offset": 4, "length": 2}, "outside the text"),           # "😀 ok" is 5 UTF-16 units
    ({"offset": -1, "length": 1}, "outside the text"),
    ({"offset": 1, "length": 1}, "cut a character in two"),     # inside the surrogate pair of "😀"
    ({"offset": True, "length": 1}, "not a whole number"),
    ({"offset": 0, "length": 2, "rule": "X"}, "rule"),
    ({"offset": 0, "length": 2, "message": None}, "message"),
    ({"offset": 0, "length": 2, "replacements": [{"value": "\x1b[2J"}]}, "control character"),
    ({"offset": 0, "length": 2, "replacements": [{"value": "\u202eevil"}]}, "control character"),
    ({"offset": 0, "length": 2, "replacements": "abc"}, "not a list"),
    ({"offset": 0, "length": 2, "replacements": [{"value": "y" * 5000}]}, "characters long"),
])
def test_validate_match_rejects(raw, reason):
    text = "😀 ok"
    base = {"message": "m", "replacements": [], "rule": {"id": "R", "category": {"id": "C"}, "issueType": "style"}}
    with pytest.raises(lt.InvalidMatch, match=reason):
        lt.validate_match({**base, **raw}, text, lt.Utf16Positions(text))


def test_validate_match_accepts_a_good_one():
    text = "😀 recieve"
    raw = {"message": "Spelling\nmistake", "offset": 3, "length": 7, "replacements": [{"value": "receive"}],
           "rule": {"id": "R", "category": {"id": "TYPOS"}, "issueType": "misspelling"}}
    m = lt.validate_match(raw, text, lt.Utf16Positions(text))
    assert text[m.span.start:m.span.end] == "recieve" and m.replacements == ("receive",)


# --- the options: command line and configuration ----------------------------------------

@pytest.mark.slow
def test_timeouts_from_the_configuration(hostile, tmp_path):
    """The configured timeout bounds the run as the flag does (flags override the file)."""
    from repair.config import options_for, settings_for

    url = hostile("silent")
    (tmp_path / ".ungarble.toml").write_text(
        f'grammar = "languagetool"\nlanguagetool-url = "{url}"\nlanguagetool-timeout = 1\n'
        'languagetool-deadline = 2.5\n')
    target = tmp_path / "a.txt"
    target.write_text(TEXT, encoding="utf-8")
    settings = settings_for(str(target))
    assert options_for(settings, str(target), {}).languagetool_timeout == 1.0
    assert options_for(settings, str(target), {}).languagetool_deadline == 2.5
    assert options_for(settings, str(target), {"languagetool_deadline": 9.0}).languagetool_deadline == 9.0
    out, elapsed = run_cli("fix", "--write", str(target))
    line = assert_clean_failure(out, elapsed)
    assert "waiting more than 1 s for data" in line
    assert target.read_text(encoding="utf-8") == TEXT


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", '"5"', "true", "100000"])
@pytest.mark.parametrize("key", ["languagetool-timeout", "languagetool-deadline"])
def test_bad_timeouts_in_the_configuration(tmp_path, key, value):
    from repair.config import ConfigError, load

    cfg = tmp_path / ".ungarble.toml"
    cfg.write_text(f"{key} = {value}\n")
    with pytest.raises(ConfigError) as err:
        load(str(cfg))
    assert str(cfg) in str(err.value) and key in str(err.value) and "seconds" in str(err.value)


@pytest.mark.parametrize("value", ["0", "-2", "nan", "inf", "soon"])
@pytest.mark.parametrize("flag", ["--languagetool-timeout", "--languagetool-deadline"])
def test_bad_timeout_flags(tmp_path, flag, value):
    from click.testing import CliRunner

    from repair.cli import main

    target = tmp_path / "a.txt"
    target.write_text("fine\n")
    res = CliRunner().invoke(main, ["check", "--grammar", "none", "--isolated", flag, value, str(target)])
    assert res.exit_code == 2 and flag in res.output, res.output


# --- a run over several files, and proxies ------------------------------------------------

@pytest.mark.slow
def test_fix_write_over_several_files_stops_at_the_failing_one(hostile, tmp_path):
    """Files before the failure are written whole; the failing file and the rest are untouched."""
    url = hostile("fail-on-second-file")
    first, second, third = (tmp_path / n for n in ("a.txt", "b.txt", "c.txt"))
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("SECOND " + TEXT, encoding="utf-8")
    third.write_text(TEXT, encoding="utf-8")
    out, _ = run_cli("fix", "--write", "--unsafe", *lt_args(url), str(first), str(second), str(third))
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1].startswith("ungarble: ") and "HTTP 500" in out.stderr
    assert first.read_text(encoding="utf-8") == "The café was nice. They receive the parcel.\n"
    assert second.read_text(encoding="utf-8") == "SECOND " + TEXT
    assert third.read_text(encoding="utf-8") == TEXT


@pytest.mark.slow
def test_a_proxy_from_the_environment_is_used_for_remote_servers(hostile, monkeypatch):
    """A server that is not on loopback is reached through HTTP_PROXY (here: our server, as the proxy)."""
    proxy = hostile("ok")
    for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", proxy)
    monkeypatch.setenv("HTTP_PROXY", proxy)
    Hostile.paths = []
    opts = Options(grammar="languagetool", languagetool_url="http://lt.invalid:8081/",
                   languagetool_timeout=TIMEOUT, languagetool_deadline=DEADLINE)
    findings = LanguageToolCheck.for_options(opts).check("They recieve it.", opts)
    assert [f.text for f in findings] == ["recieve"]
    assert Hostile.paths == ["http://lt.invalid:8081/v2/languages", "http://lt.invalid:8081/v2/check"]


@pytest.mark.slow
def test_a_loopback_server_is_never_reached_through_a_proxy(hostile, monkeypatch):
    url = hostile("ok")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")   # nothing listens there
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    opts = Options(grammar="languagetool", languagetool_url=url, languagetool_timeout=TIMEOUT,
                   languagetool_deadline=DEADLINE)
    assert [f.text for f in LanguageToolCheck.for_options(opts).check("They recieve it.", opts)] == ["recieve"]


def test_a_tls_handshake_dribbled_out_is_bounded_too():
    """https:// to a server that answers the TLS handshake one byte at a time: the deadline still holds."""
    import socket

    from repair.checks import begin_run

    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"\x16\x03\x03\x40\x00")   # a TLS handshake record of 16 kB is coming ...
            while not stop.wait(0.1):                   # ... one byte at a time
                try:
                    conn.sendall(b"\x02")
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    url = f"https://127.0.0.1:{listener.getsockname()[1]}"
    begin_run()
    started = time.monotonic()
    try:
        # (Python's ssl gives the whole handshake the read timeout; the deadline would end it otherwise)
        with pytest.raises(BackendUnavailable, match="--languagetool-(timeout|deadline)"):
            LanguageToolCheck.for_options(Options(grammar="languagetool", languagetool_url=url,
                                                  languagetool_timeout=TIMEOUT, languagetool_deadline=DEADLINE))
        assert time.monotonic() - started < DEADLINE + 1.0
    finally:
        stop.set()
        listener.close()
        begin_run()


@pytest.mark.parametrize("mode", ["huge-declared", "huge-streamed"])
def test_a_huge_answer_is_not_read_whole(hostile, mode):
    from repair.checks.lthttp import HttpError, request

    url = hostile(mode)
    Hostile.sent = 0
    with pytest.raises(HttpError) as info:
        request(url + "/v2/check", {"text": "x", "language": "en-US"}, timeout=TIMEOUT,
                end=time.monotonic() + DEADLINE, max_bytes=lt.MAX_RESPONSE_BYTES)
    assert info.value.kind == HttpError.TOO_LARGE
    # the server could push what the socket buffers hold, not the 50 MB it meant to
    time.sleep(0.2)
    assert Hostile.sent < 25 * 1024 * 1024, Hostile.sent
