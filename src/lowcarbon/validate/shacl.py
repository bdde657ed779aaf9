"""SHACL validation of RDF graphs and files against the ontology's shapes."""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from lowcarbon.errors import (
    ShapesNotFoundError,
    ValidationInputError,
    ValidationRuntimeError,
)
from lowcarbon.paths import Paths
from lowcarbon.validate.core import Unsupported, compile_shapes, run_checks
from lowcarbon.validate.jsonld import MAX_JSON_DEPTH, check_jsonld
from lowcarbon.validate.loaded import NTriples, load_store
from lowcarbon.validate.report import LCD, PREFIXES, Describer, Report, Violation, result_nodes
from lowcarbon.validate.sparql import evaluate, split_rules

__all__ = [
    "ENGINES",
    "MAX_DATA_BYTES",
    "MAX_JSON_DEPTH",
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "Report",
    "ShapesNotFoundError",
    "ValidationInputError",
    "ValidationRuntimeError",
    "Violation",
    "load_data",
    "load_ontology",
    "load_shapes",
    "read_turtle",
    "validate_files",
    "validate_graph",
]

#: File extensions read by :func:`load_data`, and the rdflib format of each.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
    ".nquads": "nquads",
}

_LINE_FORMATS = frozenset({"nt", "nquads"})
#: Largest data file ``validate FILE`` reads, in bytes; deepest JSON-LD nesting it accepts.
MAX_DATA_BYTES = 64 * 1024 * 1024
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})

#: The describer under the name it had when it lived here (tests/test_shapes.py uses it).

# --------------------------------------------------------------------------- errors


