"""One writer per syntax: Turtle, TriG, sorted N-Triples/N-Quads lines, RDF/XML, JSON.

Every file of the dataset, the metadata and the site is written by these functions, so that a
change of style (sorting, prefixes, indentation) is made once and shows everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from io import BytesIO
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import is_ncname, split_uri
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node, _is_valid_uri

from lowcarbon.export.canonical import _has_blank_nodes, _sort_nodes, _term_key
from lowcarbon.export.plain import json_bytes

if TYPE_CHECKING:
    from rdflib.graph import _PredicateType, _SubjectType

__all__ = [
    "Statements",
    "json_bytes",
    "ntriples_lines",
    "rdfxml",
    "sorted_lines",
    "trig",
    "turtle",
]


# -- Turtle and TriG -------------------------------------------------------------------------


class _Turtle(TurtleSerializer):
    """rdflib's Turtle writer with subjects sorted by IRI, a total order and no header."""

    def __init__(self, store: Graph, depth: int = 0) -> None:
        super().__init__(store)
        self._base_depth = depth

    def orderSubjects(self) -> list[_SubjectType]:
        return sorted(self._subjects, key=lambda s: (isinstance(s, BNode), str(s)))

    def sortProperties(
        self, properties: Mapping[_PredicateType, list[Node]]
    ) -> list[_PredicateType]:
        for objects in properties.values():
            objects.sort(key=_term_key)  # ties in rdflib's order keep this order
        return super().sortProperties(properties)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        return super().get_pname(uri, gen_prefix=False)

    def indent(self, modifier: int = 0) -> str:
        return (self.depth + modifier + self._base_depth) * self.indentString

    def startDocument(self) -> None:
        self._started = True


#: rdflib's namespace attributes are looked up on every use; these are read per statement
_TYPE, _LABEL, _NIL = RDF.type, RDFS.label, RDF.nil

_LOCAL_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class _Names:
    """rdflib's Turtle names of IRIs (``get_pname`` with no generated prefix), remembered.

    The same answers as :class:`_Turtle` gives, computed once per IRI rather than once per
    occurrence, with the prefixes used recorded as the serializer records them. rdflib's own
    lookup (``NamespaceManager.compute_qname``) files every namespace it meets in a trie whose
    siblings it scans on each insertion: the item IRIs of 13,000 cities (``item/澄嵐市/org/``,
    one namespace per city and column) made that quadratic. This keeps rdflib's rule (split
    the IRI as rdflib does, then prefer the longest bound namespace that continues the split
    one) without the trie.
    """

    def __init__(
        self, g: Graph, cache: dict[URIRef, tuple[str, str, str] | None] | None = None
    ) -> None:
        self.g = g
        #: IRI -> (prefix, namespace, name); may be shared by every document named by ``g``
        self.cache = cache if cache is not None else {}
        self.used: dict[str, str] = {}
        self.bound = sorted({str(ns) for _, ns in g.namespaces()}, key=len, reverse=True)

    def pname(self, uri: Node) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        try:
            hit = self.cache[uri]
        except KeyError:
            hit = self.cache[uri] = self._compute(uri)
        if hit is None:
            return None
        prefix, namespace, name = hit
        self.used[prefix] = namespace
        return name

    def _qname(self, uri: URIRef) -> tuple[str, str, str] | None:
        """What rdflib's ``compute_qname(uri, generate=False)`` gives, None where it raises."""
        if not _is_valid_uri(uri):
            return None
        try:
            namespace, name = split_uri(uri)
        except ValueError:
            namespace, name = str(uri), ""
            if not self.g.store.prefix(uri):
                return None
        for ns in self.bound:  # longest first: the longest bound namespace after the split
            if len(ns) > len(namespace) and ns.startswith(namespace) and uri.startswith(ns):
                namespace, name = ns, uri[len(ns) :]
                break
        prefix = self.g.store.prefix(URIRef(namespace))
        return None if prefix is None else (prefix, str(namespace), name)

    def _compute(self, uri: URIRef) -> tuple[str, str, str] | None:
        parts = self._qname(uri)
        if parts is None:  # rdflib's own fallback: the IRI may be a namespace itself
            pfx = self.g.store.prefix(uri)
            if pfx is None:
                return None
            parts = (pfx, str(uri), "")
        prefix, namespace, local = parts
        local = local.replace("(", r"\(").replace(")", r"\)")
        local = _LOCAL_PERCENT.sub("\\%", local)
        if local.endswith("."):
            return None
        return prefix, namespace, f"{prefix}:{local}"


