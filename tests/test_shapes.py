"""SHACL shapes against hand-written graphs, and the readable report of lowcarbon.validate.

``tests/shapes/valid/*.ttl`` must conform. Each ``tests/shapes/invalid/<Shape>-<problem>.ttl``
must fail with exactly the results its ``# expect: <component> <focus>`` lines name, and
the shape ``lcdsh:<Shape>`` (or one of its property shapes) must report at least one of them.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery

from lowcarbon.errors import EXIT_ERROR, InputError, LowcarbonError
from lowcarbon.validate import (
    Report,
    ShapesNotFoundError,
    ValidationInputError,
    load_data,
    load_shapes,
    validate_files,
    validate_graph,
)
from lowcarbon.validate import shacl as validate
from lowcarbon.validate.report import Describer

HERE = Path(__file__).resolve().parent
VALID = sorted((HERE / "shapes" / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "shapes" / "invalid").glob("*.ttl"))
LCD = Namespace("https://w3id.org/lowcarbon-diplomacy/ontology#")
LCDSH = Namespace("https://w3id.org/lowcarbon-diplomacy/shapes#")
BASE = "https://w3id.org/lowcarbon-diplomacy/id/"
EXPECT = re.compile(r"^# expect: (sh:\w+) <([^>]+)>\s*$", re.MULTILINE)
CJK = re.compile(r"[\u4e00-\u9fff]")


def parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def expectations(path: Path) -> set[tuple[str, str]]:
    return set(EXPECT.findall(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def invalid_reports() -> dict[str, Report]:
    return {path.name: validate_graph(parse(path)) for path in INVALID}


# --------------------------------------------------------------------------- the cases


def test_there_are_cases() -> None:
    assert len(VALID) >= 4
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_graph_conforms(path: Path) -> None:
    report = validate_graph(parse(path))
    assert report.conforms, report.to_human()
    assert report.violations == ()
    assert report.exit_code == 0
    assert report.to_human() == "conforms\n"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_graph_fails_as_expected(path: Path, invalid_reports: dict[str, Report]) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect: <component> <focus>' line"
    report = invalid_reports[path.name]
    assert not report.conforms
    assert report.exit_code == 1
    got = {(v.component, v.focus) for v in report.violations}
    assert got == expected, report.to_human()


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_graph_is_caught_by_the_shape_it_is_named_after(
    path: Path, invalid_reports: dict[str, Report]
) -> None:
    shapes = load_shapes()
    shape = LCDSH[path.stem.split("-", 1)[0]]
    assert (shape, RDF.type, SH.NodeShape) in shapes, f"no shape {shape}"
    own = {f"lcdsh:{shape.split('#')[1]}"} | {
        f"lcdsh:{p.split('#')[1]}" for p in shapes.objects(shape, SH.property)
    }
    sources = {v.source_shape for v in invalid_reports[path.name].violations}
    assert sources & own, f"reported by {sorted(sources)}, none of them {shape} or its properties"


def test_every_targeted_shape_has_an_invalid_case() -> None:
    """Each shape that applies to data (every rule a-e included) is shown failing once."""
    shapes = load_shapes()
    targets = [SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target]
    targeted = {
        str(s).split("#")[1]
        for t in targets
        for s in shapes.subjects(t, None)
        if isinstance(s, URIRef) and str(s).startswith(str(LCDSH))
    }
    covered = {p.stem.split("-", 1)[0] for p in INVALID}
    assert len(targeted) >= 20
    assert targeted <= covered, f"no invalid case for {sorted(targeted - covered)}"


def test_every_sparql_rule_has_an_invalid_case() -> None:
    shapes = load_shapes()
    rules = {str(s).split("#")[1] for s in shapes.subjects(SH.sparql, None)}
    assert rules == {
        "ShortcutRule",
        "ShortcutTripleRule",
        "AdmissionRule",
        "CutoffRule",
        "SourceRule",
        "EndDateRule",
    }
    for rule in rules:
        cases = [p for p in INVALID if p.stem.startswith(f"{rule}-")]
        assert cases, rule
        assert all(c == "sh:SPARQLConstraintComponent" for p in cases for c, _ in expectations(p))


def test_every_result_has_both_messages(invalid_reports: dict[str, Report]) -> None:
    for name, report in invalid_reports.items():
        for v in report.violations:
            assert v.message_en and not CJK.search(v.message_en), (name, v.message_en)
            assert CJK.search(v.message_zh), (name, v.message_zh)
            assert v.source_shape.startswith("lcdsh:"), (name, v.source_shape)
            assert v.severity == "sh:Violation"


# --------------------------------------------------------------------------- engine differences


def test_malformed_gyear_is_rejected() -> None:
    """Regression: pyshacl accepts "97"^^xsd:gYear by datatype alone; the shapes' patterns do not."""
    report = validate_graph(
        parse(HERE / "shapes" / "invalid" / "StatementShape-malformed-gyear.ttl")
    )
    (violation,) = report.violations
    assert violation.value == '"97"^^xsd:gYear'
    assert violation.path == "schema:startDate"


