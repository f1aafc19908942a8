"""Named-entity recognition: the spaCy ``zh`` pipeline (pkuseg tokenizer + NER) over documents.

This is the only module that imports spaCy.  It turns spaCy spans into :class:`Mention`
objects whose offsets point into the RAW source text.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import tee
from pathlib import Path

from kg.ner.load import blas_threads as blas_threads_from_env, limited_blas, load_pipeline, resolve_model_path
from kg.ner.rules import apply_document_rules, apply_paragraph_rules
from kg.ner.store import Spans
from kg.schema import LABELS, Document, Mention

log = logging.getLogger(__name__)


def _entity_rules(doc):
    """Pipeline component ``kg_entity_rules``: the paragraph rules of :data:`kg.ner.rules.RULES`, in
    kg's convention (the document rules run after the pipeline, :func:`entity_spans`)."""
    apply_paragraph_rules(doc)
    return doc


def _drop_tensor(doc):
    """Pipeline component ``kg_drop_tensor``: forget the tok2vec's vectors once the NER has read
    them; nothing after needs them (64 floats a character, more than the document itself)."""
    import numpy

    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


def add_mention_components(nlp, *, rules: bool) -> None:
    """Append kg's last components to a loaded pipeline: the entity rules (when ``rules``) and
    :func:`_drop_tensor`.  They run wherever the pipeline runs, worker processes included."""
    from spacy.language import Language

    for name, func in (("kg_entity_rules", _entity_rules), ("kg_drop_tensor", _drop_tensor)):
        if not Language.has_factory(name):
            Language.component(name, func=func)
    if rules:
        nlp.add_pipe("kg_entity_rules", last=True)
    nlp.add_pipe("kg_drop_tensor", last=True)


#: paragraphs in a unit of work (whole documents, at least one): what a worker process parses
#: at a time, and what one process tokenizes in batches
CHUNK_PARAGRAPHS = 256

#: characters in one ``nlp.pipe`` batch at most (with at most ``batch_size`` paragraphs): the
#: network's working memory grows with a batch's characters (some 3 kB a character), and 64 news
#: paragraphs hold some 5,000 to 9,000 (the seed pages' batches), while 64 paragraphs cut from a
#: page without line breaks (:data:`kg.ingest.MAX_PARAGRAPH_CHARS` each) would hold 128,000
BATCH_CHARS = 16_000

#: the pipeline a worker process of :class:`Recognizer` runs (see :func:`_start_worker`)
_WORKER: dict = {}


def entity_spans(nlp, documents: list[list[str]], batch_size: int = 64) -> list[list[list[tuple[int, int, str]]]]:
    """The entities of each document (given as its paragraphs' texts), paragraph by paragraph,
    as ``(start_char, end_char, label)``: the pipeline (with its entity rules, when it has
    them) over all paragraphs, tokenized in batches, then the document-level rules
    (:func:`kg.ner.rules.apply_document_rules`).  What :class:`Recognizer` runs, in this process or in
    a worker."""
    texts = [text for paragraphs in documents for text in paragraphs]
    parsed = [sdoc for batch in batches(texts, batch_size)
              for sdoc in nlp.pipe(tokenized(nlp, batch), batch_size=len(batch))]
    rules = "kg_entity_rules" in nlp.pipe_names
    found, at = [], 0
    for paragraphs in documents:
        sdocs, at = parsed[at:at + len(paragraphs)], at + len(paragraphs)
        if rules:
            apply_document_rules(sdocs, paragraphs)
        found.append([[(e.start_char, e.end_char, e.label_) for e in sdoc.ents] for sdoc in sdocs])
    return found


def batches(texts: list[str], size: int, max_chars: int = BATCH_CHARS) -> Iterator[list[str]]:
    """``texts`` in order, in batches of at most ``size`` texts and, unless one text is longer
    alone, ``max_chars`` characters (:data:`BATCH_CHARS`)."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) == size or chars + len(text) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


def _start_worker(model: Path, rules: bool, threads: int) -> None:
    """Pool initializer: a forked worker runs the pipeline it inherited; a spawned one (macOS,
    Windows) loads it.  Its BLAS runs ``threads`` threads for the worker's life."""
    limited_blas(threads).__enter__()  # the worker ends with the pool: nothing to lift
    if _WORKER.get("nlp") is None:
        nlp = load_pipeline(model)
        add_mention_components(nlp, rules=rules)
        _WORKER["nlp"] = nlp


def _worker_entity_spans(documents: list[list[str]], batch_size: int):
    return entity_spans(_WORKER["nlp"], documents, batch_size)


