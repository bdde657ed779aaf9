"""Static open-data pages: one HTML page per resource, with its RDF."""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from html import escape
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from lowcarbon.export import prefixes
from lowcarbon.rdf import DEFAULT_BASE, GEO, ORG, SCHEMA, Minter

__all__ = [
    "DEFAULT_DOWNLOADS",
    "SITE",
    "STYLE",
    "resource_jsonld",
    "resource_paths",
    "resource_turtle",
    "site_files",
]

#: The folder of the site under ``exports/``.
SITE = "site"
ZH = "zh-Hant"
#: Files of ``exports/`` the index links to when the build does not say which exist.
DEFAULT_DOWNLOADS: tuple[str, ...] = (
    "README.md",
    "csv/cities.csv", "csv/csv-metadata.json", "csv/declarations.csv", "csv/events.csv",
    "csv/organizations.csv", "csv/people.csv", "csv/places.csv", "csv/programmes.csv",
    "csv/source_items.csv", "csv/statements.csv",
    "datapackage.json",
    "metadata/dcat.ttl", "metadata/schema-org.jsonld", "metadata/void.ttl",
    "network/bipartite.graphml", "network/cities.graphml", "network/city-metrics.csv",
    "network/city-pairs.csv",
    "ontology/lowcarbon.ttl", "ontology/shapes.ttl",
    "rdf/context.jsonld", "rdf/lowcarbon.jsonld", "rdf/lowcarbon.nq", "rdf/lowcarbon.nt",
    "rdf/lowcarbon.rdf", "rdf/lowcarbon.trig", "rdf/lowcarbon.ttl",
)  # fmt: skip
_FOLDERS = {
    "rdf": ("RDF: the data graph, and all named graphs (TriG, N-Quads)", "RDF 資料"),
    "csv": ("Tables (CSV, with CSVW metadata)", "表格"),
    "ontology": ("Ontology and SHACL shapes", "本體與形狀"),
    "metadata": ("Dataset metadata (DCAT, VoID, schema.org)", "詮釋資料"),
    "network": ("Co-participation networks", "共同參與網絡"),
    "": ("Descriptions of the files", "檔案說明"),
}
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_DATES = {XSD.date, XSD.gYearMonth, XSD.gYear}
_BARE = {
    XSD.integer: r"[+-]?[0-9]+",
    XSD.decimal: r"[+-]?[0-9]*\.[0-9]+",
    XSD.boolean: "true|false",
}
_TITLE = ("Taiwan City Low-Carbon Diplomacy Knowledge Graph", "臺灣城市低碳外交知識圖譜")
_ABOUT = (
    "What ten Taiwanese cities and counties reported of their international climate cooperation "
    "from 2004 to June 2011: the organizations they joined, the declarations they signed and the "
    "events they attended or hosted. Each is a statement with its date, status and role, traced "
    "to the line of the government attachment 城市低碳外交榮譽榜 it comes from.",
    "臺灣十個縣市於民國93年至100年6月提報之國際低碳參與：加入之國際組織、簽署之減量協議或宣言、"
    "參與或舉辦之國際交流活動。每一陳述皆載明日期、狀態與角色，並可追溯至政府附件"
    "「城市低碳外交榮譽榜」之原文行。",
)
_LICENCE = (
    "The project's own work (ontology, shapes, catalog, links and these pages) is licensed "
    '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>. '
    "The source document is a Taiwanese government publication that states no licence; "
    "none is claimed for it, and it is quoted verbatim only for provenance.",
    "本專案自行整理之成果（本體、形狀、目錄、連結及本網頁）以 CC BY 4.0 授權。來源文件為臺灣"
    "政府出版品，未載明授權條款；本專案不對其主張任何授權，僅為溯源而原文引用。",
)
#: (en, zh-Hant) labels of the terms the ontology does not label itself.
_TERMS: Mapping[URIRef, tuple[str, str]] = {
    RDF.type: ("type", "類型"),
    RDFS.label: ("label", "標籤"),
    SKOS.prefLabel: ("preferred label", "首選標籤"),
    SKOS.altLabel: ("alternative label", "別名"),
    SKOS.hiddenLabel: ("hidden label (source spelling)", "隱藏標籤"),
    SKOS.scopeNote: ("scope note", "範圍附註"),
    SKOS.historyNote: ("history note", "沿革附註"),
    DCTERMS.source: ("source", "出處"),
    DCTERMS.isPartOf: ("part of", "屬於"),
    DCTERMS.title: ("title", "標題"),
    DCTERMS.description: ("description", "描述"),
    DCTERMS.language: ("language", "語言"),
    DCTERMS.identifier: ("identifier", "識別碼"),
    DCTERMS.BibliographicResource: ("bibliographic resource", "書目資源"),
    OWL.sameAs: ("same as", "等同於"),
    GEO.lat: ("latitude", "緯度"),
    GEO.long: ("longitude", "經度"),
    ORG.member: ("member", "成員"),
    ORG.organization: ("organization", "組織"),
    ORG.Organization: ("organization", "組織"),
    ORG.Membership: ("membership (W3C ORG)", "會籍"),
    PROV.wasDerivedFrom: ("derived from", "衍生自"),
    PROV.Entity: ("entity (PROV)", "實體"),
    SCHEMA.startDate: ("start date", "開始日期"),
    SCHEMA.endDate: ("end date", "結束日期"),
    SCHEMA.location: ("location", "地點"),
    SCHEMA.organizer: ("organizer", "主辦者"),
    SCHEMA.superEvent: ("part of event", "上層活動"),
    SCHEMA.containedInPlace: ("contained in place", "所在地區"),
    SCHEMA.affiliation: ("affiliation", "所屬機構"),
    SCHEMA.jobTitle: ("job title", "職稱"),
    SCHEMA.temporalCoverage: ("temporal coverage", "時間範圍"),
    SCHEMA.Event: ("event", "活動"),
    SCHEMA.Place: ("place", "地點"),
    SCHEMA.City: ("city", "城市"),
    SCHEMA.Country: ("country", "國家"),
    SCHEMA.Person: ("person", "人物"),
}
#: (en, zh-Hant) headings of the links into a page, by predicate (lcd: terms by local name).
_INVERSE: Mapping[str, tuple[str, str]] = {
    "memberOf": ("Members (done)", "會員城市"),
    "signed": ("Signatories (done)", "簽署城市"),
    "participatedIn": ("Participants (done)", "參與城市"),
    "hosted": ("Hosted by", "舉辦城市"),
    "receivedVisit": ("Received by", "接待城市"),
    "reportedBy": ("Source items it reported", "填報條目"),
    str(DCTERMS.isPartOf): ("Items of this document", "文件條目"),
    str(DCTERMS.source): ("Cited as the source of", "引為出處"),
    str(SCHEMA.location): ("Located here", "位於此地"),
    str(SCHEMA.containedInPlace): ("Places within", "所含地點"),
    str(SCHEMA.superEvent): ("Sub-events", "子活動"),
    str(SCHEMA.organizer): ("Organized", "主辦活動"),
    str(SCHEMA.affiliation): ("People affiliated", "所屬人員"),
}
#: (en, zh-Hant) headings of the index sections, by the first path segment after ``id/``.
_KINDS: Mapping[str, tuple[str, str]] = {
    "city": ("Cities and counties", "縣市"),
    "organization": ("Organizations", "組織"),
    "declaration": ("Declarations and agreements", "宣言與協議"),
    "event": ("Events", "活動"),
    "programme": ("Programmes", "計畫"),
    "person": ("People", "人物"),
    "place": ("Places", "地點"),
    "membership": ("Memberships", "會籍"),
    "signing": ("Signings", "簽署"),
    "participation": ("Participations", "參與"),
    "hosting": ("Hostings", "舉辦"),
    "visit": ("Visits received", "接待來訪"),
    "disclosure": ("Disclosures", "揭露"),
    "item": ("Source items", "來源條目"),
    "source": ("Source document", "來源文件"),
}
_STATEMENT_KINDS = ("membership", "signing", "participation", "hosting", "visit", "disclosure")
_COUNTED = {"organization": "memberOf", "declaration": "signed", "event": "participatedIn"}

