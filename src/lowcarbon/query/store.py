"""The embedded triple store (pyoxigraph) and loading the dataset into remote SPARQL stores."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import os
import shutil
import tempfile
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from lowcarbon.errors import EXIT_STALE, LoadError, LowcarbonError, StoreError
from lowcarbon.query import remote
from lowcarbon.query.remote import PASSWORD_ENV, USER_ENV
from lowcarbon.vocab import NQUADS_DUMP

if TYPE_CHECKING:
    import httpx
    from rdflib import Graph

__all__ = [
    "PASSWORD_ENV",
    "USER_ENV",
    "GraphLoad",
    "LoadError",
    "LoadReport",
    "LoadVerificationError",
    "StoreError",
    "default_nquads",
    "ensure_store",
    "graph_ntriples",
    "graphs_from_nquads",
    "guess_query_endpoint",
    "load",
    "open_store",
    "refresh_store",
    "require_http",
]

_STAMP = "lowcarbon-nquads.sha256"
_NTRIPLES = "application/n-triples"
_TURTLE = "text/turtle"


class LoadVerificationError(LowcarbonError):
    """After loading, the remote store does not hold the triples that were sent (exit 1)."""

    exit_code = EXIT_STALE

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        bad = [g for g in report.graphs if not g.ok]
        what = "; ".join(f"<{g.iri}> sent {g.triples}, store has {g.remote_triples}" for g in bad)
        super().__init__(f"{report.query_endpoint}: triple counts differ: {what}")


# --- the embedded store -------------------------------------------------------------------


def default_nquads(store: Path) -> Path:
    """The N-Quads of a store at ``{root}/store``: ``{root}/exports/rdf/lowcarbon.nq``."""
    return store.parent / "exports" / NQUADS_DUMP


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(store: Path) -> str | None:
    try:
        return (store / _STAMP).read_text(encoding="ascii").strip()
    except OSError:
        return None


def _exists(store: Path) -> bool:
    return (store / "CURRENT").is_file()


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[None]:
    # an flock on the parent directory itself: no lock file left behind in the project root
    parent = store.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def refresh_store(path: Path, nquads: bytes) -> int:
    """Replace the store at ``path`` with the quads of ``nquads``; return the quad count.

    The quads are bulk-loaded into a fresh sibling directory which then takes the place of the
    old store (two renames, under a lock file beside the store), so a failed load leaves the
    old store untouched and readers never see a half-loaded one. Processes that hold the old
    store open keep reading their snapshot.
    """
    with _locked(path):
        return _refresh(path, nquads)


def _refresh(path: Path, nquads: bytes) -> int:
    path = path.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.new-", dir=path.parent))
    old: Path | None = None
    try:
        store = ox.Store(str(tmp))
        try:
            store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise StoreError(f"the N-Quads do not parse: {exc}") from exc
        count = len(store)
        store.flush()
        del store
        # closes the RocksDB instance before the directory moves (del alone does, unless a
        # cycle holds it: one made here is young); a full collection would walk every object
        # of the caller, 0.05 s in a build
        gc.collect(1)
        (tmp / _STAMP).write_text(_sha256(nquads) + "\n", encoding="ascii")
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
            os.replace(path, old / "store")
        try:
            os.replace(tmp, path)
        except OSError:
            if old is not None:
                os.replace(old / "store", path)
            raise
    except OSError as exc:
        raise StoreError(f"cannot build the store at {path}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return count


def ensure_store(path: Path, *, nquads: Path | None = None) -> bool:
    """Make the store at ``path`` hold the quads of ``nquads``; True when it was (re)built.

    It is built when it is missing or empty, and rebuilt when it was built from other bytes
    than the current ``nquads`` (default: :func:`default_nquads`). Without the N-Quads file
    an existing store is used as it is.
    """
    source = nquads or default_nquads(path)
    if _exists(path):
        if not source.is_file():
            return False
        # hashing a few MB is cheap next to a query; it keeps the store in step with exports/
        if _stamp(path) == _sha256(source.read_bytes()):
            return False
    elif not source.is_file():
        raise StoreError(
            f"no store at {path} and no {source} to build it from: run `lowcarbon build` first"
        )
    with _locked(path):
        data = source.read_bytes()
        if _exists(path) and _stamp(path) == _sha256(data):
            return False  # another process built it while this one waited
        _refresh(path, data)
    return True


def open_store(path: Path, *, nquads: Path | None = None, read_only: bool = False) -> ox.Store:
    """Open the embedded store; build it first when it is missing, empty or stale.

    ``nquads`` defaults to ``exports/rdf/lowcarbon.nq`` beside the store (:func:`ensure_store`).

    A read-write store locks its directory; ``read_only=True`` opens a snapshot that any
    number of processes can hold at once (the query runner uses those).
    """
    ensure_store(path, nquads=nquads)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


# --- N-Triples and N-Quads ----------------------------------------------------------------


def _lines(data: bytes) -> list[str]:
    # split on "\n" only: str.splitlines() also breaks at U+2028 and the like inside literals
    return [line for line in data.decode("utf-8").split("\n") if line.strip()]


def graph_ntriples(graph: Graph) -> bytes:
    """An rdflib graph as N-Triples, lines sorted."""
    lines = sorted(_lines(graph.serialize(format="nt", encoding="utf-8")))
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def graphs_from_nquads(data: bytes, *, names: Sequence[str] = ()) -> dict[str, bytes]:
    """Split N-Quads into N-Triples per named graph (sorted lines), graphs sorted by IRI.

    For each of ``names`` (e.g. ``pipeline.GRAPH_NAMES``) the graph ``{base}graph/{name}`` is
    included even when no quad is in it, as an empty body: loading it then empties that
    graph in the remote store. The base is read off the graphs present.
    """
    groups: dict[str, list[str]] = {}
    try:
        for quad in ox.parse(data, ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise StoreError(
                    f"only named graphs can be loaded; found a triple in {quad.graph_name}"
                )
            groups.setdefault(quad.graph_name.value, []).append(f"{quad.triple} .\n")
    except SyntaxError as exc:
        raise StoreError(f"the N-Quads do not parse: {exc}") from exc
    bases = {iri.rsplit("graph/", 1)[0] for iri in groups if "graph/" in iri}
    for base in bases:
        for name in names:
            groups.setdefault(f"{base}graph/{name}", [])
    return {
        iri: "".join(sorted(set(lines))).encode("utf-8") for iri, lines in sorted(groups.items())
    }


# --- HTTP ---------------------------------------------------------------------------------


def require_http(url: str) -> str:
    """``url`` if it is an http(s) URL without credentials; a :class:`StoreError` otherwise."""
    try:
        return remote.require_http(url)
    except remote.RemoteError as exc:
        raise StoreError(str(exc)) from None


def guess_query_endpoint(endpoint: str) -> str | None:
    """The SPARQL query endpoint that goes with a Graph Store Protocol endpoint.

    Known layouts: Oxigraph, Virtuoso, Fuseki, RDF4J/GraphDB; ``None`` for others.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, replacement in (
        ("/store", "/query"),  # Oxigraph
        ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso
        ("/sparql-graph-crud", "/sparql"),
        ("/data", "/query"),  # Fuseki
        ("/rdf-graphs/service", ""),  # RDF4J, GraphDB
    ):
        if path.endswith(suffix):
            new = path[: -len(suffix)] + replacement
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))
    return None


