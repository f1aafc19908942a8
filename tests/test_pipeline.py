"""End to end: `kg build` on the seed pages with the shipped model."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main
from kg.schema import RELATIONS
from kg.write.jsonl import OUTPUT_FILES, STORE_FILE

SEED_IDS = ("000", "001", "002", "003", "004")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_output_file_exists_for_all_five_pages(seed_build):
    for name in OUTPUT_FILES:
        assert (seed_build / name).stat().st_size > 0, name
    docs = read_jsonl(seed_build / "documents.jsonl")
    assert sorted(Path(d["path"]).name[:3] for d in docs) == list(SEED_IDS)
    mentioned = {m["doc"] for m in read_jsonl(seed_build / "mentions.jsonl")}
    assert mentioned == {d["id"] for d in docs}
    for d in docs:
        raw = Path(d["path"]).read_bytes()
        assert d["chars"] == len(raw.decode("utf-8"))
        assert len(d["sha256"]) == 64


def test_mention_offsets_point_at_their_text_in_the_raw_file(seed_build):
    raw = {d["id"]: Path(d["path"]).read_text(encoding="utf-8") for d in read_jsonl(seed_build / "documents.jsonl")}
    mentions = read_jsonl(seed_build / "mentions.jsonl")
    assert len(mentions) > 300
    for m in mentions:
        assert m["label"] in ("PER", "ORG", "LOC")
        span = raw[m["doc"]][m["start"]:m["end"]]
        assert "".join(span.split()) == "".join(m["text"].split()), m


def test_entities_and_relations_are_consistent(seed_build):
    entities = {e["id"]: e for e in read_jsonl(seed_build / "entities.jsonl")}
    mentions = read_jsonl(seed_build / "mentions.jsonl")
    assert {m["entity"] for m in mentions} == set(entities)
    assert sum(e["mention_count"] for e in entities.values()) == len(mentions)
    documents = {d["id"] for d in read_jsonl(seed_build / "documents.jsonl")}
    pairs = set()
    for r in read_jsonl(seed_build / "relations.jsonl"):
        spec = RELATIONS[r["type"]]
        ends = {"Entity": entities, "Document": documents}
        assert r["source"] in ends[spec.source] and r["target"] in ends[spec.target]
        assert r["source"] != r["target"]
        assert r["evidence"], r
        if r["type"] == "CO_OCCURS":
            assert r["source"] < r["target"]
            assert (r["source"], r["target"]) not in pairs
            pairs.add((r["source"], r["target"]))
            assert r["properties"]["weight"] == sum(r["properties"]["doc_weights"].values()) > 0


def test_graphml_loads_in_networkx(seed_build):
    graph = nx.read_graphml(seed_build / "graph.graphml")
    entities = read_jsonl(seed_build / "entities.jsonl")
    documents = read_jsonl(seed_build / "documents.jsonl")
    assert graph.number_of_nodes() == len(entities) + len(documents)
    node = next(iter(graph.nodes(data=True)))[1]
    assert {"label", "type", "mention_count"} <= set(node)


def test_known_entities_of_the_seed_pages_are_found(seed_build):
    names = {e["name"] for e in read_jsonl(seed_build / "entities.jsonl")}
    # a handful of unambiguous names a news NER must find; no list of expected outputs
    for name in ("段志强", "包头市", "呼和浩特市", "内蒙古自治区"):
        assert name in names


def test_two_runs_give_byte_identical_files(seed_build, seed_dir, tmp_path):
    again = tmp_path / "again"
    assert main(["build", str(seed_dir), "--out", str(again), "--quiet"]) == 0
    for name in OUTPUT_FILES:
        assert (again / name).read_bytes() == (seed_build / name).read_bytes(), name
    assert not [p for p in again.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_two_processes_give_the_same_files(seed_build, seed_dir, tmp_path):
    # the seed pages' 361 paragraphs make two chunks of work: both workers parse one
    assert main(["build", str(seed_dir), "--out", str(tmp_path / "j2"), "--quiet", "--jobs", "2"]) == 0
    for name in OUTPUT_FILES:
        assert (tmp_path / "j2" / name).read_bytes() == (seed_build / name).read_bytes(), name


def test_a_negative_number_of_processes_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--jobs", "-2"])
    assert exc.value.code == 2
    assert "--jobs" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_gb18030_copy_gives_identical_mentions(seed_dir, tmp_path):
    page = seed_dir / "000_40da871ae59ea618.txt"
    (tmp_path / "utf8").mkdir()
    (tmp_path / "gbk").mkdir()
    shutil.copy(page, tmp_path / "utf8" / page.name)
    (tmp_path / "gbk" / page.name).write_bytes(page.read_text(encoding="utf-8").encode("gb18030"))
    for enc in ("utf8", "gbk"):
        assert main(["build", str(tmp_path / enc / page.name), "--out", str(tmp_path / f"out-{enc}"), "--quiet"]) == 0

    def strip(rows):
        return [{k: v for k, v in r.items() if k != "doc"} for r in rows]

    a = strip(read_jsonl(tmp_path / "out-utf8" / "mentions.jsonl"))
    b = strip(read_jsonl(tmp_path / "out-gbk" / "mentions.jsonl"))
    assert a == b and a


def test_bad_input_is_named_and_the_rest_is_built(seed_dir, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_dir / "004_058751ca2aa39382.txt", corpus)
    (corpus / "broken.txt").write_bytes(b"\x00\xff\x00binary")
    (corpus / "empty.txt").write_bytes(b"")
    rc = main(["build", str(corpus), "--out", str(tmp_path / "out"), "--quiet"])
    assert rc == 1
    assert "broken.txt" in capsys.readouterr().err
    docs = read_jsonl(tmp_path / "out" / "documents.jsonl")
    assert len(docs) == 2  # the seed page and the empty file
    assert main(["build", str(corpus), "--out", str(tmp_path / "strict"), "--quiet", "--strict"]) == 2


def test_failed_run_keeps_the_previous_complete_output(seed_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["build", str(tmp_path / "missing"), "--out", str(out), "--quiet"]) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_help_and_missing_model_messages(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "build" in capsys.readouterr().out
    (tmp_path / "page.txt").write_text("包钢集团召开会议。", encoding="utf-8")
    rc = main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--model", str(tmp_path / "nomodel"), "--quiet"])
    assert rc == 2
    assert "kg train ner" in capsys.readouterr().err


# ------------------------------------------------------------------ the output folder: whole or untouched

def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def beside(folder: Path) -> list[str]:
    """Staging or aside folders kg left next to ``folder``."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.kg-"))


