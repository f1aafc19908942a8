"""The national NER sentences (eval/national.jsonl) and the held-out part of CLUENER2020 dev."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from kg.errors import CorpusError
from kg.training import corpora
from kg.training.evaluate import LABELS, evaluate_cluener, evaluate_national, read_national

NATIONAL = Path(__file__).resolve().parents[2] / "eval" / "national.jsonl"


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _mention(text: str, part: str, label: str, optional: bool = False) -> dict:
    start = text.index(part)
    return {"text": part, "type": label, "start": start, "end": start + len(part), **({"optional": True} if optional else {})}


TINY = [
    {"id": "t-1", "text": "张三在包头市工作。", "split": "dev",
     "mentions": [_mention("张三在包头市工作。", "张三", "PER"), _mention("张三在包头市工作。", "包头市", "LOC")]},
    {"id": "t-2", "text": "国庆假期首日，天安门广场迎来大批游客。", "split": "dev",
     "mentions": [_mention("国庆假期首日，天安门广场迎来大批游客。", "天安门广场", "LOC", optional=True)]},
    {"id": "t-3", "text": "今天天气很好。", "split": "heldout", "mentions": []},
]


def test_national_file_offsets_split_and_coverage():
    sentences = read_national(NATIONAL)  # checks every mention's offsets against its text
    assert len(sentences) >= 120 and len({s["id"] for s in sentences}) == len(sentences)
    for s in sentences:
        assert s["split"] == ("dev" if int(hashlib.sha1(s["id"].encode()).hexdigest(), 16) % 2 == 0 else "heldout")
        assert all(s["text"][m["start"]:m["end"]] == m["text"] and m["type"] in LABELS for m in s["mentions"])
    regions = Counter(s["region"] for s in sentences)
    assert len(set(regions) - {"national", "foreign", "hongkong", "macau", "taiwan"}) >= 20
    assert {"hongkong", "macau", "taiwan", "foreign"} <= set(regions)
    assert sum(not s["mentions"] for s in sentences) >= 5  # negatives: products, events, festivals, apps


def test_read_national_rejects_a_misplaced_span_and_an_unknown_split(tmp_path):
    bad = dict(TINY[0], mentions=[{"text": "张三", "type": "PER", "start": 1, "end": 3}])
    with pytest.raises(CorpusError, match="does not match"):
        read_national(_write(tmp_path / "bad.jsonl", [bad]))
    with pytest.raises(Exception, match="unknown split"):
        read_national(_write(tmp_path / "ok.jsonl", TINY), "test")
    assert [s["id"] for s in read_national(tmp_path / "ok.jsonl", "heldout")] == ["t-3"]


def test_national_scores_exact_spans_ignoring_optional_ones(tmp_path):
    from kg.ner import load_pipeline

    path = _write(tmp_path / "n.jsonl", TINY)
    nlp = load_pipeline()
    dev = evaluate_national(nlp, path, split="dev", errors=True)
    assert dev.overall.tp + dev.overall.fn == 2  # the optional 天安门广场 is not counted
    assert "(dev: 2 sentences, 2 mentions)" in dev.name
    assert not any("天安门广场" in line for line in dev.extra)  # found or not, never an error
    listed = [line for line in dev.extra if line.startswith(("FN ", "FP "))]
    assert len(listed) == dev.overall.fp + dev.overall.fn
    assert all(" t-1 " in line or " t-2 " in line for line in listed)
    assert set(dev.per_label) == set(LABELS)
    everything = evaluate_national(nlp, path, split="all")
    assert everything.overall.tp + everything.overall.fn == 2 and "3 sentences" in everything.name


def test_cluener_heldout_part_is_never_training_data(tmp_path):
    texts = [f"句子{i}在北京。" for i in range(40)]
    heldout = [t for t in texts if corpora.cluener_heldout(t)]
    assert 0 < len(heldout) < len(texts)
    folder = tmp_path / "cluener2020"
    folder.mkdir()
    dev = [{"text": t, "label": {"address": {"北京": [[t.index("北京"), t.index("北京") + 1]]}}} for t in texts]
    _write(folder / "dev.json", dev)
    _write(folder / "train.json", [dev[texts.index(heldout[0])], {"text": "上海很大。", "label": {}}])
    trained_on = {t for name in ("train.json", "dev.json") for t, _ in corpora.cluener_training(tmp_path, name)}
    assert trained_on == (set(texts) - set(heldout)) | {"上海很大。"}  # a held-out text in train.json is dropped too
    examples = list(corpora.cluener(folder / "dev.json"))
    assert [t for t, _ in corpora.cluener_part(examples, "heldout")] == heldout
    assert len(corpora.cluener_part(examples, "rest")) + len(heldout) == len(corpora.cluener_part(examples, "all"))
    with pytest.raises(CorpusError, match="unknown CLUENER part"):
        corpora.cluener_part(examples, "test")

    from kg.ner import load_pipeline

    report = evaluate_cluener(load_pipeline(), folder / "dev.json", part="heldout")
    assert "part heldout" in report.name and report.overall.tp + report.overall.fn == len(heldout)


def test_ner_training_skips_the_cluener_heldout_part(tmp_path, monkeypatch):
    from kg.training import train

    folder = tmp_path / "cluener2020"
    folder.mkdir()
    texts = [f"第{i}句在北京。" for i in range(30)]
    _write(folder / "dev.json", [{"text": t, "label": {}} for t in texts])
    _write(folder / "train.json", [{"text": "上海很大。", "label": {}}])
    (tmp_path / "msra_ner").mkdir()
    (tmp_path / "msra_ner" / "msra_train_bio").write_text("张\tB-PER\n三\tI-PER\n", encoding="utf-8")
    found = train.ner_examples(tmp_path, sources=("cluener",), harmonise=())
    assert {t for t, _ in found["cluener"]} == {t for t in texts if not corpora.cluener_heldout(t)} | {"上海很大。"}
    apart = train.ner_examples(tmp_path, sources=("cluener",), harmonise=(), cluener_heldout=True)
    assert not any(corpora.cluener_heldout(t) for t, _ in apart["cluener-dev"])
