"""pkuseg word segmentation, decoded with numpy: the same words as ``spacy_pkuseg``, faster.

``spacy_pkuseg`` builds every feature of every character as a Python string (``c-1c.包.钢``,
``ww.l.包头*钢铁`` …, about 90 string joins and dictionary lookups a character) before its
Viterbi decoder runs; that is most of the time kg's tokenizer spends.  :class:`FastPkuseg` reads
the same trained model (``features.msgpack`` + ``weights.npz``) and scores each character's
features with array operations instead:

* characters become integer node ids (pkuseg's normalisation: ``-._,|/*:`` read as ``&``,
  digits as ``**Num``, full-width letters as ``**Letter``);
* the character n-gram features (``c.``, ``c-1.``, ``c-1c.`` …) become packed integer keys,
  looked up many at a time in an open-addressing hash table of numpy arrays;
* the dictionary-word features (``w-1.``, ``w1.``) look up 64-bit hashes of every 2–6 node
  window among the hashes of pkuseg's word list;
* the word-pair features (``ww.l.`` / ``ww.r.``: 50 a character, most of them pairs with
  ``**noWord``) are looked up only where both words are dictionary words: pkuseg's trainer
  makes these features from pairs of words seen side by side, never with ``**noWord``.

The features are added in the package's order, so the node scores are the package's to the
last bit, and they go to ``spacy_pkuseg``'s own Viterbi decoder (:func:`run_viterbi`): the
words are the package's own, ties included (``tests/ner/test_segmenter.py`` checks words and scores).
"""
from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

import numpy

from kg.errors import ModelError
from kg.files import write_file

log = logging.getLogger(__name__)

#: node ids of pkuseg's normalised classes (beyond the last Unicode code point)
NUM, LETTER = 0x110000, 0x110001
_NODE_BITS = 22  # every node id fits in 22 bits
HASH_BASE = numpy.uint64(0x9E3779B97F4A7C15)  # odd: windows of node ids hash by polynomial
_MASK64 = (1 << 64) - 1
_MAX_WORD, _MIN_WORD = 6, 2  # pkuseg's config.wordMax / wordMin
_NO_WORD = "**noWord"
_LENGTHS = numpy.arange(_MAX_WORD, _MIN_WORD - 1, -1)  # the window lengths, one row each
#: the character templates in the order spacy_pkuseg adds them: name -> (code, offsets of the
#: nodes it reads)
_CHAR_TEMPLATES = {"c": (1, (0,)), "c-1": (2, (-1,)), "c-1c": (6, (-1, 0)), "c1": (3, (1,)), "cc1": (7, (0, 1)),
                   "c-2": (4, (-2,)), "c-2c-1": (8, (-2, -1)), "c2": (5, (2,))}
#: the same as arrays: codes, and the rows of the -2..2 neighbourhood each template reads first
#: and last (one and the same row for a unigram)
_OFFSETS = numpy.arange(-2, 3)
_CODES = numpy.array([code for code, _ in _CHAR_TEMPLATES.values()], dtype=numpy.int64)
_FIRST_ROWS = numpy.array([offsets[0] + 2 for _, offsets in _CHAR_TEMPLATES.values()])
_LAST_ROWS = numpy.array([offsets[-1] + 2 for _, offsets in _CHAR_TEMPLATES.values()])
_IS_BIGRAM = numpy.array([len(offsets) == 2 for _, offsets in _CHAR_TEMPLATES.values()])

_SPECIAL_NODES = {"**Num": NUM, "**Letter": LETTER}


def _node_ids(text: str) -> list[int]:
    """The node ids of a normalised pkuseg string (``**Num年`` -> [NUM, ord('年')])."""
    ids, i = [], 0
    while i < len(text):
        special = next((name for name in _SPECIAL_NODES if text.startswith(name, i)), None)
        ids.append(_SPECIAL_NODES[special] if special else ord(text[i]))
        i += len(special) if special else 1
    return ids


def _hash(ids: list[int]) -> int:
    """The 64-bit polynomial hash :meth:`FastPkuseg._windows` computes for a window of node ids."""
    h = 0
    for node in ids:
        h = (h * int(HASH_BASE) + node + 1) & _MASK64
    return h


