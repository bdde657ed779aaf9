"""Tests for lowcarbon.dates: ROC (Minguo) date expressions of the source document."""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lowcarbon.ingest.dates import (
    Date,
    DateError,
    DateMatch,
    DateRange,
    Precision,
    expand_cop_range,
    find_dates,
    parse_chinese_numeral,
    parse_date,
    roc_to_gregorian,
)

SOURCE = Path(__file__).resolve().parent.parent / "data" / "source" / "honor-roll-2011.txt"

Y, M, D = Precision.YEAR, Precision.MONTH, Precision.DAY

# --------------------------------------------------------------------------------------------
# parse_date: every expression form of the document, and the variants the parser accepts

PARSE_CASES: list[tuple[str, str, str | None, Precision, bool]] = [
    # expression, start lexical, end lexical, precision, approximate
    ("96年", "2007", None, Y, False),
    ("93年5月", "2004-05", None, M, False),
    ("99年11月9日", "2010-11-09", None, D, False),
    ("98年12月16", "2009-12-16", None, D, False),
    ("97-98年", "2008", "2009", Y, False),
    ("94年~100年", "2005", "2011", Y, False),
    ("94年～100年", "2005", "2011", Y, False),
    ("94年〜100年", "2005", "2011", Y, False),
    ("94年-100年", "2005", "2011", Y, False),
    ("94年－100年", "2005", "2011", Y, False),
    ("94年 ~ 100年", "2005", "2011", Y, False),
    ("99年10月4～7日", "2010-10-04", "2010-10-07", D, False),
    ("100年5月23-24日", "2011-05-23", "2011-05-24", D, False),
    ("99年12月14-15日", "2010-12-14", "2010-12-15", D, False),
    ("100年3月初", "2011-03", None, M, True),
    ("100年3月底", "2011-03", None, M, True),
    ("100年3月中旬", "2011-03", None, M, True),
    ("100年底", "2011", None, Y, True),
    ("97", "2008", None, Y, False),
    ("100", "2011", None, Y, False),
    ("1", "1912", None, Y, False),
    ("150", "2061", None, Y, False),
    ("100年", "2011", None, Y, False),
    ("2009年", "2009", None, Y, False),
    ("2010", "2010", None, Y, False),
    ("二○一○", "2010", None, Y, False),
    ("二〇一〇", "2010", None, Y, False),
    ("二零一零", "2010", None, Y, False),
    ("二○一○年", "2010", None, Y, False),
    ("９９年１１月９日", "2010-11-09", None, D, False),
    ("９７－９８年", "2008", "2009", Y, False),
    ("民國99年", "2010", None, Y, False),
    ("民國九十九年十一月九日", "2010-11-09", None, D, False),
    ("99年3-5月", "2010-03", "2010-05", M, False),
    ("99年3月30日~4月2日", "2010-03-30", "2010-04-02", D, False),
    ("99年12月30日至100年1月2日", "2010-12-30", "2011-01-02", D, False),
    ("93年~100年6月", "2004", "2011-06", Y, False),  # the document's header, on one line
    ("  99年11月9日\n", "2010-11-09", None, D, False),
    ("101年2月29日", "2012-02-29", None, D, False),  # leap year
]


@pytest.mark.parametrize(("expression", "start", "end", "precision", "approximate"), PARSE_CASES)
def test_parse_date(
    expression: str, start: str, end: str | None, precision: Precision, approximate: bool
) -> None:
    value = parse_date(expression)
    assert value.start.lexical == start
    assert (value.end.lexical if value.end is not None else None) == end
    assert value.precision is precision
    assert value.start.precision is precision
    assert value.start.approximate is approximate
    assert value.verbatim == expression.strip()
    if value.end is not None:
        assert value.end >= value.start
        assert value.end.approximate is False


def test_parse_date_range_end_may_be_approximate() -> None:
    value = parse_date("100年3月初~4月底")
    assert value.start == Date(2011, 3, approximate=True)
    assert value.end == Date(2011, 4, approximate=True)


def test_parse_date_types_and_xsd() -> None:
    assert parse_date("96年").start.xsd_type == "gYear"
    assert parse_date("93年5月").start.xsd_type == "gYearMonth"
    assert parse_date("99年11月9日").start.xsd_type == "date"
    assert parse_date("99年11月9日").start == Date(2010, 11, 9)
    assert parse_date("97-98年") == DateRange(Date(2008), Date(2009), "97-98年")


