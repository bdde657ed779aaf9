"""SPARQL over the dataset: named queries, safety checks, a sandboxed runner, result formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from lowcarbon.errors import EXIT_ERROR, LowcarbonError
from lowcarbon.store import http_opener, require_http

__all__ = [
    "DEFAULT_TIMEOUT",
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "NamedQuery",
    "Param",
    "QueryError",
    "QueryResult",
    "QueryTimeoutError",
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

#: Wall-clock limit of a query run through :func:`run_query`, in seconds.
DEFAULT_TIMEOUT = 30.0
#: Output formats of SELECT and ASK results (``table`` is aligned text, the rest W3C formats).
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Output formats of CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_DEFAULT_BASE = "https://w3id.org/lowcarbon-diplomacy/"  # == lowcarbon.rdf.DEFAULT_BASE
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ENTITY_KINDS = ("city", "organization", "declaration", "event", "programme", "place", "person")
_PARAM_KINDS = (*_ENTITY_KINDS, "iri", "string", "integer")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IRI_RE = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*$')
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAM_LINE_RE = re.compile(r"^#\s*param:\s*(\w+)\s+\((\w+)\)\s*(.*)$")
_OX_ERROR_RE = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_RESULTS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class QueryError(LowcarbonError):
    """A query that cannot run: bad syntax, unknown name or parameter, engine error (exit 2)."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        origin: str = "<query>",
        line: int | None = None,
        column: int | None = None,
        text: str | None = None,
    ) -> None:
        self.message = message
        self.origin = origin
        self.line = line
        self.column = column
        where = origin
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        detail = ""
        if text is not None and line is not None and 0 < line <= len(text.splitlines()):
            src = text.splitlines()[line - 1]
            detail = f"\n  {src}"
            if column is not None:
                detail += "\n  " + " " * max(column - 1, 0) + "^"
        super().__init__(f"{where}: {message}{detail}")


class UnsafeQueryError(QueryError):
    """A query refused before it runs: SERVICE (federation) or an update such as LOAD."""


class QueryTimeoutError(QueryError):
    """A query stopped because it ran past its wall-clock limit."""


# --- the query library --------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter of a named query, bound by ``--param name=value``.

    ``kind`` is an entity kind (``city``, ``declaration``, ``event``…: the value is a catalog id
    or an IRI), ``iri``, ``string`` or ``integer``. The query text holds one
    ``VALUES ?name { default }`` block that the value replaces.
    """

    name: str
    kind: str
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the project's library: ``src/lowcarbon/queries/<name>.rq``."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    def bind(self, values: Mapping[str, str] | None = None, *, base: str = _DEFAULT_BASE) -> str:
        """The query text under ``base`` with ``values`` bound to its parameters."""
        text = self.text if base == _DEFAULT_BASE else self.text.replace(_DEFAULT_BASE, base)
        return bind_params(
            text, values or {}, self.params, base=base, origin=str(self.path), named=True
        )


def _parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    description = ""
    params: list[Param] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        if line.startswith("# description:"):
            description = line.split(":", 1)[1].strip()
        elif m := _PARAM_LINE_RE.match(line):
            name, kind, doc = m.groups()
            if kind not in _PARAM_KINDS:
                raise QueryError(
                    f"parameter {name}: unknown kind {kind!r}, expected one of "
                    + ", ".join(_PARAM_KINDS),
                    origin=str(path),
                    line=n,
                )
            params.append(Param(name, kind, doc.strip()))
    if not description:
        raise QueryError("expected a '# description: ...' comment at the top", origin=str(path))
    return NamedQuery(path.stem, description, tuple(params), text, path)


@cache
def named_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query of the library, by name (the file name without ``.rq``)."""
    return {p.stem: _parse_named(p) for p in sorted(directory.glob("*.rq"))}


def list_queries() -> list[tuple[str, str]]:
    """(name, one-line description) of every named query, sorted by name."""
    return [(q.name, q.description) for q in named_queries().values()]


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; a :class:`QueryError` lists the names when it is unknown."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(
            f"no named query {name!r}; the library has: " + ", ".join(queries),
            origin="--name",
        )
    return queries[name]


def read_query(query: str, *, stdin: TextIO | None = None) -> tuple[str, str]:
    """(text, origin) of a query given as SPARQL text, a file path, or ``-`` for stdin."""
    if query == "-":
        if stdin is None:
            raise QueryError("'-' reads the query from stdin, but no stdin was given")
        return stdin.read(), "<stdin>"
    if "\n" not in query and len(query) < 4096:
        path = Path(query)
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8"), str(path)
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"cannot read the query file: {exc}", origin=str(path)) from exc
        if path.suffix in (".rq", ".sparql") and not any(c.isspace() for c in query):
            raise QueryError("no such query file", origin=query)
    return query, "<query>"