STYLE = """\
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#5a5a5a;--line:#d0d0d0;
--link:#0b57a4;--done:#1e6b34;--applied:#8a5300;--planned:#3b4fa0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#a8a8a8;
--line:#444;--link:#8cc4ff;--done:#7bd88f;--applied:#f0b35a;--planned:#a9b6ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:62rem;padding:0 1rem 2rem;color:var(--fg);background:var(--bg);
font:1rem/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans TC","PingFang TC",
"Microsoft JhengHei",sans-serif}
a{color:var(--link)}a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem}
header,footer{color:var(--muted);font-size:.9rem}
header{padding:.75rem 0;border-bottom:1px solid var(--line)}
footer{margin-top:2.5rem;padding-top:.75rem;border-top:1px solid var(--line)}
h1{font-size:1.7rem;line-height:1.25;margin:1.2rem 0 .4rem}h2{font-size:1.25rem;margin-top:2rem}
.meta,.iri{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
th[scope=row]{width:14rem;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
ul.values{margin:0;padding-left:1.1rem}
ul.cols{columns:18rem;padding-left:1.1rem}
.badge{display:inline-block;padding:0 .45rem;border:1px solid currentColor;border-radius:.6rem;
font-size:.85rem;white-space:nowrap}
.status-done{color:var(--done)}.status-applied{color:var(--applied)}
.status-planned{color:var(--planned)}
small,.dt{color:var(--muted)}
blockquote{margin:0;padding:.5rem 1rem;border-left:4px solid var(--line)}
ol.lines{margin:0;padding-left:3.5rem;font-size:1.05rem}
ol.lines li::marker{color:var(--muted);font-size:.8rem}
figcaption{color:var(--muted);font-size:.9rem;margin-top:.3rem}
code{font-size:.9em;overflow-wrap:anywhere}
details summary{cursor:pointer;font-weight:600}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _zh(text: str) -> str:
    return f'<span lang="{ZH}">{_e(text)}</span>'


def _both(en: str, zh: str) -> str:
    return f"{_e(en)} {_zh(zh)}"


def _key(t: Node) -> str:
    return t.n3()


def resource_paths(graph: Graph, *, base: str = DEFAULT_BASE) -> dict[URIRef, str]:
    """IRI -> page path without extension (``site/id/city/taipei``) for every IRI under ``id/``.

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
                out[node] = "/".join((SITE, "id", *segs))
    return dict(sorted(out.items()))


