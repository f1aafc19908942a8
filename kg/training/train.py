"""Reproducible training of kg's models from the corpora in ``../shared/corpora``.

``kg train segmenter`` trains the pkuseg word segmenter on People's Daily 1998-01 with
spacy_pkuseg's own trainer; ``kg train ner`` builds the spaCy ``zh`` pipeline (that
segmenter as tokenizer + an NER component) from MSRA, People's Daily and CLUENER2020.
CI never trains: it uses what is committed under ``models/``.
"""
from __future__ import annotations

import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.training import corpora
from kg.errors import CorpusError
from kg.files import replace_directory
from kg.training.tables import (
    train_lexicon,
    train_segmenter,
)
from kg.training.settings import (
    CONFIGS,
    DEFAULT_CORPORA,
    MODELS,
    NER_CONFIG,
    config_section,
    distill_weight,
    embeds_names,
    pretrains_tok2vec,
    segmenter_arg,
    vectors_attr,
)
from kg.training.experiments.pos_task import FACTORY as POS_FACTORY

log = logging.getLogger(__name__)

#: examples the ``augment`` source adds (kg/training/augment.py)
AUGMENTED_EXAMPLES = 10_000
#: examples the ``namelists`` source adds (lists of people run together, kg/training/augment.py)
NAME_LIST_EXAMPLES = 4_000
#: sources made from the real ones rather than read from the corpora
GENERATED = ("augment", "namelists")
#: the names lexicon of the training sentences, beside the training DocBins
NAMES_TSV = "names.tsv"
#: the shipped model's training sources (see models/README.md)
SOURCES = ("msra", "pd", "cluener", "namelists")
#: sources whose annotation gaps are harmonised with MSRA's entity words (see ner_examples)
HARMONISED = ("pd",)
#: where the shipped model's checkpoint is chosen: MSRA dev (MSRA's convention).  ``--dev
#: msra,cluener`` adds CLUENER2020's dev set, held out of training (kg's own convention); tried,
#: not shipped (models/README.md)
DEV_SOURCES = ("msra",)
#: marks a ``spacy train`` output folder whose run finished (a teacher to reuse)
TRAINED_MARK = "kg-trained"
#: steps of NER stage 1 behind the shipped model (see models/README.md)
STAGE1_STEPS = 8_000
#: seeds of the teachers a distilled NER learns from (a config whose ``[components.ner]
#: distill_weight`` is above 0): each is the config's recipe, undistilled, at that seed; their
#: averaged tag scores are the student's teacher (kg/training/distill.py, models/README.md)
TEACHER_SEEDS = (0, 1)
#: how the NER's static vectors are learned when its config names ``vectors_attr`` (kg/ner/embedding.py)
VECTORS = {"attr": "LEMMA", "dim": 64, "window": 5, "min_count": 3, "max_rows": 100_000, "epochs": 5}


def featured_tokenizer(segmenter: Path = MODELS / "segmenter", config: Path | None = None):
    """A spaCy ``zh`` pipeline whose tokenizer is kg's own (kg/ner/tokenizer.py): one token per
    character carrying the segmenter's word features, so every gold span aligns and the
    features are computed once, when the training data is written.  The tokenizer settings
    (user dictionary, word classes, conventions) are read from ``config``'s ``[nlp.tokenizer]``,
    so the stored features are the ones the trained pipeline computes; but the documents are
    always left to right, as the gold spans' offsets are: a right-to-left pipeline's reader
    reverses them (``kg.featured_corpus.v1``'s ``reverse``)."""
    import spacy
    from spacy import util


    settings = dict(util.load_config(config, interpolate=True)["nlp"]["tokenizer"]) if config else {"@tokenizers": "kg.pkuseg_chars.v1"}
    settings["segmenter"] = segmenter_arg(segmenter)
    settings["reverse"] = False
    return spacy.blank("zh", config={"nlp": {"tokenizer": settings}})


