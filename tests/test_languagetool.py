"""The LanguageTool back end against a server speaking LanguageTool's documented HTTP API.

The unit tests serve ``/v2/languages`` and ``/v2/check`` (JSON shapes as documented at
https://languagetool.org/http-api/) from a loopback ``http.server`` thread in this
process, with offsets and lengths in UTF-16 units as LanguageTool counts them. The
integration test at the end runs against a real LanguageTool when one is available
(``UNGARBLE_LT_URL``, ``UNGARBLE_LT_DIR`` or a language-tool-python download).
"""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from repair.checks import BackendUnavailable
from repair.checks import languagetool as lt
from repair.checks.languagetool import LanguageToolCheck, Utf16Positions, normalise_url
from repair.edits import apply
from repair.options import Options

ROOT = Path(__file__).resolve().parents[1]

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]

# (pattern, rule id, category, issue type, replacements, message)
RULES = [
    (r"\brecieve\b", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", ["receive", "relieve"],
     "Possible spelling mistake found."),
    (r"\b[A-Z][a-z]+holm\b", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", ["Stockholm"],
     "Possible spelling mistake found."),
    (r"\b(\w+) \1\b", "ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication", [None], "Possible typo: you repeated a word"),
    (r"([\U00010000-\U0010FFFF])\1", "EMOJI_REPEAT", "TYPOGRAPHY", "typographical", [None],
     "Repeated symbol."),
    (r"\bhe go\b", "HE_VERB_AGR", "GRAMMAR", "grammar", ["he goes"], "The verb does not agree."),
]


def u16(text: str, cp: int) -> int:
    """LanguageTool's offsets: UTF-16 code units."""
    return len(text[:cp].encode("utf-16-le")) // 2


def check_response(text: str, language: str) -> dict:
    matches = []
    for pattern, rule, category, issue, replacements, message in RULES:
        for m in re.finditer(pattern, text):
            reps = [m.group(1) if r is None else r for r in replacements]
            start, end = u16(text, m.start()), u16(text, m.end())
            matches.append({
                "message": message, "shortMessage": "",
                "replacements": [{"value": r} for r in reps],
                "offset": start, "length": end - start,
                "context": {"text": text[:200], "offset": start, "length": end - start},
                "sentence": text,
                "type": {"typeName": "Other"},
                "rule": {"id": rule, "subId": "1", "description": message, "issueType": issue,
                         "category": {"id": category, "name": category.title()}},
                "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
            })
    matches.sort(key=lambda m: m["offset"])
    return {
        "software": {"name": "LanguageTool", "version": "6.4", "buildDate": "2024-03-28",
                     "apiVersion": 1, "status": "", "premium": False},
        "language": {"name": language, "code": language,
                     "detectedLanguage": {"name": language, "code": language, "confidence": 0.99}},
        "matches": matches,
    }


class FakeLanguageTool(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, payload, status=200):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        self.requests.append(("GET", path, {}))
        if path == "/v2/languages":
            self._send(LANGUAGES)
        else:
            self._send({"error": "not found"}, 404)

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        self.requests.append(("POST", path, form))
        if path == "/v2/check":
            self._send(check_response(form.get("text", ""), form.get("language", "")))
        else:
            self._send({"error": "not found"}, 404)


@pytest.fixture(scope="module")
def server():
    FakeLanguageTool.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeLanguageTool)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    lt._LANGUAGES.clear()


def by_text(findings):
    return {f.text: f for f in findings}


def test_interface(server):
    check = LanguageToolCheck.for_options(Options(grammar="languagetool", languagetool_url=server))
    assert check.name == "languagetool" and check.scope == "document"


@pytest.mark.parametrize("prefix", [
    "",
    "😀🎉 ",
    "Café naïve ",
    "Cafe\u0301 ",
    "Line one.\r\nLine two.\r\n",
])
def test_findings_and_spans_in_code_points(server, prefix):
    opts = Options(grammar="languagetool", languagetool_url=server)
    text = prefix + "Then he go home to recieve the the parcel."
    findings = LanguageToolCheck.for_options(opts).check(text, opts)
    found = by_text(findings)
    assert set(found) == {"he go", "recieve", "the the"}
    for f in findings:
        assert text[f.span.start:f.span.end] == f.text
        assert f.fix.span == f.span and f.fix.safety == "suggest"
    assert found["recieve"].rule == "languagetool.TYPOS.MORFOLOGIK_RULE_EN_US"
    assert found["he go"].severity == "error" and found["recieve"].severity == "warning"
    assert "relieve" in found["recieve"].message
    fixed = apply(text, [f.fix for f in findings])
    assert fixed == prefix + "Then he goes home to receive the parcel."


def test_lengths_outside_the_bmp_are_code_points(server):
    # the match itself covers astral characters: its UTF-16 length (4) is not its length in code points (2)
    opts = Options(grammar="languagetool", languagetool_url=server)
    text = "Party 🎉🎉 time, and 😀 then 😀😀 again."
    findings = LanguageToolCheck.for_options(opts).check(text, opts)
    spans = sorted((f.span.start, f.span.end, f.text) for f in findings)
    first, second = text.index("🎉🎉"), text.index("😀😀")
    assert spans == [(first, first + 2, "🎉🎉"), (second, second + 2, "😀😀")]
    assert [f.fix.replacement for f in findings] == ["🎉", "😀"]


def test_dialect_reaches_the_server(server):
    FakeLanguageTool.requests.clear()
    for dialect, expected in (("gb", "en-GB"), ("au", "en-AU"), ("in", "en-GB"), ("us", "en-US")):
        opts = Options(grammar="languagetool", languagetool_url=server, dialect=dialect)
        LanguageToolCheck.for_options(opts).check(f"They recieve it ({dialect}).", opts)
        posts = [r for r in FakeLanguageTool.requests if r[0] == "POST"]
        assert posts[-1][2]["language"] == expected
        assert posts[-1][2]["text"] == f"They recieve it ({dialect})."


