"""The static site's fixed text and look: bilingual labels and prose, stylesheet, icon."""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import OWL, RDF, RDFS, SKOS, URIRef
from rdflib.namespace import DCTERMS, PROV

from lowcarbon.graph.mapping import GEO, ORG, SCHEMA
from lowcarbon.vocab import ENTITY_KINDS, STATEMENT_KINDS

__all__ = [
    "ABOUT",
    "FACTS",
    "FAVICON",
    "FOLDERS",
    "INVERSE",
    "KINDS",
    "LICENCE",
    "STYLE",
    "TERMS",
    "TITLE",
    "ZH",
]

ZH = "zh-Hant"
FOLDERS = {
    "rdf": ("RDF: the data graph, and all named graphs (TriG, N-Quads)", "RDF 資料"),
    "csv": ("Tables (CSV, with CSVW metadata)", "表格"),
    "ontology": ("Ontology and SHACL shapes", "本體與形狀"),
    "metadata": ("Dataset metadata (DCAT, VoID, schema.org)", "詮釋資料"),
    "network": ("Co-participation networks", "共同參與網絡"),
    "": ("Descriptions of the files", "檔案說明"),
}
TITLE = ("Taiwan City Low-Carbon Diplomacy Knowledge Graph", "臺灣城市低碳外交知識圖譜")
ABOUT = (
    "What ten Taiwanese cities and counties reported of their international climate cooperation "
    "from 2004 to June 2011: the organizations they joined, the declarations they signed and the "
    "events they attended or hosted. Each is a statement with its date, status and role, traced "
    "to the line of the government attachment 城市低碳外交榮譽榜 it comes from.",
    "臺灣十個縣市於民國93年至100年6月提報之國際低碳參與：加入之國際組織、簽署之減量協議或宣言、"
    "參與或舉辦之國際交流活動。每一陳述皆載明日期、狀態與角色，並可追溯至政府附件"
    "「城市低碳外交榮譽榜」之原文行。",
)
LICENCE = (
    "The project's own work (ontology, shapes, catalog, links and these pages) is licensed "
    '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>. '
    "The source document is a Taiwanese government publication that states no licence; "
    "none is claimed for it, and it is quoted verbatim only for provenance.",
    "本專案自行整理之成果（本體、形狀、目錄、連結及本網頁）以 CC BY 4.0 授權。來源文件為臺灣"
    "政府出版品，未載明授權條款；本專案不對其主張任何授權，僅為溯源而原文引用。",
)
#: (en, zh-Hant) labels of the terms the ontology does not label itself.
TERMS: Mapping[URIRef, tuple[str, str]] = {
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
#: The facts an entity page shows in words, in this order: (property, en, zh-Hant).
FACTS: tuple[tuple[URIRef, str, str], ...] = (
    (SKOS.altLabel, "Also called", "別名"),
    (SCHEMA.startDate, "From", "開始"),
    (SCHEMA.endDate, "To", "結束"),
    (SCHEMA.location, "Where", "地點"),
    (SCHEMA.containedInPlace, "In", "位於"),
    (SCHEMA.organizer, "Organized by", "主辦者"),
    (SCHEMA.superEvent, "Part of", "上層活動"),
    (SCHEMA.affiliation, "Affiliation", "所屬"),
    (SCHEMA.jobTitle, "Job title", "職稱"),
    (SKOS.scopeNote, "Note", "附註"),
    (SKOS.historyNote, "History", "沿革"),
    (DCTERMS.description, "Description", "描述"),
    (OWL.sameAs, "Same as", "等同於"),
    (DCTERMS.source, "Cited from", "出處"),
)
#: (en, zh-Hant) headings of the links into a page, by predicate (lcd: terms by local name).
INVERSE: Mapping[str, tuple[str, str]] = {
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
KINDS: Mapping[str, tuple[str, str]] = {
    **{k.name: k.heading for k in ENTITY_KINDS},
    **{k.segment: k.heading for k in STATEMENT_KINDS},
    "item": ("Source items", "來源條目"),
    "source": ("Source document", "來源文件"),
}

STYLE = """\
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#595959;--line:#d0d0d0;
--soft:#f3f5f8;--link:#0b57a4;--done:#1e6b34;--applied:#8a4b00;--planned:#3b4fa0}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#b0b0b0;
--line:#444;--soft:#222;--link:#8cc4ff;--done:#7bd88f;--applied:#f0b35a;--planned:#b5c0ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:62rem;padding:0 1rem 2rem;color:var(--fg);background:var(--bg);
font:1rem/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans TC","Noto Sans CJK TC",
"PingFang TC","Microsoft JhengHei",sans-serif;overflow-wrap:break-word}
a{color:var(--link)}a:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:var(--bg)}
header,footer{color:var(--muted);font-size:.9rem}
header{padding:.6rem 0;border-bottom:1px solid var(--line)}
header nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem}header .home{font-weight:700}
footer{margin-top:2.5rem;padding-top:.75rem;border-top:1px solid var(--line)}
h1{font-size:1.6rem;line-height:1.3;margin:1.2rem 0 .4rem}h2{font-size:1.25rem;margin-top:2rem}
h3{font-size:1.05rem}
.meta,.iri{color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
.lede{font-size:1.05rem}
ul.inline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
ul.list{padding-left:1.2rem}ul.list li{margin:.15rem 0}
.table{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.props th[scope=row]{width:30%;font-weight:600}
ul.values{margin:0;padding-left:1.1rem}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) minmax(0,1fr);
gap:.3rem 1rem;margin:0}
dl.facts div{display:contents}dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere;min-width:0}
.badge{display:inline-block;padding:0 .45rem;border:1px solid currentColor;border-radius:.6rem;
font-size:.85rem;white-space:nowrap}
.status-done{color:var(--done)}.status-applied{color:var(--applied)}
.status-planned{color:var(--planned)}
small{color:var(--muted)}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid var(--line)}
ol.timeline>li{position:relative;margin:0 0 1.2rem;padding-left:1rem}
ol.timeline>li::before{content:"";position:absolute;left:-.5rem;top:.45rem;width:.7rem;
height:.7rem;border-radius:50%;background:var(--link)}
.when{margin:0;font-weight:600}.what{margin:.1rem 0 .4rem}
figure.chart{margin:1rem 0}figure.chart img{max-width:100%;height:auto;display:block}
figure.source{margin:.4rem 0 .8rem;padding:.4rem .8rem;background:var(--soft);
border-left:4px solid var(--line)}
blockquote{margin:0}
ol.lines{margin:0;padding-left:2.6rem;font-size:1.02rem}
ol.lines li::marker{color:var(--muted);font-size:.8rem}
figcaption{color:var(--muted);font-size:.9rem;margin-top:.3rem}
ol.doc{list-style:none;padding:0;margin:0;font-size:1rem}
ol.doc li{white-space:pre-wrap;overflow-wrap:anywhere;padding-left:3.2rem;text-indent:-3.2rem}
ol.doc li:target{background:var(--soft);outline:2px solid var(--link)}
.ln{display:inline-block;width:2.8rem;text-indent:0;text-align:right;margin-right:.4rem;
color:var(--muted);font-size:.8rem;text-decoration:none}
code{font-size:.9em;overflow-wrap:anywhere}
details summary{cursor:pointer;font-weight:600}
pre{overflow-x:auto;padding:.5rem;border:1px solid var(--line);white-space:pre-wrap;
overflow-wrap:anywhere}
form.sparql textarea{width:100%;font:.9rem/1.4 ui-monospace,monospace;padding:.5rem}
button{font:inherit;padding:.3rem 1.2rem}
dl.examples dt{font-weight:600;margin-top:.5rem}dl.examples dd{margin:0 0 0 1rem}
.technical{margin-top:3rem;padding-top:.5rem;border-top:2px solid var(--line)}
@media (max-width:40rem){body{padding:0 .7rem 2rem}h1{font-size:1.35rem}
table.who thead{display:none}table.who tr{display:block;border-bottom:1px solid var(--line);
padding:.3rem 0}table.who td{display:block;border:0;padding:.1rem 0}
table.props th[scope=row]{width:auto}}
"""
#: A small icon (the "graph" of three linked nodes), so that no page load asks for a missing one.
FAVICON = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" \
fill="#1e6b34"/><path d="M9 22L16 9l7 13z" fill="none" stroke="#fff" stroke-width="2"/><circle \
cx="16" cy="9" r="3.5" fill="#fff"/><circle cx="9" cy="22" r="3.5" fill="#fff"/><circle cx="23" \
cy="22" r="3.5" fill="#fff"/></svg>
"""
