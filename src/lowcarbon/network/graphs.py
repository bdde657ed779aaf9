"""The two-mode network, its projection onto cities, the backbone and the year slices.

The projection is built from each target's list of cities (never by comparing every pair of
cities), and each target adds to its pairs both the raw count (1) and Newman's collaboration
weight 1/(k−1), k being its number of cities, so that a hub everybody shares weighs little.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from lowcarbon.network.model import TARGET_KINDS, Link, NetworkData

__all__ = [
    "ALPHA",
    "MAX_PAIRS",
    "Projection",
    "YearSlice",
    "backbone_edges",
    "bipartite_graph",
    "city_graph",
    "members",
    "ordered_subgraph",
    "project",
    "union_components",
    "year_of",
    "year_slices",
]

#: Significance level of the disparity filter (Serrano, Boguñá and Vespignani 2009).
ALPHA = 0.05
#: At most this many (pair, target) contributions are projected; the largest targets beyond
#: it are folded: listed as hubs, counted in strengths, but not spelled out pair by pair.
MAX_PAIRS = 50_000
_SEP = ";"


def ordered_subgraph(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A copy of ``g`` on ``nodes``, nodes and edges in sorted order.

    ``g.subgraph(nodes)`` iterates a small node set in the set's (hash) order, which changes
    with PYTHONHASHSEED; a layout seeded by node order, or a float sum over the edges, then
    changes with it (the city figure of a 1,000-city network did, run to run).
    """
    keep = sorted(set(nodes) & set(g))
    out = nx.Graph()
    out.add_nodes_from((n, g.nodes[n]) for n in keep)
    chosen = set(keep)
    edges = sorted((min(a, b), max(a, b)) for a in keep for b in g[a] if b in chosen)
    out.add_edges_from((a, b, g.edges[a, b]) for a, b in dict.fromkeys(edges))
    return out


def year_of(link: Link, period: tuple[int, int]) -> int:
    """The year a statement enters the network: its start year, else the period's last."""
    return link.year if link.year is not None else period[1]


