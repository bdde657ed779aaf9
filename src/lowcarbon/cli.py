"""The ``lowcarbon`` command: parses arguments and calls the pipeline stages."""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from lowcarbon import __version__
from lowcarbon.catalog import format_catalog
from lowcarbon.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_STALE,
    InputError,
    LowcarbonError,
    exit_code_for,
)
from lowcarbon.export.tables import statements_csv
from lowcarbon.fileio import write_atomic
from lowcarbon.graph.mapping import DEFAULT_BASE
from lowcarbon.ingest.source import read_source, records_csv, verify_checksum
from lowcarbon.link import dump_links, link_report
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.query import DEFAULT_TIMEOUT, GRAPH_FORMATS, SELECT_FORMATS
from lowcarbon.vocab import GRAPH_NAMES, NQUADS_DUMP, graph_iri

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(Path(args.root))


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read the source document and write (or check) data/records.csv."""
    paths = _paths(args)
    src = Path(args.source) if args.source else paths.source
    out = Path(args.output) if args.output else paths.records
    if not args.source:
        verify_checksum(paths.source, paths.source_sha256)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = read_source(src, lenient=args.lenient)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    text = records_csv(doc)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current != text:
            print(f"{out} is stale; run `lowcarbon ingest` to refresh it", file=sys.stderr)
            return EXIT_STALE
        print(f"{out} is up to date ({len(doc.records)} records)")
        return EXIT_OK
    if str(out) == "-":
        sys.stdout.write(text)
    else:
        write_atomic(out, text)
        print(f"wrote {len(doc.records)} records to {out}", file=sys.stderr)
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    """Link records to statements; print a report or the statements table; or format links."""
    pipe = Pipeline(_paths(args))
    if args.format_links:
        path = pipe.paths.links
        fresh = dump_links(pipe.links.entries)
        if path.read_text(encoding="utf-8") == fresh:
            return EXIT_OK
        if args.check:
            print(f"{path} is not in canonical form: run `lowcarbon link --format-links`")
            return EXIT_STALE
        write_atomic(path, fresh)
        print(f"formatted {path}")
        return EXIT_OK
    linked = pipe.linked
    if args.format == "csv":
        text = statements_csv(pipe.document, linked)
    else:
        text = link_report(pipe.document, linked)
    if args.output and args.output != "-":
        write_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    for w in linked.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if linked.warnings:
        print(
            f"{len(linked.warnings)} unresolved mention(s): add the entity to data/entities/ "
            "or a reasoned entry to data/links.yaml",
            file=sys.stderr,
        )
        return EXIT_STALE
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    """Check the catalog, or rewrite its files in canonical form."""
    paths = _paths(args)
    if args.format_files:
        changed = format_catalog(paths.entities, check=args.check)
        verb = "would reformat" if args.check else "reformatted"
        for p in changed:
            print(f"{verb} {p}", file=sys.stderr)
        return EXIT_STALE if (args.check and changed) else EXIT_OK
    catalog = Pipeline(paths).catalog  # with its item: sources checked against the document
    counts: dict[str, int] = {}
    for e in catalog:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f" ({len(catalog)} entities)")
    return EXIT_OK


def _progress(enabled: bool) -> Callable[[str], None] | None:
    if not enabled:
        return None

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    return say


def cmd_build(args: argparse.Namespace) -> int:
    """Run the main job: ingest -> link -> map -> validate -> export -> store."""
    from lowcarbon.build import build

    paths = _paths(args)
    out = Path(args.out) if args.out else paths.exports
    # the site goes beside the output folder: site/ at the root, or next to --out
    site = Path(args.site) if args.site else (out.parent / "site" if args.out else paths.site)
    pipe = Pipeline(paths, base=args.base)
    verbose = sys.stderr.isatty() and not args.quiet
    result = build(
        pipe,
        out=out,
        check=args.check,
        site_out=None if (args.check or args.no_site) else site,
        store=None if (args.check or args.no_store) else paths.store,
        progress=_progress(verbose),
    )
    if args.check:
        print(f"{out} is up to date ({len(result.files)} files)")
    else:
        print(result.summary())
    return EXIT_OK


def cmd_site(args: argparse.Namespace) -> int:
    """Build the static site alone (every stage runs; exports/ is left as it is)."""
    from lowcarbon.build import build

    paths = _paths(args)
    site = Path(args.out) if args.out else paths.site
    verbose = sys.stderr.isatty() and not args.quiet
    result = build(
        Pipeline(paths, base=args.base), out=None, site_out=site, progress=_progress(verbose)
    )
    size = sum(len(b) for b in result.site.values())
    print(f"site written: {site}/ ({len(result.site)} files, {size:,} bytes)")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the built graph (default) or the given RDF files against the shapes."""
    from lowcarbon.validate import validate_files, validate_graph

    pipe = Pipeline(_paths(args), base=args.base)
    if args.files:  # the shapes and ontology of --root, not the package's
        files = [Path(f) for f in args.files]
        report = validate_files(files, shapes=pipe.shapes, ontology=pipe.ontology)
    else:
        report = validate_graph(pipe.graph, shapes=pipe.shapes, ontology=pipe.ontology)
    render = {"human": report.to_human, "turtle": report.to_turtle, "json": report.to_json}
    text = render[args.format]()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK if report.conforms else EXIT_STALE


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve site/: the pages, Linked Data content negotiation, a read-only SPARQL endpoint."""
    from lowcarbon.publish.server import serve

    paths = _paths(args)
    site = Path(args.site) if args.site else paths.site
    serve(
        site,
        host=args.host,
        port=args.port,
        base=args.base,
        store=paths.store,
        timeout=args.timeout,
    )
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    """Run a SPARQL query (text, file, - or a named query) on the store or an endpoint."""
    from lowcarbon.query import format_result, list_queries, prepare, run_query, run_query_remote
    from lowcarbon.query.store import ensure_store

    paths = _paths(args)
    if args.list:
        for name, description in list_queries():
            print(f"{name:<18}  {description}")
        return EXIT_OK
    text, origin = prepare(args.query, name=args.name, params=args.param, stdin=sys.stdin)
    if args.endpoint:
        graphs = [graph_iri(DEFAULT_BASE, n) for n in GRAPH_NAMES]
        result = run_query_remote(
            args.endpoint, text, dataset=graphs, timeout=args.timeout, origin=origin
        )
    else:
        ensure_store(paths.store, nquads=paths.exports / NQUADS_DUMP)
        result = run_query(paths.store, text, timeout=args.timeout, origin=origin)
    data = format_result(result, args.format)
    if args.output and args.output != "-":
        write_atomic(Path(args.output), data)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    """Upload the named graphs to a SPARQL 1.1 store and verify the triple counts."""
    from lowcarbon.query.store import LoadVerificationError, graphs_from_nquads, load

    paths = _paths(args)
    source = Path(args.input) if args.input else paths.exports / NQUADS_DUMP
    if not source.is_file():
        raise InputError(str(source), None, "no N-Quads to load: run `lowcarbon build` first")
    graphs = graphs_from_nquads(source.read_bytes(), names=GRAPH_NAMES)
    try:
        report = load(
            args.endpoint, graphs, query_endpoint=args.query_endpoint, dry_run=args.dry_run
        )
    except LoadVerificationError as exc:
        sys.stdout.write(exc.report.format())
        raise
    sys.stdout.write(report.format())
    return EXIT_OK


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
    p.set_defaults(handler=cmd_query)

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
    p.set_defaults(handler=cmd_load)


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", default=".", help="project root (default: current directory)")


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
    p.set_defaults(handler=cmd_ingest)

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
    p.set_defaults(handler=cmd_link)

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
    p.set_defaults(handler=cmd_catalog)

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
    p.set_defaults(handler=cmd_build)

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
    p.set_defaults(handler=cmd_site)

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
    p.set_defaults(handler=cmd_validate)

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
    p.set_defaults(handler=cmd_serve)

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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
