"""Metrics of the city network: centralities, communities, hubs, ties, isolates, growth.

Every metric stays near-linear in the network: betweenness and closeness are exact while
cities × edges is at most :data:`EXACT_WORK` and estimated from a seeded sample of sources
above it (the sample size and seed are reported); eigenvector centrality is a numpy power
iteration; strengths come from the two-mode network directly (each shared target adds exactly
1 to a city's Newman strength and k−1 to its raw weighted degree), so folded hubs count too.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import numpy as np

from lowcarbon.network.graphs import Projection, YearSlice, ordered_subgraph, union_components
from lowcarbon.network.model import NetworkData

__all__ = [
    "EXACT_WORK",
    "SEED",
    "Metrics",
    "centralities",
    "communities",
    "compute_metrics",
    "eigenvector",
]

#: Betweenness and closeness are exact while cities × edges is at most this.
EXACT_WORK = 5_000_000
#: The seed of every sampled or randomised computation (sources, Louvain).
SEED = 13
_DIGITS = 6


@dataclass(frozen=True)
class Metrics:
    """Per-city rows and the network-wide figures (``summary`` is what metrics.json holds)."""

    cities: dict[str, dict[str, Any]]
    summary: dict[str, Any]


def centralities(
    g: nx.Graph, *, exact_work: int = EXACT_WORK, seed: int = SEED
) -> tuple[dict[str, float], dict[str, float], dict[str, Any]]:
    """Betweenness and closeness (hops, normalised), and how they were computed."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    if n * max(m, 1) <= exact_work:
        b = nx.betweenness_centrality(g, normalized=True)
        c = nx.closeness_centrality(g)
        return b, c, {"method": "exact", "nodes": n, "edges": m}
    k = min(n, max(16, exact_work // max(m, 1)))
    b = nx.betweenness_centrality(g, k=k, normalized=True, seed=seed)
    sources = random.Random(seed).sample(sorted(g.nodes), k)  # noqa: S311 - a sample, not a secret
    total: dict[str, int] = defaultdict(int)
    reach: dict[str, int] = defaultdict(int)
    for s in sources:
        for v, d in nx.single_source_shortest_path_length(g, s).items():
            total[v] += d
            reach[v] += 1
    c = {}
    for v in g.nodes:  # Eppstein and Wang: the mean distance from the sampled sources
        r = reach[v] - (1 if v in sources else 0)
        c[v] = (r / total[v]) * (r / max(k - (1 if v in sources else 0), 1)) if total[v] else 0.0
    how = {"method": "sampled", "nodes": n, "edges": m, "sources": k, "seed": seed}
    return b, c, how


def eigenvector(g: nx.Graph, *, weight: str = "weight") -> tuple[dict[str, float], dict[str, Any]]:
    """Eigenvector centrality on the largest component (undefined elsewhere, and below 3 cities).

    Power iteration on A + I (which converges on bipartite components too), unit length.
    """
    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c))) if g else []
    if not comps or len(comps[0]) < 3:
        return {}, {"defined": False, "reason": "no component of 3 or more cities"}
    nodes = sorted(comps[0])
    index = {v: i for i, v in enumerate(nodes)}
    sub = ordered_subgraph(g, nodes)
    rows, cols, ws = [], [], []
    for a, b, w in sub.edges(data=weight, default=1.0):
        rows += [index[a], index[b]]
        cols += [index[b], index[a]]
        ws += [float(w), float(w)]
    r, c, w = np.array(rows), np.array(cols), np.array(ws)
    x = np.full(len(nodes), 1.0 / np.sqrt(len(nodes)))
    it = 0
    for it in range(1, 2001):  # noqa: B007 - the count is reported
        y: np.ndarray = x + np.bincount(r, weights=w * x[c], minlength=len(nodes))
        y = y / np.linalg.norm(y)
        if np.abs(y - x).sum() < len(nodes) * 1e-12:
            x = y
            break
        x = y
    else:
        return {}, {"defined": False, "reason": "power iteration did not converge"}
    values = {v: float(x[i]) for v, i in index.items()}
    return values, {"defined": True, "component": len(nodes), "iterations": it, "weight": weight}