# --- parameters ---------------------------------------------------------------------------


def _string_literal(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _param_term(name: str, value: str, param: Param | None, base: str, origin: str) -> str:
    if param is None:  # an ad-hoc query: <iri> or a string
        kind = "iri" if value.startswith("<") and value.endswith(">") else "string"
    else:
        kind = param.kind
    if kind == "string":
        return _string_literal(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise QueryError(f"--param {name}={value!r}: expected an integer", origin=origin)
        return value
    raw = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if kind in _ENTITY_KINDS and _ID_RE.match(raw):
        raw = f"{base}id/{kind}/{raw}"
    if not _IRI_RE.match(raw):
        expected = "a catalog id (a-z, 0-9, '-') or " if kind in _ENTITY_KINDS else ""
        raise QueryError(
            f"--param {name}={value!r}: expected {expected}an absolute IRI", origin=origin
        )
    return f"<{raw}>"


def bind_params(
    text: str,
    values: Mapping[str, str],
    params: Sequence[Param] = (),
    *,
    base: str = _DEFAULT_BASE,
    origin: str = "<query>",
    named: bool = False,
) -> str:
    """Bind ``values`` by rewriting each ``VALUES ?name { ... }`` block of ``text``.

    The value is validated and written as one SPARQL term (an IRI checked against the IRIREF
    grammar, an escaped string, an integer), so it cannot change the rest of the query.
    ``params`` declares the kinds (named queries); an ad-hoc query takes ``<iri>`` or a string.
    """
    declared = {p.name: p for p in params}
    for name, value in values.items():
        if named and name not in declared:
            known = ", ".join(declared) or "none"
            raise QueryError(
                f"unknown parameter {name!r}; this query takes: {known}", origin=origin
            )
        if not _NAME_RE.match(name):
            raise QueryError(f"--param {name}: not a SPARQL variable name", origin=origin)
        term = _param_term(name, value, declared.get(name), base, origin)
        block = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}]*\}", re.IGNORECASE)
        found = len(block.findall(text))
        if found != 1:
            raise QueryError(
                f"--param {name}: expected one 'VALUES ?{name} {{ ... }}' block in the query, "
                f"found {found}",
                origin=origin,
            )
        replacement = f"VALUES ?{name} {{ {term} }}"
        text = block.sub(lambda _m: replacement, text)  # noqa: B023 - used at once
    return text


def parse_params(items: Sequence[str]) -> dict[str, str]:
    """``["name=value", ...]`` (repeated ``--param``) as a dict; a value may contain ``=``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {item!r}: expected NAME=VALUE", origin="--param")
        out[name.strip()] = value
    return out


def prepare(
    query: str | None = None,
    *,
    name: str | None = None,
    params: Sequence[str] | Mapping[str, str] = (),
    stdin: TextIO | None = None,
    base: str = _DEFAULT_BASE,
) -> tuple[str, str]:
    """(query text with parameters bound, origin) from text, a file, ``-``, or a named query."""
    values = dict(params) if isinstance(params, Mapping) else parse_params(params)
    if name is not None:
        if query is not None:
            raise QueryError("give either a query or --name, not both", origin="--name")
        return get_query(name).bind(values, base=base), f"query:{name}"
    if query is None:
        raise QueryError(
            "give a query (SPARQL text, a file, or - for stdin) or --name NAME "
            "(--list shows the named queries)",
            origin="lowcarbon query",
        )
    text, origin = read_query(query, stdin=stdin)
    return bind_params(text, values, base=base, origin=origin), origin


# --- safety -------------------------------------------------------------------------------


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


def _has_service(tree: Any) -> bool:
    return any(getattr(n, "name", None) == "ServiceGraphPattern" for n in _walk(tree))


def _strip_comments(text: str) -> str:
    return "\n".join(
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def _check(text: str, origin: str) -> tuple[str, bool]:
    """(form, whether the query has FROM / FROM NAMED) or an error."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import algebra, parser

    if not _strip_comments(text):
        raise QueryError("empty query", origin=origin)
    try:
        parsed = parser.parseQuery(text)
    except ParseBaseException as exc:
        try:
            update = parser.parseUpdate(text)
        except ParseBaseException:
            raise QueryError(
                f"syntax error: {exc.msg}",
                origin=origin,
                line=exc.lineno,
                column=exc.col,
                text=text,
            ) from None
        if update.get("request"):
            raise UnsafeQueryError(
                "SPARQL updates (LOAD, INSERT, DELETE, CLEAR, DROP, CREATE…) are not allowed: "
                "queries are read-only",
                origin=origin,
            ) from None
        raise QueryError(
            f"syntax error: {exc.msg}", origin=origin, line=exc.lineno, column=exc.col, text=text
        ) from None
    if _has_service(parsed):
        raise UnsafeQueryError(
            "SERVICE (federated query) is not allowed: it would send requests to other servers",
            origin=origin,
        )
    try:
        translated = algebra.translateQuery(parsed)
    except Exception as exc:  # rdflib raises bare Exceptions, e.g. for an unknown prefix
        raise QueryError(str(exc), origin=origin) from exc
    if _has_service(translated.algebra):
        raise UnsafeQueryError("SERVICE (federated query) is not allowed", origin=origin)
    form: str = translated.algebra.name
    has_from = any(getattr(n, "name", None) == "DatasetClause" for n in _walk(parsed))
    return form.removesuffix("Query").upper(), has_from


