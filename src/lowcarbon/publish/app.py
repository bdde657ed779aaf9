"""The web application (Starlette, ASGI): the static site, Linked Data under /id/, SPARQL.

- the files of the site folder, cached in memory by modification time, with ETags;
- ``/id/…`` answers ``303 See Other`` to the document the ``Accept`` header prefers (HTML,
  Turtle, JSON-LD, N-Triples, RDF/XML), each document served with ``Link: rel=describes``;
- ``/sparql``: the SPARQL 1.1 Protocol (GET, POST form, POST ``application/sparql-query``),
  JSON, XML, CSV or TSV by ``Accept`` (Turtle, N-Triples or JSON-LD for graphs), the HTML
  page for a browser. Queries pass the guard's check and run in a pool of warm processes, each
  killed and replaced when it runs past the timeout;
- CORS on every answer (the data is open), ``OPTIONS`` for preflights, an HTML 404 page.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, quote

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lowcarbon.errors import (
    QueryBusyError,
    QueryError,
    QueryTimeoutError,
    QueryTooLargeError,
    UnsafeQueryError,
)
from lowcarbon.publish.negotiate import choose, segments, within
from lowcarbon.publish.site import DATASET
from lowcarbon.publish.sparqlpage import results_view, sparql_html
from lowcarbon.query import check_query
from lowcarbon.query.pool import NATIVE, QueryPool
from lowcarbon.query.store import ensure_store
from lowcarbon.vocab import MEDIA_TYPES, NQUADS_DUMP

__all__ = ["MAX_BODY", "create_app", "query_pool"]

#: Largest request body (a SPARQL query or form) read, in bytes.
MAX_BODY = 1 << 20
_HTML, _TURTLE, _NT, _JSONLD, _RDFXML = (
    "text/html",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
#: Offers for a resource under /id/: media type -> document extension, preferred first.
_RESOURCE_OFFERS = {
    _HTML: ".html",
    "application/xhtml+xml": ".html",
    _TURTLE: ".ttl",
    _JSONLD: ".jsonld",
    _NT: ".nt",
    _RDFXML: ".rdf",
    "application/json": ".jsonld",
}
_DOCUMENTS = {".html", ".ttl", ".jsonld", ".nt", ".rdf"}
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
_TYPES = {**MEDIA_TYPES, ".html": _HTML, ".css": "text/css", ".txt": "text/plain",
          ".svg": "image/svg+xml", ".rdf": _RDFXML}  # fmt: skip
_TEXT = (
    "text/", _JSONLD, "application/json", "application/sparql-results+", "image/svg+xml", _NT,
    _RDFXML, "application/n-quads", "application/trig", "application/csvm+json",
)  # fmt: skip
_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'"
_CORS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "Link, Location, Content-Length, Vary",
}
_READ, _SPARQL_METHODS = "GET, HEAD, OPTIONS", "GET, HEAD, POST, OPTIONS"


def _respond(
    status: int, body: bytes, media: str, headers: Mapping[str, str] | None = None
) -> Response:
    text = media.startswith(_TEXT)
    out = {
        "content-type": f"{media}; charset=utf-8" if text else media,
        "x-content-type-options": "nosniff",
        **_CORS,
    }
    if media == _HTML:
        out["content-security-policy"] = _CSP
    out.update(headers or {})
    return Response(body, status_code=status, headers=out)


def _plain(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    phrase = HTTPStatus(status).phrase
    return _respond(status, f"{status} {phrase}: {message}\n".encode(), "text/plain", headers)


@dataclass
class _Cached:
    mtime: int
    size: int
    body: bytes
    media: str
    etag: str


class _Files:
    """The site's files, read once and kept while their modification time stays the same."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.paths: dict[tuple[str, ...], Path] = {}  # request segments -> checked file
        self.cache: dict[Path, _Cached] = {}

    def get(self, segs: Sequence[str]) -> _Cached | None:
        """The file at ``segs`` under the root (symlinks resolved and kept inside), if any."""
        key = tuple(segs)
        path = self.paths.get(key)
        if path is None:
            path = within(self.root, segs)
            if path is None:
                return None
            if len(self.paths) < 100_000:
                self.paths[key] = path
        try:
            st = path.stat()
        except OSError:
            self.paths.pop(key, None)
            return None
        hit = self.cache.get(path)
        if hit is None or hit.mtime != st.st_mtime_ns or hit.size != st.st_size:
            if within(self.root, segs) != path:  # changed since: check it again
                self.paths.pop(key, None)
                return None
            media = _TYPES.get(path.suffix, "application/octet-stream")
            if path.name == "csv-metadata.json":
                media = "application/csvm+json"
            etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}"'
            hit = _Cached(st.st_mtime_ns, st.st_size, path.read_bytes(), media, etag)
            self.cache[path] = hit
        return hit


