"""The static site's fixed text and look: bilingual labels and prose, stylesheet, HTML snippets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from rdflib import OWL, RDF, RDFS, SKOS, URIRef
from rdflib.namespace import DCTERMS, PROV

from lowcarbon.graph.mapping import GEO, ORG, SCHEMA
from lowcarbon.vocab import ENTITY_KINDS, STATEMENT_KINDS

__all__ = [
    "ABOUT",
    "FOLDERS",
    "INVERSE",
    "KINDS",
    "LICENCE",
    "STYLE",
    "TERMS",
    "TITLE",
    "ZH",
    "both",
    "esc",
    "html_table",
    "source_text",
    "zh_span",
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
ol.doc{list-style:none;padding:0;margin:0;font-size:1rem}
ol.doc li{white-space:pre-wrap;overflow-wrap:anywhere;padding-left:3.2rem;text-indent:-3.2rem}
ol.doc li:target{background:color-mix(in srgb,var(--link) 18%,transparent)}
.ln{display:inline-block;width:2.8rem;text-indent:0;text-align:right;margin-right:.4rem;color:var(--muted);font-size:.8rem;text-decoration:none}
pre{overflow-x:auto;padding:.5rem;border:1px solid var(--line)}
"""


def esc(text: str) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return escape(text, quote=True)


def zh_span(text: str) -> str:
    """``text`` escaped, in a ``<span>`` marked as Traditional Chinese."""
    return f'<span lang="{ZH}">{esc(text)}</span>'


def both(en: str, zh: str) -> str:
    """English then Chinese, escaped, the Chinese marked with its language."""
    return f"{esc(en)} {zh_span(zh)}"


def html_table(cols: Iterable[tuple[str, str]], rows: Iterable[str], cls: str = "") -> str:
    """A scrollable table with bilingual column headings around ready-made ``<tr>`` rows."""
    head = "".join(f'<th scope="col">{both(en, zh)}</th>' for en, zh in cols)
    attr = f' class="{cls}"' if cls else ""
    return (
        f'<div class="table"><table{attr}><thead><tr>{head}</tr></thead><tbody>\n'
        f"{''.join(rows)}</tbody></table></div>\n"
    )


def source_text(text: str, stem: str) -> str:
    """The source document verbatim, one anchor per line (``#L1``…), and a link to its raw file."""
    lines = "".join(
        f'<li id="L{n}"><a class="ln" href="#L{n}">{n}</a> <span>{esc(line)}</span></li>\n'
        for n, line in enumerate(text.split("\n"), 1)
    )
    return (
        f'<section id="text"><h2>{both("The document, verbatim", "原文全文")}</h2>\n'
        f'<p><a href="{esc(stem)}.txt" type="text/plain">Raw text (UTF-8)</a>; each line has '
        f'its own anchor, which the quotes link.</p>\n<ol class="doc" lang="{ZH}">\n{lines}'
        "</ol></section>\n"
    )
