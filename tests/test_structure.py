"""The structure's promises: building a graph never loads the training stack, every name the
shipped model's config uses resolves through kg's one registration point (entry points), and a
missing or damaged model file is kg's model error (exit 2) naming the command that rebuilds it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from spacy import util

from kg.cli import main
from kg.ner.load import DEFAULT_MODEL

REPO = Path(__file__).resolve().parent.parent


def test_building_a_graph_loads_no_training_module(seed_dir, tmp_path):
    code = (
        "import sys\n"
        "from kg.pipeline import build\n"
        f"build([{str(seed_dir)!r}], {str(tmp_path / 'out')!r}, show_progress=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('kg.training')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "out" / "entities.jsonl").stat().st_size > 0


def _registry_names(config: dict):
    """``(registry, name)`` for every ``@registry = "name"`` block of a spaCy config."""
    for key, value in config.items():
        if isinstance(value, dict):
            yield from _registry_names(value)
        elif key.startswith("@"):
            yield key[1:], value


def test_every_registry_name_of_the_shipped_config_resolves():
    config = util.load_config(DEFAULT_MODEL / "config.cfg", interpolate=False)
    names = sorted(set(_registry_names(config)))
    assert ("tokenizers", "kg.pkuseg_chars.v1") in names and ("readers", "kg.featured_corpus.v1") in names
    for registry, name in names:
        if name.startswith("kg."):  # spaCy's own names are spaCy's business
            assert callable(getattr(util.registry, registry).get(name)), (registry, name)
    assert callable(util.registry.factories.get("kg_entity_tagger"))


def _model_copy(tmp_path: Path, **tokenizer: str) -> Path:
    """The shipped model copied to ``tmp_path``, its tokenizer settings overridden."""
    model = tmp_path / "ner"
    shutil.copytree(DEFAULT_MODEL, model)
    settings = json.loads((model / "tokenizer" / "cfg.json").read_text(encoding="utf-8"))
    (model / "tokenizer" / "cfg.json").write_text(json.dumps({**settings, **tokenizer}), encoding="utf-8")
    return model


@pytest.mark.parametrize(("setting", "damage", "command"), [
    ("segmenter", None, "kg train segmenter"),
    ("segmenter", b"\x00garbage", "kg train segmenter"),
    ("lexicon", None, "kg train lexicon"),
    ("lexicon", "word without classes\n", "kg train lexicon"),
    ("user_dict", None, "git checkout -- models/"),
])
def test_a_missing_or_damaged_model_file_exits_2_naming_the_rebuild(tmp_path, seed_dir, capsys, setting, damage,
                                                                     command):
    target = tmp_path / "files" / {"segmenter": "segmenter", "lexicon": "lexicon.tsv", "user_dict": "user.txt"}[setting]
    target.parent.mkdir()
    if damage is not None and setting == "segmenter":
        shutil.copytree(DEFAULT_MODEL.parent / "segmenter", target)
        (target / "features.msgpack").write_bytes(damage)
        (target / "decoder.npz").unlink(missing_ok=True)
    elif damage is not None:
        target.write_text(damage, encoding="utf-8")
    model = _model_copy(tmp_path, **{setting: str(target)})
    out = tmp_path / "out"
    assert main(["build", str(seed_dir), "--out", str(out), "--model", str(model), "-q"]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and command in err
    assert not out.exists()
