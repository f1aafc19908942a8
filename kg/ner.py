"""Named-entity recognition: the spaCy ``zh`` pipeline (pkuseg tokenizer + NER) over documents.

This is the only module that imports spaCy.  It turns spaCy spans into :class:`Mention`
objects whose offsets point into the RAW source text.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import ModelError
from kg.gazetteer import place_aliases
from kg.ingest import Document

log = logging.getLogger(__name__)

LABELS = ("PER", "ORG", "LOC")
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner"
#: Where the packaged model lives when kg is installed from a wheel/sdist.
PACKAGED_MODEL = Path(__file__).resolve().parent / "models" / "ner"


@dataclass(frozen=True)
class Mention:
    """One entity mention.

    ``start``/``end`` index the raw source text (end exclusive); ``cstart``/``cend`` index the
    cleaned text the NLP saw; ``text`` is the mention as read (layout breaks removed).
    """

    doc: str
    start: int
    end: int
    text: str
    label: str
    sentence: int
    cstart: int
    cend: int


def resolve_model_path(model: str | Path | None = None) -> Path:
    """Find the NER model: an explicit path, ``$KG_MODEL``, or the model shipped with kg.

    Raises:
        ModelError: when no model directory exists, naming the command that builds one.
    """
    candidates = [Path(model)] if model else []
    if not model and os.environ.get("KG_MODEL"):
        candidates.append(Path(os.environ["KG_MODEL"]))
    if not model:
        candidates += [DEFAULT_MODEL, PACKAGED_MODEL]
    for path in candidates:
        if (path / "meta.json").exists():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise ModelError(f"no NER model found (looked in {tried}); build one with `kg train ner` (see models/README.md)")


def load_pipeline(model: str | Path | None = None):
    """Load the spaCy pipeline from disk; never touches the network."""
    import spacy

    import kg.zh_tokenizer  # noqa: F401  (registers the tokenizer the pipeline names)

    path = resolve_model_path(model)
    try:
        nlp = spacy.load(path)
    except Exception as err:  # spaCy raises many kinds here; all mean "this model is unusable"
        raise ModelError(f"{path}: cannot load the NER model ({err}); rebuild it with `kg train ner`") from err
    log.debug("loaded %s with pipes %s", path, nlp.pipe_names)
    return nlp


_STOP = re.compile(r"[\s，。、；：！？“”‘’《》〈〉（）()「」,.;:!?与和及同等在的]")


@lru_cache(maxsize=None)
def org_suffixes(path: Path = Path(__file__).resolve().parent.parent / "models" / "org_suffixes.txt") -> tuple[str, ...]:
    """Organisation-name endings (``models/org_suffixes.txt``), longest first."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise ModelError(f"{path}: cannot read organisation suffixes ({err.strerror})") from err
    words = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def extend_place_to_organisation(sdoc, *, max_chars: int = 16) -> None:
    """Turn a place followed by an organisation name into one ORG span, in place.

    呼和浩特市 + 第一医院 -> ORG 呼和浩特市第一医院 (news writes an organisation as its place plus
    its own name); a LOC span that itself ends like an organisation becomes ORG; a span
    whose text is a known place (models/places.tsv) is LOC.  The extension ends at the longest organisation suffix that closes a
    segmenter word (so 局 in 局长 never ends one), stops at punctuation and conjunctions, and
    never runs into another entity.
    """
    from spacy.util import filter_spans

    text = sdoc.text
    suffixes = org_suffixes()
    word_end = {t.idx + len(t.text) for t in sdoc if t.tag_[:1] in ("E", "S")}
    starts = sorted(e.start_char for e in sdoc.ents)
    new_spans, changed = [], False
    places = place_aliases()
    for ent in sdoc.ents:
        span = ent
        if ent.label_ != "LOC" and len(ent.text) > 1 and ent.text in places:
            # a known place is a place, whatever the model said (鄂尔多斯 tagged PER)
            ent = sdoc.char_span(ent.start_char, ent.end_char, label="LOC")
            span, changed = ent, True
        if ent.label_ == "LOC" and _names_organisation(ent.text, suffixes) and ent.end_char in word_end:
            span, changed = sdoc.char_span(ent.start_char, ent.end_char, label="ORG"), True
        elif ent.label_ == "LOC":
            limit = min([s for s in starts if s >= ent.end_char] + [len(text), ent.end_char + max_chars])
            stop = _STOP.search(text, ent.end_char, limit)
            limit = stop.start() if stop else limit
            tail = text[ent.end_char:limit]
            best = None
            for end in range(len(tail), 0, -1):
                if ent.end_char + end in word_end and tail[:end].endswith(suffixes):
                    best = end
                    break
            if best:
                extended = sdoc.char_span(ent.start_char, ent.end_char + best, label="ORG")
                if extended is not None:
                    span, changed = extended, True
        new_spans.append(span)
    if changed:
        sdoc.ents = filter_spans(new_spans)


def _names_organisation(text: str, suffixes: tuple[str, ...]) -> bool:
    """A span "labelled LOC" that ends like an organisation (公安厅交通管理局, 内蒙古大学) is one.
    One-character endings other than 局/厅/署/办 are too ambiguous on their own (转运站, 派出所)."""
    return any(text.endswith(s) and len(text) > len(s) and (len(s) > 1 or s in "局厅署办") for s in suffixes)


class Recognizer:
    """Finds PER/ORG/LOC mentions in documents.

    Args:
        model: model directory (default: ``models/ner`` or ``$KG_MODEL``).
        batch_size: paragraphs per ``nlp.pipe`` batch.
    """

    def __init__(self, model: str | Path | None = None, *, batch_size: int = 64) -> None:
        self.nlp = load_pipeline(model)
        self.batch_size = batch_size

    def __call__(self, doc: Document) -> list[Mention]:
        """Return the mentions of one document, in text order."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document]) -> Iterator[list[Mention]]:
        """Yield the mentions of each document, one list per document, in input order."""
        for doc in docs:
            texts = ((doc.text[p.start:p.end], p.start) for p in doc.paragraphs)
            mentions: list[Mention] = []
            for sdoc, offset in self.nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size):
                extend_place_to_organisation(sdoc)
                for ent in sdoc.ents:
                    if ent.label_ not in LABELS:
                        continue
                    text = ent.text.strip()
                    if not text:
                        continue
                    lead = len(ent.text) - len(ent.text.lstrip())
                    cstart = offset + ent.start_char + lead
                    cend = cstart + len(text)
                    start, end = doc.to_raw(cstart, cend)
                    mentions.append(
                        Mention(doc.id, start, end, text, ent.label_, doc.sentence_at(cstart).index, cstart, cend)
                    )
            yield mentions
