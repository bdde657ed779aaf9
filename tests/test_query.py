"""SPARQL: the named queries answer the competency questions as the source says, on two engines.

Expected answers are read off the source document (see tests/test_link.py's ANSWER_KEY and
tests/test_source.py's EXPECTED_COUNTS, which this module reuses): they are checked on the
embedded store (pyoxigraph, through the sandboxed runner), and every named query must give
the same rows on rdflib's own SPARQL engine over the same N-Quads.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from lowcarbon.errors import exit_code_for
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.ingest.source import Document
from lowcarbon.query import (
    QueryError,
    QueryResult,
    QueryTimeoutError,
    UnsafeQueryError,
    bind_params,
    check_query,
    format_result,
    get_query,
    list_queries,
    named_queries,
    parse_params,
    prepare,
    read_query,
    run_query,
    run_query_rdflib,
)
from servers import Listener, Project, comparable, is_ordered
from test_link import ANSWER_KEY, ICLEI_MEMBERS, PARTICIPANTS, SIGNERS
from test_source import EXPECTED_COUNTS

ID = f"{DEFAULT_BASE}id/"
NAMES = [name for name, _ in list_queries()]
REQUIRED = {
    "members",
    "first-members",
    "timeline",
    "signers",
    "participants",
    "shared-events",
    "co-participation",
    "quotes",
    "not-done",
    "counts",
}


def short(t: object) -> object:
    """A term as the answer keys write it: an id without the base, a literal's value."""
    if isinstance(t, ox.NamedNode):
        return t.value.removeprefix(ID).split("/", 1)[-1] if t.value.startswith(ID) else t.value
    if isinstance(t, ox.Literal):
        return t.value
    return t


def table(result: QueryResult, *columns: str) -> list[tuple[object, ...]]:
    idx = [result.variables.index(c) for c in columns]
    return [tuple(short(row[i]) for i in idx) for row in result.rows]


@pytest.fixture(scope="module")
def answers(dataset_nq: Project) -> dict[str, QueryResult]:
    """Every named query with its default parameters, run through the sandboxed runner."""
    return {
        name: run_query(dataset_nq.store, get_query(name).bind(), origin=name) for name in NAMES
    }


def ask(project: Project, name: str, **params: str) -> QueryResult:
    return run_query(project.store, get_query(name).bind(params), timeout=None, origin=name)


# --- the library --------------------------------------------------------------------------


def test_library_has_the_competency_queries() -> None:
    assert set(NAMES) >= REQUIRED
    for name, description in list_queries():
        assert description and "\n" not in description, name


@pytest.mark.parametrize("name", NAMES)
def test_named_query_parses_and_declares_its_parameters(name: str) -> None:
    q = named_queries()[name]
    assert check_query(q.text, origin=name) in ("SELECT", "CONSTRUCT")
    for p in q.params:
        # each parameter is one VALUES block with a default, so the file runs as it is
        assert q.text.count(f"VALUES ?{p.name} {{") == 1, p.name
    assert "lang(" not in q.text.replace("langMatches(lang(", ""), "compare tags with langMatches"


def test_unknown_name_lists_the_library() -> None:
    with pytest.raises(QueryError, match=r"no named query 'nope'.*members"):
        get_query("nope")


# --- expected answers, read off the source ------------------------------------------------


def test_members_iclei_by_year(answers: dict[str, QueryResult]) -> None:
    got = table(answers["members"], "year", "joined", "city")
    assert got == [
        ("2006", "2006", "kaohsiung"),  # 95年正式加入ICLEI, 為台灣第一個ICLEI會員城市 (line 93)
        ("2007", "2007", "taipei"),  # 96年加入 (line 66)
        ("2008", "2008", "new-taipei"),  # 97年成為正式會員 (line 79)
        ("2008", "2008", "tainan"),  # 97年成為ICLEI正式會員 (line 125)
        ("2009", "2009-09", "pingtung"),  # 98年9月 (line 132)
        ("2010", "2010", "yunlin"),  # 並於99年正式成為 (line 148)
        ("2010", "2010-05", "chiayi-county"),  # 99年5月加入 (line 153)
        ("2010", "2010-05", "yilan"),  # 並於99年5月正式成為 (line 158)
        ("2011", "2011-03-01", "taoyuan"),  # 100年3月1日收到加入同意通知 (line 137)
    ]
    # the same members and years as the linking stage's competency test
    assert {c: y for y, _, c in got} == ICLEI_MEMBERS