def ner_examples(corpora_dir: Path, *, sources: tuple[str, ...] = ("msra", "pd", "cluener"),
                 msra_heldout: int = 0, harmonise: tuple[str, ...] = HARMONISED,
                 cluener_heldout: bool = False) -> dict[str, list]:
    """Collect ``(text, spans)`` training examples from each named source.

    CLUENER2020's public train and dev sets are both training data, less the held-out fifth of
    dev (:func:`kg.training.corpora.cluener_heldout`, scored by ``kg evaluate --cluener-part
    heldout``), which no training step reads.  With ``cluener_heldout``, the rest of dev is
    returned apart, as ``"cluener-dev"``, with the words MSRA consistently tags as entities made
    unannotated where CLUENER leaves them untagged (a dev set should not count a country
    CLUENER forgot to tag as a false positive).

    People's Daily is harmonised with MSRA (:func:`kg.training.corpora.peoples_daily_entities`): words MSRA
    consistently tags as entities, learned from MSRA train less its last ``msra_heldout``
    sentences (the dev set), are left unannotated where People's Daily calls them common words;
    with ``"pd-abbreviations"``, every People's Daily abbreviation too; with ``"cluener"``, also
    where CLUENER2020 leaves MSRA's entity words untagged.
    """
    found: dict[str, list] = {}
    msra = list(corpora.msra_bio(corpora.require(corpora_dir / "msra_ner" / "msra_train_bio")))
    if "msra" in sources:
        found["msra"] = msra
    lexicon = corpora.entity_lexicon(msra[:len(msra) - msra_heldout]) if harmonise else {}
    log.info("MSRA entity lexicon: %d words", len(lexicon))
    if "pd" in sources:
        found["pd"] = [ex for ex in corpora.peoples_daily_entities(
            corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt"),
            entity_words=lexicon if "pd" in harmonise else None,
            abbreviations_unannotated="pd-abbreviations" in harmonise) if ex[0]]
    if "cluener" in sources:
        def read(name: str) -> list:  # never the held-out part of dev.json (corpora.cluener_heldout)
            return corpora.cluener_training(corpora_dir, name)

        found["cluener"] = read("train.json") + ([] if cluener_heldout else read("dev.json"))
        if "cluener" in harmonise:
            found["cluener"] = list(corpora.mark_unannotated_entities(found["cluener"], lexicon))
        if cluener_heldout:
            found["cluener-dev"] = list(corpora.mark_unannotated_entities(read("dev.json"), lexicon))
    return found


def write_docbin(nlp, examples, path: Path, conventions: list[str] | None = None,
                 names: list | None = None) -> dict[str, int]:
    """Tokenise ``examples`` with ``nlp`` and save them as a DocBin; spans labelled
    :data:`kg.training.corpora.MISSING`, and spans that do not align with the tokens, are kept as
    *missing* (neither entity nor O) so the model is not taught wrong boundaries.  With
    ``conventions`` (one per example), each example is tokenised with its source's annotation
    convention marked (``PkusegCharTokenizer.tokenize``); with ``names`` (one names lexicon per
    example, :func:`kg.training.lexicon.name_folds`), with that lexicon's matches.  Returns counts of
    entities, misaligned entities, missing spans and docs."""
    from spacy.tokens import DocBin

    from kg.training.corpus import FEATURE_ATTRS

    stats = {"entities": 0, "misaligned": 0, "missing": 0, "docs": 0}
    db = DocBin(attrs=FEATURE_ATTRS)

    def tokenized():
        tokenizer = nlp.tokenizer
        for i, (text, words) in enumerate(tokenizer.segmented(text for text, _ in examples)):
            if names is not None:
                tokenizer.names = names[i]
            yield tokenizer.tokenize(text, conventions[i] if conventions else tokenizer.convention, segmented=words)

    docs = tokenized()
    for doc, (_, spans) in zip(docs, examples):
        ents, missing = [], []
        for start, end, label in spans:
            if label != corpora.MISSING:
                stats["entities"] += 1
                span = doc.char_span(start, end, label=label)
                if span is not None:
                    ents.append(span)
                    continue
                stats["misaligned"] += 1
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                missing.append(span)
                stats["missing"] += label == corpora.MISSING
        try:
            doc.set_ents(ents, missing=missing, default="outside")
        except ValueError:  # overlapping spans in the source annotation: keep the aligned ones
            doc.set_ents([e for e in ents if not any(e.start < m.end and m.start < e.end for m in missing)], default="outside")
        db.add(doc)
        stats["docs"] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return stats


