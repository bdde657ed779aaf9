"""Shared fixtures: the project root and the parsed source document."""

from __future__ import annotations

from pathlib import Path

import pytest

from lowcarbon.paths import Paths
from lowcarbon.source import Document, read_source

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def paths() -> Paths:
    return Paths(ROOT)


@pytest.fixture(scope="session")
def doc(paths: Paths) -> Document:
    return read_source(paths.source)


@pytest.fixture(scope="session")
def source_bytes(paths: Paths) -> bytes:
    return paths.source.read_bytes()