@pytest.mark.parametrize(
    ("organization", "expected"),
    [
        (
            "uclg",
            [("2004", "taichung"), ("2004", "taipei"), ("2004-05", "new-taipei")],
        ),
        ("wmccc", [("2008", "new-taipei")]),
    ],
)
def test_members_parametrised(
    dataset_nq: Project, organization: str, expected: list[tuple[str, str]]
) -> None:
    got = ask(dataset_nq, "members", organization=organization)
    assert table(got, "joined", "city") == expected


def test_first_members(answers: dict[str, QueryResult]) -> None:
    # UCLG: 臺北市 93年, 台中市 93年, 新北市 93年5月 -- all in 2004, so all three are first
    assert table(answers["first-members"], "organization", "year", "city") == [
        ("iclei", "2006", "kaohsiung"),
        ("uclg", "2004", "new-taipei"),
        ("uclg", "2004", "taichung"),
        ("uclg", "2004", "taipei"),
        ("wmccc", "2008", "new-taipei"),
    ]


def test_timeline_is_every_statement_in_date_order(answers: dict[str, QueryResult]) -> None:
    res = answers["timeline"]
    got = table(res, "kind", "city", "target", "status", "start", "end")
    expected = [s for statements in ANSWER_KEY.values() for s in statements]
    assert Counter(got) == Counter(expected)
    starts = [str(s or "") for *_, s, _ in got]
    assert starts == sorted(starts)
    assert got[0] == ("participation", "kaohsiung", "c20-programme", "done", None, None)


@pytest.mark.parametrize(("declaration", "signers"), SIGNERS)
def test_signers(dataset_nq: Project, declaration: str, signers: set[str]) -> None:
    got = ask(dataset_nq, "signers", declaration=declaration)
    assert {c for (c,) in table(got, "city")} == signers


def test_signers_default_with_dates_events_and_lines(answers: dict[str, QueryResult]) -> None:
    assert table(answers["signers"], "city", "signed", "event", "line") == [
        # 99年...出席「全球氣候變遷市長高峰會」簽署「墨西哥城市協定」 (line 71)
        ("taipei", "2010", "world-mayors-summit-on-climate-2010", "71"),
        # 100年出席ICLEI「第二屆城市調適會議」(Resilient Cities 2011)簽署 (line 98)
        ("kaohsiung", "2011", "resilient-cities-2011", "98"),
    ]


@pytest.mark.parametrize(("event", "done", "planned"), PARTICIPANTS)
def test_participants(dataset_nq: Project, event: str, done: set[str], planned: set[str]) -> None:
    rows = table(ask(dataset_nq, "participants", event=event), "city", "status")
    got = {s: {c for c, st in rows if st == s} for s in ("done", "planned")}
    assert got == {"done": done, "planned": planned}


def test_participants_default_cop15(answers: dict[str, QueryResult]) -> None:
    assert table(answers["participants"], "city", "kind", "status", "start", "end", "line") == [
        # 94年~100年參與...第十一～十六屆締約國大會 (COP11～16) (line 103)
        ("kaohsiung", "participation", "done", "2005", "2011", "103"),
        # 97-98年參加「氣候變化綱要公約」締約國（COP14-15）周邊會議 (line 73)
        ("taipei", "participation", "done", "2008", "2009", "73"),
    ]


def test_participants_takes_a_programme_iri(dataset_nq: Project) -> None:
    got = ask(dataset_nq, "participants", event=f"{ID}programme/cdp-cities")
    assert table(got, "city", "kind") == [
        ("kaohsiung", "disclosure"),  # 揭露高雄市2009年之碳排放量 (line 114)
        ("taipei", "participation"),  # 100年參與城市碳揭露專案（CDP） (line 76)
    ]


