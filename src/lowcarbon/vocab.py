"""The dataset's vocabulary in one table: kinds of statement and entity, graphs, media types.

Every list of kinds in the package is derived from the rows here, so adding a kind of statement
is one row of :data:`STATEMENT_KINDS` plus its linking rule (``link/rules.py``), its ontology
class and shape, and a line of docs; ``tests/test_vocab.py`` names whichever of those is missing.
Standard library only: every stage may import this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = [
    "DEFAULT_BASE",
    "ENTITY_KINDS",
    "FORMAT_NAMES",
    "GRAPH_NAMES",
    "MEDIA_TYPES",
    "NQUADS_DUMP",
    "RELEASE",
    "STATEMENT_KINDS",
    "ZH",
    "EntityKind",
    "Release",
    "StatementKind",
    "entity_kind",
    "graph_iri",
    "statement_kind",
]

#: The IRI base the dataset is published under (``--base`` mints the same dataset elsewhere).
DEFAULT_BASE: Final = "https://w3id.org/lowcarbon-diplomacy/"
#: The language tag of the source's labels (Traditional Chinese, BCP 47).
ZH: Final = "zh-Hant"


@dataclass(frozen=True)
class Release:
    """The release of the dataset that this code builds: pinned here, never read off the clock.

    Bump all three fields of :data:`RELEASE` (and ``CITATION.cff``, ``pyproject.toml``, which a
    test compares with it) when publishing a new release; ``issued`` stays the first release's.
    """

    #: the version, as in ``pyproject.toml`` and ``CITATION.cff`` (``dcat:version``)
    version: str
    #: the date of the first release, ISO 8601 (``dcterms:issued``)
    issued: str
    #: the date of this release, ISO 8601 (``dcterms:modified``, CFF ``date-released``)
    modified: str


RELEASE: Final = Release(version="0.1.0", issued="2026-12-03", modified="2026-12-03")


@dataclass(frozen=True)
class StatementKind:
    """One kind of qualified statement about a city."""

    #: IRI path segment, ``id/{segment}/{city}--{target}``; also the value of ``link.Kind``.
    segment: str
    #: local name of the ``lcd:`` class of the statement node.
    cls: str
    #: local name of the ``lcd:`` shortcut property city -> target for done statements.
    shortcut: str
    #: English phrase before the target in a statement's label: "membership of".
    phrase_en: str
    #: Chinese label template; ``{c}``: city, ``{t}``: target (zh-Hant labels).
    template_zh: str
    #: (en, zh-Hant) plural heading of an index section.
    heading: tuple[str, str]
    #: whether a done statement of this kind puts its city in a context shared with other cities.
    co_participation: bool


STATEMENT_KINDS: Final[tuple[StatementKind, ...]] = (
    StatementKind(
        "membership", "Membership", "memberOf", "membership of", "{c}加入{t}",
        ("Memberships", "會籍"), True,
    ),
    StatementKind(
        "signing", "Signing", "signed", "signing of", "{c}簽署{t}",
        ("Signings", "簽署"), True,
    ),
    StatementKind(
        "participation", "Participation", "participatedIn", "participation in", "{c}參與{t}",
        ("Participations", "參與"), True,
    ),
    StatementKind(
        "hosting", "Hosting", "hosted", "hosting of", "{c}舉辦{t}",
        ("Hostings", "舉辦"), True,
    ),
    StatementKind(
        "visit", "VisitReceived", "receivedVisit", "visit received:", "{c}接待{t}",
        ("Visits received", "接待來訪"), False,
    ),
    StatementKind(
        "disclosure", "Disclosure", "participatedIn", "disclosure through", "{c}透過{t}揭露",
        ("Disclosures", "揭露"), True,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class EntityKind:
    """One kind of catalog entity."""

    #: kind name, also the IRI path segment ``id/{name}/{id}``.
    name: str
    #: file stem of its catalog file, ``data/catalog/{stem}.yaml``.
    stem: str
    #: allowed values of ``type`` in the catalog (``lcd:`` or ``schema:`` class local names).
    types: tuple[str, ...]
    #: (en, zh-Hant) plural heading of an index section.
    heading: tuple[str, str]


ENTITY_KINDS: Final[tuple[EntityKind, ...]] = (
    EntityKind("city", "cities", ("LocalGovernment",), ("Cities and counties", "縣市")),
    EntityKind(
        "organization", "organizations", ("InternationalOrganization", "Organization"),
        ("Organizations", "組織"),
    ),
    EntityKind(
        "declaration",
        "declarations",
        ("Declaration",),
        ("Declarations and agreements", "宣言與協議"),
    ),
    EntityKind("event", "events", ("Event",), ("Events", "活動")),
    EntityKind("programme", "programmes", ("Programme",), ("Programmes", "計畫")),
    EntityKind("place", "places", ("City", "Country", "Place"), ("Places", "地點")),
    EntityKind("person", "people", ("Person",), ("People", "人物")),
)  # fmt: skip

_STATEMENTS = {k.segment: k for k in STATEMENT_KINDS}
_ENTITIES = {k.name: k for k in ENTITY_KINDS}


def statement_kind(segment: str) -> StatementKind:
    """The row of a statement kind by its segment; ``KeyError`` names an unknown one."""
    return _STATEMENTS[segment]


def entity_kind(name: str) -> EntityKind:
    """The row of an entity kind by its name; ``KeyError`` names an unknown one."""
    return _ENTITIES[name]


#: The named graphs of the published dataset, in the order they are written.
GRAPH_NAMES: Final = ("data", "ontology", "shapes", "metadata")


def graph_iri(base: str, name: str) -> str:
    """IRI of a named graph: ``{base}graph/{name}``."""
    return f"{base}graph/{name}"


#: The dump every store is loaded from: all named graphs, N-Quads (a path under exports/).
NQUADS_DUMP: Final = "rdf/lowcarbon.nq"

#: Media type of each exported file, by extension.
MEDIA_TYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        ".ttl": "text/turtle",
        ".nt": "application/n-triples",
        ".jsonld": "application/ld+json",
        ".rdf": "application/rdf+xml",
        ".trig": "application/trig",
        ".nq": "application/n-quads",
        ".csv": "text/csv",
        ".json": "application/json",
        ".md": "text/markdown",
        ".graphml": "application/graphml+xml",
        ".gexf": "application/gexf+xml",
        ".png": "image/png",
        ".svg": "image/svg+xml",
    }
)

#: Name of each exported file format, by extension.
FORMAT_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        ".ttl": "Turtle",
        ".nt": "N-Triples",
        ".jsonld": "JSON-LD",
        ".rdf": "RDF/XML",
        ".trig": "TriG",
        ".nq": "N-Quads",
        ".csv": "CSV",
        ".json": "JSON",
        ".md": "Markdown",
        ".graphml": "GraphML",
        ".gexf": "GEXF 1.2",
        ".png": "PNG",
        ".svg": "SVG",
    }
)
