"""LanguageTool back end (``--grammar languagetool``), over LanguageTool's HTTP API.

Where the text goes is the user's choice and nobody else's:

* ``Options.languagetool_url`` (``--languagetool-url``): a server the user runs or
  names. Text is sent there and nowhere else.
* ``Options.languagetool_dir`` (``--languagetool-dir``): an unpacked LanguageTool
  (the folder holding ``languagetool-server.jar``). We start its HTTP server on a
  free loopback port with Java >= 17, and stop it when the process ends.
* otherwise an install language-tool-python downloaded earlier (in ``$LTP_PATH`` or
  ``~/.cache/language_tool_python``, or ``$LTP_JAR_DIR_PATH``), started the same way.

Nothing is ever downloaded here. When no server can be had the check raises
:class:`BackendUnavailable` saying what is missing and how to get it.

The server is outside our control, so it is spoken to with :mod:`repair.checks.lthttp`
(``GET /v2/languages``, ``POST /v2/check``): every request has a connect and read
timeout (``--languagetool-timeout``), all requests of a run share one total deadline
(``--languagetool-deadline``), and an answer is read up to :data:`MAX_RESPONSE_BYTES`.
Every match is validated before it becomes a finding (offsets within the text, strings
that are strings of sane length without control characters, at most
:data:`MAX_MATCHES`); one bad match fails the check with :class:`BackendUnavailable`
rather than becoming an edit. Server text in error messages is shown escaped.

LanguageTool counts offsets and lengths in UTF-16 units; spans are rebuilt here from
UTF-16 positions into code points of the text given.
"""
from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..model import Edit, Finding, Severity, Span
from ..options import Options
from ..terminal import visible
from ..version import __version__
from . import BackendUnavailable, Check, Run, current_run
from .lthttp import is_loopback as _loopback_host

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

DEFAULT_TIMEOUT = Options.languagetool_timeout     # seconds: connecting, and each wait for data
DEFAULT_DEADLINE = Options.languagetool_deadline   # seconds: all requests of a run together
MAX_RESPONSE_BYTES = 5 * 1024 * 1024  # one answer; a bigger one is an error
MAX_MATCHES = 10_000                  # matches in one answer
MAX_REPLACEMENT = 1_000               # characters in a replacement (or twice the span, when longer)
MAX_MESSAGE = 5_000                   # characters in a message
MAX_ID = 200                          # characters in a rule id, category or issue type
# what no grammar checker suggests or says: C0 controls but tab and line breaks, DEL, C1
# controls, bidirectional embeddings, overrides and isolates, and lone surrogates
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

GET_IT = (
    "Give --languagetool-url URL of a LanguageTool server you run, or --languagetool-dir DIR of an "
    "unpacked LanguageTool (https://languagetool.org/download/, needs Java >= 17), or download it "
    "once (about 260 MB) with `python -c \"from language_tool_python.download_lt import "
    "LocalLanguageTool; LocalLanguageTool.from_version_name().download()\"`. "
    "Or use --grammar harper (offline, no Java)."
)

_LANGUAGES: dict[tuple[str, str], str] = {}   # (url, dialect) -> the language code asked for
_SERVERS: dict[str, "LocalServer"] = {}
_LOCK = threading.Lock()


