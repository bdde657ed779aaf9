"""The catalog's entity model: kinds, fact properties, entities, and lookups by id and name."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final

from lowcarbon.errors import CatalogError
from lowcarbon.vocab import ENTITY_KINDS

__all__ = [
    "KINDS",
    "PROPERTIES",
    "REFERENCES",
    "Catalog",
    "CatalogError",
    "Entity",
    "Fact",
    "normalize",
]

#: File stem -> (kind name, allowed ``type`` values), in the order of docs/catalog.md.
KINDS: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    k.stem: (k.name, k.types) for k in ENTITY_KINDS
}

_ALL_KINDS = frozenset(kind for kind, _ in KINDS.values())

#: Fact property -> the kinds of entity it applies to.
PROPERTIES: Final[Mapping[str, frozenset[str]]] = {
    "wikidata": _ALL_KINDS,
    "start_date": frozenset({"event", "declaration"}),
    "end_date": frozenset({"event", "declaration"}),
    "location": frozenset({"event", "organization", "declaration"}),
    "organizer": frozenset({"event", "programme", "declaration"}),
    "super_event": frozenset({"event"}),
    "country": frozenset({"place", "organization"}),
    "lat": frozenset({"city", "place"}),
    "long": frozenset({"city", "place"}),
    "history": frozenset({"city"}),
    "affiliation": frozenset({"person"}),
    "role": frozenset({"person"}),
}

#: Reference property -> (kinds its target may have, ``type`` its target must have or None).
REFERENCES: Final[Mapping[str, tuple[tuple[str, ...], str | None]]] = {
    "location": (("place", "city"), None),
    "organizer": (("organization", "city"), None),
    "super_event": (("event",), None),
    "country": (("place",), "Country"),
    "affiliation": (("organization", "city", "place"), None),
}


@dataclass(frozen=True)
class Fact:
    """A cited statement about an entity; ``line`` is where the fact starts in its file."""

    property: str
    value: str
    source: str
    line: int


@dataclass(frozen=True)
class Entity:
    """One catalog entry; ``kind`` is the singular of its file (``city``, ``person``…)."""

    id: str
    kind: str
    type: str
    label_en: str
    label_zh: str
    aliases: tuple[str, ...] = ()
    hidden_aliases: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    note: str | None = None
    file: str = ""
    line: int = 0

    def fact(self, prop: str) -> Fact | None:
        """The first fact with property ``prop``, or None."""
        return next((f for f in self.facts if f.property == prop), None)

    def facts_for(self, prop: str) -> tuple[Fact, ...]:
        """Every fact with property ``prop``, in file order."""
        return tuple(f for f in self.facts if f.property == prop)

    @property
    def wikidata(self) -> str | None:
        """The Wikidata Q-id, if the entity has one."""
        f = self.fact("wikidata")
        return f.value if f else None

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that names the entity: both labels, aliases, hidden aliases."""
        return (self.label_en, self.label_zh, *self.aliases, *self.hidden_aliases)


_FOLD = str.maketrans({"臺": "台", "～": "~", "〜": "~", "－": "-"})
_SPACE_RE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The matching key of a name, per docs/catalog.md; apply it to private copies only.

    1. Unicode NFKC: folds CJK compatibility ideographs (U+FA08 -> 行), full-width ASCII to
       half-width (ＩＣＬＥＩ -> ICLEI) and the ideographic space to a space;
    2. 臺 -> 台, the wave dashes ～ and 〜 -> ``~``, full-width －  -> ``-``;
    3. every run of whitespace -> one space, and the ends trimmed;
    4. case-folded (only Latin and other bicameral scripts change; CJK has no case).

    >>> normalize("臺北市　ＩＣＬＥＩ COP11～16")
    '台北市 iclei cop11~16'
    """
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACE_RE.sub(" ", folded).strip().casefold()


@dataclass(frozen=True)
class Catalog:
    """Every entity, sorted by kind then id, with lookups by id and by name."""

    entities: tuple[Entity, ...]
    _by_id: dict[str, Entity] = field(init=False, repr=False, compare=False)
    _names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Sort the entities and build the indexes; a clash of ids or names is an error."""
        ordered = tuple(sorted(self.entities, key=lambda e: (e.kind, e.id)))
        by_id: dict[str, Entity] = {}
        names: dict[str, str] = {}
        for e in ordered:
            if e.id in by_id:
                raise CatalogError(e.file, e.line, f"duplicate id {e.id!r}")
            by_id[e.id] = e
            for name in e.names:
                owner = names.setdefault(normalize(name), e.id)
                if owner != e.id:
                    raise CatalogError(
                        e.file, e.line, f"name {name!r} of {e.id!r} also names {owner!r}"
                    )
        object.__setattr__(self, "entities", ordered)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_names", names)

    def get(self, id: str) -> Entity:
        """The entity with this id; KeyError (with the closest ids) if there is none."""
        try:
            return self._by_id[id]
        except KeyError:
            raise KeyError(_unknown_id(id, self._by_id)) from None

    def by_kind(self, kind: str) -> tuple[Entity, ...]:
        """The entities of one kind (``city``, ``event``…), sorted by id."""
        if kind not in _ALL_KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(_kind_names())}")
        return tuple(e for e in self.entities if e.kind == kind)

    def resolve(self, name: str) -> Entity | None:
        """The entity a label, alias or hidden alias names (compared normalised), or None."""
        owner = self._names.get(normalize(name))
        return self._by_id[owner] if owner is not None else None

    def alias_index(self) -> dict[str, str]:
        """Normalised name -> entity id, for every label, alias and hidden alias."""
        return dict(self._names)

    def __contains__(self, id: object) -> bool:
        """Whether an entity has this id."""
        return isinstance(id, str) and id in self._by_id

    def __iter__(self) -> Iterator[Entity]:
        """The entities, sorted by kind then id."""
        return iter(self.entities)

    def __len__(self) -> int:
        """The number of entities."""
        return len(self.entities)


def _kind_names() -> list[str]:
    return [kind for kind, _ in KINDS.values()]


def _unknown_id(id: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(id, list(known), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"no entity with id {id!r} in the catalog{hint}"