def test_shared_events_default_taipei_kaohsiung(answers: dict[str, QueryResult]) -> None:
    assert {e for (e,) in table(answers["shared-events"], "event")} == {
        "cop14",
        "cop15",
        "iclei-local-government-climate-sessions",
        "iclei-incheon-congress-2010",
        "cdp-cities",
    }


def test_shared_events_parametrised(dataset_nq: Project) -> None:
    got = ask(dataset_nq, "shared-events", city1="new-taipei", city2="tainan")
    assert {e for (e,) in table(got, "event")} == {
        "iclei-world-congress-2009",  # 98年參與「ICLEI年會」 (line 83, line 127)
        "resilient-cities-2011",  # 100年6月於德國波昂 (line 87), 100年6月參加德國 (line 129)
    }
    assert ask(dataset_nq, "shared-events", city1="pingtung", city2="taipei").rows == ()


def _done_participations() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for statements in ANSWER_KEY.values():
        for kind, city, target, status, *_ in statements:
            if kind in ("participation", "disclosure") and status == "done":
                out.setdefault(city, set()).add(target)
    return out


def test_co_participation(answers: dict[str, QueryResult]) -> None:
    got = table(answers["co-participation"], "city1", "city2", "shared")
    assert got == [
        ("kaohsiung", "taipei", "5"),
        ("kaohsiung", "new-taipei", "2"),
        ("new-taipei", "tainan", "2"),
        ("kaohsiung", "tainan", "1"),
        ("new-taipei", "taipei", "1"),
    ]
    events = _done_participations()  # the same pairs, counted from the answer key
    pairs = {
        (a, b): len(events[a] & events[b])
        for a in events
        for b in events
        if f"{ID}city/{a}" < f"{ID}city/{b}" and events[a] & events[b]
    }
    assert {(a, b): int(n) for a, b, n in got} == pairs  # type: ignore[call-overload]


def test_quotes_trace_every_statement_to_its_line(
    answers: dict[str, QueryResult], doc: Document
) -> None:
    res = answers["quotes"]
    rows = table(res, "statement", "lineStart", "lineEnd", "quote")
    by_ref = {r.ref: r for r in doc.records}
    expected = Counter(
        (by_ref[ref].text, str(by_ref[ref].line_start), str(by_ref[ref].line_end))
        for ref, statements in ANSWER_KEY.items()
        for _ in statements
    )
    assert Counter((q, a, b) for _, a, b, q in rows) == expected
    mcp = next(r for r in rows if r[0] == "taipei--mexico-city-pact")
    assert mcp[1] == "71" and str(mcp[3]).startswith("4. 99年出席")


def test_not_done(answers: dict[str, QueryResult]) -> None:
    got = table(answers["not-done"], "city", "target", "status", "item", "line", "fulfilled")
    assert got == [
        ("taichung", "iclei", "planned", "taichung/org/2", "143", None),  # 100年台中市會申請加入
        ("tainan", "cop17", "planned", "tainan/activity/2", "129", None),  # 12月將由市長率隊參加
        ("taoyuan", "iclei", "applied", "taoyuan/org/1", "137", "2011-03-01"),
        ("yilan", "iclei", "applied", "yilan/org/1", "158", "2010-05"),
        ("yunlin", "iclei", "applied", "yunlin/org/1", "148", "2010"),
    ]


def test_counts_as_in_the_source_table(answers: dict[str, QueryResult]) -> None:
    got = table(answers["counts"], "label", "organizations", "declarations", "activities")
    assert [(c, (int(o), int(d), int(a))) for c, o, d, a in got] == list(  # type: ignore[call-overload]
        EXPECTED_COUNTS.items()
    )


def test_city_graph(answers: dict[str, QueryResult], dataset_nq: Project) -> None:
    for city, result in (("taipei", answers["city-graph"]), ("kaohsiung", None)):
        res = result or ask(dataset_nq, "city-graph", city=city)
        statements = {
            str(t.subject)
            for t in res.triples
            if t.predicate.value == "https://w3id.org/lowcarbon-diplomacy/ontology#city"
        }
        expected = sum(1 for v in ANSWER_KEY.values() for s in v if s[1] == city)
        assert len(statements) == expected, city