class _Names:
    """Compact names of IRIs with the fixed export prefixes, for Turtle and JSON-LD."""

    def __init__(self, base: str) -> None:
        self.ns = sorted(prefixes(base).items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def split(self, iri: str) -> tuple[str, str, str] | None:
        for p, ns in self.ns:
            if iri.startswith(ns) and len(iri) > len(ns):
                return p, ns, iri[len(ns) :]
        return None

    def turtle(self, iri: str, used: dict[str, str]) -> str:
        hit = self.split(iri)
        if hit and _PN_LOCAL.fullmatch(hit[2]):
            used[hit[0]] = hit[1]
            return f"{hit[0]}:{hit[2]}"
        return f"<{iri}>"

    def curie(self, iri: str, used: dict[str, str]) -> str:
        hit = self.split(iri)
        if hit and not hit[2].startswith("//"):
            used[hit[0]] = hit[1]
            return f"{hit[0]}:{hit[2]}"
        return iri


def _turtle_string(s: str) -> str:
    return (
        '"'
        + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        + '"'
    )


def _outgoing(graph: Graph, node: URIRef) -> list[tuple[URIRef, list[Node]]]:
    """The predicates of ``node`` (rdf:type first, then by IRI) with their sorted objects."""
    preds = sorted({p for p in graph.predicates(node) if isinstance(p, URIRef)}, key=str)
    preds.sort(key=lambda p: p != RDF.type)
    return [(p, sorted(graph.objects(node, p), key=_key)) for p in preds]


def resource_turtle(graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE) -> bytes:
    """The triples of ``node`` (its concise bounded description; no blank nodes) in Turtle."""
    names, used = _Names(base), dict[str, str]()
    lines = []
    for p, objs in _outgoing(graph, node):
        pred = "a" if p == RDF.type else names.turtle(str(p), used)
        vals = []
        for o in objs:
            if isinstance(o, URIRef):
                vals.append(names.turtle(str(o), used))
            elif isinstance(o, Literal):
                lex, dt = str(o), o.datatype
                if o.language:
                    vals.append(f"{_turtle_string(lex)}@{o.language}")
                elif dt is None or dt == XSD.string:
                    vals.append(_turtle_string(lex))
                elif dt in _BARE and re.fullmatch(_BARE[dt], lex):
                    vals.append(lex)
                else:
                    vals.append(f"{_turtle_string(lex)}^^{names.turtle(str(dt), used)}")
            else:
                raise ValueError(f"<{node}>: blank node object; expected IRIs only")
        lines.append(f"    {pred} " + ",\n        ".join(vals))
    subject = names.turtle(str(node), used)
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(used.items()))
    return f"{head}\n{subject}\n".encode() + (" ;\n".join(lines) + " .\n").encode("utf-8")


