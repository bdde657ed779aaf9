"""Reading the source document into a header, cells and items, with line numbers."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from lowcarbon.ingest.checks import MAX_SOURCE_BYTES, SourceError, check_characters, verify_checksum
from lowcarbon.ingest.dates import DateRange, find_dates

__all__ = [
    "COLUMN_HEADINGS",
    "MAX_SOURCE_BYTES",
    "RECORD_COLUMNS",
    "Column",
    "Document",
    "Gloss",
    "Header",
    "Record",
    "SourceError",
    "SubHeading",
    "parse_source",
    "read_source",
    "records_csv",
    "verify_checksum",
]


class Column(Enum):
    """The three data columns of the table, by their slug."""

    ORG = "org"
    DECLARATION = "declaration"
    ACTIVITY = "activity"

    @property
    def heading(self) -> str:
        """The column heading as the document writes it."""
        return COLUMN_HEADINGS[self]


COLUMN_HEADINGS: dict[Column, str] = {
    Column.ORG: "加入國際組織",
    Column.DECLARATION: "簽署減量協議或宣言",
    Column.ACTIVITY: "參與國際交流活動",
}

_TABLE_CORNER = "項目"
_ITEM_RE = re.compile(r"^[ \u3000]*(\d+)\.[ \u3000]?")
_GLOSS_RE = re.compile(r"^(?P<acronym>[A-Z]{3,6})\s*\(\s*(?P<en>[^()]+?)\s*\)\s*(?P<zh>\S.*?)\s*$")
_SUBHEADING_RE = re.compile(r"^[^\d\s].*[：:]\s*$")


@dataclass(frozen=True)
class Gloss:
    """An acronym gloss from the header: ICLEI (English name) Chinese name."""

    acronym: str
    english: str
    chinese: str
    line: int


@dataclass(frozen=True)
class Header:
    """The part of the document above the table."""

    title: str
    column_headings: tuple[str, str, str]
    cities: tuple[str, ...]
    source_note: str
    source_note_lines: tuple[int, int]
    #: the period the table covers, read from the source note (統計93年~100年6月…)
    period: DateRange
    glosses: tuple[Gloss, ...]
    activity_note: str
    activity_note_line: int


@dataclass(frozen=True)
class Record:
    """One item of a table cell: a numbered entry, or the whole paragraph of an unnumbered cell."""

    city: str
    column: Column
    number: int
    part: int
    numbered: bool
    subheading: str | None
    text: str
    line_start: int
    line_end: int

    @property
    def ref(self) -> str:
        """Stable reference, e.g. ``臺北市/org/1`` or ``高雄市/activity/p2-1`` in a sub-list."""
        n = str(self.number) if self.part == 1 else f"p{self.part}-{self.number}"
        return f"{self.city}/{self.column.value}/{n}"

    @property
    def body(self) -> str:
        """The text without its list number (``1. ``); matching code uses this."""
        m = _ITEM_RE.match(self.text)
        return self.text[m.end() :] if m and self.numbered else self.text


@dataclass(frozen=True)
class SubHeading:
    """A heading inside a cell under which numbering restarts (以下為其他國際交流活動：)."""

    city: str
    column: Column
    text: str
    line: int


@dataclass(frozen=True)
class Cell:
    """A table cell: its verbatim text and line span (first line's leading TAB removed)."""

    text: str
    line_start: int
    line_end: int


@dataclass(frozen=True)
class Document:
    """The whole parsed document."""

    path: str
    header: Header
    records: tuple[Record, ...]
    subheadings: tuple[SubHeading, ...]
    cells: dict[tuple[str, Column], Cell]
    lines: tuple[str, ...]

    def records_for(self, city: str, column: Column) -> tuple[Record, ...]:
        """Records of one cell, in document order."""
        return tuple(r for r in self.records if r.city == city and r.column == column)


def read_source(path: Path, *, lenient: bool = False) -> Document:
    """Read and parse the source document at ``path``; raise SourceError on bad input."""
    name = str(path)
    try:
        if not path.is_file():
            raise SourceError(name, None, "not a regular file; expected the honor-roll document")
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceError(
                name, None, f"{path.stat().st_size} bytes; at most {MAX_SOURCE_BYTES} are read"
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise SourceError(name, None, f"cannot read file: {exc.strerror}") from exc
    return parse_source(data, name, lenient=lenient)


def parse_source(data: bytes, path: str = "<source>", *, lenient: bool = False) -> Document:
    """Parse the bytes of the source document.

    With ``lenient``, gaps in item numbering are warnings instead of errors.
    """
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(path, None, f"larger than {MAX_SOURCE_BYTES} bytes")
    if not data.strip():
        raise SourceError(path, 1, "the file is empty; expected the honor-roll document")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); expected UTF-8 text"
        ) from exc
    if text.startswith("\ufeff"):
        raise SourceError(path, 1, "unexpected byte-order mark; expected plain UTF-8")
    check_characters(text, path)
    lines = tuple(text.split("\n"))
    corner = _find_table(lines, path)
    header = _parse_header(lines[:corner], path)
    cells = _split_cells(lines, corner, path)
    return _build(path, header, cells, lines, lenient)


