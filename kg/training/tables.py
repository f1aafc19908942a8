"""``kg train segmenter|verbs|endings|lexicon``: the pkuseg segmenter (spacy_pkuseg's own trainer
on People's Daily) and the word tables the rules and the tokenizer read (predicate verbs, clause
words, adverbs, the characters no person's name ends with, the word lexicon)."""
from __future__ import annotations

import itertools
import logging
import tempfile
from pathlib import Path

from kg.errors import CorpusError
from kg.files import replace_directory, write_file
from kg.training import corpora
from kg.training.settings import DEFAULT_CORPORA, MODELS
from kg.ner.lexicon import write_lexicon
from kg.ner.segmenter import write_tables
from kg.training.lexicon import build_entries

log = logging.getLogger(__name__)


def write_segmenter_data(corpora_dir: Path, out_dir: Path, *, heldout: int = 500) -> tuple[Path, Path]:
    """Write People's Daily as pkuseg training text (words separated by spaces, one paragraph a line).

    The last ``heldout`` paragraphs become the trainer's own test file (for its per-iteration log);
    the model is scored separately on the SIGHAN 2005 PKU test gold, which it never sees.
    """
    source = corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt")
    paragraphs = [" ".join(words) for words in corpora.peoples_daily_words(source)]
    out_dir.mkdir(parents=True, exist_ok=True)
    train_file, test_file = out_dir / "pd_train.txt", out_dir / "pd_heldout.txt"
    train_file.write_text("\n".join(paragraphs[:-heldout]) + "\n", encoding="utf-8")
    test_file.write_text("\n".join(paragraphs[-heldout:]) + "\n", encoding="utf-8")
    return train_file, test_file


def train_segmenter(corpora_dir: Path = DEFAULT_CORPORA, out: Path = MODELS / "segmenter", *, iterations: int = 6,
                    prune_threshold: float = 0.02) -> Path:
    """Train the pkuseg segmenter with spacy_pkuseg's trainer, prune it, and write it to ``out``."""
    import spacy_pkuseg
    from spacy_pkuseg import trainer as pkuseg_trainer


    # spacy_pkuseg saves only after the last iteration; save after each one too, so a long
    # run can be inspected (and is not lost) half-way.
    original_test = pkuseg_trainer.Trainer.test

    def test_and_checkpoint(self, testset, iteration):
        scores = original_test(self, testset, iteration)
        self.model.save()
        log.info("iteration %d: held-out F1 %.2f, checkpoint saved", iteration, scores[0])
        return scores

    pkuseg_trainer.Trainer.test = test_and_checkpoint
    with tempfile.TemporaryDirectory(prefix="kg-seg-") as tmp:
        train_file, test_file = write_segmenter_data(corpora_dir, Path(tmp))
        staging = out.with_name(out.name + ".partial")
        log.info("training pkuseg on %s for %d iterations", train_file, iterations)
        spacy_pkuseg.train(str(train_file), str(test_file), str(staging), train_iter=iterations)
        log.info("pruned: %s", prune_segmenter(staging, threshold=prune_threshold))
        write_tables(staging)  # the decoder's lookup tables (kg.ner.segmenter), compiled once here
        replace_directory(staging, out)
    return out


def prune_segmenter(model_dir: Path, *, threshold: float = 0.01) -> dict[str, int]:
    """Drop pkuseg features whose weights are all below ``threshold`` in magnitude; compress weights.

    A feature whose weights are (near) zero for every tag cannot change a decision, so removing
    it shrinks the model with no or little change in accuracy (``kg evaluate --segmenter`` tells).
    """
    import numpy as np
    import srsly

    features = srsly.read_msgpack(model_dir / "features.msgpack")
    npz = np.load(model_dir / "weights.npz")
    n_tag, n_feature = (int(x) for x in npz["sizes"])
    w = npz["w"]
    node = w[: n_tag * n_feature].reshape(n_feature, n_tag)
    edge = w[n_tag * n_feature:]
    keep = np.abs(node).max(axis=1) >= threshold
    keep[0] = True  # index 0 is pkuseg's reserved feature
    new_index = np.cumsum(keep) - 1
    feature_to_idx = {f: int(new_index[i]) for f, i in features["feature_to_idx"].items() if keep[i]}
    features["feature_to_idx"] = feature_to_idx
    new_w = np.concatenate([node[keep].reshape(-1), edge])
    srsly.write_msgpack(model_dir / "features.msgpack", features)
    np.savez_compressed(model_dir / "weights.npz", sizes=np.array([n_tag, int(keep.sum())]), w=new_w)
    return {"features_before": n_feature, "features_after": int(keep.sum())}