def _jsonld_obj(graph: Graph, node: URIRef, base: str) -> dict[str, Any]:
    names, used = _Names(base), dict[str, str]()
    obj: dict[str, Any] = {"@id": names.curie(str(node), used)}
    for p, objs in _outgoing(graph, node):
        vals: list[Any] = []
        for o in objs:
            if isinstance(o, URIRef):
                vals.append(names.curie(str(o), used) if p == RDF.type else {"@id": str(o)})
            elif isinstance(o, Literal) and o.language:
                vals.append({"@value": str(o), "@language": o.language})
            elif isinstance(o, Literal) and o.datatype not in (None, XSD.string):
                vals.append({"@value": str(o), "@type": names.curie(str(o.datatype), used)})
            else:
                vals.append(str(o))
        key = "@type" if p == RDF.type else names.curie(str(p), used)
        obj[key] = vals[0] if len(vals) == 1 else vals
    return {"@context": dict(sorted(used.items())), **obj}


def resource_jsonld(graph: Graph, node: URIRef, *, base: str = DEFAULT_BASE) -> bytes:
    """The triples of ``node`` as JSON-LD with its context embedded (prefixes only, no fetching)."""
    doc = _jsonld_obj(graph, node, base)
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def _script_json(data: bytes) -> str:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so nothing ends it early."""
    text = data.decode("utf-8")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Site:
    def __init__(self, graph: Graph, ontology: Graph, base: str, downloads: Iterable[str]):
        Minter(base)  # validates
        self.g, self.onto, self.base = graph, ontology, base
        self.lcd = Namespace(f"{base}ontology#")
        self.pages = resource_paths(graph, base=base)
        self.downloads = sorted(set(downloads))
        self.statements = {
            s for s in graph.subjects(RDF.type, self.lcd.Statement) if isinstance(s, URIRef)
        }
        self.inverse: dict[URIRef, list[tuple[URIRef, URIRef]]] = defaultdict(list)
        for s, p, o in graph.triples((None, None, None)):
            if isinstance(o, URIRef) and isinstance(s, URIRef) and p != RDF.type:
                self.inverse[o].append((URIRef(str(p)), s))

    # -- names and links --

    def labels(self, node: Node) -> tuple[str | None, str | None]:
        """The English and Chinese labels of a node, from the data, the ontology or _TERMS."""
        for g in (self.g, self.onto):
            got: dict[str, str] = {}
            for prop in (RDFS.label, SKOS.prefLabel):
                for lab in sorted(g.objects(node, prop), key=_key):
                    if isinstance(lab, Literal) and lab.language:
                        got.setdefault(lab.language.lower(), str(lab))
            if got:
                return got.get("en"), got.get(ZH.lower())
        if isinstance(node, URIRef) and node in _TERMS:
            return _TERMS[node]
        return None, None

    def name(self, node: Node) -> str:
        """HTML of a node's labels, English then Chinese."""
        en, zh = self.labels(node)
        parts = ([_e(en)] if en else []) + ([_zh(zh)] if zh else [])
        return " ".join(parts) or f"<code>{_e(str(node))}</code>"

    def sort_key(self, node: URIRef) -> tuple[int, str, str]:
        line = self.g.value(node, self.lcd.lineStart)
        en, _ = self.labels(node)
        n = int(line.toPython()) if isinstance(line, Literal) else 0
        return n, (en or "").lower(), str(node)

    def href(self, here: str, target: str) -> str:
        return _e(posixpath.relpath(target, posixpath.dirname(here)))

    def link(self, node: Node, here: str, text: str | None = None) -> str:
        """A node as HTML: a link to its page, to the ontology page, or an external link."""
        if not isinstance(node, URIRef):
            return self.value(node)
        iri = str(node)
        if node in self.pages:
            target = self.href(here, self.pages[node] + ".html")
        elif iri.startswith(str(self.lcd)):
            frag = iri[len(str(self.lcd)) :]
            target = f"{self.href(here, f'{SITE}/ontology.html')}#{_e(frag)}"
        elif iri.startswith(("http://", "https://")):
            shown = text or (self.name(node) if node in _TERMS else _e(iri))
            return f'<a href="{_e(iri)}" rel="external">{shown}</a>'
        else:
            return f"<code>{_e(iri)}</code>"
        return f'<a href="{target}">{text or self.name(node)}</a>'

    def value(self, node: Node) -> str:
        if not isinstance(node, Literal):
            return f"<code>{_e(str(node))}</code>"
        lex = str(node)
        if node.language:
            return f'<span lang="{_e(node.language)}">{_e(lex)}</span>'
        dt = node.datatype
        if dt is None or dt == XSD.string:
            return _e(lex)
        shown = f'<time datetime="{_e(lex)}">{_e(lex)}</time>' if dt in _DATES else _e(lex)
        return f'{shown} <small class="dt">{_e(str(dt).rsplit("#", 1)[-1])}</small>'

    def badge(self, status: Node | None) -> str:
        if not isinstance(status, URIRef):
            return ""
        local = str(status).rsplit("#", 1)[-1]
        en, zh = self.labels(status)
        return f'<span class="badge status-{_e(local)}">{_both(en or local, zh or "")}</span>'

    # -- page frame --

    def page(self, here: str, title: str, body: str, head: str = "") -> bytes:
        home = self.href(here, f"{SITE}/index.html")
        doc = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n"
            f'<link rel="stylesheet" href="{self.href(here, f"{SITE}/style.css")}">\n{head}'
            "</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to content</a>\n'
            f'<header><a href="{home}">lowcarbon</a> · {_both(*_TITLE)}</header>\n'
            f'<main id="main">\n{body}</main>\n'
            f'<footer><p>{_LICENCE[0]}</p><p lang="{ZH}">{_e(_LICENCE[1])}</p>'
            f'<p><a href="{home}">{_both("Dataset home", "資料集首頁")}</a> · '
            f'<a href="{self.href(here, f"{SITE}/ontology.html")}">{_both("Ontology", "本體")}</a>'
            "</p></footer>\n"
            "</body>\n</html>\n"
        )
        return doc.encode("utf-8")

    # -- resource pages --

    def properties(self, node: URIRef, here: str) -> str:
        rows = []
        for p, objs in _outgoing(self.g, node):
            en, zh = self.labels(p)
            text = _e(en or str(p)) + (f" <small>{_zh(zh)}</small>" if zh else "")
            prop = self.link(p, here, text)
            vals = [self.link(o, here) for o in objs]
            cell = (
                vals[0]
                if len(vals) == 1
                else ('<ul class="values">' + "".join(f"<li>{v}</li>" for v in vals) + "</ul>")
            )
            rows.append(f'<tr><th scope="row">{prop}</th><td>{cell}</td></tr>\n')
        return (
            f"<section><h2>{_both('Properties', '屬性')}</h2>\n"
            f'<div class="table"><table>\n{"".join(rows)}</table></div></section>\n'
        )

    def quote(self, item: URIRef, here: str) -> str:
        text = self.g.value(item, self.lcd.quote)
        start = self.g.value(item, self.lcd.lineStart)
        end = self.g.value(item, self.lcd.lineEnd)
        if not isinstance(text, Literal) or not isinstance(start, Literal):
            return ""
        first = int(start.toPython())
        last = int(end.toPython()) if isinstance(end, Literal) else first
        lines = "".join(f"<li>{_e(x)}</li>" for x in str(text).split("\n"))
        doc = self.g.value(item, DCTERMS.isPartOf)
        span = f"line {first}" if first == last else f"lines {first}–{last}"
        of = f" of {self.link(doc, here)}" if doc is not None else ""
        return (
            f'<figure class="source"><blockquote lang="{ZH}" cite="{_e(str(item))}">'
            f'<ol class="lines" start="{first}">{lines}</ol></blockquote>\n'
            f"<figcaption>{self.link(item, here)}, {span}{of}</figcaption></figure>\n"
        )

    def statement_table(self, stmts: Iterable[URIRef], here: str) -> str:
        """Statements as a timeline: sorted by start date, with status badges and roles."""

        def when(s: URIRef) -> tuple[str, str]:
            d = self.g.value(s, SCHEMA.startDate)
            return (str(d) if d is not None else "9999", str(s))

        rows = []
        for s in sorted(set(stmts), key=when):
            start, end = self.g.value(s, SCHEMA.startDate), self.g.value(s, SCHEMA.endDate)
            text = self.g.value(s, self.lcd.dateText)
            date = self.value(start) if start is not None else "—"
            date += f" – {self.value(end)}" if end is not None else ""
            date += f"<br>{self.value(text)}" if text is not None else ""
            kinds = sorted(
                self.name(t)
                for t in self.g.objects(s, RDF.type)
                if str(t).startswith(self.lcd) and t != self.lcd.Statement
            )
            roles = sorted(self.g.objects(s, self.lcd.role), key=_key)
            rows.append(
                f"<tr><td>{date}</td><td>{self.link(s, here)} <small>{', '.join(kinds)}</small>"
                f"</td><td>{self.badge(self.g.value(s, self.lcd.status))}</td>"
                f"<td>{', '.join(self.link(r, here) for r in roles)}</td></tr>\n"
            )
        cols = (("Date", "日期"), ("Statement", "陳述"), ("Status", "狀態"), ("Role", "角色"))
        return _table(cols, rows, "timeline")

    def links_in(self, node: URIRef, here: str) -> str:
        stmts: set[URIRef] = set()
        groups: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, s in self.inverse.get(node, []):
            if s in self.statements:
                stmts.add(s)
            else:
                groups[p].add(s)
        out = ""
        if stmts:
            title = _both("Statements about this entity", "相關陳述")
            out = f"<section><h2>{title}</h2>\n{self.statement_table(stmts, here)}</section>\n"
        for p in sorted(groups, key=str):
            local = str(p)[len(str(self.lcd)) :] if str(p).startswith(self.lcd) else str(p)
            en, zh = _INVERSE.get(local, (f"Is “{self.labels(p)[0] or p}” of", ""))
            items = sorted(groups[p], key=self.sort_key)
            lis = "".join(f"<li>{self.link(s, here)}</li>" for s in items)
            cls = ' class="cols"' if len(items) > 6 else ""
            out += f"<section><h2>{_both(en, zh)}</h2>\n<ul{cls}>{lis}</ul></section>\n"
        return out

    def resource(self, node: URIRef) -> dict[str, bytes]:
        path = self.pages[node]
        here, stem = f"{path}.html", posixpath.basename(path)
        ttl = resource_turtle(self.g, node, base=self.base)
        jsonld = resource_jsonld(self.g, node, base=self.base)
        types = sorted((t for t in self.g.objects(node, RDF.type)), key=_key)
        en, zh = self.labels(node)
        body = f"<h1>{self.name(node)}</h1>\n"
        body += f'<p class="meta">{" · ".join(self.link(t, here) for t in types)}</p>\n'
        body += (
            f'<p class="iri">IRI <code>{_e(str(node))}</code> · this description as '
            f'<a href="{_e(stem)}.ttl" type="text/turtle">Turtle</a> · '
            f'<a href="{_e(stem)}.jsonld" type="application/ld+json">JSON-LD</a></p>\n'
        )
        sources = [node] if self.g.value(node, self.lcd.quote) is not None else []
        sources += sorted(
            (i for i in self.g.objects(node, PROV.wasDerivedFrom) if isinstance(i, URIRef)),
            key=str,
        )
        if sources:
            quotes = "".join(self.quote(i, here) for i in sources)
            body += f"<section><h2>{_both('Source', '來源原文')}</h2>\n{quotes}</section>\n"
        body += self.properties(node, here) + self.links_in(node, here)
        head = (
            f'<link rel="alternate" type="text/turtle" href="{_e(stem)}.ttl">\n'
            f'<link rel="alternate" type="application/ld+json" href="{_e(stem)}.jsonld">\n'
            f'<script type="application/ld+json">\n{_script_json(jsonld)}</script>\n'
        )
        title = " · ".join(x for x in (zh, en) if x) or str(node)
        return {
            here: self.page(here, f"{title} — lowcarbon", body, head),
            f"{path}.ttl": ttl,
            f"{path}.jsonld": jsonld,
        }

    # -- index and ontology --

    def by_kind(self) -> dict[str, list[URIRef]]:
        kinds: dict[str, list[URIRef]] = defaultdict(list)
        for node, path in self.pages.items():
            kinds[path.split("/")[2]].append(node)
        for nodes in kinds.values():
            nodes.sort(key=self.sort_key)
        return kinds

    def index(self) -> bytes:
        here = f"{SITE}/index.html"
        kinds = self.by_kind()
        order = sorted(kinds, key=lambda k: list(_KINDS).index(k) if k in _KINDS else 99)
        counts = [f'<tr><td>{_both(*_KINDS.get(k, (k, "")))}</td><td class="num">{len(kinds[k])}'
                  "</td></tr>" for k in order]  # fmt: skip
        counts.append(
            f'<tr><td>{_both("Triples", "三元組")}</td><td class="num">{len(self.g)}</td></tr>'
        )
        nav = [(f"#{k}", _KINDS[k]) for k in ("city", "organization", "declaration", "event")]
        nav += [("#downloads", ("Downloads", "下載")), ("ontology.html", ("Ontology", "本體"))]
        body = (
            f"<h1>{_e(_TITLE[0])}<br>{_zh(_TITLE[1])}</h1>\n"
            f'<p>{_e(_ABOUT[0])}</p>\n<p lang="{ZH}">{_e(_ABOUT[1])}</p>\n<nav><p>'
            + " · ".join(f'<a href="{h}">{_both(*t)}</a>' for h, t in nav)
            + f"</p></nav>\n<section><h2>{_both('In numbers', '數量')}</h2>\n"
            + _table((("What", "項目"), ("Count", "數量")), counts)
            + "</section>\n"
        )
        for kind in order:
            if kind not in _STATEMENT_KINDS and kind != "item":
                body += self.kind_section(kind, kinds[kind], here)
        stmts = [n for k in _STATEMENT_KINDS for n in kinds.get(k, [])]
        item_nodes = kinds.get("item", [])
        items = "".join(f"<li>{self.link(i, here)}</li>" for i in item_nodes)
        body += (
            f'<section id="statements"><h2>{_both("Statements", "陳述")}</h2>\n<details><summary>'
            f"{_both(f'All {len(stmts)} statements, by date', '依日期列出全部陳述')}</summary>\n"
            f"{self.statement_table(stmts, here)}</details></section>\n"
            f'<section id="item"><h2>{_both(*_KINDS["item"])}</h2>\n<details><summary>'
            f"{_both(f'All {len(item_nodes)} items, in source order', '依原文順序')}"
            f"</summary>\n<ol>{items}</ol></details></section>\n"
            + self.downloads_section(here)
            + f"<section><h2>{_both('Query', '查詢')}</h2>\n<p>Run <code>lowcarbon serve</code> "
            "to browse these pages locally with content negotiation (<code>/id/city/taipei</code> "
            "answers HTML, Turtle, N-Triples or JSON-LD) and a read-only SPARQL endpoint at "
            '<code>/sparql</code>. The <a href="ontology.html">ontology page</a> explains the '
            f"terms.</p></section>\n<section><h2>{_both('Licence', '授權')}</h2>\n"
            f'<p>{_LICENCE[0]}</p><p lang="{ZH}">{_e(_LICENCE[1])}</p></section>\n'
        )
        return self.page(here, f"{_TITLE[1]} · {_TITLE[0]}", body)

    def kind_section(self, kind: str, nodes: list[URIRef], here: str) -> str:
        """One section of the index: a table for the main kinds, a list for the others."""
        en, zh = _KINDS.get(kind, (kind, ""))
        rows: list[str] = []
        if kind == "city":
            for n in nodes:
                st = [s for s in self.statements if self.g.value(s, self.lcd.city) == n]
                done = sum(1 for s in st if self.g.value(s, self.lcd.status) == self.lcd.done)
                rows.append(
                    f'<tr><td>{self.link(n, here)}</td><td class="num">{len(st)}</td>'
                    f'<td class="num">{done}</td></tr>'
                )
            table = _table((("City", "縣市"), ("Statements", "陳述"), ("Done", "已完成")), rows)
        elif kind in _COUNTED:
            counted, dated = self.lcd[_COUNTED[kind]], kind == "event"

            def start(n: URIRef) -> str:
                d = self.g.value(n, SCHEMA.startDate)
                return self.value(d) if d is not None else "—"

            for n in sorted(nodes, key=lambda n: str(self.g.value(n, SCHEMA.startDate) or "")):
                rows.append(
                    (f"<tr><td>{start(n)}</td>" if dated else "<tr>")
                    + f"<td>{self.link(n, here)}</td>"
                    f'<td class="num">{len(set(self.g.subjects(counted, n)))}</td></tr>'
                )
            cols = (("Name", "名稱"), ("Cities (done)", "城市（已完成）"))
            table = _table(((("Date", "日期"),) if dated else ()) + cols, rows)
        else:
            lis = "".join(f"<li>{self.link(n, here)}</li>" for n in nodes)
            table = f'<ul class="cols">{lis}</ul>'
        return f'<section id="{_e(kind)}"><h2>{_both(en, zh)}</h2>\n{table}</section>\n'

    def downloads_section(self, here: str) -> str:
        groups: dict[str, list[str]] = defaultdict(list)
        for path in self.downloads:
            groups[path.split("/")[0] if "/" in path else ""].append(path)
        out = ""
        for folder in sorted(
            groups, key=lambda f: list(_FOLDERS).index(f) if f in _FOLDERS else 99
        ):
            en, zh = _FOLDERS.get(folder, (folder, ""))
            lis = "".join(
                f'<li><a href="{self.href(here, p)}">{_e(p)}</a></li>' for p in groups[folder]
            )
            out += f"<h3>{_both(en, zh)}</h3>\n<ul>{lis}</ul>\n"
        return (
            f'<section id="downloads"><h2>{_both("Downloads", "下載")}</h2>\n'
            "<p>The whole dataset, in the formats of <code>exports/</code>; each page here also "
            f"links its own Turtle and JSON-LD.</p>\n{out}</section>\n"
        )

    def ontology_page(self) -> bytes:
        here, ns = f"{SITE}/ontology.html", str(self.lcd)
        names, rows = _Names(self.base), []
        for t in sorted({s for s in self.onto.subjects() if str(s).startswith(ns)}, key=str):
            local = str(t)[len(ns) :]
            types = sorted(names.curie(str(k), {}) for k in self.onto.objects(t, RDF.type))
            notes = sorted(
                (c for c in self.onto.objects(t, RDFS.comment) if isinstance(c, Literal)), key=_key
            )
            rows.append(
                f'<tr id="{_e(local)}"><td><code>lcd:{_e(local)}</code></td>'
                f"<td>{self.name(t)}</td><td>{_e(', '.join(types))}</td>"
                f"<td>{''.join(f'<p>{self.value(c)}</p>' for c in notes)}</td></tr>\n"
            )
        cols = (("Term", "術語"), ("Label", "標籤"), ("Type", "類型"), ("Comment", "說明"))
        body = (
            f'<h1>{_both("Ontology", "本體")}</h1>\n<p class="iri">Namespace <code>{_e(ns)}</code>'
            f' · <a href="{self.href(here, "ontology/lowcarbon.ttl")}">Turtle</a></p>\n'
            + _table(cols, rows)
        )
        return self.page(here, "Ontology 本體 — lowcarbon", body)


