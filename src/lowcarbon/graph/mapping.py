"""Statements and catalog to an rdflib graph; every IRI is minted here."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV

from lowcarbon.catalog import Catalog, Entity
from lowcarbon.errors import InputError
from lowcarbon.ingest.dates import Date, DateRange
from lowcarbon.ingest.source import Column, Document, Record
from lowcarbon.link import Kind, Linked, Statement
from lowcarbon.vocab import DEFAULT_BASE, ENTITY_KINDS, ZH

__all__ = [
    "DEFAULT_BASE",
    "GEO",
    "ORG",
    "SCHEMA",
    "Minter",
    "bind_prefixes",
    "build_graph",
    "rebase_graph",
]

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
VANN = Namespace("http://purl.org/vocab/vann/")
WIKIDATA = "http://www.wikidata.org/entity/"
SOURCE_DOC_ID = "honor-roll-2011"

_COLUMN_CONCEPT = {
    Column.ORG: "organizationsColumn",
    Column.DECLARATION: "declarationsColumn",
    Column.ACTIVITY: "activitiesColumn",
}
_COLUMN_EN = {
    Column.ORG: "organizations column",
    Column.DECLARATION: "declarations column",
    Column.ACTIVITY: "activities column",
}
_STATUS_ZH = {"applied": "（申請）", "planned": "（計畫）", "done": ""}
_CJK_RE = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Minter:
    """Mints every IRI of the dataset from a base."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+/$", self.base):
            raise InputError("--base", None, f"{self.base!r} is not an http(s) IRI ending with '/'")

    @property
    def lcd(self) -> Namespace:
        """The ontology namespace."""
        return Namespace(f"{self.base}ontology#")

    def entity(self, e: Entity) -> URIRef:
        """IRI of a catalog entity, e.g. ``{base}id/city/taipei``."""
        return URIRef(f"{self.base}id/{e.kind}/{e.id}")

    def statement(self, s: Statement) -> URIRef:
        """IRI of a statement node, e.g. ``{base}id/membership/taipei--iclei``."""
        return URIRef(f"{self.base}id/{s.slug}")

    def item(self, city_id: str, record: Record) -> URIRef:
        """IRI of a source item, e.g. ``{base}id/item/taipei/org/1``."""
        n = str(record.number) if record.part == 1 else f"p{record.part}-{record.number}"
        return URIRef(f"{self.base}id/item/{city_id}/{record.column.value}/{n}")

    def document(self) -> URIRef:
        """IRI of the source document."""
        return URIRef(f"{self.base}id/source/{SOURCE_DOC_ID}")

    def term(self, name: str) -> URIRef:
        """An ``lcd:`` term."""
        return URIRef(f"{self.base}ontology#{name}")


def bind_prefixes(g: Graph, base: str = DEFAULT_BASE) -> None:
    """Bind the fixed prefixes every export uses."""
    m = Minter(base)
    g.bind("lcd", m.lcd, override=True, replace=True)
    for prefix, ns in (
        ("org", ORG),
        ("schema", SCHEMA),
        ("geo", GEO),
        ("prov", PROV),
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("owl", OWL),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("vann", VANN),
    ):
        g.bind(prefix, ns, override=True, replace=True)
    for seg in (k.name for k in ENTITY_KINDS):
        g.bind(seg, Namespace(f"{base}id/{seg}/"), override=True, replace=True)
    g.bind("item", Namespace(f"{base}id/item/"), override=True, replace=True)
    g.bind("wd", Namespace(WIKIDATA), override=True, replace=True)


def _lang_of(text: str) -> str:
    return ZH if _CJK_RE.search(text) else "en"


