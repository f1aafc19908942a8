"""Named-entity recognition: the spaCy ``zh`` pipeline (pkuseg tokenizer + NER) over documents.

This is the only module that imports spaCy.  It turns spaCy spans into :class:`Mention`
objects whose offsets point into the RAW source text.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ModelError
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
