"""The NER stage of a build: the store makes builds incremental, with the outputs of a fresh
build; the Dask engine (a real LocalCluster) gives the local engine's outputs."""
from __future__ import annotations

import logging
import shutil

import pytest

from kg.ingest import RawPage, repair
from kg.ner.engine import NERStage
from kg.pipeline import build
from kg.write.jsonl import MANIFEST, OUTPUT_FILES


def outputs(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in (*OUTPUT_FILES, MANIFEST)}


@pytest.fixture
def archive(seed_dir, tmp_path):
    """A folder holding three of the seed pages."""
    folder = tmp_path / "archive"
    folder.mkdir()
    pages = sorted(seed_dir.glob("*.txt"))
    for page in pages[:3]:
        shutil.copy(page, folder / page.name)
    return folder, pages


def test_a_grown_changed_and_shrunk_archive_parses_only_what_is_new_and_matches_a_fresh_build(archive, tmp_path):
    folder, pages = archive
    out = tmp_path / "out"
    assert build([folder], out, show_progress=False).reused == 0
    shutil.copy(pages[3], folder / pages[3].name)  # one page added
    text = (folder / pages[0].name).read_text(encoding="utf-8")
    (folder / pages[0].name).write_text(text.replace("内蒙古", "内蒙古自治区", 1), encoding="utf-8")  # one changed
    (folder / pages[2].name).unlink()  # one deleted
    again = build([folder], out, show_progress=False)
    assert again.reused == 1  # pages[1] alone is as it was
    fresh = tmp_path / "fresh"
    build([folder], fresh, show_progress=False)
    assert outputs(out) == outputs(fresh)


def test_an_unchanged_archive_loads_no_model_and_rebuild_parses_everything(archive, tmp_path, monkeypatch):
    folder, _ = archive
    out = tmp_path / "out"
    build([folder], out, show_progress=False)
    first = outputs(out)
    loads = []
    monkeypatch.setattr(NERStage, "local", lambda self, n=1: loads.append(n) or pytest.fail("model loaded"))
    assert build([folder], out, show_progress=False).reused == 3 and loads == []
    assert outputs(out) == first
    monkeypatch.undo()
    assert build([folder], out, show_progress=False, rebuild=True).reused == 0
    assert outputs(out) == first


def test_a_damaged_store_is_rebuilt_and_the_output_is_the_same(archive, tmp_path, caplog):
    folder, _ = archive
    out = tmp_path / "out"
    build([folder], out, show_progress=False)
    first = outputs(out)
    (out / "store.sqlite").write_bytes(b"\x00garbage" * 1000)
    with caplog.at_level(logging.INFO, logger="kg.ner.engine"):
        assert build([folder], out, show_progress=False).reused == 0
    assert "unreadable" in caplog.text and outputs(out) == first


def test_a_build_without_an_output_folder_keeps_no_store(archive):
    folder, _ = archive
    result = build([folder], None, show_progress=False)
    assert result.reused == 0 and not list(folder.parent.glob("**/store.sqlite"))


def test_two_new_documents_of_one_text_are_both_parsed_in_step(tmp_path):
    text = "包头市召开会议。\n\n张三出席。"
    docs = [repair(RawPage(i, i, t)) for i, t in (("a", text), ("b", "呼和浩特市下雪了。"), ("c", text))]
    stage = NERStage(store=tmp_path / "s.sqlite")
    found = [[(m.text, m.label) for m in ms] for ms in stage.pipe(docs)]
    stage.close()
    assert found[0] == found[2] and ("包头市", "LOC") in found[0] and ("呼和浩特市", "LOC") in found[1]
    again = NERStage(store=tmp_path / "s.sqlite")
    assert [[(m.text, m.label) for m in ms] for ms in again.pipe(docs)] == found and again.reused == 3
    again.close()


def test_the_dask_engine_on_a_local_cluster_of_two_workers_gives_the_local_outputs(seed_build, seed_dir, tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "dask"
    result = build([seed_dir], out, show_progress=False, engine="dask", jobs=2)
    assert result.reused == 0
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (seed_build / name).read_bytes(), name


def test_a_worker_with_another_model_refuses_to_parse():
    from kg.errors import ModelError
    from kg.ner.distributed import spans_on_worker
    from kg.ner.load import DEFAULT_MODEL

    with pytest.raises(ModelError, match="another model or kg version"):
        spans_on_worker(str(DEFAULT_MODEL), True, "0" * 64, 1, [["包头市"]], 64)


def test_a_failed_chunk_on_the_cluster_is_a_model_error_naming_what_failed():
    pytest.importorskip("dask.distributed")
    from kg.errors import ModelError
    from kg.ner.distributed import DaskRecognizer

    class Lost:  # what a future answers once its worker died for good
        def result(self):
            raise RuntimeError("worker tcp://10.0.0.7:40000 died three times")

    with pytest.raises(ModelError, match="failed to parse a chunk of documents: RuntimeError: worker tcp://10.0.0.7"):
        DaskRecognizer._result(Lost())
