"""Whole-process times of the commands people type, on the real data, against an empty Python.

Issue 15's targets for the real data: `lowcarbon --help` at most 0.3 s, `lowcarbon query -n
NAME` at most 0.5 s, `lowcarbon build` at most 2 s, each as a whole process. Every command runs
RUNS times (default 5) after one warm-up run; printed are min / median / max in seconds and the
median's ratio to the baseline, `python -c pass` measured in the same run (the cost of starting
an interpreter, which no command can go under). The build runs on a copy of the project root in
a temporary folder, so that exports/ is not touched.

Usage: .venv/bin/python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOWCARBON = [sys.executable, "-m", "lowcarbon.cli"]
#: what a copied root needs for `lowcarbon build` (the rest is written by the build)
ROOT_PARTS = ("data", "ontology")


def timed(argv: list[str], runs: int, cwd: Path) -> list[float]:
    """Seconds of each of ``runs`` runs of ``argv`` (after one warm-up run); fails loudly."""
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True)  # noqa: S603 - our own commands
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, capture_output=True)  # noqa: S603 - our own commands
        times.append(time.perf_counter() - t0)
    return times


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 5
    sys.path.insert(0, str(ROOT / "src"))
    from lowcarbon.query import list_queries

    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        for part in ROOT_PARTS:
            shutil.copytree(ROOT / part, root / part)
        rows: list[tuple[str, list[float], float | None]] = [
            ("python -c pass (baseline)", timed([sys.executable, "-c", "pass"], runs, root), None),
            ("lowcarbon --help", timed([*LOWCARBON, "--help"], runs, root), 0.3),
        ]
        # the embedded store exists after one build; the query runs measure queries, not loading
        rows.append(("lowcarbon build", timed([*LOWCARBON, "build"], runs, root), 2.0))
        for name, _ in list_queries():
            argv_q = [*LOWCARBON, "query", "-n", name]
            rows.append((f"lowcarbon query -n {name}", timed(argv_q, runs, root), 0.5))
    base = statistics.median(rows[0][1])
    print(f"{'command':<40} {'min':>7} {'median':>7} {'max':>7} {'x base':>7} {'target':>7}")
    for name, times, target in rows:
        med = statistics.median(times)
        goal = f"{target:.1f}" if target is not None else ""
        print(
            f"{name:<40} {min(times):7.3f} {med:7.3f} {max(times):7.3f} {med / base:7.1f} {goal:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
