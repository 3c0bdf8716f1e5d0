"""LanguageTool back end (``--grammar languagetool``) through language-tool-python.

Where the text goes is the user's choice and nobody else's:

* ``Options.languagetool_url`` (``--languagetool-url``): a server the user runs or
  names. Text is sent there and nowhere else.
* ``Options.languagetool_dir`` (``--languagetool-dir``): an unpacked LanguageTool
  (the folder holding ``languagetool-server.jar``). We start its HTTP server on a
  free loopback port with Java >= 17, and stop it when the process ends.
* otherwise an install language-tool-python downloaded earlier (in ``$LTP_PATH`` or
  ``~/.cache/language_tool_python``, or ``$LTP_JAR_DIR_PATH``), started the same way.

Nothing is ever downloaded here: language-tool-python's own server start-up, which
downloads LanguageTool (about 260 MB) when it is missing, is never used; we only use
its HTTP client against a URL we give it. When no server can be had the check raises
:class:`BackendUnavailable` saying what is missing and how to get it.

LanguageTool counts offsets and lengths in UTF-16 units. language-tool-python
corrects the offsets for characters outside the BMP but not the lengths, so spans
are rebuilt here from UTF-16 positions into code points of the text given.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from bisect import bisect_left
from pathlib import Path
from typing import Any

from ..model import Edit, Finding, Severity, Span
from ..options import Options
from . import BackendUnavailable

# LanguageTool's issueType (ITS 2.0 localization quality issue types) -> our severity.
SEVERITY: dict[str, Severity] = {
    "grammar": "error",
    "misspelling": "warning",
    "duplication": "warning",
    "typographical": "warning",
    "whitespace": "info",
    "style": "info",
    "register": "info",
    "locale-violation": "info",
    "terminology": "info",
    "inconsistency": "warning",
    "uncategorized": "warning",
    "other": "warning",
}
DEFAULT_SEVERITY: Severity = "warning"

# dialect -> LanguageTool language codes to try, best first
LANGUAGES: dict[str, tuple[str, ...]] = {
    "us": ("en-US",),
    "gb": ("en-GB",),
    "ca": ("en-CA", "en-US"),
    "au": ("en-AU", "en-GB"),
    "in": ("en-IN", "en-GB"),   # LanguageTool has no Indian English; it spells as British
}

MAX_ALTERNATIVES = 3
SERVER_START_TIMEOUT = 90.0

GET_IT = (
    "Give --languagetool-url URL of a LanguageTool server you run, or --languagetool-dir DIR of an "
    "unpacked LanguageTool (https://languagetool.org/download/, needs Java >= 17), or download it "
    "once (about 260 MB) with `python -c \"from language_tool_python.download_lt import "
    "LocalLanguageTool; LocalLanguageTool.from_version_name().download()\"`. "
    "Or use --grammar harper (offline, no Java)."
)

_CLIENTS: dict[tuple[str, str], Any] = {}
_SERVERS: dict[str, "LocalServer"] = {}
_LOCK = threading.Lock()


def _import_client() -> Any:
    try:
        import language_tool_python  # noqa: PLC0415  (lazy on purpose)
    except ImportError as exc:
        raise BackendUnavailable(
            "LanguageTool support needs language-tool-python: `pip install language-tool-python`. " + GET_IT
        ) from exc
    return language_tool_python


def normalise_url(url: str) -> str:
    """The server's base URL ending in "/" (without "/v2"), as language-tool-python wants it."""
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        if "://" in url:
            raise BackendUnavailable(f"--languagetool-url {url}: only http:// and https:// URLs are supported.")
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        raise BackendUnavailable(f"--languagetool-url {url}: no host name in the URL.")
    path = re.sub(r"/v2(?:/(?:check|languages)?)?/?$", "", parts.path).rstrip("/") + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


# --- a local server from an install -------------------------------------------------