class _App:
    def __init__(
        self, site: Path, *, base: str, store: Path, timeout: float, pool_size: int
    ) -> None:
        self.site, self.base, self.store = site.resolve(), base, store
        self.timeout, self.pool_size = timeout, pool_size
        self.files = _Files(self.site)
        self.pool: QueryPool | None = None

    @contextlib.asynccontextmanager
    async def lifespan(self, _: Starlette) -> AsyncIterator[None]:
        def start() -> QueryPool:
            ensure_store(self.store, nquads=self.site / DATASET / NQUADS_DUMP)
            pool = QueryPool(self.store, size=self.pool_size, timeout=self.timeout)
            pool.warm()
            return pool

        self.pool = await anyio.to_thread.run_sync(start)
        try:
            yield
        finally:
            self.pool.close()

    # -- routing --

    async def dispatch(self, request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
        try:
            segs = segments(raw.decode("ascii"))
        except UnicodeError:
            segs = None
        method = request.method
        if segs == ["sparql"]:
            if method == "OPTIONS":
                return self.options(_SPARQL_METHODS)
            return await self.sparql(request)
        if method == "OPTIONS":
            return self.options(_READ)
        if method not in ("GET", "HEAD"):
            return _plain(405, "only /sparql takes POST", {"allow": _READ, "connection": "close"})
        if segs is None:
            return _plain(400, "invalid path")
        if not segs:
            segs = ["index.html"]
        if segs[0] == "id":
            return self.resource(request, segs)
        if segs == ["ontology"]:
            docs = {_HTML: "/ontology.html", _TURTLE: f"/{DATASET}/ontology/lowcarbon.ttl"}
            return self.negotiate(request, docs)
        if segs == ["favicon.ico"]:
            segs = ["favicon.svg"]
        return self.static(request, segs)

    def options(self, methods: str) -> Response:
        return Response(status_code=204, headers={
            "allow": methods,
            **_CORS,
            "access-control-allow-methods": methods,
            "access-control-allow-headers": "Accept, Content-Type",
            "access-control-max-age": "86400",
        })  # fmt: skip

    def not_found(self, message: str) -> Response:
        page = self.files.get(["404.html"])
        if page is None:
            return _plain(404, message)
        return _respond(404, page.body, _HTML)

    def static(
        self, request: Request, segs: Sequence[str], headers: Mapping[str, str] | None = None
    ) -> Response:
        f = self.files.get(segs)
        if f is None:
            return self.not_found("no such file")
        extra = {"etag": f.etag, **(headers or {})}
        if request.headers.get("if-none-match") == f.etag:
            return Response(status_code=304, headers={**extra, **_CORS})
        return _respond(200, f.body, f.media, extra)

    def negotiate(self, request: Request, documents: Mapping[str, str]) -> Response:
        media = choose(request.headers.get("accept"), list(documents))
        if media is None:
            return _plain(406, "available as " + ", ".join(documents), {"vary": "Accept"})
        location = documents[media]
        return _respond(303, f"See {location}\n".encode(), "text/plain",
                        {"location": location, "vary": "Accept"})  # fmt: skip

    # -- /id/: Linked Data --

    def resource(self, request: Request, segs: list[str]) -> Response:
        *folders, name = segs
        stem, dot, ext = name.rpartition(".")
        if stem and dot + ext in _DOCUMENTS:
            iri = self.base + "/".join([*folders, stem])
            return self.static(request, segs, {"link": f'<{iri}>; rel="describes"'})
        if within(self.site, [*folders, f"{name}.html"]) is None:
            return self.not_found(f"no resource {'/'.join(segs)}")
        where = "/" + "/".join(quote(s) for s in segs)
        return self.negotiate(request, {m: where + e for m, e in _RESOURCE_OFFERS.items()})

    # -- /sparql --

    async def sparql(self, request: Request) -> Response:
        params = parse_qs(request.url.query, keep_blank_values=True)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST":
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return _plain(411, "a Content-Length is required", {"connection": "close"})
            if int(length) > MAX_BODY:
                return _plain(413, f"at most {MAX_BODY} bytes", {"connection": "close"})
            body = (await request.body()).decode("utf-8", "replace")
            if ctype == "application/sparql-query":
                params["query"] = [body]
            elif ctype == "application/x-www-form-urlencoded":
                params.update(parse_qs(body, keep_blank_values=True))
            elif ctype != "application/sparql-update":
                return _plain(415, "send application/sparql-query or a form")
        elif request.method not in ("GET", "HEAD"):
            return _plain(405, "GET or POST", {"allow": _SPARQL_METHODS})
        if "update" in params or ctype == "application/sparql-update":
            return _plain(403, "this endpoint is read-only: updates are not allowed")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return _plain(
                400,
                "default-graph-uri and named-graph-uri are not supported: the default graph is "
                "the union of the named graphs; use GRAPH <…> for one of them",
            )
        queries = params.get("query", [])
        if not queries and request.method != "POST":
            page = sparql_html(self.base, query=None, result=None, error=None)
            return _respond(200, page, _HTML)
        if len(queries) != 1:
            return _plain(400, "expected one query parameter")
        fmt = params.get("format", [""])[0]
        if fmt and fmt not in _FORMATS:
            return _plain(400, "format is one of " + ", ".join(_FORMATS))
        return await self.answer(request, queries[0], fmt)

    def refuse(self, html: bool, status: int, text: str, message: str) -> Response:
        if not html:
            return _plain(status, message)
        page = sparql_html(self.base, query=text, result=None, error=message)
        return _respond(status, page, _HTML)

    async def answer(self, request: Request, text: str, fmt: str) -> Response:
        accept = request.headers.get("accept")
        html = not fmt and choose(accept, list(_SELECT_OFFERS)) == _HTML
        try:
            form = check_query(text, origin="query")
        except QueryError as exc:
            return self.refuse(html, _refusal_status(exc), text, str(exc))
        offers = _GRAPH_OFFERS if form in ("CONSTRUCT", "DESCRIBE") else _SELECT_OFFERS
        media = _FORMATS[fmt] if fmt else choose(accept, list(offers))
        if media is None or media not in offers:
            return _plain(406, "results are available as " + ", ".join(offers))
        if self.pool is None:  # pragma: no cover - the lifespan starts it
            return _plain(503, "the query processes are not started")
        pool, kind = self.pool, offers[media]
        try:
            answer = await anyio.to_thread.run_sync(
                lambda: pool.run(text, fmt=NATIVE if kind == "html" else kind, base=self.base)
            )
        except QueryTimeoutError as exc:
            return self.refuse(media == _HTML, 503, text, str(exc))
        except QueryBusyError as exc:
            return _plain(503, str(exc), {"retry-after": "1"})
        except QueryError as exc:
            return self.refuse(media == _HTML, 400, text, str(exc))
        headers = {"vary": "Accept"}
        if answer.result is not None:
            view = results_view(answer.result, text, self.base)
            page = sparql_html(self.base, query=text, result=view, error=None)
            return _respond(200, page, _HTML, headers)
        return _respond(200, answer.body or b"", media, headers)


def _refusal_status(exc: QueryError) -> int:
    """The HTTP status of a query the check refused."""
    if isinstance(exc, UnsafeQueryError):
        return 403
    if isinstance(exc, QueryTooLargeError):
        return 413
    return 400


def create_app(
    site: Path, *, base: str, store: Path, timeout: float, pool_size: int = 2
) -> Starlette:
    """The ASGI application serving ``site`` (run it with uvicorn, or :func:`serve`).

    ``store`` is the embedded store the SPARQL endpoint queries, built at start-up from the
    site's ``exports/rdf/lowcarbon.nq`` when missing or stale; ``pool_size`` query processes
    open it, and ``timeout`` (seconds) limits each query.
    """
    app = _App(site, base=base, store=store, timeout=timeout, pool_size=pool_size)
    methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    routes = [Route("/{rest:path}", app.dispatch, methods=methods)]
    out = Starlette(routes=routes, lifespan=app.lifespan)
    out.state.lowcarbon = app
    return out


def query_pool(app: Starlette) -> QueryPool | None:
    """The query processes of an application made by :func:`create_app`, once started."""
    pool: QueryPool | None = app.state.lowcarbon.pool
    return pool
