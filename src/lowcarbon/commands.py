"""The command handlers: one function per subcommand, from parsed arguments to an exit code.

Each handler imports the stages it runs, so that ``lowcarbon --help`` and ``lowcarbon query``
do not pay for rdflib, pyshacl and matplotlib (issue 15: start-up time).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from lowcarbon.errors import (
    EXIT_OK,
    EXIT_STALE,
    InputError,
)
from lowcarbon.fileio import write_atomic
from lowcarbon.paths import Paths
from lowcarbon.vocab import DEFAULT_BASE, GRAPH_NAMES, NQUADS_DUMP, entity_kind, graph_iri

__all__ = [
    "cmd_analyze",
    "cmd_build",
    "cmd_catalog",
    "cmd_ingest",
    "cmd_link",
    "cmd_load",
    "cmd_query",
    "cmd_serve",
    "cmd_site",
    "cmd_synth",
    "cmd_validate",
    "paths_of",
    "progress_to_stderr",
]


def paths_of(args: argparse.Namespace) -> Paths:
    """The project paths under ``--root``."""
    return Paths(Path(args.root))


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read the source document and write (or check) data/records.csv."""
    from lowcarbon.ingest.source import read_source, records_csv, verify_checksum

    paths = paths_of(args)
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
    from lowcarbon.export.tables import statements_csv
    from lowcarbon.link import dump_links, link_report
    from lowcarbon.pipeline import Pipeline

    pipe = Pipeline(paths_of(args))
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
    unplaced = linked.coverage.unplaced
    for w in [*linked.warnings, *unplaced]:
        print(f"warning: {w}", file=sys.stderr)
    if linked.warnings or unplaced:
        print(
            f"{len(linked.warnings)} unresolved mention(s), {len(unplaced)} unplaced clause(s): "
            "add the entity or an alias to data/entities/, or a reasoned entry to "
            "data/links.yaml",
            file=sys.stderr,
        )
        return EXIT_STALE
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    """Check the catalog, or rewrite its files in canonical form."""
    from lowcarbon.catalog import format_catalog
    from lowcarbon.pipeline import Pipeline

    paths = paths_of(args)
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


def progress_to_stderr(enabled: bool) -> Callable[[str], None] | None:
    """A callback that prints each stage name on stderr, or None when ``enabled`` is false."""
    if not enabled:
        return None

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    return say


def cmd_build(args: argparse.Namespace) -> int:
    """Run the main job: ingest -> link -> map -> validate -> export -> store."""
    from lowcarbon.network.worker import start_worker

    worker = start_worker()  # first: its imports (networkx, matplotlib) overlap the build's

    from lowcarbon.build import build
    from lowcarbon.pipeline import Pipeline

    paths = paths_of(args)
    out = Path(args.out) if args.out else paths.exports
    # the site goes beside the output folder: site/ at the root, or next to --out
    site = Path(args.site) if args.site else (out.parent / "site" if args.out else paths.site)
    pipe = Pipeline(paths, base=args.base, network_worker=worker)
    verbose = sys.stderr.isatty() and not args.quiet
    result = build(
        pipe,
        out=out,
        check=args.check,
        site_out=None if (args.check or args.no_site) else site,
        store=None if (args.check or args.no_store) else paths.store,
        progress=progress_to_stderr(verbose),
    )
    if args.check:
        print(f"{out} is up to date ({len(result.files)} files)")
    else:
        print(result.summary())
    return EXIT_OK


def cmd_site(args: argparse.Namespace) -> int:
    """Build the static site alone (every stage runs; exports/ is left as it is)."""
    from lowcarbon.build import build
    from lowcarbon.pipeline import Pipeline

    paths = paths_of(args)
    site = Path(args.out) if args.out else paths.site
    verbose = sys.stderr.isatty() and not args.quiet
    result = build(
        Pipeline(paths, base=args.base),
        out=None,
        site_out=site,
        progress=progress_to_stderr(verbose),
    )
    size = sum(len(b) for b in result.site.values())
    print(f"site written: {site}/ ({len(result.site)} files, {size:,} bytes)")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic project root of the real one's shape (docs/scale.md)."""
    from lowcarbon.synth import synthesize

    root = synthesize(
        paths_of(args),
        Path(args.out),
        cities=args.cities,
        items_per_city=args.items_per_city,
        seed=args.seed,
    )
    print(f"wrote {args.out}: {root.summary()}\nbuild it with: lowcarbon build --root {args.out}")
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    """The co-participation networks of the graph (or of RDF files): findings, files, figures."""
    from rdflib import RDF, URIRef

    from lowcarbon.export.registry import NETWORK_REPORT
    from lowcarbon.fileio import folder_in_use, replace_tree
    from lowcarbon.network import SEED, network_files
    from lowcarbon.network.files import METRICS_JSON
    from lowcarbon.pipeline import Pipeline
    from lowcarbon.validate.shacl import load_data

    out = Path(args.out) if args.out else None
    if out is not None and folder_in_use(out) is not None:
        raise InputError(
            str(out), None, "--out: expected an absent or empty folder (analyze replaces nothing)"
        )
    if args.files:
        graph = load_data([Path(f) for f in args.files])
    else:
        graph = Pipeline(paths_of(args), base=args.base).graph
    city = URIRef(f"{args.base}ontology#{entity_kind('city').types[0]}")
    if next(iter(graph.subjects(RDF.type, city)), None) is None:
        where = ", ".join(args.files) if args.files else "the graph of --root"
        raise InputError(
            where, None, f"no city (no <{city}>); expected a published graph under --base"
        )
    files, _ = network_files(
        graph,
        args.base,
        figures=out is not None and not args.no_figures,
        include_not_done=args.include_not_done,
        seed=SEED if args.seed is None else args.seed,
    )
    shown = files[METRICS_JSON if args.format == "json" else NETWORK_REPORT]
    sys.stdout.write(shown.decode("utf-8"))
    if out is not None:
        replace_tree(out, {p.removeprefix("network/"): b for p, b in files.items()})
        print(f"wrote {len(files)} files to {out}/", file=sys.stderr)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the built graph (default) or the given RDF files against the shapes."""
    from lowcarbon.pipeline import Pipeline
    from lowcarbon.validate import validate_files, validate_graph

    pipe = Pipeline(paths_of(args), base=args.base)
    if args.files:  # the shapes and ontology of --root, not the package's
        files = [Path(f) for f in args.files]
        report = validate_files(
            files, shapes=pipe.shapes, ontology=pipe.ontology, engine=args.engine
        )
    else:
        report = validate_graph(
            pipe.graph, shapes=pipe.shapes, ontology=pipe.ontology, engine=args.engine
        )
    render = {"human": report.to_human, "turtle": report.to_turtle, "json": report.to_json}
    text = render[args.format]()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK if report.conforms else EXIT_STALE


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve site/: the pages, Linked Data content negotiation, a read-only SPARQL endpoint."""
    from lowcarbon.publish.server import serve

    paths = paths_of(args)
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

    paths = paths_of(args)
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

    paths = paths_of(args)
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
