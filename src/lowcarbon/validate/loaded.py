"""The data and the ontology in one pyoxigraph store, for validate/core.py and sparql.py.

Loading also finds, with rdflib's own conversion, the typed literals rdflib cannot read
(``"abc"^^xsd:integer``): pyshacl's datatype check fails them, so the compiled queries list
them. pyoxigraph keeps language tags in lower case; :meth:`Loaded.term` gives them back as
the data wrote them, so that results name the same literals as pyshacl's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from lowcarbon.terms import to_ox, to_rdflib

__all__ = ["Loaded", "NTriples", "load_store", "to_ox", "to_rdflib"]

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

    def select_all(self, queries: Sequence[str]) -> list[tuple[set[str], list[ox.QuerySolution]]]:
        """Each SELECT query's variable names and solutions, in the order of ``queries``.

        The queries run on up to one thread per core: pyoxigraph lets go of Python's lock
        while it evaluates, so the 200-odd checks of the shapes ran 2.2x faster on two cores
        (1,000 synthetic cities). Only the order of the answers is fixed; each is a query's.
        """

        def run(query: str) -> tuple[set[str], list[ox.QuerySolution]]:
            solutions = self.store.query(query)
            names = {v.value for v in solutions.variables}  # type: ignore[union-attr]
            return names, list(solutions)  # type: ignore[arg-type]

        workers = min(len(queries), os.cpu_count() or 1, 4)
        if workers <= 1:
            return [run(q) for q in queries]
        with ThreadPoolExecutor(workers, thread_name_prefix="lowcarbon-validate") as pool:
            return list(pool.map(run, queries))

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


@dataclass(frozen=True)
class NTriples:
    """A graph already written as N-Triples (by rdflib's rules), and its literals.

    The build has the data graph's N-Triples before it validates (they are the ``.nt`` file
    it publishes): pyoxigraph parses them natively, instead of a conversion term by term, and
    what is validated is the text that is published.
    """

    text: bytes
    literals: Iterable[Literal]


def load_store(graphs: Iterable[Graph], *, written: NTriples | None = None) -> Loaded:
    """One pyoxigraph store with every triple of ``graphs`` and of ``written`` (their union)."""
    store = ox.Store()
    typed: dict[tuple[str, str], None] = {}
    languages: dict[str, str] = {}

    def literal(o: Literal) -> None:
        if o.language:
            languages.setdefault(o.language.lower(), o.language)
        elif o.datatype is not None:
            typed[(str(o.datatype), str(o))] = None

    def quads() -> Iterator[ox.Quad]:
        for g in graphs:
            for s, p, o in g.triples((None, None, None)):
                if isinstance(o, Literal):
                    literal(o)
                yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]

    if written is not None:
        store.bulk_load(written.text, ox.RdfFormat.N_TRIPLES)
        for o in written.literals:
            literal(o)
    store.bulk_extend(quads())
    ill: dict[str, set[str]] = {}
    for datatype, lexical in typed:
        if datatype != _XSD_STRING and not _well_typed(lexical, datatype):
            ill.setdefault(datatype, set()).add(lexical)
    return Loaded(store, ill, languages)
