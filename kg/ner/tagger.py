"""spaCy component ``kg_entity_tagger``: named entities as per-token BILUO tags, trained and
decoded as a constrained linear-chain CRF.

spaCy's ``ner`` is a transition-based parser: each token costs a step of a Cython loop over
parser states, a hidden layer and a softmax over the moves, which on kg's character tokens is
a third of the pipeline's time.  This component scores every token's tags with one linear
layer over the shared ``tok2vec`` (spaCy's ``spacy.Tagger.v2`` model), then finds the best
*valid* tag sequence with a Viterbi decoder run over a whole batch at once in numpy.

- **Tags**: ``O`` and ``B-``/``I-``/``L-``/``U-`` for each entity label (13 for PER/ORG/LOC).
- **Valid sequences**: ``I-X``/``L-X`` only after ``B-X``/``I-X``; ``O``, ``B-*``, ``U-*`` only
  after ``O``/``L-*``/``U-*`` or at the start; a document ends on ``O``/``L-*``/``U-*``.  The
  constraints are fixed (no learned transition weights), so the model is the tagger's.
- **Training loss**: the negative log-likelihood of the gold sequence among all valid
  sequences (a CRF whose transition scores are 0 or forbidden), computed with forward-backward.
  Its gradient with respect to the tag scores is the tags' marginal probabilities minus the
  gold's, so the network learns scores whose best *sequence* is right, not only each token's
  best tag.  Tokens without gold annotation (``-`` in spaCy's BILUO strings) are left free.
- **Output**: ``doc.ents`` (every other token set outside), scored by ``spacy.ner_scorer.v1``.
"""
from __future__ import annotations

from itertools import islice

import numpy
from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.tokens import Doc, Span
from spacy.training import validate_examples
from spacy.util import registry
from thinc.api import Config, Model


#: ``Doc.user_data`` key of a training document's teacher tag distribution (``n×K`` float16), set by
#: kg.training.corpus when a distilled NER trains (kg.training.distill writes the distributions)
TEACHER_KEY = "kg_teacher"
#: the BILUO prefixes, in the order the tag names use them
PREFIXES = ("B", "I", "L", "U")
#: the score that forbids a transition (finite, so log-sum-exp stays exact and NaN-free)
FORBIDDEN = -1e4

DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.Tagger.v2"
normalize = false

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "*"
"""
)["model"]


def tag_names(entity_labels) -> list[str]:
    """``O`` and the four BILUO tags of each label, labels sorted: the component's tag order."""
    return ["O"] + [f"{prefix}-{label}" for label in sorted(entity_labels) for prefix in PREFIXES]


def transition_scores(names: list[str]) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(``K×K`` from→to, ``K`` start, ``K`` end) scores: 0 where BILUO allows it, FORBIDDEN
    elsewhere."""
    k = len(names)
    prefix = [name.split("-", 1)[0] for name in names]
    label = [name.split("-", 1)[1] if "-" in name else "" for name in names]
    opens = numpy.array([p in ("O", "B", "U") for p in prefix])  # may follow an outside position
    closed = numpy.array([p in ("O", "L", "U") for p in prefix])  # leaves the position outside
    trans = numpy.full((k, k), FORBIDDEN, dtype=numpy.float32)
    for i in range(k):
        for j in range(k):
            if closed[i] and opens[j]:
                trans[i, j] = 0.0
            elif prefix[i] in ("B", "I") and prefix[j] in ("I", "L") and label[i] == label[j]:
                trans[i, j] = 0.0
    start = numpy.where(opens, 0.0, FORBIDDEN).astype(numpy.float32)
    end = numpy.where(closed, 0.0, FORBIDDEN).astype(numpy.float32)
    return trans, start, end


def _padded(scores: list, dtype) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(``B×T×K`` scores, zero after each document's end; ``B×T`` mask of real positions)."""
    lengths = numpy.array([len(s) for s in scores])
    k = scores[0].shape[1]
    padded = numpy.zeros((len(scores), int(lengths.max()), k), dtype=dtype)
    for i, s in enumerate(scores):
        padded[i, : len(s)] = s
    return padded, numpy.arange(padded.shape[1])[None, :] < lengths[:, None]


