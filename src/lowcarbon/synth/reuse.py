"""The real catalog's shared entities, ranked by how often the real document names them."""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from lowcarbon.catalog import REFERENCES, Catalog, Entity, normalize
from lowcarbon.synth.kinds import MEMBERSHIP
from lowcarbon.vocab import ENTITY_KINDS

__all__ = ["Shared", "Zipf", "cjk_names", "latin_names", "shared_entities"]

T = TypeVar("T")

_CJK_RE = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")
_COP_ID_RE = re.compile(r"^cop(\d+)$")
# Kinds of the real catalog that the synthetic one keeps: the people are real persons and
# the cities are replaced by generated ones, so neither is reused.
_REUSED_KINDS = tuple(k.name for k in ENTITY_KINDS if k.name not in ("city", "person"))


class Zipf(Generic[T]):
    """Draws from ranked items with weight 1 / rank ** exponent: a few hubs, a long tail."""

    def __init__(self, items: Sequence[T], exponent: float) -> None:
        if not items:
            raise ValueError("a Zipf draw needs at least one item")
        self.items = tuple(items)
        weights = [1.0 / (rank**exponent) for rank in range(1, len(items) + 1)]
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        """One item."""
        return rng.choices(self.items, cum_weights=self.cum)[0]

    def distinct(self, rng: random.Random, count: int) -> list[T]:
        """``count`` items, distinct while there are enough, in the order drawn."""
        out: list[T] = []
        for _ in range(count):
            left = [x for x in self.items if x not in out]
            if not left:
                out.append(self.pick(rng))
                continue
            for _ in range(64):
                x = self.pick(rng)
                if x not in out:
                    break
            else:
                x = left[0]
            out.append(x)
        return out


def cjk_names(e: Entity) -> list[str]:
    """The entity's shown names in Chinese (zh label first), as the source may write them."""
    names = [e.label_zh, *e.aliases]
    return [n for n in dict.fromkeys(names) if _CJK_RE.search(n)]


def latin_names(e: Entity) -> list[str]:
    """The entity's shown aliases without Chinese (ICLEI, Resilient Cities 2010)."""
    return [n for n in e.aliases if not _CJK_RE.search(n)]


@dataclass(frozen=True)
class Shared:
    """What the synthetic catalog reuses, and the entities each column draws from."""

    kept: tuple[Entity, ...]
    members: tuple[Entity, ...]  # international organizations, most named first
    partners: tuple[Entity, ...]  # other organizations (counterparts of a signing or visit)
    declarations: tuple[Entity, ...]
    events: tuple[Entity, ...]  # shared events other than COP sessions, most named first
    cops: dict[int, Entity]
    programmes: dict[str, Entity]
    places: tuple[Entity, ...]  # cities abroad
    countries: tuple[Entity, ...]
    by_id: dict[str, Entity]

    def get(self, id: str) -> Entity | None:
        """A kept entity by id."""
        return self.by_id.get(id)


def _names_a_city(e: Entity, city_names: Sequence[str], city_ids: set[str]) -> bool:
    text = normalize(" ".join((e.label_zh, *e.aliases, *e.hidden_aliases)))
    if any(name in text for name in city_names):
        return True
    return any(f.property in REFERENCES and f.value in city_ids for f in e.facts)


def shared_entities(
    catalog: Catalog, source_text: str, statements: Iterable[tuple[str, str]]
) -> Shared:
    """The entities of ``catalog`` that are not tied to one real city, with their facts.

    An entity is left out when a name of it names a real city (新北市政府, 高雄市…來訪) or a
    fact points at one (organizer: kaohsiung): those are one city's events and places. Of the
    facts kept, those cited to an item of the real document go (the synthetic document does
    not hold that item) and so do references to entities left out.

    ``statements`` are the (kind, target) of the real document's statements. Each list is
    ranked by how many of them name the entity, then by how often the real document names it,
    then by id, so that Zipf draws put ICLEI first. The organizations cities join are those the
    real cities joined (ICLEI, UCLG, WMCCC), or every international one if none did.
    """
    real = catalog.by_kind("city")
    city_ids = {c.id for c in real}
    city_names = [normalize(c.label_zh) for c in real] + [normalize(c.label_zh[:2]) for c in real]
    kept_ids = {
        e.id
        for e in catalog
        if e.kind in _REUSED_KINDS and not _names_a_city(e, city_names, city_ids)
    }
    kept: list[Entity] = []
    for e in catalog:
        if e.id not in kept_ids:
            continue
        facts = tuple(
            f
            for f in e.facts
            if not f.source.startswith("item:")
            and (f.property not in REFERENCES or f.value in kept_ids)
        )
        kept.append(dataclasses.replace(e, facts=facts, file="", line=0))
    text = normalize(source_text)
    pairs = list(statements)
    uses = Counter(target for _, target in pairs)
    joined = {target for kind, target in pairs if kind == MEMBERSHIP}

    def count(e: Entity) -> int:
        return sum(text.count(normalize(n)) for n in {*e.names} if n)

    def ranked(items: list[Entity]) -> tuple[Entity, ...]:
        return tuple(sorted(items, key=lambda e: (-uses[e.id], -count(e), e.id)))

    orgs = [e for e in kept if e.kind == "organization"]
    international = [e for e in orgs if e.type == "InternationalOrganization"]
    events = [e for e in kept if e.kind == "event"]
    places = [e for e in kept if e.kind == "place"]
    return Shared(
        kept=tuple(kept),
        members=ranked([e for e in international if e.id in joined] or international),
        partners=ranked([e for e in orgs if e.type != "InternationalOrganization"]),
        declarations=ranked([e for e in kept if e.kind == "declaration"]),
        events=ranked([e for e in events if not _COP_ID_RE.match(e.id)]),
        cops={int(m[1]): e for e in events if (m := _COP_ID_RE.match(e.id))},
        programmes={e.id: e for e in kept if e.kind == "programme"},
        places=tuple(sorted((e for e in places if e.type == "City"), key=lambda e: e.id)),
        countries=tuple(sorted((e for e in places if e.type == "Country"), key=lambda e: e.id)),
        by_id={e.id: e for e in kept},
    )
