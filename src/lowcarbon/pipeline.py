"""Loading the inputs and running the stages in order, for the CLI and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph

from lowcarbon.catalog import Catalog, load_catalog
from lowcarbon.link import Linked, Links, link_document, load_links
from lowcarbon.paths import Paths
from lowcarbon.rdf import DEFAULT_BASE, build_graph
from lowcarbon.source import Document, read_source

__all__ = ["Pipeline"]


@dataclass
class Pipeline:
    """The stages over one project root; each result is computed once, on first use."""

    paths: Paths
    base: str = DEFAULT_BASE
    lenient: bool = False

    @cached_property
    def document(self) -> Document:
        """The source document, parsed."""
        return read_source(self.paths.source, lenient=self.lenient)

    @cached_property
    def catalog(self) -> Catalog:
        """The curated catalog."""
        return load_catalog(self.paths.entities)

    @cached_property
    def links(self) -> Links:
        """The linking judgment calls."""
        return load_links(self.paths.links, self.document, self.catalog)

    @cached_property
    def linked(self) -> Linked:
        """Statements from every record."""
        return link_document(self.document, self.catalog, self.links)

    @cached_property
    def graph(self) -> Graph:
        """The data graph."""
        return build_graph(self.document, self.catalog, self.linked, base=self.base)