INVALID_CASES: list[tuple[str, list[str]]] = [
    (
        "99年2月30日",
        ["invalid date '99年2月30日'", "day 30 is out of range for 2010-02 (expected 1-28)"],
    ),
    ("100年2月29日", ["'100年2月29日'", "day 29", "2011-02 (expected 1-28)"]),
    ("99年4月31日", ["'99年4月31日'", "day 31", "2010-04 (expected 1-30)"]),
    ("99年13月", ["invalid date '99年13月'", "month 13 is out of range (expected 1-12)"]),
    ("99年0月", ["invalid date '99年0月'", "month 0 is out of range (expected 1-12)"]),
    ("99年10月4～32日", ["'99年10月4～32日'", "day 32", "2010-10 (expected 1-31)"]),
    (
        "100年5月24-23日",
        ["'100年5月24-23日'", "end 2011-05-23 is before start 2011-05-24", "expected end >= start"],
    ),
    ("98年-97年", ["'98年-97年'", "end 2008 is before start 2009", "expected end >= start"]),
    ("200", ["'200'", "bare ROC year 200", "plausible range 1-150"]),
    ("0", ["'0'", "bare ROC year 0", "plausible range 1-150"]),
    ("500年", ["'500年'", "ROC year 500", "plausible range 1-150"]),
    ("12月", ["'12月'", "month without a year", "expected a year"]),
    ("hello", ["'hello'", "expected one date expression"]),
    ("", ["''", "expected one date expression"]),
    ("97-98", ["'97-98'", "expected one date expression"]),
    ("99年11月9日xyz", ["'99年11月9日xyz'", "unexpected text 'xyz'", "after '99年11月9日'"]),
    ("96年 97年", ["unexpected text", "expected one date expression"]),
    ("COP15", ["'COP15'", "expected one date expression"]),
]


@pytest.mark.parametrize(("expression", "fragments"), INVALID_CASES)
def test_parse_date_rejects(expression: str, fragments: list[str]) -> None:
    with pytest.raises(DateError) as info:
        parse_date(expression)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message


def test_date_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="month 13"):
        parse_date("99年13月")


# --------------------------------------------------------------------------------------------
# find_dates on item texts copied from the document (the source line number is the key)

