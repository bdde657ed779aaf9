"""ROC (Minguo) date expressions to typed dates with precision and ranges."""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass

from lowcarbon.ingest.numerals import DateError, parse_chinese_numeral
from lowcarbon.ingest.scan import (
    PLAUSIBLE_ROC_YEARS,
    Fields,
    Parsed,
    can_start,
    normalise,
    parse_at,
    plausible,
)

# DateError and parse_chinese_numeral are defined in ingest.numerals and re-exported here.
__all__ = [
    "Date",
    "DateError",
    "DateMatch",
    "DateRange",
    "Precision",
    "expand_cop_range",
    "find_dates",
    "parse_chinese_numeral",
    "parse_date",
    "roc_to_gregorian",
]

_ROC_OFFSET = 1911  # Gregorian year = ROC year + 1911 (民國元年 is 1912)


class Precision(enum.Enum):
    """How much of a date the source gives: a year, a month or a day."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


# --------------------------------------------------------------------------------------------
# Date, DateRange, DateMatch


def _field_problem(year: object, month: object, day: object) -> str | None:
    """What is wrong with these date fields, or None when they make a valid date."""
    if not isinstance(year, int) or isinstance(year, bool):
        return f"year must be an int, got {year!r}"
    if not 1 <= year <= 9999:
        return f"year {year} is out of range (expected 1-9999)"
    if month is None:
        if day is not None:
            return f"day {day!r} given without a month (expected a month with a day)"
        return None
    if not isinstance(month, int) or isinstance(month, bool):
        return f"month must be an int or None, got {month!r}"
    if not 1 <= month <= 12:
        return f"month {month} is out of range (expected 1-12)"
    if day is None:
        return None
    if not isinstance(day, int) or isinstance(day, bool):
        return f"day must be an int or None, got {day!r}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"day {day} is out of range for {year:04d}-{month:02d} (expected 1-{last})"
    return None


_LEXICAL_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class Date:
    """A Gregorian date known to year, month or day precision, possibly approximate.

    Dates order by ``(year, month or 0, day or 0)``: a year sorts before its months and a
    month before its days. ``approximate`` does not take part in the ordering, so
    ``Date(2011, 3, approximate=True)`` and ``Date(2011, 3)`` are neither less nor greater
    than each other (yet not equal).
    """

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        problem = _field_problem(self.year, self.month, self.day)
        if problem is not None:
            raise DateError(
                f"invalid date (year={self.year!r}, month={self.month!r}, day={self.day!r}): "
                f"{problem}"
            )
        if not isinstance(self.approximate, bool):
            raise DateError(f"approximate must be a bool, got {self.approximate!r}")

    @property
    def precision(self) -> Precision:
        """The precision: DAY with a day, MONTH with a month only, else YEAR."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def lexical(self) -> str:
        """The XML Schema lexical form: ``2007``, ``2004-05`` or ``2010-11-09``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def xsd_type(self) -> str:
        """The XML Schema datatype of ``lexical``: ``gYear``, ``gYearMonth`` or ``date``."""
        return _XSD_TYPES[self.precision]

    @classmethod
    def from_lexical(cls, text: str) -> Date:
        """Parse an XML Schema ``gYear``, ``gYearMonth`` or ``date`` lexical form (no timezone)."""
        if not isinstance(text, str):
            raise DateError(f"invalid lexical date {text!r}: expected a str")
        match = _LEXICAL_RE.fullmatch(text.strip())
        if match is None:
            raise DateError(f"invalid lexical date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        year_text, month_text, day_text = match.groups()
        year = int(year_text)
        month = None if month_text is None else int(month_text)
        day = None if day_text is None else int(day_text)
        problem = _field_problem(year, month, day)
        if problem is not None:
            raise DateError(f"invalid lexical date {text!r}: {problem}")
        return cls(year, month, day)

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def after(self, end: Date) -> bool:
        """Whether this date lies after the period that ends with ``end`` (at its precision).

        ``end`` names a whole year or month: 2011-06-04 is inside a period that ends in
        June 2011, 2011-07 is after it; a date less precise than ``end`` (2011) is not after.
        """
        if self.year != end.year or end.month is None:
            return self.year > end.year
        return self.month is not None and self.month > end.month

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self._key() >= other._key()


_XSD_TYPES = {Precision.YEAR: "gYear", Precision.MONTH: "gYearMonth", Precision.DAY: "date"}


@dataclass(frozen=True)
class DateRange:
    """A date expression from the text: one date (``end`` is None) or a range.

    For a range ``end >= start``. The two ends normally have the same precision; the
    source's own header (``93年~100年6月``) shows that they need not.
    """

    start: Date
    end: Date | None
    verbatim: str

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise DateError(
                f"invalid date range {self.verbatim!r}: end {self.end.lexical} is before "
                f"start {self.start.lexical} (expected end >= start)"
            )

    @property
    def precision(self) -> Precision:
        """The precision of the start date."""
        return self.start.precision


@dataclass(frozen=True)
class DateMatch:
    """A date expression found in a longer text, with its character offsets there."""

    value: DateRange
    start: int
    end: int


# --------------------------------------------------------------------------------------------
# Numbers


def roc_to_gregorian(roc_year: int) -> int:
    """The Gregorian year of an ROC (民國) year: ROC 1 is 1912, ROC 100 is 2011."""
    if not isinstance(roc_year, int) or isinstance(roc_year, bool):
        raise DateError(f"invalid ROC year {roc_year!r}: expected an int")
    if roc_year < 1:
        raise DateError(f"invalid ROC year {roc_year}: expected 1 (1912) or later")
    return roc_year + _ROC_OFFSET


# --------------------------------------------------------------------------------------------
# Dates from scanned fields


def _to_date(f: Fields, verbatim: str) -> Date:
    year = f.year
    if f.roc:
        if year not in PLAUSIBLE_ROC_YEARS:
            kind = "bare ROC year" if f.bare else "ROC year"
            raise DateError(
                f"invalid date {verbatim!r}: {kind} {year} is outside the plausible range "
                f"{PLAUSIBLE_ROC_YEARS.start}-{PLAUSIBLE_ROC_YEARS.stop - 1}"
            )
        year = roc_to_gregorian(year)
    problem = _field_problem(year, f.month, f.day)
    if problem is not None:
        raise DateError(f"invalid date {verbatim!r}: {problem}")
    return Date(year, f.month, f.day, f.approximate)


def _build(parsed: Parsed, verbatim: str) -> DateRange:
    start = _to_date(parsed.start, verbatim)
    end = None if parsed.end is None else _to_date(parsed.end, verbatim)
    return DateRange(start, end, verbatim)


# --------------------------------------------------------------------------------------------
# Public parsing functions

_EXPECTED = (
    "expected one date expression such as '99年11月9日', '93年5月', '96年', '100年3月初', "
    "'97-98年', '99年10月4～7日', '2009年' or '二○一○'"
)


def parse_date(text: str) -> DateRange:
    """Parse one whole date expression, such as ``99年10月4～7日``, into a DateRange.

    Surrounding whitespace is ignored. A bare ROC year (``97``, no 年) is accepted when it is
    the whole text and lies in 1-150; four bare digits are a Gregorian year. Raises DateError
    when the text is not exactly one valid date expression.
    """
    if not isinstance(text, str):
        raise DateError(f"invalid date expression {text!r}: expected a str")
    stripped = text.strip()
    s = normalise(stripped)
    parsed = parse_at(s, 0, whole=True, context_year=None) if s else None
    if parsed is None:
        if s and parse_at(s, 0, whole=True, context_year=2000) is not None:
            raise DateError(
                f"invalid date expression {stripped!r}: a month without a year "
                "(expected a year first, as in '100年12月')"
            )
        raise DateError(f"invalid date expression {stripped!r}: {_EXPECTED}")
    if parsed.stop != len(s):
        raise DateError(
            f"invalid date expression {stripped!r}: unexpected text {stripped[parsed.stop :]!r} "
            f"after {stripped[: parsed.stop]!r} ({_EXPECTED})"
        )
    return _build(parsed, stripped)


def find_dates(text: str) -> list[DateMatch]:
    """Find every date expression in an item text, in order, without overlaps, with offsets.

    Numbers that are not dates are skipped: list numbers (``1. ``), names (COP15, C40,
    Resilient Cities 2011), counts (二十一項), anniversaries (20週年) and Gregorian years
    not followed by 年 (2010低碳城市), except the Chinese digit-by-digit form 二○一○. A bare
    ROC year is found only right before a verb such as 加入 (``97加入``). A month without a
    year (``12月``) takes the year of the nearest date expression before it in the same
    text, and is skipped when there is none. Raises DateError on an invalid date (such as
    ``99年2月30日``) rather than dropping it.
    """
    s = normalise(text)
    matches: list[DateMatch] = []
    context_year: int | None = None
    i = 0
    while i < len(s):
        if not can_start(s, i):
            i += 1
            continue
        parsed = parse_at(s, i, whole=False, context_year=context_year)
        if parsed is None or not plausible(parsed):
            i += 1
            continue
        value = _build(parsed, text[i : parsed.stop])
        matches.append(DateMatch(value, i, parsed.stop))
        context_year = (value.end or value.start).year
        i = parsed.stop
    return matches


_COP_SEP = "~～〜∼\\-－–—‐‑至到"
_COP_RE = re.compile(
    rf"(?<![A-Za-z])COP\s*([0-9]{{1,3}})(?![0-9])"
    rf"(?:\s*[{_COP_SEP}]\s*(?:COP\s*)?([0-9]{{1,3}})(?![0-9]))?",
    re.IGNORECASE,
)
_CN_NUM_CLASS = "0-9〇○◯零一二三四五六七八九十百"
_COP_CN_RE = re.compile(
    rf"第([{_CN_NUM_CLASS}]+)屆?"
    rf"(?:\s*[{_COP_SEP}]\s*第?([{_CN_NUM_CLASS}]+))?"
    r"屆\s*[^，。；、,;\s()（）]{0,20}?締約(?:國|方)(?:大會|會議)"
)


def _session_number(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() else parse_chinese_numeral(text)


def expand_cop_range(text: str) -> list[int]:
    """The COP session numbers a text mentions, sorted and deduplicated; [] if none.

    Understands ``COP15``, ``COP14-15``, ``COP11～16`` and Chinese forms such as
    ``第十一～十六屆締約國大會`` or ``第15屆締約方大會``. Raises DateError for a reversed
    range such as ``COP16-11``.
    """
    s = normalise(text)
    sessions: set[int] = set()
    for pattern in (_COP_RE, _COP_CN_RE):
        for match in pattern.finditer(s):
            first = _session_number(match.group(1))
            last = first if match.group(2) is None else _session_number(match.group(2))
            if last < first:
                raise DateError(
                    f"invalid COP range {text[match.start() : match.end()]!r}: "
                    f"end {last} is before start {first} (expected ascending sessions)"
                )
            sessions.update(range(first, last + 1))
    return sorted(sessions)
