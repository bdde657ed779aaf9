"""Media types of the exported files, and exports/README.md, the table that documents them."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from lowcarbon.vocab import MEDIA_TYPES  # re-exported: the table lives in vocab

__all__ = ["MEDIA_TYPES", "media_type", "readme"]

_CSVW_METADATA = "csv-metadata.json"
_CSVW_MEDIA_TYPE = "application/csvm+json"


def media_type(path: str) -> str:
    """Media type of an exported file: by extension, ``application/csvm+json`` for CSVW."""
    if PurePosixPath(path).name == _CSVW_METADATA:
        return _CSVW_MEDIA_TYPE
    ext = PurePosixPath(path).suffix
    if ext not in MEDIA_TYPES:
        raise ValueError(f"{path}: no media type for extension {ext!r}")
    return MEDIA_TYPES[ext]


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
    raise ValueError(f"{path}: not documented; add its path pattern to export_readme._FILE_DOCS")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def readme(files: Mapping[str, bytes]) -> bytes:
    """``exports/README.md``: what every file in ``files`` (and the README) holds.

    Raises ``ValueError`` for a path no pattern documents, so that no file goes undocumented.
    """
    rows = []
    for path in sorted({*files, "README.md"}):
        what, tools = _describe(path)
        ext = PurePosixPath(path).suffix
        fmt = "CSVW metadata (JSON)" if path.endswith(_CSVW_METADATA) else _FORMATS[ext]
        size = "—" if path == "README.md" else str(len(files[path]))
        cells = [f"`{path}`", what, f"{fmt} (`{media_type(path)}`)", size, tools]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
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
        "The readable pages (one per IRI, with its Turtle and JSON-LD) are not kept here:"
        " `lowcarbon"
        " build` writes them with a copy of these files to `site/` (not in git), which any static"
        " web server can serve; `lowcarbon serve` adds content negotiation and SPARQL.\n\n"
        "| file | what it holds | format (media type) | bytes | read it with |\n"
        "| --- | --- | --- | ---: | --- |\n" + "\n".join(rows) + "\n"
    )
    return text.encode("utf-8")
