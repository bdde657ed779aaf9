"""SPARQL over the dataset: safety checks and the engines that run a query (sandboxed, remote)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from lowcarbon.errors import (
    QueryError,
    QueryTimeoutError,
    QueryTooLargeError,
    UnsafeQueryError,
)
from lowcarbon.query import guard, remote
from lowcarbon.query.named import (
    NamedQuery,
    Param,
    bind_params,
    get_query,
    list_queries,
    named_queries,
    parse_params,
    prepare,
    read_query,
)
from lowcarbon.query.options import DEFAULT_TIMEOUT, GRAPH_FORMATS, SELECT_FORMATS
from lowcarbon.query.results import (
    QueryResult,
    Term,
    display_prefixes,
    format_result,
)

# The library, result and error names are re-exported: ``lowcarbon.query`` stays the one import.
__all__ = [
    "DEFAULT_TIMEOUT",
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "NamedQuery",
    "Param",
    "QueryError",
    "QueryResult",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "Term",
    "UnsafeQueryError",
    "bind_params",
    "check_query",
    "display_prefixes",
    "format_result",
    "get_query",
    "list_queries",
    "named_queries",
    "parse_params",
    "prepare",
    "read_query",
    "run_query",
    "run_query_in_process",
    "run_query_rdflib",
    "run_query_remote",
]

_OX_ERROR_RE = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


# --- safety -------------------------------------------------------------------------------


def check_query(text: str, *, origin: str = "<query>") -> str:
    """Check ``text`` (:func:`lowcarbon.query.guard.check`) and return its form.

    ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. Raises :class:`UnsafeQueryError`
    for an update or a ``SERVICE`` (no request ever leaves), :class:`QueryTooLargeError`
    past the size limit, :class:`QueryError` with the line and column for text it cannot read.
    The engines run the canonical text the check returns, never ``text`` itself.
    """
    return guard.check(text, origin=origin).form


def _walk(node: Any) -> Iterable[Any]:
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        if isinstance(n, dict):
            stack.extend(dict.values(n))
        elif isinstance(n, list | tuple):
            stack.extend(n)
        elif hasattr(n, "asList") and callable(n.asList):  # pyparsing ParseResults
            stack.extend(list(n))


# --- engines ------------------------------------------------------------------------------

# pyoxigraph answers as a QueryResult, in this process or across the child process's pipe.


def _from_ox(form: str, res: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if isinstance(res, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(res))
    if isinstance(res, ox.QueryTriples):
        return QueryResult(form, triples=tuple(res))
    variables = tuple(v.value for v in res.variables)
    rows = tuple(tuple(sol[i] for i in range(len(variables))) for sol in res)
    return QueryResult("SELECT", variables, rows)


def _serialize_native(res: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> bytes:
    if isinstance(res, ox.QueryTriples):
        out = res.serialize(format=ox.RdfFormat.N_TRIPLES)
    else:
        out = res.serialize(format=ox.QueryResultsFormat.JSON)
    assert out is not None  # noqa: S101 - serialize returns bytes without an output
    return out


def _parse_native(form: str, payload: bytes) -> QueryResult:
    if form in ("CONSTRUCT", "DESCRIBE"):
        quads = ox.parse(payload, ox.RdfFormat.N_TRIPLES)
        return QueryResult(form, triples=tuple(q.triple for q in quads))
    return _from_ox(form, ox.parse_query_results(payload, ox.QueryResultsFormat.JSON))


def _syntax_error(message: str, origin: str, text: str) -> QueryError:
    m = _OX_ERROR_RE.match(message)
    if m:
        # pyoxigraph counts the column one past the character it stopped at; a long list of
        # what it expected (every token of the grammar) says less than the caret does.
        detail = m.group(3).strip()
        if len(detail) > 100 or "\n" in detail:
            detail = "the query is not valid SPARQL here"
        return QueryError(
            f"syntax error: {detail}",
            origin=origin,
            line=int(m.group(1)),
            column=max(int(m.group(2)) - 1, 1),
            text=text,
        )
    return QueryError(f"syntax error: {message}", origin=origin)


def run_query_in_process(
    store: ox.Store, text: str, *, form: str | None = None, origin: str = "<query>"
) -> QueryResult:
    """Run a trusted query on an open store in this process: no checks, no timeout.

    The default graph is the union of the named graphs (the dataset's four graphs).
    """
    try:
        res = store.query(text, use_default_graph_as_union=True)
        return _from_ox(form or "CONSTRUCT", res)
    except SyntaxError as exc:
        raise _syntax_error(str(exc), origin, text) from exc
    except OSError as exc:
        raise QueryError(f"the store failed: {exc}", origin=origin) from exc


def _remote_native(request: Mapping[str, Any]) -> bytes:
    """Query a remote endpoint; its answer, checked and parsed, in the native child format."""
    endpoint, form, timeout = request["endpoint"], request["form"], request["timeout"]
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    accept = (
        "application/n-triples, text/turtle;q=0.8"
        if graph_form
        else "application/sparql-results+json, application/sparql-results+xml;q=0.5"
    )
    fields = [
        ("query", request["query"]),
        *(("default-graph-uri", g) for g in request["graphs"]),
        *(("named-graph-uri", g) for g in request["named"]),
    ]
    with remote.client(timeout) as http:
        answer = remote.request(
            http, "POST", endpoint, timeout=timeout, data=fields, headers={"Accept": accept}
        )
    remote.refuse_xml_entities(answer, endpoint)
    where = remote.redact(endpoint)
    try:
        if graph_form:
            rdf_format = ox.RdfFormat.from_media_type(answer.media_type) or ox.RdfFormat.N_TRIPLES
            triples = [q.triple for q in ox.parse(answer.body, rdf_format)]
            out = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        else:
            res_format = (
                ox.QueryResultsFormat.from_media_type(answer.media_type)
                or ox.QueryResultsFormat.JSON
            )
            out = _serialize_native(ox.parse_query_results(answer.body, res_format))
    except SyntaxError as exc:
        raise remote.RemoteError(
            f"{where} sent an answer that does not parse as {answer.media_type or 'JSON'}: {exc}"
        ) from None
    assert out is not None  # noqa: S101 - serialize returns bytes without an output
    return out


def _child_main() -> None:  # pragma: no cover - runs in the child process
    """Entry point of the query process: request on stdin, answer on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    try:
        if "endpoint" in request:
            payload = _remote_native(request)
        else:
            store = ox.Store.read_only(request["store"])
            res = store.query(request["query"], use_default_graph_as_union=True)
            payload = _serialize_native(res)
        out.write(b"ok\n" + payload)
    except SyntaxError as exc:
        out.write(b"syntax\n" + str(exc).encode("utf-8"))
    except remote.RemoteTimeoutError as exc:
        out.write(b"timeout\n" + str(exc).encode("utf-8"))
    except Exception as exc:  # everything goes back to the parent as a message
        detail = str(exc) if isinstance(exc, remote.RemoteError) else f"{type(exc).__name__}: {exc}"
        out.write(b"error\n" + detail.encode("utf-8", "replace"))
    out.flush()


_CHILD = "from lowcarbon.query.run import _child_main; _child_main()"


def _in_child(request: dict[str, Any], *, form: str, timeout: float, origin: str) -> QueryResult:
    """Run ``request`` in a child process, killed once ``timeout`` seconds have passed."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        # a remote child stops itself at the deadline; the kill is for everything else
        grace = 2.0 if "endpoint" in request else 0.0
        out, err = proc.communicate(json.dumps(request).encode("utf-8"), timeout=timeout + grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryTimeoutError(
            f"the query ran longer than {timeout:g} s and was stopped", origin=origin
        ) from None
    status, _, payload = out.partition(b"\n")
    if status == b"ok":
        return _parse_native(form, payload)
    if status == b"syntax":
        raise _syntax_error(payload.decode("utf-8"), origin, request["query"])
    if status == b"timeout":
        raise QueryTimeoutError(payload.decode("utf-8", "replace"), origin=origin)
    message = payload.decode("utf-8", "replace") if status == b"error" else ""
    if not message:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:]
        message = f"the query process failed (exit code {proc.returncode}): {''.join(tail)}"
    raise QueryError(message, origin=origin)


def run_query(
    store: Path,
    text: str,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    origin: str = "<query>",
) -> QueryResult:
    """Check ``text`` (:func:`check_query`) and run it on the store at ``store``.

    The query runs in a child process that opens the store read-only; past ``timeout``
    seconds (wall clock) the child is killed and :class:`QueryTimeoutError` raised, since a
    pyoxigraph query cannot be interrupted in-process. ``timeout=None`` runs it here instead.
    """
    checked = guard.check(text, origin=origin)
    form, text = checked.form, checked.text
    if timeout is None:
        return run_query_in_process(ox.Store.read_only(str(store)), text, form=form, origin=origin)
    request = {"store": str(store), "query": text}
    return _in_child(request, form=form, timeout=timeout, origin=origin)


def _from_rdflib_term(t: Any) -> Term | None:
    from lowcarbon.terms import to_ox  # rdflib: only when a query falls back to it

    if t is None:
        return None
    try:
        return to_ox(t)
    except TypeError:
        raise QueryError(f"rdflib returned an unexpected term {t!r}") from None


def _has_service(tree: Any) -> bool:
    return any(getattr(n, "name", None) == "ServiceGraphPattern" for n in _walk(tree))


def _rdflib_parse(text: str, origin: str) -> Any:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    try:
        return parser.parseQuery(text)
    except ParseBaseException as exc:
        raise QueryError(
            f"syntax error: {exc.msg}", origin=origin, line=exc.lineno, column=exc.col, text=text
        ) from None


def run_query_rdflib(dataset: Any, text: str, *, origin: str = "<query>") -> QueryResult:
    """Run ``text`` with rdflib's SPARQL engine on an rdflib ``Dataset``, for comparisons.

    Build the dataset with ``default_union=True`` to match the store. Checked, no timeout.

    rdflib cannot order or compare ``xsd:gYear``/``gYearMonth`` values: the named queries
    compare dates by ``STR()``, which is chronological for ISO lexical forms.
    """
    checked = guard.check(text, origin=origin)
    form, text = checked.form, checked.text
    if checked.has_dataset_clause:
        raise UnsafeQueryError(
            "FROM / FROM NAMED: rdflib would fetch those IRIs from the web", origin=origin
        )
    if _has_service(_rdflib_parse(text, origin)):  # a second opinion, never the only one
        raise UnsafeQueryError("SERVICE (federated query) is not allowed", origin=origin)
    res = dataset.query(text)
    if form == "ASK":
        return QueryResult("ASK", boolean=bool(res.askAnswer))
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = []
        for s, p, o in res.graph:
            subject, predicate, obj = (_from_rdflib_term(x) for x in (s, p, o))
            assert isinstance(predicate, ox.NamedNode)  # noqa: S101
            assert isinstance(subject, ox.NamedNode | ox.BlankNode)  # noqa: S101
            assert obj is not None  # noqa: S101
            triples.append(ox.Triple(subject, predicate, obj))
        return QueryResult(form, triples=tuple(triples))
    variables = tuple(str(v) for v in res.vars)
    rows = tuple(tuple(_from_rdflib_term(row[i]) for i in range(len(variables))) for row in res)
    return QueryResult("SELECT", variables, rows)


def run_query_remote(
    endpoint: str,
    text: str,
    *,
    default_graphs: Sequence[str] = (),
    dataset: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    origin: str = "<query>",
    in_process: bool = False,
) -> QueryResult:
    """Check ``text`` and run it on a SPARQL 1.1 query endpoint (protocol POST, form-encoded).

    With neither ``default_graphs`` nor ``dataset`` the endpoint's own dataset answers.
    ``default_graphs`` are sent as ``default-graph-uri``: their merge is the default graph, and
    by the SPARQL protocol the query then has no named graph, so ``GRAPH <…>`` finds nothing
    (on the Oxigraph server; Virtuoso ignores this). ``dataset`` graphs are sent as both
    ``default-graph-uri`` and ``named-graph-uri``: for the dataset's four graphs that is what
    the embedded store has, their union as default graph and each by name. ``timeout`` covers
    everything from connecting to the parsed answer; the answer is capped in size
    (:data:`lowcarbon.query.remote.MAX_ANSWER_BYTES`) and XML entities are refused. The HTTP
    exchange and the parsing happen in a child process, killed if it overruns.

    ``in_process=True`` (for a trusted server, as in the tests) skips the child: the same
    checks and the same errors, with the deadline kept by the HTTP exchange's own watchdog
    but the parsing of the (size-capped) answer not killable.
    """
    checked = guard.check(text, origin=origin)
    try:
        remote.require_http(endpoint)
    except remote.RemoteError as exc:
        raise QueryError(str(exc), origin=origin) from None
    request = {
        "endpoint": endpoint,
        "query": checked.text,
        "graphs": [*default_graphs, *dataset],
        "named": list(dataset),
        "form": checked.form,
        "timeout": timeout,
    }
    if not in_process:
        return _in_child(request, form=checked.form, timeout=timeout, origin=origin)
    try:
        payload = _remote_native(request)
    except remote.RemoteTimeoutError as exc:
        raise QueryTimeoutError(str(exc), origin=origin) from None
    except remote.RemoteError as exc:
        raise QueryError(str(exc), origin=origin) from None
    except Exception as exc:  # as the child reports it
        raise QueryError(f"{type(exc).__name__}: {exc}", origin=origin) from exc
    return _parse_native(checked.form, payload)
