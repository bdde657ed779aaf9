"""Every file the build writes to exports/, in one table: the registry the rest reads.

The build refuses a file that has no row here and a row (without wildcard) that it did not
write; exports/README.md, the DCAT distributions, the VoID dumps and the tests are all derived
from the rows. Adding an export is one row here plus its producer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Final, Literal

from lowcarbon.vocab import NQUADS_DUMP

__all__ = [
    "DATA_DUMPS",
    "GRAPH_DUMPS",
    "OUTPUTS",
    "SELF_DESCRIBING",
    "Output",
    "check_outputs",
    "describe",
    "output_for",
]


@dataclass(frozen=True)
class Output:
    """One file (or a family of files, by pattern) of exports/."""

    #: path under exports/, or an ``fnmatch`` pattern such as ``csv/*.csv``.
    pattern: str
    #: what the file holds (``{stem}``: the file's stem).
    what: str
    #: which tools read it.
    tools: str
    #: the module that writes it.
    producer: str
    #: how DCAT lists it: "described" (with byte size and checksum) or "self" (the file holds
    #: metadata, or the sizes of metadata files, so it cannot carry its own checksum).
    distribution: Literal["described", "self"]
    #: which RDF dump it is (``void:dataDump``): "data", of the data graph alone (triples, to
    #: be loaded into the graph ``{base}graph/data``), or "graphs", of all four named graphs.
    dump: Literal["data", "graphs"] | None = None

    @property
    def fixed(self) -> bool:
        """Whether the pattern names exactly one file (no wildcard)."""
        return not any(c in self.pattern for c in "*?[")


_RDF_TOOLS = "rdflib, pyoxigraph, Apache Jena riot, any SPARQL 1.1 store"
_JSONLD_TOOLS = "any JSON parser; pyld, jsonld.js, rdflib, pyoxigraph, Apache Jena riot"
_TABLE_TOOLS = "spreadsheets, pandas, csvkit, frictionless, CSVW tools"
_GRAPH_TOOLS = "networkx, igraph, Gephi, Cytoscape, yEd"

_NET = "network/files.py"
#: The network's findings in words (written by network/report.py; the site makes a page of it).
NETWORK_REPORT = "network/network.md"
_GEPHI = "Gephi, Cytoscape, networkx, igraph"
_TWO_MODE = (
    "two-mode network: cities and the organizations, declarations, events and programmes of"
    " their statements (every statement; plans, applications and visits marked uncounted)"
)
_CITY_NET = (
    "city network: cities linked by what they share, raw count and Newman 1/(k-1) weight per"
    " target kind and in total, the shared ids, first year, disparity-filter backbone flag,"
    " metrics on the nodes"
)
_FIGURES = {
    "bipartite": "figure: the two-mode network, cities and what they joined, signed, attended"
    " (dotted: plans, applications, visits)",
    "cities": "figure: the weighted city network (line width: Newman weight; dark: backbone;"
    " colour: community)",
    "timeline": "figure: each city's memberships, signings and participations by year",
    "matrix": "figure: which city took part in which event (city x event)",
}


def _network_rows() -> tuple[Output, ...]:
    rows = []
    for stem, what in (("bipartite", _TWO_MODE), ("cities", _CITY_NET)):
        rows += [
            Output(f"network/{stem}.graphml", what, _GRAPH_TOOLS, _NET, "described"),
            Output(f"network/{stem}.gexf", what, _GEPHI, _NET, "described"),
            Output(f"network/{stem}.json", what + " (networkx node-link JSON)",
                   "networkx (node_link_graph), d3, any JSON parser", _NET, "described"),
        ]  # fmt: skip
    tables = {
        "nodes": "every node of the two-mode network: id, IRI, kind, labels, counted links",
        "edges": "every city-target edge: statements, kinds, statuses, roles, dates, items",
        "city-edges": "every pair of cities sharing a target: counts and Newman weights per"
        " kind and in total, what was shared, first year, backbone",
        "city-metrics": "per city: targets, degree, weighted degree, Newman strength,"
        " betweenness, closeness, eigenvector centrality, community",
    }
    for stem, what in tables.items():
        rows.append(Output(f"network/{stem}.csv", what, _TABLE_TOOLS, _NET, "described"))
    rows += [
        Output("network/metrics.json", "network-wide metrics: parameters, density, components,"
               " isolates, how each centrality was computed, communities and modularity, hubs,"
               " rankings, the cumulative network year by year", "any JSON parser", _NET,
               "described"),
        Output("network/network.md", "the findings in sentences with their numbers, English"
               " and Chinese, growth by year, the figures", "any Markdown viewer",
               "network/report.py",
               "described"),
    ]  # fmt: skip
    for stem, what in _FIGURES.items():
        for ext, tools in (("png", "any image viewer"), ("svg", "browsers, Inkscape")):
            rows.append(Output(f"network/figures/{stem}.{ext}", what, tools,
                               "network/figures.py", "described"))  # fmt: skip
    return tuple(rows)


#: The rows; the first whose pattern matches a path describes it.
OUTPUTS: Final[tuple[Output, ...]] = (
    Output(
        "README.md",
        "this list of files",
        "any text editor; GitHub renders it",
        producer="export/readme.py",
        distribution="self",
    ),
    Output(
        "rdf/lowcarbon.ttl",
        "the data graph: cities, organizations, declarations, events, statements, source items;"
        " grouped by subject, subjects sorted",
        _RDF_TOOLS + ", Protégé",
        producer="export/rdf.py",
        distribution="described",
        dump="data",
    ),
    Output(
        "rdf/lowcarbon.nt",
        "the data graph, one triple a line, lines sorted (diff- and grep-friendly)",
        _RDF_TOOLS + ", grep/sort/diff",
        producer="export/rdf.py",
        distribution="described",
        dump="data",
    ),
    Output(
        "rdf/lowcarbon.jsonld",
        "the data graph, compacted with the context embedded (no fetching):"
        " short keys, ids relative to @base, language maps; JSON-LD 1.0 and 1.1 processors read it",
        _JSONLD_TOOLS,
        producer="export/rdf.py",
        distribution="described",
        dump="data",
    ),
    Output(
        "rdf/context.jsonld",
        "the JSON-LD context of rdf/lowcarbon.jsonld on its own",
        "JSON-LD processors (to compact your own data the same way)",
        producer="export/rdf.py",
        distribution="described",
    ),
    Output(
        "rdf/lowcarbon.rdf",
        "the data graph in RDF/XML (for XML-only tools)",
        "rdflib, Apache Jena riot, Protégé, pyoxigraph, XSLT",
        producer="export/rdf.py",
        distribution="described",
        dump="data",
    ),
    Output(
        "rdf/lowcarbon.trig",
        "all four named graphs, in this order: data, ontology, shapes,"
        " metadata (graph IRIs: the base IRI + graph/data and so on)",
        "rdflib (Dataset), pyoxigraph, Apache Jena riot, SPARQL 1.1 store"
        " bulk loaders (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever)",
        producer="export/rdf.py",
        distribution="self",
        dump="graphs",
    ),
    Output(
        NQUADS_DUMP,
        "all four named graphs, one quad a line, lines sorted",
        "rdflib (Dataset), pyoxigraph, Apache Jena riot, SPARQL 1.1 store bulk loaders",
        producer="export/rdf.py",
        distribution="self",
        dump="graphs",
    ),
    Output(
        "ontology/lowcarbon.ttl",
        "the OWL ontology (lcd:), labels in en and zh-Hant",
        _RDF_TOOLS + ", Protégé, OWL reasoners",
        producer="export/rdf.py",
        distribution="described",
    ),
    Output(
        "ontology/shapes.ttl",
        "the SHACL shapes the data graph conforms to",
        "SHACL engines with SHACL-SPARQL: pyshacl, pyrudof, Apache Jena shacl, TopBraid; a"
        " core-only engine skips six rules (docs/validation.md)",
        producer="export/rdf.py",
        distribution="described",
    ),
    Output(
        "csv/csv-metadata.json",
        "CSVW metadata for the tables: columns, datatypes, keys, links",
        "CSVW tools (csvw-python, rdf-tabular), frictionless",
        producer="export/tables.py",
        distribution="described",
    ),
    Output(
        "csv/*.csv",
        "the {stem} table (UTF-8, header row)",
        _TABLE_TOOLS,
        producer="export/tables.py",
        distribution="described",
    ),
    Output(
        "datapackage.json",
        "Frictionless data package describing the CSV tables",
        "frictionless (validate, extract), Frictionless-aware portals",
        producer="export/tables.py",
        distribution="described",
    ),
    *_network_rows(),
    Output(
        "metadata/dcat.ttl",
        "DCAT 3 catalog, dataset and distributions, with VoID statistics",
        _RDF_TOOLS + ", DCAT harvesters (CKAN, data portals)",
        producer="export/metadata.py",
        distribution="self",
    ),
    Output(
        "metadata/void.ttl",
        "VoID description: triples, classes, properties; the data-graph dumps and the four-graph"
        " dumps, each with the dataset it holds and its count; the Wikidata linkset",
        _RDF_TOOLS + ", VoID-aware crawlers",
        producer="export/metadata.py",
        distribution="self",
    ),
    Output(
        "metadata/schema-org.jsonld",
        "schema.org Dataset for dataset search engines",
        "Google Dataset Search, any JSON-LD processor",
        producer="export/metadata.py",
        distribution="self",
    ),
)

#: Files listed in DCAT without byte size or checksum (they hold the metadata).
SELF_DESCRIBING: Final = tuple(o.pattern for o in OUTPUTS if o.distribution == "self")
#: RDF dumps of the data graph alone (``void:dataDump`` of the dataset).
DATA_DUMPS: Final = tuple(sorted(o.pattern for o in OUTPUTS if o.dump == "data"))
#: RDF dumps of all four named graphs (``void:dataDump`` of the dataset with its graphs).
GRAPH_DUMPS: Final = tuple(sorted(o.pattern for o in OUTPUTS if o.dump == "graphs"))


def output_for(path: str) -> Output:
    """The row that describes ``path``; ``ValueError`` names a path with none."""
    for out in OUTPUTS:
        if fnmatchcase(path, out.pattern):
            return out
    raise ValueError(f"{path}: not in the registry of exports; add a row to export/registry.py")


def check_outputs(paths: Iterable[str]) -> None:
    """Refuse a set of exported paths that the registry does not describe exactly.

    Every path needs a row, and every fixed row (no wildcard) a path, so that a producer that
    stops writing a file is noticed as surely as one that writes an undocumented one.
    """
    given = set(paths) | {"README.md"}
    for path in sorted(given):
        output_for(path)
    missing = [o.pattern for o in OUTPUTS if o.fixed and o.pattern not in given]
    if missing:
        raise ValueError(f"the build wrote no {', '.join(missing)} (rows in export/registry.py)")


def describe(path: str) -> tuple[str, str]:
    """(what the file holds, which tools read it) for an exported path."""
    out = output_for(path)
    return out.what.replace("{stem}", PurePosixPath(path).stem), out.tools
