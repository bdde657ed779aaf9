"""Deterministic serializations of the graph: Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD."""

from __future__ import annotations

import re
from collections.abc import Mapping
from io import BytesIO
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, BNode, Graph, Literal
from rdflib.namespace import is_ncname, split_uri
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from lowcarbon.export.canonical import (
    _check_no_blank_nodes,
    _prepared,
    _sort_nodes,
    _term_key,
    prefixes,
)
from lowcarbon.export.jsonld import _jsonld, jsonld_context
from lowcarbon.export.readme import MEDIA_TYPES, media_type, readme
from lowcarbon.graph.mapping import DEFAULT_BASE, Minter
from lowcarbon.vocab import GRAPH_NAMES, NQUADS_DUMP, graph_iri

if TYPE_CHECKING:
    from rdflib.graph import _PredicateType, _SubjectType

__all__ = [
    "MEDIA_TYPES",
    "data_files",
    "dataset_files",
    "jsonld_context",
    "media_type",
    "prefixes",
    "readme",
]


# -- Turtle and TriG -------------------------------------------------------------------------


class _Turtle(TurtleSerializer):
    """rdflib's Turtle writer with subjects sorted by IRI, a total order and no header."""

    def __init__(self, store: Graph, depth: int = 0) -> None:
        super().__init__(store)
        self._base_depth = depth

    def orderSubjects(self) -> list[_SubjectType]:
        return sorted(self._subjects, key=lambda s: (isinstance(s, BNode), str(s)))

    def sortProperties(
        self, properties: Mapping[_PredicateType, list[Node]]
    ) -> list[_PredicateType]:
        for objects in properties.values():
            objects.sort(key=_term_key)  # ties in rdflib's order keep this order
        return super().sortProperties(properties)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        return super().get_pname(uri, gen_prefix=False)

    def indent(self, modifier: int = 0) -> str:
        return (self.depth + modifier + self._base_depth) * self.indentString

    def startDocument(self) -> None:
        self._started = True


def _turtle_body(g: Graph, depth: int = 0) -> tuple[str, dict[str, str]]:
    """The statements of ``g`` in Turtle, and the prefixes they use."""
    ser = _Turtle(g, depth)
    buf = BytesIO()
    ser.serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8").strip("\n"), {
        p: str(ns) for p, ns in ser.namespaces.items()
    }


def _prefix_header(used: Mapping[str, str]) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(used.items()))


def _turtle(g: Graph) -> bytes:
    body, used = _turtle_body(g)
    return "\n".join(x for x in (_prefix_header(used), body + "\n") if x.strip()).encode("utf-8")


def _trig(graphs: list[tuple[str, Graph]]) -> bytes:
    used: dict[str, str] = {}
    blocks = []
    for iri, g in graphs:
        if len(g) == 0:
            continue
        body, ns = _turtle_body(g, depth=1)
        for p, n in ns.items():
            if used.setdefault(p, n) != n:
                raise ValueError(f"prefix {p}: bound to {used[p]} and {n}")
        blocks.append(f"<{iri}> {{\n{body}\n}}\n")
    return (_prefix_header(used) + "\n" + "\n".join(blocks)).encode("utf-8")


# -- N-Triples, N-Quads, RDF/XML -------------------------------------------------------------


def _nt_lines(g: Graph) -> list[str]:
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line for line in text.split("\n") if line})


