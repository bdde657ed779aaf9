"""Dataset metadata: DCAT 3, VoID and schema.org, computed from the graph and the files."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, VOID
from rdflib.term import Node

from lowcarbon.export.rdf import media_type
from lowcarbon.export.registry import DATA_DUMPS, GRAPH_DUMPS, SELF_DESCRIBING
from lowcarbon.export.schemaorg import IANA, SPDX, schema_org
from lowcarbon.export.syntax import Statements, json_bytes, turtle
from lowcarbon.export.tables import CC_BY
from lowcarbon.graph.mapping import DEFAULT_BASE, WIKIDATA, Minter, bind_prefixes
from lowcarbon.vocab import GRAPH_NAMES, RELEASE

__all__ = [
    "DATA_DUMPS",
    "GRAPH_DUMPS",
    "SELF_DESCRIBING",
    "SPDX",
    "metadata_files",
    "metadata_graph",
    "schema_org",
    "void_graph",
]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

_ZH = "zh-Hant"
_TITLE = {
    "en": "Taiwan City Low-Carbon Diplomacy Knowledge Graph",
    _ZH: "臺灣城市低碳外交知識圖譜",
}
_DESCRIPTION = {
    "en": "What ten Taiwanese cities and counties reported of their international climate "
    "cooperation from 2004 to June 2011: the organizations they joined, the declarations they "
    "signed and the events they attended or hosted, as qualified statements traced to the "
    "lines of the government attachment 城市低碳外交榮譽榜 they come from.",
    _ZH: "臺灣十個縣市於民國93年至100年6月提報之國際低碳參與：加入之國際組織、簽署之減量協議"
    "或宣言、參與或舉辦之國際交流活動；每一陳述皆可追溯至政府附件「城市低碳外交榮譽榜」之原文行。",
}
_CATALOG_TITLE = {"en": "lowcarbon open data catalog", _ZH: "lowcarbon 開放資料目錄"}
_CATALOG_DESCRIPTION = {
    "en": "The datasets published by the lowcarbon project.",
    _ZH: "lowcarbon 專案發布之資料集。",
}
_KEYWORDS = {
    "en": ("ICLEI", "Taiwan", "city diplomacy", "climate change", "knowledge graph",
           "local government", "low-carbon diplomacy"),
    _ZH: ("低碳外交", "城市外交", "氣候變遷", "地方政府", "臺灣", "知識圖譜"),
}  # fmt: skip
_RIGHTS = {
    "en": "The project's own work (ontology, shapes, catalog, links and the generated exports) "
    "is licensed CC BY 4.0. The source document is a Taiwanese government publication that "
    "states no licence; the project claims none for it and republishes it verbatim only for "
    "provenance.",
    _ZH: "本專案自行整理之成果（本體、形狀、目錄、連結及產出檔案）以 CC BY 4.0 授權。來源文件為"
    "臺灣政府出版品，未載明授權條款；本專案不對其主張任何授權，僅為溯源而原文轉載。",
}
_SOURCE_RIGHTS = {
    "en": "The document states no licence; none is claimed for it.",
    _ZH: "本文件未載明授權條款，本專案亦不對其主張任何授權。",
}
_SOURCE_DESCRIPTION = {
    "en": "Government attachment listing what ten cities and counties reported of their "
    "international low-carbon participation, ROC years 93 to 100年6月 (2004 to June 2011).",
    _ZH: "政府附件：各縣市提報之國際低碳參與具體成果（93年至100年6月）。",
}
_PUBLISHER = "lowcarbon contributors"
# Taiwan on Wikidata: Q865, as cited in shared/reference-facts.md (New Taipei's country), in a
# stored Europeana XSL (wkd2org.xsl maps Q865 to ISO 3166 code TW) and in a stored RDF
# description labelling Q865 "Taiwan"@en (owl:sameAs geonames 1668284).
_TAIWAN = URIRef("http://www.wikidata.org/entity/Q865")
_TAIWAN_PAGE = URIRef("https://www.wikidata.org/wiki/Q865")
_LANGUAGES = {
    "en": URIRef("http://id.loc.gov/vocabulary/iso639-1/en"),
    "zh": URIRef("http://id.loc.gov/vocabulary/iso639-1/zh"),
}
_EXAMPLES = ("id/city/taipei", "id/organization/iclei", "id/event/cop15")
_GRAPHS_TITLE = {
    "en": "Taiwan City Low-Carbon Diplomacy Knowledge Graph, with its ontology, shapes and "
    "metadata: four named graphs",
    _ZH: "臺灣城市低碳外交知識圖譜及其本體、形狀與詮釋資料：四個具名圖",
}
_GRAPH_TITLES = {
    "ontology": ("the ontology (lcd:)", "本體"),
    "shapes": ("the SHACL shapes", "SHACL 形狀"),
    "metadata": ("the metadata: DCAT and VoID", "詮釋資料：DCAT 與 VoID"),
}
_WIKIDATA_HOME = URIRef("https://www.wikidata.org/")
_EXAMPLE_STATEMENT = "id/membership/taipei--iclei"


def _namespace(iri: str) -> str:
    return iri[: max(iri.rfind("#"), iri.rfind("/")) + 1]


class _Builder:
    def __init__(self, base: str, download_base: str | None) -> None:
        self.m = Minter(base)
        self.base = base
        self.download = download_base if download_base is not None else f"{base}exports/"
        self.g = Graph(bind_namespaces="core")
        bind_prefixes(self.g, base)
        for prefix, ns in (("dcat", DCAT), ("void", VOID), ("spdx", SPDX), ("foaf", FOAF),
                           ("sd", SD)):  # fmt: skip
            self.g.bind(prefix, ns, override=True, replace=True)
        self.dataset = URIRef(f"{base}dataset")
        self.graphs = URIRef(f"{base}dataset/graphs")
        self.prefixes = {str(ns): p for p, ns in self.g.namespaces() if p}
        #: literals that depend on the size of this graph: (s, p) -> value from that size
        self.late: dict[tuple[URIRef, URIRef], Callable[[int], Literal]] = {}

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.g.add((s, p, o))

    def add_late(self, s: URIRef, p: URIRef, value: Callable[[int], Literal]) -> None:
        """A triple whose literal depends on how many triples this graph ends up with.

        A placeholder holds its place, so the count is known before the value is written;
        :meth:`finish` writes it. Replacing one literal by another keeps the count.
        """
        if (s, p) in self.late:
            raise ValueError(f"metadata: two late values for {s} {p}")
        self.late[(s, p)] = value
        self.add(s, p, Literal("pending"))

    def finish(self) -> Graph:
        size = len(self.g)
        for (s, p), value in self.late.items():
            self.g.remove((s, p, Literal("pending")))
            self.add(s, p, value(size))
        if len(self.g) != size:
            raise ValueError("metadata: a late value collided with another triple")
        return self.g

    def texts(self, s: URIRef, p: URIRef, by_lang: Mapping[str, str | Iterable[str]]) -> None:
        for lang, text in by_lang.items():
            for t in [text] if isinstance(text, str) else text:
                self.add(s, p, Literal(t, lang=lang))

    def slug(self, iri: str) -> str:
        """A readable, stable IRI segment for a term: ``lcd-Membership``, ``schema-Event``."""
        ns = _namespace(iri)
        local = iri[len(ns) :]
        if ns in self.prefixes and re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", local):
            return f"{self.prefixes[ns]}-{local}"
        return quote(iri, safe="")

    # -- DCAT --

    def agents_and_terms(self) -> URIRef:
        agent = self.iri("agent/lowcarbon-contributors")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, Literal(_PUBLISHER))
        license_ = URIRef(CC_BY)
        self.add(license_, RDF.type, DCTERMS.LicenseDocument)
        self.add(license_, RDFS.label, Literal("Creative Commons Attribution 4.0 International",
                                               lang="en"))  # fmt: skip
        for lang in _LANGUAGES.values():
            self.add(lang, RDF.type, DCTERMS.LinguisticSystem)
        self.add(_TAIWAN, RDF.type, DCTERMS.Location)
        self.texts(_TAIWAN, RDFS.label, {"en": "Taiwan", _ZH: "臺灣"})
        self.add(_TAIWAN, DCTERMS.source, _TAIWAN_PAGE)
        self.add(SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm)
        return agent

    def catalog(self, agent: URIRef) -> None:
        c = URIRef(self.base)
        self.add(c, RDF.type, DCAT.Catalog)
        self.texts(c, DCTERMS.title, _CATALOG_TITLE)
        self.texts(c, DCTERMS.description, _CATALOG_DESCRIPTION)
        self.add(c, DCTERMS.publisher, agent)
        self.add(c, DCTERMS.license, URIRef(CC_BY))
        self.add(c, DCAT.dataset, self.dataset)
        for lang in _LANGUAGES.values():
            self.add(c, DCTERMS.language, lang)

    def dataset_(self, data: Graph, agent: URIRef) -> None:
        d, doc = self.dataset, self.m.document()
        for cls in (DCAT.Dataset, VOID.Dataset, SD.Graph):
            self.add(d, RDF.type, cls)
        self.texts(d, DCTERMS.title, _TITLE)
        self.texts(d, DCTERMS.description, _DESCRIPTION)
        self.texts(d, DCAT.keyword, _KEYWORDS)
        # the release, pinned in vocab.RELEASE (never the build clock)
        self.add(d, URIRef(f"{DCAT}version"), Literal(RELEASE.version))  # DCAT 3
        self.add(d, DCTERMS.issued, Literal(RELEASE.issued, datatype=XSD.date))
        self.add(d, DCTERMS.modified, Literal(RELEASE.modified, datatype=XSD.date))
        period = self.iri("dataset/temporal")
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, Literal("2004", datatype=XSD.gYear))
        self.add(period, DCAT.endDate, Literal("2011-06", datatype=XSD.gYearMonth))
        self.add(d, DCTERMS.temporal, period)
        self.add(d, DCTERMS.spatial, _TAIWAN)
        for lang in _LANGUAGES.values():
            self.add(d, DCTERMS.language, lang)
        self.add(d, DCTERMS.source, doc)
        self.add(d, PROV.wasDerivedFrom, doc)
        self.add(d, DCTERMS.license, URIRef(CC_BY))
        rights = self.iri("dataset/rights")
        self.add(rights, RDF.type, DCTERMS.RightsStatement)
        self.texts(rights, RDFS.label, _RIGHTS)
        self.add(d, DCTERMS.rights, rights)
        self.add(d, DCTERMS.publisher, agent)
        self.add(d, DCTERMS.creator, agent)
        # the source document: DCAT-AP has dcterms:source range over datasets
        self.add(doc, RDF.type, DCAT.Dataset)
        self.add(doc, RDF.type, DCTERMS.BibliographicResource)
        titles = [o for o in data.objects(doc, DCTERMS.title) if isinstance(o, Literal)]
        labels = [o for o in data.objects(doc, RDFS.label) if isinstance(o, Literal)]
        for t in sorted(set(titles) | {x for x in labels if x.language == "en"}):
            self.add(doc, DCTERMS.title, t)
        self.texts(doc, DCTERMS.description, _SOURCE_DESCRIPTION)
        self.add(doc, DCTERMS.temporal, period)
        self.add(doc, DCTERMS.spatial, _TAIWAN)
        source_rights = self.iri("dataset/rights/source")
        self.add(source_rights, RDF.type, DCTERMS.RightsStatement)
        self.texts(source_rights, RDFS.label, _SOURCE_RIGHTS)
        self.add(doc, DCTERMS.rights, source_rights)

    def distributions(self, files: Mapping[str, bytes], sizes: Mapping[str, int]) -> None:
        """Every file as a distribution; the RDF dumps also as ``void:dataDump``, with counts.

        ``sizes`` are the triples of each named graph but the metadata's, which is this graph
        (its count is written by :meth:`finish`).
        """
        data_iri = f"{self.base}graph/data"
        for path in sorted(set(files) | set(SELF_DESCRIBING)):
            dist = self.iri(f"dataset/distribution/{path}")
            url = URIRef(self.download + path)
            mt = URIRef(IANA + media_type(path))
            self.add(self.dataset, DCAT.distribution, dist)
            self.add(dist, RDF.type, DCAT.Distribution)
            self.add(dist, DCTERMS.title, Literal(path))
            self.add(dist, DCAT.downloadURL, url)
            self.add(dist, DCAT.accessURL, url)
            self.add(dist, DCAT.mediaType, mt)
            self.add(mt, RDF.type, DCTERMS.MediaType)
            self.add(dist, DCTERMS.license, URIRef(CC_BY))
            if path in DATA_DUMPS:
                self.add(self.dataset, VOID.dataDump, url)
                self.add(dist, DCTERMS.description, Literal(
                    f"The data graph alone: {sizes['data']:,} triples, with no graph name. Load "
                    f"it into the named graph <{data_iri}>: the named queries read that graph.",
                    lang="en"))  # fmt: skip
            if path in GRAPH_DUMPS:
                self.add(self.graphs, VOID.dataDump, url)
                self.add_late(dist, DCTERMS.description, lambda meta: Literal(
                    f"All four named graphs, each under its name ({_counts(sizes, meta)}): load it "
                    "as it is. Holds the dataset's metadata, so it carries no size or checksum "
                    "of its own.", lang="en"))  # fmt: skip
                continue
            if path in SELF_DESCRIBING:
                self.add(dist, DCTERMS.description, Literal(
                    "Holds the dataset's metadata, so it carries no size or checksum of its own.",
                    lang="en"))  # fmt: skip
                continue
            data = files[path]
            self.add(dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger))
            checksum = self.iri(f"dataset/distribution/{path}/checksum")
            self.add(dist, SPDX.checksum, checksum)
            self.add(checksum, RDF.type, SPDX.Checksum)
            self.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
            digest = hashlib.sha256(data).hexdigest()
            self.add(checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary))

    def named_graphs(self, graph_iris: Mapping[str, str], sizes: Mapping[str, int]) -> None:
        """The four named graphs: a SPARQL service dataset, and a VoID dataset of each graph.

        The data graph's VoID dataset is the dataset itself (``void:triples`` of the data);
        the dumps of all four graphs are the ``void:dataDump`` of ``{base}dataset/graphs``,
        whose ``void:triples`` counts every quad, this metadata graph's own included.
        """
        g = self.graphs
        for cls in (VOID.Dataset, SD.Dataset):
            self.add(g, RDF.type, cls)
        self.texts(g, DCTERMS.title, _GRAPHS_TITLE)
        self.add_late(g, VOID.triples, lambda meta: Literal(sum(sizes.values()) + meta))
        for name in (n for n in GRAPH_NAMES if n in graph_iris):
            node = self.iri(f"dataset/graph/{name}")
            self.add(g, SD.namedGraph, node)
            self.add(node, RDF.type, SD.NamedGraph)
            self.add(node, SD.name, URIRef(graph_iris[name]))
            self.add(node, RDFS.label, Literal(f"the {name} graph", lang="en"))
            content = self.dataset if name == "data" else self.iri(f"dataset/graph/{name}/content")
            self.add(node, SD.graph, content)
            self.add(g, VOID.subset, content)
            if name == "data":
                continue
            for cls in (VOID.Dataset, SD.Graph):
                self.add(content, RDF.type, cls)
            en, zh = _GRAPH_TITLES[name]
            self.texts(content, DCTERMS.title, {"en": en, _ZH: zh})
            if name == "metadata":
                self.add_late(content, VOID.triples, Literal)
            else:
                self.add(content, VOID.triples, Literal(sizes[name]))

    def linksets(self, data: Graph) -> None:
        """The ``owl:sameAs`` links to Wikidata as a ``void:Linkset`` of the dataset."""
        links = [o for o in data.objects(None, OWL.sameAs) if str(o).startswith(WIKIDATA)]
        if not links:
            return
        wd = self.iri("dataset/wikidata")
        self.add(wd, RDF.type, VOID.Dataset)
        self.add(wd, DCTERMS.title, Literal("Wikidata", lang="en"))
        self.add(wd, FOAF.homepage, _WIKIDATA_HOME)
        self.add(wd, VOID.uriSpace, Literal(WIKIDATA))
        ls = self.iri("dataset/linkset/wikidata")
        self.add(ls, RDF.type, VOID.Linkset)
        self.texts(ls, DCTERMS.title, {"en": "Links to Wikidata", _ZH: "連結至維基數據"})
        self.add(ls, VOID.subjectsTarget, self.dataset)
        self.add(ls, VOID.objectsTarget, wd)
        self.add(ls, VOID.linkPredicate, OWL.sameAs)
        self.add(ls, VOID.triples, Literal(len(links)))
        self.add(self.dataset, VOID.subset, ls)

    # -- VoID --

    def void(self, data: Graph, statements: Statements | None = None) -> None:
        d = self.dataset
        # one pass over the graph (each lookup of rdflib's store is slow at scale), or over
        # its statements when the caller has them read (the build does)
        subjects: set[Node] = set()
        objects: set[Node] = set()
        predicates: Counter[Node] = Counter()
        instances: dict[Node, set[Node]] = {}
        rdf_type = RDF.type
        triples = statements.triples() if statements is not None else data.triples((None,) * 3)
        for s, p, o in triples:
            subjects.add(s)
            objects.add(o)
            predicates[p] += 1
            if p == rdf_type:
                members = instances.setdefault(o, set())
                if isinstance(s, URIRef):
                    members.add(s)
        iri_subjects = {s for s in subjects if isinstance(s, URIRef)}
        classes = set(instances)

        def count(p: URIRef, n: int) -> None:
            self.add(d, p, Literal(n))

        count(VOID.triples, len(data))
        count(VOID.entities, len(iri_subjects))
        count(VOID.classes, len(classes))
        count(VOID.properties, len(predicates))
        count(VOID.distinctSubjects, len(subjects))
        count(VOID.distinctObjects, len(objects))
        for cls in sorted(classes, key=str):
            part = self.iri(f"dataset/class/{self.slug(str(cls))}")
            self.add(d, VOID.classPartition, part)
            self.add(part, RDF.type, VOID.Dataset)
            self.add(part, VOID["class"], cls)
            self.add(part, VOID.entities, Literal(len(instances[cls])))
        for p, n in sorted(predicates.items(), key=lambda kv: str(kv[0])):
            part = self.iri(f"dataset/property/{self.slug(str(p))}")
            self.add(d, VOID.propertyPartition, part)
            self.add(part, RDF.type, VOID.Dataset)
            self.add(part, VOID.property, p)
            self.add(part, VOID.triples, Literal(n))
        for ns in sorted({_namespace(str(t)) for t in [*predicates, *classes]}):
            self.add(d, VOID.vocabulary, URIRef(ns))
        self.add(d, VOID.uriSpace, Literal(f"{self.base}id/"))
        examples = [self.iri(p) for p in (*_EXAMPLES, _EXAMPLE_STATEMENT)]
        for e in examples:
            if e in iri_subjects:
                self.add(d, VOID.exampleResource, e)
        if self.iri(_EXAMPLE_STATEMENT) not in iri_subjects:
            typed = sorted(data.subjects(RDF.type, self.m.lcd.Statement), key=str)
            if typed:
                self.add(d, VOID.exampleResource, typed[0])


def _counts(sizes: Mapping[str, int], meta: int) -> str:
    """``data 2,468, ontology 462, shapes 889, metadata 720 triples; 4,539 quads``."""
    every = {**sizes, "metadata": meta}
    parts = ", ".join(f"{n} {every[n]:,}" for n in GRAPH_NAMES)
    return f"{parts} triples; {sum(every.values()):,} quads"


def metadata_graph(
    data: Graph,
    files: Mapping[str, bytes],
    *,
    base: str = DEFAULT_BASE,
    graph_iris: Mapping[str, str],
    graph_sizes: Mapping[str, int],
    download_base: str | None = None,
    statements: Statements | None = None,
) -> Graph:
    """The DCAT 3 catalog, dataset and distributions, with VoID statistics of ``data``.

    ``files`` maps paths relative to ``exports/`` to the bytes of every file the metadata
    describes; each gets a distribution with its size and SHA-256, except the files in
    ``SELF_DESCRIBING``, which are always listed, without either. ``graph_iris`` maps the names
    of the named graphs to their IRIs, ``graph_sizes`` the ontology's and the shapes' to their
    triple counts (the data's is ``len(data)``, the metadata's that of the graph made here).
    Download URLs are ``{download_base}{path}`` (default ``{base}exports/{path}``). Every node
    has an IRI; nothing depends on the clock. ``statements``: ``data`` read once
    (``Statements(data)``), if the caller has it: the statistics are counted from it.
    """
    b = _Builder(base, download_base)
    agent = b.agents_and_terms()
    b.catalog(agent)
    b.dataset_(data, agent)
    sizes = {"data": len(data), **{n: graph_sizes[n] for n in ("ontology", "shapes")}}
    b.distributions(files, sizes)
    b.named_graphs(graph_iris, sizes)
    b.linksets(data)
    b.void(data, statements)
    return b.finish()


def void_graph(meta: Graph) -> Graph:
    """The VoID part of a metadata graph: void: statements and the partitions they describe."""
    out = Graph(bind_namespaces="core")
    for prefix, ns in meta.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    parts = set(meta.objects(None, VOID.classPartition)) | set(
        meta.objects(None, VOID.propertyPartition)
    )
    for s, p, o in meta:
        if (
            str(p).startswith(str(VOID))
            or (p == RDF.type and str(o).startswith(str(VOID)))
            or s in parts
        ):
            out.add((s, p, o))
    described = set(out.subjects(RDF.type, VOID.Dataset)) | set(
        out.subjects(RDF.type, VOID.Linkset)
    )
    for s in described - parts:
        for o in meta.objects(s, DCTERMS.title):
            out.add((s, DCTERMS.title, o))
    return out


def metadata_files(meta: Graph, *, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """The metadata files: ``dcat.ttl`` (all of it), ``void.ttl`` and ``schema-org.jsonld``."""
    return {
        "metadata/dcat.ttl": turtle(meta),
        "metadata/schema-org.jsonld": json_bytes(schema_org(meta, base=base)),
        "metadata/void.ttl": turtle(void_graph(meta)),
    }
