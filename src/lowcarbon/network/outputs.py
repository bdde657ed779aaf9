"""The network's files of one published graph: the analysis, its tables, report and figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from lowcarbon.export.plain import Table
from lowcarbon.network.analysis import Network, analyze, analyze_data
from lowcarbon.network.files import graph_files, network_tables
from lowcarbon.network.metrics import SEED
from lowcarbon.network.model import NetworkData
from lowcarbon.network.report import report_files
from lowcarbon.vocab import DEFAULT_BASE

if TYPE_CHECKING:  # the worker makes the files of a network read already: no rdflib there
    from rdflib import Graph

__all__ = ["NetworkOutputs", "analysis_files", "data_outputs", "draw_figures", "network_files"]

#: the ``network/*`` files and the network's CSV tables with their specs
NetworkOutputs = tuple[dict[str, bytes], list[tuple[Table, bytes]]]


def network_files(
    graph: Graph,
    base: str = DEFAULT_BASE,
    *,
    figures: bool = True,
    include_not_done: bool = False,
    seed: int = SEED,
) -> NetworkOutputs:
    """Every ``network/*`` file of a published graph, and its CSV tables with their specs.

    The tables come with their descriptions for the data package and the CSVW metadata.
    ``include_not_done`` and ``seed`` are :func:`analyze`'s (metrics.json records both).
    """
    net = analyze(graph, base, include_not_done=include_not_done, seed=seed)
    tables = network_tables(net)
    return analysis_files(net, tables, draw_figures(net) if figures else None), tables


def analysis_files(
    net: Network, tables: list[tuple[Table, bytes]], figures: Mapping[str, bytes] | None
) -> dict[str, bytes]:
    """The ``network/*`` files of an analysis: its tables, report and ``figures`` (if given).

    ``tables``: :func:`network_tables` of ``net``; ``figures``: :func:`draw_figures` of it,
    drawn here or in a :class:`~lowcarbon.network.worker.FigureWorker`.
    """
    files = graph_files(net, tables)
    files.update(report_files(net, figures=figures is not None))
    files.update(figures or {})
    return files


def draw_figures(net: Network) -> dict[str, bytes]:
    """The ``network/figures/*`` files of an analysis, drawn in this process."""
    from lowcarbon.network.figures import figure_files  # matplotlib: imported only here

    return figure_files(net)


def data_outputs(data: NetworkData) -> NetworkOutputs:
    """:func:`network_files` of a network read already, with the defaults and the figures.

    What the build makes (in a :class:`~lowcarbon.network.worker.NetworkWorker`, or here).
    """
    net = analyze_data(data)
    tables = network_tables(net)
    return analysis_files(net, tables, draw_figures(net)), tables
