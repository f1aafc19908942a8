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


def _edges_in_order(sub: nx.MultiDiGraph, nodes: list) -> list:
    """The edges of ``sub`` (with data) in the order of ``nodes``: the same in every process."""
    rank = {node: i for i, node in enumerate(nodes)}
    edges = sorted(sub.edges(keys=True, data=True), key=lambda e: (rank[e[0]], rank[e[1]], str(e[2])))
    return [(u, v, data) for u, v, _, data in edges]


def _layout(sub: nx.MultiDiGraph, nodes: list) -> dict:
    """Seeded spring layout of the undirected view (log-weighted): the same graph is drawn the same way.

    Entities with no relation in the picture go in a row underneath, instead of being
    pushed to the edges (which would squeeze everything else into the middle).
    """
    simple = nx.Graph()
    simple.add_nodes_from(nodes)  # the ranked order, not the subgraph's (which follows string hashes)
    for u, v, data in _edges_in_order(sub, nodes):
        if u != v:
            weight = math.log1p(float(data.get("weight", 1.0)))
            previous = simple[u][v]["weight"] if simple.has_edge(u, v) else 0.0
            simple.add_edge(u, v, weight=previous + weight)
    linked = [n for n in nodes if simple.degree(n) > 0]
    alone = [n for n in nodes if simple.degree(n) == 0]
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


#: Figure size (inches) and resolution of ``kg plot``: 1800 x 1350 pixels, labels of 10 pt read at 100% zoom.
FIGURE_SIZE = (12, 9)
FIGURE_DPI = 150
#: Point sizes of the entity names, the role titles on arrows and the legend (at least 9 pt at 150 dpi).
NAME_SIZE, TITLE_SIZE, LEGEND_SIZE = 10, 9, 10


def draw(graph: nx.MultiDiGraph, *, top: int = 40, ax=None, title: str | None = None):
    """Draw the ``top`` entities of ``graph`` and the relations among them on ``ax``.

    Node colour is the type (PER red, ORG blue, LOC green), node area grows with the
    mention count; co-occurrence is a grey line whose width grows with its npmi (the association,
    :func:`cooccurrence_width`), not its raw count, which the most-mentioned places win; roles and
    place relations are coloured arrows, roles labelled with their titles.  Labels use
    :func:`cjk_font` and are moved apart (:func:`place_labels`, a thin line back to their node
    when moved far); the legend stands outside the axes, to the right.  Set the figure's size and
    layout before calling: labels are placed for it.  Creates a figure when ``ax`` is None;
    returns the axes.
    """
    from matplotlib.lines import Line2D

    if ax is None:
        ax = figure_axes()
    nodes = top_entities(graph, top)
    sub = graph.subgraph(nodes)
    ax.set_axis_off()
    if title is None:
        title = f"kg: {len(nodes)} most-mentioned entities of {len(entity_nodes(graph))}"
    ax.set_title(title, fontproperties=cjk_font(13))
    if not nodes:
        ax.text(0.5, 0.5, "empty graph", ha="center", va="center", transform=ax.transAxes)
        return ax

    pos = _layout(sub, nodes)
    top_mentions = max(int(sub.nodes[n].get("mention_count", 0)) for n in nodes) or 1
    sizes = [80 + 1000 * math.sqrt(int(sub.nodes[n].get("mention_count", 0)) / top_mentions) for n in nodes]
    edges = _edges_in_order(sub, nodes)

    # co-occurrence: one undirected line per pair, width by npmi
    cooc = [(u, v, cooccurrence_width(d)) for u, v, d in edges if d.get("type") == CO_OCCURS and u != v]
    if cooc:
        nx.draw_networkx_edges(
            nx.Graph([(u, v) for u, v, _ in cooc]), pos, ax=ax, edgelist=[(u, v) for u, v, _ in cooc],
            width=[w for *_, w in cooc],
            edge_color=relation_colour_hex(CO_OCCURS), alpha=0.6,
        )
    # directed relations: one arrow per (source, target, type); titles of roles joined with 、
    directed: dict[tuple, list[str]] = {}
    for u, v, d in edges:
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
    nx.draw_networkx_nodes(
        sub, pos, ax=ax, nodelist=nodes, node_size=sizes,
        node_color=[node_colour_hex(sub.nodes[n].get("type", "")) for n in nodes], edgecolors="white", linewidths=1.0)

    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=node_colour_hex(t),
                      markeredgecolor="white", label=TYPE_NAMES[t]) for t in TYPE_COLOURS]
    shown = {CO_OCCURS} if cooc else set()
    shown |= {r for _, _, r in directed}
    handles += [Line2D([], [], color=relation_colour_hex(r), linewidth=2, label=RELATION_NAMES.get(r, r))
                for r in RELATION_NAMES if r in shown]
    ax.legend(handles=handles, prop=cjk_font(LEGEND_SIZE), loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False, borderaxespad=0.5)
    ax.margins(0.05)

    names = [(str(sub.nodes[n].get("label", n)), pos[n], math.sqrt(size) / 2) for n, size in zip(nodes, sizes, strict=True)]
    role_titles = [("、".join(sorted(set(titles))), ((pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2))
                   for (u, v, _), titles in sorted(directed.items()) if titles]
    place_labels(ax, names, role_titles)
    return ax


def place_labels(ax, names: list, role_titles: list) -> list:
    """Write the ``role_titles`` (text, (x, y)) on their arrows and the entity ``names`` (text,
    (x, y), node radius in points) next to their nodes, none over another, a node or outside the axes.

    Each label takes the first free place on rings around its point (above, below, right, left,
    then all round, further out each ring: :func:`_free_place`); titles first, then names by rank.
    A label that lands far from its node gets a thin line to it.  The figure is laid out first and
    the axes limits fixed, so that places found in pixels hold in the saved file.  Returns the texts.
    """
    import numpy as np
    from matplotlib import patheffects
    from matplotlib.patches import FancyArrowPatch

    ax.figure.draw_without_rendering()  # lays out the figure: the axes' final place and limits
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    to_pixels, to_data = ax.transData, ax.transData.inverted()
    pixels_per_point = ax.figure.dpi / 72
    node_boxes = np.array([[*(to_pixels.transform(xy) - radius * pixels_per_point),
                            *(to_pixels.transform(xy) + radius * pixels_per_point)] for _, xy, radius in names])
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    title_colour = relation_colour_hex("HOLDS_ROLE")
    labels = [(title, xy, 0.0, TITLE_SIZE, title_colour, 4) for title, xy in role_titles]
    labels += [(name, xy, radius, NAME_SIZE, "black", 5) for name, xy, radius in names]
    placed = np.empty((0, 4))
    texts = []
    for text, xy, radius, size, colour, zorder in labels:
        label = ax.text(*xy, text, fontproperties=cjk_font(size), color=colour, ha="center", va="center",
                        path_effects=halo, zorder=zorder)
        label.set_in_layout(False)  # the layout must not change once labels are placed
        extent = label.get_window_extent()
        centre = to_pixels.transform(xy)
        radius_pixels = radius * pixels_per_point
        box = _free_place(centre, radius_pixels, extent.width, extent.height, placed, node_boxes,
                          ax.get_window_extent())
        label.set_position(to_data.transform(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)))
        placed = np.vstack([placed, box])
        texts.append(label)
        gap = max(box[0] - centre[0], centre[0] - box[2], box[1] - centre[1], centre[1] - box[3])
        if gap > radius_pixels + 2 + 0.25 * extent.height:  # not on the first ring: show whose label it is
            ax.add_patch(FancyArrowPatch(xy, label.get_position(), patchB=label, arrowstyle="-", color="#999999",
                                         linewidth=0.6, shrinkA=radius + 1, shrinkB=1, zorder=3))
    return texts


