"""Benchmark: how ``kg build`` grows with an archive, against jieba.posseg on the same text.

    python bench/scale.py [--sizes 0.3M,1.3M,5M,20M] [--corpora ../shared/corpora] [--jobs 1]
                          [--incremental] [--dask]

For each size it writes a JSONL archive of about that many characters from the corpora — People's
Daily 1998-01 articles as documents, then MSRA train and CLUENER2020 train sentences grouped ten
to a document, a sentence a line; past the corpora's 4.4 M characters, all of it again — and runs ``kg build --jobs N`` on it as a command, in a fresh process, with
``KG_PROGRESS=lines`` so each stage reports its own seconds.  It prints, per size: seconds per
stage (reading, entities, linking, relations, writing) and in all, characters per second, the
build's peak RSS, the output files' sizes, and jieba.posseg over the same documents (a command
too, start-up included).  A stage whose seconds grow faster than the text (the ratio column,
against the smallest size) is where the time is not linear.

``--incremental``: then grows the archive by 1% (the corpus's next documents) and builds it into
the same folder (the store of :mod:`kg.ner.store` holds the rest), reports its seconds against
the full build's, and checks its outputs against a fresh build of the grown archive.
``--dask``: then builds the archive with ``--engine dask`` on a LocalCluster of one and of two
workers, reports their characters per second and checks their outputs against the local build.
A benchmark, not a test: no pass/fail (a mismatch of outputs is printed as MISMATCH).
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAGES = ("reading", "entities", "linking", "relations", "writing")
#: what a stage's line says when it ends (kg.progress): ``kg: entities: 681 docs in 9.8 s (…)``,
#: ``… in 2:40 (…)`` past a minute, ``… in 1:02:40 (…)`` past an hour
_STAGE_LINE = re.compile(r"^kg: (\w+): .* in ([0-9.]+ s|[0-9:]+) \(")


def stage_seconds(text: str) -> float:
    """Seconds of a stage line's duration: ``9.8 s``, ``2:40`` or ``1:02:40``."""
    if text.endswith(" s"):
        return float(text[:-2])
    seconds = 0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    return float(seconds)
#: prints this process's peak RSS (kB) after running kg, for the parent to read
_RUN_KG = ("import resource, sys\nfrom kg.cli import main\nrc = main(sys.argv[1:])\n"
           "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(rc)\n")
_RUN_JIEBA = ("import json, sys\nimport jieba.posseg\nn = 0\nfor line in open(sys.argv[1], encoding='utf-8'):\n"
              "    n += sum(1 for _ in jieba.posseg.cut(json.loads(line)['text']))\nprint(n)\n")


