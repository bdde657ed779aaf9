"""Items of the third column: exchange activities attended, hosted, planned; visits received."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lowcarbon.synth.items import Expect, Item
from lowcarbon.synth.kinds import DISCLOSURE, HOSTING, PARTICIPATION, VISIT
from lowcarbon.synth.names import EVENT_THEMES
from lowcarbon.synth.reuse import cjk_names
from lowcarbon.synth.when import When, random_day, render, render_years

if TYPE_CHECKING:
    from lowcarbon.synth.items import Writer

__all__ = [
    "TOPICS",
    "VISITORS",
    "annual_meeting",
    "attend",
    "attend_two",
    "cop",
    "cop_range",
    "plan_attend",
    "programme",
    "tail_event",
    "topic",
    VISIT,
]

_CN = "一二三四五六七八九"
#: Quoted topics of discussion (links.yaml ignores them): two are the real document's.
TOPICS = ("氣候變遷之管理趨勢", "低碳城市之作為", "社區節能推動", "都市熱島調適", "綠色運具推廣")
#: Who visits: a delegation of a place abroad (zh, en with the place's name).
VISITORS = (
    ("市長訪問團", "a mayoral delegation from {}"),
    ("環保局訪問團", "an environment bureau delegation from {}"),
    ("議會訪問團", "a city council delegation from {}"),
    ("永續局長", "the director of sustainability of {}"),
    ("規劃團隊", "a planning team from {}"),
)

# -- 參與國際交流活動 --


def _role(w: Writer) -> str:
    r = w.rng.random()
    if r < 0.08:
        return "，並受邀發表演說"
    if r < 0.12:
        return "，並受邀發表文章"
    if r < 0.16:
        return f"，藉由擺設攤位宣傳{w.own()}，並與各國代表進行經驗及資訊交流"
    return "，進行國際交流" if r < 0.3 else ""


def attend(w: Writer) -> Item:
    """A shared event attended (a hub of the Zipf draw), maybe with a role."""
    event = w.events.pick(w.rng)
    when = w.when_of(event)
    place = next(
        (
            p
            for f in event.facts_for("location")
            if (p := w.shared.get(f.value)) is not None and p.type == "City"
        ),
        None,
    )
    where = f"赴{w.rng.choice(cjk_names(place))}" if place is not None and w.p(0.3) else ""
    verb = w.rng.choice(("參加", "參與", "出席"))
    text = f"{w.date(when)}{where}{verb}{w.event(event)}{_role(w)}。"
    return Item(text, [Expect(PARTICIPATION, event.id)])


def tail_event(w: Writer) -> Item:
    """A tail event: a new one the city hosts, or one it attends."""
    g, hosted = w.tail.draw(w.rng, w.here())
    d, precision = render(w.rng, g.when)
    if hosted:
        text = w.rng.choice(
            (
                f"{d}於{w.own()}辦理「{g.zh}」，邀請國際城市首長分享{_theme(w)}經驗。",
                f"{d}舉辦「{g.zh}」，會中邀請各國城市代表進行交流。",
            )
        )
        return Item(text, [Expect(HOSTING, g.id)], stated=[(g, precision)])
    if g.host is not None:
        text = f"{d}參加{g.host.zh}舉辦之{w.gen(g)}{_role(w)}。"
    elif g.place is not None and w.p(0.3):
        text = f"{d}赴{g.place.label_zh}參加{w.gen(g)}{_role(w)}。"
    else:
        text = f"{d}{w.rng.choice(('參加', '參與'))}{w.gen(g)}{_role(w)}。"
    return Item(text, [Expect(PARTICIPATION, g.id)], stated=[(g, precision)])


def _theme(w: Writer) -> str:
    return w.rng.choice(EVENT_THEMES)[0]


def cop_range(w: Writer) -> Item | None:
    """A run of COP sessions: 94年~100年參與…第十一～十六屆締約國大會 (COP11～16)."""
    if len(w.cops) < 2:
        return None
    a = w.rng.choice(w.cops[:-1])
    b = w.rng.choice([n for n in w.cops if a < n <= a + 5])
    years = render_years(
        w.rng,
        w.when_of(w.shared.cops[a]).start.year,
        w.when_of(w.shared.cops[b]).start.year,
    )
    if w.p(0.5):
        text = (
            f"{years}參與聯合國氣候變遷綱要公約會議第{_cn(a)}～{_cn(b)}屆締約國大會 (COP{a}～{b})"
        )
    else:
        text = f"{years}參加「氣候變化綱要公約」締約國{w.br(f'COP{a}-{b}')}周邊會議"
    expects = [Expect(PARTICIPATION, w.shared.cops[n].id) for n in w.cops if a <= n <= b]
    return Item(text + _role(w) + "。", expects)


def cop(w: Writer) -> Item | None:
    """One COP session attended."""
    if not w.cops:
        return None
    cop = w.shared.cops[w.rng.choice(w.cops)]
    text = f"{w.date(w.when_of(cop))}參加{w.event(cop)}{_role(w)}。"
    return Item(text, [Expect(PARTICIPATION, cop.id)])


def attend_two(w: Writer) -> Item | None:
    """Two shared events in one item."""
    first, second = w.events.distinct(w.rng, 2)
    if first is second:
        return None
    d = w.date(When(w.when_of(first).start, finest="year"))
    text = f"{d}參加{w.event(first)}及{w.event(second)}。"
    return Item(text, [Expect(PARTICIPATION, first.id), Expect(PARTICIPATION, second.id)])


def programme(w: Writer) -> Item | None:
    """The CDP cities programme (taken part in, or disclosed to), or CCP."""
    progs = w.shared.programmes
    d = w.date(When(random_day(w.rng)))
    r = w.rng.random()
    if r < 0.4 and "cdp-cities" in progs:
        return Item(f"{d}參與城市碳揭露專案{w.br('CDP')}。", [Expect(PARTICIPATION, "cdp-cities")])
    if r < 0.7 and "cdp-cities" in progs and w.shared.get("c40") is not None:
        year = w.rng.randint(2005, 2010)
        text = (
            f"{d}參與國際碳揭露組織(Carbon Disclosure Project, CDP)與C40城市聯盟之碳揭露活動，"
            f"揭露{w.own()}{year}年之碳排放量。"
        )
        return Item(text, [Expect(DISCLOSURE, "cdp-cities")])
    if "cities-for-climate-protection" in progs:
        text = f"{d}參加ICLEI城市氣候保護計畫(Cities for Climate Protection){_role(w)}。"
        return Item(text, [Expect(PARTICIPATION, "cities-for-climate-protection")])
    return None


def annual_meeting(w: Writer) -> Item | None:
    """An event named vaguely (ICLEI年會); links.yaml maps it."""
    iclei = w.shared.get("iclei")
    if iclei is None:
        return None
    event = w.events.pick(w.rng)
    d = w.date(When(w.when_of(event).start, finest="year"))
    phrase = "ICLEI年會"
    text = f"{d}參與「{phrase}」{_role(w)}。"
    reason = (
        f"「{d}參與「{phrase}」」 — the synthetic document calls {event.label_en} "
        "ICLEI's annual meeting; a judgment call made by the generator."
    )
    return Item(
        text,
        [Expect(PARTICIPATION, event.id)],
        [{"map": phrase, "to": event.id, "reason": reason}],
    )


def topic(w: Writer) -> Item:
    """An event attended and a quoted topic (links.yaml: ignore)."""
    event = w.events.pick(w.rng)
    topic = w.rng.choice(TOPICS)
    d = w.date(w.when_of(event))
    text = f"{d}參加{w.event(event)}，就「{topic}」議題分享{w.own()}之經驗。"
    reason = f"「就「{topic}」議題」 is a topic of discussion, not an entity."
    return Item(text, [Expect(PARTICIPATION, event.id)], [{"ignore": topic, "reason": reason}])


def plan_attend(w: Writer) -> Item:
    """A plan: COP17 in late 2011, or a meeting after June 2011."""
    cop17 = w.shared.cops.get(17)
    if cop17 is not None and w.p(0.5):
        month = w.rng.choice((11, 12))
        return Item(
            f"100年{month}月將由市長率隊參加COP17會議。",
            [Expect(PARTICIPATION, cop17.id, "planned")],
        )
    g = w.tail.planned(w.rng)
    d, precision = render(w.rng, When(g.when.start, finest="month"))
    return Item(
        f"預計{d}將參加「{g.zh}」。",
        [Expect(PARTICIPATION, g.id, "planned")],
        stated=[(g, precision)],
    )


def visit(w: Writer) -> Item:
    """A visit received (sub-list), not named; links.yaml adds the visit event."""
    city = w.here()
    when = When(random_day(w.rng))
    if w.shared.partners and w.p(0.25):
        partner = w.rng.choice(w.shared.partners)
        visitor = (f"{partner.label_zh}訪問團", f"a delegation of the {partner.label_en}")
    else:
        place = w.rng.choice(w.shared.places)
        zh, en = w.rng.choice(VISITORS)
        visitor = (f"{place.label_zh}{zh}", en.format(place.label_en))
    d, precision = render(w.rng, when)
    g = w.tail.visit(w.rng, city, visitor, when)
    text = f"{d}，{visitor[0]}來訪，雙方針對{_theme(w)}議題交換意見。"
    reason = (
        f"「{d}，{visitor[0]}來訪」 describes a visit received without naming it; the "
        "catalog entry is that visit."
    )
    return Item(text, [Expect(VISIT, g.id)], [{"add": g.id, "reason": reason}], [(g, precision)])


def _cn(n: int) -> str:
    """11 -> 十一 (the numbers of COP sessions, 1 to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens - 1] + "十")
    return head + ("" if ones == 0 else _CN[ones - 1])