def test_lowercased_language_tags_still_conform() -> None:
    """Regression: pyoxigraph lowercases zh-Hant to zh-hant; the shapes must not care."""
    store = pyoxigraph.Store()
    store.load(
        path=str(HERE / "shapes" / "valid" / "signing-at-event.ttl"),
        format=pyoxigraph.RdfFormat.TURTLE,
    )
    ntriples = store.dump(format=pyoxigraph.RdfFormat.N_QUADS, from_graph=pyoxigraph.DefaultGraph())
    graph = Graph().parse(data=ntriples.decode("utf-8"), format="nt")
    tags = {o.language for o in graph.objects() if isinstance(o, Literal) and o.language}
    assert "zh-hant" in tags
    report = validate_graph(graph)
    assert report.conforms, report.to_human()


def test_prepared_query_graph_matches_a_plain_graph() -> None:
    data = parse(HERE / "shapes" / "valid" / "application-then-admission.ttl")
    work = validate._PreparedQueryGraph()
    for triple in data:
        work.add(triple)
    text = (
        "PREFIX lcd: <https://w3id.org/lowcarbon-diplomacy/ontology#>\n"
        "SELECT ?s WHERE { ?s lcd:city $this ; lcd:status lcd:done }"
    )
    for city in data.subjects(RDF.type, LCD.LocalGovernment):
        plain = {r[0] for r in data.query(prepareQuery(text), initBindings={"this": city})}
        for _ in range(2):  # the second run reuses the prepared query
            cached = {r[0] for r in work.query(text, initBindings={"this": city})}
            assert cached == plain
        assert len(plain) == 1


# --------------------------------------------------------------------------- the report


def test_human_report_is_a_sentence_about_the_city_with_the_source_quote() -> None:
    report = validate_graph(
        parse(HERE / "shapes" / "invalid" / "StatementShape-malformed-gyear.ttl")
    )
    text = report.to_human()
    header, sentence, *rest = text.splitlines()
    assert header == "1 violation"
    assert rest == []
    assert sentence.startswith("- 新北市 (New Taipei City) — membership of ICLEI: start date")
    assert '"97"^^xsd:gYear' in sentence
    assert "source item 新北市/org/1, line 75: 「1. 97年成為「地方環境行動國際委員會」" in sentence
    assert sentence.endswith("…」"), "long quotes are cut at about 30 characters"


def test_human_report_on_a_shortcut_quotes_the_statement_behind_it(
    invalid_reports: dict[str, Report],
) -> None:
    text = invalid_reports["ShortcutTripleRule-no-statement.ttl"].to_human()
    assert "新北市 (New Taipei City) lcd:memberOf ICLEI: shortcut:" in text
    assert "source item 新北市/org/1, line 75" in text


def test_human_report_on_a_source_item(invalid_reports: dict[str, Report]) -> None:
    text = invalid_reports["SourceItemShape-line-end-before-start.ttl"].to_human()
    assert "新北市 (New Taipei City) — source item 新北市/org/1: first line" in text
    assert "lines 75–74: 「1. 97年成為" in text


def test_human_report_on_a_missing_source(invalid_reports: dict[str, Report]) -> None:
    text = invalid_reports["SourceRule-missing-source.ttl"].to_human()
    assert "新北市 (New Taipei City) — membership of ICLEI: source:" in text
    assert text.rstrip().endswith("— no source item")


def test_item_reference_without_the_usual_iri() -> None:
    data = parse(HERE / "shapes" / "valid" / "hosting-visit-disclosure.ttl")
    old = URIRef(BASE + "item/kaohsiung/activity/p2-2")
    new = URIRef("urn:example:item")
    for p, o in list(data.predicate_objects(old)):
        data.add((new, p, o))
    describer = Describer(data)
    assert describer.item_ref(old) == "高雄市/activity/p2-2"
    assert describer.item_ref(new) == "高雄市/activity/p2-2"


