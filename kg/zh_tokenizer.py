"""spaCy tokenizer ``kg.pkuseg_chars.v1``: pkuseg word segmentation, exposed as character tokens.

Why not spaCy's own ``segmenter = "pkuseg"`` tokens: entity boundaries often fall inside a
pkuseg word (邓小平|理论 is one PKU word, so is 中方 in which 中 is a place).  On MSRA test,
13% of gold entities do not align with our segmenter's words, which caps word-level NER
recall at 87%.  So the NER sees one token per character, and the segmenter's analysis rides
along as features: ``NORM`` is the word the character belongs to, ``TAG`` its position in
that word (B/M/E/S) with the word length — the "soft word" features that make character
NER strong.  Every entity boundary is reachable, and the segmenter still shapes the model.

The segmenter is read from ``models/segmenter`` (not copied into each pipeline), so the
shipped pipeline stays small.  This module registers the tokenizer when imported; spaCy
finds it through ``kg.ner`` (which imports it) or ``spacy train --code kg/zh_tokenizer.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

MODELS = Path(__file__).resolve().parent.parent / "models"


def resolve_segmenter(path: str) -> Path:
    """A segmenter path from a config: absolute, or relative to ``models/``."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() else MODELS / candidate


def word_position(index: int, length: int) -> str:
    """B/M/E/S position of character ``index`` in a word of ``length`` chars, with the length (max 4)."""
    if length == 1:
        return "S1"
    where = "B" if index == 0 else "E" if index == length - 1 else "M"
    return f"{where}{min(length, 4)}"


class PkusegCharTokenizer:
    """Segments with pkuseg, returns one token per character with word features."""

    def __init__(self, vocab, segmenter: str = "segmenter", *, postprocess: bool = False) -> None:
        self.vocab = vocab
        self.segmenter = segmenter
        self.postprocess = postprocess
        self._seg = None

    @property
    def seg(self):
        """The pkuseg model, loaded on first use (from ``models/`` unless the path is absolute)."""
        if self._seg is None:
            import spacy_pkuseg

            path = resolve_segmenter(self.segmenter)
            if not (path / "features.msgpack").exists():
                raise FileNotFoundError(f"{path}: pkuseg segmenter not found; build it with `kg train segmenter`")
            self._seg = spacy_pkuseg.pkuseg(str(path), user_dict=None)
            # the package's default dictionary merges PKU words like 邓小平理论; only on request
            self._seg.postprocesser.do_process = self.postprocess and self._seg.postprocesser.do_process
        return self._seg

    def words(self, text: str) -> list[str]:
        """The segmenter's words for ``text`` (whitespace dropped)."""
        return [w for w in self.seg.cut(text) if w and not w.isspace()]

    def __call__(self, text: str) -> Doc:
        words, spaces = get_words_and_spaces(self.words(text), text)
        chars: list[str] = []
        char_spaces: list[bool] = []
        norms: list[str] = []
        tags: list[str] = []
        for word, space in zip(words, spaces):
            if word.isspace():
                chars.append(word), char_spaces.append(space), norms.append(word), tags.append("_SP")
                continue
            for i, ch in enumerate(word):
                chars.append(ch)
                char_spaces.append(space if i == len(word) - 1 else False)
                norms.append(word)
                tags.append(word_position(i, len(word)))
        doc = Doc(self.vocab, words=chars, spaces=char_spaces, tags=tags)
        for token, norm in zip(doc, norms):
            token.norm_ = norm
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # -- serialisation: only the settings; the segmenter stays in models/ --------------

    def _cfg(self) -> dict:
        return {"segmenter": self.segmenter, "postprocess": self.postprocess}

    def to_bytes(self, **kwargs) -> bytes:
        return json.dumps(self._cfg()).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs) -> "PkusegCharTokenizer":
        cfg = json.loads(data)
        self.segmenter, self.postprocess, self._seg = cfg["segmenter"], cfg["postprocess"], None
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cfg.json").write_text(json.dumps(self._cfg()), encoding="utf-8")

    def from_disk(self, path, **kwargs) -> "PkusegCharTokenizer":
        return self.from_bytes((Path(path) / "cfg.json").read_bytes())


@spacy.registry.tokenizers("kg.pkuseg_chars.v1")
def create_pkuseg_char_tokenizer(segmenter: str = "segmenter", postprocess: bool = False):
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "kg.pkuseg_chars.v1"``."""

    def make(nlp):
        return PkusegCharTokenizer(nlp.vocab, segmenter, postprocess=postprocess)

    return make
