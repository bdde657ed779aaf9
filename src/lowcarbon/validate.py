"""SHACL validation of the graph with a readable report."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from lowcarbon.errors import EXIT_OK, EXIT_STALE, InputError, LowcarbonError
from lowcarbon.paths import Paths

__all__ = [
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "Report",
    "ShapesNotFoundError",
    "ValidationInputError",
    "ValidationRuntimeError",
    "Violation",
    "load_data",
    "load_ontology",
    "load_shapes",
    "validate_files",
    "validate_graph",
]

LCD = Namespace("https://w3id.org/lowcarbon-diplomacy/ontology#")
LCDSH = Namespace("https://w3id.org/lowcarbon-diplomacy/shapes#")
PROV = Namespace("http://www.w3.org/ns/prov#")

#: Prefixes used for CURIEs in reports (longest namespace wins).
PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "lcd": str(LCD),
    "lcdsh": str(LCDSH),
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": "https://schema.org/",
    "sh": str(SH),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: File extensions read by :func:`load_data`, and the rdflib format of each.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
}

_LINE_FORMATS = frozenset({"nt", "nquads"})
_QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})
_QUOTE_CHARS = 30
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_ITEM_PATH = re.compile(r"/id/item/(?P<city>[^/]+)/(?P<column>[^/]+)/(?P<n>[^/]+)$")

# by lcd: local name, so that sentences work under any --base
_KIND_PHRASES: dict[str, str] = {
    "Membership": "membership of",
    "Signing": "signing of",
    "Participation": "participation in",
    "Disclosure": "disclosure through",
    "Hosting": "hosting of",
    "VisitReceived": "visit received:",
}
_COLUMN_SLUGS: dict[str, str] = {
    "organizationsColumn": "org",
    "declarationsColumn": "declaration",
    "activitiesColumn": "activity",
}
_SHORTCUTS = ("memberOf", "signed", "participatedIn", "hosted", "receivedVisit")


# --------------------------------------------------------------------------- errors


class ValidationInputError(InputError):
    """A data file that cannot be read or parsed (exit 2); names the file and line."""


class ValidationRuntimeError(LowcarbonError):
    """The validator itself failed, e.g. on broken shapes (exit 2)."""


class ShapesNotFoundError(LowcarbonError, FileNotFoundError):
    """``ontology/shapes.ttl`` or ``ontology/lowcarbon.ttl`` is not where it should be (exit 2)."""


class _IllTypedLiteralFilter(logging.Filter):
    """Drops rdflib's traceback for each ill-typed literal: the SHACL report names them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextlib.contextmanager
def _quiet_ill_typed_literals() -> Iterator[None]:
    logger = logging.getLogger("rdflib.term")
    quiet = _IllTypedLiteralFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pyshacl sends the same SHACL-SPARQL text once per focus node, with ``$this``
    in ``initBindings``; parsing it (pyparsing) costs far more than running it.
    A prepared query with fresh bindings is exactly what rdflib does for a string.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Run a query, preparing a SPARQL string on first use."""
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            prepared = self._prepared.get(query_object)
            if prepared is None:
                namespaces = dict(initNs) if initNs else dict(self.namespaces())
                prepared = prepareQuery(query_object, initNs=namespaces)
                self._prepared[query_object] = prepared
            query_object = prepared
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


# --------------------------------------------------------------------------- locations


def _find_root(start: Path) -> Path | None:
    """The nearest ancestor of ``start`` holding ``ontology/shapes.ttl``, if any."""
    for parent in start.resolve().parents:
        if Paths(parent).shapes.is_file():
            return parent
    return None


# The package lives in src/lowcarbon; ontology/ is at the repository root. When
# no ancestor holds it (an installed wheel), the paths point where a checkout
# would have it and the loaders raise ShapesNotFoundError naming them.
_ROOT = _find_root(Path(__file__)) or Path(__file__).resolve().parents[2]
SHAPES_PATH: Path = Paths(_ROOT).shapes
ONTOLOGY_PATH: Path = Paths(_ROOT).ontology


def _load_turtle(path: Path, what: str) -> Graph:
    if not path.is_file():
        raise ShapesNotFoundError(
            f"{what} not found at {path}: lowcarbon validate needs the repository's ontology/ "
            "folder (run it from a checkout, e.g. after `pip install -e .`)"
        )
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:
        raise ValidationRuntimeError(f"{path}: cannot parse the {what}: {exc}") from exc
    return graph


@functools.cache
def load_shapes() -> Graph:
    """The SHACL shapes graph (``ontology/shapes.ttl``), parsed once; do not modify it."""
    return _load_turtle(SHAPES_PATH, "SHACL shapes")


@functools.cache
def load_ontology() -> Graph:
    """The OWL ontology graph (``ontology/lowcarbon.ttl``), parsed once; do not modify it."""
    return _load_turtle(ONTOLOGY_PATH, "ontology")


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with a sentence about the data it concerns."""

    focus: str
    path: str | None
    component: str
    severity: str
    message_en: str
    message_zh: str
    value: str | None
    source_shape: str
    sentence: str

    def sort_key(self) -> tuple[str, ...]:
        """A total, deterministic order: by focus node, then path, component, value."""
        return (
            self.focus,
            self.path or "",
            self.component,
            self.value or "",
            self.source_shape,
            self.message_en,
            self.sentence,
        )


