"""What each page shows, read off the graph: plain dicts that the templates render."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV
from rdflib.term import Node

from lowcarbon.graph.mapping import DEFAULT_BASE, SCHEMA, Minter
from lowcarbon.publish.resource import n3_key, outgoing
from lowcarbon.publish.text import FACTS, INVERSE, KINDS, TERMS, ZH
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = ["Views", "resource_paths"]

View = dict[str, Any]
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_DATES = {XSD.date, XSD.gYearMonth, XSD.gYear}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_KIND_BY_SEGMENT = {k.segment: k for k in STATEMENT_KINDS}
#: inverse links the city tables of an entity page already show
_SHOWN_AS_TABLE = {k.shortcut for k in STATEMENT_KINDS}
#: where the readable pages of each kind come from (default: the generic page)
TEMPLATES = {
    "city": "city.html",
    **{k: "entity.html" for k in ("organization", "declaration", "event", "programme")},
    **{k.segment: "statement.html" for k in STATEMENT_KINDS},
    "item": "item.html",
    "source": "source.html",
}


def resource_paths(graph: Graph, *, base: str = DEFAULT_BASE) -> dict[URIRef, str]:
    """IRI -> page path without extension (``id/city/taipei``) for every IRI under ``id/``.

    Raises ``ValueError`` for an IRI whose path is not made of safe file-name segments.
    """
    prefix = f"{base}id/"
    out: dict[URIRef, str] = {}
    for t in graph.triples((None, None, None)):
        for node in (t[0], t[2]):
            if isinstance(node, URIRef) and str(node).startswith(prefix):
                segs = str(node)[len(prefix) :].split("/")
                if len(segs) < 2 or not all(_SEGMENT.fullmatch(s) for s in segs):
                    raise ValueError(f"<{node}>: cannot make a page path of this IRI")
                out[node] = "/".join(("id", *segs))
    return dict(sorted(out.items()))


def date_words(lit: Node | None) -> View | None:
    """A date literal in words: ``{"iso", "en", "zh"}`` (7 December 2009, 2009年12月7日)."""
    if not isinstance(lit, Literal):
        return None
    iso = str(lit)
    m = re.fullmatch(r"(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", iso)
    if not m or lit.datatype not in _DATES:
        return {"iso": iso, "en": iso, "zh": iso}
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if mo and 1 <= int(mo) <= 12:
        month = _MONTHS[int(mo) - 1]
        en = f"{int(d)} {month} {y}" if d else f"{month} {y}"
        zh = f"{y}年{int(mo)}月" + (f"{int(d)}日" if d else "")
    else:
        en, zh = y, f"{y}年"
    return {"iso": iso, "en": en, "zh": zh}


def date_range(start: Node | None, end: Node | None) -> View | None:
    """A start date, and an end date if given, in words."""
    a, b = date_words(start), date_words(end)
    if a is None or b is None:
        return a
    return {"iso": a["iso"], "en": f"{a['en']} – {b['en']}", "zh": f"{a['zh']}至{b['zh']}"}


class Views:
    """The graph read for people: names, links, timelines and quotes of every resource."""

    def __init__(self, graph: Graph, ontology: Graph, base: str, source: bytes | None) -> None:
        self.m = Minter(base)  # validates
        self.g, self.onto, self.base = graph, ontology, base
        self.lcd = Namespace(f"{base}ontology#")
        self.pages = resource_paths(graph, base=base)
        self.statements = {
            s for s in graph.subjects(RDF.type, self.lcd.Statement) if isinstance(s, URIRef)
        }
        self.inverse: dict[URIRef, list[tuple[URIRef, URIRef]]] = defaultdict(list)
        for s, p, o in graph.triples((None, None, None)):
            if isinstance(o, URIRef) and isinstance(s, URIRef) and p != RDF.type:
                self.inverse[o].append((URIRef(str(p)), s))
        self.document = self.m.document()
        self._labels: dict[Node, tuple[str | None, str | None]] = {}
        self.source_lines = source.decode("utf-8").split("\n") if source is not None else None

    # -- names, links, values --

    def labels(self, node: Node) -> tuple[str | None, str | None]:
        """The English and Chinese labels of a node, from the data, the ontology or TERMS."""
        got = self._labels.get(node)
        if got is None:
            got = self._labels[node] = self._read_labels(node)
        return got

    def _read_labels(self, node: Node) -> tuple[str | None, str | None]:
        for g in (self.g, self.onto):
            got: dict[str, str] = {}
            for prop in (SKOS.prefLabel, RDFS.label):
                for lab in sorted(g.objects(node, prop), key=n3_key):
                    if isinstance(lab, Literal) and lab.language:
                        got.setdefault(lab.language.lower(), str(lab))
            if got:
                return got.get("en"), got.get(ZH.lower())
        if isinstance(node, URIRef) and node in TERMS:
            return TERMS[node]
        return None, None

    def name(self, node: Node) -> View:
        """A node's labels: ``{"en", "zh", "code"}`` (the IRI when it has none)."""
        en, zh = self.labels(node)
        return {"en": en, "zh": zh, "code": str(node)}

    def link(self, node: Node) -> View:
        """A node as a link: to its page, to the ontology page, outside, or no link."""
        out: View = {**self.name(node), "href": None, "external": False, "frag": None}
        iri = str(node)
        if node in self.pages:
            out["href"] = self.pages[node] + ".html"  # type: ignore[index]
        elif iri.startswith(str(self.lcd)):
            out.update(href="ontology.html", frag=iri[len(str(self.lcd)) :])
        elif isinstance(node, URIRef) and iri.startswith(("http://", "https://")):
            out.update(href=iri, external=True)
            if not (out["en"] or out["zh"]):
                out["en"] = iri
        return out

    def value(self, node: Node) -> View:
        """A value as text (no datatype shown): dates in words, tagged text with its language."""
        if not isinstance(node, Literal):
            return {"text": str(node), "lang": None, "datetime": None, "link": self.link(node)}
        if node.datatype in _DATES:
            d = date_words(node)
            assert d is not None  # noqa: S101 - a literal always gives words
            return {"text": d["en"], "lang": None, "datetime": d["iso"], "link": None}
        return {"text": str(node), "lang": node.language, "datetime": None, "link": None}

    def status(self, node: Node | None) -> View | None:
        """A status in words, with its key for the badge's colour."""
        if not isinstance(node, URIRef):
            return None
        local = str(node).rsplit("#", 1)[-1]
        en, zh = self.labels(node)
        return {"key": local, "en": en or local, "zh": zh}

    def kind(self, node: URIRef) -> tuple[str, str] | None:
        """The (en, zh-Hant) name of the kind of a resource, by its path."""
        seg = self.pages[node].split("/")[1] if node in self.pages else ""
        return KINDS.get(seg)

    def sort_key(self, node: URIRef) -> tuple[int, str, str]:
        """Source items in source order, the rest by English label."""
        line = self.g.value(node, self.lcd.lineStart)
        en, _ = self.labels(node)
        n = int(line.toPython()) if isinstance(line, Literal) else 0
        return n, (en or "").lower(), str(node)

    def links(self, nodes: Iterable[Node]) -> list[View]:
        """Links to the IRIs among ``nodes``, sorted."""
        uris = sorted({n for n in nodes if isinstance(n, URIRef)}, key=self.sort_key)
        return [self.link(n) for n in uris]

    # -- quotes and statements --

    def quote(self, item: URIRef) -> View | None:
        """A source item's verbatim quote, its line span and the link to that line."""
        text = self.g.value(item, self.lcd.quote)
        start = self.g.value(item, self.lcd.lineStart)
        end = self.g.value(item, self.lcd.lineEnd)
        if not isinstance(text, Literal) or not isinstance(start, Literal):
            return None
        first = int(start.toPython())
        last = int(end.toPython()) if isinstance(end, Literal) else first
        doc = self.g.value(item, DCTERMS.isPartOf)
        page = self.pages.get(doc) if isinstance(doc, URIRef) else None
        return {
            "iri": str(item),
            "lines": str(text).split("\n"),
            "start": first,
            "end": last,
            "span": f"line {first}" if first == last else f"lines {first}–{last}",
            "href": f"{page}.html" if page and self.source_lines is not None else None,
            "doc": self.link(doc) if doc is not None else self.link(self.document),
            "item": self.link(item),
        }

    def quotes(self, node: URIRef) -> list[View]:
        """The quotes of an item, or of the items a statement was derived from."""
        items = [node] if self.g.value(node, self.lcd.quote) is not None else []
        items += sorted(
            (i for i in self.g.objects(node, PROV.wasDerivedFrom) if isinstance(i, URIRef)),
            key=str,
        )
        return [q for q in (self.quote(i) for i in items) if q is not None]

    def entry(self, s: URIRef) -> View:
        """One statement, as a line of a timeline or a table."""
        seg = self.pages[s].split("/")[1]
        k = _KIND_BY_SEGMENT[seg]
        target, at = self.g.value(s, self.lcd.target), self.g.value(s, self.lcd.atEvent)
        city = self.g.value(s, self.lcd.city)
        text = self.g.value(s, self.lcd.dateText)
        start = self.g.value(s, SCHEMA.startDate)
        return {
            "segment": seg,
            "statement": self.link(s),
            "city": self.link(city) if city is not None else None,
            "target": self.link(target) if target is not None else None,
            "at": self.link(at) if at is not None else None,
            "verb": (k.phrase_en[:1].upper() + k.phrase_en[1:], k.heading[1]),
            "status": self.status(self.g.value(s, self.lcd.status)),
            "roles": [self.name(r) for r in sorted(self.g.objects(s, self.lcd.role), key=n3_key)],
            "date": date_range(start, self.g.value(s, SCHEMA.endDate)),
            "sort": (str(start) if start is not None else "9999", str(s)),
            "date_text": str(text) if text is not None else None,
            "quotes": self.quotes(s),
        }

    def entries(self, stmts: Iterable[URIRef]) -> list[View]:
        """Statements as entries, by date (undated last)."""
        return sorted((self.entry(s) for s in set(stmts)), key=lambda e: e["sort"])

    # -- the parts of a resource page --

    def properties(self, node: URIRef) -> list[View]:
        """The outgoing triples, for the technical section."""
        return [
            {"prop": self.link(p), "values": [self.value(o) for o in objs]}
            for p, objs in outgoing(self.g, node)
        ]

    def incoming(self, node: URIRef) -> list[View]:
        """The triples pointing at ``node``, for the technical section."""
        pairs = sorted(set(self.inverse.get(node, [])), key=lambda ps: (str(ps[0]), str(ps[1])))
        return [{"subject": self.link(s), "prop": self.link(p)} for p, s in pairs]

    def facts(self, node: URIRef) -> list[View]:
        """The facts of :data:`FACTS` that ``node`` has, in words."""
        out = []
        for prop, en, zh in FACTS:
            objs = sorted(self.g.objects(node, prop), key=n3_key)
            if prop == DCTERMS.source:
                objs = [o for o in objs if o not in self.pages]  # citations, not source items
            if prop == OWL.sameAs or prop == DCTERMS.source:
                vals = [{"text": str(o), "lang": None, "datetime": None,
                         "link": self.link(o)} for o in objs]  # fmt: skip
            else:
                vals = [self.value(o) for o in objs]
            if vals:
                out.append({"en": en, "zh": zh, "values": vals})
        return out

    def related(self, node: URIRef) -> list[View]:
        """Resources that link here (not statements), grouped by the link's property."""
        groups: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, s in self.inverse.get(node, []):
            local = str(p)[len(str(self.lcd)) :] if str(p).startswith(self.lcd) else str(p)
            if s not in self.statements and local not in _SHOWN_AS_TABLE:
                groups[p].add(s)
        out = []
        for p in sorted(groups, key=str):
            local = str(p)[len(str(self.lcd)) :] if str(p).startswith(self.lcd) else str(p)
            en, zh = INVERSE.get(local, (f"Is “{self.labels(p)[0] or p}” of", ""))
            out.append({"en": en, "zh": zh, "links": self.links(groups[p])})
        return out

    def documents(self, node: URIRef, exts: Iterable[tuple[str, str, str]]) -> list[View]:
        """The RDF documents beside the page."""
        stem = posixpath.basename(self.pages[node])
        return [{"href": stem + ext, "type": media, "label": label} for ext, media, label in exts]

    def resource(self, node: URIRef, exts: Iterable[tuple[str, str, str]]) -> View:
        """Everything a resource page shows; kind-specific parts by the page's template."""
        seg = self.pages[node].split("/")[1]
        r: View = {
            "iri": str(node),
            "name": self.name(node),
            "kind": dict(zip(("en", "zh"), self.kind(node) or ("", ""), strict=True)),
            "facts": self.facts(node),
            "related": self.related(node),
            "properties": self.properties(node),
            "incoming": self.incoming(node),
            "documents": self.documents(node, exts),
            "quotes": self.quotes(node),
        }
        if seg == "city":
            self.city(node, r)
        elif TEMPLATES.get(seg) == "entity.html":
            r["cities"] = self.cities(node)
        elif seg in _KIND_BY_SEGMENT:
            r.update(self.entry(node))
        elif seg == "source" and node == self.document:
            r["text"] = self.source_lines
            r["raw"] = posixpath.basename(self.pages[node]) + ".txt"
        elif seg == "item":
            derived = [s for p, s in self.inverse.get(node, []) if p == PROV.wasDerivedFrom]
            heading = ("Statements read from this item", "由此條目得出之陳述")
            r["related"].insert(0, {"en": heading[0], "zh": heading[1],
                                    "links": self.links(derived)})  # fmt: skip
        return r

    def city(self, node: URIRef, r: View) -> None:
        """A city's timeline, summary and places, into ``r``."""
        stmts = [s for p, s in self.inverse.get(node, []) if p == self.lcd.city]
        r["timeline"] = self.entries(stmts)
        done: dict[str, int] = defaultdict(int)
        for e in r["timeline"]:
            if e["status"] and e["status"]["key"] == "done":
                done[e["segment"]] += 1
        en, zh = self.labels(node)
        parts = [f"{KINDS[k][0].lower()}: {n}" for k, n in done.items()]
        r["summary"] = (
            f"{en or zh}: {len(r['timeline'])} statements from the source, "
            f"{sum(done.values())} of them done ({', '.join(parts) or 'none'}).",
            f"{zh or en}：原文共 {len(r['timeline'])} 項陳述，其中 {sum(done.values())} 項已完成。",
        )
        places: dict[URIRef, set[URIRef]] = defaultdict(set)
        for s in stmts:
            target = self.g.value(s, self.lcd.target)
            for place in self.g.objects(target, SCHEMA.location) if target is not None else ():
                if isinstance(place, URIRef) and isinstance(target, URIRef):
                    places[place].add(target)
        r["places"] = [
            {"place": self.link(p), "events": self.links(places[p])}
            for p in sorted(places, key=self.sort_key)
        ]

    def cities(self, node: URIRef) -> list[View]:
        """The statements naming ``node`` as their target, by kind: who joined, signed, went."""
        by_kind: dict[str, list[URIRef]] = defaultdict(list)
        for p, s in self.inverse.get(node, []):
            if p in (self.lcd.target, self.lcd.atEvent) and s in self.statements:
                by_kind[self.pages[s].split("/")[1]].append(s)
        order = [k.segment for k in STATEMENT_KINDS]
        return [
            {
                "id": seg,
                "en": KINDS[seg][0],
                "zh": KINDS[seg][1],
                "entries": self.entries(by_kind[seg]),
            }
            for seg in sorted(by_kind, key=order.index)
        ]
