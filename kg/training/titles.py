"""``kg train titles``: the title tagger of :mod:`kg.titles`.

Data: CLUENER2020 train's ``position`` spans (the first 90 % of ``train.json``; the last 10 %
is held out for scoring and never trained on), each sentence also cut just after and just
before every title (what ``title_at_end``/``title_at_start`` read); and People's Daily
1998-01's ``ORG title(、title)* PERSON`` sequences as short fragments.  The tagger's lexicon
features use ``models/titles.txt`` and the title words of People's Daily, never CLUENER's
spans.  Model: a character BIO tagger, averaged structured perceptron.
"""
from __future__ import annotations

import hashlib
import json
import logging
import random
from collections import Counter
from pathlib import Path

from kg.gazetteer import titles as lexicon_titles
from kg.resources import MODELS
from kg.titles import B, I, O, TAGGER_PATH, TitleTagger, char_features, viterbi, write_tagger
from kg.training.corpora import _pd_lines, require
from kg.training.settings import DEFAULT_CORPORA

log = logging.getLogger(__name__)

CLUENER_TRAIN = Path("cluener2020") / "train.json"
PEOPLES_DAILY = Path("peoples_daily_1998") / "199801.txt"
#: the share of CLUENER train held out (its last lines)
HELDOUT_SHARE = 0.1
#: tags of the words that make a title in People's Daily (主任/n, 副/b, 高级/b, 常务/b)
_PD_TITLE_TAGS = frozenset(("n", "b", "vn", "a", "m", "f", "j"))

Example = tuple[str, list[tuple[int, int]]]