def size_arg(text: str) -> int:
    """``0.3M`` / ``500k`` / ``20000`` characters."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text.rstrip("kKmM")) * scale)


def documents(corpora: Path):
    """Documents in order: People's Daily articles, then MSRA and CLUENER sentences ten a document
    (a sentence a line), then all of it again, round after round (ids ``…-r2``), for archives
    larger than the corpora (some 4.4 M characters)."""
    for round_ in itertools.count(1):
        tag = "" if round_ == 1 else f"-r{round_}"
        for doc_id, text in _one_round(corpora):
            yield doc_id + tag, text


def _one_round(corpora: Path):
    article, current = [], None
    with (corpora / "peoples_daily_1998" / "199801.txt").open(encoding="gbk", errors="replace") as lines:
        for line in lines:
            tokens = line.split()
            if not tokens:
                continue
            key = tokens[0].rsplit("-", 1)[0]  # 19980101-01-001 of 19980101-01-001-002/m
            text = "".join(re.sub(r"/[a-zA-Z]+\]?[a-zA-Z]*$", "", t).lstrip("[") for t in tokens[1:])
            if key != current and article:
                yield f"pd-{current}", "\n".join(article)
                article = []
            current = key
            article.append(text)
    if article:
        yield f"pd-{current}", "\n".join(article)
    group: list[str] = []
    for n, sentence in enumerate(_sentences(corpora)):
        group.append(sentence)
        if len(group) == 10:
            yield f"s-{n}", "\n".join(group)  # a sentence a paragraph: CLUENER's often end without a full stop
            group = []


def _sentences(corpora: Path):
    chars: list[str] = []
    with (corpora / "msra_ner" / "msra_train_bio").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                chars.append(line.split("\t")[0])
            elif chars:
                yield "".join(chars)
                chars = []
    with (corpora / "cluener2020" / "train.json").open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)["text"]


def write_archive(path: Path, corpora: Path, chars: int) -> tuple[int, int]:
    """An archive of about ``chars`` characters at ``path``; returns (documents, characters)."""
    n = total = 0
    with path.open("w", encoding="utf-8") as out:
        for doc_id, text in documents(corpora):
            if total >= chars:
                break
            out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            n, total = n + 1, total + len(text)
    return n, total


def run_build(archive: Path, out: Path, jobs: int, *more: str) -> dict:
    """``kg build`` of ``archive`` in a fresh process: seconds per stage and in all, peak RSS, output sizes."""
    env = {**__import__("os").environ, "KG_PROGRESS": "lines"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN_KG, "build", str(archive), "--out", str(out), "--jobs", str(jobs),
                           *more], capture_output=True, text=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"kg build failed ({done.returncode}):\n{done.stderr[-2000:]}")
    stages = {m.group(1): stage_seconds(m.group(2)) for line in done.stderr.splitlines() if (m := _STAGE_LINE.match(line))}
    rss = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_RSS_KB")), 0)
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    return {"seconds": seconds, "stages": stages, "rss_mb": rss / 1024, "sizes": sizes}


def same_outputs(a: Path, b: Path) -> bool:
    """Whether two build folders hold byte-identical output files and manifests."""
    names = ("documents.jsonl", "mentions.jsonl", "entities.jsonl", "relations.jsonl", "graph.graphml", "manifest.json")
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in names)


def incremental(tmp: Path, corpora: Path, size: int, jobs: int, full: dict, out: Path) -> None:
    """Grow the archive of ``size`` by 1%, build it into ``out`` (which holds the full build) and
    fresh; print the seconds against the full build's and whether the outputs agree."""
    grown = tmp / f"archive-{size}-grown.jsonl"
    docs, chars = write_archive(grown, corpora, int(size * 1.01))
    again = run_build(grown, out, jobs)
    fresh = run_build(grown, tmp / f"out-{size}-fresh", jobs)
    agree = "identical to a fresh build" if same_outputs(out, tmp / f"out-{size}-fresh") else "MISMATCH with a fresh build"
    print(f"  +1% ({docs:,} documents, {chars:,} chars): incremental {again['seconds']:.1f} s = "
          f"{again['seconds'] / full['seconds']:.1%} of the full build; fresh {fresh['seconds']:.1f} s; {agree}")
    print("    incremental stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in again["stages"].items()))


def dask_engines(tmp: Path, archive: Path, size: int, chars: int, out: Path) -> None:
    """Build ``archive`` on Dask LocalClusters of one and two workers; print chars/s and agreement."""
    speed = {}
    for workers in (1, 2):
        where = tmp / f"out-{size}-dask{workers}"
        result = run_build(archive, where, workers, "--engine", "dask")
        speed[workers] = chars / result["seconds"]
        agree = "identical to local" if same_outputs(out, where) else "MISMATCH with local"
        print(f"  dask, {workers} worker(s): {result['seconds']:.1f} s  {speed[workers]:,.0f} chars/s  "
              f"entities stage {result['stages'].get('entities', float('nan')):.1f} s; {agree}")
    print(f"  dask: 2 workers at {speed[2] / speed[1]:.2f}× the characters/s of 1")


def run_jieba(archive: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _RUN_JIEBA, str(archive)], check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.3M,1.3M,5M,20M", help="archive sizes in characters (k, M)")
    parser.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--incremental", action="store_true", help="also time a 1%% addition (see above)")
    parser.add_argument("--dask", action="store_true", help="also build on Dask with 1 and 2 workers")
    args = parser.parse_args(argv)
    first: dict | None = None
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as tmp:
        for size in (size_arg(s) for s in args.sizes.split(",")):
            archive = Path(tmp) / f"archive-{size}.jsonl"
            docs, chars = write_archive(archive, args.corpora, size)
            result = run_build(archive, Path(tmp) / f"out-{size}", args.jobs)
            jieba_s = run_jieba(archive)
            first = first or {"chars": chars, **result}
            grow = chars / first["chars"]
            print(f"== {chars:,} characters, {docs:,} documents (×{grow:.1f} the first size)")
            for stage in STAGES:
                s = result["stages"].get(stage)
                base = first["stages"].get(stage)
                ratio = f"  ×{s / base:.1f} the first" if s is not None and base else ""
                print(f"  {stage:10s} {s if s is not None else float('nan'):8.1f} s{ratio}")
            print(f"  kg build   {result['seconds']:8.1f} s  {chars / result['seconds']:,.0f} chars/s  "
                  f"peak RSS {result['rss_mb']:,.0f} MB")
            print(f"  jieba.posseg {jieba_s:6.1f} s  {chars / jieba_s:,.0f} chars/s  "
                  f"(kg build at {jieba_s / result['seconds']:.2f}× its speed)")
            print("  outputs: " + ", ".join(f"{name} {n / 1e6:.1f} MB" for name, n in sorted(result["sizes"].items())))
            sys.stdout.flush()
            if args.dask:
                dask_engines(Path(tmp), archive, size, chars, Path(tmp) / f"out-{size}")
            if args.incremental:
                incremental(Path(tmp), args.corpora, size, args.jobs, result, Path(tmp) / f"out-{size}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
