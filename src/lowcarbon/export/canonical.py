"""The fixed prefixes of the exports, and graphs copied into one canonical, sorted form."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rdflib import RDF, BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from lowcarbon.graph.mapping import DEFAULT_BASE, bind_prefixes
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = ["prefix_graph", "prefixes"]

_STATEMENT_KINDS = tuple(k.segment for k in STATEMENT_KINDS)
#: Well-known vocabularies of the ontology, shapes and metadata graphs (bound only if used).
_VOCABULARIES = {
    "rdf": str(RDF),
    "sh": "http://www.w3.org/ns/shacl#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "csvw": "http://www.w3.org/ns/csvw#",
}


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The fixed prefixes of every export: ``bind_prefixes`` plus statement kinds and vocabularies.

    A writer prints only the prefixes it uses; nothing is generated (no ``ns1:``). A new dict
    each call (the table is computed once per base).
    """
    return dict(_prefixes(base))


@lru_cache(maxsize=8)
def _prefixes(base: str) -> tuple[tuple[str, str], ...]:
    g = Graph(bind_namespaces="none")
    bind_prefixes(g, base)
    out = {p: str(ns) for p, ns in g.namespaces()}
    out["lcdsh"] = f"{base}shapes#"
    for kind in _STATEMENT_KINDS:
        out[kind] = f"{base}id/{kind}/"
    for p, ns in _VOCABULARIES.items():
        out.setdefault(p, ns)
    return tuple(sorted(out.items()))


def _has_blank_nodes(g: Graph) -> bool:
    return any(isinstance(x, BNode) for t in g.triples((None, None, None)) for x in t)


def _term_key(t: Node) -> str:
    return t.n3()


def _sort_nodes(nodes: list[Any]) -> None:
    """Sort in place: by N-Triples form, then (stable) by rdflib's order (numbers by value)."""
    nodes.sort(key=_term_key)
    nodes.sort()


def _relabel(x: Node, prefix: str) -> Node:
    return BNode(prefix + x) if isinstance(x, BNode) else x


def prefix_graph(base: str = DEFAULT_BASE) -> Graph:
    """An empty graph with the fixed prefixes bound: how every writer names IRIs."""
    out = Graph(bind_namespaces="none")
    for p, ns in prefixes(base).items():
        out.bind(p, ns, override=True, replace=True)
    return out


@lru_cache(maxsize=8)
def _canonical(triples: frozenset[tuple[Any, Any, Any]]) -> tuple[tuple[Any, Any, Any], ...]:
    """The triples with content-derived blank node labels (rdflib's RGDA1), remembered.

    A build writes the shapes (a hundred blank nodes, 0.12 s of canonicalization) twice:
    as ``ontology/shapes.ttl`` and in the dumps; the same triples are labelled once.
    """
    g = Graph()
    for t in triples:
        g.add(t)
    canon = to_canonical_graph(g)
    if len(canon) != len(g):  # rdflib's RGDA1 once collapsed distinct blank nodes
        raise ValueError("blank node canonicalization lost triples")
    return tuple(canon.triples((None, None, None)))


def _prepared(g: Graph, base: str, bnode_prefix: str = "") -> Graph:
    """A copy of ``g`` with the fixed prefixes and, if it has blank nodes, content-derived labels.

    A graph with blank nodes is copied in a total order, so that rdflib's Turtle writer (which
    nests them and follows the graph's order) sees it the same way under any
    ``PYTHONHASHSEED``; without blank nodes every writer sorts what it writes, and the copy is
    not sorted.
    """
    out = prefix_graph(base)
    if not _has_blank_nodes(g):
        for t in g.triples((None, None, None)):
            out.add(t)
        return out
    triples: Iterable[tuple[Any, Any, Any]] = [
        (_relabel(s, bnode_prefix), p, _relabel(o, bnode_prefix))
        for s, p, o in _canonical(frozenset(g.triples((None, None, None))))
    ]
    for t in sorted(triples, key=lambda t: tuple(_term_key(x) for x in t)):
        out.add(t)
    return out
