"""Static open-data pages from Jinja2 templates: one page per resource, with its RDF."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from lowcarbon.export.registry import NETWORK_REPORT
from lowcarbon.graph.mapping import DEFAULT_BASE, SCHEMA
from lowcarbon.publish.cite import bibtex, citation_text, footer_release
from lowcarbon.publish.markdown import blocks
from lowcarbon.publish.resource import (
    DOCUMENTS,
    CompactNames,
    n3_key,
    resource_documents,
    resource_jsonld,
    resource_turtle,
)
from lowcarbon.publish.text import ABOUT, FAVICON, FOLDERS, KINDS, LICENCE, STYLE, TITLE
from lowcarbon.publish.views import TEMPLATES, Views, date_words, resource_paths
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = [
    "DATASET",
    "ENV",
    "STYLE",
    "nav",
    "page_context",
    "resource_jsonld",
    "resource_pages",
    "resource_paths",
    "resource_turtle",
    "site_files",
]

#: The folder of the site that holds a copy of the published dataset (``exports/``).
DATASET = "exports"
_STATEMENT_KINDS = tuple(k.segment for k in STATEMENT_KINDS)
_COUNTED = {"organization": "memberOf", "declaration": "signed", "event": "participatedIn"}


@pass_context
def _url(ctx: Context, target: str) -> str:
    """``target`` (a path from the site's root) relative to the page being rendered."""
    if ctx.get("absolute"):
        return "/" + target
    return _relative(target, posixpath.dirname(ctx["here"]) or ".")


@lru_cache(maxsize=65536)
def _relative(target: str, folder: str) -> str:
    """``posixpath.relpath``, remembered: pages of one folder link the same few targets."""
    return posixpath.relpath(target, folder)


#: The page templates (package data under ``templates/``), every value autoescaped.
ENV = Environment(
    loader=PackageLoader("lowcarbon.publish", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.globals["url"] = _url


def nav() -> list[dict[str, str]]:
    """The site's navigation: the kinds on the index, the source, SPARQL."""
    items = [(f"index.html#{k}", *KINDS[k]) for k in ("city", "organization", "declaration")]
    items += [("index.html#event", *KINDS["event"]), ("index.html#source", "Source", "原文")]
    items += [("sparql.html", "SPARQL", "查詢")]
    return [{"href": h, "en": en, "zh": zh} for h, en, zh in items]


def page_context(here: str, title: str, *, absolute: bool = False) -> dict[str, Any]:
    """What every page's frame (``base.html``) needs."""
    return {
        "here": here,
        "absolute": absolute,
        "title": title,
        "nav": nav(),
        "alternates": [],
        "jsonld": None,
        "licence_en": Markup(LICENCE[0]),  # noqa: S704 - our own constant, with its link
        "licence_zh": LICENCE[1],
        "release": footer_release(),
    }


def _script_json(data: bytes) -> Markup:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so nothing ends it early."""
    text = data.decode("utf-8")
    safe = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(safe)  # noqa: S704 - nothing in it can end the element


def _size(n: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


class _Site:
    def __init__(
        self,
        graph: Graph,
        ontology: Graph,
        base: str,
        downloads: Mapping[str, int | None],
        source: bytes | None,
    ) -> None:
        self.v = Views(graph, ontology, base, source)
        self.g, self.onto, self.base, self.lcd = graph, ontology, base, self.v.lcd
        self.downloads = dict(sorted(downloads.items()))
        self.source = source

    def render(self, template: str, here: str, title: str, **ctx: Any) -> bytes:
        context = {**page_context(here, title, absolute=here == "404.html"), **ctx}
        return ENV.get_template(template).render(context).encode("utf-8")

    # -- resource pages --

    def resource(self, node: URIRef) -> dict[str, bytes]:
        path = self.v.pages[node]
        here, stem = f"{path}.html", posixpath.basename(path)
        docs = resource_documents(self.g, node, base=self.base)
        en, zh = self.v.labels(node)
        title = " · ".join(x for x in (zh, en) if x) or str(node)
        template = TEMPLATES.get(path.split("/")[1], "resource.html")
        html = self.render(
            template,
            here,
            f"{title} — lowcarbon",
            r=self.v.resource(node, DOCUMENTS),
            alternates=[{"type": m, "href": stem + e} for e, m, _ in DOCUMENTS],
            jsonld=_script_json(docs[".jsonld"]),
        )
        out = {here: html, **{path + ext: data for ext, data in docs.items()}}
        if node == self.v.document and self.source is not None:
            out[f"{path}.txt"] = self.source
        return out

    # -- index --

    def by_kind(self) -> dict[str, list[URIRef]]:
        kinds: dict[str, list[URIRef]] = defaultdict(list)
        for node, path in self.v.pages.items():
            kinds[path.split("/")[1]].append(node)
        for nodes in kinds.values():
            nodes.sort(key=self.v.sort_key)
        return kinds

    def kind_section(self, kind: str, nodes: list[URIRef]) -> dict[str, Any]:
        """One section of the index: a table for the main kinds, a list for the others."""
        en, zh = KINDS.get(kind, (kind, ""))
        out: dict[str, Any] = {"id": kind, "en": en, "zh": zh, "rows": [], "links": []}

        def num(n: int) -> dict[str, Any]:
            return {"text": str(n), "num": True, "link": None}

        if kind == "city":
            out["cols"] = [
                ("City", "縣市"),
                ("Statements", "陳述", "num"),
                ("Done", "已完成", "num"),
            ]
            made: dict[Node, int] = defaultdict(int)
            done: dict[Node, int] = defaultdict(int)
            for s, n in self.g.subject_objects(self.lcd.city):  # one pass, not one per city
                if s in self.v.statements:
                    made[n] += 1
                    done[n] += self.g.value(s, self.lcd.status) == self.lcd.done
            for n in nodes:
                out["rows"].append(
                    [{"link": self.v.link(n), "num": False}, num(made[n]), num(done[n])]
                )
        elif kind in _COUNTED:
            counted, dated = self.lcd[_COUNTED[kind]], kind == "event"
            out["cols"] = [("Name", "名稱"), ("Cities (done)", "城市（已完成）", "num")]
            if dated:
                out["cols"].insert(0, ("Date", "日期"))
            for n in sorted(nodes, key=lambda n: str(self.g.value(n, SCHEMA.startDate) or "")):
                row = [{"link": self.v.link(n), "num": False},
                       num(len(set(self.g.subjects(counted, n))))]  # fmt: skip
                if dated:
                    d = date_words(self.g.value(n, SCHEMA.startDate))
                    row.insert(0, {"date": d, "link": None, "num": False})
                out["rows"].append(row)
        else:
            out["links"] = [self.v.link(n) for n in nodes]
        return out

    def index(self) -> tuple[bytes, list[dict[str, Any]]]:
        """The front page, and its sections of the main kinds (for the sortable tables)."""
        kinds = self.by_kind()
        order = sorted(kinds, key=lambda k: list(KINDS).index(k) if k in KINDS else 99)
        counts = [{"en": KINDS.get(k, (k, ""))[0], "zh": KINDS.get(k, (k, ""))[1],
                   "n": len(kinds[k])} for k in order]  # fmt: skip
        counts.append({"en": "Triples", "zh": "三元組", "n": len(self.g)})
        sections = [
            {"href": f"#{k}", "en": KINDS[k][0], "zh": KINDS[k][1]}
            for k in ("city", "organization", "declaration", "event")
        ]
        sections += [{"href": h, "en": en, "zh": zh} for h, en, zh in (
            ("#source", "Source", "原文"), ("#downloads", "Downloads", "下載"),
            ("sparql.html", "SPARQL", "查詢"), ("#cite", "How to cite", "引用方式"),
            ("ontology.html", "Ontology", "本體"))]  # fmt: skip
        if self.downloads.get(NETWORK_REPORT) is not None:  # the dataset is copied: a page
            sections.append({"href": "network.html", "en": "Network", "zh": "網絡"})
        shown = [k for k in order if k not in _STATEMENT_KINDS and k not in ("item", "source")]
        raw = None
        if self.source is not None and self.v.document in self.v.pages:
            raw = self.v.pages[self.v.document] + ".txt"
        sections_of_kinds = [self.kind_section(k, kinds[k]) for k in shown]
        for sec in sections_of_kinds:
            sec["list"] = list_page(sec["id"], 0) if sec["rows"] else None
        page = self.render(
            "index.html",
            "index.html",
            f"{TITLE[1]} · {TITLE[0]}",
            title_en=TITLE[0],
            title_zh=TITLE[1],
            about=ABOUT,
            sections=sections,
            counts=counts,
            kinds=sections_of_kinds,
            source=self.v.link(self.v.document),
            source_raw=raw,
            items=[self.v.link(i) for i in kinds.get("item", [])],
            downloads=self.downloads_groups(),
            citation=citation_text(self.base),
            bibtex=bibtex(self.base),
            dcat="#downloads",
        )
        return page, sections_of_kinds

    def downloads_groups(self) -> list[dict[str, Any]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for path in self.downloads:
            groups[path.split("/")[0] if "/" in path else ""].append(path)
        out = []
        for folder in sorted(groups, key=lambda f: list(FOLDERS).index(f) if f in FOLDERS else 99):
            en, zh = FOLDERS.get(folder, (folder, ""))
            files = []
            for p in groups[folder]:
                size = self.downloads[p]
                href = f"{DATASET}/{p}"
                files.append({"path": p, "href": href, "size": _size(size) if size else None})
            out.append({"en": en, "zh": zh, "files": files})
        return out

    # -- one sortable table per kind --

    def list_pages(self, sections: list[dict[str, Any]]) -> dict[str, bytes]:
        """``list/{kind}.html`` and ``list/{kind}-{n}.html``: each table sorted by column n.

        Sorting is done here, once per column, and each heading links the page of its order:
        the tables sort without JavaScript (the pages allow none). Names sort by English
        name, numbers from the most, dates from the earliest (undated last).
        """
        out: dict[str, bytes] = {}
        for sec in sections:
            if not sec["rows"]:
                continue
            kind, cols = sec["id"], sec["cols"]
            nums = [len(c) > 2 and c[2] == "num" for c in cols]
            for j in range(len(cols)):
                rows = sorted(sec["rows"], key=lambda r: _sort_key(r[j]), reverse=nums[j])
                here = list_page(kind, j)
                columns = [
                    {
                        "en": c[0],
                        "zh": c[1],
                        "num": nums[i],
                        "current": i == j,
                        "order": "descending" if nums[i] else "ascending",
                        "href": list_page(kind, i),
                    }
                    for i, c in enumerate(cols)
                ]
                out[here] = self.render(
                    "list.html",
                    here,
                    f"{sec['en']} {sec['zh']} — lowcarbon",
                    kind=sec,
                    columns=columns,
                    rows=rows,
                )
        return out

    # -- ontology, SPARQL, 404 --

    def ontology_page(self) -> bytes:
        ns = str(self.lcd)
        names, terms = CompactNames(self.base), []
        for t in sorted({s for s in self.onto.subjects() if str(s).startswith(ns)}, key=str):
            types = sorted(names.curie(str(k), {}) for k in self.onto.objects(t, RDF.type))
            notes = sorted(
                (c for c in self.onto.objects(t, RDFS.comment) if isinstance(c, Literal)),
                key=n3_key,
            )
            terms.append({
                "local": str(t)[len(ns) :],
                "name": self.v.name(t),
                "types": ", ".join(types),
                "comments": [{"text": str(c), "lang": c.language} for c in notes],
            })  # fmt: skip
        return self.render(
            "ontology.html",
            "ontology.html",
            "Ontology 本體 — lowcarbon",
            ns=ns,
            terms=terms,
            turtle=f"{DATASET}/ontology/lowcarbon.ttl",
        )

    def sparql_page(self) -> bytes:
        from lowcarbon.publish.sparqlpage import sparql_html

        return sparql_html(self.base, query=None, result=None, error=None)

    def network_page(self, dataset: Mapping[str, bytes] | None) -> dict[str, bytes]:
        """``network.html``: the network's findings, tables and figures, if the dataset has them."""
        report = (dataset or {}).get(NETWORK_REPORT)
        if report is None:
            return {}
        folder = posixpath.dirname(NETWORK_REPORT)
        found = blocks(report.decode("utf-8"))
        for b in found:
            if b["kind"] == "img":  # relative to the report: under the site's copy
                b["src"] = posixpath.normpath(f"{DATASET}/{folder}/{b['src']}")
        files = [
            {"path": p, "href": f"{DATASET}/{p}"}
            for p in sorted(dataset or {})
            if p.startswith(f"{folder}/") and p.count("/") == 1 and p != NETWORK_REPORT
        ]
        page = self.render(
            "network.html", "network.html", "Network 網絡 — lowcarbon", blocks=found, files=files
        )
        return {"network.html": page}

    def not_found(self) -> bytes:
        return self.render("404.html", "404.html", "Not found 找不到頁面 — lowcarbon")


def list_page(kind: str, column: int) -> str:
    """The path of the table of ``kind`` sorted by ``column`` (0: the name, the default)."""
    return f"list/{kind}.html" if column == 0 else f"list/{kind}-{column}.html"


def _sort_key(cell: dict[str, Any]) -> tuple[Any, ...]:
    """A table cell's sort key: a number, a date (undated last), or a name."""
    if cell.get("num"):
        return (int(cell["text"]),)
    if "date" in cell:
        d = cell["date"]
        return (d is None, d["iso"] if d else "")
    link = cell.get("link") or {}
    return ((link.get("en") or link.get("zh") or "").lower(), link.get("href") or "")


def _downloads(
    downloads: Iterable[str], dataset: Mapping[str, bytes] | None
) -> dict[str, int | None]:
    if dataset is not None:
        return {p: len(b) for p, b in dataset.items()}
    return dict.fromkeys(downloads)


def resource_pages(
    graph: Graph, ontology: Graph, *, base: str = DEFAULT_BASE, source: bytes | None = None
) -> dict[str, bytes]:
    """The site's files that do not depend on the dataset's, the bulk of it.

    Every resource's page with its documents beside it, ``ontology.html``, ``sparql.html``,
    ``404.html``, the style sheet and the icon. A build makes them before the dataset's files
    are done, and hands them to :func:`site_files` (``pages``).
    """
    site = _Site(graph, ontology, base, {}, source)
    files: dict[str, bytes] = {
        "ontology.html": site.ontology_page(),
        "sparql.html": site.sparql_page(),
        "404.html": site.not_found(),
        "style.css": STYLE.encode("utf-8"),
        "favicon.svg": FAVICON.encode("utf-8"),
    }
    for node in site.v.pages:
        files.update(site.resource(node))
    return files


def site_files(
    graph: Graph,
    ontology: Graph,
    *,
    base: str = DEFAULT_BASE,
    downloads: Collection[str] = (),
    dataset: Mapping[str, bytes] | None = None,
    source: bytes | None = None,
    pages: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The static site: paths relative to the site folder -> bytes.

    One HTML page per resource under ``{base}id/`` (``id/city/taipei.html``) with its Turtle
    and JSON-LD beside it, ``index.html``, ``ontology.html``, ``sparql.html``, ``404.html``,
    ``style.css`` and ``favicon.svg``. ``dataset`` (the files of ``exports/``, by path) is
    copied under ``exports/`` so that the folder can be served or deployed as it is, and the
    index links each of its files with its size; without it the index links ``downloads``
    (paths of ``exports/``), expected under the site's ``exports/``. ``source`` (the bytes of
    the source document) puts the document on its own page (``id/source/….html``, one anchor
    per line, which every quote links) and beside it as ``.txt``. Deterministic: the same
    graph gives the same bytes. ``pages``: :func:`resource_pages` of the same arguments, if
    made already.
    """
    site = _Site(graph, ontology, base, _downloads(downloads, dataset), source)
    if pages is None:
        pages = resource_pages(graph, ontology, base=base, source=source)
    index, sections = site.index()
    files: dict[str, bytes] = {
        **pages,
        "index.html": index,
        **site.list_pages(sections),
        **site.network_page(dataset),
    }
    for path, data in (dataset or {}).items():
        files[f"{DATASET}/{path}"] = data
    return dict(sorted(files.items()))
