"""The main job: ingest, link, map, validate, export, store, analyse, in order."""

from __future__ import annotations

import difflib
import itertools
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lowcarbon import export, validate
from lowcarbon.errors import NotConformingError, StaleError, UnresolvedMentionsError
from lowcarbon.export import metadata
from lowcarbon.export.registry import check_outputs
from lowcarbon.fileio import recover_tree, replace_tree
from lowcarbon.ingest.source import records_csv
from lowcarbon.pipeline import Pipeline
from lowcarbon.publish import site as site_mod
from lowcarbon.vocab import NQUADS_DUMP

__all__ = [
    "BuildResult",
    "Change",
    "StaleError",
    "UnresolvedMentionsError",
    "build",
    "compare_tree",
    "render_diffs",
]


@dataclass
class BuildResult:
    """What a build produced: the files, counts and time per stage."""

    files: dict[str, bytes]
    #: the site's files, relative to the site folder (pages and a copy of the dataset)
    site: dict[str, bytes] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    written: bool = False
    site_folder: str | None = None
    store_quads: int | None = None

    def summary(self) -> str:
        """A one-screen summary: counts, files, time per stage."""
        lines = ["lowcarbon build"]
        lines.append("  " + ", ".join(f"{k}: {v}" for k, v in self.counts.items()))
        total = sum(len(b) for b in self.files.values())
        verb = "written" if self.written else "computed"
        lines.append(f"  files {verb}: {len(self.files)} ({total:,} bytes)")
        for path in sorted(self.files):
            lines.append(f"    {path:<40} {len(self.files[path]):>10,}")
        if self.site:
            size = sum(len(b) for b in self.site.values())
            where = f"written: {self.site_folder}/" if self.site_folder else "computed, not written"
            lines.append(f"  site {where} ({len(self.site)} files, {size:,} bytes)")
        if self.store_quads is not None:
            lines.append(f"  embedded store: {self.store_quads:,} quads")
        lines.append(
            "  time: "
            + ", ".join(f"{stage} {secs:.2f}s" for stage, secs in self.timings)
            + f" (total {sum(s for _, s in self.timings):.2f}s)"
        )
        return "\n".join(lines)


@dataclass(frozen=True)
class Change:
    """One difference between an output folder and a fresh build.

    ``kind`` says what a build would do to the folder: add a missing file, remove an extra
    one, or change one; ``str()`` names the folder's state ("missing X", "extra X",
    "changed X").
    """

    kind: Literal["added", "removed", "changed"]
    path: str

    def __str__(self) -> str:
        word = {"added": "missing", "removed": "extra", "changed": "changed"}[self.kind]
        return f"{word} {self.path}"


def compare_tree(out: Path, files: Mapping[str, bytes]) -> list[Change]:
    """Differences between ``out`` and the expected files, sorted by path within each kind."""
    diffs: list[Change] = []
    for rel in sorted(files):
        p = out / rel
        if not p.is_file():
            diffs.append(Change("added", rel))
        elif p.read_bytes() != files[rel]:
            diffs.append(Change("changed", rel))
    if out.is_dir():
        for p in sorted(out.rglob("*")):
            rel = p.relative_to(out).as_posix()
            if p.is_file() and rel not in files:
                diffs.append(Change("removed", rel))
    return diffs


_DIFF_MAX_BYTES = 4_000_000  # beyond this, name the file without diffing it


def _text(data: bytes) -> str | None:
    if b"\0" in data or len(data) > _DIFF_MAX_BYTES:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def render_diffs(
    out: Path,
    files: Mapping[str, bytes],
    changes: list[Change],
    *,
    max_files: int = 5,
    max_lines: int = 20,
) -> list[str]:
    """A short unified diff (folder -> fresh build) of the first few changed text files."""
    texts: list[tuple[str, str, str]] = []
    for change in changes:
        if change.kind != "changed":
            continue
        old, new = _text((out / change.path).read_bytes()), _text(files[change.path])
        if old is not None and new is not None:
            texts.append((change.path, old, new))
    lines: list[str] = []
    for rel, old, new in texts[:max_files]:
        diff = difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            fromfile=f"{out / rel}",
            tofile=f"fresh build/{rel}",
            lineterm="",
        )
        head = list(itertools.islice(diff, max_lines + 1))
        lines.extend(head[:max_lines])
        if len(head) > max_lines:
            lines.append(f"@@ ... diff of {rel} cut after {max_lines} lines @@")
    if len(texts) > max_files:
        lines.append(f"... and {len(texts) - max_files} more changed text file(s)")
    return lines


@contextmanager
def _stage(
    result: BuildResult, name: str, progress: Callable[[str], None] | None
) -> Iterator[None]:
    """Time one stage; a stage made in two parts (export, site) is one entry, the sum."""
    if progress:
        progress(f"{name}…")
    t0 = time.perf_counter()
    yield
    secs = time.perf_counter() - t0
    for i, (known, before) in enumerate(result.timings):
        if known == name:
            result.timings[i] = (name, before + secs)
            return
    result.timings.append((name, secs))