class Statements:
    """A graph without blank nodes read once: subject -> predicate -> objects, sorted.

    Every writer of such a graph (Turtle, TriG, N-Triples and N-Quads lines, RDF/XML, JSON-LD)
    reads this instead of asking the graph: rdflib's store answers each lookup slowly, and at
    scale those lookups, and one copy of the graph per writer, were most of the export
    (issue 15). The groups, the Turtle names and the N-Triples lines are computed once and
    shared by every file of the graph. ``names``: the graph whose namespace bindings name the
    IRIs (default ``g`` itself; the build passes one holding the fixed prefixes). Raises
    ``ValueError`` for a blank node.
    """

    def __init__(
        self,
        g: Graph | Iterable[tuple[Node, Node, Node]],
        names: Graph | None = None,
        *,
        what: str = "the",
        qnames: dict[URIRef, tuple[str, str, str] | None] | None = None,
    ) -> None:
        if not isinstance(g, Graph) and names is None:
            raise TypeError("statements given as triples need the graph of their names")
        self.names: Graph = names if names is not None else g  # type: ignore[assignment]
        #: a cache of IRI names shared by documents with the same ``names`` (the site's pages)
        self.qnames = qnames
        groups: dict[Node, dict[Node, list[Node]]] = {}
        n = 0
        iri, literal = URIRef, Literal
        triples = g.triples((None, None, None)) if isinstance(g, Graph) else g
        for s, p, o in triples:
            # the exact types first: rdflib's isinstance goes through an ABC check
            if (type(s) is not iri and isinstance(s, BNode)) or (
                type(o) is not iri and type(o) is not literal and isinstance(o, BNode)
            ):
                raise ValueError(
                    f"{what} graph: blank node in ({s.n3()} {p.n3()} {o.n3()}); "
                    "expected IRIs only (mint one in rdf.py)"
                )
            props = groups.get(s)
            if props is None:
                props = groups[s] = {}
            objs = props.get(p)
            if objs is None:
                props[p] = [o]
            else:
                objs.append(o)
            n += 1
        for props in groups.values():
            for objs in props.values():
                if len(objs) > 1:
                    _sort_nodes(objs)
        #: subject -> predicate -> objects (in N-Triples order, numbers by value)
        self.groups = groups
        #: the subjects by IRI
        self.subjects: list[Node] = sorted(groups, key=str)
        self.size = n

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every statement, grouped by subject and predicate."""
        for s, props in self.groups.items():
            for p, objs in props.items():
                for o in objs:
                    yield s, p, o

    def predicates(self) -> set[Node]:
        """Every predicate of the graph."""
        return {p for props in self.groups.values() for p in props}

    @cached_property
    def lines(self) -> list[str]:
        """The N-Triples lines, sorted: rdflib's N-Triples writer's, each term written once."""
        nt: dict[Node, str] = {}

        def term(x: Node) -> str:
            v = nt.get(x)
            if v is None:
                v = nt[x] = _quoteLiteral(x) if isinstance(x, Literal) else x.n3()
            return v

        lines = [
            f"{term(s)} {term(p)} {term(o)} ."
            for s, props in self.groups.items()
            for p, objs in props.items()
            for o in objs
        ]
        lines.sort()
        return lines

    @cached_property
    def ntriples(self) -> bytes:
        """The N-Triples file: :attr:`lines`, each ending in a newline."""
        return sorted_lines(self.lines)

    def literals(self) -> set[Literal]:
        """Every literal object."""
        iri = URIRef
        return {
            o
            for props in self.groups.values()
            for objs in props.values()
            for o in objs
            if type(o) is not iri and isinstance(o, Literal)
        }

    @cached_property
    def _turtle(self) -> tuple[list[tuple[str, list[tuple[str, list[str]]]]], dict[str, str]]:
        """Each subject's Turtle pieces, and the prefixes they use.

        A subject's pieces: its name, its predicates' names and their objects' names, each
        name computed once; what :class:`_Turtle` writes.
        """
        names = _Names(self.names, self.qnames)
        labels: dict[Node, str] = {}

        def label(x: Node) -> str:
            try:
                return labels[x]
            except KeyError:
                # what rdflib's preprocess looks up (it decides the prefixes the header
                # lists): every subject, predicate other than rdf:type, object and datatype
                names.pname(x)
                if isinstance(x, Literal) and x.datatype is not None:
                    names.pname(x.datatype)
                v = labels[x] = _label(x, names)
                return v

        subjects = []
        for s in self.subjects:
            props = self.groups[s]
            first: list[Node] = [p for p in (_TYPE, _LABEL) if p in props]
            order = first + sorted((p for p in props if p not in first), key=str)
            subjects.append(
                (
                    label(s),
                    [("a" if p == _TYPE else label(p), [label(o) for o in props[p]])
                     for p in order],
                )
            )  # fmt: skip
        return subjects, names.used

    def turtle_body(self, depth: int = 0) -> tuple[str, dict[str, str]]:
        """The statements in Turtle at an indentation ``depth``, and the prefixes they use."""
        subjects, used = self._turtle
        ind = "    "
        pred_sep = " ;\n" + ind * (depth + 1)
        obj_sep = ",\n" + ind * (depth + 2)
        blocks = [
            ind * depth
            + s
            + " "
            + pred_sep.join(f"{p} {obj_sep.join(objs)}" for p, objs in preds)
            + " ."
            for s, preds in subjects
        ]
        return "\n\n".join(blocks), dict(used)


def _fast_turtle_body(g: Graph, depth: int) -> tuple[str, dict[str, str]]:
    """What :class:`_Turtle` writes for a graph without blank nodes, in one pass.

    rdflib's serializer looks up every term's prefix and writes piece by piece (most of the
    export's time at scale, issue 15); this writes the same characters from the triples
    grouped by subject, each IRI's name computed once. tests/test_export.py holds the two
    byte-equal on every graph the build writes.
    """
    return Statements(g).turtle_body(depth)


def _label(node: Node, names: _Names) -> str:
    if node == _NIL:
        return "()"
    if isinstance(node, Literal):
        return node._literal_n3(use_plain=True, qname_callback=names.pname)
    return names.pname(node) or node.n3()


def _turtle_body(g: Graph | Statements, depth: int = 0) -> tuple[str, dict[str, str]]:
    """The statements of ``g`` in Turtle, and the prefixes they use."""
    if isinstance(g, Statements):
        return g.turtle_body(depth)
    if not _has_blank_nodes(g):
        return _fast_turtle_body(g, depth)
    return _rdflib_turtle_body(g, depth)


def _rdflib_turtle_body(g: Graph, depth: int = 0) -> tuple[str, dict[str, str]]:
    """:func:`_turtle_body` by rdflib's serializer (blank nodes nested as ``[ ]``)."""
    ser = _Turtle(g, depth)
    buf = BytesIO()
    ser.serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8").strip("\n"), {
        p: str(ns) for p, ns in ser.namespaces.items()
    }


