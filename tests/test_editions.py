"""A second edition of the table goes in without silent loss (tests/editions/2012/README.md).

The edition is made up: the real header with a later period, a new city and new spellings. It
is built end to end by the command line into a project root of its own, with the real
catalog plus the new city, and checked statement by statement.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from lowcarbon.cli import main
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
EDITION = Path(__file__).resolve().parent / "editions" / "2012"
SOURCE = "honor-roll-2012.txt"


def make_root(tmp: Path, source_text: str | None = None) -> Path:
    """A project root: the edition's document and checksum, the real catalog plus the new city."""
    root = tmp / "edition"
    (root / "data" / "source").mkdir(parents=True)
    text = source_text if source_text is not None else (EDITION / SOURCE).read_text("utf-8")
    data = text.encode("utf-8")
    (root / "data" / "source" / SOURCE).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (root / "data" / "source" / "SHA256SUMS").write_text(f"{digest}  {SOURCE}\n")
    shutil.copytree(ROOT / "data" / "entities", root / "data" / "entities")
    for path in (root / "data" / "entities").glob("*.yaml"):
        # facts citing an item of the 2011 edition cannot stand in this one (docs/editions.md)
        entries = yaml.safe_load(path.read_text("utf-8")) or []
        for e in entries:
            facts = [f for f in e.get("facts", []) if not str(f["source"]).startswith("item:")]
            e.pop("facts", None)
            if facts:
                e["facts"] = facts
        path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), "utf-8")
    cities = root / "data" / "entities" / "cities.yaml"
    cities.write_text(
        cities.read_text("utf-8") + (EDITION / "new-city.yaml").read_text("utf-8"), "utf-8"
    )
    assert main(["catalog", "--root", str(root), "--format"]) == 0  # as docs/editions.md says
    (root / "data" / "links.yaml").write_text("", "utf-8")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    assert main(["ingest", "--root", str(root), "-o", str(root / "data" / "records.csv")]) == 0
    return root


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(Paths(make_root(tmp_path_factory.mktemp("e"))))


def test_the_document_is_the_one_its_checksum_names(edition: Pipeline) -> None:
    assert edition.paths.source.name == SOURCE
    assert edition.document.header.cities == ("臺北市", "新竹市")


def test_the_period_comes_from_the_header(edition: Pipeline) -> None:
    period = edition.document.header.period
    assert (period.start.lexical, period.end and period.end.lexical) == ("2004", "2012-06")


def test_every_item_is_placed(edition: Pipeline) -> None:
    linked = edition.linked
    assert not linked.warnings, [str(w) for w in linked.warnings]
    assert not linked.coverage.unplaced, [str(c) for c in linked.coverage.unplaced]
    got = {
        (s.city, s.kind.value, s.target, s.status.value, s.date.start.lexical if s.date else None)
        for s in linked.statements
    }
    assert got == {
        ("taipei", "membership", "iclei", "done", "2007"),
        # a day inside the last month of the period (101年6月4日) is inside it
        ("taipei", "signing", "mexico-city-pact", "done", "2012-06-04"),
        # 周 for 週 and a space: the catalog's ICLEI20週年年會
        ("taipei", "participation", "iclei-incheon-congress-2010", "done", "2010-10-04"),
        # "COP 17", and 100年12月 is inside this edition's period
        ("taipei", "participation", "cop17", "done", "2011-12"),
        ("hsinchu", "membership", "iclei", "done", "2012-03"),
    }


def test_the_edition_builds_end_to_end(edition: Pipeline, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    args = ["build", "--root", str(edition.paths.root), "--out", str(out)]
    assert main([*args, "--no-store", "--no-site", "-q"]) == 0
    nt = (out / "rdf" / "lowcarbon.nt").read_text("utf-8")
    assert "/id/city/hsinchu>" in nt and "/id/membership/hsinchu--iclei>" in nt
    assert '"2004/2012-06"' in nt  # the document's temporal coverage, from its header


def test_an_unknown_event_stops_the_build_naming_item_line_clause_and_candidate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (EDITION / SOURCE).read_text("utf-8")
    unknown = text.replace("參加韓國仁川ICLEI 20周年年會", "參加韓國仁川ICLEI 20週年會議")
    assert unknown != text
    root = make_root(tmp_path, unknown)
    args = ["build", "--root", str(root), "--out", str(tmp_path / "x"), "--no-store", "-q"]
    assert main(args) == 1
    err = capsys.readouterr().err
    line = next(n for n, t in enumerate(unknown.splitlines(), 1) if "20週年會議" in t)
    assert f"臺北市/activity/1 (line {line})" in err
    assert "no statement from the clause '99年10月4～7日參加韓國仁川ICLEI 20週年會議'" in err
    assert "did you mean" in err and "(iclei-incheon-congress-2010)" in err
    assert not (tmp_path / "x").exists()  # nothing written


def test_a_header_without_a_period_is_refused(tmp_path: Path) -> None:
    text = (EDITION / SOURCE).read_text("utf-8").replace("\n~101\n", "\n", 1)
    root = tmp_path / "r"
    (root / "data" / "source").mkdir(parents=True)
    (root / "data" / "source" / SOURCE).write_text(text, "utf-8")
    assert main(["ingest", "--root", str(root), "-o", "-"]) == 2
