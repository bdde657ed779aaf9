"""Remote answers are untrusted: size, time from connect to last byte, no entity expansion.

A hostile loopback server answers ``lowcarbon query --endpoint`` with an entity bomb, a
trickle of one byte every :data:`GAP` seconds (in the headers or in the body), a huge or
compressed answer, a redirect or an error. Each ends as a clear error (exit 2) within the
time allowed. The trickle tests allow :data:`DEADLINE` seconds: each gap is well inside the
client's per-read timeout, so only the deadline on the whole exchange can end them, and a
whole trickled answer would take over ten times the deadline.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from lowcarbon.cli import main
from lowcarbon.errors import exit_code_for
from lowcarbon.query import QueryError, QueryTimeoutError, run_query_remote
from lowcarbon.query.remote import RemoteError, RemoteTimeoutError, client, redact, request
from servers import Listener

RESULTS = json.dumps(
    {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}
).encode()
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="n"/></head>
<results><result><binding name="n"><literal>&lol9;</literal></binding></result></results></sparql>
"""
#: Seconds between two bytes of a trickle, and the deadline the trickle tests set.
GAP = 0.1
DEADLINE = 0.5


def _head(status: str, ctype: str, length: int | None, extra: str = "") -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class _Hostile(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1].decode()
        mode = path.strip("/").split("?")[0]
        with contextlib.suppress(OSError):  # the client gave up: the point of most modes
            self.answer(sock, mode)

    def answer(self, sock: socket.socket, mode: str) -> None:
        json_type = "application/sparql-results+json"
        if mode == "ok":
            sock.sendall(_head("200 OK", json_type, len(RESULTS)) + RESULTS)
        elif mode == "stream":  # no Content-Length: the body runs to the end of the connection
            sock.sendall(_head("200 OK", json_type, None) + RESULTS * 100)
        elif mode == "bomb":
            sock.sendall(_head("200 OK", "application/sparql-results+xml", len(BOMB)) + BOMB)
        elif mode == "trickle-body":
            sock.sendall(_head("200 OK", json_type, len(RESULTS)))
            for byte in RESULTS:
                sock.sendall(bytes([byte]))
                time.sleep(GAP)
        elif mode == "trickle-head":
            for byte in _head("200 OK", json_type, len(RESULTS)):
                sock.sendall(bytes([byte]))
                time.sleep(GAP)
        elif mode == "big":
            sock.sendall(_head("200 OK", json_type, 10**12))
            time.sleep(5)
        elif mode == "gzip":
            body = gzip.compress(RESULTS)
            sock.sendall(_head("200 OK", json_type, len(body), "Content-Encoding: gzip") + body)
        elif mode == "redirect":
            sock.sendall(_head("302 Found", "text/plain", 0, f"Location: {self.server.target}"))  # type: ignore[attr-defined]
        elif mode == "error":
            body = b"the store is on fire"
            sock.sendall(_head("500 Internal Server Error", "text/plain", len(body)) + body)
        elif mode == "garbage":
            body = b"{not json"
            sock.sendall(_head("200 OK", json_type, len(body)) + body)


class HostileServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    target = ""


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    srv = HostileServer(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


Q = "SELECT (1 AS ?n) WHERE {}"


def test_a_good_answer_is_read(hostile: str) -> None:
    res = run_query_remote(f"{hostile}/ok", Q, timeout=10)
    assert [[t.value for t in row] for row in res.rows] == [["1"]]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("ok", None),
        ("bomb", "DOCTYPE or ENTITY declaration; refused"),
        ("garbage", "does not parse"),
        ("error", "HTTP 500 the store is on fire"),
        ("trickle-body", r"within 0\.5 s"),
    ],
)
def test_in_process_gives_what_the_child_gives(hostile: str, mode: str, error: str | None) -> None:
    """``in_process=True`` (tests against trusted servers use it): same answers, same errors."""

    def outcome(in_process: bool) -> object:
        try:
            res = run_query_remote(
                f"{hostile}/{mode}", Q, timeout=DEADLINE if "trickle" in mode else 10,
                in_process=in_process,
            )  # fmt: skip
        except QueryError as exc:
            return type(exc), str(exc)
        return res.variables, [[t.value for t in row] for row in res.rows]  # type: ignore[union-attr]

    child, here = outcome(False), outcome(True)
    assert here == child
    if error is None:
        assert here == (("n",), [["1"]])
    else:
        kind, message = here  # type: ignore[misc]
        assert re.search(error, message), message
        assert kind is (QueryTimeoutError if "trickle" in mode else QueryError)


