"""network.md: the findings of the network in sentences with their numbers, English and Chinese."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from lowcarbon.export.registry import NETWORK_REPORT
from lowcarbon.network.analysis import Network
from lowcarbon.network.graphs import YearSlice
from lowcarbon.network.model import CO_KINDS
from lowcarbon.vocab import statement_kind

__all__ = ["FIGURES", "findings", "network_md", "report_files"]

#: The figures network.md shows: (file stem, English caption, Chinese caption).
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("bipartite", "Cities and what they joined, signed and attended",
     "縣市與其加入、簽署、參與的對象"),
    ("cities", "Cities linked by what they share (Newman weight)",
     "縣市共同參與網絡（Newman 權重）"),
    ("timeline", "Each city's memberships and participations by year", "各縣市逐年會籍與參與"),
    ("matrix", "Which city took part in which event", "縣市與活動矩陣"),
)  # fmt: skip

_KIND_EN = {"organization": "organizations", "declaration": "declarations", "event": "events",
            "programme": "programmes"}  # fmt: skip
_KIND_ZH = {"organization": "組織", "declaration": "宣言", "event": "活動", "programme": "計畫"}


def _f(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if x else "0"


def _growth(years: Sequence[YearSlice]) -> tuple[YearSlice | None, int]:
    best, gain, prev = None, 0, 0
    for y in years:
        if y.edges - prev > gain:
            best, gain = y, y.edges - prev
        prev = y.edges
    return best, gain


def findings(net: Network) -> dict[str, Any]:
    """The numbers the sentences state, for the tests and for both languages."""
    d, m, g = net.data, net.metrics, net.cities
    counted = d.links_for()
    not_done = [s for s in d.links if s.status != "done"]
    uncounted_kind = [s for s in d.links if s.status == "done" and not s.counted]
    kinds = Counter(d.targets[t].kind for t in net.projection.members)
    rows = m.cities
    top = sorted(rows, key=lambda c: (-rows[c]["strength"], -rows[c]["degree"], c))[0]
    pairs = sorted(((min(a, b), max(a, b), e) for a, b, e in g.edges(data=True)),
                   key=lambda p: (-p[2]["weight"], -p[2]["shared_count"], p[0], p[1]))  # fmt: skip
    pair = pairs[0] if pairs else None
    events = [h for h in _ranked_targets(net) if d.targets[h["id"]].kind == "event"][:3]
    best, gain = _growth(net.years)
    return {
        "cities": len(d.cities),
        "active": len({s.city for s in counted}),
        "targets": dict(sorted(kinds.items())),
        "counted": len(counted),
        "not_done": len(not_done),
        "uncounted_kinds": dict(sorted(Counter(s.kind for s in uncounted_kind).items())),
        "top": top,
        "top_row": rows[top],
        "pair": pair,
        "hub": m.summary["hubs"][0] if m.summary["hubs"] else None,
        "events": events,
        "edges": g.number_of_edges(),
        "possible": len(d.cities) * (len(d.cities) - 1) // 2,
        "growth": (best, gain),
        "first": next((y for y in net.years if y.cities), None),
        "last": net.years[-1] if net.years else None,
    }


def _ranked_targets(net: Network) -> list[dict[str, Any]]:
    members = net.projection.members
    ranked = sorted(members, key=lambda t: (-len(members[t]), t))
    return [{"id": t, "cities": sorted(members[t])} for t in ranked]


def _names(net: Network, ids: Sequence[str], lang: str) -> str:
    labels = [net.data.node(i).label_en if lang == "en" else net.data.node(i).label_zh
              for i in ids]  # fmt: skip
    if lang == "zh":
        return "、".join(labels)
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _en(net: Network, f: dict[str, Any]) -> list[str]:
    d, s = net.data, net.metrics.summary
    top, row = d.cities[f["top"]], f["top_row"]
    kinds = ", ".join(f"{n} {_KIND_EN[k]}" for k, n in f["targets"].items())
    out = [
        f"- {f['active']} of {f['cities']} cities are linked to {sum(f['targets'].values())} "
        f"targets ({kinds}) by {f['counted']} done statements in {d.period[0]}–{d.period[1]}. "
        f"{f['not_done']} plans and applications"
        + "".join(
            f" and {n} {statement_kind(k).heading[0].lower()}"
            for k, n in f["uncounted_kinds"].items()
        )
        + " are kept in the two-mode network but not counted.",
        f"- The most connected city is {top.label_en}: linked to {row['targets']} targets, it "
        f"shares at least one with {row['degree']} of the {f['cities'] - 1} other cities; its "
        f"Newman strength is {_f(row['strength'])} and its weighted degree {row['shared_total']}.",
    ]
    if f["pair"]:
        a, b, e = f["pair"]
        out.append(
            f"- {d.cities[a].label_en} and {d.cities[b].label_en} share the most: "
            f"{e['shared_count']} targets ({_names(net, e['shared'].split(';'), 'en')}), "
            f"Newman weight {_f(e['weight'])}."
        )
    if f["hub"]:
        h = f["hub"]
        out.append(
            f"- The hub is {h['label_en']}: {h['cities']} cities ({_f(100 * h['share'], 1)} % of "
            f"the active ones); for {h['only_tie_pairs']} of the {f['edges']} linked pairs it is "
            "the only thing they share."
        )
    if f["events"]:
        parts = [f"{d.targets[e['id']].label_en} ({len(e['cities'])} cities: "
                 f"{_names(net, e['cities'], 'en')})" for e in f["events"]]  # fmt: skip
        out.append("- The events that bring the most cities together: " + "; ".join(parts) + ".")
    comm = s["communities"]
    out.append(
        f"- {f['edges']} of the {f['possible']} possible pairs are linked (density "
        f"{_f(s['density'])}); Louvain finds {comm['count']} communities (modularity "
        f"{_f(comm['modularity'])}); the backbone keeps {s['backbone']['edges']} edges."
    )
    iso = s["isolates"]
    out.append(
        "- No city is isolated."
        if not iso
        else f"- Isolated: {_names(net, [i['id'] for i in iso], 'en')}."
    )
    first, last, (best, gain) = f["first"], f["last"], f["growth"]
    if first and last:
        out.append(
            f"- Growth: at the end of {first.year}, {first.cities} cities and {first.edges} "
            f"pairs; by {last.year}, {last.cities} cities, {last.edges} pairs, the largest "
            f"component {last.largest_component} cities."
            + (f" The network grew most in {best.year} (+{gain} pairs)." if best else "")
        )
    return out


def _zh(net: Network, f: dict[str, Any]) -> list[str]:
    d, s = net.data, net.metrics.summary
    top, row = d.cities[f["top"]], f["top_row"]
    kinds = "、".join(f"{_KIND_ZH[k]} {n} 個" for k, n in f["targets"].items())
    out = [
        f"- {d.period[0]}–{d.period[1]} 年間，{f['cities']} 個縣市中有 {f['active']} 個以 "
        f"{f['counted']} 筆已完成的陳述連結到 {sum(f['targets'].values())} 個對象（{kinds}）。"
        f"{f['not_done']} 筆計畫與申請"
        + "".join(
            f"及 {n} 筆{statement_kind(k).heading[1]}" for k, n in f["uncounted_kinds"].items()
        )
        + "保留在二分網絡中，但不計入指標。",
        f"- 連結最多的縣市是{top.label_zh}：連結 {row['targets']} 個對象，與其他 "
        f"{f['cities'] - 1} 個縣市中的 {row['degree']} 個至少共享一項；Newman 強度 "
        f"{_f(row['strength'])}，加權度 {row['shared_total']}。",
    ]
    if f["pair"]:
        a, b, e = f["pair"]
        out.append(
            f"- {d.cities[a].label_zh}與{d.cities[b].label_zh}共享最多：{e['shared_count']} 項"
            f"（{_names(net, e['shared'].split(';'), 'zh')}），Newman 權重 {_f(e['weight'])}。"
        )
    if f["hub"]:
        h = f["hub"]
        out.append(
            f"- 樞紐是{h['label_zh']}：{h['cities']} 個縣市（活躍縣市的 "
            f"{_f(100 * h['share'], 1)} %）；在 {f['edges']} 對相連的縣市中，有 "
            f"{h['only_tie_pairs']} 對只共享這一項。"
        )
    if f["events"]:
        parts = [f"{d.targets[e['id']].label_zh}（{len(e['cities'])} 個縣市："
                 f"{_names(net, e['cities'], 'zh')}）" for e in f["events"]]  # fmt: skip
        out.append("- 聚集最多縣市的活動：" + "；".join(parts) + "。")
    comm = s["communities"]
    out.append(
        f"- {f['possible']} 對可能的縣市配對中有 {f['edges']} 對相連（密度 {_f(s['density'])}）；"
        f"Louvain 分出 {comm['count']} 個社群（模組度 {_f(comm['modularity'])}）；骨幹保留 "
        f"{s['backbone']['edges']} 條邊。"
    )
    iso = s["isolates"]
    out.append(
        "- 沒有孤立的縣市。"
        if not iso
        else f"- 孤立縣市：{_names(net, [i['id'] for i in iso], 'zh')}。"
    )
    first, last, (best, gain) = f["first"], f["last"], f["growth"]
    if first and last:
        out.append(
            f"- 成長：{first.year} 年底有 {first.cities} 個縣市、{first.edges} 對；"
            f"到 {last.year} 年，{last.cities} 個縣市、{last.edges} 對，"
            f"最大連通元件 {last.largest_component} 個縣市。"
            + (f"成長最多的是 {best.year} 年（增加 {gain} 對）。" if best else "")
        )
    return out


def _years_table(net: Network) -> list[str]:
    lines = [
        "| year 年 | cities 縣市 | targets 對象 | links 連結 | pairs 配對 | density 密度 "
        "| largest component 最大元件 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for y in net.years:
        lines.append(f"| {y.year} | {y.cities} | {y.targets} | {y.links} | {y.edges} | "
                     f"{_f(y.density)} | {y.largest_component} |")  # fmt: skip
    return lines


def network_md(net: Network, *, figures: bool = True) -> str:
    """The findings page: English, Chinese, growth by year, how it was computed, the figures."""
    f = findings(net)
    s = net.metrics.summary
    how = s["betweenness"]
    exact = (
        "exact"
        if how["method"] == "exact"
        else f"sampled from {how['sources']} sources (seed {how['seed']})"
    )
    lines = [
        "# The co-participation network / 共同參與網絡",
        "",
        "Generated by `lowcarbon build` from the published graph; numbers from `metrics.json`.",
        "",
        "## Findings",
        "",
        *_en(net, f),
        "",
        "## 發現",
        "",
        *_zh(net, f),
        "",
        "## Growth by year / 逐年成長",
        "",
        "The cumulative network at the end of each year, from the statement dates "
        "(累計至各年年底，依陳述日期).",
        "",
        *_years_table(net),
        "",
        "## How it is computed / 計算方式",
        "",
        "- Counted: done statements of the kinds "
        + ", ".join(sorted(CO_KINDS))
        + "; an undated one enters in the period's last year.",
        "- Pair weight: the raw number of shared targets, and Newman's 1/(k−1) summed over them "
        "(k: the number of cities of the target), so a hub everybody shares weighs little.",
        f"- Backbone: the disparity filter at α = {net.parameters['backbone_alpha']}.",
        f"- Betweenness and closeness in hops, {exact}; eigenvector centrality on the Newman "
        "weights in the largest component; Louvain communities with a fixed seed.",
    ]
    if s["folded_hubs"]:
        lines.append(
            f"- Folded hubs (their pairs not spelled out, over {net.parameters['max_pairs']:,} "
            "pair contributions): " + ", ".join(s["folded_hubs"][:20]) + "."
        )
    if figures:
        lines += ["", "## Figures / 圖", ""]
        for stem, en, zh in FIGURES:
            lines.append(f"![{en} / {zh}](figures/{stem}.png)")
            lines.append("")
        lines.pop()
    return "\n".join(lines) + "\n"


def report_files(net: Network, *, figures: bool = True) -> dict[str, bytes]:
    """``network/network.md``."""
    return {NETWORK_REPORT: network_md(net, figures=figures).encode("utf-8")}
