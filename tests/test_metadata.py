"""Dataset metadata: DCAT 3 with sizes and checksums, VoID counts, schema.org JSON-LD."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph
import pyshacl
import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, VOID
from rdflib.term import Node

from lowcarbon.export import media_type
from lowcarbon.export.metadata import (
    DATA_DUMPS,
    SELF_DESCRIBING,
    SPDX,
    metadata_files,
    metadata_graph,
    void_graph,
)
from lowcarbon.export.tables import CC_BY, table_files
from lowcarbon.graph.mapping import DEFAULT_BASE, SCHEMA
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.vocab import GRAPH_NAMES, RELEASE, graph_iri

ROOT = Path(__file__).resolve().parent.parent
SHAPES = Path(__file__).resolve().parent / "fixtures" / "dcat" / "dcat-shapes.ttl"
IANA = "https://www.iana.org/assignments/media-types/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # a plain Namespace: no warnings on lookups
DATASET = URIRef(f"{DEFAULT_BASE}dataset")
SOURCE = URIRef(f"{DEFAULT_BASE}id/source/honor-roll-2011")


def export_files(pipe: Pipeline) -> dict[str, bytes]:
    """A stand-in for the export stage's files: the tables, two dumps and the ontology."""
    files = table_files(pipe.document, pipe.catalog, pipe.linked, base=pipe.base)
    files["rdf/lowcarbon.ttl"] = pipe.graph.serialize(format="turtle").encode()
    files["rdf/lowcarbon.nt"] = "".join(
        sorted(pipe.graph.serialize(format="nt").splitlines(True))
    ).encode()
    files["ontology/lowcarbon.ttl"] = pipe.paths.ontology.read_bytes()
    files["ontology/shapes.ttl"] = pipe.paths.shapes.read_bytes()
    return files


def graph_iris(base: str) -> dict[str, str]:
    return {n: graph_iri(base, n) for n in GRAPH_NAMES}


#: graph sizes where they do not matter
SIZES = {"ontology": 0, "shapes": 0}


def graphs(p: Pipeline, base: str | None = None) -> dict[str, Any]:
    """The named graphs' keyword arguments of ``metadata_graph``, as the pipeline gives them."""
    sizes = {"ontology": len(p.ontology), "shapes": len(p.shapes)}
    return {"graph_iris": graph_iris(base or p.base), "graph_sizes": sizes}


@pytest.fixture(scope="module")
def files(pipe: Pipeline) -> dict[str, bytes]:
    return export_files(pipe)


@pytest.fixture(scope="module")
def meta(pipe: Pipeline, files: dict[str, bytes]) -> Graph:
    return metadata_graph(pipe.graph, files, **graphs(pipe))


@pytest.fixture(scope="module")
def outputs(meta: Graph) -> dict[str, bytes]:
    return metadata_files(meta)


def one(g: Graph, s: Node, p: URIRef) -> Any:
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


# --- DCAT --------------------------------------------------------------------------------


def test_every_described_file_has_one_distribution(meta: Graph, files: dict[str, bytes]) -> None:
    dists = set(meta.objects(DATASET, DCAT.distribution))
    titles = {str(one(meta, d, DCTERMS.title)) for d in dists}
    assert titles == set(files) | set(SELF_DESCRIBING)
    assert len(dists) == len(titles)
    for d in dists:
        path = str(one(meta, d, DCTERMS.title))
        assert d == URIRef(f"{DEFAULT_BASE}dataset/distribution/{path}")
        url = URIRef(f"{DEFAULT_BASE}exports/{path}")
        assert one(meta, d, DCAT.downloadURL) == url
        assert one(meta, d, DCAT.accessURL) == url
        assert one(meta, d, DCAT.mediaType) == URIRef(IANA + media_type(path))
        assert one(meta, d, DCTERMS.license) == URIRef(CC_BY)


