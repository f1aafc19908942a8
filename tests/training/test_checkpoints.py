"""kg.training.checkpoints: a real (tiny) spacy train run keeps a checkpoint at every evaluation through
kg's logger, and their average is the mean of the chosen checkpoints' weights."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import DocBin

from kg.training.checkpoints import _weights, average_checkpoints, dev_score, kept_checkpoints
from kg.errors import ModelError

TRAIN = [
    ("张三在包头市工作。", [(0, 2, "PER"), (3, 6, "LOC")]),
    ("李四去了呼和浩特市。", [(0, 2, "PER"), (4, 9, "LOC")]),
    ("包钢集团在包头市。", [(0, 4, "ORG"), (5, 8, "LOC")]),
    ("王五来自鄂尔多斯市。", [(0, 2, "PER"), (4, 9, "LOC")]),
]

CONFIG = """
[paths]
train = null
dev = null
checkpoints = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "zh"
pipeline = ["ner"]
batch_size = 4

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "char"

[components]

[components.ner]
factory = "kg_entity_tagger"

[components.ner.model]
@architectures = "spacy.Tagger.v2"
normalize = false

[components.ner.model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 16
depth = 1
embed_size = 200
window_size = 1
maxout_pieces = 2
subword_features = false

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.1
max_steps = 6
eval_frequency = 2
patience = 0
max_epochs = 0
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"

[training.logger]
@loggers = "kg.checkpoint_logger.v1"
progress_bar = false
checkpoints = ${paths.checkpoints}

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
size = 100
tolerance = 0.2

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.01

[initialize]
"""


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A real spacy train run of six steps with kg's logger: (checkpoints folder, dev DocBin)."""
    from spacy.cli.train import train

    root = tmp_path_factory.mktemp("run")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer",
                                                          "segmenter": "char"}}})
    docbin = DocBin()
    for text, ents in TRAIN:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in ents]
        docbin.add(doc)
    docbin.to_disk(root / "data.spacy")
    (root / "config.cfg").write_text(CONFIG, encoding="utf-8")
    train(root / "config.cfg", root / "output", overrides={
        "paths.train": str(root / "data.spacy"), "paths.dev": str(root / "data.spacy"),
        "paths.checkpoints": str(root / "checkpoints")})
    return root / "checkpoints", root / "data.spacy"


def test_the_logger_keeps_a_whole_pipeline_at_every_evaluation(trained):
    checkpoints, _ = trained
    kept = kept_checkpoints(checkpoints)
    assert [step for step, _ in kept] == [0, 2, 4, 6]
    for _, path in kept:
        assert 0.0 <= dev_score(path) <= 1.0
        assert spacy.load(path).pipe_names == ["ner"]
    assert not list(checkpoints.glob(".*partial"))


def test_the_average_is_the_mean_of_the_best_checkpoint_and_every_later_one_when_it_scores_higher(trained, tmp_path):
    checkpoints, dev = trained
    kept = kept_checkpoints(checkpoints)
    soup = average_checkpoints(kept, dev, tmp_path / "averaged")
    best = max(soup.scores, key=lambda step: (soup.scores[step], -step))
    tail = [step for step, _ in kept if step >= best]
    assert soup.steps == (tail if soup.average_score >= soup.best_score else [best])
    averaged = spacy.load(tmp_path / "averaged")
    chosen = [_weights(spacy.load(path)) for step, path in kept if step in soup.steps]
    for got, *parts in zip(_weights(averaged), *chosen):
        numpy.testing.assert_allclose(got, numpy.mean(parts, axis=0), rtol=1e-5, atol=1e-6)
    assert averaged.meta["kg_averaged_steps"] == soup.steps
    assert averaged.meta["performance"]["ents_f"] == pytest.approx(soup.score)
    assert not (tmp_path / "averaged.partial").exists()


def test_the_best_checkpoint_alone_is_kept_when_averaging_lowers_the_dev_score(trained, tmp_path):
    """A later "checkpoint" that is the untrained network (step 0's weights) drags the average
    down: the best checkpoint is written alone."""
    import json
    import shutil

    checkpoints, dev = trained
    kept = dict(kept_checkpoints(checkpoints))
    run = tmp_path / "run"
    run.mkdir()
    for step in (2, 4, 6):
        (run / f"step-{step}").symlink_to(kept[step])
    shutil.copytree(kept[0], run / "step-8")
    meta = json.loads((run / "step-8" / "meta.json").read_text(encoding="utf-8"))
    meta["performance"]["ents_f"] = 0.0
    (run / "step-8" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    soup = average_checkpoints(kept_checkpoints(run), dev, tmp_path / "averaged")
    best = max((2, 4, 6), key=lambda step: (soup.scores[step], -step))
    assert soup.scores[best] > 0.5
    assert soup.average_score < soup.best_score and soup.steps == [best]
    for got, want in zip(_weights(spacy.load(tmp_path / "averaged")), _weights(spacy.load(kept[best]))):
        numpy.testing.assert_array_equal(got, want)


def test_a_folder_spacy_train_did_not_save_is_refused_by_name(tmp_path):
    (tmp_path / "step-5").mkdir()
    assert kept_checkpoints(tmp_path) == [(5, tmp_path / "step-5")]
    with pytest.raises(ModelError, match="step-5: no dev score"):
        average_checkpoints(kept_checkpoints(tmp_path), tmp_path / "dev.spacy", tmp_path / "out")
    with pytest.raises(ModelError, match="no checkpoints"):
        average_checkpoints([], tmp_path / "dev.spacy", tmp_path / "out")
