"""The network files: GraphML, GEXF, node-link JSON, CSV tables (described in the data package).

Every writer gives the same bytes on every run: nodes and edges in sorted order, floats
rounded, the GEXF without networkx's date stamp.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from lowcarbon.export.plain import Column, Table, json_bytes, to_csv
from lowcarbon.network.analysis import Network
from lowcarbon.network.model import TARGET_KINDS

__all__ = ["gexf", "graph_files", "graphml", "network_tables", "node_link", "sorted_graph"]

_FOLDER = "network"
#: The path of the metrics under exports/ (what `lowcarbon analyze -f json` prints).
METRICS_JSON = f"{_FOLDER}/metrics.json"


def sorted_graph(g: nx.Graph) -> nx.Graph:
    """A copy with nodes, edge ends and edges in sorted order (what the writers iterate)."""
    out = nx.Graph()
    out.graph.update(g.graph)
    out.add_nodes_from(sorted(g.nodes(data=True)))
    out.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in g.edges(data=True)))
    return out


def _keys(items: Iterable[dict[str, Any]], skip: tuple[str, ...] = ()) -> dict[str, type]:
    """Attribute name -> Python type, names sorted; one type per name or ValueError."""
    types: dict[str, type] = {}
    for d in items:
        for k, v in d.items():
            if k in skip:
                continue
            t = type(v)
            if types.setdefault(k, t) is not t:
                raise ValueError(f"attribute {k!r} is both {types[k].__name__} and {t.__name__}")
    return dict(sorted(types.items()))


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


_GRAPHML_TYPE = {bool: "boolean", int: "long", float: "double", str: "string"}
_GEXF_TYPE = {bool: "boolean", int: "long", float: "double", str: "string"}


def graphml(g: nx.Graph) -> bytes:
    """GraphML (UTF-8, indented), nodes and edges sorted; what ``nx.read_graphml`` reads back.

    Written as text in one pass (networkx's writer builds a tree: 20x slower at scale).
    """
    g = sorted_graph(g)
    nkeys = _keys(d for _, d in g.nodes(data=True))
    ekeys = _keys(d for *_, d in g.edges(data=True))
    ids = {("node", k): f"d{i}" for i, k in enumerate(nkeys)}
    ids.update({("edge", k): f"d{i + len(nkeys)}" for i, k in enumerate(ekeys)})
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for where, keys in (("node", nkeys), ("edge", ekeys)):
        for k, t in keys.items():
            out.append(f'  <key id="{ids[(where, k)]}" for="{where}" attr.name={quoteattr(k)} '
                       f'attr.type="{_GRAPHML_TYPE[t]}" />')  # fmt: skip
    out.append('  <graph edgedefault="undirected">')
    for n, d in g.nodes(data=True):
        out.append(f"    <node id={quoteattr(n)}>")
        out += [f'      <data key="{ids[("node", k)]}">{escape(_value(v))}</data>'
                for k, v in sorted(d.items())]  # fmt: skip
        out.append("    </node>")
    for a, b, d in g.edges(data=True):
        out.append(f"    <edge source={quoteattr(a)} target={quoteattr(b)}>")
        out += [f'      <data key="{ids[("edge", k)]}">{escape(_value(v))}</data>'
                for k, v in sorted(d.items())]  # fmt: skip
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def gexf(g: nx.Graph) -> bytes:
    """GEXF 1.2 for Gephi (node ``label``, edge ``weight`` as GEXF's own), no date stamp.

    What ``nx.read_gexf`` reads back, written as text in one pass.
    """
    g = sorted_graph(g)
    nkeys = _keys((d for _, d in g.nodes(data=True)), skip=("label",))
    ekeys = _keys((d for *_, d in g.edges(data=True)), skip=("weight",))
    nid = {k: str(i) for i, k in enumerate(nkeys)}
    eid = {k: str(i + len(nkeys)) for i, k in enumerate(ekeys)}
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
        "  <meta>",
        "    <creator>lowcarbon</creator>",
        "  </meta>",
        '  <graph defaultedgetype="undirected" mode="static" name="">',
    ]
    for cls, keys, ids in (("node", nkeys, nid), ("edge", ekeys, eid)):
        out.append(f'    <attributes mode="static" class="{cls}">')
        out += [f'      <attribute id="{ids[k]}" title={quoteattr(k)} type="{_GEXF_TYPE[t]}" />'
                for k, t in keys.items()]  # fmt: skip
        out.append("    </attributes>")

    def values(d: dict[str, Any], ids: dict[str, str]) -> list[str]:
        vals = [f'          <attvalue for="{ids[k]}" value={quoteattr(_value(v))} />'
                for k, v in sorted(d.items()) if k in ids]  # fmt: skip
        return ["        <attvalues>", *vals, "        </attvalues>"] if vals else []

    out.append("    <nodes>")
    for n, d in g.nodes(data=True):
        label = quoteattr(str(d.get("label", n)))
        out += [f"      <node id={quoteattr(n)} label={label}>", *values(d, nid), "      </node>"]
    out += ["    </nodes>", "    <edges>"]
    for i, (a, b, d) in enumerate(g.edges(data=True)):
        w = f' weight="{d["weight"]}"' if "weight" in d else ""
        out.append(f'      <edge source={quoteattr(a)} target={quoteattr(b)} id="{i}"{w}>')
        out += [*values(d, eid), "      </edge>"]
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out).encode("utf-8")


def node_link(g: nx.Graph) -> bytes:
    """Node-link JSON of networkx (``nodes`` and ``edges``), keys sorted."""
    data = nx.node_link_data(sorted_graph(g), edges="edges")
    return json_bytes(data)


# --- the tables ------------------------------------------------------------------------------


def _c(name: str, en: str, zh: str, about: str, datatype: str = "string", **kw: Any) -> Column:
    return Column(name, en, zh, about, datatype, **kw)


_ID = _c("id", "Identifier", "識別碼", "The row's id.", required=True)
_IRI = _c("iri", "IRI", "IRI", "The IRI in the RDF exports.", "anyURI", required=True)
_EN = _c("label_en", "English label", "英文名稱", "Preferred label, English.", required=True)
_ZH = _c("label_zh", "Chinese label", "中文名稱", "Preferred label, Traditional Chinese.",
         required=True)  # fmt: skip
_BOOL = "boolean"


_KIND_ZH = {"organization": "組織", "declaration": "宣言", "event": "活動", "programme": "計畫"}


def _kind_columns() -> list[Column]:
    cols = []
    for kind in TARGET_KINDS:
        cols.append(_c(f"shared_{kind}", f"Shared {kind}s", f"共同{_KIND_ZH[kind]}數",
                       f"Number of shared {kind}s.", "integer", required=True))  # fmt: skip
    for kind in TARGET_KINDS:
        cols.append(_c(f"weight_{kind}", f"Weight ({kind}s)", f"{_KIND_ZH[kind]}權重",
                       f"Newman weight of the shared {kind}s.", "decimal",
                       required=True))  # fmt: skip
    return cols


def _tables() -> tuple[Table, ...]:
    city: dict[str, Any] = {"references": "cities", "required": True}
    nodes = (
        _ID, _IRI,
        _c("kind", "Kind", "種類", "city, organization, declaration, event or programme.",
           required=True),
        _EN, _ZH,
        _c("links", "Counted links", "計入連結數", "Cities (for a target) or targets (for a city) "
           "linked by counted statements.", "integer", required=True),
    )  # fmt: skip
    edges = (
        _ID,
        _c("city", "City", "縣市", "City id.", **city),
        _c("target", "Target", "對象", "Target id (nodes.csv).", required=True),
        _c("target_kind", "Target kind", "對象種類", "organization, declaration, event, "
           "programme.", required=True),
        _c("counted", "Counted", "計入", "Whether a counted statement links them (done, of a "
           "co-participation kind).", _BOOL, required=True),
        _c("year", "First year", "首年", "First year of a counted statement.", "integer"),
        _c("kinds", "Statement kinds", "陳述種類", "Kinds of the statements.", required=True,
           separator=";"),
        _c("status", "Statuses", "狀態", "done, applied, planned.", required=True, separator=";"),
        _c("roles", "Roles", "角色", "Role concepts.", separator=";"),
        _c("dates", "Dates", "日期", "Start dates of the statements, as in the RDF."),
        _c("statements", "Statements", "陳述", "Statement IRIs.", required=True, separator=";"),
        _c("items", "Source items", "來源項目", "Source item IRIs.", separator=";"),
    )  # fmt: skip
    city_edges = (
        _ID,
        _c("city_a", "City A", "縣市甲", "City id (the smaller).", **city),
        _c("city_b", "City B", "縣市乙", "City id (the larger).", **city),
        _c("shared_count", "Shared", "共同數", "Number of targets both are linked to.",
           "integer", required=True),
        _c("weight", "Weight", "權重", "Newman weight: the sum of 1/(k−1) over the shared "
           "targets, k their numbers of cities.", "decimal", required=True),
        *_kind_columns(),
        _c("first_year", "First year", "首年", "First year they shared a target.", "integer",
           required=True),
        _c("backbone", "Backbone", "骨幹", "In the disparity-filter backbone.", _BOOL,
           required=True),
        _c("shared", "Shared targets", "共同對象", "Target ids.", required=True, separator=";"),
    )  # fmt: skip
    metrics = (
        _c("id", "City", "縣市", "City id.", **city),
        _IRI, _EN, _ZH,
        _c("targets", "Targets", "對象數", "Targets linked by counted statements.", "integer",
           required=True),
        _c("degree", "Degree", "度", "Cities it shares a target with.", "integer",
           required=True),
        _c("shared_total", "Weighted degree", "加權度", "Sum of shared counts over its pairs.",
           "integer", required=True),
        _c("strength", "Newman strength", "Newman強度", "Sum of Newman weights: its targets "
           "shared with another city.", "decimal", required=True),
        _c("betweenness", "Betweenness", "中介中心性", "Normalised, hops (metrics.json says "
           "exact or sampled).", "decimal", required=True),
        _c("closeness", "Closeness", "接近中心性", "Wasserman–Faust, hops.", "decimal",
           required=True),
        _c("eigenvector", "Eigenvector", "特徵向量中心性", "On Newman weights; empty outside "
           "the largest component.", "decimal"),
        _c("community", "Community", "社群", "Louvain community number (1 the largest).",
           "integer", required=True),
    )  # fmt: skip

    def table(name: str, en: str, zh: str, about: str, cols: tuple[Column, ...]) -> Table:
        url = "{+iri}" if cols[1].name == "iri" else "#{id}"
        return Table(name, en, zh, about, url, cols, folder=_FOLDER, suppress=True)

    return (
        table("nodes", "Network nodes", "網絡節點", "Cities and their targets.", nodes),
        table("edges", "Two-mode edges", "二分網絡邊", "A city and a target with statements.",
              edges),
        table("city-edges", "City pairs", "縣市配對", "Cities sharing targets.", city_edges),
        table("city-metrics", "City metrics", "縣市指標", "Centralities and community per city.",
              metrics),
    )  # fmt: skip


def _cell(v: object) -> object:
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _csv(t: Table, rows: Iterable[dict[str, object]]) -> bytes:
    names = [c.name for c in t.columns]
    return to_csv(names, ([_cell(r.get(n)) for n in names] for r in rows)).encode("utf-8")


def network_tables(net: Network) -> list[tuple[Table, bytes]]:
    """The four CSV tables of the network with their descriptions, in publication order."""
    nodes_t, edges_t, pairs_t, metrics_t = _tables()
    b, g = net.bipartite, net.cities
    nodes = [
        {"id": n, **{k: d[k] for k in ("iri", "kind", "label_en", "label_zh")},
         "links": d["degree_counted"]}
        for n, d in sorted(b.nodes(data=True))
    ]  # fmt: skip
    edges = []
    for u, v, d in b.edges(data=True):
        c, t = (u, v) if b.nodes[u]["bipartite"] == 0 else (v, u)
        edges.append({"id": f"{c}--{t}", "city": c, "target": t,
                      "target_kind": b.nodes[t]["kind"], **d})  # fmt: skip
    edges.sort(key=lambda r: (r["city"], r["target"]))
    pairs = [
        {"id": f"{a}--{c}", "city_a": a, "city_b": c, **d}
        for a, c, d in sorted((min(a, c), max(a, c), d) for a, c, d in g.edges(data=True))
    ]
    metrics = [{"id": c, **{k: g.nodes[c][k] for k in ("iri", "label_en", "label_zh")}, **row}
               for c, row in net.metrics.cities.items()]  # fmt: skip
    return [
        (nodes_t, _csv(nodes_t, nodes)),
        (edges_t, _csv(edges_t, edges)),
        (pairs_t, _csv(pairs_t, pairs)),
        (metrics_t, _csv(metrics_t, metrics)),
    ]


def graph_files(net: Network, tables: Sequence[tuple[Table, bytes]]) -> dict[str, bytes]:
    """``network/*``: both graphs in GraphML, GEXF and node-link JSON, the tables, metrics.json."""
    files: dict[str, bytes] = {}
    for name, g in (("bipartite", net.bipartite), ("cities", net.cities)):
        files[f"{_FOLDER}/{name}.graphml"] = graphml(g)
        files[f"{_FOLDER}/{name}.gexf"] = gexf(g)
        files[f"{_FOLDER}/{name}.json"] = node_link(g)
    for t, data in tables:
        files[t.path] = data
    files[METRICS_JSON] = json_bytes({"parameters": net.parameters, **net.metrics.summary})
    return files
