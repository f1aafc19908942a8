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
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.training import corpora
from kg.errors import CorpusError, KGError
from kg.ner import tokenized
from kg.ner.rules import apply_rules
from kg.ner import load_pipeline, resolve_model_path
from kg.ner.tokenizer import PkusegCharTokenizer, segmenter_words
from kg.pipeline import build
from kg.resources import MODELS
from kg.training.train import DEFAULT_CORPORA

LABELS = ("PER", "ORG", "LOC")


@dataclass
class PRF:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set, predicted: set) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def __str__(self) -> str:
        return f"P {self.precision:.4f}  R {self.recall:.4f}  F1 {self.f1:.4f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


@dataclass
class Report:
    """Per-label and overall scores."""

    name: str
    overall: PRF = field(default_factory=PRF)
    per_label: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    extra: list[str] = field(default_factory=list)

    def add(self, gold: set[tuple], predicted: set[tuple]) -> None:
        self.overall.add(gold, predicted)
        for label in LABELS:
            self.per_label[label].add({g for g in gold if g[-1] == label}, {p for p in predicted if p[-1] == label})

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.overall}"]
        lines += [f"  {label}: {self.per_label[label]}" for label in LABELS if label in self.per_label]
        lines += [f"  {line}" for line in self.extra]
        return "\n".join(lines)


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


# --------------------------------------------------------------------------- role sentences

SPLITS = ("dev", "heldout", "all")


@dataclass(frozen=True)
class RoleSentence:
    """One hand-annotated sentence of a roles file: its role facts (none for a negative sentence)."""

    id: str
    text: str
    split: str
    roles: list[dict]


@dataclass(frozen=True)
class PredictedRole:
    """A HOLDS_ROLE edge the system stated in a sentence: the ends' canonical names, the title,
    and every name of each end (canonical name and aliases)."""

    person: str
    org: str
    title: str
    person_names: frozenset[str] = frozenset()
    org_names: frozenset[str] = frozenset()

    def __post_init__(self):
        object.__setattr__(self, "person_names", self.person_names | {self.person})
        object.__setattr__(self, "org_names", self.org_names | {self.org})


def read_roles(path: Path, split: str = "all") -> list[RoleSentence]:
    """The sentences of a roles JSONL file in ``split`` (``dev``, ``heldout`` or ``all``)."""
    if split not in SPLITS:
        raise KGError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    sentences = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise CorpusError(f"{path}: cannot read roles file: {err}") from err
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            sentence = RoleSentence(obj["id"], obj["text"], obj["split"], obj["roles"])
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise CorpusError(f"{path}:{number}: not a role sentence (id, text, split, roles): {err}") from err
        if split in ("all", sentence.split):
            sentences.append(sentence)
    if not sentences:
        raise CorpusError(f"{path}: no role sentences in split {split!r}")
    return sentences


def accepted_org_names(role: dict) -> set[str]:
    """The names a predicted organisation may carry to match ``role``'s: the canonical name, the
    form written (``org_as_written``), the parent of a unit (``parent_org``) and, for a post read
    off a place (广东省省长), the place (``place``)."""
    return {role[key] for key in ("org", "org_as_written", "parent_org", "place") if role.get(key)}


def role_match(gold: dict, role: PredictedRole) -> tuple[bool, bool]:
    """Whether ``role`` states ``gold``'s (person, org) pair, and its (person, org, title) triple.

    The person: one of its names is the gold person.  The organisation: one of its names is in
    :func:`accepted_org_names` (the triple also needs the same title, case-folded); or the same
    words are split differently between organisation and title (润泽地产市场部 + 副经理 states
    润泽地产 + 市场部副经理), which matches both."""
    if gold["person"] not in role.person_names:
        return False, False
    if accepted_org_names(gold) & role.org_names:
        return True, gold["title"].casefold() == role.title.casefold()
    written = {gold[key] + gold["title"] for key in ("org", "org_as_written") if gold.get(key)}
    resplit = any(name + role.title in written for name in role.org_names)
    return resplit, resplit


