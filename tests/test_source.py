"""The source document read into header and records: nothing lost, nothing normalised."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lowcarbon.cli import main
from lowcarbon.ingest.source import Column, Document, SourceError, parse_source, records_csv
from lowcarbon.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "source" / "honor-roll-2011.txt"

# Item counts per city and column, read off the document by hand.
# 高雄市's activities: 7 numbered items, then 3 under 以下為其他國際交流活動：.
EXPECTED_COUNTS: dict[str, tuple[int, int, int]] = {
    "臺北市": (2, 4, 4),
    "新北市": (3, 1, 7),
    "高雄市": (1, 4, 10),
    "台南市": (1, 1, 2),
    "屏東縣": (1, 0, 0),
    "桃園縣": (1, 0, 0),
    "台中市": (2, 0, 0),
    "雲林縣": (1, 0, 0),
    "嘉義縣": (1, 0, 0),
    "宜蘭縣": (1, 0, 0),
}


def test_source_sha256_matches_record(paths: Paths, source_bytes: bytes) -> None:
    recorded = paths.source_sha256.read_text(encoding="utf-8").split()
    assert recorded[1] == paths.source.name
    assert hashlib.sha256(source_bytes).hexdigest() == recorded[0]


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ copy not beside the checkout")
def test_source_is_byte_identical_to_shared_copy(source_bytes: bytes) -> None:
    assert SHARED.read_bytes() == source_bytes


def test_header(doc: Document) -> None:
    h = doc.header
    assert h.title == "城市低碳外交榮譽榜(各縣市國際參與具體成果)"
    assert h.column_headings == ("加入國際組織", "簽署減量協議或宣言", "參與國際交流活動")
    assert h.cities == tuple(
        [
            "臺北市",
            "新北市",
            "高雄市",
            "台南市",
            "台中市",
            "桃園縣",
            "雲林縣",
            "嘉義縣",
            "宜蘭縣",
            "屏東縣",
        ]
    )
    assert h.source_note == "資料來源:統計93年~100年6月各縣市提報之低碳外交相關資料。"
    assert h.source_note_lines == (28, 46)
    # the period the table covers, read from the note: 統計93年~100年6月
    assert (h.period.start.lexical, h.period.end and h.period.end.lexical) == ("2004", "2011-06")
    assert [(g.acronym, g.english, g.chinese) for g in h.glosses] == [
        (
            "ICLEI",
            "International Council for Local Environmental Initiatives",
            "地方環境行動國際委員會",
        ),
        ("WMCCC", "World Mayors Council on Climate Change", "全球市長氣侯變遷委員會"),
        ("UCLG", "United Cities and Local Government", "世界城市暨地方政府聯合組織"),
    ]
    assert h.activity_note.startswith("參與國際交流活動之計算方式")
    assert h.activity_note_line == 50


@pytest.mark.parametrize("city", list(EXPECTED_COUNTS))
def test_item_counts(doc: Document, city: str) -> None:
    got = tuple(len(doc.records_for(city, c)) for c in Column)
    assert got == EXPECTED_COUNTS[city]


def test_total_and_unique_refs(doc: Document) -> None:
    refs = [r.ref for r in doc.records]
    assert len(refs) == sum(sum(v) for v in EXPECTED_COUNTS.values()) == 47
    assert len(set(refs)) == len(refs)


def test_subheading_restarts_numbering(doc: Document) -> None:
    (sub,) = doc.subheadings
    assert (sub.city, sub.column, sub.text, sub.line) == (
        "高雄市",
        Column.ACTIVITY,
        "以下為其他國際交流活動：",
        116,
    )
    under = [r for r in doc.records_for("高雄市", Column.ACTIVITY) if r.part == 2]
    assert [(r.ref, r.number, r.subheading) for r in under] == [
        ("高雄市/activity/p2-1", 1, sub.text),
        ("高雄市/activity/p2-2", 2, sub.text),
        ("高雄市/activity/p2-3", 3, sub.text),
    ]


def _nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_nothing_lost_per_cell(doc: Document) -> None:
    for (city, column), cell in doc.cells.items():
        parts = [(r.line_start, r.text) for r in doc.records_for(city, column)]
        parts += [(s.line, s.text) for s in doc.subheadings if (s.city, s.column) == (city, column)]
        joined = "".join(t for _, t in sorted(parts))
        assert _nonspace(joined) == _nonspace(cell.text), (city, column)


def test_record_text_equals_source_at_line_span(doc: Document, source_bytes: bytes) -> None:
    lines = source_bytes.decode("utf-8").split("\n")
    for r in doc.records:
        span = "\n".join(lines[r.line_start - 1 : r.line_end])
        assert span.lstrip("\t") == r.text, r.ref


def test_text_is_not_normalised(doc: Document) -> None:
    # U+FA08 (a CJK compatibility ideograph for 行) and U+25CB (○ as a zero) stay verbatim.
    yilan = doc.records_for("宜蘭縣", Column.ORG)[0]
    assert "\ufa08" in yilan.text
    item7 = doc.records_for("新北市", Column.ACTIVITY)[6]
    assert "二\u25cb一\u25cb" in item7.text
    # the trailing space of line 86 is kept
    assert doc.records_for("新北市", Column.ACTIVITY)[3].text.endswith("。 ")


def test_unnumbered_paragraph_cell(doc: Document) -> None:
    (r,) = doc.records_for("桃園縣", Column.ORG)
    assert (r.number, r.numbered, r.line_start, r.line_end) == (1, False, 137, 137)
    assert r.body == r.text
    numbered = doc.records_for("臺北市", Column.ORG)[0]
    assert numbered.body.startswith("96年加入")


def test_records_csv_matches_committed_file(paths: Paths, doc: Document) -> None:
    assert paths.records.read_text(encoding="utf-8") == records_csv(doc), (
        "data/records.csv is stale: run `lowcarbon ingest`"
    )


# --- bad input -------------------------------------------------------------------------


def _lines(source_bytes: bytes) -> list[str]:
    return source_bytes.decode("utf-8").split("\n")


def _bad(source_bytes: bytes, edit: dict[int, str | None]) -> bytes:
    lines = _lines(source_bytes)
    out = []
    for i, line in enumerate(lines, 1):
        if i in edit:
            if edit[i] is not None:
                out.append(edit[i])
        else:
            out.append(line)
    return "\n".join(out).encode("utf-8")


def test_empty_file() -> None:
    with pytest.raises(SourceError, match="empty"):
        parse_source(b"", "x.txt")


def test_non_utf8_names_line(source_bytes: bytes) -> None:
    bad = source_bytes.replace("舊金山".encode(), "舊金山".encode("big5"), 1)
    with pytest.raises(SourceError) as e:
        parse_source(bad, "x.txt")
    assert e.value.line == 69
    assert "x.txt:69: not valid UTF-8" in str(e.value)


def test_truncated_document(source_bytes: bytes) -> None:
    cut = "\n".join(_lines(source_bytes)[:130]).encode("utf-8")
    with pytest.raises(SourceError, match=r"no table row for 台中市、桃園縣.*屏東縣"):
        parse_source(cut, "x.txt")
    with pytest.raises(SourceError, match="truncated document: no table found"):
        parse_source("\n".join(_lines(source_bytes)[:40]).encode(), "x.txt")


def test_fourth_cell(source_bytes: bytes) -> None:
    bad = _bad(source_bytes, {77: "\t多出來的一格"})
    with pytest.raises(SourceError) as e:
        parse_source(bad, "x.txt")
    assert e.value.line == 77
    assert "fourth data cell" in e.value.message


def test_unknown_city_heading(source_bytes: bytes) -> None:
    bad = _bad(source_bytes, {131: "\t\t花蓮縣"})
    with pytest.raises(SourceError) as e:
        parse_source(bad, "x.txt")
    assert e.value.line == 131
    assert "unknown city heading '花蓮縣'" in e.value.message


def test_numbering_gap_is_an_error_unless_lenient(source_bytes: bytes) -> None:
    lines = _lines(source_bytes)
    bad = _bad(source_bytes, {74: "4" + lines[73][1:], 76: "5" + lines[75][1:]})
    with pytest.raises(SourceError) as e:
        parse_source(bad, "x.txt")
    assert e.value.line == 74
    assert "item 4 follows item 2; expected 3" in e.value.message
    with pytest.warns(UserWarning, match="item 4 follows item 2"):
        doc = parse_source(bad, "x.txt", lenient=True)
    assert [r.number for r in doc.records_for("臺北市", Column.ACTIVITY)] == [1, 2, 4, 5]


# --- the command line ------------------------------------------------------------------


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "lowcarbon"
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def test_cli_help_through_entry_point() -> None:
    r = _run("--help")
    assert r.returncode == 0, r.stderr
    assert "ingest" in r.stdout and "Exit codes" in r.stdout
    r = _run("ingest", "--help")
    assert r.returncode == 0, r.stderr
    assert "--check" in r.stdout and "records.csv" in r.stdout


def test_cli_ingest_check_passes_on_committed_records(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", "--root", str(ROOT), "--check"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "47 records" in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"\xff\xfe garbage", "not valid UTF-8"),
        ("附件: 城市低碳外交榮譽榜\n".encode(), "truncated document"),
    ],
)
def test_cli_bad_input_exit_2_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, needle: str
) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(content)
    out = tmp_path / "records.csv"
    code = main(["ingest", "--root", str(ROOT), str(src), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert needle in err and str(src) in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_cli_ingest_check_detects_stale(tmp_path: Path, paths: Paths) -> None:
    out = tmp_path / "records.csv"
    out.write_text(paths.records.read_text(encoding="utf-8").replace("96年", "97年", 1))
    assert main(["ingest", "--root", str(paths.root), "-o", str(out), "--check"]) == 1
    assert main(["ingest", "--root", str(paths.root), "-o", str(out)]) == 0
    assert main(["ingest", "--root", str(paths.root), "-o", str(out), "--check"]) == 0
