"""Test helpers: the dataset as N-Quads and a store, real SPARQL servers, result normalising.

Fixtures (tests/conftest.py registers them, so each is made once per session; importing one
into a test module would make a second copy for that module):

- ``dataset_nq``: a project root in a temp dir with ``exports/rdf/lowcarbon.nq`` built from
  a pipeline of its own (what ``lowcarbon build`` writes), and its ``store/`` built. Not the
  shared ``pipe``: validating with ``pipe.shapes`` adds pyshacl's two system triples to it,
  so N-Quads made from it would depend on which tests ran first.
- ``rdflib_dataset``: the same N-Quads in an rdflib ``Dataset`` with ``default_union=True``.
- ``oxigraph_server``, ``virtuoso_server``: a server on a free loopback port, started once per
  session and stopped at the end. A missing binary skips the test, or fails it when CI=true.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from lowcarbon.export import dataset_files
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.query import QueryResult
from lowcarbon.query.store import ensure_store
from lowcarbon.vocab import GRAPH_NAMES, graph_iri

ROOT = Path(__file__).resolve().parent.parent
GRAPHS = tuple(graph_iri(DEFAULT_BASE, n) for n in GRAPH_NAMES)
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "decimal",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


# --- the dataset --------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """A throwaway project root holding the exports' N-Quads and the store built from them."""

    root: Path
    nquads: bytes
    #: the named graphs the N-Quads were made from (do not modify them)
    named_graphs: dict[str, rdflib.Graph]

    @property
    def nq_path(self) -> Path:
        return self.root / "exports" / "rdf" / "lowcarbon.nq"

    @property
    def store(self) -> Path:
        return self.root / "store"


def build_project(root: Path) -> Project:
    graphs = Pipeline(Paths(ROOT)).named_graphs
    nq = dataset_files(graphs)["rdf/lowcarbon.nq"]
    path = root / "exports" / "rdf" / "lowcarbon.nq"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(nq)
    ensure_store(root / "store", nquads=path)
    return Project(root, nq, graphs)


@pytest.fixture(scope="session")
def dataset_nq(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return build_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def rdflib_dataset(dataset_nq: Project) -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=dataset_nq.nquads, format="nquads")
    return ds


# --- comparing results across engines -----------------------------------------------------


def norm_term(t: Any) -> Any:
    """A term as engines agree on it.

    Language tags lowercased (pyoxigraph and Virtuoso lowercase them); numbers compared by
    value whatever their numeric type (COUNT is xsd:integer in pyoxigraph and rdflib, xsd:int
    in Virtuoso); plain strings untyped.
    """
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode",)
    if isinstance(t, ox.Literal):
        if t.language:
            return ("lang", t.value, t.language.lower())
        dt = t.datatype.value
        if dt in NUMERIC:
            try:
                return ("num", Decimal(t.value).normalize())
            except InvalidOperation:
                return ("lit", t.value, dt)
        if dt == XSD + "string":
            return ("str", t.value)
        return ("lit", t.value, dt)
    return ("triple", norm_term(t.subject), norm_term(t.predicate), norm_term(t.object))


def comparable(result: QueryResult, *, ordered: bool) -> Any:
    """A value equal across engines iff the results are.

    Rows stay in order when the query has ORDER BY (every named query's order is total) and
    are sorted otherwise; CONSTRUCT triples are compared as a set.
    """
    if result.form == "ASK":
        return result.boolean
    if result.is_graph:
        return sorted(
            {
                tuple(norm_term(x) for x in (t.subject, t.predicate, t.object))
                for t in result.triples
            },
            key=repr,
        )
    rows = [tuple(norm_term(x) for x in row) for row in result.rows]
    return (result.variables, rows if ordered else sorted(rows, key=repr))


