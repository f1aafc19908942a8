"""NER: model loading, raw offsets of mentions, the recognizer and its worker processes (the
entity rules are tested in tests/ner/rules/)."""
from __future__ import annotations

import subprocess
import sys

import pytest
import spacy

from kg.errors import ModelError
from kg.ingest import RawPage, repair
from kg.ner import Recognizer, resolve_model_path
from kg.ner.rules import apply_rules

HOSPITAL = "呼和浩特市第一医院近期取得突破。"
CHIEF = "包头市公安局局长张三说。"
STATION = "鄂尔多斯西街垃圾转运站的张俊林说。"
BUREAU = "记者从内蒙古自治区公安厅交通管理局获悉。"
BROKEN = "作为核心服务商，金名信息技术股份有限公\n\n司已成功助力多家企业。"


def ents(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_missing_model_names_the_command_that_builds_it(tmp_path):
    with pytest.raises(ModelError, match="kg train ner"):
        resolve_model_path(tmp_path / "none")


def test_mentions_carry_raw_offsets_across_a_layout_break():
    doc = repair(RawPage("p", "p", BROKEN))
    mentions = Recognizer()(doc)
    for m in mentions:
        start, end = doc.to_raw(m.start, m.end)
        assert "".join(doc.raw[start:end].split()) == m.text
        assert doc.text[m.start:m.end] == m.text


def test_recognizer_without_rules_gives_the_models_own_spans():
    texts = [HOSPITAL, BUREAU, "他指出，清水河县要深入学习。", "在卧龙电驱（包头）永磁电机有限公司生产车间。",
             "北方稀土、安泰北方、单创科技等5家企业参加。", "内蒙古自治区人大常委会党组书记张韶春说。"]
    raw, ruled = Recognizer(rules=False), Recognizer()
    differ = 0
    for text in texts:
        doc = repair(RawPage("p", "p", text))
        sdoc = raw.nlp(doc.text)
        assert [(m.text, m.label) for m in raw(doc)] == ents(sdoc)
        apply_rules([sdoc])
        with_rules = [(m.text, m.label) for m in ruled(doc)]
        assert with_rules == ents(sdoc)
        differ += with_rules != [(m.text, m.label) for m in raw(doc)]
    assert differ  # the rules change what the model said somewhere, or this test proves nothing


def test_documents_flow_through_one_pipe_and_come_back_in_order_whatever_the_processes():
    pages = ["", HOSPITAL + "\n\n" + CHIEF, "", "", BROKEN, STATION + "\n" + BUREAU, ""]
    docs = [repair(RawPage(f"p{i}", f"p{i}", text)) for i, text in enumerate(pages)]
    assert not docs[0].paragraphs and len(docs[1].paragraphs) == 2  # empty pages too get their (empty) list
    one = list(Recognizer(batch_size=2).pipe(docs))  # batches cross document boundaries
    assert [[m.doc for m in found] for found in one] == [[d.id] * len(found) for d, found in zip(docs, one)]
    assert [bool(found) for found in one] == [bool(text) for text in pages]
    assert [[(m.text, m.label) for m in found] for found in one[1:2]] == [[
        ("呼和浩特市第一医院", "ORG"), ("包头市公安局", "ORG"), ("张三", "PER")]]
    assert [m for d in docs for m in Recognizer()(d)] == [m for found in one for m in found]
    assert list(Recognizer(batch_size=2, n_process=2).pipe(docs)) == one


SPAWNED = """
import multiprocessing, sys
from kg.ingest import RawPage, repair
from kg.ner import Recognizer
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")  # macOS and Windows start workers this way
    docs = [repair(RawPage(f"p{i}", f"p{i}", text)) for i, text in enumerate(sys.argv[1:])]
    found = [[(m.start, m.end, m.label) for m in ms] for ms in Recognizer(batch_size=1, n_process=2).pipe(docs)]
    alone = [[(m.start, m.end, m.label) for m in ms] for ms in Recognizer().pipe(docs)]
    print(found == alone and any(found), found)
"""


def test_worker_processes_started_by_spawn_give_the_same_mentions(tmp_path):
    """``--jobs`` on macOS and Windows: workers are fresh interpreters that rebuild the pipeline
    (its tokenizer, rules and right-to-left component) from what spaCy pickles."""
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), HOSPITAL, CHIEF, STATION + "\n" + BUREAU],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("True"), result.stdout


