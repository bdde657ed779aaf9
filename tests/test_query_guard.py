"""The SPARQL safety check against the engine it guards: a differential corpus and a fuzz.

Every hostile query goes in through every door (the library, ``lowcarbon query`` with the
text and on stdin, ``/sparql`` by GET, POST form and POST ``application/sparql-query``) and
must be refused (exit 2, HTTP 400/403/413) while a loopback listener records no connection.
The control tests show the corpus is live: run raw by pyoxigraph, those queries do connect.
"""

from __future__ import annotations

import contextlib
import io
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from lowcarbon.cli import main
from lowcarbon.publish.server import SiteServer, make_server
from lowcarbon.query import QueryError, QueryTooLargeError, UnsafeQueryError, run_query
from lowcarbon.query.guard import MAX_NESTING, MAX_QUERY_BYTES, check
from lowcarbon.query.named import get_query, list_queries
from servers import Listener, Project

# {u}: the listener's URL. Each case: (query, the error the check must raise).
U = UnsafeQueryError
E = QueryError
SERVICE_CASES: list[tuple[str, type[QueryError]]] = [
    ("SELECT ?s WHERE {{ SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT*{{SERVICE<{u}/>{{?s ?p ?o}}}}", U),
    ("select * {{ service <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ sErViCe <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ SERVICE SILENT <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ SERVICESILENT<{u}/> {{ ?s ?p ?o }} }}", U),  # pyoxigraph reads two words
    ("SELECT * {{ ?a ?b ?o.SERVICE<{u}/> {{ ?s ?p ?o }} }}", U),  # ?o then . then SERVICE
    ("SELECT * {{ ?a ?b 1.SERVICE<{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ BIND(1 AS ?x)SERVICE<{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ {{ ?s ?p ?o }}SERVICE<{u}/> {{ ?s ?p ?o }} }}", U),
    ("PREFIX : <{u}/> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}", U),  # SERVICE then :x
    ("PREFIX SERVICE: <{u}/> SELECT * {{ ?s ?p SERVICE:x }}", U),
    ("PREFIX ex: <http://e/> SELECT * {{ ?a ?b ex:a.SERVICE<{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ BIND(<{u}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}", U),
    # comments and line ends
    ("SELECT ?s WHERE {{ #\r SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),  # the reported hole
    ("SELECT ?s WHERE {{ #\r\nSERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT ?s WHERE {{ # x\u2028SERVICE <{u}/> {{ ?s ?p ?o }} }}", E),
    ("SELECT ?s WHERE {{ # x\u2029SERVICE <{u}/> {{ ?s ?p ?o }} }}", E),
    ("SELECT ?s WHERE {{ # x\x85SERVICE <{u}/> {{ ?s ?p ?o }} }}", E),
    ("SELECT ?s WHERE {{ \u2028SERVICE <{u}/> {{ ?s ?p ?o }} }}", E),
    ("SELECT ?s WHERE {{ #\\u000d SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT ?s WHERE {{ #\\u000A SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT ?s WHERE {{ #\\U0000000a SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT ?s WHERE {{\r\tSERVICE\r<{u}/>\r{{ ?s ?p ?o }} }}", U),
    ("\ufeffSELECT ?s WHERE {{ SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    # codepoint escapes, which SPARQL decodes before it parses
    ("SELECT * {{ \\u0053ERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ SERV\\u0049CE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ \\U00000053ERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ SERVICE\\u0020<{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ \\u005Cu0053ERVICE <{u}/> {{ ?s ?p ?o }} }}", E),  # an escape of an escape
    ('SELECT * {{ BIND("\\u0022 AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}', U),  # "" then SERVICE
    # strings and IRIs around it
    ('SELECT * {{ BIND("\\"" AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}', U),
    ('SELECT * {{ BIND("\\\\" AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}', U),
    ("SELECT * {{ BIND('''it''s''' AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ('SELECT * {{ BIND("""a"b""" AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}', U),
    ("SELECT * {{ BIND('#' AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ('SELECT * {{ BIND("x"@en AS ?x) SERVICE <{u}/> {{ ?s ?p ?o }} }}', U),
    ("SELECT * {{ ?s ?p <http://x/#> SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("SELECT * {{ ?s ?p <http://x/'> . SERVICE <{u}/> {{ ?s ?p ?o }} }}", E),
    # nested, and in every query form
    ("SELECT * {{ OPTIONAL {{ SERVICE <{u}/> {{ ?s ?p ?o }} }} }}", U),
    ("SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{u}/> {{ ?s ?p ?o }} }} }}", U),
    ("SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{u}/> {{ ?s ?p ?o }} }} }}", U),
    ("SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{u}/> {{ ?s ?p ?o }} }} }}", U),
    ("SELECT * {{ {{ SELECT * {{ SERVICE <{u}/> {{ ?s ?p ?o }} }} }} }}", U),
    ("SELECT * {{ GRAPH ?g {{ SERVICE <{u}/> {{ ?s ?p ?o }} }} }}", U),
    ("ASK {{ SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
    ("DESCRIBE ?s WHERE {{ SERVICE <{u}/> {{ ?s ?p ?o }} }}", U),
]
UPDATE_CASES: list[tuple[str, type[QueryError]]] = [
    ("LOAD <{u}/data.ttl>", U),
    ("LOAD SILENT <{u}/data.ttl> INTO GRAPH <{u}/g>", U),
    ("load <{u}/data.ttl>", U),
    ("\\u004cOAD <{u}/data.ttl>", U),
    ("#\rLOAD <{u}/data.ttl>", U),
    ("PREFIX ex: <{u}/> LOAD ex:data", U),
    ("INSERT DATA {{ <{u}/a> <{u}/b> <{u}/c> }}", U),
    ("DELETE DATA {{ <{u}/a> <{u}/b> <{u}/c> }}", U),
    ("DELETE WHERE {{ ?s ?p ?o }}", U),
    ("INSERT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", U),
    ("DELETE {{ ?s ?p ?o }} INSERT {{ ?o ?p ?s }} WHERE {{ ?s ?p ?o }}", U),
    ("WITH <{u}/g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", U),
    ("CLEAR ALL", U),
    ("CLEAR GRAPH <{u}/g>", U),
    ("DROP ALL", U),
    ("DROP SILENT GRAPH <{u}/g>", U),
    ("CREATE GRAPH <{u}/g>", U),
    ("ADD DEFAULT TO <{u}/g>", U),
    ("MOVE <{u}/a> TO <{u}/b>", U),
    ("COPY <{u}/a> TO <{u}/b>", U),
    ("SELECT * {{ ?s ?p ?o }} ; LOAD <{u}/data.ttl>", U),
]
CASES = SERVICE_CASES + UPDATE_CASES
# Queries the check accepts although they look close: each must give the same answer as the
# raw text run by pyoxigraph.
BENIGN = [
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?x) }',
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 3",
    "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT * { ?s a dcat:DataService }",
    "SELECT * { ?s ?p <http://www.w3.org/ns/sparql-service-description#Service> }",
    "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }\nLIMIT 2",
    "SELECT ?s\r\nWHERE {\r\n ?s ?p ?o\r\n}\r\nLIMIT 2",
    """SELECT ?x { BIND('''it's "quoted"''' AS ?x) }""",
    'SELECT ?x { BIND("""two\nlines""" AS ?x) }',
    'SELECT ?x { BIND("tab\\tand \\"quote\\" and \\\\" AS ?x) }',
    "SELECT ?x { BIND('\\u4E2D\\U00006587' AS ?x) }",
    'SELECT ?x { BIND("x"@en AS ?x) }',
    "select (count(*) as ?n) { ?s ?p ?o }",
]


def _named() -> list[str]:
    return [get_query(name).bind() for name, _ in list_queries()]


class Closer:
    """A loopback server that accepts and closes every connection, counting them."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.count = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


def _one_triple_store() -> ox.Store:
    store = ox.Store()
    e = ox.NamedNode("http://e/a")
    store.add(ox.Quad(e, ox.NamedNode("http://e/p"), e))
    return store


@pytest.fixture(scope="module")
def server(dataset_nq: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    site = tmp_path_factory.mktemp("guarded") / "site"
    (site / "exports" / "rdf").mkdir(parents=True)
    (site / "exports" / "rdf" / "lowcarbon.nq").write_bytes(dataset_nq.nquads)
    (site / "index.html").write_text("<!doctype html><title>x</title>\n")
    srv = make_server(site, store=dataset_nq.store, timeout=10)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def _http(srv: SiteServer, method: str, path: str, body: bytes = b"", ctype: str = "") -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", srv.server_port, timeout=30)
    headers = {"Content-Type": ctype} if ctype else {}
    conn.request(method, path, body=body or None, headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


def _doors(project: Project, srv: SiteServer, text: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    """What each way in makes of ``text``: an exception, an exit code or an HTTP status."""
    got: dict[str, object] = {}
    try:
        run_query(project.store, text, timeout=5)
        got["api"] = "ran"
    except QueryError as exc:
        got["api"] = type(exc)
    got["cli"] = main(["query", "--root", str(project.root), "--timeout", "5", text])
    raw = io.TextIOWrapper(io.BytesIO(text.encode("utf-8", "surrogatepass")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", raw)
    got["stdin"] = main(["query", "--root", str(project.root), "--timeout", "5", "-"])
    got["get"] = _http(srv, "GET", "/sparql?" + urlencode({"query": text}))
    form = urlencode({"query": text}).encode()
    got["form"] = _http(srv, "POST", "/sparql", form, "application/x-www-form-urlencoded")
    got["post"] = _http(srv, "POST", "/sparql", text.encode(), "application/sparql-query")
    return got


@pytest.mark.parametrize(("template", "error"), CASES, ids=[repr(c[0][:60]) for c in CASES])
def test_refused_through_every_door_with_no_connection(
    dataset_nq: Project,
    server: SiteServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    template: str,
    error: type[QueryError],
) -> None:
    with Listener() as listener:
        text = template.format(u=listener.url)
        with pytest.raises(error):
            check(text)
        got = _doors(dataset_nq, server, text, monkeypatch)
        status = 403 if error is UnsafeQueryError else 400
        assert got == {
            "api": error,
            "cli": 2,
            "stdin": 2,
            "get": status,
            "form": status,
            "post": status,
        }
        assert listener.connections() == 0
    assert "error:" in capsys.readouterr().err


LIVE = [t for t, _ in SERVICE_CASES if t.startswith("SELECT") and "\\u" not in t]


def test_the_corpus_is_live() -> None:
    """The control: run raw, without the check, many of the refused queries do connect."""
    closer = Closer()
    store = _one_triple_store()
    live = 0
    try:
        for template in LIVE:
            before = closer.count
            with contextlib.suppress(SyntaxError, OSError, RuntimeError):
                list(store.query(template.format(u=closer.url)))
            time.sleep(0.01)
            live += closer.count > before
    finally:
        closer.close()
    # the plain, glued, pname, ?o.SERVICE and \r-comment placements among them
    assert live >= 10, live


@pytest.mark.parametrize("text", BENIGN + _named())
def test_accepted_queries_mean_what_they_meant(dataset_nq: Project, text: str) -> None:
    checked = check(text)
    assert check(checked.text) == checked  # the canonical text is its own canonical text
    store = ox.Store.read_only(str(dataset_nq.store))
    mine = store.query(checked.text, use_default_graph_as_union=True)
    theirs = store.query(text.replace("\r", ""), use_default_graph_as_union=True)
    fmt = ox.QueryResultsFormat.JSON
    if isinstance(mine, ox.QueryTriples):
        assert set(mine) == set(theirs)  # type: ignore[arg-type]
    else:
        assert mine.serialize(format=fmt) == theirs.serialize(format=fmt)  # type: ignore[union-attr]


_PIECES = [
    "SERVICE", "service", "SILENT", " ", "\t", "\n", "\r", "\r\n", "#", "\u2028", "\x85",
    '"', "'", '"""', "'''", "\\", "\\u0053", "\\u000d", "\\u0022", "\\u005C", "<", ">",
    "<http://127.0.0.1:{port}/>", "{", "}", "(", ")", ".", ":", "?o", "ex:a", "1", "a",
    "BIND(", " AS ?x)", "@en", "^^", ";", ",", "PREFIX : <http://127.0.0.1:{port}/>",
]  # fmt: skip


def test_fuzz_what_the_check_accepts_never_connects() -> None:
    """Random texts of SPARQL pieces: whatever the check accepts, the engine runs offline."""
    rng = random.Random(20111231)  # noqa: S311 - a fixed seed, not a secret
    closer = Closer()
    port = closer.url.rsplit(":", 1)[1]
    store = _one_triple_store()
    accepted = 0
    try:
        for _ in range(3000):
            body = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12)))
            text = "SELECT * WHERE { ?s ?p ?o " + body.replace("{port}", port) + " }"
            try:
                checked = check(text)
            except QueryError:
                continue
            accepted += 1
            with contextlib.suppress(SyntaxError, OSError, RuntimeError):
                list(store.query(checked.text))
        time.sleep(0.05)
        assert closer.count == 0
    finally:
        closer.close()
    assert accepted > 100  # the fuzz reaches the engine, not only the check


# --- limits -------------------------------------------------------------------------------


def _values(n_bytes: int) -> str:
    head, tail = "SELECT ?x WHERE { VALUES ?x { ", " } }"
    item = '"v" '
    return head + item * ((n_bytes - len(head) - len(tail)) // len(item)) + tail


def test_a_query_at_the_size_limit_runs(dataset_nq: Project) -> None:
    text = _values(MAX_QUERY_BYTES)
    assert len(text.encode()) <= MAX_QUERY_BYTES
    assert len(run_query(dataset_nq.store, text).rows) > 10_000


@pytest.mark.parametrize("size", [MAX_QUERY_BYTES + 8, 5 * 1024 * 1024])
def test_a_larger_query_is_refused_quickly(
    dataset_nq: Project, server: SiteServer, size: int
) -> None:
    text = _values(size)
    start = time.monotonic()
    with pytest.raises(QueryTooLargeError, match=f"at most {MAX_QUERY_BYTES}"):
        run_query(dataset_nq.store, text, timeout=2)
    assert main(["query", "--root", str(dataset_nq.root), "--timeout", "2", text]) == 2
    if size < 1 << 20:  # the server reads at most MAX_BODY bytes
        assert _http(server, "POST", "/sparql", text.encode(), "application/sparql-query") == 413
    assert time.monotonic() - start < 10


def _nested(depth: int, kind: str) -> str:
    if kind == "{":
        return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth
    return "SELECT * WHERE { FILTER(" + "(" * (depth - 2) + "1" + ")" * (depth - 2) + ") }"


@pytest.mark.parametrize("kind", ["{", "("])
def test_nesting_limit(dataset_nq: Project, server: SiteServer, kind: str) -> None:
    run_query(dataset_nq.store, _nested(MAX_NESTING, kind))
    deep = _nested(MAX_NESTING + 1, kind)
    with pytest.raises(QueryError, match=f"nested deeper than {MAX_NESTING}"):
        run_query(dataset_nq.store, deep)
    assert _http(server, "POST", "/sparql", deep.encode(), "application/sparql-query") == 400
    very_deep = _nested(100_000, kind)
    assert _http(server, "GET", "/sparql?" + urlencode({"query": very_deep[:20_000]})) == 400


def test_errors_say_where(dataset_nq: Project) -> None:
    with pytest.raises(QueryError) as e:
        check('SELECT * {\n  BIND("open AS ?x)\n}', origin="q.rq")
    assert str(e.value).startswith("q.rq:2:8: a string is not closed on its line")
    with pytest.raises(UnsafeQueryError) as u:
        check("SELECT * {\n  ?s ?p ?o .SERVICE<http://x/> {} }", origin="q.rq")
    assert str(u.value).startswith("q.rq:2:13: SERVICE is not allowed")


def test_real_stdin_with_a_carriage_return(dataset_nq: Project) -> None:
    """The reported bypass, piped as bytes into the installed command."""
    with Listener() as listener:
        text = f"SELECT ?s WHERE {{ #\r SERVICE <{listener.url}/> {{ ?s ?p ?o }} }}"
        exe = Path(sys.executable).with_name("lowcarbon")
        proc = subprocess.run(
            [str(exe), "query", "--root", str(dataset_nq.root), "-"],
            input=text.encode(),
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 2, proc.stderr
        assert b"SERVICE is not allowed" in proc.stderr
        assert listener.connections() == 0