class _IllTypedLiteralFilter(logging.Filter):
    """Drops rdflib's traceback for each ill-typed literal: the SHACL report names them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextlib.contextmanager
def _quiet_ill_typed_literals() -> Iterator[None]:
    logger = logging.getLogger("rdflib.term")
    quiet = _IllTypedLiteralFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@functools.lru_cache(maxsize=512)
def _prepare(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    """``text`` parsed and translated once per process, for the given prefix bindings.

    A prepared query is not changed by running it, so every validation (and every
    graph) can share it; the shapes' SPARQL texts are the same from one call to the next.
    """
    return prepareQuery(text, initNs=dict(namespaces))


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once.

    pyshacl sends the same SHACL-SPARQL text once per focus node, with ``$this``
    in ``initBindings``; parsing it (pyparsing) costs far more than running it.
    A prepared query with fresh bindings is exactly what rdflib does for a string.
    Prepared queries are also shared between graphs by :func:`_prepare`, keyed by the
    text and the prefixes it was prepared with.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        """Run a query, preparing a SPARQL string on first use."""
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            prepared = self._prepared.get(query_object)
            if prepared is None:
                namespaces = dict(initNs) if initNs else dict(self.namespaces())
                key = tuple(sorted((str(k), str(v)) for k, v in namespaces.items()))
                prepared = _prepare(query_object, key)
                self._prepared[query_object] = prepared
            query_object = prepared
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


# --------------------------------------------------------------------------- locations


def _find_root(start: Path) -> Path | None:
    """The nearest ancestor of ``start`` holding ``ontology/shapes.ttl``, if any."""
    for parent in start.resolve().parents:
        if Paths(parent).shapes.is_file():
            return parent
    return None


# The package lives in src/lowcarbon; ontology/ is at the repository root. When
# no ancestor holds it (an installed wheel), the paths point where a checkout
# would have it and the loaders raise ShapesNotFoundError naming them.
_ROOT = _find_root(Path(__file__)) or Path(__file__).resolve().parents[2]
SHAPES_PATH: Path = Paths(_ROOT).shapes
ONTOLOGY_PATH: Path = Paths(_ROOT).ontology


def read_turtle(path: Path, what: str, graph: Graph | None = None) -> Graph:
    """The one loader of the ontology and the shapes: ``path`` parsed into ``graph``.

    Raises :class:`ShapesNotFoundError` when the file is missing and
    :class:`ValidationInputError` naming the file and line when it does not parse.
    """
    if not path.is_file():
        raise ShapesNotFoundError(
            f"{what} not found at {path}: lowcarbon validate needs the repository's ontology/ "
            "folder (run it from a checkout, e.g. after `pip install -e .`)"
        )
    graph = Graph() if graph is None else graph
    text = _read_text(path)
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:
        line, message = _parse_error(exc, text, "turtle")
        raise ValidationInputError(
            str(path), line, f"not valid Turtle ({what}): {message}"
        ) from None
    return graph


@functools.cache
def load_shapes() -> Graph:
    """The SHACL shapes graph (``ontology/shapes.ttl``), parsed once; do not modify it."""
    return read_turtle(SHAPES_PATH, "SHACL shapes")


@functools.cache
def load_ontology() -> Graph:
    """The OWL ontology graph (``ontology/lowcarbon.ttl``), parsed once; do not modify it."""
    return read_turtle(ONTOLOGY_PATH, "ontology")


# --------------------------------------------------------------------------- validation


def _copy(graph: Graph) -> Graph:
    """A copy of ``graph`` for pyshacl, so that the caller's shapes stay as they were read.

    pyshacl adds RDFS/OWL axioms (``owl:Class rdfs:subClassOf rdfs:Class``…) to the shapes
    graph it is given; those ended up in the published ontology/shapes.ttl.
    """
    out = Graph()
    for prefix, iri in graph.namespaces():
        out.bind(prefix, iri)
    for triple in graph:
        out.add(triple)
    return out


#: The engines :func:`validate_graph` can use (docs/validation.md, "Engines").
ENGINES = ("auto", "oxigraph", "pyshacl")


def validate_graph(
    data: Graph,
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "auto",
    written: NTriples | None = None,
) -> Report:
    """Validate ``data`` against the shapes, with the ontology mixed in (no inference).

    ``shapes`` and ``ontology`` default to the repository's ``ontology/shapes.ttl``
    and ``ontology/lowcarbon.ttl``; the shapes rely on the ontology's
    ``rdfs:subClassOf`` axioms. The data graph is not modified; the named graphs
    of a :class:`rdflib.Dataset` are validated as one graph.

    ``engine``: ``pyshacl`` (the reference) checks the core shapes; ``oxigraph`` runs them as
    whole-graph queries in pyoxigraph (validate/core.py, the same results, linear in the
    graph); ``auto`` uses oxigraph when it compiles every shape, else pyshacl. The
    SHACL-SPARQL constraints run in pyoxigraph with either (validate/sparql.py).

    ``written``: ``data`` as N-Triples, if the caller has them (the build does); the queries
    then run on that text, parsed natively, and pyshacl (``engine="pyshacl"``) on ``data``.

    Exit codes for the command line: 0 conforms, 1 does not conform
    (:attr:`Report.exit_code`), 2 error (raised: :class:`ValidationRuntimeError`,
    :class:`ShapesNotFoundError`).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    shapes_graph = _copy(shapes) if shapes is not None else load_shapes()
    ontology_graph = ontology if ontology is not None else load_ontology()
    start = time.perf_counter()
    # the SHACL-SPARQL constraints run once each over the whole graph (validate/sparql.py)
    core_shapes, rules = split_rules(shapes_graph)
    if isinstance(data, Dataset):  # named graphs are validated as one graph
        union = Graph()
        for prefix, iri in data.namespaces():
            union.bind(prefix, iri)
        for s, p, o, _context in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union
    if written is not None:
        loaded = load_store([ontology_graph], written=written)
    else:
        loaded = load_store([data, ontology_graph])
    checks = None
    if engine != "pyshacl":
        try:
            checks = compile_shapes(core_shapes, loaded)
        except Unsupported as exc:
            if engine == "oxigraph":
                raise ValidationRuntimeError(
                    f"the oxigraph engine cannot run these shapes: {exc}"
                ) from None
    if checks is not None:
        results = Graph()
        report_node = BNode()
        results.add((report_node, RDF.type, SH.ValidationReport))
        run_checks(loaded, checks, results)
        conforms = True
        for node in results.subjects(RDF.type, SH.ValidationResult):
            results.add((report_node, SH.result, node))
            conforms = False
        results.add((report_node, SH.conforms, Literal(conforms)))
    else:
        conforms, results = _pyshacl_core(data, core_shapes, ontology_graph)
    try:
        extra = evaluate(loaded, shapes_graph, rules)
    except (SyntaxError, OSError, ValueError) as exc:
        raise ValidationRuntimeError(f"SHACL-SPARQL validation failed: {exc}") from exc
    if len(extra):
        report = next(results.subjects(RDF.type, SH.ValidationReport))
        for triple in extra:
            results.add(triple)
        for node in extra.subjects(RDF.type, SH.ValidationResult):
            results.add((report, SH.result, node))
        results.set((report, SH.conforms, Literal(False)))
        conforms = False
    seconds = time.perf_counter() - start
    lcd = _lcd_namespace(shapes_graph)
    describer = Describer(data, lcd)
    for prefix, namespace in describer.prefixes.items():
        results.bind(prefix, namespace, override=True)
    violations = sorted(
        (describer.violation(results, node) for node in result_nodes(results)),
        key=Violation.sort_key,
    )
    return Report(
        conforms=bool(conforms),
        violations=tuple(violations),
        results_graph=results,
        seconds=seconds,
    )


