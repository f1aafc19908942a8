"""Scoring role sentences (``eval/roles.jsonl``, see its README): HOLDS_ROLE edges of the whole
pipeline against hand-annotated (person, title, organisation) facts, as pairs and as triples."""
from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.errors import CorpusError, KGError
from kg.pipeline import build
from kg.training.scores import PRF, SPLITS, Report


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


