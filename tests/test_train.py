"""Training recipe: the shipped NER is what `kg train ner` with configs/ner.cfg builds."""
from __future__ import annotations

from spacy.util import load_config

from kg.train import CONFIGS, MODELS, _vectors_attr


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
    for setting in ("reverse", "conventions"):  # what the network was trained to read
        assert shipped["nlp"]["tokenizer"].get(setting) == recipe["nlp"]["tokenizer"].get(setting), setting