def test_names_and_accepted_words_are_not_misspellings(server):
    opts = Options(grammar="languagetool", languagetool_url=server, accept_words=frozenset({"recieve"}))
    text = "Minister Vaderholm spoke. Later Vaderholm left, and we recieve it."
    assert LanguageToolCheck.for_options(opts).check(text, opts) == []


def test_select_and_ignore(server):
    opts = Options(grammar="languagetool", languagetool_url=server, ignore=("languagetool.TYPOS",))
    found = by_text(LanguageToolCheck.for_options(opts).check("Then he go to recieve it.", opts))
    assert set(found) == {"he go"}


@pytest.mark.parametrize("given", ["{u}", "{u}/", "{u}/v2", "{u}/v2/", "{u}/v2/check"])
def test_url_forms(server, given):
    assert normalise_url(given.format(u=server)) == server + "/"
    opts = Options(grammar="languagetool", languagetool_url=given.format(u=server))
    assert by_text(LanguageToolCheck.for_options(opts).check("we recieve", opts))


def test_url_without_scheme_and_bad_scheme():
    assert normalise_url("localhost:8081") == "http://localhost:8081/"
    assert normalise_url("https://lt.example.org/api/v2") == "https://lt.example.org/api/"
    with pytest.raises(BackendUnavailable):
        normalise_url("ftp://lt.example.org/")


def test_utf16_positions():
    text = "a😀b🎉🎉c"
    pos = Utf16Positions(text)
    for cp in range(len(text) + 1):
        assert pos.to_code_points(pos.to_utf16(cp)) == cp
        assert pos.to_utf16(cp) == u16(text, cp)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_at_the_url_fails_clearly():
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(BackendUnavailable) as info:
        LanguageToolCheck.for_options(Options(grammar="languagetool", languagetool_url=url))
    message = str(info.value)
    assert url in message and "--languagetool-url" in message


def _isolated_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("LTP_PATH", "LTP_JAR_DIR_PATH", "JAVA_HOME")}
    env.update(HOME=str(tmp_path / "home"), LTP_PATH=str(tmp_path / "ltp"), **extra)
    return env


def _try_for_options(env: dict, **options) -> subprocess.CompletedProcess:
    prog = textwrap.dedent(f"""
        import sys, socket
        sys.path.insert(0, {str(ROOT)!r})
        def refuse(*a, **k):
            raise AssertionError("network use: " + repr(a))
        socket.socket.connect = refuse       # nothing may be contacted, let alone downloaded
        from repair.checks import BackendUnavailable
        from repair.checks.languagetool import LanguageToolCheck
        from repair.options import Options
        try:
            LanguageToolCheck.for_options(Options(grammar="languagetool", **{options!r}))
        except BackendUnavailable as exc:
            print("UNAVAILABLE:", exc)
    """)
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, env=env, timeout=120)


def test_nothing_installed_says_what_is_missing_and_downloads_nothing(tmp_path):
    out = _try_for_options(_isolated_env(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "UNAVAILABLE:" in out.stdout
    assert "--languagetool-url" in out.stdout and "--languagetool-dir" in out.stdout
    assert not (tmp_path / "ltp").exists()   # not even the download folder was created


def test_directory_without_languagetool(tmp_path):
    empty = tmp_path / "lt"
    empty.mkdir()
    out = _try_for_options(_isolated_env(tmp_path), languagetool_dir=str(empty))
    assert "UNAVAILABLE:" in out.stdout and "no languagetool-server.jar" in out.stdout


@pytest.mark.skipif(os.name == "nt", reason="uses a shell script as a stand-in java")
def test_old_java_is_refused(tmp_path):
    install = tmp_path / "LanguageTool-6.4"
    install.mkdir()
    (install / "languagetool-server.jar").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    java = bindir / "java"
    java.write_text('#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n')
    java.chmod(0o755)
    env = _isolated_env(tmp_path, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    out = _try_for_options(env, languagetool_dir=str(tmp_path))
    assert "UNAVAILABLE:" in out.stdout and "Java >= 17" in out.stdout and "Java 11" in out.stdout


def test_language_tool_python_is_imported_lazily():
    out = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); "
                          "import repair.checks.languagetool; print('language_tool_python' in sys.modules)"
                          % str(ROOT)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


# --- a real LanguageTool, when there is one --------------------------------------------

def _real_options() -> Options | None:
    if os.environ.get("UNGARBLE_LT_URL"):
        return Options(grammar="languagetool", languagetool_url=os.environ["UNGARBLE_LT_URL"])
    directory = os.environ.get("UNGARBLE_LT_DIR")
    if directory:
        return Options(grammar="languagetool", languagetool_dir=directory)
    if any(lt.find_server_jar(d) for d in lt.downloaded_installs()):
        return Options(grammar="languagetool")
    return None


def test_real_languagetool_server():
    opts = _real_options()
    if opts is None:
        pytest.skip("no LanguageTool available: set UNGARBLE_LT_URL to a server or UNGARBLE_LT_DIR to an "
                    "unpacked LanguageTool (Java >= 17), or download one with language-tool-python")
    check = LanguageToolCheck.for_options(opts)
    text = "😀 He go to the the market to recieve 🎉🎉 his parcel."
    findings = check.check(text, opts)
    found = by_text(findings)
    for f in findings:
        assert text[f.span.start:f.span.end] == f.text
    assert "recieve" in found and found["recieve"].fix.replacement == "receive"
    assert any("the the" in f.text for f in findings)
