"""Figures of the network, PNG and SVG, byte-identical on every run, Chinese labels as characters.

matplotlib draws without pyplot (one ``Figure`` per drawing, no global state), with fixed
layout seeds, a fixed SVG hash salt and no dates in the files. The CJK font is looked up in
matplotlib's font list (Debian: ``fonts-noto-cjk``); without one the labels fall back to
English with a :class:`NoCJKFontWarning`, never to boxes.
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from collections.abc import Sequence

import matplotlib as mpl
import networkx as nx
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from lowcarbon.network.analysis import Network
from lowcarbon.network.graphs import ordered_subgraph
from lowcarbon.network.model import Node
from lowcarbon.vocab import ENTITY_KINDS, STATEMENT_KINDS

__all__ = ["CJK_FAMILIES", "NoCJKFontWarning", "figure_files", "find_cjk_font"]

#: Font families tried in order for Chinese labels (Traditional first).
CJK_FAMILIES = (
    "Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans CJK JP", "Noto Sans CJK SC",
    "Noto Sans CJK KR", "Source Han Sans TC", "Source Han Sans", "Noto Serif CJK TC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing TW", "Droid Sans Fallback",
)  # fmt: skip
_SEED = 13
_DPI = 150
_MAX_CITIES = 40  # larger networks: the most connected cities only (the files hold them all)
_MAX_TARGETS = 60
#: a colour per entity kind, in the order of vocab.ENTITY_KINDS (city, organization, …)
_KIND_COLOR = dict(
    zip((k.name for k in ENTITY_KINDS), ("#1f4e79", "#2e8b57", "#c0392b", "#e67e22", "#8e44ad"),
        strict=False)
)  # fmt: skip
#: a marker per statement kind, in the order of vocab.STATEMENT_KINDS
_KIND_MARKER = dict(zip((k.segment for k in STATEMENT_KINDS), "sDo^v*", strict=False))


class NoCJKFontWarning(UserWarning):
    """No font with Chinese characters was found: the figures are labelled in English."""


def _known_cjk() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    return next((n for n in sorted(names) if "CJK" in n), None)


def find_cjk_font() -> str | None:
    """The first of :data:`CJK_FAMILIES` matplotlib knows, else any family named CJK.

    A font installed after matplotlib cached its font list is found too: on a miss the
    system's font files named CJK are added to the list.
    """
    found = _known_cjk()
    if found is None:
        for path in sorted(font_manager.findSystemFonts()):
            if "CJK" in path.rsplit("/", 1)[-1]:
                font_manager.fontManager.addfont(path)
        found = _known_cjk()
    return found


def _short(text: str, limit: int = 30) -> str:
    head = text.split(" – ")[0].split(" (")[0]
    return head if len(head) <= limit else head[: limit - 1] + "…"


class _Labels:
    def __init__(self, font: str | None) -> None:
        self.zh = font is not None

    def city(self, n: Node) -> str:
        en = n.label_en.removesuffix(" City").removesuffix(" County")
        return f"{n.label_zh} {en}" if self.zh else n.label_en

    def target(self, n: Node) -> str:
        return _short(n.label_en)


def _png(fig: Figure) -> bytes:
    """The figure as an RGB PNG: the figure is opaque, so no alpha channel to store."""
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=_DPI)  # Agg's pixels, the figure's size at _DPI
    size = fig.canvas.get_width_height(physical=True)
    image = Image.frombytes("RGBA", size, raw.getvalue()).convert("RGB")
    info = PngInfo()
    info.add_text("Software", "lowcarbon")
    buf = io.BytesIO()
    # level 3: the smallest files of these drawings, faster than zlib's default 6
    image.save(buf, format="png", pnginfo=info, dpi=(_DPI, _DPI), compress_level=3)
    return buf.getvalue()


def _save(fig: Figure, stem: str) -> dict[str, bytes]:
    """The PNG and the SVG of ``fig``, laid out once (at the PNG's resolution) for both.

    The figure's canvas is Agg's, so that the layout and the PNG use one renderer and its
    cache of text sizes; the SVG is written by a canvas of its own, as savefig does.
    """
    FigureCanvasAgg(fig)
    fig.set_dpi(_DPI)
    engine = fig.get_layout_engine()
    if engine is not None:  # else savefig would lay the figure out again for each file
        engine.execute(fig)
        fig.set_layout_engine(None)  # no engine: rc figure.autolayout and constrained are off
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", dpi=_DPI, metadata={"Date": None, "Creator": "lowcarbon"})
    return {f"network/figures/{stem}.png": _png(fig), f"network/figures/{stem}.svg": svg.getvalue()}


def _top_cities(net: Network) -> list[str]:
    rows = net.metrics.cities
    ranked = sorted(rows, key=lambda c: (-rows[c]["strength"], -rows[c]["targets"], c))
    return ranked[:_MAX_CITIES]


def _top_targets(net: Network, kinds: Sequence[str] | None = None) -> list[str]:
    members = net.projection.members
    ts = [t for t in net.data.targets if kinds is None or net.data.targets[t].kind in kinds]
    shown = {c for c in _top_cities(net)}
    ranked = sorted(ts, key=lambda t: (-len(set(members.get(t, ())) & shown), t))
    return [t for t in ranked if net.bipartite.degree(t)][:_MAX_TARGETS]


def _bipartite(net: Network, lab: _Labels) -> Figure:
    cities = _top_cities(net)
    targets = _top_targets(net)
    b = net.bipartite
    ypos = {c: -i for i, c in enumerate(cities)}

    def barycentre(t: str) -> tuple[int, float, str]:
        ys = [ypos[c] for c in b.neighbors(t) if c in ypos]
        kind = ("organization", "declaration", "event", "programme").index(b.nodes[t]["kind"])
        return (kind, -sum(ys) / len(ys) if ys else 0.0, t)

    targets.sort(key=barycentre)
    scale = (len(cities) - 1) / max(len(targets) - 1, 1)
    pos = {c: (0.0, float(ypos[c])) for c in cities}
    pos.update({t: (1.0, -i * scale) for i, t in enumerate(targets)})
    fig = Figure(figsize=(11, max(6.0, 0.2 * len(targets) + 1)), layout="constrained")
    ax = fig.add_subplot()
    lines: dict[bool, list[tuple[tuple[float, float], tuple[float, float]]]] = {True: [], False: []}
    for c, t, d in sorted(b.edges(data=True)):
        if c in pos and t in pos:
            lines[bool(d["counted"])].append((pos[c], pos[t]))
    ax.add_collection(LineCollection(lines[True], colors="#7f8c8d", lw=0.9, alpha=0.7, zorder=1))
    ax.add_collection(LineCollection(lines[False], colors="#e74c3c", lw=1.2, alpha=0.8,
                                     linestyles=":", zorder=1))  # fmt: skip
    order = sorted(pos)
    ax.scatter([pos[n][0] for n in order], [pos[n][1] for n in order], s=60, zorder=2,
               color=[_KIND_COLOR[net.data.node(n).kind] for n in order])  # fmt: skip
    for n, (x, y) in pos.items():
        node = net.data.node(n)
        text = lab.city(node) if x == 0 else lab.target(node)
        ax.annotate(text, (x, y), xytext=(-8 if x == 0 else 8, 0), textcoords="offset points",
                    ha="right" if x == 0 else "left", va="center", fontsize=8)  # fmt: skip
    handles = [Line2D([], [], marker="o", ls="", color=c, label=k) for k, c in _KIND_COLOR.items()]
    handles += [
        Line2D([], [], ls="-", color="#7f8c8d", label="done (counted)"),
        Line2D([], [], ls=":", color="#e74c3c", label="planned, applied or visit"),
    ]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=8,
              frameon=False)  # fmt: skip
    ax.set_xlim(-0.9, 1.9)
    ax.axis("off")
    return fig


def _cities(net: Network, lab: _Labels) -> Figure:
    shown = _top_cities(net)
    g = ordered_subgraph(net.cities, shown)
    if len(net.cities) > _MAX_CITIES:  # large networks: the backbone only
        g.remove_edges_from([(a, b) for a, b, k in g.edges(data="backbone") if not k])
    pos = nx.spring_layout(g, weight="weight", seed=_SEED, k=1.5 / max(len(g), 1) ** 0.5)
    fig = Figure(figsize=(9, 8), layout="constrained")
    ax = fig.add_subplot()
    top = max((w for *_, w in g.edges(data="weight")), default=1.0)
    edges = sorted(g.edges(data=True), key=lambda e: (e[2]["backbone"], e[0], e[1]))
    ax.add_collection(LineCollection(
        [(pos[a], pos[b]) for a, b, _ in edges],
        linewidths=[0.6 + 6 * d["weight"] / top for *_, d in edges],
        colors=["#1f4e79" if d["backbone"] else "#95a5a6" for *_, d in edges],
        alpha=0.8, zorder=1,
    ))  # fmt: skip
    cmap = mpl.colormaps["tab10"]
    order = sorted(g)
    rows = net.metrics.cities
    ax.scatter([pos[n][0] for n in order], [pos[n][1] for n in order],
               s=[80 + 25 * rows[n]["targets"] for n in order],
               color=[cmap((rows[n]["community"] - 1) % 10) for n in order],
               edgecolors="white", zorder=2)  # fmt: skip
    for n in order:
        x, y = pos[n]
        ax.annotate(lab.city(net.data.cities[n]), (x, y), xytext=(0, 12),
                    textcoords="offset points", ha="center", fontsize=9)  # fmt: skip
    ax.set_title("Newman weight: line width; backbone (disparity filter) dark; colour: "
                 "community; size: targets", fontsize=9)  # fmt: skip
    ax.margins(0.15)
    ax.axis("off")
    return fig


def _timeline(net: Network, lab: _Labels) -> Figure:
    cities = _top_cities(net)
    first, last = net.data.period
    rows = {c: i for i, c in enumerate(cities)}
    fig = Figure(figsize=(10, 1.2 + 0.45 * len(cities)), layout="constrained")
    ax = fig.add_subplot()
    slot: dict[tuple[str, int], int] = defaultdict(int)
    marks: dict[tuple[str, str, bool], list[tuple[float, float]]] = defaultdict(list)
    for s in net.data.links:
        if s.city not in rows:
            continue
        year = s.year if s.year is not None else last
        i = slot[(s.city, year)]
        slot[(s.city, year)] += 1
        x = year + 0.1 + (i % 8) * 0.1
        y = rows[s.city] + (0.18 if i >= 8 else 0) - 0.09
        marks[(s.kind, net.data.targets[s.target].kind, s.status == "done")].append((x, y))
    for (kind, target_kind, filled), xy in sorted(marks.items()):
        color = _KIND_COLOR[target_kind]
        ax.scatter([p[0] for p in xy], [p[1] for p in xy], marker=_KIND_MARKER.get(kind, "o"),
                   s=36, facecolors=color if filled else "none", edgecolors=color,
                   zorder=2)  # fmt: skip
    ax.set_yticks(range(len(cities)), [lab.city(net.data.cities[c]) for c in cities], fontsize=9)
    ax.set_ylim(len(cities) - 0.5, -0.5)
    ax.set_xticks(
        [y + 0.5 for y in range(first, last + 1)], [str(y) for y in range(first, last + 1)]
    )
    ax.set_xlim(first, last + 1)
    for y in range(first, last + 2):
        ax.axvline(y, color="#dddddd", lw=0.6, zorder=0)
    handles = [Line2D([], [], marker=m, ls="", color="#555555", label=k)
               for k, m in _KIND_MARKER.items()]  # fmt: skip
    handles.append(Line2D([], [], marker="o", ls="", mfc="none", color="#555555",
                          label="planned / applied"))  # fmt: skip
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=7, fontsize=8,
              frameon=False)  # fmt: skip
    return fig


def _matrix(net: Network, lab: _Labels) -> Figure:
    cities = _top_cities(net)
    events = _top_targets(net, ("event",))
    b = net.bipartite
    fig = Figure(figsize=(2.5 + 0.28 * len(events), 1.8 + 0.4 * len(cities)),
                 layout="constrained")  # fmt: skip
    ax = fig.add_subplot()
    cells: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for j, e in enumerate(events):
        for i, c in enumerate(cities):
            if b.has_edge(c, e):
                cells[bool(b.edges[c, e]["counted"])].append((j, i))
    for counted, ji in cells.items():
        ax.scatter([p[0] for p in ji], [p[1] for p in ji], marker="s", s=90, zorder=2,
                   color="#e67e22" if counted else "none", edgecolors="#e67e22")  # fmt: skip
    ax.set_xticks(range(len(events)), [lab.target(net.data.targets[e]) for e in events],
                  rotation=60, ha="right", fontsize=7)  # fmt: skip
    ax.set_yticks(range(len(cities)), [lab.city(net.data.cities[c]) for c in cities], fontsize=9)
    ax.set_xlim(-0.5, len(events) - 0.5)
    ax.set_ylim(len(cities) - 0.5, -0.5)
    ax.grid(True, color="#eeeeee", zorder=0)
    ax.set_title(
        "Events (filled: attended or hosted; open: planned, or a visit received)", fontsize=9
    )
    return fig


def figure_files(net: Network, *, font: str | None = None, find: bool = True) -> dict[str, bytes]:
    """``network/figures/*.png`` and ``*.svg``: bipartite, cities, timeline, matrix.

    ``font``: a CJK family to use; by default :func:`find_cjk_font` (``find``) picks one.
    """
    if font is None and find:
        font = find_cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font found (Debian: apt-get install fonts-noto-cjk); the figures' labels "
            "are in English only",
            NoCJKFontWarning,
            stacklevel=2,
        )
    lab = _Labels(font)
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    files: dict[str, bytes] = {}
    with mpl.rc_context(
        {
            "svg.hashsalt": "lowcarbon",
            "svg.fonttype": "path",
            "font.family": family,
            "axes.unicode_minus": False,
            "figure.autolayout": False,
            "figure.constrained_layout.use": False,
        }
    ):
        for stem, draw in (("bipartite", _bipartite), ("cities", _cities),
                           ("timeline", _timeline), ("matrix", _matrix)):  # fmt: skip
            files.update(_save(draw(net, lab), stem))
    return files
