"""Two SHACL engines give the same verdicts and results: pyshacl (the reference) and pyrudof.

pyrudof (Rust, PyPI, pinned as a dev dependency) runs the published shapes, SHACL-SPARQL
constraints included, on the real data graph, on three mutations of it, and on every case of
``tests/shapes``; each result is compared as (focus node, path, component). Which engines run
the six SHACL-SPARQL rules, and what a core-only engine misses, is in docs/validation.md.
"""

from __future__ import annotations

from pathlib import Path

import pyrudof
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from lowcarbon.export import prefixes
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.pipeline import Pipeline
from lowcarbon.validate import validate_graph

HERE = Path(__file__).resolve().parent
CASES = sorted((HERE / "shapes").glob("*/*.ttl"))
SH = "http://www.w3.org/ns/shacl#"
LCD = f"{DEFAULT_BASE}ontology#"
ID = f"{DEFAULT_BASE}id/"
PREFIXES = prefixes(DEFAULT_BASE)

Result = tuple[str, str | None, str]  # focus, path (an IRI), component (sh: local name)


def _iri(curie: str | None) -> str | None:
    if curie is None or "://" in curie or ":" not in curie:
        return curie
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


def by_pyshacl(data: Graph, pipe: Pipeline) -> set[Result]:
    report = validate_graph(data, shapes=pipe.shapes, ontology=pipe.ontology)
    assert report.conforms == (not report.violations)
    return {(v.focus, _iri(v.path), v.component) for v in report.violations}


def by_pyrudof(data: Graph, pipe: Pipeline) -> set[Result]:
    """What pyrudof finds, the ontology merged into the data as lowcarbon.validate does."""
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(data.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_data(pipe.ontology.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples,
                    merge=True)  # fmt: skip
    rudof.read_shacl(pipe.shapes.serialize(format="turtle"))
    report = rudof.validate_shacl()
    results = {
        (v.focus_node, v.path or None, v.constraint_component.replace(SH, "sh:")) for v in report
    }
    assert report.conforms == (not results)
    return results


# --- the real data and three mutations of it ---------------------------------------------


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def _drop_statement_behind_a_shortcut(g: Graph) -> str:
    """The shortcut ``city lcd:memberOf org`` stays; the membership behind it goes."""
    statement = URIRef(f"{ID}membership/taipei--iclei")
    g.remove((statement, None, None))
    return f"{ID}city/taipei"


def _target_a_declaration(g: Graph) -> str:
    statement = URIRef(f"{ID}membership/kaohsiung--iclei")
    g.set((statement, URIRef(LCD + "target"), URIRef(f"{ID}declaration/mexico-city-pact")))
    return str(statement)


def _drop_a_chinese_label(g: Graph) -> str:
    city = URIRef(f"{ID}city/tainan")
    for label in list(g.objects(city, RDFS.label)):
        if isinstance(label, Literal) and (label.language or "").lower().startswith("zh"):
            g.remove((city, RDFS.label, label))
    return str(city)


MUTATIONS = {
    "real data": None,
    "statement behind a shortcut removed": _drop_statement_behind_a_shortcut,
    "membership targets a declaration": _target_a_declaration,
    "city without a Chinese label": _drop_a_chinese_label,
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_engines_agree_on_the_data(mutation: str, pipe: Pipeline) -> None:
    data = _copy(pipe.graph)
    mutate = MUTATIONS[mutation]
    focus = mutate(data) if mutate is not None else None
    mine = by_pyshacl(data, pipe)
    theirs = by_pyrudof(data, pipe)
    assert theirs == mine
    if focus is None:
        assert mine == set(), "the published data conforms"
    else:
        assert focus in {f for f, _, _ in mine}, f"{mutation}: {focus} not reported"


def test_a_shortcut_without_its_statement_needs_shacl_sparql(pipe: Pipeline) -> None:
    """What a core-only SHACL engine misses: only a SPARQL rule sees the lone shortcut."""
    data = _copy(pipe.graph)
    focus = _drop_statement_behind_a_shortcut(data)
    components = {c for f, _, c in by_pyrudof(data, pipe) if f == focus}
    assert components == {"sh:SPARQLConstraintComponent"}


# --- every hand-written case ---------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_engines_agree_on_the_cases(path: Path, pipe: Pipeline) -> None:
    data = Graph().parse(path, format="turtle")
    mine = by_pyshacl(data, pipe)
    assert by_pyrudof(data, pipe) == mine
    assert bool(mine) == (path.parent.name == "invalid")


def test_the_cases_cover_the_sparql_rules(pipe: Pipeline) -> None:
    rules = {s for s in pipe.shapes.subjects(URIRef(SH + "sparql"), None)}
    assert len(rules) == 6
    assert all((r, RDF.type, URIRef(SH + "NodeShape")) in pipe.shapes for r in rules)