def prepare_ner_data(corpora_dir: Path, work: Path, *, sources: tuple[str, ...], dev_size: int = 2000,
                     segmenter: Path = MODELS / "segmenter", config: Path = NER_CONFIG,
                     harmonise: tuple[str, ...] = HARMONISED,
                     dev_sources: tuple[str, ...] = DEV_SOURCES,
                     names_min_share: float | None = None) -> tuple[Path, Path]:
    """Write ``train.spacy`` and ``dev.spacy`` under ``work`` (reused when already there).

    The dev set is the last ``dev_size`` MSRA training sentences, in MSRA's convention (MSRA
    test is kept for ``kg evaluate``), and with ``"cluener"`` in ``dev_sources`` also
    CLUENER2020's public dev set, held out of training, in kg's own convention: the checkpoint
    is then chosen for both conventions, not for MSRA's alone.  The seed gold pages are never
    used in training.  The generated sources
    (:data:`GENERATED`) are made from the real sources' training sentences: ``namelists``
    (:func:`kg.training.augment.name_list_examples`) in each source's share and convention, ``augment``
    in kg's own.

    The names lexicon (:mod:`kg.ner.lexicon`), when ``config`` embeds ``NAMES``, is written to
    ``names.tsv`` from every training sentence; each training sentence is featured with the
    names of the other folds (:func:`kg.training.lexicon.name_folds`), the dev sentences with them all;
    a name annotated in less than ``names_min_share`` of its occurrences is left out
    (:data:`kg.ner.lexicon.NAME_MIN_SHARE` by default).
    """
    train_file, dev_file = work / "train.spacy", work / "dev.spacy"
    with_names = embeds_names(config)
    if train_file.exists() and dev_file.exists() and (not with_names or (work / NAMES_TSV).exists()):
        return train_file, dev_file
    work.mkdir(parents=True, exist_ok=True)
    random.seed(0)
    real = tuple(s for s in sources if s not in GENERATED)
    unknown = set(dev_sources) - {"msra", "cluener"}
    if unknown or "msra" not in dev_sources:
        raise ValueError(f"dev sources: msra, optionally with cluener (got {','.join(dev_sources)})")
    heldout = "cluener" in dev_sources
    data = ner_examples(corpora_dir, sources=tuple(dict.fromkeys(("msra", *real, *dev_sources))),
                        msra_heldout=dev_size, harmonise=harmonise, cluener_heldout=heldout)
    dev = data["msra"][-dev_size:]
    data["msra"] = data["msra"][:-dev_size]
    dev_conventions = ["msra"] * len(dev)
    if heldout:
        dev += data["cluener-dev"]
        dev_conventions += [""] * len(data["cluener-dev"])
    train: list = []
    for name in real:
        train += data[name]
    nlp = featured_tokenizer(segmenter, config)
    marked = set(nlp.tokenizer.conventions)  # sources trained with their own convention marked

    def convention(source: str) -> str:
        return source if source in marked else ""

    conventions = [convention(name) for name in real for _ in data[name]]
    base = list(train)  # what generated examples are made from: never the dev set
    if "augment" in sources:  # mention replacement: kg's own convention
        from kg.training.augment import augmented_examples

        made = augmented_examples(base, base, n=AUGMENTED_EXAMPLES)
        log.info("augmented examples: %d", len(made))
        train += made
        conventions += [""] * len(made)
    if "namelists" in sources:  # each source's share, in its sentences and so in its convention
        from kg.training.augment import name_list_examples, person_names

        names = person_names(base)  # one pool of names for every source's lists
        for seed, name in enumerate(real):
            made = name_list_examples(data[name], names, n=round(NAME_LIST_EXAMPLES * len(data[name]) / len(base)),
                                      seed=seed)
            log.info("name-list examples in %s sentences: %d", name, len(made))
            train += made
            conventions += [convention(name)] * len(made)
    generated = set(range(len(base), len(train)))
    order = list(range(len(train)))
    random.shuffle(order)
    train, conventions = [train[i] for i in order], [conventions[i] for i in order]
    generated_at = {position for position, i in enumerate(order) if i in generated}
    log.info("conventions marked: %s", ", ".join(sorted(marked)) or "none")
    dev_names = train_names = None
    if with_names:
        from kg.ner.lexicon import NAME_FOLDS, NAME_MAX_LENGTH, Lexicon, write_lexicon
        from kg.training.lexicon import name_folds, names_entries

        if names_min_share is None:
            from kg.ner.lexicon import NAME_MIN_SHARE as names_min_share
        real_train = [ex for i, ex in enumerate(train) if i not in generated_at]
        entries = names_entries(real_train, min_share=names_min_share)
        write_lexicon(entries, work / NAMES_TSV)
        log.info("names lexicon: %d names from %d sentences, in %d folds", len(entries), len(real_train), NAME_FOLDS)
        folds = name_folds(real_train, min_share=names_min_share)
        fold_of = iter(range(len(real_train)))
        # a generated example (lists of names from every fold) gets the names of a fold at random
        train_names = [folds[random.randrange(NAME_FOLDS)] if i in generated_at else folds[next(fold_of) % NAME_FOLDS]
                       for i in range(len(train))]
        dev_names = [Lexicon(entries, NAME_MAX_LENGTH)] * len(dev)
    log.info("dev docbin: %s", write_docbin(nlp, dev, work / "dev.spacy.tmp", [convention(c) for c in dev_conventions],
                                            dev_names))
    log.info("train docbin: %s", write_docbin(nlp, train, work / "train.spacy.tmp", conventions, train_names))
    (work / "dev.spacy.tmp").rename(dev_file)
    (work / "train.spacy.tmp").rename(train_file)
    return train_file, dev_file


