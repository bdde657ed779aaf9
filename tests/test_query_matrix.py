"""Each named query x each way of loading the published dataset into a store: the same rows.

The named queries read the data graph by name (``GRAPH <{base}graph/data>``), so they answer
the same on every store with its default settings, whatever its default graph is (Virtuoso:
the union of all graphs; Oxigraph, Jena TDB2: only the unnamed graph). Each loading gets its
own server, started on a free loopback port and stopped at the end:

- ``lowcarbon load`` (Graph Store Protocol PUT of each named graph) into Oxigraph and Virtuoso;
- the store's own loader of the published ``.nq`` (``oxigraph load``, Virtuoso's ``ld_dir`` +
  ``rdf_loader_run``), of the ``.trig`` (``oxigraph load``), and of the triples-only ``.ttl``
  loaded into the data graph, as README's loading instructions say.

No query sends ``default-graph-uri`` or ``named-graph-uri``: the store's own dataset answers.
A missing binary skips, or fails under CI=true (``servers.require_binary``).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lowcarbon.export import dataset_files
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.pipeline import Pipeline, graph_iri
from lowcarbon.query import QueryResult, get_query, list_queries, run_query, run_query_remote
from lowcarbon.query.store import graphs_from_nquads, load
from servers import (
    GRAPHS,
    Project,
    Server,
    comparable,
    dataset_nq,
    is_ordered,
    oxigraph_binary,
    require_binary,
    run_oxigraph,
    run_virtuoso,
)

_FIXTURES = (dataset_nq,)
NAMES = [name for name, _ in list_queries()]
DATA = graph_iri(DEFAULT_BASE, "data")


@dataclass(frozen=True)
class Dumps:
    """The published dump files, written to a folder the stores' loaders may read."""

    folder: Path
    counts: dict[str, int]  # graph IRI -> triples, as in the N-Quads

    def path(self, name: str) -> Path:
        return self.folder / name


@pytest.fixture(scope="module")
def dumps(pipe: Pipeline, dataset_nq: Project, tmp_path_factory: pytest.TempPathFactory) -> Dumps:
    folder = tmp_path_factory.mktemp("dumps")
    (folder / "lowcarbon.nq").write_bytes(dataset_nq.nquads)
    trig = dataset_files(pipe.named_graphs)["rdf/lowcarbon.trig"]
    (folder / "lowcarbon.trig").write_bytes(trig)
    (folder / "lowcarbon.ttl").write_bytes(pipe.described_files["rdf/lowcarbon.ttl"])
    graphs = graphs_from_nquads(dataset_nq.nquads)
    return Dumps(folder, {iri: len(body.splitlines()) for iri, body in graphs.items()})


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{cmd}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


# --- the loadings -------------------------------------------------------------------------

Loading = Callable[[Path, Dumps], contextlib.AbstractContextManager[Server]]


@contextlib.contextmanager
def _gsp(start: Callable[[Path], contextlib.AbstractContextManager[Server]], workdir: Path,
         dumps: Dumps) -> Iterator[Server]:  # fmt: skip
    """``lowcarbon load``: every named graph PUT through the Graph Store Protocol."""
    with start(workdir) as server, pytest.MonkeyPatch.context() as mp:
        server.credentials(mp)
        graphs = graphs_from_nquads(dumps.path("lowcarbon.nq").read_bytes())
        load(server.gsp, graphs, query_endpoint=server.query)
        yield server


@contextlib.contextmanager
def _oxigraph_load(file: str, graph: str | None, workdir: Path, dumps: Dumps) -> Iterator[Server]:
    """``oxigraph load --location DIR --file FILE [--graph G]``, then ``oxigraph serve`` on it."""
    cmd = [oxigraph_binary(), "load", "--location", str(workdir / "data")]
    cmd += ["--file", str(dumps.path(file))]
    if graph is not None:
        cmd += ["--graph", graph]
    _run(cmd)
    with run_oxigraph(workdir) as server:
        yield server