# --- the same answers from rdflib's engine ------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_rdflib_engine_agrees(
    name: str, answers: dict[str, QueryResult], rdflib_dataset: rdflib.Dataset
) -> None:
    text = get_query(name).bind()
    ordered = is_ordered(text)
    theirs = run_query_rdflib(rdflib_dataset, text, origin=name)
    assert comparable(theirs, ordered=ordered) == comparable(answers[name], ordered=ordered)


def _plain_oxigraph(store: ox.Store, text: str) -> QueryResult:
    """``text`` on a pyoxigraph store with its default dataset, as the Oxigraph server has it."""
    res = store.query(text)
    if isinstance(res, ox.QuerySolutions):
        names = tuple(v.value for v in res.variables)
        return QueryResult("SELECT", names, tuple(tuple(row) for row in res))
    assert isinstance(res, ox.QueryTriples)
    return QueryResult("CONSTRUCT", triples=tuple(res))


@pytest.fixture(scope="module")
def plain_stores(dataset_nq: Project) -> tuple[ox.Store, rdflib.Dataset]:
    store = ox.Store()
    store.load(dataset_nq.nquads, ox.RdfFormat.N_QUADS)
    ds = rdflib.Dataset(default_union=False)
    ds.parse(data=dataset_nq.nquads, format="nquads")
    return store, ds


@pytest.mark.parametrize("name", NAMES)
def test_named_query_reads_the_data_graph_by_name(
    name: str, answers: dict[str, QueryResult], plain_stores: tuple[ox.Store, rdflib.Dataset]
) -> None:
    """Regression: named queries that named no graph found nothing on standard stores.

    Here the default graph is the unnamed graph (empty), not the union: the defaults of the
    Oxigraph server and Jena TDB2 (pyoxigraph without ``use_default_graph_as_union``, rdflib
    without ``default_union``). The servers themselves are in test_query_matrix.py.
    """
    text = get_query(name).bind()
    store, ds = plain_stores
    ordered = is_ordered(text)
    mine = comparable(answers[name], ordered=ordered)
    assert comparable(_plain_oxigraph(store, text), ordered=ordered) == mine
    assert comparable(run_query_rdflib(ds, text, origin=name), ordered=ordered) == mine


def test_rdflib_cannot_compare_gyear(dataset_nq: Project, rdflib_dataset: rdflib.Dataset) -> None:
    """Why the named queries compare dates by STR(): rdflib gets gYear comparisons wrong.

    It drops gYear < gYear and takes every xsd:date to be before a gYear (2010-05-30 too).
    """
    text = """PREFIX schema: <https://schema.org/>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    SELECT ?s WHERE { ?s schema:startDate ?d FILTER(?d < "2005"^^xsd:gYear) }"""
    ours = run_query(dataset_nq.store, text, timeout=None)
    theirs = run_query_rdflib(rdflib_dataset, text)
    # gYear values before 2005: the UCLG memberships of 93年 (a gYearMonth does not compare)
    assert {short(r[0]) for r in ours.rows} == {"taipei--uclg", "taichung--uclg"}
    wrong = {short(r[0]) for r in theirs.rows}
    assert "taipei--uclg" not in wrong and "bonn-declaration-2010" in wrong


def test_rdflib_runner_refuses_from(rdflib_dataset: rdflib.Dataset) -> None:
    """Rdflib loads FROM graphs from the web; the embedded store only names its own graphs."""
    with Listener() as listener:
        with pytest.raises(UnsafeQueryError, match="FROM"):
            run_query_rdflib(rdflib_dataset, f"SELECT * FROM <{listener.url}/g> {{ ?s ?p ?o }}")  # noqa: S608
        assert listener.connections() == 0


def test_language_tags_are_lowercased(dataset_nq: Project) -> None:
    """The exports write zh-Hant; pyoxigraph reads it as zh-hant: compare with langMatches."""
    label = f"<{ID}city/taipei> <http://www.w3.org/2000/01/rdf-schema#label> ?l"
    exact = run_query(dataset_nq.store, f'SELECT ?l {{ {label} FILTER(lang(?l) = "zh-Hant") }}')
    matched = run_query(
        dataset_nq.store, f'SELECT ?l {{ {label} FILTER(langMatches(lang(?l), "zh-Hant")) }}'
    )
    assert exact.rows == ()
    assert [(r[0].value, r[0].language) for r in matched.rows] == [("臺北市", "zh-hant")]  # type: ignore[union-attr]