def _write_word_list(out: Path, header: str, words: list[str], what: str) -> Path:
    """Write ``words`` one a line under the ``#`` comment ``header``, whole or not at all."""
    write_file(out, (header + "".join(f"{word}\n" for word in words)).encode("utf-8"))
    log.info("%s: %d %s", out, len(words), what)
    return out


def write_predicate_verbs(corpora_dir: Path = DEFAULT_CORPORA, out: Path = MODELS / "predicate_verbs.txt") -> Path:
    """Write the predicate-verb lexicon (:func:`kg.training.corpora.peoples_daily_predicate_verbs`)."""
    verbs = corpora.peoples_daily_predicate_verbs(corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt"))
    header = ("# Predicate verbs: words People's Daily 1998-01 tags as plain verbs (v) in >= 85% of their\n"
              "# >= 5 occurrences (not verbal nouns such as 管理, 发展).  An organisation name never starts\n"
              "# with one after its place (巴彦淖尔市 + 成立 + 农推官工作室 is a clause).  Rebuild: kg train verbs\n")
    return _write_word_list(out, header, verbs, "predicate verbs")


def write_clause_words(corpora_dir: Path = DEFAULT_CORPORA, out: Path = MODELS / "clause_words.txt") -> Path:
    """Write the clause-word lexicon (:func:`kg.training.corpora.peoples_daily_clause_words`)."""
    words = corpora.peoples_daily_clause_words(corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt"))
    header = ("# Clause words: words People's Daily 1998-01 tags as adverbs (d, ad) in >= 1/2, or as plain\n"
              "# verbs (v) in >= 2/3, of their >= 5 occurrences.  An organisation's unit written after its\n"
              "# name holds none (南县人大常委会 + 坚决支持法院 is a clause).  Rebuild: kg train verbs\n")
    return _write_word_list(out, header, words, "clause words")


def write_adverbs(corpora_dir: Path = DEFAULT_CORPORA, out: Path = MODELS / "adverbs.txt") -> Path:
    """Write the adverb lexicon (:func:`kg.training.corpora.peoples_daily_adverbs`)."""
    words = corpora.peoples_daily_adverbs(corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt"))
    header = ("# Adverbs: words People's Daily 1998-01 tags as adverbs (d, ad) in >= 1/2 of their >= 5\n"
              "# occurrences.  A short name right after one is a verb or adjective (全面|联通: to connect\n"
              "# fully), not the organisation.  Rebuild: kg train verbs\n")
    return _write_word_list(out, header, words, "adverbs")


def write_name_endings(corpora_dir: Path = DEFAULT_CORPORA, out: Path = MODELS / "non_person_endings.tsv") -> Path:
    """Write the characters no person's name ends with (:func:`kg.training.corpora.non_person_endings`),
    counted over MSRA train, People's Daily 1998-01 and CLUENER2020 train."""
    examples = itertools.chain(
        corpora.msra_bio(corpora.require(corpora_dir / "msra_ner" / "msra_train_bio")),
        corpora.peoples_daily_entities(corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt")),
        corpora.cluener(corpora.require(corpora_dir / "cluener2020" / "train.json")))
    endings = corpora.non_person_endings(examples)
    header = ("# Characters that end >= 30 places and organisations in MSRA train, People's Daily 1998-01 and\n"
              "# CLUENER2020 train, and no person: char<TAB>the label they end most often<TAB>places<TAB>\n"
              "# organisations.  A \"person\" ending in one is not a person (福元铌矿).  Rebuild: kg train endings\n")
    rows = "".join(f"{char}\t{label}\t{places}\t{orgs}\n"
                   for char, (label, places, orgs) in sorted(endings.items(), key=lambda kv: (-sum(kv[1][1:]), kv[0])))
    write_file(out, (header + rows).encode("utf-8"))
    log.info("%s: %d characters", out, len(endings))
    return out


def train_lexicon(out: Path | None = None, jieba_dict: Path | None = None) -> Path:
    """``models/lexicon.tsv`` (:mod:`kg.ner.lexicon`): jieba's dictionary, its tags reduced to kg's
    classes, and the places of ``models/places.tsv``.  Needs jieba (``pip install -e '.[train]'``)."""
    if jieba_dict is None:
        try:
            import jieba
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise CorpusError("the lexicon is built from jieba's dictionary: pip install -e '.[train]'") from exc
        jieba_dict = Path(jieba.__file__).with_name("dict.txt")
    out = out or MODELS / "lexicon.tsv"
    entries = build_entries(corpora.require(jieba_dict), MODELS / "places.tsv")
    log.info("%s: %d words", write_lexicon(entries, out), len(entries))
    return out
