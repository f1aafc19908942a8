"""Benchmark: ``kg build`` of one page without line breaks against the same text as paragraphs.

    python bench/long_pages.py [--mb 4] [--rounds 2] [--repo DIR] [--keep DIR]

The seed pages' paragraphs (``seeds/``, split at blank lines, layout newlines removed) are
repeated until the text holds ``--mb`` megabytes of UTF-8, then written twice: as one line
(the paragraphs joined with nothing between them) and as normal paragraphs (a blank line
between them).  Each is built in its own process (``python -m kg.cli build FILE --out DIR -q``
with the kg of ``--repo``, this checkout by default), taking turns (single line, paragraphs,
single line, ...) ``--rounds`` times, since the machine's speed drifts between runs.  Reported:
wall seconds and the peak RSS of each build process (``os.wait4``'s ``ru_maxrss``), the best of
each, and the single-line/paragraphs ratios.  A benchmark, not a test: no pass/fail.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def seed_paragraphs(seeds: Path) -> list[str]:
    """The seed pages' paragraphs: split at blank lines, single (layout) newlines removed."""
    out = []
    for page in sorted(seeds.glob("*.txt")):
        for block in re.split(r"\n[ \t\r\u3000]*\n", page.read_text(encoding="utf-8")):
            text = block.replace("\r", "").replace("\n", "").strip()
            if text:
                out.append(text)
    return out


def make_pages(folder: Path, megabytes: float) -> tuple[Path, Path]:
    """Write ``single_line.txt`` and ``paragraphs.txt`` (the same text) of about ``megabytes`` MB."""
    paragraphs = seed_paragraphs(REPO / "seeds")
    per_round = sum(len(p.encode("utf-8")) for p in paragraphs)
    text = paragraphs * -(-int(megabytes * 1024 * 1024) // per_round)
    single, normal = folder / "single_line.txt", folder / "paragraphs.txt"
    single.write_text("".join(text) + "\n", encoding="utf-8")
    normal.write_text("\n\n".join(text) + "\n", encoding="utf-8")
    return single, normal


def build(repo: Path, page: Path, out: Path) -> tuple[float, float, int]:
    """Build ``page`` with the kg of ``repo`` in a child process: (wall seconds, peak RSS MB, exit status)."""
    env = dict(os.environ, PYTHONPATH=str(repo))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(page), "--out", str(out), "-q"],
                            cwd=repo, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=4.0, help="size of each page in MB (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="turns of (single line, paragraphs) (default 2)")
    parser.add_argument("--repo", type=Path, default=REPO, help="the kg checkout to run (default: this one)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="write the pages and outputs here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        single, normal = make_pages(folder, args.mb)
        print(f"kg: {args.repo.resolve()}")
        print(f"pages: {single.stat().st_size:,} bytes each ({single.name}, {normal.name})")
        results: dict[str, list[tuple[float, float]]] = {"single line": [], "paragraphs": []}
        for turn in range(1, args.rounds + 1):
            for name, page in (("single line", single), ("paragraphs", normal)):
                seconds, rss, status = build(args.repo, page, folder / f"out-{page.stem}")
                results[name].append((seconds, rss))
                print(f"round {turn}  {name:12s} {seconds:8.1f} s  {rss:8.0f} MB peak RSS  (exit {status})",
                      flush=True)
        best = {name: (min(s for s, _ in runs), min(r for _, r in runs)) for name, runs in results.items()}
        for name, (seconds, rss) in best.items():
            print(f"best         {name:12s} {seconds:8.1f} s  {rss:8.0f} MB")
        (s1, r1), (s2, r2) = best["single line"], best["paragraphs"]
        print(f"single line / paragraphs: time {s1 / s2:.2f}x, peak RSS {r1 / r2:.2f}x (best of each)")
        for turn, ((a, ra), (b, rb)) in enumerate(zip(results["single line"], results["paragraphs"]), 1):
            print(f"round {turn}: time {a / b:.2f}x, peak RSS {ra / rb:.2f}x")


if __name__ == "__main__":
    main()