ITEM_TEXTS: dict[int, str] = {
    66: ("1. 96年加入「地方環境行動國際委員會」（ICLEI）。"),
    69: (
        "2. 94年6月5日聯合國環境規劃署(UNEP)，在美國舊金山簽署「城市環境協議書」"
        "，內容包括七大主題及二十一項工作內容。"
    ),
    71: (
        "4. 99年出席「世界城市暨地方政府聯合會」（United Cities and Local Governm"
        "ents, UCLG）第三次世界大會、理事會及執委會會議）出席「全球氣候變遷市長高"
        "峰會」簽署「墨西哥城市協定」。"
    ),
    73: (
        "2. 97-98年參加「氣候變化綱要公約」締約國（COP14-15）周邊會議及ICLEI地方"
        "政府氣候會議周邊會議。"
    ),
    80: ("2. 97加入WMCCC「全球市長氣侯變遷委員會」。"),
    81: (
        "3. 93年5月加入「世界城市暨地方政府聯合會」（United Cities and Local Governments, UCLG）。"
    ),
    84: (
        "2. 98年12月16參加「哥本哈根氣候變遷市長高峰會」－以「城市採取行動(cities"
        " taking action)，對抗全球暖化」。"
    ),
    86: (
        "4. 與「ICLEI 99年會暨20周年慶祝大會--城市的未來」並為臺灣地區惟一受邀發"
        "表演說之縣市首長，與會期間除拜會ICLEI秘書長積極爭取設置臺灣辦公室事宜，"
        "並與韓國仁川市長宋永吉、日本飯田市副市長丸山達也進行城市交流。"
    ),
    87: (
        "5. 參與100年6月於德國波昂舉辦之「韌性城市2011(Resilient Cities 2011)--城"
        "市與氣候變遷全球大會」並受邀發表文章。"
    ),
    88: (
        "6. 99年11月8日邀請國際城市首長於新北市政府辦理「2010低碳城市首長高峰會」"
        "，就「氣候變遷之管理趨勢」及「低碳城市之作為」二議題，分享各城市的永續做"
        "法與理念。"
    ),
    90: (
        "7. 辦理「二○一○城市綠色交通與綠色運具發展研討會」，邀請環保署沈署長世宏"
        "、台北市長郝龍斌、洛杉磯郡長Mr.MichaelD.Antonovich及遼寧錦州市長王文權，"
        "針對綠色交通與運具的議題，進行經驗與意見交流。"
    ),
    93: (
        "高雄市加入成為ICLEI 及氣候團體組織(The Climate Group)發起C20計畫成員之協"
        "助及參與平台，並於95年正式加入ICLEI 成為會員，為台灣第一個ICLEI會員城市"
        "。"
    ),
    94: (
        "1. 99年參加ICLEI第一屆城市調適會議(Resilient Cities 2010)，簽署「2010波"
        "昂宣言(Bonn Declaration)」。"
    ),
    100: (
        "4. 100年3月初至日本北九州進行參訪交流，宣揚高雄市節能減碳成果，並與北九"
        "州低碳化中心簽署減碳技術交流合作備忘錄MOU。"
    ),
    103: (
        "1. 94年~100年參與聯合國氣候變遷綱要公約會議第十一～十六屆締約國大會 (COP"
        "11～16)，以及地方環境行動國際委員會（ICLEI）地方政府氣候會議，藉由擺設攤"
        "位宣傳高雄市，並與各國代表進行經驗及資訊交流。"
    ),
    108: (
        "4. 99年10月4～7日高雄代表團參加ICELI 20週年會議修正城市氣候保護計畫(Citi"
        "es for Climate Protection)。"
    ),
    110: (
        "5. 99年12月14-15日舉辦「台美國際綠能產業/節能減碳論壇暨博覽會」，會中邀"
        "請波特蘭市國際事務處處長暨市長顧問Noah Siegel、北九州市環保局環境國際策"
        "略室亞洲低碳中心園順一先生及克羅埃西亞 柯普里夫尼卡市(Koprivnica)副市長 "
        "Drazen Pros先生，日本東京都環境局排放交易室主任 Masa ro Kimur，亞洲芝加"
        "哥氣候交易所副總裁黃杰夫等各界先進，進行交流。"
    ),
    114: (
        "7. 100年參與國際碳揭露組織(Carbon Disclosure Project, CDP)與C40城市聯盟"
        "之碳揭露活動，揭露高雄市2009年之碳排放量。"
    ),
    120: (
        "2. 100年4月15日，貝里斯駐歐盟、世界貿易組織、比利時、西班牙、德國、荷蘭"
        "及法國大使Audrey Joy Grant大使來訪，高雄市針對因應氣候變遷相關作為進行簡"
        "報及交流。"
    ),
    122: (
        "3. 100年5月23-24日，馬來西亞規劃人協會訪問團來訪，雙方針對減碳及廢棄物議"
        "題進行交流與氣候變遷相關簡報。"
    ),
    129: ("2. 100年6月參加德國城市氣候變遷會議，12月將由市長率隊參加南非COP17會議。"),
    137: (
        "100年1月20日提出加入ICLEI國際組織申請。100年3月1日收到加入同意通知，成為"
        "ICLEI(新)正式會員，城市名稱列入該組織新成員名單。"
    ),
    148: ("99年申請加入地方環境行動國際委員會(ICLEI)，並於99年正式成為該委員會正式會員。"),
    158: ("99年3月申請加入地方環境行動國際委員(ICLEI)，並於99年5月正式成為該委員會正式會員。"),
}

Found = list[tuple[str, str, str | None]]  # verbatim, start lexical, end lexical

