"""The static site: a page per resource, links that resolve, offline RDF, escaping, determinism."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import subprocess
import sys
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL

from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.publish.site import resource_jsonld, resource_paths, site_files

ROOT = Path(__file__).resolve().parent.parent
LCD = Namespace(f"{DEFAULT_BASE}ontology#")
ID = f"{DEFAULT_BASE}id/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
LANGS = {"en", "zh-Hant"}
SOURCE = ROOT / "data" / "source" / "honor-roll-2011.txt"
DOWNLOADS = sorted(
    p.relative_to(ROOT / "exports").as_posix() for p in (ROOT / "exports").rglob("*") if p.is_file()
)


@pytest.fixture(scope="module")
def site(pipe: Pipeline) -> dict[str, bytes]:
    """The pages, linking the committed dataset as downloads (not copied, to keep it small)."""
    return site_files(
        pipe.graph, pipe.ontology, base=pipe.base, downloads=DOWNLOADS, source=SOURCE.read_bytes()
    )


class Page(HTMLParser):
    """Collects links, ids, headings, languages and scripts; records nesting errors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()
        self.h1 = 0
        self.html_lang: str | None = None
        self.langs: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []  # (type, text)
        self.zh_text: list[str] = []  # text inside an element with lang="zh-Hant"
        self._lang_stack: list[str | None] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if a.get("id"):
            if a["id"] in self.ids:
                self.errors.append(f"duplicate id {a['id']}")
            self.ids.add(a["id"] or "")
        if a.get("lang"):
            self.langs.append(a["lang"] or "")
        for attr in ("href", "src"):
            if a.get(attr) is not None:
                self.links.append((tag, a[attr] or ""))
        if tag == "script":
            self._script = a.get("type")
        if tag not in VOID:
            self.stack.append(tag)
            self._lang_stack.append(a.get("lang"))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        self._lang_stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "script":
            self.scripts.append((self._script, data))
        lang = next((x for x in reversed(self._lang_stack) if x), self.html_lang)
        if lang == "zh-Hant":
            self.zh_text.append(data)


def parse(data: bytes) -> Page:
    p = Page()
    p.feed(data.decode("utf-8"))
    p.close()
    if p.stack:
        p.errors.append(f"unclosed {p.stack}")
    return p


@pytest.fixture(scope="module")
def pages(site: dict[str, bytes]) -> dict[str, Page]:
    return {path: parse(data) for path, data in site.items() if path.endswith(".html")}


