"""Atomic file writing: outputs appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_atomic", "write_many_atomic"]


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place."""
    write_many_atomic({path: data})


def write_many_atomic(files: Mapping[Path, bytes | str]) -> None:
    """Write several files; if any write fails, none of them is replaced.

    Every file is first written to a temporary sibling; only when all are written are they
    renamed into place (renames on one filesystem do not fail for lack of space).
    """
    staged: list[tuple[Path, str]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            raw = data.encode("utf-8") if isinstance(data, str) else data
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((path, tmp))
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
        for path, tmp in staged:
            os.replace(tmp, path)
        staged.clear()
    finally:
        for _, tmp in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
