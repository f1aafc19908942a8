"""The NER's embedding layer ``kg.MultiHashEmbed.v1``: spaCy's ``MultiHashEmbed.v2`` with the
static vectors' key attribute in the config (``vectors_attr``, saved with the model), and its
folded form for prediction.

The vectors are keyed on one token attribute: ``LEMMA``, the character bigram starting at each
character (see kg/ner/tokenizer.py), or ``NORM``, the segmenter word the character belongs to.
spaCy's own ``StaticVectors`` reads the key attribute from ``Vectors.attr``, which spaCy 3.8
does not save for ordinary tables (only floret ones), so a reloaded pipeline would silently
look the vectors up by ``ORTH``.  :mod:`kg.training.vectors` learns the table.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import numpy
import spacy
from spacy.attrs import IDS
from spacy.ml.staticvectors import _handle_empty
from spacy.ml.staticvectors import init as _init_static_vectors
from thinc.api import (
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.initializers import glorot_uniform_init
from thinc.types import Floats2d, Ints1d, Ragged
from thinc.util import partial
from kg.ner.encoders import maxout_and_norm, piece_major
from kg.ner.lexicon import NAMES_KEY


log = logging.getLogger(__name__)

#: token attributes a vectors table can be keyed on, and what each holds
KEY_ATTRS = {"LEMMA": "character bigram", "NORM": "segmenter word"}
#: XOR-ed into each attribute's keys, so one table holds a bigram and a word spelled alike (召开)
KEY_SALTS = {"LEMMA": 0, "NORM": 0x9E3779B97F4A7C15}


def _attrs(attr: str | Iterable[str] | None) -> list[str]:
    """``"LEMMA,NORM"``, ``["LEMMA", "NORM"]`` or ``"LEMMA"`` as a list of known attribute names."""
    if not attr:
        return []
    names = [a.strip().upper() for a in (attr.split(",") if isinstance(attr, str) else attr) if a.strip()]
    for name in names:
        if name not in KEY_ATTRS:
            raise ValueError(f"attr must be one of {sorted(KEY_ATTRS)}, not {name!r}")
    return names


# -- the embedding layer ------------------------------------------------------------------


def KeyedStaticVectors(nO: int | None = None, *, key_attr: str = "LEMMA") -> Model:
    """spaCy's ``StaticVectors`` (default mode, no dropout), looking the table up by ``key_attr``
    (its keys XOR-ed with the attribute's :data:`KEY_SALTS`) instead of the table's unsaved
    ``Vectors.attr``.  Tokens without a vector get zeros, which also keep them out of the
    projection's gradient."""
    name = key_attr.upper()
    return Model("keyed_static_vectors", _keyed_forward, init=partial(_init_static_vectors, glorot_uniform_init),
                 params={"W": None}, attrs={"key_attr": IDS[name], "salt": KEY_SALTS[name], "dropout_rate": None},
                 dims={"nO": nO, "nM": None})


def _keyed_forward(model: Model, docs: list, is_train: bool) -> tuple[Ragged, Callable]:
    if not sum(len(doc) for doc in docs):
        return _handle_empty(model.ops, model.get_dim("nO"))
    vectors = docs[0].vocab.vectors
    keys = model.ops.flatten([doc.to_array(model.attrs["key_attr"]) for doc in docs])
    if model.attrs["salt"]:
        keys = keys ^ numpy.uint64(model.attrs["salt"])
    data = model.ops.asarray(vectors.data)
    if data.shape[0]:
        rows = vectors.find(keys=keys)
        V = model.ops.xp.ascontiguousarray(data[rows], dtype="float32")  # the table may be float16
        V[rows < 0] = 0  # no vector: zeros, in the output and in W's gradient
    else:
        V = model.ops.alloc2f(len(keys), model.get_dim("nM"))
    W = model.ops.as_contig(model.get_param("W"))
    output = model.ops.gemm(V, W, trans2=True)
    lengths = model.ops.asarray1i([len(doc) for doc in docs])

    def backprop(d_output: Ragged) -> list:
        model.inc_grad("W", model.ops.gemm(model.ops.as_contig(d_output.data), V, trans1=True))
        return []

    return Ragged(output, lengths), backprop


#: the pseudo-attribute ``kg.MultiHashEmbed.v1`` reads the names lexicon's matches from
NAMES_ATTR = "NAMES"


def NamesFeatureExtractor(attrs: list[str]) -> Model:
    """spaCy's ``FeatureExtractor`` for ``attrs``, where :data:`NAMES_ATTR` is the part of each
    token's ``MORPH`` the names lexicon wrote (keys after :data:`kg.ner.lexicon.NAMES_KEY`) and
    ``MORPH`` the rest (the word lexicon's), each hashed as a string of its own: the two are
    embedded apart, not as one feature of every pair."""
    from spacy.attrs import MORPH

    if "MORPH" not in attrs:
        raise ValueError(f"{NAMES_ATTR} needs MORPH among the attrs (it is read from MORPH)")
    read = [MORPH if a in ("MORPH", NAMES_ATTR) else IDS[a.upper()] if isinstance(a, str) else a for a in attrs]
    names_column, morph_column = attrs.index(NAMES_ATTR), attrs.index("MORPH")
    return Model("names_extractor", _names_forward,
                 attrs={"read": read, "names_column": names_column, "morph_column": morph_column})


#: MORPH hash → the hashes of its word-lexicon part and its names part (hashes are the same in
#: every vocabulary, so one table serves every pipeline)
_SPLIT_MORPHS: dict[int, tuple[int, int]] = {}


def _split_morph(strings, key: int) -> tuple[int, int]:
    """A ``MORPH`` hash as the hashes of its word-lexicon part and its names part."""
    from spacy.strings import get_string_id


    if not key:
        return 0, 0
    parts = strings[key].split("|")
    lexicon = "|".join(p for p in parts if not p.startswith(NAMES_KEY))
    names = "|".join(p for p in parts if p.startswith(NAMES_KEY))
    return (get_string_id(lexicon) if lexicon else 0), (get_string_id(names) if names else 0)


def _names_forward(model: Model, docs: list, is_train: bool) -> tuple[list, Callable]:
    read, column, morph_column = model.attrs["read"], model.attrs["names_column"], model.attrs["morph_column"]
    split = _SPLIT_MORPHS
    features = []
    for doc in docs:
        array = doc.to_array(read) if len(doc) else numpy.zeros((0, len(read)), dtype="uint64")
        array = array.reshape(-1, len(read)).copy()
        keys, inverse = numpy.unique(array[:, morph_column], return_inverse=True)
        parts = []
        for key in keys.tolist():
            if key not in split:
                split[key] = _split_morph(doc.vocab.strings, key)
            parts.append(split[key])
        parts = numpy.asarray(parts, dtype="uint64").reshape(-1, 2)
        array[:, morph_column] = parts[inverse.reshape(-1), 0]
        array[:, column] = parts[inverse.reshape(-1), 1]
        features.append(model.ops.asarray2i(array, dtype="uint64"))
    return features, lambda d_features: []


@spacy.registry.architectures("kg.MultiHashEmbed.v1")
def multi_hash_embed(width: int, attrs: list[str | int], rows: list[int],
                     vectors_attr: str | list[str] | None = None) -> Model[list, list[Floats2d]]:
    """spaCy's ``MultiHashEmbed.v2`` (same layers, same seeds), with static vectors looked up by
    ``vectors_attr`` when it is set: ``LEMMA``, ``NORM`` or both (``"LEMMA,NORM"``), each with
    its own projection; ``None`` is ``MultiHashEmbed.v2`` without vectors.  Among ``attrs``,
    ``NAMES`` is the names lexicon's part of ``MORPH`` (:func:`NamesFeatureExtractor`)."""
    from spacy.ml.featureextractor import FeatureExtractor
    from thinc.api import HashEmbed

    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    embeddings = [HashEmbed(width, rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))]
    extractor = NamesFeatureExtractor(attrs) if NAMES_ATTR in attrs else FeatureExtractor(attrs)
    features = chain(extractor, list2ragged(), with_array(concatenate(*embeddings)))
    keyed = [KeyedStaticVectors(width, key_attr=name) for name in _attrs(vectors_attr)]
    if keyed:
        features = concatenate(features, *keyed)
    concat_size = width * (len(embeddings) + len(keyed))
    model = chain(features, with_array(Maxout(width, concat_size, nP=3, dropout=0.0, normalize=True)), ragged2list())
    model._func = partial(_folded_or_layered, model._func)
    return model