def date_literal(d: Date) -> Literal:
    """A date typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return Literal(d.lexical, datatype=XSD[d.xsd_type])


def _date_text(r: DateRange) -> str:
    if r.end is None:
        return r.start.lexical
    return f"{r.start.lexical}/{r.end.lexical}"


class _Builder:
    def __init__(self, doc: Document, catalog: Catalog, linked: Linked, base: str) -> None:
        self.doc = doc
        self.catalog = catalog
        self.linked = linked
        self.m = Minter(base)
        self.lcd = self.m.lcd
        self.g = Graph()
        bind_prefixes(self.g, base)
        self.cities = {e.label_zh: e for e in catalog.by_kind("city")}
        self.records = {r.ref: r for r in doc.records}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def labels(self, node: URIRef, en: str, zh: str, *, pref: bool = True) -> None:
        self.add(node, RDFS.label, Literal(en, lang="en"))
        self.add(node, RDFS.label, Literal(zh, lang=ZH))
        if pref:
            self.add(node, SKOS.prefLabel, Literal(en, lang="en"))
            self.add(node, SKOS.prefLabel, Literal(zh, lang=ZH))

    def item_iri(self, ref: str) -> URIRef:
        record = self.records[ref]
        return self.m.item(self.cities[record.city].id, record)

    # -- parts --

    def document(self) -> None:
        d = self.m.document()
        h = self.doc.header
        data = "\n".join(self.doc.lines).encode("utf-8")
        self.add(d, RDF.type, self.lcd.SourceDocument)
        self.add(d, RDF.type, PROV.Entity)
        self.add(d, RDF.type, DCTERMS.BibliographicResource)
        self.labels(
            d,
            "City Low-Carbon Diplomacy Honor Roll (2011), government attachment",
            h.title,
            pref=False,
        )
        self.add(d, DCTERMS.title, Literal(h.title, lang=ZH))
        self.add(d, DCTERMS.description, Literal(h.source_note, lang=ZH))
        self.add(d, DCTERMS.description, Literal(h.activity_note, lang=ZH))
        self.add(d, DCTERMS.language, Literal("zh-Hant"))
        self.add(
            d,
            DCTERMS.identifier,
            Literal(f"sha256:{hashlib.sha256(data).hexdigest()}"),
        )
        period = h.period  # read from the source note (統計93年~100年6月…)
        end = f"/{period.end.lexical}" if period.end is not None else ""
        self.add(d, SCHEMA.temporalCoverage, Literal(f"{period.start.lexical}{end}"))

    def items(self) -> None:
        d = self.m.document()
        for r in self.doc.records:
            city = self.cities[r.city]
            node = self.m.item(city.id, r)
            n = str(r.number) if r.part == 1 else f"{r.number} (after the sub-heading)"
            self.add(node, RDF.type, self.lcd.SourceItem)
            self.add(node, RDF.type, PROV.Entity)
            self.labels(
                node,
                f"{city.label_en}, {_COLUMN_EN[r.column]}, item {n}",
                f"{r.city}・{r.column.heading}・第{r.number}項"
                + ("（" + (r.subheading or "") + "）" if r.part > 1 else ""),
                pref=False,
            )
            self.add(node, self.lcd.quote, Literal(r.text, lang=ZH))
            self.add(node, self.lcd.column, self.lcd[_COLUMN_CONCEPT[r.column]])
            self.add(node, self.lcd.itemNumber, Literal(r.number))
            self.add(node, self.lcd.subList, Literal(r.part))
            if r.subheading:
                self.add(node, self.lcd.subHeading, Literal(r.subheading, lang=ZH))
            self.add(node, self.lcd.lineStart, Literal(r.line_start))
            self.add(node, self.lcd.lineEnd, Literal(r.line_end))
            self.add(node, self.lcd.reportedBy, self.m.entity(city))
            self.add(node, DCTERMS.isPartOf, d)

    def entities(self) -> None:
        for e in self.catalog:
            node = self.m.entity(e)
            for cls in self._classes(e):
                self.add(node, RDF.type, cls)
            self.labels(node, e.label_en, e.label_zh)
            for a in e.aliases:
                self.add(node, SKOS.altLabel, Literal(a, lang=_lang_of(a)))
            for a in e.hidden_aliases:
                self.add(node, SKOS.hiddenLabel, Literal(a, lang=_lang_of(a)))
            if e.note:
                self.add(node, SKOS.scopeNote, Literal(e.note, lang="en"))
            for f in e.facts:
                self._fact(node, e, f.property, f.value)
                src = (
                    self.item_iri(f.source[len("item:") :])
                    if f.source.startswith("item:")
                    else URIRef(f.source)
                )
                self.add(node, DCTERMS.source, src)

    def _classes(self, e: Entity) -> list[URIRef]:
        t = e.type
        return {
            "LocalGovernment": [self.lcd.LocalGovernment],
            "InternationalOrganization": [self.lcd.InternationalOrganization, ORG.Organization],
            "Organization": [ORG.Organization],
            "Declaration": [self.lcd.Declaration],
            "Event": [SCHEMA.Event],
            "Programme": [self.lcd.Programme],
            "City": [SCHEMA.City, SCHEMA.Place],
            "Country": [SCHEMA.Country, SCHEMA.Place],
            "Place": [SCHEMA.Place],
            "Person": [SCHEMA.Person],
        }[t]

    def _ref(self, value: str) -> URIRef:
        return self.m.entity(self.catalog.get(value))

    def _fact(self, node: URIRef, e: Entity, prop: str, value: str) -> None:
        if prop == "wikidata":
            self.add(node, OWL.sameAs, URIRef(WIKIDATA + value))
        elif prop in ("start_date", "end_date"):
            p = SCHEMA.startDate if prop == "start_date" else SCHEMA.endDate
            self.add(node, p, date_literal(Date.from_lexical(value)))
        elif prop == "location":
            self.add(node, SCHEMA.location, self._ref(value))
        elif prop == "organizer":
            self.add(node, SCHEMA.organizer, self._ref(value))
        elif prop == "super_event":
            self.add(node, SCHEMA.superEvent, self._ref(value))
        elif prop == "country":
            self.add(node, SCHEMA.containedInPlace, self._ref(value))
        elif prop in ("lat", "long"):
            self.add(node, GEO[prop], Literal(Decimal(value), datatype=XSD.decimal))
        elif prop == "history":
            self.add(node, SKOS.historyNote, Literal(value, lang="en"))
        elif prop == "affiliation":
            self.add(node, SCHEMA.affiliation, self._ref(value))
        elif prop == "role":
            self.add(node, SCHEMA.jobTitle, Literal(value, lang="en"))
        else:  # pragma: no cover - the catalog rejects unknown properties
            raise ValueError(f"{e.id}: unknown fact property {prop!r}")

    def statements(self) -> None:
        for s in self.linked.statements:
            node = self.m.statement(s)
            city = self.catalog.get(s.city)
            target = self.catalog.get(s.target)
            cnode, tnode = self.m.entity(city), self.m.entity(target)
            self.add(node, RDF.type, self.lcd[s.kind.row.cls])
            self.add(node, RDF.type, self.lcd.Statement)
            if s.kind is Kind.MEMBERSHIP:
                self.add(node, RDF.type, ORG.Membership)
                self.add(node, ORG.member, cnode)
                self.add(node, ORG.organization, tnode)
            self.add(node, self.lcd.city, cnode)
            self.add(node, self.lcd.target, tnode)
            self.add(node, self.lcd.status, self.lcd[s.status.value])
            for role in s.roles:
                self.add(node, self.lcd.role, self.lcd[role])
            when_en = ""
            when_zh = ""
            if s.date is not None:
                self.add(node, SCHEMA.startDate, date_literal(s.date.start))
                if s.date.end is not None:
                    self.add(node, SCHEMA.endDate, date_literal(s.date.end))
                self.add(node, self.lcd.dateText, Literal(s.date.verbatim, lang=ZH))
                if s.date.start.approximate:
                    self.add(node, self.lcd.approximateDate, Literal(True))
                when_en = f" ({_date_text(s.date)})"
                when_zh = f"（{s.date.verbatim}）"
            if s.at_event:
                self.add(node, self.lcd.atEvent, self._ref(s.at_event))
            for loc in s.locations:
                self.add(node, SCHEMA.location, self._ref(loc))
            for cp in s.counterparts:
                self.add(node, self.lcd.counterpart, self._ref(cp))
            for reason in s.judgements:
                self.add(node, self.lcd.judgement, Literal(reason, lang="en"))
            self.add(node, PROV.wasDerivedFrom, self.item_iri(s.record))
            status_en = "" if s.status.value == "done" else f" [{s.status.value}]"
            self.labels(
                node,
                f"{city.label_en} — {s.kind.row.phrase_en} {target.label_en}{when_en}{status_en}",
                s.kind.row.template_zh.format(c=city.label_zh, t=target.label_zh)
                + f"{when_zh}{_STATUS_ZH[s.status.value]}",
                pref=False,
            )
            if s.status.value == "done":
                self.add(cnode, self.lcd[s.kind.row.shortcut], tnode)


def build_graph(
    doc: Document, catalog: Catalog, linked: Linked, *, base: str = DEFAULT_BASE
) -> Graph:
    """The data graph: source document and items, catalog entities, statement nodes."""
    b = _Builder(doc, catalog, linked, base)
    b.document()
    b.items()
    b.entities()
    b.statements()
    return b.g


def rebase_graph(g: Graph, base: str) -> Graph:
    """A copy of ``g`` with every IRI (and IRI-valued literal) under the default base moved."""
    Minter(base)  # validates
    if base == DEFAULT_BASE:
        return g
    out = Graph()
    bind_prefixes(out, base)

    def move(t: object) -> object:
        if isinstance(t, URIRef) and str(t).startswith(DEFAULT_BASE):
            return URIRef(base + str(t)[len(DEFAULT_BASE) :])
        if isinstance(t, Literal) and str(t).startswith(DEFAULT_BASE):
            # sh:namespace "…ontology#" in the shapes' prefix declarations
            return Literal(base + str(t)[len(DEFAULT_BASE) :], datatype=t.datatype, lang=t.language)
        return t

    for s, p, o in g:
        out.add((move(s), move(p), move(o)))  # type: ignore[arg-type]
    return out
