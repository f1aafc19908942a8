"""kg_entity_tagger: BILUO constraints, Viterbi and the CRF loss against brute force, and a
real (tiny) training run."""
from __future__ import annotations

import itertools

import numpy
import pytest
import spacy
from spacy.training import Example

from kg.ner.tagger import crf_loss, tag_names, transition_scores, viterbi

NAMES = tag_names(["X"])  # O B-X I-X L-X U-X: five tags keep brute force small
TRANS, START, END = transition_scores(NAMES)


def valid_sequences(length: int):
    for seq in itertools.product(range(len(NAMES)), repeat=length):
        if START[seq[0]] == 0 and END[seq[-1]] == 0 and all(TRANS[a, b] == 0 for a, b in zip(seq, seq[1:])):
            yield seq


def test_tags_and_the_sequences_biluo_allows():
    assert tag_names(["PER", "LOC"]) == ["O", "B-LOC", "I-LOC", "L-LOC", "U-LOC", "B-PER", "I-PER", "L-PER", "U-PER"]
    allowed = {(NAMES[a], NAMES[b]) for a in range(5) for b in range(5) if TRANS[a, b] == 0}
    assert allowed == {("O", "O"), ("O", "B-X"), ("O", "U-X"), ("B-X", "I-X"), ("B-X", "L-X"), ("I-X", "I-X"),
                       ("I-X", "L-X"), ("L-X", "O"), ("L-X", "B-X"), ("L-X", "U-X"), ("U-X", "O"), ("U-X", "B-X"),
                       ("U-X", "U-X")}
    assert [NAMES[i] for i in range(5) if START[i] == 0] == ["O", "B-X", "U-X"]
    assert [NAMES[i] for i in range(5) if END[i] == 0] == ["O", "L-X", "U-X"]
    names = tag_names(["LOC", "PER"])
    trans, _, _ = transition_scores(names)
    assert trans[names.index("B-LOC"), names.index("L-PER")] < 0  # an entity keeps its label


def scores_of(lengths, seed=0):
    rng = numpy.random.default_rng(seed)
    return [(rng.normal(size=(n, len(NAMES))) * 2).astype(numpy.float32) for n in lengths]


def test_viterbi_finds_the_best_valid_sequence_of_every_document_in_a_batch():
    scores = scores_of([1, 4, 2, 5, 3, 4])
    for doc_scores, path in zip(scores, viterbi(scores, TRANS, START, END)):
        best = max(valid_sequences(len(doc_scores)), key=lambda s: doc_scores[numpy.arange(len(s)), s].sum())
        assert tuple(path.tolist()) == best


def brute_force_nll(scores, gold) -> tuple[float, float]:
    """(negative log-likelihood of ``gold``, -1 meaning any tag; log partition) of one document,
    summed over every valid sequence."""
    seqs = list(valid_sequences(len(scores)))
    value = [float(scores[numpy.arange(len(q)), q].sum()) for q in seqs]
    fits = [v for v, q in zip(value, seqs) if all(t < 0 or t == u for t, u in zip(gold, q))]
    log_z = numpy.logaddexp.reduce(value)
    return log_z - numpy.logaddexp.reduce(fits), log_z


def assert_gradient_matches(loss, scores, gradient, points, step=1e-4):
    """``gradient`` at each (document, position, tag) of ``points`` equals ``loss``'s central
    finite difference."""
    for doc, position, tag in points:
        up = [s.copy() for s in scores]
        down = [s.copy() for s in scores]
        up[doc][position, tag] += step
        down[doc][position, tag] -= step
        assert gradient[doc][position, tag] == pytest.approx((loss(up) - loss(down)) / (2 * step), abs=1e-4)


def test_crf_loss_and_gradient_match_brute_force():
    scores = [s.astype(numpy.float64) for s in scores_of([1, 3, 4, 2], seed=1)]
    gold = [numpy.array([0]), numpy.array([1, 2, 3]), numpy.array([4, -1, 0, 4]), numpy.array([1, 3])]  # -1: unknown

    def nll(scores):
        return sum(brute_force_nll(s, g)[0] for s, g in zip(scores, gold))

    loss, gradient = crf_loss(scores, gold, TRANS, START, END)
    assert loss == pytest.approx(nll(scores), rel=1e-6)
    assert_gradient_matches(nll, scores, gradient, [(1, 0, 1), (2, 1, 3), (2, 2, 0), (3, 1, 3), (0, 0, 4)])


TRAIN = [
    ("张三在包头市工作。", [(0, 2, "PER"), (3, 6, "LOC")]),
    ("李四去了呼和浩特。", [(0, 2, "PER"), (4, 8, "LOC")]),
    ("包钢集团在包头市。", [(0, 4, "ORG"), (5, 8, "LOC")]),
]


