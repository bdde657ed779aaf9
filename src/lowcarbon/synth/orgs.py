"""Items of the first two columns: organizations joined, declarations signed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lowcarbon.catalog import Entity
from lowcarbon.synth.events import GenEvent
from lowcarbon.synth.items import Expect, Item
from lowcarbon.synth.kinds import MEMBERSHIP, PARTICIPATION, SIGNING
from lowcarbon.synth.reuse import cjk_names
from lowcarbon.synth.when import LAST_DONE, Day, When, random_day, render

if TYPE_CHECKING:
    from lowcarbon.synth.items import Writer

__all__ = [
    "apply",
    "apply_then_join",
    "c20",
    "join",
    "plan_join",
    "plan_sign",
    "sign",
    "sign_at",
    "sign_in",
    "sign_with_cities",
    "sign_with_partner",
]

# -- 加入國際組織 --


def join(w: Writer) -> Item:
    """A membership done: 96年加入「地方環境行動國際委員會」（ICLEI）."""
    org = w.member(again=True)
    if org is None:  # pragma: no cover - again=True always finds one
        raise RuntimeError("no organization to join")
    when = When(random_day(w.rng, first=w.applied.get(org.id, Day(2004, 1, 1))))
    m = w.org(org)
    text = w.rng.choice(
        (
            f"{w.date(when, bare=True)}加入{m}。",
            f"{w.date(when, bare=True)}加入{m}之會員。",
            f"{w.date(when, bare=True)}成為{m}正式會員。",
            f"{w.date(when)}正式加入{m}成為會員。",
        )
    )
    if w.p(0.15):
        text = text[:-1] + f"，並維持與{w.acronym(org) or m}之聯繫工作，定期檢視該組織之發展。"
    return Item(text, [Expect(MEMBERSHIP, org.id)])


def apply_then_join(w: Writer) -> Item | None:
    """An application, then the admission: 99年申請加入…，並於99年正式成為…正式會員."""
    org = w.member()
    if org is None:
        return None
    applied = random_day(w.rng, last=Day(2011, 4, 30))
    w.applied[org.id] = applied
    done = random_day(w.rng, first=applied)
    d1, d2 = w.date(When(applied)), w.date(When(done))
    acr = w.acronym(org)
    if acr is not None and w.p(0.4):
        text = f"{d1}提出加入{acr}國際組織申請。{d2}收到加入同意通知，成為{acr}(新)正式會員。"
    else:
        text = f"{d1}申請加入{w.org(org)}，並於{d2}正式成為該組織正式會員。"
    return Item(text, [Expect(MEMBERSHIP, org.id, "applied"), Expect(MEMBERSHIP, org.id)])


def apply(w: Writer) -> Item | None:
    """An application only: 100年1月20日提出加入ICLEI之申請."""
    org = w.member()
    if org is None:
        return None
    applied = random_day(w.rng)
    w.applied[org.id] = applied
    d = w.date(When(applied))
    return Item(f"{d}提出加入{w.org(org)}之申請。", [Expect(MEMBERSHIP, org.id, "applied")])


def plan_join(w: Writer) -> Item | None:
    """A plan to apply: ICLEI 100年台中市會申請加入."""
    org = w.member()
    if org is None:
        return None
    name = w.acronym(org) or w.name(org, quote=0.0, latin=0.0)
    return Item(f"{name} 100年{w.own()}會申請加入。", [Expect(MEMBERSHIP, org.id, "planned")])


def c20(w: Writer) -> Item | None:
    """A programme joined, its initiator named only (links.yaml: ignore_entity)."""
    c20, group = w.shared.programmes.get("c20-programme"), w.shared.get("climate-group")
    if c20 is None or group is None:
        return None
    d = w.date(When(random_day(w.rng)))
    text = f"{d}加入成為氣候團體組織(The Climate Group)發起C20計畫成員之協助及參與平台。"
    reason = (
        "「氣候團體組織(The Climate Group)發起C20計畫」 names The Climate Group as the "
        "initiator of the programme the city joined, not as an organization it joined."
    )
    link = {"ignore_entity": group.id, "reason": reason}
    return Item(text, [Expect(PARTICIPATION, c20.id)], [link])


# -- 簽署減量協議或宣言 --


def _signing_when(w: Writer, decl: Entity) -> When:
    """A day on or after the declaration was adopted (when the catalog knows it)."""
    first = w.when_of(decl).start if decl.fact("start_date") is not None else Day(2004, 1, 1)
    if first > LAST_DONE:
        return When(first, finest="month")
    return When(random_day(w.rng, first=first))


def sign(w: Writer) -> Item:
    """A declaration signed: 94年簽署「綠色都市宣言」."""
    decl = w.declarations.pick(w.rng)
    d = w.date(_signing_when(w, decl))
    return Item(f"{d}簽署{w.name(decl, quote=0.8)}。", [Expect(SIGNING, decl.id)])


def sign_at(w: Writer) -> Item | None:
    """An event attended and a declaration signed there (adopted by then, if known)."""
    g: GenEvent | None = None
    if w.p(0.5):
        event = w.events.pick(w.rng)
        when, mention, target = w.when_of(event), w.event(event), event.id
    else:
        g, _ = w.tail.draw(w.rng, w.here(), hosting=False)
        when, mention, target = g.when, w.gen(g), g.id
    for _ in range(16):
        decl = w.declarations.pick(w.rng)
        if decl.fact("start_date") is None or w.when_of(decl).start <= when.start:
            break
    else:  # every draw was adopted later: sign by name only (the tail event is still used)
        decl = next((d for d in w.declarations.items if d.fact("start_date") is None), decl)
    d, precision = render(w.rng, when)
    return Item(
        f"{d}參加{mention}，簽署{w.name(decl, quote=0.9)}。",
        [Expect(PARTICIPATION, target), Expect(SIGNING, decl.id)],
        stated=[] if g is None else [(g, precision)],
    )


def sign_in(w: Writer) -> Item | None:
    """A declaration signed where it was adopted: 在美國舊金山簽署「城市環境協議書」."""
    sited = [
        (decl, place)
        for decl in w.declarations.items
        for f in decl.facts_for("location")
        if (place := w.shared.get(f.value)) is not None
    ]
    if not sited:
        return None
    decl, place = w.rng.choice(sited)
    d = w.date(_signing_when(w, decl))
    where = w.rng.choice(("在", "於"))
    text = f"{d}{where}{w.rng.choice(cjk_names(place))}簽署{w.name(decl, quote=0.8)}。"
    return Item(text, [Expect(SIGNING, decl.id)])


def sign_with_partner(w: Writer) -> Item | None:
    """A declaration signed with an organization (its counterpart)."""
    if not w.shared.partners:
        return None
    decl = w.declarations.pick(w.rng)
    partner = w.rng.choice(w.shared.partners)
    d = w.date(_signing_when(w, decl))
    text = f"{d}與{w.rng.choice(cjk_names(partner))}簽署{w.name(decl, quote=0.5)}。"
    return Item(text, [Expect(SIGNING, decl.id)])


def sign_with_cities(w: Writer) -> Item | None:
    """A declaration signed with the mayors of several countries' cities."""
    if len(w.shared.countries) < 2:
        return None
    decl = w.declarations.pick(w.rng)
    k = w.rng.randint(2, min(6, len(w.shared.countries)))
    countries = "、".join(c.label_zh for c in w.rng.sample(w.shared.countries, k))
    d = w.date(_signing_when(w, decl))
    text = f"{d}與{countries}等國家城市首長簽署{w.name(decl, quote=0.3)}。"
    return Item(text, [Expect(SIGNING, decl.id)])


def plan_sign(w: Writer) -> Item:
    """A declaration the city plans to sign."""
    decl = w.declarations.pick(w.rng)
    return Item(
        f"預計100年將簽署{w.name(decl, quote=0.9)}。",
        [Expect(SIGNING, decl.id, "planned")],
    )
