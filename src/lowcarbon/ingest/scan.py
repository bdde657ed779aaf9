"""Reading ROC date text: the scanner that finds date expressions in it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from lowcarbon.ingest.numerals import (
    _CN_NUMERAL_CHARS,
    _CN_PLACE_DIGITS,
    _CN_UNITS,
    DateError,
    parse_chinese_numeral,
)

__all__ = [
    "PLAUSIBLE_ROC_YEARS",
    "Fields",
    "Parsed",
    "can_start",
    "normalise",
    "parse_at",
    "plausible",
]

PLAUSIBLE_ROC_YEARS = range(1, 151)  # ROC years accepted in text: 1 (1912) to 150 (2061)


# --------------------------------------------------------------------------------------------
# Scanning helpers

_ASCII_DIGITS = frozenset("0123456789")
_ASCII_ALNUM_DOT = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
_NORMALISE = str.maketrans(
    {chr(0xFF10 + i): chr(0x30 + i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
    | {"．": ".", "：": ":"}
)
"""Full-width digits, letters, full stop and colon to ASCII, one character for one."""

_SEPARATORS = frozenset("~～〜∼-－–—‐‑至到")
_SPACES = frozenset(" \t\u3000")
_YEAR_MARK = "年"
_MONTH_MARK = "月"
_DAY_MARKS = frozenset("日號号")
_CN_SMALL = frozenset("一二三四五六七八九十〇○◯零")  # months and days in Chinese numerals
# 年 followed by these is a duration (二十年來, 3年多, 5年半, 10年以上, 3年左右), not a year
_DURATION_AFTER_YEAR = ("來", "多", "半", "以上", "左右")
_MONTH_MODIFIERS = ("上旬", "中旬", "下旬", "初", "底", "末")
_YEAR_MODIFIERS = ("初", "底", "末")
_NOT_AFTER_CHU = frozenset("步次級審選賽稿版")  # 初步 (preliminary), 初次 (first time)...
# a day number without 日 is not a day when followed by a measure word or another number
_NOT_AFTER_BARE_DAY = frozenset("個位名國家座場次項人屆年月週周天時點分秒%％萬千百億元倍歲餘多")
# a bare ROC year (no 年) is reported by find_dates only right before one of these verbs
_BARE_YEAR_VERBS = (
    "加入",
    "成為",
    "參加",
    "參與",
    "簽署",
    "出席",
    "申請",
    "舉辦",
    "辦理",
    "提出",
    "收到",
    "受邀",
    "獲邀",
)


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII; the result has the same length as ``text``."""
    return text.translate(_NORMALISE)


def _run(s: str, i: int, chars: frozenset[str]) -> str:
    """The longest substring of ``s`` from ``i`` made of ``chars``."""
    j = i
    while j < len(s) and s[j] in chars:
        j += 1
    return s[i:j]


class _Unit(enum.IntEnum):
    YEAR = 0
    MONTH = 1
    DAY = 2


@dataclass(frozen=True)
class _YearToken:
    number: int  # as written: ROC or Gregorian
    roc: bool
    closed: bool  # followed by 年, or a Chinese digit-by-digit year
    marked: bool  # followed by 年, so a month may follow
    stop: int


@dataclass(frozen=True)
class _Component:
    value: int
    closed: bool  # followed by its unit (月, 日)
    stop: int


@dataclass(frozen=True)
class _Point:
    """One side of an expression as read; the last component may lack its unit (open)."""

    begin: int
    lead: _Unit
    year: _YearToken | None
    month: int | None
    day: int | None
    approximate: bool
    open_unit: _Unit | None
    stop: int
    closed_stop: int  # where the point ends without its open component

    @property
    def finest(self) -> _Unit:
        if self.day is not None:
            return _Unit.DAY
        if self.month is not None:
            return _Unit.MONTH
        return _Unit.YEAR


@dataclass(frozen=True)
class Fields:
    """One side of a scanned expression: the year as written (ROC or Gregorian) and the rest."""

    year: int
    roc: bool
    bare: bool
    month: int | None
    day: int | None
    approximate: bool


@dataclass(frozen=True)
class Parsed:
    """A scanned expression: its start, its end for a range, and where it stops in the text."""

    start: Fields
    end: Fields | None
    stop: int


def _is_duration(s: str, k: int) -> bool:
    return any(s.startswith(word, k) for word in _DURATION_AFTER_YEAR)