#: whether embedding layers predict through :func:`folded_embedding` (``bench/ner_speed.py``
#: switches it off to measure the layers one by one against it)
FOLD_PREDICTION = True


def _folded_or_layered(layered: Callable, model: Model, docs: list, is_train: bool):
    """The embedding layer's forward pass: :func:`folded_embedding` when predicting, thinc's own
    layers (which can backpropagate) when training or when there is nothing to embed."""
    if is_train or not FOLD_PREDICTION or not sum(len(doc) for doc in docs):
        return layered(model, docs, is_train)
    return folded_embedding(model, docs), _no_backprop


#: the last few vectors tables' keys, sorted, with their rows:
#: ``id(vectors.key2row)`` → ``(sorted keys, their rows, key count, key2row)``
_SORTED_KEYS: dict[int, tuple] = {}
_SORTED_KEYS_KEPT = 4


def vector_rows(vectors, keys) -> Ints1d:
    """The row of each of ``keys`` (sorted, unique uint64) in ``vectors``, -1 where it has none:
    what ``Vectors.find(keys=...)`` returns (a hash-table lookup per key), by one ``searchsorted``
    over the table's keys, sorted once per table and rebuilt when its key count changes (kg
    never changes a loaded table's keys)."""
    key2row = vectors.key2row
    cached = _SORTED_KEYS.get(id(key2row))
    if cached is None or cached[2] != len(key2row) or cached[3] is not key2row:
        known = numpy.fromiter(key2row.keys(), dtype="uint64", count=len(key2row))
        order = numpy.argsort(known)
        table_rows = numpy.fromiter((key2row[k] for k in known[order].tolist()), dtype="int64", count=len(known))
        while len(_SORTED_KEYS) >= _SORTED_KEYS_KEPT:  # a process that loads many models keeps a few
            del _SORTED_KEYS[next(iter(_SORTED_KEYS))]
        cached = _SORTED_KEYS[id(key2row)] = (known[order], table_rows, len(key2row), key2row)
    known, table_rows = cached[0], cached[1]
    if not len(known):
        return numpy.full(len(keys), -1, dtype="int64")
    at = numpy.minimum(numpy.searchsorted(known, keys), len(known) - 1)
    return numpy.where(known[at] == keys, table_rows[at], -1)


