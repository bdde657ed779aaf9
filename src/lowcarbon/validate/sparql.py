"""SHACL-SPARQL constraints evaluated in pyoxigraph, with ``$this`` pre-bound by substitution.

pyshacl runs a SPARQL constraint once for every focus node of its shape in rdflib's engine,
which evaluates ``FILTER NOT EXISTS`` without the bound node: each run scans the graph, so the
cost grows with (focus nodes x graph size) (issue 15). This module takes those constraints out
of the shapes graph it hands to pyshacl and runs them in pyoxigraph: the focus nodes of a
shape come from one query over its targets, then the constraint's own text runs once per
focus node with ``$this`` substituted (SPARQL SEP-0007, the pre-binding SHACL specifies), which
the indexes answer locally. It writes one ``sh:ValidationResult`` per solution, as pyshacl
would (focus node, value, path, source shape, source constraint, component, severity,
messages).

A constraint is taken over when it pre-binds no variable but ``$this`` and its shape has
class, subjects-of or objects-of targets. Any other constraint stays with pyshacl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from lowcarbon.validate.loaded import Loaded, load_store

__all__ = ["SparqlRule", "evaluate", "split_rules"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PREBOUND = re.compile(r"\$(?!this\b)[A-Za-z_]")
_TARGETS = {
    SH.targetClass: "?this a/rdfs:subClassOf* {t} .",
    SH.targetSubjectsOf: "?this {t} [] .",
    SH.targetObjectsOf: "[] {t} ?this .",
}


@dataclass(frozen=True)
class SparqlRule:
    """One SPARQL constraint of a node shape, with what is needed to run it alone."""

    shape: Node
    constraint: Node
    #: the focus nodes: ``SELECT DISTINCT ?this`` over the shape's targets
    focus: str
    #: the constraint's text, with its prefixes
    query: str
    #: the constraint joined with its focus nodes: one query over the whole graph
    whole: str


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = ["PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"]
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None and str(prefix) != "rdfs":
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines))) + "\n"


def split_rules(shapes: Graph) -> tuple[Graph, list[SparqlRule]]:
    """The shapes without the constraints this module runs, and those constraints."""
    rules: list[SparqlRule] = []
    taken: set[tuple[Node, Node]] = set()
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=str):
        select = shapes.value(constraint, SH.select)
        if select is None or (shape, RDF.type, SH.NodeShape) not in shapes:
            continue
        if shapes.value(constraint, SH.deactivated) or shapes.value(shape, SH.deactivated):
            continue
        targets = [
            pattern.format(t=t.n3())
            for predicate, pattern in _TARGETS.items()
            for t in sorted(shapes.objects(shape, predicate), key=str)
            if isinstance(t, URIRef)
        ]
        other = any(shapes.objects(shape, SH.targetNode)) or any(shapes.objects(shape, SH.target))
        if not targets or other or _PREBOUND.search(str(select)):
            continue
        union = " UNION ".join(f"{{ {t} }}" for t in targets)
        prefixes = _prefixes(shapes, constraint)
        focus = f"{prefixes}SELECT DISTINCT ?this WHERE {{ {union} }}"
        whole = (
            f"{prefixes}SELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {union} }} }} "
            f"{{ {select} }} }}"
        )
        rules.append(SparqlRule(shape, constraint, focus, prefixes + str(select), whole))
        taken.add((shape, constraint))
    core = Graph()
    for prefix, ns in shapes.namespaces():
        core.bind(prefix, ns)
    for triple in shapes:
        if (triple[0], triple[2]) not in taken or triple[1] != SH.sparql:
            core.add(triple)
    return core, rules


def evaluate(
    graphs: Iterable[Graph] | Loaded,
    shapes: Graph,
    rules: list[SparqlRule],
    *,
    per_node: bool = False,
) -> Graph:
    """Run every rule over the union of ``graphs`` (or a loaded store); a SHACL results graph.

    By default each rule runs once over the whole graph, joined with its focus nodes (the
    shapes' rules bind ``$this`` in every branch, ontology/shapes.ttl section 5): six
    queries, 0.5 s at 150,000 triples. ``per_node=True`` runs each once per focus node
    with ``$this`` substituted (SHACL's pre-binding, as pyshacl does; 4 s there): the same
    results, which tests/test_sparql_rules.py holds equal on every fixture. The graph holds
    only ``sh:ValidationResult`` nodes (no report node), one per solution.
    """
    loaded = graphs if isinstance(graphs, Loaded) else load_store(graphs)
    store = loaded.store
    out = Graph()
    this = ox.Variable("this")
    answers = [] if per_node else loaded.select_all([rule.whole for rule in rules])
    for i, rule in enumerate(rules):
        messages = list(shapes.objects(rule.constraint, SH.message)) or list(
            shapes.objects(rule.shape, SH.message)
        )
        severity = shapes.value(rule.shape, SH.severity) or SH.Violation
        if not per_node:
            names, rows = answers[i]
            for row in rows:
                _result(out, loaded, rule, row["this"], row, names, severity, messages)
            continue
        focus = [row["this"] for row in store.query(rule.focus)]  # type: ignore[union-attr]
        for node in sorted(focus, key=str):
            solutions = store.query(rule.query, substitutions={this: node})
            names = {v.value for v in solutions.variables}  # type: ignore[union-attr]
            for row in solutions:  # type: ignore[union-attr]
                _result(out, loaded, rule, node, row, names, severity, messages)
    return out


def _result(
    out: Graph,
    loaded: Loaded,
    rule: SparqlRule,
    node: object,
    row: ox.QuerySolution,
    names: set[str],
    severity: Node,
    messages: list[Node],
) -> None:
    result = BNode()
    out.add((result, RDF.type, SH.ValidationResult))
    out.add((result, SH.focusNode, loaded.term(node)))
    value = row["value"] if "value" in names else None
    # SHACL: with no ?value in the solution, the value is the focus node
    out.add((result, SH.value, loaded.term(value if value is not None else node)))
    if "path" in names and row["path"] is not None:
        out.add((result, SH.resultPath, loaded.term(row["path"])))
    out.add((result, SH.sourceShape, rule.shape))
    out.add((result, SH.sourceConstraint, rule.constraint))
    out.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    out.add((result, SH.resultSeverity, severity))
    for m in messages:
        out.add((result, SH.resultMessage, Literal(str(m))))
