"""Chinese numerals in dates (〇 to 二〇一一, 十二, 兩) and the error of a bad date expression."""

from __future__ import annotations

__all__ = ["DateError", "parse_chinese_numeral"]


# The public name of DateError is lowcarbon.ingest.dates.DateError.
# its public name is lowcarbon.dates.DateError.
class DateError(ValueError):
    """An invalid or unparseable date expression.

    The message names the expression and says what was expected, for example
    ``invalid date '99年2月30日': day 30 is out of range for 2010-02 (expected 1-28)``.
    """


# --------------------------------------------------------------------------------------------
# Chinese numerals

_CN_DIGITS = {
    "〇": 0,  # U+3007 IDEOGRAPHIC NUMBER ZERO
    "○": 0,  # U+25CB WHITE CIRCLE, as the source writes 二○一○
    "◯": 0,  # U+25EF LARGE CIRCLE
    "零": 0,
    "一": 1,
    "二": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_ZEROS = frozenset("〇○◯零")
# digit-by-digit forms (二○一○) use these; 兩 is never a place digit
_CN_PLACE_DIGITS = frozenset(_CN_DIGITS) - {"兩"}
_CN_NUMERAL_CHARS = frozenset(_CN_DIGITS) | frozenset(_CN_UNITS)


def parse_chinese_numeral(text: str) -> int:
    """The value of a Chinese numeral: 七 is 7, 十一 is 11, 二十一 is 21, 二○一○ is 2010.

    Positional numerals use 十, 百 and 千 (一百零一 is 101, 一百一 is 110). Without those
    units the characters are read digit by digit, as years are written: 二○一○, 二〇一〇
    and 二零一零 are all 2010.
    """
    numeral = text.strip() if isinstance(text, str) else text
    if not isinstance(numeral, str) or not numeral:
        raise DateError(
            f"invalid Chinese numeral {text!r}: expected characters like 十一 or 二○一○"
        )
    bad = [ch for ch in numeral if ch not in _CN_NUMERAL_CHARS]
    if bad:
        raise DateError(
            f"invalid Chinese numeral {text!r}: {bad[0]!r} is not a numeral character "
            "(expected 〇○零一二三四五六七八九十百千)"
        )
    if not any(ch in _CN_UNITS for ch in numeral):
        if len(numeral) == 1:
            return _CN_DIGITS[numeral]
        if "兩" in numeral:
            raise DateError(f"invalid Chinese numeral {text!r}: 兩 cannot be a place digit")
        return int("".join(str(_CN_DIGITS[ch]) for ch in numeral))
    return _positional_numeral(numeral, text)


def _positional_numeral(numeral: str, text: str) -> int:
    """The value of a numeral with units (十, 百, 千); ``text`` is for messages."""

    def fail(why: str) -> DateError:
        return DateError(f"invalid Chinese numeral {text!r}: {why}")

    total = 0
    pending: int | None = None  # a digit waiting for its unit
    last_unit: int | None = None
    after_zero = False
    for ch in numeral:
        if ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                raise fail(f"unit {ch} after a smaller or equal unit (expected descending units)")
            if pending is None:
                if total or after_zero:
                    raise fail(f"unit {ch} without a digit (expected e.g. 一{ch})")
                pending = 1  # 十一: a leading 十 is 一十
            total += pending * unit
            pending, last_unit, after_zero = None, unit, False
        elif ch in _CN_ZEROS:
            if pending is not None or last_unit is None or after_zero:
                raise fail("misplaced zero (expected 零 only between units, as in 一百零一)")
            after_zero = True
        else:
            if pending is not None:
                raise fail("two digits in a row (expected a unit between them)")
            pending = _CN_DIGITS[ch]
    if after_zero and pending is None:
        raise fail("trailing zero (expected a digit after 零)")
    if pending is not None:
        if not after_zero and last_unit is not None and last_unit >= 100:
            total += pending * (last_unit // 10)  # 一百一 is 110, 三千五 is 3500
        else:
            total += pending
    return total
