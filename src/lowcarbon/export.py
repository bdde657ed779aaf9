"""Deterministic serializations of the graph and the exports README."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from io import BytesIO
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import is_ncname, split_uri
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from lowcarbon.pipeline import GRAPH_NAMES, graph_iri
from lowcarbon.rdf import DEFAULT_BASE, Minter, bind_prefixes

if TYPE_CHECKING:
    from rdflib.graph import _PredicateType, _SubjectType

__all__ = [
    "MEDIA_TYPES",
    "data_files",
    "dataset_files",
    "jsonld_context",
    "media_type",
    "prefixes",
    "readme",
]

#: Media type of each exported file, by extension (see :func:`media_type` for CSVW metadata).
MEDIA_TYPES: Mapping[str, str] = MappingProxyType(
    {
        ".ttl": "text/turtle",
        ".nt": "application/n-triples",
        ".jsonld": "application/ld+json",
        ".rdf": "application/rdf+xml",
        ".trig": "application/trig",
        ".nq": "application/n-quads",
        ".csv": "text/csv",
        ".json": "application/json",
        ".md": "text/markdown",
        ".graphml": "application/graphml+xml",
    }
)
_CSVW_METADATA = "csv-metadata.json"
_CSVW_MEDIA_TYPE = "application/csvm+json"
_ZH = "zh-Hant"
_STATEMENT_KINDS = ("membership", "signing", "participation", "hosting", "visit", "disclosure")
#: Well-known vocabularies of the ontology, shapes and metadata graphs (bound only if used).
_VOCABULARIES = {
    "rdf": str(RDF),
    "sh": "http://www.w3.org/ns/shacl#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "csvw": "http://www.w3.org/ns/csvw#",
}


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The fixed prefixes of every export: ``bind_prefixes`` plus statement kinds and vocabularies.

    A writer prints only the prefixes it uses; nothing is generated (no ``ns1:``).
    """
    g = Graph(bind_namespaces="none")
    bind_prefixes(g, base)
    out = {p: str(ns) for p, ns in g.namespaces()}
    out["lcdsh"] = f"{base}shapes#"
    for kind in _STATEMENT_KINDS:
        out[kind] = f"{base}id/{kind}/"
    for p, ns in _VOCABULARIES.items():
        out.setdefault(p, ns)
    return dict(sorted(out.items()))


def media_type(path: str) -> str:
    """Media type of an exported file: by extension, ``application/csvm+json`` for CSVW."""
    if PurePosixPath(path).name == _CSVW_METADATA:
        return _CSVW_MEDIA_TYPE
    ext = PurePosixPath(path).suffix
    if ext not in MEDIA_TYPES:
        raise ValueError(f"{path}: no media type for extension {ext!r}")
    return MEDIA_TYPES[ext]


# -- graphs in a canonical form ---------------------------------------------------------------


def _check_no_blank_nodes(g: Graph, what: str) -> None:
    for t in g.triples((None, None, None)):
        if any(isinstance(x, BNode) for x in t):
            s, p, o = t
            raise ValueError(
                f"{what} graph: blank node in ({s.n3()} {p.n3()} {o.n3()}); "
                "expected IRIs only (mint one in rdf.py)"
            )


def _term_key(t: Node) -> str:
    return t.n3()


def _sort_nodes(nodes: list[Any]) -> None:
    """Sort in place: by N-Triples form, then (stable) by rdflib's order (numbers by value)."""
    nodes.sort(key=_term_key)
    nodes.sort()


def _relabel(x: Node, prefix: str) -> Node:
    return BNode(prefix + x) if isinstance(x, BNode) else x


def _prepared(g: Graph, base: str, bnode_prefix: str = "") -> Graph:
    """A copy of ``g`` with the fixed prefixes, content-derived blank node labels, sorted triples.

    rdflib iterates a graph in hash order; the copy is filled in a total order so that every
    writer sees the same graph the same way under any ``PYTHONHASHSEED``.
    """
    out = Graph(bind_namespaces="none")
    for p, ns in prefixes(base).items():
        out.bind(p, ns, override=True, replace=True)
    triples: Iterable[tuple[Any, Any, Any]] = g.triples((None, None, None))
    if any(isinstance(x, BNode) for t in g.triples((None, None, None)) for x in t):
        canon = to_canonical_graph(g)
        if len(canon) != len(g):  # rdflib's RGDA1 once collapsed distinct blank nodes
            raise ValueError("blank node canonicalization lost triples")
        triples = [
            (_relabel(s, bnode_prefix), p, _relabel(o, bnode_prefix))
            for s, p, o in canon.triples((None, None, None))
        ]
    for t in sorted(triples, key=lambda t: tuple(_term_key(x) for x in t)):
        out.add(t)
    return out


