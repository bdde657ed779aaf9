"""The local server: Linked Data content negotiation, static files, path safety, SPARQL."""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from lowcarbon.errors import InputError
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.pipeline import Pipeline
from lowcarbon.publish.server import MAX_BODY, SiteServer, choose, make_server
from lowcarbon.publish.site import site_files

ROOT = Path(__file__).resolve().parent.parent
LCD = Namespace(f"{DEFAULT_BASE}ontology#")
TAIPEI = URIRef(f"{DEFAULT_BASE}id/city/taipei")
SECRET = b"[build-system]"  # a line of ../pyproject.toml that must never be served


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, pipe: Pipeline) -> Path:
    """A site folder as the build writes it, with three files of the dataset."""
    out = tmp_path_factory.mktemp("served") / "site"
    dataset = {
        rel: (ROOT / "exports" / rel).read_bytes()
        for rel in ("rdf/lowcarbon.nq", "rdf/lowcarbon.ttl", "csv/cities.csv")
    }
    for rel, data in site_files(pipe.graph, pipe.ontology, base=pipe.base, dataset=dataset).items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    (out.parent / "pyproject.toml").write_bytes(SECRET + b"\n")
    (out / "exports" / "leak").symlink_to(out.parent / "pyproject.toml")
    (out / "leak").symlink_to(out.parent / "pyproject.toml")
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[SiteServer]:
    srv = make_server(site, store=site.parent / "store", timeout=30)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]


def request(
    srv: SiteServer,
    path: str,
    *,
    method: str = "GET",
    accept: str | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
) -> Response:
    """One raw request: the path goes out exactly as given (no client-side normalization)."""
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_port, timeout=60)
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if content_type is not None:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)


# -- content negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html", "/id/city/taipei.html"),
        ("text/turtle", "/id/city/taipei.ttl"),
        ("application/ld+json", "/id/city/taipei.jsonld"),
        ("application/n-triples", "/id/city/taipei.nt"),
        ("application/rdf+xml", "/id/city/taipei.rdf"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/id/city/taipei.html"),
        ("text/turtle;q=0.5, application/ld+json", "/id/city/taipei.jsonld"),
        (None, "/id/city/taipei.html"),
    ],
)
def test_bare_iri_redirects_303_by_accept(server: SiteServer, accept: str, location: str) -> None:
    r = request(server, "/id/city/taipei", accept=accept)
    assert r.status == 303, r.body
    assert r.headers["location"] == location
    assert r.headers["vary"] == "Accept"


