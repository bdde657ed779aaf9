"""Statements and catalog to RDF; every IRI is minted here."""

from __future__ import annotations

from lowcarbon.graph.mapping import (
    DEFAULT_BASE,
    GEO,
    ORG,
    SCHEMA,
    Minter,
    bind_prefixes,
    build_graph,
    rebase_graph,
)

__all__ = [
    "DEFAULT_BASE",
    "GEO",
    "ORG",
    "SCHEMA",
    "Minter",
    "bind_prefixes",
    "build_graph",
    "rebase_graph",
]
