"""The vocabulary table is the one place the kinds are written, and every kind is complete.

A kind of statement needs, besides its row in ``lowcarbon.vocab``: a member of ``link.Kind``
used by a linking rule, its ontology class and shortcut property, a SHACL shape that names the
class, a named query that covers it, and a line in docs/model.md. Each test below names the
kind and the piece it lacks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace

from lowcarbon import vocab
from lowcarbon.catalog.model import KINDS as CATALOG_KINDS
from lowcarbon.link import Kind
from lowcarbon.query.named import ENTITY_KINDS as QUERY_ENTITY_KINDS

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "lowcarbon"
LCD = Namespace("https://w3id.org/lowcarbon-diplomacy/ontology#")
STATEMENT_KINDS = vocab.STATEMENT_KINDS
ENTITY_NAMES = {k.name for k in vocab.ENTITY_KINDS}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "lowcarbon.ttl")


@pytest.fixture(scope="module")
def shapes_text() -> str:
    return (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")


def test_ontology_namespace_is_the_one_the_graph_uses() -> None:
    from lowcarbon.graph.mapping import Minter

    assert str(Minter(vocab.DEFAULT_BASE).lcd) == str(LCD)


def test_rows_are_unique() -> None:
    for attr in ("segment", "cls"):
        values = [getattr(k, attr) for k in STATEMENT_KINDS]
        assert len(set(values)) == len(values), f"two statement kinds share a {attr}"
    names = [k.name for k in vocab.ENTITY_KINDS]
    assert len(set(names)) == len(names)
    assert not set(names) & {k.segment for k in STATEMENT_KINDS}, "an id/ segment used twice"


@pytest.mark.parametrize("kind", STATEMENT_KINDS, ids=lambda k: k.segment)
def test_statement_kind_is_complete(kind: vocab.StatementKind, ontology: Graph, shapes_text: str):
    assert Kind(kind.segment).row is kind, f"link.Kind has no member for {kind.segment!r}"
    rules = (SRC / "link" / "rules.py").read_text(encoding="utf-8")
    assert f"Kind.{Kind(kind.segment).name}" in rules, f"no linking rule makes {kind.segment!r}"
    cls, prop = LCD[kind.cls], LCD[kind.shortcut]
    assert (cls, RDF.type, OWL.Class) in ontology, f"ontology lacks the class lcd:{kind.cls}"
    assert (cls, RDFS.subClassOf, LCD.Statement) in ontology, f"lcd:{kind.cls} is no Statement"
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology, f"ontology lacks lcd:{kind.shortcut}"
    assert re.search(rf"lcd:{kind.cls}\b", shapes_text), f"no shape names lcd:{kind.cls}"
    listed = re.search(r"lcdsh:Statement-kind\b.*?sh:in \(([^)]*)\)", shapes_text, re.S)
    assert listed and f"lcd:{kind.cls}" in listed.group(1).split(), (
        f"lcdsh:Statement-kind's sh:in list lacks lcd:{kind.cls}"
    )
    target = re.search(r"lcdsh:StatementShape\b.*?sh:targetClass([^;]*);", shapes_text, re.S)
    assert target and f"lcd:{kind.cls}" in target.group(1).replace(",", " ").split(), (
        f"lcdsh:StatementShape does not target lcd:{kind.cls}"
    )
    queries = [p.read_text(encoding="utf-8") for p in (SRC / "query" / "queries").glob("*.rq")]
    assert any(re.search(rf"lcd:{kind.cls}\b", q) for q in queries), (
        f"no named query covers lcd:{kind.cls}"
    )
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert f"`lcd:{kind.cls}`" in model, f"docs/model.md does not describe lcd:{kind.cls}"
    assert f"id/{kind.segment}/" in model, f"docs/model.md has no IRI pattern for {kind.segment}"


def test_link_kinds_are_exactly_the_table() -> None:
    assert [k.value for k in Kind] == [k.segment for k in STATEMENT_KINDS]


def test_entity_kinds_are_derived() -> None:
    assert tuple(k.name for k in vocab.ENTITY_KINDS) == QUERY_ENTITY_KINDS
    assert dict(CATALOG_KINDS) == {k.stem: (k.name, k.types) for k in vocab.ENTITY_KINDS}


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_kinds_are_written_out_only_in_the_table() -> None:
    """No literal outside vocab.py spells a statement kind or copies the entity kinds.

    A string literal equal to a statement kind's segment or class is a copy; so is a literal
    collection naming five or more entity kinds (a rule about two or three kinds, such as which
    kinds take a start date, is not).
    """
    banned = {k.segment for k in STATEMENT_KINDS} | {k.cls for k in STATEMENT_KINDS}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "vocab.py":
            continue
        rel = path.relative_to(SRC)
        for line, value in _string_literals(path):
            if value in banned:
                found.append(f"{rel}:{line}: {value!r}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
                elts = node.keys if isinstance(node, ast.Dict) else node.elts
                names = {
                    e.value for e in elts if isinstance(e, ast.Constant) and e.value in ENTITY_NAMES
                }
                if len(names) >= 5:
                    found.append(f"{rel}:{node.lineno}: a hand-written list of entity kinds")
    assert not found, "kinds written outside lowcarbon/vocab.py:\n" + "\n".join(found)
