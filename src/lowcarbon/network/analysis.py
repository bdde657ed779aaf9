"""The whole analysis of one published graph: data, graphs, slices and metrics in one value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from lowcarbon.network.graphs import (
    ALPHA,
    MAX_PAIRS,
    Projection,
    YearSlice,
    bipartite_graph,
    city_graph,
    project,
    year_slices,
)
from lowcarbon.network.metrics import EXACT_WORK, SEED, Metrics, compute_metrics
from lowcarbon.network.model import CO_KINDS, NetworkData
from lowcarbon.vocab import DEFAULT_BASE

if TYPE_CHECKING:  # the worker analyses a network read already: no rdflib there
    from rdflib import Graph

__all__ = ["Network", "analyze", "analyze_data"]


@dataclass(frozen=True)
class Network:
    """The networks of one graph and their metrics."""

    data: NetworkData
    bipartite: nx.Graph
    projection: Projection
    cities: nx.Graph
    years: list[YearSlice]
    metrics: Metrics
    parameters: dict[str, object]


def analyze(
    graph: Graph,
    base: str = DEFAULT_BASE,
    *,
    include_not_done: bool = False,
    max_pairs: int = MAX_PAIRS,
    exact_work: int = EXACT_WORK,
    seed: int = SEED,
) -> Network:
    """Read the network off a published data graph and compute every metric.

    The metrics count done statements of the co-participation kinds; ``include_not_done`` adds
    plans and applications of those kinds (the two-mode graph always keeps every statement).
    """
    return analyze_data(
        _read(graph, base),
        include_not_done=include_not_done,
        max_pairs=max_pairs,
        exact_work=exact_work,
        seed=seed,
    )


def analyze_data(
    data: NetworkData,
    *,
    include_not_done: bool = False,
    max_pairs: int = MAX_PAIRS,
    exact_work: int = EXACT_WORK,
    seed: int = SEED,
) -> Network:
    """:func:`analyze` of a network read already (:func:`~lowcarbon.network.read_network`)."""
    proj = project(data, data.links_for(include_not_done=include_not_done), max_pairs=max_pairs)
    cities = city_graph(data, proj)
    years = year_slices(data, proj)
    metrics = compute_metrics(data, proj, cities, years, exact_work=exact_work, seed=seed)
    for c, row in metrics.cities.items():
        cities.nodes[c].update({k: v for k, v in row.items() if v is not None})
    parameters: dict[str, object] = {
        "counted_kinds": sorted(CO_KINDS),
        "counted_statuses": ["applied", "done", "planned"] if include_not_done else ["done"],
        "period": list(data.period),
        "undated_statements_enter_in": data.period[1],
        "max_pairs": max_pairs,
        "exact_work": exact_work,
        "seed": seed,
        "backbone_alpha": ALPHA,
    }
    return Network(
        data,
        bipartite_graph(data, include_not_done=include_not_done),
        proj,
        cities,
        years,
        metrics,
        parameters,
    )


def _read(graph: Graph, base: str) -> NetworkData:
    from lowcarbon.network.read import read_network

    return read_network(graph, base)
