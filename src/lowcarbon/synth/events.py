"""Generated events: regional meetings abroad, events a city hosts, visits it receives."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from lowcarbon.catalog import Entity, Fact, normalize
from lowcarbon.synth.names import EVENT_KINDS, EVENT_THEMES, CityName
from lowcarbon.synth.when import LAST_DONE, Day, When, random_day

__all__ = ["NOTE", "GenEvent", "Tail"]

#: The note every generated entity carries (skos:scopeNote in the graph).
NOTE = "Synthetic: made up by `lowcarbon synth` for testing at scale; not a real {what}."

# Pitman-Yor process for the long tail: a new event with probability
# (CONCENTRATION + DISCOUNT * events) / (uses + CONCENTRATION), else an existing one with
# probability proportional to (its uses - DISCOUNT). The number of events grows like
# uses ** DISCOUNT and their sizes follow a power law: many events with one or two cities.
_DISCOUNT = 0.75
_CONCENTRATION = 5.0
_HOSTED = 0.3  # share of new tail events that the drawing city hosts
_ATTEMPTS = 10_000  # names tried for a new event (years x places x themes x kinds: 17,000+)


@dataclass
class GenEvent:
    """A generated event, with what the document states about it once it is written."""

    id: str
    zh: str
    en: str
    when: When
    host: CityName | None = None
    place: Entity | None = None
    visit: bool = False
    uses: int = 0
    facts: list[Fact] = field(default_factory=list)

    def stated(self, ref: str, precision: str) -> None:
        """Keep what its first mention (item ``ref``, date to ``precision``) states about it."""
        if self.facts:
            return
        src = f"item:{ref}"
        d = self.when.start
        value = {"year": f"{d.year:04d}", "month": d.iso[:7]}.get(precision, d.iso)
        self.facts.append(Fact("start_date", value, src, 0))
        if precision == "span" and self.when.end is not None:
            self.facts.append(Fact("end_date", self.when.end.iso, src, 0))
        if self.host is not None:
            self.facts.append(
                Fact("organizer" if not self.visit else "location", self.host.id, src, 0)
            )
        if self.place is not None:
            self.facts.append(Fact("location", self.place.id, src, 0))

    def entity(self) -> Entity:
        """The catalog entry."""
        return Entity(
            id=self.id,
            kind="event",
            type="Event",
            label_en=self.en,
            label_zh=self.zh,
            facts=tuple(self.facts),
            note=NOTE.format(what="event"),
        )


def _when(rng: random.Random, first: Day | None = None, last: Day = LAST_DONE) -> When:
    start = random_day(rng, first or Day(2004, 1, 1), last)
    if rng.random() < 0.4 and start.day < 27:
        end = Day(start.year, start.month, start.day + rng.randint(1, 3))
        return When(start, end)
    return When(start)


class Tail:
    """The generated events, drawn so that a few recur and most appear once or twice."""

    def __init__(self, places: Iterable[Entity], taken: set[str]) -> None:
        self.places = tuple(places)
        self.taken = taken  # ids and normalised names already used, shared with the catalog
        self.events: list[GenEvent] = []
        self._seats: list[int] = []  # one entry per use of a tail event: index into events
        self._tail: list[int] = []  # the events the tail draws from (not plans, not visits)

    def _name(self, zh: str, id: str, en: str) -> bool:
        keys = {normalize(zh), id, normalize(en)}
        if keys & self.taken:
            return False
        self.taken.update(keys)
        return True

    def _add(self, e: GenEvent, *, tail: bool) -> GenEvent:
        self.events.append(e)
        if tail:
            self._tail.append(len(self.events) - 1)
        return e

    def draw(
        self, rng: random.Random, city: CityName, *, hosting: bool = True
    ) -> tuple[GenEvent, bool]:
        """A tail event for ``city`` to attend (or host), and whether it is new and hosted."""
        uses = len(self._seats)
        p_new = (_CONCENTRATION + _DISCOUNT * len(self._tail)) / (uses + _CONCENTRATION)
        if not self._tail or rng.random() < p_new:
            hosted = hosting and rng.random() < _HOSTED
            e = self.hosted(rng, city) if hosted else self.regional(rng)
            self._add(e, tail=True)
            self._use(len(self.events) - 1)
            return e, hosted
        while True:  # proportional to uses - DISCOUNT: a use at random, kept with (n - d) / n
            k = self._seats[rng.randrange(uses)]
            n = self.events[k].uses
            if rng.random() < (n - _DISCOUNT) / n:
                self._use(k)
                return self.events[k], False

    def _use(self, k: int) -> None:
        self.events[k].uses += 1
        self._seats.append(k)

    def regional(
        self, rng: random.Random, *, first: Day | None = None, last: Day = LAST_DONE
    ) -> GenEvent:
        """A new meeting held abroad: 2009首爾低碳城市論壇."""
        for _ in range(_ATTEMPTS):
            when = _when(rng, first, last)
            place = rng.choice(self.places)
            zh_t, slug_t, en_t = rng.choice(EVENT_THEMES)
            zh_k, slug_k, en_k = rng.choice(EVENT_KINDS)
            y = when.start.year
            zh = f"{y}{place.label_zh}{zh_t}{zh_k}"
            id = f"{y}-{place.id}-{slug_t}-{slug_k}"
            en = f"{y} {place.label_en} {en_t} {en_k}"
            if self._name(zh, id, en):
                return GenEvent(id, zh, en, when, place=place)
        raise RuntimeError("no unused name left for a meeting abroad")

    def hosted(self, rng: random.Random, city: CityName) -> GenEvent:
        """A new event ``city`` hosts: 2010澄嵐市國際綠色交通研討會."""
        for _ in range(_ATTEMPTS):
            when = _when(rng)
            zh_t, slug_t, en_t = rng.choice(EVENT_THEMES)
            zh_k, slug_k, en_k = rng.choice(EVENT_KINDS)
            y = when.start.year
            zh = f"{y}{city.zh}國際{zh_t}{zh_k}"
            id = f"{y}-{city.id}-{slug_t}-{slug_k}"
            en = f"{y} {city.en} International {en_t} {en_k}"
            if self._name(zh, id, en):
                return GenEvent(id, zh, en, when, host=city)
        raise RuntimeError(f"no unused name left for an event of {city.id}")

    def planned(self, rng: random.Random) -> GenEvent:
        """A new meeting abroad after June 2011, which cities can only plan to attend."""
        e = self.regional(rng, first=Day(2011, 7, 1), last=Day(2011, 12, 31))
        return self._add(e, tail=False)

    def visit(
        self, rng: random.Random, city: CityName, visitor: tuple[str, str], when: When
    ) -> GenEvent:
        """A new visit ``city`` receives (the document names no event: links.yaml adds it)."""
        d = when.start
        n = 1
        while True:
            tag_zh = f"{d.year}年{d.month}月{d.day}日" + (f"，第{n}次" if n > 1 else "")
            zh = f"{visitor[0]}來訪{city.zh}（{tag_zh}）"
            id = f"visit-{city.id}-{d.iso}" + (f"-{n}" if n > 1 else "")
            en = f"Visit of {visitor[1]} to {city.en} ({d.iso}{f', {n}' if n > 1 else ''})"
            if self._name(zh, id, en):
                return self._add(GenEvent(id, zh, en, when, host=city, visit=True), tail=False)
            n += 1
