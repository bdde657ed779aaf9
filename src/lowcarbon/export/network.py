"""Co-participation networks of cities with networkx: graphs, metrics and files."""

from __future__ import annotations

import io
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from lowcarbon.catalog import Catalog
from lowcarbon.export.tables import to_csv
from lowcarbon.link import Kind, Linked, Statement, Status
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = [
    "CO_KINDS",
    "bipartite_graph",
    "city_graph",
    "city_metrics",
    "network_files",
    "shared_targets",
]

#: Statement kinds that put a city in a shared context with other cities.
CO_KINDS = frozenset(Kind(k.segment) for k in STATEMENT_KINDS if k.co_participation)


def _counted(statements: Iterable[Statement]) -> list[Statement]:
    return [s for s in statements if s.status is Status.DONE and s.kind in CO_KINDS]


def bipartite_graph(linked: Linked, catalog: Catalog) -> nx.Graph:
    """Cities on one side, organizations/declarations/events/programmes on the other.

    Only statements with status done count; an edge carries the statement kinds and ids.
    """
    g = nx.Graph()
    statements = sorted(_counted(linked.statements), key=lambda s: (s.city, s.target, s.slug))
    for node in sorted({s.city for s in statements} | {s.target for s in statements}):
        e = catalog.get(node)
        g.add_node(
            node,
            bipartite=0 if e.kind == "city" else 1,
            kind=e.kind,
            label_en=e.label_en,
            label_zh=e.label_zh,
        )
    for s in statements:
        if g.has_edge(s.city, s.target):
            data = g.edges[s.city, s.target]
            data["kinds"] = ";".join(sorted(set(data["kinds"].split(";")) | {s.kind.value}))
            data["statements"] = data["statements"] + ";" + s.slug
        else:
            g.add_edge(s.city, s.target, kinds=s.kind.value, statements=s.slug)
    return g


def shared_targets(b: nx.Graph) -> dict[tuple[str, str], list[str]]:
    """For every pair of cities (sorted ids), the targets both are linked to."""
    cities = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 0)
    pairs: dict[tuple[str, str], list[str]] = {}
    for a, c in combinations(cities, 2):
        common = sorted(set(b.neighbors(a)) & set(b.neighbors(c)))
        if common:
            pairs[(a, c)] = common
    return pairs


def city_graph(b: nx.Graph) -> nx.Graph:
    """Weighted projection onto cities: weight = number of shared targets."""
    g = nx.Graph()
    for n, d in sorted(b.nodes(data=True)):
        if d["bipartite"] == 0:
            g.add_node(n, label_en=d["label_en"], label_zh=d["label_zh"])
    for (a, c), common in sorted(shared_targets(b).items()):
        g.add_edge(a, c, weight=len(common), shared=";".join(common))
    return g


def city_metrics(g: nx.Graph) -> list[tuple[str, int, int, float, float]]:
    """Per city: degree, weighted degree, betweenness and closeness centrality (rounded)."""
    betweenness = nx.betweenness_centrality(g, weight=None, normalized=True)
    closeness = nx.closeness_centrality(g)
    rows = []
    for n in sorted(g.nodes):
        rows.append(
            (
                n,
                int(g.degree(n)),
                int(g.degree(n, weight="weight")),
                round(float(betweenness[n]), 6),
                round(float(closeness[n]), 6),
            )
        )
    return rows


def _graphml(g: nx.Graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def network_files(linked: Linked, catalog: Catalog) -> dict[str, bytes]:
    """``network/*`` files: GraphML of both graphs, city pairs and metrics as CSV."""
    b = bipartite_graph(linked, catalog)
    g = city_graph(b)
    pairs = [
        (a, c, len(common), ";".join(common))
        for (a, c), common in sorted(shared_targets(b).items())
    ]
    return {
        "network/bipartite.graphml": _graphml(b),
        "network/cities.graphml": _graphml(g),
        "network/city-pairs.csv": to_csv(
            ("city_a", "city_b", "shared_count", "shared_targets"), pairs
        ).encode("utf-8"),
        "network/city-metrics.csv": to_csv(
            ("city", "degree", "weighted_degree", "betweenness", "closeness"), city_metrics(g)
        ).encode("utf-8"),
    }