def _spacy_train_args(config: Path, output: Path, train_file: Path, dev_file: Path, segmenter: Path,
                      overrides: dict[str, str]) -> list[str]:
    args = [
        sys.executable, "-m", "spacy", "train", str(config), "--output", str(output),
        "--paths.train", str(train_file), "--paths.dev", str(dev_file),
        "--nlp.tokenizer.segmenter", segmenter_arg(segmenter),
    ]
    if POS_FACTORY in config.read_text(encoding="utf-8"):
        # an experiment's training-only component (configs/ner-pos.cfg); kg's own names are entry points
        args += ["--code", str(Path(__file__).parent / "experiments" / "pos_task.py")]
    for key, value in overrides.items():
        args += [f"--{key}", str(value)]
    return args


def _spacy_train(config: Path, output: Path, train_file: Path, dev_file: Path, segmenter: Path,
                 overrides: dict[str, str]) -> Path:
    args = _spacy_train_args(config, output, train_file, dev_file, segmenter, overrides)
    log.info("running %s", " ".join(args))
    subprocess.run(args, check=True)
    return output


def train_teachers(config: Path, work: Path, train_file: Path, dev_file: Path, segmenter: Path,
                   overrides: dict[str, str], *, seeds: tuple[int, ...] = TEACHER_SEEDS) -> list[Path]:
    """Train the teachers of a distilled NER: ``config``'s recipe without distillation, once per
    seed, each kept at its best dev checkpoint.  They run at the same time, one process each
    (``spacy train`` uses one core), as many at once as the machine has cores.  A teacher a
    finished earlier run left in ``work`` is reused (re-running ``kg train ner`` resumes)."""
    outputs = {seed: work / f"teacher-{seed}" / "output" for seed in seeds}
    todo = [seed for seed in seeds if not (outputs[seed] / TRAINED_MARK).exists()]
    at_once = max(1, min(len(todo), os.cpu_count() or 1))
    for first in range(0, len(todo), at_once):
        running = []
        for seed in todo[first:first + at_once]:
            args = _spacy_train_args(config, outputs[seed], train_file, dev_file, segmenter,
                                     {**overrides, "system.seed": str(seed), "components.ner.distill_weight": "0"})
            log.info("running %s", " ".join(args))
            env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"} if at_once > 1 else None
            running.append((seed, args, subprocess.Popen(args, env=env)))  # side by side: one BLAS thread each
        finished = [(seed, args, process.wait()) for seed, args, process in running]
        for seed, _, code in finished:
            if code == 0:
                (outputs[seed] / TRAINED_MARK).write_text("trained\n")
        for _, args, code in finished:
            if code:
                raise subprocess.CalledProcessError(code, args)
    return [outputs[seed] / "model-best" for seed in seeds]


