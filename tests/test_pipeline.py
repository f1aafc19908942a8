"""End to end: `kg build` on the seed pages with the shipped model."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main
from kg.write.jsonl import OUTPUT_FILES

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
    pairs = set()
    for r in read_jsonl(seed_build / "relations.jsonl"):
        assert r["source"] in entities and r["target"] in entities
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
    assert graph.number_of_nodes() == len(entities)
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


def test_two_processes_give_the_same_files(seed_build, seed_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # what kg sets for two processes on two cores
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
    rc = main(["build", str(tmp_path), "--out", str(tmp_path / "o"), "--model", str(tmp_path / "nomodel"), "--quiet"])
    assert rc == 2
    assert "kg train ner" in capsys.readouterr().err


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
    assert [d["id"] for d in read_jsonl(tmp_path / "out" / "documents.jsonl")] == [
        str(corpus / "004_058751ca2aa39382.txt")]
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
