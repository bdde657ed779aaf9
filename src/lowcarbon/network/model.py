"""The network's input: nodes, statement links, the period (read by network/read.py).

No RDF library here: the network worker, a second process, receives these and draws without
importing rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass

from lowcarbon.vocab import STATEMENT_KINDS

__all__ = [
    "CO_KINDS",
    "TARGET_KINDS",
    "Link",
    "NetworkData",
    "Node",
]

#: Statement kinds (segments) that put a city in a context shared with other cities.
CO_KINDS = frozenset(k.segment for k in STATEMENT_KINDS if k.co_participation)
#: Entity kinds on the other side of the two-mode network, in the order the files list them.
TARGET_KINDS = ("organization", "declaration", "event", "programme")


@dataclass(frozen=True)
class Node:
    """A city or a target (organization, declaration, event, programme) of the network."""

    id: str
    iri: str
    kind: str
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class Link:
    """One statement: a city's membership, signing, participation… in a target."""

    iri: str
    city: str
    target: str
    kind: str
    status: str
    roles: tuple[str, ...]
    start: str | None
    end: str | None
    item: str | None

    @property
    def year(self) -> int | None:
        """The Gregorian year the statement starts in (None: undated)."""
        return int(self.start[:4]) if self.start else None

    @property
    def counted(self) -> bool:
        """Whether it counts for co-participation: done, and of a co-participation kind."""
        return self.status == "done" and self.kind in CO_KINDS


@dataclass(frozen=True)
class NetworkData:
    """Everything the network is computed from."""

    base: str
    #: every city (local government) of the graph, by id, with or without statements
    cities: dict[str, Node]
    #: every entity a statement points to, by id
    targets: dict[str, Node]
    #: every statement, sorted by IRI
    links: tuple[Link, ...]
    #: the first and last year of the document's period (schema:temporalCoverage)
    period: tuple[int, int]

    def node(self, node_id: str) -> Node:
        """A city or target by id."""
        return self.cities.get(node_id) or self.targets[node_id]

    def links_for(self, *, include_not_done: bool = False) -> list[Link]:
        """The statements the metrics count: done ones of the co-participation kinds.

        With ``include_not_done``, plans and applications of those kinds too.
        """
        if include_not_done:
            return [s for s in self.links if s.kind in CO_KINDS]
        return [s for s in self.links if s.counted]
