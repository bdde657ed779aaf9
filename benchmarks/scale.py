"""Time every build stage on synthetic roots of growing size; print ratios and growth exponents.

For each number of cities N (``--cities 10,30,100,300``), a fresh process generates a root with
``lowcarbon.synth`` (K items per city) and runs the whole build on it (ingest, link, map,
validate, export, site, write, store), timing each stage as ``lowcarbon build`` does. The
baseline, measured in the same process on the same graph, is pyoxigraph parsing the build's
N-Quads and serializing them again (the fastest of five). Printed: wall and CPU seconds per
stage (the CPU time of a stage runs from build()'s progress call for it to the next), each
stage's CPU ratio to the baseline's, and the growth exponent of CPU time between successive
sizes, log(t2/t1) / log(N2/N1): 1 is linear, 2 quadratic. The network is analysed and drawn
in a second process while the stages go on (``figures`` is the wait for it): its CPU time is
the column ``worker``, beside the build's, not in it (its wall time is within the stages').
CPU time is what other jobs on the machine disturb least; wall time also holds the waits (the
write stage flushes the files).
With ``--repeat R`` each size runs R times (a fresh process each) and every figure is the
fastest of the R: on a shared machine the minimum is the least disturbed. A size that runs
past ``--timeout`` is stopped, and the larger ones are skipped.

The figures and the machine they were measured on are written as JSON (``--json``, default
``benchmarks/results/scale.json``). ``--no-site`` builds the dataset without the site, as
``lowcarbon build --no-site`` does. ``--inject`` then removes one done statement's source and
validates again as the build does: the violation must be reported (exit 1 if it is not).

Usage: .venv/bin/python benchmarks/scale.py [--cities 10,30,100,300] [--items-per-city 5]
       [--seed 0] [--repeat 1] [--timeout 600] [--no-site] [--inject] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGES = (
    "ingest", "link", "map", "validate", "network", "export", "site", "figures", "write", "store",
)  # fmt: skip


def one(
    cities: int, items: int, seed: int, work: Path, *, site: bool = True, inject: bool = False
) -> dict[str, Any]:
    """Generate and build one root in this process; return its figures (wall and CPU)."""
    import pyoxigraph

    from lowcarbon.build import build
    from lowcarbon.paths import Paths
    from lowcarbon.pipeline import Pipeline
    from lowcarbon.synth import synthesize

    out = work / "root"
    w0, c0 = time.perf_counter(), time.process_time()
    made = synthesize(Paths(ROOT), out, cities=cities, items_per_city=items, seed=seed)
    wall: dict[str, float] = {"synth": time.perf_counter() - w0}
    cpu: dict[str, float] = {"synth": time.process_time() - c0}
    marks: list[tuple[str, float]] = []  # build() names each stage as it starts

    def progress(message: str) -> None:
        marks.append((message.rstrip("…"), time.process_time()))

    paths = Paths(out)
    pipe = Pipeline(paths)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = build(
        pipe,
        out=paths.exports,
        site_out=paths.site if site else None,
        store=paths.store,
        progress=progress,
    )
    ends = [t for _, t in marks[1:]] + [time.process_time()]
    for (name, t), end in zip(marks, ends, strict=True):  # export and site come in two parts
        cpu[name] = cpu.get(name, 0.0) + end - t
    wall.update(result.timings)
    # the network worker (a second process, ended and waited for by the build): its CPU
    # time overlaps the stages above, so it is shown beside them, not added to the build's
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu["worker"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    nquads = result.files["rdf/lowcarbon.nq"]
    runs = []
    for _ in range(5):
        w0, c0 = time.perf_counter(), time.process_time()
        quads = list(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
        pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)
        runs.append((time.perf_counter() - w0, time.process_time() - c0))
    wall["baseline"] = min(w for w, _ in runs)
    cpu["baseline"] = min(c for _, c in runs)
    injected = inject_and_validate(pipe) if inject else None
    return {
        "cities": cities,
        "items": made.items,
        "statements": result.counts["statements"],
        "triples": result.counts["triples"],
        "quads": len(quads),
        "wall": wall,
        "cpu": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **({"injected": injected} if injected is not None else {}),
    }


def inject_and_validate(pipe: Any) -> dict[str, Any]:
    """Remove the source of one done statement and validate as the build does; the figures.

    The statement (the first by IRI) loses its ``prov:wasDerivedFrom``: the shapes require
    one (a core shape and the SHACL-SPARQL SourceRule). Returned: the seconds (wall) of the
    validation, whether the graph was found not to conform, and the components reported for
    that statement.
    """
    from rdflib import URIRef

    from lowcarbon import validate
    from lowcarbon.export.syntax import Statements

    g = pipe.graph
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    status = URIRef(f"{pipe.base}ontology#status")
    done = URIRef(f"{pipe.base}ontology#done")
    target = min((s for s in g.subjects(status, done)), key=str)
    g.remove((target, derived, None))
    w0 = time.perf_counter()
    st = Statements(g)
    report = validate.validate_graph(
        g,
        shapes=pipe.shapes,
        ontology=pipe.ontology,
        written=validate.NTriples(st.ntriples, st.literals()),
    )
    seconds = time.perf_counter() - w0
    components = sorted({v.component for v in report.violations if v.focus == str(target)})
    return {
        "focus": str(target),
        "conforms": report.conforms,
        "violations": len(report.violations),
        "components": components,
        "seconds": seconds,
    }


def run_child(
    cities: int, items: int, seed: int, timeout: float, *, site: bool = True, inject: bool = False
) -> dict[str, Any] | None:
    """``one`` in a fresh process; None if it ran past ``timeout`` seconds."""
    with tempfile.TemporaryDirectory(prefix="lowcarbon-scale-") as work:
        argv = [sys.executable, __file__, "--one", str(cities), "--items-per-city", str(items)]
        argv += ["--seed", str(seed), "--work", work] + ([] if site else ["--no-site"])
        argv += ["--inject"] if inject else []
        try:
            done = subprocess.run(  # noqa: S603 - this script, with numbers we formatted
                argv, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return None
        if done.returncode != 0:
            sys.exit(f"N={cities} failed (exit {done.returncode}):\n{done.stderr}")
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return figures


def fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One result of several runs of a size: each time and the RSS their minimum."""
    best = dict(runs[0])
    for clock in ("wall", "cpu"):
        best[clock] = {k: min(r[clock][k] for r in runs) for k in runs[0][clock]}
    best["peak_rss_mb"] = min(r["peak_rss_mb"] for r in runs)
    return best