EXPECTED_FOUND: dict[int, Found] = {
    66: [("96年", "2007", None)],
    69: [("94年6月5日", "2005-06-05", None)],
    71: [("99年", "2010", None)],
    73: [("97-98年", "2008", "2009")],
    80: [("97", "2008", None)],
    81: [("93年5月", "2004-05", None)],
    84: [("98年12月16", "2009-12-16", None)],
    86: [("99年", "2010", None)],
    87: [("100年6月", "2011-06", None)],
    88: [("99年11月8日", "2010-11-08", None)],
    90: [("二○一○", "2010", None)],
    93: [("95年", "2006", None)],
    94: [("99年", "2010", None)],
    100: [("100年3月初", "2011-03", None)],
    103: [("94年~100年", "2005", "2011")],
    108: [("99年10月4～7日", "2010-10-04", "2010-10-07")],
    110: [("99年12月14-15日", "2010-12-14", "2010-12-15")],
    114: [("100年", "2011", None), ("2009年", "2009", None)],
    120: [("100年4月15日", "2011-04-15", None)],
    122: [("100年5月23-24日", "2011-05-23", "2011-05-24")],
    129: [("100年6月", "2011-06", None), ("12月", "2011-12", None)],
    137: [("100年1月20日", "2011-01-20", None), ("100年3月1日", "2011-03-01", None)],
    148: [("99年", "2010", None), ("99年", "2010", None)],
    158: [("99年3月", "2010-03", None), ("99年5月", "2010-05", None)],
}


def _found(matches: list[DateMatch]) -> Found:
    return [
        (
            m.value.verbatim,
            m.value.start.lexical,
            m.value.end.lexical if m.value.end is not None else None,
        )
        for m in matches
    ]


def _source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def test_item_texts_are_copied_exactly() -> None:
    lines = _source_lines()
    assert len(lines) >= 158
    assert set(ITEM_TEXTS) == set(EXPECTED_FOUND)
    for number, text in ITEM_TEXTS.items():
        assert lines[number - 1].strip() == text, number


@pytest.mark.parametrize("line", sorted(EXPECTED_FOUND))
def test_find_dates_in_items(line: int) -> None:
    text = ITEM_TEXTS[line]
    matches = find_dates(text)
    assert _found(matches) == EXPECTED_FOUND[line]
    for match in matches:
        assert text[match.start : match.end] == match.value.verbatim


def test_find_dates_offsets_in_line_84() -> None:
    text = ITEM_TEXTS[84]
    (match,) = find_dates(text)
    assert (match.start, match.end) == (3, 11)
    assert text[match.end :].startswith("參加")
    assert match.value.start == Date(2009, 12, 16)


def test_find_dates_approximate_flag_in_line_100() -> None:
    (match,) = find_dates(ITEM_TEXTS[100])
    assert match.value.start == Date(2011, 3, approximate=True)
    assert match.value.precision is Precision.MONTH


def test_find_dates_over_the_whole_document() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    matches = find_dates(text)
    by_line: dict[int, Found] = {}
    for match in matches:
        assert text[match.start : match.end] == match.value.verbatim
        assert "\n" not in match.value.verbatim
        line = text.count("\n", 0, match.start) + 1
        by_line.setdefault(line, []).extend(_found([match]))
    for line, expected in EXPECTED_FOUND.items():
        assert by_line[line] == expected
    # the header (lines 34-46) splits 93年~100年6月 over lines: nothing is found there
    assert not [line for line in by_line if line < 66]
    assert len(matches) == 52
    assert sum(len(found) for found in by_line.values()) == 52


