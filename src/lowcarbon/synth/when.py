"""Dates for generated items, written as the real document writes them (ROC years, ranges)."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass

__all__ = ["LAST_DONE", "Day", "When", "random_day", "render", "render_years"]

_ROC = 1911

# Forms of a date in the real document, with how often its items use them: a year (96年) in
# over half, a month (93年5月), a day (94年6月5日), a span of days (10月4～7日), an approximate
# month (3月初), a bare year before a verb (97加入).
_FORMS = (("year", 0.55), ("month", 0.17), ("day", 0.15), ("span", 0.08), ("early", 0.02))
_BARE = 0.03
_SPAN_SEPARATORS = ("～", "-", "~")
_ALLOWED = {
    "year": frozenset({"year"}),
    "month": frozenset({"year", "month", "early"}),
    "day": frozenset({"year", "month", "day", "span", "early"}),
}


@dataclass(frozen=True, order=True)
class Day:
    """A Gregorian day."""

    year: int
    month: int
    day: int

    @property
    def roc(self) -> int:
        """The ROC (民國) year."""
        return self.year - _ROC

    @property
    def iso(self) -> str:
        """YYYY-MM-DD."""
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


#: The last day a statement can be done in: the document reports up to June 2011, and the linker
#: reads a day in June 2011 as later than "June 2011", i.e. as a plan.
LAST_DONE = Day(2011, 5, 31)
_FIRST = Day(2004, 1, 1)


def random_day(rng: random.Random, first: Day = _FIRST, last: Day = LAST_DONE) -> Day:
    """A day between ``first`` and ``last`` (inclusive), every month equally likely."""
    months = (last.year - first.year) * 12 + last.month - first.month
    k = rng.randint(0, months)
    year, month = first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1
    low = first.day if (year, month) == (first.year, first.month) else 1
    high = calendar.monthrange(year, month)[1]
    if (year, month) == (last.year, last.month):
        high = min(high, last.day)
    return Day(year, month, rng.randint(low, high))


@dataclass(frozen=True)
class When:
    """What the generator knows of a date: a day, maybe the last day, and how fine it is."""

    start: Day
    end: Day | None = None
    finest: str = "day"  # year, month or day: the parts that are known


def render(rng: random.Random, when: When, *, bare: bool = False) -> tuple[str, str]:
    """The date as the source would write it, and the precision written (year, month, day).

    ``bare`` allows a year without 年 (the template puts a verb right after it). Nothing finer
    than ``when.finest`` is written, and a day after LAST_DONE is written as its month, so
    that a done fact stays done.
    """
    start, end = when.start, when.end
    if bare and rng.random() < _BARE:
        return f"{start.roc}", "year"
    allowed = _ALLOWED[when.finest]
    if start > LAST_DONE:
        allowed = allowed & {"year", "month", "early"}
    if not _spans(start, end):
        allowed = allowed - {"span"}
    forms = [(f, w) for f, w in _FORMS if f in allowed]
    form = rng.choices([f for f, _ in forms], weights=[w for _, w in forms])[0]
    if form == "year":
        return f"{start.roc}年", "year"
    if form == "month":
        return f"{start.roc}年{start.month}月", "month"
    if form == "early":
        return f"{start.roc}年{start.month}月初", "month"
    if form == "span" and end is not None:
        sep = rng.choice(_SPAN_SEPARATORS)
        return f"{start.roc}年{start.month}月{start.day}{sep}{end.day}日", "span"
    return f"{start.roc}年{start.month}月{start.day}日", "day"


def render_years(rng: random.Random, first: int, last: int) -> str:
    """A span of ROC years (97-98年, 94年~100年) from Gregorian ``first`` to ``last``."""
    if rng.random() < 0.5:
        return f"{first - _ROC}-{last - _ROC}年"
    return f"{first - _ROC}年~{last - _ROC}年"


def _spans(start: Day, end: Day | None) -> bool:
    return end is not None and (end.year, end.month) == (start.year, start.month) and end > start
