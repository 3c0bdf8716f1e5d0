"""A bounded HTTP client for servers we do not control (the LanguageTool back end).

Whatever listens at the URL a user gives may accept a connection and never answer,
answer one byte at a time, or send 50 MB. Every request made here is therefore
bounded three ways:

* ``timeout``: the longest wait for a connection, and for each piece of the answer;
* ``end``: a :func:`time.monotonic` instant by which the whole request must be done,
  whatever the server does (a watchdog shuts the socket down at that instant, which
  also ends a reply dribbled out byte by byte, headers included);
* ``max_bytes``: the largest answer read (a bigger ``Content-Length`` is refused
  before reading, a longer body is cut off and refused).

Failures raise :class:`HttpError` with a ``kind`` and a short English ``detail``;
the caller words the message. Proxies from the environment (``HTTP_PROXY``,
``HTTPS_PROXY``, ``NO_PROXY``) are used for servers that are not on loopback, as
before; loopback addresses are always reached directly.
"""
from __future__ import annotations

import base64
import functools
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

CHUNK = 64 * 1024


class HttpError(Exception):
    """A request that failed; ``kind`` is one of the constants below."""

    REFUSED = "refused"            # no connection (refused, unreachable, unknown host)
    CONNECT_TIMEOUT = "connect-timeout"
    READ_TIMEOUT = "read-timeout"  # connected, then nothing arrived for ``timeout`` seconds
    DEADLINE = "deadline"          # the run's total time ran out
    TOO_LARGE = "too-large"
    STATUS = "status"              # an HTTP status other than 200 (``status``, ``body`` set)
    PROTOCOL = "protocol"          # not HTTP, connection dropped, unsupported encoding or proxy

    def __init__(self, kind: str, detail: str, *, status: int = 0, body: bytes = b"") -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.status = status
        self.body = body


class _Watchdog:
    """Shuts the request's socket down at ``end``: a blocked read returns at once."""

    def __init__(self, end: float) -> None:
        self.fired = False
        self.sock: socket.socket | None = None
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, end - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, sock: Any) -> Any:
        with self._lock:
            self.sock = sock
            if self.fired:
                _shutdown(sock)
        return sock

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            if self.sock is not None:
                _shutdown(self.sock)

    def disarm(self) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()


def _shutdown(sock: Any) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watched_connection(watch: _Watchdog, address: tuple[str, int], timeout: Any = None,
                        source_address: Any = None) -> socket.socket:
    return watch.attach(socket.create_connection(address, timeout, source_address))


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int | None, *, timeout: float, watch: _Watchdog) -> None:
        super().__init__(host, port, timeout=timeout)
        self._create_connection = functools.partial(_watched_connection, watch)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, *, timeout: float, watch: _Watchdog) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._watch = watch
        self._create_connection = functools.partial(_watched_connection, watch)

    def connect(self) -> None:
        # as http.client does, but the TLS socket is watched before its handshake starts
        http.client.HTTPConnection.connect(self)
        server_hostname = self._tunnel_host or self.host  # type: ignore[attr-defined]
        sock = self._context.wrap_socket(self.sock, server_hostname=server_hostname,  # type: ignore[attr-defined]
                                         do_handshake_on_connect=False)
        self.sock = self._watch.attach(sock)
        sock.do_handshake()


def is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def _proxy_for(parts: urllib.parse.SplitResult) -> urllib.parse.SplitResult | None:
    host = parts.hostname or ""
    if is_loopback(host):
        return None
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy
    found = urllib.parse.urlsplit(proxy)
    if found.scheme != "http" or not found.hostname:
        raise HttpError(HttpError.PROTOCOL, f"the {parts.scheme} proxy from the environment is not an http:// "
                                            "proxy, which is all that is supported")
    return found


