"""Teacher tag distributions for training an NER by distillation.

An ensemble of kg's entity taggers (their tag scores averaged) beats each of its members: on
MSRA test, two seeds of the shipped recipe score 0.916 each and 0.921 together.  Running two
networks costs twice the time, so instead one network of the usual size learns from the
ensemble: for every token of the training data, the ensemble's marginal probability of each
BILUO tag under the valid-sequence CRF (:func:`kg.ner.tagger.log_partition`), which the
student's loss (``distill_weight`` in :class:`kg.ner.tagger.EntityTagger`) mixes with the
gold tags.

``python -m kg.training.distill TRAIN.spacy OUT.npz TEACHER [TEACHER ...]`` writes the distributions of
a featured DocBin's documents (``kg train ner`` prepares it), in its order; the reader
``kg.featured_corpus.v1`` takes them as ``teacher = OUT.npz``.
"""
from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy

from kg.errors import CorpusError
from kg.files import AtomicWriter
from kg.ner import load_pipeline
from kg.ner.tagger import _padded, log_partition, transition_scores
from kg.progress import progress
from kg.training.corpus import read_examples



def teacher_marginals(docbin: Path, teachers: list[Path], out: Path, *, batch_size: int = 256,
                      show_progress: bool = True) -> int:
    """Write ``out`` (an ``.npz``: ``marginals``, all documents' tokens one after the other,
    float16 ``N×K``; ``offsets``, each document's first row, and the end; ``labels``, the tag
    order) for the featured DocBin ``docbin``, from the average of ``teachers``' tag scores.
    Returns the number of documents.  The teachers must share their tag set."""
    nlps = [load_pipeline(t) for t in teachers]
    labels = [list(nlp.get_pipe("ner").labels) for nlp in nlps]
    if any(lab != labels[0] for lab in labels):
        raise CorpusError(f"{teachers}: the teachers' tag sets differ: {labels}")
    trans, start, end = transition_scores(labels[0])
    taggers = [(nlp.get_pipe("tok2vec"), nlp.get_pipe("ner")) for nlp in nlps]
    docs_of = [[eg.predicted for eg in read_examples(docbin, nlp.vocab)] for nlp in nlps]
    n_docs = len(docs_of[0])
    lengths = numpy.array([len(d) for d in docs_of[0]])
    offsets = numpy.concatenate([[0], numpy.cumsum(lengths)])
    marginals = numpy.zeros((int(offsets[-1]), len(labels[0])), dtype=numpy.float16)
    order = numpy.argsort(-lengths, kind="stable")  # similar lengths together: less padding
    starts = range(0, n_docs, batch_size)
    for first in progress(starts, desc="teacher marginals", unit="batch", disable=not show_progress):
        rows = [int(i) for i in order[first:first + batch_size] if lengths[i]]
        if rows:
            total = None
            for (tok2vec, ner), docs in zip(taggers, docs_of):
                batch = list(tok2vec.pipe([docs[i] for i in rows]))
                scores = [numpy.asarray(ner.model.ops.to_numpy(s), dtype=numpy.float64) for s in ner.model.predict(batch)]
                total = scores if total is None else [a + b for a, b in zip(total, scores)]
            emissions, mask = _padded([s / len(nlps) for s in total], numpy.float64)
            _, probs = log_partition(emissions, mask, trans, start, end)
            for j, i in enumerate(rows):
                marginals[offsets[i]:offsets[i + 1]] = probs[j, : lengths[i]]
    data = io.BytesIO()
    numpy.savez(data, marginals=marginals, offsets=offsets, labels=numpy.array(labels[0]))
    writer = AtomicWriter(out.parent)  # written whole or not at all
    writer.write_bytes(out.name, data.getvalue())
    writer.commit()
    return n_docs


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kg.training.distill", description=__doc__.split("\n\n")[0])
    parser.add_argument("docbin", type=Path, help="featured DocBin (training data prepared by kg train ner)")
    parser.add_argument("out", type=Path, help="where to write the teacher distributions (.npz)")
    parser.add_argument("teachers", type=Path, nargs="+", help="trained kg NER model directories")
    args = parser.parse_args(argv)
    n = teacher_marginals(args.docbin, args.teachers, args.out)
    print(f"{args.out}: teacher distributions of {n} documents from {len(args.teachers)} teachers")


if __name__ == "__main__":
    main()