@dataclass(frozen=True)
class Report:
    """The outcome of a validation run.

    Exit-code semantics for the command line (like pyshacl's): 0 when the graph
    conforms, 1 when it does not (:attr:`exit_code`), 2 for an error, which is
    raised as an exception instead (:class:`ValidationInputError`,
    :class:`ValidationRuntimeError`, :class:`ShapesNotFoundError`).
    """

    conforms: bool
    violations: tuple[Violation, ...]
    results_graph: Graph
    seconds: float

    @property
    def exit_code(self) -> int:
        """0 if the graph conforms, 1 if it does not."""
        return EXIT_OK if self.conforms else EXIT_STALE

    def header(self) -> str:
        """``conforms`` or ``N violations``."""
        n = len(self.violations)
        if self.conforms:
            return "conforms" if n == 0 else f"conforms ({n} {'warning' if n == 1 else 'warnings'})"
        return f"{n} {'violation' if n == 1 else 'violations'}"

    def to_human(self) -> str:
        """A header line, then one sentence per result, in a deterministic order."""
        lines = [self.header()]
        lines.extend(f"- {v.sentence}" for v in self.violations)
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report as JSON (sorted keys, UTF-8 characters not escaped)."""
        payload: dict[str, Any] = {
            "conforms": self.conforms,
            "seconds": round(self.seconds, 3),
            "violation_count": len(self.violations),
            "violations": [asdict(v) for v in self.violations],
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, indent=2) + "\n"

    def to_turtle(self) -> str:
        """The SHACL validation report graph as Turtle."""
        return self.results_graph.serialize(format="turtle")


# --------------------------------------------------------------------------- validation


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
) -> Report:
    """Validate ``data`` against the shapes, with the ontology mixed in (no inference).

    ``shapes`` and ``ontology`` default to the repository's ``ontology/shapes.ttl``
    and ``ontology/lowcarbon.ttl``; the shapes rely on the ontology's
    ``rdfs:subClassOf`` axioms. The data graph is not modified; the named graphs
    of a :class:`rdflib.Dataset` are validated as one graph.

    Exit codes for the command line: 0 conforms, 1 does not conform
    (:attr:`Report.exit_code`), 2 error (raised: :class:`ValidationRuntimeError`,
    :class:`ShapesNotFoundError`).
    """
    shapes_graph = shapes if shapes is not None else load_shapes()
    ontology_graph = ontology if ontology is not None else load_ontology()
    start = time.perf_counter()
    # pyshacl would clone the data to mix in the ontology; clone it ourselves into
    # a graph that prepares each SPARQL text once, and let pyshacl work in place.
    work = _PreparedQueryGraph()
    for prefix, iri in data.namespaces():
        work.bind(prefix, iri)
    if isinstance(data, Dataset):  # named graphs are validated as one graph
        for s, p, o, _context in data.quads((None, None, None, None)):
            work.add((s, p, o))
    else:
        for triple in data.triples((None, None, None)):
            work.add(triple)
    try:
        with _quiet_ill_typed_literals():
            conforms, results, text = pyshacl.validate(
                work,
                shacl_graph=shapes_graph,
                ont_graph=ontology_graph,
                inference="none",
                advanced=True,
                allow_warnings=True,
                inplace=True,
            )
    except ReportableRuntimeError as exc:
        raise ValidationRuntimeError(f"SHACL validation failed: {exc}") from exc
    seconds = time.perf_counter() - start
    if not isinstance(results, Graph):
        raise ValidationRuntimeError(f"SHACL validation failed: {text}")
    lcd = _lcd_namespace(shapes_graph)
    describer = _Describer(work, lcd)
    for prefix, namespace in describer.prefixes.items():
        results.bind(prefix, namespace, override=True)
    violations = sorted(
        (describer.violation(results, node) for node in _result_nodes(results)),
        key=Violation.sort_key,
    )
    return Report(
        conforms=bool(conforms),
        violations=tuple(violations),
        results_graph=results,
        seconds=seconds,
    )


def _lcd_namespace(shapes: Graph) -> Namespace:
    """The ``lcd:`` namespace the shapes use (moved with ``--base``), by their prefix."""
    for prefix, namespace in shapes.namespaces():
        if prefix == "lcd":
            return Namespace(str(namespace))
    return LCD


def validate_files(paths: Sequence[Path]) -> Report:
    """Validate the union of the RDF files ``paths`` (format chosen by extension).

    Raises :class:`ValidationInputError` (exit 2) naming the file, and the line
    where the parser gives one, for a file that is missing, unreadable or not
    well-formed. Exit codes otherwise as :func:`validate_graph`.
    """
    return validate_graph(load_data(paths))


def load_data(paths: Sequence[Path]) -> Graph:
    """Parse Turtle, N-Triples, JSON-LD, TriG and N-Quads files into one graph.

    Named graphs are merged into the one graph. JSON-LD is read without any
    network access: a remote (or any string-valued) ``@context`` or an
    ``@import`` is an error, not a fetch.
    """
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    with _quiet_ill_typed_literals():
        for path in paths:
            for triple in _parse_file(Path(path)):
                union.add(triple)
    return union


def _parse_file(path: Path) -> Iterator[tuple[Node, Node, Node]]:
    name = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        expected = ", ".join(sorted(FORMATS))
        raise ValidationInputError(
            name, None, f"unknown RDF file extension {path.suffix!r}; expected one of {expected}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationInputError(name, None, "no such file") from None
    except UnicodeDecodeError as exc:
        byte_line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ValidationInputError(name, byte_line, "not UTF-8 text") from None
    except OSError as exc:
        raise ValidationInputError(name, None, f"cannot read: {exc.strerror}") from None
    if fmt == "json-ld":
        _check_jsonld(name, text)
    graph: Graph = Dataset() if fmt in _QUAD_FORMATS else Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:
        error_line, message = _parse_error(exc, text, fmt)
        raise ValidationInputError(name, error_line, f"not valid {fmt}: {message}") from None
    if isinstance(graph, Dataset):
        for s, p, o, _context in graph.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from graph


def _parse_error(exc: Exception, text: str, fmt: str) -> tuple[int | None, str]:
    """The line (1-based, if known) and a short message for a parser exception."""
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):  # rdflib's Turtle / TriG BadSyntax: 0-based line
        why = getattr(exc, "_why", None)
        return lines + 1, str(why) if why else str(exc).splitlines()[0]
    message = " ".join(str(exc).split())
    if fmt in _LINE_FORMATS:
        for number, line in enumerate(text.splitlines(), start=1):
            try:
                (Dataset() if fmt in _QUAD_FORMATS else Graph()).parse(data=line + "\n", format=fmt)
            except Exception:
                return number, message
    return None, message


def _check_jsonld(name: str, text: str) -> None:
    """Reject JSON-LD that rdflib would resolve over the network, before it parses it."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationInputError(name, exc.lineno, f"not valid JSON: {exc.msg}") from None
    for key, value in _json_items(document):
        if key == "@import":
            raise ValidationInputError(
                name, None, f"JSON-LD @import {value!r} is not allowed (nothing is fetched)"
            )
        if key == "@context":
            contexts = value if isinstance(value, list) else [value]
            for context in contexts:
                if isinstance(context, str):
                    raise ValidationInputError(
                        name,
                        None,
                        f"remote JSON-LD @context {context!r} is not allowed "
                        "(nothing is fetched); embed the context object instead",
                    )