def triples_of(g: Graph, node: URIRef, document: str | None = None) -> Graph:
    """The description of a resource: its triples both ways, and its document's own."""
    from rdflib.namespace import FOAF, VOID

    out = Graph()
    for t in (*g.triples((node, None, None)), *g.triples((None, None, node))):
        out.add(t)
    if document is not None:
        doc = URIRef(document)
        out.add((doc, RDF.type, FOAF.Document))
        out.add((doc, FOAF.primaryTopic, node))
        out.add((doc, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
        out.add((doc, VOID.inDataset, URIRef(f"{DEFAULT_BASE}dataset")))
    return out


def resources(g: Graph) -> set[URIRef]:
    return {x for t in g for x in (t[0], t[2]) if isinstance(x, URIRef) and str(x).startswith(ID)}


# -- files -----------------------------------------------------------------------------------


def test_a_page_and_rdf_for_every_resource(site: dict[str, bytes], pipe: Pipeline) -> None:
    nodes = resources(pipe.graph)
    assert len(nodes) > 200
    for node in nodes:
        stem = "id/" + str(node)[len(ID) :]
        for ext in (".html", ".ttl", ".jsonld", ".nt", ".rdf"):
            assert stem + ext in site, f"{node}: no {stem}{ext}"
    assert "id/item/kaohsiung/activity/p2-1.html" in site
    fixed = {"index.html", "ontology.html", "sparql.html", "404.html", "style.css", "favicon.svg"}
    assert fixed <= set(site)
    assert not any(p.startswith("exports/") for p in site), "no dataset given, none copied"
    lists = [p for p in site if p.startswith("list/")]  # the sortable tables, below
    assert len(site) == 5 * len(nodes) + len(fixed) + 1 + len(lists)  # + the source's raw text


def test_site_size_is_reasonable(site: dict[str, bytes]) -> None:
    total = sum(len(b) for b in site.values())
    assert total < 5_500_000, f"{total:,} bytes"  # 5.07 MB with the sortable tables


def test_deterministic_in_process(site: dict[str, bytes], pipe: Pipeline) -> None:
    again = site_files(
        pipe.graph, pipe.ontology, base=pipe.base, downloads=DOWNLOADS, source=SOURCE.read_bytes()
    )
    assert again == site


def test_deterministic_under_another_hash_seed(site: dict[str, bytes]) -> None:
    """Sets and dicts iterate in hash order: the bytes must not depend on PYTHONHASHSEED."""
    code = (
        "import hashlib, sys; from pathlib import Path;"
        "from lowcarbon.paths import Paths; from lowcarbon.pipeline import Pipeline;"
        "from lowcarbon.publish.site import site_files;"
        f"p = Pipeline(Paths(Path({str(ROOT)!r})));"
        f"f = site_files(p.graph, p.ontology, base=p.base, downloads={DOWNLOADS!r},"
        f" source=Path({str(SOURCE)!r}).read_bytes());"
        "h = hashlib.sha256();"
        "[h.update(k.encode() + b'\\0' + v) for k, v in sorted(f.items())];"
        "print(h.hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    h = hashlib.sha256()
    for k, v in sorted(site.items()):
        h.update(k.encode() + b"\0" + v)
    assert out.stdout.strip() == h.hexdigest()


def test_resource_paths_refuse_unsafe_iris() -> None:
    g = Graph()
    g.add((URIRef(f"{ID}city/..%2F..%2Fetc"), RDFS.label, Literal("x")))
    with pytest.raises(ValueError, match="page path"):
        resource_paths(g)
    g = Graph()
    g.add((URIRef(f"{ID}city/../../etc/passwd"), RDFS.label, Literal("x")))
    with pytest.raises(ValueError, match="page path"):
        resource_paths(g)


# -- HTML ------------------------------------------------------------------------------------


def test_html_is_well_formed(pages: dict[str, Page]) -> None:
    for path, p in pages.items():
        assert not p.errors, f"{path}: {p.errors}"
        assert p.h1 == 1, f"{path}: {p.h1} h1 elements"
        assert p.html_lang == "en", path
        assert set(p.langs) <= LANGS, f"{path}: {set(p.langs) - LANGS}"
        assert "zh-Hant" in p.langs, f"{path}: no Chinese text marked"


def test_every_internal_link_resolves(site: dict[str, bytes], pages: dict[str, Page]) -> None:
    exports = {p.relative_to(ROOT / "exports").as_posix() for p in (ROOT / "exports").rglob("*")}
    checked = 0
    for path, p in pages.items():
        for tag, url in p.links:
            if re.match(r"^[a-z]+:", url):
                assert url.startswith(("https://", "http://")), f"{path}: {url}"
                assert tag == "a", f"{path}: external resource <{tag} {url}>: must work offline"
                continue
            target, _, frag = url.partition("#")
            target = target.partition("?")[0]
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if not target:
                resolved = path
            if path == "404.html" and target:  # served at any depth: links start at the root
                assert url.startswith("/"), f"404.html: {url} is relative"
                resolved = url.lstrip("/").partition("#")[0]
            if resolved == "sparql":  # the endpoint of `lowcarbon serve`, not a file
                assert path == "sparql.html", f"{path}: links the endpoint {url}"
                checked += 1
                continue
            if resolved.startswith("exports/"):
                download = resolved.removeprefix("exports/")
                assert download in DOWNLOADS, f"{path}: {url} -> {resolved}"
                assert download in exports, f"{path}: {url} -> {resolved} missing"
            else:
                assert resolved in site, f"{path}: {url} -> {resolved} is not generated"
            if frag:
                assert frag in pages[resolved].ids, f"{path}: {url}: no id {frag!r}"
            checked += 1
    assert checked > 5000


def test_no_javascript_and_nothing_external(pages: dict[str, Page], site: dict[str, bytes]) -> None:
    for path, p in pages.items():
        assert {t for t, _ in p.scripts} <= {"application/ld+json"}, path
        for tag, url in p.links:
            if tag in ("link", "script", "img", "iframe", "source"):
                assert not re.match(r"^[a-z]+:|^//", url), f"{path}: <{tag}> loads {url}"
    assert b"@import" not in site["style.css"] and b"url(" not in site["style.css"]


def test_pages_link_their_rdf(site: dict[str, bytes]) -> None:
    html = site["id/city/taipei.html"].decode()
    assert '<link rel="alternate" type="text/turtle" href="taipei.ttl">' in html
    assert '<link rel="alternate" type="application/ld+json" href="taipei.jsonld">' in html
    assert "<title>臺北市 · Taipei City — lowcarbon</title>" in html


def test_property_names_come_from_the_ontology(site: dict[str, bytes]) -> None:
    html = site["id/membership/taoyuan--iclei.html"].decode()
    tech = html[html.index('id="technical"') :]
    assert (
        '<th scope="row"><a href="../../ontology.html#status">status '
        '<span lang="zh-Hant">狀態</span></a></th>' in tech
    )
    assert '<a href="../../ontology.html#done">done <span lang="zh-Hant">已完成</span></a>' in tech
    assert "date text" in tech and "start date" in tech


def test_no_datatype_beside_a_value(site: dict[str, bytes]) -> None:
    """Readers see "2007", not "2007 gYear"; the datatypes stay in the RDF documents."""
    for path, data in site.items():
        if path.endswith(".html") and path != "sparql.html":  # (its queries name datatypes)
            html = re.sub(r"<script.*?</script>", "", data.decode(), flags=re.S)
            for word in ("gYear", "XMLSchema#", "xsd:", "nonNegativeInteger", ">integer<"):
                assert word not in html, f"{path}: {word}"
    membership = site["id/membership/taoyuan--iclei.html"].decode()
    assert '<time datetime="2011-03-01">1 March 2011</time>' in membership


def test_technical_details_are_a_section_of_their_own(site: dict[str, bytes]) -> None:
    for page in ("id/city/taipei.html", "id/event/cop15.html", "id/item/taipei/org/1.html"):
        html = site[page].decode()
        story, tech = html.split('<section id="technical"', 1)
        assert "<code>https://w3id.org/lowcarbon-diplomacy/id/" not in story, page
        assert 'type="text/turtle">Turtle</a>' in tech and "IRI <code>" in tech, page


def test_language_tagged_values_keep_their_language(pages: dict[str, Page]) -> None:
    p = pages["id/city/taoyuan.html"]
    assert "桃園縣" in p.zh_text
    assert all("Taoyuan County" not in t for t in p.zh_text)


# -- inverse links and provenance ------------------------------------------------------------


def test_city_timeline_is_sorted_with_status_badges(site: dict[str, bytes]) -> None:
    html = site["id/city/taoyuan.html"].decode()
    timeline = html[html.index('class="timeline"') : html.index('id="technical"')]
    applied = timeline.index("taoyuan--iclei--applied.html")
    done = timeline.index("taoyuan--iclei.html")
    assert applied < done  # 2011-01-20 applied, then 2011-03-01 joined
    assert '<span class="badge status-applied">applied <span lang="zh-Hant">' in timeline
    assert '<span class="badge status-done">done <span lang="zh-Hant">已完成</span>' in timeline
    assert "20 January 2011" in timeline and "1 March 2011" in timeline
    tainan = site["id/city/tainan.html"].decode()
    assert 'class="badge status-planned"' in tainan  # the COP17 trip of December 2011
    dates = re.findall(r'<p class="when"><time datetime="([0-9-]+)">', tainan)
    assert dates == sorted(dates) and len(dates) > 3


def test_city_timeline_quotes_the_source_on_each_entry(site: dict[str, bytes]) -> None:
    html = site["id/city/taipei.html"].decode()
    timeline = html[html.index('<ol class="timeline">') : html.index("</ol></section>")]
    entries = timeline.split('<li class="entry">')[1:]
    assert len(entries) == 15  # Taipei's statements
    for e in entries:
        assert '<figure class="source">' in e and "source/honor-roll-2011.html#L" in e
    iclei = next(e for e in entries if "organization/iclei.html" in e)
    assert "1. 96年加入「地方環境行動國際委員會」（ICLEI）。" in iclei
    assert 'href="../source/honor-roll-2011.html#L66">line 66</a>' in iclei
    assert "Membership of" in iclei and "done" in iclei


def test_organization_lists_its_members(site: dict[str, bytes], pipe: Pipeline) -> None:
    html = site["id/organization/iclei.html"].decode()
    members = html[html.index('<section id="membership">') :]
    members = members[: members.index("</section>")]
    cities = {str(s) for s in pipe.graph.subjects(LCD.memberOf, URIRef(f"{ID}organization/iclei"))}
    assert len(cities) == 9
    for city in cities:
        assert f'href="../city/{city.rsplit("/", 1)[1]}.html"' in members


def test_event_lists_its_participants(site: dict[str, bytes]) -> None:
    html = site["id/event/cop15.html"].decode()
    part = html[html.index('<section id="participation">') :]
    part = part[: part.index("</section>")]
    assert 'href="../city/taipei.html"' in part and 'href="../city/kaohsiung.html"' in part
    assert "taipei--cop15.html" in html  # the statement in the timeline


def test_statement_and_item_pages_quote_the_source_lines(
    site: dict[str, bytes], pipe: Pipeline
) -> None:
    item = URIRef(f"{ID}item/taoyuan/org/1")
    quote = str(pipe.graph.value(item, LCD.quote))
    line = int(pipe.graph.value(item, LCD.lineStart).toPython())  # type: ignore[union-attr]
    for page in ("id/membership/taoyuan--iclei.html", "id/item/taoyuan/org/1.html"):
        html = site[page].decode()
        assert f'<ol class="lines" start="{line}"><li>{quote}</li></ol>' in html, page
        assert f'#L{line}">line {line}</a> of' in html
        assert '<blockquote lang="zh-Hant"' in html


def test_index(site: dict[str, bytes], pages: dict[str, Page], pipe: Pipeline) -> None:
    html = site["index.html"].decode()
    assert "臺灣城市低碳外交知識圖譜" in html and "Taiwan City Low-Carbon Diplomacy" in html
    assert "CC BY 4.0" in html and "states no licence" in html
    for kind in ("city", "organization", "declaration", "event"):
        assert f'<section id="{kind}">' in html
    hrefs = {u for _, u in pages["index.html"].links}
    assert {"exports/rdf/lowcarbon.ttl", "exports/csv/cities.csv", "id/city/taipei.html"} <= hrefs
    assert f'<td class="num">{len(pipe.graph)}</td>' in html  # triples


def test_downloads_follow_the_build(pipe: Pipeline) -> None:
    files = site_files(pipe.graph, pipe.ontology, base=pipe.base, downloads=["rdf/x.ttl"])
    html = files["index.html"].decode()
    assert 'href="exports/rdf/x.ttl"' in html and "csv/cities.csv" not in html


def test_the_site_carries_the_dataset_it_links(pipe: Pipeline) -> None:
    dataset = {"rdf/x.ttl": b"x", "csv/y.csv": b"y", "README.md": b"z"}
    files = site_files(pipe.graph, pipe.ontology, base=pipe.base, dataset=dataset)
    assert {p: files[f"exports/{p}"] for p in dataset} == dataset
    html = files["index.html"].decode()
    for p in dataset:
        assert f'href="exports/{p}"' in html
    assert "csv/cities.csv" not in html  # only what the dataset holds


# -- RDF -------------------------------------------------------------------------------------


def test_embedded_jsonld_equals_the_resource_description(
    site: dict[str, bytes], pages: dict[str, Page], pipe: Pipeline, offline: None
) -> None:
    for node in sorted(resources(pipe.graph)):
        stem = "id/" + str(node)[len(ID) :]
        scripts = [text for kind, text in pages[stem + ".html"].scripts]
        assert len(scripts) == 1, stem
        assert json.loads(scripts[0]) == json.loads(site[stem + ".jsonld"]), stem
        g = Graph().parse(data=scripts[0], format="json-ld")
        assert isomorphic(g, triples_of(pipe.graph, node, f"{node}.jsonld")), stem


def test_resource_documents_parse_with_two_parsers(site: dict[str, bytes], pipe: Pipeline) -> None:
    for node in sorted(resources(pipe.graph)):
        stem = "id/" + str(node)[len(ID) :]
        for ext, fmt, ox_fmt in ((".ttl", "turtle", ox.RdfFormat.TURTLE),
                                 (".nt", "nt", ox.RdfFormat.N_TRIPLES),
                                 (".rdf", "xml", ox.RdfFormat.RDF_XML)):  # fmt: skip
            data = site[stem + ext]
            expected = triples_of(pipe.graph, node, f"{node}{ext}")
            assert isomorphic(Graph().parse(data=data, format=fmt), expected), (node, ext)
            ox_triples = {str(q.triple) for q in ox.parse(data, ox_fmt)}
            assert len(ox_triples) == len(expected), (node, ext)


def test_each_page_document_is_what_the_graph_writers_give(
    site: dict[str, bytes], pipe: Pipeline
) -> None:
    # The site writes each resource's documents from its triples (one names cache for every
    # page); the server and the library write them from a graph of the description. The
    # two must give the same bytes, for every resource.
    from lowcarbon.publish.resource import resource_turtle

    for node in sorted(resources(pipe.graph)):
        stem = "id/" + str(node)[len(ID) :]
        assert site[stem + ".ttl"] == resource_turtle(pipe.graph, node), node
        assert site[stem + ".jsonld"] == resource_jsonld(pipe.graph, node), node
    # a triple with the resource on both sides is written once, as a graph holds it
    g = Graph()
    city = URIRef(f"{ID}city/loop")
    g.add((city, RDF.type, LCD.LocalGovernment))
    g.add((city, RDFS.label, Literal("Loop", lang="en")))
    g.add((city, OWL.sameAs, city))
    files = site_files(g, pipe.ontology, base=DEFAULT_BASE)
    assert files["id/city/loop.ttl"] == resource_turtle(g, city)
    assert files["id/city/loop.nt"].count(b"owl#sameAs") == 1


def test_escaping(pipe: Pipeline, offline: None) -> None:
    g = Graph()
    city = URIRef(f"{ID}city/evil")
    nasty = '<script>alert("x")</script> & </script><!--'
    g.add((city, RDF.type, LCD.LocalGovernment))
    g.add((city, RDFS.label, Literal(nasty, lang="en")))
    g.add((city, RDFS.label, Literal("壞<b>市", lang="zh-Hant")))
    files = site_files(g, pipe.ontology, base=DEFAULT_BASE)
    html = files["id/city/evil.html"].decode()
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp;" in html
    page = parse(files["id/city/evil.html"])
    assert not page.errors
    ((_, script),) = page.scripts
    assert "</script" not in script and "<!--" not in script
    parsed = Graph().parse(data=script, format="json-ld")
    assert isomorphic(parsed, triples_of(g, city, f"{city}.jsonld"))
    assert json.loads(resource_jsonld(g, city)) == json.loads(script)
    index = files["index.html"].decode()
    assert "<script>alert" not in index


def test_another_base_moves_every_iri(paths: Paths) -> None:
    other = "https://example.org/lcd/"
    pipe = Pipeline(paths, base=other)
    files = site_files(pipe.graph, pipe.ontology, base=other)
    assert "id/city/taipei.html" in files
    leaks = [p for p, data in files.items() if b"w3id.org" in data]
    assert leaks == []
    assert f"<{other}id/city/taipei>".encode() not in files["id/city/taipei.ttl"]  # a CURIE
    assert f'"city": "{other}id/city/"'.encode() in files["id/city/taipei.jsonld"]


def test_site_command_writes_the_folder_and_leaves_exports(tmp_path: Path) -> None:
    from lowcarbon.cli import main

    before = {p: p.stat().st_mtime_ns for p in (ROOT / "exports").rglob("*") if p.is_file()}
    out = tmp_path / "site"
    assert main(["site", "--root", str(ROOT), "--out", str(out), "-q"]) == 0
    assert (out / "index.html").is_file() and (out / "id" / "city" / "taipei.html").is_file()
    dataset = sorted(p.relative_to(ROOT / "exports") for p in before)
    assert (
        sorted(p.relative_to(out / "exports") for p in (out / "exports").rglob("*") if p.is_file())
        == dataset
    )
    assert {p: p.stat().st_mtime_ns for p in before} == before


# -- the source on the site ------------------------------------------------------------------


def test_the_source_document_is_published_verbatim_with_an_anchor_per_line(
    site: dict[str, bytes], pages: dict[str, Page], pipe: Pipeline
) -> None:
    raw = SOURCE.read_bytes()
    assert site["id/source/honor-roll-2011.txt"] == raw
    ident = str(pipe.graph.value(URIRef(f"{ID}source/honor-roll-2011"), DCTERMS.identifier))
    assert ident == "sha256:" + hashlib.sha256(raw).hexdigest()
    lines = raw.decode("utf-8").split("\n")
    page = pages["id/source/honor-roll-2011.html"]
    assert {f"L{n}" for n in range(1, len(lines) + 1)} <= page.ids
    html = site["id/source/honor-roll-2011.html"].decode()
    for n in (1, 137, len(lines)):
        li = html[html.index(f'<li id="L{n}">') :]
        li = li[: li.index("</li>")]
        assert html_unescape(re.sub(r"<[^>]+>", "", li)).endswith(lines[n - 1]), n
    assert 'href="honor-roll-2011.txt"' in html


def test_every_quote_links_its_first_line(site: dict[str, bytes], pipe: Pipeline) -> None:
    checked = 0
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    for item in pipe.graph.subjects(LCD.quote, None):
        start = int(pipe.graph.value(item, LCD.lineStart).toPython())  # type: ignore[union-attr]
        end = int(pipe.graph.value(item, LCD.lineEnd).toPython())  # type: ignore[union-attr]
        quote = str(pipe.graph.value(item, LCD.quote))
        for part in quote.split("\n"):  # the quote is on the lines it names
            assert any(part.strip() in line for line in lines[start - 1 : end]), (item, part)
        html = site["id/" + str(item)[len(ID) :] + ".html"].decode()
        depth = str(item)[len(ID) :].count("/")
        target = "../" * depth + f"source/honor-roll-2011.html#L{start}"
        assert f'href="{target}"' in html, item
        checked += 1
    assert checked == 47


# -- templates, 404, favicon ------------------------------------------------------------------


def test_pages_come_from_templates_not_python_strings() -> None:
    """HTML is written in the autoescaping templates; Python only computes what they show."""
    publish = ROOT / "src" / "lowcarbon" / "publish"
    for module in publish.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for tag in ("<tr", "<td", "<li", "<section", "<h2", "<p>"):
            assert tag not in text, f"{module.name} builds HTML ({tag})"
    from lowcarbon.publish.site import ENV

    assert ENV.autoescape is True
    assert {"base.html", "city.html", "entity.html", "sparql.html"} <= set(ENV.list_templates())


def test_not_found_page_and_favicon(site: dict[str, bytes], pages: dict[str, Page]) -> None:
    from xml.etree import ElementTree

    page = pages["404.html"]
    assert {u for _, u in page.links} >= {"/style.css", "/favicon.svg", "/index.html"}
    assert "Not found" in site["404.html"].decode()
    svg = ElementTree.fromstring(site["favicon.svg"])  # noqa: S314 - our own bytes
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for path, p in pages.items():
        assert ("link", "/favicon.svg" if path == "404.html" else posixpath.relpath(
            "favicon.svg", posixpath.dirname(path) or ".")) in p.links, path  # fmt: skip


def test_every_page_links_the_sparql_page(site: dict[str, bytes], pages: dict[str, Page]) -> None:
    for path, p in pages.items():
        target = "/sparql.html" if path == "404.html" else posixpath.relpath(
            "sparql.html", posixpath.dirname(path) or ".")  # fmt: skip
        assert ("a", target) in p.links, path
    html = site["sparql.html"].decode()
    assert '<form method="get" action="sparql"' in html and "<textarea" in html


def test_each_kind_has_a_table_sortable_by_each_column(
    site: dict[str, bytes], pipe: Pipeline
) -> None:
    # list/{kind}.html and list/{kind}-{n}.html: every entity of the kind in each, sorted by
    # column n (numbers from the most, names by English name), the current heading marked with
    # aria-sort and the others linking their orders; no script (the previous test covers that).
    import re

    lcd = f"{pipe.base}ontology#"
    cities = {
        str(c) for c in pipe.graph.subjects(URIRef(f"{RDF}type"), URIRef(f"{lcd}LocalGovernment"))
    }
    pages = {p: site[p].decode("utf-8") for p in site if p.startswith("list/")}
    assert {"list/city.html", "list/city-1.html", "list/city-2.html"} <= set(pages)
    assert {"list/organization.html", "list/declaration.html", "list/event.html"} <= set(pages)

    def rows(page: str) -> list[list[str]]:
        body = page[page.index("<tbody>") : page.index("</tbody>")]
        return [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", body)]

    by_name, by_count = rows(pages["list/city.html"]), rows(pages["list/city-1.html"])
    linked = {re.search(r'href="\.\./id/city/([^".]+)\.html"', r[0]).group(1) for r in by_name}  # type: ignore[union-attr]
    assert {f"{pipe.base}id/city/{c}" for c in linked} == cities
    names = [re.sub(r"<[^>]+>", "", r[0]).lower() for r in by_name]
    assert names == sorted(names)
    counts = [int(r[1]) for r in by_count]
    assert counts == sorted(counts, reverse=True) and len(counts) == len(cities)
    assert sorted(map(tuple, by_name)) == sorted(map(tuple, by_count))  # the same rows
    head = pages["list/city-1.html"].split("<tbody>")[0]
    assert head.count("aria-sort=") == 1 and 'aria-sort="descending"' in head
    assert 'href="city.html"' in head and 'href="city-2.html"' in head
    assert 'href="list/city.html"' in site["index.html"].decode("utf-8")


def test_the_network_page_comes_from_the_report_with_its_figures(pipe: Pipeline) -> None:
    # With the dataset copied, network.html shows network/network.md: headings, findings,
    # the year table, the four figures from the copy, languages tagged; the index links it.
    dataset = {
        p.relative_to(ROOT / "exports").as_posix(): p.read_bytes()
        for p in (ROOT / "exports").rglob("*")
        if p.is_file()
    }
    files = site_files(pipe.graph, pipe.ontology, base=pipe.base, dataset=dataset)
    page = files["network.html"].decode("utf-8")
    assert "<h1>The co-participation network / " in page
    assert "The most connected city is Taipei City" in page
    assert '<h2><span lang="zh-Hant">發現</span></h2>' in page
    assert "<td>2010</td><td>9</td><td>30</td>" in page
    images = [m for m in page.split('<img src="')[1:]]
    srcs = [m.split('"', 1)[0] for m in images]
    assert len(srcs) == 4 and all(s in files for s in srcs), srcs
    assert 'href="network.html"' in files["index.html"].decode("utf-8")
    assert not parse(files["network.html"]).errors  # well-formed


def test_the_network_page_escapes_the_report_and_needs_the_dataset(pipe: Pipeline) -> None:
    hostile = b"# Title <script>alert(1)</script>\n\n- item `<b>code</b>`\n"
    files = site_files(pipe.graph, pipe.ontology, base=pipe.base,
                       dataset={"network/network.md": hostile})  # fmt: skip
    page = files["network.html"].decode("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in page
    without = site_files(pipe.graph, pipe.ontology, base=pipe.base, downloads=DOWNLOADS)
    assert "network.html" not in without
    assert 'href="network.html"' not in without["index.html"].decode("utf-8")
