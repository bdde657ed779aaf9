"""The local HTTP server: pages, content negotiation and a read-only SPARQL endpoint."""

from __future__ import annotations

import ipaddress
import socket
import socketserver
import sys
import threading
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote

from rdflib import Graph

from lowcarbon.errors import InputError
from lowcarbon.graph.mapping import DEFAULT_BASE, Minter
from lowcarbon.publish.negotiate import choose, segments, within
from lowcarbon.publish.site import DATASET
from lowcarbon.publish.sparqlpage import results_view, sparql_html
from lowcarbon.query import (
    DEFAULT_TIMEOUT,
    QueryError,
    QueryTimeoutError,
    QueryTooLargeError,
    UnsafeQueryError,
    check_query,
    format_result,
    run_query,
)
from lowcarbon.query.store import StoreError, ensure_store, graph_ntriples
from lowcarbon.vocab import MEDIA_TYPES, NQUADS_DUMP

__all__ = ["MAX_BODY", "SiteServer", "choose", "make_server", "serve"]

#: Largest request body (a SPARQL query) the server reads, in bytes.
MAX_BODY = 1 << 20
#: Queries that may run at once (each in its own process); more wait, then get a 503.
MAX_QUERIES = 4
_HTML, _TURTLE, _NT, _JSONLD = (
    "text/html",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
)
#: Offers for a resource under /id/: media type -> document extension, preferred first.
_RESOURCE_OFFERS = {
    _HTML: ".html",
    "application/xhtml+xml": ".html",
    _TURTLE: ".ttl",
    _JSONLD: ".jsonld",
    _NT: ".nt",
    "application/json": ".jsonld",
}
_DOCUMENTS = {".html": _HTML, ".ttl": _TURTLE, ".jsonld": _JSONLD, ".nt": _NT}
#: SPARQL result formats (query.format_result names) by media type, preferred first.
_SELECT_OFFERS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    _HTML: "html",
}
_GRAPH_OFFERS = {_TURTLE: "turtle", _NT: "ntriples", _JSONLD: "jsonld", _HTML: "html"}
#: ``format=`` (the downloads of the SPARQL page) -> media type; it overrides Accept.
_FORMATS = {f: m for offers in (_SELECT_OFFERS, _GRAPH_OFFERS) for m, f in reversed(offers.items())}
_STATIC_TYPES = {**MEDIA_TYPES, ".html": _HTML, ".css": "text/css", ".txt": "text/plain"}
_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'"


