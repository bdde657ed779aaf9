"""The embedded store and loading: built from the exports, swapped whole, loads verified."""

from __future__ import annotations

import argparse
import base64
import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lowcarbon.errors import exit_code_for
from lowcarbon.pipeline import Pipeline
from lowcarbon.query.store import (
    LoadError,
    LoadVerificationError,
    StoreError,
    ensure_store,
    graphs_from_nquads,
    guess_query_endpoint,
    load,
    open_store,
    refresh_store,
)
from servers import GRAPHS, Listener, Project


def quads(store: ox.Store) -> int:
    return len(store)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".store.") and p.is_dir())


# --- N-Quads ------------------------------------------------------------------------------


def test_nquads_round_trip_through_two_parsers(dataset_nq: Project) -> None:
    """Every named graph survives N-Quads, read by rdflib and by pyoxigraph alike."""
    graphs = dataset_nq.named_graphs
    data = dataset_nq.nquads
    lines = data.decode("utf-8").split("\n")[:-1]
    # dataset_nq is dataset_files(graphs) (tests/servers.py); test_export checks that two
    # calls give the same bytes, test_cli that another process does
    assert lines == sorted(lines)
    ds = rdflib.Dataset()
    ds.parse(data=data, format="nquads")
    split = graphs_from_nquads(data)
    for iri, g in graphs.items():
        assert isomorphic(ds.graph(rdflib.URIRef(iri)), g), iri
        if len(g):
            got = {q.triple for q in ox.parse(split[iri], ox.RdfFormat.N_TRIPLES)}
            assert len(got) == len(g), iri
    assert set(split) == {iri for iri, g in graphs.items() if len(g)}  # empty graphs vanish


def test_graphs_from_nquads_keeps_empty_graphs_to_empty_them() -> None:
    """A graph that became empty must still be PUT (empty), or the remote keeps old data."""
    base = "https://example.org/ds/"
    nq = f'<{base}s> <{base}p> "x" <{base}graph/data> .\n'.encode()
    split = graphs_from_nquads(nq, names=("data", "metadata"))
    assert split == {
        f"{base}graph/data": f'<{base}s> <{base}p> "x" .\n'.encode(),
        f"{base}graph/metadata": b"",
    }
    assert list(graphs_from_nquads(nq)) == [f"{base}graph/data"]


def test_graphs_from_nquads_refuses_the_default_graph() -> None:
    with pytest.raises(StoreError, match="only named graphs"):
        graphs_from_nquads(b"<http://e/s> <http://e/p> <http://e/o> .\n")
    with pytest.raises(StoreError, match="do not parse"):
        graphs_from_nquads(b"<http://e/s> <http://e/p> .\n")


# --- the embedded store -------------------------------------------------------------------


def test_open_store_builds_from_exports(tmp_path: Path, dataset_nq: Project) -> None:
    nq = tmp_path / "exports" / "rdf" / "lowcarbon.nq"
    nq.parent.mkdir(parents=True)
    nq.write_bytes(dataset_nq.nquads)
    store = open_store(tmp_path / "store")  # default: exports/rdf/lowcarbon.nq beside it
    n = len(dataset_nq.nquads.splitlines())
    assert quads(store) == n
    assert {g.value for g in store.named_graphs()} <= set(GRAPHS)
    del store
    assert ensure_store(tmp_path / "store") is False  # current: nothing to do
    # the exports change (a build): the store follows on next use
    nq.write_bytes(dataset_nq.nquads + b'<http://e/s> <http://e/p> "x" <http://e/g> .\n')
    assert ensure_store(tmp_path / "store") is True
    assert quads(open_store(tmp_path / "store", read_only=True)) == n + 1
    assert leftovers(tmp_path) == []


def test_open_store_without_exports(tmp_path: Path, dataset_nq: Project) -> None:
    with pytest.raises(StoreError, match="run `lowcarbon build` first") as e:
        open_store(tmp_path / "store")
    assert exit_code_for(e.value) == 2
    refresh_store(tmp_path / "store", dataset_nq.nquads)
    # a store without its N-Quads file is used as it is
    assert quads(open_store(tmp_path / "store", read_only=True)) > 3000


def test_empty_store_is_built(tmp_path: Path, dataset_nq: Project) -> None:
    ox.Store(str(tmp_path / "store")).flush()  # an empty RocksDB directory
    nq = tmp_path / "data.nq"
    nq.write_bytes(dataset_nq.nquads)
    assert ensure_store(tmp_path / "store", nquads=nq) is True
    assert quads(open_store(tmp_path / "store", nquads=nq)) > 3000