def expected_description(pipe: Pipeline, node: URIRef, document: str) -> Graph:
    """Written out here, not by the code under test: both ways, and the document's own."""
    from rdflib import RDF
    from rdflib.namespace import DCTERMS, FOAF, VOID

    g = Graph()
    for t in (*pipe.graph.triples((node, None, None)), *pipe.graph.triples((None, None, node))):
        g.add(t)
    doc = URIRef(document)
    g.add((doc, RDF.type, FOAF.Document))
    g.add((doc, FOAF.primaryTopic, node))
    g.add((doc, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((doc, VOID.inDataset, URIRef(f"{DEFAULT_BASE}dataset")))
    return g


def test_documents_carry_the_description(
    server: SiteServer, pipe: Pipeline, no_outgoing: list[object]
) -> None:
    cases = {".ttl": ("text/turtle", "turtle"), ".nt": ("application/n-triples", "nt"),
             ".jsonld": ("application/ld+json", "json-ld"), ".rdf": ("application/rdf+xml", "xml")}  # fmt: skip
    for ext, (media, fmt) in cases.items():
        r = request(server, f"/id/city/taipei{ext}")
        assert r.status == 200 and r.type == media, ext
        assert r.headers["link"] == f'<{TAIPEI}>; rel="describes"'
        got = Graph().parse(data=r.body, format=fmt)
        assert isomorphic(got, expected_description(pipe, TAIPEI, f"{TAIPEI}{ext}")), ext
        statements = set(got.subjects(LCD.city, TAIPEI))
        assert len(statements) == 15, ext  # incoming: the statements about Taipei
    nt = request(server, "/id/city/taipei.nt").body.decode().splitlines()
    assert nt == sorted(nt) and '"臺北市"@zh-Hant' in "\n".join(nt)
    html = request(server, "/id/city/taipei.html")
    assert html.type == "text/html" and "<h1>Taipei City" in html.body.decode()
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert no_outgoing == []  # the JSON-LD needs no remote context


def test_unacceptable_type_is_406(server: SiteServer) -> None:
    r = request(server, "/id/city/taipei", accept="image/png")
    assert r.status == 406 and b"text/turtle" in r.body
    assert request(server, "/id/city/taipei", accept="text/html;q=0").status == 406


@pytest.mark.parametrize(
    "path",
    ["/id/city/nowhere", "/id/city/nowhere.ttl", "/id/city/nowhere.nt", "/nowhere.html",
     "/exports/rdf/none.nt", "/id/city/", "/id", "/exports"],
)  # fmt: skip
def test_unknown_is_404(server: SiteServer, path: str) -> None:
    assert request(server, path, accept="text/turtle").status == 404


def test_site_and_downloads(server: SiteServer, site: Path) -> None:
    home = request(server, "/")
    assert home.status == 200 and home.body == (site / "index.html").read_bytes()
    assert request(server, "/style.css").type == "text/css"
    r = request(server, "/exports/rdf/lowcarbon.nq")
    assert r.status == 200 and r.type == "application/n-quads"
    assert r.body == (ROOT / "exports/rdf/lowcarbon.nq").read_bytes()
    # the index links exports/rdf/lowcarbon.ttl: /exports/rdf/lowcarbon.ttl from /
    assert 'href="exports/rdf/lowcarbon.ttl"' in home.body.decode()
    assert request(server, "/exports/rdf/lowcarbon.ttl").type == "text/turtle"
    assert request(server, "/exports/csv/cities.csv").type == "text/csv"
    head = request(server, "/id/city/taipei.html", method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 0
    r = request(server, "/ontology", accept="text/turtle")
    assert r.status == 303 and r.headers["location"] == "/exports/ontology/lowcarbon.ttl"


@pytest.mark.parametrize(
    "path",
    [
        "/exports/../pyproject.toml",
        "/exports/%2e%2e/pyproject.toml",
        "/exports/%2E%2E/pyproject.toml",
        "/exports/..%2fpyproject.toml",
        "/exports/%2e%2e%2fpyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/../pyproject.toml",
        "/id/../../pyproject.toml",
        "/id/%2e%2e/%2e%2e/pyproject",
        "/exports/rdf/%2e%2e/%2e%2e/pyproject.toml",
        "/exports/..%5cpyproject.toml",
        "/exports/%252e%252e/pyproject.toml",
        "//pyproject.toml",
        "/exports//pyproject.toml",
        "/exports/%00/../pyproject.toml",
        "/leak",
        "/exports/leak",
        "/exports/%ff%fe",
    ],
)
def test_path_traversal_is_impossible(server: SiteServer, path: str) -> None:
    r = request(server, path)
    assert r.status in (400, 404), (path, r.status)
    assert SECRET not in r.body


def test_only_sparql_takes_post(server: SiteServer) -> None:
    r = request(server, "/id/city/taipei", method="POST", body=b"x", content_type="text/plain")
    assert r.status == 405 and r.headers["allow"] == "GET, HEAD, OPTIONS"


# -- SPARQL ----------------------------------------------------------------------------------

COUNT = f"PREFIX lcd: <{LCD}> SELECT (COUNT(?m) AS ?n) WHERE {{ ?m a lcd:Membership }}"


def memberships(pipe: Pipeline) -> int:
    from rdflib import RDF

    return len(set(pipe.graph.subjects(RDF.type, LCD.Membership)))


def test_sparql_select_get_json(server: SiteServer, pipe: Pipeline) -> None:
    r = request(server, "/sparql?" + urlencode({"query": COUNT}))
    assert r.status == 200, r.body
    assert r.type == "application/sparql-results+json"
    doc: dict[str, Any] = json.loads(r.body)
    assert int(doc["results"]["bindings"][0]["n"]["value"]) == memberships(pipe) == 17


def test_sparql_post_and_result_formats(server: SiteServer, pipe: Pipeline) -> None:
    r = request(server, "/sparql", method="POST", body=COUNT.encode(),
                content_type="application/sparql-query", accept="text/csv")  # fmt: skip
    assert r.status == 200 and r.type == "text/csv"
    assert list(csv.reader(io.StringIO(r.body.decode()))) == [["n"], ["17"]]
    form = urlencode({"query": COUNT}).encode()
    r = request(server, "/sparql", method="POST", body=form,
                content_type="application/x-www-form-urlencoded",
                accept="application/sparql-results+xml")  # fmt: skip
    assert r.status == 200 and r.type == "application/sparql-results+xml" and b"17" in r.body
    ask = f"ASK {{ <{TAIPEI}> ?p ?o }}"
    r = request(server, "/sparql?query=" + quote(ask), accept="text/tab-separated-values")
    assert r.status == 200 and r.type == "text/tab-separated-values"
    construct = f"CONSTRUCT {{ <{TAIPEI}> ?p ?o }} WHERE {{ <{TAIPEI}> ?p ?o }}"
    r = request(server, "/sparql?query=" + quote(construct), accept="text/turtle")
    assert r.status == 200 and r.type == "text/turtle"
    assert len(Graph().parse(data=r.body, format="turtle")) == len(
        list(pipe.graph.triples((TAIPEI, None, None)))
    )
    r = request(server, "/sparql?query=" + quote(COUNT), accept="image/png")
    assert r.status == 406


def test_sparql_form_page(server: SiteServer) -> None:
    r = request(server, "/sparql")
    assert r.status == 200 and r.type == "text/html" and b"<textarea" in r.body


@pytest.fixture()
def no_outgoing(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and refuse) any connection or name lookup that is not loopback."""
    attempts: list[object] = []
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if not (isinstance(address, tuple) and address[0] in ("127.0.0.1", "::1")):
            attempts.append(address)
            raise OSError("outgoing connection in a test")
        connect(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(host)
            raise OSError("name lookup in a test")
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("POST", "/sparql", b"INSERT DATA { <a:b> <a:c> <a:d> }", "application/sparql-query"),
        ("POST", "/sparql", b"DROP ALL", "application/sparql-update"),
        ("POST", "/sparql", urlencode({"update": "CLEAR ALL"}).encode(),
         "application/x-www-form-urlencoded"),
        ("GET", "/sparql?" + urlencode({"update": "LOAD <http://192.0.2.1/x>"}), None, None),
        ("GET", "/sparql?" + urlencode({"query": "LOAD <http://192.0.2.1/x>"}), None, None),
        ("GET", "/sparql?" + urlencode({"query": "SELECT * { ?s ?p ?o } ; DROP ALL"}), None, None),
    ],
)  # fmt: skip
def test_sparql_refuses_updates(
    server: SiteServer, method: str, path: str, body: bytes | None, content_type: str | None
) -> None:
    r = request(server, path, method=method, body=body, content_type=content_type)
    assert r.status == 403, r.body
    n = request(server, "/sparql?" + urlencode({"query": COUNT}))
    assert json.loads(n.body)["results"]["bindings"][0]["n"]["value"] == "17"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://192.0.2.1/q> { ?s ?p ?x } } }",
        "ASK { { SELECT ?s { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } }",
    ],
)
def test_sparql_refuses_service_without_connecting(
    server: SiteServer, no_outgoing: list[object], query: str
) -> None:
    r = request(server, "/sparql?" + urlencode({"query": query}))
    assert r.status == 403 and b"SERVICE" in r.body
    assert no_outgoing == []


def test_sparql_syntax_error_is_400(server: SiteServer) -> None:
    r = request(server, "/sparql?" + urlencode({"query": "SELECT WHERE {"}))
    assert r.status == 400 and b"syntax error" in r.body


def test_sparql_request_limits(server: SiteServer) -> None:
    r = request(server, "/sparql?" + urlencode({"query": COUNT, "default-graph-uri": "http://x/"}))
    assert r.status == 400
    r = request(server, "/sparql", method="POST", body=b"x", content_type="text/plain")
    assert r.status == 415
    two = urlencode([("query", COUNT), ("query", COUNT)])
    assert request(server, "/sparql?" + two).status == 400


# -- the server itself -----------------------------------------------------------------------


def test_binds_loopback_by_default(server: SiteServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.server_port}/"


def test_needs_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="lowcarbon build"):
        make_server(tmp_path)


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        (None, ["text/html", "text/turtle"], "text/html"),
        ("", ["text/html", "text/turtle"], "text/html"),
        ("text/turtle", ["text/html", "text/turtle"], "text/turtle"),
        ("text/*", ["application/ld+json", "text/turtle"], "text/turtle"),
        ("*/*;q=0.1, text/turtle;q=0.2", ["text/html", "text/turtle"], "text/turtle"),
        ("text/turtle;q=0, */*", ["text/turtle", "text/html"], "text/html"),
        ("TEXT/TURTLE", ["text/html", "text/turtle"], "text/turtle"),
        ("image/png", ["text/html"], None),
        ("text/html;q=bogus", ["text/html"], None),
        ("garbage", ["text/html"], "text/html"),
    ],
)
def test_choose(accept: str | None, offers: list[str], expected: str | None) -> None:
    assert choose(accept, offers) == expected


def test_sparql_body_limits(server: SiteServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Content-Length", str(MAX_BODY + 1))
    conn.endheaders()  # the body never comes: the server must answer without waiting for it
    r = conn.getresponse()
    assert r.status == 413
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.endheaders()
    assert conn.getresponse().status == 411
    conn.close()


# -- the SPARQL page -------------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CITIES = (
    f"PREFIX lcd: <{LCD}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?city ?label WHERE { ?city a lcd:LocalGovernment ; rdfs:label ?label } ORDER BY ?city"
)


def test_sparql_results_as_an_html_table_for_a_browser(server: SiteServer) -> None:
    r = request(server, "/sparql?" + urlencode({"query": CITIES}), accept=BROWSER)
    assert r.status == 200 and r.type == "text/html", r.body[:300]
    html = r.body.decode()
    table = html[html.index('<table class="results">') : html.index("</table>")]
    assert table.count("<tr>") == 1 + 20  # the heading, 10 cities with two labels each
    assert '<a href="id/city/taipei.html">city:taipei</a>' in table
    assert '<span lang="zh-hant">臺北市</span>' in table.lower()
    assert "<textarea" in html and 'href="sparql.html"' in html  # the form again, and the nav


def test_sparql_page_downloads_each_format(server: SiteServer) -> None:
    html = request(server, "/sparql?" + urlencode({"query": CITIES}), accept=BROWSER).body.decode()
    links = re.findall(r'<a href="(sparql\?[^"]*format=(\w+))">', html)
    assert {f for _, f in links} == {"json", "xml", "csv", "tsv"}
    media = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
             "csv": "text/csv", "tsv": "text/tab-separated-values"}  # fmt: skip
    for href, fmt in links:
        r = request(server, "/" + href.replace("&amp;", "&"), accept=BROWSER)
        assert r.status == 200 and r.type == media[fmt], (fmt, r.status)
    r = request(server, "/sparql?" + urlencode({"query": CITIES, "format": "csv"}))
    assert len(list(csv.reader(io.StringIO(r.body.decode())))) == 21
    assert request(server, "/sparql?" + urlencode({"query": CITIES, "format": "png"})).status == 400
    ask = "ASK { ?s ?p ?o }"
    r = request(server, "/sparql?" + urlencode({"query": ask}), accept=BROWSER)
    assert r.status == 200 and '<p class="answer">yes</p>' in r.body.decode()


def test_sparql_page_shows_refusals_and_escapes_the_query(server: SiteServer) -> None:
    evil = (
        'SELECT * WHERE { SERVICE <http://192.0.2.1/> { ?s ?p "</textarea><script>x</script>" } }'
    )
    r = request(server, "/sparql?" + urlencode({"query": evil}), accept=BROWSER)
    assert r.status == 403 and r.type == "text/html"
    html = r.body.decode()
    assert 'role="alert"' in html and "SERVICE is not allowed" in html
    assert "<script>x" not in html and "&lt;/textarea&gt;&lt;script&gt;x" in html
    r = request(server, "/sparql?" + urlencode({"query": "SELECT WHERE {"}), accept=BROWSER)
    assert r.status == 400 and "syntax error" in r.body.decode()


def test_sparql_page_offers_every_named_query(server: SiteServer) -> None:
    from lowcarbon.query import named_queries

    html = request(server, "/sparql", accept=BROWSER).body.decode()
    for name in named_queries():
        assert f">{name}</a></dt>" in html, name
    first = re.search(r'<dt><a href="(sparql\?query=[^"]+)">', html)
    assert first is not None
    r = request(server, "/" + first.group(1), accept=BROWSER)
    assert r.status == 200 and '<section id="results">' in r.body.decode()


# -- CORS, OPTIONS, 404, keep-alive, the query processes -------------------------------------


def test_cors_on_redirects_documents_and_the_endpoint(server: SiteServer) -> None:
    for path, accept in (("/id/city/taipei", "text/turtle"), ("/id/city/taipei.ttl", None),
                         ("/sparql?" + urlencode({"query": COUNT}), None), ("/", None)):  # fmt: skip
        r = request(server, path, accept=accept)
        assert r.status in (200, 303), path
        assert r.headers["access-control-allow-origin"] == "*", path
    assert "Location" in request(server, "/id/city/taipei").headers["access-control-expose-headers"]


@pytest.mark.parametrize(("path", "methods"), [
    ("/sparql", "GET, HEAD, POST, OPTIONS"), ("/id/city/taipei", "GET, HEAD, OPTIONS"),
])  # fmt: skip
def test_options_answers_a_preflight(server: SiteServer, path: str, methods: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
    conn.request("OPTIONS", path, headers={"Origin": "https://example.org",
                 "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"})  # fmt: skip
    r = conn.getresponse()
    r.read()
    conn.close()
    assert r.status == 204
    assert r.getheader("access-control-allow-methods") == methods
    assert r.getheader("access-control-allow-origin") == "*"
    assert "Content-Type" in (r.getheader("access-control-allow-headers") or "")


def test_not_found_is_an_html_page_and_the_icon_is_there(server: SiteServer) -> None:
    r = request(server, "/no/such/page.html")
    assert r.status == 404 and r.type == "text/html" and b"Not found" in r.body
    assert b'href="/index.html"' in r.body  # links that work at any depth
    assert request(server, "/id/city/atlantis").status == 404
    for icon in ("/favicon.svg", "/favicon.ico"):
        r = request(server, icon)
        assert r.status == 200 and r.type == "image/svg+xml", icon


def test_etag_and_kept_alive_connections(server: SiteServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
    conn.request("GET", "/style.css")
    first = conn.getresponse()
    first.read()
    etag = first.getheader("etag")
    assert first.status == 200 and etag
    for _ in range(3):  # the same connection, answered each time
        conn.request("GET", "/style.css", headers={"If-None-Match": etag})
        again = conn.getresponse()
        again.read()
        assert again.status == 304
        conn.request("GET", "/sparql?" + urlencode({"query": COUNT}))
        r = conn.getresponse()
        assert r.status == 200 and b"17" in r.read()
    conn.close()


def test_queries_run_in_warm_processes(server: SiteServer) -> None:
    """No new process per query: the pool's processes answer them all."""
    pool = server.pool
    before = {w.proc.pid for w in pool.workers}
    for _ in range(20):
        assert request(server, "/sparql?" + urlencode({"query": COUNT})).status == 200
    assert {w.proc.pid for w in pool.workers} == before and len(before) == 2


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_query_past_the_timeout_is_stopped_and_its_process_replaced(site: Path) -> None:
    srv = make_server(site, store=site.parent / "store", timeout=1)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        srv.wait_started()
        pool = srv.pool
        r = request(srv, "/sparql?" + urlencode({"query": SLOW}))
        assert r.status == 503 and b"longer than 1 s" in r.body
        assert pool.replaced == 1 and len(pool.workers) == 2
        ok = request(srv, "/sparql?" + urlencode({"query": COUNT}))
        assert ok.status == 200 and b"17" in ok.body  # the fresh process answers
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(10)
