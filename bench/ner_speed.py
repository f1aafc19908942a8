"""Benchmark: chars/s of kg's NER pipeline and of the whole ``kg build`` vs jieba.posseg on the
same text, in one run.

    python bench/ner_speed.py [--min-chars 400000] [--processes 2] [--rounds 3]

The seed pages are repeated until the text reaches ``--min-chars``.  First the whole build, in
turns ``--rounds`` times: ``kg build --jobs 1`` as a command (start-up, model load, reading and
writing included) with one BLAS thread (kg's default) and with BLAS's own threads
(``KG_BLAS_THREADS=0``), against jieba.posseg as a command over the same paragraphs (start-up
and dictionary load included); then one ``kg build`` with ``--jobs``'s default.  Then the goal's measures,
in turns ``--rounds`` times (the machine's speed drifts between runs): jieba.posseg (the
baseline), kg's pipeline on one process with its tokenizer batched, ``kg build``'s NER on one
process, and the pipeline with its embedding layer predicting layer by layer (against
``kg.ner.embedding.folded_embedding``) and with the CNN encoder predicting through thinc's layers
(against ``kg.ner.encoders.fused_window_encoder``); best of each, and the round-by-round ratios.
Then, one run each: word segmentation alone (spacy_pkuseg's decoder and kg's, per text and
batched) and kg's tokenizer (the floor under the pipeline), kg's spaCy pipeline on one process
tokenizing text by text, as ``nlp.pipe(texts)`` does, and on ``--processes`` processes
(``nlp.pipe(n_process=...)``), then what ``kg build`` runs (the Recognizer: pipeline + entity
rules + mentions with raw offsets) on ``--processes`` (``kg build --jobs N``), the ratios
against the baseline, and the peak RSS of this process (and of the children).  A benchmark, not a test: no pass/fail.
"""
from __future__ import annotations

import os