def _find_table(lines: tuple[str, ...], path: str) -> int:
    for i, line in enumerate(lines):
        if line.startswith("\t") and line.strip() == _TABLE_CORNER:
            return i
    raise SourceError(
        path,
        len(lines),
        f"truncated document: no table found (expected a cell '\\t{_TABLE_CORNER}' "
        "that starts the table)",
    )


def _nonblank(lines: tuple[str, ...]) -> list[tuple[int, str]]:
    return [(i + 1, ln.strip()) for i, ln in enumerate(lines) if ln.strip()]


def _parse_header(lines: tuple[str, ...], path: str) -> Header:
    rows = _nonblank(lines)
    if not rows:
        raise SourceError(path, 1, "no header before the table; expected the title")
    first_line, first = rows[0]
    title = re.sub(r"^附件\s*[:：]\s*", "", first)
    if "城市低碳外交榮譽榜" not in title:
        raise SourceError(
            path, first_line, f"unexpected title {first!r}; expected 城市低碳外交榮譽榜"
        )
    headings_at = next((k for k, (_, t) in enumerate(rows) if t.split() == _headings()), None)
    if headings_at is None:
        raise SourceError(
            path, first_line, f"no line with the three column headings {' '.join(_headings())}"
        )
    cities: list[str] = []
    k = headings_at + 1
    while k < len(rows) and rows[k][1] != "城市低碳外交榮譽榜":
        cities.append(rows[k][1])
        k += 1
    if k == len(rows) or not cities:
        raise SourceError(path, rows[-1][0], "header city list does not end at 城市低碳外交榮譽榜")
    note_start = next((k2 for k2 in range(k, len(rows)) if rows[k2][1] == "資料來源"), None)
    if note_start is None:
        raise SourceError(path, rows[k][0], "no data-source note (資料來源) in the header")
    parts: list[str] = []
    k = note_start
    while k < len(rows):
        parts.append(rows[k][1])
        if rows[k][1].endswith("。"):
            break
        k += 1
    else:
        raise SourceError(path, rows[-1][0], "data-source note does not end with 。")
    note_lines = (rows[note_start][0], rows[k][0])
    glosses: list[Gloss] = []
    activity: tuple[int, str] | None = None
    for line_no, t in rows[k + 1 :]:
        m = _GLOSS_RE.match(t)
        if m:
            glosses.append(Gloss(m["acronym"], m["en"], m["zh"], line_no))
        elif t.startswith("參與國際交流活動之計算方式"):
            activity = (line_no, t)
        else:
            raise SourceError(path, line_no, f"unexpected header line {t!r}")
    if activity is None:
        raise SourceError(path, rows[-1][0], "no note on how exchange activities are counted")
    note = "".join(parts)
    periods = [m.value for m in find_dates(note) if m.value.end is not None]
    if not periods:
        raise SourceError(
            path,
            note_lines[0],
            f"the data-source note {note!r} names no period; expected a range such as "
            "統計93年~100年6月",
        )
    h = _headings()
    return Header(
        title=title,
        column_headings=(h[0], h[1], h[2]),
        cities=tuple(cities),
        source_note=note,
        source_note_lines=note_lines,
        period=periods[0],
        glosses=tuple(glosses),
        activity_note=activity[1],
        activity_note_line=activity[0],
    )


def _headings() -> list[str]:
    return [COLUMN_HEADINGS[c] for c in Column]


def _split_cells(lines: tuple[str, ...], corner: int, path: str) -> list[Cell]:
    """A line that begins with a TAB starts a cell; other lines continue it."""
    cells: list[Cell] = []
    start: int | None = None
    for i in range(corner, len(lines) + 1):
        if i == len(lines) or lines[i].startswith("\t"):
            if start is not None:
                end = start
                for j in range(i - 1, start - 1, -1):
                    if lines[j].strip():
                        end = j
                        break
                body = "\n".join((lines[start][1:], *lines[start + 1 : end + 1]))
                cells.append(Cell(body, start + 1, end + 1))
            start = i
    return cells


