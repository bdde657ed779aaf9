"""Item texts in the real document's phrasing, each with the statements it must link to."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from lowcarbon.catalog import Entity
from lowcarbon.synth.events import GenEvent, Tail
from lowcarbon.synth.names import CityName
from lowcarbon.synth.reuse import Shared, Zipf, cjk_names, latin_names
from lowcarbon.synth.when import Day, When, random_day, render

__all__ = ["COMPAT", "PHRASES", "TYPO", "Expect", "Item", "Writer"]

#: How often a name is written with one of its typos (hidden aliases): the real document
#: misspells about one name in twelve (ICELI, 氣侯, 地方環境行動國際委員 without 會).
TYPO = 0.08
#: Items that write 行 as the compatibility ideograph U+FA08, as three real items do.
COMPAT = 0.06
_DONE_BY = Day(2011, 6, 30)  # a date known to the month at most may be June 2011

# Fixed wording, one place: the generator keeps city names clear of every character here.
PHRASES = (
    "加入成為正式會員之該組織並於申請提出國際收到同意通知新城市名稱列入成員名單會",
    "維持與聯繫工作定期檢視發展積極參與交流活動",
    "簽署參加出席在等國家首長預計將內容包括七大主題及二十一項",
    "參與進行經驗及資訊各國代表受邀發表演說文章藉由擺設攤位宣傳",
    "聯合國氣候變遷綱要公約會議第屆締約大會周邊市長率隊赴",
    "辦理舉辦邀請國際城市首長分享會中就議題以下為其他來訪雙方針對交換意見",
    "碳揭露專案活動排放量修正保護計畫訪問團環保局議會永續局長規劃團隊",
    "臺灣台灣（）()「」，。、～~-",
)


@dataclass(frozen=True)
class Expect:
    """A statement an item must link to: kind, target id and status."""

    kind: str
    target: str
    status: str = "done"


@dataclass
class Item:
    """One generated item: its text (without a list number), statements, judgment calls."""

    text: str
    expects: list[Expect]
    links: list[dict[str, str]] = field(default_factory=list)  # without their record
    stated: list[tuple[GenEvent, str]] = field(default_factory=list)  # events, precision


def _when_of(e: Entity) -> When | None:
    f = e.fact("start_date")
    if f is None:
        return None
    parts = [int(p) for p in f.value.split("-")]
    finest = ("year", "month", "day")[len(parts) - 1]
    start = Day(parts[0], *[*parts[1:], 1, 1][:2])
    end_f = e.fact("end_date")
    end = None
    if end_f is not None and len(parts) == 3 and len(end_f.value) == 10:
        y, m, d = (int(p) for p in end_f.value.split("-"))
        end = Day(y, m, d)
    return When(start, end, finest)


class Writer:
    """Writes items for one document; holds the draws that span cities (hubs, tail)."""

    def __init__(self, rng: random.Random, shared: Shared, tail: Tail) -> None:
        self.rng = rng
        self.shared = shared
        self.tail = tail
        self.when: dict[str, When] = {}
        for e in shared.kept:
            w = _when_of(e)
            if w is not None:
                self.when[e.id] = w
        done = [e for e in shared.events if self.when_of(e).start <= _DONE_BY]
        self.members = Zipf(shared.members, 2.0)
        self.declarations = Zipf(shared.declarations, 1.0)
        self.events = Zipf(done, 1.0)
        self.cops = sorted(n for n, e in shared.cops.items() if self.when_of(e).start <= _DONE_BY)
        self.city: CityName | None = None
        self.brackets = ("（", "）")
        self.used: set[str] = set()  # organizations the city's items name already
        self.applied: dict[str, Day] = {}  # the city's applications, by organization

    # -- helpers --

    def when_of(self, e: Entity) -> When:
        """What is known of the date of ``e`` (a year drawn once when nothing is)."""
        if e.id not in self.when:  # an entity without a date: a year, fixed once
            self.when[e.id] = When(random_day(self.rng), finest="year")
        return self.when[e.id]

    def date(self, when: When, *, bare: bool = False) -> str:
        """The date as the source writes it."""
        return render(self.rng, when, bare=bare)[0]

    def p(self, probability: float) -> bool:
        """True with ``probability``."""
        return self.rng.random() < probability

    def br(self, text: str) -> str:
        """Text in this item's brackets (full-width or ASCII, as the real items mix them)."""
        return f"{self.brackets[0]}{text}{self.brackets[1]}"

    def here(self) -> CityName:
        """The city whose row is being written."""
        if self.city is None:
            raise RuntimeError("Writer.start(city) comes before the city's items")
        return self.city

    def own(self) -> str:
        """The city as its own items name it (臺 written 台 at times)."""
        city = self.here()
        return city.variant if self.p(0.3) else city.zh

    def name(self, e: Entity, *, quote: float = 0.5, latin: float = 0.3) -> str:
        """A Chinese name of ``e``, at times a typo, quoted, or with an English alias after it."""
        zh = self.rng.choice(cjk_names(e))
        hidden = [h for h in e.hidden_aliases if not h.isascii()]
        if hidden and self.p(TYPO):
            zh = self.rng.choice(hidden)
        if "「" not in zh and self.p(quote):
            zh = f"「{zh}」"
        lat = [n for n in latin_names(e) if not n.isupper()]
        if lat and self.p(latin):
            zh += self.br(self.rng.choice(lat))
        return zh

    def acronym(self, e: Entity) -> str | None:
        """The acronym of an organization (ICLEI, at times its typo ICELI), or None."""
        acr = [n for n in latin_names(e) if " " not in n and n.isupper()]
        if not acr:
            return None
        typo = [h for h in e.hidden_aliases if h.isascii()]
        return self.rng.choice(typo) if typo and self.p(TYPO) else acr[0]

    def org(self, e: Entity) -> str:
        """An organization as the first column writes it: 「地方環境行動國際委員會」（ICLEI）."""
        acr = self.acronym(e)
        zh = self.name(e, quote=0.0, latin=0.0)
        if acr is None:
            return f"「{zh}」" if self.p(0.5) else zh
        return self.rng.choice(
            (f"「{zh}」{self.br(acr)}", f"{zh}{self.br(acr)}", acr, f"{acr}「{zh}」")
        )

    def event(self, e: Entity) -> str:
        """A shared event: a COP session as COP15會議, else one of its names."""
        n = next((k for k, c in self.shared.cops.items() if c is e), None)
        return f"COP{n}會議" if n is not None else self.name(e)

    def gen(self, g: GenEvent) -> str:
        """A generated event: its name, usually quoted."""
        return f"「{g.zh}」" if self.p(0.8) else g.zh

    def start(self, city: CityName) -> None:
        """Begin a city's row."""
        self.city = city
        self.used.clear()
        self.applied.clear()

    def member(self, *, again: bool = False) -> Entity | None:
        """An organization the city has not named yet (Zipf); with ``again``, any if none is left.

        One organization per item keeps the admission rule: a city is not admitted before it
        applies. A second item on the same organization is only ever a later admission.
        """
        left = [e for e in self.members.items if e.id not in self.used]
        if not left and not again:
            return None
        for _ in range(64):
            org = self.members.pick(self.rng)
            if org.id not in self.used or not left:
                break
        else:
            org = left[0]
        self.used.add(org.id)
        return org