def train_ner(
    corpora_dir: Path = DEFAULT_CORPORA,
    out: Path = MODELS / "ner",
    *,
    segmenter: Path = MODELS / "segmenter",
    sources: tuple[str, ...] = SOURCES,
    stage1_steps: int = STAGE1_STEPS,
    finetune_sources: tuple[str, ...] = (),
    finetune_steps: int | None = None,
    work_dir: Path | None = None,
    overrides: dict[str, str] | None = None,
    config: Path = NER_CONFIG,
    harmonise: tuple[str, ...] = HARMONISED,
    dev_sources: tuple[str, ...] = DEV_SOURCES,
    names_min_share: float | None = None,
    teachers: tuple[Path, ...] = (),
    average: bool = True,
) -> Path:
    """Train the NER pipeline in two ``spacy train`` stages and copy the result to ``out``.

    Stage 1 (``configs/ner.cfg``) learns from every source for ``stage1_steps`` steps and keeps
    its best dev checkpoint: that is the shipped model.  When the config reads static vectors,
    they are learned first from the sources' raw text (:func:`kg.training.vectors.train_vectors`, settings
    :data:`VECTORS`) unless ``paths.vectors`` names a table.  Optional stage 2
    (``configs/ner-finetune.cfg``) continues from stage 1's last model on ``finetune_sources``
    only (e.g. MSRA: one consistent annotation convention; better on MSRA test, worse on
    modern pages — see models/README.md).

    A config with a ``[pretraining]`` component (``configs/ner-pretrained.cfg``) starts its
    tok2vec from weights :func:`kg.training.experiments.pretrain.pretrain_tok2vec` learns first from the sources'
    raw text, unless ``paths.init_tok2vec`` names them.

    A config with ``[components.ner] distill_weight`` above 0 trains a student: first its
    teachers (:func:`train_teachers`, or the trained models ``teachers`` names), then their
    averaged tag distributions over the training data (:func:`kg.training.distill.teacher_marginals`),
    which stage 1 reads as ``paths.teacher``.

    With ``average`` (the default), stage 1 keeps a copy of the pipeline at every evaluation
    (``paths.checkpoints``, read by the config's ``kg.checkpoint_logger.v1``) and its result is
    the better on dev of the best one alone and its average with every later one
    (:func:`kg.training.checkpoints.average_checkpoints`).
    """
    if not (segmenter / "features.msgpack").exists():
        raise CorpusError(f"{segmenter}: no segmenter; run `kg train segmenter` first")
    work = Path(work_dir or tempfile.mkdtemp(prefix="kg-ner-"))
    train_file, dev_file = prepare_ner_data(corpora_dir, work / "stage1", sources=sources, segmenter=segmenter,
                                            config=config, harmonise=harmonise, dev_sources=dev_sources,
                                            names_min_share=names_min_share)
    overrides = dict(overrides or {})
    if embeds_names(config, overrides):
        overrides.setdefault("nlp.tokenizer.names", str(work / "stage1" / NAMES_TSV))
    attr = vectors_attr(config, overrides)
    if attr and "paths.vectors" not in overrides:
        vectors = work / "vectors"
        if not (vectors / "vocab" / "vectors").exists():
            from kg.training.vectors import train_vectors

            train_vectors(corpora_dir, vectors, segmenter=segmenter_arg(segmenter), **{**VECTORS, "attr": attr})
        overrides["paths.vectors"] = str(vectors)
    if pretrains_tok2vec(config, overrides) and not overrides.get("paths.init_tok2vec"):
        weights = work / "tok2vec.bin"  # configs/ner-pretrained.cfg: kg/training/experiments/pretrain.py's weights first
        if not weights.exists():
            from kg.training.experiments.pretrain import STEPS as PRETRAIN_STEPS, pretrain_tok2vec
            from kg.training.vectors import raw_texts

            vectors = overrides.get("paths.vectors")
            pretrain_tok2vec([text for text in raw_texts(corpora_dir) if text.strip()], weights, config=config,
                             vectors=Path(vectors) if vectors else None, segmenter=segmenter, steps=PRETRAIN_STEPS)
        overrides["paths.init_tok2vec"] = str(weights)
    if os.environ.get("KG_PREPARE_ONLY"):
        return work
    overrides = {"training.max_steps": str(stage1_steps), **overrides}
    if "pos" in config_section(config, overrides, "paths") and "paths.pos" not in overrides:
        from kg.training.experiments.pos_task import write_pos_tags  # an auxiliary task's tags (configs/ner-pos.cfg)

        pos_file = work / "stage1" / "pos.npz"
        if not pos_file.exists():
            write_pos_tags(train_file, corpora.require(corpora_dir / "peoples_daily_1998" / "199801.txt"), pos_file)
        overrides["paths.pos"] = str(pos_file)
    if distill_weight(config, overrides) > 0 and "paths.teacher" not in overrides:
        from kg.training.distill import teacher_marginals

        teacher_file = work / "teacher.npz"
        if not teacher_file.exists():
            trained = list(teachers) or train_teachers(config, work, train_file, dev_file, segmenter, overrides)
            teacher_marginals(train_file, trained, teacher_file)
        overrides["paths.teacher"] = str(teacher_file)
    checkpoints = work / "stage1" / "checkpoints"
    average = average and "checkpoints" in config_section(config, overrides, "paths")
    if average:
        if checkpoints.exists():
            shutil.rmtree(checkpoints)  # another run's
        overrides.setdefault("paths.checkpoints", str(checkpoints))
    stage1 = _spacy_train(config, work / "stage1" / "output", train_file, dev_file, segmenter, overrides)
    result = stage1 / "model-best"
    if average:
        from kg.training.checkpoints import average_checkpoints, kept_checkpoints

        kept = kept_checkpoints(Path(overrides["paths.checkpoints"]))
        if kept:
            soup = average_checkpoints(kept, dev_file, work / "stage1" / "averaged")
            log.info("stage 1's result: steps %s averaged (dev %.4f; each alone: %s)", soup.steps, soup.score,
                     soup.scores)
            result = work / "stage1" / "averaged"
        else:
            log.warning("%s: no checkpoints kept (the config's logger is not kg.checkpoint_logger.v1?); "
                        "shipping the best one", overrides["paths.checkpoints"])
    if finetune_sources:
        train2, dev2 = prepare_ner_data(corpora_dir, work / "stage2", sources=finetune_sources, segmenter=segmenter,
                                        config=config)
        extra = {"paths.init_model": str(stage1 / "model-last")}
        if finetune_steps:
            extra["training.max_steps"] = str(finetune_steps)
        result = _spacy_train(CONFIGS / "ner-finetune.cfg", work / "stage2" / "output", train2, dev2, segmenter, extra) / "model-best"
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(result, staging)
    from kg.training.ship import compact_model
    from kg.training.experiments.pos_task import strip_auxiliary

    strip_auxiliary(staging)
    compact_model(staging)
    clear_training_paths(staging / "config.cfg")
    return replace_directory(staging, out)