def predecessor_groups(trans: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The allowed predecessors of each tag, grouped: (``G×W`` tag ids of each distinct
    predecessor set, padded by repeating its last member; ``K`` group of each tag).  BILUO has
    1 + one per label such sets (after ``O``/``L``/``U``, and after ``B-X``/``I-X``), so a
    Viterbi step takes ``G×W`` maxima instead of ``K×K``."""
    sets = [tuple(numpy.flatnonzero(trans[:, j] > FORBIDDEN / 2)) for j in range(trans.shape[1])]
    distinct = sorted(set(sets))
    width = max(len(s) for s in distinct)
    members = numpy.array([s + (s[-1],) * (width - len(s)) for s in distinct], dtype=numpy.intp)
    return members, numpy.array([distinct.index(s) for s in sets], dtype=numpy.intp)


def viterbi(scores: list, trans: numpy.ndarray, start: numpy.ndarray, end: numpy.ndarray) -> list[numpy.ndarray]:
    """The best valid tag sequence of each document (``scores``: one ``n×K`` array each),
    decoded together, longest first: at position ``i`` one numpy step updates the documents
    longer than ``i``.  Predecessors are looked up by group (:func:`predecessor_groups`)."""
    if not scores:
        return []
    members, group_of = predecessor_groups(trans)
    order = sorted(range(len(scores)), key=lambda j: -len(scores[j]))
    lengths = numpy.array([len(scores[j]) for j in order])
    emissions, _ = _padded([scores[j] for j in order], numpy.float32)
    b, t, k = emissions.shape
    active = (b - numpy.cumsum(numpy.bincount(lengths, minlength=t))[:t]).tolist()  # documents longer than i
    best = emissions[:, 0] + start
    back = numpy.zeros((b, t, members.shape[0]), dtype=numpy.int8)
    groups = numpy.arange(members.shape[0])[None, :]
    for i in range(1, t):
        n = active[i]
        candidates = best[:n, members]  # n×G×W
        pick = candidates.argmax(axis=2)
        back[:n, i] = members[groups, pick]
        best[:n] = candidates.max(axis=2)[:, group_of] + emissions[:n, i]
    last = (best + end).argmax(axis=1)
    path = numpy.zeros((b, t), dtype=numpy.intp)
    current = numpy.zeros(b, dtype=numpy.intp)
    rows = numpy.arange(b)
    for i in range(t - 1, -1, -1):
        n = active[i]
        ending = slice(active[i + 1] if i + 1 < t else 0, n)  # documents whose last position is i
        current[ending] = last[ending]
        path[:n, i] = current[:n]
        if i:
            current[:n] = back[rows[:n], i, group_of[current[:n]]]
    paths = [None] * len(scores)
    for row, j in enumerate(order):
        paths[j] = path[row, : lengths[row]]
    return paths


def _logsumexp(x: numpy.ndarray, axis: int) -> numpy.ndarray:
    top = x.max(axis=axis, keepdims=True)
    return numpy.log(numpy.exp(x - top).sum(axis=axis)) + numpy.squeeze(top, axis=axis)


def log_partition(emissions: numpy.ndarray, mask: numpy.ndarray, trans, start, end):
    """Forward-backward over valid sequences: (``B`` log partition, ``B×T×K`` marginals)."""
    b, t, k = emissions.shape
    alpha = numpy.empty_like(emissions)
    beta = numpy.empty_like(emissions)
    alpha[:, 0] = emissions[:, 0] + start
    for i in range(1, t):
        here = _logsumexp(alpha[:, i - 1, :, None] + trans, axis=1) + emissions[:, i]
        alpha[:, i] = numpy.where(mask[:, i, None], here, alpha[:, i - 1])
    beta[:, -1] = end
    for i in range(t - 2, -1, -1):
        here = _logsumexp(trans + (emissions[:, i + 1] + beta[:, i + 1])[:, None, :], axis=2)
        beta[:, i] = numpy.where(mask[:, i + 1, None], here, beta[:, i + 1])
    log_z = _logsumexp(alpha[:, -1] + end, axis=1)
    marginals = numpy.exp(alpha + beta - log_z[:, None, None]) * mask[:, :, None]
    return log_z, marginals


def crf_loss(scores: list, gold: list, trans, start, end, *, teacher: list | None = None,
             weight: float = 0.0) -> tuple[float, list]:
    """Negative log-likelihood of the gold tags among valid sequences, and its gradient with
    respect to each document's scores.  ``gold``: one int array per document, -1 where the
    tag is unknown (any tag allowed there).

    With ``teacher`` (per document an ``n×K`` array of a teacher's tag marginals, or None) and
    ``weight`` > 0, a document with a teacher scores ``(1 - weight)`` times that loss plus
    ``weight`` times the cross-entropy of the model's sequence distribution against the
    teacher's marginals (``log Z - Σ q·s``): the gradient's target becomes the mix of the
    gold's marginals and the teacher's (distillation, see :mod:`kg.training.distill`)."""
    emissions, mask = _padded(scores, numpy.float64)
    known = numpy.full(mask.shape, -1)
    for i, g in enumerate(gold):
        known[i, : len(g)] = g
    k = emissions.shape[2]
    allowed = (known[:, :, None] < 0) | (known[:, :, None] == numpy.arange(k))
    log_z, marginals = log_partition(emissions, mask, trans, start, end)
    gold_z, gold_marginals = log_partition(emissions + numpy.where(allowed, 0.0, FORBIDDEN), mask, trans, start, end)
    gradient = marginals - gold_marginals
    losses = log_z - gold_z
    if teacher is not None and weight > 0:
        for i, q in enumerate(teacher):
            if q is None:
                continue
            n = len(scores[i])
            q = numpy.asarray(q, dtype=numpy.float64)
            soft_loss = log_z[i] - float((q * emissions[i, :n]).sum())
            losses[i] = (1 - weight) * losses[i] + weight * soft_loss
            gradient[i, :n] = marginals[i, :n] - ((1 - weight) * gold_marginals[i, :n] + weight * q)
    return float(losses.sum()), [gradient[i, : len(s)].astype(numpy.float32) for i, s in enumerate(scores)]


@registry.architectures("kg.EntityTaggerModel.v1")
def entity_tagger_model(tok2vec: Model, hidden_width: int = 0, maxout_pieces: int = 2, nO: int | None = None) -> Model:
    """spaCy's ``spacy.Tagger.v2`` (unnormalised output) with an optional hidden maxout layer
    of ``hidden_width`` between each token's vector and its tag scores (0: none, which is
    ``spacy.Tagger.v2`` itself)."""
    from thinc.api import Maxout, Softmax_v2, chain, with_array, zero_init

    width = tok2vec.get_dim("nO") if tok2vec.has_dim("nO") else None
    output = Softmax_v2(nO, hidden_width or width, init_W=zero_init, normalize_outputs=False)
    head = chain(Maxout(hidden_width, width, nP=maxout_pieces, dropout=0.0), output) if hidden_width else output
    model = chain(tok2vec, with_array(head))
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("softmax", output)
    model.set_ref("output_layer", output)
    return model


class EntityTagger(Tagger):
    """Named entities as BILUO tags (see the module docstring); a spaCy ``Tagger`` whose
    tags are entity boundaries, with a CRF loss and constrained Viterbi decoding."""

    #: share of the training loss taken from teacher distributions (:mod:`kg.training.distill`)
    distill_weight = 0.0

    def _tables(self) -> dict:
        """What decoding and the loss need of the tags, computed once for the current labels:
        the transition scores (:func:`transition_scores`), whether each tag opens or closes an
        entity, and each tag's entity label as a string id."""
        if getattr(self, "_tables_for", None) != self.labels:
            prefixes = [name[0] for name in self.labels]
            self._cached_tables = {
                "transitions": transition_scores(list(self.labels)),
                "opens": numpy.array([p in "BU" for p in prefixes]),
                "closes": numpy.array([p in "LU" for p in prefixes]),
                "label_ids": numpy.array([self.vocab.strings.add(name[2:]) if name != "O" else 0
                                          for name in self.labels], dtype=numpy.uint64),
            }
            self._tables_for = self.labels
        return self._cached_tables

    def predict(self, docs):
        """The best valid tag ids of each document."""
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [numpy.zeros((len(doc),), dtype=numpy.intp) for doc in docs]
        scores = [self.model.ops.to_numpy(s) for s in self.model.predict(docs)]
        trans, start, end = self._tables()["transitions"]
        paths = [numpy.zeros((0,), dtype=numpy.intp) for _ in docs]
        filled = [i for i in range(len(docs)) if len(scores[i])]
        for i, path in zip(filled, viterbi([scores[i] for i in filled], trans, start, end)):
            paths[i] = path
        return paths

    def set_annotations(self, docs, batch_tag_ids):
        """Set each document's ``ents`` from its tags (every other token outside)."""
        if isinstance(docs, Doc):
            docs = [docs]
        tables = self._tables()
        opens, closes, label_ids = tables["opens"], tables["closes"], tables["label_ids"]
        for doc, tags in zip(docs, batch_tag_ids):
            tags = numpy.asarray(tags)
            begins = numpy.flatnonzero(opens[tags])
            ends = numpy.flatnonzero(closes[tags]) + 1  # a valid sequence alternates begin, end
            labels = label_ids[tags[begins]].tolist()
            doc.set_ents([Span(doc, b, e, label=lab) for b, e, lab in zip(begins.tolist(), ends.tolist(), labels)],
                         default="outside")

    def get_loss(self, examples, scores):
        """The CRF loss and its gradient (see :func:`crf_loss`); with ``distill_weight``, mixed
        with the cross-entropy against the teacher distributions the training documents carry
        (:mod:`kg.training.distill`)."""
        validate_examples(examples, "EntityTagger.get_loss")
        index = {name: i for i, name in enumerate(self.labels)}  # None, "" and "-" (unknown): -1
        gold = [numpy.array([index.get(t, -1) for t in eg.get_aligned_ner()]) for eg in examples]
        trans, start, end = self._tables()["transitions"]
        log_probs = [numpy.log(numpy.maximum(self.model.ops.to_numpy(s), 1e-30)) for s in scores]
        teacher = None
        if self.distill_weight:
            teacher = [self._teacher_of(eg) for eg in examples]
        loss, gradient = crf_loss(log_probs, gold, trans, start, end, teacher=teacher, weight=self.distill_weight)
        return loss, [self.model.ops.asarray(g) for g in gradient]

    def _teacher_of(self, example):
        """The teacher tag marginals an example's reference document carries, or None."""
        carried = example.reference.user_data.get(TEACHER_KEY)
        if carried is None:
            return None
        labels, marginals = carried
        if tuple(labels) != tuple(self.labels):
            raise ValueError(f"the teacher's tags {labels} are not this component's {self.labels}")
        return marginals

    def initialize(self, get_examples, *, nlp=None, labels=None):
        """Tags from the examples' entity labels (or ``labels``), then the model's shapes."""
        if labels is None:
            labels = sorted({ent.label_ for eg in get_examples() for ent in eg.reference.ents})
        else:
            labels = sorted({name.split("-", 1)[-1] for name in labels if name != "O"})
        for name in tag_names(labels):
            self.add_label(name)
        docs = [eg.predicted for eg in islice(get_examples(), 10)]
        self.model.initialize(X=docs, Y=[self.model.ops.alloc2f(len(d), len(self.labels)) for d in docs])


@Language.factory(
    "kg_entity_tagger",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"model": DEFAULT_MODEL, "scorer": {"@scorers": "spacy.ner_scorer.v1"}, "distill_weight": 0.0},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_entity_tagger(nlp: Language, name: str, model, scorer, distill_weight: float):
    """spaCy factory: ``[components.ner] factory = "kg_entity_tagger"``; ``distill_weight``
    (0 to 1) is the share of the training loss taken from teacher distributions
    (:mod:`kg.training.distill`; 0: the gold tags alone)."""
    if not 0.0 <= distill_weight <= 1.0:
        raise ValueError(f"distill_weight must be between 0 and 1, not {distill_weight}")
    tagger = EntityTagger(nlp.vocab, model, name, scorer=scorer)
    tagger.distill_weight = distill_weight
    return tagger