def cluener_examples(path: Path) -> tuple[list[Example], list[Example]]:
    """(train, heldout) examples: CLUENER train's sentences with their ``position`` spans
    (end-exclusive), split at the last :data:`HELDOUT_SHARE` of the file."""
    rows = [json.loads(line) for line in require(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = []
    for row in rows:
        spans = sorted({(s, e + 1) for locs in row["label"].get("position", {}).values() for s, e in locs})
        examples.append((row["text"], spans))
    cut = len(examples) - round(len(examples) * HELDOUT_SHARE)
    return examples[:cut], examples[cut:]


def cut_examples(examples: list[Example]) -> list[Example]:
    """Each sentence cut just after and just before each of its titles."""
    out = []
    for text, spans in examples:
        for s, e in spans:
            out.append((text[:e], [(a, b) for a, b in spans if b <= e]))
            out.append((text[s:], [(a - s, b - s) for a, b in spans if a >= s]))
    return out


def peoples_daily_titles(path: Path) -> tuple[list[Example], Counter]:
    """Fragments ``ORG title(、title)* PERSON`` of People's Daily with their title spans, and
    the count of each title."""
    fragments: list[Example] = []
    counts: Counter = Counter()
    for tokens in _pd_lines(require(path)):
        bracket_start = None
        for i, (word, tag, compound, opens) in enumerate(tokens):
            if opens:
                bracket_start = i
            org_start = None
            if compound == "nt" and bracket_start is not None:
                org_start = bracket_start
            elif tag == "nt" and compound is None and not opens:
                org_start = i
            if compound is not None:
                bracket_start = None
            if org_start is None:
                continue
            j, runs, run = i + 1, [], []
            while j < len(tokens):
                w, t, c, o = tokens[j]
                if o or c is not None:
                    break
                if t in _PD_TITLE_TAGS:
                    run.append(w)
                elif t == "w" and w == "、" and run:
                    runs.append(run)
                    run = []
                else:
                    break
                j += 1
            if not run or j >= len(tokens) or tokens[j][1] != "nr" or tokens[j][2] is not None or tokens[j][3]:
                continue
            runs.append(run)
            org = "".join(tok[0] for tok in tokens[org_start:i + 1])
            person = tokens[j][0] + (tokens[j + 1][0] if j + 1 < len(tokens) and tokens[j + 1][1] == "nr" else "")
            text, spans = org, []
            for k, r in enumerate(runs):
                if k:
                    text += "、"
                title = "".join(r)
                spans.append((len(text), len(text) + len(title)))
                text += title
                counts[title] += 1
            fragments.append((text + person, spans))
    return fragments, counts


def train_perceptron(examples: list[Example], lexicon: frozenset[str], max_len: int, *, epochs: int = 8,
                     seed: int = 0) -> TitleTagger:
    """An averaged structured perceptron over BIO tags (Collins 2002)."""
    featured = [(char_features(text, lexicon, max_len), _bio(len(text), spans)) for text, spans in examples]
    weights: dict[str, list[float]] = {}
    totals: dict[str, list[float]] = {}
    stamps: dict[str, list[int]] = {}
    trans = [[0.0] * 3 for _ in range(4)]
    trans_total = [[0.0] * 3 for _ in range(4)]
    trans_stamp = [[0] * 3 for _ in range(4)]
    step = 0
    rng = random.Random(seed)
    order = list(range(len(featured)))

    def update(feat: str, tag: int, delta: float) -> None:
        w = weights.get(feat)
        if w is None:
            w = weights[feat] = [0.0, 0.0, 0.0]
            totals[feat] = [0.0, 0.0, 0.0]
            stamps[feat] = [0, 0, 0]
        totals[feat][tag] += (step - stamps[feat][tag]) * w[tag]
        stamps[feat][tag] = step
        w[tag] += delta

    def update_trans(p: int, t: int, delta: float) -> None:
        trans_total[p][t] += (step - trans_stamp[p][t]) * trans[p][t]
        trans_stamp[p][t] = step
        trans[p][t] += delta

    for epoch in range(epochs):
        rng.shuffle(order)
        errors = 0
        for idx in order:
            step += 1
            feats, gold = featured[idx]
            scores = []
            for fs in feats:
                s = [0.0, 0.0, 0.0]
                for f in fs:
                    w = weights.get(f)
                    if w is not None:
                        s[0] += w[0]
                        s[1] += w[1]
                        s[2] += w[2]
                scores.append(s)
            guess = viterbi(scores, trans)
            if guess == gold:
                continue
            errors += 1
            prev_g = prev_p = 3
            for fs, g, p in zip(feats, gold, guess):
                if g != p:
                    for f in fs:
                        update(f, g, 1.0)
                        update(f, p, -1.0)
                if (prev_g, g) != (prev_p, p):
                    update_trans(prev_g, g, 1.0)
                    update_trans(prev_p, p, -1.0)
                prev_g, prev_p = g, p
        log.info("titles: epoch %d, %d of %d sentences wrong", epoch + 1, errors, len(featured))
    step += 1
    averaged = {}
    for feat, w in weights.items():
        avg = tuple((totals[feat][t] + (step - stamps[feat][t]) * w[t]) / step for t in range(3))
        averaged[feat] = avg
    trans_avg = [[(trans_total[p][t] + (step - trans_stamp[p][t]) * trans[p][t]) / step for t in range(3)]
                 for p in range(4)]
    return TitleTagger(averaged, trans_avg, lexicon, max_len)


def _bio(n: int, spans: list[tuple[int, int]]) -> list[int]:
    tags = [O] * n
    for s, e in spans:
        tags[s] = B
        for k in range(s + 1, e):
            tags[k] = I
    return tags


def prune(tagger: TitleTagger, threshold: float) -> TitleTagger:
    """The tagger without features whose weights are all below ``threshold`` in magnitude,
    each weight centred (a feature's three scores shifted so their mean is 0 changes no decision)."""
    kept = {}
    for feat, w in tagger.weights.items():
        mean = sum(w) / 3
        c = tuple(x - mean for x in w)
        if max(abs(x) for x in c) >= threshold:
            kept[feat] = c
    return TitleTagger(kept, tagger.transitions, tagger.lexicon, tagger.max_len)


def score_spans(find, examples: list[Example]) -> dict[str, float]:
    """Exact-span precision, recall and F1 of ``find(text) -> spans`` on ``examples``."""
    tp = fp = fn = 0
    for text, gold in examples:
        guess, gold_set = set(find(text)), set(gold)
        tp += len(guess & gold_set)
        fp += len(guess - gold_set)
        fn += len(gold_set - guess)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def heldout_report(corpora_dir: Path = DEFAULT_CORPORA) -> dict[str, dict[str, float]]:
    """Span P/R/F1 of the shipped recogniser on the held-out slice of CLUENER train: the bare
    tagger, ``find_titles`` keeping everything CLUENER marks, ``find_titles`` as it runs, and
    that against the gold spans it would keep (no honours, generic words, plurals or bylines)."""
    from kg import titles

    _, heldout = cluener_examples(corpora_dir / CLUENER_TRAIN)
    return {
        "tagger": score_spans(titles.tagger().spans, heldout),
        "find_titles(honours, generic)": score_spans(
            lambda t: titles.find_titles(t, honours=True, generic=True), heldout),
        "find_titles": score_spans(titles.find_titles, heldout),
        "find_titles, gold posts only": score_spans(titles.find_titles, [
            (t, [(s, e) for s, e in gold if titles._keep(t, s, e, honours=False, generic=False)])
            for t, gold in heldout]),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_titles(corpora_dir: Path = DEFAULT_CORPORA, out: Path = TAGGER_PATH, *, epochs: int = 8,
                 threshold: float = 0.05) -> dict:
    """Train the title tagger and write it to ``out``; returns the counts and held-out scores."""
    cluener, pd = corpora_dir / CLUENER_TRAIN, corpora_dir / PEOPLES_DAILY
    train, heldout = cluener_examples(cluener)
    fragments, pd_counts = peoples_daily_titles(pd)
    lexicon = frozenset(lexicon_titles()) | frozenset(t for t, n in pd_counts.items() if n >= 2 and len(t) >= 2)
    max_len = max(map(len, lexicon))
    examples = train + cut_examples(train) + fragments
    tagger = prune(train_perceptron(examples, lexicon, max_len, epochs=epochs), threshold)
    scores = score_spans(tagger.spans, heldout)
    info = {
        "cluener_train_sentences": len(train), "cluener_heldout_sentences": len(heldout),
        "cluener_train_titles": sum(len(s) for _, s in train), "cut_examples": len(examples) - len(train) - len(fragments),
        "peoples_daily_fragments": len(fragments), "lexicon_words": len(lexicon), "features": len(tagger.weights),
        "epochs": epochs, "heldout": scores,
    }
    header = [
        "kg title tagger (kg.titles): character BIO tagger, averaged structured perceptron; `kg train titles`",
        f"cluener2020/train.json sha256 {_sha256(cluener)} (first {len(train)} lines; the last {len(heldout)} held out)",
        f"peoples_daily_1998/199801.txt sha256 {_sha256(pd)} ({len(fragments)} ORG-title-PERSON fragments)",
        "titles.txt sha256 " + _sha256(MODELS / "titles.txt"),
        "counts " + json.dumps({k: v for k, v in info.items() if k != "heldout"}, sort_keys=True),
        "bare tagger on the held-out CLUENER train slice " + json.dumps({k: round(v, 4) for k, v in scores.items()}),
    ]
    write_tagger(tagger, out, header)
    log.info("titles: wrote %s: %s", out, info)
    return info
