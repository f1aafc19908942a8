"""Static vectors for the NER, learned with word2vec from the corpora's raw text.

The NER's hash embeddings only know the characters, words and bigrams the annotated
sentences show it, each learned from its labels alone.  Vectors learned from raw text add
what the distribution of a string says (鄂尔多斯市 is written where 呼和浩特市 is), the usual way
character NER for Chinese puts unlabelled text to use.  The raw text is every sentence of the
training sources (MSRA train less the dev sentences, People's Daily 1998-01, CLUENER2020 train
and dev); no test set and no seed page is read.  :func:`train_vectors` writes a small spaCy
pipeline holding only the table; ``kg train ner`` reads it through ``[initialize] vectors`` and
the table ships inside ``models/ner`` (read by :mod:`kg.ner.embedding`).
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
import spacy

from kg.errors import KGError
from kg.ner.embedding import KEY_ATTRS, KEY_SALTS, _attrs
from kg.training import corpora
from kg.files import replace_directory
from kg.naming import fold, fold_char
from kg.ner.tokenizer import PkusegCharTokenizer

log = logging.getLogger(__name__)


def raw_texts(corpora_dir: Path, *, msra_heldout: int = 2000) -> Iterator[str]:
    """Every training sentence's text: MSRA train less its last ``msra_heldout`` sentences
    (the NER's dev set), People's Daily 1998-01, CLUENER2020 train and dev (less dev's held-out part)."""
    msra = [text for text, _ in corpora.msra_bio(corpora.require(corpora_dir / "msra_ner" / "msra_train_bio"))]
    yield from msra[:len(msra) - msra_heldout]
    for words in corpora.peoples_daily_words(corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt")):
        yield "".join(words)
    for name in ("train.json", "dev.json"):
        for text, _ in corpora.cluener_training(corpora_dir, name):
            yield text


def word_keys(words: list[str], attr: str) -> list[str]:
    """A text's segmenter words as the keys the NER looks up: the words themselves (``NORM``,
    folded as the tokenizer folds them) or the character bigrams (``LEMMA``)."""
    if attr == "NORM":
        return [fold(w) for w in words]
    chars = [fold_char(ch) for w in words for ch in w]
    return [a + b for a, b in zip(chars, chars[1:] + ["</s>"])]


def train_vectors(corpora_dir: Path, out: Path, *, attr: str | Iterable[str] = "LEMMA", dim: int = 64,
                  window: int = 5, min_count: int = 3, max_rows: int = 100_000, epochs: int = 5, seed: int = 0,
                  segmenter: str = "segmenter", texts: Iterable[str] | None = None) -> Path:
    """Learn skip-gram vectors keyed on ``attr`` and write them as a spaCy pipeline at ``out``.

    ``attr`` is ``LEMMA``, ``NORM`` or both (``"LEMMA,NORM"``): one word2vec model each, in one
    table, each attribute's keys XOR-ed with its :data:`KEY_SALTS`.  Keeps each attribute's
    ``max_rows`` most frequent keys seen at least ``min_count`` times.  Needs gensim (``pip
    install -e .[train]``); one worker thread, so a re-run gives the same table."""
    attrs = _attrs(attr)
    try:
        from gensim.models import Word2Vec
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise KGError("training vectors needs gensim: pip install -e '.[train]'") from exc
    from spacy.vectors import Vectors


    nlp = spacy.blank("zh")
    tokenizer = PkusegCharTokenizer(nlp.vocab, segmenter)
    # segmented once, whatever the number of attributes
    segmented = [tokenizer.words(text) for text in (texts if texts is not None else raw_texts(corpora_dir))]
    keys: list[int] = []
    rows = []
    for name in attrs:
        sentences = [word_keys(words, name) for words in segmented]
        counts = Counter(key for sentence in sentences for key in sentence)
        log.info("%s: %d sentences, %d keys, %d distinct", name, len(sentences), sum(counts.values()), len(counts))
        model = Word2Vec(sentences, vector_size=dim, window=window, min_count=min_count, sg=1, negative=5,
                         epochs=epochs, workers=1, seed=seed)
        kept = [k for k, _ in counts.most_common() if k in model.wv.key_to_index][:max_rows]
        keys += [nlp.vocab.strings.add(k) ^ KEY_SALTS[name] for k in kept]
        rows.append(numpy.asarray([model.wv[k] for k in kept], dtype="float32"))
        log.info("%s: %d vectors (%s)", name, len(kept), KEY_ATTRS[name])
    table = Vectors(strings=nlp.vocab.strings, data=numpy.concatenate(rows), keys=keys)
    nlp.vocab.vectors = table
    staging = out.with_name(out.name + ".partial")
    nlp.to_disk(staging)
    replace_directory(staging, out)
    log.info("%s: %d vectors of %d dimensions keyed on %s", out, len(keys), dim, "+".join(attrs))
    return out
