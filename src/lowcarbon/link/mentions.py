"""Names of catalog entities found in an item's text, longest alias first, no overlaps.

The alias table is indexed once per document by folded alias and by length, so finding the
mentions of one item costs (item length) x (distinct alias lengths) dictionary lookups,
whatever the size of the catalog.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from lowcarbon.catalog import Catalog, Entity
from lowcarbon.link.text import compact, fold

__all__ = ["AliasTable", "Mention", "alias_table", "find_mentions"]


@dataclass(frozen=True)
class Mention:
    """An entity named at ``[start, end)`` of an item's body."""

    entity: Entity
    start: int
    end: int


@dataclass(frozen=True)
class AliasTable:
    """Folded alias -> the entities it names (by id), and the alias lengths, longest first."""

    entities: dict[str, tuple[Entity, ...]]
    lengths: tuple[int, ...]


def _index(pairs: Iterable[tuple[str, Entity]]) -> dict[str, list[Entity]]:
    """Compacted folded alias -> entities (an alias is folded by the caller)."""
    out: dict[str, list[Entity]] = defaultdict(list)
    for alias, entity in pairs:
        key = compact(alias)[0]
        if key:
            out[key].append(entity)
    return out


def alias_table(catalog: Catalog) -> AliasTable:
    """Every label and alias of the catalog, folded (see ``link.text.fold``)."""
    pairs = [
        (fold(name), e)
        for e in catalog
        for name in (e.label_en, e.label_zh, *e.aliases, *e.hidden_aliases)
    ]
    index = _index(pairs)
    return AliasTable(
        {a: tuple(sorted(es, key=lambda e: e.id)) for a, es in index.items()},
        tuple(sorted({len(a) for a in index}, reverse=True)),
    )


def find_mentions(
    body: str, table: AliasTable, extra: Iterable[tuple[str, Entity]] = ()
) -> list[Mention]:
    """Mentions in ``body`` of the table's aliases and of ``extra`` (per-item aliases).

    Longer aliases win over shorter ones, then the lower entity id, then the earlier place;
    a mention never overlaps another, and a Latin alias never matches inside a Latin word.
    Matching ignores the spaces that :func:`~lowcarbon.link.text.compact` drops; offsets are
    those of ``body``.
    """
    spaced = fold(body)
    folded, where = compact(spaced)
    more = _index(extra)
    lengths = sorted({*table.lengths, *map(len, more)}, reverse=True)
    hits: list[tuple[int, str, str, int, Entity]] = []
    n = len(folded)
    for i in range(n):
        for size in lengths:
            if i + size > n:
                continue
            alias = folded[i : i + size]
            for entity in (*table.entities.get(alias, ()), *more.get(alias, ())):
                hits.append((-size, entity.id, alias, i, entity))
    hits.sort(key=lambda h: h[:4])
    taken = bytearray(n)
    found: list[Mention] = []
    for negative_size, _, _, i, entity in hits:
        j = i - negative_size
        start, end = where[i], where[j - 1] + 1
        if not any(taken[i:j]) and _word_bounded(spaced, start, end):
            found.append(Mention(entity, start, end))
            taken[i:j] = b"\1" * (j - i)
    found.sort(key=lambda m: (m.start, m.entity.id))
    return found


def _word_bounded(text: str, i: int, j: int) -> bool:
    """Latin aliases must not match inside a longer Latin word (CDP in 'CDPX')."""

    def latin(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    if latin(text[i]) and i > 0 and latin(text[i - 1]):
        return False
    return not (latin(text[j - 1]) and j < len(text) and latin(text[j]))
