"""The ``lowcarbon`` command: parses arguments and calls the pipeline stages."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from lowcarbon import __version__
from lowcarbon.errors import EXIT_ERROR, EXIT_OK, EXIT_STALE, LowcarbonError, exit_code_for
from lowcarbon.fileio import write_atomic
from lowcarbon.paths import Paths
from lowcarbon.source import read_source, records_csv

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(Path(args.root))


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read the source document and write (or check) data/records.csv."""
    paths = _paths(args)
    src = Path(args.source) if args.source else paths.source
    out = Path(args.output) if args.output else paths.records
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


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", default=".", help="project root (default: current directory)")


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
