"""spaCy tokenizer ``kg.pkuseg_chars.v1``: pkuseg word segmentation, exposed as character tokens.

Why not spaCy's own ``segmenter = "pkuseg"`` tokens: entity boundaries often fall inside a
pkuseg word (邓小平|理论 is one PKU word, so is 中方 in which 中 is a place).  On MSRA test,
13% of gold entities do not align with our segmenter's words, which caps word-level NER
recall at 87%.  So the NER sees one token per character, and the segmenter's analysis rides
along as features: ``NORM`` is the word the character belongs to (NFKC-folded, lower case), ``TAG`` its position in
that word (B/M/E/S) with the word length — the "soft word" features that make character
NER strong — and ``LEMMA`` the character bigram starting at the token (this character and the
next), the other feature Chinese character NER leans on.  Every entity boundary is reachable,
and the segmenter still shapes the model.

The segmenter runs with a user dictionary (``user_dict``: files under ``models/``, one word a
line, or a ``places.tsv`` gazetteer whose names and short forms are taken): words that modern
news needs and a 1998 newspaper never printed (发改委, 工信厅, 鄂尔多斯市 …) are kept whole.

With ``reverse``, the tokenizer returns the characters right to left (:func:`reverse_doc`) and
the pipeline's last component, ``kg_unreverse``, hands back the left-to-right document with the
entities found: see :func:`reverse_doc` for why.

The segmenter is read from ``models/segmenter`` (not copied into each pipeline), so the
shipped pipeline stays small.  spaCy finds the tokenizer through kg's entry points
(``kg.pkuseg_chars.v1`` in pyproject.toml).
"""
from __future__ import annotations

import json
import re

from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import numpy
import spacy
from spacy.attrs import ENT_IOB, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.errors import ModelError
from kg.naming import fold_char, fold_word
from kg.resources import MODELS
from kg.gazetteer import dictionary_words
from kg.gazetteer import org_suffixes, place_names, titles
from kg.ner.lexicon import NAMES_KEY
from kg.ner.lexicon import NAME_MAX_LENGTH, Lexicon
from kg.ner.lexicon import feature_string
from kg.ner.lexicon import load_lexicon
from kg.ner.lexicon import write_lexicon
from kg.ner.segmenter import FastPkuseg


