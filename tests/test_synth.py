"""lowcarbon synth: a deterministic root of the real one's shape that builds for real."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest

from lowcarbon.cli import main
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from lowcarbon.synth import MAX_CITIES, SynthRoot, generate_root

ROOT = Path(__file__).resolve().parent.parent
LCD = "https://w3id.org/lowcarbon-diplomacy/ontology#"


def synth(out: Path, cities: int = 3, items: int = 4, seed: int = 7) -> int:
    argv = ["synth", "--root", str(ROOT), "--cities", str(cities)]
    argv += ["--items-per-city", str(items), "--seed", str(seed), "--out", str(out)]
    return main(argv)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def linked_as_expected(root: Path, made: SynthRoot) -> dict[str, tuple[list[str], list[str]]]:
    """Records whose statements differ from what the generator meant: ref -> (got, want)."""
    linked = Pipeline(Paths(root)).linked
    assert not linked.warnings, linked.warnings
    diffs = {}
    for ref, expects in made.expected.items():
        got = sorted(f"{s.kind.value} {s.target} {s.status.value}" for s in linked.by_record[ref])
        want = sorted(f"{e.kind} {e.target} {e.status}" for e in expects)
        if got != want:
            diffs[ref] = (got, want)
    return diffs


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    assert synth(tmp_path / "a") == 0
    assert synth(tmp_path / "b") == 0
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first == second
    # another process with another string hash seed: no output may depend on set order
    argv = [sys.executable, "-m", "lowcarbon.cli", "synth", "--root", str(ROOT), "--cities", "3"]
    argv += ["--items-per-city", "4", "--seed", "7", "--out", str(tmp_path / "p")]
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "p") == first
    assert synth(tmp_path / "c", seed=8) == 0
    assert tree(tmp_path / "c") != first, "the seed must change the output"


def test_a_small_root_builds_with_every_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "root"
    assert synth(out, cities=3, items=4, seed=11) == 0
    made = generate_root(Paths(ROOT), cities=3, items_per_city=4, seed=11)
    assert tree(out) == made.files
    code = main(["build", "--root", str(out), "--no-store", "-q"])
    assert code == 0, capsys.readouterr().err
    store = pyoxigraph.Store()
    store.load(
        (out / "exports" / "rdf" / "lowcarbon.nq").read_bytes(), pyoxigraph.RdfFormat.N_QUADS
    )

    def count(cls: str) -> int:
        q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{LCD}{cls}> }} }}"
        return int(next(iter(store.query(q)))["n"].value)

    assert count("LocalGovernment") == 3
    assert count("SourceItem") == made.items == 12
    assert count("Statement") == sum(made.statement_counts().values())
    assert linked_as_expected(out, made) == {}


def test_every_item_links_to_the_statements_it_was_written_for(tmp_path: Path) -> None:
    # Many items, so that every template and typo comes up; linking only (no SHACL, no export).
    made = generate_root(Paths(ROOT), cities=75, items_per_city=8, seed=1)
    root = tmp_path / "root"
    for rel, data in made.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    assert linked_as_expected(root, made) == {}
    kinds = {k.split("/")[0] for k in made.statement_counts()}
    assert kinds == {"membership", "signing", "participation", "hosting", "visit", "disclosure"}
    assert {"membership/applied", "membership/planned", "participation/planned"} <= set(
        made.statement_counts()
    )


def test_the_document_has_the_real_forms_and_says_it_is_synthetic() -> None:
    made = generate_root(Paths(ROOT), cities=60, items_per_city=8, seed=3)
    text = made.files["data/source/honor-roll-2011.txt"].decode("utf-8")
    assert text.startswith(
        "附件: 城市低碳外交榮譽榜(各縣市國際參與具體成果)（合成資料，非真實紀錄）"
    )
    assert "not real data" in made.files["README.md"].decode("utf-8")
    for form in (
        r"\d+-\d+年",
        r"\d+年~\d+年",
        r"\d+月\d+[～~-]\d+日",
        r"\d+月初",
        "以下為其他國際交流活動：",
        "\ufa08",
    ):
        assert re.search(form, text), form
    for typo in ("ICELI", "地方環境行動國際委員(?!會)", "全球市長氣侯變遷委員會"):  # hidden aliases
        assert re.search(typo, text), typo
    assert "將" in text and "申請" in text


def test_city_names_never_occur_inside_other_text() -> None:
    # The stems are aliases: found inside a sentence or another name, they would be mentions.
    made = generate_root(Paths(ROOT), cities=200, items_per_city=4, seed=5)
    text = made.files["data/source/honor-roll-2011.txt"].decode("utf-8")
    cities = re.findall(
        r"^  label:\n    en: .*\n    zh-Hant: (.*)$",
        made.files["data/entities/cities.yaml"].decode(),
        re.M,
    )
    assert len(cities) == 200
    names = sorted({n for c in cities for n in (c, c.replace("臺", "台"))}, key=len, reverse=True)
    rest = re.sub("|".join(map(re.escape, names)), "", text)
    stem_chars = {ch for c in cities for ch in c[:-1]} - {"臺"}
    assert not stem_chars & set(rest)


def test_shared_entities_are_heavy_tailed() -> None:
    made = generate_root(Paths(ROOT), cities=200, items_per_city=5, seed=4)
    members = Counter(
        e.target for es in made.expected.values() for e in es if e.kind == "membership"
    )
    assert members.most_common(1)[0][0] == "iclei"
    events = Counter(
        e.target
        for es in made.expected.values()
        for e in es
        if e.kind in ("participation", "hosting")
    )
    sizes = sorted(events.values(), reverse=True)
    assert sizes[0] >= 20 * sizes[len(sizes) // 2], "a few hubs, many small events"
    assert sum(1 for n in sizes if n == 1) > len(sizes) / 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cities", "0"], "--cities: expected a whole number from 1"),
        (["--cities", str(MAX_CITIES + 1)], "--cities: expected a whole number from 1"),
        (["--cities", "2", "--items-per-city", "0"], "--items-per-city: expected a whole number"),
        (["--cities", "2", "--items-per-city", "101"], "--items-per-city: expected a whole number"),
        (["--cities", "2", "--seed", "-1"], "--seed: expected a whole number from 0"),
    ],
)
def test_arguments_out_of_bounds_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    assert main(["synth", "--root", str(ROOT), *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists(), "nothing is written on a usage error"


def test_a_folder_in_use_exits_2_and_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine")
    assert synth(used) == 2
    assert "the folder is not empty" in capsys.readouterr().err
    assert tree(used) == {"keep.txt": b"mine"}
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert synth(a_file) == 2
    assert "not a folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert synth(empty) == 0


def test_not_a_number_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["synth", "--cities", "many", "--out", "x"])
    assert exc.value.code == 2
    assert "--cities: invalid int value" in capsys.readouterr().err


def test_a_document_too_large_for_the_reader_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit (16 MiB) needs ~190,000 items; a smaller one shows the same refusal quickly.
    monkeypatch.setattr("lowcarbon.synth.root.MAX_SOURCE_BYTES", 500)
    assert synth(tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "honor-roll-2011.txt would be" in err and "use fewer --cities" in err
    assert not (tmp_path / "out").exists()


def test_the_scale_report_computes_ratios_and_growth_exponents() -> None:
    # benchmarks/scale.py is not run here (no timed tests); its arithmetic is.
    import importlib.util

    spec = importlib.util.spec_from_file_location("scale", ROOT / "benchmarks" / "scale.py")
    assert spec is not None and spec.loader is not None
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)

    def run(n: int, validate: float, rss: float) -> dict[str, object]:
        times = {"synth": 0.1, "link": 0.01 * n, "validate": validate, "baseline": 0.001 * n}
        times["worker"] = 0.02 * n  # the network worker's CPU: a column of its own
        return {
            "cities": n,
            "items": 5 * n,
            "triples": 150 * n,
            "peak_rss_mb": rss,
            "wall": times,
            "cpu": times,
        }

    a = scale.fastest([run(10, 1.0, 120.0), run(10, 0.5, 100.0)])
    assert a["cpu"]["validate"] == 0.5 and a["peak_rss_mb"] == 100.0
    text = scale.report([a, run(100, 50.0, 300.0)])
    exponents = text.splitlines()[-1].split()
    assert exponents[0] == "10->100"
    columns = ["synth", *scale.STAGES, "build", "baseline", "worker"]
    got = dict(zip(columns, exponents[1:], strict=True))
    assert (got["synth"], got["link"], got["validate"], got["baseline"], got["worker"]) == (
        "0.00",
        "1.00",
        "2.00",
        "1.00",
        "1.00",
    )
    assert got["ingest"] == "-"


def test_the_scale_benchmark_runs_at_its_smallest_size(tmp_path: Path) -> None:
    # The benchmark itself, once, at two cities of two items: it must build for real (every
    # stage timed, the site included) and write its JSON; no figure is checked against a clock.
    out = tmp_path / "scale.json"
    argv = [sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--cities", "2"]
    argv += ["--items-per-city", "2", "--json", str(out), "--timeout", "300", "--inject"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ratio to the baseline" in done.stdout
    assert "triples: reported in" in done.stdout
    record = json.loads(out.read_text(encoding="utf-8"))
    (r,) = record["results"]
    assert r["cities"] == 2 and r["items"] == 4 and r["triples"] > 0
    assert set(r["wall"]) >= {"ingest", "link", "validate", "network", "export", "site", "store"}
    assert record["machine"]["cpus"] >= 1 and record["settings"]["no_site"] is False
    # the injected violation (a done statement without its source) was found by validation
    assert r["injected"]["conforms"] is False
    assert r["injected"]["components"] == ["sh:SPARQLConstraintComponent"]


def test_two_synthetic_builds_are_byte_identical_under_other_hash_seeds(tmp_path: Path) -> None:
    # Outputs at scale are deterministic: a root past the sizes where small-set orders used to
    # show (the network figure over 80 cities), built by two processes with different
    # PYTHONHASHSEEDs, gives the same exports byte for byte.
    root = tmp_path / "root"
    argv = ["synth", "--root", str(ROOT), "--cities", "100", "--items-per-city", "3"]
    assert main([*argv, "--seed", "5", "--out", str(root)]) == 0
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"exports-{seed}"
        cmd = [sys.executable, "-m", "lowcarbon.cli", "build", "--root", str(root), "--out"]
        cmd += [str(out), "--no-site", "--no-store", "-q"]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                      if p.is_file()})  # fmt: skip
    assert trees[0] == trees[1] and len(trees[0]) > 40