def members(data: NetworkData, links: Iterable[Link]) -> dict[str, dict[str, int]]:
    """Map target -> {city: the first year the city is linked to it}, targets and cities sorted."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for s in links:
        y = year_of(s, data.period)
        seen = out[s.target].get(s.city)
        if seen is None or y < seen:
            out[s.target][s.city] = y
    return {t: dict(sorted(cs.items())) for t, cs in sorted(out.items())}


def _joined(values: Iterable[str]) -> str:
    return _SEP.join(dict.fromkeys(values))


def bipartite_graph(data: NetworkData, *, include_not_done: bool = False) -> nx.Graph:
    """Cities (``bipartite`` 0) and targets (1), an edge per city and target with any statement.

    Every statement is kept, plans, applications and visits received too: an edge carries its
    statements' IRIs, kinds, roles, statuses, dates and source items, and ``counted`` says
    whether any of them is counted by the metrics (done co-participation statements, and plans
    and applications too when ``include_not_done``).
    """
    g = nx.Graph()
    use = set(data.links_for(include_not_done=include_not_done))
    counted = members(data, use)
    degree: dict[str, int] = defaultdict(int)
    for t, cs in counted.items():
        degree[t] = len(cs)
        for c in cs:
            degree[c] += 1
    for side, nodes in ((0, data.cities), (1, data.targets)):
        for n in nodes.values():
            g.add_node(
                n.id,
                bipartite=side,
                kind=n.kind,
                label=n.label_en,
                label_en=n.label_en,
                label_zh=n.label_zh,
                iri=n.iri,
                degree_counted=degree[n.id],
            )
    by_pair: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for s in data.links:
        by_pair[(s.city, s.target)].append(s)
    for (c, t), links in sorted(by_pair.items()):
        attrs: dict[str, object] = {
            "statements": _joined(s.iri for s in links),
            "kinds": _joined(s.kind for s in links),
            "roles": _joined(r for s in links for r in s.roles),
            "status": _joined(s.status for s in links),
            "dates": _joined(s.start or "" for s in links),
            "items": _joined(s.item or "" for s in links),
            "counted": any(s in use for s in links),
        }
        if attrs["counted"]:
            attrs["year"] = counted[t][c]
        g.add_edge(c, t, **attrs)
    return g


@dataclass
class Projection:
    """The city projection as plain data: pairs, what they share, and the folded hubs."""

    #: target -> {city: first year}, the statements counted
    members: dict[str, dict[str, int]]
    #: (city, city) sorted -> shared target ids (in target order)
    shared: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: (city, city) -> Newman weight, the sum of 1/(k−1) over the shared targets
    weight: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (city, city) -> the first year the two shared a target
    first_year: dict[tuple[str, str], int] = field(default_factory=dict)
    #: targets left out of the pairs (largest first), each shared by all pairs of its cities
    folded: tuple[str, ...] = ()

    def size(self, target: str) -> int:
        """Number of cities of a target."""
        return len(self.members.get(target, ()))


def project(data: NetworkData, links: Iterable[Link], *, max_pairs: int = MAX_PAIRS) -> Projection:
    """Project the two-mode network onto cities from each target's city list.

    Work is the sum over targets of k(k−1)/2; beyond ``max_pairs`` the largest targets are
    folded (see :data:`MAX_PAIRS`), so the cost stays bounded on any input.
    """
    proj = Projection(members(data, links))
    order = sorted(proj.members, key=lambda t: (len(proj.members[t]), t))
    budget = max_pairs
    kept: list[str] = []
    folded: list[str] = []
    for t in order:
        k = len(proj.members[t])
        pairs = k * (k - 1) // 2
        if folded or pairs > budget:
            folded.append(t)
        else:
            budget -= pairs
            kept.append(t)
    proj.folded = tuple(sorted(folded, key=lambda t: (-len(proj.members[t]), t)))
    shared, weight, first = proj.shared, proj.weight, proj.first_year
    for t in sorted(kept):
        cs = proj.members[t]
        if len(cs) < 2:
            continue
        inv = 1.0 / (len(cs) - 1)
        for (a, ya), (b, yb) in combinations(cs.items(), 2):
            key = (a, b)
            y = ya if ya > yb else yb
            if key in shared:
                shared[key].append(t)
                weight[key] += inv
                if y < first[key]:
                    first[key] = y
            else:
                shared[key] = [t]
                weight[key] = inv
                first[key] = y
    proj.shared = dict(sorted(shared.items()))
    return proj


def backbone_edges(
    g: nx.Graph, *, alpha: float = ALPHA, weight: str = "weight"
) -> set[frozenset[str]]:
    """Edges of the disparity-filter backbone: significant at ``alpha`` for either end.

    For a city of degree k and strength s, an edge of weight w is significant when
    (1 − w/s)^(k−1) < alpha; a city with a single edge keeps it.
    """
    strength = dict(g.degree(weight=weight))
    keep: set[frozenset[str]] = set()
    for a, b, w in g.edges(data=weight):
        for i in (a, b):
            k = g.degree(i)
            if k == 1 or (strength[i] > 0 and (1 - w / strength[i]) ** (k - 1) < alpha):
                keep.add(frozenset((a, b)))
                break
    return keep


def city_graph(data: NetworkData, proj: Projection, *, alpha: float = ALPHA) -> nx.Graph:
    """Cities, weighted edges per shared target: raw count and Newman weight, per kind and total.

    Every city of the graph is a node (isolates too). An edge lists what was shared
    (``shared``), counts and weights per target kind, the first year the pair shared something
    and whether it belongs to the disparity-filter backbone.
    """
    g = nx.Graph()
    for n in data.cities.values():
        g.add_node(n.id, kind=n.kind, label=n.label_en, label_en=n.label_en,
                   label_zh=n.label_zh, iri=n.iri)  # fmt: skip
    for key, targets in proj.shared.items():
        attrs: dict[str, object] = {
            "shared_count": len(targets),
            "weight": round(proj.weight[key], 9),
            "shared": _SEP.join(targets),
            "first_year": proj.first_year[key],
        }
        for kind in TARGET_KINDS:
            ts = [t for t in targets if data.targets[t].kind == kind]
            attrs[f"shared_{kind}"] = len(ts)
            attrs[f"weight_{kind}"] = round(float(sum(1 / (proj.size(t) - 1) for t in ts)), 9)
        g.add_edge(*key, **attrs)
    kept = backbone_edges(g, alpha=alpha)
    for a, b, d in g.edges(data=True):
        d["backbone"] = frozenset((a, b)) in kept
    return g


# --- years -----------------------------------------------------------------------------------


def union_components(nodes: Iterable[str], groups: Iterable[Iterable[str]]) -> list[set[str]]:
    """Connected components of ``nodes`` when the members of each group are joined (union-find)."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for group in groups:
        it = iter(group)
        first = next(it, None)
        if first is None:
            continue
        r = root(first)
        for n in it:
            q = root(n)
            if q != r:
                parent[q] = r
    comps: dict[str, set[str]] = defaultdict(set)
    for n in parent:
        comps[root(n)].add(n)
    return sorted(comps.values(), key=lambda c: (-len(c), min(c)))


@dataclass(frozen=True)
class YearSlice:
    """The cumulative network at the end of one year."""

    year: int
    cities: int  # cities with a counted statement so far
    targets: int
    links: int  # (city, target) links
    edges: int  # city pairs sharing a target (projected pairs; folded hubs not spelled out)
    density: float  # edges / possible pairs among those cities
    largest_component: int  # cities in the largest component (folded hubs included)
    components: int  # components among those cities


def year_slices(data: NetworkData, proj: Projection) -> list[YearSlice]:
    """One :class:`YearSlice` per year of the period, from the statement dates."""
    first, last = data.period
    out = []
    for year in range(first, last + 1):
        groups = [[c for c, y in cs.items() if y <= year] for cs in proj.members.values()]
        groups = [g for g in groups if g]
        active = sorted({c for g in groups for c in g})
        edges = sum(1 for y in proj.first_year.values() if y <= year)
        comps = union_components(active, groups)
        n = len(active)
        out.append(
            YearSlice(
                year=year,
                cities=n,
                targets=len(groups),
                links=sum(len(g) for g in groups),
                edges=edges,
                density=round(2 * edges / (n * (n - 1)), 6) if n > 1 else 0.0,
                largest_component=len(comps[0]) if comps else 0,
                components=len(comps),
            )
        )
    return out