def _read_year(s: str, i: int) -> _YearToken | None:
    """A year at ``i``: 99年, 民國99年, 民國九十九年, 2009年, 二○一○(年), or bare digits."""
    if s.startswith("民國", i):
        j = i + 2
        run = _run(s, j, _ASCII_DIGITS) or _run(s, j, _CN_NUMERAL_CHARS)
        k = j + len(run)
        if not run or not s.startswith(_YEAR_MARK, k) or _is_duration(s, k + 1):
            return None
        if run[0] in _ASCII_DIGITS:
            if len(run) > 3:
                return None
            number = int(run)
        else:
            try:
                number = parse_chinese_numeral(run)
            except DateError:
                return None
        return _YearToken(number, roc=True, closed=True, marked=True, stop=k + 1)
    run = _run(s, i, _ASCII_DIGITS)
    if run:
        if len(run) > 4:
            return None
        k = i + len(run)
        roc = len(run) <= 3
        if s.startswith(_YEAR_MARK, k):
            if _is_duration(s, k + 1):
                return None
            return _YearToken(int(run), roc, closed=True, marked=True, stop=k + 1)
        return _YearToken(int(run), roc, closed=False, marked=False, stop=k)
    run = _run(s, i, _CN_PLACE_DIGITS)
    k = i + len(run)
    if len(run) != 4 or run[0] not in "一二" or (k < len(s) and s[k] in _CN_UNITS):
        return None
    number = parse_chinese_numeral(run)
    if s.startswith(_YEAR_MARK, k):
        if _is_duration(s, k + 1):
            return None
        return _YearToken(number, roc=False, closed=True, marked=True, stop=k + 1)
    return _YearToken(number, roc=False, closed=True, marked=False, stop=k)


def _read_component(s: str, i: int, marks: frozenset[str]) -> _Component | None:
    """A month or day number at ``i``: 1-2 digits (unit optional) or a Chinese numeral + unit."""
    run = _run(s, i, _ASCII_DIGITS)
    if run:
        if len(run) > 2:
            return None
        k = i + len(run)
        if k < len(s) and s[k] in marks:
            return _Component(int(run), closed=True, stop=k + 1)
        return _Component(int(run), closed=False, stop=k)
    run = _run(s, i, _CN_SMALL)
    k = i + len(run)
    if not run or len(run) > 3 or k >= len(s) or s[k] not in marks:
        return None
    try:
        value = parse_chinese_numeral(run)
    except DateError:
        return None
    return _Component(value, closed=True, stop=k + 1)


def _read_modifier(s: str, i: int, words: tuple[str, ...]) -> int | None:
    """The end of an approximation word (初, 底, 上旬...) at ``i``, or None."""
    for word in words:
        if s.startswith(word, i):
            following = i + len(word)
            if word == "初" and following < len(s) and s[following] in _NOT_AFTER_CHU:
                continue
            return following
    return None


def _read_point(s: str, i: int, lead: _Unit) -> _Point | None:
    """A date point at ``i`` whose first component is ``lead`` (year, month or day)."""
    year: _YearToken | None = None
    month: int | None = None
    pos = i

    def point(
        *,
        day: int | None = None,
        approximate: bool = False,
        open_unit: _Unit | None = None,
        stop: int | None = None,
        closed_stop: int | None = None,
        open_month: int | None = None,
    ) -> _Point:
        """The point read so far; ``open_month`` is a month number lacking its 月."""
        return _Point(
            begin=i,
            lead=lead,
            year=year,
            month=month if open_month is None else open_month,
            day=day,
            approximate=approximate,
            open_unit=open_unit,
            stop=pos if stop is None else stop,
            closed_stop=pos if closed_stop is None else closed_stop,
        )

    if lead is _Unit.YEAR:
        year = _read_year(s, i)
        if year is None:
            return None
        if not year.closed:
            return point(open_unit=_Unit.YEAR, stop=year.stop, closed_stop=i)
        pos = year.stop
        if not year.marked:
            return point()
        modified = _read_modifier(s, pos, _YEAR_MODIFIERS)
        if modified is not None:
            return point(approximate=True, stop=modified, closed_stop=modified)
    if lead <= _Unit.MONTH:
        found = _read_component(s, pos, frozenset(_MONTH_MARK))
        if found is None:
            return None if lead is _Unit.MONTH else point()
        if not found.closed:
            return point(open_month=found.value, open_unit=_Unit.MONTH, stop=found.stop)
        month, pos = found.value, found.stop
        modified = _read_modifier(s, pos, _MONTH_MODIFIERS)
        if modified is not None:
            return point(approximate=True, stop=modified, closed_stop=modified)
    found = _read_component(s, pos, _DAY_MARKS)
    if found is None:
        return None if lead is _Unit.DAY else point()
    if not found.closed:
        return point(day=found.value, open_unit=_Unit.DAY, stop=found.stop)
    return point(day=found.value, stop=found.stop, closed_stop=found.stop)


def _close(p: _Point) -> _Point | None:
    """The point without its open component, or None when nothing closed remains."""
    if p.open_unit is None:
        return p
    if p.closed_stop == p.begin:
        return None
    if p.open_unit is _Unit.MONTH:
        return replace(p, month=None, open_unit=None, stop=p.closed_stop)
    return replace(p, day=None, open_unit=None, stop=p.closed_stop)