def check_query(text: str, *, origin: str = "<query>") -> str:
    """Parse ``text`` with rdflib's SPARQL parser and refuse anything unsafe, before it runs.

    Returns the query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``). Raises
    :class:`UnsafeQueryError` for an update (``LOAD``, ``INSERT``, ``DROP``…) or a
    ``SERVICE`` anywhere in the query (no request ever leaves), :class:`QueryError` with the
    line and column for a syntax error.
    """
    return _check(text, origin)[0]


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """The answer of a query in pyoxigraph terms, whichever engine computed it."""

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()

    @property
    def is_graph(self) -> bool:
        """True for CONSTRUCT and DESCRIBE results."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


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


def _term_json(t: Term) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {
        "type": "triple",
        "value": {
            "subject": _term_json(t.subject),
            "predicate": _term_json(t.predicate),
            "object": _term_json(t.object),
        },
    }


def _results_json(result: QueryResult) -> bytes:
    if result.form == "ASK":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def display_prefixes(base: str = _DEFAULT_BASE) -> dict[str, str]:
    """Prefixes used to shorten IRIs in tables and Turtle output."""
    prefixes = {
        "lcd": f"{base}ontology#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "org": "http://www.w3.org/ns/org#",
        "prov": "http://www.w3.org/ns/prov#",
        "schema": "https://schema.org/",
        "dcterms": "http://purl.org/dc/terms/",
    }
    for seg in (
        *_ENTITY_KINDS,
        "item",
        "membership",
        "signing",
        "participation",
        "hosting",
        "visit",
        "disclosure",
    ):
        prefixes[seg] = f"{base}id/{seg}/"
    return prefixes


def _cell(t: Term | None, prefixes: Mapping[str, str]) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        best = max(
            ((p, ns) for p, ns in prefixes.items() if t.value.startswith(ns)),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        return f"{best[0]}:{t.value[len(best[1]) :]}" if best else f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.Literal):
        return t.value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return str(t)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def _table(result: QueryResult, base: str) -> str:
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    prefixes = display_prefixes(base)
    cells = [[_cell(t, prefixes) for t in row] for row in result.rows]
    header = list(result.variables)
    widths = [_width(h) for h in header]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        padded = (v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip()

    out = [line(header), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    n = len(result.rows)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"


def format_result(
    result: QueryResult, fmt: str | None = None, *, base: str = _DEFAULT_BASE
) -> bytes:
    """Serialize a result in one of :data:`SELECT_FORMATS` or :data:`GRAPH_FORMATS`.

    ``table`` is aligned text; csv, tsv, json and xml (SELECT, ASK) and turtle, ntriples,
    jsonld (CONSTRUCT, DESCRIBE) are written by pyoxigraph's serializers. ``None`` picks
    ``table`` or ``turtle``.
    """
    if fmt is None:
        fmt = "turtle" if result.is_graph else "table"
    if result.is_graph:
        if fmt not in _RDF:
            raise QueryError(
                f"format {fmt!r} is for SELECT/ASK results; a {result.form} result is written as "
                + ", ".join(GRAPH_FORMATS)
            )
        triples = list(result.triples)
        if fmt == "ntriples":
            lines = sorted(f"{t} .\n" for t in triples)
            return "".join(lines).encode("utf-8")
        prefixes = None
        if fmt == "turtle":
            iris = {
                term.value
                for t in triples
                for term in (t.subject, t.predicate, t.object)
                if isinstance(term, ox.NamedNode)
            }
            prefixes = {
                p: ns
                for p, ns in display_prefixes(base).items()
                if any(i.startswith(ns) for i in iris)
            }
        out = ox.serialize(triples, format=_RDF[fmt], prefixes=prefixes)
        return out or b""
    if fmt == "table":
        return _table(result, base).encode("utf-8")
    if fmt not in _RESULTS:
        raise QueryError(
            f"format {fmt!r} is for CONSTRUCT/DESCRIBE results; a {result.form} result is "
            "written as " + ", ".join(SELECT_FORMATS)
        )
    parsed = ox.parse_query_results(_results_json(result), ox.QueryResultsFormat.JSON)
    out = parsed.serialize(format=_RESULTS[fmt])
    return out or b""


# --- engines ------------------------------------------------------------------------------


def _syntax_error(message: str, origin: str, text: str) -> QueryError:
    m = _OX_ERROR_RE.match(message)
    if m:
        return QueryError(
            f"syntax error: {m.group(3)}",
            origin=origin,
            line=int(m.group(1)),
            column=int(m.group(2)),
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


def _child_main() -> None:  # pragma: no cover - runs in the child process
    """Entry point of the query process: request on stdin, answer on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    try:
        store = ox.Store.read_only(request["store"])
        res = store.query(request["query"], use_default_graph_as_union=True)
        payload = _serialize_native(res)
        out.write(b"ok\n" + payload)
    except SyntaxError as exc:
        out.write(b"syntax\n" + str(exc).encode("utf-8"))
    except Exception as exc:  # everything goes back to the parent as a message
        out.write(b"error\n" + f"{type(exc).__name__}: {exc}".encode())
    out.flush()


