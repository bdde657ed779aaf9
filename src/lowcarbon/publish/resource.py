"""One resource's RDF description (its outgoing triples) as compact Turtle and JSON-LD."""

from __future__ import annotations

import re
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from lowcarbon.export import json_bytes, prefixes, turtle
from lowcarbon.graph.mapping import DEFAULT_BASE

__all__ = [
    "CompactNames",
    "n3_key",
    "outgoing",
    "resource_jsonld",
    "resource_turtle",
]

_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def n3_key(t: Node) -> str:
    """A sort key for RDF terms: their N3 form."""
    return t.n3()


class CompactNames:
    """Compact names of IRIs with the fixed export prefixes, for Turtle and JSON-LD."""

    def __init__(self, base: str) -> None:
        self.ns = sorted(prefixes(base).items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def split(self, iri: str) -> tuple[str, str, str] | None:
        """``(prefix, namespace, local name)`` by the longest matching namespace, if any."""
        for p, ns in self.ns:
            if iri.startswith(ns) and len(iri) > len(ns):
                return p, ns, iri[len(ns) :]
        return None

    def curie(self, iri: str, used: dict[str, str]) -> str:
        """A CURIE for JSON-LD (any local name not starting ``//``), else the IRI."""
        hit = self.split(iri)
        if hit and not hit[2].startswith("//"):
            used[hit[0]] = hit[1]
            return f"{hit[0]}:{hit[2]}"
        return iri


def outgoing(graph: Graph, node: URIRef) -> list[tuple[URIRef, list[Node]]]:
    """The predicates of ``node`` (rdf:type first, then by IRI) with their sorted objects."""
    preds = sorted({p for p in graph.predicates(node) if isinstance(p, URIRef)}, key=str)
    preds.sort(key=lambda p: p != RDF.type)
    return [(p, sorted(graph.objects(node, p), key=n3_key)) for p in preds]


def resource_turtle(graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE) -> bytes:
    """The triples of ``node`` (its concise bounded description; no blank nodes) in Turtle."""
    sub = Graph(bind_namespaces="none")
    for prefix, ns in prefixes(base).items():
        sub.bind(prefix, ns)
    for p, objs in outgoing(graph, node):
        for o in objs:
            if not isinstance(o, (URIRef, Literal)):
                raise ValueError(f"<{node}>: blank node object; expected IRIs only")
            sub.add((node, p, o))
    return turtle(sub)


def _jsonld_obj(graph: Graph, node: URIRef, base: str) -> dict[str, Any]:
    names, used = CompactNames(base), dict[str, str]()
    obj: dict[str, Any] = {"@id": names.curie(str(node), used)}
    for p, objs in outgoing(graph, node):
        vals: list[Any] = []
        for o in objs:
            if isinstance(o, URIRef):
                vals.append(names.curie(str(o), used) if p == RDF.type else {"@id": str(o)})
            elif isinstance(o, Literal) and o.language:
                vals.append({"@value": str(o), "@language": o.language})
            elif isinstance(o, Literal) and o.datatype not in (None, XSD.string):
                vals.append({"@value": str(o), "@type": names.curie(str(o.datatype), used)})
            else:
                vals.append(str(o))
        key = "@type" if p == RDF.type else names.curie(str(p), used)
        obj[key] = vals[0] if len(vals) == 1 else vals
    return {"@context": dict(sorted(used.items())), **obj}


def resource_jsonld(graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE) -> bytes:
    """The triples of ``node`` as JSON-LD with its context embedded (prefixes only, no fetching)."""
    doc = _jsonld_obj(graph, node, base)
    return json_bytes(doc)
