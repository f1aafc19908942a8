"""The per-document NER store: keys, digest, reading, writing, resetting."""
from __future__ import annotations

import sqlite3

from kg.ingest import RawPage, repair
from kg.ner.store import SpanStore, ner_digest, paragraphs_key

SPANS = [[(0, 3, "LOC"), (5, 8, "ORG")], [], [(1, 3, "PER")]]


def doc(text: str, doc_id: str = "a.txt"):
    return repair(RawPage(doc_id, doc_id, text))


def test_the_key_is_the_paragraphs_not_the_id_and_any_change_makes_another():
    text = "包头市召开会议。\n\n张三出席。"
    assert paragraphs_key(doc(text, "a.txt")) == paragraphs_key(doc(text, "elsewhere/b.txt"))
    assert paragraphs_key(doc(text)) != paragraphs_key(doc(text.replace("张三", "李四")))
    assert paragraphs_key(doc("甲乙\n\n丙")) != paragraphs_key(doc("甲\n\n乙丙"))  # where a paragraph ends counts


def test_spans_go_in_and_come_back_and_survive_a_reopen(tmp_path):
    path = tmp_path / "store.sqlite"
    store = SpanStore(path, "d1")
    store.put_many({"k1": SPANS})
    assert store.get_many(["k1", "k2"]) == {"k1": SPANS}
    store.close()
    again = SpanStore(path, "d1")
    assert again.reset_reason is None and again.get_many(["k1"]) == {"k1": SPANS} and len(again) == 1
    again.close()


def test_a_store_of_another_digest_is_not_read(tmp_path):
    path = tmp_path / "store.sqlite"
    store = SpanStore(path, "model-a")
    store.put_many({"k1": SPANS})
    store.close()
    other = SpanStore(path, "model-b")
    assert other.get_many(["k1"]) == {} and "another model" in other.reset_reason
    other.close()


def test_a_damaged_file_starts_empty(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    store = SpanStore(path, "d")
    assert store.reset_reason.startswith("unreadable") and len(store) == 0
    store.put_many({"k": SPANS})
    store.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM spans").fetchone()[0] == 1


def test_keep_only_drops_the_documents_an_archive_lost(tmp_path):
    store = SpanStore(tmp_path / "s.sqlite", "d")
    store.put_many({f"k{i}": SPANS for i in range(5)})
    assert store.keep_only(["k1", "k3", "k9"]) == 3
    assert sorted(store.get_many([f"k{i}" for i in range(5)])) == ["k1", "k3"]
    store.close()


def test_a_build_that_stops_leaves_the_store_as_it_was(tmp_path):
    path = tmp_path / "s.sqlite"
    store = SpanStore(path, "d")
    store.put_many({"old": SPANS})
    store.close()
    store = SpanStore(path, "d")
    store.put_many({"new": SPANS})
    store.keep_only(["new"])
    store.close(commit=False)
    assert sorted(SpanStore(path, "d").get_many(["old", "new"])) == ["old"]


def test_the_digest_follows_the_model_files_and_the_rules_switch(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "weights.bin").write_bytes(b"\0" * 10)
    first = ner_digest(model, True)
    assert ner_digest(model, True) == first and ner_digest(model, False) != first
    (model / "weights.bin").write_bytes(b"\1" * 11)
    assert ner_digest(model, True) != first
