"""The command line: exit codes and output together.

The installed entry point runs in a subprocess twice: once for help and an error (its exit
code is the process's), once as the suite's child-process determinism test (``build
--check`` under another hash seed). Every other command is ``lowcarbon.cli.main`` in this
process, from the repository root as the installed command would be.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from lowcarbon.cli import main

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "tests" / "shapes" / "invalid"


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Ran:
    """``lowcarbon ARGS`` in this process: exit code (argparse's SystemExit too) and output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return Ran(code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # --root defaults to the current directory


def test_entry_point_help_and_exit_codes(tmp_path: Path) -> None:
    """The installed script: help on stdout with exit 0, an error on stderr with exit 2."""
    exe = Path(sys.executable).parent / "lowcarbon"

    def script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
        )

    r = script("--help")
    assert r.returncode == 0, r.stderr
    assert "validate" in r.stdout and "Exit codes" in r.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://e.org/> .\nx:a x:b .\n", encoding="utf-8")
    r = script("validate", str(bad))
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.startswith(f"error: {bad}") and "Traceback" not in r.stderr


def test_build_check_passes_under_another_hash_seed() -> None:
    """The one child-process determinism test: every file of a build, another PYTHONHASHSEED.

    rdflib and Python iterate sets and dicts in hash order, which must never reach the bytes.
    The committed exports/ were written by another process; tests/test_build.py checks them
    against a build in this one (a random hash seed), and the child checks them under a fixed
    seed: the data, the ontology and shapes, the tables, the networks, the metadata, the site.
    """
    exe = Path(sys.executable).parent / "lowcarbon"
    r = subprocess.run(
        [str(exe), "build", "--check"],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"{Path('exports')} is up to date (")


def test_help_lists_every_command() -> None:
    r = run("--help")
    assert r.returncode == 0, r.stderr
    for command in ("ingest", "link", "catalog", "build", "validate"):
        assert command in r.stdout
    for command in ("build", "validate", "link", "catalog"):
        sub = run(command, "--help")
        assert sub.returncode == 0 and "usage: lowcarbon " + command in sub.stdout, sub.stderr


def test_validate_built_graph_conforms() -> None:
    r = run("validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("conforms")


def test_validate_exported_files_conform() -> None:
    r = run("validate", "exports/rdf/lowcarbon.ttl", "exports/ontology/lowcarbon.ttl")
    assert r.returncode == 0, r.stdout + r.stderr


def test_validate_invalid_file_exit_1_with_sentence() -> None:
    case = INVALID / "StatementShape-malformed-gyear.ttl"
    r = run("validate", str(case))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "violation" in r.stdout.splitlines()[0]
    assert "gYear" in r.stdout
    j = run("validate", "-f", "json", str(case))
    assert j.returncode == 1 and j.stdout.lstrip().startswith("{")


def test_validate_unparseable_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://e.org/> .\nx:a x:b .\n", encoding="utf-8")
    r = run("validate", str(bad))
    assert r.returncode == 2
    assert str(bad) in r.stderr and ":2" in r.stderr


def test_catalog_check_and_format_check() -> None:
    r = run("catalog")
    assert r.returncode == 0 and "(114 entities)" in r.stdout, r.stderr
    r = run("catalog", "--format", "--check")
    assert r.returncode == 0, r.stderr


def test_public_api_is_importable_lazily() -> None:
    import lowcarbon

    missing = [name for name in lowcarbon.__all__ if not hasattr(lowcarbon, name)]
    assert not missing
    r = subprocess.run(
        [sys.executable, "-c", "import sys, lowcarbon.query; print('pyshacl' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert r.stdout.strip() == "False"  # a query's child process does not load the validator
