"""A build replaces its output folder all or nothing, even when SIGKILLed half-way.

The kills come from the test hooks in lowcarbon.fileio (LOWCARBON_TEST_KILL_*). End to end,
one `lowcarbon build` runs in a subprocess and is killed after a file drawn at random (fixed
seed) from its whole staging; a build takes seconds, so only one. The other kill points run
replace_tree alone in a child process, which is the build's whole write stage: after the
first file, after another drawn at random from the whole staging, and at the swap with the
atomic exchange and with the two-rename fallback. The tree written is the committed exports/
(the 700-odd files a build writes), copied once. Each file is fsynced, so the tests write
whole trees only where the behaviour needs one: after a kill, recover_tree (the first step
of the next run) shows what the next run starts from; replacing a clean tree is covered by
the small-tree tests below and by every build.
"""

from __future__ import annotations

import ctypes
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lowcarbon import fileio
from lowcarbon.build import Change, compare_tree, render_diffs
from lowcarbon.fileio import recover_tree, replace_tree

ROOT = Path(__file__).resolve().parent.parent
LOWCARBON = Path(sys.executable).with_name("lowcarbon")
KILLED = -signal.SIGKILL

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL test hooks")


def _file_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


#: How many files a build writes (the committed exports hold exactly those).
FILES = _file_count(ROOT / "exports")
_RNG = random.Random(20110630)  # noqa: S311 - a fixed seed, not a secret
#: Where the end-to-end build is killed: a file drawn at random from the whole staging.
BUILD_KILL = _RNG.randint(1, FILES)
#: Kill points of replace_tree alone: the first file, and one at random after it.
STAGING_KILLS = [1, _RNG.randint(2, FILES)]


