"""Mention replacement and lists of people: generated names land where the old mentions were, spans stay exact."""
from __future__ import annotations

import random
from itertools import pairwise

from kg.training.augment import (
    NamePool,
    augmented_examples,
    name_list,
    name_list_examples,
    person_names,
    replace_mentions,
)

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


PEOPLE = [
    ("江泽民、李鹏等出席。", [(0, 3, "PER"), (4, 6, "PER")]),
    ("马克思主义者司马义·艾买提说：", [(0, 3, "PER"), (6, 13, "PER")]),
    ("记者张三在呼和浩特市采访。", [(2, 4, "PER"), (5, 10, "LOC")]),
    ("邓小平理论研究会成立。", [(0, 3, "PER"), (0, 8, "ORG")]),
]


def test_person_names_keep_name_shapes_only():
    names = person_names(PEOPLE + [("阿是一个很长很长的名字吗", [(0, 12, "PER")])])
    assert names == sorted(["司马义·艾买提", "张三", "李鹏", "江泽民", "马克思", "邓小平"])


def test_name_list_spans_cover_each_name_exactly():
    rng = random.Random(0)
    names = person_names(PEOPLE)
    for size in (2, 7, 40):
        text, spans = name_list(names, rng, size=size)
        assert len(spans) == size
        assert all(text[s:e] in names for s, e in spans)
        gaps = {text[e:s2] for (_, e), (s2, _) in pairwise(spans)}
        assert gaps <= {"", "、", " ", "（女）", "（女）、", "（女） "}


def test_name_list_examples_replace_a_free_standing_person_and_keep_the_rest():
    made = name_list_examples(PEOPLE, person_names(PEOPLE), n=40, seed=1)
    assert len(made) == 40
    for text, spans in made:
        people = [text[s:e] for s, e, label in spans if label == "PER"]
        assert len(people) >= 2 and all(p in person_names(PEOPLE) for p in people)
        assert not text.startswith("邓小平理论")  # a person inside an organisation stays
        assert "主义者" not in text or text.startswith("马克思主义者")  # 马克思|主义 is not a list's place
        if "呼和浩特市" in text:
            loc = [text[s:e] for s, e, label in spans if label == "LOC"]
            assert loc == ["呼和浩特市"]  # spans after the list are shifted with it
    assert made == name_list_examples(PEOPLE, person_names(PEOPLE), n=40, seed=1)
    assert name_list_examples([("没有人。", [])], person_names(PEOPLE), n=5) == []