def test_the_component_learns_entities_and_sets_them_on_documents():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}})
    nlp.add_pipe("kg_entity_tagger", name="ner", config={"model": {
        "@architectures": "spacy.Tagger.v2", "normalize": False,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 32, "depth": 2,
                    "embed_size": 500, "window_size": 1, "maxout_pieces": 2, "subword_features": False}}})
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": ents}) for text, ents in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    assert nlp.get_pipe("ner").labels == tuple(tag_names(["LOC", "ORG", "PER"]))
    first = last = None
    for _ in range(60):
        losses = nlp.update(examples, sgd=optimizer)
        first = losses["ner"] if first is None else first
        last = losses["ner"]
    assert last < first / 10
    for text, ents in TRAIN:
        doc = nlp(text)
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == ents
        assert all(t.ent_iob_ in "BIO" and t.ent_iob_ for t in doc)  # every other token is outside, none missing
    scores = nlp.evaluate(examples)
    assert scores["ents_f"] == 1.0


def test_a_hidden_layer_between_the_vectors_and_the_tags_trains_too():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}})
    nlp.add_pipe("kg_entity_tagger", name="ner", config={"model": {
        "@architectures": "kg.EntityTaggerModel.v1", "hidden_width": 16,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 32, "depth": 2,
                    "embed_size": 500, "window_size": 1, "maxout_pieces": 2, "subword_features": False}}})
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": ents}) for text, ents in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(80):
        nlp.update(examples, sgd=optimizer)
    assert nlp.evaluate(examples)["ents_f"] == 1.0
    assert nlp.get_pipe("ner").model.get_ref("output_layer").get_dim("nI") == 16


def test_distillation_mixes_the_gold_loss_with_cross_entropy_against_the_teacher():
    scores = [s.astype(numpy.float64) for s in scores_of([2, 3, 4], seed=2)]
    gold = [numpy.array([1, 3]), numpy.array([0, 4, -1]), numpy.array([4, 0, 1, 3])]
    rng = numpy.random.default_rng(3)
    teacher = [None, rng.dirichlet(numpy.ones(len(NAMES)), size=3), rng.dirichlet(numpy.ones(len(NAMES)), size=4)]
    weight = 0.3

    def loss_of(scores):
        total = 0.0
        for s, g, q in zip(scores, gold, teacher):
            nll, log_z = brute_force_nll(s, g)
            if q is None:
                total += nll
            else:  # cross-entropy of the sequence distribution against the teacher's marginals
                total += (1 - weight) * nll + weight * (log_z - float((q * s).sum()))
        return total

    plain, _ = crf_loss(scores, gold, TRANS, START, END)
    unweighted, _ = crf_loss(scores, gold, TRANS, START, END, teacher=teacher, weight=0.0)
    assert unweighted == pytest.approx(plain)
    loss, gradient = crf_loss(scores, gold, TRANS, START, END, teacher=teacher, weight=weight)
    assert loss == pytest.approx(loss_of(scores), rel=1e-6)
    assert_gradient_matches(loss_of, scores, gradient, [(0, 1, 3), (1, 0, 0), (1, 2, 2), (2, 3, 4), (2, 1, 1)])


def test_a_student_learns_from_its_teacher_what_the_gold_leaves_out(tmp_path):
    """The gold of the last sentence misses 王五; a teacher's distribution (weight 1) teaches it."""
    from spacy.tokens import DocBin

    from kg.ner.tagger import TEACHER_KEY
    from kg.training.corpus import load_teacher
    from kg.training.corpus import read_examples

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.zh.ChineseTokenizer", "segmenter": "char"}}})
    nlp.add_pipe("kg_entity_tagger", name="ner", config={"distill_weight": 1.0, "model": {
        "@architectures": "spacy.Tagger.v2", "normalize": False,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 32, "depth": 2,
                    "embed_size": 500, "window_size": 1, "maxout_pieces": 2, "subword_features": False}}})
    data = TRAIN + [("王五在包头市。", [(3, 6, "LOC")])]
    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"])
    for text, ents in data:
        doc = nlp.make_doc(text)
        doc.ents = [doc.char_span(s, e, label=label) for s, e, label in ents]
        docbin.add(doc)
    docbin.to_disk(tmp_path / "train.spacy")
    names = tag_names(["LOC", "ORG", "PER"])
    wanted = data[:3] + [("王五在包头市。", [(0, 2, "PER"), (3, 6, "LOC")])]
    rows = []
    for text, ents in wanted:  # a confident teacher: the wanted tags, one-hot
        tags = ["O"] * len(text)
        for s, e, label in ents:
            tags[s:e] = [f"I-{label}"] * (e - s)
            tags[s], tags[e - 1] = f"B-{label}", f"L-{label}"
        rows += [numpy.eye(len(names))[names.index(t)] for t in tags]
    offsets = numpy.cumsum([0] + [len(t) for t, _ in wanted])
    numpy.savez(tmp_path / "teacher.npz", marginals=numpy.array(rows, dtype=numpy.float16), offsets=offsets,
                labels=numpy.array(names))
    assert load_teacher(tmp_path / "teacher.npz")[2] == names
    examples = list(read_examples(tmp_path / "train.spacy", nlp.vocab, teacher=tmp_path / "teacher.npz"))
    assert examples[3].reference.user_data[TEACHER_KEY][1].shape == (7, len(names))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(80):
        nlp.update(examples, sgd=optimizer)
    doc = nlp("王五在包头市。")
    assert [(e.text, e.label_) for e in doc.ents] == [("王五", "PER"), ("包头市", "LOC")]

