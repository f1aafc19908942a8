"""Scoring functions: the arithmetic, and the gold-page evaluation wired to the real pipeline."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import CorpusError
import re

from kg.training.evaluate import PRF, evaluate_gold, evaluate_segmenter, read_gold, score_segmentation
from kg.resources import MODELS

GOLD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev"


def test_prf_counts():
    score = PRF()
    score.add({1, 2, 3}, {2, 3, 4, 5})
    assert (score.tp, score.fp, score.fn) == (2, 2, 1)
    assert score.precision == 0.5 and score.recall == pytest.approx(2 / 3)
    assert PRF().f1 == 0.0


def test_segmentation_score_is_word_span_based():
    gold = [["包头市", "召开", "会议"]]
    assert score_segmentation(gold, [["包头市", "召开", "会议"]]).f1 == 1.0
    s = score_segmentation(gold, [["包头", "市", "召开会议"]])
    assert (s.tp, s.fp, s.fn) == (0, 3, 3)


def test_segmenter_is_scored_on_the_gold_as_printed_and_printed_half_width(tmp_path):
    gold = tmp_path / "gold.utf8"
    gold.write_text("本报  讯  （  记者  武子暄  ）  近日  ，  合生  远景  发布  新品  。\n", encoding="utf-8")
    report = evaluate_segmenter(gold, model=MODELS / "segmenter", with_jieba=False)
    f1 = {what: float(score) for what, score in re.findall(r"kg pkuseg, (.*?): P .*?F1 ([0-9.]+)", report)}
    assert len(f1) == 6
    # read full-width, the half-width page segments as the full-width one; read as printed, it does not
    assert f1["kg's tokenizer words, gold printed half-width"] == f1["kg's tokenizer words (punctuation always split off)"]
    assert f1["kg's tokenizer words, gold printed half-width and read as printed (kg before it read ASCII full-width)"] \
        < f1["kg's tokenizer words, gold printed half-width"]


def test_missing_gold_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="no gold"):
        read_gold(tmp_path)


@pytest.mark.skipif(not GOLD.exists(), reason="the dev gold lives in ../shared/eval/dev beside the checkout")
def test_gold_evaluation_runs_end_to_end(seed_dir):
    ner, links, roles = evaluate_gold(GOLD, seed_dir, errors=True)
    # a trained model finds most of the hand-annotated mentions; the bar itself is reported, not asserted
    assert ner.overall.f1 > 0.5
    # --errors lists exactly the missed and spurious mentions the scores count
    listed = [line for line in ner.extra if line.startswith(("FN ", "FP "))]
    assert len(listed) == ner.overall.fp + ner.overall.fn
    assert sum(line.startswith("FP ") for line in listed) == ner.overall.fp
    assert links.overall.tp + links.overall.fn > 0
    assert roles.overall.tp + roles.overall.fn >= 10
    assert len(roles.extra) == roles.overall.fp + roles.overall.fn  # and the role pairs it misses or invents


def test_msra_evaluation_lists_its_errors(tmp_path):
    from kg.training.evaluate import evaluate_msra
    from kg.ner import load_pipeline

    test = tmp_path / "msra_test_bio"
    test.write_text("".join(f"{ch}\t{tag}\n" for ch, tag in zip("张三在包头市工作。", ["B-PER", "I-PER", "O", "B-LOC", "I-LOC",
                                                                                "I-LOC", "O", "O", "O"]))
                    + "\n" + "".join(f"{ch}\tO\n" for ch in "今天天气很好。") + "\n", encoding="utf-8")
    nlp = load_pipeline()
    report = evaluate_msra(nlp, test, errors=True)
    assert "rules off" in evaluate_msra(nlp, test, rules=False).name
    listed = [line for line in report.extra if line.startswith(("FN ", "FP "))]
    assert len(listed) == report.overall.fp + report.overall.fn
    assert report.overall.tp + report.overall.fn == 2


def test_msra_is_scored_in_the_convention_the_model_learned():
    from kg.errors import KGError
    from kg.training.evaluate import following, msra_convention
    from kg.ner import load_pipeline

    nlp = load_pipeline()  # the shipped model learned MSRA's convention under a mark
    assert nlp.tokenizer.conventions == ("msra",)
    assert msra_convention(nlp, "auto") == msra_convention(nlp, "msra") == "msra"
    assert msra_convention(nlp, "kg") == ""
    with following(nlp, "msra"):
        assert nlp("包头")[0].tag_ == "B2|msra"
    assert nlp.tokenizer.convention == "" and nlp("包头")[0].tag_ == "B2"  # kg's own again
    nlp.tokenizer.conventions = ()  # a model trained without marks
    assert msra_convention(nlp, "auto") == ""
    with pytest.raises(KGError, match="--msra-convention kg"):
        msra_convention(nlp, "msra")


def test_cluener_evaluation_scores_in_kgs_convention_and_skips_what_cluener_left_untagged(tmp_path):
    from kg.training.evaluate import evaluate_cluener
    from kg.ner import load_pipeline

    test = tmp_path / "dev.json"
    test.write_text(json.dumps({"text": "张三在包头市工作，中国很大。", "label": {"name": {"张三": [[0, 1]]},
                                                                   "address": {"包头市": [[3, 5]]}}},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    nlp = load_pipeline()
    strict = evaluate_cluener(nlp, test, errors=True)
    lenient = evaluate_cluener(nlp, test, errors=True, entity_words={"中国": "LOC"})
    assert "not made optional" in strict.name and "kg convention" in lenient.name
    assert strict.overall.tp + strict.overall.fn == lenient.overall.tp + lenient.overall.fn == 2
    # 中国, untagged by CLUENER, is a false positive only when it is not made optional
    assert strict.overall.fp == lenient.overall.fp + 1
    assert not any("'中国'" in line for line in lenient.extra)


def test_evaluate_names_a_missing_cluener_file(capsys, tmp_path):
    from kg.cli import main

    assert main(["evaluate", "--cluener", str(tmp_path / "dev.json")]) == 2
    err = capsys.readouterr().err
    assert "dev.json" in err and "not found" in err
