"""SHACL Core constraints compiled to whole-graph SPARQL queries, run in pyoxigraph.

pyshacl checks every value of every focus node in Python over rdflib's store: at 150,000
triples that is a minute, and it grows faster than the graph (issue 15). This module turns each
(shape, constraint) of a shapes graph into one SELECT over the whole graph that returns only
the violations (``?this``, and ``?value`` / ``?path`` where SHACL reports them), and runs it on
pyoxigraph's indexes. pyshacl stays the reference: tests/test_sparql_rules.py and
tests/test_core_engine.py compare the two engines' results (focus node, path, value, source
shape, constraint component) on the real graph, on every invalid fixture and on synthetic data
with a violation of every constraint injected.

Only the part of SHACL Core the published shapes use is compiled (class, datatype, nodeKind,
in, pattern, minLength, languageIn, min/maxInclusive, hasValue, min/maxCount, qualified counts,
uniqueLang, equals, lessThanOrEquals, closed, and sh:or of such shapes, with predicate paths
and class, subjects-of, objects-of or node targets). :func:`compile_shapes` raises
:class:`Unsupported` naming anything else, and the caller validates with pyshacl instead:
a shapes graph is never validated in part.

Datatype checks follow pyshacl exactly: a literal of the right datatype whose lexical form
rdflib cannot read (``"abc"^^xsd:integer``, ``"2010-02-30"^^xsd:date``) does not conform.
Those literals are found once, while the data is loaded (:class:`Loaded`), with rdflib's own
conversion, and listed in the queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from lowcarbon.validate.loaded import Loaded

__all__ = ["CoreCheck", "Unsupported", "compile_shapes", "run_checks"]

_XSD_STRING = str(XSD.string)
_TYPE_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/" \
    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"  # fmt: skip

#: shape parameters that constrain nothing by themselves, or are read with another one
_NOT_CONSTRAINTS = frozenset(
    {
        RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.message, SH.order,
        SH.group, SH.severity, SH.deactivated, SH.path, SH.property, SH.targetClass,
        SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.ignoredProperties,
        SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.defaultValue, SH.sparql, SH.prefixes,
        SH.declare,
    }
)  # fmt: skip
#: parameters compiled as a condition on one value node (usable inside sh:or)
_VALUE_PARAMS = frozenset(
    {
        SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.minLength,
        SH.languageIn, SH.minInclusive, SH.maxInclusive, SH["or"],
    }
)  # fmt: skip
_COUNT_PARAMS = frozenset(
    {
        SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedValueShape, SH.uniqueLang,
        SH.equals, SH.lessThanOrEquals, SH.closed,
    }
)  # fmt: skip
_NODE_KINDS = {
    SH.IRI: "isIRI({x})",
    SH.BlankNode: "isBlank({x})",
    SH.Literal: "isLiteral({x})",
    SH.BlankNodeOrIRI: "(isBlank({x}) || isIRI({x}))",
    SH.BlankNodeOrLiteral: "(isBlank({x}) || isLiteral({x}))",
    SH.IRIOrLiteral: "(isIRI({x}) || isLiteral({x}))",
}
_COMPONENT = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.closed: SH.ClosedConstraintComponent,
}


class Unsupported(Exception):
    """The shapes use a part of SHACL this engine does not compile (pyshacl validates)."""


@dataclass(frozen=True)
class CoreCheck:
    """One constraint of one shape, as a query whose solutions are its violations."""

    shape: Node
    component: URIRef
    #: ``SELECT ?this [?value] [?path]``; a value or path not selected is left out (or, for
    #: a value-level check on the focus node itself, the value is the focus node)
    query: str
    severity: Node
    messages: tuple[Literal, ...]
    path: URIRef | None = None
    value_is_focus: bool = False


# --------------------------------------------------------------------------- compiling


def _sparql_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        if any(c in str(node) for c in '<>"{}|^`\\ '):
            raise Unsupported(f"IRI {node!s} cannot be written in a query")
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return f"{_sparql_string(str(node))}@{node.language}"
        datatype = node.datatype or XSD.string
        return f"{_sparql_string(str(node))}^^{_term(URIRef(datatype))}"
    raise Unsupported(f"blank node {node!r} as a constraint value")


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


def _one(shapes: Graph, shape: Node, param: URIRef) -> Node | None:
    values = list(shapes.objects(shape, param))
    if len(values) > 1:
        raise Unsupported(f"{shape} has {len(values)} values of {param}")
    return values[0] if values else None


def _int(shapes: Graph, shape: Node, param: URIRef) -> int | None:
    value = _one(shapes, shape, param)
    if value is None:
        return None
    if not isinstance(value, Literal) or not isinstance(value.value, int):
        raise Unsupported(f"{param} of {shape} is not an integer")
    return int(value.value)


def _check_params(shapes: Graph, shape: Node, allowed: frozenset[URIRef]) -> None:
    """Refuse a SHACL parameter of ``shape`` that is neither compiled here nor inert."""
    for param in sorted(set(shapes.predicates(shape, None)), key=str):
        if str(param).startswith(str(SH)) and param not in _NOT_CONSTRAINTS | allowed:
            raise Unsupported(f"{shape} uses {param}, which this engine does not compile")


class _Compiler:
    def __init__(self, shapes: Graph, ill_typed: dict[str, set[str]], store: ox.Store) -> None:
        self.shapes = shapes
        self.ill_typed = ill_typed
        self.store = store

    def instances(self, targets: list[Node]) -> list[str]:
        """Patterns binding ``?this`` to the instances of ``targets`` (via rdfs:subClassOf*).

        The classes are listed first (each target class and its subclasses in the store) and
        one pattern asks for the instances of all of them directly: pyoxigraph answers
        ``a/rdfs:subClassOf* C`` by walking every typed node, which cost every target class
        about as much as the largest, and a pattern per target class made a shape with a
        class and its subclasses as targets (the statement shapes) read each node once per
        class. The same nodes, since the subclass triples are in that store. A blank-node
        class keeps the path itself.
        """
        patterns: list[str] = []
        classes: set[str] = set()
        for cls in targets:
            rows = self.store.query(
                f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* {_term(cls)} }}"
            )
            found = [row["c"] for row in rows]  # type: ignore[union-attr]
            if all(isinstance(c, ox.NamedNode) for c in found):
                classes |= {_term(URIRef(c.value)) for c in found} | {_term(cls)}
            else:
                patterns.append(f"?this {_TYPE_PATH} {_term(cls)} .")
        if classes:
            patterns.append(f"?this a ?class . VALUES ?class {{ {' '.join(sorted(classes))} }}")
        return patterns

    # --- conditions on one node ``x`` (True: conforms) -------------------------------

    def value_conditions(self, shape: Node, x: str) -> list[tuple[URIRef, str]]:
        """(parameter, condition) for each value-level parameter of ``shape`` on node ``x``."""
        g = self.shapes
        out: list[tuple[URIRef, str]] = []
        for cls in sorted(g.objects(shape, SH["class"]), key=str):
            out.append((SH["class"], f"EXISTS {{ {x} {_TYPE_PATH} {_term(cls)} }}"))
        for dt in sorted(g.objects(shape, SH.datatype), key=str):
            out.append((SH.datatype, self.datatype(dt, x)))
        kind = _one(g, shape, SH.nodeKind)
        if kind is not None:
            if kind not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {kind}")
            out.append((SH.nodeKind, _NODE_KINDS[kind].format(x=x)))  # type: ignore[index]
        for head in g.objects(shape, SH["in"]):
            members = _list(g, head)
            terms = " || ".join(f"sameTerm({x}, {_term(m)})" for m in members) or "false"
            out.append((SH["in"], f"({terms})"))
        for pattern in sorted(g.objects(shape, SH.pattern), key=str):
            flags = _one(g, shape, SH.flags)
            args = f", {_sparql_string(str(flags))}" if flags is not None else ""
            out.append(
                (SH.pattern, f"(!isBlank({x}) && REGEX(STR({x}), {_sparql_string(str(pattern))}"
                             f"{args}))")
            )  # fmt: skip
        length = _int(g, shape, SH.minLength)
        if length is not None:
            out.append((SH.minLength, f"(!isBlank({x}) && STRLEN(STR({x})) >= {length})"))
        for head in g.objects(shape, SH.languageIn):
            tags = [str(t) for t in _list(g, head)]
            test = " || ".join(f"LANGMATCHES(LANG({x}), {_sparql_string(t)})" for t in tags)
            out.append((SH.languageIn, f"(isLiteral({x}) && ({test or 'false'}))"))
        for param, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<=")):
            bound = _one(g, shape, param)
            if bound is not None:
                out.append((param, f"({x} {op} {_term(bound)})"))
        for head in g.objects(shape, SH["or"]):
            alternatives = [self.node_condition(member, x) for member in _list(g, head)]
            out.append((SH["or"], "(" + (" || ".join(alternatives) or "false") + ")"))
        return out

    def datatype(self, dt: Node, x: str) -> str:
        if dt == RDF.langString:
            return f'(isLiteral({x}) && LANG({x}) != "")'
        if not isinstance(dt, URIRef):
            raise Unsupported(f"sh:datatype {dt!r}")
        test = f"isLiteral({x}) && DATATYPE({x}) = {_term(dt)}"
        bad = sorted(self.ill_typed.get(str(dt), ()))
        if bad:
            test += " && !(" + " || ".join(f"STR({x}) = {_sparql_string(b)}" for b in bad) + ")"
        return f"({test})"

    def node_condition(self, shape: Node, x: str) -> str:
        """A condition: ``x`` conforms to ``shape``, a member of an sh:or.

        The member may hold value-level parameters and property shapes with only
        sh:minCount 1 or sh:maxCount 0.
        """
        g = self.shapes
        _check_params(g, shape, _VALUE_PARAMS)
        parts = [cond for _, cond in self.value_conditions(shape, x)]
        for prop in sorted(g.objects(shape, SH.property), key=str):
            _check_params(g, prop, frozenset({SH.minCount, SH.maxCount}))
            path = self.path(prop)
            low, high = _int(g, prop, SH.minCount), _int(g, prop, SH.maxCount)
            if low not in (None, 0, 1) or high not in (None, 0):
                raise Unsupported(f"counts of {prop} inside sh:or")
            if low == 1:
                parts.append(f"EXISTS {{ {x} {_term(path)} [] }}")
            if high == 0:
                parts.append(f"NOT EXISTS {{ {x} {_term(path)} [] }}")
        return "(" + (" && ".join(parts) or "true") + ")"

    def path(self, prop: Node) -> URIRef:
        path = _one(self.shapes, prop, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"{prop}: only predicate paths are compiled")
        return path

    # --- whole checks -------------------------------------------------------------------

    def focus(self, shape: Node) -> str | None:
        g = self.shapes
        if (shape, RDF.type, RDFS.Class) in g or any(g.objects(shape, SH.target)):
            raise Unsupported(f"{shape}: implicit class or SPARQL-based targets")
        patterns = self.instances(list(g.objects(shape, SH.targetClass)))
        patterns += [f"?this {_term(p)} [] ." for p in g.objects(shape, SH.targetSubjectsOf)]
        patterns += [f"[] {_term(p)} ?this ." for p in g.objects(shape, SH.targetObjectsOf)]
        patterns += [f"VALUES ?this {{ {_term(n)} }}" for n in g.objects(shape, SH.targetNode)]
        if not patterns:
            return None
        union = " UNION ".join(f"{{ {p} }}" for p in sorted(patterns))
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def meta(self, shape: Node) -> tuple[Node, tuple[Literal, ...]]:
        severity = _one(self.shapes, shape, SH.severity) or SH.Violation
        messages = tuple(
            sorted((m for m in self.shapes.objects(shape, SH.message) if isinstance(m, Literal)),
                   key=lambda m: (m.language or "", str(m)))
        )  # fmt: skip
        return severity, messages

    def node_shape(self, shape: Node) -> Iterator[CoreCheck]:
        g = self.shapes
        if not _active(g, shape):
            return
        focus = self.focus(shape)
        if focus is None:
            return  # used only inside other shapes
        _check_params(g, shape, _VALUE_PARAMS | frozenset({SH.closed}))
        severity, messages = self.meta(shape)
        for param, cond in self.value_conditions(shape, "?this"):
            query = f"SELECT ?this WHERE {{ {focus} FILTER (!COALESCE({cond}, false)) }}"
            yield CoreCheck(shape, _COMPONENT[param], query, severity, messages,
                            value_is_focus=True)  # fmt: skip
        closed = _one(g, shape, SH.closed)
        if _true(closed):
            allowed = {self.path(p) for p in g.objects(shape, SH.property)}
            for head in g.objects(shape, SH.ignoredProperties):
                allowed.update(u for u in _list(g, head) if isinstance(u, URIRef))
            terms = ", ".join(_term(a) for a in sorted(allowed, key=str))
            query = (
                f"SELECT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . "
                f"FILTER (?path NOT IN ({terms})) }}"
            )
            yield CoreCheck(shape, SH.ClosedConstraintComponent, query, severity, messages)
        for prop in sorted(g.objects(shape, SH.property), key=str):
            if _active(g, prop):
                yield from self.property_shape(prop, focus)

    def property_shape(self, prop: Node, focus: str) -> Iterator[CoreCheck]:
        g = self.shapes
        _check_params(g, prop, _VALUE_PARAMS | _COUNT_PARAMS - {SH.closed})
        path = self.path(prop)
        p = _term(path)
        severity, messages = self.meta(prop)

        def check(component: URIRef, query: str) -> CoreCheck:
            return CoreCheck(prop, component, query, severity, messages, path=path)

        for param, cond in self.value_conditions(prop, "?value"):
            yield check(
                _COMPONENT[param],
                f"SELECT ?this ?value WHERE {{ {focus} ?this {p} ?value . "
                f"FILTER (!COALESCE({cond}, false)) }}",
            )
        low, high = _int(g, prop, SH.minCount), _int(g, prop, SH.maxCount)
        if low is not None and low > 0:
            yield check(
                SH.MinCountConstraintComponent,
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {low})",
            )
        if high is not None:
            yield check(
                SH.MaxCountConstraintComponent,
                f"SELECT ?this WHERE {{ {focus} ?this {p} ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})",
            )
        for value in g.objects(prop, SH.hasValue):
            yield check(
                SH.HasValueConstraintComponent,
                f"SELECT ?this WHERE {{ {focus} "
                f"FILTER NOT EXISTS {{ ?this {p} {_term(value)} }} }}",
            )
        for qualified in g.objects(prop, SH.qualifiedValueShape):
            yield from self.qualified(prop, qualified, focus, p, check)
        unique = _one(g, prop, SH.uniqueLang)
        if _true(unique):
            yield check(
                SH.UniqueLangConstraintComponent,
                f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {p} ?a , ?b . "
                f'FILTER (!sameTerm(?a, ?b) && LANG(?a) != "" '
                f"&& LCASE(LANG(?a)) = LCASE(LANG(?b))) }}",
            )
        for other in g.objects(prop, SH.equals):
            o = _term(other)
            yield check(
                SH.EqualsConstraintComponent,
                f"SELECT ?this ?value WHERE {{ {focus} "
                f"{{ ?this {p} ?value FILTER NOT EXISTS {{ ?this {o} ?value }} }} UNION "
                f"{{ ?this {o} ?value FILTER NOT EXISTS {{ ?this {p} ?value }} }} }}",
            )
        for other in g.objects(prop, SH.lessThanOrEquals):
            yield check(
                SH.LessThanOrEqualsConstraintComponent,
                f"SELECT ?this ?value WHERE {{ {focus} ?this {p} ?value . "
                f"?this {_term(other)} ?other . FILTER (!COALESCE(?value <= ?other, false)) }}",
            )

    def qualified(
        self,
        prop: Node,
        qualified: Node,
        focus: str,
        p: str,
        check: Callable[[URIRef, str], CoreCheck],
    ) -> Iterator[CoreCheck]:
        g = self.shapes
        if _one(g, prop, SH.qualifiedValueShapesDisjoint) is not None:
            raise Unsupported(f"{prop}: sh:qualifiedValueShapesDisjoint")
        cond = self.node_condition(qualified, "?v")
        counted = (
            f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} "
            f"OPTIONAL {{ ?this {p} ?v FILTER (COALESCE({cond}, false)) }} }} GROUP BY ?this"
        )
        low, high = _int(g, prop, SH.qualifiedMinCount), _int(g, prop, SH.qualifiedMaxCount)
        if low is not None:
            yield check(
                SH.QualifiedMinCountConstraintComponent,
                f"SELECT ?this WHERE {{ {{ {counted} }} FILTER (?n < {low}) }}",
            )
        if high is not None:
            yield check(
                SH.QualifiedMaxCountConstraintComponent,
                f"SELECT ?this WHERE {{ {{ {counted} }} FILTER (?n > {high}) }}",
            )


def _true(flag: Node | None) -> bool:
    """A boolean parameter (sh:closed, sh:uniqueLang, sh:deactivated) set to true."""
    return isinstance(flag, Literal) and flag.toPython() is True


def _active(shapes: Graph, shape: Node) -> bool:
    return not _true(_one(shapes, shape, SH.deactivated))


def compile_shapes(shapes: Graph, loaded: Loaded) -> list[CoreCheck]:
    """Every core constraint of ``shapes`` as a query; :class:`Unsupported` when one is not.

    ``shapes`` holds no SHACL-SPARQL constraint this module should see (validate/sparql.py
    takes them out first); the queries list the data's ill-typed literals, so they are
    compiled for one loaded store.
    """
    compiler = _Compiler(shapes, loaded.ill_typed, loaded.store)
    if any(shapes.subject_objects(SH.sparql)) or any(shapes.subjects(RDF.type, SH.SPARQLRule)):
        raise Unsupported("SHACL-SPARQL constraints left in the core shapes")
    checks: list[CoreCheck] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        checks.extend(compiler.node_shape(shape))
    for shape in set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if compiler.focus(shape) is not None:
            raise Unsupported(f"{shape}: a property shape with its own targets")
    return checks


def run_checks(loaded: Loaded, checks: list[CoreCheck], out: Graph) -> None:
    """Run every check on the store; add one ``sh:ValidationResult`` per violation to ``out``."""
    answers = loaded.select_all([check.query for check in checks])
    for check, (names, solutions) in zip(checks, answers, strict=True):
        for row in solutions:
            focus = loaded.term(row["this"])
            result = BNode()
            out.add((result, RDF.type, SH.ValidationResult))
            out.add((result, SH.focusNode, focus))
            if "path" in names and row["path"] is not None:
                out.add((result, SH.resultPath, loaded.term(row["path"])))
            elif check.path is not None:
                out.add((result, SH.resultPath, check.path))
            if "value" in names and row["value"] is not None:
                out.add((result, SH.value, loaded.term(row["value"])))
            elif check.value_is_focus:
                out.add((result, SH.value, focus))
            out.add((result, SH.sourceShape, check.shape))
            out.add((result, SH.sourceConstraintComponent, check.component))
            out.add((result, SH.resultSeverity, check.severity))
            for message in check.messages:
                out.add((result, SH.resultMessage, message))