def _seconds(r: dict[str, Any], stage: str, clock: str) -> float:
    times = r[clock]
    if stage == "build":
        return float(sum(times.get(s, 0.0) for s in STAGES))
    return float(times.get(stage, 0.0))


def report(results: list[dict[str, Any]]) -> str:
    """Seconds (wall, CPU), ratio to the baseline and growth exponents (CPU)."""
    cols = ["synth", *STAGES, "build", "baseline", "worker"]
    names = " ".join(f"{c:>8}" for c in cols)
    lines: list[str] = []
    for clock, title in (("wall", "wall seconds"), ("cpu", "CPU seconds of the process")):
        lines += [f"{title} per stage (build = the sum of the stages)"]
        lines.append(f"{'N':>6} {'items':>7} {'triples':>9} {'RSS MB':>7} {names}")
        for r in results:
            lines.append(
                f"{r['cities']:>6} {r['items']:>7} {r['triples']:>9,} {r['peak_rss_mb']:>7.0f} "
                + " ".join(f"{_seconds(r, c, clock):>8.2f}" for c in cols)
            )
        lines.append("")
    lines.append("ratio to the baseline (CPU; pyoxigraph parse + serialize of the same N-Quads)")
    ratio_cols = [c for c in cols if c != "baseline"]
    lines.append(f"{'N':>6} " + " ".join(f"{c:>8}" for c in ratio_cols))
    for r in results:
        base = _seconds(r, "baseline", "cpu")
        lines.append(
            f"{r['cities']:>6} "
            + " ".join(f"{_seconds(r, c, 'cpu') / base:>8.0f}" for c in ratio_cols)
        )
    lines += ["", "growth exponent between successive N (CPU): log(t2/t1) / log(N2/N1)"]
    lines.append(f"{'N1->N2':>10} {names}")
    for a, b in itertools.pairwise(results):
        span = math.log(b["cities"] / a["cities"])
        cells = []
        for c in cols:
            t1, t2 = _seconds(a, c, "cpu"), _seconds(b, c, "cpu")
            cells.append(f"{math.log(t2 / t1) / span:>8.2f}" if t1 > 0 and t2 > 0 else f"{'-':>8}")
        lines.append(f"{str(a['cities']) + '->' + str(b['cities']):>10} " + " ".join(cells))
    injected = [r for r in results if "injected" in r]
    if injected:
        lines += ["", "an injected violation (one done statement without its source), validated"]
        for r in injected:
            i = r["injected"]
            verdict = "reported" if not i["conforms"] and i["components"] else "NOT REPORTED"
            lines.append(
                f"{r['cities']:>6} {r['triples']:>9,} triples: {verdict} in {i['seconds']:.2f} s "
                f"({i['violations']} violation(s); {', '.join(i['components']) or '-'})"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", default="10,30,100,300", help="comma-separated sizes N")
    parser.add_argument("--items-per-city", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (fastest kept)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="build the dataset only (`lowcarbon build --no-site`)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "benchmarks" / "results" / "scale.json",
        help="where to write the figures and the machine (default: benchmarks/results/scale.json)",
    )
    parser.add_argument(
        "--inject",
        action="store_true",
        help="after each build, remove one statement's source and validate again: the "
        "violation must be reported",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        figures = one(
            args.one,
            args.items_per_city,
            args.seed,
            Path(args.work),
            site=not args.no_site,
            inject=args.inject,
        )
        print(json.dumps(figures))
        return
    sizes = sorted(int(n) for n in args.cities.split(","))
    print(
        f"synthetic roots: K={args.items_per_city} items per city, seed {args.seed}, "
        f"fastest of {args.repeat} run(s) per size"
    )
    results = []
    for n in sizes:
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            r = run_child(
                n,
                args.items_per_city,
                args.seed,
                args.timeout,
                site=not args.no_site,
                inject=args.inject,
            )
            if r is None:
                break
            print(f"N={n}: {time.perf_counter() - t0:.1f} s for the whole process", flush=True)
            runs.append(r)
        if len(runs) < args.repeat:
            print(f"N={n}: stopped after {args.timeout:.0f} s; larger sizes skipped", flush=True)
            break
        results.append(fastest(runs))
    if results:
        print()
        print(report(results))
        args.json.parent.mkdir(parents=True, exist_ok=True)
        keys = ("items_per_city", "seed", "repeat", "no_site", "inject")
        settings = {k: getattr(args, k) for k in keys}
        record = {"settings": settings, "machine": machine(), "results": results}
        args.json.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
        if any(r["injected"]["conforms"] or not r["injected"]["components"]
               for r in results if "injected" in r):  # fmt: skip
            sys.exit("an injected violation was not reported")


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPUs, memory, load, Python, the main libraries."""
    from importlib.metadata import version

    mem = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "memory_mb": mem,
        "load_average": list(os.getloadavg()),
        "python": platform.python_version(),
        "libraries": {n: version(n) for n in ("rdflib", "pyoxigraph", "pyshacl", "networkx")},
    }


if __name__ == "__main__":
    main()