@contextlib.contextmanager
def _virtuoso_bulk(file: str, graph: str, workdir: Path, dumps: Dumps) -> Iterator[Server]:
    """Virtuoso's bulk loader: ``ld_dir(dir, file, graph); rdf_loader_run(); checkpoint;``.

    ``graph`` is where triples without a graph go (all of a ``.ttl``; none of a ``.nq``).
    """
    isql = require_binary("isql-vt", install="apt-get install virtuoso-opensource")
    with run_virtuoso(workdir) as server:
        assert server.sql is not None
        target = workdir / "dumps"
        target.mkdir()
        (target / file).write_bytes(dumps.path(file).read_bytes())
        # our own paths and IRIs, on a throwaway server
        load_files = f"ld_dir('{target}', '{file}', '{graph}');"
        report = "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;"
        sql = f"{load_files} rdf_loader_run(); checkpoint; {report}"
        out = _run([isql, server.sql, "dba", "dba", f"exec={sql}"])
        assert "NULL" in out.rsplit("LL_ERROR", 1)[1], f"the bulk loader reported an error:\n{out}"
        yield server


LOADINGS: dict[str, Loading] = {
    "oxigraph-lowcarbon-load": lambda w, d: _gsp(run_oxigraph, w, d),
    "oxigraph-load-nq": lambda w, d: _oxigraph_load("lowcarbon.nq", None, w, d),
    "oxigraph-load-trig": lambda w, d: _oxigraph_load("lowcarbon.trig", None, w, d),
    "oxigraph-load-ttl-into-data": lambda w, d: _oxigraph_load("lowcarbon.ttl", DATA, w, d),
    "virtuoso-lowcarbon-load": lambda w, d: _gsp(run_virtuoso, w, d),
    "virtuoso-bulk-nq": lambda w, d: _virtuoso_bulk("lowcarbon.nq", DATA, w, d),
    "virtuoso-bulk-ttl-into-data": lambda w, d: _virtuoso_bulk("lowcarbon.ttl", DATA, w, d),
}


@pytest.fixture(scope="module", params=list(LOADINGS))
def loaded(
    request: pytest.FixtureRequest, dumps: Dumps, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Server]]:
    name: str = request.param
    with LOADINGS[name](tmp_path_factory.mktemp(name), dumps) as server:
        yield name, server


@pytest.fixture(scope="module")
def embedded(dataset_nq: Project) -> dict[str, QueryResult]:
    return {n: run_query(dataset_nq.store, get_query(n).bind(), timeout=None) for n in NAMES}


def _count(server: Server, iri: str) -> int:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    value = run_query_remote(server.query, text).rows[0][0]
    return int(value.value)  # type: ignore[union-attr]


def size(result: QueryResult) -> int:
    return len(result.triples) if result.is_graph else len(result.rows)


# --- the matrix ---------------------------------------------------------------------------


@pytest.mark.server
def test_the_store_holds_what_was_loaded(loaded: tuple[str, Server], dumps: Dumps) -> None:
    name, server = loaded
    expected = {DATA: dumps.counts[DATA]} if "ttl" in name else dumps.counts
    assert {iri: _count(server, iri) for iri in expected} == expected
    assert set(expected) <= set(GRAPHS)


@pytest.mark.server
@pytest.mark.parametrize("query", NAMES)
def test_named_query_gives_the_embedded_rows(
    query: str, loaded: tuple[str, Server], embedded: dict[str, QueryResult]
) -> None:
    """The store's own default dataset: no default-graph-uri, no union setting."""
    name, server = loaded
    text = get_query(query).bind()
    theirs = run_query_remote(server.query, text, origin=query)
    mine = embedded[query]
    assert size(mine) > 0, f"{query} returns nothing on the embedded store"
    assert size(theirs) > 0, f"{query} returns nothing on {name} ({size(mine)} embedded)"
    ordered = is_ordered(text)
    assert comparable(theirs, ordered=ordered) == comparable(mine, ordered=ordered), name
