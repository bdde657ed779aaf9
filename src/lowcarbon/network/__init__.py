"""Co-participation networks read off the published graph: graphs, metrics, files, figures."""

from __future__ import annotations

from rdflib import Graph

from lowcarbon.export.csvw import Table
from lowcarbon.network.analysis import Network, analyze
from lowcarbon.network.files import graph_files, network_tables
from lowcarbon.network.metrics import SEED
from lowcarbon.network.model import CO_KINDS, Link, NetworkData, Node, read_network
from lowcarbon.network.report import report_files
from lowcarbon.vocab import DEFAULT_BASE

__all__ = [
    "CO_KINDS",
    "SEED",
    "Link",
    "Network",
    "NetworkData",
    "Node",
    "analyze",
    "network_files",
    "read_network",
]


def network_files(
    graph: Graph,
    base: str = DEFAULT_BASE,
    *,
    figures: bool = True,
    include_not_done: bool = False,
    seed: int = SEED,
) -> tuple[dict[str, bytes], list[tuple[Table, bytes]]]:
    """Every ``network/*`` file of a published graph, and its CSV tables with their specs.

    The tables come with their descriptions for the data package and the CSVW metadata.
    ``include_not_done`` and ``seed`` are :func:`analyze`'s (metrics.json records both).
    """
    net = analyze(graph, base, include_not_done=include_not_done, seed=seed)
    tables = network_tables(net)
    files = graph_files(net, tables)
    files.update(report_files(net, figures=figures))
    if figures:
        from lowcarbon.network.figures import figure_files  # matplotlib: imported only here

        files.update(figure_files(net))
    return files, tables
