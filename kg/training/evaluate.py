"""Scoring: the segmenter on SIGHAN gold, NER on MSRA test and on gold pages, links and roles.

Gold pages follow ``../shared/eval/dev`` (see its README): NER is exact span + type, ignoring
optional mentions and predictions inside optional spans; alias linking is precision/recall
of "same entity" over pairs of correctly found mentions with different surface text; roles
are (person, organisation) pairs after mapping system entities to gold clusters.

Role sentences (``eval/roles.jsonl``, see its README) are scored by :func:`evaluate_roles`, the
hand-written national sentences (``eval/national.jsonl``) by :func:`evaluate_national`.
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.training import corpora
from kg.errors import CorpusError, KGError
from kg.ner import tokenized
from kg.ner.rules import apply_rules
from kg.ner import load_pipeline, resolve_model_path
from kg.ner.tokenizer import PkusegCharTokenizer, segmenter_words
from kg.pipeline import build
from kg.resources import MODELS
from kg.training.evaluate_roles import evaluate_roles
from kg.training.scores import LABELS, PRF, SPLITS, Report
from kg.training.train import DEFAULT_CORPORA

# --------------------------------------------------------------------------- segmenter


def score_segmentation(gold: Iterable[list[str]], predicted: Iterable[list[str]]) -> PRF:
    """Word-level P/R/F1 of predicted segmentations against gold (the SIGHAN scorer's measure)."""
    score = PRF()
    for g, p in zip(gold, predicted):
        score.add(_word_spans(g), _word_spans(p))
    return score


def _word_spans(words: list[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for w in words:
        spans.add((pos, pos + len(w)))
        pos += len(w)
    return spans


#: full-width forms (U+FF01-FF5E) as ASCII: the gold printed the way many modern pages print
_PRINTED_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def evaluate_segmenter(gold_file: Path, *, model: Path, with_jieba: bool = True) -> str:
    """Score our pkuseg model (and jieba, as the peer) on a SIGHAN gold file.

    Three settings of ours: as kg's tokenizer runs it (with kg's user dictionary,
    ``models/user_dict.txt`` + ``models/places.tsv``, reading ASCII punctuation full-width:
    :data:`kg.ner.tokenizer.SEGMENTER_READING`), the bare CRF, and the bare CRF with
    spacy_pkuseg's default dictionary merging words afterwards.  Then the words kg's tokenizer
    makes of them (punctuation split off), on the gold and on the gold printed half-width
    (ASCII punctuation, digits and letters, as many modern pages print them), read full-width
    and as printed."""
    import spacy_pkuseg


    gold = list(corpora.sighan_gold(gold_file))
    half_width = [[word.translate(_PRINTED_HALF_WIDTH) for word in words] for words in gold]
    lines = []
    tokenizer = PkusegCharTokenizer(None, str(model))
    as_kg, clean = tokenizer.seg, tokenizer.clean_words
    with_default_dictionary = spacy_pkuseg.pkuseg(str(model), user_dict="default")

    def tokenizer_words(texts: list[str]) -> list[list[str]]:
        return [clean(words) for words in segmenter_words(as_kg, texts)]

    settings = (  # (sentences, texts -> their words, what)
        (gold, lambda texts: segmenter_words(as_kg, texts), "as kg uses it (kg's user dictionary)"),
        (gold, PkusegCharTokenizer(None, str(model), user_dict="").seg.cut_many, "bare CRF, no dictionary"),
        (gold, lambda texts: [with_default_dictionary.cut(text) for text in texts],
         "bare CRF + spacy_pkuseg's default dictionary"),
        (gold, tokenizer_words, "kg's tokenizer words (punctuation always split off)"),
        (half_width, tokenizer_words, "kg's tokenizer words, gold printed half-width"),
        (half_width, lambda texts: [clean(words) for words in as_kg.cut_many(texts)],
         "kg's tokenizer words, gold printed half-width and read as printed (kg before it read ASCII full-width)"),
    )
    for sentences, cut, what in settings:
        raw = ["".join(words) for words in sentences]
        t0 = time.perf_counter()
        ours = cut(raw)
        elapsed = time.perf_counter() - t0
        chars = sum(map(len, raw))
        lines.append(f"kg pkuseg, {what}: {score_segmentation(sentences, ours)}  {chars / elapsed:,.0f} chars/s")
    if with_jieba:
        try:
            import jieba
        except ImportError:
            lines.append("jieba: not installed (pip install jieba)")
        else:
            jieba.setLogLevel(60)
            jieba.initialize()
            for sentences, what in ((gold, ""), (half_width, ", gold printed half-width")):
                raw = ["".join(words) for words in sentences]
                t0 = time.perf_counter()
                theirs = [jieba.lcut(text) for text in raw]
                elapsed = time.perf_counter() - t0
                chars = sum(map(len, raw))
                lines.append(f"jieba {jieba.__version__}{what}: {score_segmentation(sentences, theirs)}  "
                             f"{chars / elapsed:,.0f} chars/s")
    return f"segmentation on {gold_file.name}:\n  " + "\n  ".join(lines)


# --------------------------------------------------------------------------- NER


def _mistakes(gold: set, predicted: set, text: str, where) -> list[str]:
    """``FN``/``FP`` lines for the missed and spurious ``(start, end, label)`` spans of ``text``,
    each with ``where(start, end)`` and eight characters of context a side (line breaks as ⏎)."""
    lines = []
    for kind, keys in (("FN", gold - predicted), ("FP", predicted - gold)):
        for start, end, label in sorted(keys):
            context = text[max(0, start - 8):end + 8].replace("\n", "⏎")
            lines.append(f"{kind} {label} {text[start:end]!r} {where(start, end)}  …{context}…")
    return lines


@contextmanager
def following(nlp, convention: str):
    """``nlp`` asked to follow annotation ``convention`` for the duration, then as before (a
    pipeline whose tokenizer knows no conventions follows kg's own, ``""``)."""
    tokenizer = nlp.tokenizer
    if not hasattr(tokenizer, "convention"):
        if convention:
            raise KGError(f"this model's tokenizer cannot follow the {convention} convention")
        yield nlp
        return
    before = tokenizer.convention
    tokenizer.convention = convention
    try:
        yield nlp
    finally:
        tokenizer.convention = before


def msra_convention(nlp, choice: str = "auto") -> str:
    """The annotation convention to score MSRA test in: ``"msra"`` when ``choice`` asks for it
    or (``"auto"``) when the model learned MSRA's convention marked, else kg's own (``""``)."""
    known = getattr(nlp.tokenizer, "conventions", ())
    if choice == "msra" and "msra" not in known:
        raise KGError("this model learned no MSRA convention mark (configs/ner.cfg: [nlp.tokenizer] conventions); "
                      "score it with --msra-convention kg")
    return "msra" if choice == "msra" or (choice == "auto" and "msra" in known) else ""


def evaluate_msra(nlp, test_file: Path, *, errors: bool = False, rules: bool = True,
                  convention: str = "") -> Report:
    """Exact span+type scores on the MSRA BIO test file; with ``errors``, every missed (``FN``)
    and spurious (``FP``) entity with its sentence number and context.  ``rules=False`` scores
    the model's own spans, without :data:`kg.ner.rules.RULES`.  ``convention`` is the
    annotation convention the model is asked to follow (``"msra"`` for a model trained with
    MSRA's marked; ``""``, kg's own, otherwise)."""
    report = Report(f"MSRA BIO file ({test_file.name})" + ("" if rules else ", rules off")
                    + (f", {convention} convention" if convention else ""))
    return _score_sentences(nlp, list(corpora.msra_bio(test_file)), report, errors=errors, rules=rules,
                            convention=convention)


def evaluate_cluener(nlp, test_file: Path, *, errors: bool = False, rules: bool = True,
                     entity_words: dict[str, str] | None = None, part: str = "all") -> Report:
    """Exact span+type scores on a CLUENER2020 JSON-lines file (its public dev set: 2020 Sina
    news, the nearest thing to kg's pages with a public gold), labels mapped as in training
    (name→PER; company/government/organization→ORG; address/scene→LOC), in kg's own
    convention, the one kg runs in.  CLUENER leaves many countries and agencies untagged: with
    ``entity_words`` (:func:`kg.training.corpora.entity_lexicon`), an untagged occurrence of one is
    optional, neither credited nor penalised, as the gold pages' optional mentions are.  ``part``
    picks the sentences (:func:`kg.training.corpora.cluener_part`): ``heldout``, the fifth of dev
    no training reads, ``rest`` or ``all``."""
    examples = corpora.cluener_part(corpora.cluener(test_file), part)
    if entity_words:
        examples = list(corpora.mark_unannotated_entities(examples, entity_words))
    report = Report(f"CLUENER2020 file ({test_file.name}), part {part}, kg convention" + ("" if rules else ", rules off")
                    + ("" if entity_words else ", untagged entity words not made optional"))
    return _score_sentences(nlp, examples, report, errors=errors, rules=rules, convention="")


def _score_sentences(nlp, examples: list, report: Report, *, errors: bool, rules: bool, convention: str,
                     ids: list[str] | None = None, ignore_inside_optional_only: bool = False) -> Report:
    """Score ``(text, spans)`` examples (spans labelled :data:`kg.training.corpora.MISSING` are optional)
    into ``report``, following ``convention``, with kg's post-processing (:data:`kg.ner.rules.RULES`,
    each sentence a document of its own) unless ``rules`` is off.  A prediction overlapping an
    optional span is ignored; with ``ignore_inside_optional_only``, only one inside it (as
    ``--gold`` does).  ``ids`` names the sentences in the error listing (else their numbers)."""
    misaligned = 0
    mistakes = []
    t0 = time.perf_counter()
    with following(nlp, convention):  # streamed: one batch of documents in memory at a time
        docs = nlp.pipe(tokenized(nlp, (t for t, _ in examples)), batch_size=128)
        for number, (doc, (_, spans)) in enumerate(zip(docs, examples), 1):
            if rules:  # kg build's rules, paragraph and document ones: the sentence is a document
                apply_rules([doc], convention=convention)
            optional = [(s, e) for s, e, label in spans if label == corpora.MISSING]
            gold = {(s, e, label) for s, e, label in spans if label != corpora.MISSING}
            predicted = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents
                         if not any((s <= ent.start_char and ent.end_char <= e) if ignore_inside_optional_only
                                    else (s < ent.end_char and ent.start_char < e) for s, e in optional)}
            misaligned += sum(1 for s, e, _ in gold if doc.char_span(s, e) is None)
            report.add(gold, predicted)
            if errors:
                name = ids[number - 1] if ids else f"sentence {number}"
                mistakes += _mistakes(gold, predicted, doc.text, lambda s, e, n=name: n)
    elapsed = time.perf_counter() - t0
    chars = sum(len(t) for t, _ in examples)
    report.extra.append(f"{len(examples)} sentences, {chars / elapsed:,.0f} chars/s; "
                        f"{misaligned} gold entities not aligned with segmenter tokens (an upper bound on recall)")
    report.extra += mistakes
    return report


def cluener_entity_words(corpora_dir: Path, heldout: int = 2000) -> dict[str, str] | None:
    """The words MSRA train (less its ``heldout`` dev sentences) consistently tags as entities, as
    training's dev set uses them (:func:`kg.training.train.ner_examples`); ``None`` when MSRA train is absent."""
    path = corpora_dir / "msra_ner" / "msra_train_bio"
    if not path.exists():
        return None
    msra = list(corpora.msra_bio(path))
    return corpora.entity_lexicon(msra[:len(msra) - heldout])


# --------------------------------------------------------------------------- national sentences


def read_national(path: Path, split: str = "all") -> list[dict]:
    """The sentences of a national NER file (``eval/national.jsonl`` format) in ``split``
    (``dev``, ``heldout`` or ``all``); every mention's offsets are checked against its text."""
    if split not in SPLITS:
        raise KGError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CorpusError(f"{path}: cannot read national sentences: {err}") from err
    sentences = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text, mentions, sentence_split = obj["text"], obj["mentions"], obj["split"]
            for m in mentions:
                if text[m["start"]:m["end"]] != m["text"] or m["type"] not in LABELS:
                    raise ValueError(f"mention {m['text']!r} {m['type']} does not match [{m['start']}, {m['end']})")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise CorpusError(f"{path}:{number}: not a national sentence (id, text, mentions, split): {err}") from err
        if split in ("all", sentence_split):
            sentences.append(obj)
    if not sentences:
        raise CorpusError(f"{path}: no sentences in split {split!r}")
    return sentences


def evaluate_national(nlp, path: Path, *, split: str = "dev", errors: bool = False, rules: bool = True) -> Report:
    """Exact span+type scores on hand-annotated sentences (``eval/national.jsonl``), each a document
    of its own, in kg's convention; optional mentions and predictions inside them are ignored,
    as with ``--gold``."""
    sentences = read_national(path, split)
    examples = [(s["text"], sorted((m["start"], m["end"], corpora.MISSING if m.get("optional") else m["type"])
                                   for m in s["mentions"])) for s in sentences]
    report = Report(f"NER on {Path(path).name} ({split}: {len(sentences)} sentences, "
                    f"{sum(not m.get('optional') for s in sentences for m in s['mentions'])} mentions)"
                    + ("" if rules else ", rules off"))
    return _score_sentences(nlp, examples, report, errors=errors, rules=rules, convention="",
                            ids=[s["id"] for s in sentences], ignore_inside_optional_only=True)


@dataclass(frozen=True)
class GoldPage:
    """A hand-annotated page: mentions (with optional flags and clusters) and roles."""

    doc: str
    mentions: list[dict]
    roles: list[dict]


def read_gold(gold_dir: Path) -> list[GoldPage]:
    """Read every ``*.json`` gold file in ``gold_dir``."""
    pages = []
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise CorpusError(f"{gold_dir}: no gold .json files")
    for path in files:
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise CorpusError(f"{path}: cannot read gold file: {err}") from err
        pages.append(GoldPage(obj["doc"], obj["mentions"], obj.get("roles", [])))
    return pages


def evaluate_gold(gold_dir: Path, seeds_dir: Path, *, model=None, errors: bool = False,
                  rules: bool = True) -> list[Report]:
    """Run the whole pipeline on the gold pages and score NER, alias links and roles.

    With ``errors``, the NER report lists every missed (``FN``) and spurious (``FP``) mention
    with its page, offsets and context.  ``rules=False`` runs the pipeline on the NER model's
    own spans, without :data:`kg.ner.rules.RULES`."""
    pages = read_gold(gold_dir)
    paths = []
    for page in pages:
        path = seeds_dir / page.doc
        if not path.exists():
            raise CorpusError(f"{path}: the page of gold file {page.doc} is missing (use --seeds)")
        paths.append(path)
    path_of = {page.doc: path for page, path in zip(pages, paths)}
    result = build(paths, model=model, show_progress=False, rules=rules)
    ner = Report("NER on gold pages (exact span + type, optional ignored)" + ("" if rules else ", rules off"))
    found: list[tuple[str, dict, str]] = []  # (doc, gold mention, system entity) for correct mentions
    predicted_by_doc: dict[str, list] = defaultdict(list)
    docs = {d.id: d for d in result.documents}
    for lm in result.linked:  # gold offsets are raw-file ones
        start, end = docs[lm.mention.doc].to_raw(lm.mention.start, lm.mention.end)
        predicted_by_doc[Path(lm.mention.doc).name].append((start, end, lm))
    for page in pages:
        optional = [(m["start"], m["end"]) for m in page.mentions if m.get("optional")]
        gold = {(m["start"], m["end"], m["type"]) for m in page.mentions if not m.get("optional")}
        gold_index = {(m["start"], m["end"], m["type"]): m for m in page.mentions if not m.get("optional")}
        predicted, entity_of = set(), {}
        for start, end, lm in predicted_by_doc[page.doc]:
            if any(s <= start and end <= e for s, e in optional):
                continue
            predicted.add((start, end, lm.mention.label))
            entity_of[(start, end, lm.mention.label)] = lm.entity
        ner.add(gold, predicted)
        if errors:
            text = path_of[page.doc].read_text(encoding="utf-8")
            ner.extra += _mistakes(gold, predicted, text, lambda s, e, doc=page.doc: f"{doc}:{s}-{e}")
        for key in gold & predicted:
            found.append((page.doc, gold_index[key], entity_of[key]))

    links = PRF()
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            a, b = found[i], found[j]
            if a[1]["text"] == b[1]["text"]:
                continue
            gold_same = a[1]["cluster"] == b[1]["cluster"]
            sys_same = a[2] == b[2]
            links.tp += gold_same and sys_same
            links.fp += sys_same and not gold_same
            links.fn += gold_same and not sys_same
    link_report = Report("alias linking (pairs of correct mentions with different text)", overall=links, per_label={})

    # map system entities to gold clusters by their correctly found mentions
    votes: dict[str, Counter] = defaultdict(Counter)
    for _, gm, entity in found:
        votes[entity][gm["cluster"]] += 1
    cluster_of = {e: c.most_common(1)[0][0] for e, c in votes.items()}
    gold_roles = {(r["person"], r["org"]) for page in pages for r in page.roles}
    sys_roles = set()
    for rel in result.relations:
        if rel.type == "HOLDS_ROLE" and rel.source in cluster_of and rel.target in cluster_of:
            sys_roles.add((cluster_of[rel.source], cluster_of[rel.target]))
        elif rel.type == "HOLDS_ROLE":
            sys_roles.add((rel.source, rel.target))  # unmapped: counts as a false positive
    roles = PRF()
    roles.add(gold_roles, sys_roles)
    role_report = Report("roles ((person, organisation) pairs)", overall=roles, per_label={})
    if errors:
        for kind, pairs in (("FN", gold_roles - sys_roles), ("FP", sys_roles - gold_roles)):
            role_report.extra += [f"{kind} {person} -> {org}" for person, org in sorted(pairs)]
    return [ner, link_report, role_report]


def run(args) -> str:
    """``kg evaluate``: every evaluation the arguments ask for, as text."""
    out = []
    if args.segmenter:
        out.append(evaluate_segmenter(args.segmenter, model=MODELS / "segmenter"))
    roles = getattr(args, "roles", None)
    national = getattr(args, "national", None)
    if args.msra or not (args.gold or args.segmenter or args.cluener or roles or national):
        test = args.msra or DEFAULT_CORPORA / "msra_ner" / "msra_test_bio"
        if not test.exists():
            raise CorpusError(f"{test}: MSRA test file not found (pass --msra)")
        nlp = load_pipeline(args.model)
        convention = msra_convention(nlp, getattr(args, "msra_convention", "auto"))
        out.append(f"model: {resolve_model_path(args.model)}")
        out.append(str(evaluate_msra(nlp, test, errors=args.errors, rules=args.rules, convention=convention)))
    if args.cluener:
        if not args.cluener.exists():
            raise CorpusError(f"{args.cluener}: CLUENER2020 file not found")
        nlp = load_pipeline(args.model)
        out.append(f"model: {resolve_model_path(args.model)}")
        words = cluener_entity_words(args.corpora or DEFAULT_CORPORA)
        out.append(str(evaluate_cluener(nlp, args.cluener, errors=args.errors, rules=args.rules, entity_words=words,
                                        part=getattr(args, "cluener_part", "all"))))
    if national:
        nlp = load_pipeline(args.model)
        out.append(f"model: {resolve_model_path(args.model)}")
        out.append(str(evaluate_national(nlp, national, split=getattr(args, "split", "dev"), errors=args.errors,
                                         rules=args.rules)))
    if args.gold:
        out += [str(r) for r in evaluate_gold(args.gold, args.seeds, model=args.model,
                                              errors=args.errors, rules=args.rules)]
    if roles:
        out += [str(r) for r in evaluate_roles(roles, split=getattr(args, "split", "dev"), model=args.model,
                                               errors=args.errors, rules=args.rules)]
    return "\n".join(out)