@lru_cache(maxsize=1)
def _normalisation() -> numpy.ndarray:
    """pkuseg's normalisation as node ids of every BMP code point (astral ones are their own)."""
    from spacy_pkuseg.feature_extractor import FeatureExtractor as fe

    table = numpy.arange(0x10000, dtype=numpy.int64)
    renamed = str.maketrans(fe.keywords, "&" * len(fe.keywords))
    for cp in range(0x10000):
        ch = chr(cp).translate(renamed)
        table[cp] = NUM if ch in fe.num else LETTER if ch in fe.letter else ord(ch)
    return table


#: queries still probing that :meth:`HashTable.get` finishes one by one (array rounds cost more)
_FEW = 16


class HashTable:
    """Integer keys -> feature indices in an open-addressing hash table (linear probing, at
    most a quarter full: short probe runs), looked up many at a time; a missing key gives
    ``missing``."""

    _EMPTY = numpy.uint64(_MASK64)  # no key here (the keys never take this value)
    _MULTIPLIER = numpy.uint64(0xBF58476D1CE4E5B9)

    def __init__(self, keys, values, missing: int) -> None:
        keys = numpy.asarray(keys, dtype=numpy.int64).astype(numpy.uint64)
        values = numpy.asarray(values, dtype=numpy.int64)
        self.missing = missing
        self.bits = max(4, int(4 * max(len(keys), 1) - 1).bit_length())
        size = 1 << self.bits
        self.keys = numpy.full(size, self._EMPTY, dtype=numpy.uint64)
        self.values = numpy.full(size, missing, dtype=numpy.int64)
        slot = self._slot(keys)
        pending = numpy.arange(len(keys))
        while len(pending):  # place keys round by round; one key per free slot a round
            free = self.keys[slot] == self._EMPTY
            first = numpy.zeros(len(pending), dtype=bool)
            _, at = numpy.unique(slot[free], return_index=True)
            first[numpy.flatnonzero(free)[at]] = True
            self.keys[slot[first]] = keys[pending[first]]
            self.values[slot[first]] = values[pending[first]]
            pending, slot = pending[~first], (slot[~first] + 1) & (size - 1)

    def _slot(self, keys: numpy.ndarray) -> numpy.ndarray:
        return ((keys * self._MULTIPLIER) >> numpy.uint64(64 - self.bits)).astype(numpy.int64)

    def get(self, queries: numpy.ndarray) -> numpy.ndarray:
        queries = queries.astype(numpy.uint64, copy=False)
        out = numpy.full(len(queries), self.missing, dtype=numpy.int64)
        slot = self._slot(queries)
        todo = numpy.arange(len(queries))
        mask = len(self.keys) - 1
        while len(todo) > _FEW:
            found = self.keys[slot]
            hit = found == queries
            out[todo[hit]] = self.values[slot[hit]]
            go_on = ~hit & (found != self._EMPTY)
            todo, queries, slot = todo[go_on], queries[go_on], (slot[go_on] + 1) & mask
        keys, empty = self.keys, self._EMPTY
        for at, query, place in zip(todo.tolist(), queries.tolist(), slot.tolist()):  # the last few, one by one
            while (key := int(keys[place])) != empty:
                if key == query:
                    out[at] = self.values[place]
                    break
                place = (place + 1) & mask
        return out


TABLES_FILE = "decoder.npz"


