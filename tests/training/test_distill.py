"""kg.training.distill: teacher tag distributions from real trained models, written for a featured
DocBin and read back by the training reader."""
from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import DocBin

from kg.ner.tagger import TEACHER_KEY
from kg.training.corpus import load_teacher
from kg.training.distill import teacher_marginals
from kg.ner.tagger import tag_names
from kg.errors import CorpusError
from kg.ner import DEFAULT_MODEL
from kg.training.train import featured_tokenizer, write_docbin
from kg.training.corpus import featured_corpus, read_examples

EXAMPLES = [
    ("国家发改委主任在包头市调研。", [(0, 5, "ORG"), (8, 11, "LOC")]),
    ("记者３月采访了段志强。", [(7, 10, "PER")]),
    ("", []),
]

needs_model = pytest.mark.skipif(not (DEFAULT_MODEL / "config.cfg").exists(), reason="no trained NER model")


@needs_model
def test_teacher_marginals_of_the_shipped_model_are_distributions_its_decoder_agrees_with(tmp_path):
    write_docbin(featured_tokenizer(), EXAMPLES, tmp_path / "train.spacy")
    n = teacher_marginals(tmp_path / "train.spacy", [DEFAULT_MODEL, DEFAULT_MODEL], tmp_path / "teacher.npz",
                          show_progress=False)
    assert n == 3
    marginals, offsets, labels = load_teacher(tmp_path / "teacher.npz")
    assert labels == tag_names(["LOC", "ORG", "PER"])
    examples = list(featured_corpus(tmp_path / "train.spacy", teacher=tmp_path / "teacher.npz")(spacy.blank("zh")))
    assert [len(eg.reference) for eg in examples] == numpy.diff(offsets).tolist()
    assert numpy.allclose(marginals.astype(float).sum(axis=1), 1.0, atol=2e-3)
    for example, (text, spans) in zip(examples, EXAMPLES):
        carried_labels, q = example.reference.user_data[TEACHER_KEY]
        assert carried_labels == tuple(labels) and len(q) == len(text)
        best = [labels[i] for i in q.argmax(axis=1)]  # this model finds these entities itself
        for start, end, label in spans:
            assert best[start:end] == [f"B-{label}"] + [f"I-{label}"] * (end - start - 2) + [f"L-{label}"]


def test_teacher_distributions_for_another_docbin_are_refused(tmp_path):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}})
    DocBin(docs=[nlp.make_doc(text) for text, _ in EXAMPLES[:2]]).to_disk(tmp_path / "train.spacy")
    labels = numpy.array(tag_names(["LOC", "ORG", "PER"]))
    numpy.savez(tmp_path / "long.npz", marginals=numpy.zeros((30, 13), dtype=numpy.float16),
                offsets=numpy.array([0, 14, 25, 30]), labels=labels)
    with pytest.raises(CorpusError, match="long.npz: it has 3 documents, .*train.spacy has 2"):
        list(read_examples(tmp_path / "train.spacy", nlp.vocab, teacher=tmp_path / "long.npz"))
    assert len(list(read_examples(tmp_path / "train.spacy", nlp.vocab, teacher=tmp_path / "long.npz", limit=2))) == 2
    numpy.savez(tmp_path / "other.npz", marginals=numpy.zeros((5, 13), dtype=numpy.float16),
                offsets=numpy.array([0, 5]), labels=labels)
    with pytest.raises(CorpusError, match="other.npz: its document 0 does not match"):
        list(read_examples(tmp_path / "train.spacy", nlp.vocab, teacher=tmp_path / "other.npz"))
    (tmp_path / "bad.npz").write_text("not numpy")
    with pytest.raises(CorpusError, match="bad.npz: not a teacher file"):
        list(read_examples(tmp_path / "train.spacy", nlp.vocab, teacher=tmp_path / "bad.npz"))