class Recognizer:
    """Finds PER/ORG/LOC mentions in documents.

    Args:
        model: model directory (default: ``models/ner`` or ``$KG_MODEL``).
        batch_size: paragraphs per ``nlp.pipe`` batch.
        rules: apply kg's entity rules (:data:`kg.ner.rules.RULES`) to the model's spans (the default); ``False``
            gives the model's own output, to measure what the rules add.
        n_process: worker processes (1: this process).  The mentions are the same whatever the
            number; each worker is a copy of this process (about 0.7 GB).  :func:`processes_for`
            says how many a list of documents is worth.
        blas_threads: BLAS threads in each process running the NER, this one included while it
            does (0: no limit); ``None``: :func:`kg.ner.load.blas_threads` (one, or ``$KG_BLAS_THREADS``).
    """

    def __init__(self, model: str | Path | None = None, *, batch_size: int = 64, rules: bool = True,
                 n_process: int = 1, blas_threads: int | None = None) -> None:
        if n_process < 1:
            raise ValueError(f"n_process must be 1 or more, not {n_process}")
        self.model = resolve_model_path(model)
        self.nlp = load_pipeline(self.model)
        add_mention_components(self.nlp, rules=rules)
        self.rules = rules
        self.batch_size = batch_size
        self.n_process = n_process
        self.blas_threads = blas_threads_from_env() if blas_threads is None else blas_threads

    def __call__(self, doc: Document) -> list[Mention]:
        """Return the mentions of one document, in text order."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document]) -> Iterator[list[Mention]]:
        """Yield the mentions of each document, one list per document, in input order."""
        docs, again = tee(docs)
        for doc, spans in zip(again, self.pipe_spans(docs)):
            yield document_mentions(doc, spans)

    def pipe_spans(self, docs: Iterable[Document]) -> Iterator[Spans]:
        """Yield the entity spans of each document (:data:`kg.ner.store.Spans`), in input order.

        Documents go in chunks of about :data:`CHUNK_PARAGRAPHS` paragraphs through
        :func:`entity_spans`: in this process, or shared among ``n_process`` worker processes,
        each tokenizing its chunk in batches and sending back only the entities' offsets."""
        chunks = self._chunks(docs)
        if self.n_process == 1:
            for chunk in chunks:
                with limited_blas(self.blas_threads):
                    yield from entity_spans(self.nlp, paragraph_texts(chunk), self.batch_size)
            return
        import multiprocessing

        context = multiprocessing.get_context()
        _WORKER["nlp"] = self.nlp if context.get_start_method() == "fork" else None  # forked workers inherit it
        try:
            with context.Pool(self.n_process, initializer=_start_worker,
                              initargs=(self.model, self.rules, self.blas_threads)) as pool:
                pending: deque = deque()  # chunks sent, oldest first; a few per worker, not the whole input

                def finished(keep: int) -> Iterator[Spans]:
                    while len(pending) > keep:
                        yield from pending.popleft().get()

                for chunk in chunks:
                    pending.append(pool.apply_async(_worker_entity_spans, (paragraph_texts(chunk), self.batch_size)))
                    yield from finished(2 * self.n_process)
                yield from finished(0)
        finally:
            _WORKER.pop("nlp", None)

    def words(self, texts: list[str]) -> list[list[str]]:
        """The words of each of ``texts`` as the NER's tokenizer segments them (spaCy's tokens for
        another tokenizer)."""
        tokenizer = self.nlp.tokenizer
        if hasattr(tokenizer, "segmented"):
            return [tokenizer.clean_words(words) for _, words in tokenizer.segmented(texts)]
        return [[t.text for t in tokenizer(text) if not t.is_space] for text in texts]

    @staticmethod
    def _chunks(docs: Iterable[Document]) -> Iterator[list[Document]]:
        return chunks_of_work(docs)


def document_mentions(doc: Document, spans: Spans) -> list[Mention]:
    """The mentions of ``doc`` from its entity spans, paragraph by paragraph (:meth:`Recognizer.pipe_spans`)."""
    return [m for paragraph, entities in zip(doc.paragraphs, spans) for m in mentions_of(doc, entities, paragraph.start)]


def chunks_of_work(docs: Iterable[Document]) -> Iterator[list[Document]]:
    """``docs`` in order, in chunks of whole documents of about :data:`CHUNK_PARAGRAPHS`
    paragraphs: what one process parses at a time."""
    chunk, size = [], 0
    for doc in docs:
        chunk.append(doc)
        size += len(doc.paragraphs)
        if size >= CHUNK_PARAGRAPHS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


#: characters of text that make a worker process worth starting when the number is not given
#: (some 4 s of NER on one core; a worker costs a fork, ~0.7 GB and, on macOS and Windows, a
#: model load): a build of a few pages stays in one process
CHARS_PER_PROCESS = 200_000


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def processes_for(docs: list[Document], jobs: int | None = None) -> int:
    """How many processes to run the NER of ``docs`` on: ``jobs`` (0: one per usable core;
    ``None``: one per usable core and per :data:`CHARS_PER_PROCESS` characters), never more than
    chunks of work (:func:`chunks_of_work`), at least one.  The mentions are the same whatever
    the number."""
    chunks = sum(1 for _ in chunks_of_work(docs))
    if jobs == 0:
        jobs = usable_cores()
    elif jobs is None:
        chars = sum(p.end - p.start for doc in docs for p in doc.paragraphs)
        jobs = min(usable_cores(), chars // CHARS_PER_PROCESS)
    return max(1, min(jobs, chunks))


def paragraph_texts(chunk: list[Document]) -> list[list[str]]:
    """Each document's paragraph texts."""
    return [[doc.text[p.start:p.end] for p in doc.paragraphs] for doc in chunk]


def tokenized(nlp, texts: Iterable[str]) -> Iterable:
    """What to hand ``nlp.pipe`` for ``texts``: the documents of kg's tokenizer segmenting and
    matching its lexicon for texts in batches (``PkusegCharTokenizer.pipe``; ``nlp.pipe`` itself
    would call it text by text, about half as fast); the texts themselves for another tokenizer."""
    if hasattr(nlp.tokenizer, "segmented"):
        return nlp.tokenizer.pipe(texts)
    return texts


def mentions_of(doc: Document, entities: list[tuple[int, int, str]], offset: int) -> list[Mention]:
    """The :class:`Mention` objects of the ``entities`` (``(start_char, end_char, label)``,
    :func:`entity_spans`) of one paragraph of ``doc`` that starts at ``offset`` in the cleaned
    text, with raw offsets."""
    mentions = []
    for start_char, end_char, label in entities:
        if label not in LABELS:
            continue
        span = doc.text[offset + start_char:offset + end_char]
        text = span.strip()
        if not text:
            continue
        start = offset + start_char + len(span) - len(span.lstrip())
        mentions.append(Mention(doc.id, start, start + len(text), text, label, doc.sentence_at(start).index))
    return mentions
