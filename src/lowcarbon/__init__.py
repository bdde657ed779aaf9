"""Taiwan City Low-Carbon Diplomacy Knowledge Graph: toolkit and open dataset.

The public API is importable from here; modules load on first use, so that a light import
(the CLI's ``--help``, a query's child process) does not pay for pyshacl and rdflib plugins.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from lowcarbon.build import BuildResult, build
    from lowcarbon.catalog import Catalog, Entity, load_catalog
    from lowcarbon.errors import InputError, LowcarbonError, NotConformingError
    from lowcarbon.graph.mapping import DEFAULT_BASE, Minter, build_graph
    from lowcarbon.ingest.dates import Date, DateRange, Precision, find_dates, parse_date
    from lowcarbon.ingest.source import Column, Document, Header, Record, SourceError, read_source
    from lowcarbon.link import Kind, Linked, Statement, Status, link_document
    from lowcarbon.link.judgments import Links, load_links
    from lowcarbon.paths import Paths
    from lowcarbon.pipeline import Pipeline
    from lowcarbon.validate import Report, validate_graph

_EXPORTS: dict[str, str] = {
    "BuildResult": "lowcarbon.build",
    "Catalog": "lowcarbon.catalog",
    "Column": "lowcarbon.ingest",
    "DEFAULT_BASE": "lowcarbon.graph",
    "Date": "lowcarbon.ingest",
    "DateRange": "lowcarbon.ingest",
    "Document": "lowcarbon.ingest",
    "Entity": "lowcarbon.catalog",
    "Header": "lowcarbon.ingest",
    "InputError": "lowcarbon.errors",
    "Kind": "lowcarbon.link",
    "Linked": "lowcarbon.link",
    "Links": "lowcarbon.link",
    "LowcarbonError": "lowcarbon.errors",
    "Minter": "lowcarbon.graph",
    "NotConformingError": "lowcarbon.errors",
    "Paths": "lowcarbon.paths",
    "Pipeline": "lowcarbon.pipeline",
    "Precision": "lowcarbon.ingest",
    "Record": "lowcarbon.ingest",
    "Report": "lowcarbon.validate",
    "SourceError": "lowcarbon.ingest",
    "Statement": "lowcarbon.link",
    "Status": "lowcarbon.link",
    "build": "lowcarbon.build",
    "build_graph": "lowcarbon.graph",
    "find_dates": "lowcarbon.ingest",
    "link_document": "lowcarbon.link",
    "load_catalog": "lowcarbon.catalog",
    "load_links": "lowcarbon.link",
    "parse_date": "lowcarbon.ingest",
    "read_source": "lowcarbon.ingest",
    "validate_graph": "lowcarbon.validate",
}

__all__ = [
    "DEFAULT_BASE",
    "BuildResult",
    "Catalog",
    "Column",
    "Date",
    "DateRange",
    "Document",
    "Entity",
    "Header",
    "InputError",
    "Kind",
    "Linked",
    "Links",
    "LowcarbonError",
    "Minter",
    "NotConformingError",
    "Paths",
    "Pipeline",
    "Precision",
    "Record",
    "Report",
    "SourceError",
    "Statement",
    "Status",
    "__version__",
    "build",
    "build_graph",
    "find_dates",
    "link_document",
    "load_catalog",
    "load_links",
    "parse_date",
    "read_source",
    "validate_graph",
]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lowcarbon' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
