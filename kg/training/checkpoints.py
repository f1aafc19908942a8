"""Checkpoints of a training run, and their average.

``spacy train`` keeps two pipelines: the best on the dev set and the last.  kg's training
logger (``kg.checkpoint_logger.v1``, spaCy's console logger plus this) also keeps a copy of the
pipeline at every evaluation, and :func:`average_checkpoints` ships the average of the
weights of the best one and every later one, when that scores higher on the dev set than the
best alone (tail averaging along one run's trajectory, as in Izmailov et al.'s stochastic
weight averaging, 2018).  The checkpoints of one run lie in one basin, so their average is one
network of the same size: as fast as any one of them, where an ensemble would be slower.
"""
from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy
import spacy

from kg.errors import ModelError
from kg.files import replace_directory
from kg.training.corpus import read_examples

log = logging.getLogger(__name__)

#: the folder name of the copy kept at training step N
STEP_PREFIX = "step-"


@spacy.registry.loggers("kg.checkpoint_logger.v1")
def checkpoint_logger(checkpoints: str | None = None, progress_bar: bool = False) -> Callable:
    """spaCy's console logger (``spacy.ConsoleLogger.v2``), which also copies the pipeline
    ``spacy train`` has just saved (``model-last``) to ``checkpoints/step-N`` after each
    evaluation (``None``: none kept)."""
    console = spacy.registry.loggers.get("spacy.ConsoleLogger.v2")(progress_bar=progress_bar)

    def setup(nlp, stdout=None, stderr=None):
        log_step, finalize = console(nlp, stdout or sys.stdout, stderr or sys.stderr)

        def log_and_keep(info: dict | None) -> None:
            log_step(info)
            if checkpoints and info is not None and info.get("output_path"):
                keep_checkpoint(Path(info["output_path"]), Path(checkpoints), int(info["step"]))

        return log_and_keep, finalize

    return setup


def keep_checkpoint(saved: Path, folder: Path, step: int) -> Path:
    """Copy the pipeline ``saved`` to ``folder/step-<step>`` (whole or not at all)."""
    dest = folder / f"{STEP_PREFIX}{step}"
    staging = folder / f".{dest.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(saved, staging)
    return replace_directory(staging, dest)


def kept_checkpoints(folder: Path) -> list[tuple[int, Path]]:
    """The checkpoints :func:`checkpoint_logger` kept in ``folder``, by step."""
    found = []
    for path in folder.glob(f"{STEP_PREFIX}*"):
        step = path.name[len(STEP_PREFIX):]
        if path.is_dir() and step.isdigit():
            found.append((int(step), path))
    return sorted(found)


def dev_score(path: Path) -> float:
    """The dev score ``spacy train`` wrote into a saved pipeline's ``meta.json``."""
    import json

    try:
        return float(json.loads((path / "meta.json").read_text(encoding="utf-8"))["performance"]["ents_f"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ModelError(f"{path}: no dev score in meta.json ({err}); not a pipeline spacy train saved") from err


def _slots(nlp) -> list[tuple]:
    """Every parameter of every trained component of ``nlp`` as ``(node, name)``, in a fixed order."""
    return [(node, name) for _, component in nlp.pipeline if hasattr(component, "model")
            for node in component.model.walk() for name in node.param_names if node.has_param(name)]


def _weights(nlp) -> list[numpy.ndarray]:
    """Every parameter array of every trained component of ``nlp``, in :func:`_slots` order."""
    return [node.get_param(name) for node, name in _slots(nlp)]


def _set_weights(nlp, weights: list[numpy.ndarray]) -> None:
    slots = _slots(nlp)
    if len(slots) != len(weights):
        raise ModelError(f"checkpoints of different networks: {len(slots)} against {len(weights)} weight arrays")
    for (node, name), value in zip(slots, weights):
        node.set_param(name, value)


@dataclass
class Soup:
    """What :func:`average_checkpoints` chose: the steps averaged (the best alone when the
    average did not score higher), the dev score each checkpoint had alone (as ``spacy train``
    recorded it), and the dev scores of the best alone and of the average."""

    steps: list[int]
    scores: dict[int, float]
    best_score: float
    average_score: float

    @property
    def score(self) -> float:
        return max(self.best_score, self.average_score)


def average_checkpoints(checkpoints: list[tuple[int, Path]], dev_file: Path, out: Path) -> Soup:
    """Write to ``out`` the better on the dev set of two pipelines: the best checkpoint (by the
    dev score ``spacy train`` recorded) alone, and the average of its weights and every later
    checkpoint's (tail averaging, as in stochastic weight averaging).  Scored as ``spacy
    train`` scores: entity F1 on ``dev_file`` (a featured DocBin), without kg's rules; a tie
    goes to the average."""
    if not checkpoints:
        raise ModelError("no checkpoints to average")
    scores = {step: dev_score(path) for step, path in checkpoints}
    best = max(scores, key=lambda step: (scores[step], -step))
    nlp = spacy.load(dict(checkpoints)[best])
    examples = list(read_examples(dev_file, nlp.vocab, reverse=getattr(nlp.tokenizer, "reverse", False)))
    best_weights = [w.copy() for w in _weights(nlp)]
    best_scores = nlp.evaluate(examples)
    best_score = float(best_scores["ents_f"] or 0.0)
    tail = [step for step, _ in checkpoints if step >= best]
    total = best_weights
    for step, path in checkpoints:
        if step > best:
            total = [t + o for t, o in zip(total, _weights(spacy.load(path)))]
    _set_weights(nlp, [t / len(tail) for t in total])
    performance = nlp.evaluate(examples)
    average_score = float(performance["ents_f"] or 0.0)
    log.info("best checkpoint %d: dev %.4f; average of steps %s: dev %.4f", best, best_score, tail, average_score)
    if average_score < best_score:
        _set_weights(nlp, best_weights)
        tail, performance = [best], best_scores
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    nlp.meta["performance"] = {key: performance[key] for key in ("ents_f", "ents_p", "ents_r", "ents_per_type")}
    nlp.meta["kg_averaged_steps"] = tail
    nlp.to_disk(staging)
    replace_directory(staging, out)
    return Soup(tail, scores, best_score, average_score)