def resolve_segmenter(path: str) -> Path:
    """A segmenter path from a config: absolute, or relative to ``models/``."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else MODELS / candidate


#: punctuation that never sits inside a word (name-internal marks such as · and - are not here)
_CLAUSE_PUNCTUATION = re.compile(r"""([,.;:!?，。；：！？、"“”'‘’()（）《》〈〉「」【】\[\]])""")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WHITESPACE = re.compile(r"\s")
_WHITESPACE_RUN = re.compile(r"\s+")


#: how the segmenter reads ASCII punctuation: as its full-width form (``,`` as ``，``, ``(`` as
#: ``（``; letters and digits as printed).  pkuseg learned from People's Daily, printed
#: full-width; on a page printed half-width it glued names to punctuation it never saw (记者
#: 武子|暄)).  PKU test printed half-width: word F1 0.923 read as printed, 0.934 read full-width
#: (models/README.md).  One character for one, so the words keep the text's own characters and
#: offsets.
SEGMENTER_READING = {code: code + 0xFEE0 for code in range(0x21, 0x7F) if not chr(code).isalnum()}


def segmenter_words(seg, texts: list[str]) -> list[list[str]]:
    """The words ``seg`` (a pkuseg model) finds in each of ``texts`` read as
    :data:`SEGMENTER_READING`, spelled as in the text (the segmenter drops whitespace)."""
    read = [text.translate(SEGMENTER_READING) for text in texts]
    out = []
    for text, as_read, words in zip(texts, read, seg.cut_many(read)):
        if as_read == text:  # nothing read otherwise: the words are the text's own
            out.append(words)
            continue
        if not _WHITESPACE.search(text):  # the words cover the text end to end
            bounds = list(accumulate(map(len, words), initial=0))
            out.append([text[a:b] for a, b in zip(bounds, bounds[1:])])
            continue
        spelled, start = [], 0
        for word in words:
            start = as_read.index(word, start)
            spelled.append(text[start:start + len(word)])
            start += len(word)
        out.append(spelled)
    return out


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces(words, text)`` for ``words`` read in order from ``text``
    with only whitespace between them: the words, each run of whitespace a word of its own but a
    single space after a word, which is that word's trailing space.

    In one pass over the text: spaCy's own copies the rest of the text for every word, which
    made a page without line breaks quadratic (a 4 MB page took minutes and gigabytes).

    Raises:
        ValueError: when ``words`` are not ``text``'s own words in order.
    """
    out_words: list[str] = []
    spaces: list[bool] = []
    pos, end = 0, len(text)
    for word in words:
        if word.isspace():
            continue
        gap = _WHITESPACE_RUN.match(text, pos)
        if gap:
            out_words.append(gap.group())
            spaces.append(False)
            pos = gap.end()
        if not text.startswith(word, pos):
            raise ValueError(f"the words do not match the text at character {pos}: {word!r}, {text[pos:pos + 20]!r}")
        pos += len(word)
        out_words.append(word)
        if pos < end and text[pos] == " ":
            spaces.append(True)
            pos += 1
        else:
            spaces.append(False)
    if pos < end:
        if not text[pos:].isspace():
            raise ValueError(f"the words do not cover the text: {text[pos:pos + 20]!r} is left")
        out_words.append(text[pos:]), spaces.append(False)
    return out_words, spaces


def split_punctuation(word: str) -> list[str]:
    """``word`` cut around each clause punctuation character (``,克什克`` -> ``,`` ``克什克``)."""
    return [part for part in _CLAUSE_PUNCTUATION.split(word) if part]


#: user dictionaries the tokenizer reads by default (relative to ``models/``)
DEFAULT_USER_DICT = "user_dict.txt,places.tsv"


def read_user_words(spec: str | None) -> list[str]:
    """Words from a comma-separated list of dictionary files (relative to ``models/``).

    A ``.tsv`` file is a gazetteer (``models/places.tsv`` format): its first column and the
    ``|``-separated short forms in the second (for county-level rows only those of three
    characters or more).  Other files hold one word a line (anything after
    a tab is ignored).  ``#`` starts a comment line; words shorter than two characters are
    skipped, since forcing a single character to be a word only hurts segmentation.
    """
    words: dict[str, None] = {}
    for name in (spec or "").split(","):
        if not name.strip():
            continue
        path = resolve_segmenter(name.strip())
        if not path.exists():
            raise ModelError(f"{path}: the segmenter's user dictionary is missing; it ships with kg's models "
                             "(restore models/ from a kg checkout: `git checkout -- models/`)")
        if path.suffix == ".tsv":
            found = dictionary_words(path)
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
            found = [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]
        for word in found:
            word = word.strip()
            if len(word) >= 2 and not any(ch.isspace() for ch in word):
                words[word] = None
    return list(words)


def word_position(index: int, length: int) -> str:
    """B/M/E/S position of character ``index`` in a word of ``length`` chars, with the length (max 4)."""
    if length == 1:
        return "S1"
    where = "B" if index == 0 else "E" if index == length - 1 else "M"
    return f"{where}{min(length, 4)}"


@lru_cache(maxsize=1)
def _lexicons() -> tuple[frozenset, frozenset, tuple, frozenset]:
    return place_names(), frozenset(org_suffixes()), org_suffixes(), frozenset(titles())


@lru_cache(maxsize=200_000)
def word_class(word: str) -> str:
    """What kg's reference data says a segmenter word is: ``P`` a known place
    (``models/places.tsv``), ``O`` an organisation-name ending or a word of three characters or
    more ending in one (公司, 公安局; ``models/org_suffixes.txt``), ``T`` a title
    (``models/titles.txt``), else ``""``.  A dictionary feature: it tells the model about names
    its training text never printed."""
    places, units, unit_endings, title_words = _lexicons()
    if word in places:
        return "P"
    if word in units or (len(word) >= 3 and word.endswith(unit_endings)):
        return "O"
    if word in title_words:
        return "T"
    return ""


#: the token attributes the tokenizer sets, which reversing a document carries along
FEATURES = ["NORM", "TAG", "LEMMA", "MORPH"]
#: the file a trained model's names lexicon is kept in, in its tokenizer folder
NAMES_FILE = "names.tsv"

#: texts the tokenizer segments at once (:meth:`PkusegCharTokenizer.segmented`)
SEGMENT_BATCH = 256

#: ``Doc.user_data`` key: whether the left-to-right original ended in a space (a reversed
#: document cannot hold it; reversing back restores it, so the text round-trips exactly)
TRAILING_SPACE = "kg_trailing_space"


def reversed_spaces(spaces: list[bool]) -> list[bool]:
    """The spaces of tokens read right to left: the space after token k-1 now follows token k
    (a trailing space has no token to follow; :data:`TRAILING_SPACE` remembers it aside)."""
    n = len(spaces)
    return [spaces[k - 1] if k else False for k in range(n - 1, -1, -1)]


def reverse_doc(doc: Doc) -> Doc:
    """``doc``'s tokens right to left, each with its features (:data:`FEATURES`)
    and its entity annotation (entities, missing and outside tokens) unchanged.

    Why: Chinese names are head-final — the word that says what a name is comes last
    (内蒙古自治区教育考试**院**, 天津合生生物科技**有限公司**, 包头**市**).  spaCy's transition-based
    NER reads left to right and commits to a label on a name's first character, where the
    CNN's context (6 to 8 characters either side) does not reach the head of a long name: the
    model then calls 内蒙古自治区 a place and stops.  Read right to left, the head is the first thing it sees.
    The features were computed left to right and stay as they were; what matters is that
    training (``kg.featured_corpus.v1`` with ``reverse``) and prediction reverse alike.
    """
    n = len(doc)
    orths, gaps = doc.to_array([ORTH, SPACY]).T.tolist() if n else ([], [])  # arrays: no Token objects
    spaces = reversed_spaces([bool(g) for g in gaps])
    if n and doc.user_data.get(TRAILING_SPACE):
        spaces[-1] = True
    strings = doc.vocab.strings
    rev = Doc(doc.vocab, words=[strings[o] for o in reversed(orths)], spaces=spaces)
    rev.user_data[TRAILING_SPACE] = bool(n and doc[-1].whitespace_)
    if n:
        rev.from_array(FEATURES, doc.to_array(FEATURES)[::-1].copy())
    if doc.has_annotation("ENT_IOB"):
        ents = [Span(rev, n - e.end, n - e.start, label=e.label) for e in doc.ents]
        # runs of unannotated tokens (ENT_IOB 0), in reversed positions
        edges = numpy.diff(numpy.concatenate(([0], doc.to_array(ENT_IOB)[::-1] == 0, [0])).astype(numpy.int8))
        starts, ends = numpy.flatnonzero(edges == 1), numpy.flatnonzero(edges == -1)
        missing = [Span(rev, int(a), int(b)) for a, b in zip(starts, ends)]
        rev.set_ents(ents, missing=missing, default="outside")
    return rev


@Language.component("kg_unreverse")
def unreverse(doc: Doc) -> Doc:
    """Last component of a right-to-left pipeline: the document left to right again (the
    tokenizer's text exactly), with the entities found on its reversal."""
    forward = reverse_doc(doc)
    del forward.user_data[TRAILING_SPACE]
    forward._context = doc._context  # what nlp.pipe(..., as_tuples=True) hands back with the doc
    if doc.tensor.size:  # the tok2vec's vectors, one row per character, left to right too
        forward.tensor = doc.tensor[::-1].copy()
    return forward


def convention_tag(tag: str, convention: str) -> str:
    """``tag`` (a character's word position, ``B2``) marked with an annotation convention
    (``B2|msra``); ``""`` is kg's own and leaves it unmarked."""
    return f"{tag}|{convention}" if convention else tag


class PkusegCharTokenizer:
    """Segments with pkuseg, returns one token per character with word features.

    With ``word_classes`` the ``TAG`` also carries :func:`word_class` (``B3O``: first character
    of a three-character organisation word); models trained without it need it off.  With
    ``reverse`` the document is right to left (:func:`reverse_doc`) until ``kg_unreverse``.
    With ``convention`` (one of ``conventions``, say ``"msra"``) every ``TAG`` carries that
    annotation convention's mark (:func:`convention_tag`).  ``conventions`` are the marks the
    model was trained with (``kg train ner`` marks each source named there, see
    ``configs/ner.cfg``); a model follows the convention its tokenizer names, and kg's own
    (``""``, unmarked) by default.  With ``lexicon`` (a file relative to ``models/``,
    :mod:`kg.ner.lexicon`) each character's ``MORPH`` says which classes of dictionary word begin,
    continue or end there (``B=LOC|E=PER``).  With ``names`` (a names lexicon file, set when
    training; a trained model keeps its own in ``tokenizer/names.tsv``) the ``MORPH`` also
    holds the matches of the names the model was trained on (``NB=ORG|NE=ORG``;
    :mod:`kg.ner.lexicon`)."""

    def __init__(self, vocab, segmenter: str = "segmenter", *, postprocess: bool = False,
                 user_dict: str | None = DEFAULT_USER_DICT, word_classes: bool = False,
                 reverse: bool = False, conventions: Sequence[str] = (),
                 convention: str = "", lexicon: str | None = None, names: str | None = None) -> None:
        self.vocab = vocab
        self.conventions = tuple(conventions)
        self.segmenter = segmenter
        # kept for the configs that name it; kg loads no merging dictionary, so it changes
        # nothing (spacy_pkuseg merges only with its default dictionary, never loaded here)
        self.postprocess = postprocess
        self.user_dict = user_dict
        self.word_classes = word_classes
        self.reverse = reverse
        self.convention = convention
        self.lexicon = lexicon
        self._seg = None
        self._lexicon = None
        self._names_file = names
        self.names = None  # the names lexicon (kg.ner.lexicon.Lexicon), read from names_file on first use
        self._morphs: dict[str, int] = {"": 0}
        self._field_morphs: dict[int, int] = {0: 0}  # lexicon fields (kg.ner.lexicon) -> MORPH ids
        self._ids: dict[str, int] = {}  # strings -> their ids in vocab.strings (_string_ids)
        self._tag_ids: dict[tuple, list[int]] = {}

    @property
    def convention(self) -> str:
        """The annotation convention the model is asked to follow (``""``: kg's own)."""
        return self._convention

    @convention.setter
    def convention(self, name: str) -> None:
        self._convention = self._known(name)

    def _known(self, name: str) -> str:
        if name and name not in self.conventions:
            known = ", ".join(self.conventions) or "none"
            raise ValueError(f"this model learned no annotation convention {name!r} (it knows: {known})")
        return name

    @property
    def seg(self):
        """The pkuseg model (:class:`kg.ner.segmenter.FastPkuseg`: spacy_pkuseg's words, decoded
        faster), loaded on first use (from ``models/`` unless the path is absolute), with the
        user dictionary: words matched longest-first and kept whole before the CRF runs."""
        if self._seg is None:
            words, path = read_user_words(self.user_dict), resolve_segmenter(self.segmenter)
            try:
                self._seg = FastPkuseg(path, words)
            except ModelError:
                raise
            except Exception as err:  # a missing or damaged model: msgpack, numpy and OS errors alike
                raise ModelError(f"{path}: cannot load the word segmenter ({err}); "
                                 "rebuild it with `kg train segmenter`") from err
        return self._seg

    def load_resources(self) -> None:
        """Load every file this tokenizer reads (segmenter, user dictionary, lexicons) now rather
        than at the first text, so a missing or damaged one is a :class:`kg.errors.ModelError`
        before any work starts."""
        self.seg  # noqa: B018 - loads the segmenter and the user dictionary
        if self.lexicon and self._lexicon is None:
            self._lexicon = load_lexicon(resolve_segmenter(self.lexicon))
        if self._names_file is not None:
            self._names_lexicon()

    @property
    def uses_names(self) -> bool:
        """Whether the model reads a names lexicon."""
        return self.names is not None or self._names_file is not None

    def _names_lexicon(self):
        if self.names is None:
            try:
                self.names = Lexicon.read(Path(self._names_file), NAME_MAX_LENGTH)
            except ModelError as err:  # not the word lexicon's `kg train lexicon`: the model's own file
                raise ModelError(f"{self._names_file}: the model's names lexicon is missing or damaged; "
                                 f"rebuild the model with `kg train ner`") from err
        return self.names

    def lexicon_features(self, folded_chars: list[str]) -> list[int]:
        """Each character's lexicon matches (:meth:`kg.ner.lexicon.Lexicon.features`), and its names
        lexicon's, as a ``MORPH`` id."""
        return self._lexicon_morphs([folded_chars], batched=False)[0]

    def lexicon_features_many(self, folded_texts: list[list[str]]) -> list[list[int]]:
        """:meth:`lexicon_features` of several texts, the word lexicon matched for all at once
        (:meth:`kg.ner.lexicon.Lexicon.fields_many`: faster than text by text)."""
        return self._lexicon_morphs(folded_texts, batched=True)

    def _lexicon_morphs(self, folded_texts: list[list[str]], *, batched: bool) -> list[list[int]]:
        if self._lexicon is None and self.lexicon:
            self._lexicon = load_lexicon(resolve_segmenter(self.lexicon))
        # a character NFKC folds into several (㈱) stays one position and matches no word
        texts = ["".join(f if len(f) == 1 else "\0" for f in chars) for chars in folded_texts]
        if self.uses_names:
            return [self._morph_ids(self._with_names(text)) for text in texts]
        if not self.lexicon:
            return [[0] * len(text) for text in texts]
        found = self._lexicon.fields_many(texts) if batched else [self._lexicon.fields(t) for t in texts]

        cache, add = self._field_morphs, self.vocab.morphology.add
        out = []
        for fields in found:
            ids = []
            for value in (fields.tolist() if batched else fields):
                morph = cache.get(value)
                if morph is None:
                    morph = cache[value] = add(feature_string(value)) if value else 0
                ids.append(morph)
            out.append(ids)
        return out

    def _with_names(self, text: str) -> list[str]:
        """The word lexicon's and the names lexicon's feature strings of each character."""
        feats = self._lexicon.features(text) if self.lexicon else [""] * len(text)
        names = self._names_lexicon().features(text, NAMES_KEY)
        return [f"{a}|{b}" if a and b else a or b for a, b in zip(feats, names)]

    def _morph_ids(self, feats: list[str]) -> list[int]:
        morphs, add = self._morphs, self.vocab.morphology.add
        ids = []
        for feat in feats:
            if feat not in morphs:
                morphs[feat] = add(feat)
            ids.append(morphs[feat])
        return ids

    def words(self, text: str) -> list[str]:
        """The segmenter's words for ``text`` (whitespace dropped; punctuation split off).

        The segmenter learned from full-width punctuation; on pages that print half-width
        commas it can glue one to a name (``,克什克``), so clause punctuation is always a word
        of its own (the · inside 约翰·史密斯 stays)."""
        return self.clean_words(segmenter_words(self.seg, [text])[0])

    @staticmethod
    def clean_words(segmented: list[str]) -> list[str]:
        words = []
        for word in segmented:
            if not word or word.isspace():
                continue
            if len(word) > 1 and _CJK.search(word) and _CLAUSE_PUNCTUATION.search(word):
                words += split_punctuation(word)
            else:
                words.append(word)
        return words

    def __call__(self, text: str) -> Doc:
        return self.tokenize(text, self.convention)

    def _string_ids(self):
        """Two functions: a string's id in the vocabulary's strings (added on first sight), and
        the ``TAG`` ids of a word's characters (:func:`word_position` + its class, marked with a
        convention).  Both remember what they computed, a dictionary lookup being cheaper than
        hashing a string again, except inside a spaCy memory zone, whose strings are forgotten
        when it closes."""
        zone = getattr(self.vocab, "in_memory_zone", False)
        ids, tag_ids = ({}, {}) if zone else (self._ids, self._tag_ids)
        add = self.vocab.strings.add

        def string_id(text: str) -> int:
            found = ids.get(text)
            if found is None:
                found = ids[text] = add(text)
            return found

        def word_tags(length: int, klass: str, convention: str) -> list[int]:
            key = (length, klass, convention)
            found = tag_ids.get(key)
            if found is None:
                found = tag_ids[key] = [string_id(convention_tag(word_position(i, length) + klass, convention))
                                        for i in range(length)]
            return found

        return string_id, word_tags

    def tokenize(self, text: str, convention: str = "", *, segmented: list[str] | None = None) -> Doc:
        """``text`` as the model reads it, following annotation ``convention`` (one of
        ``conventions``; ``""``: kg's own) whatever the tokenizer's own setting.  ``segmented``:
        the segmenter's words for ``text`` when already known (:meth:`pipe`)."""
        characters = self._characters(text, self._known(convention), segmented)
        return self._doc(*characters, self.lexicon_features(characters[-1]))

    def _characters(self, text: str, convention: str, segmented: list[str] | None):
        """(characters, their trailing spaces, ``NORM`` ids, ``TAG`` ids, folded characters)
        of ``text``: everything but the lexicon, which :meth:`pipe` matches a batch at a time."""
        found = self.words(text) if segmented is None else self.clean_words(segmented)
        if "".join(found) == text and not _WHITESPACE.search(text):  # what words_and_spaces gives, faster
            words, spaces = found, [False] * len(found)
        else:
            words, spaces = words_and_spaces(found, text)
        chars: list[str] = []
        char_spaces: list[bool] = []
        norms: list[int] = []  # string ids
        tags: list[int] = []
        string_id, word_tags = self._string_ids()
        for word, space in zip(words, spaces):
            if word.isspace():  # a whitespace token: one, whatever its length
                chars.append(word), char_spaces.append(space)
                norms.append(string_id(word)), tags.append(string_id(convention_tag("_SP", convention)))
                continue
            n = len(word)
            chars += word
            char_spaces += [False] * (n - 1)
            char_spaces.append(space)
            norms += [string_id(fold_word(word))] * n
            tags += word_tags(n, word_class(word) if self.word_classes else "", convention)
        return chars, char_spaces, norms, tags, [fold_char(ch) for ch in chars]

    def _doc(self, chars, char_spaces, norms, tags, folded_chars, morphs) -> Doc:
        """The document of :meth:`_characters`' output and the characters' ``MORPH`` ids."""
        string_id, _ = self._string_ids()
        bigrams = [string_id(a + b) for a, b in zip(folded_chars, folded_chars[1:] + ["</s>"])]
        # the features in one array write, not a Token object per character and feature
        features = numpy.array([norms, tags, bigrams, morphs], dtype="uint64").T.reshape(-1, len(FEATURES))
        if not self.reverse:
            doc = Doc(self.vocab, words=chars, spaces=char_spaces)
        else:  # what reverse_doc would make of the left-to-right doc, built once
            doc = Doc(self.vocab, words=chars[::-1], spaces=reversed_spaces(char_spaces))
            doc.user_data[TRAILING_SPACE] = bool(chars and char_spaces[-1])
            features = features[::-1].copy()
        if chars:
            doc.from_array(FEATURES, features)
        return doc

    def segmented(self, texts, batch_size: int = SEGMENT_BATCH):
        """``(text, the segmenter's words)`` for each of ``texts``, decoded ``batch_size`` texts at
        a time (one decoder run a batch: faster than text by text); for :meth:`tokenize`."""
        from spacy.util import minibatch

        for batch in minibatch(texts, batch_size):
            yield from zip(batch, segmenter_words(self.seg, batch))

    def pipe(self, texts, batch_size: int = SEGMENT_BATCH):
        """The documents of ``texts``, segmented in batches (:meth:`segmented`).  ``nlp.pipe``
        calls the tokenizer text by text; ``nlp.pipe(nlp.tokenizer.pipe(texts))`` batches it."""
        from spacy.util import minibatch

        for batch in minibatch(self.segmented(texts, batch_size), batch_size):
            characters = [self._characters(text, self.convention, words) for text, words in batch]
            morphs = self.lexicon_features_many([c[-1] for c in characters])
            for chars, char_morphs in zip(characters, morphs):
                yield self._doc(*chars, char_morphs)

    # -- serialisation: only the settings; the segmenter stays in models/ --------------

    def _cfg(self) -> dict:
        return {"segmenter": self.segmenter, "postprocess": self.postprocess, "user_dict": self.user_dict,
                "word_classes": self.word_classes, "reverse": self.reverse,
                "conventions": list(self.conventions), "convention": self.convention, "lexicon": self.lexicon,
                "names": NAMES_FILE if self.uses_names else None}

    def to_bytes(self, **kwargs) -> bytes:
        cfg = self._cfg()
        if self.uses_names:
            cfg["names_entries"] = self._names_lexicon().entries()
        return json.dumps(cfg, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> "PkusegCharTokenizer":
        cfg = json.loads(data)
        self.segmenter, self.postprocess, self._seg = cfg["segmenter"], cfg["postprocess"], None
        self.user_dict = cfg.get("user_dict", DEFAULT_USER_DICT)
        self.word_classes = cfg.get("word_classes", False)
        self.reverse = cfg.get("reverse", False)
        self.conventions = tuple(cfg.get("conventions", ()))
        self.convention = cfg.get("convention", "")
        self.lexicon, self._lexicon = cfg.get("lexicon"), None
        self._names_file, self.names = None, None
        if "names_entries" in cfg:
            self.names = Lexicon(cfg["names_entries"], NAME_MAX_LENGTH)
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.uses_names:
            write_lexicon(self._names_lexicon().entries(), path / NAMES_FILE)
        (path / "cfg.json").write_text(json.dumps(self._cfg()), encoding="utf-8")

    def from_disk(self, path, **kwargs) -> "PkusegCharTokenizer":
        data = (Path(path) / "cfg.json").read_bytes()
        self.from_bytes(data)
        if json.loads(data).get("names"):
            self._names_file = str(Path(path) / NAMES_FILE)
            self._names_lexicon()  # read now: a missing or broken file is the model's error, said when it loads
        return self


@spacy.registry.tokenizers("kg.pkuseg_chars.v1")
def create_pkuseg_char_tokenizer(segmenter: str = "segmenter", postprocess: bool = False,
                                 user_dict: str | None = DEFAULT_USER_DICT, word_classes: bool = False,
                                 reverse: bool = False, conventions: Sequence[str] = (), convention: str = "",
                                 lexicon: str | None = None, names: str | None = None):
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "kg.pkuseg_chars.v1"``."""

    def make(nlp):
        return PkusegCharTokenizer(nlp.vocab, segmenter, postprocess=postprocess, user_dict=user_dict,
                                   word_classes=word_classes, reverse=reverse, conventions=conventions,
                                   convention=convention, lexicon=lexicon, names=names)

    return make
