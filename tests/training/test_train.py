"""Training recipe: the shipped NER is what `kg train ner` with configs/ner.cfg builds."""
from __future__ import annotations

import subprocess

import pytest
from spacy.util import load_config

from kg.training.settings import CONFIGS, MODELS, vectors_attr as _vectors_attr


def test_vectors_are_trained_when_the_config_reads_them():
    config = CONFIGS / "ner.cfg"
    embed = load_config(config)["components"]["tok2vec"]["model"]["embed"]
    assert _vectors_attr(config, {}) == embed.get("vectors_attr")
    assert _vectors_attr(config, {"components.tok2vec.model.embed.vectors_attr": "NORM"}) == "NORM"
    assert _vectors_attr(config, {"components.tok2vec.model.embed.vectors_attr": None}) is None


def test_shipped_model_has_the_network_of_the_training_config():
    shipped = load_config(MODELS / "ner" / "config.cfg", interpolate=True)
    recipe = load_config(CONFIGS / "ner.cfg", interpolate=True)
    assert shipped["components"] == recipe["components"]
    for setting in ("reverse", "conventions", "lexicon"):  # what the network was trained to read
        assert shipped["nlp"]["tokenizer"].get(setting) == recipe["nlp"]["tokenizer"].get(setting), setting


def test_train_away_from_a_checkout_says_what_to_do_and_trains_nothing(tmp_path, monkeypatch, capsys):
    from kg.training import train
    from kg.cli import main

    monkeypatch.setattr(train, "CONFIGS", tmp_path / "configs")  # as in an installed wheel
    monkeypatch.setattr(train, "train_segmenter", lambda *a, **k: pytest.fail("trained without configs"))
    assert main(["train", "segmenter", "--corpora", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "configs" in err and "checkout" in err and str(tmp_path) in err


def test_shipped_lexicon_is_what_kg_train_lexicon_builds(tmp_path):
    pytest.importorskip("jieba")
    from kg.training.tables import train_lexicon

    built = train_lexicon(tmp_path / "lexicon.tsv")
    assert built.read_bytes() == (MODELS / "lexicon.tsv").read_bytes()


def test_shipped_model_has_a_names_lexicon_exactly_when_its_config_embeds_one():
    from kg.ner import load_pipeline
    from kg.training.train import embeds_names

    shipped = load_config(MODELS / "ner" / "config.cfg")
    assert shipped["nlp"]["tokenizer"].get("names") is None  # no training folder named
    tokenizer = load_pipeline(MODELS / "ner").tokenizer
    assert embeds_names(MODELS / "ner" / "config.cfg") == embeds_names(CONFIGS / "ner.cfg") == tokenizer.uses_names
    if not tokenizer.uses_names:  # the shipped recipe reads none (configs/ner-names.cfg does)
        assert not (MODELS / "ner" / "tokenizer" / "names.tsv").exists()
        return
    assert tokenizer.uses_names and len(tokenizer.names.entries()) > 30_000
    assert any(part.startswith("NB=") for part in str(tokenizer("中国人民银行")[-1].morph).split("|"))


def test_the_distill_weight_is_read_from_the_config_and_its_overrides():
    from kg.training.train import distill_weight

    config = CONFIGS / "ner.cfg"
    assert distill_weight(config) == float(load_config(config)["components"]["ner"].get("distill_weight", 0.0))
    assert distill_weight(config, {"components.ner.distill_weight": "0"}) == 0.0
    assert distill_weight(config, {"components.ner.distill_weight": "0.25"}) == 0.25


def test_finished_teachers_are_reused_and_unfinished_ones_trained_again(tmp_path):
    from kg.training.train import TEACHER_SEEDS, TRAINED_MARK, train_teachers

    for seed in TEACHER_SEEDS:
        (tmp_path / f"teacher-{seed}" / "output").mkdir(parents=True)
        (tmp_path / f"teacher-{seed}" / "output" / TRAINED_MARK).write_text("trained\n")
    args = (CONFIGS / "ner.cfg", tmp_path, tmp_path / "train.spacy", tmp_path / "dev.spacy", MODELS / "segmenter", {})
    assert train_teachers(*args) == [tmp_path / f"teacher-{seed}" / "output" / "model-best" for seed in TEACHER_SEEDS]
    (tmp_path / f"teacher-{TEACHER_SEEDS[-1]}" / "output" / TRAINED_MARK).unlink()
    with pytest.raises(subprocess.CalledProcessError):  # trains that one again: spaCy fails on the missing file
        train_teachers(*args)