# --- loading into a remote store ----------------------------------------------------------


@dataclass(frozen=True)
class GraphLoad:
    """One named graph of a load: what is (or would be) sent, and what the store then holds."""

    iri: str
    method: str
    url: str
    content_type: str
    size: int
    triples: int
    status: int | None = None
    remote_triples: int | None = None

    @property
    def ok(self) -> bool:
        """True when the store holds as many triples as were sent (or nothing was checked)."""
        return self.remote_triples is None or self.remote_triples == self.triples


@dataclass(frozen=True)
class LoadReport:
    """What :func:`load` sent (or would send) and verified."""

    endpoint: str
    query_endpoint: str | None
    graphs: tuple[GraphLoad, ...]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when every graph's triple count matched."""
        return all(g.ok for g in self.graphs)

    def format(self) -> str:
        """One line per graph, for the command line."""
        out = []
        for g in self.graphs:
            line = f"{g.method} {g.url}  {g.content_type}  {g.size} bytes  {g.triples} triples"
            if self.dry_run:
                line = "would send: " + line
            elif g.remote_triples is not None:
                mark = "ok" if g.ok else "MISMATCH"
                line += f"  -> HTTP {g.status}, store has {g.remote_triples} triples: {mark}"
            out.append(line)
        return "\n".join(out) + "\n"


