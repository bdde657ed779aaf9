"""Linking: every record yields the statements an answer key read off the source says."""

from __future__ import annotations

from pathlib import Path

import pytest

from lowcarbon.catalog import Catalog
from lowcarbon.cli import main
from lowcarbon.ingest.source import Document, parse_source
from lowcarbon.link import Linked, dump_links, link_document
from lowcarbon.link.judgments import LinkError, load_links
from lowcarbon.link.text import fold
from lowcarbon.paths import Paths
from lowcarbon.pipeline import Pipeline

# For every record: (kind, city, target, status, date start, date end), written by reading
# each item of the source. Dates are the Gregorian lexical forms of the ROC dates.
ANSWER_KEY: dict[str, list[tuple[str, str, str, str, str | None, str | None]]] = {
    # 96年加入「地方環境行動國際委員會」（ICLEI）。
    "臺北市/org/1": [
        ("membership", "taipei", "iclei", "done", "2007", None),
    ],
    # 93年加入世界城市暨地方政府聯合會(UCLG)之會員。
    "臺北市/org/2": [
        ("membership", "taipei", "uclg", "done", "2004", None),
    ],
    # 94年簽署「綠色都市宣言」。
    "臺北市/declaration/1": [
        ("signing", "taipei", "green-cities-declaration", "done", "2005", None),
    ],
    # 94年6月5日聯合國環境規劃署(UNEP)，在美國舊金山簽署「城市環境協議書」，內容包括七大主題及二十一項工作內容。
    "臺北市/declaration/2": [
        ("signing", "taipei", "urban-environmental-accords", "done", "2005-06-05", None),
    ],
    # 98年簽署「氣候保護宣言」（Climate Protection Agreement），並獲邀於哥本哈根COP15會議時
    "臺北市/declaration/3": [
        ("signing", "taipei", "climate-protection-agreement", "done", "2009", None),
        ("participation", "taipei", "iclei-mayors-summit-cop15", "done", "2009", None),
    ],
    # 99年出席「世界城市暨地方政府聯合會」（United Cities and Local Governments, UCL
    "臺北市/declaration/4": [
        ("participation", "taipei", "uclg-world-congress-2010", "done", "2010", None),
        ("participation", "taipei", "world-mayors-summit-on-climate-2010", "done", "2010", None),
        ("signing", "taipei", "mexico-city-pact", "done", "2010", None),
    ],
    # 98年參加C40首爾氣候變遷博覽會。
    "臺北市/activity/1": [
        ("participation", "taipei", "c40-seoul-summit-2009", "done", "2009", None),
    ],
    # 97-98年參加「氣候變化綱要公約」締約國（COP14-15）周邊會議及ICLEI地方政府氣候會議周邊會議。
    "臺北市/activity/2": [
        ("participation", "taipei", "cop14", "done", "2008", "2009"),
        ("participation", "taipei", "cop15", "done", "2008", "2009"),
        (
            "participation",
            "taipei",
            "iclei-local-government-climate-sessions",
            "done",
            "2008",
            "2009",
        ),
    ],
    # 99年參與韓國仁川ICLEI20週年年會「城市的未來」。
    "臺北市/activity/3": [
        ("participation", "taipei", "iclei-incheon-congress-2010", "done", "2010", None),
    ],
    # 100年參與城市碳揭露專案（CDP）。
    "臺北市/activity/4": [
        ("participation", "taipei", "cdp-cities", "done", "2011", None),
    ],
    # 97年成為「地方環境行動國際委員會」(ICLEI)正式會員。
    "新北市/org/1": [
        ("membership", "new-taipei", "iclei", "done", "2008", None),
    ],
    # 97加入WMCCC「全球市長氣侯變遷委員會」。
    "新北市/org/2": [
        ("membership", "new-taipei", "wmccc", "done", "2008", None),
    ],
    # 93年5月加入「世界城市暨地方政府聯合會」（United Cities and Local Governments, U
    "新北市/org/3": [
        ("membership", "new-taipei", "uclg", "done", "2004-05", None),
    ],
    # 99年11月9日與法國、澳洲、丹麥、拉脫維亞、葡萄牙、加拿大、薩爾瓦多、斯里蘭卡、美國等國家城市首長簽署友好城市永續宣言
    "新北市/declaration/1": [
        (
            "signing",
            "new-taipei",
            "friendly-cities-sustainability-declaration",
            "done",
            "2010-11-09",
            None,
        ),
    ],
    # 98年參與「ICLEI年會」。
    "新北市/activity/1": [
        ("participation", "new-taipei", "iclei-world-congress-2009", "done", "2009", None),
    ],
    # 98年12月16參加「哥本哈根氣候變遷市長高峰會」－以「城市採取行動(cities taking action)，對抗全
    "新北市/activity/2": [
        (
            "participation",
            "new-taipei",
            "copenhagen-climate-summit-for-mayors",
            "done",
            "2009-12-16",
            None,
        ),
    ],
    # 98年受邀參加COP15高階會議(high-level segment)開幕典禮，與世界各國國家代表團領隊及市長交流(如
    "新北市/activity/3": [
        ("participation", "new-taipei", "cop15-high-level-segment", "done", "2009", None),
    ],
    # 與「ICLEI 99年會暨20周年慶祝大會--城市的未來」並為臺灣地區惟一受邀發表演說之縣市首長，與會期間除拜會ICLE
    "新北市/activity/4": [
        ("participation", "new-taipei", "iclei-incheon-congress-2010", "done", "2010", None),
    ],
    # 參與100年6月於德國波昂舉辦之「韌性城市2011(Resilient Cities 2011)--城市與氣候變遷全球大
    "新北市/activity/5": [
        ("participation", "new-taipei", "resilient-cities-2011", "done", "2011-06", None),
    ],
    # 99年11月8日邀請國際城市首長於新北市政府辦理「2010低碳城市首長高峰會」，就「氣候變遷之管理趨勢」及「低碳城市之作
    "新北市/activity/6": [
        (
            "hosting",
            "new-taipei",
            "new-taipei-low-carbon-mayors-summit-2010",
            "done",
            "2010-11-08",
            None,
        ),
    ],
    # 辦理「二○一○城市綠色交通與綠色運具發展研討會」，邀請環保署沈署長世宏、台北市長郝龍斌、洛杉磯郡長Mr.MichaelD
    "新北市/activity/7": [
        ("hosting", "new-taipei", "new-taipei-green-transport-seminar-2010", "done", "2010", None),
    ],
    # 高雄市加入成為ICLEI 及氣候團體組織(The Climate Group)發起C20計畫成員之協助及參與平台，並於9
    "高雄市/org/1": [
        ("participation", "kaohsiung", "c20-programme", "done", None, None),
        ("membership", "kaohsiung", "iclei", "done", "2006", None),
    ],
    # 99年參加ICLEI第一屆城市調適會議(Resilient Cities 2010)，簽署「2010波昂宣言(Bonn
    "高雄市/declaration/1": [
        ("participation", "kaohsiung", "resilient-cities-2010", "done", "2010", None),
        ("signing", "kaohsiung", "bonn-declaration-2010", "done", "2010", None),
    ],
    # 100年參加ICLEI第二屆城市調適會議(Resilient Cities 2011)，簽署「2011波昂宣言(2011
    "高雄市/declaration/2": [
        ("participation", "kaohsiung", "resilient-cities-2011", "done", "2011", None),
        ("signing", "kaohsiung", "bonn-declaration-2011", "done", "2011", None),
    ],
    # 100年出席ICLEI「第二屆城市調適會議」(Resilient Cities 2011)簽署「墨西哥城市協定」(Mex
    "高雄市/declaration/3": [
        ("participation", "kaohsiung", "resilient-cities-2011", "done", "2011", None),
        ("signing", "kaohsiung", "mexico-city-pact", "done", "2011", None),
    ],
    # 100年3月初至日本北九州進行參訪交流，宣揚高雄市節能減碳成果，並與北九州低碳化中心簽署減碳技術交流合作備忘錄MOU。
    "高雄市/declaration/4": [
        ("participation", "kaohsiung", "kaohsiung-kitakyushu-visit-2011", "done", "2011-03", None),
        ("signing", "kaohsiung", "kitakyushu-low-carbon-technology-mou", "done", "2011-03", None),
    ],
    # 94年~100年參與聯合國氣候變遷綱要公約會議第十一～十六屆締約國大會 (COP11～16)，以及地方環境行動國際委員會
    "高雄市/activity/1": [
        ("participation", "kaohsiung", "cop11", "done", "2005", "2011"),
        ("participation", "kaohsiung", "cop12", "done", "2005", "2011"),
        ("participation", "kaohsiung", "cop13", "done", "2005", "2011"),
        ("participation", "kaohsiung", "cop14", "done", "2005", "2011"),
        ("participation", "kaohsiung", "cop15", "done", "2005", "2011"),
        ("participation", "kaohsiung", "cop16", "done", "2005", "2011"),
        (
            "participation",
            "kaohsiung",
            "iclei-local-government-climate-sessions",
            "done",
            "2005",
            "2011",
        ),
    ],
    # 99年參加ICLEI第一屆城市調適會議(Resilient Cities 2010)，與ICLEI秘書長及主席互動良好，
    "高雄市/activity/2": [
        ("participation", "kaohsiung", "resilient-cities-2010", "done", "2010", None),
    ],
    # 99年8月赴日本橫濱參加Pre-APEC International Workshop on Adaptation to
    "高雄市/activity/3": [
        (
            "participation",
            "kaohsiung",
            "pre-apec-adaptation-workshop-2010",
            "done",
            "2010-08",
            None,
        ),
    ],
    # 99年10月4～7日高雄代表團參加ICELI 20週年會議修正城市氣候保護計畫(Cities for Climate P
    "高雄市/activity/4": [
        (
            "participation",
            "kaohsiung",
            "iclei-incheon-congress-2010",
            "done",
            "2010-10-04",
            "2010-10-07",
        ),
        (
            "participation",
            "kaohsiung",
            "cities-for-climate-protection",
            "done",
            "2010-10-04",
            "2010-10-07",
        ),
    ],
    # 99年12月14-15日舉辦「台美國際綠能產業/節能減碳論壇暨博覽會」，會中邀請波特蘭市國際事務處處長暨市長顧問Noah
    "高雄市/activity/5": [
        (
            "hosting",
            "kaohsiung",
            "kaohsiung-taiwan-us-green-energy-forum-2010",
            "done",
            "2010-12-14",
            "2010-12-15",
        ),
    ],
    # 100年參加ICLEI第二屆城市調適會議(Resilient Cities 2011)，於會議上發表兩篇文章、參與市長論
    "高雄市/activity/6": [
        ("participation", "kaohsiung", "resilient-cities-2011", "done", "2011", None),
        ("participation", "kaohsiung", "mayors-adaptation-forum-2011", "done", "2011", None),
    ],
    # 100年參與國際碳揭露組織(Carbon Disclosure Project, CDP)與C40城市聯盟之碳揭露活動，
    "高雄市/activity/7": [
        ("disclosure", "kaohsiung", "cdp-cities", "done", "2011", None),
    ],
    # 99年美國波特蘭市，永續局長Lisa Libby女士來訪，雙方針對永續議題交換意見。
    "高雄市/activity/p2-1": [
        ("visit", "kaohsiung", "visit-portland-2010", "done", "2010", None),
    ],
    # 100年4月15日，貝里斯駐歐盟、世界貿易組織、比利時、西班牙、德國、荷蘭及法國大使Audrey Joy Grant大使
    "高雄市/activity/p2-2": [
        ("visit", "kaohsiung", "visit-belize-ambassador-2011", "done", "2011-04-15", None),
    ],
    # 100年5月23-24日，馬來西亞規劃人協會訪問團來訪，雙方針對減碳及廢棄物議題進行交流與氣候變遷相關簡報。
    "高雄市/activity/p2-3": [
        ("visit", "kaohsiung", "visit-malaysian-planners-2011", "done", "2011-05-23", "2011-05-24"),
    ],
    # 97年成為ICLEI正式會員。
    "台南市/org/1": [
        ("membership", "tainan", "iclei", "done", "2008", None),
    ],
    # 94年6月5日聯合國環境規劃署(UNEP)，在美國舊金山簽署「城市環境協議書」，內容包括七大主題及二十一項工作內容。
    "台南市/declaration/1": [
        ("signing", "tainan", "urban-environmental-accords", "done", "2005-06-05", None),
    ],
    # 98年參加加拿大艾德蒙頓ICLEI年度會員大會。
    "台南市/activity/1": [
        ("participation", "tainan", "iclei-world-congress-2009", "done", "2009", None),
    ],
    # 100年6月參加德國城市氣候變遷會議，12月將由市長率隊參加南非COP17會議。
    "台南市/activity/2": [
        ("participation", "tainan", "resilient-cities-2011", "done", "2011-06", None),
        ("participation", "tainan", "cop17", "planned", "2011-12", None),
    ],
    # 98年9月成為ICLEI正式會員。
    "屏東縣/org/1": [
        ("membership", "pingtung", "iclei", "done", "2009-09", None),
    ],
    # 100年1月20日提出加入ICLEI國際組織申請。100年3月1日收到加入同意通知，成為ICLEI(新)正式會員，城市名
    "桃園縣/org/1": [
        ("membership", "taoyuan", "iclei", "applied", "2011-01-20", None),
        ("membership", "taoyuan", "iclei", "done", "2011-03-01", None),
    ],
    # 93年加入地方政府聯合會(UCLG)之會員。
    "台中市/org/1": [
        ("membership", "taichung", "uclg", "done", "2004", None),
    ],
    # ICLEI 100年台中市會申請加入。
    "台中市/org/2": [
        ("membership", "taichung", "iclei", "planned", "2011", None),
    ],
    # 99年申請加入地方環境行動國際委員會(ICLEI)，並於99年正式成為該委員會正式會員。
    "雲林縣/org/1": [
        ("membership", "yunlin", "iclei", "applied", "2010", None),
        ("membership", "yunlin", "iclei", "done", "2010", None),
    ],
    # 99年5月加入地方環境行動國際委員會(ICLEI)，並維持與ICLEI之聯繫工作，定期檢視該組織之發展。
    "嘉義縣/org/1": [
        ("membership", "chiayi-county", "iclei", "done", "2010-05", None),
    ],
    # 99年3月申請加入地方環境行動國際委員(ICLEI)，並於99年5月正式成為該委員會正式會員。
    "宜蘭縣/org/1": [
        ("membership", "yilan", "iclei", "applied", "2010-03", None),
        ("membership", "yilan", "iclei", "done", "2010-05", None),
    ],
}


