"""The ``lowcarbon`` command: parses arguments and calls the pipeline stages."""

from __future__ import annotations

import argparse
import gc
import math
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from lowcarbon import __version__
from lowcarbon.errors import (
    EXIT_ERROR,
    LowcarbonError,
    exit_code_for,
)
from lowcarbon.query.options import DEFAULT_TIMEOUT, GRAPH_FORMATS, SELECT_FORMATS
from lowcarbon.vocab import DEFAULT_BASE

__all__ = ["main"]

from lowcarbon import commands

Handler = Callable[[argparse.Namespace], int]


def _add_query_and_load(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "query",
        help="run a SPARQL query on the dataset (embedded store, or --endpoint)",
        description=(
            "Run a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query on the embedded store "
            "(store/, built from exports/rdf/lowcarbon.nq when missing or stale). The query is "
            "SPARQL text, a file, '-' for stdin, or --name NAME from the query library (--list). "
            "SERVICE and updates (LOAD, INSERT…) are refused before anything runs; a query "
            "running past --timeout is stopped. Exit 2 on any error."
        ),
    )
    _add_common(p)
    p.add_argument("query", nargs="?", help="SPARQL text, a .rq file, or '-' for stdin")
    p.add_argument("-n", "--name", help="a named query of the library (see --list)")
    p.add_argument("-l", "--list", action="store_true", help="list the named queries")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query parameter: a catalog id, an <IRI>, or text (repeatable)",
    )
    p.add_argument(
        "-f",
        "--format",
        choices=(*SELECT_FORMATS, *GRAPH_FORMATS),
        help="output format (default: table; turtle for CONSTRUCT and DESCRIBE)",
    )
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop the query after this many seconds (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--endpoint", help="query this SPARQL endpoint instead of the store")
    p.set_defaults(handler=commands.cmd_query)

    p = sub.add_parser(
        "load",
        help="upload the named graphs to a SPARQL 1.1 store (Graph Store Protocol)",
        description=(
            "PUT each named graph of exports/rdf/lowcarbon.nq to ENDPOINT?graph=<iri> "
            "(N-Triples; PUT replaces the graph, so loading twice is harmless and a rerun "
            "repairs an interrupted load), then count each graph's triples through the query "
            "endpoint. Credentials: $LOWCARBON_ENDPOINT_USER and $LOWCARBON_ENDPOINT_PASSWORD "
            "(HTTP basic or digest), never the command line. Exit 1 when a count differs, "
            "2 on errors."
        ),
    )
    _add_common(p)
    p.add_argument(
        "endpoint",
        help=(
            "Graph Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph) or "
            "http://localhost:8890/sparql-graph-crud-auth (Virtuoso)"
        ),
    )
    p.add_argument(
        "--query-endpoint",
        help="SPARQL query endpoint for the check (guessed for Oxigraph, Virtuoso, Fuseki, RDF4J)",
    )
    p.add_argument("-i", "--input", help="N-Quads to load (default: exports/rdf/lowcarbon.nq)")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    p.set_defaults(handler=commands.cmd_load)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", default=".", help="project root (default: current directory)")


def _seed(value: str) -> int:
    """A seed: a whole number from 0 to 2**32 - 1 (argparse: exit 2 otherwise)."""
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(f"expected a seed from 0 to {2**32 - 1}, not {seed}")
    return seed


def _seconds(value: str) -> float:
    """A time limit: a finite number of seconds above zero (argparse: exit 2 otherwise)."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not {value!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"expected a finite number of seconds above 0, not {value!r}"
        )
    return seconds


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="lowcarbon",
        description=(
            "Taiwan City Low-Carbon Diplomacy Knowledge Graph (城市低碳外交榮譽榜): "
            "turn the 2011 honor roll into a validated, queryable linked-data set."
        ),
        epilog="Exit codes: 0 success, 1 does not conform or stale, 2 bad input or error.",
    )
    parser.add_argument("--version", action="version", version=f"lowcarbon {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "ingest",
        help="read the source document into data/records.csv",
        description=(
            "Read the source document (data/source/honor-roll-2011.txt) into one record per "
            "table item and write data/records.csv. With --check, exit 1 if the committed "
            "file differs from a fresh ingest."
        ),
    )
    _add_common(p)
    p.add_argument("source", nargs="?", help="source document (default: data/source/…)")
    p.add_argument("-o", "--output", help="records CSV to write, '-' for stdout")
    p.add_argument("--check", action="store_true", help="exit 1 if the records file is stale")
    p.add_argument("--lenient", action="store_true", help="numbering gaps are warnings, not errors")
    p.set_defaults(handler=commands.cmd_ingest)

    p = sub.add_parser(
        "link",
        help="link records to statements (who joined, signed, attended, hosted what)",
        description=(
            "Link every record to statements using the catalog aliases and data/links.yaml. "
            "By default prints each record with its statements; -f csv prints one "
            "row per statement. Exit 1 when a mention (acronym, 「quoted」 or (bracketed) "
            "name) matches no entity and has no reasoned exclusion."
        ),
    )
    _add_common(p)
    p.add_argument("-f", "--format", choices=("report", "csv"), default="report")
    p.add_argument(
        "--format-links",
        action="store_true",
        help="rewrite data/links.yaml in canonical form (with --check: exit 1 if it is not)",
    )
    p.add_argument("--check", action="store_true", help="with --format-links: do not write")
    p.add_argument("-o", "--output", help="write to FILE instead of stdout")
    p.set_defaults(handler=commands.cmd_link)

    p = sub.add_parser(
        "catalog",
        help="check the curated catalog (data/entities/), or format its files",
        description=(
            "Load and check data/entities/*.yaml (ids, labels, aliases, cited facts). "
            "--format rewrites every file in canonical form; with --check it only reports "
            "(exit 1) the files that are not."
        ),
    )
    _add_common(p)
    p.add_argument("--format", dest="format_files", action="store_true", help="canonical form")
    p.add_argument("--check", action="store_true", help="with --format: report, do not write")
    p.set_defaults(handler=commands.cmd_catalog)

    p = sub.add_parser(
        "build",
        help="the main job: ingest, link, map to RDF, validate, export, refresh the store",
        description=(
            "Run every stage and write the published dataset to exports/ (all files or none). "
            "Stops with exit 1 and writes nothing if the graph does not conform to the shapes "
            "or a mention is unresolved. --check exits 1 when the committed exports differ "
            "from a fresh build and names the files."
        ),
    )
    _add_common(p)
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default {DEFAULT_BASE})")
    p.add_argument("--out", help="output folder (default: exports/)")
    p.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    p.add_argument("--site", help="site folder (default: site/ beside the output folder)")
    p.add_argument("--no-site", action="store_true", help="do not write the site")
    p.add_argument("--no-store", action="store_true", help="do not refresh the embedded store")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=commands.cmd_build)

    p = sub.add_parser(
        "site",
        help="write the static site alone (pages, per-resource RDF, a copy of the dataset)",
        description=(
            "Run every stage and write the static site to site/ (git-ignored): a page per "
            "resource with its Turtle and JSON-LD, the index, the ontology page and a copy of "
            "the dataset under site/exports/. Any static web server can serve the folder; "
            "`lowcarbon serve` adds content negotiation and SPARQL. exports/ is not touched."
        ),
    )
    _add_common(p)
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default {DEFAULT_BASE})")
    p.add_argument("--out", help="site folder (default: site/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=commands.cmd_site)

    p = sub.add_parser(
        "synth",
        help="write a synthetic project root of the real one's shape, to test at scale",
        description=(
            "Write a deterministic, made-up project root to --out (absent or empty): a source "
            "document in the real table's form with N cities of K items each, marked synthetic, "
            "its records, checksum and links, a catalog of generated cities and events plus the "
            "real organizations, declarations and events of --root, and the ontology, so that "
            "`lowcarbon build --root OUT` runs every stage. Same arguments, same bytes. Exit 2 on "
            "bad arguments or a non-empty --out."
        ),
    )
    _add_common(p)
    p.add_argument("--cities", type=int, required=True, metavar="N", help="rows of the table")
    p.add_argument("--items-per-city", type=int, default=5, metavar="K", help="default 5")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write (absent or empty)")
    p.set_defaults(handler=commands.cmd_synth)

    p = sub.add_parser(
        "validate",
        help="validate the graph (or RDF files) against the SHACL shapes",
        description=(
            "Validate the built graph, or the Turtle/N-Triples/JSON-LD/TriG/N-Quads FILEs, "
            "against ontology/shapes.ttl. Exit 0 conforms, 1 does not conform, 2 error."
        ),
    )
    _add_common(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="RDF files (default: the graph)")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default {DEFAULT_BASE})")
    p.add_argument("-f", "--format", choices=("human", "turtle", "json"), default="human")
    p.add_argument(
        "--engine",
        choices=("auto", "oxigraph", "pyshacl"),
        default="auto",
        help="core SHACL engine: auto (oxigraph when it compiles every shape), oxigraph, or "
        "pyshacl, the reference (docs/validation.md, Engines)",
    )
    p.set_defaults(handler=commands.cmd_validate)

    p = sub.add_parser(
        "analyze",
        help="co-participation networks: findings, GraphML/GEXF/JSON, metrics, figures",
        description=(
            "Read the co-participation networks off the graph (or off published RDF FILEs: "
            "Turtle, N-Triples, JSON-LD, TriG, N-Quads) and print the findings (network.md, or "
            "metrics.json with -f json). With --out, write every network file there too "
            "(GraphML, GEXF, node-link JSON, CSV, metrics.json, network.md, figures), into an "
            "absent or empty folder, all files or none. `lowcarbon build` writes the same files "
            "to exports/network/."
        ),
    )
    _add_common(p)
    p.add_argument("files", nargs="*", metavar="FILE", help="RDF files (default: the graph)")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default {DEFAULT_BASE})")
    p.add_argument("--out", help="folder for the network files (absent or empty)")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--include-not-done",
        action="store_true",
        help="count plans and applications in the metrics too (default: done statements only)",
    )
    p.add_argument(
        "--seed", type=_seed, help="seed of sampled metrics and layouts (default: the build's)"
    )
    p.add_argument("--no-figures", action="store_true", help="with --out: no PNG/SVG figures")
    p.set_defaults(handler=commands.cmd_analyze)

    p = sub.add_parser(
        "serve",
        help="browse the dataset locally: pages, content negotiation, SPARQL endpoint",
        description=(
            "Serve the site (site/) over HTTP, on the loopback address unless --host says so: "
            "the pages at /, every IRI under /id/ (303 See Other to its .html, .ttl, .jsonld or "
            ".nt document by the Accept header), the files under /exports/, and a read-only "
            "SPARQL endpoint at /sparql (no updates, no SERVICE, a time limit per query). "
            "Run `lowcarbon build` first."
        ),
    )
    _add_common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("-p", "--port", type=int, default=8000, help="port (default 8000, 0: any)")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default {DEFAULT_BASE})")
    p.add_argument("--site", help="site folder to serve (default: site/)")
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop each SPARQL query after this many seconds (default {DEFAULT_TIMEOUT:g})",
    )
    p.set_defaults(handler=commands.cmd_serve)

    _add_query_and_load(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except LowcarbonError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def run() -> NoReturn:
    """The ``lowcarbon`` command: :func:`main`, then exit with its code.

    The process ends right after: its objects are frozen out of the garbage collector
    first, so that the collection Python runs on the way out does not walk a heap that is
    about to be thrown away (0.15 s of a 2.4 s build on the real data). Tests call
    :func:`main`, which leaves the collector as it is.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