def _lines(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(s: str) -> str:
    if _XML_FORBIDDEN.search(s):
        raise ValueError(f"{s!r}: a character XML 1.0 cannot carry")
    return escape(s, {"\r": "&#13;"})


def _rdfxml(g: Graph, ns: Mapping[str, str]) -> bytes:
    """RDF/XML of a graph without blank nodes: one ``rdf:Description`` per subject, sorted."""
    by_ns = sorted(ns.items(), key=lambda kv: -len(kv[1]))
    qnames: dict[Node, str] = {}
    used: dict[str, str] = {"rdf": str(RDF)}
    unbound: dict[Node, tuple[str, str]] = {}
    for p in sorted(set(g.predicates()), key=str):
        for prefix, n in by_ns:
            if str(p).startswith(n) and is_ncname(str(p)[len(n) :]):
                qnames[p] = f"{prefix}:{str(p)[len(n) :]}"
                used[prefix] = n
                break
        else:
            try:
                unbound[p] = split_uri(str(p))
            except ValueError:
                raise ValueError(f"predicate {p.n3()}: RDF/XML cannot write it") from None
    # Namespaces without a fixed prefix: ns1, ns2... in sorted order, as XML requires one.
    extra = {n: f"ns{i}" for i, n in enumerate(sorted({n for n, _ in unbound.values()}), 1)}
    for p, (n, local) in unbound.items():
        qnames[p] = f"{extra[n]}:{local}"
        used[extra[n]] = n
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out += [f"  xmlns:{p}={quoteattr(n)}" for p, n in sorted(used.items())]
    out[-1] += ">"
    for s in sorted(set(g.subjects()), key=str):
        out.append(f"  <rdf:Description rdf:about={quoteattr(str(s))}>")
        preds = sorted(set(g.predicates(s)), key=lambda p: (p != RDF.type, str(p)))
        for p in preds:
            objs = list(g.objects(s, p))
            _sort_nodes(objs)
            q = qnames[p]
            for o in objs:
                if isinstance(o, Literal):
                    attrs = f" xml:lang={quoteattr(o.language)}" if o.language else ""
                    attrs += f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype else ""
                    out.append(f"    <{q}{attrs}>{_xml_text(str(o))}</{q}>")
                else:
                    out.append(f"    <{q} rdf:resource={quoteattr(str(o))}/>")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return ("\n".join(out) + "\n").encode("utf-8")


# -- the files -------------------------------------------------------------------------------


def data_files(
    data: Graph, ontology: Graph, shapes: Graph, *, base: str = DEFAULT_BASE
) -> dict[str, bytes]:
    """The data graph in five syntaxes, the JSON-LD context, the ontology and the shapes.

    Keys are paths relative to ``exports/``. Raises ``ValueError`` if ``data`` has a blank node.
    """
    Minter(base)  # validates
    _check_no_blank_nodes(data, "data")
    g = _prepared(data, base)
    jsonld, context = _jsonld(g, base)
    files = {
        "ontology/lowcarbon.ttl": _turtle(_prepared(ontology, base)),
        "ontology/shapes.ttl": _turtle(_prepared(shapes, base)),
        "rdf/context.jsonld": context,
        "rdf/lowcarbon.jsonld": jsonld,
        "rdf/lowcarbon.nt": _lines(_nt_lines(g)),
        "rdf/lowcarbon.rdf": _rdfxml(g, prefixes(base)),
        "rdf/lowcarbon.ttl": _turtle(g),
    }
    return files


def dataset_files(graphs: Mapping[str, Graph], *, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """All named graphs (graph IRI -> graph) as TriG and as sorted N-Quads.

    Graphs are written in ``GRAPH_NAMES`` order; blank node labels are derived from the content
    and prefixed with the graph name, so that no blank node is shared between graphs.
    """
    Minter(base)
    names = {graph_iri(base, n): n for n in GRAPH_NAMES}
    unknown = sorted(set(graphs) - set(names))
    if unknown:
        raise ValueError(f"unknown graph IRI(s) {unknown}; expected some of {sorted(names)}")
    ordered: list[tuple[str, Graph]] = []
    for iri, name in names.items():
        if iri in graphs:
            if name == "data":
                _check_no_blank_nodes(graphs[iri], "data")
            ordered.append((iri, _prepared(graphs[iri], base, bnode_prefix=f"{name}-")))
    quads = [line[: -len(" .")] + f" <{iri}> ." for iri, g in ordered for line in _nt_lines(g)]
    return {NQUADS_DUMP: _lines(quads), "rdf/lowcarbon.trig": _trig(ordered)}