@pytest.fixture(scope="module")
def linked(pipe: Pipeline) -> Linked:
    return pipe.linked


def _key(linked: Linked, ref: str) -> list[tuple[str, str, str, str, str | None, str | None]]:
    return [
        (
            s.kind.value,
            s.city,
            s.target,
            s.status.value,
            s.date.start.lexical if s.date else None,
            s.date.end.lexical if s.date and s.date.end else None,
        )
        for s in linked.by_record[ref]
    ]


def test_answer_key_covers_every_record(doc: Document) -> None:
    assert sorted(ANSWER_KEY) == sorted(r.ref for r in doc.records)


@pytest.mark.parametrize("ref", list(ANSWER_KEY))
def test_record_statements(linked: Linked, ref: str) -> None:
    assert _key(linked, ref) == ANSWER_KEY[ref]


def test_every_record_has_a_statement_and_no_warnings(linked: Linked, doc: Document) -> None:
    assert not linked.warnings, [str(w) for w in linked.warnings]
    assert all(linked.by_record[r.ref] for r in doc.records)


def test_every_action_clause_is_placed_or_excluded(linked: Linked) -> None:
    """Coverage of the real document: 63 action clauses, 62 placed, 1 excluded with a reason."""
    c = linked.coverage
    assert not c.unplaced, [str(x) for x in c.unplaced]
    assert (len(c.clauses), c.count("placed"), c.count("excluded")) == (63, 62, 1)
    assert {x.record for x in c.clauses if x.state == "excluded"} == {
        "新北市/activity/4",  # the meeting with ICLEI's Secretary General, the office request
    }
    assert all(x.reason for x in c.clauses if x.state == "excluded")


