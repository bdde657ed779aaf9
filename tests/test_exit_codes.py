"""Exit codes as documented: 0 success, 1 only "does not conform" or "stale", 2 bad input or error.

One table, every command, each row a situation; plus the ``validate FILE`` defects that
once ended in exit 1 (the code for "does not conform") with a traceback.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lowcarbon.cli import main

ROOT = Path(__file__).resolve().parent.parent
TTL = "<http://e/a> <http://e/p> <http://e/o> .\n"
NOT_CONFORMING = (
    "@prefix lcd: <https://w3id.org/lowcarbon-diplomacy/ontology#> .\n"
    "<https://w3id.org/lowcarbon-diplomacy/id/city/x> a lcd:LocalGovernment .\n"
)


def _write(name: str, data: str | bytes) -> Callable[[Path], str]:
    def make(tmp: Path) -> str:
        path = tmp / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return str(path)

    return make


def _fifo(tmp: Path) -> str:
    path = tmp / "pipe.ttl"
    os.mkfifo(path)
    return str(path)


def _device(tmp: Path) -> str:
    path = tmp / "zero.ttl"
    path.symlink_to("/dev/zero")
    return str(path)


FILES: list[tuple[str, Callable[[Path], str], int, str]] = [
    ("conforms", _write("ok.ttl", TTL), 0, "conforms"),
    ("does not conform", _write("bad.ttl", NOT_CONFORMING), 1, ""),
    ("empty file", _write("empty.ttl", ""), 2, "no triples"),
    ("IRI with a space", _write("space.ttl", "<http://a b> <http://e/p> 1 .\n"), 2, "not an IRI"),
    ("JSON-LD 2000 deep", _write("deep.jsonld", "[" * 2000 + "]" * 2000), 2, "nested too deeply"),
    ("JSON-LD 100 deep", _write("d.jsonld", "[" * 100 + "]" * 100), 2, "at most 64"),
    (
        "a 4301-digit integer (JSON)",
        _write("int.jsonld", '{"@id": "http://e/a", "http://e/p": ' + "9" * 4301 + "}"),
        2,
        "4300 digits",
    ),
    ("a 4301-digit integer (Turtle)", _write("i.ttl", f"<http://e/a> <http://e/p> {'9' * 4301} .\n"), 2, "4300 digits"),
    ("remote @context", _write("ctx.jsonld", '{"@context": "http://e/ctx", "@id": "x"}'), 2, "not allowed"),
    ("not UTF-8", _write("latin.ttl", b"<http://e/a> <http://e/p> \"\xe9\" .\n"), 2, "not UTF-8"),
    ("bad Turtle", _write("broken.ttl", "<http://e/a> <http://e/p> .\n"), 2, "broken.ttl:1"),
    ("a device", _device, 2, "not a regular file"),
    ("a FIFO", _fifo, 2, "not a regular file"),
    ("no such file", lambda tmp: str(tmp / "missing.ttl"), 2, "no such file"),
    ("unknown extension", _write("x.txt", TTL), 2, "unknown RDF file extension"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "make", "code", "needle"), FILES, ids=[f[0] for f in FILES])
def test_validate_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    make: Callable[[Path], str],
    code: int,
    needle: str,
) -> None:
    path = make(tmp_path)
    assert main(["validate", "--root", str(ROOT), path]) == code, case
    out, err = capsys.readouterr()
    assert needle in out + err
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith(f"error: {path}")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    for folder in ("data", "ontology"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_validate_uses_the_shapes_of_root(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write("ok.ttl", TTL)(project)
    (project / "ontology" / "shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                                                     "this is not turtle\n")  # fmt: skip
    assert main(["validate", "--root", str(project), data]) == 2
    err = capsys.readouterr().err
    assert "shapes.ttl:2: not valid Turtle (SHACL shapes)" in err and "Traceback" not in err
    assert main(["build", "--root", str(project), "--check"]) == 2
    assert "shapes.ttl:2:" in capsys.readouterr().err


def _stale_records(root: Path) -> None:
    records = root / "data" / "records.csv"
    records.write_text(records.read_text(encoding="utf-8") + "x\n", encoding="utf-8")


def _broken_catalog(root: Path) -> None:
    (root / "data" / "entities" / "cities.yaml").write_text("- id: [\n", encoding="utf-8")


def _bad_source(root: Path) -> None:
    (root / "data" / "source" / "SHA256SUMS").unlink()
    (root / "data" / "source" / "honor-roll-2011.txt").write_bytes(b"\x00")


COMMANDS: list[tuple[str, Callable[[Path], None] | None, list[str], int]] = [
    ("ingest --check, fresh", None, ["ingest", "--check"], 0),
    ("ingest --check, stale records", _stale_records, ["ingest", "--check"], 1),
    ("ingest, bad source", _bad_source, ["ingest", "--check"], 2),
    ("catalog, fine", None, ["catalog"], 0),
    ("catalog, broken YAML", _broken_catalog, ["catalog"], 2),
    ("build --check, stale records", _stale_records, ["build", "--check"], 1),
    ("build --check, broken YAML", _broken_catalog, ["build", "--check"], 2),
    ("validate, fine", None, ["validate"], 0),
    ("query, syntax error", None, ["query", "SELECT nonsense"], 2),
    ("query, SERVICE", None, ["query", "SELECT * { SERVICE <http://127.0.0.1:9/> {} }"], 2),
    ("query, --timeout 0", None, ["query", "--timeout", "0", "SELECT * {}"], 2),
    ("load, not http", None, ["load", "ftp://u:p@h/x", "--dry-run"], 2),
    ("unknown command", None, ["frobnicate"], 2),
]


@pytest.mark.parametrize(("case", "setup", "argv", "code"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_exit_code_table(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    setup: Callable[[Path], None] | None,
    argv: list[str],
    code: int,
) -> None:
    if setup is not None:
        setup(project)
    try:
        got = main([argv[0], "--root", str(project), *argv[1:]])
    except SystemExit as exc:  # argparse usage errors
        got = int(exc.code or 0)
    assert got == code, case
    assert "Traceback" not in capsys.readouterr().err
