"""One resource's RDF description: its triples both ways, licence and dataset, in four syntaxes.

The description of ``{base}id/city/taipei`` holds every triple with the city as subject
(what it is, its labels, the shortcut links) and every triple with it as object (the
statements about it, the items that it reported), so that a Linked Data client following the
IRI learns the city's diplomacy, not only its name. The document itself is described too:
``foaf:primaryTopic`` the resource, ``dcterms:license`` CC BY 4.0 and ``void:inDataset`` the
dataset, whose DCAT description lists the dumps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, VOID
from rdflib.term import Node

from lowcarbon.export import prefixes
from lowcarbon.export.canonical import prefix_graph
from lowcarbon.export.syntax import Statements, json_bytes, rdfxml, turtle
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


_TYPE = RDF.type


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


def _both_ways(graph: Graph, node: URIRef) -> list[tuple[Node, Node, Node]]:
    """The triples with ``node`` as subject or object; ``ValueError`` for a blank node."""
    out = [*graph.triples((node, None, None)), *graph.triples((None, None, node))]
    for t in out:
        if not all(isinstance(x, (URIRef, Literal)) for x in t):
            raise ValueError(f"<{node}>: blank node in its description; expected IRIs only")
    return out


def _iris(triples: Iterable[tuple[Node, Node, Node]]) -> set[str]:
    """Every IRI the triples write: terms and literal datatypes."""
    out: set[str] = set()
    for t in triples:
        for x in t:
            if isinstance(x, URIRef):
                out.add(str(x))
            elif isinstance(x, Literal) and x.datatype is not None:
                out.add(str(x.datatype))
    return out


@lru_cache(maxsize=8)
def _namespaces(base: str) -> tuple[dict[str, list[str]], tuple[tuple[str, str], ...]]:
    """The fixed prefixes by namespace (those ending in ``/`` or ``#``), and the others."""
    by_ns: dict[str, list[str]] = defaultdict(list)
    other = []
    for prefix, ns in prefixes(base).items():
        if ns.endswith(("/", "#")):
            by_ns[ns].append(prefix)
        else:
            other.append((prefix, ns))
    return dict(by_ns), tuple(other)


def _bind_used(sub: Graph, base: str) -> None:
    """Bind the fixed prefixes whose namespace starts some IRI of ``sub``, and only those.

    A writer prints the prefixes it uses, so the output is that of binding all thirty, without
    their cost on every page. A namespace ending in ``/`` or ``#`` starts an IRI exactly when
    it is the IRI cut after one of its ``/`` or ``#``.
    """
    by_ns, other = _namespaces(base)
    found: set[tuple[str, str]] = set()
    for iri in _iris(sub.triples((None, None, None))):
        for i, ch in enumerate(iri):
            if ch in "/#" and iri[: i + 1] in by_ns:
                found.update((p, iri[: i + 1]) for p in by_ns[iri[: i + 1]])
        found.update((p, ns) for p, ns in other if iri.startswith(ns))
    for prefix, ns in sorted(found):
        sub.bind(prefix, ns)


def _document_triples(node: URIRef, base: str, document: str) -> list[tuple[Node, Node, Node]]:
    doc = URIRef(document)
    return [
        (doc, RDF.type, FOAF.Document),
        (doc, FOAF.primaryTopic, node),
        (doc, DCTERMS.license, URIRef(CC_BY)),
        (doc, VOID.inDataset, URIRef(f"{base}dataset")),
    ]


def _graph_of(
    triples: list[tuple[Node, Node, Node]], node: URIRef, base: str, document: str | None
) -> Graph:
    """A graph of the triples, the document's own, and the fixed prefixes that can name them."""
    sub = Graph(bind_namespaces="none")
    for t in triples:
        sub.add(t)
    for t in _document_triples(node, base, document) if document is not None else ():
        sub.add(t)
    _bind_used(sub, base)
    return sub


def description(
    graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE, document: str | None = None
) -> Graph:
    """The triples of ``node`` both ways; with ``document`` (its IRI), the document's own.

    Raises ``ValueError`` for a blank node: every description is made of IRIs and literals.
    """
    return _graph_of(_both_ways(graph, node), node, base, document)


def _doc_iri(node: URIRef, ext: str, document: bool) -> str | None:
    return f"{node}{ext}" if document else None


def resource_turtle(
    graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE, document: bool = True
) -> bytes:
    """The description of ``node`` in Turtle (``{node}.ttl`` describes itself too)."""
    doc = _doc_iri(node, ".ttl", document)
    return turtle(_graph_of(_both_ways(graph, node), node, base, doc))


def _jsonld_value(o: Node, is_type: bool, names: CompactNames, used: dict[str, str]) -> Any:
    if isinstance(o, URIRef):
        return names.curie(str(o), used) if is_type else {"@id": str(o)}
    if isinstance(o, Literal) and o.language:
        return {"@value": str(o), "@language": o.language}
    if isinstance(o, Literal) and o.datatype not in (None, XSD.string):
        return {"@value": str(o), "@type": names.curie(str(o.datatype), used)}
    return str(o)


def resource_jsonld(
    graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE, document: bool = True
) -> bytes:
    """The description of ``node`` as JSON-LD, its context embedded (prefixes only, no fetching).

    One node object per subject in ``@graph``, ``node`` first, then by IRI.
    """
    doc = _doc_iri(node, ".jsonld", document)
    own = _document_triples(node, base, doc) if doc is not None else []
    return _jsonld_of(_statements([*_both_ways(graph, node), *own], base), node, base)


@lru_cache(maxsize=8)
def _names(base: str) -> tuple[Graph, dict[URIRef, tuple[str, str, str] | None]]:
    """The graph of the fixed prefixes that names every document's IRIs, and its names cache.

    Binding all the prefixes names the IRIs as binding only those a document uses does
    (:func:`_bind_used`: a writer prints the prefixes it uses), so one graph and one cache of
    names serve every page of the site, instead of a graph and a cache per document.
    """
    return prefix_graph(base), {}


def _statements(triples: list[tuple[Node, Node, Node]], base: str) -> Statements:
    """The triples as one graph holds them: a triple both ways (``x p x``) counts once."""
    names, cache = _names(base)
    return Statements(dict.fromkeys(triples), names, qnames=cache)


def _jsonld_of(st: Statements, node: URIRef, base: str) -> bytes:
    """The JSON-LD of a description read into statements: ``node`` first, then by IRI."""
    names, used = CompactNames(base), dict[str, str]()
    subjects = sorted((s for s in st.groups if isinstance(s, URIRef)), key=str)
    subjects.sort(key=lambda s: s != node)
    nodes = []
    for s in subjects:
        obj: dict[str, Any] = {"@id": names.curie(str(s), used)}
        props = st.groups[s]
        preds = sorted((p for p in props if isinstance(p, URIRef)), key=str)
        preds.sort(key=lambda p: p != _TYPE)
        for p in preds:
            is_type = p == _TYPE
            vals = [_jsonld_value(o, is_type, names, used) for o in sorted(props[p], key=n3_key)]
            key = "@type" if is_type else names.curie(str(p), used)
            obj[key] = vals[0] if len(vals) == 1 else vals
        nodes.append(obj)
    return json_bytes({"@context": dict(sorted(used.items())), "@graph": nodes})


def resource_documents(graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """Every document of ``node`` by extension: ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``.

    Each document is the description plus its own triples (``{node}.ttl`` describes itself),
    read once into :class:`~lowcarbon.export.syntax.Statements` (no graph per document: a
    site of 6,000 resources made 24,000 of them); the bytes are those of the writers of
    :func:`resource_turtle` and :func:`resource_jsonld` on a graph.
    """
    triples = _both_ways(graph, node)
    out: dict[str, bytes] = {}
    for ext, _, _ in DOCUMENTS:
        st = _statements([*triples, *_document_triples(node, base, f"{node}{ext}")], base)
        if ext == ".ttl":
            out[ext] = turtle(st)
        elif ext == ".jsonld":
            out[ext] = _jsonld_of(st, node, base)
        elif ext == ".nt":
            out[ext] = st.ntriples
        else:
            out[ext] = rdfxml(st, prefixes(base))
    return out
