"""Loading the NER pipeline from ``models/``: finding the model, joining its split and float16
weight files, and switching prediction to kg's faster numpy paths.  Never touches the network.
"""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from kg.errors import ModelError
from kg.resources import MODELS
from kg.ner.encoders import fuse_window_encoders

log = logging.getLogger(__name__)

#: the shipped model: ``models/ner`` of the checkout, or the installed wheel's copy
DEFAULT_MODEL = MODELS / "ner"


def resolve_model_path(model: str | Path | None = None) -> Path:
    """Find the NER model: an explicit path, ``$KG_MODEL``, or the model shipped with kg.

    Raises:
        ModelError: when no model directory exists, naming the command that builds one.
    """
    candidates = [Path(model)] if model else []
    if not model and os.environ.get("KG_MODEL"):
        candidates.append(Path(os.environ["KG_MODEL"]))
    if not model:
        candidates.append(DEFAULT_MODEL)
    for path in candidates:
        if (path / "meta.json").exists():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise ModelError(f"no NER model found (looked in {tried}); build one with `kg train ner` (see models/README.md)")



PART_SIZE = 16 * 1024 * 1024
PART_SUFFIX = ".part-"


def _cast_weights(model, source, target) -> None:
    """Cast every weight of ``model`` stored as ``source`` dtype to ``target``."""
    for node in model.walk():
        for param in node.param_names:
            if node.has_param(param) and node.get_param(param).dtype == source:
                node.set_param(param, node.get_param(param).astype(target))


#: weights stored in float16 (``model.f16.part-000`` …): half the bytes, loaded back as float32
HALF = ".f16"


def load_pipeline(model: str | Path | None = None):
    """Load the spaCy pipeline from disk (joining split and float16 weight files); never touches
    the network."""
    import numpy
    import spacy
    from spacy import util


    path = resolve_model_path(model)
    split = sorted({p.parent.name for p in path.glob(f"*/model*{PART_SUFFIX}*")})
    try:
        if not split:
            nlp = spacy.load(path)
        else:
            config = util.load_config(path / "config.cfg")
            nlp = util.load_model_from_config(config, meta=util.load_meta(path / "meta.json"))
            nlp.from_disk(path, exclude=split)
            for name in split:
                nlp.get_pipe(name).from_disk(path / name, exclude=["model", "vocab"])  # its cfg, moves …
                half = sorted((path / name).glob(f"model{HALF}{PART_SUFFIX}*"))
                parts = half or sorted((path / name).glob(f"model{PART_SUFFIX}*"))
                component = nlp.get_pipe(name).model
                component.from_bytes(b"".join(p.read_bytes() for p in parts))
                if half:  # stored by compact_model; computed in float32
                    _cast_weights(component, numpy.float16, numpy.float32)
        if hasattr(nlp.tokenizer, "load_resources"):
            nlp.tokenizer.load_resources()  # a missing segmenter or lexicon fails here, before any work
    except ModelError:
        raise  # names the file and the command that rebuilds it
    except Exception as err:  # spaCy raises many kinds here; all mean "this model is unusable"
        raise ModelError(f"{path}: cannot load the NER model ({err}); rebuild it with `kg train ner`") from err
    for name in [name for name, component in nlp.pipeline if getattr(component, "training_only", False)]:
        nlp.remove_pipe(name)  # a checkpoint of a run with an auxiliary task: it predicts nothing
    if getattr(nlp.tokenizer, "reverse", False) and "kg_unreverse" not in nlp.pipe_names:
        nlp.add_pipe("kg_unreverse", last=True)  # a right-to-left model; hand back left-to-right docs
    use_numpy_blas(nlp)
    for _, component in nlp.pipeline:  # spaCy's CNN encoder predicts in fewer numpy steps
        if getattr(component, "model", None) is not None:
            fuse_window_encoders(component.model)
    log.debug("loaded %s with pipes %s", path, nlp.pipe_names)
    return nlp


def use_numpy_blas(nlp) -> None:
    """Run the pipeline's matrix products through numpy's BLAS (OpenBLAS) instead of thinc's
    default ``blis``: the same numbers (entities identical on the seed pages and MSRA test), and on
    our 2-core CPU tok2vec runs 2.5x faster on one thread (``bench/ner_speed.py``).  How many BLAS
    threads a NER process runs: :func:`blas_threads`."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


#: BLAS threads per NER process unless ``$KG_BLAS_THREADS`` says otherwise: the NER's matrices
#: are small, and a second thread mostly waits for the first (on a loaded 2-core machine
#: ``kg build --jobs 1`` ran ~1.8x faster on one); more cores are used by more processes (``--jobs``)
BLAS_THREADS = 1


def blas_threads() -> int:
    """BLAS threads per NER process: ``$KG_BLAS_THREADS`` (0: no limit, BLAS's own default, i.e.
    ``OPENBLAS_NUM_THREADS`` or one per core), else :data:`BLAS_THREADS`."""
    value = os.environ.get("KG_BLAS_THREADS", "").strip()
    if not value:
        return BLAS_THREADS
    try:
        threads = int(value)
    except ValueError:
        raise ModelError(f"KG_BLAS_THREADS={value!r}: not a number of threads (0: no limit)") from None
    if threads < 0:
        raise ModelError(f"KG_BLAS_THREADS={value!r}: must be 0 (no limit) or more")
    return threads


_BLAS: dict = {}


def limited_blas(threads: int):
    """A context in which numpy's BLAS runs ``threads`` threads (0: as it is), through
    threadpoolctl; the limit is lifted on leaving it."""
    if not threads:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # a declared dependency; without it BLAS keeps its own threads
        log.debug("threadpoolctl missing: BLAS threads not limited")
        return contextlib.nullcontext()
    if "controller" not in _BLAS:  # finding the loaded libraries takes a few milliseconds
        import numpy  # noqa: F401  (its BLAS must be loaded to be found)

        _BLAS["controller"] = ThreadpoolController()
    return _BLAS["controller"].limit(limits=threads, user_api="blas")
