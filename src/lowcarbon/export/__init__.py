"""Deterministic dumps, tables, dataset metadata and networks.

The names load on first use, so that a module of the package (``lowcarbon.export.plain``, which
the network worker imports) does not bring the RDF writers with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# light, and named like its module (a lazy name would be shadowed by the submodule)
from lowcarbon.export.readme import MEDIA_TYPES, media_type, readme

if TYPE_CHECKING:
    from lowcarbon.export.rdf import (
        PreparedData,
        data_files,
        dataset_files,
        jsonld_context,
        prefixes,
        prepare_data,
    )
    from lowcarbon.export.syntax import json_bytes, turtle

_HOMES = {
    **dict.fromkeys(
        ("PreparedData", "data_files", "dataset_files", "jsonld_context", "prefixes",
         "prepare_data"),
        "lowcarbon.export.rdf",
    ),
    "json_bytes": "lowcarbon.export.plain",
    "turtle": "lowcarbon.export.syntax",
}  # fmt: skip

__all__ = [
    "MEDIA_TYPES",
    "PreparedData",
    "data_files",
    "dataset_files",
    "json_bytes",
    "jsonld_context",
    "media_type",
    "prefixes",
    "prepare_data",
    "readme",
    "turtle",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