def test_statement_ids_unique(linked: Linked) -> None:
    slugs = [s.slug for s in linked.statements]
    assert len(slugs) == len(set(slugs))


# --- competency questions, answered from the statements ----------------------------------

#: ICLEI members by June 2011 and their joining year, read off the organizations column.
ICLEI_MEMBERS = {
    "kaohsiung": "2006",
    "taipei": "2007",
    "new-taipei": "2008",
    "tainan": "2008",
    "pingtung": "2009",
    "yunlin": "2010",
    "chiayi-county": "2010",
    "yilan": "2010",
    "taoyuan": "2011",
}

#: Who signed each declaration.
SIGNERS: list[tuple[str, set[str]]] = [
    ("green-cities-declaration", {"taipei"}),
    ("urban-environmental-accords", {"taipei", "tainan"}),
    ("climate-protection-agreement", {"taipei"}),
    ("mexico-city-pact", {"taipei", "kaohsiung"}),
    ("bonn-declaration-2010", {"kaohsiung"}),
    ("bonn-declaration-2011", {"kaohsiung"}),
    ("friendly-cities-sustainability-declaration", {"new-taipei"}),
    ("kitakyushu-low-carbon-technology-mou", {"kaohsiung"}),
]

#: Participants of each COP and ICLEI congress: (event, done, planned).
PARTICIPANTS: list[tuple[str, set[str], set[str]]] = [
    ("cop11", {"kaohsiung"}, set()),
    ("cop12", {"kaohsiung"}, set()),
    ("cop13", {"kaohsiung"}, set()),
    ("cop14", {"taipei", "kaohsiung"}, set()),
    ("cop15", {"taipei", "kaohsiung"}, set()),
    ("cop16", {"kaohsiung"}, set()),
    ("cop17", set(), {"tainan"}),  # 12月將由市長率隊參加南非COP17會議 (line 129)
    ("iclei-world-congress-2009", {"new-taipei", "tainan"}, set()),
    ("iclei-incheon-congress-2010", {"taipei", "new-taipei", "kaohsiung"}, set()),
]


