"""The exports: every RDF file read back by two parsers, offline JSON-LD, determinism, README."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import RDF, RDFS, SKOS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from lowcarbon.export import (
    MEDIA_TYPES,
    data_files,
    dataset_files,
    jsonld_context,
    media_type,
    readme,
)
from lowcarbon.graph.mapping import DEFAULT_BASE, SCHEMA
from lowcarbon.paths import Paths
from lowcarbon.pipeline import GRAPH_NAMES, Pipeline, graph_iri

ROOT = Path(__file__).resolve().parent.parent
LCD = f"{DEFAULT_BASE}ontology#"
# Not rdflib's XSD namespace object: pytest's collection probes module globals, and rdflib's
# XSD warns about every unknown attribute.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DATA_FILES = {
    "rdf/lowcarbon.ttl",
    "rdf/lowcarbon.nt",
    "rdf/lowcarbon.jsonld",
    "rdf/context.jsonld",
    "rdf/lowcarbon.rdf",
    "ontology/lowcarbon.ttl",
    "ontology/shapes.ttl",
}
RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}
OX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
# rdflib's own parsers use its deprecated ConjunctiveGraph API (one warning per N-Quads line).
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
REMOTE_CONTEXT = "http://192.0.2.1/context.jsonld"  # TEST-NET-1: never routed, no DNS needed


# -- no network, ever --------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def network_attempts() -> Iterator[list[object]]:
    """Refuse every connection (and name lookup) made in this module, and record it."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError(f"network access refused in tests: {args[1:]!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield attempts


@pytest.fixture(autouse=True)
def no_network_access(network_attempts: list[object]) -> Iterator[None]:
    """A test fails if anything it ran tried the network, even if the error was swallowed."""
    network_attempts.clear()
    yield
    assert not network_attempts, f"network access attempted: {network_attempts}"


def refusing_loader(url: str, options: object = None) -> Any:
    raise jsonld.JsonLdError(
        f"refused to load {url}: the exports must not need the network",
        "jsonld.LoadDocumentError",
        {"url": url},
        code="loading remote context failed",
    )


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline(pipe: Pipeline) -> Pipeline:
    return pipe


@pytest.fixture(scope="module")
def files(pipeline: Pipeline) -> dict[str, bytes]:
    return data_files(pipeline.graph, pipeline.ontology, pipeline.shapes)


@pytest.fixture(scope="module")
def dataset(pipeline: Pipeline) -> dict[str, bytes]:
    return dataset_files(pipeline.named_graphs)


@pytest.fixture(scope="module")
def sources(pipeline: Pipeline) -> dict[str, Graph]:
    """The graph each single-graph file must reproduce."""
    return {
        "rdf/lowcarbon.ttl": pipeline.graph,
        "rdf/lowcarbon.nt": pipeline.graph,
        "rdf/lowcarbon.jsonld": pipeline.graph,
        "rdf/lowcarbon.rdf": pipeline.graph,
        "ontology/lowcarbon.ttl": pipeline.ontology,
        "ontology/shapes.ttl": pipeline.shapes,
    }


@pytest.fixture(scope="module")
def doc(files: dict[str, bytes]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(files["rdf/lowcarbon.jsonld"])
    return parsed


# -- helpers -------------------------------------------------------------------------------------


def normalised(triples: Any) -> Graph:
    """A copy with language tags lowercased and xsd:string literals made plain.

    Expected losses, not bugs: pyoxigraph (and pyld) lowercase language tags on reading
    (``zh-Hant`` -> ``zh-hant``, case-insensitive by BCP 47), and RDF 1.1 makes a plain
    literal and an ``xsd:string`` one the same, which rdflib tells apart.
    """
    out = Graph()
    for s, p, o in triples:
        if isinstance(o, Literal):
            if o.language:
                o = Literal(str(o), lang=o.language.lower())
            elif o.datatype == XSD.string:
                o = Literal(str(o))
        out.add((s, p, o))
    return out


def assert_isomorphic(got: Any, expected: Graph, what: str) -> None:
    a, b = normalised(got), normalised(expected)
    if not isomorphic(a, b):
        _, only_got, only_expected = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(
            f"{what}: not isomorphic to its source;\n"
            f" only in the file: {sorted(only_got)[:5]}\n only in the source: {sorted(only_expected)[:5]}"
        )


def ox_term(t: Any) -> Any:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def ox_graphs(data: bytes, fmt: ox.RdfFormat) -> dict[str, list[tuple[Any, Any, Any]]]:
    """Triples by graph name ("" for the default graph), read by pyoxigraph."""
    out: dict[str, list[tuple[Any, Any, Any]]] = {}
    for q in ox.parse(data, fmt):
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        out.setdefault(name, []).append(
            (ox_term(q.subject), ox_term(q.predicate), ox_term(q.object))
        )
    return out


def canonical_json(x: Any) -> Any:
    """JSON with language tags lowercased and arrays sorted, to compare compactions."""
    if isinstance(x, dict):
        return {
            (k.lower() if k[:1].isalpha() and "-" in k else k): (
                v.lower() if k == "@language" else canonical_json(v)
            )
            for k, v in x.items()
        }
    if isinstance(x, list):
        return sorted((canonical_json(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
    return x


# -- the files -------------------------------------------------------------------------------


def test_data_files_are_the_documented_set(
    files: dict[str, bytes], dataset: dict[str, bytes]
) -> None:
    assert set(files) == DATA_FILES
    assert set(dataset) == {"rdf/lowcarbon.trig", "rdf/lowcarbon.nq"}


@pytest.mark.parametrize("path", sorted(DATA_FILES | {"rdf/lowcarbon.trig", "rdf/lowcarbon.nq"}))
def test_every_file_is_utf8_with_one_trailing_newline(
    path: str, files: dict[str, bytes], dataset: dict[str, bytes]
) -> None:
    data = {**files, **dataset}[path]
    text = data.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n"), path
    assert "\r" not in text


@pytest.mark.parametrize("path", sorted(DATA_FILES - {"rdf/context.jsonld"}))
def test_rdflib_reads_every_rdf_file_back(
    path: str, files: dict[str, bytes], sources: dict[str, Graph]
) -> None:
    g = Graph().parse(data=files[path], format=RDFLIB_FORMATS[Path(path).suffix])
    assert_isomorphic(g, sources[path], f"{path} (rdflib)")


@pytest.mark.parametrize("path", sorted(DATA_FILES - {"rdf/context.jsonld"}))
def test_pyoxigraph_reads_every_rdf_file_back(
    path: str, files: dict[str, bytes], sources: dict[str, Graph]
) -> None:
    graphs = ox_graphs(files[path], OX_FORMATS[Path(path).suffix])
    assert set(graphs) <= {""}, f"{path}: named graphs in a graph file"
    assert_isomorphic(graphs.get("", []), sources[path], f"{path} (pyoxigraph)")


def test_trig_and_nquads_hold_each_named_graph(
    pipeline: Pipeline, dataset: dict[str, bytes]
) -> None:
    expected = {iri: g for iri, g in pipeline.named_graphs.items() if len(g)}
    for path, rdflib_fmt, ox_fmt in (
        ("rdf/lowcarbon.trig", "trig", ox.RdfFormat.TRIG),
        ("rdf/lowcarbon.nq", "nquads", ox.RdfFormat.N_QUADS),
    ):
        ds = Dataset()
        ds.parse(data=dataset[path], format=rdflib_fmt)
        assert len(ds.default_graph) == 0, path
        by_ox = ox_graphs(dataset[path], ox_fmt)
        assert set(by_ox) == set(expected), path
        for iri, g in expected.items():
            assert_isomorphic(ds.graph(URIRef(iri)), g, f"{path} <{iri}> (rdflib)")
            assert_isomorphic(by_ox[iri], g, f"{path} <{iri}> (pyoxigraph)")


def test_trig_writes_the_graphs_in_order(dataset: dict[str, bytes]) -> None:
    text = dataset["rdf/lowcarbon.trig"].decode()
    positions = [text.find(f"<{graph_iri(DEFAULT_BASE, n)}> {{") for n in GRAPH_NAMES]
    written = [p for p in positions if p >= 0]
    assert written == sorted(written) and len(written) >= 3


def test_line_formats_are_sorted(files: dict[str, bytes], dataset: dict[str, bytes]) -> None:
    for path, data in (
        ("rdf/lowcarbon.nt", files["rdf/lowcarbon.nt"]),
        ("rdf/lowcarbon.nq", dataset["rdf/lowcarbon.nq"]),
    ):
        lines = data.decode().splitlines()
        assert lines == sorted(set(lines)), path


def test_no_blank_nodes_in_the_data_exports(
    files: dict[str, bytes], dataset: dict[str, bytes]
) -> None:
    assert "_:" not in files["rdf/lowcarbon.nt"].decode()
    data_quads = [
        line
        for line in dataset["rdf/lowcarbon.nq"].decode().splitlines()
        if line.endswith(f"<{graph_iri(DEFAULT_BASE, 'data')}> .")
    ]
    assert data_quads and not any("_:" in line for line in data_quads)


def test_blank_node_in_the_data_is_an_error(pipeline: Pipeline) -> None:
    g = Graph()
    g += pipeline.graph
    g.add((BNode(), RDFS.label, Literal("anonymous", lang="en")))
    with pytest.raises(ValueError, match="blank node"):
        data_files(g, pipeline.ontology, pipeline.shapes)
    with pytest.raises(ValueError, match="blank node"):
        dataset_files({graph_iri(DEFAULT_BASE, "data"): g})


def test_unknown_named_graph_is_an_error(pipeline: Pipeline) -> None:
    with pytest.raises(ValueError, match="unknown graph"):
        dataset_files({"https://example.org/graph/other": pipeline.graph})


def test_language_tags_are_written_as_zh_Hant(files: dict[str, bytes]) -> None:
    # docs/model.md: the exports carry zh-Hant; only readers lowercase it.
    for path in ("rdf/lowcarbon.ttl", "rdf/lowcarbon.nt"):
        text = files[path].decode()
        assert "@zh-Hant" in text and "@zh-hant" not in text
    assert 'xml:lang="zh-Hant"' in files["rdf/lowcarbon.rdf"].decode()
    assert '"zh-Hant":' in files["rdf/lowcarbon.jsonld"].decode()


def test_turtle_uses_the_fixed_prefixes_only(files: dict[str, bytes]) -> None:
    text = files["rdf/lowcarbon.ttl"].decode()
    assert f"@prefix city: <{DEFAULT_BASE}id/city/> ." in text
    assert f"@prefix membership: <{DEFAULT_BASE}id/membership/> ." in text
    assert "@prefix ns1:" not in text
    subjects = [
        line.split()[0]
        for line in text.splitlines()
        if line and not line[0].isspace() and not line.startswith("@")
    ]
    assert subjects[0] == "city:chiayi-county"
    assert "city:taipei" in subjects


def test_another_base_moves_every_iri(tmp_path: Path) -> None:
    base = "https://example.org/lc/"
    p = Pipeline(Paths(ROOT), base=base)
    out = data_files(p.graph, p.ontology, p.shapes, base=base)
    for path in (
        "rdf/lowcarbon.ttl",
        "rdf/lowcarbon.nt",
        "rdf/lowcarbon.jsonld",
        "rdf/lowcarbon.rdf",
    ):
        assert DEFAULT_BASE not in out[path].decode(), path
    assert f'"@base": "{base}id/"' in out["rdf/context.jsonld"].decode()
    assert_isomorphic(
        Graph().parse(data=out["rdf/lowcarbon.jsonld"], format="json-ld"),
        p.graph,
        "rebased JSON-LD",
    )


# -- JSON-LD ---------------------------------------------------------------------------------


def test_jsonld_is_json_with_sorted_keys(files: dict[str, bytes]) -> None:
    for path in ("rdf/lowcarbon.jsonld", "rdf/context.jsonld"):
        text = files[path].decode()
        assert (
            json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
            == text
        )


def test_jsonld_context_is_embedded_and_also_on_its_own(
    files: dict[str, bytes], doc: dict[str, Any]
) -> None:
    assert isinstance(doc["@context"], dict), "the context must be embedded, not a URL"
    assert json.loads(files["rdf/context.jsonld"]) == {"@context": doc["@context"]}
    assert doc["@context"] == jsonld_context(DEFAULT_BASE)
    assert "@version" not in doc["@context"]  # JSON-LD 1.0 processors read it too
    assert not any(isinstance(v, str) and v.endswith(".jsonld") for v in doc["@context"].values())


def test_jsonld_uses_short_keys_relative_ids_and_language_maps(doc: dict[str, Any]) -> None:
    ids = [n["id"] for n in doc["@graph"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    nodes = {n["id"]: n for n in doc["@graph"]}
    taipei = nodes["city/taipei"]
    assert taipei["label"] == {"en": "Taipei City", "zh-Hant": "臺北市"}
    assert taipei["prefLabel"] == taipei["label"]
    assert taipei["type"] == "lcd:LocalGovernment"
    assert "organization/iclei" in taipei["memberOf"]
    m = nodes["membership/taipei--iclei"]
    assert m["city"] == "city/taipei"  # ids are relative to @base, so no prefix is "city"
    assert m["organization"] == "organization/iclei"
    assert m["status"] == "lcd:done"
    assert m["wasDerivedFrom"] == "item/taipei/org/1"
    assert m["startDate"] == {"@value": "2007", "type": "xsd:gYear"}
    assert not any(k.startswith("http") for n in doc["@graph"] for k in n)


def test_jsonld_language_map_holds_two_values_in_one_language(doc: dict[str, Any]) -> None:
    # The source document has two zh-Hant descriptions: a language map value becomes an array.
    node = next(n for n in doc["@graph"] if n["id"] == "source/honor-roll-2011")
    two = node["description"]["zh-Hant"]
    assert isinstance(two, list) and len(two) == 2 and two == sorted(two)


def test_jsonld_values_that_fit_no_term_still_round_trip() -> None:
    s = URIRef(f"{DEFAULT_BASE}id/organization/example")
    g = Graph()
    for t in (
        (s, RDF.type, URIRef(f"{LCD}InternationalOrganization")),
        (s, RDFS.label, Literal("Example", lang="en")),
        (s, RDFS.label, Literal("no language")),  # cannot go in a language map
        (s, SKOS.altLabel, Literal("Ex", lang="en")),
        (s, SKOS.altLabel, Literal("Ecks", lang="en")),
        (s, URIRef(f"{LCD}quote"), Literal("an English quote", lang="en")),  # key coerces zh-Hant
        (s, URIRef(f"{LCD}lineStart"), Literal("7", datatype=XSD.decimal)),
        (s, SCHEMA.startDate, Literal("2010-12-14", datatype=XSD.date)),
        (s, URIRef("http://example.org/vocab#size"), Literal(1.5)),
        (s, URIRef(f"{LCD}city"), URIRef(f"{DEFAULT_BASE}id/city/taipei")),
        (s, URIRef(f"{LCD}approximateDate"), Literal(True)),
        (s, URIRef(f"{LCD}itemNumber"), Literal(3)),
    ):
        g.add(t)
    out = data_files(g, Graph(), Graph())
    node = json.loads(out["rdf/lowcarbon.jsonld"])["@graph"][0]
    assert node["altLabel"] == {"en": ["Ecks", "Ex"]}
    assert node["rdfs:label"] == "no language"
    assert node["quote"] == {"@language": "en", "@value": "an English quote"}
    assert node["lineStart"] == {"@value": "7", "type": "xsd:decimal"}
    assert node["http://example.org/vocab#size"] == {"@value": "1.5", "type": "xsd:double"}
    assert (node["approximateDate"], node["itemNumber"]) == (True, 3)
    assert_isomorphic(
        Graph().parse(data=out["rdf/lowcarbon.jsonld"], format="json-ld"), g, "rdflib"
    )
    assert_isomorphic(
        ox_graphs(out["rdf/lowcarbon.jsonld"], ox.RdfFormat.JSON_LD)[""], g, "pyoxigraph"
    )


def test_jsonld_expands_offline_with_pyld(doc: dict[str, Any], pipeline: Pipeline) -> None:
    nquads = jsonld.to_rdf(
        doc, {"format": "application/n-quads", "documentLoader": refusing_loader}
    )
    assert_isomorphic(Graph().parse(data=nquads, format="nquads"), pipeline.graph, "pyld to_rdf")


def test_jsonld_is_what_a_json_ld_compactor_writes(doc: dict[str, Any]) -> None:
    """Compacting the expanded document with our context in pyld gives our document back."""
    opts = {"documentLoader": refusing_loader}
    again = jsonld.compact(jsonld.expand(doc, opts), doc["@context"], opts)
    assert canonical_json(again) == canonical_json(doc)


def test_remote_context_is_refused_not_fetched(network_attempts: list[object]) -> None:
    remote = {"@context": REMOTE_CONTEXT, "@id": "http://example.org/a", "label": "x"}
    asked: list[str] = []

    def recording_loader(url: str, options: object = None) -> Any:
        asked.append(url)
        return refusing_loader(url, options)

    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(remote, {"documentLoader": recording_loader})
    assert asked == [REMOTE_CONTEXT] and not network_attempts

    with pytest.raises(SyntaxError):  # pyoxigraph has no loader unless one is given
        list(ox.parse(json.dumps(remote).encode(), ox.RdfFormat.JSON_LD))
    assert not network_attempts

    with pytest.raises(OSError):  # rdflib would fetch: the socket guard stops it
        Graph().parse(data=json.dumps(remote), format="json-ld")
    assert network_attempts, "rdflib was expected to try, and be refused"
    network_attempts.clear()


# -- determinism -----------------------------------------------------------------------------

DIGESTS = """
import hashlib, json, sys
from pathlib import Path
from lowcarbon.export import data_files, dataset_files
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
p = Pipeline(Paths(Path(sys.argv[1])))
files = {**data_files(p.graph, p.ontology, p.shapes), **dataset_files(p.named_graphs)}
print(json.dumps({k: hashlib.sha256(v).hexdigest() for k, v in sorted(files.items())}))
"""


def test_two_calls_give_identical_bytes(
    pipeline: Pipeline, files: dict[str, bytes], dataset: dict[str, bytes]
) -> None:
    assert data_files(pipeline.graph, pipeline.ontology, pipeline.shapes) == files
    assert dataset_files(pipeline.named_graphs) == dataset


def test_identical_bytes_under_other_hash_seeds(
    files: dict[str, bytes], dataset: dict[str, bytes]
) -> None:
    """Another PYTHONHASHSEED must not change a byte: rdflib iterates graphs in hash order."""
    here = {k: hashlib.sha256(v).hexdigest() for k, v in sorted({**files, **dataset}.items())}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", DIGESTS, str(ROOT)],
            env={**env, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in ("0", "4242")
    ]
    for seed, proc in zip(("0", "4242"), procs, strict=True):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert json.loads(out) == here, f"PYTHONHASHSEED={seed}"


# -- README and media types ------------------------------------------------------------------

OTHER_FILES = {
    "csv/cities.csv": b"id,label_en\n",
    "csv/statements.csv": b"statement_id\n",
    "csv/csv-metadata.json": b"{}\n",
    "datapackage.json": b"{}\n",
    "metadata/dcat.ttl": b"",
    "metadata/void.ttl": b"",
    "metadata/schema-org.jsonld": b"{}\n",
    "network/bipartite.graphml": b"<graphml/>\n",
    "network/cities.graphml": b"<graphml/>\n",
    "network/city-edges.csv": b"id,city_a,city_b\n",
    "network/city-metrics.csv": b"city,degree\n",
}


def test_readme_lists_every_file_with_its_size(
    files: dict[str, bytes], dataset: dict[str, bytes]
) -> None:
    everything = {**files, **dataset, **OTHER_FILES}
    text = readme(everything).decode()
    assert "generated by `lowcarbon build`; do not edit" in text
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    paths = [row.split("`")[1] for row in rows]
    assert paths == sorted(set(everything) | {"README.md"})
    for row, path in zip(rows, paths, strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[3] == ("—" if path == "README.md" else str(len(everything[path]))), row
        assert f"`{media_type(path)}`" in cells[2], row
        assert all(cells), row
    assert "application/csvm+json" in next(r for r in rows if "csv-metadata.json" in r)
    assert "the cities table" in next(r for r in rows if "csv/cities.csv" in r)


def test_readme_refuses_an_undocumented_file(files: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match=r"notes\.txt"):
        readme({**files, "rdf/notes.txt": b""})
    with pytest.raises(ValueError, match="not in the registry"):
        readme({**files, "metadata/extra.ttl": b""})


def test_media_types() -> None:
    assert MEDIA_TYPES[".ttl"] == "text/turtle"
    assert media_type("rdf/lowcarbon.jsonld") == "application/ld+json"
    assert media_type("csv/csv-metadata.json") == "application/csvm+json"
    assert media_type("datapackage.json") == "application/json"
    assert media_type("network/cities.graphml") == "application/graphml+xml"
    for path, fmt in (
        ("x.ttl", ox.RdfFormat.TURTLE),
        ("x.nq", ox.RdfFormat.N_QUADS),
        ("x.trig", ox.RdfFormat.TRIG),
    ):
        assert media_type(path) == fmt.media_type
    with pytest.raises(ValueError, match="media type"):
        media_type("notes.txt")


# -- the Turtle writer ---------------------------------------------------------------------------


def _both_writers(g: Graph, depth: int = 0) -> tuple[tuple[str, dict[str, str]], ...]:
    from lowcarbon.export.syntax import _fast_turtle_body, _rdflib_turtle_body

    return _fast_turtle_body(g, depth), _rdflib_turtle_body(g, depth)


def test_the_one_pass_turtle_writer_writes_what_rdflib_writes(pipeline: Pipeline) -> None:
    # The build writes graphs without blank nodes in one pass (issue 15: rdflib's serializer
    # was most of the export at scale); the characters must be rdflib's, on every such graph
    # the build writes, at both depths (Turtle files, TriG blocks).
    from lowcarbon.export.canonical import _prepared

    graphs = {"data": pipeline.graph, "ontology": pipeline.ontology}
    for name, g in graphs.items():
        prepared = _prepared(g, DEFAULT_BASE)
        assert not any(isinstance(x, BNode) for t in prepared for x in t), name
        for depth in (0, 1):
            fast, slow = _both_writers(prepared, depth)
            assert fast == slow, (name, depth)


def test_the_one_pass_turtle_writer_on_awkward_terms() -> None:
    # What rdflib's naming does at its edges: local names with ( ) and a bare %, a local name
    # ending in a dot (no prefixed name), an IRI that is a namespace itself, literals of every
    # kind (numbers written bare, unknown datatypes, language tags, quotes, line breaks), rdf:nil.
    ex = Namespace("http://example.org/ns/")
    g = Graph(bind_namespaces="none")
    g.bind("ex", ex)
    g.bind("xsd", "http://www.w3.org/2001/XMLSchema#")
    g.bind("rdfs", str(RDFS))
    s = ex["thing(1)"]
    for p, o in (
        (RDF.type, ex.Kind),
        (RDF.type, URIRef("http://other.example/Kind")),
        (RDFS.label, Literal('a "quoted"\nline', lang="en")),
        (RDFS.label, Literal("標籤", lang="zh-Hant")),
        (ex.n, Literal(3)),
        (ex.n, Literal("03", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
        (ex.n, Literal(2.5)),
        (ex.n, Literal(True)),
        (ex.n, Literal("x", datatype=ex.custom)),
        (ex.n, Literal("y", datatype=URIRef("http://nowhere.example/dt"))),
        (ex.p, ex["100%"]),
        (ex.p, ex["50%25"]),
        (ex.p, ex["ends."]),
        (ex.p, URIRef(str(ex))),
        (ex.p, RDF.nil),
        (URIRef("http://unbound.example/p"), Literal("")),
    ):
        g.add((s, p, o))
    g.add((ex["ends."], ex.p, s))
    # a bound namespace longer than rdflib's split (ex:a... -> exa:bc), one namespace per
    # "city" under a bound one (written in full)
    g.bind("exa", "http://example.org/ns/a")
    g.bind("item", "http://example.org/ns/item/")
    g.add((ex["abc"], ex.p, ex["a"]))
    for i in range(30):
        g.add((ex[f"item/c{i}/org/{i % 3 + 1}"], ex.p, ex[f"item/c{i}/note"]))
    for depth in (0, 1):
        fast, slow = _both_writers(g, depth)
        assert fast == slow, depth
    assert "ex:thing\\(1\\)" in fast[0] and "<http://example.org/ns/ends.>" in fast[0]
    assert "exa:bc" in fast[0] and "item:c1/note" not in fast[0]