def test_report_order_is_deterministic(invalid_reports: dict[str, Report]) -> None:
    path = HERE / "shapes" / "invalid" / "ShortcutRule-wrong-property.ttl"
    again = validate_graph(parse(path))
    first = invalid_reports[path.name]
    assert again.to_human() == first.to_human()
    assert list(first.violations) == sorted(first.violations, key=lambda v: v.sort_key())
    assert [v.focus for v in first.violations] == [
        BASE + "city/kaohsiung",
        BASE + "participation/kaohsiung--resilient-cities-2011",
    ]


def test_json_report(invalid_reports: dict[str, Report]) -> None:
    text = invalid_reports["StatementShape-malformed-gyear.ttl"].to_json()
    assert "新北市" in text, "UTF-8 is not escaped"
    payload = json.loads(text)
    assert list(payload) == sorted(payload)
    assert payload["conforms"] is False
    assert payload["violation_count"] == 1
    (violation,) = payload["violations"]
    assert list(violation) == sorted(violation)
    assert violation["component"] == "sh:OrConstraintComponent"
    assert violation["focus"] == BASE + "membership/new-taipei--iclei"
    assert violation["source_shape"] == "lcdsh:StartDate"


def test_turtle_report_is_the_shacl_results_graph(invalid_reports: dict[str, Report]) -> None:
    text = invalid_reports["AdmissionRule-before-application.ttl"].to_turtle()
    graph = Graph().parse(data=text, format="turtle")
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    (result,) = graph.objects(report, SH.result)
    assert graph.value(result, SH.focusNode) == URIRef(BASE + "membership/taoyuan-county--iclei")
    assert graph.value(result, SH.value) == URIRef(
        BASE + "membership/taoyuan-county--iclei--application"
    )


def rebased(path: Path, base: str = "https://example.org/lcd/") -> Graph:
    text = path.read_text(encoding="utf-8").replace("https://w3id.org/lowcarbon-diplomacy/", base)
    return Graph().parse(data=text, format="turtle")


def test_sentences_under_another_base() -> None:
    """With --base, every IRI moves (also the sh:declare namespaces); sentences still read."""
    root = HERE.parent / "ontology"
    shapes, ontology = rebased(root / "shapes.ttl"), rebased(root / "lowcarbon.ttl")
    valid = rebased(HERE / "shapes" / "valid" / "membership-complete.ttl")
    assert validate_graph(valid, shapes=shapes, ontology=ontology).conforms
    invalid = rebased(HERE / "shapes" / "invalid" / "StatementShape-malformed-gyear.ttl")
    report = validate_graph(invalid, shapes=shapes, ontology=ontology)
    (violation,) = report.violations
    assert violation.focus == "https://example.org/lcd/id/membership/new-taipei--iclei"
    assert violation.source_shape == "lcdsh:StartDate"
    assert violation.sentence.startswith("新北市 (New Taipei City) — membership of ICLEI: start")
    assert "source item 新北市/org/1, line 75" in violation.sentence


def test_a_dataset_is_validated_as_one_graph() -> None:
    data = parse(HERE / "shapes" / "valid" / "membership-complete.ttl")
    statement = URIRef(BASE + "membership/new-taipei--iclei")
    dataset = Dataset()
    for s, p, o in data:
        graph = dataset.graph(
            URIRef("urn:example:statements" if s == statement else "urn:example:rest")
        )
        graph.add((s, p, o))
    report = validate_graph(dataset)
    assert report.conforms, report.to_human()


def test_the_data_graph_is_not_modified() -> None:
    data = parse(HERE / "shapes" / "valid" / "membership-complete.ttl")
    before = len(data)
    validate_graph(data)
    assert len(data) == before


def test_paths_point_at_the_repository() -> None:
    assert HERE.parent / "ontology" / "shapes.ttl" == validate.SHAPES_PATH
    assert HERE.parent / "ontology" / "lowcarbon.ttl" == validate.ONTOLOGY_PATH


def test_missing_shapes_are_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "ontology" / "shapes.ttl"
    monkeypatch.setattr(validate, "SHAPES_PATH", missing)
    load_shapes.cache_clear()
    try:
        with pytest.raises(ShapesNotFoundError, match=re.escape(str(missing))) as info:
            load_shapes()
        assert info.value.exit_code == EXIT_ERROR
    finally:
        load_shapes.cache_clear()


# --------------------------------------------------------------------------- files


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield


