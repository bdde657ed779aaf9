"""The network's files made in a second process: the same bytes, warnings and errors as here."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import lowcarbon.build
import lowcarbon.pipeline
from lowcarbon.build import build
from lowcarbon.errors import InputError
from lowcarbon.network import NetworkData, NetworkOutputs, analyze_data
from lowcarbon.network.figures import NoCJKFontWarning, figure_files
from lowcarbon.network.worker import NetworkWorker, start_worker
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline


@pytest.fixture(scope="module")
def data(pipe: Pipeline) -> NetworkData:
    return pipe.network_data


def _plain(data: NetworkData) -> NetworkOutputs:
    """Drawn without a CJK font: warns."""
    return figure_files(analyze_data(data), find=False), []


def _fails(data: NetworkData) -> NetworkOutputs:
    raise InputError("figures.txt", 3, f"no figure of {len(data.cities)} cities")


def _dies_in_a_worker(data: NetworkData) -> NetworkOutputs:
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return {"made": b"here"}, []


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_build_with_the_worker_gives_the_bytes_of_one_without(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The network's files are byte-identical wherever they are made; so are the dataset and
    # the site, whose metadata records every figure's size and digest.
    started: list[NetworkWorker | None] = []

    def spy() -> NetworkWorker | None:
        started.append(start_worker())
        return started[-1]

    monkeypatch.setattr(lowcarbon.pipeline, "start_worker", spy)
    aside = build(Pipeline(paths), out=tmp_path / "a", site_out=tmp_path / "a-site")
    here = build(
        Pipeline(paths), out=tmp_path / "b", site_out=tmp_path / "b-site", network_worker=False
    )
    assert len(started) == 1 and started[0] is not None, "the first build used a worker"
    assert aside.files == here.files
    assert aside.site == here.site
    assert "network/figures/bipartite.png" in aside.files


def test_a_warning_in_the_worker_is_a_warning_here(data: NetworkData) -> None:
    with pytest.warns(NoCJKFontWarning, match="fonts-noto-cjk"):
        expected = _plain(data)
    worker = NetworkWorker(_plain)
    worker.submit(data)
    with pytest.warns(NoCJKFontWarning, match="fonts-noto-cjk"):
        assert worker.outputs() == expected


def test_an_error_in_the_worker_is_the_same_error_here(data: NetworkData) -> None:
    # InputError's __init__ takes (path, line, message): rebuilt without calling it
    with NetworkWorker(_fails) as worker:
        worker.submit(data)
        with pytest.raises(InputError, match=r"^figures\.txt:3: no figure of \d+ cities") as info:
            worker.outputs()
    assert info.value.path == "figures.txt" and info.value.line == 3
    assert "raised in the network worker" in "".join(info.value.__notes__)
    assert "_fails" in "".join(info.value.__notes__)  # the worker's traceback


def test_a_worker_that_died_leaves_the_files_to_this_process(data: NetworkData) -> None:
    worker = NetworkWorker(_dies_in_a_worker)
    worker.submit(data)
    assert worker.outputs() == ({"made": b"here"}, [])


def test_no_worker_outlives_an_interrupted_build(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C (or any error) while the network is drawn: the worker is ended, not left behind.
    started: list[int] = []

    def spy() -> NetworkWorker | None:
        worker = start_worker()
        assert worker is not None and worker.pid is not None
        started.append(worker.pid)
        return worker

    def interrupted(*args: object, **kwargs: object) -> dict[str, bytes]:
        raise KeyboardInterrupt

    monkeypatch.setattr(lowcarbon.pipeline, "start_worker", spy)
    monkeypatch.setattr(lowcarbon.build.site_mod, "resource_pages", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(Pipeline(paths), out=tmp_path / "out", site_out=tmp_path / "site")
    assert len(started) == 1 and _gone(started[0])
    assert not (tmp_path / "out").exists()


def test_one_core_draws_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert start_worker() is None


def test_a_worker_starts_no_worker(data: NetworkData) -> None:
    # a script that builds outside `if __name__ == "__main__":` runs again in the worker
    # (spawn imports the main module); there it must draw in-process, not spawn again
    with NetworkWorker(_nested) as worker:
        worker.submit(data)
        assert worker.outputs() == ({"nested": b"none"}, [])


def _nested(data: NetworkData) -> NetworkOutputs:
    return {"nested": b"none" if start_worker() is None else b"a worker"}, []


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc")
def test_ctrl_c_ends_the_build_and_its_worker_with_one_traceback(tmp_path: Path) -> None:
    # A terminal's Ctrl-C goes to the whole process group, the worker included: it must not
    # print a traceback of its own (it starts with SIGINT ignored), and must not outlive the
    # build. The signal goes as soon as the worker exists, so mostly while it imports.
    root = Path(__file__).resolve().parents[1]
    lowcarbon = Path(sys.executable).with_name("lowcarbon")
    argv = [str(lowcarbon), "build", "--root", str(root), "--out", str(tmp_path / "exports")]
    argv += ["--site", str(tmp_path / "site"), "--no-store", "-q"]
    build_proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    workers: list[int] = []
    for _ in range(60_000):  # until the worker is spawned (a condition, not a clock)
        workers = [c for c in _children(build_proc.pid) if b"spawn_main" in _cmdline(c)]
        if workers or build_proc.poll() is not None:
            break
        threading.Event().wait(0.001)
    assert workers, "the build started no worker"
    os.killpg(build_proc.pid, signal.SIGINT)
    _, err = build_proc.communicate(timeout=120)
    assert build_proc.returncode != 0, err.decode()
    assert err.count(b"Traceback") <= 1, err.decode()  # the build's own KeyboardInterrupt
    assert b"spawn_main" not in err, err.decode()
    for _ in range(60_000):
        if _gone(workers[0]):
            break
        threading.Event().wait(0.001)
    assert _gone(workers[0])
    assert not (tmp_path / "exports").exists()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_network_that_cannot_be_read_is_not_sent_and_raises_when_taken(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build sends the network before it validates the graph; a graph the network reader
    # refuses must not fail there (a non-conforming graph's error comes first), but when the
    # files are taken, after validation, with the reader's own error.
    def unreadable(self: Pipeline) -> NetworkData:
        raise InputError("graph", 1, "a network the reader refuses")

    monkeypatch.setattr(Pipeline, "network_data", property(unreadable))
    pipe = Pipeline(paths)
    with pipe.network_aside():
        worker = pipe._network_worker
        assert worker is not None
        pipe.send_network()
        assert not worker.sent
        with pytest.raises(InputError, match="the reader refuses"):
            pipe.network  # noqa: B018