# "one process" means one core: numpy's BLAS (which kg's pipeline uses) would otherwise start a
# thread per core.  Set OPENBLAS_NUM_THREADS yourself to measure something else.  (The whole
# builds, run as commands, leave it to kg unless you set it: KG_BLAS_THREADS says how many.)
USER_BLAS_THREADS = os.environ.get("OPENBLAS_NUM_THREADS")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def documents(min_chars: int) -> list:
    """The seed pages (as kg.ingest Documents), repeated until their paragraphs hold ``min_chars``."""
    from kg.pipeline import read_documents

    docs, _ = read_documents([REPO / "seeds"], show_progress=False)
    per_round = sum(p.end - p.start for d in docs for p in d.paragraphs)
    return docs * -(-min_chars // per_round)


#: jieba.posseg as a command: start-up, dictionary load and tagging of the paragraphs of a JSON file
JIEBA_COMMAND = """
import json, sys
from collections import deque
import jieba, jieba.posseg
jieba.setLogLevel(60)
texts = json.load(open(sys.argv[1], encoding="utf-8"))
deque((list(jieba.posseg.cut(t)) for t in texts), maxlen=0)
"""


def write_corpus(folder: Path, copies: int) -> Path:
    """The seed pages copied ``copies`` times into ``folder`` (a subfolder a copy: distinct ids),
    what ``kg build`` reads: the text of :func:`documents`."""
    corpus = folder / "corpus"
    for i in range(copies):
        shutil.copytree(REPO / "seeds", corpus / f"r{i:04d}")
    return corpus


def command_seconds(command: list[str], **env: str | None) -> float:
    """Wall-clock seconds of ``command`` (it must succeed), with ``env`` over this environment
    (``None``: removed)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    if USER_BLAS_THREADS is None:
        environment.pop("OPENBLAS_NUM_THREADS", None)
    for key, value in env.items():
        environment.pop(key, None) if value is None else environment.__setitem__(key, value)
    t0 = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def whole_builds(docs: list, texts: list[str], chars: int, rounds: int) -> float:
    """Time ``kg build --jobs 1`` (one BLAS thread; BLAS's own threads) and jieba.posseg, as
    commands, in turns; print them; return the best build's chars/s."""
    copies = len(docs) // len({d.id for d in docs})
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        folder = Path(tmp)
        corpus = write_corpus(folder, copies)
        (folder / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        jieba = [sys.executable, "-c", JIEBA_COMMAND, str(folder / "texts.json")]

        def build(*jobs: str) -> list[str]:
            return [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(folder / "out"), "-q", *jobs]

        speeds: dict[str, list[float]] = {"jieba": [], "one": [], "own": []}
        for _ in range(rounds):
            speeds["jieba"].append(chars / command_seconds(jieba))
            speeds["one"].append(chars / command_seconds(build("--jobs", "1"), KG_BLAS_THREADS="1"))
            speeds["own"].append(chars / command_seconds(build("--jobs", "1"), KG_BLAS_THREADS="0"))
        default = chars / command_seconds(build(), KG_BLAS_THREADS=None)
    threads = USER_BLAS_THREADS or "unset: one per core"
    print(f"whole `kg build` as a command, start-up included, against jieba.posseg as a command "
          f"(best of {rounds}, in turns; {copies} copies of the seed pages):")
    print(f"  jieba.posseg command:       {max(speeds['jieba']):10,.0f} chars/s   (1.00x)   "
          f"({', '.join(f'{x:,.0f}' for x in speeds['jieba'])})")
    for name, what in (("one", "kg build --jobs 1, one BLAS thread (KG_BLAS_THREADS=1, the default)"),
                       ("own", f"kg build --jobs 1, BLAS's own threads (KG_BLAS_THREADS=0; OPENBLAS_NUM_THREADS {threads})")):
        ratios = [ours / theirs for ours, theirs in zip(speeds[name], speeds["jieba"])]
        print(f"  {what}: best {max(speeds[name]):,.0f} chars/s ({max(speeds[name]) / max(speeds['jieba']):.2f}x "
              f"best against best); round by round {min(ratios):.2f}-{max(ratios):.2f}x "
              f"({', '.join(f'{x:,.0f}' for x in speeds[name])})")
    ratios = [one / own for one, own in zip(speeds["one"], speeds["own"])]
    print(f"  one BLAS thread against BLAS's own: round by round {min(ratios):.2f}-{max(ratios):.2f}x")
    print(f"  kg build, --jobs's default:  {default:10,.0f} chars/s   ({default / max(speeds['jieba']):.2f}x)   one run")
    return max(speeds["one"])


def paragraphs(docs: list) -> list[str]:
    return [d.text[p.start:p.end] for d in docs for p in d.paragraphs]


def rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def consume(results) -> None:
    """Run a generator to its end, keeping nothing (so peak RSS measures the work, not a list)."""
    deque(results, maxlen=0)


def chars_per_second(chars: int, run):
    """``chars`` divided by the seconds ``run()`` takes, and what it returned."""
    t0 = time.perf_counter()
    result = run()
    return chars / (time.perf_counter() - t0), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-chars", type=int, default=400_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3,
                        help="times jieba, the pipeline and kg build's NER are measured in turns (best of each)")
    args = parser.parse_args()

    docs = documents(args.min_chars)
    texts = paragraphs(docs)
    chars = sum(map(len, texts))
    print(f"text: {len(texts)} paragraphs, {chars:,} chars (seed pages repeated); "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    whole_builds(docs, texts, chars, args.rounds)

    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    jieba.initialize()
    from kg.ner import Recognizer, load_pipeline, tokenized
    from kg.ner.tokenizer import resolve_segmenter

    nlp = load_pipeline()
    nlp("预热")
    recognizer = Recognizer()
    recognizer.n_process = 1
    consume(recognizer.pipe(docs[:1]))
    # the goal's measures, taken in turns (jieba, the pipeline, kg build) ``--rounds`` times: one
    # run of each drifts with the machine (jieba alone ran 38k-61k chars/s in one session); and
    # in the same turns the pipeline with its embedding layer predicting layer by layer
    # (kg.ner.embedding.folded_embedding off) and with spaCy's CNN encoder predicting through thinc's
    # layers (kg.ner.encoders.fused_window_encoder off): what each buys
    import kg.ner.encoders
    import kg.ner.embedding

    def pipeline_speed(fold: bool = True, fuse: bool = True) -> tuple[float, int]:
        kg.ner.embedding.FOLD_PREDICTION, kg.ner.encoders.FUSE_PREDICTION = fold, fuse
        try:
            return chars_per_second(chars, lambda: sum(
                len(doc.ents) for doc in nlp.pipe(tokenized(nlp, texts), batch_size=64)))
        finally:
            kg.ner.embedding.FOLD_PREDICTION = kg.ner.encoders.FUSE_PREDICTION = True

    rounds = {"jieba": [], "pipeline": [], "build": [], "unfolded": [], "unfused": []}
    found = {}  # entities of the pipeline, mentions of kg build: the same every round
    for _ in range(args.rounds):
        rounds["jieba"].append(chars_per_second(chars, lambda: consume(list(jieba.posseg.cut(t)) for t in texts))[0])
        speed, found["pipeline"] = pipeline_speed()
        rounds["pipeline"].append(speed)
        speed, found["build"] = chars_per_second(chars, lambda: sum(map(len, recognizer.pipe(docs))))
        rounds["build"].append(speed)
        rounds["unfolded"].append(pipeline_speed(fold=False)[0])
        rounds["unfused"].append(pipeline_speed(fuse=False)[0])
    base = max(rounds["jieba"])
    print(f"baseline jieba.posseg:        {base:10,.0f} chars/s   (1.00x)   best of {args.rounds} "
          f"({', '.join(f'{x:,.0f}' for x in rounds['jieba'])})")
    for name, what, against in (("pipeline", f"kg pipeline, 1 process, tokenizer batched as kg build does "
                                             f"({found['pipeline']} entities)", "jieba"),
                                ("build", f"kg build's NER, --jobs 1 ({found['build']} mentions)", "jieba"),
                                ("pipeline", "  folding the embedding (pipeline against it unfolded)", "unfolded"),
                                ("pipeline", "  fusing the CNN encoder (pipeline against it unfused)", "unfused")):
        ratios = [ours / theirs for ours, theirs in zip(rounds[name], rounds[against])]
        best = max(rounds[name]) / max(rounds[against])
        print(f"{what}: best {max(rounds[name]):,.0f} against {max(rounds[against]):,.0f} chars/s "
              f"({best:.2f}x best against best); round by round {min(ratios):.2f}-{max(ratios):.2f}x")
    # the floor under the pipeline: word segmentation alone (kg's user dictionary), by
    # spacy_pkuseg's own decoder and by kg's (the same words), text by text and in batches of
    # texts; then the tokenizer that turns the words into featured character tokens
    import spacy_pkuseg

    from kg.ner.tokenizer import SEGMENT_BATCH

    package = spacy_pkuseg.pkuseg(str(resolve_segmenter(nlp.tokenizer.segmenter)), user_dict=None)
    package.preprocesser = nlp.tokenizer.seg.preprocesser
    ref, _ = chars_per_second(chars, lambda: consume(package.cut(text) for text in texts))
    print(f"  spacy_pkuseg segmentation:  {ref:10,.0f} chars/s   ({ref / base:.2f}x)   the package's decoder")
    seg, _ = chars_per_second(chars, lambda: consume(nlp.tokenizer.seg.cut(text) for text in texts))
    print(f"  kg segmenter, per text:     {seg:10,.0f} chars/s   ({seg / base:.2f}x)")
    seg, _ = chars_per_second(chars, lambda: consume(
        nlp.tokenizer.seg.cut_many(texts[i:i + SEGMENT_BATCH]) for i in range(0, len(texts), SEGMENT_BATCH)))
    print(f"  kg segmenter, batched:      {seg:10,.0f} chars/s   ({seg / base:.2f}x)   {SEGMENT_BATCH} texts a batch")
    tok, _ = chars_per_second(chars, lambda: consume(nlp.tokenizer(text) for text in texts))
    print(f"  kg tokenizer, per text:     {tok:10,.0f} chars/s   ({tok / base:.2f}x)   (+ features)")
    tok, _ = chars_per_second(chars, lambda: consume(tokenized(nlp, texts)))
    print(f"  kg tokenizer, batched:      {tok:10,.0f} chars/s   ({tok / base:.2f}x)")
    ours, n_ents = chars_per_second(chars, lambda: sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64)))
    print(f"kg pipeline, 1 process:       {ours:10,.0f} chars/s   ({ours / base:.2f}x)   {n_ents} entities; "
          f"nlp.pipe(texts)")
    print(f"peak RSS so far: {rss_mb():,.0f} MB")

    if args.processes > 1:
        multi, n_ents = chars_per_second(
            chars, lambda: sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64, n_process=args.processes)))
        print(f"kg pipeline, {args.processes} processes:     {multi:10,.0f} chars/s   ({multi / base:.2f}x)   {n_ents} entities")
        print(f"peak RSS: parent {rss_mb():,.0f} MB, largest child {rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB")

        # what `kg build --jobs N` runs: the pipeline plus kg's entity rules and raw offsets, its
        # paragraphs batched across documents (one process: in the rounds above)
        recognizer.n_process = args.processes
        speed, n_mentions = chars_per_second(chars, lambda: sum(map(len, recognizer.pipe(docs))))
        label = f"kg build's NER, --jobs {args.processes}:"
        print(f"{label:30s}{speed:10,.0f} chars/s   ({speed / base:.2f}x)   {n_mentions} mentions")
        print(f"peak RSS: parent {rss_mb():,.0f} MB, largest child {rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB")


if __name__ == "__main__":
    main()