def test_recognizer_refuses_no_processes():
    with pytest.raises(ValueError, match="n_process"):
        Recognizer(n_process=0)


def test_split_weight_files_load_to_the_same_model(tmp_path):
    import shutil

    import numpy as np

    from kg.ner import load_pipeline
    from kg.training.ship import split_large_files

    joined = tmp_path / "joined"
    load_pipeline().to_disk(joined)  # whole float32 files, whatever the shipped storage
    split = tmp_path / "split"
    shutil.copytree(joined, split)
    assert split_large_files(split, part_size=1_000_000)
    assert all(p.stat().st_size <= 1_000_000 for p in split.rglob("model.part-*"))
    a, b = load_pipeline(joined), load_pipeline(split)
    assert np.array_equal(a(HOSPITAL).tensor, b(HOSPITAL).tensor)


def test_compacted_model_predicts_the_same_at_half_the_size(tmp_path):
    import numpy as np

    from kg.ner import load_pipeline
    from kg.training.ship import compact_model

    full = load_pipeline()
    compact = tmp_path / "compact"
    full.to_disk(compact)  # plain float32 spaCy files, whatever the shipped storage

    def weights_size():  # the components' weights (a float16 vectors table stays as it is)
        return sum(f.stat().st_size for name in ("tok2vec", "ner") for f in (compact / name).rglob("*") if f.is_file())

    before = weights_size()
    assert set(compact_model(compact)) == {"tok2vec", "ner"}
    assert weights_size() < before * 0.6
    if full.vocab.vectors.shape[0]:  # the static vectors table is stored in float16
        assert np.load(compact / "vocab" / "vectors").dtype == np.float16
    stored = sorted(p.name for p in (compact / "ner").iterdir())
    assert "cfg" in stored and "model.f16.part-000" in stored and "model" not in stored
    small = load_pipeline(compact)
    params = [n.get_param(p) for _, c in small.pipeline if hasattr(c, "model")
              for n in c.model.walk() for p in n.param_names if n.has_param(p)]
    assert params and all(p.dtype == np.float32 for p in params)  # computed in float32 again
    for text in (HOSPITAL, CHIEF, BUREAU, "鄂尔多斯市委书记、市长在达拉特旗调研。"):
        a, b = full(text), small(text)
        assert [(e.start_char, e.end_char, e.label_) for e in a.ents] == [(e.start_char, e.end_char, e.label_) for e in b.ents]
        width = full.get_pipe("tok2vec").model.get_dim("nO")  # the network's width (configs/ner.cfg)
        assert a.tensor.shape == (len(a), width) and np.allclose(a.tensor, b.tensor, atol=0.05)


def test_loaded_pipeline_multiplies_through_numpy_blas():
    from kg.ner import load_pipeline

    nlp = load_pipeline()
    ops = {type(node.ops).__name__ + str(getattr(node.ops, "use_blis", None))
           for _, component in nlp.pipeline if hasattr(component, "model") for node in component.model.walk()}
    assert ops == {"NumpyOpsFalse"}


def test_a_right_to_left_model_loads_with_the_component_that_turns_it_back(tmp_path):
    from kg.ner import load_pipeline

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1", "reverse": True}}})
    nlp.to_disk(tmp_path / "rtl")
    loaded = load_pipeline(tmp_path / "rtl")
    assert loaded.pipe_names == ["kg_unreverse"]
    assert loaded("包头市的企业").text == "包头市的企业"
    assert load_pipeline().pipe_names == ["tok2vec", "ner"]  # the shipped model reads left to right


def test_right_to_left_model_hands_back_entities_and_vectors_in_text_order():
    import numpy as np

    from kg.ner import load_pipeline

    nlp = load_pipeline()  # the shipped tok2vec, reading right to left; a ruler stands in for its NER
    nlp.tokenizer.reverse = True
    nlp.remove_pipe("ner")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": [{"TEXT": c} for c in reversed("呼和浩特市第一医院")]}])
    nlp.add_pipe("kg_unreverse")
    reversed_doc = ruler(nlp.get_pipe("tok2vec")(nlp.make_doc(HOSPITAL)))
    assert reversed_doc.text == HOSPITAL[::-1] and reversed_doc.ents
    doc = nlp(HOSPITAL)
    n = len(HOSPITAL)
    assert doc.text == HOSPITAL
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == \
        sorted((n - e.end_char, n - e.start_char, e.label_) for e in reversed_doc.ents) == [(0, 9, "ORG")]
    assert np.allclose(doc.tensor, reversed_doc.tensor[::-1])