def _proxy_auth(proxy: urllib.parse.SplitResult) -> dict[str, str]:
    if proxy.username is None:
        return {}
    user = urllib.parse.unquote(proxy.username)
    password = urllib.parse.unquote(proxy.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Proxy-Authorization": f"Basic {token}"}


def request(url: str, form: dict[str, str] | None = None, *, timeout: float, end: float,
            max_bytes: int, user_agent: str = "ungarble") -> bytes:
    """The body of a 200 answer to GET ``url`` (or POST of ``form``), within the bounds."""
    if time.monotonic() >= end:
        raise HttpError(HttpError.DEADLINE, "no time was left for another request")
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise HttpError(HttpError.PROTOCOL, "only http:// and https:// URLs are supported")
    try:
        port = parts.port
    except ValueError:
        raise HttpError(HttpError.PROTOCOL, "the port in the URL is not a number") from None
    proxy = _proxy_for(parts)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = {"Accept": "application/json", "Accept-Encoding": "identity", "User-Agent": user_agent}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"

    watch = _Watchdog(end)
    cls = _HTTPSConnection if scheme == "https" else _HTTPConnection
    # connect and each read wait at most ``timeout``; the watchdog ends everything at ``end``
    wait = max(0.001, min(timeout, end - time.monotonic()))
    if proxy is None:
        conn = cls(parts.hostname, port, timeout=wait, watch=watch)
    elif scheme == "https":
        # _proxy_for returns a proxy with a host name
        conn = cls(proxy.hostname, proxy.port or 80, timeout=wait, watch=watch)  # type: ignore[arg-type]
        conn.set_tunnel(parts.hostname, port or 443, headers=_proxy_auth(proxy))
    else:
        # _proxy_for returns a proxy with a host name
        conn = cls(proxy.hostname, proxy.port or 80, timeout=wait, watch=watch)  # type: ignore[arg-type]
        target = urllib.parse.urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))
        headers.update(_proxy_auth(proxy))
    try:
        try:
            conn.request("POST" if form is not None else "GET", target, body=body, headers=headers)
            if watch.sock is not None:
                watch.sock.settimeout(timeout)   # reads: ``timeout`` each (the watchdog caps the total)
            response = conn.getresponse()
            data = _read(response, max_bytes)
            if watch.fired:   # the shut-down socket may read as a clean end of the answer
                raise HttpError(HttpError.DEADLINE, "the time ran out")
        except HttpError:
            raise
        except (TimeoutError, socket.timeout) as exc:
            if watch.fired or time.monotonic() >= end:
                raise HttpError(HttpError.DEADLINE, "the time ran out") from exc
            if watch.sock is None:
                raise HttpError(HttpError.CONNECT_TIMEOUT, "no connection") from exc
            raise HttpError(HttpError.READ_TIMEOUT, "no data") from exc
        except (OSError, http.client.HTTPException) as exc:
            if watch.fired:
                raise HttpError(HttpError.DEADLINE, "the time ran out") from exc
            if watch.sock is None:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
                raise HttpError(HttpError.REFUSED, str(reason).lower()) from exc
            raise HttpError(HttpError.PROTOCOL, _describe(exc)) from exc
    finally:
        watch.disarm()
        conn.close()
    if response.status != 200:
        raise HttpError(HttpError.STATUS, f"HTTP {response.status}", status=response.status, body=data)
    return data


def _describe(exc: BaseException) -> str:
    if isinstance(exc, http.client.RemoteDisconnected):
        return "it closed the connection without answering"
    if isinstance(exc, http.client.IncompleteRead):
        return "the answer was cut short"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or type(exc).__name__})"
    if isinstance(exc, (http.client.BadStatusLine, http.client.LineTooLong, http.client.HTTPException)):
        return "the answer is not HTTP"
    if isinstance(exc, ConnectionError):
        return "the connection was dropped"
    return type(exc).__name__


def _read(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise HttpError(HttpError.PROTOCOL, "the answer is compressed although no compression was asked for")
    length = response.getheader("Content-Length")
    if length is not None and length.strip().isdigit() and int(length) > max_bytes:
        raise HttpError(HttpError.TOO_LARGE, f"it announced {int(length):,} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise HttpError(HttpError.TOO_LARGE, "it sent more")
        chunks.append(chunk)
    if response.length:   # http.client takes a connection closed early for the end of the body
        raise HttpError(HttpError.PROTOCOL, "the answer was cut short")
    return b"".join(chunks)
