"""Query results: the QueryResult type and its output formats, from aligned tables to JSON-LD."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lowcarbon.errors import QueryError
from lowcarbon.query.named import ENTITY_KINDS
from lowcarbon.query.options import GRAPH_FORMATS, SELECT_FORMATS
from lowcarbon.vocab import DEFAULT_BASE, STATEMENT_KINDS

__all__ = [
    "GRAPH_FORMATS",
    "SELECT_FORMATS",
    "QueryResult",
    "Term",
    "display_prefixes",
    "format_result",
]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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


def display_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
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
        *ENTITY_KINDS,
        "item",
        *(k.segment for k in STATEMENT_KINDS),
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
    result: QueryResult, fmt: str | None = None, *, base: str = DEFAULT_BASE
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