def _prefix_header(used: Mapping[str, str]) -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(used.items()))


def turtle(g: Graph | Statements) -> bytes:
    """Turtle of ``g``: the prefixes it uses, then subjects sorted by IRI, objects sorted."""
    body, used = _turtle_body(g)
    return "\n".join(x for x in (_prefix_header(used), body + "\n") if x.strip()).encode("utf-8")


def trig(graphs: list[tuple[str, Graph | Statements]]) -> bytes:
    """TriG of (graph IRI, graph) pairs in the given order, one prefix table for all."""
    used: dict[str, str] = {}
    blocks = []
    for iri, g in graphs:
        if (g.size if isinstance(g, Statements) else len(g)) == 0:
            continue
        body, ns = _turtle_body(g, depth=1)
        for p, n in ns.items():
            if used.setdefault(p, n) != n:
                raise ValueError(f"prefix {p}: bound to {used[p]} and {n}")
        blocks.append(f"<{iri}> {{\n{body}\n}}\n")
    return (_prefix_header(used) + "\n" + "\n".join(blocks)).encode("utf-8")


# -- N-Triples, N-Quads, RDF/XML -------------------------------------------------------------


def ntriples_lines(g: Graph) -> list[str]:
    """The N-Triples lines of ``g``, without duplicates, sorted."""
    if not _has_blank_nodes(g):
        return Statements(g).lines
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line for line in text.split("\n") if line})


