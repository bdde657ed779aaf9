"""Real SPARQL servers: ``lowcarbon load`` verifies, repeats and recovers; the CLI queries them.

Every named query on every way of loading is in ``test_query_matrix.py``. An Oxigraph server
(``oxigraph serve``, from the ``oxigraph`` PyPI package) and a Virtuoso (Debian
``virtuoso-opensource``) are each started once, on free loopback ports, and stopped at the end. Without a binary the tests skip, unless CI=true, where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lowcarbon.query import QueryResult, get_query, list_queries, run_query, run_query_remote
from lowcarbon.query.store import LoadError, LoadReport, graphs_from_nquads, load
from servers import (
    GRAPHS,
    FlakyProxy,
    Project,
    Server,
    comparable,
    dataset_nq,
    oxigraph_server,
    require_binary,
    virtuoso_server,
)

_FIXTURES = (dataset_nq, oxigraph_server, virtuoso_server)
NAMES = [name for name, _ in list_queries()]


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    started: Server = request.getfixturevalue(f"{request.param}_server")
    return started


@pytest.fixture
def creds(server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    server.credentials(monkeypatch)
    yield server


@pytest.fixture(scope="module")
def graphs(dataset_nq: Project) -> dict[str, bytes]:
    """The named graphs as ``lowcarbon load`` sends them: split from the N-Quads."""
    return graphs_from_nquads(dataset_nq.nquads)


@pytest.fixture(scope="module")
def loaded(server: Server, graphs: dict[str, bytes]) -> LoadReport:
    with pytest.MonkeyPatch.context() as mp:
        server.credentials(mp)
        return load(server.gsp, graphs, query_endpoint=server.query)


@pytest.fixture(scope="module")
def embedded(dataset_nq: Project) -> dict[str, QueryResult]:
    return {n: run_query(dataset_nq.store, get_query(n).bind(), timeout=None) for n in NAMES}


def total(server: Server) -> int:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    res = run_query_remote(server.query, text, default_graphs=GRAPHS)
    value = res.rows[0][0]
    return int(value.value)  # type: ignore[union-attr]


@pytest.mark.server
def test_load_verifies_every_graph(loaded: LoadReport, graphs: dict[str, bytes]) -> None:
    assert loaded.ok and not loaded.dry_run
    assert [g.iri for g in loaded.graphs] == list(graphs)
    for g in loaded.graphs:
        assert g.status in (200, 201, 204), g
        assert g.remote_triples == g.triples == len(graphs[g.iri].splitlines()), g.iri


@pytest.mark.server
def test_loading_twice_gives_the_same_counts(
    loaded: LoadReport, creds: Server, graphs: dict[str, bytes]
) -> None:
    before = total(creds)
    again = load(creds.gsp, graphs, query_endpoint=creds.query)
    assert [(g.iri, g.remote_triples) for g in again.graphs] == [
        (g.iri, g.remote_triples) for g in loaded.graphs
    ]
    assert total(creds) == before == sum(g.triples for g in loaded.graphs)


@pytest.mark.server
def test_interrupted_load_then_rerun(
    loaded: LoadReport,
    creds: Server,
    graphs: dict[str, bytes],
    embedded: dict[str, QueryResult],
) -> None:
    """A load cut off after the first graph leaves a mix; rerunning it repairs everything."""
    first, *rest = graphs
    # 1. the store holds an older state: every graph with only half its triples
    stale = {iri: b"".join(body.splitlines(keepends=True)[::2]) for iri, body in graphs.items()}
    load(creds.gsp, stale, query_endpoint=creds.query)
    # 2. the load of the current data dies on its second PUT (the connection drops)
    target = creds.gsp.split("/", 3)
    with (
        FlakyProxy("/".join(target[:3]), fail_after=1) as proxy,
        pytest.raises(LoadError, match=r"1 of \d graphs loaded; PUT replaces graphs, so rerun"),
    ):
        load(f"{proxy.url}/{target[3]}", graphs, query_endpoint=creds.query)
    counts = {g.iri: g.remote_triples for g in loaded.graphs}
    half = {iri: len(body.splitlines()) for iri, body in stale.items()}
    mixed = {iri: _count(creds, iri) for iri in graphs}
    assert mixed == {first: counts[first], **{iri: half[iri] for iri in rest}}
    # 3. the rerun ends with exactly the data, and the answers of the embedded store
    rerun = load(creds.gsp, graphs, query_endpoint=creds.query)
    assert {g.iri: g.remote_triples for g in rerun.graphs} == counts
    for name in ("timeline", "counts", "not-done"):
        text = get_query(name).bind()
        theirs = run_query_remote(creds.query, text)
        assert comparable(theirs, ordered=True) == comparable(embedded[name], ordered=True), name


def _count(server: Server, iri: str) -> int:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    value = run_query_remote(server.query, text).rows[0][0]
    return int(value.value)  # type: ignore[union-attr]


def test_missing_binary_skips_or_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locally a missing server skips its tests; in CI (CI=true) it is an error."""
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-server is not installed"):
        require_binary("no-such-server", install="nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires every server binary"):
        require_binary("no-such-server", install="nowhere")


def _has_commands(*names: str) -> bool:
    import argparse

    from lowcarbon.cli import build_parser

    choices = [
        a.choices for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ]
    return all(any(n in c for c in choices) for n in names)


@pytest.mark.server
@pytest.mark.skipif(not _has_commands("load", "query"), reason="CLI `load`/`query` not wired yet")
def test_cli_load_then_query_the_endpoint(
    loaded: LoadReport, creds: Server, dataset_nq: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from lowcarbon.cli import main

    root = str(dataset_nq.root)
    assert main(["load", "--root", root, creds.gsp, "--query-endpoint", creds.query]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok\n") == len(GRAPHS)  # all four named graphs, even an empty one
    argv = ["query", "--root", root, "-n", "co-participation", "-f", "tsv"]
    assert main(argv) == 0
    embedded_tsv = capsys.readouterr().out
    assert main([*argv, "--endpoint", creds.query]) == 0
    remote_tsv = capsys.readouterr().out
    # same rows; Virtuoso types COUNT as xsd:int where the store says xsd:integer
    assert remote_tsv.replace("^^<http://www.w3.org/2001/XMLSchema#int>", "") == embedded_tsv
