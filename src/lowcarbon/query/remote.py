"""HTTP to remote SPARQL stores: one client (httpx), every answer capped in size and time.

A remote answer is untrusted input. Each response is read as a stream under a deadline that
runs from before the connection to the last byte, and refused past :data:`MAX_ANSWER_BYTES`;
an XML answer that declares a DOCTYPE or an entity is refused before any parser sees it
(a 1 KB entity bomb once grew the process to 19.5 GB). Redirects are not followed, proxies and
``.netrc`` from the environment are not used, and credentials (from the environment only)
answer a basic or digest challenge. URLs in messages never show userinfo.
"""

from __future__ import annotations

import os
import re
import threading
import time
import urllib.parse
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lowcarbon.errors import RemoteError, RemoteTimeoutError

if TYPE_CHECKING:  # httpx is imported where it is used: a local query never pays for it
    import httpx

__all__ = [
    "MAX_ANSWER_BYTES",
    "PASSWORD_ENV",
    "USER_ENV",
    "Answer",
    "RemoteError",
    "RemoteTimeoutError",
    "client",
    "redact",
    "refuse_xml_entities",
    "request",
    "require_http",
]

#: Environment variables holding the credentials for remote stores (never the command line).
USER_ENV = "LOWCARBON_ENDPOINT_USER"
PASSWORD_ENV = "LOWCARBON_ENDPOINT_PASSWORD"  # noqa: S105 - a variable name, not a password
#: Largest answer read from a remote server, in bytes.
MAX_ANSWER_BYTES = 256 * 1024 * 1024
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def redact(url: str) -> str:
    """``url`` without its userinfo (``http://***@host/``), for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


def require_http(url: str) -> str:
    """``url`` if it is an http(s) URL without credentials; a :class:`RemoteError` otherwise."""
    try:
        parts = urllib.parse.urlsplit(url)
        hostname = parts.hostname
        has_userinfo = parts.username is not None or parts.password is not None
    except ValueError as exc:
        raise RemoteError(f"{redact(url)!r}: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise RemoteError(f"{redact(url)!r}: expected an http:// or https:// URL")
    if has_userinfo:
        raise RemoteError(
            f"{redact(url)!r}: credentials in the URL are refused; "
            f"set {USER_ENV} and {PASSWORD_ENV} instead"
        )
    return url


def _challenge_auth(user: str, password: str) -> httpx.Auth:
    import httpx

    class ChallengeAuth(httpx.Auth):
        """Answer a 401 with basic or digest credentials, whichever the server asks for."""

        requires_request_body = True

        def __init__(self, user: str, password: str) -> None:
            self.user, self.password = user, password

        def auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            response = yield request
            if response.status_code != 401:
                return
            scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
            flow: httpx.Auth
            if scheme == "digest":
                flow = httpx.DigestAuth(self.user, self.password)
            elif scheme == "basic":
                flow = httpx.BasicAuth(self.user, self.password)
            else:
                return
            yield from flow.auth_flow(request)

    return ChallengeAuth(user, password)


def client(timeout: float) -> httpx.Client:
    """An httpx client: no redirects, nothing from the environment, credentials on challenge.

    ``timeout`` bounds each network operation; :func:`request` bounds the whole exchange.
    """
    import httpx

    user = os.environ.get(USER_ENV)
    password = os.environ.get(PASSWORD_ENV)
    auth = _challenge_auth(user, password) if user and password is not None else None
    return httpx.Client(
        auth=auth,
        headers={"Accept-Encoding": "identity"},  # an answer is read as sent, never inflated
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
    )


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer that arrived in time and within the size limit."""

    status: int
    media_type: str
    body: bytes


def request(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    timeout: float,
    content: bytes | None = None,
    data: Sequence[tuple[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_ANSWER_BYTES,
) -> Answer:
    """Send one request; the answer, read completely within ``timeout`` seconds of now.

    The deadline covers connecting, the headers and every byte of the body, however slowly
    the server sends them: a watchdog closes the client when it passes. Raises
    :class:`RemoteTimeoutError` past it, :class:`RemoteError` for an answer larger than
    ``max_bytes``, a status other than 2xx (redirects are not followed), or a network failure.
    """
    import httpx

    start = time.monotonic()
    deadline = start + timeout
    where = f"{method} {redact(url)}"
    body = content
    send_headers = dict(headers or {})
    if data is not None:
        body = urllib.parse.urlencode(list(data)).encode("utf-8")
        send_headers["Content-Type"] = "application/x-www-form-urlencoded"
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        http.close()

    watchdog = threading.Timer(timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        with http.stream(method, url, content=body, headers=send_headers) as resp:
            declared = resp.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise RemoteError(f"{where}: the answer is {declared} bytes; at most {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_raw():
                size += len(chunk)
                if size > max_bytes:
                    raise RemoteError(f"{where}: the answer is larger than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise RemoteTimeoutError(f"{where}: no complete answer within {timeout:g} s")
                chunks.append(chunk)
            payload = b"".join(chunks)
            if resp.headers.get("Content-Encoding", "identity") not in ("identity", ""):
                raise RemoteError(f"{where}: compressed answers are not accepted")
            media = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            status = resp.status_code
    except RemoteError:
        raise
    except (httpx.HTTPError, RuntimeError, OSError) as exc:  # a closed client: RuntimeError
        if expired.is_set() or time.monotonic() > deadline:
            raise RemoteTimeoutError(f"{where}: no complete answer within {timeout:g} s") from None
        raise RemoteError(f"{where}: {type(exc).__name__}: {redact(str(exc))}") from None
    finally:
        watchdog.cancel()
    if expired.is_set():
        raise RemoteTimeoutError(f"{where}: no complete answer within {timeout:g} s")
    if not 200 <= status < 300:
        detail = payload[:300].decode("utf-8", "replace").strip()
        if 300 <= status < 400:
            detail = "(redirects are not followed: give the final URL)"
        raise RemoteError(f"{where}: HTTP {status} {detail}", status=status)
    return Answer(status, media, payload)


def refuse_xml_entities(answer: Answer, where: str) -> None:
    """Refuse an XML answer that declares a DOCTYPE or an entity (no expansion, no bombs)."""
    if "xml" in answer.media_type and _XML_DECLARATIONS.search(answer.body):
        raise RemoteError(
            f"{redact(where)} sent XML with a DOCTYPE or ENTITY declaration; refused "
            "(entity expansion is never done)"
        )
