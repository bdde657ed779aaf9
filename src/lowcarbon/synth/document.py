"""The synthetic document's text: the real header's form, then the table flattened to text."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from lowcarbon.synth.items import Item
from lowcarbon.synth.names import CityName

__all__ = ["COLUMNS", "HEADER_TEXT", "SUBHEADING", "Row", "document_text"]

#: The table's columns by their record slug, left to right.
COLUMNS = ("org", "declaration", "activity")
#: The heading under which a sub-list of visits restarts its numbering (as 高雄市 has).
SUBHEADING = "以下為其他國際交流活動："

_TITLE = "附件: 城市低碳外交榮譽榜(各縣市國際參與具體成果)（合成資料，非真實紀錄）"
_SYNTHETIC = (
    "本文件由 lowcarbon synth 產生（{args}）：所列縣市、事項與日期皆為虛構，僅供測試，"
    "並非政府資料。"
)
_HEADINGS = "加入國際組織 簽署減量協議或宣言 參與國際交流活動"
# The real header below the city list: the data-source note split over lines as the real
# file has it, the acronym glosses (typo 氣侯 included) and the note on counting activities.
_TAIL = (
    "城市低碳外交榮譽榜",
    "資料來源",
    ":",
    "統計",
    "93",
    "年",
    "~100",
    "年",
    "6",
    "月各縣市提報之低碳外交相關資料",
    "。",
    "ICLEI ( International Council for Local Environmental Initiatives ) 地方環境行動國際委員會",
    "參與國際交流活動之計算方式以各縣市參與國際或國內自行舉辦之國際低碳城市交流活動",
    "WMCCC ( World Mayors Council on Climate Change )全球市長氣侯變遷委員會",
    "UCLG (United Cities and Local Government )世界城市暨地方政府聯合組織",
)
_CORNER = ("\t項目", "縣市", "\t加入國際組織", "\t簽署減量協議或宣言", "\t參與國際交流活動", "")
#: Every fixed word of the document; city names are kept clear of these characters.
HEADER_TEXT = "".join((_TITLE, _SYNTHETIC, _HEADINGS, *_TAIL, *_CORNER, SUBHEADING))

_PARAGRAPH = 0.8  # a cell with one item is a paragraph without a number this often
_BLANK_AFTER_ITEM = 0.4
_BLANK_AFTER_HEADING = 0.5


@dataclass
class Row:
    """One table row: a city and its items by column, and the visits of its sub-list."""

    city: CityName
    cells: dict[str, list[Item]]
    visits: list[Item]


def document_text(
    rng: random.Random, header_cities: Sequence[CityName], rows: Sequence[Row], args: str
) -> tuple[str, list[tuple[str, Item]]]:
    """The document, and every item with its record reference (``澄嵐市/activity/p2-1``)."""
    lines = [_TITLE, " 縣市", _SYNTHETIC.format(args=args), "", _HEADINGS, ""]
    for city in header_cities:
        lines += [city.zh, ""]
    for text in _TAIL:
        lines += [text, ""]
    lines += ["", "", *_CORNER]
    placed: list[tuple[str, Item]] = []
    for row in rows:
        lines.append(f"\t{row.city.zh}")
        if rng.random() < _BLANK_AFTER_HEADING:
            lines.append("")
        for column in COLUMNS:
            items = row.cells.get(column, [])
            visits = row.visits if column == "activity" else []
            lines += _cell(rng, row.city.zh, column, items, visits, placed)
        lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines), placed


def _cell(
    rng: random.Random,
    city: str,
    column: str,
    items: Sequence[Item],
    visits: Sequence[Item],
    placed: list[tuple[str, Item]],
) -> list[str]:
    if not items:
        return ["\t"]
    if len(items) == 1 and not visits and rng.random() < _PARAGRAPH:
        placed.append((f"{city}/{column}/1", items[0]))
        return [f"\t{items[0].text}"]
    out: list[str] = []
    for n, item in enumerate(items, 1):
        out.append(f"{n}. {item.text}")
        placed.append((f"{city}/{column}/{n}", item))
        if rng.random() < _BLANK_AFTER_ITEM:
            out.append("")
    if visits:
        if out[-1] != "":
            out.append("")
        out += [SUBHEADING, ""]
        for n, item in enumerate(visits, 1):
            out.append(f"{n}. {item.text}")
            placed.append((f"{city}/{column}/p2-{n}", item))
            if rng.random() < _BLANK_AFTER_ITEM:
                out.append("")
    while out[-1] == "":
        out.pop()
    out[0] = "\t" + out[0]
    return out
