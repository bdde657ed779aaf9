"""Which item each column gets: the templates and how often the real table uses each kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lowcarbon.synth import activities, orgs
from lowcarbon.synth.items import COMPAT, Item, Writer
from lowcarbon.synth.kinds import VISIT

__all__ = ["write_item"]

Template = Callable[[Writer], Item | None]

# Weights per column, after the real table: of 14 organization items 10 are admissions, 3 an
# application and then the admission, 1 a plan; declarations are mostly signed by name or at
# the event where they were adopted; activities name shared events (the hubs), one city's own
# events (the tail), COP sessions, singly or as a run, and a few plans.
_TEMPLATES: dict[str, Sequence[tuple[float, Template]]] = {
    "org": (
        (0.70, orgs.join),
        (0.13, orgs.apply_then_join),
        (0.05, orgs.apply),
        (0.07, orgs.plan_join),
        (0.05, orgs.c20),
    ),
    "declaration": (
        (0.40, orgs.sign),
        (0.30, orgs.sign_at),
        (0.10, orgs.sign_in),
        (0.08, orgs.sign_with_partner),
        (0.08, orgs.sign_with_cities),
        (0.04, orgs.plan_sign),
    ),
    "activity": (
        (0.25, activities.attend),
        (0.35, activities.tail_event),
        (0.06, activities.cop_range),
        (0.06, activities.cop),
        (0.06, activities.attend_two),
        (0.06, activities.programme),
        (0.03, activities.annual_meeting),
        (0.05, activities.topic),
        (0.03, activities.plan_attend),
    ),
    VISIT: ((1.0, activities.visit),),
}


def write_item(w: Writer, column: str) -> Item:
    """One item of ``column`` (org, declaration, activity, visit) for the writer's city.

    A template that cannot apply (no organization left to apply to, no COP run) returns
    None and another is drawn.
    """
    w.brackets = ("（", "）") if w.p(0.5) else ("(", ")")
    options = _TEMPLATES[column]
    weights = [weight for weight, _ in options]
    while True:
        template = w.rng.choices([t for _, t in options], weights=weights)[0]
        item = template(w)
        if item is not None:
            break
    if "行" in item.text and w.p(COMPAT):
        item.text = item.text.replace("行", "\ufa08")
    return item
