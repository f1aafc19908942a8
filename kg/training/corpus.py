"""spaCy reader ``kg.featured_corpus.v1``: training examples whose tokens already carry the
segmenter's features.

spaCy's own ``spacy.Corpus.v1`` re-tokenises every example's text on every epoch, which for kg
means running pkuseg over the whole corpus again each time (minutes per epoch, and again at
initialisation).  ``kg train ner`` tokenises once with the pipeline's own tokenizer and stores
each document with its ``NORM``/``TAG``/``LEMMA`` features and gold entities; this reader
rebuilds the predicted side from those stored features.  The result is the same example spaCy
would have built, without the repeated segmentation.

spaCy finds the reader through kg's entry points (pyproject.toml), as it finds every other name
a kg config uses; no ``--code`` file.
"""
from __future__ import annotations

from pathlib import Path

import spacy
import numpy
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from kg.ner.tagger import TEACHER_KEY
from kg.errors import CorpusError
from kg.training.experiments.pos_task import POS_KEY, load_pos_tags  # (also registers the kg_pos_auxiliary component)

from kg.ner.tokenizer import FEATURES, reverse_doc  # importing it registers kg.pkuseg_chars.v1

#: token attributes a featured DocBin stores (the gold entities and the tokenizer's features)
FEATURE_ATTRS = ["ENT_IOB", "ENT_TYPE", *FEATURES]


def load_teacher(path: Path) -> tuple[numpy.ndarray, numpy.ndarray, list[str]]:
    """(marginals, offsets, tag names) of a file :func:`teacher_marginals` wrote."""
    try:
        with numpy.load(path) as data:
            return data["marginals"], data["offsets"], [str(x) for x in data["labels"]]
    except (OSError, KeyError, ValueError) as err:
        raise CorpusError(f"{path}: not a teacher file written by kg.training.distill ({err})") from err


def predicted_doc(reference: Doc) -> Doc:
    """A copy of ``reference``'s tokens and features without its entities."""
    doc = Doc(
        reference.vocab,
        words=[t.text for t in reference],
        spaces=[bool(t.whitespace_) for t in reference],
    )
    if len(doc):
        doc.from_array(FEATURES, reference.to_array(FEATURES))
    return doc


def read_examples(path: Path, vocab, *, limit: int = 0, reverse: bool = False, teacher: Path | None = None,
                  pos: Path | None = None):
    """Yield :class:`Example` objects from a featured DocBin (right to left with ``reverse``,
    for a pipeline whose tokenizer reverses: :func:`kg.ner.tokenizer.reverse_doc`).  With
    ``teacher`` (a file :func:`kg.training.distill.teacher_marginals` wrote for this DocBin), each
    reference document carries its teacher tag distribution in ``user_data``; with ``pos`` (a
    file :func:`kg.training.experiments.pos_task.write_pos_tags` wrote for it), its parts of speech."""
    marginals = offsets = labels = None
    if teacher is not None:
        if reverse:
            raise CorpusError(f"{teacher}: teacher distributions are for left-to-right pipelines")
        marginals, offsets, labels = load_teacher(Path(teacher))
        labels = tuple(labels)
    pos_tags = pos_offsets = pos_names = None
    if pos is not None:
        if reverse:
            raise CorpusError(f"{pos}: parts of speech are for left-to-right pipelines")
        pos_tags, pos_offsets, pos_names = load_pos_tags(Path(pos))
    count = 0
    for reference in DocBin().from_disk(path).get_docs(vocab):
        if limit and count >= limit:
            break
        if marginals is not None:
            rows = _document_rows(teacher, offsets, count, len(reference), path)
            reference.user_data[TEACHER_KEY] = (labels, marginals[rows])
        if pos_tags is not None:
            ids = pos_tags[_document_rows(pos, pos_offsets, count, len(reference), path)]
            if (ids >= 0).any():
                reference.user_data[POS_KEY] = (pos_names, ids)
        if reverse:
            reference = reverse_doc(reference)
        count += 1
        yield Example(predicted_doc(reference), reference)
    for side, side_offsets in ((teacher, offsets), (pos, pos_offsets)):
        if side_offsets is not None and not limit and count + 1 != len(side_offsets):
            raise CorpusError(f"{side}: it has {len(side_offsets) - 1} documents, {path} has {count}")


def _document_rows(side: Path, offsets, count: int, length: int, docbin: Path) -> slice:
    """The rows of document ``count`` (``length`` tokens) in a file written for the DocBin
    ``docbin`` (teacher distributions, parts of speech: every document's tokens one after the
    other, ``offsets`` their starts); a :class:`CorpusError` when they do not fit."""
    if count + 1 >= len(offsets) or offsets[count + 1] - offsets[count] != length:
        raise CorpusError(f"{side}: its document {count} does not match {docbin} (written for another DocBin?)")
    return slice(int(offsets[count]), int(offsets[count + 1]))


@spacy.registry.readers("kg.featured_corpus.v1")
def featured_corpus(path: Path, limit: int = 0, reverse: bool = False, teacher: Path | None = None,
                    pos: Path | None = None):
    """spaCy registry entry: ``[corpora.train] @readers = "kg.featured_corpus.v1"``; ``teacher``:
    the DocBin's teacher distributions (:mod:`kg.training.distill`), for a distilled training run;
    ``pos``: its parts of speech (:mod:`kg.training.experiments.pos_task`), for the auxiliary task."""
    if path is None:
        raise ValueError("kg.featured_corpus.v1 needs a path to a featured DocBin")

    def read(nlp):
        return read_examples(Path(path), nlp.vocab, limit=limit, reverse=reverse, teacher=teacher, pos=pos)

    return read
