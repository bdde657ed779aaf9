"""Time the network stage on a project root's graph, its cities copied K times (13,000-city shape).

The graph is the root's data graph (``--root``, built by the pipeline) or an N-Triples file
(``--nt``). With ``--copies K`` every city and its statements are copied K times under new ids
(the targets are shared), so a 1,000-city synthetic root with ``--copies 13`` gives the
13,000-city shape of issue 15 with hubs 13 times larger. Printed: cities, statements, seconds
of reading, projecting, metrics, files and figures, and the peak RSS.

Usage: .venv/bin/python benchmarks/network_scale.py [--root DIR | --nt FILE] [--copies K]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from lowcarbon.network import analyze
from lowcarbon.network.figures import figure_files
from lowcarbon.network.files import graph_files, network_tables
from lowcarbon.network.report import report_files
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.vocab import DEFAULT_BASE


def copied(g: Graph, copies: int, base: str = DEFAULT_BASE) -> Graph:
    """The cities and statements of ``g`` ``copies`` times, the rest once."""
    lcd = f"{base}ontology#"
    city_p = URIRef(lcd + "city")
    cities = set(g.subjects(RDF.type, URIRef(lcd + "LocalGovernment")))
    statements = set(g.subjects(city_p, None))
    out = Graph()
    for s, p, o in g:
        if s in statements or s in cities:
            for k in range(copies):
                sfx = f"-c{k}" if k else ""
                o2 = URIRef(f"{o}{sfx}") if o in cities else o
                out.add((URIRef(f"{s}{sfx}"), p, o2))
        elif p != city_p:
            out.add((s, p, o))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--nt", type=Path)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--no-figures", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.nt:
        g = Graph()
        g.parse(args.nt, format="nt")
    else:
        g = Pipeline(Paths(args.root)).graph
    if args.copies > 1:
        g = copied(g, args.copies)
    print(f"graph: {len(g):,} triples ({time.perf_counter() - t0:.1f} s to load)")
    times = {}
    t = time.perf_counter()
    net = analyze(g)
    times["analyze (read, project, metrics)"] = time.perf_counter() - t
    t = time.perf_counter()
    tables = network_tables(net)
    graph_files(net, tables)
    report_files(net)
    times["files (GraphML, GEXF, JSON, CSV, md)"] = time.perf_counter() - t
    if not args.no_figures:
        t = time.perf_counter()
        figure_files(net)
        times["figures"] = time.perf_counter() - t
    s = net.metrics.summary
    how = s["betweenness"]
    print(
        f"cities {len(net.data.cities):,}, statements {len(net.data.links):,}, "
        f"edges {s['edges']:,}, folded hubs {len(s['folded_hubs'])}, "
        f"betweenness {how['method']} {how.get('sources', '')}"
    )
    for name, secs in times.items():
        print(f"  {name:<40} {secs:8.2f} s")
    print(f"  {'network stage':<40} {sum(times.values()):8.2f} s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
