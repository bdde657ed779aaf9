"""The readable validation report: SHACL results as sentences about the data they concern."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from lowcarbon.errors import EXIT_OK, EXIT_STALE
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = [
    "LCD",
    "PREFIXES",
    "Describer",
    "Report",
    "Violation",
    "result_nodes",
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

_QUOTE_CHARS = 30
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_ITEM_PATH = re.compile(r"/id/item/(?P<city>[^/]+)/(?P<column>[^/]+)/(?P<n>[^/]+)$")

# by lcd: local name, so that sentences work under any --base
_KIND_PHRASES: dict[str, str] = {k.cls: k.phrase_en for k in STATEMENT_KINDS}
_COLUMN_SLUGS: dict[str, str] = {
    "organizationsColumn": "org",
    "declarationsColumn": "declaration",
    "activitiesColumn": "activity",
}
_SHORTCUTS = tuple(dict.fromkeys(k.shortcut for k in STATEMENT_KINDS))


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
    raised as an exception instead (:class:`~lowcarbon.validate.ValidationInputError`,
    :class:`~lowcarbon.validate.ValidationRuntimeError`,
    :class:`~lowcarbon.validate.ShapesNotFoundError`).
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


# --------------------------------------------------------------------------- describing results


def result_nodes(results: Graph) -> list[Node]:
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


class Describer:
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
        """The result ``node`` of ``results`` as a :class:`Violation` with its sentence."""
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
        """Whether ``node`` is a statement: typed as one, or with a city or a source."""
        types = set(self.data.objects(node, RDF.type))
        if self.lcd.Statement in types or types & set(self.kinds):
            return True
        return (node, self.lcd.city, None) in self.data or (
            node,
            PROV.wasDerivedFrom,
            None,
        ) in self.data

    def is_item(self, node: Node) -> bool:
        """Whether ``node`` is a source item: typed as one, or with a quote."""
        return (node, RDF.type, self.lcd.SourceItem) in self.data or (
            node,
            self.lcd.quote,
            None,
        ) in self.data

    def statement_subject(self, statement: Node) -> str:
        """``{city} — {kind} {target}`` for a statement."""
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
        """The first source item of a statement, with its line and quote."""
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
