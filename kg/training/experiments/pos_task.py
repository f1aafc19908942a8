"""An auxiliary training task: People's Daily's parts of speech, learned by the NER's tok2vec.

People's Daily 1998-01 tags every word with its part of speech (PKU tag set), but the NER
reads only its ``nr``/``ns``/``nt`` names.  The rest says where a name cannot run on: 诉诸 is a
verb, so it is no part of the court in 诉诸县人民法院 (one "organisation" of the shipped model
on MSRA dev).  The component ``kg_pos_auxiliary`` predicts each character's
``B-``/``I-`` + part of speech (:func:`kg.training.corpora.peoples_daily_char_pos`) from the shared
``tok2vec``, during training only: its loss flows into the tok2vec the NER reads, and at
prediction time it does nothing (no forward pass), so it costs no speed and is removed from a
pipeline before shipping (:func:`remove_auxiliary`).

``python -m kg.training.experiments.pos_task TRAIN.spacy OUT.npz`` writes the tags of a featured DocBin's documents
(``kg train ner`` prepares it), in its order; documents that are not People's Daily paragraphs
get none.  The reader ``kg.featured_corpus.v1`` takes them as ``pos = OUT.npz``.
"""
from __future__ import annotations

import argparse
import io
import shutil
from itertools import islice
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.training import validate_examples
from thinc.api import Config

from kg.errors import CorpusError
from kg.files import AtomicWriter
from kg.training.corpora import peoples_daily_char_pos
from kg.training.corpora import require

#: ``Doc.user_data`` key of a training document's tags: (tag names, ``n`` int16 ids, -1 none)
POS_KEY = "kg_pos"
#: the factory's name, and the name ``configs/ner-pos.cfg`` gives the component
FACTORY = "kg_pos_auxiliary"

DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.Tagger.v2"
normalize = true

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 64
upstream = "*"
"""
)["model"]


def write_pos_tags(docbin: Path, people_daily: Path, out: Path) -> tuple[int, int]:
    """Write ``out`` (an ``.npz``: ``tags``, every document's tokens one after the other, int16
    ids, -1 where unknown; ``offsets``, each document's first row, and the end; ``names``, the
    tag names) for the featured DocBin ``docbin``: a document whose text is a People's Daily
    paragraph (``people_daily``: ``199801.txt``) gets that paragraph's tags.  Returns (documents,
    tagged documents)."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab


    tags_of = dict(peoples_daily_char_pos(people_daily))
    names = sorted({t for tags in tags_of.values() for t in tags})
    index = {name: i for i, name in enumerate(names)}
    rows, lengths, tagged = [], [], 0
    for doc in DocBin().from_disk(docbin).get_docs(Vocab()):
        tags = tags_of.get(doc.text)
        if tags is not None and len(tags) == len(doc):
            rows.append(numpy.array([index[t] for t in tags], dtype=numpy.int16))
            tagged += 1
        else:
            rows.append(numpy.full(len(doc), -1, dtype=numpy.int16))
        lengths.append(len(doc))
    offsets = numpy.concatenate([[0], numpy.cumsum(lengths)]).astype(numpy.int64)
    data = io.BytesIO()
    numpy.savez(data, tags=numpy.concatenate(rows) if rows else numpy.zeros(0, numpy.int16),
                offsets=offsets, names=numpy.array(names))
    writer = AtomicWriter(out.parent)  # written whole or not at all
    writer.write_bytes(out.name, data.getvalue())
    writer.commit()
    return len(lengths), tagged


def load_pos_tags(path: Path) -> tuple[numpy.ndarray, numpy.ndarray, tuple[str, ...]]:
    """(tags, offsets, tag names) of a file :func:`write_pos_tags` wrote."""
    try:
        with numpy.load(path) as data:
            return data["tags"], data["offsets"], tuple(str(x) for x in data["names"])
    except (OSError, KeyError, ValueError) as err:
        raise CorpusError(f"{path}: not a tags file written by kg.training.experiments.pos_task ({err})") from err


