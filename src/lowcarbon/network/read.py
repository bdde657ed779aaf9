"""The network's input read off the published RDF graph: nodes, statement links, the period.

Only the graph is read (never the catalog or the linker), so any edition, any ``--base`` and any
synthetic root gives its network. Each predicate is read once over the whole graph
(``subject_objects``), so reading is linear in the triples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from lowcarbon.network.model import Link, NetworkData, Node
from lowcarbon.vocab import DEFAULT_BASE, STATEMENT_KINDS, ZH, entity_kind

__all__ = ["read_network"]

_SCHEMA = "https://schema.org/"
_CLASS_KIND = {k.cls: k.segment for k in STATEMENT_KINDS}


def _local(iri: str, prefix: str) -> str:
    return iri[len(prefix) :] if iri.startswith(prefix) else iri.rsplit("#", 1)[-1]


def _labels(g: Graph) -> dict[URIRef, dict[str, str]]:
    """rdfs:label by subject and language ('en', 'zh'); the smallest when several."""
    out: dict[URIRef, dict[str, str]] = defaultdict(dict)
    for s, o in g.subject_objects(RDFS.label):
        if not isinstance(o, Literal) or not isinstance(s, URIRef):
            continue
        lang = (o.language or "").lower()
        key = "zh" if lang == ZH.lower() else "en" if lang == "en" else None
        if key is None:
            continue
        text = str(o)
        if key not in out[s] or text < out[s][key]:
            out[s][key] = text
    return out


def _one(g: Graph, p: URIRef) -> dict[URIRef, str]:
    """Map subject -> the smallest value of ``p`` (as a string)."""
    out: dict[URIRef, str] = {}
    for s, o in g.subject_objects(p):
        if isinstance(s, URIRef) and (s not in out or str(o) < out[s]):
            out[s] = str(o)
    return out


def _many(g: Graph, p: URIRef) -> dict[URIRef, list[str]]:
    out: dict[URIRef, list[str]] = defaultdict(list)
    for s, o in g.subject_objects(p):
        if isinstance(s, URIRef):
            out[s].append(str(o))
    return out


def _period(g: Graph, fallback: Iterable[int]) -> tuple[int, int]:
    """The years of ``schema:temporalCoverage`` ("2004/2011-06"), else the statements' span."""
    for o in sorted(str(o) for o in g.objects(None, URIRef(_SCHEMA + "temporalCoverage"))):
        start, _, end = o.partition("/")
        end = end or start
        if start[:4].isdigit() and end[:4].isdigit():
            return int(start[:4]), int(end[:4])
    years = sorted(fallback)
    if not years:
        raise ValueError("the graph has no schema:temporalCoverage and no dated statement")
    return years[0], years[-1]


def read_network(g: Graph, base: str = DEFAULT_BASE) -> NetworkData:
    """The cities, targets and statements of a published data graph minted under ``base``."""
    lcd = f"{base}ontology#"
    ids = f"{base}id/"
    labels = _labels(g)

    def node(iri: URIRef) -> Node:
        path = _local(str(iri), ids)
        kind, _, local = path.partition("/")
        lab = labels.get(iri, {})
        en = lab.get("en") or lab.get("zh") or local
        return Node(local or path, str(iri), kind, en, lab.get("zh") or en)

    cities = {
        n.id: n
        for n in sorted(
            (
                node(i)
                for i in g.subjects(RDF.type, URIRef(lcd + entity_kind("city").types[0]))
                if isinstance(i, URIRef)
            ),
            key=lambda n: n.id,
        )
    }
    city_of = _one(g, URIRef(lcd + "city"))
    target_of = _one(g, URIRef(lcd + "target"))
    status_of = _one(g, URIRef(lcd + "status"))
    start_of = _one(g, URIRef(_SCHEMA + "startDate"))
    end_of = _one(g, URIRef(_SCHEMA + "endDate"))
    item_of = _one(g, PROV.wasDerivedFrom)
    roles_of = _many(g, URIRef(lcd + "role"))
    kind_of: dict[URIRef, str] = {}
    for s, cls in g.subject_objects(RDF.type):
        kind = _CLASS_KIND.get(_local(str(cls), lcd)) if str(cls).startswith(lcd) else None
        if kind is not None and isinstance(s, URIRef):
            kind_of[s] = kind
    targets: dict[str, Node] = {}
    links = []
    for s in sorted(kind_of, key=str):
        if s not in city_of or s not in target_of:
            continue
        c, t = node(URIRef(city_of[s])), node(URIRef(target_of[s]))
        cities.setdefault(c.id, c)
        targets.setdefault(t.id, t)
        links.append(
            Link(
                iri=str(s),
                city=c.id,
                target=t.id,
                kind=kind_of[s],
                status=_local(status_of.get(s, ""), lcd),
                roles=tuple(sorted(_local(r, lcd) for r in roles_of.get(s, ()))),
                start=start_of.get(s),
                end=end_of.get(s),
                item=item_of.get(s),
            )
        )
    dated = (s.year for s in links if s.year is not None)
    return NetworkData(
        base=base,
        cities=dict(sorted(cities.items())),
        targets=dict(sorted(targets.items())),
        links=tuple(links),
        period=_period(g, dated),
    )
