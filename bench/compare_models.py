"""Benchmark: two or more NER models on the same text, in one process, taking turns.

    python bench/compare_models.py [--min-chars 150000] [--rounds 2] MODEL_DIR [MODEL_DIR ...]

    # e.g. the shipped model against the one in the last commit:
    git archive HEAD~1 models/ner | tar -x -C /tmp/last
    python bench/compare_models.py models/ner /tmp/last/models/ner

The speed of this kind of machine moves between runs by more than most model changes, so
``ner_speed.py`` run once per model cannot tell two models apart.  Here every model loads
first and then each round runs every model over the same seed-page text, one after the other,
so a slow minute slows them all.  Prints chars/s per model and round, and each model's best
round as a ratio to the first model's (the baseline).  One BLAS thread, as in ``ner_speed.py``.
A benchmark, not a test: no pass/fail.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ner_speed import chars_per_second, documents, paragraphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", type=Path, help="model directories; the first is the baseline")
    parser.add_argument("--min-chars", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    from kg.ner import load_pipeline

    texts = paragraphs(documents(args.min_chars))
    chars = sum(map(len, texts))
    pipelines = {str(path): load_pipeline(path) for path in args.models}
    for nlp in pipelines.values():  # warm up: first calls load the segmenter and fill caches
        list(nlp.pipe(texts[:20]))
    print(f"text: {len(texts)} paragraphs, {chars:,} chars (seed pages repeated); "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    best: dict[str, float] = {}
    for round_ in range(1, args.rounds + 1):
        for name, nlp in pipelines.items():
            speed, entities = chars_per_second(chars, lambda nlp=nlp: sum(len(d.ents) for d in nlp.pipe(texts, batch_size=64)))
            best[name] = max(best.get(name, 0.0), speed)
            print(f"round {round_}  {name}: {speed:,.0f} chars/s  ({entities} entities)", flush=True)
    baseline = best[str(args.models[0])]
    for name, speed in best.items():
        print(f"best  {name}: {speed:,.0f} chars/s  ({speed / baseline:.2f}x the first)")


if __name__ == "__main__":
    main()
