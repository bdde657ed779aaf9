"""Mapping goldens: a few source items in, the expected graph out, compared as graphs.

Each folder of ``tests/cases/<name>/`` holds ``source.txt`` (a document of the real form: the
real header with its city list cut to the case's rows, then those rows verbatim), optionally a
``links.yaml`` of judgment calls for those items, a ``README.md`` saying what the case is for,
and ``expected.ttl``: the graph the pipeline must make of it. Only the part of the graph that
the case's items produce is compared (source items, statements, the document node and the
shortcut triples of the cities), not the catalog's entities, which are the same for every case.

Regenerate after a deliberate change of the mapping, then review the diff of the ``.ttl``::

    .venv/bin/pytest tests/test_cases.py --regenerate-cases
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from lowcarbon.catalog import Catalog, load_catalog
from lowcarbon.graph import DEFAULT_BASE, Minter, build_graph
from lowcarbon.ingest.source import read_source
from lowcarbon.link import link_document
from lowcarbon.link.judgments import Links, load_links

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
ROOT = CASES_DIR.parent.parent


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT / "data" / "entities")


def case_graph(case: Path, catalog: Catalog) -> Graph:
    """The part of the pipeline's graph that the case's source items produce."""
    doc = read_source(case / "source.txt")
    refs = {r.ref for r in doc.records}
    # Catalog facts cited to items of the real document that the case does not hold are
    # dropped: the case checks the mapping of its items, not the catalog.
    restricted = Catalog(
        tuple(
            dataclasses.replace(
                e,
                facts=tuple(
                    f
                    for f in e.facts
                    if not f.source.startswith("item:") or f.source[len("item:") :] in refs
                ),
            )
            for e in catalog
        )
    )
    links_path = case / "links.yaml"
    links = (
        load_links(links_path, doc, restricted)
        if links_path.exists()
        else Links(str(links_path), ())
    )
    linked = link_document(doc, restricted, links)
    assert not linked.warnings, linked.warnings
    full = build_graph(doc, restricted, linked, base=DEFAULT_BASE)
    minter = Minter(DEFAULT_BASE)
    entities = {minter.entity(e) for e in restricted}
    lcd = str(minter.lcd)
    part = Graph()
    for prefix, ns in full.namespaces():
        part.bind(prefix, ns)
    for s, p, o in full:
        shortcut = str(p).startswith(lcd) and isinstance(o, URIRef) and o in entities
        if s not in entities or shortcut:
            part.add((s, p, o))
    return part


def readable_diff(expected: Graph, actual: Graph) -> str:
    """The triples only in one of the two graphs, as sorted N-Triples lines (- expected, + actual)."""
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))

    def lines(g: Graph, sign: str) -> list[str]:
        nt = g.serialize(format="nt")
        return sorted(f"{sign} {line}" for line in nt.splitlines() if line.strip())

    return "\n".join(lines(only_expected, "-") + lines(only_actual, "+"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mapping_case(case: Path, catalog: Catalog, request: pytest.FixtureRequest) -> None:
    actual = case_graph(case, catalog)
    expected_path = case / "expected.ttl"
    if request.config.getoption("--regenerate-cases"):
        expected_path.write_text(actual.serialize(format="turtle"), encoding="utf-8")
    assert expected_path.exists(), f"{expected_path} is missing: run with --regenerate-cases"
    expected = Graph().parse(expected_path, format="turtle")
    assert len(actual) > 0
    diff = readable_diff(expected, actual)
    assert not diff, (
        f"{case.name}: the mapping differs from {expected_path.relative_to(ROOT)} "
        f"(- expected, + actual); if the change is deliberate, rerun with "
        f"--regenerate-cases and review the diff:\n{diff}"
    )


def test_every_case_says_what_it_is_for() -> None:
    assert CASES, "no mapping cases in tests/cases/"
    for case in CASES:
        assert (case / "source.txt").is_file(), case
        assert (case / "README.md").read_text(encoding="utf-8").strip(), case


def test_readable_diff_names_the_changed_triple(catalog: Catalog) -> None:
    """Guards the failure message itself: a changed triple shows up as - and + lines."""
    case = CASES[0]
    actual = case_graph(case, catalog)
    changed = Graph()
    for t in actual:
        changed.add(t)
    s, p, o = sorted(actual)[0]
    changed.remove((s, p, o))
    changed.add((s, p, URIRef("urn:x-changed")))
    diff = readable_diff(actual, changed)
    assert f"- <{s}> <{p}>" in diff
    assert "+ " in diff and "urn:x-changed" in diff