def java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        m = re.search(r"(?:openjdk|java) (\d+)(?:\.(\d+))?", out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    if major == 1 and m.group(2):  # "1.8.0" style
        major = int(m.group(2))
    return major


def find_java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / ("java.exe" if os.name == "nt" else "java")
        if candidate.is_file():
            return str(candidate)
    return shutil.which("java")


def find_server_jar(directory: str | Path) -> Path | None:
    """languagetool-server.jar in ``directory`` or in a LanguageTool-* folder inside it."""
    base = Path(directory).expanduser()
    candidates = [base / "languagetool-server.jar"]
    if base.is_dir():
        candidates += sorted(base.glob("LanguageTool*/languagetool-server.jar"), reverse=True)
    for jar in candidates:
        if jar.is_file():
            return jar
    return None


def downloaded_installs() -> list[Path]:
    """Folders where language-tool-python keeps (or was told to use) a LanguageTool, without creating any."""
    found = []
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        found.append(Path(jar_dir))
    cache = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    if cache.is_dir():
        found.extend(sorted((p for p in cache.glob("LanguageTool*") if p.is_dir()), reverse=True))
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """LanguageTool's HTTP server started from a jar, on loopback, stopped at exit."""

    def __init__(self, jar: Path, java: str) -> None:
        self.jar = jar
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        # without --public, LanguageTool's HTTPServer accepts connections from localhost only
        self.process = subprocess.Popen(
            [java, "-cp", str(jar), "org.languagetool.server.HTTPServer", "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        atexit.register(self.stop)

    def wait_ready(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (self.process.stderr.read() if self.process.stderr else "")[-800:]
                raise BackendUnavailable(
                    f"LanguageTool at {self.jar.parent} exited while starting (code {self.process.returncode}): "
                    f"{err.strip() or 'no output'}. " + GET_IT)
            try:
                with opener.open(self.url + "v2/languages", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise BackendUnavailable(f"LanguageTool at {self.jar.parent} did not start within {timeout:.0f} s.")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def local_server(options: Options) -> LocalServer:
    if options.languagetool_dir:
        jar = find_server_jar(options.languagetool_dir)
        if jar is None:
            raise BackendUnavailable(
                f"--languagetool-dir {options.languagetool_dir}: no languagetool-server.jar there "
                "(point it at the unpacked LanguageTool-x.y folder). " + GET_IT)
    else:
        jar = next((j for d in downloaded_installs() if (j := find_server_jar(d)) is not None), None)
        if jar is None:
            raise BackendUnavailable(
                "--grammar languagetool: no LanguageTool server URL was given and no local LanguageTool "
                "is installed. " + GET_IT)
    java = find_java()
    if java is None:
        raise BackendUnavailable(
            f"LanguageTool found at {jar.parent} but Java is not installed: it needs Java >= 17 "
            "(e.g. `apt install openjdk-17-jre-headless`). Or give --languagetool-url.")
    major = java_major(java)
    if major is None or major < 17:
        raise BackendUnavailable(
            f"LanguageTool found at {jar.parent} needs Java >= 17; {java} is "
            f"{'of unknown version' if major is None else f'Java {major}'}. Install Java 17 or newer "
            "(or set JAVA_HOME), or give --languagetool-url.")
    key = str(jar.resolve())
    with _LOCK:
        server = _SERVERS.get(key)
        if server is None or server.process.poll() is not None:
            server = LocalServer(jar, java)
            _SERVERS[key] = server
            try:
                server.wait_ready()
            except BackendUnavailable:
                _SERVERS.pop(key, None)
                raise
    return server


# --- the check ------------------------------------------------------------------------

def client_for(url: str, dialect: str) -> tuple[Any, str]:
    """A language-tool-python client for the server at ``url`` (cached per process)."""
    ltp = _import_client()
    with _LOCK:
        cached = _CLIENTS.get((url, dialect))
        if cached is not None:
            return cached
        # A loopback server is reached directly, never through a proxy from the environment.
        proxies = {"http": None, "https": None} if is_loopback(url) else None
        try:
            client = ltp.LanguageTool("en", remote_server=url, proxies=proxies)
            available = {str(code) for code in client.language.languages}
        except ValueError as exc:  # the server lists no English at all
            raise BackendUnavailable(f"The LanguageTool server at {url} does not offer English.") from exc
        except Exception as exc:  # connection refused, bad JSON, HTTP errors: all mean "not usable"
            raise BackendUnavailable(
                f"No LanguageTool server answered at {url} ({type(exc).__name__}: {_short(exc)}). "
                "Check that the server runs and the URL is right. " + GET_IT) from exc
        language = next((c for c in LANGUAGES[dialect] if c in available), "en")
        if language != "en":
            client.language = language
        _CLIENTS[(url, dialect)] = (client, language)
        return client, language


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else "")[:300]


class LanguageToolCheck:
    name = "languagetool"
    scope = "document"

    def __init__(self, url: str, dialect: str = "us", *, names: bool = True) -> None:
        self.url = url
        self.dialect = dialect
        self.names = names
        self._lock = threading.Lock()

    @classmethod
    def for_options(cls, options: Options) -> "LanguageToolCheck":
        _import_client()
        if options.languagetool_url:
            url = normalise_url(options.languagetool_url)
        else:
            url = local_server(options).url
        check = cls(url, options.dialect)
        client_for(url, options.dialect)  # fail now, clearly, rather than mid-run
        return check

    def raw_matches(self, text: str) -> list[Any]:
        client, _ = client_for(self.url, self.dialect)
        try:
            with self._lock:
                return list(client.check(text))
        except Exception as exc:
            raise BackendUnavailable(
                f"The LanguageTool server at {self.url} failed to check the text "
                f"({type(exc).__name__}: {_short(exc)}).") from exc

    def check(self, text: str, options: Options) -> list[Finding]:
        if not text.strip():
            return []
        findings: list[Finding] = []
        positions = Utf16Positions(text)
        for match in self.raw_matches(text):
            finding = to_finding(text, match, positions)
            if finding is not None and options.enabled(finding.rule):
                findings.append(finding)
        if self.names:
            from ..names import suppress_names

            findings = suppress_names(text, findings, options)
        return findings


class Utf16Positions:
    """Converts between code point indices of ``text`` and UTF-16 code unit offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        # code point indices of characters outside the BMP (two UTF-16 units each)
        self.astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]

    def to_utf16(self, cp: int) -> int:
        return cp + bisect_left(self.astral, cp)

    def to_code_points(self, u16: int) -> int:
        """The code point index of UTF-16 offset ``u16`` (inside a pair: the character after it)."""
        lo, hi = 0, len(self.text)
        while lo < hi:  # smallest cp with to_utf16(cp) >= u16
            mid = (lo + hi) // 2
            if self.to_utf16(mid) < u16:
                lo = mid + 1
            else:
                hi = mid
        return lo


def match_span(text: str, match: Any, positions: Utf16Positions) -> Span | None:
    """The code point span of a language-tool-python Match.

    ``match.offset`` is already in code points (language-tool-python corrects it);
    ``match.error_length`` is still in UTF-16 units.
    """
    start = int(match.offset)
    if not 0 <= start <= len(text):
        return None
    end = positions.to_code_points(positions.to_utf16(start) + int(match.error_length))
    if end > len(text):
        return None
    return Span(start, end)


def rule_id(match: Any) -> str:
    category = re.sub(r"[^\w-]", "_", str(getattr(match, "category", "") or "MISC"))
    rule = re.sub(r"[^\w-]", "_", str(match.rule_id))
    return f"languagetool.{category}.{rule}"


def to_finding(text: str, match: Any, positions: Utf16Positions) -> Finding | None:
    span = match_span(text, match, positions)
    if span is None:
        return None
    span_text = text[span.start:span.end]
    rid = rule_id(match)
    issue = str(getattr(match, "rule_issue_type", "") or "").lower()
    severity = SEVERITY.get(issue, DEFAULT_SEVERITY)
    replacements = [r for r in dict.fromkeys(match.replacements or []) if r != span_text]
    message = str(match.message)
    fix = None
    if replacements:
        fix = Edit(span, replacements[0], rid, "suggest")
        others = replacements[1:1 + MAX_ALTERNATIVES]
        if others:
            message = f"{message} (other suggestions: {', '.join(repr(r) for r in others)})"
    return Finding(rid, "languagetool", severity, message, span, span_text, fix, ("languagetool",))


def stop_servers() -> None:
    """Stop every LanguageTool server this process started (they also stop at exit)."""
    with _LOCK:
        for server in _SERVERS.values():
            server.stop()
        _SERVERS.clear()
        _CLIENTS.clear()
