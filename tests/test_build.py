"""The main job: fresh, deterministic, all-or-nothing exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDFS, Literal, URIRef

from lowcarbon.build import BuildResult, StaleError, UnresolvedMentionsError, build
from lowcarbon.cli import main
from lowcarbon.errors import NotConformingError
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline

BASE = "https://w3id.org/lowcarbon-diplomacy/"


@pytest.fixture(scope="module")
def built(paths: Paths, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    out = tmp_path_factory.mktemp("exports")
    return out, build(Pipeline(paths), out=out)


def test_committed_exports_are_fresh(paths: Paths, built: tuple[Path, BuildResult]) -> None:
    """exports/ is only ever written by the build: it must equal a fresh build byte for byte."""
    _, result = built
    try:
        build(Pipeline(paths), out=paths.exports, check=True)
    except StaleError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"{exc}\nrun `lowcarbon build` and commit exports/")
    assert result.files


def test_two_builds_are_byte_identical(
    paths: Paths, built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    out1, first = built
    second = build(Pipeline(paths), out=tmp_path)
    assert first.files == second.files
    for rel, data in first.files.items():
        assert (out1 / rel).read_bytes() == (tmp_path / rel).read_bytes() == data, rel


def test_check_names_changed_missing_and_extra_files(
    paths: Paths, built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    out, _ = built
    copy = tmp_path / "exports"
    shutil.copytree(out, copy)
    (copy / "rdf" / "lowcarbon.nt").write_bytes(b"")
    (copy / "csv" / "cities.csv").unlink()
    (copy / "stray.txt").write_text("x")
    with pytest.raises(StaleError) as e:
        build(Pipeline(paths), out=copy, check=True)
    msg = str(e.value)
    assert "changed rdf/lowcarbon.nt" in msg
    assert "missing csv/cities.csv" in msg
    assert "extra stray.txt" in msg
    assert f"--- {copy / 'rdf' / 'lowcarbon.nt'}\n+++ fresh build/rdf/lowcarbon.nt" in msg


def test_build_removes_files_it_no_longer_writes(paths: Paths, tmp_path: Path) -> None:
    (tmp_path / "old.ttl").write_text("stale")
    build(Pipeline(paths), out=tmp_path)
    assert not (tmp_path / "old.ttl").exists()


def test_nothing_written_when_graph_does_not_conform(paths: Paths, tmp_path: Path) -> None:
    pipe = Pipeline(paths)
    taipei = URIRef(BASE + "id/city/taipei")
    pipe.graph.remove((taipei, RDFS.label, Literal("Taipei City", lang="en")))
    with pytest.raises(NotConformingError) as e:
        build(pipe, out=tmp_path)
    assert "臺北市" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_unresolved_mention_stops_the_build(paths: Paths, tmp_path: Path) -> None:
    from lowcarbon.ingest.source import parse_source
    from lowcarbon.link import link_document

    pipe = Pipeline(paths)
    text = paths.source.read_text(encoding="utf-8")
    doc = parse_source(text.replace("C40首爾", "「神秘組織」首爾", 1).encode(), "x.txt")
    pipe.__dict__["linked"] = link_document(doc, pipe.catalog, pipe.links)
    with pytest.raises(UnresolvedMentionsError, match="「神秘組織」"):
        build(pipe, out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_other_base_moves_every_iri(paths: Paths, tmp_path: Path) -> None:
    other = "https://example.org/lcd/"
    result = build(Pipeline(paths, base=other), out=tmp_path)
    nt = result.files["rdf/lowcarbon.nt"].decode()
    assert f"<{other}id/city/taipei>" in nt
    assert "w3id.org/lowcarbon-diplomacy" not in nt


def test_cli_build_check_and_bad_base(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--root", str(paths.root), "--check"]) == 0, capsys.readouterr().err
    assert main(["build", "--root", str(paths.root), "--check", "--base", "not an iri"]) == 2
    assert "base" in capsys.readouterr().err


def test_no_site_means_the_site_is_not_made(paths: Paths, tmp_path: Path) -> None:
    # `--no-site` (site_out=None) skips the site stage itself, not only its writing: at scale
    # the site is the largest stage, and a dataset-only build should not pay for it.
    result = build(Pipeline(paths), out=tmp_path / "exports", site_out=None)
    assert result.site == {}
    assert "site" not in dict(result.timings) and "export" in dict(result.timings)
    assert (tmp_path / "exports" / "rdf" / "lowcarbon.nq").is_file()
    assert not (tmp_path / "site").exists()