def test_concurrent_first_use_builds_once(tmp_path: Path, dataset_nq: Project) -> None:
    """Two commands started together on a fresh checkout: one builds, the other waits."""
    nq = tmp_path / "d.nq"
    nq.write_bytes(dataset_nq.nquads)
    with ThreadPoolExecutor(4) as pool:
        built = list(pool.map(lambda _: ensure_store(tmp_path / "store", nquads=nq), range(4)))
    assert sorted(built) == [False, False, False, True]
    assert quads(open_store(tmp_path / "store", nquads=nq, read_only=True)) > 3000
    assert leftovers(tmp_path) == [] and not list(tmp_path.glob("*.lock"))


def test_refresh_replaces_and_counts(tmp_path: Path, dataset_nq: Project) -> None:
    path = tmp_path / "store"
    n = refresh_store(path, dataset_nq.nquads)
    assert n == len(dataset_nq.nquads.splitlines())
    one = b'<http://e/s> <http://e/p> "x" <http://e/g> .\n'
    assert refresh_store(path, one) == 1
    store = ox.Store.read_only(str(path))
    assert quads(store) == 1
    assert leftovers(tmp_path) == []


def test_failed_refresh_leaves_the_old_store(tmp_path: Path, dataset_nq: Project) -> None:
    path = tmp_path / "store"
    n = refresh_store(path, dataset_nq.nquads)
    with pytest.raises(StoreError, match="do not parse"):
        refresh_store(path, dataset_nq.nquads + b"<broken\n")
    assert quads(ox.Store.read_only(str(path))) == n
    assert leftovers(tmp_path) == []


def test_read_only_opens_beside_a_writer(tmp_path: Path, dataset_nq: Project) -> None:
    """The query runner opens read-only snapshots while a read-write store may be open."""
    nq = tmp_path / "d.nq"
    nq.write_bytes(dataset_nq.nquads)
    writer = open_store(tmp_path / "store", nquads=nq)
    reader = open_store(tmp_path / "store", nquads=nq, read_only=True)
    assert quads(reader) == quads(writer)


# --- loading: the parts that need no real server ------------------------------------------


def test_dry_run_sends_nothing(dataset_nq: Project) -> None:
    graphs = graphs_from_nquads(dataset_nq.nquads)
    with Listener() as listener:
        report = load(f"{listener.url}/store", graphs, dry_run=True)
        assert listener.connections() == 0
    assert report.dry_run and report.query_endpoint == f"{listener.url}/query"
    lines = report.format().splitlines()
    assert len(lines) == len(graphs)
    data_iri = GRAPHS[0]
    data = next(g for g in report.graphs if g.iri == data_iri)
    assert data.url == f"{listener.url}/store?graph={urllib.parse.quote(data_iri, safe='')}"
    assert (data.method, data.content_type, data.size) == (
        "PUT",
        "application/n-triples",
        len(graphs[data_iri]),
    )
    assert data.triples == len(graphs[data_iri].splitlines())
    assert f"would send: PUT {data.url}  application/n-triples  {data.size} bytes" in lines[0]


def test_load_takes_rdflib_graphs_and_turtle(pipe: Pipeline) -> None:
    g = pipe.ontology
    turtle = b"@prefix e: <http://e/> . e:s e:p e:o, e:o2 ."
    report = load(
        "http://127.0.0.1:9/store", {"http://e/g1": g, "http://e/g2": turtle}, dry_run=True
    )
    a, b = report.graphs
    assert (a.content_type, a.triples) == ("application/n-triples", len(g))
    assert (b.content_type, b.triples) == ("text/turtle", 2)
    with pytest.raises(LoadError, match="neither N-Triples nor Turtle"):
        load("http://127.0.0.1:9/store", {"http://e/g": b"<nope"}, dry_run=True)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/store", "127.0.0.1:7878/store", "http:///store"],
)
def test_load_refuses_non_http(url: str) -> None:
    with pytest.raises(StoreError, match="expected an http:// or https:// URL") as e:
        load(url, {}, dry_run=True)
    assert exit_code_for(e.value) == 2


def test_load_refuses_credentials_in_the_url() -> None:
    with pytest.raises(StoreError, match="LOWCARBON_ENDPOINT_USER"):
        load("http://dba:dba@127.0.0.1:8890/sparql-graph-crud-auth", {}, dry_run=True)


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("http://h:7878/store", "http://h:7878/query"),
        ("http://h:8890/sparql-graph-crud-auth", "http://h:8890/sparql"),
        ("http://h:8890/sparql-graph-crud", "http://h:8890/sparql"),
        ("https://h/ds/data", "https://h/ds/query"),
        ("http://h/repositories/r/rdf-graphs/service", "http://h/repositories/r"),
        ("http://h/somewhere", None),
    ],
)
def test_guess_query_endpoint(endpoint: str, query: str | None) -> None:
    assert guess_query_endpoint(endpoint) == query