def _body(iri: str, data: bytes | Graph) -> tuple[bytes, str, int]:
    if not isinstance(data, bytes):
        body = graph_ntriples(data)
        return body, _NTRIPLES, len(set(ox.parse(body, ox.RdfFormat.N_TRIPLES)))
    try:
        return data, _NTRIPLES, len(set(ox.parse(data, ox.RdfFormat.N_TRIPLES)))
    except SyntaxError:
        pass
    try:
        return data, _TURTLE, len(set(ox.parse(data, ox.RdfFormat.TURTLE)))
    except SyntaxError as exc:
        raise LoadError(f"graph <{iri}>: the data is neither N-Triples nor Turtle: {exc}") from exc


def _graph_url(endpoint: str, iri: str) -> str:
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{sep}graph={urllib.parse.quote(iri, safe='')}"


def _remote_count(http: httpx.Client, query_endpoint: str, iri: str, timeout: float) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    where = f"counting <{iri}> at {remote.redact(query_endpoint)}"
    try:
        answer = remote.request(
            http,
            "POST",
            query_endpoint,
            timeout=timeout,
            data=[("query", query)],
            headers={"Accept": "application/sparql-results+json"},
            max_bytes=1 << 20,
        )
        solutions = ox.parse_query_results(answer.body, ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101
        n = next(iter(solutions))[0]
        assert isinstance(n, ox.Literal)  # noqa: S101
        return int(n.value)
    except remote.RemoteError as exc:
        raise LoadError(f"{where}: {exc}") from exc
    except (SyntaxError, StopIteration, ValueError, AssertionError) as exc:
        raise LoadError(f"{where}: not a count ({exc})") from exc


def load(
    endpoint: str,
    graphs: Mapping[str, bytes | Graph],
    *,
    query_endpoint: str | None = None,
    dry_run: bool = False,
    timeout: float = 120.0,
) -> LoadReport:
    """Upload each named graph to a SPARQL 1.1 store with the Graph Store HTTP Protocol.

    Each graph is sent as ``PUT {endpoint}?graph=<iri>`` (N-Triples, or Turtle for bytes that
    are not N-Triples); PUT replaces the graph, so a second load, or a rerun after a failed
    one, leaves exactly the data sent. Credentials come from ``$LOWCARBON_ENDPOINT_USER`` and
    ``$LOWCARBON_ENDPOINT_PASSWORD`` (HTTP basic or digest). Afterwards the triple count of each
    graph is read back through ``query_endpoint`` (guessed for known servers) and
    :class:`LoadVerificationError` raised on any difference. ``dry_run`` sends nothing.
    """
    require_http(endpoint)
    if query_endpoint is None:
        query_endpoint = guess_query_endpoint(endpoint)
    if query_endpoint is not None:
        require_http(query_endpoint)
    plans: list[GraphLoad] = []
    bodies: dict[str, bytes] = {}
    for iri, data in graphs.items():
        body, ctype, n = _body(iri, data)
        bodies[iri] = body
        plans.append(GraphLoad(iri, "PUT", _graph_url(endpoint, iri), ctype, len(body), n))
    if dry_run:
        return LoadReport(endpoint, query_endpoint, tuple(plans), dry_run=True)
    if query_endpoint is None:
        raise LoadError(
            f"cannot tell the SPARQL query endpoint of {endpoint}: give it (--query-endpoint)"
        )
    done: list[GraphLoad] = []
    with remote.client(timeout) as http:
        for i, plan in enumerate(plans):
            try:
                answer = remote.request(
                    http,
                    "PUT",
                    plan.url,
                    timeout=timeout,
                    content=bodies[plan.iri],
                    headers={"Content-Type": f"{plan.content_type}; charset=utf-8"},
                    max_bytes=1 << 20,
                )
            except remote.RemoteError as exc:
                raise LoadError(
                    f"{exc} ({i} of {len(plans)} graphs loaded; PUT replaces graphs, so rerun "
                    "the load)"
                ) from exc
            done.append(replace(plan, status=answer.status))
        checked = tuple(
            replace(g, remote_triples=_remote_count(http, query_endpoint, g.iri, timeout))
            for g in done
        )
    report = LoadReport(endpoint, query_endpoint, checked)
    if not report.ok:
        raise LoadVerificationError(report)
    return report