NOT_DATES = [
    "1. ",
    "2. 與「ICLEI年會」",
    "哥本哈根COP15會議",
    "參加C40首爾",
    "發起C20計畫",
    "城市2011(Resilient Cities 2011)",
    "Resilient Cities 2011",
    "七大主題及二十一項工作內容",
    "ICLEI20週年年會",
    "ICELI 20週年會議",
    "20周年慶祝大會",
    "辦理「2010低碳城市首長高峰會」",
    "簽署「2010波昂宣言(Bonn Declaration)」",
    "(COP11～16)",
    "（COP14-15）",
    "第十一～十六屆締約國大會",
    "共10個城市",
    "成立20年來",
    "200加入",
    "參加3.5加入",
    "統計\n\n93\n\n年\n\n~100\n\n年\n\n6\n\n月",
    "",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_find_dates_skips_numbers_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_find_dates_only_the_year_next_to_c40() -> None:
    assert _found(find_dates("98年參加C40首爾")) == [("98年", "2009", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICLEI 99年會暨20周年慶祝大會", [("99年", "2010", None)]),
        ("揭露高雄市2009年之碳排放量", [("2009年", "2009", None)]),
        ("辦理「二○一○城市綠色交通", [("二○一○", "2010", None)]),
        ("辦理二〇一〇年研討會", [("二〇一〇年", "2010", None)]),
        ("98年12月16參加", [("98年12月16", "2009-12-16", None)]),
        ("98年12月16日參加", [("98年12月16日", "2009-12-16", None)]),
        ("98年12月16個城市", [("98年12月", "2009-12", None)]),
        ("2. 97加入WMCCC", [("97", "2008", None)]),
        ("97成為會員", [("97", "2008", None)]),
        ("於１００年３月１日收到", [("１００年３月１日", "2011-03-01", None)]),
        ("100年3月初至日本", [("100年3月初", "2011-03", None)]),
        ("99年初步完成", [("99年", "2010", None)]),
        ("99年至100年參加", [("99年至100年", "2010", "2011")]),
        ("中華民國99年加入", [("民國99年", "2010", None)]),
        ("99年3-5月參加", [("99年3-5月", "2010-03", "2010-05")]),
        ("99年12月14-15舉辦", [("99年12月14-15", "2010-12-14", "2010-12-15")]),
        ("無年份之3月", []),
        (
            "99年參加，3月出席，5月10日簽署",
            [
                ("99年", "2010", None),
                ("3月", "2010-03", None),
                ("5月10日", "2010-05-10", None),
            ],
        ),
    ],
)
def test_find_dates_contexts(text: str, expected: Found) -> None:
    matches = find_dates(text)
    assert _found(matches) == expected
    for match in matches:
        assert text[match.start : match.end] == match.value.verbatim


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("1. 99年2月30日參加會議", ["'99年2月30日'", "day 30 is out of range for 2010-02"]),
        ("於100年13月參加", ["'100年13月'", "month 13"]),
        ("100年5月24-23日來訪", ["'100年5月24-23日'", "end 2011-05-23 is before start"]),
        ("99年參加，2月30日出席", ["'2月30日'", "day 30 is out of range for 2010-02"]),
    ],
)
def test_find_dates_raises_on_invalid_dates(text: str, fragments: list[str]) -> None:
    with pytest.raises(DateError) as info:
        find_dates(text)
    for fragment in fragments:
        assert fragment in str(info.value)


# --------------------------------------------------------------------------------------------
# expand_cop_range, parse_chinese_numeral, roc_to_gregorian


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("COP11～16", list(range(11, 17))),
        ("COP14-15", [14, 15]),
        ("COP15", [15]),
        ("COP17", [17]),
        ("第十一～十六屆締約國大會", list(range(11, 17))),
        ("第十五屆締約國大會", [15]),
        ("第15屆聯合國氣候變化綱要公約締約方大會", [15]),
        ("COP 16", [16]),
        ("cop15", [15]),
        ("ＣＯＰ１５", [15]),
        ("COP15/COP16", [15, 16]),
        ("COP16與COP15", [15, 16]),
        ("", []),
        ("哥本哈根COP15會議時之ICLEI市長高峰會", [15]),
        ("南非COP17會議", [17]),
        ("締約國（COP14-15）周邊會議", [14, 15]),
        ("C40首爾氣候變遷博覽會", []),
        ("第一屆城市調適會議(Resilient Cities 2010)", []),
        ("MCOP15", []),
    ],
)
def test_expand_cop_range(text: str, expected: list[int]) -> None:
    assert expand_cop_range(text) == expected


def test_expand_cop_range_line_103_mentions_11_to_16_twice() -> None:
    assert expand_cop_range(ITEM_TEXTS[103]) == [11, 12, 13, 14, 15, 16]