def test_the_manifest_is_written_and_matches_the_files(seed_build):
    from kg import __version__
    from kg.write.jsonl import MANIFEST

    manifest = json.loads((seed_build / MANIFEST).read_text(encoding="utf-8"))
    assert list(manifest) == ["kg_version", "files"] and manifest["kg_version"] == __version__
    assert list(manifest["files"]) == list(OUTPUT_FILES)
    for name, entry in manifest["files"].items():
        data = (seed_build / name).read_bytes()
        assert entry == {"rows": data.count(b"\n"), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["files"]["documents.jsonl"]["rows"] == len(SEED_IDS)
    assert sorted(p.name for p in seed_build.iterdir()) == sorted([*OUTPUT_FILES, MANIFEST, STORE_FILE])


@pytest.mark.parametrize("corpus", ["empty folder", "only bad files"])
def test_nothing_to_build_leaves_the_output_as_it_was(corpus, seed_build, tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    if corpus == "only bad files":
        (pages / "broken.txt").write_bytes(b"\x00\xff\x00binary")
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    before = snapshot(out)
    assert main(["build", str(pages), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"nothing to build from {pages}" in err and f"{out} left as it was" in err
    assert err.count("broken.txt") == (corpus == "only bad files")  # named once, not again in the error line
    assert snapshot(out) == before and beside(out) == []
    assert main(["build", str(pages), "--out", str(tmp_path / "new"), "--quiet"]) == 2
    assert not (tmp_path / "new").exists() and beside(tmp_path / "new") == []


@pytest.fixture
def no_work(monkeypatch):
    """Fail the test if the build reads a page or loads the NER model."""
    import kg.pipeline

    def forbidden(*args, **kwargs):
        raise AssertionError("the build started before its output folder was checked")

    monkeypatch.setattr(kg.pipeline, "read_documents", forbidden)
    monkeypatch.setattr(kg.pipeline, "NERStage", forbidden)


@pytest.mark.parametrize("where", ["a file", "under a file", "under /proc", "under /sys", "someone's folder",
                                   "read-only folder", "full disk"])
def test_a_bad_output_folder_is_named_before_any_work(where, seed_dir, tmp_path, capsys, monkeypatch, no_work):
    import kg.files

    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "thesis.docx").write_text("x", encoding="utf-8")
    out, message = {
        "a file": (tmp_path / "file", "not a folder"),
        "under a file": (tmp_path / "file" / "out", "is a file"),
        "under /proc": (Path("/proc/kg-out"), "under /proc"),
        "under /sys": (Path("/sys/kg-out"), "under /sys"),
        "someone's folder": (tmp_path / "theirs", "thesis.docx"),
        "read-only folder": (tmp_path / "ro" / "out", "not writable"),
        "full disk": (tmp_path / "out", "full"),
    }[where]
    if where == "read-only folder":
        (tmp_path / "ro").mkdir()
        (tmp_path / "ro").chmod(0o555)
        if os.access(tmp_path / "ro", os.W_OK):
            pytest.skip("permissions do not bind this user (root); /proc and /sys stand in")
    if where == "full disk":
        monkeypatch.setattr(kg.files, "MIN_FREE_BYTES", 1 << 62)
    assert main(["build", str(seed_dir), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"kg: error: {out}" in err and message in err
    assert (tmp_path / "theirs" / "thesis.docx").exists()


def test_an_interrupted_switch_leaves_the_old_build_or_the_new_never_a_mix(seed_build, seed_dir, tmp_path,
                                                                           monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    (out / "documents.jsonl").write_text("{}\n", encoding="utf-8")  # an old build that differs from the new
    (out / "manifest.json").unlink()
    before = snapshot(out)
    calls, real = [], os.rename

    def rename(src, dst):  # OUT goes aside, then everything fails: as if killed between the two renames
        calls.append(dst)
        if len(calls) > 1:
            raise OSError("simulated kill")
        real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="simulated kill"):
        main(["build", str(seed_dir), "--out", str(out), "--quiet"])
    monkeypatch.undo()
    assert not out.exists()
    assert len(beside(out)) == 1 and snapshot(out.parent / beside(out)[0]) == before  # the old build, whole
    assert main(["build", str(seed_dir / "000_40da871ae59ea618.txt"), "--out", str(out), "--quiet"]) == 0
    assert beside(out) == []  # the old one was put back, then replaced whole by this run
    assert snapshot(out) != before and len(read_jsonl(out / "documents.jsonl")) == 1


def test_sigterm_stops_a_build_with_a_true_message_and_the_old_output(seed_build, seed_dir, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    before = snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(seed_dir), "--out", str(out), "--quiet"],
                            env=env, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None and not beside(out):  # the staging folder: the run has started its work
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate()[1]
    assert proc.returncode == 143, err
    assert f"kg: terminated; {out} is as it was before this run" in err and "Traceback" not in err
    assert snapshot(out) == before and beside(out) == []


def test_a_disk_that_fills_during_the_write_leaves_the_old_output(seed_build, seed_dir, tmp_path, capsys,
                                                                  monkeypatch):
    import kg.write.jsonl

    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    before = snapshot(out)

    def full(graph, handle):
        handle.write(b"<?xml")  # part written, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.write.jsonl, "write_graphml", full)
    assert main(["build", str(seed_dir / "000_40da871ae59ea618.txt"), "--out", str(out), "--quiet"]) == 2
    assert f"kg: error: {out}: cannot write (No space left on device); left as it was" in capsys.readouterr().err
    assert snapshot(out) == before and beside(out) == []


def test_ctrl_c_after_the_switch_says_the_new_build_is_in_place(seed_dir, tmp_path, capsys, monkeypatch):
    import kg.pipeline

    def interrupted(result, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(kg.pipeline, "summary", interrupted)
    out = tmp_path / "out"
    assert main(["build", str(seed_dir / "000_40da871ae59ea618.txt"), "--out", str(out)]) == 130
    assert f"kg: interrupted; {out} holds this run's complete build" in capsys.readouterr().err
    assert len(read_jsonl(out / "documents.jsonl")) == 1


def test_seed_pages_in_reverse_order_give_the_same_relations(seed_build, seed_dir, tmp_path):
    """Which evidence spans a relation keeps (--max-evidence) follows (doc, start, end), not the input order."""
    pages = sorted(str(p) for p in seed_dir.glob("*.txt"))[::-1]
    assert main(["build", *pages, "--out", str(tmp_path / "rev"), "--quiet"]) == 0
    for name in ("relations.jsonl", "entities.jsonl"):
        assert (tmp_path / "rev" / name).read_bytes() == (seed_build / name).read_bytes(), name


def test_a_page_without_line_breaks_builds_with_mentions_at_their_raw_text(seed_dir, tmp_path):
    from kg.ingest import MAX_PARAGRAPH_CHARS
    from kg.pipeline import build

    text = "".join(p.read_text(encoding="utf-8").replace("\n", "") for p in sorted(seed_dir.glob("*.txt")))
    page = tmp_path / "one_line.txt"
    page.write_text(text[:30_000], encoding="utf-8")
    result = build([page], tmp_path / "out", show_progress=False)
    assert result.errors == []
    assert all(p.end - p.start <= MAX_PARAGRAPH_CHARS for p in result.documents[0].paragraphs)
    raw = page.read_text(encoding="utf-8")
    mentions = read_jsonl(tmp_path / "out" / "mentions.jsonl")
    assert len(mentions) > 300
    assert all(raw[m["start"]:m["end"]] == m["text"] for m in mentions)
    assert {"张韶春", "呼和浩特市"} <= {m["text"] for m in mentions}


def test_a_file_over_max_file_size_is_named_and_the_rest_is_built(seed_dir, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_dir / "004_058751ca2aa39382.txt", corpus)  # 19,260 bytes
    (corpus / "huge.txt").write_text("内蒙古自治区。" * 2000, encoding="utf-8")  # 42,000 bytes
    assert main(["build", str(corpus), "--out", str(tmp_path / "out"), "--quiet", "--max-file-size", "20k"]) == 1
    err = capsys.readouterr().err
    assert "huge.txt: 41 kB (42,000 bytes), over the limit of 20 kB" in err and "--max-file-size" in err
    assert [d["id"] for d in read_jsonl(tmp_path / "out" / "documents.jsonl")] == ["corpus/004_058751ca2aa39382.txt"]
    assert main(["build", str(corpus), "--out", str(tmp_path / "all"), "--quiet", "--max-file-size", "0"]) == 0
    assert len(read_jsonl(tmp_path / "all" / "documents.jsonl")) == 2


@pytest.mark.parametrize("given, size", [("123", 123), ("500k", 512_000), ("50MB", 50 * 2 ** 20), ("1.5G", 3 * 2 ** 29),
                                         ("2 MiB", 2 * 2 ** 20), ("0", 0)])
def test_max_file_size_reads_bytes_and_units(given, size):
    from kg.cli import make_parser

    args = make_parser().parse_args(["build", "x", "--out", "o", "--max-file-size", given])
    assert args.max_file_size == size


def test_max_file_size_defaults_to_100_mb_and_refuses_nonsense(capsys):
    from kg.cli import make_parser
    from kg.ingest import MAX_FILE_SIZE

    assert make_parser().parse_args(["build", "x", "--out", "o"]).max_file_size == MAX_FILE_SIZE == 100 * 2 ** 20
    with pytest.raises(SystemExit) as exc:
        make_parser().parse_args(["build", "x", "--out", "o", "--max-file-size", "lots"])
    assert exc.value.code == 2 and "not a size: 'lots'" in capsys.readouterr().err


def test_an_input_outside_id_root_exits_2_with_the_file_named(seed_dir, tmp_path, capsys):
    rc = main(["build", str(seed_dir), "--out", str(tmp_path / "out"), "--id-root", str(tmp_path), "--quiet"])
    assert rc == 2 and not (tmp_path / "out").exists()
    assert f"kg: error: {seed_dir / '000_40da871ae59ea618.txt'}: not under the id root {tmp_path} (--id-root)" \
        in capsys.readouterr().err


def test_documents_jsonl_lists_each_pages_datelines_at_their_raw_text(seed_build):
    docs = read_jsonl(seed_build / "documents.jsonl")
    assert [len(d["datelines"]) for d in docs] == [3, 5, 0, 3, 7]
    for doc in docs:
        text = (Path(__file__).resolve().parent.parent / doc["id"]).read_text(encoding="utf-8")
        for line in doc["datelines"]:
            written = text[line["start"]:line["end"]]
            assert written.startswith(line["agency"] + line["place"]) and written[-1] in "电讯"
            assert (line["month"] is None) == (line["day"] is None)
    assert docs[4]["datelines"][0] == {"agency": "本报", "place": "包头", "start": 31, "end": 42, "month": 12, "day": 24}
    assert [d["date"] for d in docs] == [None] * 5  # no --year: no year guessed
    assert docs[2]["title"] == "转换动能 兴业筑基"


@pytest.mark.parametrize("given, year", [("2024", 2024), (" 1999 ", 1999)])
def test_year_takes_four_digits(given, year):
    from kg.cli import make_parser
    assert make_parser().parse_args(["build", "x", "--out", "o", "--year", given]).year == year


def test_a_year_that_is_not_four_digits_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", "x", "--out", "o", "--year", "24"])
    assert exc.value.code == 2 and "--year: not a four-digit year: '24'" in capsys.readouterr().err


def test_bylines_give_reported_edges_and_no_cooccurrence(seed_build):
    relations = read_jsonl(seed_build / "relations.jsonl")
    reported = [r for r in relations if r["type"] == "REPORTED"]
    reporters = {r["source"] for r in reported}
    # every credit of the five pages: 38 names of bylines and photo credits, the designer, two authors
    assert len(reported) == 40 and {"PER:王皓", "PER:薛来", "PER:贾奕村", "PER:李志鹏", "PER:查卿"} <= reporters
    assert {r["properties"]["as"] for r in reported} == {"记者", "通讯员", "摄影", "编辑"}
    assert not [r for r in relations if r["type"] == "CO_OCCURS" and {r["source"], r["target"]} & reporters]
    datelines = {(r["source"].split("/")[-1][:3], r["target"]) for r in relations if r["type"] == "DATELINE"}
    assert ("004", "LOC:包头市") in datelines and ("003", "LOC:通辽市") in datelines


WEB_PAGE = Path(__file__).parent / "data" / "web" / "article.html"


def test_a_folder_of_every_kind_of_input_builds_the_good_ones_and_names_each_problem_once(seed_dir, tmp_path,
                                                                                         capsys, caplog):
    from kg.write.jsonl import read_output

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_dir / "004_058751ca2aa39382.txt", corpus / "page.txt")
    shutil.copy(WEB_PAGE, corpus / "article.html")
    (corpus / "archive.jsonl").write_text(
        '{"id": "a1", "text": "呼和浩特市委书记王五调研内蒙古大学。", "date": "2024-12-20"}\n'
        '{"id": "a2", "text": "这一行没有结尾\n'
        '{"id": "a3", "text": "鄂尔多斯市召开会议。"}\n', encoding="utf-8")
    (corpus / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    problems = (f"{corpus / 'archive.jsonl'}:2: invalid JSON", f"{corpus / 'photo.txt'}: binary file")
    for problem in problems:
        assert printed.err.count(problem) == 1, printed.err
        assert problem not in printed.out and problem not in caplog.text
    assert "skipped 2 input problem(s)" in printed.out

    docs = {d["id"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert sorted(docs) == ["a1", "a3", "corpus/article.html", "corpus/page.txt"]
    article = docs["corpus/article.html"]
    assert (article["title"], article["date"]) == ("包头市召开稀土产业发展推进会", "2024-12-24")
    assert "text" not in docs["corpus/page.txt"] and "text" not in docs["a1"]  # their files hold their text
    assert article["chars"] == len(article["text"])
    assert article["sha256"] == hashlib.sha256(article["text"].encode()).hexdigest()
    mentions = [m for m in read_jsonl(out / "mentions.jsonl") if m["doc"] == "corpus/article.html"]
    assert all(article["text"][m["start"]:m["end"]] == m["text"] for m in mentions)
    assert {"包头市人民政府", "张三", "李四"} <= {m["text"] for m in mentions}
    names = {m["text"] for m in read_jsonl(out / "mentions.jsonl")}
    assert not names & {"head", "html", "title", "meta", "body", "nav", "footer", "首页", "赵六", "乌兰察布"}
    assert [d["id"] for d in read_output(out, strict=True).documents] == list(docs)  # `kg load` reads it

    assert main(["build", str(corpus), "--out", str(tmp_path / "strict"), "--quiet", "--strict"]) == 2
    assert capsys.readouterr().err.count("kg: ") == 1  # the first problem stops the build
    (tmp_path / "empty").mkdir()
    assert main(["build", str(tmp_path / "empty"), "--out", str(tmp_path / "none"), "--quiet"]) == 2


def test_quiet_build_writes_nothing_on_stderr_and_a_loud_one_names_each_stage(seed_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KG_PROGRESS", raising=False)
    page = str(seed_dir / "000_40da871ae59ea618.txt")
    assert main(["build", page, "--out", str(tmp_path / "quiet"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["build", page, "--out", str(tmp_path / "loud")]) == 0
    err = capsys.readouterr().err  # not a terminal: a line per stage, no bar
    assert [line.split(":")[1].strip() for line in err.splitlines()] == [
        "reading", "entities", "linking", "relations", "writing"], err
    assert "1 docs in" in err and "docs/s)" in err and "\r" not in err
