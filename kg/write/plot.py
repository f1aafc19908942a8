"""A picture of a build: the most-mentioned entities, coloured by type, with Chinese labels.

``kg plot DIR --out graph.png`` calls :func:`plot`; notebooks can call :func:`draw` on their
own axes.  Needs matplotlib (a default dependency of kg).

Chinese labels need a font with CJK glyphs, or matplotlib draws empty boxes ("tofu").
:func:`cjk_font_path` takes, in order: Noto Sans SC from the ``pylopdf-fonts-zh-cn``
package (installed by the ``plot`` and ``test`` extras, SIL OFL 1.1), then any font
matplotlib knows under a common CJK family name (Noto Sans CJK, WenQuanYi, Source Han,
SimHei, Microsoft YaHei, PingFang...), checking that it really has the glyphs.
"""
from __future__ import annotations

import functools
import io
import logging
import math
from pathlib import Path

import networkx as nx

from kg.files import write_file
from kg.graph import entity_nodes
from kg.schema import CO_OCCURS, ENTITY_TYPES, RELATIONS
from kg.write.xml import TYPE_COLOURS, node_colour_hex, relation_colour_hex
from kg import __version__
from kg.write.jsonl import load_graph

log = logging.getLogger(__name__)

#: Characters a CJK font must have for kg to use it.
CJK_SAMPLE = "包头市呼和浩特内蒙古自治区人大常委会"
#: Families tried (after the packaged Noto Sans SC) when matplotlib knows fonts by these names.
CJK_FAMILIES = (
    "Noto Sans SC", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "Noto Serif CJK SC", "Noto Serif SC", "AR PL UMing CN", "Droid Sans Fallback",
)
TYPE_NAMES = {label: f"{t.chinese} {label}" for label, t in ENTITY_TYPES.items()}
RELATION_NAMES = {name: f"{r.chinese} {name}" for name, r in RELATIONS.items()}


def has_glyphs(font_file: str | Path, text: str = CJK_SAMPLE) -> bool:
    """Whether the font file maps every character of ``text`` to a glyph."""
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(str(font_file)).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(char) in charmap for char in text)