def test_sizes_and_checksums_are_the_files(meta: Graph, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        d = URIRef(f"{DEFAULT_BASE}dataset/distribution/{path}")
        size = one(meta, d, DCAT.byteSize)
        assert size == Literal(
            len(data), datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
        )
        checksum = one(meta, d, SPDX.checksum)
        assert isinstance(checksum, URIRef)
        assert (checksum, RDF.type, SPDX.Checksum) in meta
        assert one(meta, checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = one(meta, checksum, SPDX.checksumValue)
        assert str(value) == hashlib.sha256(data).hexdigest()


def test_files_holding_the_metadata_carry_no_size_or_checksum(meta: Graph, pipe: Pipeline) -> None:
    # docs/exports.md: a file cannot contain its own checksum; bytes passed for one are ignored
    extra = {"metadata/dcat.ttl": b"anything", "README.md": b"# x"}
    g = metadata_graph(pipe.graph, extra, **graphs(pipe))
    for m in (meta, g):
        for path in SELF_DESCRIBING:
            d = URIRef(f"{DEFAULT_BASE}dataset/distribution/{path}")
            assert (d, RDF.type, DCAT.Distribution) in m
            assert (d, DCAT.byteSize, None) not in m and (d, SPDX.checksum, None) not in m


def test_download_base_is_configurable(pipe: Pipeline, files: dict[str, bytes]) -> None:
    g = metadata_graph(
        pipe.graph, files, graph_iris={}, graph_sizes=SIZES, download_base="https://dl.example/v1/"
    )
    urls = {str(o) for o in g.objects(None, DCAT.downloadURL)}
    assert urls == {f"https://dl.example/v1/{p}" for p in set(files) | set(SELF_DESCRIBING)}


def test_dataset_description(meta: Graph) -> None:
    for p in (DCTERMS.title, DCTERMS.description):
        langs = sorted(str(o.language) for o in meta.objects(DATASET, p) if isinstance(o, Literal))
        assert langs == ["en", "zh-Hant"]
    keywords = {o.language for o in meta.objects(DATASET, DCAT.keyword) if isinstance(o, Literal)}
    assert keywords == {"en", "zh-Hant"}
    period = one(meta, DATASET, DCTERMS.temporal)
    assert isinstance(period, URIRef) and (period, RDF.type, DCTERMS.PeriodOfTime) in meta
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert one(meta, period, DCAT.startDate) == Literal("2004", datatype=URIRef(xsd + "gYear"))
    assert one(meta, period, DCAT.endDate) == Literal(
        "2011-06", datatype=URIRef(xsd + "gYearMonth")
    )
    taiwan = one(meta, DATASET, DCTERMS.spatial)
    assert taiwan == URIRef("http://www.wikidata.org/entity/Q865")
    assert (taiwan, DCTERMS.source, URIRef("https://www.wikidata.org/wiki/Q865")) in meta
    assert one(meta, DATASET, DCTERMS.source) == SOURCE
    assert one(meta, DATASET, PROV.wasDerivedFrom) == SOURCE
    assert one(meta, DATASET, DCTERMS.license) == URIRef(CC_BY)
    publisher = one(meta, DATASET, DCTERMS.publisher)
    assert publisher == one(meta, DATASET, DCTERMS.creator)
    assert (
        str(one(meta, publisher, URIRef("http://xmlns.com/foaf/0.1/name")))
        == "lowcarbon contributors"
    )
    catalog = URIRef(DEFAULT_BASE)
    assert (catalog, RDF.type, DCAT.Catalog) in meta
    assert (catalog, DCAT.dataset, DATASET) in meta


def test_no_licence_is_claimed_for_the_source(meta: Graph) -> None:
    assert (SOURCE, DCTERMS.license, None) not in meta
    rights = one(meta, DATASET, DCTERMS.rights)
    text = " ".join(str(o) for o in meta.objects(rights, RDFS.label))
    assert "states no licence" in text and "CC BY 4.0" in text
    source_rights = one(meta, SOURCE, DCTERMS.rights)
    assert "no licence" in " ".join(str(o) for o in meta.objects(source_rights, RDFS.label))


def test_named_graphs_are_described(meta: Graph) -> None:
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graphs = URIRef(f"{DEFAULT_BASE}dataset/graphs")
    nodes = list(meta.objects(graphs, sd.namedGraph))
    names = {one(meta, n, sd.name): one(meta, n, sd.graph) for n in nodes}
    assert set(names) == {URIRef(graph_iri(DEFAULT_BASE, n)) for n in GRAPH_NAMES}
    # the data graph's description is the dataset's own: its VoID counts are the data's
    assert names[URIRef(graph_iri(DEFAULT_BASE, "data"))] == DATASET
    assert set(meta.objects(graphs, VOID.subset)) == set(names.values())


def test_no_blank_nodes_and_no_clock(meta: Graph) -> None:
    """Dates are the pinned release's, never the build clock's."""
    assert not [t for t in meta if any(isinstance(n, BNode) for n in t)]
    assert set(meta.objects(None, DCTERMS.issued)) == {Literal(RELEASE.issued, datatype=XSD.date)}
    assert set(meta.objects(None, DCTERMS.modified)) == {
        Literal(RELEASE.modified, datatype=XSD.date)
    }
    assert set(meta.objects(DATASET, DCAT.version)) == {Literal(RELEASE.version)}
    assert not [
        o for o in meta.objects() if isinstance(o, Literal) and "dateTime" in str(o.datatype)
    ]


def test_metadata_conforms_to_the_dcat_shapes(meta: Graph) -> None:
    conforms, _, text = pyshacl.validate(meta, shacl_graph=Graph().parse(SHAPES))
    assert conforms, text


@pytest.mark.parametrize(
    ("problem", "change"),
    [
        ("untyped byte size", lambda g, d: (
            g.set((d, DCAT.byteSize, Literal(str(next(g.objects(d, DCAT.byteSize))))))
        )),
        ("no access URL", lambda g, d: g.remove((d, DCAT.accessURL, None))),
        ("md5 checksum", lambda g, d: g.set((
            next(g.objects(d, SPDX.checksum)), SPDX.algorithm, SPDX.checksumAlgorithm_md5))),
        ("upper-case checksum", lambda g, d: g.set((
            next(g.objects(d, SPDX.checksum)), SPDX.checksumValue, Literal("AB" * 32)))),
        ("two media types", lambda g, d: g.add((d, DCAT.mediaType, URIRef(IANA + "text/plain")))),
        ("dataset without title", lambda g, d: g.remove((DATASET, DCTERMS.title, None))),
        ("no Chinese description", lambda g, d: g.remove(
            (DATASET, DCTERMS.description, next(
                o for o in g.objects(DATASET, DCTERMS.description) if o.language == "zh-Hant")))),
    ],
)  # fmt: skip
def test_the_dcat_shapes_catch(meta: Graph, problem: str, change: object) -> None:
    g = Graph()
    for t in meta:
        g.add(t)
    d = URIRef(f"{DEFAULT_BASE}dataset/distribution/csv/cities.csv")
    change(g, d)  # type: ignore[operator]
    conforms, _, _ = pyshacl.validate(g, shacl_graph=Graph().parse(SHAPES))
    assert not conforms, problem


# --- VoID --------------------------------------------------------------------------------


def _count(store: pyoxigraph.Store, query: str) -> int:
    rows: Any = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {query} }}")
    rows = list(rows)
    return int(rows[0]["n"].value)