def _done(linked: Linked, kind: str, target: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for s in linked.statements:
        if s.kind.value == kind and s.target == target and s.status.value == "done":
            out.setdefault(s.city, s.date.start.lexical if s.date else None)
    return out


def test_iclei_members_as_of_june_2011(linked: Linked) -> None:
    members = {c: (d or "")[:4] for c, d in _done(linked, "membership", "iclei").items()}
    assert members == ICLEI_MEMBERS


def test_first_taiwanese_iclei_member_is_kaohsiung(linked: Linked) -> None:
    # the source itself says 「為台灣第一個ICLEI會員城市」 of 高雄市 (line 93)
    members = _done(linked, "membership", "iclei")
    first = min(members, key=lambda c: members[c] or "9999")
    assert first == "kaohsiung"


def test_uclg_members(linked: Linked) -> None:
    assert _done(linked, "membership", "uclg") == {
        "taipei": "2004",
        "new-taipei": "2004-05",
        "taichung": "2004",
    }


@pytest.mark.parametrize(("declaration", "signers"), SIGNERS)
def test_who_signed(linked: Linked, declaration: str, signers: set[str]) -> None:
    assert set(_done(linked, "signing", declaration)) == signers


@pytest.mark.parametrize(("cop", "done", "planned"), PARTICIPANTS)
def test_participants(linked: Linked, cop: str, done: set[str], planned: set[str]) -> None:
    got = {
        status: {s.city for s in linked.statements if s.target == cop and s.status.value == status}
        for status in ("done", "planned")
    }
    assert got == {"done": done, "planned": planned}


def test_plans_and_applications(linked: Linked) -> None:
    not_done = sorted(
        (s.city, s.target, s.status.value, s.record)
        for s in linked.statements
        if s.status.value != "done"
    )
    assert not_done == [
        ("taichung", "iclei", "planned", "台中市/org/2"),
        ("tainan", "cop17", "planned", "台南市/activity/2"),
        ("taoyuan", "iclei", "applied", "桃園縣/org/1"),
        ("yilan", "iclei", "applied", "宜蘭縣/org/1"),
        ("yunlin", "iclei", "applied", "雲林縣/org/1"),
    ]


def test_roles_dates_and_context(linked: Linked) -> None:
    by = {s.slug: s for s in linked.statements}
    mcp = by["signing/taipei--mexico-city-pact"]
    assert mcp.at_event == "world-mayors-summit-on-climate-2010"
    mou = by["signing/kaohsiung--kitakyushu-low-carbon-technology-mou"]
    assert (mou.at_event, mou.locations, mou.counterparts) == (
        "kaohsiung-kitakyushu-visit-2011",
        ("kitakyushu",),
        ("kitakyushu-low-carbon-center",),
    )
    assert mou.date is not None and mou.date.start.approximate  # 100年3月初
    assert by["participation/kaohsiung--cop11"].roles == ("attendee", "exhibitor")
    assert by["participation/new-taipei--iclei-incheon-congress-2010"].roles == (
        "attendee",
        "speaker",
    )
    assert by["participation/new-taipei--iclei-incheon-congress-2010"].counterparts == (
        "maruyama-tatsuya",
        "song-young-gil",
    )
    rc = by["participation/kaohsiung--resilient-cities-2011--activity-6"]
    assert rc.roles == ("attendee", "author")
    assert by["participation/kaohsiung--mayors-adaptation-forum-2011"].roles == ("attendee",)
    assert by["hosting/new-taipei--new-taipei-low-carbon-mayors-summit-2010"].locations == (
        "new-taipei-city-hall",
    )
    cop17 = by["participation/tainan--cop17--planned"]
    assert cop17.date is not None and (cop17.date.start.lexical, cop17.date.verbatim) == (
        "2011-12",
        "12月",
    )
    assert by["disclosure/kaohsiung--cdp-cities"].roles == ("discloser",)


def test_fold_keeps_offsets() -> None:
    text = "地方環境\ufa08動（ICLEI）臺北～ＣＯＰ"
    assert len(fold(text)) == len(text)
    assert fold(text) == "地方環境行動(iclei)台北~cop"


# --- unresolved mentions and bad links --------------------------------------------------


def test_unresolved_mentions_are_reported(paths: Paths, source_bytes: bytes) -> None:
    text = source_bytes.decode("utf-8").replace(
        "98年參加C40首爾氣候變遷博覽會。", "98年參加「未知論壇」(Unknown Forum)與XYZ會議。", 1
    )
    doc = parse_source(text.encode("utf-8"), "x.txt")
    pipe = Pipeline(paths)
    links = load_links(paths.links, doc, pipe.catalog)
    linked = link_document(doc, pipe.catalog, links)
    got = sorted((w.record, w.what, w.text) for w in linked.warnings)
    assert got == [
        ("臺北市/activity/1", "acronym", "XYZ"),
        ("臺北市/activity/1", "bracketed name", "(Unknown Forum)"),
        ("臺北市/activity/1", "quoted name", "「未知論壇」"),
    ]


def _links_file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "links.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("- record: 臺北市/org/9\n  ignore: x\n  reason: r\n", 1, "unknown record"),
        (
            "- record: 臺北市/org/1\n  add: no-such-entity\n  reason: r\n",
            1,
            "unknown entity 'no-such-entity'",
        ),
        ("- record: 臺北市/org/1\n  ignore: ICLEI\n", 1, "needs a reason"),
        ("- record: 臺北市/org/1\n  ignore: 不在這裡\n  reason: r\n", 1, "does not occur"),
        ("- record: 臺北市/org/1\n  ignore: [a\n", 3, "not valid YAML"),
        ("- record: 臺北市/org/1\n  ignore: ICLEI\n  to: iclei\n  reason: r\n", 1, "'to' belongs"),
        (
            "- record: 臺北市/org/1\n  ignore: ICLEI\n  reason: r\n"
            "- record: 臺北市/org/1\n  ignore: ICLEI\n  reason: again\n",
            4,
            "the same ignore as on line 1",
        ),
    ],
)
def test_bad_links_file(
    tmp_path: Path, doc: Document, pipe: Pipeline, text: str, line: int, needle: str
) -> None:
    path = _links_file(tmp_path, text)
    with pytest.raises(LinkError) as e:
        load_links(path, doc, pipe.catalog)
    assert e.value.line == line
    assert needle in str(e.value) and str(path) in str(e.value)