def _file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def compile_tables(features: dict) -> dict[str, numpy.ndarray]:
    """pkuseg's feature dictionary (``features.msgpack``: ``feature_to_idx``, ``unigram``,
    ``tag_to_idx``) as the integer tables :class:`FastPkuseg` looks features up in (-1: no
    feature).  About a second for a full model; :func:`write_tables` keeps the result."""
    feature_to_idx = features["feature_to_idx"]
    words = {w: i for i, w in enumerate(sorted(features["unigram"]))}
    n_words = len(words)
    t = {"word_hashes": numpy.array([_hash(_node_ids(w)) for w in words], dtype=numpy.uint64)}
    for name in ("word_end", "word_start"):
        t[name] = numpy.full(n_words + 1, -1, dtype=numpy.int64)  # by word id; the last: no word
    pairs: dict[str, tuple[list[int], list[int]]] = {"l": ([], []), "r": ([], [])}
    char_keys, char_values = [], []
    for feat, idx in feature_to_idx.items():
        head, _, rest = feat.partition(".")
        if head in _CHAR_TEMPLATES:
            code, offsets = _CHAR_TEMPLATES[head]
            key = code
            for part in rest.split("."):  # each part one node: a character, **Num or **Letter
                node = ord(part) if len(part) == 1 else _SPECIAL_NODES.get(part)
                if node is None:
                    break
                key = (key << _NODE_BITS) | node
            else:
                if rest.count(".") == len(offsets) - 1:
                    char_keys.append(key)
                    char_values.append(idx)
        elif head in ("w-1", "w1"):
            wid = words.get(rest)
            if wid is not None:
                t["word_end" if head == "w-1" else "word_start"][wid] = idx
        elif head == "ww" and rest[:2] in ("l.", "r."):
            side, body = rest[0], rest[2:]
            for cut in (k for k, ch in enumerate(body) if ch == "*"):
                pre, post = body[:cut], body[cut + 1:]
                if pre in words and post in words:
                    pairs[side][0].append(words[pre] * (n_words + 1) + words[post])
                    pairs[side][1].append(idx)
                    break
            else:
                if _NO_WORD in body:  # spacy_pkuseg's trainer never makes one
                    raise ValueError(f"pkuseg feature {feat!r}: kg.ner.segmenter decodes no pair with a missing word")
                # else a pair of which a word is not in the dictionary: it never fires
    t["char_keys"], t["char_values"] = numpy.array(char_keys, dtype=numpy.int64), numpy.array(char_values)
    for side, (keys, values) in pairs.items():
        t[f"{side}_pair_keys"], t[f"{side}_pair_values"] = numpy.array(keys, dtype=numpy.int64), numpy.array(values)
    tags = features["tag_to_idx"]
    t["begins"] = numpy.array(["B" in tag for tag, _ in sorted(tags.items(), key=lambda kv: kv[1])])
    return t


def write_tables(model_dir: Path) -> Path:
    """Compile ``model_dir``'s features into :data:`TABLES_FILE` beside them (with the digest of
    the ``features.msgpack`` they come from), so :class:`FastPkuseg` loads them instead of
    compiling.  ``kg train segmenter`` calls it."""
    import srsly

    source = model_dir / "features.msgpack"
    tables = compile_tables(srsly.read_msgpack(source))
    data = io.BytesIO()
    numpy.savez_compressed(data, source=numpy.array(_file_digest(source)), **tables)
    return write_file(model_dir / TABLES_FILE, data.getvalue())


def load_tables(model_dir: Path) -> dict[str, numpy.ndarray]:
    """``model_dir``'s decoder tables: its :data:`TABLES_FILE` when that was compiled from its
    ``features.msgpack``, else compiled now (slower to load, the same words)."""
    import srsly

    source = model_dir / "features.msgpack"
    if not source.exists():
        raise ModelError(f"{source}: pkuseg segmenter not found; build it with `kg train segmenter`")
    saved = model_dir / TABLES_FILE
    if saved.exists():
        with numpy.load(saved) as npz:
            if str(npz["source"]) == _file_digest(source):
                return {k: npz[k] for k in npz.files if k != "source"}
        log.info("%s is out of date (not compiled from %s); compiling", saved, source)
    return compile_tables(srsly.read_msgpack(source))


