"""RDF terms from rdflib to pyoxigraph and back: the one conversion every stage uses.

rdflib builds and reads the graph, pyoxigraph stores and queries it (validate/, query/); each
crossing goes through these two functions, so that a term (a language tag, a simple literal,
a blank node) is carried across the same way everywhere.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["to_ox", "to_rdflib"]

_XSD_STRING = str(XSD.string)


def to_ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib one; ``TypeError`` for anything else."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: object) -> Node:
    """The rdflib term of a pyoxigraph one (a simple literal without xsd:string, as rdflib)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")
