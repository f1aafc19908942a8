"""kg.training.experiments.pretrain: masked-character pretraining of the NER's tok2vec (an experiment's code)."""
from __future__ import annotations

import random

import numpy
import pytest
import spacy

from kg.training.experiments.pretrain import MASK, character_classes, mask_text, masked_batches, pretrain_tok2vec, pretraining_pipeline
from kg.resources import MODELS
from kg.training.train import CONFIGS

TEXTS = ["包头市人民政府召开常务会议。", "内蒙古自治区人大常委会副主任段志强讲话。", "呼和浩特 首府 新闻"] * 4
#: the shipped recipe without static vectors (none in a test): everything else as trained
NO_VECTORS = {"components.tok2vec.model.embed.vectors_attr": None}


def test_mask_text_chooses_characters_not_spaces_and_keeps_what_was_there():
    rng = random.Random(0)
    text = "呼和浩特 首府 新闻" * 50
    masked, offsets, originals = mask_text(text, rng, ["甲", "乙"], rate=0.5)
    assert len(masked) == len(text)
    assert offsets and all(not text[i].isspace() for i in offsets)
    assert originals == [text[i] for i in offsets]
    changed = [i for i in range(len(text)) if masked[i] != text[i]]
    assert set(changed) <= set(offsets)  # only chosen characters change
    masks = sum(masked[i] == MASK for i in offsets)
    assert 0.7 < masks / len(offsets) < 0.9  # 8 in 10 become the mask
    assert all(masked[i] in (MASK, "甲", "乙", text[i]) for i in offsets)
    assert 0.4 < len(offsets) / sum(not ch.isspace() for ch in text) < 0.6


def test_masked_batches_point_at_the_chosen_characters_tokens():
    nlp = pretraining_pipeline(CONFIGS / "ner.cfg", None, MODELS / "segmenter", NO_VECTORS)
    classes = character_classes(TEXTS, size=10)
    assert len(classes) == 10 and min(classes.values()) == 1  # 0: every other character
    seen = 0
    for docs, positions, targets in masked_batches(nlp.tokenizer, TEXTS, classes, random.Random(1), batch_chars=40):
        assert len(docs) == len(positions) and sum(map(len, positions)) == len(targets)
        start = 0
        for doc, chosen in zip(docs, positions):
            for i, target in zip(chosen, targets[start:start + len(chosen)]):
                token = doc[int(i)]
                assert not token.is_space
                if token.text != MASK:  # replaced at random or kept: the target is a class
                    assert 0 <= target <= 10
            start += len(chosen)
        seen += len(docs)
    assert seen == len(TEXTS)


def test_pretrained_weights_load_through_the_experiment_config(tmp_path):
    from spacy.schemas import ConfigSchemaPretrain
    from spacy.training.initialize import init_tok2vec

    out = pretrain_tok2vec(TEXTS, tmp_path / "tok2vec.bin", config=CONFIGS / "ner.cfg", vectors=None,
                           segmenter=MODELS / "segmenter", steps=3, batch_chars=60, overrides=NO_VECTORS)
    assert [p.name for p in tmp_path.iterdir()] == ["tok2vec.bin"]
    nlp = pretraining_pipeline(CONFIGS / "ner-pretrained.cfg", None, MODELS / "segmenter", NO_VECTORS)
    tok2vec = nlp.get_pipe("tok2vec").model
    docs = [nlp.tokenizer(TEXTS[0])]
    tok2vec.initialize(X=docs)
    before = tok2vec.predict(docs)[0].copy()
    settings = spacy.util.registry.resolve(nlp.config["pretraining"], schema=ConfigSchemaPretrain)
    assert init_tok2vec(nlp, settings, {"init_tok2vec": str(out)})
    assert tok2vec.to_bytes() == out.read_bytes()
    assert not numpy.allclose(before, tok2vec.predict(docs)[0])


def test_the_experiment_config_is_the_shipped_recipe_plus_the_pretraining_section():
    from spacy import util

    shipped = util.load_config(CONFIGS / "ner.cfg", interpolate=False)
    experiment = util.load_config(CONFIGS / "ner-pretrained.cfg", interpolate=False)
    assert experiment["pretraining"]["component"] == "tok2vec" and experiment["pretraining"]["layer"] == ""
    del experiment["pretraining"], shipped["pretraining"]
    assert experiment == shipped


def test_no_text_is_refused(tmp_path):
    from kg.errors import KGError

    with pytest.raises(KGError, match="no text"):
        pretrain_tok2vec([], tmp_path / "x.bin", config=CONFIGS / "ner.cfg", vectors=None,
                         segmenter=MODELS / "segmenter")
    assert not (tmp_path / "x.bin").exists()


def test_kg_train_pretrains_first_only_for_a_config_that_asks():
    from kg.training.train import pretrains_tok2vec

    assert pretrains_tok2vec(CONFIGS / "ner-pretrained.cfg")
    assert not pretrains_tok2vec(CONFIGS / "ner.cfg")


def test_a_config_reading_vectors_needs_the_table(tmp_path):
    from kg.errors import KGError

    with pytest.raises(KGError, match="ner.cfg: its tok2vec reads static vectors"):
        pretrain_tok2vec(TEXTS, tmp_path / "x.bin", config=CONFIGS / "ner.cfg", vectors=None,
                         segmenter=MODELS / "segmenter")
    assert not (tmp_path / "x.bin").exists()