class FakeStore:
    """A tiny Graph Store Protocol server behind HTTP basic auth, for the client's logic.

    It keeps each PUT body and answers COUNT queries, ``drop`` triples short.
    """

    def __init__(self, *, user: str, password: str, drop: int = 0) -> None:
        self.graphs: dict[str, bytes] = {}
        self.requests: list[tuple[str, str, str | None]] = []
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: bytes = b"", ctype: str = "text/plain") -> None:
                self.send_response(status)
                if status == 401:
                    self.send_header("WWW-Authenticate", 'Basic realm="fake"')
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                auth = self.headers.get("Authorization")
                fake.requests.append(("PUT", self.path, auth))
                if auth != f"Basic {token}":
                    return self._answer(401)
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
                fake.graphs[graph] = body
                self._answer(204)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append(("POST", self.path, self.headers.get("Authorization")))
                query = urllib.parse.parse_qs(body.decode())["query"][0]
                graph = query.split("GRAPH <", 1)[1].split(">", 1)[0]
                n = max(len(fake.graphs.get(graph, b"").splitlines()) - drop, 0)
                doc = {
                    "head": {"vars": ["n"]},
                    "results": {
                        "bindings": [
                            {"n": {"type": "literal", "value": str(n), "datatype": XSD_INT}}
                        ]
                    },
                }
                self._answer(200, json.dumps(doc).encode(), "application/sparql-results+json")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"


@pytest.fixture
def fake() -> Iterator[FakeStore]:
    server = FakeStore(user="ada", password="s3cret")  # noqa: S106 - a test server
    yield server
    server.close()


def test_load_with_credentials_from_the_environment(
    fake: FakeStore, dataset_nq: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    graphs = graphs_from_nquads(dataset_nq.nquads)
    monkeypatch.delenv("LOWCARBON_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("LOWCARBON_ENDPOINT_PASSWORD", raising=False)
    with pytest.raises(LoadError, match="HTTP 401") as e:
        load(f"{fake.url}/store", graphs)
    assert f"0 of {len(graphs)} graphs loaded; PUT replaces graphs, so rerun" in str(e.value)
    monkeypatch.setenv("LOWCARBON_ENDPOINT_USER", "ada")
    monkeypatch.setenv("LOWCARBON_ENDPOINT_PASSWORD", "s3cret")
    report = load(f"{fake.url}/store", graphs)
    assert report.ok and fake.graphs == graphs
    assert all(g.status == 204 and g.remote_triples == g.triples for g in report.graphs)
    assert all("s3cret" not in path for _, path, _ in fake.requests)


def test_load_reports_a_count_mismatch(
    dataset_nq: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeStore(user="ada", password="pw", drop=1)  # noqa: S106 - a test server
    monkeypatch.setenv("LOWCARBON_ENDPOINT_USER", "ada")
    monkeypatch.setenv("LOWCARBON_ENDPOINT_PASSWORD", "pw")
    try:
        with pytest.raises(LoadVerificationError, match="triple counts differ") as e:
            load(f"{server.url}/store", graphs_from_nquads(dataset_nq.nquads))
    finally:
        server.close()
    assert exit_code_for(e.value) == 1
    assert "MISMATCH" in e.value.report.format()


def test_load_needs_a_query_endpoint(dataset_nq: Project) -> None:
    with pytest.raises(LoadError, match="--query-endpoint"):
        load("http://127.0.0.1:9/elsewhere", graphs_from_nquads(dataset_nq.nquads))


# --- the command line (runs once the lead wires `lowcarbon load` into cli.py) -------------


def _has_command(name: str) -> bool:
    from lowcarbon.cli import build_parser

    return any(
        isinstance(a, argparse._SubParsersAction) and name in a.choices
        for a in build_parser()._actions
    )


cli = pytest.mark.skipif(not _has_command("load"), reason="`lowcarbon load` is not wired yet")


@cli
def test_cli_load_dry_run(dataset_nq: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from lowcarbon.cli import main

    with Listener() as listener:
        r = main(["load", "--root", str(dataset_nq.root), f"{listener.url}/store", "--dry-run"])
        assert listener.connections() == 0
    out, err = capsys.readouterr()
    assert r == 0, err
    assert out.startswith(f"would send: PUT {listener.url}/store?graph=https%3A%2F%2F")
    assert "application/n-triples" in out and " triples" in out


@cli
def test_cli_load_exit_codes(
    dataset_nq: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from lowcarbon.cli import main

    root = str(dataset_nq.root)
    assert main(["load", "--root", root, "file:///tmp/store", "--dry-run"]) == 2
    assert "expected an http:// or https:// URL" in capsys.readouterr().err
    server = FakeStore(user="u", password="p", drop=1)  # noqa: S106 - a test server
    monkeypatch.setenv("LOWCARBON_ENDPOINT_USER", "u")
    monkeypatch.setenv("LOWCARBON_ENDPOINT_PASSWORD", "p")
    try:
        assert main(["load", "--root", root, f"{server.url}/store"]) == 1
    finally:
        server.close()
    out, err = capsys.readouterr()
    assert "MISMATCH" in out and "triple counts differ" in err
    assert main(["load", "--root", "/nonexistent", "http://127.0.0.1:9/store"]) == 2
