"""Masked-character pretraining of the NER's tok2vec on the corpora's raw text (an experiment).

The NER learns its tok2vec from the labelled sentences alone, apart from the static vectors
(kg/ner/embedding.py).  This module teaches the same network, before the NER does, to restore the
characters hidden in raw text (the cloze objective of BERT, on our CNN): 15% of the characters
are chosen; of those, 80% become :data:`MASK`, 10% a random character and 10% stay; the
text is then tokenised as kg reads any text (the segmenter, the bigrams and the word lexicon
all see the mask), and a softmax over the :data:`CHARACTERS` most frequent characters predicts
each chosen character from the tok2vec's output at its place.  spaCy's own ``spacy pretrain``
does not fit: it masks nothing, and its objectives predict a token's own text (or vector),
which kg's features already hold (a character token's ``ORTH``, its word, its bigram).

The result is the tok2vec's weights (``Model.to_bytes``), which ``spacy train`` loads through
``[initialize] init_tok2vec`` with ``[pretraining] component = "tok2vec"``
(``configs/ner-pretrained.cfg``).  The raw text is :func:`kg.training.vectors.raw_texts`: the training
sources' sentences, no test set, no seed page.

    python -m kg.training.experiments.pretrain OUT.bin --vectors DIR [--steps 4000]
"""
from __future__ import annotations

import argparse
import logging
import random
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy

from kg.errors import KGError
from kg.files import write_file
from kg.naming import fold_char
from kg.training.settings import DEFAULT_CORPORA, MODELS, NER_CONFIG
from kg.training.vectors import raw_texts

log = logging.getLogger(__name__)

#: what a masked character is replaced with (a private-use character: in no corpus)
MASK = "\ue000"
#: share of the characters the objective predicts
MASK_RATE = 0.15
#: the predicted characters' vocabulary: the most frequent ones; the rest share class 0
CHARACTERS = 6000
#: batches of pretraining ``kg train ner`` runs for a config that asks for it (2.7 passes over
#: the raw text; about 25 minutes on one core)
STEPS = 4000


def character_classes(texts: list[str], size: int = CHARACTERS) -> dict[str, int]:
    """The ``size`` most frequent non-space characters of ``texts`` (folded as the tokenizer
    folds them), numbered from 1; 0 is every other character."""
    counts = Counter(fold_char(ch) for text in texts for ch in text if not ch.isspace())
    return {ch: i for i, (ch, _) in enumerate(counts.most_common(size), start=1)}


def mask_text(text: str, rng: random.Random, alphabet: list[str], rate: float = MASK_RATE
              ) -> tuple[str, list[int], list[str]]:
    """``text`` with about ``rate`` of its non-space characters chosen: the masked text, the
    chosen offsets and the characters that were there.  A chosen character becomes
    :data:`MASK` (8 in 10), a random character of ``alphabet`` (1 in 10) or stays (1 in 10)."""
    chars = list(text)
    offsets = [i for i, ch in enumerate(chars) if not ch.isspace() and rng.random() < rate]
    originals = [chars[i] for i in offsets]
    for i in offsets:
        draw = rng.random()
        if draw < 0.8:
            chars[i] = MASK
        elif draw < 0.9:
            chars[i] = rng.choice(alphabet)
    return "".join(chars), offsets, originals


def masked_batches(tokenizer, texts: list[str], classes: dict[str, int], rng: random.Random, *,
                   batch_chars: int = 3000, rate: float = MASK_RATE) -> Iterator[tuple[list, list, numpy.ndarray]]:
    """Batches of about ``batch_chars`` characters of ``texts`` (in a shuffled order), masked
    (:func:`mask_text`) and tokenised: ``(docs, each doc's chosen token indices, the chosen
    characters' classes)``."""
    alphabet = sorted(classes)
    order = list(range(len(texts)))
    rng.shuffle(order)
    masked = [mask_text(texts[i], rng, alphabet, rate) for i in order]
    docs, positions, targets, size = [], [], [], 0
    for doc, (_, offsets, originals) in zip(tokenizer.pipe(m[0] for m in masked), masked):
        token_at = {token.idx: token.i for token in doc}
        docs.append(doc)
        positions.append(numpy.array([token_at[o] for o in offsets], dtype="int64"))
        targets += [classes.get(fold_char(ch), 0) for ch in originals]
        size += len(doc)
        if size >= batch_chars:
            yield docs, positions, numpy.array(targets, dtype="int64")
            docs, positions, targets, size = [], [], [], 0
    if docs:
        yield docs, positions, numpy.array(targets, dtype="int64")