@pytest.fixture(scope="module")
def store(pipe: Pipeline) -> pyoxigraph.Store:
    """The data graph in the other engine, so that counts are computed independently."""
    s = pyoxigraph.Store()
    s.load(pipe.graph.serialize(format="nt").encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    return s


def test_void_counts_are_the_data_graphs(meta: Graph, store: pyoxigraph.Store) -> None:
    expected = {
        VOID.triples: _count(store, "?s ?p ?o"),
        VOID.entities: _count(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isIRI(?s) }"),
        VOID.classes: _count(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }"),
        VOID.properties: _count(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        VOID.distinctSubjects: _count(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        VOID.distinctObjects: _count(store, "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"),
    }
    got = {p: int(one(meta, DATASET, p)) for p in expected}
    assert got == expected
    assert expected[VOID.triples] > 1000


def test_void_partitions_are_the_data_graphs(meta: Graph, store: pyoxigraph.Store) -> None:
    solutions: Any = store.query("SELECT DISTINCT ?c WHERE { ?s a ?c }")
    classes = {str(r["c"].value) for r in solutions}
    parts = list(meta.objects(DATASET, VOID.classPartition))
    assert {str(one(meta, p, VOID["class"])) for p in parts} == classes
    for p in parts:
        c = one(meta, p, VOID["class"])
        n = _count(store, f"SELECT DISTINCT ?s WHERE {{ ?s a <{c}> FILTER isIRI(?s) }}")
        assert int(one(meta, p, VOID.entities)) == n, c
        assert str(p).startswith(f"{DEFAULT_BASE}dataset/class/")
    props = list(meta.objects(DATASET, VOID.propertyPartition))
    assert len(props) == int(one(meta, DATASET, VOID.properties))
    for p in props:
        prop = one(meta, p, VOID.property)
        assert int(one(meta, p, VOID.triples)) == _count(store, f"?s <{prop}> ?o"), prop
    assert len({str(p) for p in parts + props}) == len(parts) + len(props)


def test_void_vocabularies_examples_and_dumps(
    meta: Graph, pipe: Pipeline, files: dict[str, bytes]
) -> None:
    vocabularies = {str(o) for o in meta.objects(DATASET, VOID.vocabulary)}
    lcd = f"{DEFAULT_BASE}ontology#"
    assert {lcd, str(SCHEMA), "http://www.w3.org/ns/org#", str(PROV)} <= vocabularies
    for p in set(pipe.graph.predicates()):
        assert any(str(p).startswith(v) for v in vocabularies), p
    examples = {str(o) for o in meta.objects(DATASET, VOID.exampleResource)}
    assert {
        f"{DEFAULT_BASE}id/{x}" for x in ("city/taipei", "organization/iclei", "event/cop15")
    } <= examples
    assert any("/id/membership/" in e for e in examples)
    assert all((URIRef(e), None, None) in pipe.graph for e in examples)
    dumps = {str(o) for o in meta.objects(DATASET, VOID.dataDump)}
    assert dumps == {
        f"{DEFAULT_BASE}exports/{p}" for p in DATA_DUMPS if p in files or p in SELF_DESCRIBING
    }
    assert str(one(meta, DATASET, VOID.uriSpace)) == f"{DEFAULT_BASE}id/"


# --- the files -----------------------------------------------------------------------------


def test_metadata_files(outputs: dict[str, bytes], meta: Graph) -> None:
    assert sorted(outputs) == [
        "metadata/dcat.ttl",
        "metadata/schema-org.jsonld",
        "metadata/void.ttl",
    ]
    dcat = Graph().parse(data=outputs["metadata/dcat.ttl"], format="turtle")
    assert len(dcat) == len(meta) and all(t in meta for t in dcat)
    void = Graph().parse(data=outputs["metadata/void.ttl"], format="turtle")
    assert len(void) and all(t in dcat for t in void)
    assert int(one(void, DATASET, VOID.triples)) == int(one(meta, DATASET, VOID.triples))
    assert (DATASET, DCAT.distribution, None) not in void
    assert {p for _, p, _ in void} <= {RDF.type, DCTERMS.title} | {
        p for p in void.predicates() if str(p).startswith(str(VOID))
    }
    assert len(void_graph(meta)) == len(void)


def test_metadata_is_deterministic(
    pipe: Pipeline, files: dict[str, bytes], outputs: dict[str, bytes]
) -> None:
    again = metadata_files(metadata_graph(pipe.graph, files, **graphs(pipe)))
    assert again == outputs


def test_schema_org_jsonld_parses_offline(
    outputs: dict[str, bytes], meta: Graph, offline: None
) -> None:
    text = outputs["metadata/schema-org.jsonld"].decode("utf-8")
    assert text.endswith("}\n") and "臺灣" in text  # UTF-8, not \u escapes
    doc = json.loads(text)
    assert doc["@context"] == {"@vocab": str(SCHEMA)}
    assert text == json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    g = Graph().parse(data=text, format="json-ld")
    assert not [t for t in g if any(isinstance(n, BNode) for n in t)]
    assert (DATASET, RDF.type, SCHEMA.Dataset) in g
    assert one(g, DATASET, SCHEMA.temporalCoverage) == Literal("2004/2011-06")
    assert one(g, DATASET, SCHEMA.license) == URIRef(CC_BY)
    assert one(g, DATASET, SCHEMA.isBasedOn) == SOURCE
    assert one(g, DATASET, SCHEMA.spatialCoverage) == URIRef("http://www.wikidata.org/entity/Q865")
    assert str(one(g, DATASET, SCHEMA.name)) == "Taiwan City Low-Carbon Diplomacy Knowledge Graph"
    downloads = list(g.objects(DATASET, SCHEMA.distribution))
    assert len(downloads) == len(list(meta.objects(DATASET, DCAT.distribution)))
    for d in downloads:
        assert (d, RDF.type, SCHEMA.DataDownload) in g
        assert str(one(g, d, SCHEMA.contentUrl)).startswith(f"{DEFAULT_BASE}exports/")
        assert one(g, d, SCHEMA.encodingFormat)
    creator = one(g, DATASET, SCHEMA.creator)
    assert str(one(g, creator, SCHEMA.name)) == "lowcarbon contributors"


def test_another_base_leaves_no_default_iris() -> None:
    base = "https://example.org/kg/"
    p = Pipeline(Paths(ROOT), base=base)
    out = metadata_files(
        metadata_graph(p.graph, export_files(p), base=base, **graphs(p, base)), base=base
    )
    for path in ("metadata/dcat.ttl", "metadata/schema-org.jsonld"):
        text = out[path].decode()
        assert DEFAULT_BASE not in text and f"{base}dataset" in text, path


def test_media_types_are_the_export_stages(pipe: Pipeline) -> None:
    # one mapping for the README and the metadata: lowcarbon.export.MEDIA_TYPES
    files = {"csv/csv-metadata.json": b"{}", "network/cities.graphml": b"<x/>"}
    g = metadata_graph(pipe.graph, files, graph_iris={}, graph_sizes=SIZES)
    got = {
        str(one(g, d, DCTERMS.title)): str(one(g, d, DCAT.mediaType))
        for d in g.objects(DATASET, DCAT.distribution)
    }
    assert got["csv/csv-metadata.json"] == IANA + "application/csvm+json"
    assert got["network/cities.graphml"] == IANA + "application/graphml+xml"
    assert got["metadata/dcat.ttl"] == IANA + "text/turtle"
    with pytest.raises(ValueError, match=r"rdf/x\.zip"):
        metadata_graph(pipe.graph, {"rdf/x.zip": b""}, graph_iris={}, graph_sizes=SIZES)