def _candidate_fonts() -> list[Path]:
    candidates = []
    try:
        import pylopdf_fonts_zh_cn

        candidates.append(Path(pylopdf_fonts_zh_cn.sans_path()))
    except ImportError:
        log.debug("pylopdf-fonts-zh-cn is not installed; looking for a system CJK font")
    from matplotlib import font_manager

    by_family: dict[str, list[Path]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_family.setdefault(entry.name, []).append(Path(entry.fname))
    for family in CJK_FAMILIES:
        candidates += sorted(by_family.get(family, []))
    return candidates


@functools.lru_cache(maxsize=1)
def cjk_font_path() -> Path | None:
    """The file of a font with Chinese glyphs (registered with matplotlib), or None if none."""
    from matplotlib import font_manager

    for path in _candidate_fonts():
        if path.is_file() and has_glyphs(path):
            if str(path) not in {entry.fname for entry in font_manager.fontManager.ttflist}:
                font_manager.fontManager.addfont(str(path))
            log.debug("CJK font: %s", path)
            return path
    log.warning("no font with Chinese glyphs found: labels will show as boxes; "
                "install one with `pip install pylopdf-fonts-zh-cn` (or the fonts-noto-cjk system package)")
    return None


def cjk_font(size: float | None = None):
    """:class:`matplotlib.font_manager.FontProperties` of :func:`cjk_font_path` (default font if none)."""
    from matplotlib.font_manager import FontProperties

    path = cjk_font_path()
    font = FontProperties(fname=str(path)) if path else FontProperties()
    if size is not None:
        font.set_size(size)
    return font


def top_entities(graph: nx.MultiDiGraph, top: int = 40) -> list:
    """The ``top`` entities (documents are not drawn) by mention count, then degree, then id (a deterministic order)."""
    degree = dict(graph.degree())
    ranked = sorted(entity_nodes(graph), key=lambda n: (-int(graph.nodes[n].get("mention_count", 0)), -degree[n], str(n)))
    return ranked[:max(top, 0)]


def _layout(sub: nx.MultiDiGraph) -> dict:
    """Seeded spring layout of the undirected view (log-weighted): the same graph is drawn the same way.

    Entities with no relation in the picture go in a row underneath, instead of being
    pushed to the edges (which would squeeze everything else into the middle).
    """
    simple = nx.Graph()
    simple.add_nodes_from(sub.nodes)
    for u, v, data in sub.edges(data=True):
        if u != v:
            weight = math.log1p(float(data.get("weight", 1.0)))
            previous = simple[u][v]["weight"] if simple.has_edge(u, v) else 0.0
            simple.add_edge(u, v, weight=previous + weight)
    linked = [n for n in sub.nodes if simple.degree(n) > 0]
    alone = [n for n in sub.nodes if simple.degree(n) == 0]
    pos = {}
    if linked:
        # the largest connected part fills the picture; smaller parts stand in a column on the right instead of squeezing it into the middle
        parts = sorted(nx.connected_components(simple.subgraph(linked)), key=lambda c: (-len(c), sorted(c)))
        main = simple.subgraph(parts[0])
        pos = nx.spring_layout(main, seed=42, k=3.0 / math.sqrt(len(main)), iterations=300, weight="weight")
        for i, part in enumerate(parts[1:]):
            sub_pos = nx.spring_layout(simple.subgraph(part), seed=42, scale=0.15)
            for node, (x, y) in sub_pos.items():
                pos[node] = (x + 1.45, y + 0.85 - 0.45 * i)
    bottom = min((y for _, y in pos.values()), default=0.0) - 0.3
    for i, node in enumerate(alone):
        pos[node] = ((2.0 * i / (len(alone) - 1) - 1.0) if len(alone) > 1 else 0.0, bottom)
    return pos


def cooccurrence_width(data: dict) -> float:
    """Line width of a CO_OCCURS edge: 0.4 plus 4 times its npmi when above 0 (0.4 with none)."""
    return 0.4 + 4.0 * max(float(data.get("npmi") or 0.0), 0.0)


def draw(graph: nx.MultiDiGraph, *, top: int = 40, ax=None, title: str | None = None):
    """Draw the ``top`` entities of ``graph`` and the relations among them on ``ax``.

    Node colour is the type (PER red, ORG blue, LOC green), node area grows with the
    mention count; co-occurrence is a grey line whose width grows with its npmi (the association,
    :func:`cooccurrence_width`), not its raw count, which the most-mentioned places win; roles and
    place relations are coloured arrows, roles labelled with their titles.  Labels use
    :func:`cjk_font`.  Creates a figure when ``ax`` is None; returns the axes.
    """
    from matplotlib import patheffects
    from matplotlib.lines import Line2D

    if ax is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(12, 9))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    nodes = top_entities(graph, top)
    sub = graph.subgraph(nodes)
    ax.set_axis_off()
    if title is None:
        title = f"kg: {len(nodes)} most-mentioned entities of {len(entity_nodes(graph))}"
    ax.set_title(title, fontproperties=cjk_font(13))
    if not nodes:
        ax.text(0.5, 0.5, "empty graph", ha="center", va="center", transform=ax.transAxes)
        return ax

    pos = _layout(sub)
    top_mentions = max(int(sub.nodes[n].get("mention_count", 0)) for n in nodes) or 1
    sizes = [80 + 1000 * math.sqrt(int(sub.nodes[n].get("mention_count", 0)) / top_mentions) for n in nodes]
    size_of = dict(zip(nodes, sizes, strict=True))

    # co-occurrence: one undirected line per pair, width by npmi
    cooc = [(u, v, cooccurrence_width(d)) for u, v, d in sub.edges(data=True) if d.get("type") == CO_OCCURS and u != v]
    if cooc:
        nx.draw_networkx_edges(
            nx.Graph([(u, v) for u, v, _ in cooc]), pos, ax=ax, edgelist=[(u, v) for u, v, _ in cooc],
            width=[w for *_, w in cooc],
            edge_color=relation_colour_hex(CO_OCCURS), alpha=0.6,
        )
    # directed relations: one arrow per (source, target, type); titles of roles joined with 、
    directed: dict[tuple, list[str]] = {}
    for u, v, d in sub.edges(data=True):
        if d.get("type") != CO_OCCURS and u != v:
            titles = directed.setdefault((u, v, d.get("type", "")), [])
            if d.get("title"):
                titles.append(d["title"])
    for relation in sorted({r for _, _, r in directed}):
        arrows = [(u, v) for u, v, r in directed if r == relation]
        nx.draw_networkx_edges(
            nx.DiGraph(arrows), pos, ax=ax, edgelist=arrows, nodelist=nodes, node_size=sizes,
            edge_color=relation_colour_hex(relation), width=1.8, arrows=True, arrowstyle="-|>", arrowsize=14,
            connectionstyle="arc3,rad=0.12",
        )
    label_font = cjk_font(8)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for (u, v, _), titles in sorted(directed.items()):
        if titles:
            (x1, y1), (x2, y2) = pos[u], pos[v]
            ax.text((x1 + x2) / 2, (y1 + y2) / 2, "、".join(sorted(set(titles))), fontproperties=label_font,
                    color=relation_colour_hex("HOLDS_ROLE"), ha="center", va="center", path_effects=halo, zorder=4)

    nx.draw_networkx_nodes(sub, pos, ax=ax, nodelist=nodes, node_size=sizes,
                           node_color=[node_colour_hex(sub.nodes[n].get("type", "")) for n in nodes],
                           edgecolors="white", linewidths=1.0)
    name_font = cjk_font(10)
    for node in nodes:
        x, y = pos[node]
        ax.annotate(str(sub.nodes[node].get("label", node)), (x, y), xytext=(0, 4 + math.sqrt(size_of[node]) / 2),
                    textcoords="offset points", fontproperties=name_font, ha="center", va="bottom",
                    path_effects=[patheffects.withStroke(linewidth=3, foreground="white")], zorder=5)

    legend_font = cjk_font(9)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=node_colour_hex(t),
                      markeredgecolor="white", label=TYPE_NAMES[t]) for t in TYPE_COLOURS]
    shown = {CO_OCCURS} if cooc else set()
    shown |= {r for _, _, r in directed}
    handles += [Line2D([], [], color=relation_colour_hex(r), linewidth=2, label=RELATION_NAMES.get(r, r))
                for r in RELATION_NAMES if r in shown]
    ax.legend(handles=handles, prop=legend_font, loc="lower left", frameon=False)
    ax.margins(0.08)
    return ax


def plot(out_dir: Path, png: Path, *, top: int = 40) -> Path:
    """Draw the ``top`` most-mentioned entities of the build in ``out_dir`` into ``png``.

    The file is written atomically; the same build gives the same picture.  Returns ``png``.

    Raises:
        ValueError: when ``top`` is not positive.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure


    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    graph = load_graph(out_dir)
    fig = Figure(figsize=(12, 9), dpi=150)
    FigureCanvasAgg(fig)
    draw(graph, top=top, ax=fig.add_subplot())
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": f"kg {__version__}"})
    written = write_file(png, buffer.getvalue())
    entities = len(entity_nodes(graph))
    log.info("wrote %s (%d of %d entities)", written, min(top, entities), entities)
    return written