def clear_training_paths(config_file: Path) -> None:
    """Set a trained pipeline's ``[paths]`` (this machine's training files), and its tokenizer's
    names lexicon file (the model keeps a copy in ``tokenizer/``), to null: a shipped model
    names no folder of the machine that trained it."""
    from spacy import util

    config = util.load_config(config_file, interpolate=False)
    for key in config["paths"]:
        config["paths"][key] = None
    if config["nlp"]["tokenizer"].get("names"):  # the training folder's names lexicon: the model keeps its own
        config["nlp"]["tokenizer"]["names"] = None
    config.to_disk(config_file)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin wrapper for nohup runs
    import argparse

    parser = argparse.ArgumentParser(prog="python -m kg.training.train")
    parser.add_argument("what", choices=["segmenter", "lexicon", "ner", "vectors"])
    parser.add_argument("--work", type=Path, default=None, help="working folder for the NER DocBins and checkpoints")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--sources", default=",".join(SOURCES),
                        help="training sources: msra, pd, cluener; generated from them: namelists (lists of people run "
                             "together) and augment (mention replacement, measured worse; kg/training/augment.py, models/README.md)")
    parser.add_argument("--finetune", default="", help="comma-separated sources for the optional stage 2, e.g. msra")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="spaCy config override")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--config", type=Path, default=NER_CONFIG, help="stage-1 spaCy config (default configs/ner.cfg)")
    parser.add_argument("--harmonise", default=",".join(HARMONISED),
                        help="sources whose untagged MSRA entity words become unannotated: pd, cluener, and "
                             "pd-abbreviations (every People's Daily abbreviation, 中/j 美/j included); '' for none")
    parser.add_argument("--dev", default=",".join(DEV_SOURCES),
                        help="where the best checkpoint is chosen: msra (MSRA dev), or msra,cluener (and CLUENER2020's "
                             "dev set, held out of training, in kg's own convention)")
    parser.add_argument("--names-min-share", type=float, default=None,
                        help="with a config that embeds NAMES: keep a training name in the names lexicon when it is "
                             "annotated in at least this share of its occurrences (default kg.ner.lexicon.NAME_MIN_SHARE; "
                             "0 keeps every name)")
    parser.add_argument("--teachers", default="",
                        help="with a distilling config: comma-separated trained NER models to learn from instead of "
                             "training the teachers first")
    parser.add_argument("--no-average", dest="average", action="store_false",
                        help="ship stage 1's best dev checkpoint alone, not its average with the later ones that keep "
                             "the dev score (kg/training/checkpoints.py)")
    parser.add_argument("--iterations", type=int, default=6)
    parser.add_argument("--attr", default=VECTORS["attr"], help="vectors: the token attribute to key them on (LEMMA or NORM)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.what == "segmenter":
        train_segmenter(args.corpora, iterations=args.iterations)
    elif args.what == "lexicon":
        train_lexicon(args.out)
    elif args.what == "vectors":
        from kg.training.vectors import train_vectors

        train_vectors(args.corpora, args.out or Path("vectors"), **{**VECTORS, "attr": args.attr})
    else:
        overrides = dict(kv.split("=", 1) for kv in args.set)
        train_ner(args.corpora, args.out or MODELS / "ner", work_dir=args.work, sources=tuple(args.sources.split(",")),
                  finetune_sources=tuple(x for x in args.finetune.split(",") if x), overrides=overrides,
                  config=args.config, harmonise=tuple(x for x in args.harmonise.split(",") if x),
                  dev_sources=tuple(x for x in args.dev.split(",") if x), names_min_share=args.names_min_share,
                  teachers=tuple(Path(x) for x in args.teachers.split(",") if x), average=args.average)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
