"""Time each build stage on the real data and print medians as ratios to a baseline.

Baseline (measured in the same run): rdflib parsing exports/rdf/lowcarbon.nt. Machines are
noisy, so read the ratios, not the seconds. Usage: .venv/bin/python benchmarks/build_stages.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from lowcarbon import export, network
from lowcarbon.catalog import load_catalog
from lowcarbon.export import metadata, tables
from lowcarbon.graph.mapping import build_graph
from lowcarbon.ingest.source import read_source
from lowcarbon.link import link_document
from lowcarbon.link.judgments import load_links
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.validate import validate_graph
from lowcarbon.vocab import GRAPH_NAMES, graph_iri

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    paths = Paths(ROOT)
    pipe = Pipeline(paths)
    nt = (ROOT / "exports" / "rdf" / "lowcarbon.nt").read_bytes()
    doc, catalog = pipe.document, pipe.catalog
    linked, data = pipe.linked, pipe.graph
    files = export.data_files(data, pipe.ontology, pipe.shapes)
    iris = {n: graph_iri(pipe.base, n) for n in GRAPH_NAMES}

    stages: list[tuple[str, Callable[[], object]]] = [
        ("baseline: rdflib parse N-Triples", lambda: Graph().parse(data=nt, format="nt")),
        ("ingest (read_source)", lambda: read_source(paths.source)),
        ("catalog (load_catalog)", lambda: load_catalog(paths.entities)),
        (
            "link (load_links + link_document)",
            lambda: link_document(doc, catalog, load_links(paths.links, doc, catalog)),
        ),
        ("map (build_graph)", lambda: build_graph(doc, catalog, linked)),
        (
            "validate (pyshacl)",
            lambda: validate_graph(data, shapes=pipe.shapes, ontology=pipe.ontology),
        ),
        (
            "export data_files (rdflib writers)",
            lambda: export.data_files(data, pipe.ontology, pipe.shapes),
        ),
        ("tables (CSV, CSVW, datapackage)", lambda: tables.table_files(doc, catalog, linked)),
        (
            "metadata (DCAT, VoID)",
            lambda: metadata.metadata_graph(data, files, base=pipe.base, graph_iris=iris),
        ),
        ("network (networkx, matplotlib)", lambda: network.network_files(data)),
        (
            "pyoxigraph parse N-Triples",
            lambda: list(pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES)),
        ),
        ("rdflib serialize Turtle", lambda: data.serialize(format="turtle")),
    ]
    results = [(name, median_seconds(fn, runs)) for name, fn in stages]
    base = results[0][1]
    print(f"{len(data)} triples, median of {runs} runs; ratio = stage / baseline")
    print(f"{'stage':<40} {'ms':>9} {'ratio':>8}")
    for name, secs in results:
        print(f"{name:<40} {secs * 1000:>9.1f} {secs / base:>8.2f}")


if __name__ == "__main__":
    main()
