"""Shared fixtures: the project root, the parsed source document, the shared pipeline.

The dataset and server fixtures of tests/servers.py are registered here, once: a
session-scoped fixture imported into several test modules is made once per module.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from lowcarbon.ingest.source import Document, read_source
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline
from servers import dataset_nq, oxigraph_server, rdflib_dataset, virtuoso_server

__all__ = ["dataset_nq", "oxigraph_server", "rdflib_dataset", "virtuoso_server"]

ROOT = Path(__file__).resolve().parent.parent

#: The slowest test files, slowest first: they are collected first, so that `make test`'s
#: workers (pytest-xdist, --dist loadfile --no-loadscope-reorder, which hands out whole
#: files in collection order) start on them and end together. The rest keep their order.
SLOW_FILES = (
    "test_build.py",
    "test_export.py",
    "test_servers.py",
    "test_rdf.py",
    "test_cli.py",
    "test_query.py",
    "test_atomic_build.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES)

    items.sort(key=rank)  # stable: within a file, and among the others, the order stays


@pytest.fixture(scope="session")
def paths() -> Paths:
    return Paths(ROOT)


@pytest.fixture(scope="session")
def doc(paths: Paths) -> Document:
    return read_source(paths.source)


@pytest.fixture(scope="session")
def source_bytes(paths: Paths) -> bytes:
    return paths.source.read_bytes()


@pytest.fixture(scope="session")
def pipe(paths: Paths) -> Pipeline:
    """The pipeline over the repository, shared: tests must not mutate its graphs."""
    return Pipeline(paths)


@pytest.fixture()
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection raises."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate-cases",
        action="store_true",
        default=False,
        help="rewrite tests/cases/*/expected.ttl from the current mapping (review the diff)",
    )