def test_expand_cop_range_rejects_reversed_range() -> None:
    with pytest.raises(DateError, match=r"invalid COP range 'COP16-11'.*end 11 is before start 16"):
        expand_cop_range("COP16-11")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("七", 7),
        ("十", 10),
        ("十一", 11),
        ("十六", 16),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("一百一", 110),
        ("兩百", 200),
        ("二千零一十", 2010),
        ("二○一○", 2010),
        ("二〇一〇", 2010),
        ("二零一零", 2010),
        ("一九九九", 1999),
        (" 十二 ", 12),
        ("零", 0),
    ],
)
def test_parse_chinese_numeral(text: str, value: int) -> None:
    assert parse_chinese_numeral(text) == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected characters"),
        ("12", "'1' is not a numeral character"),
        ("十月", "'月' is not a numeral character"),
        ("十十", "descending units"),
        ("一二十", "two digits in a row"),
        ("零一十", "misplaced zero"),
        ("一百零", "trailing zero"),
        ("兩零", "兩 cannot be a place digit"),
    ],
)
def test_parse_chinese_numeral_rejects(text: str, fragment: str) -> None:
    with pytest.raises(DateError) as info:
        parse_chinese_numeral(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)


def test_roc_to_gregorian() -> None:
    assert roc_to_gregorian(1) == 1912
    assert roc_to_gregorian(93) == 2004
    assert roc_to_gregorian(100) == 2011
    with pytest.raises(DateError, match="invalid ROC year 0: expected 1"):
        roc_to_gregorian(0)


# --------------------------------------------------------------------------------------------
# Date and DateRange


def test_date_properties() -> None:
    assert Date(2007).lexical == "2007"
    assert Date(2004, 5).lexical == "2004-05"
    assert Date(2010, 11, 9).lexical == "2010-11-09"
    assert Date(33).lexical == "0033"
    assert [Date(2007).xsd_type, Date(2004, 5).xsd_type, Date(2010, 11, 9).xsd_type] == [
        "gYear",
        "gYearMonth",
        "date",
    ]
    assert [Date(2007).precision, Date(2004, 5).precision, Date(2010, 1, 1).precision] == [Y, M, D]
    assert [p.value for p in Precision] == ["year", "month", "day"]


def test_date_is_frozen_and_hashable() -> None:
    date = Date(2010, 11, 9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        date.year = 2011  # type: ignore[misc]
    assert len({date, Date(2010, 11, 9), Date(2010, 11)}) == 2


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((2010, 13), "month 13 is out of range (expected 1-12)"),
        ((2010, 0), "month 0 is out of range"),
        ((2010, 2, 30), "day 30 is out of range for 2010-02 (expected 1-28)"),
        ((2011, 2, 29), "day 29 is out of range for 2011-02 (expected 1-28)"),
        ((1900, 2, 29), "day 29 is out of range for 1900-02 (expected 1-28)"),
        ((2010, 4, 0), "day 0 is out of range for 2010-04 (expected 1-30)"),
        ((2010, None, 5), "day 5 given without a month"),
        ((0,), "year 0 is out of range (expected 1-9999)"),
        ((10000,), "year 10000 is out of range"),
    ],
)
def test_date_validation(args: tuple[int | None, ...], fragment: str) -> None:
    with pytest.raises(DateError) as info:
        Date(*args)  # type: ignore[arg-type]
    assert fragment in str(info.value)


def test_date_accepts_leap_days() -> None:
    assert Date(2012, 2, 29).lexical == "2012-02-29"
    assert Date(2000, 2, 29).lexical == "2000-02-29"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2007", Date(2007)),
        ("2004-05", Date(2004, 5)),
        ("2010-11-09", Date(2010, 11, 9)),
        (" 2010-11-09 ", Date(2010, 11, 9)),
    ],
)
def test_from_lexical(text: str, expected: Date) -> None:
    assert Date.from_lexical(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2010-1-9", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("10-11-09", "expected YYYY"),
        ("2010-11-09Z", "expected YYYY"),
        ("-2010", "expected YYYY"),
        ("２０１０", "expected YYYY"),
        ("", "expected YYYY"),
        ("2010-02-30", "day 30 is out of range for 2010-02"),
        ("2010-13", "month 13 is out of range"),
        ("0000", "year 0 is out of range"),
    ],
)
def test_from_lexical_rejects(text: str, fragment: str) -> None:
    with pytest.raises(DateError) as info:
        Date.from_lexical(text)
    assert fragment in str(info.value)
    assert repr(text) in str(info.value)


