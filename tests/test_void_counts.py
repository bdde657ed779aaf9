"""VoID and DCAT say exactly what the dumps hold: counts per dump and per graph, the links.

Regression for the issue's finding: VoID listed the 4,539-quad ``.nq``/``.trig`` as dumps of a
dataset of ``void:triples 2468``. Now the data-graph dumps are the dataset's, the four-graph
dumps are ``{base}dataset/graphs``'s, and each count is checked against the bytes the build
writes (the metadata graph's own count included).
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID

from lowcarbon.export import dataset_files
from lowcarbon.export.metadata import metadata_files
from lowcarbon.export.registry import DATA_DUMPS, GRAPH_DUMPS
from lowcarbon.graph.mapping import DEFAULT_BASE, WIKIDATA
from lowcarbon.pipeline import GRAPH_NAMES, Pipeline, graph_iri

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATASET = URIRef(f"{DEFAULT_BASE}dataset")
GRAPHS = URIRef(f"{DEFAULT_BASE}dataset/graphs")
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


@pytest.fixture(scope="module")
def dumps(pipe: Pipeline) -> dict[str, bytes]:
    """Every RDF dump as the build writes it."""
    files = {**pipe.described_files, **dataset_files(pipe.named_graphs)}
    return {p: files[p] for p in (*DATA_DUMPS, *GRAPH_DUMPS)}


def _quads(path: str, data: bytes) -> Counter[str]:
    """Quads per graph name ("" for the default graph)."""
    fmt = FORMATS["." + path.rsplit(".", 1)[1]]
    return Counter(
        q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        for q in ox.parse(data, fmt)
    )


def _int(meta: Graph, s: URIRef, p: URIRef) -> int:
    values = list(meta.objects(s, p))
    assert len(values) == 1, (s, p, values)
    assert isinstance(values[0], Literal)
    return int(values[0])


def test_each_dump_belongs_to_the_dataset_it_holds(pipe: Pipeline, dumps: dict[str, bytes]) -> None:
    meta = pipe.metadata
    url = f"{DEFAULT_BASE}exports/"
    assert {str(o) for o in meta.objects(DATASET, VOID.dataDump)} == {url + p for p in DATA_DUMPS}
    assert {str(o) for o in meta.objects(GRAPHS, VOID.dataDump)} == {url + p for p in GRAPH_DUMPS}
    data_triples = _int(meta, DATASET, VOID.triples)
    assert data_triples == len(pipe.graph)
    for path in DATA_DUMPS:  # triples only, in no graph
        assert _quads(path, dumps[path]) == Counter({"": data_triples}), path
    every = {graph_iri(DEFAULT_BASE, n): 0 for n in GRAPH_NAMES}
    for path in GRAPH_DUMPS:
        per_graph = _quads(path, dumps[path])
        assert set(per_graph) == set(every), path
        assert sum(per_graph.values()) == _int(meta, GRAPHS, VOID.triples), path
        for node in meta.objects(GRAPHS, SD.namedGraph):
            name = str(next(meta.objects(node, SD.name)))
            content = next(meta.objects(node, SD.graph))
            assert isinstance(content, URIRef)
            assert per_graph[name] == _int(meta, content, VOID.triples), (path, name)


def test_the_metadata_graph_counts_itself(pipe: Pipeline) -> None:
    meta = pipe.metadata
    content = URIRef(f"{DEFAULT_BASE}dataset/graph/metadata/content")
    assert _int(meta, content, VOID.triples) == len(meta)
    for path in GRAPH_DUMPS:  # and the dumps' descriptions give the same figures
        dist = URIRef(f"{DEFAULT_BASE}dataset/distribution/{path}")
        text = " ".join(str(o) for o in meta.objects(dist, DCTERMS.description))
        assert f"metadata {len(meta):,} triples" in text, text
        assert f"{_int(meta, GRAPHS, VOID.triples):,} quads" in text, text


def test_data_dumps_say_where_to_load_them(pipe: Pipeline) -> None:
    for path in DATA_DUMPS:
        dist = URIRef(f"{DEFAULT_BASE}dataset/distribution/{path}")
        text = " ".join(str(o) for o in pipe.metadata.objects(dist, DCTERMS.description))
        assert f"into the named graph <{graph_iri(DEFAULT_BASE, 'data')}>" in text, path


def test_wikidata_links_are_a_linkset(pipe: Pipeline) -> None:
    meta = pipe.metadata
    links = [o for o in pipe.graph.objects(None, OWL.sameAs) if str(o).startswith(WIKIDATA)]
    assert len(links) >= 10
    (linkset,) = meta.subjects(RDF.type, VOID.Linkset)
    assert isinstance(linkset, URIRef)
    assert (DATASET, VOID.subset, linkset) in meta
    assert (linkset, VOID.subjectsTarget, DATASET) in meta
    assert (linkset, VOID.linkPredicate, OWL.sameAs) in meta
    assert _int(meta, linkset, VOID.triples) == len(links)
    target = next(meta.objects(linkset, VOID.objectsTarget))
    assert isinstance(target, URIRef)
    assert str(next(meta.objects(target, VOID.uriSpace))) == WIKIDATA
    void = Graph().parse(data=metadata_files(meta)["metadata/void.ttl"], format="turtle")
    assert (linkset, RDF.type, VOID.Linkset) in void and (linkset, DCTERMS.title, None) in void


def test_no_sparql_endpoint_is_claimed(pipe: Pipeline) -> None:
    """No public endpoint is published (``lowcarbon serve`` is local), so none is named."""
    meta = pipe.metadata
    assert (None, VOID.sparqlEndpoint, None) not in meta
    assert (None, SD.endpoint, None) not in meta
    assert (None, DCAT.endpointURL, None) not in meta