def test_short_forms_do_not_cross_documents():
    docs = [repair(RawPage(f"p{i}", f"p{i}", text)) for i, text in enumerate(
        ["天津合生生物科技有限公司董事长刘斌介绍。\n\n合生生物母乳低聚糖研发项目开工。", "合生生物母乳低聚糖研发项目开工。"])]
    full, other = Recognizer().pipe(docs)
    assert ("合生生物", "ORG") in [(m.text, m.label) for m in full]
    assert "合生生物" not in [m.text for m in other if m.label == "ORG"]


def test_batches_hold_a_bounded_number_of_paragraphs_and_characters():
    from kg.ner.recognizer import batches

    texts = ["甲" * 10] * 5 + ["乙" * 50] + ["丙" * 30] * 3
    assert [len(b) for b in batches(texts, 3, max_chars=60)] == [3, 2, 1, 2, 1]
    assert [t for b in batches(texts, 3, max_chars=60) for t in b] == texts
    assert list(batches([], 3)) == []


def blas_thread_counts() -> list[int]:
    from threadpoolctl import threadpool_info

    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_the_ner_runs_one_blas_thread_and_lifts_the_limit_after(monkeypatch):
    import kg.ner.recognizer as recognizer

    seen, spans = [], recognizer.entity_spans
    monkeypatch.setattr(recognizer, "entity_spans", lambda *args: seen.append(blas_thread_counts()) or spans(*args))
    monkeypatch.delenv("KG_BLAS_THREADS", raising=False)
    before = blas_thread_counts()
    assert before, "numpy's BLAS not found by threadpoolctl"
    doc = repair(RawPage("p", "p", HOSPITAL))
    assert Recognizer()(doc) == Recognizer(blas_threads=0)(doc)  # the same mentions whatever the threads
    assert seen == [[1] * len(before), before] and blas_thread_counts() == before


def test_kg_blas_threads_chooses_the_threads(monkeypatch):
    from kg.ner.load import blas_threads

    monkeypatch.setenv("KG_BLAS_THREADS", "0")
    assert blas_threads() == 0
    monkeypatch.setenv("KG_BLAS_THREADS", "3")
    assert Recognizer(n_process=1).blas_threads == 3
    monkeypatch.setenv("KG_BLAS_THREADS", "many")
    with pytest.raises(ModelError, match="KG_BLAS_THREADS"):
        blas_threads()


def test_each_worker_process_runs_one_blas_thread():
    import multiprocessing

    from threadpoolctl import threadpool_info

    from kg.ner.recognizer import _start_worker

    with multiprocessing.get_context().Pool(1, initializer=_start_worker,
                                            initargs=(resolve_model_path(), True, 1)) as pool:
        info = pool.apply(threadpool_info)
    assert {lib["num_threads"] for lib in info if lib["user_api"] == "blas"} == {1}


def test_processes_follow_the_cores_and_the_text_never_more_than_chunks(monkeypatch):
    import kg.ner.recognizer as recognizer

    doc = repair(RawPage("p", "p", "\n\n".join([HOSPITAL] * 10)))
    monkeypatch.setattr(recognizer, "CHUNK_PARAGRAPHS", 4)  # 10 paragraphs a page: a chunk a page
    monkeypatch.setattr(recognizer, "usable_cores", lambda: 4)
    assert recognizer.processes_for([doc], 8) == 1  # one chunk: one process, whatever was asked
    assert recognizer.processes_for([doc] * 3, 8) == 3 and recognizer.processes_for([doc] * 6, 0) == 4
    assert recognizer.processes_for([doc] * 6, None) == 1  # a few pages: not worth a worker
    monkeypatch.setattr(recognizer, "CHARS_PER_PROCESS", 10 * len(HOSPITAL))  # a page's paragraphs
    assert recognizer.processes_for([doc] * 2, None) == 2 and recognizer.processes_for([doc] * 6, None) == 4
