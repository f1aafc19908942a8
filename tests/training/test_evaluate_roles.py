"""Role sentences: the scorer's arithmetic on hand-made predictions, and ``kg evaluate --roles`` end to end."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import CorpusError, KGError
from kg.training.evaluate_roles import PredictedRole, evaluate_roles, read_roles, score_roles

TINY = Path(__file__).resolve().parents[1] / "data" / "roles" / "tiny.jsonl"
SHIPPED = Path(__file__).resolve().parents[2] / "eval" / "roles.jsonl"


def score(predicted: dict[str, list[PredictedRole]]):
    pairs, triples, _ = score_roles(read_roles(TINY, "all"), predicted)
    return (pairs.tp, pairs.fp, pairs.fn), (triples.tp, triples.fp, triples.fn)


def test_a_correct_role_counts_and_the_missed_ones_are_false_negatives():
    pairs, triples = score({"tiny-1": [PredictedRole("戴相龙", "中国人民银行", "行长")]})
    assert pairs == (1, 0, 2) and triples == (1, 0, 2)


def test_a_wrong_organisation_is_a_false_positive():
    pairs, triples = score({"tiny-1": [PredictedRole("戴相龙", "国务院", "行长")]})
    assert pairs == (0, 1, 3) and triples == (0, 1, 3)


def test_a_role_in_a_negative_sentence_is_a_false_positive():
    pairs, _ = score({"tiny-2": [PredictedRole("王菲", "北京", "歌手")]})
    assert pairs == (0, 1, 3)


def test_a_role_found_in_another_sentence_does_not_count():
    pairs, _ = score({"tiny-3": [PredictedRole("戴相龙", "中国人民银行", "行长")]})
    assert pairs == (0, 1, 3)


def test_the_organisation_matches_by_any_name_the_written_form_or_a_resplit_title():
    pairs, triples = score({
        "tiny-1": [PredictedRole("戴相龙", "央行", "行长", org_names=frozenset({"中国人民银行"}))],  # an alias
        "tiny-3": [PredictedRole("杨琨", "农行", "副行长")],  # org_as_written
        "tiny-4": [PredictedRole("李剑瑛", "润泽地产市场部", "副经理")],  # the same words split differently
    })
    assert pairs == (3, 0, 0) and triples == (3, 0, 0)


def test_a_different_title_keeps_the_pair_but_not_the_triple():
    pairs, triples = score({"tiny-1": [PredictedRole("戴相龙", "中国人民银行", "副行长")]})
    assert pairs == (1, 0, 2) and triples == (0, 1, 3)


def test_a_parent_organisation_and_a_place_stand_for_the_unit_and_the_government(tmp_path):
    roles = tmp_path / "roles.jsonl"
    rows = [{"id": "a", "text": "教育部国际合作与交流司司长张秀琴说。", "split": "dev", "roles": [
                {"person": "张秀琴", "title": "司长", "org": "教育部国际合作与交流司", "parent_org": "教育部",
                 "evidence": "教育部国际合作与交流司司长张秀琴"}]},
            {"id": "b", "text": "广东省省长卢瑞华说。", "split": "dev", "roles": [
                {"person": "卢瑞华", "title": "省长", "org": "广东省人民政府", "place": "广东省",
                 "evidence": "广东省省长卢瑞华"}]}]
    roles.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    pairs, triples, mistakes = score_roles(read_roles(roles), {"a": [PredictedRole("张秀琴", "教育部", "司长")],
                                                                "b": [PredictedRole("卢瑞华", "广东省", "省长")]})
    assert (pairs.tp, pairs.fp, pairs.fn) == (2, 0, 0) and triples.tp == 2 and mistakes == []


def test_splits_are_read_apart_and_a_bad_one_is_refused(tmp_path):
    assert [s.id for s in read_roles(TINY, "dev")] == ["tiny-1", "tiny-2"]
    assert [s.id for s in read_roles(TINY, "heldout")] == ["tiny-3", "tiny-4"]
    assert len(read_roles(TINY, "all")) == 4
    with pytest.raises(KGError, match="unknown split"):
        read_roles(TINY, "test")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="bad.jsonl:1"):
        read_roles(bad)


def test_roles_evaluation_runs_the_pipeline_one_document_a_sentence():
    pairs, triples = evaluate_roles(TINY, split="all", errors=True)
    assert "4 sentences, 3 facts, 1 negative" in pairs.name
    assert pairs.overall.tp + pairs.overall.fn == 3
    assert pairs.overall.tp >= 1  # 中国人民银行行长戴相龙: ORG TITLE PERSON, a title the role finder knows
    listed = [line for line in triples.extra if line.startswith(("FN ", "FP "))]
    assert len(listed) == triples.overall.fp + triples.overall.fn


def test_kg_evaluate_roles_scores_only_the_split_asked_for(capsys):
    assert main(["evaluate", "--roles", str(TINY), "--split", "heldout"]) == 0
    out = capsys.readouterr().out
    assert "heldout: 2 sentences, 2 facts, 0 negative" in out and "MSRA" not in out


@pytest.mark.skipif(not SHIPPED.exists(), reason="eval/roles.jsonl is not in this checkout")
def test_the_shipped_role_set_is_well_formed():
    sentences = read_roles(SHIPPED, "all")
    assert len({s.id for s in sentences}) == len(sentences)
    for split in ("dev", "heldout"):
        half = [s for s in sentences if s.split == split]
        assert sum(len(s.roles) for s in half) >= 100
    assert sum(not s.roles for s in sentences) >= 30
    for sentence in sentences:  # the split is sha1(id) even -> dev, odd -> heldout
        assert sentence.split == ("dev" if int(hashlib.sha1(sentence.id.encode()).hexdigest(), 16) % 2 == 0
                                  else "heldout"), sentence.id
        for role in sentence.roles:
            assert role["evidence"] in sentence.text, sentence.id
            assert role["person"] in role["evidence"] and role["title"] in role["evidence"], sentence.id
