"""The real graph: conforms, every term declared, quotes verbatim, mutations caught."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV

from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.pipeline import Pipeline
from lowcarbon.validate import Report, validate_graph

LCD = Namespace(DEFAULT_BASE + "ontology#")
ID = DEFAULT_BASE + "id/"
SCHEMA = Namespace("https://schema.org/")

# Namespaces whose terms the data may use besides lcd: (each a published vocabulary).
DECLARED_VOCABULARIES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://purl.org/dc/terms/",
    "https://schema.org/",
    "http://www.w3.org/2003/01/geo/wgs84_pos#",
)


@pytest.fixture(scope="module")
def graph(pipe: Pipeline) -> Graph:
    return pipe.graph


def _check(pipe: Pipeline, g: Graph) -> Report:
    return validate_graph(g, shapes=pipe.shapes, ontology=pipe.ontology)


def test_built_graph_conforms(pipe: Pipeline, graph: Graph) -> None:
    report = _check(pipe, graph)
    assert report.conforms, report.to_human()


def test_no_blank_nodes(graph: Graph) -> None:
    assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]


def test_every_term_is_declared(pipe: Pipeline, graph: Graph) -> None:
    ontology = pipe.ontology
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    stray = []
    for term in sorted(used):
        s = str(term)
        if s.startswith(str(LCD)):
            declared = any(ontology.triples((term, RDF.type, None)))
            langs = {lit.language for lit in ontology.objects(term, RDFS.label)}
            if not declared or not {"en", "zh-Hant"} <= langs:
                stray.append(f"{s} (undeclared or missing a label)")
        elif not s.startswith(DECLARED_VOCABULARIES):
            stray.append(s)
    # lcd: concept values (statuses, roles, columns) are declared too
    for o in set(graph.objects()):
        lcd_value = isinstance(o, URIRef) and str(o).startswith(str(LCD))
        if lcd_value and not any(ontology.triples((o, RDF.type, None))):
            stray.append(f"{o} (undeclared value)")
    assert not stray, stray


def test_item_quotes_are_the_record_text(pipe: Pipeline, graph: Graph) -> None:
    quotes = {}
    for item, quote in graph.subject_objects(LCD.quote):
        line = graph.value(item, LCD.lineStart)
        quotes[int(line)] = quote  # type: ignore[arg-type]
    assert len(quotes) == len(pipe.document.records)
    for r in pipe.document.records:
        q = quotes[r.line_start]
        assert str(q) == r.text and q.language == "zh-Hant", r.ref
    # compatibility ideograph U+FA08 kept byte for byte
    assert "\ufa08" in str(quotes[158])


def test_every_statement_traces_to_one_item(graph: Graph) -> None:
    for s in graph.subjects(RDF.type, LCD.Statement):
        items = list(graph.objects(s, PROV.wasDerivedFrom))
        assert len(items) == 1 and (items[0], RDF.type, LCD.SourceItem) in graph, s


def test_shortcuts_only_for_done(graph: Graph) -> None:
    taichung, iclei = URIRef(ID + "city/taichung"), URIRef(ID + "organization/iclei")
    assert (taichung, LCD.memberOf, iclei) not in graph  # planned
    assert (URIRef(ID + "city/taoyuan"), LCD.memberOf, iclei) in graph
    assert (URIRef(ID + "city/tainan"), LCD.participatedIn, URIRef(ID + "event/cop17")) not in graph


def test_dates_typed_by_precision(graph: Graph) -> None:
    def start(slug: str) -> Literal:
        value = graph.value(URIRef(ID + slug), SCHEMA.startDate)
        assert isinstance(value, Literal)
        return value

    assert start("membership/taipei--iclei").datatype == XSD.gYear
    assert start("membership/new-taipei--uclg").datatype == XSD.gYearMonth
    assert start("membership/taoyuan--iclei").datatype == XSD.date
    visit = URIRef(ID + "participation/kaohsiung--kaohsiung-kitakyushu-visit-2011")
    assert graph.value(visit, LCD.approximateDate) == Literal(True)


def test_wikidata_only_where_cited(pipe: Pipeline, graph: Graph) -> None:
    same = {(str(s), str(o)) for s, o in graph.subject_objects(OWL.sameAs)}
    cited = {
        (f"{ID}{e.kind}/{e.id}", f"http://www.wikidata.org/entity/{e.wikidata}")
        for e in pipe.catalog
        if e.wikidata
    }
    assert same == cited
    # 屏東縣: reference-facts.md found no Wikidata id, so none is asserted
    assert not any(s.endswith("/city/pingtung") for s, _ in same)


# --- mutations of the real graph are caught -------------------------------------------


def _mutated(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g


def _components(report: Report) -> set[tuple[str, str]]:
    return {(v.focus, v.component) for v in report.violations}


def test_mutation_drop_english_label(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    taipei = URIRef(ID + "city/taipei")
    g.remove((taipei, RDFS.label, Literal("Taipei City", lang="en")))
    report = _check(pipe, g)
    assert not report.conforms
    assert any(v.focus == str(taipei) for v in report.violations), report.to_human()


def test_mutation_date_as_plain_string(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    node = URIRef(ID + "membership/new-taipei--iclei")
    g.remove((node, SCHEMA.startDate, None))
    g.add((node, SCHEMA.startDate, Literal("97")))
    report = _check(pipe, g)
    assert any(v.focus == str(node) and v.path and "startDate" in v.path for v in report.violations)
    sentence = next(v.sentence for v in report.violations if v.focus == str(node))
    assert "新北市" in sentence and "97年成為" in sentence


def test_mutation_malformed_gyear(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    node = URIRef(ID + "membership/taipei--iclei")
    g.remove((node, SCHEMA.startDate, None))
    g.add((node, SCHEMA.startDate, Literal("96", datatype=XSD.gYear)))
    assert any(v.focus == str(node) for v in _check(pipe, g).violations)


def test_mutation_remove_source_link(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    node = URIRef(ID + "signing/taipei--mexico-city-pact")
    g.remove((node, PROV.wasDerivedFrom, None))
    assert any(v.focus == str(node) for v in _check(pipe, g).violations)


def test_mutation_shortcut_without_statement(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    taichung = URIRef(ID + "city/taichung")
    g.add((taichung, LCD.memberOf, URIRef(ID + "organization/iclei")))
    report = _check(pipe, g)
    assert any(v.focus == str(taichung) for v in report.violations), report.to_human()


def test_mutation_admission_before_application(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    node = URIRef(ID + "membership/yilan--iclei")  # admitted 99年5月, applied 99年3月
    g.remove((node, SCHEMA.startDate, None))
    g.add((node, SCHEMA.startDate, Literal("2010-02", datatype=XSD.gYearMonth)))
    report = _check(pipe, g)
    assert any(v.focus == str(node) for v in report.violations), report.to_human()


def test_mutation_done_after_cutoff(pipe: Pipeline, graph: Graph) -> None:
    g = _mutated(graph)
    node = URIRef(ID + "participation/tainan--cop17--planned")
    g.remove((node, LCD.status, None))
    g.add((node, LCD.status, LCD.done))
    g.add((URIRef(ID + "city/tainan"), LCD.participatedIn, URIRef(ID + "event/cop17")))
    report = _check(pipe, g)
    assert any(v.focus == str(node) for v in report.violations), report.to_human()


def test_judgement_calls_are_marked_in_the_graph(graph: Graph) -> None:
    """A statement resting on data/links.yaml says so, with the entry's reason; others do not."""
    judged = {str(s)[len(ID) :]: str(o) for s, o in graph.subject_objects(LCD.judgement)}
    assert len(judged) == 7  # 3 names mapped (map) + 4 targets supplied (add)
    assert (
        "describes a visit received without naming it"
        in judged["visit/kaohsiung--visit-portland-2010"]
    )
    assert (
        "ICELI is a typo of ICLEI" in judged["participation/kaohsiung--iclei-incheon-congress-2010"]
    )
    assert "membership/taipei--iclei" not in judged