# -- Turtle and TriG -------------------------------------------------------------------------


class _Turtle(TurtleSerializer):
    """rdflib's Turtle writer with subjects sorted by IRI, a total order and no header."""

    def __init__(self, store: Graph, depth: int = 0) -> None:
        super().__init__(store)
        self._base_depth = depth

    def orderSubjects(self) -> list[_SubjectType]:
        return sorted(self._subjects, key=lambda s: (isinstance(s, BNode), str(s)))

    def sortProperties(
        self, properties: Mapping[_PredicateType, list[Node]]
    ) -> list[_PredicateType]:
        for objects in properties.values():
            objects.sort(key=_term_key)  # ties in rdflib's order keep this order
        return super().sortProperties(properties)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        return super().get_pname(uri, gen_prefix=False)

    def indent(self, modifier: int = 0) -> str:
        return (self.depth + modifier + self._base_depth) * self.indentString

    def startDocument(self) -> None:
        self._started = True


def _turtle_body(g: Graph, depth: int = 0) -> tuple[str, dict[str, str]]:
    """The statements of ``g`` in Turtle, and the prefixes they use."""
    ser = _Turtle(g, depth)
    buf = BytesIO()
    ser.serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8").strip("\n"), {
        p: str(ns) for p, ns in ser.namespaces.items()
    }


def _prefix_header(used: Mapping[str, str]) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(used.items()))


def _turtle(g: Graph) -> bytes:
    body, used = _turtle_body(g)
    return "\n".join(x for x in (_prefix_header(used), body + "\n") if x.strip()).encode("utf-8")


def _trig(graphs: list[tuple[str, Graph]]) -> bytes:
    used: dict[str, str] = {}
    blocks = []
    for iri, g in graphs:
        if len(g) == 0:
            continue
        body, ns = _turtle_body(g, depth=1)
        for p, n in ns.items():
            if used.setdefault(p, n) != n:
                raise ValueError(f"prefix {p}: bound to {used[p]} and {n}")
        blocks.append(f"<{iri}> {{\n{body}\n}}\n")
    return (_prefix_header(used) + "\n" + "\n".join(blocks)).encode("utf-8")


# -- N-Triples, N-Quads, RDF/XML -------------------------------------------------------------


def _nt_lines(g: Graph) -> list[str]:
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line for line in text.split("\n") if line})


def _lines(lines: list[str]) -> bytes:
    return "".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(s: str) -> str:
    if _XML_FORBIDDEN.search(s):
        raise ValueError(f"{s!r}: a character XML 1.0 cannot carry")
    return escape(s, {"\r": "&#13;"})


def _rdfxml(g: Graph, ns: Mapping[str, str]) -> bytes:
    """RDF/XML of a graph without blank nodes: one ``rdf:Description`` per subject, sorted."""
    by_ns = sorted(ns.items(), key=lambda kv: -len(kv[1]))
    qnames: dict[Node, str] = {}
    used: dict[str, str] = {"rdf": str(RDF)}
    unbound: dict[Node, tuple[str, str]] = {}
    for p in sorted(set(g.predicates()), key=str):
        for prefix, n in by_ns:
            if str(p).startswith(n) and is_ncname(str(p)[len(n) :]):
                qnames[p] = f"{prefix}:{str(p)[len(n) :]}"
                used[prefix] = n
                break
        else:
            try:
                unbound[p] = split_uri(str(p))
            except ValueError:
                raise ValueError(f"predicate {p.n3()}: RDF/XML cannot write it") from None
    # Namespaces without a fixed prefix: ns1, ns2... in sorted order, as XML requires one.
    extra = {n: f"ns{i}" for i, n in enumerate(sorted({n for n, _ in unbound.values()}), 1)}
    for p, (n, local) in unbound.items():
        qnames[p] = f"{extra[n]}:{local}"
        used[extra[n]] = n
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out += [f"  xmlns:{p}={quoteattr(n)}" for p, n in sorted(used.items())]
    out[-1] += ">"
    for s in sorted(set(g.subjects()), key=str):
        out.append(f"  <rdf:Description rdf:about={quoteattr(str(s))}>")
        preds = sorted(set(g.predicates(s)), key=lambda p: (p != RDF.type, str(p)))
        for p in preds:
            objs = list(g.objects(s, p))
            _sort_nodes(objs)
            q = qnames[p]
            for o in objs:
                if isinstance(o, Literal):
                    attrs = f" xml:lang={quoteattr(o.language)}" if o.language else ""
                    attrs += f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype else ""
                    out.append(f"    <{q}{attrs}>{_xml_text(str(o))}</{q}>")
                else:
                    out.append(f"    <{q} rdf:resource={quoteattr(str(o))}/>")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return ("\n".join(out) + "\n").encode("utf-8")


