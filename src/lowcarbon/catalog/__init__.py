"""The curated entities in ``data/entities/*.yaml``: ids, labels, aliases, cited facts."""

from __future__ import annotations

from lowcarbon.catalog.read import (
    KINDS,
    PROPERTIES,
    REFERENCES,
    Catalog,
    CatalogError,
    Entity,
    Fact,
    check_sources,
    dump_entities,
    format_catalog,
    load_catalog,
    normalize,
)

__all__ = [
    "KINDS",
    "PROPERTIES",
    "REFERENCES",
    "Catalog",
    "CatalogError",
    "Entity",
    "Fact",
    "check_sources",
    "dump_entities",
    "format_catalog",
    "load_catalog",
    "normalize",
]
