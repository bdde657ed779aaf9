"""The OWL ontology and the SHACL shapes files: parseable, bilingual, complete against docs/model.md."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "lowcarbon.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
MODEL = ROOT / "docs" / "model.md"

LCD = Namespace("https://w3id.org/lowcarbon-diplomacy/ontology#")
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY_IRI = URIRef("https://w3id.org/lowcarbon-diplomacy/ontology")
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
}
LCD_TOKEN = re.compile(r"\blcd:([A-Za-z][A-Za-z0-9]*)")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def model_text() -> str:
    return MODEL.read_text(encoding="utf-8")


def lcd_terms(graph: Graph) -> set[URIRef]:
    """Every lcd: IRI the graph mentions, in any position."""
    return {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(LCD))
    }


def declared(onto: Graph) -> set[URIRef]:
    return {
        s
        for t in DECLARATION_TYPES
        for s in onto.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(LCD))
    }


def literals(graph: Graph, subject: Node, predicate: URIRef, lang: str) -> list[str]:
    return [
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and (o.language or "").lower() == lang.lower()
    ]


def model_row(model_text: str, term: str) -> str:
    """The docs/model.md table row that starts with the given `lcd:` term."""
    for line in model_text.splitlines():
        if line.startswith(f"| `{term}`"):
            return line
    raise AssertionError(f"docs/model.md has no table row for {term}")


# --------------------------------------------------------------------------- parsing


def test_ontology_parses_with_rdflib_and_pyoxigraph(onto: Graph) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(onto) > 300
    assert len(store) == len(onto), "the two parsers read a different number of triples"


def test_shapes_parse_with_rdflib_and_pyoxigraph(shapes: Graph) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(SHAPES), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(shapes)


# --------------------------------------------------------------------------- ontology


def test_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert onto.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/0.1.0")
    assert onto.value(ONTOLOGY_IRI, DCTERMS.creator) == Literal("lowcarbon contributors")
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert onto.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("lcd")
    for predicate in (DCTERMS.title, DCTERMS.description):
        for lang in ("en", "zh-Hant"):
            assert len(literals(onto, ONTOLOGY_IRI, predicate, lang)) == 1, (predicate, lang)


def test_every_lcd_term_is_declared(onto: Graph) -> None:
    missing = lcd_terms(onto) - declared(onto)
    assert not missing, f"used but not declared: {sorted(missing)}"


@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_lcd_term_is_bilingual(onto: Graph, predicate: URIRef) -> None:
    problems = [
        f"{term} {lang}"
        for term in sorted(declared(onto))
        for lang in ("en", "zh-Hant")
        if len(literals(onto, term, predicate, lang)) != 1
    ]
    assert not problems, f"need exactly one {predicate} per language: {problems}"


def test_chinese_texts_are_chinese(onto: Graph) -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for term in declared(onto):
        for predicate in (RDFS.label, RDFS.comment):
            for text in literals(onto, term, predicate, "zh-Hant"):
                assert cjk.search(text), f"{term} {predicate}: {text!r} is tagged @zh-Hant"


def test_no_term_has_two_declaration_types(onto: Graph) -> None:
    for term in declared(onto):
        types = set(onto.objects(term, RDF.type)) & DECLARATION_TYPES
        assert len(types) == 1, f"{term} is declared as {sorted(types)}"


def test_every_term_in_the_model_is_declared(onto: Graph, model_text: str) -> None:
    named = {LCD[name] for name in LCD_TOKEN.findall(model_text)}
    assert len(named) > 40, "docs/model.md should name the lcd: terms"
    missing = named - declared(onto)
    assert not missing, f"docs/model.md names undeclared terms: {sorted(missing)}"


def test_class_table_superclasses(onto: Graph, model_text: str) -> None:
    rows = [line for line in model_text.splitlines() if re.match(r"^\| `lcd:[A-Z]\w*` \|", line)]
    assert len(rows) >= 13
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        cls = LCD[cells[0].strip("`").removeprefix("lcd:")]
        assert (cls, RDF.type, OWL.Class) in onto, cls
        supers = set(onto.objects(cls, RDFS.subClassOf))
        for curie in re.findall(r"`([a-z]+:\w+)`", cells[1]):
            expected = URIRef(onto.namespace_manager.expand_curie(curie))
            assert expected in supers, f"{cls} should be rdfs:subClassOf {curie}"


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        *[
            (t, OWL.ObjectProperty)
            for t in [
                "city",
                "target",
                "status",
                "role",
                "atEvent",
                "counterpart",
                "memberOf",
                "signed",
                "participatedIn",
                "hosted",
                "receivedVisit",
                "column",
                "reportedBy",
            ]
        ],
        *[
            (t, OWL.DatatypeProperty)
            for t in [
                "dateText",
                "approximateDate",
                "quote",
                "itemNumber",
                "subList",
                "subHeading",
                "lineStart",
                "lineEnd",
            ]
        ],
    ],
)
def test_property_kinds(onto: Graph, term: str, kind: URIRef) -> None:
    assert (LCD[term], RDF.type, kind) in onto


@pytest.mark.parametrize(
    ("scheme", "row"),
    [
        ("StatusScheme", "lcd:status"),
        ("RoleScheme", "lcd:role"),
        ("ColumnScheme", "lcd:column"),
    ],
)
def test_concept_schemes_are_complete(onto: Graph, model_text: str, scheme: str, row: str) -> None:
    scheme_iri = LCD[scheme]
    expected = {
        LCD[name]
        for name in LCD_TOKEN.findall(model_row(model_text, row))
        if name not in {row.removeprefix("lcd:"), scheme}
    }
    assert expected, f"no concepts found in the {row} row of docs/model.md"
    in_scheme = set(onto.subjects(SKOS.inScheme, scheme_iri))
    assert in_scheme == expected
    assert set(onto.objects(scheme_iri, SKOS.hasTopConcept)) == expected
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in onto
    for concept in expected:
        assert (concept, RDF.type, SKOS.Concept) in onto
        assert (concept, SKOS.topConceptOf, scheme_iri) in onto
        for lang in ("en", "zh-Hant"):
            assert len(literals(onto, concept, SKOS.prefLabel, lang)) == 1, (concept, lang)
        assert len(literals(onto, concept, SKOS.definition, "en")) == 1, concept


def test_the_role_scheme_has_the_eleven_roles_of_the_model(onto: Graph) -> None:
    assert len(set(onto.subjects(SKOS.inScheme, LCD.RoleScheme))) == 11


# --------------------------------------------------------------------------- shapes


def named_shapes(shapes: Graph) -> set[URIRef]:
    return {
        s
        for t in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, t)
        if isinstance(s, URIRef)
    }


def test_every_shape_has_an_english_and_a_chinese_message(shapes: Graph) -> None:
    problems = []
    for shape in sorted(named_shapes(shapes)):
        for lang in ("en", "zh-Hant"):
            if len(literals(shapes, shape, SH.message, lang)) != 1:
                problems.append(f"{shape} {lang}")
    assert not problems, f"need one sh:message per language: {problems}"


def test_every_shape_declaring_a_message_declares_both_languages(shapes: Graph) -> None:
    for shape in set(shapes.subjects(SH.message, None)):
        langs = {
            (m.language or "").lower()
            for m in shapes.objects(shape, SH.message)
            if isinstance(m, Literal)
        }
        assert {"en", "zh-hant"} <= langs, f"{shape} has messages in {sorted(langs)}"


def test_shape_names_are_bilingual(shapes: Graph) -> None:
    for shape in set(shapes.subjects(SH.name, None)):
        assert literals(shapes, shape, SH.name, "en"), shape
        assert literals(shapes, shape, SH.name, "zh-Hant"), shape


def test_shapes_use_only_declared_lcd_terms(onto: Graph, shapes: Graph) -> None:
    used = lcd_terms(shapes)
    for select in shapes.objects(None, SH.select):
        used |= {LCD[name] for name in LCD_TOKEN.findall(str(select))}
    unknown = used - declared(onto)
    assert not unknown, f"shapes.ttl uses undeclared terms: {sorted(unknown)}"


def test_sparql_constraints_parse_and_follow_pyshacl_rules(shapes: Graph) -> None:
    constraints = list(shapes.objects(None, SH.sparql))
    assert len(constraints) >= 6
    for constraint in constraints:
        prefixes_node = shapes.value(constraint, SH.prefixes)
        assert prefixes_node is not None, "every SPARQL constraint declares sh:prefixes"
        declarations = {
            str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
            for d in shapes.objects(prefixes_node, SH.declare)
        }
        select = str(shapes.value(constraint, SH.select))
        assert "$this" in select, "bind the focus node"
        assert not re.search(r"\b(VALUES|MINUS|SERVICE)\b", select, re.IGNORECASE), (
            "SHACL-SPARQL forbids VALUES, MINUS and SERVICE"
        )
        prepareQuery(select, initNs=declarations)
