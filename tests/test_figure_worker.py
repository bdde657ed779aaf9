"""The figures drawn in a second process: the same bytes, warnings and errors as drawn here."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

import lowcarbon.build
import lowcarbon.pipeline
from lowcarbon.build import build
from lowcarbon.errors import InputError
from lowcarbon.network import Network
from lowcarbon.network.figures import NoCJKFontWarning, figure_files
from lowcarbon.network.worker import FigureWorker, start_worker
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline


@pytest.fixture(scope="module")
def net(pipe: Pipeline) -> Network:
    return pipe.analysis


def _plain(net: Network) -> dict[str, bytes]:
    """Drawn without a CJK font: warns."""
    return figure_files(net, find=False)


def _fails(net: Network) -> dict[str, bytes]:
    raise InputError("figures.txt", 3, f"no figure of {len(net.data.cities)} cities")


def _dies_in_a_worker(net: Network) -> dict[str, bytes]:
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return {"drawn": b"here"}


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_build_with_the_worker_gives_the_bytes_of_one_without(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The figures are byte-identical wherever they are drawn; so are the dataset and the site,
    # whose metadata records every figure's size and digest.
    started: list[FigureWorker | None] = []

    def spy() -> FigureWorker | None:
        started.append(start_worker())
        return started[-1]

    monkeypatch.setattr(lowcarbon.pipeline, "start_worker", spy)
    aside = build(Pipeline(paths), out=tmp_path / "a", site_out=tmp_path / "a-site")
    here = build(
        Pipeline(paths), out=tmp_path / "b", site_out=tmp_path / "b-site", figure_worker=False
    )
    assert len(started) == 1 and started[0] is not None, "the first build drew in a worker"
    assert aside.files == here.files
    assert aside.site == here.site
    assert "network/figures/bipartite.png" in aside.files


def test_a_warning_in_the_worker_is_a_warning_here(net: Network) -> None:
    with pytest.warns(NoCJKFontWarning, match="fonts-noto-cjk"):
        expected = _plain(net)
    worker = FigureWorker(_plain)
    worker.submit(net)
    with pytest.warns(NoCJKFontWarning, match="fonts-noto-cjk"):
        assert worker.figures() == expected


def test_an_error_in_the_worker_is_the_same_error_here(net: Network) -> None:
    # InputError's __init__ takes (path, line, message): rebuilt without calling it
    with FigureWorker(_fails) as worker:
        worker.submit(net)
        with pytest.raises(InputError, match=r"^figures\.txt:3: no figure of \d+ cities") as info:
            worker.figures()
    assert info.value.path == "figures.txt" and info.value.line == 3
    assert "raised in the figure worker" in "".join(info.value.__notes__)
    assert "_fails" in "".join(info.value.__notes__)  # the worker's traceback


def test_a_worker_that_died_leaves_the_figures_to_this_process(net: Network) -> None:
    worker = FigureWorker(_dies_in_a_worker)
    worker.submit(net)
    assert worker.figures() == {"drawn": b"here"}


def test_no_worker_outlives_an_interrupted_build(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C (or any error) while the figures are drawn: the worker is ended, not left behind.
    started: list[int] = []

    def spy() -> FigureWorker | None:
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