def test_date_ordering() -> None:
    dates = [Date(2010, 11, 9), Date(2010), Date(2009, 12, 16), Date(2010, 11), Date(2004, 5)]
    assert sorted(dates) == [
        Date(2004, 5),
        Date(2009, 12, 16),
        Date(2010),
        Date(2010, 11),
        Date(2010, 11, 9),
    ]
    assert Date(2010) < Date(2010, 1) < Date(2010, 1, 1) < Date(2010, 1, 2) < Date(2010, 2)
    assert Date(2011) > Date(2010, 12, 31)
    assert Date(2010, 3) <= Date(2010, 3)
    assert Date(2010, 3) >= Date(2010, 3)
    assert not Date(2010, 3) < Date(2010, 3)


def test_date_ordering_ignores_approximate() -> None:
    early = Date(2011, 3, approximate=True)
    exact = Date(2011, 3)
    assert early != exact
    assert not early < exact
    assert not exact < early
    assert early <= exact
    assert exact <= early


def test_date_does_not_compare_with_other_types() -> None:
    other: object = "2010"
    assert Date(2010) != other
    with pytest.raises(TypeError):
        _ = Date(2010) < "2011"


def test_date_range_validation() -> None:
    assert DateRange(Date(2010), None, "99年").precision is Y
    assert DateRange(Date(2010, 3), Date(2010, 3), "x").end == Date(2010, 3)
    with pytest.raises(DateError, match=r"invalid date range 'x': end 2009 is before start 2010"):
        DateRange(Date(2010), Date(2009), "x")


def test_date_match_fields() -> None:
    match = DateMatch(parse_date("96年"), 3, 6)
    assert (match.start, match.end, match.value.start) == (3, 6, Date(2007))


# --------------------------------------------------------------------------------------------
# Property tests


@st.composite
def roc_days(draw: st.DrawFn) -> tuple[int, int, int]:
    year = draw(st.integers(1, 150))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(year + 1911, month)[1]))
    return year, month, day


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(roc_days(), st.booleans())
@example((100, 2, 28), False)
@example((101, 2, 29), True)
def test_roundtrip_roc_day(ymd: tuple[int, int, int], full_width: bool) -> None:
    year, month, day = ymd
    expression = f"{year}年{month}月{day}日"
    if full_width:
        expression = expression.translate(FULL_WIDTH)
    value = parse_date(expression)
    assert value.start == Date(year + 1911, month, day)
    assert value.start.lexical == datetime.date(year + 1911, month, day).isoformat()
    assert value.end is None
    assert value.verbatim == expression
    (match,) = find_dates(f"於{expression}參加會議")
    assert (match.start, match.end) == (1, 1 + len(expression))
    assert match.value == value


@given(st.integers(1, 150), st.integers(1, 12))
def test_roundtrip_roc_year_and_month(year: int, month: int) -> None:
    assert parse_date(f"{year}年").start == Date(year + 1911)
    assert parse_date(f"{year}年{month}月").start == Date(year + 1911, month)
    assert parse_date(str(year)).start == Date(year + 1911)


@st.composite
def dates(draw: st.DrawFn) -> Date:
    day = draw(st.dates(min_value=datetime.date(1, 1, 1)))
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return Date(day.year)
    if precision is Precision.MONTH:
        return Date(day.year, day.month)
    return Date(day.year, day.month, day.day)


@given(dates())
def test_from_lexical_inverts_lexical(date: Date) -> None:
    assert Date.from_lexical(date.lexical) == date
    assert len(date.lexical) == {Y: 4, M: 7, D: 10}[date.precision]


@given(st.dates(), st.dates())
def test_ordering_agrees_with_datetime(a: datetime.date, b: datetime.date) -> None:
    da, db = Date(a.year, a.month, a.day), Date(b.year, b.month, b.day)
    assert (da < db) == (a < b)
    assert (da <= db) == (a <= b)
    assert (da > db) == (a > b)
    assert (da >= db) == (a >= b)
    assert (da == db) == (a == b)


@given(dates(), dates())
def test_ordering_is_by_year_month_day(a: Date, b: Date) -> None:
    key_a = (a.year, a.month or 0, a.day or 0)
    key_b = (b.year, b.month or 0, b.day or 0)
    assert (a < b) == (key_a < key_b)
    assert (a >= b) == (key_a >= key_b)


