"""Mention replacement: composed names land where the old mentions were, spans stay exact."""
from __future__ import annotations

import random

from kg.augment import NamePool, augmented_examples, replace_mentions

POOL = [
    ("包头市公安局发布通告。", [(0, 3, "LOC"), (0, 6, "ORG")]),
    ("昆都仑区市场监督管理局和光明路派出所。", [(0, 4, "LOC"), (4, 11, "ORG"), (12, 15, "LOC"), (12, 18, "ORG")]),
    ("宏达稀土有限公司与北方重工集团签约。", [(0, 8, "ORG"), (9, 15, "ORG")]),
    ("记者张三在呼和浩特市采访。", [(2, 4, "PER"), (5, 10, "LOC")]),
]
SOURCE = [("他在宏达稀土有限公司工作，张三说。", [(2, 10, "ORG"), (13, 15, "PER")])]


def test_pool_collects_parts_without_a_place_of_their_own():
    pool = NamePool(POOL, rng=random.Random(0))
    assert "市场监督管理局" not in pool.bodies  # only names seen as ORG mentions count
    assert "包头市公安局" not in pool.bodies  # starts with a place: not a bare body
    assert "宏达稀土" in pool.brands and "北方重工" in pool.brands
    assert "光明路" in pool.small_places


def test_replacement_keeps_spans_exact_and_other_mentions():
    pool = NamePool(POOL, rng=random.Random(1))
    for _ in range(50):
        text, spans = replace_mentions(SOURCE[0], pool)
        labels = [label for _, _, label in spans]
        assert labels == ["ORG", "PER"]
        org, per = spans
        assert text[per[0]:per[1]] == "张三"
        assert text.startswith("他在") and text[org[1]:].startswith("工作")
        assert text.endswith("说。")


def test_augmented_examples_are_deterministic():
    assert augmented_examples(SOURCE, POOL, n=5, seed=3) == augmented_examples(SOURCE, POOL, n=5, seed=3)
    assert augmented_examples([("没有机构。", [])], POOL, n=5) == []
