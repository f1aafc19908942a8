"""The NER stage of a build: spans from the store where it has them, the rest from an engine.

:class:`NERStage` is what :func:`kg.pipeline.build` runs: it looks every document up in the
per-document store (:mod:`kg.ner.store`, when the build has one), runs the NER only on the
documents the store lacks — in this process or ``jobs`` worker processes (``engine="local"``,
:class:`kg.ner.recognizer.Recognizer`) or on a Dask cluster (``engine="dask"``,
:class:`kg.ner.distributed.DaskRecognizer`) — stores what it found, and yields every document's
mentions in input order.  The model is loaded only when some document needs it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from kg.ner.load import blas_threads as blas_threads_from_env, resolve_model_path
from kg.ner.recognizer import Recognizer, document_mentions, processes_for, usable_cores
from kg.ner.store import SpanStore, Spans, ner_digest, paragraphs_key
from kg.schema import Document, Mention

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")


class NERStage:
    """One build's NER (see the module's docstring).

    Args:
        model: model directory (default: the shipped one).
        rules: apply kg's entity rules.
        jobs: processes (local) or Dask workers of a local cluster; ``None``: what the text is
            worth (local, :func:`kg.ner.recognizer.processes_for`) or one per usable core (Dask).
        engine: ``local`` or ``dask``.
        scheduler: with ``dask``, the address of a running scheduler (else a ``LocalCluster``).
        store: the per-document store file, or ``None`` for none.
    """

    def __init__(self, model: str | Path | None = None, *, rules: bool = True, jobs: int | None = None,
                 engine: str = "local", scheduler: str | None = None, store: Path | None = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        self.model = resolve_model_path(model)
        self.rules, self.jobs, self.engine, self.scheduler = rules, jobs, engine, scheduler
        self.store = SpanStore(store, ner_digest(self.model, rules)) if store is not None else None
        if self.store is not None and self.store.reset_reason:
            log.info("%s: %s; every document goes through the NER", store, self.store.reset_reason)
        self._local: Recognizer | None = None
        #: documents the last :meth:`pipe` found in the store, and parsed
        self.reused = self.parsed = 0

    def local(self, n_process: int = 1) -> Recognizer:
        """A recognizer in this process (loaded on first use; for ``words`` and the local engine)."""
        if self._local is None or self._local.n_process != n_process:
            self._local = Recognizer(self.model, rules=self.rules, n_process=n_process)
        return self._local

    def words(self, texts: list[str]) -> list[list[str]]:
        """The words of ``texts`` as the NER's tokenizer segments them (with whichever local
        recognizer is loaded: the tokenizer is the same whatever its processes)."""
        return (self._local or self.local(1)).words(texts)

    def pipe(self, documents: Sequence[Document]) -> Iterator[list[Mention]]:
        """Yield the mentions of each of ``documents``, in order; with a store, keep each
        document's spans there and drop those of documents no longer in the archive."""
        keys = [paragraphs_key(doc) for doc in documents] if self.store is not None else [None] * len(documents)
        stored = self.store.get_many(keys) if self.store is not None else {}
        todo = [doc for doc, key in zip(documents, keys) if key not in stored]
        self.reused, self.parsed = len(documents) - len(todo), len(todo)
        fresh = self._spans(todo)
        for doc, key in zip(documents, keys):
            spans = stored.get(key) if key is not None else None
            if spans is None:  # two new documents of one text are both parsed: `fresh` stays in step
                spans = next(fresh)
                if self.store is not None:
                    self.store.put_many([(key, spans)])
            yield document_mentions(doc, spans)
        if self.store is not None:
            gone = self.store.keep_only(keys)
            log.info("NER store: %d document(s) reused, %d parsed, %d dropped", self.reused, self.parsed, gone)

    def _spans(self, todo: list[Document]) -> Iterator[Spans]:
        if not todo:
            return iter(())
        if self.engine == "dask":
            return self._dask_spans(todo)
        return self.local(processes_for(todo, self.jobs)).pipe_spans(todo)

    def _dask_spans(self, todo: list[Document]) -> Iterator[Spans]:
        from kg.ner.distributed import DaskRecognizer

        workers = self.jobs or usable_cores()
        with DaskRecognizer(self.model, rules=self.rules, scheduler=self.scheduler, workers=workers,
                            blas_threads=blas_threads_from_env()) as dask:
            yield from dask.pipe_spans(todo)

    def close(self, *, commit: bool = True) -> None:
        """Commit (or, with ``commit`` false, drop) what this build added to the store."""
        if self.store is not None:
            self.store.close(commit=commit)
            self.store = None
