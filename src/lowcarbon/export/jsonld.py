"""The JSON-LD context of the exports (read alike by 1.0 and 1.1 processors) and the compaction.

The context uses no JSON-LD 1.1 feature, so it has no ``@version``: JSON-LD 1.0 readers (Jena
riot's refused ``"@version": 1.1``) and 1.1 ones read the same triples; PyLD and jsonld.js are
tested in both modes (tests/test_jsonld_processors.py). Resource ids are relative to
``"@base": "{base}id/"`` (``"city/taipei"``) instead of CURIEs, so no prefix is named like a
property: in JSON-LD every prefix is also a term, and a prefix ``city`` made a user's
``{"city": "city:taipei"}`` a triple with the predicate ``…/id/city/``. A context in which a
term and a prefix share a name is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from lowcarbon.export.canonical import _VOCABULARIES, prefixes
from lowcarbon.export.syntax import Statements, json_bytes
from lowcarbon.graph.mapping import DEFAULT_BASE

__all__ = ["jsonld_context"]

_ZH = "zh-Hant"
_TYPE = RDF.type


@dataclass(frozen=True)
class _Term:
    """A context term for one property: its key and how its values are written."""

    key: str
    curie: str
    type: str | None = None  # "@id" or a datatype CURIE
    language: str | None = None
    container: str | None = None  # "@language": a language map


_LANG_MAPS: tuple[str, ...] = (
    "rdfs:label",
    "rdfs:comment",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:hiddenLabel",
    "skos:scopeNote",
    "skos:historyNote",
    "skos:definition",
    "dcterms:title",
    "dcterms:description",
    "schema:jobTitle",
)
_IRI_VALUED: tuple[str, ...] = (
    "dcterms:isPartOf",
    "dcterms:source",
    "owl:sameAs",
    "prov:wasDerivedFrom",
    "org:member",
    "org:organization",
    "schema:location",
    "schema:organizer",
    "schema:superEvent",
    "schema:containedInPlace",
    "schema:affiliation",
    "lcd:city",
    "lcd:target",
    "lcd:status",
    "lcd:role",
    "lcd:atEvent",
    "lcd:counterpart",
    "lcd:column",
    "lcd:reportedBy",
    "lcd:memberOf",
    "lcd:signed",
    "lcd:participatedIn",
    "lcd:hosted",
    "lcd:receivedVisit",
)
_TERMS: tuple[_Term, ...] = (
    *(_Term(c.split(":")[1], c, container="@language") for c in _LANG_MAPS),
    *(_Term(c.split(":")[1], c, type="@id") for c in _IRI_VALUED),
    # Dates are xsd:date, xsd:gYearMonth or xsd:gYear by precision: no coercion, so every date
    # is a value object that names its datatype, and the key stays the same.
    _Term("startDate", "schema:startDate"),
    _Term("endDate", "schema:endDate"),
    _Term("lat", "geo:lat", type="xsd:decimal"),
    _Term("long", "geo:long", type="xsd:decimal"),
    *(_Term(n, f"lcd:{n}", language=_ZH) for n in ("quote", "dateText", "subHeading")),
    *(_Term(n, f"lcd:{n}") for n in ("approximateDate", "itemNumber", "subList")),
    *(_Term(n, f"lcd:{n}") for n in ("lineStart", "lineEnd")),
    _Term("language", "dcterms:language"),
    _Term("identifier", "dcterms:identifier"),
    _Term("temporalCoverage", "schema:temporalCoverage"),
)


def _context_prefixes(base: str) -> dict[str, str]:
    """The vocabulary prefixes of the data: not those of the other graphs, nor of the ids."""
    skip = (set(_VOCABULARIES) - {"rdf"}) | {"lcdsh"}
    ids = f"{base}id/"
    return {p: ns for p, ns in prefixes(base).items() if p not in skip and not ns.startswith(ids)}


def _terms(base: str) -> list[_Term]:
    """The terms; one named like a prefix is refused (both are terms in JSON-LD)."""
    clash = sorted({t.key for t in _TERMS} & set(_context_prefixes(base)))
    if clash:
        raise ValueError(f"JSON-LD context: {', '.join(clash)} both a term and a prefix")
    return list(_TERMS)


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The JSON-LD context of ``rdf/lowcarbon.jsonld``: short keys, relative ids, language maps."""
    ctx: dict[str, Any] = {"@base": f"{base}id/", "id": "@id", "type": "@type"}
    ctx.update(_context_prefixes(base))
    for t in _terms(base):
        if t.key in ctx:
            raise ValueError(f"JSON-LD context: {t.key!r} defined twice")
        extra = {"@type": t.type, "@language": t.language, "@container": t.container}
        defn = {k: v for k, v in extra.items() if v is not None}
        ctx[t.key] = {"@id": t.curie, **defn} if defn else t.curie
    return ctx