class SiteServer(ThreadingHTTPServer):
    """Serves the site folder: its files, content negotiation under ``/id/``, ``/sparql``."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        site: Path,
        base: str,
        store: Path,
        timeout: float | None,
        log: bool,
    ) -> None:
        Minter(base)  # validates
        self.site = site.resolve()
        self.exports = self.site / DATASET
        self.base = base
        self.store = store
        self.query_timeout = timeout
        self.log = log
        self.store_lock = threading.Lock()
        self.store_ready = False
        self.slots = threading.BoundedSemaphore(MAX_QUERIES)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def url(self) -> str:
        """The root URL, e.g. ``http://127.0.0.1:8000/``."""
        host = self.server_name
        return (
            f"http://[{host}]:{self.server_port}/"
            if ":" in host
            else (f"http://{host}:{self.server_port}/")
        )

    def ready_store(self) -> Path:
        """The embedded store, built from the site's ``exports/rdf/lowcarbon.nq`` if stale."""
        with self.store_lock:
            if not self.store_ready:
                ensure_store(self.store, nquads=self.exports / NQUADS_DUMP)
                self.store_ready = True
        return self.store


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer
    server_version = "lowcarbon"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 60

    def version_string(self) -> str:
        """The Server header: the name only, no Python version."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    # -- responses --

    def send(
        self,
        status: HTTPStatus,
        body: bytes,
        media: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        text = media.startswith("text/") or media in (_JSONLD, "application/json")
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8" if text else media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if media == _HTML:
            self.send_header("Content-Security-Policy", _CSP)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(
        self, status: HTTPStatus, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send(
            status, f"{status.value} {status.phrase}: {message}\n".encode(), "text/plain", headers
        )

    def redirect(self, location: str) -> None:
        body = f"See {location}\n".encode()
        self.send(
            HTTPStatus.SEE_OTHER, body, "text/plain", {"Location": location, "Vary": "Accept"}
        )

    def file(self, path: Path, headers: Mapping[str, str] | None = None) -> None:
        media = _STATIC_TYPES.get(path.suffix, "application/octet-stream")
        if path.name == "csv-metadata.json":
            media = "application/csvm+json"
        self.send(HTTPStatus.OK, path.read_bytes(), media, headers)

    # -- methods --

    def do_GET(self) -> None:
        self.route()

    def do_HEAD(self) -> None:
        self.route()

    def do_POST(self) -> None:
        raw, _, _ = self.path.partition("?")
        if raw != "/sparql":
            self.close_connection = True  # the body is not read
            self.error(
                HTTPStatus.METHOD_NOT_ALLOWED, "only /sparql takes POST", {"Allow": "GET, HEAD"}
            )
            return
        self.sparql()

    def route(self) -> None:
        raw, _, _ = self.path.partition("?")
        try:
            segs = segments(raw)
        except UnicodeDecodeError:
            segs = None
        if segs is None:
            self.error(HTTPStatus.BAD_REQUEST, "invalid path")
            return
        if not segs or segs == ["index.html"]:
            self.file(self.server.site / "index.html")
        elif segs == ["sparql"]:
            self.sparql()
        elif segs[0] == "id":
            self.resource(segs)
        elif segs == ["ontology"]:
            self.negotiate({_HTML: "/ontology.html", _TURTLE: "/exports/ontology/lowcarbon.ttl"})
        else:
            self.static(self.server.site, segs)

    def static(self, root: Path, segs: Sequence[str], found: Path | None = None) -> None:
        path = found or within(root, segs)
        if path is None:
            self.error(HTTPStatus.NOT_FOUND, "no such file")
        else:
            self.file(path, {"Access-Control-Allow-Origin": "*"})

    def negotiate(self, documents: Mapping[str, str]) -> None:
        media = choose(self.headers.get("Accept"), list(documents))
        if media is None:
            self.error(
                HTTPStatus.NOT_ACCEPTABLE,
                "available as " + ", ".join(documents),
                {"Vary": "Accept"},
            )
        else:
            self.redirect(documents[media])

    # -- /id/: Linked Data --

    def resource(self, segs: list[str]) -> None:
        *folders, name = segs
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext
        if stem and ext in _DOCUMENTS:
            self.document(folders, stem, ext)
            return
        if within(self.server.site, [*folders, f"{name}.html"]) is None:
            self.error(HTTPStatus.NOT_FOUND, f"no resource {'/'.join(segs)}")
            return
        where = "/" + "/".join(quote(s) for s in segs)
        self.negotiate({m: where + e for m, e in _RESOURCE_OFFERS.items()})

    def document(self, folders: list[str], stem: str, ext: str) -> None:
        source = within(self.server.site, [*folders, stem + (".ttl" if ext == ".nt" else ext)])
        if source is None:
            self.error(HTTPStatus.NOT_FOUND, "no such document")
            return
        iri = self.server.base + "/".join([*folders, stem])
        headers = {"Link": f'<{iri}>; rel="describes"', "Access-Control-Allow-Origin": "*"}
        if ext == ".nt":
            g = Graph()
            g.parse(data=source.read_bytes(), format="turtle")
            self.send(HTTPStatus.OK, graph_ntriples(g), _NT, headers)
        else:
            self.file(source, headers)

    # -- /sparql --

    def read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self.error(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required")
            return None
        if int(length) > MAX_BODY:
            self.close_connection = True
            self.error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"at most {MAX_BODY} bytes")
            return None
        return self.rfile.read(int(length))

    def sparql(self) -> None:
        _, _, qs = self.path.partition("?")
        params = parse_qs(qs, keep_blank_values=True)
        ctype = self.headers.get_content_type() if self.command == "POST" else ""
        if self.command == "POST":
            body = self.read_body()
            if body is None:
                return
            if ctype == "application/sparql-query":
                params["query"] = [body.decode("utf-8", "replace")]
            elif ctype == "application/x-www-form-urlencoded":
                params.update(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
            elif ctype != "application/sparql-update":
                self.error(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/sparql-query or a form"
                )
                return
        if "update" in params or ctype == "application/sparql-update":
            self.error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are not allowed")
            return
        if "default-graph-uri" in params or "named-graph-uri" in params:
            self.error(
                HTTPStatus.BAD_REQUEST,
                "default-graph-uri and named-graph-uri are not supported: the default graph is "
                "the union of the named graphs; use GRAPH <…> for one of them",
            )
            return
        queries = params.get("query", [])
        if not queries and self.command != "POST":
            self.send(
                HTTPStatus.OK,
                sparql_html(self.server.base, query=None, result=None, error=None),
                _HTML,
            )
            return
        if len(queries) != 1:
            self.error(HTTPStatus.BAD_REQUEST, "expected one query parameter")
            return
        fmt = params.get("format", [""])[0]
        if fmt and fmt not in _FORMATS:
            self.error(HTTPStatus.BAD_REQUEST, "format is one of " + ", ".join(_FORMATS))
            return
        self.answer(queries[0], fmt)

    def page_error(self, status: HTTPStatus, text: str, message: str) -> None:
        page = sparql_html(self.server.base, query=text, result=None, error=message)
        self.send(status, page, _HTML)

    def answer(self, text: str, fmt: str = "") -> None:
        html = not fmt and choose(self.headers.get("Accept"), [*_SELECT_OFFERS]) == _HTML
        try:
            form = check_query(text, origin="query")
        except QueryError as exc:
            if html:
                self.page_error(_refusal_status(exc), text, str(exc))
            else:
                self.error(_refusal_status(exc), str(exc))
            return
        offers = _GRAPH_OFFERS if form in ("CONSTRUCT", "DESCRIBE") else _SELECT_OFFERS
        media = _FORMATS[fmt] if fmt else choose(self.headers.get("Accept"), list(offers))
        if media not in offers:
            media = None
        if media is None:
            self.error(HTTPStatus.NOT_ACCEPTABLE, "results are available as " + ", ".join(offers))
            return
        if not self.server.slots.acquire(timeout=self.server.query_timeout or DEFAULT_TIMEOUT):
            self.error(HTTPStatus.SERVICE_UNAVAILABLE, "too many queries are running")
            return
        try:
            store = self.server.ready_store()
            result = run_query(store, text, timeout=self.server.query_timeout, origin="query")
            if media == _HTML:
                view = results_view(result, text, self.server.base)
                body = sparql_html(self.server.base, query=text, result=view, error=None)
            else:
                body = format_result(result, offers[media], base=self.server.base)
        except QueryTimeoutError as exc:
            self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
            return
        except QueryError as exc:
            if media == _HTML:
                self.page_error(HTTPStatus.BAD_REQUEST, text, str(exc))
            else:
                self.error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        except StoreError as exc:
            self.error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))
            return
        finally:
            self.server.slots.release()
        self.send(
            HTTPStatus.OK, body, media, {"Vary": "Accept", "Access-Control-Allow-Origin": "*"}
        )


def _refusal_status(exc: QueryError) -> HTTPStatus:
    """The HTTP status of a query the check refused."""
    if isinstance(exc, UnsafeQueryError):
        return HTTPStatus.FORBIDDEN
    if isinstance(exc, QueryTooLargeError):
        return HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    return HTTPStatus.BAD_REQUEST


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_server(
    site: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    base: str = DEFAULT_BASE,
    store: Path | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    log: bool = False,
) -> SiteServer:
    """A server for the site folder (call ``serve_forever``), bound to ``host:port`` (0: any).

    ``store`` is the embedded store the SPARQL endpoint queries (default: ``store/`` beside
    the site folder), built from the site's ``exports/rdf/lowcarbon.nq`` on the first query if
    it is missing or stale. ``timeout`` limits each query, in seconds. Raises ``InputError``
    when the site has not been built.
    """
    for need in ("index.html", f"{DATASET}/{NQUADS_DUMP}"):
        if not (site / need).is_file():
            raise InputError(str(site), None, f"no {need}: run `lowcarbon build` first")
    return SiteServer(
        (host, port),
        site=site,
        base=base,
        store=store if store is not None else site.resolve().parent / "store",
        timeout=timeout,
        log=log,
    )


def serve(
    site: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    base: str = DEFAULT_BASE,
    store: Path | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> None:
    """Serve the site folder until interrupted (Ctrl-C), logging requests to stderr."""
    server = make_server(
        site, host=host, port=port, base=base, store=store, timeout=timeout, log=True
    )
    if not _loopback(host):
        print(
            f"warning: {host} is not a loopback address; others can reach this server",
            file=sys.stderr,
        )
    print(f"serving {site} at {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