@pytest.mark.parametrize("fmt", ["nt", "json-ld", "trig", "nquads", "turtle"])
def test_validate_files_reads_every_format(tmp_path: Path, fmt: str, no_network: None) -> None:
    suffix = {"nt": ".nt", "json-ld": ".jsonld", "trig": ".trig", "nquads": ".nq", "turtle": ".ttl"}
    data = parse(HERE / "shapes" / "valid" / "signing-at-event.ttl")
    path = tmp_path / f"data{suffix[fmt]}"
    if fmt in {"trig", "nquads"}:  # named graphs are merged into one
        dataset = Dataset()
        named = dataset.graph(URIRef("urn:example:graph"))
        for triple in data:
            named.add(triple)
        path.write_text(dataset.serialize(format=fmt), encoding="utf-8")
    else:
        path.write_text(data.serialize(format=fmt), encoding="utf-8")
    assert len(load_data([path])) == len(data)
    report = validate_files([path])
    assert report.conforms, report.to_human()


def test_validate_files_takes_the_union(tmp_path: Path) -> None:
    data = parse(HERE / "shapes" / "valid" / "membership-complete.ttl")
    statement = URIRef(BASE + "membership/new-taipei--iclei")
    part1, part2 = Graph(), Graph()
    for triple in data:
        (part1 if triple[0] == statement else part2).add(triple)
    first, second = tmp_path / "statement.nt", tmp_path / "rest.ttl"
    first.write_text(part1.serialize(format="nt"), encoding="utf-8")
    second.write_text(part2.serialize(format="turtle"), encoding="utf-8")
    assert not validate_files([second]).conforms, "the shortcut alone has no statement"
    report = validate_files([first, second])
    assert report.conforms, report.to_human()


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        (
            "bad.ttl",
            '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
            3,
            "not valid turtle",
        ),
        (
            "bad.nt",
            "<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n"
            "<http://e.org/a> <http://e.org/b> <http://e.org/c> .\n"
            "<http://e.org/a> <http://e.org/b> oops .\n",
            3,
            "not valid nt",
        ),
        (
            "bad.nq",
            "<http://e.org/a> <http://e.org/b> <http://e.org/c> <http://e.org/g> .\nbad\n",
            2,
            "nquads",
        ),
        ("bad.trig", "@prefix ex: <http://e.org/> .\nex:g {\n  ex:a ex:b .\n}\n", 3, "trig"),
        (
            "bad.jsonld",
            '{\n  "@id": "http://e.org/a",\n  "http://e.org/b": \n',
            4,
            "not valid JSON",
        ),
    ],
)
def test_unparseable_file_names_file_and_line(
    tmp_path: Path, name: str, content: str, line: int, words: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationInputError) as info:
        validate_files([path])
    assert info.value.path == str(path)
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert words in str(info.value)


def test_remote_jsonld_context_is_an_error_not_a_fetch(tmp_path: Path, no_network: None) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        json.dumps({"@context": "https://schema.org/", "@id": "http://e.org/a", "name": "x"}),
        encoding="utf-8",
    )
    with pytest.raises(
        ValidationInputError, match=re.escape("remote JSON-LD @context 'https://schema.org/'")
    ):
        validate_files([path])


def test_nested_remote_jsonld_context_is_an_error(tmp_path: Path, no_network: None) -> None:
    path = tmp_path / "nested.jsonld"
    document = {
        "@context": {"ex": "http://e.org/"},
        "@graph": [
            {"@id": "ex:a", "ex:b": {"@context": ["http://e.org/ctx.jsonld"], "@id": "ex:c"}}
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValidationInputError, match=r"http://e\.org/ctx\.jsonld"):
        validate_files([path])


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.ttl", None, "no such file"),
        ("data.rdf", "<rdf:RDF/>", "unknown RDF file extension '.rdf'"),
        ("latin1.ttl", b"# caf\xe9\n", "not UTF-8"),
    ],
)
def test_unreadable_file_is_an_input_error(
    tmp_path: Path, name: str, content: str | bytes | None, words: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationInputError, match=re.escape(words)) as info:
        validate_files([path])
    error = info.value
    assert str(path) in str(error)
    assert isinstance(error, InputError)
    assert isinstance(error, ValueError)
    assert isinstance(error, LowcarbonError)
    assert error.exit_code == EXIT_ERROR


def test_validation_leaves_the_shapes_graph_as_it_was() -> None:
    """Regression: validation added two triples to the shapes graph it was given.

    pyshacl (advanced mode) added ``owl:Class rdfs:subClassOf rdfs:Class`` and one more, and
    they were exported in shapes.ttl (and counted in VoID) whenever validation ran first.
    """
    shapes = load_shapes()
    before = set(shapes)
    validate_graph(parse(VALID[0]), shapes=shapes)
    assert set(shapes) == before