# --- parameters ---------------------------------------------------------------------------


def test_param_binds_an_escaped_iri() -> None:
    text = get_query("signers").bind({"declaration": "bonn-declaration-2010"})
    assert f"VALUES ?declaration {{ <{ID}declaration/bonn-declaration-2010> }}" in text
    full = get_query("signers").bind({"declaration": f"<{ID}declaration/x>"})
    assert f"<{ID}declaration/x>" in full


@pytest.mark.parametrize(
    "value",
    [
        "x> } ?s ?p ?o . { <y",  # breaking out of the IRI
        "mexico city pact",
        'a"b',
        "javascript:alert(1)>",
    ],
)
def test_param_rejects_what_is_not_an_id_or_iri(value: str) -> None:
    with pytest.raises(QueryError, match="expected a catalog id"):
        get_query("signers").bind({"declaration": value})


def test_param_unknown_name() -> None:
    with pytest.raises(QueryError, match="unknown parameter 'city'; this query takes: declaration"):
        get_query("signers").bind({"city": "taipei"})


def test_param_string_is_escaped(dataset_nq: Project) -> None:
    text = 'SELECT ?q WHERE { VALUES ?q { "" } }'
    hostile = 'x" } ?s ?p ?o { "\\'
    bound = bind_params(text, {"q": hostile})
    res = run_query(dataset_nq.store, bound, timeout=None)
    assert [r[0].value for r in res.rows] == [hostile]  # type: ignore[union-attr]


def test_param_needs_a_values_block() -> None:
    with pytest.raises(QueryError, match="expected one 'VALUES \\?x"):
        bind_params("SELECT * { ?s ?p ?o }", {"x": "1"})


def test_parse_params() -> None:
    assert parse_params(["a=b", "c=d=e"]) == {"a": "b", "c": "d=e"}
    with pytest.raises(QueryError, match="expected NAME=VALUE"):
        parse_params(["nothing"])


def test_prepare_sources(tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK {}", encoding="utf-8")
    assert prepare(str(f)) == ("ASK {}", str(f))
    assert prepare("-", stdin=io.StringIO("ASK { ?s ?p ?o }")) == ("ASK { ?s ?p ?o }", "<stdin>")
    assert prepare("ASK {}") == ("ASK {}", "<query>")
    text, origin = prepare(name="signers", params=["declaration=bonn-declaration-2011"])
    assert origin == "query:signers" and "bonn-declaration-2011" in text
    with pytest.raises(QueryError, match="give a query"):
        prepare()
    with pytest.raises(QueryError, match="no such query file"):
        read_query(str(tmp_path / "missing.rq"))


# --- output formats -----------------------------------------------------------------------


def test_select_formats_round_trip(answers: dict[str, QueryResult]) -> None:
    res = answers["co-participation"]
    table_text = format_result(res).decode("utf-8")
    lines = table_text.splitlines()
    assert lines[0].split() == list(res.variables)
    assert lines[-1] == "(5 rows)" and "Kaohsiung City" in lines[2]
    for fmt, rf in (
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("tsv", ox.QueryResultsFormat.TSV),
    ):
        back = ox.parse_query_results(format_result(res, fmt), rf)
        assert [tuple(s) for s in back] == [tuple(r) for r in res.rows], fmt  # type: ignore[union-attr]
    csv_lines = format_result(res, "csv").decode("utf-8").splitlines()
    assert csv_lines[0] == "city1,city1Label,city2,city2Label,shared"
    assert csv_lines[1] == f"{ID}city/kaohsiung,Kaohsiung City,{ID}city/taipei,Taipei City,5"
    assert json.loads(format_result(res, "json"))["head"]["vars"] == list(res.variables)


def test_table_aligns_wide_characters(answers: dict[str, QueryResult]) -> None:
    res = answers["counts"]
    lines = format_result(res).decode("utf-8").splitlines()

    def column(line: str, text: str) -> int:
        before = line[: line.index(text)]
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)

    # 臺北市 is six columns wide: the English labels start where their heading does
    en = [short(row[res.variables.index("labelEn")]) for row in res.rows]
    starts = {column(line, str(label)) for line, label in zip(lines[2:], en, strict=False)}
    assert starts == {column(lines[0], "labelEn")}


