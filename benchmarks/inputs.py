"""Cost of reading and linking big hostile inputs: it must grow linearly, never faster.

For catalogs with a growing number of aliases (spread over entities of at most 100 aliases
each, the catalog's limit) it times reading the catalog and linking the real document, and
for SPARQL texts of growing size the safety check. Each figure is printed with the growth
exponent to the previous size (1.0 = linear, 2.0 = quadratic) and, as a same-run baseline,
the time libyaml takes to parse the same catalog text (yaml.load with CSafeLoader): machines
are noisy, so read the ratios, not the seconds.

Usage: .venv/bin/python benchmarks/inputs.py [ALIASES ...]   (default 1000 10000 50000; one
catalog file holds at most 2 MiB, about 60,000 such aliases)
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from lowcarbon.catalog import load_catalog
from lowcarbon.link import link_document
from lowcarbon.link.judgments import load_links
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.query.guard import check

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_stages import median_seconds

ROOT = Path(__file__).resolve().parent.parent
PER_ENTITY = 100


def seconds(fn: Callable[[], object], runs: int = 3) -> float:
    """Median wall seconds of ``runs`` calls (build_stages.py's timer)."""
    return median_seconds(fn, runs)


def catalog_with(folder: Path, aliases: int) -> str:
    """The real catalog plus organizations holding ``aliases`` made-up aliases in total."""
    shutil.copytree(ROOT / "data" / "entities", folder)
    path = folder / "organizations.yaml"
    lines = [path.read_text(encoding="utf-8").rstrip("\n")]
    for n in range(math.ceil(aliases / PER_ENTITY)):
        lines += [
            f"- id: zz-synthetic-{n:06d}",
            "  type: Organization",
            "  label:",
            f"    en: Synthetic organization {n}",
            f"    zh-Hant: 合成組織{n}號",
            "  aliases:",
            *(f"  - 合成別名{n}之{k}" for k in range(min(PER_ENTITY, aliases - n * PER_ENTITY))),
        ]
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def growth(prev: tuple[int, float] | None, n: int, t: float) -> str:
    if prev is None or prev[1] <= 0:
        return "    —"
    return f"{math.log(t / prev[1]) / math.log(n / prev[0]):5.2f}"


def main(sizes: list[int]) -> None:
    pipe = Pipeline(Paths(ROOT))
    doc = pipe.document
    print(f"{'aliases':>8} {'baseline s':>10} {'catalog s':>10} {'x base':>7} {'exp':>5}"
          f" {'link s':>8} {'x base':>7} {'exp':>5}")  # fmt: skip
    prev_cat: tuple[int, float] | None = None
    prev_link: tuple[int, float] | None = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "entities"
            text = catalog_with(folder, n)
            base = seconds(lambda t=text: yaml.load(t, Loader=yaml.CSafeLoader))
            t_cat = seconds(lambda f=folder: load_catalog(f))
            catalog = load_catalog(folder)
            links = load_links(pipe.paths.links, doc, catalog)
            t_link = seconds(lambda c=catalog, k=links: link_document(doc, c, k))
        print(
            f"{n:>8} {base:>10.3f} {t_cat:>10.3f} {t_cat / base:>7.1f} {growth(prev_cat, n, t_cat)}"
            f" {t_link:>8.3f} {t_link / base:>7.2f} {growth(prev_link, n, t_link)}"
        )
        prev_cat, prev_link = (n, t_cat), (n, t_link)
    print()
    print(f"{'query KB':>8} {'check s':>10} {'exp':>5}")
    prev: tuple[int, float] | None = None
    for kb in (4, 16, 60):
        values = " ".join(f"<urn:x:{i}>" for i in range(kb * 1024 // 12))
        q = f"SELECT ?s WHERE {{ VALUES ?s {{ {values} }} }}"
        t = seconds(lambda q=q: check(q))
        print(f"{len(q) // 1024:>8} {t:>10.4f} {growth(prev, len(q), t)}")
        prev = (len(q), t)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000])