def _json_items(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair of every object nested in a JSON value."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for key, item in current.items():
                yield key, item
                stack.append(item)
        elif isinstance(current, list):
            stack.extend(current)


# --------------------------------------------------------------------------- describing results


def _result_nodes(results: Graph) -> list[Node]:
    """The top-level results of the report (not those nested under sh:detail)."""
    nodes: list[Node] = []
    for report in results.subjects(RDF.type, SH.ValidationReport):
        nodes.extend(results.objects(report, SH.result))
    return nodes


def _curie(node: Node | None, prefixes: Mapping[str, str] = PREFIXES) -> str | None:
    """A CURIE for an IRI in one of ``prefixes``, else the IRI; literals in N3 style."""
    if node is None:
        return None
    if isinstance(node, Literal):
        text = json.dumps(str(node), ensure_ascii=False)
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{_curie(node.datatype, prefixes)}"
        return text
    if isinstance(node, BNode):
        return f"_:{node}"
    iri = str(node)
    best: tuple[str, str] | None = None
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is not None:
        local = iri[len(best[1]) :]
        if _LOCAL_NAME.match(local):
            return f"{best[0]}:{local}"
    return iri


def _messages(results: Graph, node: Node) -> tuple[str, str]:
    """The English and Chinese result messages (pyshacl drops tags on SPARQL messages)."""
    english: set[str] = set()
    chinese: set[str] = set()
    for message in results.objects(node, SH.resultMessage):
        if not isinstance(message, Literal):
            continue
        text = str(message)
        language = (message.language or "").lower()
        if language.startswith("zh") or (not language and _CJK.search(text)):
            chinese.add(text)
        else:
            english.add(text)
    return "; ".join(sorted(english)), "; ".join(sorted(chinese))


def _truncate(text: str, limit: int = _QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


class _Describer:
    """Turns SHACL results into sentences about the data graph."""

    def __init__(self, data: Graph, lcd: Namespace = LCD) -> None:
        self.data = data
        self.lcd = lcd
        self.prefixes = {
            **PREFIXES,
            "lcd": str(lcd),
            "lcdsh": str(lcd).removesuffix("ontology#") + "shapes#",
        }
        self.kinds = {lcd[name]: phrase for name, phrase in _KIND_PHRASES.items()}
        self.columns = {lcd[name]: slug for name, slug in _COLUMN_SLUGS.items()}
        self.shortcuts = frozenset(lcd[name] for name in _SHORTCUTS)

    def curie(self, node: Node | None) -> str | None:
        """A CURIE (or IRI, or N3 literal) with this run's prefixes."""
        return _curie(node, self.prefixes)

    def violation(self, results: Graph, node: Node) -> Violation:
        focus = results.value(node, SH.focusNode)
        path = results.value(node, SH.resultPath)
        value = results.value(node, SH.value)
        component = results.value(node, SH.sourceConstraintComponent)
        severity = results.value(node, SH.resultSeverity)
        shape = results.value(node, SH.sourceShape)
        message_en, message_zh = _messages(results, node)
        if not message_en:
            message_en = f"{self.curie(component)} on {self.curie(path) or 'the node'}"
        return Violation(
            focus=str(focus) if focus is not None else "",
            path=self.curie(path),
            component=self.curie(component) or "",
            severity=self.curie(severity) or "",
            message_en=message_en,
            message_zh=message_zh,
            value=self.curie(value),
            source_shape=self.curie(shape) or "",
            sentence=self.sentence(focus, path, value, message_en),
        )

    # --- labels

    def label(self, node: Node | None, language: str) -> str | None:
        """The node's rdfs:label in ``language`` (matched case-insensitively), if any."""
        if node is None:
            return None
        found = sorted(
            str(label)
            for label in self.data.objects(node, RDFS.label)
            if isinstance(label, Literal) and (label.language or "").lower() == language.lower()
        )
        return found[0] if found else None

    def name(self, node: Node | None) -> str:
        """``中文 (English)``, or whichever label exists, or the IRI in angle brackets."""
        if node is None:
            return "(none)"
        zh = self.label(node, "zh-Hant")
        en = self.label(node, "en")
        if zh and en and zh != en:
            return f"{zh} ({en})"
        if zh or en:
            return zh or en or ""
        return f"<{node}>" if isinstance(node, URIRef) else (self.curie(node) or "")

    # --- statements and items

    def is_statement(self, node: Node) -> bool:
        types = set(self.data.objects(node, RDF.type))
        if self.lcd.Statement in types or types & set(self.kinds):
            return True
        return (node, self.lcd.city, None) in self.data or (
            node,
            PROV.wasDerivedFrom,
            None,
        ) in self.data

    def is_item(self, node: Node) -> bool:
        return (node, RDF.type, self.lcd.SourceItem) in self.data or (
            node,
            self.lcd.quote,
            None,
        ) in self.data

    def statement_subject(self, statement: Node) -> str:
        city = self.data.value(statement, self.lcd.city)
        target = self.data.value(statement, self.lcd.target)
        kinds = sorted(
            (str(t), self.kinds[t])
            for t in self.data.objects(statement, RDF.type)
            if isinstance(t, URIRef) and t in self.kinds
        )
        kind = kinds[0][1] if kinds else "statement about"
        who = self.name(city) if city is not None else f"<{statement}> (no city)"
        what = self.show(target) if target is not None else "(no target)"
        return f"{who} — {kind} {what}"

    def item_ref(self, item: Node, city: Node | None = None) -> str:
        """``{city zh}/{column slug}/{n}``, from the item IRI or, failing that, its properties."""
        reporter = self.data.value(item, self.lcd.reportedBy) or city
        city_zh = self.label(reporter, "zh-Hant")
        match = _ITEM_PATH.search(str(item))
        if match:
            return f"{city_zh or match['city']}/{match['column']}/{match['n']}"
        column = self.data.value(item, self.lcd.column)
        number = self.data.value(item, self.lcd.itemNumber)
        sub_list = self.data.value(item, self.lcd.subList)
        slug = self.columns.get(column, "?") if isinstance(column, URIRef) else "?"
        n = str(number) if number is not None else "?"
        if sub_list is not None and str(sub_list) != "1":
            n = f"p{sub_list}-{n}"
        return f"{city_zh or '?'}/{slug}/{n}"

    def item_location(self, item: Node) -> str:
        """``line N: 「quote…」`` for a source item."""
        start = self.data.value(item, self.lcd.lineStart)
        end = self.data.value(item, self.lcd.lineEnd)
        quote = self.data.value(item, self.lcd.quote)
        if start is not None and end is not None and str(end) != str(start):
            where = f"lines {start}–{end}"
        elif start is not None:
            where = f"line {start}"
        else:
            where = "no line"
        text = f"「{_truncate(str(quote))}」" if quote is not None else "(no quote)"
        return f"{where}: {text}"

    def statement_source(self, statement: Node) -> str:
        items = sorted(
            (i for i in self.data.objects(statement, PROV.wasDerivedFrom) if self.is_item(i)),
            key=str,
        )
        if not items:
            return "no source item"
        city = self.data.value(statement, self.lcd.city)
        item = items[0]
        return f"source item {self.item_ref(item, city)}, {self.item_location(item)}"

    # --- sentences

    def show(self, value: Node) -> str:
        """A value as a reader wants it: an IRI by its English label, a literal in N3 style."""
        if isinstance(value, URIRef):
            return self.label(value, "en") or self.label(value, "zh-Hant") or f"<{value}>"
        return self.curie(value) or ""

    def sentence(
        self, focus: Node | None, path: Node | None, value: Node | None, message: str
    ) -> str:
        """A sentence about the focus node: who, what, the problem, and the source quote."""
        problem = message
        if value is not None and value != focus:
            problem = f"{message} (value: {self.show(value)})"
        if focus is None:
            return problem
        if self.is_statement(focus):
            return f"{self.statement_subject(focus)}: {problem} — {self.statement_source(focus)}"
        if self.is_item(focus):
            reporter = self.data.value(focus, self.lcd.reportedBy)
            who = self.name(reporter) if reporter is not None else "(no city)"
            return (
                f"{who} — source item {self.item_ref(focus)}: {problem}"
                f" — {self.item_location(focus)}"
            )
        if path in self.shortcuts and value is not None:
            # a shortcut triple belongs to the statements linking the same city and target
            sentence = f"{self.name(focus)} {self.curie(path)} {self.show(value)}: {message}"
            statements = sorted(
                (
                    s
                    for s in self.data.subjects(self.lcd.city, focus)
                    if (s, self.lcd.target, value) in self.data
                ),
                key=str,
            )
            if statements:
                sentence += f" — {self.statement_source(statements[0])}"
            return sentence
        return f"{self.name(focus)}: {problem}"
