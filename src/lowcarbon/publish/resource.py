"""One resource's RDF description: its triples both ways, licence and dataset, in four syntaxes.

The description of ``{base}id/city/taipei`` holds every triple with the city as subject
(what it is, its labels, the shortcut links) and every triple with it as object (the
statements about it, the items that it reported), so that a Linked Data client following the
IRI learns the city's diplomacy, not only its name. The document itself is described too:
``foaf:primaryTopic`` the resource, ``dcterms:license`` CC BY 4.0 and ``void:inDataset`` the
dataset, whose DCAT description lists the dumps.
"""

from __future__ import annotations

from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, VOID
from rdflib.term import Node

from lowcarbon.export import prefixes
from lowcarbon.export.syntax import json_bytes, ntriples_lines, rdfxml, sorted_lines, turtle
from lowcarbon.export.tables import CC_BY
from lowcarbon.graph.mapping import DEFAULT_BASE

__all__ = [
    "DOCUMENTS",
    "CompactNames",
    "description",
    "n3_key",
    "outgoing",
    "resource_documents",
    "resource_jsonld",
    "resource_turtle",
]

#: The documents of a resource beside its page: extension, media type, label.
DOCUMENTS = (
    (".ttl", "text/turtle", "Turtle"),
    (".jsonld", "application/ld+json", "JSON-LD"),
    (".nt", "application/n-triples", "N-Triples"),
    (".rdf", "application/rdf+xml", "RDF/XML"),
)


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


def description(
    graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE, document: str | None = None
) -> Graph:
    """The triples of ``node`` both ways; with ``document`` (its IRI), the document's own.

    Raises ``ValueError`` for a blank node: every description is made of IRIs and literals.
    """
    sub = Graph(bind_namespaces="none")
    for prefix, ns in prefixes(base).items():
        sub.bind(prefix, ns)
    for t in (*graph.triples((node, None, None)), *graph.triples((None, None, node))):
        if not all(isinstance(x, (URIRef, Literal)) for x in t):
            raise ValueError(f"<{node}>: blank node in its description; expected IRIs only")
        sub.add(t)
    if document is not None:
        doc = URIRef(document)
        sub.add((doc, RDF.type, FOAF.Document))
        sub.add((doc, FOAF.primaryTopic, node))
        sub.add((doc, DCTERMS.license, URIRef(CC_BY)))
        sub.add((doc, VOID.inDataset, URIRef(f"{base}dataset")))
    return sub


def _doc_iri(node: URIRef, ext: str, document: bool) -> str | None:
    return f"{node}{ext}" if document else None


def resource_turtle(
    graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE, document: bool = True
) -> bytes:
    """The description of ``node`` in Turtle (``{node}.ttl`` describes itself too)."""
    doc = _doc_iri(node, ".ttl", document)
    return turtle(description(graph, node, base=base, document=doc))


def _jsonld_obj(sub: Graph, s: Node, names: CompactNames, used: dict[str, str]) -> dict[str, Any]:
    obj: dict[str, Any] = {"@id": names.curie(str(s), used)}
    for p, objs in outgoing(sub, s):  # type: ignore[arg-type]
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
    return obj


def resource_jsonld(
    graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE, document: bool = True
) -> bytes:
    """The description of ``node`` as JSON-LD, its context embedded (prefixes only, no fetching).

    One node object per subject in ``@graph``, ``node`` first, then by IRI.
    """
    sub = description(graph, node, base=base, document=_doc_iri(node, ".jsonld", document))
    names, used = CompactNames(base), dict[str, str]()
    subjects = sorted({s for s in sub.subjects() if isinstance(s, URIRef)}, key=str)
    subjects.sort(key=lambda s: s != node)
    nodes = [_jsonld_obj(sub, s, names, used) for s in subjects]
    return json_bytes({"@context": dict(sorted(used.items())), "@graph": nodes})


def resource_documents(graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """Every document of ``node`` by extension: ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``."""
    nt = description(graph, node, base=base, document=f"{node}.nt")
    xml = description(graph, node, base=base, document=f"{node}.rdf")
    ns = prefixes(base)
    return {
        ".ttl": resource_turtle(graph, node, base=base),
        ".jsonld": resource_jsonld(graph, node, base=base),
        ".nt": sorted_lines(ntriples_lines(nt)),
        ".rdf": rdfxml(xml, ns),
    }
