"""Deterministic serializations of the graph: Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph

from lowcarbon.export.canonical import _prepared, prefix_graph, prefixes
from lowcarbon.export.jsonld import _jsonld, jsonld_context
from lowcarbon.export.readme import MEDIA_TYPES, media_type, readme
from lowcarbon.export.syntax import Statements, ntriples_lines, rdfxml, sorted_lines, trig, turtle
from lowcarbon.graph.mapping import DEFAULT_BASE, Minter
from lowcarbon.vocab import GRAPH_NAMES, NQUADS_DUMP, graph_iri

__all__ = [
    "MEDIA_TYPES",
    "PreparedData",
    "data_files",
    "dataset_files",
    "jsonld_context",
    "media_type",
    "prefixes",
    "prepare_data",
    "readme",
]


# -- the files -------------------------------------------------------------------------------


@dataclass
class PreparedData:
    """The data graph as every writer reads it: read once, named by the fixed prefixes.

    Made once per build by :func:`prepare_data` and shared by ``data_files`` and
    ``dataset_files``: the graph is read once (not copied), its Turtle names and N-Triples
    lines computed once (the ``.ttl`` file and the TriG block, the ``.nt`` file and the data
    part of ``.nq``).
    """

    statements: Statements

    @property
    def lines(self) -> list[str]:
        """The sorted N-Triples lines of the graph."""
        return self.statements.lines


def prepare_data(data: Graph, *, base: str = DEFAULT_BASE) -> PreparedData:
    """The data graph prepared for the writers. Raises ``ValueError`` for a blank node."""
    Minter(base)  # validates
    return PreparedData(Statements(data, prefix_graph(base), what="data"))


def data_files(
    data: Graph,
    ontology: Graph,
    shapes: Graph,
    *,
    base: str = DEFAULT_BASE,
    prepared: PreparedData | None = None,
) -> dict[str, bytes]:
    """The data graph in five syntaxes, the JSON-LD context, the ontology and the shapes.

    Keys are paths relative to ``exports/``. Raises ``ValueError`` if ``data`` has a blank node.
    ``prepared``: ``prepare_data(data)``, if the caller has it.
    """
    prep = prepared if prepared is not None else prepare_data(data, base=base)
    g = prep.statements
    jsonld, context = _jsonld(g, base)
    files = {
        "ontology/lowcarbon.ttl": turtle(_prepared(ontology, base)),
        "ontology/shapes.ttl": turtle(_prepared(shapes, base)),
        "rdf/context.jsonld": context,
        "rdf/lowcarbon.jsonld": jsonld,
        "rdf/lowcarbon.nt": prep.statements.ntriples,
        "rdf/lowcarbon.rdf": rdfxml(g, prefixes(base)),
        "rdf/lowcarbon.ttl": turtle(g),
    }
    return files


def dataset_files(
    graphs: Mapping[str, Graph],
    *,
    base: str = DEFAULT_BASE,
    prepared: PreparedData | None = None,
) -> dict[str, bytes]:
    """All named graphs (graph IRI -> graph) as TriG and as sorted N-Quads.

    Graphs are written in ``GRAPH_NAMES`` order; blank node labels are derived from the content
    and prefixed with the graph name, so that no blank node is shared between graphs.
    ``prepared``: ``prepare_data`` of the data graph, if the caller has it.
    """
    Minter(base)
    names = {graph_iri(base, n): n for n in GRAPH_NAMES}
    unknown = sorted(set(graphs) - set(names))
    if unknown:
        raise ValueError(f"unknown graph IRI(s) {unknown}; expected some of {sorted(names)}")
    ordered: list[tuple[str, Graph | Statements]] = []
    lines: dict[str, list[str]] = {}
    for iri, name in names.items():
        if iri in graphs:
            if name == "data":
                prep = prepared if prepared is not None else prepare_data(graphs[iri], base=base)
                ordered.append((iri, prep.statements))
                lines[iri] = prep.lines
            else:
                g = _prepared(graphs[iri], base, bnode_prefix=f"{name}-")
                ordered.append((iri, g))
                lines[iri] = ntriples_lines(g)
    quads = [line[: -len(" .")] + f" <{iri}> ." for iri, _ in ordered for line in lines[iri]]
    return {NQUADS_DUMP: sorted_lines(quads), "rdf/lowcarbon.trig": trig(ordered)}