def score_roles(sentences: list[RoleSentence], predicted: dict[str, list[PredictedRole]]
                ) -> tuple[PRF, PRF, list[str]]:
    """Per-sentence scores of (person, org) pairs and (person, org, title) triples against the
    gold (:func:`role_match`), and the ``FN``/``FP`` triples.  A prediction that matches no gold
    role of its sentence, a role in a negative sentence included, is a false positive."""
    pairs, triples, mistakes = PRF(), PRF(), []
    for sentence in sentences:
        gold_pairs = {(r["person"], r["org"]) for r in sentence.roles}
        gold_triples = {(r["person"], r["org"], r["title"].casefold()) for r in sentence.roles}
        found_pairs, found_triples = set(), set()
        for role in predicted.get(sentence.id, []):
            matches = [(r, role_match(r, role)) for r in sentence.roles]
            pair = next((r for r, (same_pair, _) in matches if same_pair), None)
            triple = next((r for r, (_, same_triple) in matches if same_triple), None)
            person = next((r["person"] for r in sentence.roles if r["person"] in role.person_names), role.person)
            found_pairs.add((pair["person"], pair["org"]) if pair else (person, role.org))
            found_triples.add((triple["person"], triple["org"], triple["title"].casefold()) if triple
                              else (person, role.org, role.title.casefold()))
        pairs.add(gold_pairs, found_pairs)
        triples.add(gold_triples, found_triples)
        for kind, keys in (("FN", gold_triples - found_triples), ("FP", found_triples - gold_triples)):
            mistakes += [f"{kind} {sentence.id}: {person} -> {org} ({title})  {sentence.text[:60]}"
                         for person, org, title in sorted(keys)]
    return pairs, triples, mistakes


def predicted_roles(result) -> dict[str, list[PredictedRole]]:
    """The HOLDS_ROLE edges of a build, by the document (sentence) each was stated in."""
    def names(entity_id: str) -> tuple[str, frozenset[str]]:
        entity = result.entities.get(entity_id)
        return (entity.name, frozenset(entity.aliases)) if entity else (entity_id, frozenset())

    by_doc: dict[str, list[PredictedRole]] = defaultdict(list)
    for rel in result.relations:
        if rel.type != "HOLDS_ROLE":
            continue
        (person, person_names), (org, org_names) = names(rel.source), names(rel.target)
        role = PredictedRole(person, org, rel.properties.get("title", ""), person_names, org_names)
        for doc in {ev.doc for ev in rel.evidence}:
            by_doc[doc].append(role)
    return by_doc


def _source_of(sentence: RoleSentence) -> str:
    """The corpus part a sentence id names: ``cluener-test``, ``cluener-dev``, ``pd`` (the id less its number)."""
    prefix = sentence.id.split("-", 2)
    return "-".join(prefix[:2]) if prefix[0] == "cluener" else prefix[0]


def evaluate_roles(path: Path, *, split: str = "dev", model=None, errors: bool = False,
                   rules: bool = True) -> list[Report]:
    """Build every sentence of a roles file as a document of its own (one run, nothing written)
    and score the HOLDS_ROLE edges found: (person, org) pairs, then (person, org, title) triples."""
    sentences = read_roles(path, split)
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "role-sentences.jsonl"
        pages.write_text("".join(json.dumps({"id": s.id, "text": s.text}, ensure_ascii=False) + "\n"
                                 for s in sentences), encoding="utf-8")
        result = build([pages], model=model, show_progress=False, rules=rules, max_evidence=len(sentences))
    predicted = predicted_roles(result)
    pairs, triples, mistakes = score_roles(sentences, predicted)
    what = f"roles in {Path(path).name} ({split}: {len(sentences)} sentences, " \
           f"{sum(len(s.roles) for s in sentences)} facts, {sum(not s.roles for s in sentences)} negative)"
    pair_report = Report(f"{what}: (person, organisation) pairs", overall=pairs, per_label={})
    triple_report = Report(f"{what}: (person, organisation, title) triples", overall=triples, per_label={})
    for source in sorted({_source_of(s) for s in sentences}):
        subset = [s for s in sentences if _source_of(s) == source]
        sub_pairs, sub_triples, _ = score_roles(subset, predicted)
        pair_report.extra.append(f"{source}: {sub_pairs}")
        triple_report.extra.append(f"{source}: {sub_triples}")
    if errors:
        triple_report.extra += mistakes
    return [pair_report, triple_report]


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