# -- JSON-LD ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    """A context term for one property: its key and how its values are written."""

    key: str
    curie: str
    type: str | None = None  # "@id" or a datatype CURIE
    language: str | None = None
    container: str | None = None  # "@language": a language map


_LANG_MAPS: tuple[str, ...] = (
    "rdfs:label",
    "rdfs:comment",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:hiddenLabel",
    "skos:scopeNote",
    "skos:historyNote",
    "skos:definition",
    "dcterms:title",
    "dcterms:description",
    "schema:jobTitle",
)
_IRI_VALUED: tuple[str, ...] = (
    "dcterms:isPartOf",
    "dcterms:source",
    "owl:sameAs",
    "prov:wasDerivedFrom",
    "org:member",
    "org:organization",
    "schema:location",
    "schema:organizer",
    "schema:superEvent",
    "schema:containedInPlace",
    "schema:affiliation",
    "lcd:city",
    "lcd:target",
    "lcd:status",
    "lcd:role",
    "lcd:atEvent",
    "lcd:counterpart",
    "lcd:column",
    "lcd:reportedBy",
    "lcd:memberOf",
    "lcd:signed",
    "lcd:participatedIn",
    "lcd:hosted",
    "lcd:receivedVisit",
)
_TERMS: tuple[_Term, ...] = (
    *(_Term(c.split(":")[1], c, container="@language") for c in _LANG_MAPS),
    *(_Term(c.split(":")[1], c, type="@id") for c in _IRI_VALUED),
    # Dates are xsd:date, xsd:gYearMonth or xsd:gYear by precision: no coercion, so every date
    # is a value object that names its datatype, and the key stays the same.
    _Term("startDate", "schema:startDate"),
    _Term("endDate", "schema:endDate"),
    _Term("lat", "geo:lat", type="xsd:decimal"),
    _Term("long", "geo:long", type="xsd:decimal"),
    *(_Term(n, f"lcd:{n}", language=_ZH) for n in ("quote", "dateText", "subHeading")),
    *(_Term(n, f"lcd:{n}") for n in ("approximateDate", "itemNumber", "subList")),
    *(_Term(n, f"lcd:{n}") for n in ("lineStart", "lineEnd")),
    _Term("language", "dcterms:language"),
    _Term("identifier", "dcterms:identifier"),
    _Term("temporalCoverage", "schema:temporalCoverage"),
)


def _context_prefixes(base: str) -> dict[str, str]:
    """The prefixes of the data: the vocabularies of the other graphs are left out."""
    skip = (set(_VOCABULARIES) - {"rdf"}) | {"lcdsh"}
    return {p: ns for p, ns in prefixes(base).items() if p not in skip}


