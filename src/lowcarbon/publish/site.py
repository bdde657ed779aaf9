"""Static open-data pages: one HTML page per resource, with its RDF."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from lowcarbon.graph.mapping import DEFAULT_BASE, SCHEMA, Minter
from lowcarbon.publish.cite import bibtex, citation_text, footer_release
from lowcarbon.publish.resource import (
    CompactNames,
    n3_key,
    outgoing,
    resource_jsonld,
    resource_turtle,
)
from lowcarbon.publish.text import (
    ABOUT,
    FOLDERS,
    INVERSE,
    KINDS,
    LICENCE,
    STYLE,
    TERMS,
    TITLE,
    ZH,
    both,
    esc,
    html_table,
    source_text,
    zh_span,
)
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = [
    "DATASET",
    "STYLE",
    "resource_jsonld",
    "resource_paths",
    "resource_turtle",
    "site_files",
]

#: The folder of the site that holds a copy of the published dataset (``exports/``).
DATASET = "exports"
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_DATES = {XSD.date, XSD.gYearMonth, XSD.gYear}
_STATEMENT_KINDS = tuple(k.segment for k in STATEMENT_KINDS)
_COUNTED = {"organization": "memberOf", "declaration": "signed", "event": "participatedIn"}


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


def _script_json(data: bytes) -> str:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so nothing ends it early."""
    text = data.decode("utf-8")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Site:
    def __init__(
        self,
        graph: Graph,
        ontology: Graph,
        base: str,
        downloads: Iterable[str],
        source: bytes | None = None,
    ):
        self.document = Minter(base).document()  # validates the base
        self.source = source
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
        """The English and Chinese labels of a node, from the data, the ontology or TERMS."""
        for g in (self.g, self.onto):
            got: dict[str, str] = {}
            for prop in (RDFS.label, SKOS.prefLabel):
                for lab in sorted(g.objects(node, prop), key=n3_key):
                    if isinstance(lab, Literal) and lab.language:
                        got.setdefault(lab.language.lower(), str(lab))
            if got:
                return got.get("en"), got.get(ZH.lower())
        if isinstance(node, URIRef) and node in TERMS:
            return TERMS[node]
        return None, None

    def name(self, node: Node) -> str:
        """HTML of a node's labels, English then Chinese."""
        en, zh = self.labels(node)
        parts = ([esc(en)] if en else []) + ([zh_span(zh)] if zh else [])
        return " ".join(parts) or f"<code>{esc(str(node))}</code>"

    def sort_key(self, node: URIRef) -> tuple[int, str, str]:
        line = self.g.value(node, self.lcd.lineStart)
        en, _ = self.labels(node)
        n = int(line.toPython()) if isinstance(line, Literal) else 0
        return n, (en or "").lower(), str(node)

    def href(self, here: str, target: str) -> str:
        return esc(posixpath.relpath(target, posixpath.dirname(here)))

    def link(self, node: Node, here: str, text: str | None = None) -> str:
        """A node as HTML: a link to its page, to the ontology page, or an external link."""
        if not isinstance(node, URIRef):
            return self.value(node)
        iri = str(node)
        if node in self.pages:
            target = self.href(here, self.pages[node] + ".html")
        elif iri.startswith(str(self.lcd)):
            frag = iri[len(str(self.lcd)) :]
            target = f"{self.href(here, 'ontology.html')}#{esc(frag)}"
        elif iri.startswith(("http://", "https://")):
            shown = text or (self.name(node) if node in TERMS else esc(iri))
            return f'<a href="{esc(iri)}" rel="external">{shown}</a>'
        else:
            return f"<code>{esc(iri)}</code>"
        return f'<a href="{target}">{text or self.name(node)}</a>'

    def value(self, node: Node) -> str:
        if not isinstance(node, Literal):
            return f"<code>{esc(str(node))}</code>"
        lex = str(node)
        if node.language:
            return f'<span lang="{esc(node.language)}">{esc(lex)}</span>'
        dt = node.datatype
        if dt is None or dt == XSD.string:
            return esc(lex)
        shown = f'<time datetime="{esc(lex)}">{esc(lex)}</time>' if dt in _DATES else esc(lex)
        return f'{shown} <small class="dt">{esc(str(dt).rsplit("#", 1)[-1])}</small>'

    def badge(self, status: Node | None) -> str:
        if not isinstance(status, URIRef):
            return ""
        local = str(status).rsplit("#", 1)[-1]
        en, zh = self.labels(status)
        return f'<span class="badge status-{esc(local)}">{both(en or local, zh or "")}</span>'

    # -- page frame --

    def page(self, here: str, title: str, body: str, head: str = "") -> bytes:
        home = self.href(here, "index.html")
        doc = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n"
            f'<link rel="stylesheet" href="{self.href(here, "style.css")}">\n{head}'
            "</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to content</a>\n'
            f'<header><a href="{home}">lowcarbon</a> · {both(*TITLE)}</header>\n'
            f'<main id="main">\n{body}</main>\n'
            f'<footer><p>{LICENCE[0]}</p><p lang="{ZH}">{esc(LICENCE[1])}</p>'
            f'<p><a href="{home}">{both("Dataset home", "資料集首頁")}</a> · '
            f'<a href="{self.href(here, "ontology.html")}">{both("Ontology", "本體")}</a></p>'
            f'<p class="release">{both(*footer_release())} · '
            f'<a href="{home}#cite">{both("How to cite", "引用方式")}</a></p></footer>\n'
            "</body>\n</html>\n"
        )
        return doc.encode("utf-8")

    # -- resource pages --

    def properties(self, node: URIRef, here: str) -> str:
        rows = []
        for p, objs in outgoing(self.g, node):
            en, zh = self.labels(p)
            text = esc(en or str(p)) + (f" <small>{zh_span(zh)}</small>" if zh else "")
            prop = self.link(p, here, text)
            vals = [self.link(o, here) for o in objs]
            cell = (
                vals[0]
                if len(vals) == 1
                else ('<ul class="values">' + "".join(f"<li>{v}</li>" for v in vals) + "</ul>")
            )
            rows.append(f'<tr><th scope="row">{prop}</th><td>{cell}</td></tr>\n')
        return (
            f"<section><h2>{both('Properties', '屬性')}</h2>\n"
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
        lines = "".join(f"<li>{esc(x)}</li>" for x in str(text).split("\n"))
        doc = self.g.value(item, DCTERMS.isPartOf)
        span = f"line {first}" if first == last else f"lines {first}–{last}"
        if isinstance(doc, URIRef) and doc in self.pages and self.source is not None:
            span = f'<a href="{self.href(here, self.pages[doc] + ".html")}#L{first}">{span}</a>'
        of = f" of {self.link(doc, here)}" if doc is not None else ""
        return (
            f'<figure class="source"><blockquote lang="{ZH}" cite="{esc(str(item))}">'
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
            roles = sorted(self.g.objects(s, self.lcd.role), key=n3_key)
            rows.append(
                f"<tr><td>{date}</td><td>{self.link(s, here)} <small>{', '.join(kinds)}</small>"
                f"</td><td>{self.badge(self.g.value(s, self.lcd.status))}</td>"
                f"<td>{', '.join(self.link(r, here) for r in roles)}</td></tr>\n"
            )
        cols = (("Date", "日期"), ("Statement", "陳述"), ("Status", "狀態"), ("Role", "角色"))
        return html_table(cols, rows, "timeline")

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
            title = both("Statements about this entity", "相關陳述")
            out = f"<section><h2>{title}</h2>\n{self.statement_table(stmts, here)}</section>\n"
        for p in sorted(groups, key=str):
            local = str(p)[len(str(self.lcd)) :] if str(p).startswith(self.lcd) else str(p)
            en, zh = INVERSE.get(local, (f"Is “{self.labels(p)[0] or p}” of", ""))
            items = sorted(groups[p], key=self.sort_key)
            lis = "".join(f"<li>{self.link(s, here)}</li>" for s in items)
            cls = ' class="cols"' if len(items) > 6 else ""
            out += f"<section><h2>{both(en, zh)}</h2>\n<ul{cls}>{lis}</ul></section>\n"
        return out

    def resource(self, node: URIRef) -> dict[str, bytes]:
        path = self.pages[node]
        here, stem = f"{path}.html", posixpath.basename(path)
        ttl = resource_turtle(self.g, node, base=self.base)
        jsonld = resource_jsonld(self.g, node, base=self.base)
        types = sorted((t for t in self.g.objects(node, RDF.type)), key=n3_key)
        en, zh = self.labels(node)
        body = f"<h1>{self.name(node)}</h1>\n"
        body += f'<p class="meta">{" · ".join(self.link(t, here) for t in types)}</p>\n'
        body += (
            f'<p class="iri">IRI <code>{esc(str(node))}</code> · this description as '
            f'<a href="{esc(stem)}.ttl" type="text/turtle">Turtle</a> · '
            f'<a href="{esc(stem)}.jsonld" type="application/ld+json">JSON-LD</a></p>\n'
        )
        sources = [node] if self.g.value(node, self.lcd.quote) is not None else []
        sources += sorted(
            (i for i in self.g.objects(node, PROV.wasDerivedFrom) if isinstance(i, URIRef)),
            key=str,
        )
        if sources:
            quotes = "".join(self.quote(i, here) for i in sources)
            body += f"<section><h2>{both('Source', '來源原文')}</h2>\n{quotes}</section>\n"
        if node == self.document and self.source is not None:
            body += source_text(self.source.decode("utf-8"), stem)
        body += self.properties(node, here) + self.links_in(node, here)
        head = (
            f'<link rel="alternate" type="text/turtle" href="{esc(stem)}.ttl">\n'
            f'<link rel="alternate" type="application/ld+json" href="{esc(stem)}.jsonld">\n'
            f'<script type="application/ld+json">\n{_script_json(jsonld)}</script>\n'
        )
        title = " · ".join(x for x in (zh, en) if x) or str(node)
        raw = {f"{path}.txt": self.source} if node == self.document and self.source else {}
        return {
            **raw,
            here: self.page(here, f"{title} — lowcarbon", body, head),
            f"{path}.ttl": ttl,
            f"{path}.jsonld": jsonld,
        }

    # -- index and ontology --

    def by_kind(self) -> dict[str, list[URIRef]]:
        kinds: dict[str, list[URIRef]] = defaultdict(list)
        for node, path in self.pages.items():
            kinds[path.split("/")[1]].append(node)
        for nodes in kinds.values():
            nodes.sort(key=self.sort_key)
        return kinds

    def index(self) -> bytes:
        here = "index.html"
        kinds = self.by_kind()
        order = sorted(kinds, key=lambda k: list(KINDS).index(k) if k in KINDS else 99)
        counts = [f'<tr><td>{both(*KINDS.get(k, (k, "")))}</td><td class="num">{len(kinds[k])}'
                  "</td></tr>" for k in order]  # fmt: skip
        counts.append(
            f'<tr><td>{both("Triples", "三元組")}</td><td class="num">{len(self.g)}</td></tr>'
        )
        nav = [(f"#{k}", KINDS[k]) for k in ("city", "organization", "declaration", "event")]
        nav += [("#downloads", ("Downloads", "下載")), ("ontology.html", ("Ontology", "本體"))]
        body = (
            f"<h1>{esc(TITLE[0])}<br>{zh_span(TITLE[1])}</h1>\n"
            f'<p>{esc(ABOUT[0])}</p>\n<p lang="{ZH}">{esc(ABOUT[1])}</p>\n<nav><p>'
            + " · ".join(f'<a href="{h}">{both(*t)}</a>' for h, t in nav)
            + f"</p></nav>\n<section><h2>{both('In numbers', '數量')}</h2>\n"
            + html_table((("What", "項目"), ("Count", "數量")), counts)
            + "</section>\n"
        )
        for kind in order:
            if kind not in _STATEMENT_KINDS and kind != "item":
                body += self.kind_section(kind, kinds[kind], here)
        stmts = [n for k in _STATEMENT_KINDS for n in kinds.get(k, [])]
        item_nodes = kinds.get("item", [])
        items = "".join(f"<li>{self.link(i, here)}</li>" for i in item_nodes)
        body += (
            f'<section id="statements"><h2>{both("Statements", "陳述")}</h2>\n<details><summary>'
            f"{both(f'All {len(stmts)} statements, by date', '依日期列出全部陳述')}</summary>\n"
            f"{self.statement_table(stmts, here)}</details></section>\n"
            f'<section id="item"><h2>{both(*KINDS["item"])}</h2>\n<details><summary>'
            f"{both(f'All {len(item_nodes)} items, in source order', '依原文順序')}"
            f"</summary>\n<ol>{items}</ol></details></section>\n"
            + self.downloads_section(here)
            + f"<section><h2>{both('Query', '查詢')}</h2>\n<p>Run <code>lowcarbon serve</code> "
            "to browse these pages locally with content negotiation (<code>/id/city/taipei</code> "
            "answers HTML, Turtle, N-Triples or JSON-LD) and a read-only SPARQL endpoint at "
            '<code>/sparql</code>. The <a href="ontology.html">ontology page</a> explains the '
            f"terms.</p></section>\n"
            + self.cite_section()
            + f"<section><h2>{both('Licence', '授權')}</h2>\n"
            f'<p>{LICENCE[0]}</p><p lang="{ZH}">{esc(LICENCE[1])}</p></section>\n'
        )
        return self.page(here, f"{TITLE[1]} · {TITLE[0]}", body)

    def cite_section(self) -> str:
        """How to cite: the text and BibTeX of the pinned release."""
        where = '<a href="#downloads">the DCAT metadata</a>'
        return (
            f'<section id="cite"><h2>{both("How to cite", "引用方式")}</h2>\n'
            f'<p class="citation">{esc(citation_text(self.base))}</p>\n'
            f'<pre class="bibtex"><code>{esc(bibtex(self.base))}</code></pre>\n'
            "<p>Also in <code>CITATION.cff</code> in the repository, and as "
            "<code>dcat:version</code>, <code>dcterms:issued</code> and "
            f"<code>dcterms:modified</code> in {where}.</p></section>\n"
        )

    def kind_section(self, kind: str, nodes: list[URIRef], here: str) -> str:
        """One section of the index: a table for the main kinds, a list for the others."""
        en, zh = KINDS.get(kind, (kind, ""))
        rows: list[str] = []
        if kind == "city":
            for n in nodes:
                st = [s for s in self.statements if self.g.value(s, self.lcd.city) == n]
                done = sum(1 for s in st if self.g.value(s, self.lcd.status) == self.lcd.done)
                rows.append(
                    f'<tr><td>{self.link(n, here)}</td><td class="num">{len(st)}</td>'
                    f'<td class="num">{done}</td></tr>'
                )
            table = html_table((("City", "縣市"), ("Statements", "陳述"), ("Done", "已完成")), rows)
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
            table = html_table(((("Date", "日期"),) if dated else ()) + cols, rows)
        else:
            lis = "".join(f"<li>{self.link(n, here)}</li>" for n in nodes)
            table = f'<ul class="cols">{lis}</ul>'
        return f'<section id="{esc(kind)}"><h2>{both(en, zh)}</h2>\n{table}</section>\n'

    def downloads_section(self, here: str) -> str:
        groups: dict[str, list[str]] = defaultdict(list)
        for path in self.downloads:
            groups[path.split("/")[0] if "/" in path else ""].append(path)
        out = ""
        for folder in sorted(groups, key=lambda f: list(FOLDERS).index(f) if f in FOLDERS else 99):
            en, zh = FOLDERS.get(folder, (folder, ""))
            lis = "".join(
                f'<li><a href="{self.href(here, f"{DATASET}/{p}")}">{esc(p)}</a></li>'
                for p in groups[folder]
            )
            out += f"<h3>{both(en, zh)}</h3>\n<ul>{lis}</ul>\n"
        return (
            f'<section id="downloads"><h2>{both("Downloads", "下載")}</h2>\n'
            "<p>The whole dataset, in the formats of <code>exports/</code>; each page here also "
            f"links its own Turtle and JSON-LD.</p>\n{out}</section>\n"
        )

    def ontology_page(self) -> bytes:
        here, ns = "ontology.html", str(self.lcd)
        names, rows = CompactNames(self.base), []
        for t in sorted({s for s in self.onto.subjects() if str(s).startswith(ns)}, key=str):
            local = str(t)[len(ns) :]
            types = sorted(names.curie(str(k), {}) for k in self.onto.objects(t, RDF.type))
            notes = sorted(
                (c for c in self.onto.objects(t, RDFS.comment) if isinstance(c, Literal)),
                key=n3_key,
            )
            rows.append(
                f'<tr id="{esc(local)}"><td><code>lcd:{esc(local)}</code></td>'
                f"<td>{self.name(t)}</td><td>{esc(', '.join(types))}</td>"
                f"<td>{''.join(f'<p>{self.value(c)}</p>' for c in notes)}</td></tr>\n"
            )
        cols = (("Term", "術語"), ("Label", "標籤"), ("Type", "類型"), ("Comment", "說明"))
        body = (
            f'<h1>{both("Ontology", "本體")}</h1>\n<p class="iri">Namespace <code>{esc(ns)}</code>'
            f' · <a href="{self.href(here, f"{DATASET}/ontology/lowcarbon.ttl")}">Turtle</a></p>\n'
            + html_table(cols, rows)
        )
        return self.page(here, "Ontology 本體 — lowcarbon", body)


def site_files(
    graph: Graph,
    ontology: Graph,
    *,
    base: str = DEFAULT_BASE,
    downloads: Collection[str] = (),
    dataset: Mapping[str, bytes] | None = None,
    source: bytes | None = None,
) -> dict[str, bytes]:
    """The static site: paths relative to the site folder -> bytes.

    One HTML page per resource under ``{base}id/`` (``id/city/taipei.html``) with its Turtle
    and JSON-LD beside it, ``index.html``, ``ontology.html`` and ``style.css``. ``dataset``
    (the files of ``exports/``, by path) is copied under ``exports/`` so that the folder can be
    served or deployed as it is, and the index links each of its files; without it the index
    links ``downloads`` (paths of ``exports/``), expected under the site's ``exports/``.
    ``source`` (the bytes of the source document) puts the document on its own page
    (``id/source/….html``, one anchor per line, which every quote links) and beside it as
    ``.txt``. Deterministic: the same graph gives the same bytes.
    """
    names = sorted(dataset) if dataset is not None else downloads
    site = _Site(graph, ontology, base, names, source)
    files: dict[str, bytes] = {
        "index.html": site.index(),
        "ontology.html": site.ontology_page(),
        "style.css": STYLE.encode("utf-8"),
    }
    for node in site.pages:
        files.update(site.resource(node))
    for path, data in (dataset or {}).items():
        files[f"{DATASET}/{path}"] = data
    return dict(sorted(files.items()))