def manifest(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (dotfiles too), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    """Staging folders, moved-aside trees and temporaries anywhere under ``root``."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if ".new-" in p.name or ".old-" in p.name or p.name.endswith(".tmp")
    )


def run_build(out: Path, site: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    args = [str(LOWCARBON), "build", "--root", str(ROOT), "--out", str(out), "--no-store", "-q"]
    args += ["--site", str(site)] if site else ["--no-site"]
    return subprocess.run(
        args, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )


def run_replace(out: Path, source: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """replace_tree(out, <the files under source>) in a child process."""
    code = (
        "import sys; from pathlib import Path; from lowcarbon.fileio import replace_tree\n"
        "src = Path(sys.argv[2])\n"
        "files = {p.relative_to(src).as_posix(): p.read_bytes()"
        " for p in src.rglob('*') if p.is_file()}\n"
        "replace_tree(Path(sys.argv[1]), files)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(out), str(source)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def make_old(fresh: Path, out: Path) -> dict[str, bytes]:
    """A copy of ``fresh`` that differs from it (changed, extra and missing files)."""
    shutil.copytree(fresh, out)
    (out / "README.md").write_text("an older build\n")
    (out / "gone-in-the-new-build.txt").write_text("old\n")
    (out / "csv" / "cities.csv").unlink()
    return manifest(out)


def exchange_works(tmp: Path) -> bool:
    a, b = tmp / "probe-a", tmp / "probe-b"
    a.mkdir()
    b.mkdir()
    try:
        return fileio.exchange(a, b)
    finally:
        a.rmdir()
        b.rmdir()


def dead_pid() -> int:
    code = "import os; print(os.getpid())"
    child = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(child.stdout)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of a build (a copy of the committed exports), in a folder no test changes."""
    out = tmp_path_factory.mktemp("fresh") / "exports"
    shutil.copytree(ROOT / "exports", out)
    assert _file_count(out) == FILES > 10
    return out


def test_kill_points_are_inside_the_staging() -> None:
    assert 1 <= BUILD_KILL <= FILES
    assert STAGING_KILLS[0] == 1 < STAGING_KILLS[1] <= FILES


def test_killed_build_leaves_the_old_output_whole(fresh: Path, tmp_path: Path) -> None:
    """`lowcarbon build` itself, SIGKILLed while it stages; then replaced whole."""
    out = tmp_path / "exports"
    old = make_old(fresh, out)
    killed = run_build(out, LOWCARBON_TEST_KILL_AFTER_WRITES=str(BUILD_KILL))
    assert killed.returncode == KILLED, killed.stderr
    assert manifest(out) == old
    (staging,) = tmp_path.glob(".exports.new-*")  # the half-written staging folder
    assert len(manifest(staging)) == BUILD_KILL
    assert leftovers(tmp_path) == [staging.name]

    recover_tree(out)  # what the next build does first: the dead build's staging goes
    assert leftovers(tmp_path) == []
    assert manifest(out) == old


@pytest.mark.parametrize("writes", STAGING_KILLS)
def test_kill_while_staging(fresh: Path, tmp_path: Path, writes: int) -> None:
    out = tmp_path / "exports"
    old = make_old(fresh, out)
    killed = run_replace(out, fresh, LOWCARBON_TEST_KILL_AFTER_WRITES=str(writes))
    assert killed.returncode == KILLED, killed.stderr
    assert manifest(out) == old
    (staging,) = tmp_path.glob(".exports.new-*")
    assert len(manifest(staging)) == writes

    recover_tree(out)
    assert leftovers(tmp_path) == []
    assert manifest(out) == old


def test_kill_between_the_fallback_renames(fresh: Path, tmp_path: Path) -> None:
    """The two-rename fallback, killed between its renames: the old tree is aside, whole."""
    out = tmp_path / "exports"
    old = make_old(fresh, out)
    killed = run_replace(out, fresh, LOWCARBON_TEST_KILL_AT="swap", LOWCARBON_TEST_NO_EXCHANGE="1")
    assert killed.returncode == KILLED, killed.stderr
    assert not out.exists()
    (aside,) = tmp_path.glob(".exports.old-*")
    assert manifest(aside) == old

    recover_tree(out)  # the next run (a build calls it first) puts the old tree back
    assert leftovers(tmp_path) == []
    assert manifest(out) == old


def test_kill_just_after_the_exchange(fresh: Path, tmp_path: Path) -> None:
    if not exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) on this filesystem")
    out = tmp_path / "exports"
    old = make_old(fresh, out)
    killed = run_replace(out, fresh, LOWCARBON_TEST_KILL_AT="swap")
    assert killed.returncode == KILLED, killed.stderr
    assert manifest(out) == manifest(fresh)  # swapped in one step: wholly new
    (aside,) = tmp_path.glob(".exports.new-*")  # the old tree, not yet removed
    assert manifest(aside) == old

    recover_tree(out)
    assert leftovers(tmp_path) == []
    assert manifest(out) == manifest(fresh)


def test_fallback_replaces_and_recovers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "_renameat2", lambda: None)
    out = tmp_path / "out"
    replace_tree(out, {"a.txt": "one", "sub/b.txt": b"two"})  # out missing: a plain rename
    replace_tree(out, {"a.txt": "uno", "c.txt": "tres"})
    assert manifest(out) == {"a.txt": b"uno", "c.txt": b"tres"}
    assert leftovers(tmp_path) == []

    # A build killed between the two renames, with a stray temporary of the old scheme.
    pid = dead_pid()
    (out / ".a.txt.k3j_x9.tmp").write_text("half")
    os.rename(out, tmp_path / f".out.old-{pid}")
    (tmp_path / f".out.new-{pid}").mkdir()
    (tmp_path / f".out.new-{pid}" / "a.txt").write_text("new")
    recover_tree(out)
    assert manifest(out) == {"a.txt": b"uno", "c.txt": b"tres"}
    assert leftovers(tmp_path) == []

    # A moved-aside tree with `out` present is removed; a running process's is kept.
    (tmp_path / f".out.old-{pid}").mkdir()
    (tmp_path / f".out.new-{os.getppid()}").mkdir()
    replace_tree(out, {"d.txt": "cuatro"})
    assert manifest(out) == {"d.txt": b"cuatro"}
    assert leftovers(tmp_path) == [f".out.new-{os.getppid()}"]


