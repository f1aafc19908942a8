"""kg.write.plot: a PNG of the top entities whose Chinese labels render (a CJK font is found and used)."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="kg.write.plot needs matplotlib (the plot/test extras)")

import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from PIL import Image  # noqa: E402

from itertools import combinations  # noqa: E402

import kg.graph  # noqa: E402
from kg.write.jsonl import load_graph  # noqa: E402
import kg.write.plot  # noqa: E402
from kg.write.xml import TYPE_COLOURS  # noqa: E402

MINI = Path(__file__).resolve().parents[1] / "data" / "mini-build"


def test_a_cjk_font_is_found_and_matplotlib_resolves_it_by_name():
    path = kg.write.plot.cjk_font_path()
    assert path is not None, "no font with Chinese glyphs: install kg[plot] (pylopdf-fonts-zh-cn)"
    assert kg.write.plot.has_glyphs(path, "包头市内蒙古自治区人大常委会段志强")
    family = FontProperties(fname=str(path)).get_name()
    found = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
    assert kg.write.plot.has_glyphs(found, "包头市")
    assert kg.write.plot.cjk_font(10).get_size() == 10


def test_has_glyphs_can_say_no():
    dejavu = font_manager.findfont(FontProperties(family="DejaVu Sans"), fallback_to_default=False)
    assert kg.write.plot.has_glyphs(dejavu, "abc")
    assert not kg.write.plot.has_glyphs(dejavu, "包头市")
    assert not kg.write.plot.has_glyphs("/nonexistent/font.otf", "a")


def _pixels_near(image: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 6) -> int:
    return int((np.abs(image[:, :, :3].astype(int) - np.array(rgb)).max(axis=2) <= tolerance).sum())


def test_plot_writes_a_png_with_every_type_and_no_missing_glyph(tmp_path):
    png = tmp_path / "graph.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert kg.write.plot.plot(MINI, png, top=40) == png
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing  # matplotlib warns "Glyph ... missing from font(s)" when it draws tofu
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 30_000
    image = np.asarray(Image.open(png).convert("RGB"))
    assert image.shape == (1350, 1800, 3)
    for entity_type, rgb in TYPE_COLOURS.items():
        assert _pixels_near(image, rgb) > 500, f"no {entity_type} node drawn"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.png"]  # no temporary left


def test_plot_is_deterministic(tmp_path):
    a = kg.write.plot.plot(MINI, tmp_path / "a.png", top=10).read_bytes()
    b = kg.write.plot.plot(MINI, tmp_path / "b.png", top=10).read_bytes()
    assert a == b


def test_top_entities_are_the_most_mentioned():
    graph = load_graph(MINI)
    top = kg.write.plot.top_entities(graph, 5)
    assert top[0] == "ORG:包钢集团"  # 4 mentions, the most
    mentions = [graph.nodes[n]["mention_count"] for n in top]
    assert mentions == sorted(mentions, reverse=True) and len(top) == 5
    assert kg.write.plot.top_entities(graph, 100) == kg.write.plot.top_entities(graph, 13)


def test_draw_on_given_axes_labels_the_top_entities():
    from matplotlib.figure import Figure

    graph = load_graph(MINI)
    ax = Figure().add_subplot()
    assert kg.write.plot.draw(graph, top=4, ax=ax) is ax
    texts = {t.get_text() for t in ax.texts}
    names = {graph.nodes[n]["name"] for n in kg.write.plot.top_entities(graph, 4)}
    assert names <= texts
    assert "李娜" not in texts  # not among the top 4


def test_plot_refuses_nonsense_top(tmp_path):
    with pytest.raises(ValueError):
        kg.write.plot.plot(MINI, tmp_path / "x.png", top=0)


def test_cli_plot(tmp_path):
    from kg.cli import main

    assert main(["plot", str(MINI), "--out", str(tmp_path / "g.png"), "--top", "6"]) == 0
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_of_the_seed_build(seed_build, tmp_path):
    png = kg.write.plot.plot(seed_build, tmp_path / "seed.png")
    image = np.asarray(Image.open(png).convert("RGB"))
    assert sum(_pixels_near(image, rgb) > 200 for rgb in TYPE_COLOURS.values()) == 3


@pytest.mark.parametrize("how", ["missing", "truncated", "garbage"])
@pytest.mark.parametrize("name", ["entities.jsonl", "relations.jsonl"])
def test_plot_of_a_damaged_build_names_the_file(name, how, tmp_path, capsys):
    from kg.cli import main
    from tests.write.test_xml import damaged_build

    out = damaged_build(tmp_path, name, how)
    assert main(["plot", str(out), "--out", str(tmp_path / "g.png")]) == 2
    err = capsys.readouterr().err
    assert f"kg: error: {out / name}" in err and "Traceback" not in err
    assert not (tmp_path / "g.png").exists()


def test_cooccurrence_lines_grow_with_npmi_not_with_the_count():
    from kg.write.plot import cooccurrence_width

    frequent_by_chance = {"type": "CO_OCCURS", "weight": 40.0, "npmi": -0.25}
    exclusive = {"type": "CO_OCCURS", "weight": 2.0, "npmi": 0.9}
    seen_once = {"type": "CO_OCCURS", "weight": 1.0}
    assert cooccurrence_width(exclusive) > cooccurrence_width(frequent_by_chance) == cooccurrence_width(seen_once) == 0.4


def overlapping_labels(fig, tolerance: float = 1.5) -> list[tuple[str, str]]:
    """Pairs of texts (or a text and ``<legend>``) whose drawn boxes overlap by more than ``tolerance`` pixels."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        boxes += [(text.get_text(), text.get_window_extent(renderer)) for text in ax.texts if text.get_text()]
        if ax.get_legend() is not None:
            boxes.append(("<legend>", ax.get_legend().get_window_extent(renderer)))
    return [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2)
            if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > tolerance
            and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > tolerance]