def _root_with_real_data(tmp_path: Path, paths: Paths) -> Path:
    """A project root whose source and catalog are the real ones (links.yaml: the test's)."""
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    for sub in ("source", "entities"):
        (root / "data" / sub).symlink_to(paths.root / "data" / sub)
    return root


def test_cli_link_bad_links_exit_2(
    tmp_path: Path, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _root_with_real_data(tmp_path, paths)
    (root / "data" / "links.yaml").write_text(
        "- record: 臺北市/org/1\n  add: nowhere\n  reason: r\n", encoding="utf-8"
    )
    assert main(["link", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "links.yaml:1" in err and "unknown entity 'nowhere'" in err


def test_cli_link_report_and_csv(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--root", str(paths.root)]) == 0
    out = capsys.readouterr().out
    assert "臺北市/org/1  (line 66)" in out
    assert "membership    iclei (member) done 2007 [96年]" in out
    assert out.rstrip().endswith("0 unresolved mentions")
    assert main(["link", "--root", str(paths.root), "-f", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("statement_id,kind,city,target,roles,status")
    assert len(rows) == 1 + len(Pipeline(paths).linked.statements)


def test_catalog_used(pipe: Pipeline, linked: Linked) -> None:
    """Every entity is used by a statement or a fact, or says why it is kept."""
    catalog: Catalog = pipe.catalog
    used = set()
    for s in linked.statements:
        used |= {s.city, s.target, *(s.counterparts), *(s.locations)}
        if s.at_event:
            used.add(s.at_event)
    for e in catalog:
        for f in e.facts:
            if f.property in ("location", "organizer", "super_event", "country", "affiliation"):
                used.add(f.value)
    unused = [e.id for e in catalog if e.id not in used and not e.note]
    assert not unused, f"entities used by nothing and without a note: {unused}"


def test_committed_links_file_is_canonical(paths: Paths, pipe: Pipeline) -> None:
    """data/links.yaml is exactly what its one writer makes of it (``link --format-links``)."""
    assert paths.links.read_text(encoding="utf-8") == dump_links(pipe.links.entries)


def test_links_writer_round_trips_every_action(tmp_path: Path, doc: Document, pipe: Pipeline):
    text = (
        "- record: 臺北市/org/1\n  ignore: ICLEI\n  reason: r1\n"
        "- record: 臺北市/org/1\n  ignore_entity: iclei\n  reason: 'r2: a colon'\n"
        "- record: 臺北市/org/1\n  map: ICLEI\n  to: iclei\n  reason: r3\n"
        "- record: 臺北市/org/1\n  add: iclei\n  reason: r4\n"
        "- record: 臺北市/org/1\n  exclude: ICLEI\n  reason: r5\n"
    )
    first = load_links(_links_file(tmp_path, text), doc, pipe.catalog)
    canonical = dump_links(first.entries)
    again = load_links(_links_file(tmp_path, canonical), doc, pipe.catalog)
    strip = [(k.record, k.action, k.text, k.entity, k.reason) for k in first.entries]
    assert [(k.record, k.action, k.text, k.entity, k.reason) for k in again.entries] == strip
    assert dump_links(again.entries) == canonical


def test_cli_format_links_check(
    tmp_path: Path, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _root_with_real_data(tmp_path, paths)
    links = root / "data" / "links.yaml"
    links.write_text("- {record: 臺北市/org/1, ignore: ICLEI, reason: r}\n", encoding="utf-8")
    args = ["link", "--root", str(root), "--format-links"]
    assert main([*args, "--check"]) == 1
    assert "not in canonical form" in capsys.readouterr().out
    assert main(args) == 0
    assert main([*args, "--check"]) == 0
    assert links.read_text(encoding="utf-8").endswith("  ignore: ICLEI\n  reason: r\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICLEI 20週年", "iclei20周年"),
        ("COP 15", "cop15"),
        ("Resilient  Cities 2011", "resilient cities2011"),
        ("第 16 屆", "第16屆"),
        (" a b ", "a b"),
    ],
)
def test_compact_drops_spaces_that_separate_no_two_latin_words(text: str, expected: str) -> None:
    from lowcarbon.link.text import compact

    out, where = compact(fold(text))
    assert out == expected
    assert [fold(text)[k] for k in where] == list(out)


def test_tolerant_matching_finds_spacing_and_variant_characters(pipe: Pipeline) -> None:
    """周/週 and spaces between scripts do not hide a catalog name; offsets stay the body's."""
    from lowcarbon.link.mentions import alias_table, find_mentions

    table = alias_table(pipe.catalog)
    for body in ("參加ICLEI 20周年年會", "參加 ICLEI20 週年年會"):
        found = [(m.entity.id, body[m.start : m.end]) for m in find_mentions(body, table)]
        assert ("iclei-incheon-congress-2010", body[2:].strip()) in found, found
    # a Latin alias still never matches inside a Latin word, spaces or not
    assert not [m for m in find_mentions("CDPX", table) if m.entity.id == "cdp"]