class FastPkuseg:
    """A drop-in for :class:`spacy_pkuseg.pkuseg` (``cut``, ``preprocesser``, ``postprocesser``)
    that decodes the same model with array operations.  ``model_dir`` holds ``features.msgpack``
    and ``weights.npz`` (``kg train segmenter``), and :data:`TABLES_FILE` if compiled; user
    dictionary words (``user_dict``: a file or a word list, as spacy_pkuseg takes them) are
    kept whole.  Like kg's use of spacy_pkuseg, no dictionary merges words afterwards."""

    def __init__(self, model_dir: str | Path, user_dict=None) -> None:
        import spacy_pkuseg
        from spacy_pkuseg import inference
        from spacy_pkuseg.model import Model

        model_dir = Path(model_dir)
        tables = load_tables(model_dir)
        self.preprocesser = spacy_pkuseg.Preprocesser(user_dict)
        self.postprocesser = spacy_pkuseg.Postprocesser(None, None)  # no merging dictionary
        self._viterbi = inference.run_viterbi
        model = Model.load(str(model_dir))
        self.n_tag, n_feature = model.n_tag, model.n_feature
        # one weight row per feature, and a row of zeros (index n_feature) for "no feature"
        self._weights = numpy.vstack([model.w[: n_feature * self.n_tag].reshape(n_feature, self.n_tag),
                                      numpy.zeros((1, self.n_tag))])
        _, self._edges = inference.getLogYY([], self.n_tag, n_feature * self.n_tag, model.w, 1.0)
        none = self._none = n_feature

        def features(name: str) -> numpy.ndarray:
            return numpy.where(tables[name] < 0, none, tables[name])

        self._begins = tables["begins"]
        self._normalise = _normalisation()
        self._n_words = len(tables["word_hashes"])
        self._words = HashTable(tables["word_hashes"].astype(numpy.int64), numpy.arange(self._n_words), -1)
        self._word_end_feature, self._word_start_feature = features("word_end"), features("word_start")
        self._pairs = {side: HashTable(tables[f"{side}_pair_keys"], tables[f"{side}_pair_values"], none)
                       for side in "lr"}
        self._chars = HashTable(tables["char_keys"], tables["char_values"], none)

    # -- scoring ------------------------------------------------------------------------------

    def _windows(self, nodes: numpy.ndarray, seg_end: numpy.ndarray) -> numpy.ndarray:
        """Word id (or -1) of the window of each length (:data:`_LENGTHS`, one row each) starting
        at each position, within its segment."""
        n = len(nodes)
        single = nodes.astype(numpy.uint64) + numpy.uint64(1)
        hashes = numpy.zeros((len(_LENGTHS), n), dtype=numpy.uint64)
        h = single
        for length in range(2, _MAX_WORD + 1):
            h = h[:-1] * HASH_BASE + single[length - 1:]
            hashes[_MAX_WORD - length, : len(h)] = h
        ids = self._words.get(hashes.ravel()).reshape(hashes.shape)
        return numpy.where(numpy.arange(n) + _LENGTHS[:, None] <= seg_end, ids, -1)

    def node_scores(self, nodes: numpy.ndarray, seg_start: numpy.ndarray, seg_end: numpy.ndarray) -> numpy.ndarray:
        """pkuseg's node scores (characters × tags) for ``nodes``, the node ids of several
        segments laid end to end (``seg_start`` / ``seg_end``: each position's segment)."""
        n = len(nodes)
        pos = numpy.arange(n)
        W, none = self._weights, self._none
        rows = numpy.arange(len(_LENGTHS))[:, None]

        def at(values: numpy.ndarray, index: numpy.ndarray, valid: numpy.ndarray, fill: int) -> numpy.ndarray:
            """``values[row, index]`` row by row (``values[index]`` for one row), ``fill`` where not
            ``valid`` (``index`` reaches at most ``_MAX_WORD`` beyond either end)."""
            padded = numpy.full(values.shape[:-1] + (n + 2 * _MAX_WORD,), fill, dtype=values.dtype)
            padded[..., _MAX_WORD:_MAX_WORD + n] = values
            got = padded[index + _MAX_WORD] if values.ndim == 1 else padded[rows, index + _MAX_WORD]
            return numpy.where(valid, got, fill)

        # the character templates: nodes at offsets -2..2, keys of all eight templates at once
        index = pos + _OFFSETS[:, None]
        inside = (index >= seg_start) & (index < seg_end)
        near = at(nodes, index, inside, 0)  # row k: the node at offset k - 2
        # a unigram's key: code, node; a bigram's: code, first node, second node (as compile_tables packs them)
        bigram = _IS_BIGRAM[:, None]
        head = numpy.where(bigram, (_CODES[:, None] << _NODE_BITS) | near[_FIRST_ROWS], _CODES[:, None])
        keys = (head << _NODE_BITS) | near[_LAST_ROWS]
        valid = inside[_LAST_ROWS] & (~bigram | inside[_FIRST_ROWS])
        feats = numpy.where(valid, self._chars.get(keys.ravel()).reshape(keys.shape), none)
        # added one feature at a time in spacy_pkuseg's order, so the sums are the package's to
        # the last bit: tied segmentations (runs of characters it has no feature for) break alike
        score = numpy.zeros((n, self.n_tag)) + W[0]  # feature 0 ($$) fires everywhere
        for row in feats:
            score += W[row]

        found = self._windows(nodes, seg_end)
        back = _LENGTHS[:, None]
        # the four word lists pkuseg builds per character: words ending at / starting at the
        # character (in), and ending just before / starting just after it (ex)
        in_end = at(found, pos - back + 1, pos - back + 1 >= seg_start, -1)
        in_start = found
        ex_end = at(found, pos - back, pos - back >= seg_start, -1)
        ex_start = at(found, numpy.broadcast_to(pos + 1, found.shape), pos + 1 < seg_end, -1)
        for wid in in_end:
            score += W[self._word_end_feature[wid]]
        for wid in in_start:
            score += W[self._word_start_feature[wid]]
        for side, pres, posts in (("l", ex_end, in_start), ("r", in_end, ex_start)):
            # in C order: for each position, its pairs come (pre, post) in pkuseg's order, and
            # numpy.add.at adds them one after another
            a, b, i = numpy.nonzero((pres[:, None, :] >= 0) & (posts[None, :, :] >= 0))
            if len(i):
                feats = self._pairs[side].get(pres[a, i] * (self._n_words + 1) + posts[b, i])
                numpy.add.at(score, i, W[feats])
        return score

    # -- segmentation ---------------------------------------------------------------------------

    def _cut_many(self, texts: list[str]) -> list[list[str]]:
        """pkuseg's ``_cut`` of each text (no whitespace inside), decoded together."""
        if not texts:
            return []
        joined = "".join(texts)
        cps = numpy.frombuffer(joined.encode("utf-32-le"), dtype=numpy.uint32).astype(numpy.int64)
        bmp = cps < 0x10000
        nodes = numpy.where(bmp, self._normalise[numpy.where(bmp, cps, 0)], cps)
        lengths = numpy.array([len(t) for t in texts])
        ends = numpy.cumsum(lengths)
        starts = ends - lengths
        seg_start = numpy.repeat(starts, lengths)
        seg_end = numpy.repeat(ends, lengths)
        scores = self.node_scores(nodes, seg_start, seg_end)
        out = []
        for text, a, b in zip(texts, starts.tolist(), ends.tolist()):
            _, tags = self._viterbi(scores[a:b], self._edges)
            cuts = numpy.flatnonzero(self._begins[tags[1:]]) + 1
            bounds = [0, *cuts.tolist(), len(text)]
            out.append([text[i:j] for i, j in zip(bounds, bounds[1:])])
        return out

    def cut(self, txt: str) -> list[str]:
        """The words of ``txt``, as :meth:`spacy_pkuseg.pkuseg.cut` gives them (no POS tags)."""
        return self.cut_many([txt])[0]

    def cut_many(self, texts: list[str]) -> list[list[str]]:
        """:meth:`cut` of each text, decoded together (much faster than one by one for short texts)."""
        pieces = []  # per text: (piece, kept whole by the user dictionary)
        for txt in texts:
            mine = []
            for chunk in txt.split():  # spacy_pkuseg strips, then cuts at whitespace
                lst, isword, _ = self.preprocesser.solve(chunk)
                mine += zip(lst, isword)
            pieces.append(mine)
        decoded = iter(self._cut_many([w for mine in pieces for w, whole in mine if not whole]))
        out = []
        for mine in pieces:
            words = []
            for w, whole in mine:
                words += [w] if whole else self.postprocesser(next(decoded))
            out.append(words)
        return out
