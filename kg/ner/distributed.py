"""The NER on a Dask cluster: ``kg build --engine dask [--scheduler ADDRESS]``.

:class:`DaskRecognizer` sends documents, in the same chunks a local build parses at a time
(:func:`kg.ner.recognizer.chunks_of_work`), to the workers of a ``dask.distributed`` cluster: a
``LocalCluster`` of ``workers`` processes on this machine by default, or the scheduler at
``scheduler`` (``tcp://host:8786``) with workers started on other machines.  Each worker loads
the pipeline once and keeps it; it sends back only the entities' offsets, which the build
turns into mentions and keeps in its store (:mod:`kg.ner.store`), then links and relates them
here as a local build does, so the outputs are byte-identical to ``--engine local``.

A worker must see the model at the path this process resolved (the same install or a shared
folder) and run the same kg: it checks that its :func:`kg.ner.store.ner_digest` is this
process's before parsing anything, and the build stops with a clear error when it is not.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import ModelError
from kg.ner.store import Spans, ner_digest
from kg.schema import Document

log = logging.getLogger(__name__)

#: pipelines a worker process has loaded, by (model, rules); loaded once per worker
_LOADED: dict[tuple[str, bool], object] = {}
_LOCK = threading.Lock()


def _pipeline(model: str, rules: bool):
    from kg.ner.load import load_pipeline
    from kg.ner.recognizer import add_mention_components

    with _LOCK:
        nlp = _LOADED.get((model, rules))
        if nlp is None:
            nlp = load_pipeline(Path(model))
            add_mention_components(nlp, rules=rules)
            _LOADED[(model, rules)] = nlp
        return nlp


def spans_on_worker(model: str, rules: bool, digest: str, blas_threads: int, texts: list[list[str]],
                    batch_size: int) -> list[Spans]:
    """What a worker runs for one chunk: the entity spans of each document (its paragraphs'
    texts), after checking that the worker's model and kg give ``digest``."""
    from kg.ner.load import limited_blas
    from kg.ner.recognizer import entity_spans

    mine = ner_digest(Path(model), rules)
    if mine != digest:
        raise ModelError(f"a Dask worker runs another model or kg version than this build (digest {mine[:12]}, "
                         f"not {digest[:12]}): install the same kg and model on every worker")
    nlp = _pipeline(model, rules)
    with limited_blas(blas_threads):
        return entity_spans(nlp, texts, batch_size)


class DaskRecognizer:
    """The NER's spans from a Dask cluster (see the module's docstring); a context manager that
    closes the client, and the cluster it started, on leaving.

    Raises:
        ModelError: ``dask.distributed`` is not installed, or the scheduler cannot be reached.
    """

    def __init__(self, model: Path, *, rules: bool = True, scheduler: str | None = None, workers: int = 2,
                 batch_size: int = 64, blas_threads: int = 1, wait_for_workers: float = 60.0) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise ModelError("--engine dask needs dask.distributed: pip install 'kg[dask]'") from err
        self.model, self.rules, self.batch_size, self.blas_threads = Path(model), rules, batch_size, blas_threads
        self.digest = ner_digest(self.model, rules)
        self._cluster = None
        if not log.isEnabledFor(logging.DEBUG):  # Dask's own INFO lines are not news to a kg user
            for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                         "distributed.core", "distributed.http.proxy"):
                logging.getLogger(name).setLevel(logging.WARNING)
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self._cluster)
        except OSError as err:
            if self._cluster is not None:
                self._cluster.close()
            raise ModelError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
        try:  # a scheduler with no worker would take the work and never give it back
            self.client.wait_for_workers(1, timeout=wait_for_workers)
        except (TimeoutError, OSError) as err:
            self.close()
            raise ModelError(f"the Dask scheduler at {scheduler} has no worker after {wait_for_workers:g} s: "
                             "start some (`dask worker ADDRESS`)") from err
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def pipe_spans(self, docs: Iterable[Document]) -> Iterator[Spans]:
        """Yield the entity spans of each document, in input order; a few chunks per worker are in
        flight at a time, not the whole input."""
        from kg.ner.recognizer import chunks_of_work, paragraph_texts

        pending: deque = deque()
        for chunk in chunks_of_work(docs):
            pending.append(self.client.submit(spans_on_worker, str(self.model), self.rules, self.digest,
                                              self.blas_threads, paragraph_texts(chunk), self.batch_size, pure=False))
            while len(pending) > 2 * self.workers:
                yield from self._result(pending.popleft())
        while pending:
            yield from self._result(pending.popleft())

    @staticmethod
    def _result(future) -> list[Spans]:
        """A chunk's spans; a worker's error is this build's (the output folder is left as it was)."""
        try:
            return future.result()
        except ModelError:
            raise
        except Exception as err:  # a worker lost for good (KilledWorker), a cancelled task, …
            raise ModelError(f"the Dask cluster failed to parse a chunk of documents: {type(err).__name__}: {err}") from err

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskRecognizer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