class PosAuxiliary(Tagger):
    """A tagger trained on the parts of speech the training documents carry (``POS_KEY``),
    for its gradient into the shared tok2vec; it predicts nothing and sets nothing."""

    #: the scale of this task's loss and gradient against the NER's
    weight = 1.0
    #: kg.ner.load.load_pipeline drops it: it predicts nothing
    training_only = True

    def predict(self, docs):
        return [None] * len(list(docs))

    def set_annotations(self, docs, batch_tag_ids):
        pass

    def get_loss(self, examples, scores):
        """Cross-entropy of the softmax tag scores against the carried tags (tokens without a
        tag, and documents without tags, contribute nothing), times ``weight``."""
        validate_examples(examples, "PosAuxiliary.get_loss")
        loss, gradients = 0.0, []
        for eg, probs in zip(examples, scores):
            probs = self.model.ops.to_numpy(probs)
            grad = numpy.zeros_like(probs)
            carried = eg.reference.user_data.get(POS_KEY)
            if carried is not None:
                names, ids = carried
                if tuple(names) != tuple(self.labels):
                    raise ValueError(f"the documents' tags {names[:5]}… are not this component's {self.labels[:5]}…")
                rows = numpy.flatnonzero(ids >= 0)
                gold = ids[rows].astype(numpy.intp)
                grad[rows] = probs[rows]
                grad[rows, gold] -= 1.0
                loss -= float(numpy.log(numpy.maximum(probs[rows, gold], 1e-30)).sum())
            gradients.append(self.model.ops.asarray(grad * self.weight))
        return loss * self.weight, gradients

    def initialize(self, get_examples, *, nlp=None, labels=None):
        """Tags from the first document that carries some (or ``labels``), then the model's shapes."""
        if labels is None:
            carried = next((eg.reference.user_data[POS_KEY] for eg in get_examples()
                            if POS_KEY in eg.reference.user_data), None)
            if carried is None:
                raise ValueError(f"{self.name}: no training document carries parts of speech "
                                 "(set the reader's pos = a file kg.training.experiments.pos_task wrote)")
            labels = carried[0]
        for name in labels:
            self.add_label(name)
        docs = [eg.predicted for eg in islice(get_examples(), 10)]
        self.model.initialize(X=docs, Y=[self.model.ops.alloc2f(len(d), len(self.labels)) for d in docs])


@Language.factory(FACTORY, default_config={"model": DEFAULT_MODEL, "weight": 1.0}, default_score_weights={})
def make_pos_auxiliary(nlp: Language, name: str, model, weight: float):
    """spaCy factory: ``[components.pos] factory = "kg_pos_auxiliary"``; ``weight``: the scale
    of its loss against the NER's."""
    if weight < 0:
        raise ValueError(f"weight must be ≥ 0, not {weight}")
    component = PosAuxiliary(nlp.vocab, model, name, scorer=None)
    component.weight = weight
    return component


def remove_auxiliary(nlp) -> list[str]:
    """Remove every ``kg_pos_auxiliary`` component from ``nlp`` (before shipping); their names."""
    names = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == FACTORY]
    for name in names:
        nlp.remove_pipe(name)
    return names


def strip_auxiliary(model_dir: Path) -> list[str]:
    """Remove the auxiliary components from the pipeline saved in ``model_dir`` (rewritten in
    place when it has any); their names."""
    import spacy
    from spacy import util


    components = util.load_config(model_dir / "config.cfg", interpolate=False)["components"]
    if not any(section.get("factory") == FACTORY for section in components.values()):
        return []  # nothing to strip: the pipeline is not loaded, nor written again
    nlp = spacy.load(model_dir)
    names = remove_auxiliary(nlp)
    nlp.to_disk(model_dir)
    for name in names:
        if (model_dir / name).is_dir():
            shutil.rmtree(model_dir / name)
    return names


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kg.training.experiments.pos_task", description=__doc__.split("\n\n")[0])
    parser.add_argument("docbin", type=Path, help="featured DocBin (training data prepared by kg train ner)")
    parser.add_argument("out", type=Path, help="where to write the tags (.npz)")
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"), help="corpora folder")
    args = parser.parse_args(argv)

    n, tagged = write_pos_tags(args.docbin, require(args.corpora / "peoples_daily_1998" / "199801.txt"), args.out)
    print(f"{args.out}: parts of speech for {tagged} of {n} documents")


if __name__ == "__main__":
    main()