def build(
    pipe: Pipeline,
    *,
    out: Path | None,
    check: bool = False,
    site_out: Path | None = None,
    store: Path | None = None,
    progress: Callable[[str], None] | None = None,
    network_worker: bool = True,
) -> BuildResult:
    """Run every stage; replace the folder ``out`` as a whole (all files or none) unless ``check``.

    ``out`` receives the dataset (``exports/``; ``None``: not written), ``site_out`` the site
    (pages and a copy of the dataset; ``None``: not made at all). Each folder is replaced as a
    whole. ``check`` compares ``out`` with a fresh build and writes nothing. The network's
    files (figures: matplotlib) are made in a second process while this one goes on
    (``network_worker``; the same bytes as made here, see :meth:`Pipeline.network_aside`).
    The worker is a spawned process, which imports the caller's main module: a script that
    builds at its top level puts that under ``if __name__ == "__main__":``.

    Raises StaleError (check mode, or a stale records file), UnresolvedMentionsError,
    NotConformingError (nothing is written), or an InputError for bad input.
    """
    if check and out is None:
        raise ValueError("check needs the folder to compare")
    result = BuildResult(files={})
    if not check:
        for folder in (out, site_out):
            if folder is not None:
                recover_tree(folder)  # an interrupted earlier build: old output back
    with pipe.network_aside(enabled=network_worker):
        _make(pipe, result, site=site_out is not None, progress=progress)
    files = result.files
    result.counts = {
        "records": len(pipe.document.records),
        "statements": len(pipe.linked.statements),
        "entities": len(pipe.catalog),
        "triples": len(pipe.graph),
    }
    if check and out is not None:
        diffs = compare_tree(out, files)
        if diffs:
            patch = render_diffs(out, files, diffs)
            raise StaleError(
                f"{out} differs from a fresh build; run `lowcarbon build`:\n"
                + "\n".join(f"  {d}" for d in diffs)
                + ("\n\n" + "\n".join(patch) if patch else "")
            )
        return result
    # The store is loaded in a thread while the folders are written (pyoxigraph lets go of
    # the GIL): a store newer than a failed write is stamped with other N-Quads than those of
    # exports/, and the next query rebuilds it (query.store.ensure_store).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lowcarbon-store") as pool:
        loaded = None
        if store is not None:
            from lowcarbon.query import store as store_mod

            loaded = pool.submit(store_mod.refresh_store, store, files[NQUADS_DUMP])
        with _stage(result, "write", progress):
            if out is not None:
                replace_tree(out, files)  # the whole folder at once; files it no longer makes go
            if site_out is not None:
                replace_tree(site_out, result.site)
                result.site_folder = str(site_out)
            result.written = True
        if loaded is not None:
            with _stage(result, "store", progress):  # what is left of it after the write
                result.store_quads = loaded.result()
    return result


def _make(
    pipe: Pipeline, result: BuildResult, *, site: bool, progress: Callable[[str], None] | None
) -> None:
    """Every stage up to the files (and the site's, if ``site``), into ``result``.

    The network is sent off as soon as it is read, before the graph is validated (a graph
    that does not conform stops the build before its files are taken back); the RDF files and
    the site's resource pages, which do not need it, are made while it is analysed and drawn,
    and the rest (the tables describe the network's, the metadata records every file's size
    and digest) once its files are back.
    """
    with _stage(result, "ingest", progress):
        fresh = records_csv(pipe.document)
        recorded = pipe.paths.records
        if not recorded.is_file() or recorded.read_text(encoding="utf-8") != fresh:
            raise StaleError(f"{recorded} is stale: run `lowcarbon ingest` and review the diff")
    with _stage(result, "link", progress):
        linked = pipe.linked
        unplaced = linked.coverage.unplaced
        if linked.warnings or unplaced:
            lines = "\n".join(f"  {w}" for w in [*linked.warnings, *unplaced])
            raise UnresolvedMentionsError(
                f"{len(linked.warnings)} unresolved mention(s) and {len(unplaced)} unplaced "
                "clause(s); add the entity or an alias to data/entities/, or a reasoned "
                f"entry (map, add, exclude) to data/links.yaml:\n{lines}"
            )
    with _stage(result, "map", progress):
        data = pipe.graph
    with _stage(result, "network", progress):
        pipe.send_network()  # read here, analysed and drawn in the network worker from now on
    with _stage(result, "validate", progress):
        st = pipe.prepared_data.statements  # the N-Triples it publishes: validated as written
        report = validate.validate_graph(
            data,
            shapes=pipe.shapes,
            ontology=pipe.ontology,
            written=validate.NTriples(st.ntriples, st.literals()),
        )
        if not report.conforms:
            raise NotConformingError(
                "the graph does not conform to ontology/shapes.ttl; nothing was written\n"
                + report.to_human()
            )
    with _stage(result, "export", progress):
        pipe.data_files  # noqa: B018 - the files that do not need the network, first
    pages: dict[str, bytes] | None = None
    source: bytes | None = None
    if site:
        with _stage(result, "site", progress):
            source = pipe.paths.source.read_bytes()
            pages = site_mod.resource_pages(data, pipe.ontology, base=pipe.base, source=source)
    with _stage(result, "figures", progress):
        pipe.network  # noqa: B018 - back from the worker (or made here)
    with _stage(result, "export", progress):
        files = dict(pipe.described_files)
        files.update(metadata.metadata_files(pipe.metadata, base=pipe.base))
        files.update(
            export.dataset_files(pipe.named_graphs, base=pipe.base, prepared=pipe.prepared_data)
        )
        files["README.md"] = export.readme(files)
        check_outputs(files)  # every file in the registry, every fixed row written
        result.files = files
    if site:  # the site is not compared by --check: not made unless written
        with _stage(result, "site", progress):
            result.site = site_mod.site_files(
                data, pipe.ontology, base=pipe.base, dataset=files, source=source, pages=pages
            )