def is_ordered(text: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", text, re.IGNORECASE) is not None


# --- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def require_binary(name: str, *candidates: Path, install: str) -> str:
    """The path of a server binary; skip without it, but fail when CI=true (CI installs it)."""
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed ({install})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI=true requires every server binary", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: where to PUT graphs, where to query, who may write."""

    name: str
    gsp: str
    query: str
    user: str | None
    password: str | None
    proc: subprocess.Popen[bytes]
    log: Path
    #: host:port of Virtuoso's SQL server (for ``isql-vt`` and its bulk loader); None elsewhere.
    sql: str | None = None

    def credentials(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Put the server's credentials where :func:`lowcarbon.store.load` reads them."""
        if self.user is None:
            monkeypatch.delenv("LOWCARBON_ENDPOINT_USER", raising=False)
            monkeypatch.delenv("LOWCARBON_ENDPOINT_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("LOWCARBON_ENDPOINT_USER", self.user)
            monkeypatch.setenv("LOWCARBON_ENDPOINT_PASSWORD", self.password or "")


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            pytest.fail(f"server exited with {proc.returncode} while starting:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback
                if resp.status == 200:
                    return time.monotonic() - start
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:]
    pytest.fail(f"server not ready after {timeout} s:\n{tail}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


STARTUP: dict[str, float] = {}  # seconds each server took to start, for the report


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of the ``oxigraph`` PyPI package (a dev dependency)."""
    return require_binary(
        "oxigraph", Path(sys.executable).parent / "oxigraph", install="pip install oxigraph"
    )


@contextlib.contextmanager
def run_oxigraph(workdir: Path) -> Iterator[Server]:
    """``oxigraph serve`` on a free loopback port; GSP at /store, queries at /query.

    It serves ``workdir/data``: whatever ``oxigraph load --location workdir/data`` put there.
    """
    binary = oxigraph_binary()
    port = free_port()
    log = workdir / "oxigraph.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(workdir / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        STARTUP["oxigraph"] = _wait_ready(f"{base}/query?query=ASK%7B%7D", proc, log, 30)
        yield Server("oxigraph", f"{base}/store", f"{base}/query", None, None, proc, log)
    finally:
        _stop(proc)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
DirsAllowed = ., {dir}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@contextlib.contextmanager
def run_virtuoso(workdir: Path) -> Iterator[Server]:
    """``virtuoso-t +foreground`` with a generated virtuoso.ini in ``workdir``.

    Both ports are bound to 127.0.0.1. Graphs are written through the Graph Store Protocol
    endpoint /sparql-graph-crud-auth with HTTP digest auth as dba/dba (the password of a
    fresh database); the anonymous /sparql-graph-crud answers 403 unless the SPARQL user is
    granted write access, which a test server has no reason to do. Queries go to /sparql.
    """
    binary = require_binary(
        "virtuoso-t", install="apt-get install virtuoso-opensource (Debian package)"
    )
    sql_port, http_port = free_port(), free_port()
    (workdir / "vsp").mkdir(parents=True, exist_ok=True)
    ini = workdir / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port), encoding="utf-8"
    )
    log = workdir / "virtuoso.out"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=workdir,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        STARTUP["virtuoso"] = _wait_ready(f"{base}/sparql?query=ASK%7B%7D", proc, log, 90)
        yield Server(
            "virtuoso",
            f"{base}/sparql-graph-crud-auth",
            f"{base}/sparql",
            "dba",
            "dba",
            proc,
            log,
            sql=f"127.0.0.1:{sql_port}",
        )
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with run_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with run_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


# --- fault injection and connection recording ---------------------------------------------


class FlakyProxy:
    """An HTTP proxy to ``target`` (scheme://host:port) that breaks a load midway.

    It lets ``fail_after`` PUTs succeed, then drops the connection of the next one without an
    answer. It counts successes, not requests: a digest-auth PUT is sent twice, the first
    one being answered 401.
    """

    def __init__(self, target: str, *, fail_after: int) -> None:
        self.target = target.rstrip("/")
        self.fail_after = fail_after
        self.succeeded = 0
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if self.command == "PUT" and proxy.succeeded == proxy.fail_after:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() in ("content-type", "accept", "authorization")
                }
                req = urllib.request.Request(  # noqa: S310 - loopback
                    proxy.target + self.path, data=body, method=self.command, headers=headers
                )
                try:
                    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310
                        status, out_headers, data = resp.status, resp.headers, resp.read()
                except urllib.error.HTTPError as exc:
                    status, out_headers, data = exc.code, exc.headers, exc.read()
                if self.command == "PUT" and 200 <= status < 300:
                    proxy.succeeded += 1
                self.send_response(status)
                for k, v in out_headers.items():
                    if k.lower() in ("content-type", "www-authenticate"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _relay

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FlakyProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Listener:
    """A loopback socket that listens and records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def connections(self) -> int:
        n = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return n
            conn.close()
            n += 1

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