#: Clear pixels kept round every label.
LABEL_PAD = 2.0


def _free_place(centre, radius: float, width: float, height: float, placed, node_boxes, axes_box, rings: int = 40):
    """The box (x0, y0, x1, y1, pixels) of a ``width`` x ``height`` label near ``centre``: the first on
    rings round it that stays in ``axes_box`` and clears the ``placed`` labels and the nodes; failing
    that, the first that clears the labels; failing that, the one that covers the fewest."""
    import numpy as np

    def hits(box, others):
        return int(np.sum((np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]) > -LABEL_PAD)
                          & (np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]) > -LABEL_PAD)))

    x, y = centre
    candidates = []
    for ring in range(rings):
        distance = radius + 2 + ring * 0.5 * height
        steps = 4 if ring == 0 else 16
        angles = [90, 270, 0, 180] if ring == 0 else [90 - 360 * i / steps for i in range(steps)]
        for angle in angles:
            dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            cx = x + dx * (distance + width / 2) if radius or ring else x
            cy = y + dy * (distance + height / 2) if radius or ring else y
            box = np.array([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2])
            if (box[0] >= axes_box.x0 and box[2] <= axes_box.x1 and box[1] >= axes_box.y0 and box[3] <= axes_box.y1):
                candidates.append(box)
    if not candidates:
        return np.array([x - width / 2, y - height / 2, x + width / 2, y + height / 2])
    for box in candidates:
        if not hits(box, placed) and not hits(box, node_boxes):
            return box
    return min(candidates, key=lambda box: (hits(box, placed), hits(box, node_boxes)))


def figure_axes(size: tuple[float, float] = FIGURE_SIZE, dpi: int = FIGURE_DPI):
    """Axes on a new Agg figure of ``size`` inches at ``dpi``, laid out with room for the legend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def figure(graph: nx.MultiDiGraph, *, top: int = 40):
    """The figure ``kg plot`` saves: :func:`draw` of the ``top`` entities on :func:`figure_axes`,
    :data:`FIGURE_SIZE` for up to 40 entities, larger (the same area per label) for more."""
    scale = math.sqrt(max(top, 40) / 40)
    ax = figure_axes((FIGURE_SIZE[0] * scale, FIGURE_SIZE[1] * scale))
    return draw(graph, top=top, ax=ax).figure


def plot(out_dir: Path, png: Path, *, top: int = 40) -> Path:
    """Draw the ``top`` most-mentioned entities of the build in ``out_dir`` into ``png``.

    The file is written atomically; the same build gives the same picture.  Returns ``png``.

    Raises:
        ValueError: when ``top`` is not positive.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    graph = load_graph(out_dir)
    fig = figure(graph, top=top)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": f"kg {__version__}"})
    written = write_file(png, buffer.getvalue())
    entities = len(entity_nodes(graph))
    log.info("wrote %s (%d of %d entities)", written, min(top, entities), entities)
    return written
