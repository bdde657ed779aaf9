"""The registry of exported files drives the build, the README, DCAT and the docs."""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from lowcarbon.export.registry import (
    DATA_DUMPS,
    GRAPH_DUMPS,
    OUTPUTS,
    SELF_DESCRIBING,
    check_outputs,
    output_for,
)
from lowcarbon.vocab import FORMAT_NAMES, MEDIA_TYPES

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "lowcarbon"
EXPORTS = sorted(
    p.relative_to(ROOT / "exports").as_posix() for p in (ROOT / "exports").rglob("*") if p.is_file()
)


def test_every_committed_file_has_exactly_its_row() -> None:
    check_outputs(EXPORTS)
    for path in EXPORTS:
        matches = [o.pattern for o in OUTPUTS if fnmatchcase(path, o.pattern)]
        # a file matched by a fixed row and a pattern is fine (first wins); two patterns are not
        assert len([m for m in matches if "*" in m]) <= 1, (path, matches)
        assert output_for(path).pattern == matches[0]


def test_a_file_without_a_row_or_a_row_without_a_file_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the registry"):
        check_outputs([*EXPORTS, "rdf/lowcarbon.xyz"])
    with pytest.raises(ValueError, match=r"wrote no rdf/lowcarbon\.nt"):
        check_outputs([p for p in EXPORTS if p != "rdf/lowcarbon.nt"])


@pytest.mark.parametrize("out", OUTPUTS, ids=lambda o: o.pattern)
def test_row_is_complete(out: object) -> None:
    from lowcarbon.export.registry import Output

    assert isinstance(out, Output)
    ext = Path(out.pattern).suffix
    assert ext in MEDIA_TYPES and ext in FORMAT_NAMES, f"{out.pattern}: no media type / format"
    assert (SRC / out.producer).is_file(), f"{out.pattern}: producer {out.producer} is no module"
    if out.dump:
        assert out.pattern.startswith("rdf/"), out.pattern


def test_metadata_lists_follow_the_registry() -> None:
    assert "README.md" in SELF_DESCRIBING and "rdf/lowcarbon.ttl" in DATA_DUMPS
    # the dumps of all four named graphs are not dumps of the data graph's dataset
    assert set(GRAPH_DUMPS) == {"rdf/lowcarbon.nq", "rdf/lowcarbon.trig"}
    assert not set(DATA_DUMPS) & set(GRAPH_DUMPS)
    assert set(DATA_DUMPS) | set(GRAPH_DUMPS) <= {o.pattern for o in OUTPUTS}


def test_no_exported_path_is_spelled_outside_its_producer() -> None:
    """Only the module that writes a file spells its path (and the registry, which lists it)."""
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in ("export/registry.py", "vocab.py"):
            continue
        text = path.read_text(encoding="utf-8")
        for out in OUTPUTS:
            mine = out.producer == rel or out.pattern == "README.md"
            if out.fixed and not mine and f'"{out.pattern}"' in text:
                wrong.append(f"{rel} spells {out.pattern} (written by {out.producer})")
    assert not wrong, "\n".join(wrong)