def _pyshacl_core(data: Graph, core_shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """The core shapes checked by pyshacl: (conforms, results graph)."""
    import pyshacl  # the reference engine: imported when used (the build runs oxigraph)
    from pyshacl.errors import ReportableRuntimeError

    # pyshacl would clone the data to mix in the ontology; clone it ourselves into
    # a graph that prepares each SPARQL text once, and let pyshacl work in place.
    work = _PreparedQueryGraph()
    for prefix, iri in data.namespaces():
        work.bind(prefix, iri)
    for triple in data.triples((None, None, None)):
        work.add(triple)
    try:
        with _quiet_ill_typed_literals():
            conforms, results, text = pyshacl.validate(
                work,
                shacl_graph=core_shapes,
                ont_graph=ontology,
                inference="none",
                advanced=True,
                allow_warnings=True,
                inplace=True,
            )
    except ReportableRuntimeError as exc:
        raise ValidationRuntimeError(f"SHACL validation failed: {exc}") from exc
    if not isinstance(results, Graph):
        raise ValidationRuntimeError(f"SHACL validation failed: {text}")
    return bool(conforms), results


def _lcd_namespace(shapes: Graph) -> Namespace:
    """The ``lcd:`` namespace the shapes use (moved with ``--base``), by their prefix."""
    for prefix, namespace in shapes.namespaces():
        if prefix == "lcd":
            return Namespace(str(namespace))
    return LCD


def validate_files(
    paths: Sequence[Path],
    *,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    engine: str = "auto",
) -> Report:
    """Validate the union of the RDF files ``paths`` (format chosen by extension).

    ``shapes`` and ``ontology`` default to the package's own. Raises
    :class:`ValidationInputError` (exit 2) naming the file, and the line where the parser
    gives one, for a file that is missing, not a regular file, too large, unreadable, not
    well-formed, empty of triples or holding an IRI that is not one. Exit codes otherwise as
    :func:`validate_graph`, and so is ``engine``.
    """
    return validate_graph(load_data(paths), shapes=shapes, ontology=ontology, engine=engine)


def load_data(paths: Sequence[Path]) -> Graph:
    """Parse Turtle, N-Triples, JSON-LD, TriG and N-Quads files into one graph.

    Named graphs are merged into the one graph. JSON-LD is read without any
    network access: a remote (or any string-valued) ``@context`` or an
    ``@import`` is an error, not a fetch.
    """
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    with _quiet_ill_typed_literals():
        for path in paths:
            for triple in _parse_file(Path(path)):
                union.add(triple)
    return union


def _parse_file(path: Path) -> Iterator[tuple[Node, Node, Node]]:
    name = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        expected = ", ".join(sorted(FORMATS))
        raise ValidationInputError(
            name, None, f"unknown RDF file extension {path.suffix!r}; expected one of {expected}"
        )
    text = _read_text(path)
    if fmt == "json-ld":
        check_jsonld(name, text)
    graph: Graph = Dataset() if fmt in _QUAD_FORMATS else Graph()
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as exc:
        error_line, message = _parse_error(exc, text, fmt)
        raise ValidationInputError(name, error_line, f"not valid {fmt}: {message}") from None
    triples = (
        [(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))]
        if isinstance(graph, Dataset)
        else list(graph)
    )
    if not triples:
        raise ValidationInputError(name, None, "no triples: nothing to validate")
    for triple in triples:
        for term in triple:
            if isinstance(term, URIRef) and _NOT_IRI.search(term):
                line = text[: max(text.find(str(term)), 0)].count("\n") + 1
                raise ValidationInputError(name, line, f"<{term}> is not an IRI")
    yield from triples


def _read_text(path: Path) -> str:
    """The UTF-8 text of a regular file of at most :data:`MAX_DATA_BYTES`."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ValidationInputError(name, None, "not a regular file")
        if info.st_size > MAX_DATA_BYTES:
            raise ValidationInputError(
                name, None, f"{info.st_size} bytes; at most {MAX_DATA_BYTES} are read"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationInputError(name, None, "no such file") from None
    except OSError as exc:
        raise ValidationInputError(name, None, f"cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte_line = data[: exc.start].count(b"\n") + 1
        raise ValidationInputError(name, byte_line, "not UTF-8 text") from None


def _parse_error(exc: Exception, text: str, fmt: str) -> tuple[int | None, str]:
    """The line (1-based, if known) and a short message for a parser exception."""
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):  # rdflib's Turtle / TriG BadSyntax: 0-based line
        why = getattr(exc, "_why", None)
        return lines + 1, str(why) if why else str(exc).splitlines()[0]
    message = " ".join(str(exc).split()).split("; use sys.set_int_max_str_digits")[0]
    if fmt in _LINE_FORMATS:
        for number, line in enumerate(text.splitlines(), start=1):
            try:
                (Dataset() if fmt in _QUAD_FORMATS else Graph()).parse(data=line + "\n", format=fmt)
            except Exception:
                return number, message
    return None, message
