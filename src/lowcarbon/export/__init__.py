"""Deterministic dumps, tables, dataset metadata and networks."""

from __future__ import annotations

from lowcarbon.export.rdf import (
    MEDIA_TYPES,
    PreparedData,
    data_files,
    dataset_files,
    jsonld_context,
    media_type,
    prefixes,
    prepare_data,
    readme,
)
from lowcarbon.export.syntax import json_bytes, turtle

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