def test_overlapping_labels_sees_an_overlap():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "Baotou")
    ax.text(0.52, 0.5, "Hohhot")
    ax.text(0.03, 0.03, "Zhongyuan")
    ax.legend(handles=[Line2D([], [], label="Baotou")], loc="lower left")
    assert overlapping_labels(fig) == [("Baotou", "Hohhot"), ("Zhongyuan", "<legend>")]


@pytest.mark.parametrize("build", ["seed", "mini"])
def test_no_label_covers_another_or_the_legend(build, request):
    graph = load_graph(request.getfixturevalue("seed_build") if build == "seed" else MINI)
    fig = kg.write.plot.figure(graph, top=40)
    ax = fig.axes[0]
    names = {graph.nodes[n]["label"] for n in kg.write.plot.top_entities(graph, 40)}
    assert names <= {t.get_text() for t in ax.texts}
    assert overlapping_labels(fig) == []
    inside = ax.get_window_extent(fig.canvas.get_renderer())
    for text in ax.texts:  # readable at 100% zoom, and in the picture
        assert text.get_fontsize() >= 9
        box = text.get_window_extent()
        assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1 and inside.y0 - 1 <= box.y0 and box.y1 <= inside.y1 + 1
    assert fig.dpi == 150 and ax.get_legend().get_texts()[0].get_fontsize() >= 9


def test_more_entities_get_a_larger_picture_and_still_no_overlap(seed_build):
    fig = kg.write.plot.figure(load_graph(seed_build), top=80)
    assert fig.get_size_inches()[0] > 12
    assert overlapping_labels(fig) == []


def test_plot_is_the_same_in_another_process(tmp_path):
    """Node order must not follow string hashes (PYTHONHASHSEED) anywhere in the layout."""
    import os
    import subprocess
    import sys

    script = "import sys, pathlib, kg.write.plot as p; p.plot(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), top=40)"
    root = Path(__file__).resolve().parents[2]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        subprocess.run([sys.executable, "-c", script, str(MINI), str(tmp_path / f"{seed}.png")], check=True, env=env)
    assert (tmp_path / "1.png").read_bytes() == (tmp_path / "2.png").read_bytes()