def _bare_day_ok(s: str, k: int) -> bool:
    """Whether a day number ending at ``k`` may stand without 日 (98年12月16參加)."""
    if k >= len(s):
        return True
    if s[k] in _NOT_AFTER_BARE_DAY:
        return False
    return not (s[k] in ".:" and k + 1 < len(s) and s[k + 1] in _ASCII_DIGITS)


def _after_separator(s: str, k: int) -> int | None:
    """The position after a range separator (with optional spaces) at ``k``, or None."""
    while k < len(s) and s[k] in _SPACES:
        k += 1
    if k >= len(s) or s[k] not in _SEPARATORS:
        return None
    k += 1
    while k < len(s) and s[k] in _SPACES:
        k += 1
    return k


def _read_end(s: str, j: int, start: _Point) -> _Point | None:
    """The end of a range at ``j``; it leads with a unit no finer than the start's finest."""
    finest = start.open_unit if start.open_unit is not None else start.finest
    for lead in _Unit:
        if lead > finest:
            break
        p = _read_point(s, j, lead)
        if p is None:
            continue
        if p.open_unit is _Unit.DAY and finest is _Unit.DAY and _bare_day_ok(s, p.stop):
            return replace(p, open_unit=None)
        closed = _close(p)
        if closed is not None:
            return closed
    return None


def _fields(p: _Point, inherit: Fields | None) -> Fields:
    """The fields of a point, taking what it leaves out from ``inherit`` (start or context)."""
    if p.year is not None:
        year, roc = p.year.number, p.year.roc
        bare = not p.year.closed and p.open_unit is _Unit.YEAR
    elif inherit is not None:
        year, roc, bare = inherit.year, inherit.roc, False
    else:  # pragma: no cover - parse_at only leads with a month when it has a context year
        raise AssertionError("a point without a year needs a year to inherit")
    month = p.month
    if p.lead is _Unit.DAY and inherit is not None:
        month = inherit.month
    return Fields(year, roc, bare, month, p.day, p.approximate)


def parse_at(s: str, i: int, *, whole: bool, context_year: int | None) -> Parsed | None:
    """The expression starting at ``i`` of the normalised text ``s``, or None.

    ``whole`` is for parse_date (a bare year must be the whole text); otherwise a bare year
    needs a verb after it. ``context_year`` (Gregorian) lets an expression start with a month.
    """
    leads = [_Unit.YEAR] if context_year is None else [_Unit.YEAR, _Unit.MONTH]
    context = (
        None
        if context_year is None
        else Fields(context_year, roc=False, bare=False, month=None, day=None, approximate=False)
    )
    for lead in leads:
        p = _read_point(s, i, lead)
        if p is None:
            continue
        parsed = _complete(s, i, p, whole=whole, context=context)
        if parsed is not None:
            return parsed
    return None


def _complete(s: str, i: int, p: _Point, *, whole: bool, context: Fields | None) -> Parsed | None:
    """Finish an expression whose start point is ``p``: a range, a single date, or None."""
    j = _after_separator(s, p.stop)
    if j is not None:
        end = _read_end(s, j, p)
        if end is not None:
            start_fields = _fields(replace(p, open_unit=None), context)
            return Parsed(start_fields, _fields(end, start_fields), end.stop)
    if p.open_unit is _Unit.DAY and _bare_day_ok(s, p.stop):
        return Parsed(_fields(replace(p, open_unit=None), context), None, p.stop)
    if p.open_unit is _Unit.YEAR:
        if whole:
            ok = p.stop == len(s)
        else:
            ok = (
                p.year is not None
                and p.year.roc
                and p.year.number in PLAUSIBLE_ROC_YEARS
                and (i == 0 or s[i - 1] not in _SEPARATORS)
                and any(s.startswith(verb, p.stop) for verb in _BARE_YEAR_VERBS)
            )
        return Parsed(_fields(p, context), None, p.stop) if ok else None
    closed = _close(p)
    if closed is None:
        return None
    return Parsed(_fields(closed, context), None, closed.stop)


def can_start(s: str, i: int) -> bool:
    """Whether an expression may begin at ``i`` (not inside a word, number or numeral)."""
    ch = s[i]
    prev = s[i - 1] if i else ""
    if ch in _ASCII_DIGITS:
        return prev not in _ASCII_ALNUM_DOT
    if ch in _CN_PLACE_DIGITS or ch == "十":
        return prev not in _CN_NUMERAL_CHARS
    return ch == "民"


def plausible(parsed: Parsed) -> bool:
    """Whether every ROC year in ``parsed`` is in PLAUSIBLE_ROC_YEARS."""
    sides = [parsed.start] if parsed.end is None else [parsed.start, parsed.end]
    return all(not f.roc or f.year in PLAUSIBLE_ROC_YEARS for f in sides)
