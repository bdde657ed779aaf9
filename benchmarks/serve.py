"""Throughput and latency of `lowcarbon serve`: static pages and a trivial SPARQL query.

The server runs in its own process on 127.0.0.1 (loopback only) with its warm query processes;
this process is the client, with N threads each holding one connection (kept alive, or a new
connection per request). Every scenario is bounded in time and in requests. The baseline of the
same run is the server answering a small static file (style.css).
Usage: .venv/bin/python benchmarks/serve.py [SECONDS_PER_SCENARIO] [CONNECTIONS]
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only: never anything else
MAX_REQUESTS = 30_000  # per scenario, whatever the time
QUERY = (
    "PREFIX lcd: <https://w3id.org/lowcarbon-diplomacy/ontology#> "
    "SELECT (COUNT(?m) AS ?n) WHERE { ?m a lcd:Membership }"
)
SERVER = """
import sys
from pathlib import Path
from lowcarbon.publish.server import make_server
srv = make_server(Path(sys.argv[1]), host="127.0.0.1", port=0, store=Path(sys.argv[2]))
print(srv.server_port, flush=True)
srv.serve_forever()
"""


def site_folder(tmp: Path) -> Path:
    """The built site/ of the project, or one written now into ``tmp``."""
    site = ROOT / "site"
    if (site / "index.html").is_file() and (site / "exports" / "rdf" / "lowcarbon.nq").is_file():
        return site
    out = tmp / "site"
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "lowcarbon.cli", "site", "--root", str(ROOT), "--out", str(out)],
        check=True,
    )
    return out


def load(port: int, path: str, conns: int, seconds: float, keep_alive: bool) -> dict[str, float]:
    """``conns`` threads requesting ``path`` for ``seconds``: requests/s, p50, p99 (ms)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    budget = [MAX_REQUESTS]

    def worker() -> None:
        mine: list[float] = []
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < stop:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": "*/*"})
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            mine.append(time.perf_counter() - t0)
            if not ok:
                with lock:
                    errors[0] += 1
            if not keep_alive or not ok:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.close()
        with lock:
            latencies.extend(mine)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    n = len(latencies)
    return {
        "rps": n / elapsed,
        "p50": statistics.median(latencies) * 1000 if n else float("nan"),
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "n": n,
        "errors": errors[0],
    }


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    conns = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    with tempfile.TemporaryDirectory() as tmp:
        site = site_folder(Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SERVER, str(site), str(Path(tmp) / "store")],
            stdout=subprocess.PIPE,
            env=env,
        )
        try:
            assert proc.stdout is not None
            port = int(proc.stdout.readline())
            sparql = "/sparql?" + urlencode({"query": QUERY})
            for _ in range(50):  # until the query processes are warm
                try:
                    c = http.client.HTTPConnection(HOST, port, timeout=30)
                    c.request("GET", sparql)
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            scenarios = [
                ("baseline: static file style.css", "/style.css", conns, True),
                ("static page id/city/taipei.html", "/id/city/taipei.html", conns, True),
                ("static page, new connection each", "/id/city/taipei.html", conns, False),
                ("SPARQL trivial COUNT", sparql, conns, True),
                ("SPARQL trivial COUNT, new connection each", sparql, conns, False),
                ("SPARQL trivial COUNT, 1 connection", sparql, 1, True),
            ]
            print(f"server pid {proc.pid} on {HOST}:{port}; {seconds:g} s per scenario, "
                  f"at most {MAX_REQUESTS} requests; {os.cpu_count()} cores")  # fmt: skip
            head = ("scenario", "conns", "requests/s", "p50 ms", "p99 ms", "requests", "errors")
            print("{:<44} {:>5} {:>10} {:>7} {:>7} {:>8} {:>6}".format(*head))
            base = None
            for name, path, n, keep in scenarios:
                r = load(port, path, n, seconds, keep)
                base = base or r["rps"]
                print(f"{name:<44} {n:>5} {r['rps']:>10.0f} {r['p50']:>7.2f} {r['p99']:>7.2f} "
                      f"{r['n']:>8.0f} {r['errors']:>6.0f}")  # fmt: skip
            print(f"(baseline {base:.0f} requests/s: the same server sending a 4 kB static file)")
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