@given(roc_days(), roc_days(), st.sampled_from(["~", "～", "〜", "-", "－", "至"]))
def test_ranges_have_end_after_start(
    first: tuple[int, int, int], second: tuple[int, int, int], sep: str
) -> None:
    low, high = sorted([first, second])
    expressions = [
        f"{low[0]}{sep}{high[0]}年",
        f"{low[0]}年{sep}{high[0]}年",
        f"{low[0]}年{low[1]}月{low[2]}日{sep}{high[0]}年{high[1]}月{high[2]}日",
    ]
    if low[:2] == high[:2]:
        expressions.append(f"{low[0]}年{low[1]}月{low[2]}{sep}{high[2]}日")
    for expression in expressions:
        value = parse_date(expression)
        assert value.end is not None
        assert value.end >= value.start
        assert value.end.precision is value.start.precision
    if low[0] != high[0]:
        with pytest.raises(DateError, match="is before start"):
            parse_date(f"{high[0]}年{sep}{low[0]}年")


@given(st.integers(1, 150), st.integers(1, 12), st.data())
def test_invalid_days_raise(year: int, month: int, data: st.DataObject) -> None:
    last = calendar.monthrange(year + 1911, month)[1]
    day = data.draw(st.one_of(st.integers(last + 1, 99), st.just(0)))
    expression = f"{year}年{month}月{day}日"
    with pytest.raises(DateError) as info:
        parse_date(expression)
    assert f"invalid date {expression!r}: day {day} is out of range" in str(info.value)
    assert f"(expected 1-{last})" in str(info.value)
    with pytest.raises(DateError):
        find_dates(f"於{expression}參加")


@given(st.integers(1, 9999))
def test_positional_chinese_numerals(number: int) -> None:
    assert parse_chinese_numeral(_to_chinese(number)) == number


@given(st.integers(1000, 2999))
def test_digit_by_digit_chinese_years(year: int) -> None:
    text = "".join("○一二三四五六七八九"[int(digit)] for digit in str(year))
    assert parse_chinese_numeral(text) == year
    assert parse_date(text).start == Date(year)
    assert parse_date(text + "年").start == Date(year)


TEXT_ALPHABET = "0123456789０５年月日號初底旬~～〜-－至 .,、，。民國一二十○COP加入參與「」ab\n"


@settings(max_examples=300)
@given(st.text(alphabet=TEXT_ALPHABET, max_size=40))
def test_find_dates_never_crashes(text: str) -> None:
    try:
        matches = find_dates(text)
    except DateError as exc:
        assert "invalid" in str(exc)
        return
    previous_end = 0
    for match in matches:
        assert previous_end <= match.start < match.end
        previous_end = match.end
        assert text[match.start : match.end] == match.value.verbatim
        if match.value.end is not None:
            assert match.value.end >= match.value.start


@settings(max_examples=300)
@given(st.text(alphabet=TEXT_ALPHABET, max_size=20))
def test_parse_date_only_raises_date_error(text: str) -> None:
    try:
        value = parse_date(text)
    except DateError as exc:
        assert str(exc).startswith("invalid")
        return
    assert value.verbatim == text.strip()


def _to_chinese(number: int) -> str:
    """The standard positional Chinese numeral for 1-9999 (110 is 一百一十, 1001 is 一千零一)."""
    digits = "零一二三四五六七八九"
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        if not (value == 10 and digit == 1 and not out):
            out += digits[digit]
        out += unit
    return out


@pytest.mark.parametrize(
    ("date", "end", "after"),
    [
        (Date(2011, 6, 4), Date(2011, 6), False),  # a day inside the last month is inside
        (Date(2011, 6, 30), Date(2011, 6), False),
        (Date(2011, 6), Date(2011, 6), False),
        (Date(2011), Date(2011, 6), False),  # less precise than the end: not after
        (Date(2011, 7), Date(2011, 6), True),
        (Date(2011, 7, 1), Date(2011, 6), True),
        (Date(2012), Date(2011, 6), True),
        (Date(2010, 12, 31), Date(2011, 6), False),
        (Date(2011, 12), Date(2011), False),  # the period ends with the whole year 2011
        (Date(2012, 1), Date(2011), True),
    ],
)
def test_after_the_period(date: Date, end: Date, after: bool) -> None:
    assert date.after(end) is after
