"""The curated YAML files are hostile until checked: anchors, tags, duplicates, depth, numbers.

Each defect once passed ``lowcarbon catalog`` and then crashed or misled ``build``; each is
now an error naming file and line (exit 2). A fuzz of mutated catalog and links files ends
in success or one such error, never another exception.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lowcarbon.catalog import CatalogError, load_catalog
from lowcarbon.cli import main
from lowcarbon.errors import InputError
from lowcarbon.link.judgments import LinkError, load_links
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.yamlread import MAX_DEPTH, MAX_YAML_BYTES

ROOT = Path(__file__).resolve().parent.parent
ENTITIES = ROOT / "data" / "entities"
LINKS = ROOT / "data" / "links.yaml"
CITIES = (ENTITIES / "cities.yaml").read_text(encoding="utf-8")
TAIPEI_LAT = "value: Q166977"  # a fact value in cities.yaml (Chiayi County's Wikidata id)
A_FACT = "property: wikidata\n    value: Q166977"  # the whole fact, to turn into a latitude


def _lat(value: str) -> str:
    return f"property: lat\n    {value}"


def _catalog_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "entities"  # cities.yaml alone: its entries refer to no other file
    folder.mkdir(parents=True)
    (folder / "cities.yaml").write_text(text, encoding="utf-8")
    return folder


def test_cities_alone_load(tmp_path: Path) -> None:
    assert len(load_catalog(_catalog_with(tmp_path, CITIES))) == 10


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("- id: taipei", "- &t id: taipei", 1), "anchor &t is not accepted"),
        (lambda t: t + "- *t\n", "not accepted"),
        (lambda t: t.replace(TAIPEI_LAT, "value: !!binary MjUuMDM3NQ==", 1), "tag"),
        (lambda t: t.replace(TAIPEI_LAT, "value: !!python/object:os.system x", 1), "tag"),
        (lambda t: t.replace(A_FACT, _lat("value: '1_0'"), 1), "is not a number"),
        (lambda t: t.replace(A_FACT, _lat("value: '0x19'"), 1), "is not a number"),
        (lambda t: t.replace(A_FACT, _lat("value: 'nan'"), 1), "is not a number"),
        (lambda t: t.replace("\n", "\r\n"), "CRLF line endings"),
        (lambda t: t.replace("Taipei", "Tai\u2028pei", 1), "line separator U+2028"),
        (lambda t: t.replace("Taipei", "Tai\x85pei", 1), "line separator U+0085"),
        (lambda t: "\ufeff" + t, "byte-order mark"),
        (lambda t: t.replace("Taipei", "Tai\x07pei", 1), "control character U+0007"),
        (lambda t: t + "- x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "nested"),
        (lambda t: "[" * 100_000 + "]" * 100_000, "nested deeper than"),
        (lambda t: t + "# " + "x" * MAX_YAML_BYTES + "\n", "at most"),
    ],
)
def test_catalog_refusals(tmp_path: Path, edit: object, message: str) -> None:
    assert TAIPEI_LAT in CITIES
    assert callable(edit)
    folder = _catalog_with(tmp_path, edit(CITIES))
    with pytest.raises(CatalogError, match=re.escape(message)) as e:
        load_catalog(folder)
    assert str(e.value).startswith(str(folder / "cities.yaml"))


def test_per_entity_limits(tmp_path: Path) -> None:
    many = "  aliases:\n" + "".join(f"  - Alias {i}\n" for i in range(101))
    text = CITIES.replace("    zh-Hant: 臺北市\n", "    zh-Hant: 臺北市\n" + many, 1)
    with pytest.raises(CatalogError, match="more than 100 aliases"):
        load_catalog(_catalog_with(tmp_path, text))
    fact = "  - property: history\n    value: x\n    source: https://example.org/\n"
    text = CITIES.replace("    source: https://www.wikidata.org/wiki/Q1867\n",
                          "    source: https://www.wikidata.org/wiki/Q1867\n" + fact * 101, 1)  # fmt: skip
    with pytest.raises(CatalogError, match="more than 100 facts"):
        load_catalog(_catalog_with(tmp_path / "f", text))


def _project(tmp_path: Path) -> Path:
    for folder in ("data", "ontology"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("source: item:新北市/activity/5", "source: item:新北市/activity/99", "is not an item of"),
        (
            "source: http://www.taipeitimes.com/News/front/archives/2010/12/26/2003491895",
            'source: http://www.taipeitimes.com/a<b>"c',
            "neither an http",
        ),
    ],
)
def test_checked_by_catalog_never_seen_by_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    root = _project(tmp_path)
    path = next(p for p in (root / "data" / "entities").glob("*.yaml") if old in p.read_text())
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    for argv in (["catalog"], ["build", "--check"]):
        assert main([argv[0], "--root", str(root), *argv[1:]]) == 2
        err = capsys.readouterr().err
        assert message in err and f"{path}:" in err and "Traceback" not in err, err


def test_a_duplicate_key_in_links_is_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    links = root / "data" / "links.yaml"
    text = links.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("  reason:"))
    links.write_text(text.replace(first, first + "\n" + first, 1), encoding="utf-8")
    p = Pipeline(Paths(root))
    with pytest.raises(LinkError, match=r"duplicate key 'reason' \(first on line \d+\)"):
        load_links(links, p.document, p.catalog)


# --- the fuzz -----------------------------------------------------------------------------


def _mutate(text: str, draw: st.DrawFn) -> str:
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(["flip", "delete", "swap", "indent", "truncate", "cr", "c0", "anchor"])
    )
    if kind == "flip":
        raw = bytearray(text.encode())
        k = draw(st.integers(0, len(raw) - 1))
        raw[k] ^= 1 << draw(st.integers(0, 6))
        return raw.decode("utf-8", "replace")
    if kind == "delete":
        del lines[i]
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else "  " + lines[i]
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    elif kind == "cr":
        lines[i] += "\r"
    elif kind == "c0":
        lines[i] += chr(draw(st.integers(0, 31)))
    elif kind == "anchor":
        lines[i] = lines[i].replace(": ", ": &a ", 1) + "\nx: *a"
    return "\n".join(lines)


FUZZ = settings(
    max_examples=150,
    deadline=5000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_fuzz_catalog(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    """150 mutated cities.yaml files (derandomized, eight kinds of mutation): under 1 s idle."""
    text = _mutate(CITIES, data.draw)
    folder = _catalog_with(tmp_path_factory.mktemp("fuzz"), text)
    try:
        load_catalog(folder)
    except CatalogError as exc:
        assert str(exc).startswith(str(folder)), exc


@FUZZ
@given(data=st.data())
def test_fuzz_links(
    tmp_path_factory: pytest.TempPathFactory, pipe: Pipeline, data: st.DataObject
) -> None:
    """150 mutated links.yaml files (derandomized, eight kinds of mutation): under 1 s idle."""
    path = tmp_path_factory.mktemp("fuzz") / "links.yaml"
    path.write_text(_mutate(LINKS.read_text(encoding="utf-8"), data.draw), encoding="utf-8")
    try:
        load_links(path, pipe.document, pipe.catalog)
    except InputError as exc:
        assert str(exc).startswith(str(path)), exc
