"""The data and the ontology in one pyoxigraph store, for validate/core.py and sparql.py.

Loading also finds, with rdflib's own conversion, the typed literals rdflib cannot read
(``"abc"^^xsd:integer``): pyshacl's datatype check fails them, so the compiled queries list
them. pyoxigraph keeps language tags in lower case; :meth:`Loaded.term` gives them back as
the data wrote them, so that results name the same literals as pyshacl's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from lowcarbon.terms import to_ox, to_rdflib

__all__ = ["Loaded", "load_store", "to_ox", "to_rdflib"]

_XSD_STRING = str(XSD.string)

#: the Python type rdflib gives a well-formed literal of these datatypes (pyshacl's test)
_VALUE_TYPES: dict[str, type | tuple[type, ...]] = {
    str(XSD.integer): int,
    str(XSD.float): float,
    str(XSD.decimal): Decimal,
    str(XSD.boolean): bool,
    str(XSD.date): date,
    str(XSD.time): time,
    str(XSD.dateTime): datetime,
}


@dataclass
class Loaded:
    """A store holding the data and the ontology, and the literals rdflib cannot read."""

    store: ox.Store
    #: datatype IRI -> lexical forms of that datatype that pyshacl finds ill-typed
    ill_typed: dict[str, set[str]] = field(default_factory=dict)
    #: language tags as the data writes them, by the lower-case form pyoxigraph keeps
    languages: dict[str, str] = field(default_factory=dict)

    def term(self, term: object) -> Node:
        """The rdflib term of a term of the store, its language tag as the data wrote it."""
        node = to_rdflib(term)
        if isinstance(node, Literal) and node.language:
            return Literal(str(node), lang=self.languages.get(node.language, node.language))
        return node


# --------------------------------------------------------------------------- loading


def _well_typed(lexical: str, datatype: str) -> bool:
    """Pyshacl's datatype test for a literal of ``datatype``: rdflib reads it, as its type."""
    lit = Literal(lexical, datatype=URIRef(datatype))
    if getattr(lit, "ill_typed", None) is True:
        return False
    wanted = _VALUE_TYPES.get(datatype)
    return wanted is None or isinstance(lit.value, wanted)


def load_store(graphs: Iterable[Graph]) -> Loaded:
    """One pyoxigraph store with every triple of ``graphs`` (their union, default graph)."""
    store = ox.Store()
    typed: dict[tuple[str, str], None] = {}
    languages: dict[str, str] = {}

    def quads() -> Iterator[ox.Quad]:
        for g in graphs:
            for s, p, o in g.triples((None, None, None)):
                if isinstance(o, Literal):
                    if o.language:
                        languages.setdefault(o.language.lower(), o.language)
                    elif o.datatype is not None:
                        typed[(str(o.datatype), str(o))] = None
                yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]

    store.bulk_extend(quads())
    ill: dict[str, set[str]] = {}
    for datatype, lexical in typed:
        if datatype != _XSD_STRING and not _well_typed(lexical, datatype):
            ill.setdefault(datatype, set()).add(lexical)
    return Loaded(store, ill, languages)