def test_ask_formats(dataset_nq: Project) -> None:
    res = run_query(dataset_nq.store, "ASK { ?s ?p ?o }")
    assert res.boolean is True
    assert format_result(res) == b"true\n"
    assert json.loads(format_result(res, "json")) == {"head": {}, "boolean": True}
    assert b"<boolean>true</boolean>" in format_result(res, "xml")


def test_graph_formats_round_trip(answers: dict[str, QueryResult]) -> None:
    res = answers["city-graph"]
    expected = set(res.triples)
    for fmt, rf in (
        ("turtle", ox.RdfFormat.TURTLE),
        ("ntriples", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ):
        data = format_result(res, fmt)
        assert {q.triple for q in ox.parse(data, rf)} == expected, fmt
    ttl = format_result(res, "turtle").decode("utf-8")
    assert "@prefix city: " in ttl and "@prefix geo:" not in ttl  # only the prefixes used
    nt = format_result(res, "ntriples").decode("utf-8").splitlines()
    assert nt == sorted(nt)


def test_format_must_fit_the_query_form(answers: dict[str, QueryResult]) -> None:
    with pytest.raises(QueryError, match="is for SELECT/ASK results"):
        format_result(answers["city-graph"], "csv")
    with pytest.raises(QueryError, match="is for CONSTRUCT/DESCRIBE results"):
        format_result(answers["counts"], "turtle")


# --- errors, safety, timeout --------------------------------------------------------------


def test_syntax_error_says_where(dataset_nq: Project) -> None:
    with pytest.raises(QueryError) as e:
        run_query(dataset_nq.store, "SELECT ?s\nWHERE {\n  ?s ?p\n}", origin="q.rq")
    assert (e.value.line, e.value.column) == (4, 1)  # where the object was expected
    assert str(e.value).startswith("q.rq:4:1: syntax error")
    assert exit_code_for(e.value) == 2


def test_engine_error_says_where(dataset_nq: Project) -> None:
    # rdflib parses this; pyoxigraph refuses the unbound variable, and says where
    with pytest.raises(QueryError) as e:
        run_query(
            dataset_nq.store, "SELECT (COUNT(?s) AS ?n) ?p\nWHERE { ?s ?p ?o }", origin="g.rq"
        )
    assert e.value.line == 2 and e.value.column is not None
    assert "unbound" in str(e.value)


def test_unknown_prefix(dataset_nq: Project) -> None:
    with pytest.raises(
        QueryError, match=r"1:17: unknown prefix lcd: \(declare it: PREFIX lcd: <…>\)"
    ):
        run_query(dataset_nq.store, "SELECT * { ?s a lcd:LocalGovernment }")


@pytest.mark.parametrize(
    ("template", "what"),
    [
        ("SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
        (
            "PREFIX ex: <http://e/>\nSELECT * WHERE {{\n ?s ?p ?o\n"
            " FILTER EXISTS {{ SERVICE SILENT <{url}/x> {{ ?s ?p ?o }} }} }}",
            "SERVICE",
        ),
        (
            "SELECT * WHERE {{ {{ SELECT ?s {{ SERVICE <{url}/y> {{ ?s ?p ?o }} }} }} }}",
            "SERVICE",
        ),
        (r"SELECT * WHERE {{ \u0053ERVICE <{url}/s> {{ ?s ?p ?o }} }}", "SERVICE"),  # escaped
        ("LOAD <{url}/data.ttl>", "updates"),
        ("INSERT DATA {{ <{url}/a> <{url}/b> <{url}/c> }}", "updates"),
        ("DROP ALL", "updates"),
    ],
)
def test_unsafe_queries_are_refused_before_any_connection(
    dataset_nq: Project, template: str, what: str
) -> None:
    with Listener() as listener:
        text = template.format(url=listener.url)
        with pytest.raises(UnsafeQueryError, match=what) as e:
            run_query(dataset_nq.store, text)
        assert exit_code_for(e.value) == 2
        time.sleep(0.05)  # the refusal is synchronous; a stray connection would be in by now
        assert listener.connections() == 0


def test_listener_does_record_connections() -> None:
    """The control for the test above: a connection attempt is seen."""
    import urllib.request

    with Listener() as listener:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(listener.url, timeout=0.1)  # noqa: S310
        assert listener.connections() == 1


def test_expensive_query_times_out(dataset_nq: Project) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3816^3 rows
    limit = 0.5  # minutes of work: any limit stops it
    start = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"longer than 0\.5 s") as e:
        run_query(dataset_nq.store, text, timeout=limit)
    assert time.monotonic() - start < limit + 2
    assert exit_code_for(e.value) == 2


def test_empty_query() -> None:
    with pytest.raises(QueryError, match="empty query"):
        check_query("# nothing\n\n")


# --- the command line (runs once the lead wires `lowcarbon query` into cli.py) ------------


def _has_command(name: str) -> bool:
    from lowcarbon.cli import build_parser

    return any(
        isinstance(a, argparse._SubParsersAction) and name in a.choices
        for a in build_parser()._actions
    )


cli = pytest.mark.skipif(not _has_command("query"), reason="`lowcarbon query` is not wired yet")


@cli
def test_cli_query_list(capsys: pytest.CaptureFixture[str]) -> None:
    from lowcarbon.cli import main

    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert {line.split()[0] for line in out.splitlines()} == set(NAMES)


@cli
def test_cli_named_query_with_param(
    dataset_nq: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from lowcarbon.cli import main

    argv = ["query", "--root", str(dataset_nq.root), "-n", "signers"]
    r = main([*argv, "-p", "declaration=bonn-declaration-2010", "-f", "csv"])
    out, err = capsys.readouterr()
    assert r == 0, err
    assert out.splitlines()[0].startswith("city,cityLabel,signed")
    assert f"{ID}city/kaohsiung,Kaohsiung City,2010" in out and len(out.splitlines()) == 2


@cli
def test_cli_query_from_stdin_and_file(
    dataset_nq: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lowcarbon.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("ASK { ?s ?p ?o }"))
    assert main(["query", "--root", str(dataset_nq.root), "-"]) == 0
    assert capsys.readouterr().out == "true\n"
    q = tmp_path / "cities.rq"
    q.write_text(
        "PREFIX lcd: <https://w3id.org/lowcarbon-diplomacy/ontology#>\n"
        "SELECT (COUNT(?c) AS ?n) WHERE { ?c a lcd:LocalGovernment }\n",
        encoding="utf-8",
    )
    out_file = tmp_path / "out.json"
    assert (
        main(["query", "--root", str(dataset_nq.root), str(q), "-f", "json", "-o", str(out_file)])
        == 0
    )
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert doc["results"]["bindings"][0]["n"]["value"] == "10"


@cli
@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
        ("LOAD <{url}/x.ttl> INTO GRAPH <{url}/g>", "updates"),
        ("SELECT ?s\nWHERE {{\n  ?s ?p\n}}", "<query>:4:1: syntax error"),
    ],
)
def test_cli_query_refusals_exit_2(
    dataset_nq: Project, capsys: pytest.CaptureFixture[str], text: str, needle: str
) -> None:
    from lowcarbon.cli import main

    with Listener() as listener:
        r = main(["query", "--root", str(dataset_nq.root), text.format(url=listener.url)])
        err = capsys.readouterr().err
        assert r == 2 and needle in err, err
        assert listener.connections() == 0


@cli
def test_cli_query_timeout_exit_2(dataset_nq: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from lowcarbon.cli import main

    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.monotonic()
    assert main(["query", "--root", str(dataset_nq.root), "--timeout", "0.5", text]) == 2
    assert time.monotonic() - start < 2.5
    assert "ran longer than 0.5 s" in capsys.readouterr().err


@cli
def test_cli_query_without_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lowcarbon.cli import main

    assert main(["query", "--root", str(tmp_path), "ASK {}"]) == 2
    assert "run `lowcarbon build` first" in capsys.readouterr().err