def pretraining_pipeline(config: Path, vectors: Path | None, segmenter: Path, overrides: dict | None = None):
    """A fresh pipeline of ``config`` (its tok2vec untrained) with the static vectors loaded."""
    import spacy
    from spacy.training.initialize import load_vectors_into_model

    from kg.training.settings import segmenter_arg as _segmenter_arg

    overrides = {"nlp.tokenizer.segmenter": _segmenter_arg(segmenter), "paths.vectors": None,
                 "paths.train": None, "paths.dev": None, **(overrides or {})}
    loaded = spacy.util.load_config(config, overrides=overrides, interpolate=False)
    nlp = spacy.util.load_model_from_config(loaded, auto_fill=True, validate=False)
    if vectors is not None:
        load_vectors_into_model(nlp, str(vectors))
    return nlp


def pretrain_tok2vec(texts: list[str], out: Path, *, config: Path, vectors: Path | None, segmenter: Path,
                     steps: int = STEPS, batch_chars: int = 3000, learn_rate: float = 0.002, warmup: int = 250,
                     dropout: float = 0.1, seed: int = 0, log_every: int = 100,
                     overrides: dict | None = None) -> Path:
    """Train ``config``'s tok2vec for ``steps`` batches of the cloze objective on ``texts`` and
    write its (averaged) weights to ``out``, replaced whole."""
    from thinc.api import Adam, Softmax, fix_random_seed, set_dropout_rate, warmup_linear

    from kg.training.settings import vectors_attr as _vectors_attr

    if not texts:
        raise KGError("pretraining: no text")
    if vectors is None and _vectors_attr(config, dict(overrides or {})):
        raise KGError(f"{config}: its tok2vec reads static vectors; name the table (--vectors DIR, "
                      "written by `python -m kg.training.train vectors`)")
    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = pretraining_pipeline(config, vectors, segmenter, overrides)
    tok2vec = nlp.get_pipe("tok2vec").model
    classes = character_classes(texts)
    sample = [nlp.tokenizer(text) for text in texts[:16]]
    tok2vec.initialize(X=sample)
    width = tok2vec.get_dim("nO")
    output = Softmax(len(classes) + 1, width)
    output.initialize(X=numpy.zeros((2, width), dtype="f"))
    set_dropout_rate(tok2vec, dropout)
    optimizer = Adam(warmup_linear(learn_rate, warmup, steps), grad_clip=1.0, L2=0.01, L2_is_weight_decay=True,
                     use_averages=True)
    ops = tok2vec.ops
    step, losses, hits = 0, [], []
    log.info("pretraining: %d texts, %d characters, %d classes", len(texts), sum(map(len, texts)), len(classes))
    while step < steps:
        for docs, positions, targets in masked_batches(nlp.tokenizer, texts, classes, rng, batch_chars=batch_chars):
            outputs, backprop_tok2vec = tok2vec.begin_update(docs)
            chosen = ops.xp.concatenate([rows[p] for rows, p in zip(outputs, positions)])
            probabilities, backprop_output = output.begin_update(chosen)
            truth = numpy.zeros_like(probabilities)
            truth[numpy.arange(len(targets)), targets] = 1.0
            losses.append(float(-numpy.log(probabilities[numpy.arange(len(targets)), targets] + 1e-9).mean()))
            hits.append(float((probabilities.argmax(axis=1) == targets).mean()))
            d_chosen = backprop_output((probabilities - truth) / max(len(targets), 1))
            d_outputs, start = [], 0
            for rows, p in zip(outputs, positions):
                d_rows = ops.alloc2f(*rows.shape)
                d_rows[p] = d_chosen[start:start + len(p)]  # a document's chosen tokens are distinct
                d_outputs.append(d_rows)
                start += len(p)
            backprop_tok2vec(d_outputs)
            tok2vec.finish_update(optimizer)
            output.finish_update(optimizer)
            optimizer.step_schedules()
            step += 1
            if step % log_every == 0:
                log.info("step %d: loss %.3f, accuracy %.3f", step, numpy.mean(losses), numpy.mean(hits))
                losses, hits = [], []
            if step >= steps:
                break
    with tok2vec.use_params(optimizer.averages):
        data = tok2vec.to_bytes()
    write_file(out, data)
    return out


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin wrapper for nohup runs

    parser = argparse.ArgumentParser(prog="python -m kg.training.experiments.pretrain", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="where to write the tok2vec weights")
    parser.add_argument("--config", type=Path, default=NER_CONFIG, help="the NER config whose tok2vec to train")
    parser.add_argument("--vectors", type=Path, help="the static vectors the config reads (kg.ner.embedding)")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="the corpora folder (default: %(default)s)")
    parser.add_argument("--segmenter", type=Path, default=MODELS / "segmenter", help="the segmenter the tokenizer uses")
    parser.add_argument("--steps", type=int, default=STEPS, help="batches of 3,000 characters (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    try:
        texts = [text for text in raw_texts(args.corpora) if text.strip()]
        pretrain_tok2vec(texts, args.out, config=args.config, vectors=args.vectors, segmenter=args.segmenter,
                         steps=args.steps, seed=args.seed)
    except KGError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
