"""Where training reads and writes, and what an NER config asks of it: kg's training settings,
shared by ``kg train`` (:mod:`kg.training.train`) and the experiments."""
from __future__ import annotations

from pathlib import Path

from kg.resources import CHECKOUT_MODELS
from kg.ner.embedding import NAMES_ATTR

#: the checkout: training runs in a clone of kg, beside ``../shared/corpora``
REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
MODELS = CHECKOUT_MODELS  # training writes into the checkout's models/, never a wheel's copy
CONFIGS = REPO / "configs"
NER_CONFIG = CONFIGS / "ner.cfg"


def segmenter_arg(segmenter: Path) -> str:
    """The segmenter as a pipeline names it: relative to models/ when it lives there (portable)."""
    return segmenter.name if segmenter.resolve().parent == MODELS.resolve() else str(segmenter.resolve())


def config_section(config: Path, overrides: dict[str, str] | None, *keys: str) -> dict:
    """A section of the NER config (with ``overrides``), uninterpolated: ``keys`` is its path."""
    from spacy import util

    section = util.load_config(config, overrides=dict(overrides or {}), interpolate=False)
    for key in keys:
        section = section[key]
    return section


def embed_settings(config: Path, overrides: dict[str, str] | None = None) -> dict:
    """The NER config's (with ``overrides``) ``[components.tok2vec.model.embed]`` section."""
    return config_section(config, overrides, "components", "tok2vec", "model", "embed")


def pretrains_tok2vec(config: Path, overrides: dict[str, str] | None = None) -> bool:
    """Whether the NER config starts its tok2vec from pretrained weights: a ``[pretraining]``
    section naming the component (``configs/ner-pretrained.cfg``; kg/training/experiments/pretrain.py writes them)."""
    return bool(config_section(config, overrides, "pretraining").get("component"))


def embeds_names(config: Path, overrides: dict[str, str] | None = None) -> bool:
    """Whether the NER config's embedding reads the names lexicon (``NAMES`` among its attrs)."""
    return NAMES_ATTR in embed_settings(config, overrides).get("attrs", [])


def distill_weight(config: Path, overrides: dict[str, str] | None = None) -> float:
    """The share of the NER config's (with ``overrides``) training loss taken from teacher
    distributions (``[components.ner] distill_weight``; 0 when it names none)."""
    return float(config_section(config, overrides, "components", "ner").get("distill_weight", 0.0) or 0.0)


def vectors_attr(config: Path, overrides: dict[str, str]) -> str | None:
    """The attribute the NER config (with ``overrides``) keys static vectors on, if it reads any
    (``kg.MultiHashEmbed.v1``'s ``vectors_attr``)."""
    return embed_settings(config, overrides).get("vectors_attr") or None