class _Compactor:
    """Writes nodes of a blank-node-free graph in the compacted form of :func:`jsonld_context`."""

    def __init__(self, base: str) -> None:
        self.ids = f"{base}id/"
        self.prefixes = sorted(_context_prefixes(base).items(), key=lambda kv: -len(kv[1]))
        self.terms = {self.expand(t.curie): t for t in _terms(base)}
        self.keys = {t.key for t in self.terms.values()}

    def expand(self, curie: str) -> str:
        prefix, local = curie.split(":", 1)
        return dict(self.prefixes)[prefix] + local

    def compact(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("//"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def compact_id(self, iri: str) -> str:
        """A resource id: relative to ``@base`` when it is under it, else a CURIE or the IRI."""
        rel = iri[len(self.ids) :] if iri.startswith(self.ids) else ""
        # a colon in the first segment would read as a scheme or a prefix; "./" "//" "?" "#"
        # would resolve elsewhere: those keep their full form
        if rel and ":" not in rel.split("/", 1)[0] and not rel.startswith(("/", "?", "#", ".")):
            return rel
        return self.compact(iri)

    def fallback_key(self, p: str) -> str:
        key = self.compact(p)
        return p if key in self.keys else key

    def value(self, t: _Term | None, o: Node) -> Any:
        """``o`` as a value under the key of ``t`` (``None``: a key without coercion)."""
        plain = t is None or (t.type is None and t.language is None)
        if not isinstance(o, Literal):
            iri = self.compact_id(str(o))
            return iri if t and t.type == "@id" else {"id": iri}
        lex = str(o)
        if o.language:
            if t and t.language == o.language:
                return lex
            return {"@value": lex, "@language": o.language}
        dt = o.datatype
        if dt is None or dt == XSD.string:
            return lex if plain else {"@value": lex}
        if t and t.type and self.expand(t.type) == str(dt):
            return lex
        if plain and dt == XSD.integer and re.fullmatch(r"-?(0|[1-9][0-9]*)", lex):
            return int(lex)
        if plain and dt == XSD.boolean and lex in ("true", "false"):
            return lex == "true"
        return {"@value": lex, "type": self.compact(str(dt))}

    def node(self, st: Statements, s: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.compact_id(str(s))}
        props = st.groups[s]
        for p in sorted(props, key=str):
            objs = props[p]
            if p == _TYPE and all(isinstance(o, URIRef) for o in objs):
                _put(out, "type", [self.compact(str(o)) for o in objs])
                continue
            t = self.terms.get(str(p))
            if t is not None and t.container == "@language":
                tagged = [o for o in objs if isinstance(o, Literal) and o.language]
                langs: dict[str, list[str]] = {}
                for o in tagged:
                    langs.setdefault(o.language or "", []).append(str(o))
                if langs:
                    out[t.key] = {k: v[0] if len(v) == 1 else v for k, v in langs.items()}
                objs = [o for o in objs if o not in tagged]
                t = None
            if objs:
                key = t.key if t is not None else self.fallback_key(str(p))
                _put(out, key, [self.value(t, o) for o in objs])
        return out


def _put(node: dict[str, Any], key: str, values: list[Any]) -> None:
    node[key] = values[0] if len(values) == 1 else values


def _jsonld(g: Graph | Statements, base: str) -> tuple[bytes, bytes]:
    st = g if isinstance(g, Statements) else Statements(g)
    ctx = jsonld_context(base)
    c = _Compactor(base)
    nodes = [c.node(st, s) for s in st.subjects]
    nodes.sort(key=lambda n: str(n["id"]))
    return json_bytes({"@context": ctx, "@graph": nodes}), json_bytes({"@context": ctx})