def normalise_url(url: str) -> str:
    """The server's base URL ending in "/" (without "/v2")."""
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        if "://" in url:
            raise _unavailable(f"--languagetool-url {url}: only http:// and https:// URLs are supported.")
        url = "http://" + url
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        raise _unavailable(f"--languagetool-url {url}: no host name in the URL.")
    try:
        parts.port
    except ValueError:
        raise _unavailable(f"--languagetool-url {url}: the port is not a number from 0 to 65535.") from None
    path = re.sub(r"/v2(?:/(?:check|languages)?)?/?$", "", parts.path).rstrip("/") + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def is_loopback(url: str) -> bool:
    return _loopback_host(urllib.parse.urlsplit(url).hostname or "")


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
                raise _unavailable(
                    f"LanguageTool at {self.jar.parent} exited while starting (code {self.process.returncode}): "
                    f"{err.strip() or 'no output'}. " + GET_IT)
            try:
                with opener.open(self.url + "v2/languages", timeout=2) as r:
                    if r.status == 200:
                        self.warm_up(deadline)
                        return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise _unavailable(f"LanguageTool at {self.jar.parent} did not start within {timeout:.0f} s.")

    def warm_up(self, end: float) -> None:
        """Check a sentence once, so that loading the English rules (seconds) happens during the
        start-up rather than in the run's deadline. A failure here is left to the real check to report."""
        from .lthttp import HttpError, request

        try:
            request(self.url + "v2/check", {"text": "This is a sentence.", "language": "en-US"},
                    timeout=max(1.0, end - time.monotonic()), end=end, max_bytes=MAX_RESPONSE_BYTES)
        except HttpError:
            pass

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
            raise _unavailable(
                f"--languagetool-dir {options.languagetool_dir}: no languagetool-server.jar there "
                "(point it at the unpacked LanguageTool-x.y folder). " + GET_IT)
    else:
        jar = next((j for d in downloaded_installs() if (j := find_server_jar(d)) is not None), None)
        if jar is None:
            raise _unavailable(
                "--grammar languagetool: no LanguageTool server URL was given and no local LanguageTool "
                "is installed. " + GET_IT)
    java = find_java()
    if java is None:
        raise _unavailable(
            f"LanguageTool found at {jar.parent} but Java is not installed: it needs Java >= 17 "
            "(e.g. `apt install openjdk-17-jre-headless`). Or give --languagetool-url.")
    major = java_major(java)
    if major is None or major < 17:
        raise _unavailable(
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

class InvalidMatch(ValueError):
    """A match from the server that cannot be a finding (the message says why)."""


def _unavailable(message: str) -> BackendUnavailable:
    """The one-line error for the CLI; text from the server (and the URL) shown escaped."""
    return BackendUnavailable(visible(message))


def _excerpt(data: bytes, limit: int = 160) -> str:
    text = data[:limit * 4].decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return (text[:limit] + "...") if len(text) > limit else text


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _request(url: str, form: dict[str, str] | None, limits: "Limits", end: float, what: str) -> Any:
    """The JSON answer to one request, or BackendUnavailable saying in one line what went wrong."""
    from .lthttp import HttpError, request

    try:
        data = request(url, form, timeout=limits.timeout, end=end, max_bytes=MAX_RESPONSE_BYTES,
                       user_agent=f"ungarble/{__version__}")
    except HttpError as exc:
        base = urllib.parse.urljoin(url, "..")  # the server's URL, as the user gave it
        if exc.kind == HttpError.REFUSED:
            raise _unavailable(
                f"No LanguageTool server answered at {base} ({exc.detail}). Check that the server runs and "
                "the URL is right. " + GET_IT) from None
        if exc.kind == HttpError.CONNECT_TIMEOUT:
            raise _unavailable(
                f"The LanguageTool server at {base} did not accept a connection within "
                f"{_seconds(limits.timeout)} (--languagetool-timeout).") from None
        if exc.kind == HttpError.READ_TIMEOUT:
            raise _unavailable(
                f"The LanguageTool server at {base} kept ungarble waiting more than {_seconds(limits.timeout)} "
                f"for data while {what} (--languagetool-timeout).") from None
        if exc.kind == HttpError.DEADLINE:
            raise _unavailable(
                f"The LanguageTool server at {base} did not finish {what} within the "
                f"{_seconds(limits.deadline)} this run allows it (--languagetool-deadline).") from None
        if exc.kind == HttpError.TOO_LARGE:
            raise _unavailable(
                f"The LanguageTool server at {base} sent too large an answer while {what} ({exc.detail}; "
                f"at most {MAX_RESPONSE_BYTES // (1024 * 1024)} MB is read).") from None
        if exc.kind == HttpError.STATUS:
            said = _excerpt(exc.body)
            raise _unavailable(
                f"The LanguageTool server at {base} failed while {what}: {exc.detail}"
                + (f" ({said})" if said else "") + ".") from None
        raise _unavailable(f"The LanguageTool server at {base} failed while {what}: {exc.detail}.") from None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        base = urllib.parse.urljoin(url, "..")
        raise _unavailable(
            f"The LanguageTool server at {base} sent something that is not LanguageTool's JSON while {what}"
            + (f": {_excerpt(data, 80)}" if data.strip() else " (an empty answer)") + ".") from None


@dataclass(frozen=True)
class Limits:
    timeout: float    # connecting, and each wait for data
    deadline: float   # every request of a run together

    @classmethod
    def of(cls, options: Options) -> "Limits":
        return cls(float(options.languagetool_timeout), float(options.languagetool_deadline))


def _end(limits: Limits, run: Any = None) -> float:
    """When the current request must be done: the run's start (or now) plus the deadline."""
    run = run if run is not None else current_run()
    started = run.start() if run is not None else time.monotonic()
    return started + limits.deadline


def _language_codes(payload: Any, url: str) -> set[str]:
    if not isinstance(payload, list):
        raise _unavailable(f"The LanguageTool server at {url} sent something that is not LanguageTool's list "
                           "of languages.")
    codes: set[str] = set()
    for entry in payload:
        if isinstance(entry, dict):
            codes.update(v for k in ("code", "longCode") if isinstance(v := entry.get(k), str))
    return codes


def language_for(url: str, dialect: str, limits: Limits, run: Any = None) -> str:
    """The language code to ask the server at ``url`` for (its list is fetched once per process)."""
    key = (url, dialect)
    with _LOCK:
        cached = _LANGUAGES.get(key)
    if cached is not None:
        return cached
    available = _language_codes(
        _request(url + "v2/languages", None, limits, _end(limits, run), "listing its languages"), url)
    if not available & {"en", *(c for codes in LANGUAGES.values() for c in codes)}:
        raise _unavailable(f"The LanguageTool server at {url} does not offer English.")
    language = next((c for c in LANGUAGES[dialect] if c in available), "en")
    with _LOCK:
        _LANGUAGES[key] = language
    return language


class LanguageToolCheck:
    name = "languagetool"
    scope: Literal["paragraph", "document"] = "document"

    def __init__(self, url: str, dialect: str = "us", *, names: bool = True,
                 limits: Limits | None = None) -> None:
        self.url = url
        self.dialect = dialect
        self.names = names
        self.limits = limits or Limits(DEFAULT_TIMEOUT, DEFAULT_DEADLINE)
        self._lock = threading.Lock()

    @classmethod
    def for_options(cls, options: Options) -> "LanguageToolCheck":
        limits = Limits.of(options)
        if options.languagetool_url:
            url = normalise_url(options.languagetool_url)
        else:
            url = local_server(options).url
        check = cls(url, options.dialect, limits=limits)
        language_for(url, options.dialect, limits)  # fail now, clearly, rather than mid-run
        return check

    def raw_matches(self, text: str) -> list[Any]:
        """The server's matches for ``text``, as its JSON holds them (not yet validated)."""
        run = current_run() or Run()  # without a run (library use) each text has a deadline of its own
        language = language_for(self.url, self.dialect, self.limits, run)
        with self._lock:
            payload = _request(self.url + "v2/check", {"text": text, "language": language}, self.limits,
                               _end(self.limits, run), "checking the text")
        matches = payload.get("matches") if isinstance(payload, dict) else None
        if not isinstance(matches, list):
            raise _unavailable(f"The LanguageTool server at {self.url} sent something that is not LanguageTool's "
                               "JSON while checking the text (no list of matches).")
        if len(matches) > MAX_MATCHES:
            raise _unavailable(f"The LanguageTool server at {self.url} sent {len(matches):,} matches for one text "
                               f"(at most {MAX_MATCHES:,} are accepted).")
        return matches

    def check(self, text: str, options: Options) -> list[Finding]:
        if not text.strip():
            return []
        positions = Utf16Positions(text)
        matches = []
        for number, raw in enumerate(self.raw_matches(text), 1):
            try:
                matches.append(validate_match(raw, text, positions))
            except InvalidMatch as exc:
                raise _unavailable(f"The LanguageTool server at {self.url} sent an invalid match "
                                   f"(match {number}: {exc}).") from None
        findings = [f for f in (to_finding(text, m) for m in matches) if options.enabled(f.rule)]
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
        self.length = len(text) + len(self.astral)   # the text's length in UTF-16 units

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


@dataclass(frozen=True)
class Match:
    """One match of LanguageTool's JSON, checked: a span of the text and plain strings."""

    span: Span
    rule: str
    category: str
    issue_type: str
    message: str
    replacements: tuple[str, ...]


def _integer(value: Any, name: str) -> int:
    if type(value) is not int:
        raise InvalidMatch(f"its {name} is {_shown(value)}, not a whole number")
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _string(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidMatch(f"its {name} is {_shown(value)}, not a string")
    if len(value) > limit:
        raise InvalidMatch(f"its {name} is {len(value):,} characters long (at most {limit:,})")
    if _UNSAFE.search(value):
        raise InvalidMatch(f"its {name} holds a control character or a lone surrogate: {_shown(value)}")
    return value


def validate_match(raw: Any, text: str, positions: Utf16Positions) -> Match:
    """A :class:`Match` from one entry of the server's ``matches``, or :class:`InvalidMatch`.

    Offsets and lengths are in UTF-16 units and must lie within the text, on character
    boundaries; strings must be strings of sane length with no control characters.
    """
    if not isinstance(raw, dict):
        raise InvalidMatch(f"it is {_shown(raw)}, not an object")
    offset = _integer(raw.get("offset"), "offset")
    length = _integer(raw.get("length"), "length")
    if offset < 0 or length < 0 or offset + length > positions.length:
        raise InvalidMatch(f"offset {offset} and length {length} are outside the text "
                           f"({positions.length} UTF-16 units)")
    start, end = positions.to_code_points(offset), positions.to_code_points(offset + length)
    if positions.to_utf16(start) != offset or positions.to_utf16(end) != offset + length:
        raise InvalidMatch(f"offset {offset} and length {length} cut a character in two")
    rule = raw.get("rule")
    if not isinstance(rule, dict):
        raise InvalidMatch(f"its rule is {_shown(rule)}, not an object")
    rule_id = _string(rule.get("id"), "rule id", MAX_ID)
    if not rule_id:
        raise InvalidMatch("its rule id is empty")
    category = rule.get("category")
    category_id = _string(category.get("id") if isinstance(category, dict) else None, "category", MAX_ID,
                          required=False)
    issue = _string(rule.get("issueType"), "issue type", MAX_ID, required=False)
    message = _string(raw.get("message"), "message", MAX_MESSAGE)
    replacements = raw.get("replacements", [])
    if not isinstance(replacements, list):
        raise InvalidMatch(f"its replacements are {_shown(replacements)}, not a list")
    limit = max(MAX_REPLACEMENT, 2 * (end - start))
    values = []
    for entry in replacements:
        if not isinstance(entry, dict):
            raise InvalidMatch(f"a replacement is {_shown(entry)}, not an object")
        values.append(_string(entry.get("value"), "replacement", limit))
    return Match(Span(start, end), rule_id, category_id, issue, message, tuple(values))


def rule_id(match: Match) -> str:
    category = re.sub(r"[^\w-]", "_", match.category or "MISC")
    rule = re.sub(r"[^\w-]", "_", match.rule)
    return f"languagetool.{category}.{rule}"


# the ids rule_id emits, for `ungarble rules`: one family (severity: by issue type, SEVERITY)
RULES = {"languagetool.*": {
    "safety": "varies", "severity": "varies", "pattern": True,
    "description": "Grammar and style from LanguageTool (--grammar languagetool); ids are languagetool.<RULE_ID>."}}


def to_finding(text: str, match: Match) -> Finding:
    span = match.span
    span_text = text[span.start:span.end]
    rid = rule_id(match)
    severity = SEVERITY.get(match.issue_type.lower(), DEFAULT_SEVERITY)
    replacements = [r for r in dict.fromkeys(match.replacements) if r != span_text]
    message = match.message
    fix = None
    if replacements:
        fix = Edit(span, replacements[0], rid, "suggest")
        others = replacements[1:1 + MAX_ALTERNATIVES]
        if others:
            message = f"{message} (other suggestions: {', '.join(repr(r) for r in others)})"
    return Finding(rid, "languagetool", severity, message, span, span_text, fix, ("languagetool",))


def build(options: Options) -> list[Check]:  # typed so that mypy checks the class against Check
    """The registry's way in (see :mod:`repair.checks.registry`)."""
    return [LanguageToolCheck.for_options(options)]

