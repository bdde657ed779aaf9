"""Median latency of every named query on the embedded store and on rdflib, in the same run.

Both engines get the same N-Quads (exports/rdf/lowcarbon.nq when it exists, else the
pipeline's named graphs) with the union of the named graphs as the default graph. A run is
parse + evaluate + read every row. The third column is the cost of the sandbox `lowcarbon
query` uses (a child process that opens the store read-only, killed past its timeout).
Usage: .venv/bin/python benchmarks/query_latency.py [RUNS]
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from lowcarbon.export import dataset_files
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.query import get_query, list_queries, run_query
from lowcarbon.query.store import open_store, refresh_store

ROOT = Path(__file__).resolve().parent.parent


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    nq_path = ROOT / "exports" / "rdf" / "lowcarbon.nq"
    if nq_path.is_file():
        nquads, source = nq_path.read_bytes(), str(nq_path.relative_to(ROOT))
    else:
        nquads = dataset_files(Pipeline(Paths(ROOT)).named_graphs)["rdf/lowcarbon.nq"]
        source = "pipeline"
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp) / "store"
        quads = refresh_store(store_dir, nquads)
        store = open_store(store_dir, nquads=Path(tmp) / "none.nq", read_only=True)
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=nquads, format="nquads")
        python = platform.python_version()
        print(f"{quads} quads from {source}; median of {runs} runs; python {python}")
        header = ("query", "oxigraph ms", "rdflib ms", "rdflib/oxi", "sandboxed ms")
        print("{:<18} {:>11} {:>10} {:>10} {:>12}".format(*header))
        ratios = []
        for name, _ in list_queries():
            text = get_query(name).bind()

            def oxigraph(text: str = text) -> object:
                result = store.query(text, use_default_graph_as_union=True)
                return list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)

            def rdflib_engine(text: str = text) -> object:
                return list(dataset.query(text))

            def sandboxed(text: str = text) -> object:
                return run_query(store_dir, text)

            ox_ms = median_ms(oxigraph, runs)
            rd_ms = median_ms(rdflib_engine, runs)
            sb_ms = median_ms(sandboxed, max(3, runs // 2))
            ratios.append(rd_ms / ox_ms)
            print(f"{name:<18} {ox_ms:>11.2f} {rd_ms:>10.1f} {rd_ms / ox_ms:>10.0f} {sb_ms:>12.0f}")
        mean = statistics.geometric_mean(ratios)
        print(f"{'geometric mean':<18} {'':>11} {'':>10} {mean:>10.0f}")


if __name__ == "__main__":
    main()