_CHILD = "from lowcarbon.query import _child_main; _child_main()"


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
    form = check_query(text, origin=origin)
    if timeout is None:
        return run_query_in_process(ox.Store.read_only(str(store)), text, form=form, origin=origin)
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    request = json.dumps({"store": str(store), "query": text}).encode("utf-8")
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        out, err = proc.communicate(request, timeout=timeout)
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
        raise _syntax_error(payload.decode("utf-8"), origin, text)
    message = payload.decode("utf-8", "replace") if status == b"error" else ""
    if not message:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:]
        message = f"the query process failed (exit code {proc.returncode}): {''.join(tail)}"
    raise QueryError(message, origin=origin)


def _from_rdflib_term(t: Any) -> Term | None:
    from rdflib import BNode, URIRef
    from rdflib import Literal as RLiteral

    if t is None:
        return None
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, RLiteral):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise QueryError(f"rdflib returned an unexpected term {t!r}")


def run_query_rdflib(dataset: Any, text: str, *, origin: str = "<query>") -> QueryResult:
    """Run ``text`` with rdflib's SPARQL engine on an rdflib ``Dataset``, for comparisons.

    Build the dataset with ``default_union=True`` to match the store. Checked, no timeout.

    rdflib cannot order or compare ``xsd:gYear``/``gYearMonth`` values: the named queries
    compare dates by ``STR()``, which is chronological for ISO lexical forms.
    """
    form, has_from = _check(text, origin)
    if has_from:
        raise UnsafeQueryError(
            "FROM / FROM NAMED: rdflib would fetch those IRIs from the web", origin=origin
        )
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
    timeout: float = DEFAULT_TIMEOUT,
    origin: str = "<query>",
) -> QueryResult:
    """Check ``text`` and run it on a SPARQL 1.1 query endpoint (protocol POST, form-encoded).

    ``default_graphs`` are sent as ``default-graph-uri``: their merge is the default graph,
    as the union of the named graphs is in the embedded store.
    """
    form = check_query(text, origin=origin)
    require_http(endpoint)
    fields = [("query", text), *(("default-graph-uri", g) for g in default_graphs)]
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    accept = (
        "application/n-triples, text/turtle;q=0.8"
        if graph_form
        else "application/sparql-results+json"
    )
    req = urllib.request.Request(  # noqa: S310 - scheme checked by require_http
        endpoint,
        data=urllib.parse.urlencode(fields).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    try:
        with http_opener(endpoint).open(req, timeout=timeout) as resp:
            payload: bytes = resp.read()
            ctype = resp.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        raise QueryError(f"{endpoint} answered {exc.code} {exc.reason}: {body[:500]}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise QueryError(f"cannot query {endpoint}: {exc}") from exc
    try:
        if graph_form:
            rdf_format = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
            quads = ox.parse(payload, rdf_format)
            return QueryResult(form, triples=tuple(q.triple for q in quads))
        res_format = ox.QueryResultsFormat.from_media_type(ctype) or ox.QueryResultsFormat.JSON
        return _from_ox(form, ox.parse_query_results(payload, res_format))
    except SyntaxError as exc:
        raise QueryError(f"{endpoint} sent a result that does not parse as {ctype}: {exc}") from exc