def communities(g: nx.Graph, *, seed: int = SEED) -> tuple[list[list[str]], dict[str, Any]]:
    """Louvain communities on the Newman weights (fixed seed), largest first, and modularity."""
    if g.number_of_edges() == 0:
        groups = [[v] for v in sorted(g.nodes)]
        return groups, {"method": "louvain", "seed": seed, "modularity": 0.0}
    found = nx.community.louvain_communities(g, weight="weight", resolution=1, seed=seed)
    groups = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    q = nx.community.modularity(g, groups, weight="weight")
    how = {"method": "louvain", "resolution": 1, "seed": seed, "weight": "weight (Newman)"}
    return groups, {**how, "modularity": round(float(q), _DIGITS)}


def _hubs(data: NetworkData, proj: Projection, limit: int) -> list[dict[str, Any]]:
    active = {c for cs in proj.members.values() for c in cs}
    only: dict[str, int] = defaultdict(int)  # pairs whose one shared target is this one
    for targets in proj.shared.values():
        if len(targets) == 1:
            only[targets[0]] += 1
    ranked = sorted(proj.members, key=lambda t: (-len(proj.members[t]), t))
    out = []
    for t in ranked[:limit]:
        k, node = len(proj.members[t]), data.targets[t]
        out.append(
            {
                "id": t,
                "kind": node.kind,
                "label_en": node.label_en,
                "label_zh": node.label_zh,
                "cities": k,
                "share": round(k / len(active), _DIGITS) if active else 0.0,
                "pairs": k * (k - 1) // 2,
                "only_tie_pairs": only[t],
                "folded": t in proj.folded,
            }
        )
    return out


def compute_metrics(
    data: NetworkData,
    proj: Projection,
    g: nx.Graph,
    years: list[YearSlice],
    *,
    exact_work: int = EXACT_WORK,
    seed: int = SEED,
    top: int = 10,
) -> Metrics:
    """Every metric of the city network ``g`` (the projection ``proj`` of ``data``)."""
    targets_of: dict[str, list[str]] = defaultdict(list)
    for t, cs in proj.members.items():
        for c in cs:
            targets_of[c].append(t)
    between, close, how = centralities(g, exact_work=exact_work, seed=seed)
    eig, eig_how = eigenvector(g)
    groups, comm_how = communities(g, seed=seed)
    community = {v: i for i, grp in enumerate(groups, 1) for v in grp}
    cities: dict[str, dict[str, Any]] = {}
    for c in data.cities:
        ts = targets_of.get(c, [])
        cities[c] = {
            "targets": len(ts),
            "degree": int(g.degree(c)),
            "shared_total": sum(proj.size(t) - 1 for t in ts),
            "strength": sum(1 for t in ts if proj.size(t) > 1),
            "betweenness": round(float(between.get(c, 0.0)), _DIGITS),
            "closeness": round(float(close.get(c, 0.0)), _DIGITS),
            "eigenvector": round(eig[c], _DIGITS) if c in eig else None,
            "community": community[c],
        }
    isolates = [c for c in data.cities if g.degree(c) == 0]
    comps = union_components(data.cities, proj.members.values())
    n, m = g.number_of_nodes(), g.number_of_edges()

    def rank(key: str) -> list[str]:
        return sorted(cities, key=lambda c: (-(cities[c][key] or 0), c))[:top]

    summary: dict[str, Any] = {
        "cities": n,
        "edges": m,
        "density": round(2 * m / (n * (n - 1)), _DIGITS) if n > 1 else 0.0,
        "components": len(comps),
        "largest_component": len(comps[0]) if comps else 0,
        "isolates": [
            {
                "id": c,
                "targets": cities[c]["targets"],
                "why": "nothing shared" if cities[c]["targets"] else "no counted statement",
            }
            for c in isolates
        ],
        "betweenness": how,
        "closeness": {**how, "distance": "hops"},
        "eigenvector": {**eig_how, "method": "power iteration on A + I, largest component"},
        "communities": {
            **comm_how,
            "count": len(groups),
            "groups": groups[:top],
            "sizes": [len(grp) for grp in groups],
        },
        "hubs": _hubs(data, proj, top),
        "folded_hubs": list(proj.folded),
        "backbone": {"edges": sum(1 for *_, b in g.edges(data="backbone") if b)},
        "rank": {
            k: rank(k) for k in ("degree", "strength", "shared_total", "betweenness", "eigenvector")
        },
        "years": [asdict(y) for y in years],
    }
    return Metrics(cities, summary)