def _build(
    path: str, header: Header, cells: list[Cell], lines: tuple[str, ...], lenient: bool
) -> Document:
    corner = [c.text.strip() for c in cells[:1]]
    headings = [c.text.strip() for c in cells[1:4]]
    if corner != [f"{_TABLE_CORNER}\n縣市"] and corner != [_TABLE_CORNER]:
        raise SourceError(path, cells[0].line_start, "table does not start with 項目/縣市")
    if headings != _headings():
        where = cells[min(len(cells) - 1, 3)].line_start
        raise SourceError(path, where, f"table column headings {headings} != {_headings()}")
    known = set(header.cities)
    by_cell: dict[tuple[str, Column], Cell] = {}
    row: str | None = None
    row_cells: list[Cell] = []
    rows: list[tuple[str, list[Cell], int]] = []
    seen: set[str] = set()  # the cities with a row so far (one set, not a scan per row)
    for cell in cells[4:]:
        t = cell.text.strip()
        if t in known:
            if row is not None:
                rows.append((row, row_cells, cell.line_start))
            if t in seen:
                raise SourceError(path, cell.line_start, f"second table row for {t}")
            seen.add(t)
            row, row_cells = t, []
        elif row is None or (_looks_like_city(t) and len(row_cells) == 3):
            raise SourceError(
                path,
                cell.line_start,
                f"unknown city heading {t!r}; expected one of the header's cities: "
                + "、".join(header.cities),
            )
        elif len(row_cells) == 3:
            raise SourceError(
                path,
                cell.line_start,
                f"row {row} has a fourth data cell {_short(t)!r}; expected 3 cells "
                "(加入國際組織, 簽署減量協議或宣言, 參與國際交流活動) and then a city heading",
            )
        else:
            row_cells.append(cell)
    if row is not None:
        rows.append((row, row_cells, len(lines)))
    missing = [c for c in header.cities if c not in seen]
    if missing:
        raise SourceError(
            path,
            len(lines),
            f"truncated document: no table row for {'、'.join(missing)} "
            f"(expected rows for all {len(header.cities)} cities of the header)",
        )
    records: list[Record] = []
    subheadings: list[SubHeading] = []
    for k, (city, rc, next_line) in enumerate(rows):
        if len(rc) < 3 and k != len(rows) - 1:
            raise SourceError(
                path,
                next_line,
                f"row {city} has {len(rc)} data cells; expected 3 before the next city",
            )
        for column, cell in zip(Column, rc, strict=False):
            by_cell[(city, column)] = cell
            recs, subs = _items(path, city, column, cell, lines, lenient)
            records.extend(recs)
            subheadings.extend(subs)
    return Document(path, header, tuple(records), tuple(subheadings), by_cell, lines)


def _looks_like_city(text: str) -> bool:
    return 2 <= len(text) <= 5 and text[-1] in "市縣" and not any(ch.isdigit() for ch in text)


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def _items(
    path: str,
    city: str,
    column: Column,
    cell: Cell,
    lines: tuple[str, ...],
    lenient: bool,
) -> tuple[list[Record], list[SubHeading]]:
    if not cell.text.strip():
        return [], []
    first = cell.line_start - 1
    span = [(n + 1, lines[n][1:] if n == first else lines[n]) for n in range(first, cell.line_end)]
    numbered = any(_ITEM_RE.match(t) for _, t in span)
    if not numbered:
        return [
            Record(city, column, 1, 1, False, None, cell.text, cell.line_start, cell.line_end)
        ], []
    records: list[Record] = []
    subs: list[SubHeading] = []
    part, expected, heading = 1, 1, None
    current: list[tuple[int, str]] = []
    current_no = 0

    def flush() -> None:
        while current and not current[-1][1].strip():
            current.pop()
        if current:
            txt = "\n".join(t for _, t in current)
            records.append(
                Record(
                    city,
                    column,
                    current_no,
                    part,
                    True,
                    heading,
                    txt,
                    current[0][0],
                    current[-1][0],
                )
            )
        current.clear()

    for line_no, t in span:
        m = _ITEM_RE.match(t)
        if m:
            flush()
            n = int(m[1])
            if n != expected:
                msg = (
                    f"{city} {column.heading}: item {n} follows item {expected - 1}; "
                    f"expected {expected}"
                )
                if not lenient:
                    raise SourceError(path, line_no, msg)
                warnings.warn(f"{path}:{line_no}: {msg}", stacklevel=2)
            current_no, expected = n, n + 1
            current.append((line_no, t))
        elif t.strip() and _SUBHEADING_RE.match(t.strip()) and current_no != 0 and _is_heading(t):
            flush()
            subs.append(SubHeading(city, column, t.strip(), line_no))
            part, expected, heading, current_no = part + 1, 1, t.strip(), 0
        elif current_no == 0 and t.strip():
            raise SourceError(
                path, line_no, f"{city} {column.heading}: text {_short(t.strip())!r} before item 1"
            )
        else:
            current.append((line_no, t))
    flush()
    return records, subs


def _is_heading(text: str) -> bool:
    return len(text.strip()) <= 30 and "。" not in text


RECORD_COLUMNS = (
    "ref",
    "city",
    "column",
    "part",
    "number",
    "numbered",
    "subheading",
    "line_start",
    "line_end",
    "text",
)


def records_csv(doc: Document) -> str:
    """The records as CSV text (UTF-8, header row, document order, LF line ends)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(RECORD_COLUMNS)
    for r in doc.records:
        w.writerow(
            [
                r.ref,
                r.city,
                r.column.value,
                r.part,
                r.number,
                "true" if r.numbered else "false",
                r.subheading or "",
                r.line_start,
                r.line_end,
                r.text,
            ]
        )
    return buf.getvalue()