def test_an_entity_bomb_is_refused_before_parsing(hostile: str) -> None:
    start = time.monotonic()
    with pytest.raises(QueryError, match="DOCTYPE or ENTITY declaration; refused") as e:
        run_query_remote(f"{hostile}/bomb", Q, timeout=10)
    assert exit_code_for(e.value) == 2
    assert time.monotonic() - start < 8


def test_a_whole_trickle_takes_far_longer_than_the_deadline() -> None:
    """The premise of the trickle tests: sent whole, each answer takes ten deadlines or more."""
    assert min(len(RESULTS), len(_head("200 OK", "x", len(RESULTS)))) * GAP > 10 * DEADLINE
    assert GAP * 3 < DEADLINE


@pytest.mark.parametrize("mode", ["trickle-body", "trickle-head"])
def test_a_trickle_ends_as_a_timeout(hostile: str, mode: str) -> None:
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"within 0\.5 s|longer than 0\.5 s") as e:
        run_query_remote(f"{hostile}/{mode}", Q, timeout=DEADLINE)
    assert exit_code_for(e.value) == 2
    assert time.monotonic() - start < DEADLINE + 4  # the child's start and its 2-s grace


def test_the_deadline_covers_the_whole_exchange_in_process(hostile: str) -> None:
    """The library call on its own (no child process): the watchdog ends a header trickle.

    Each read has 30 s, so only the deadline on the whole exchange can stop it in time.
    """
    start = time.monotonic()
    with client(30) as http, pytest.raises(RemoteTimeoutError, match=r"within 0\.5 s"):
        request(http, "GET", f"{hostile}/trickle-head", timeout=DEADLINE)
    assert time.monotonic() - start < DEADLINE + 2


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("big", "the answer is 1000000000000 bytes"),
        ("gzip", "compressed answers are not accepted"),
        ("redirect", "HTTP 302"),
        ("error", "HTTP 500 the store is on fire"),
        ("garbage", "does not parse"),
    ],
)
def test_bad_answers_are_clear_errors(hostile: str, mode: str, message: str) -> None:
    with Listener() as listener:
        HostileServer.target = f"{listener.url}/elsewhere"
        with pytest.raises(QueryError, match=message) as e:
            run_query_remote(f"{hostile}/{mode}", Q, timeout=10)
        assert exit_code_for(e.value) == 2
        assert listener.connections() == 0  # a redirect is never followed


def test_a_streamed_answer_past_the_cap_is_cut(hostile: str) -> None:
    with client(10) as http, pytest.raises(RemoteError, match="larger than 1000 bytes"):
        request(http, "GET", f"{hostile}/stream", timeout=10, max_bytes=1000)


def test_cli_timeout_is_a_clean_error(hostile: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["query", "--endpoint", f"{hostile}/trickle-body", "--timeout", str(DEADLINE), Q]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ("within 0.5 s" in err or "longer than 0.5 s" in err), err


def test_credentials_never_show(capsys: pytest.CaptureFixture[str]) -> None:
    url = "http://alice:s3cret@127.0.0.1:9/sparql"
    assert main(["query", "--endpoint", url, Q]) == 2
    err = capsys.readouterr().err
    assert "s3cret" not in err and "alice" not in err and "***@127.0.0.1:9" in err
    assert main(["load", url, "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "s3cret" not in err and "credentials in the URL are refused" in err
    assert redact("ftp://u:p@h/x") == "ftp://***@h/x"
    with pytest.raises(QueryError) as e:
        run_query_remote("ftp://bob:hunter2@example.org/", Q)
    assert "hunter2" not in str(e.value)


def test_unreachable_endpoint_says_so() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(QueryError, match="ConnectError"):
            run_query_remote(f"http://127.0.0.1:{port}/sparql", Q, timeout=5)


def test_httpx_is_the_client() -> None:
    with client(1) as http:
        assert isinstance(http, httpx.Client)
        assert http.follow_redirects is False