def _no_backprop(d_output):
    raise ValueError("folded_embedding predicts only; train through the layers (is_train=True)")


def folded_embedding(model: Model, docs: list) -> list[Floats2d]:
    """What ``kg.MultiHashEmbed.v1`` computes for ``docs``, folded for prediction.

    The layers hash every token's feature four times, sum four table rows per feature (and
    project each static vector), concatenate them (64 × 8 = 512 numbers a character) and
    multiply the concatenation by the maxout's weights.  That product is a sum of one product
    per feature, so here each *distinct* value of a feature in the batch is embedded and
    multiplied by its slice of the weights once (a batch of paragraphs holds far fewer
    distinct characters, words and bigrams than characters), and every character then sums its
    features' rows with one ``gather_add``.  The same function of the same parameters (equal up
    to float rounding, tested), read from the parameters at every call, so it is never stale;
    about 1.6× faster than the layers on the seed pages (``bench/ner_speed.py``)."""
    ops = model.ops
    nodes: dict[str, list[Model]] = {}
    for node in model.walk():  # hash tables in column order, then the vectors' projections
        nodes.setdefault(node.name, []).append(node)
    extractor = (nodes.get("extract_features", []) + nodes.get("names_extractor", []))[0]
    maxout, layernorm = nodes["maxout"][0], nodes["layernorm"][0]
    n_out, pieces = maxout.get_dim("nO"), maxout.get_dim("nP")
    weights, bias = piece_major(maxout)  # each maxout piece one block of columns
    features = ops.xp.concatenate(extractor.predict(docs))
    tables, rows, offset, start = [], [], 0, 0
    for table in nodes["hashembed"]:
        E = table.get_param("E")
        values, inverse = numpy.unique(features[:, table.attrs["column"]], return_inverse=True)
        keys = ops.hash(ops.as_contig(values, dtype="uint64"), table.attrs["seed"]) % E.shape[0]
        tables.append(ops.gemm(ops.gather_add(E, keys), ops.as_contig(weights[:, start:start + E.shape[1]]),
                               trans2=True))
        rows.append(inverse.reshape(-1) + offset)
        offset, start = offset + len(values), start + E.shape[1]
    for static in nodes.get("keyed_static_vectors", []):
        vectors = docs[0].vocab.vectors
        projection = static.get_param("W")  # nO × nM
        keys = ops.xp.concatenate([doc.to_array(static.attrs["key_attr"]) for doc in docs])
        if static.attrs["salt"]:
            keys = keys ^ numpy.uint64(static.attrs["salt"])
        values, inverse = numpy.unique(keys, return_inverse=True)
        if vectors.data.shape[0]:
            found = vector_rows(vectors, values)
            V = ops.xp.ascontiguousarray(vectors.data[found], dtype="float32")  # the table may be float16
            V[found < 0] = 0  # no vector: zeros, as KeyedStaticVectors gives
        else:
            V = ops.alloc2f(len(values), projection.shape[1])
        folded = ops.gemm(ops.as_contig(weights[:, start:start + projection.shape[0]]), projection)
        tables.append(ops.gemm(V, folded, trans2=True))
        rows.append(inverse.reshape(-1) + offset)
        offset, start = offset + len(values), start + projection.shape[0]
    tables[0] += bias  # every character sums one row of each table: the bias once
    summed = ops.gather_add(ops.xp.ascontiguousarray(ops.xp.concatenate(tables), dtype="float32"),
                            ops.xp.ascontiguousarray(ops.xp.stack(rows, axis=1), dtype="uint32"))
    output = maxout_and_norm(summed, n_out, pieces, layernorm)
    return ops.unflatten(output, ops.asarray1i([len(doc) for doc in docs]))