def sorted_lines(lines: list[str]) -> bytes:
    """Lines sorted, each ending in a newline (N-Triples, N-Quads)."""
    return "".join(f"{line}\n" for line in sorted(lines)).encode("utf-8")


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(s: str) -> str:
    if _XML_FORBIDDEN.search(s):
        raise ValueError(f"{s!r}: a character XML 1.0 cannot carry")
    return escape(s, {"\r": "&#13;"})


def rdfxml(g: Graph | Statements, ns: Mapping[str, str]) -> bytes:
    """RDF/XML of a graph without blank nodes: one ``rdf:Description`` per subject, sorted."""
    st = g if isinstance(g, Statements) else Statements(g)
    by_ns = sorted(ns.items(), key=lambda kv: -len(kv[1]))
    qnames: dict[Node, str] = {}
    used: dict[str, str] = {"rdf": str(RDF)}
    unbound: dict[Node, tuple[str, str]] = {}
    for p in sorted(st.predicates(), key=str):
        for prefix, n in by_ns:
            if str(p).startswith(n) and is_ncname(str(p)[len(n) :]):
                qnames[p] = f"{prefix}:{str(p)[len(n) :]}"
                used[prefix] = n
                break
        else:
            try:
                unbound[p] = split_uri(str(p))
            except ValueError:
                raise ValueError(f"predicate {p.n3()}: RDF/XML cannot write it") from None
    # Namespaces without a fixed prefix: ns1, ns2... in sorted order, as XML requires one.
    extra = {n: f"ns{i}" for i, n in enumerate(sorted({n for n, _ in unbound.values()}), 1)}
    for p, (n, local) in unbound.items():
        qnames[p] = f"{extra[n]}:{local}"
        used[extra[n]] = n
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out += [f"  xmlns:{p}={quoteattr(n)}" for p, n in sorted(used.items())]
    out[-1] += ">"
    resources: dict[Node, str] = {}
    for s in st.subjects:
        out.append(f"  <rdf:Description rdf:about={quoteattr(str(s))}>")
        props = st.groups[s]
        for p in sorted(props, key=lambda p: (p != _TYPE, str(p))):
            q = qnames[p]
            for o in props[p]:
                if isinstance(o, Literal):
                    attrs = f" xml:lang={quoteattr(o.language)}" if o.language else ""
                    attrs += f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype else ""
                    out.append(f"    <{q}{attrs}>{_xml_text(str(o))}</{q}>")
                else:
                    try:
                        attr = resources[o]
                    except KeyError:
                        attr = resources[o] = quoteattr(str(o))
                    out.append(f"    <{q} rdf:resource={attr}/>")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return ("\n".join(out) + "\n").encode("utf-8")
