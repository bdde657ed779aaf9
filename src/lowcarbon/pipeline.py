"""Loading the inputs and running the stages in order, for the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph

from lowcarbon import export, network
from lowcarbon.catalog import Catalog, check_sources, load_catalog
from lowcarbon.export import tables
from lowcarbon.export.metadata import metadata_graph
from lowcarbon.graph.mapping import DEFAULT_BASE, bind_prefixes, build_graph, rebase_graph
from lowcarbon.ingest.source import Document, read_source, verify_checksum
from lowcarbon.link import Linked, link_document
from lowcarbon.link.judgments import Links, load_links
from lowcarbon.network.worker import NetworkWorker, start_worker
from lowcarbon.paths import Paths
from lowcarbon.validate.shacl import read_turtle
from lowcarbon.vocab import GRAPH_NAMES, graph_iri

__all__ = ["Pipeline"]


@dataclass
class Pipeline:
    """The stages over one project root; each result is computed once, on first use."""

    paths: Paths
    base: str = DEFAULT_BASE
    lenient: bool = False
    #: a network worker started already (the CLI starts it before its imports), for
    #: :meth:`network_aside`, which ends it
    network_worker: NetworkWorker | None = field(default=None, repr=False)
    _network_worker: NetworkWorker | None = field(default=None, init=False, repr=False)

    @cached_property
    def document(self) -> Document:
        """The source document, parsed, after its digest is checked against SHA256SUMS."""
        verify_checksum(self.paths.source, self.paths.source_sha256)
        return read_source(self.paths.source, lenient=self.lenient)

    @cached_property
    def catalog(self) -> Catalog:
        """The curated catalog, its item sources checked against the source document."""
        catalog = load_catalog(self.paths.entities)
        check_sources(catalog, {r.ref for r in self.document.records})
        return catalog

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

    def _parse(self, path: Path, what: str) -> Graph:
        g = Graph()
        bind_prefixes(g)
        return rebase_graph(read_turtle(path, what, g), self.base)

    @cached_property
    def ontology(self) -> Graph:
        """The OWL ontology, under this pipeline's base."""
        return self._parse(self.paths.ontology, "ontology")

    @cached_property
    def shapes(self) -> Graph:
        """The SHACL shapes, under this pipeline's base."""
        return self._parse(self.paths.shapes, "SHACL shapes")

    @cached_property
    def network_data(self) -> network.NetworkData:
        """The network's input read off the data graph (cities, targets, statement links)."""
        return network.read_network(self.graph, self.base)

    @contextmanager
    def network_aside(self, *, enabled: bool = True) -> Iterator[None]:
        """Within: the network's files are made in a second process, ended on the way out.

        The process is :attr:`network_worker`, else starts now, so that its imports (networkx,
        matplotlib) overlap the first stages; :meth:`send_network` gives it the network,
        :attr:`network` takes the files. On one core, when no process can start, or not
        ``enabled``, they are made in this process.
        """
        given, self.network_worker = self.network_worker, None
        made = "network" in vars(self)  # computed already (cached): nothing to make
        if given is not None and (made or not enabled):
            given.close()
            given = None
        worker = given or (start_worker() if enabled and not made else None)
        self._network_worker = worker
        try:
            yield
        finally:
            self._network_worker = None
            if worker is not None:
                worker.close()

    def send_network(self) -> None:
        """Start the network's files: the network goes to the worker, if there is one.

        The build sends it before it validates the graph (the worker draws meanwhile). A
        network that cannot be read is not sent: :attr:`network` reads it again here, and
        raises, when it is asked for, which a build does only after the graph conforms.
        """
        worker = self._network_worker
        if worker is not None and not worker.sent and "network" not in vars(self):
            try:
                data = self.network_data
            except Exception:  # raised again by `network`, after validation
                return
            worker.submit(data)

    @cached_property
    def network(self) -> network.NetworkOutputs:
        """The ``network/*`` files read off the data graph, and the network's CSV tables."""
        worker = self._network_worker
        if worker is not None:
            self.send_network()
        if worker is None or not worker.sent:
            return network.data_outputs(self.network_data)
        return worker.outputs()

    @cached_property
    def prepared_data(self) -> export.PreparedData:
        """The data graph as the writers read it, copied once for every file of it."""
        return export.prepare_data(self.graph, base=self.base)

    @cached_property
    def data_files(self) -> dict[str, bytes]:
        """The RDF files of the data, the ontology and the shapes."""
        return export.data_files(
            self.graph, self.ontology, self.shapes, base=self.base, prepared=self.prepared_data
        )

    @cached_property
    def table_files(self) -> dict[str, bytes]:
        """The CSV tables, the data package and the CSVW metadata (the network's tables too)."""
        return tables.table_files(
            self.document, self.catalog, self.linked, base=self.base, described=self.network[1]
        )

    @cached_property
    def described_files(self) -> dict[str, bytes]:
        """The export files the metadata describes: RDF of the data, tables, networks."""
        return {**self.data_files, **self.table_files, **self.network[0]}

    @cached_property
    def metadata(self) -> Graph:
        """The dataset description (DCAT, VoID) of the graph and the described files."""
        iris = {n: graph_iri(self.base, n) for n in GRAPH_NAMES}
        sizes = {"ontology": len(self.ontology), "shapes": len(self.shapes)}
        return metadata_graph(
            self.graph,
            self.described_files,
            base=self.base,
            graph_iris=iris,
            graph_sizes=sizes,
            statements=self.prepared_data.statements,
        )

    @property
    def named_graphs(self) -> dict[str, Graph]:
        """Graph IRI -> graph, for every named graph of the published dataset."""
        graphs = {
            "data": self.graph,
            "ontology": self.ontology,
            "shapes": self.shapes,
            "metadata": self.metadata,
        }
        return {graph_iri(self.base, n): graphs[n] for n in GRAPH_NAMES}
