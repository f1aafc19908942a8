"""notebooks/explore.ipynb runs top to bottom (so it cannot rot) and is stored without outputs."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the test extra (nbformat, nbclient, ipykernel)")
nbclient = pytest.importorskip("nbclient", reason="needs the test extra (nbformat, nbclient, ipykernel)")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"
MINI = Path(__file__).resolve().parent / "data" / "mini-build"


def run_notebook(out_dir: Path, tmp_path: Path, monkeypatch) -> list[str]:
    """Execute the notebook on the build in ``out_dir`` with this venv's python; return each cell's text output."""
    # kernel "python3" must be THIS interpreter (the one with kg installed), whatever kernels the
    # machine has: a kernel spec in a folder on JUPYTER_PATH comes before every other one.
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (kg tests)", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    monkeypatch.setenv("KG_OUT_DIR", str(out_dir))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            texts.append("".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream"))
    images = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if "image/png" in o.get("data", {})]
    assert images, "the figure cell showed no picture"
    assert not any(o.output_type == "stream" and o.name == "stderr" and "missing from font" in o.text
                   for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs), "tofu: a glyph is missing"
    return texts


def test_notebook_is_stored_valid_and_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 7
    assert all(c.outputs == [] and c.execution_count is None for c in code), "strip the outputs before saving"


def test_notebook_runs_on_the_hand_made_build(tmp_path, monkeypatch):
    setup, biggest, ego, partners, roles, by_title, path, communities, _ = run_notebook(MINI, tmp_path, monkeypatch)
    assert "13 entities, 29 relations" in setup
    assert "ORG: 包钢集团 (4)" in biggest
    assert "ORG:包钢集团 (aliases: 包钢)" in ego and "孟繁英  HOLDS_ROLE 董事长" in ego
    # ranked by npmi: the one scored pair first, then the pairs seen once (no npmi)
    assert partners.splitlines()[:3] == ["partners of 包头市 by npmi:", "  +0.567  内蒙古自治区人大常委会  (weight 2)",
                                         "    -     包钢集团  (weight 1)"]
    assert "内蒙古自治区人大常委会: 3 roles" in roles
    assert "张韶春  副主任" in roles and "段志强  副主任" in roles and "张韶春  党组书记" in roles
    assert "副主任 (2): 张韶春（内蒙古自治区人大常委会）、段志强（内蒙古自治区人大常委会）" in by_title
    assert "steps" in path and "—[" in path
    assert "communities, modularity" in communities


def test_notebook_runs_on_the_seed_build(seed_build, tmp_path, monkeypatch):
    setup, biggest, ego, partners, roles, by_title, path, communities, _ = run_notebook(seed_build, tmp_path, monkeypatch)
    assert "by npmi" in partners and "+" in partners
    assert "entities" in setup and "PER: " in biggest and "communities" in communities
    assert "roles by normalised title" in by_title and "副主任" in by_title