def _terms(base: str) -> list[_Term]:
    """The terms, keyed by the prefix they would clash with when that is their local name."""
    clash = set(_context_prefixes(base))
    return [
        _Term(t.curie, t.curie, t.type, t.language, t.container) if t.key in clash else t
        for t in _TERMS
    ]


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The JSON-LD 1.1 context of ``rdf/lowcarbon.jsonld``: short keys, CURIE ids, language maps."""
    ctx: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    ctx.update(_context_prefixes(base))
    for t in _terms(base):
        if t.key in ctx:
            raise ValueError(f"JSON-LD context: {t.key!r} defined twice")
        extra = {"@type": t.type, "@language": t.language, "@container": t.container}
        defn = {k: v for k, v in extra.items() if v is not None}
        ctx[t.key] = {"@id": t.curie, **defn} if defn else t.curie
    return ctx


class _Compactor:
    """Writes nodes of a blank-node-free graph in the compacted form of :func:`jsonld_context`."""

    def __init__(self, base: str) -> None:
        self.prefixes = sorted(_context_prefixes(base).items(), key=lambda kv: -len(kv[1]))
        self.terms = {self.expand(t.curie): t for t in _terms(base)}
        self.keys = {t.key for t in self.terms.values()}

    def expand(self, curie: str) -> str:
        prefix, local = curie.split(":", 1)
        return dict(self.prefixes)[prefix] + local

    def compact(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def fallback_key(self, p: str) -> str:
        key = self.compact(p)
        return p if key in self.keys else key

    def value(self, t: _Term | None, o: Node) -> Any:
        """``o`` as a value under the key of ``t`` (``None``: a key without coercion)."""
        plain = t is None or (t.type is None and t.language is None)
        if not isinstance(o, Literal):
            return self.compact(str(o)) if t and t.type == "@id" else {"id": self.compact(str(o))}
        lex = str(o)
        if o.language:
            if t and t.language == o.language:
                return lex
            return {"@value": lex, "@language": o.language}
        dt = o.datatype
        if dt is None or dt == XSD.string:
            return lex if plain else {"@value": lex}
        if t and t.type and self.expand(t.type) == str(dt):
            return lex
        if plain and dt == XSD.integer and re.fullmatch(r"-?(0|[1-9][0-9]*)", lex):
            return int(lex)
        if plain and dt == XSD.boolean and lex in ("true", "false"):
            return lex == "true"
        return {"@value": lex, "type": self.compact(str(dt))}

    def node(self, g: Graph, s: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.compact(str(s))}
        for p in sorted(set(g.predicates(s)), key=str):
            objs = list(g.objects(s, p))
            _sort_nodes(objs)
            if p == RDF.type and all(isinstance(o, URIRef) for o in objs):
                _put(out, "type", [self.compact(str(o)) for o in objs])
                continue
            t = self.terms.get(str(p))
            if t is not None and t.container == "@language":
                tagged = [o for o in objs if isinstance(o, Literal) and o.language]
                langs: dict[str, list[str]] = {}
                for o in tagged:
                    langs.setdefault(o.language or "", []).append(str(o))
                if langs:
                    out[t.key] = {k: v[0] if len(v) == 1 else v for k, v in langs.items()}
                objs = [o for o in objs if o not in tagged]
                t = None
            if objs:
                key = t.key if t is not None else self.fallback_key(str(p))
                _put(out, key, [self.value(t, o) for o in objs])
        return out


def _put(node: dict[str, Any], key: str, values: list[Any]) -> None:
    node[key] = values[0] if len(values) == 1 else values


def _dump_json(obj: Any) -> bytes:
    return (json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _jsonld(g: Graph, base: str) -> tuple[bytes, bytes]:
    ctx = jsonld_context(base)
    c = _Compactor(base)
    nodes = [c.node(g, s) for s in set(g.subjects())]
    nodes.sort(key=lambda n: str(n["id"]))
    return _dump_json({"@context": ctx, "@graph": nodes}), _dump_json({"@context": ctx})


# -- the files -------------------------------------------------------------------------------


def data_files(
    data: Graph, ontology: Graph, shapes: Graph, *, base: str = DEFAULT_BASE
) -> dict[str, bytes]:
    """The data graph in five syntaxes, the JSON-LD context, the ontology and the shapes.

    Keys are paths relative to ``exports/``. Raises ``ValueError`` if ``data`` has a blank node.
    """
    Minter(base)  # validates
    _check_no_blank_nodes(data, "data")
    g = _prepared(data, base)
    jsonld, context = _jsonld(g, base)
    files = {
        "ontology/lowcarbon.ttl": _turtle(_prepared(ontology, base)),
        "ontology/shapes.ttl": _turtle(_prepared(shapes, base)),
        "rdf/context.jsonld": context,
        "rdf/lowcarbon.jsonld": jsonld,
        "rdf/lowcarbon.nt": _lines(_nt_lines(g)),
        "rdf/lowcarbon.rdf": _rdfxml(g, prefixes(base)),
        "rdf/lowcarbon.ttl": _turtle(g),
    }
    return files


def dataset_files(graphs: Mapping[str, Graph], *, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """All named graphs (graph IRI -> graph) as TriG and as sorted N-Quads.

    Graphs are written in ``GRAPH_NAMES`` order; blank node labels are derived from the content
    and prefixed with the graph name, so that no blank node is shared between graphs.
    """
    Minter(base)
    names = {graph_iri(base, n): n for n in GRAPH_NAMES}
    unknown = sorted(set(graphs) - set(names))
    if unknown:
        raise ValueError(f"unknown graph IRI(s) {unknown}; expected some of {sorted(names)}")
    ordered: list[tuple[str, Graph]] = []
    for iri, name in names.items():
        if iri in graphs:
            if name == "data":
                _check_no_blank_nodes(graphs[iri], "data")
            ordered.append((iri, _prepared(graphs[iri], base, bnode_prefix=f"{name}-")))
    quads = [line[: -len(" .")] + f" <{iri}> ." for iri, g in ordered for line in _nt_lines(g)]
    return {"rdf/lowcarbon.nq": _lines(quads), "rdf/lowcarbon.trig": _trig(ordered)}


# -- README ----------------------------------------------------------------------------------

_RDF_TOOLS = "rdflib, pyoxigraph, Apache Jena riot, any SPARQL 1.1 store"
_JSONLD_TOOLS = "any JSON parser; pyld, jsonld.js, rdflib, pyoxigraph, Apache Jena riot"
_TABLE_TOOLS = "spreadsheets, pandas, csvkit, frictionless, CSVW tools"
_GRAPH_TOOLS = "networkx, igraph, Gephi, Cytoscape, yEd"
_FORMATS = {
    ".ttl": "Turtle",
    ".nt": "N-Triples",
    ".jsonld": "JSON-LD 1.1",
    ".rdf": "RDF/XML",
    ".trig": "TriG",
    ".nq": "N-Quads",
    ".csv": "CSV",
    ".json": "JSON",
    ".md": "Markdown",
    ".graphml": "GraphML",
}
#: (path pattern, what the file holds, which tools read it); the first matching pattern wins.
_FILE_DOCS: tuple[tuple[str, str, str], ...] = (
    ("README.md", "this list of files", "any text editor; GitHub renders it"),
    (
        "rdf/lowcarbon.ttl",
        "the data graph: cities, organizations, declarations, events, statements, source items;"
        " grouped by subject, subjects sorted",
        _RDF_TOOLS + ", Protégé",
    ),
    (
        "rdf/lowcarbon.nt",
        "the data graph, one triple a line, lines sorted (diff- and grep-friendly)",
        _RDF_TOOLS + ", grep/sort/diff",
    ),
    (
        "rdf/lowcarbon.jsonld",
        "the data graph, compacted with the context embedded (no fetching):"
        " short keys, CURIE ids, language maps",
        _JSONLD_TOOLS,
    ),
    (
        "rdf/context.jsonld",
        "the JSON-LD context of rdf/lowcarbon.jsonld on its own",
        "JSON-LD processors (to compact your own data the same way)",
    ),
    (
        "rdf/lowcarbon.rdf",
        "the data graph in RDF/XML (for XML-only tools)",
        "rdflib, Apache Jena riot, Protégé, pyoxigraph, XSLT",
    ),
    (
        "rdf/lowcarbon.trig",
        "all four named graphs, in this order: data, ontology, shapes,"
        " metadata (graph IRIs: the base IRI + graph/data and so on)",
        "rdflib (Dataset), pyoxigraph, Apache Jena riot, SPARQL 1.1 store"
        " bulk loaders (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever)",
    ),
    (
        "rdf/lowcarbon.nq",
        "all four named graphs, one quad a line, lines sorted",
        "rdflib (Dataset), pyoxigraph, Apache Jena riot, SPARQL 1.1 store bulk loaders",
    ),
    (
        "ontology/lowcarbon.ttl",
        "the OWL ontology (lcd:), labels in en and zh-Hant",
        _RDF_TOOLS + ", Protégé, OWL reasoners",
    ),
    (
        "ontology/shapes.ttl",
        "the SHACL shapes the data graph conforms to",
        "pyshacl, Apache Jena shacl, TopBraid, any SHACL engine",
    ),
    (
        "csv/csv-metadata.json",
        "CSVW metadata for the tables: columns, datatypes, keys, links",
        "CSVW tools (csvw-python, rdf-tabular), frictionless",
    ),
    ("csv/*.csv", "the {stem} table (UTF-8, header row)", _TABLE_TOOLS),
    (
        "datapackage.json",
        "Frictionless data package describing the CSV tables",
        "frictionless (validate, extract), Frictionless-aware portals",
    ),
    (
        "network/bipartite.graphml",
        "two-mode network: cities and the organizations, declarations, events and programmes"
        " they are linked to by done statements",
        _GRAPH_TOOLS,
    ),
    (
        "network/cities.graphml",
        "city co-participation network: cities linked by shared targets, edge weight = count",
        _GRAPH_TOOLS,
    ),
    (
        "network/city-pairs.csv",
        "each pair of cities with what they share (count and ids)",
        _TABLE_TOOLS,
    ),
    (
        "network/city-metrics.csv",
        "per city: degree, weighted degree, betweenness, closeness in the city network",
        _TABLE_TOOLS,
    ),
    (
        "metadata/dcat.ttl",
        "DCAT 3 catalog, dataset and distributions, with VoID statistics",
        _RDF_TOOLS + ", DCAT harvesters (CKAN, data portals)",
    ),
    (
        "metadata/void.ttl",
        "VoID description: triples, classes, properties, links, SPARQL hints",
        _RDF_TOOLS + ", VoID-aware crawlers",
    ),
    (
        "metadata/schema-org.jsonld",
        "schema.org Dataset for dataset search engines",
        "Google Dataset Search, any JSON-LD processor",
    ),
)


def _describe(path: str) -> tuple[str, str]:
    for pattern, what, tools in _FILE_DOCS:
        if fnmatchcase(path, pattern):
            return what.replace("{stem}", PurePosixPath(path).stem), tools
    raise ValueError(f"{path}: not documented; add its path pattern to export._FILE_DOCS")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _site_row(count: int, size: int) -> str:
    cells = [
        "`site/`",
        f"static open-data pages ({count} files): `index.html` (the dataset, counts, downloads,"
        " licence), `ontology.html`, `style.css`, and for every resource under `id/` an HTML page"
        " with its Turtle (`.ttl`) and JSON-LD (`.jsonld`) description; relative links, no"
        " JavaScript, works offline",
        "HTML (`text/html`), CSS (`text/css`), Turtle (`text/turtle`),"
        " JSON-LD 1.1 (`application/ld+json`)",
        str(size),
        "any web browser (open `site/index.html`); `lowcarbon serve` adds content negotiation"
        " under `/id/` and a SPARQL endpoint",
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def readme(files: Mapping[str, bytes]) -> bytes:
    """``exports/README.md``: what every file in ``files`` (and the README) holds.

    Raises ``ValueError`` for a path no pattern documents, so that no file goes undocumented.
    """
    site = {p for p in files if p.startswith("site/")}
    rows = []
    for path in sorted((set(files) - site) | {"README.md"}):
        what, tools = _describe(path)
        ext = PurePosixPath(path).suffix
        fmt = "CSVW metadata (JSON)" if path.endswith(_CSVW_METADATA) else _FORMATS[ext]
        size = "—" if path == "README.md" else str(len(files[path]))
        cells = [f"`{path}`", what, f"{fmt} (`{media_type(path)}`)", size, tools]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if site:  # one row for the pages, not one per page
        rows.append(_site_row(len(site), sum(len(files[p]) for p in site)))
    text = (
        "# exports/\n\n"
        "The published dataset of the Taiwan City Low-Carbon Diplomacy Knowledge Graph"
        " (城市低碳外交榮譽榜, 2004 to June 2011).\n\n"
        "These files are generated by `lowcarbon build`; do not edit them. They are rewritten"
        " whole on every build and are byte-identical from one run to the next: sorted lines,"
        " sorted subjects, fixed prefixes, JSON with sorted keys, no blank nodes in the data.\n\n"
        "Language tags are written `zh-Hant` and `en`; some readers (pyoxigraph) lowercase them,"
        " so compare tags with `langMatches`. Every RDF file uses the same IRIs; the JSON-LD needs"
        " no network access (its context is embedded).\n\n"
        "| file | what it holds | format (media type) | bytes | read it with |\n"
        "| --- | --- | --- | ---: | --- |\n" + "\n".join(rows) + "\n"
    )
    return text.encode("utf-8")