def _table(cols: Iterable[tuple[str, str]], rows: Iterable[str], cls: str = "") -> str:
    head = "".join(f'<th scope="col">{_both(en, zh)}</th>' for en, zh in cols)
    attr = f' class="{cls}"' if cls else ""
    return (
        f'<div class="table"><table{attr}><thead><tr>{head}</tr></thead><tbody>\n'
        f"{''.join(rows)}</tbody></table></div>\n"
    )


def site_files(
    graph: Graph,
    ontology: Graph,
    *,
    base: str = DEFAULT_BASE,
    downloads: Collection[str] | None = None,
) -> dict[str, bytes]:
    """The static site: paths relative to ``exports/`` (all under ``site/``) -> bytes.

    One HTML page per resource under ``{base}id/`` (``site/id/city/taipei.html``) with its
    Turtle and JSON-LD beside it, ``site/index.html``, ``site/ontology.html`` and
    ``site/style.css``. ``downloads`` are the paths of ``exports/`` the index links to
    (default :data:`DEFAULT_DOWNLOADS`). Deterministic: the same graph gives the same bytes.
    """
    site = _Site(graph, ontology, base, DEFAULT_DOWNLOADS if downloads is None else downloads)
    files: dict[str, bytes] = {
        f"{SITE}/index.html": site.index(),
        f"{SITE}/ontology.html": site.ontology_page(),
        f"{SITE}/style.css": STYLE.encode("utf-8"),
    }
    for node in site.pages:
        files.update(site.resource(node))
    return dict(sorted(files.items()))