def test_filesystem_without_exchange_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def einval(*args: object) -> int:
        ctypes.set_errno(errno.EINVAL)
        return -1

    monkeypatch.setattr(fileio, "_renameat2", lambda: einval)
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    assert fileio.exchange(tmp_path / "x", tmp_path / "y") is False
    out = tmp_path / "out"
    replace_tree(out, {"a": "1"})
    replace_tree(out, {"b": "2"})
    assert manifest(out) == {"b": b"2"}


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    if not exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) on this filesystem")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f").write_text("a")
    (tmp_path / "b").mkdir()
    assert fileio.exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "f").read_text() == "a"
    assert not (tmp_path / "a" / "f").exists()


def test_paths_must_stay_inside(tmp_path: Path) -> None:
    for bad in ("../x", "/etc/x", "a//b", "./a"):
        with pytest.raises(ValueError, match="relative path"):
            replace_tree(tmp_path / "out", {bad: "x"})
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


def test_replace_tree_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(NotADirectoryError):
        replace_tree(tmp_path / "out", {"a": "1"})
    assert (tmp_path / "out").read_text() == "not a folder"
    assert leftovers(tmp_path) == []


def test_changes_and_a_short_diff(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {f"t{i}.txt": f"line\nnew {i}\n".encode() for i in range(7)}
    files["bin.dat"] = b"\0new"
    files["added.txt"] = b"x"
    out.mkdir()
    for rel in files:
        (out / rel).write_bytes(b"\0old" if rel == "bin.dat" else b"line\nold\n")
    (out / "added.txt").unlink()
    (out / "extra.txt").write_text("x")
    changes = compare_tree(out, files)
    assert Change("added", "added.txt") in changes
    assert Change("removed", "extra.txt") in changes
    assert Change("changed", "bin.dat") in changes
    assert [str(c) for c in changes[:2]] == ["missing added.txt", "changed bin.dat"]
    lines = render_diffs(out, files, changes, max_files=5, max_lines=20)
    assert lines.count(f"--- {out / 't0.txt'}") == 1
    assert "+new 0" in lines and "-old" in lines
    assert not any("bin.dat" in line for line in lines)
    assert lines[-1] == "... and 2 more changed text file(s)"
    short = render_diffs(out, files, changes, max_files=1, max_lines=3)
    assert short[3].startswith("@@ ... diff of t0.txt cut after 3 lines")


def test_a_kill_while_writing_the_site_leaves_each_folder_whole(
    fresh: Path, tmp_path: Path
) -> None:
    """The dataset is replaced first, then the site: a kill between leaves new + old."""
    out, site = tmp_path / "exports", tmp_path / "site"
    make_old(fresh, out)
    site.mkdir()
    (site / "index.html").write_text("the old site\n")
    killed = run_build(out, site, LOWCARBON_TEST_KILL_AFTER_WRITES=str(FILES + 50))
    assert killed.returncode == KILLED, killed.stderr
    assert manifest(out) == manifest(fresh)
    assert manifest(site) == {"index.html": b"the old site\n"}
    recover_tree(site)  # what the next build does first
    assert leftovers(tmp_path) == []
    assert manifest(site) == {"index.html": b"the old site\n"}


def test_the_staged_tree_is_flushed_once_or_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With Linux's syncfs, one flush makes the staged tree durable before the swap (an fsync
    # per file made the write stage of a 20,000-file site take 24 s); without it, every file
    # and folder is fsynced. Either way the folder holds exactly the files.
    from lowcarbon import fileio

    files = {f"d{i % 3}/f{i}.txt": f"{i}\n" for i in range(30)}
    calls: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (calls.append(fd), real_fsync(fd))[1])
    if fileio._syncfs() is not None:
        fileio.replace_tree(tmp_path / "one", files)
        assert len(calls) <= 2  # the parent folder after the swap, not the files
    calls.clear()
    monkeypatch.setattr(fileio, "_syncfs", lambda: None)
    fileio.replace_tree(tmp_path / "each", files)
    assert len(calls) >= len(files) + 3  # every file, every folder
    for out in [tmp_path / "each"] + ([tmp_path / "one"] if (tmp_path / "one").exists() else []):
        got = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
        assert got == files
