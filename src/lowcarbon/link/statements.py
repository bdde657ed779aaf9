"""What linking makes: statements about cities, with kind and status, and what it left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from lowcarbon.ingest.dates import DateRange
from lowcarbon.link.coverage import Coverage
from lowcarbon.link.judgments import Link
from lowcarbon.vocab import StatementKind, statement_kind

__all__ = ["Kind", "Linked", "Statement", "Status", "UnresolvedMention"]


class Kind(Enum):
    """Kinds of statement a rule below can make; the value is the row's segment in ``vocab``."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> Any:
        return name.lower()

    MEMBERSHIP = auto()
    SIGNING = auto()
    PARTICIPATION = auto()
    HOSTING = auto()
    VISIT = auto()
    DISCLOSURE = auto()

    @property
    def row(self) -> StatementKind:
        """The row of the vocabulary table for this kind."""
        return statement_kind(self.value)


class Status(Enum):
    """Whether the source reports a fact done, an application made, or a plan."""

    DONE = "done"
    APPLIED = "applied"
    PLANNED = "planned"


@dataclass(frozen=True)
class Statement:
    """One qualified statement about a city, derived from exactly one source record."""

    id: str
    kind: Kind
    city: str
    target: str
    roles: tuple[str, ...]
    status: Status
    date: DateRange | None
    record: str
    at_event: str | None = None
    locations: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    #: reasons of the data/links.yaml entries (map, add) the statement rests on
    judgements: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """IRI path below ``id/``: ``{kind}/{id}``."""
        return f"{self.kind.value}/{self.id}"


@dataclass(frozen=True)
class UnresolvedMention:
    """An unresolved mention: a name-like span that matched no entity."""

    record: str
    line: int
    text: str
    what: str

    def __str__(self) -> str:
        return f"{self.record} (line {self.line}): unresolved {self.what} {self.text!r}"


@dataclass(frozen=True)
class Linked:
    """The result of linking: statements in record order, warnings, exclusions."""

    statements: tuple[Statement, ...]
    warnings: tuple[UnresolvedMention, ...]
    excluded: tuple[Link, ...]
    by_record: dict[str, tuple[Statement, ...]] = field(default_factory=dict)
    #: every action clause and how it is accounted for (placed, excluded, unplaced)
    coverage: Coverage = field(default_factory=lambda: Coverage(()))
