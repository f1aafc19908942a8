"""Role, co-occurrence and place-hierarchy rules on real sentences from the seed pages.

Mentions are placed by hand (as a perfect NER would find them) so these tests pin the
relation rules themselves; tests/test_pipeline.py covers the same with the trained model.
"""
from __future__ import annotations

import math

from kg.ingest import DuplicateTracker, RawPage, repair
from kg.link import Linker
from kg.schema import Mention
from kg.roles import find_roles
from kg.relate import (
    CO_OCCURS, HOLDS_ROLE, LOCATED_IN, MIN_COUNT, PART_OF, find_cooccurrences, find_locations, find_place_hierarchy,
    merge_relations,
)

TWO_ROLES = "近日，自治区人大常委会党组书记、副主任张韶春，自治区人大常委会副主任段志强、丁绣峰分别在呼和浩特市宣讲。"
SUB_UNIT = "包钢股份营销中心重轨销售部经理于宝介绍。"
CHAIRMAN = "天津合生生物科技有限公司董事长刘斌介绍,在项目建设上。"
REFERENCE = "呼和浩特市第一医院近期取得突破。其中,由该院张俊昌教授与夏龙教授团队牵头。"
SECTION_CHIEF = "赛罕海关综合业务科科长李斌表示。"
BYLINE = "本报12月27日讯（记者 王皓 薛来）近日，包头市召开会议。"
PLACES = "张韶春分别为呼和浩特市清水河县有关干部宣讲。"
HOME = "内蒙古自治区"


def doc_with(text: str, spans: list[tuple[str, str]], doc_id: str = "d", *, nth: dict | None = None):
    """A Document of ``text`` and mentions for each (surface, label), found left to right."""
    doc = repair(RawPage(doc_id, doc_id, text))
    found, pos = [], 0
    for surface, label in spans:
        start = doc.text.index(surface, pos)
        end = start + len(surface)
        found.append(Mention(doc_id, start, end, surface, label, doc.sentence_at(start).index))
        pos = start + 1
    return doc, found


def roles_of(text, spans):
    doc, found = doc_with(text, spans)
    linked, entities = Linker(home_region=HOME).link(found, {doc.id: doc.text})
    return {(r.source, r.properties["title"], r.target) for r in find_roles(doc, linked, entities)}


def test_two_titles_and_two_people_after_one_organisation():
    roles = roles_of(TWO_ROLES, [("自治区人大常委会", "ORG"), ("张韶春", "PER"), ("自治区人大常委会", "ORG"),
                                 ("段志强", "PER"), ("丁绣峰", "PER"), ("呼和浩特市", "LOC")])
    org = "ORG:内蒙古自治区人大常委会"
    assert roles == {("PER:张韶春", "党组书记", org), ("PER:张韶春", "副主任", org),
                     ("PER:段志强", "副主任", org), ("PER:丁绣峰", "副主任", org)}


def test_party_group_is_part_of_the_title_not_an_organisation():
    text = "近日，自治区人大常委会党组书记、副主任张韶春，自治区人大常委会副主任段志强宣讲。"
    roles = roles_of(text, [("自治区人大常委会党组", "ORG"), ("张韶春", "PER"), ("自治区人大常委会", "ORG"), ("段志强", "PER")])
    org = "ORG:内蒙古自治区人大常委会"
    assert roles == {("PER:张韶春", "党组书记", org), ("PER:张韶春", "副主任", org), ("PER:段志强", "副主任", org)}


def test_sub_unit_goes_into_the_title():
    roles = roles_of(SUB_UNIT, [("包钢股份", "ORG"), ("于宝", "PER")])
    assert roles == {("PER:于宝", "营销中心重轨销售部经理", "ORG:包钢股份")}


def test_company_chairman():
    assert roles_of(CHAIRMAN, [("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")]) == {
        ("PER:刘斌", "董事长", "ORG:天津合生生物科技有限公司")}


def test_reference_resolves_to_the_organisation_it_refers_to():
    roles = roles_of(REFERENCE, [("呼和浩特市第一医院", "ORG"), ("张俊昌", "PER"), ("夏龙", "PER")])
    assert roles == {("PER:张俊昌", "教授", "ORG:呼和浩特市第一医院"), ("PER:夏龙", "教授", "ORG:呼和浩特市第一医院")}


def test_sub_unit_after_a_reference_belongs_to_the_referred_organisation():
    text = "金龙稀土新材料（包头）有限公司扩大产能。“转型效果远超预期。”该公司技术研发部经理李智翔说。"
    roles = roles_of(text, [("金龙稀土新材料（包头）有限公司", "ORG"), ("技术研发部", "ORG"), ("李智翔", "PER")])
    assert roles == {("PER:李智翔", "技术研发部经理", "ORG:金龙稀土新材料（包头）有限公司")}


def test_bare_company_after_a_quote_is_a_reference():
    text = "卧龙电驱（包头）永磁电机有限公司生产车间里，“现在这套系统直接攻克了行业痛点！”公司总经理助理裴植介绍说。"
    roles = roles_of(text, [("卧龙电驱（包头）永磁电机有限公司", "ORG"), ("裴植", "PER")])
    assert roles == {("PER:裴植", "总经理助理", "ORG:卧龙电驱（包头）永磁电机有限公司")}


def test_reference_means_the_article_subject_not_the_partner_named_last():
    text = ("呼和浩特市第一医院取得突破。呼和浩特市第一医院专家介绍。该院杨晓光教授团队与海军军医大学第一附属医院合作完成研究。"
            "此外,该院赵晓慧教授牵头。")
    roles = roles_of(text, [("呼和浩特市第一医院", "ORG"), ("呼和浩特市第一医院", "ORG"), ("杨晓光", "PER"),
                            ("海军军医大学第一附属医院", "ORG"), ("赵晓慧", "PER")])
    assert roles == {("PER:杨晓光", "教授", "ORG:呼和浩特市第一医院"), ("PER:赵晓慧", "教授", "ORG:呼和浩特市第一医院")}


def test_a_bracketed_alias_of_the_partner_does_not_make_it_the_subject():
    text = ("呼和浩特市第一医院取得突破。呼和浩特市第一医院专家介绍。"
            "该院杨晓光教授团队与海军军医大学第一附属医院(长海医院)合作完成研究。此外,该院赵晓慧教授牵头。")
    roles = roles_of(text, [("呼和浩特市第一医院", "ORG"), ("呼和浩特市第一医院", "ORG"), ("杨晓光", "PER"),
                            ("海军军医大学第一附属医院", "ORG"), ("长海医院", "ORG"), ("赵晓慧", "PER")])
    assert ("PER:赵晓慧", "教授", "ORG:呼和浩特市第一医院") in roles
    assert not any(target != "ORG:呼和浩特市第一医院" for _, _, target in roles)


def test_section_chief_of_a_customs_section():
    roles = roles_of(SECTION_CHIEF, [("赛罕海关综合业务科", "ORG"), ("李斌", "PER")])
    assert roles == {("PER:李斌", "科长", "ORG:赛罕海关综合业务科")}


def test_no_byline_roles_and_no_role_without_an_organisation():
    assert roles_of(BYLINE, [("王皓", "PER"), ("薛来", "PER"), ("包头市", "LOC")]) == set()
    assert roles_of("副主任段志强表示。", [("段志强", "PER")]) == set()


def test_place_hierarchy_from_adjacent_units():
    doc, found = doc_with(PLACES, [("张韶春", "PER"), ("呼和浩特市", "LOC"), ("清水河县", "LOC")])
    linked, entities = Linker(home_region=HOME).link(found)
    rels = find_place_hierarchy(doc, linked, entities)
    assert [(r.type, r.source, r.target) for r in rels] == [(PART_OF, "LOC:清水河县", "LOC:呼和浩特市")]
    assert doc.raw[rels[0].evidence[0].start:rels[0].evidence[0].end] == "呼和浩特市清水河县"


def test_organisation_located_in_the_place_its_name_carries():
    text = "金龙稀土新材料（包头）有限公司与包头市铝业公司在包头合作。"
    doc, found = doc_with(text, [("金龙稀土新材料（包头）有限公司", "ORG"), ("包头市铝业公司", "ORG"), ("包头", "LOC")])
    linked, entities = Linker(home_region=HOME).link(found)
    rels = {(r.source, r.target) for r in find_locations(entities, linked) if r.type == LOCATED_IN}
    assert rels == {("ORG:金龙稀土新材料（包头）有限公司", "LOC:包头市"), ("ORG:包头市铝业公司", "LOC:包头市")}


def test_cooccurrence_counts_duplicate_sentences_once_and_has_no_self_loops():
    sentence = "包头市与鄂尔多斯市加强合作，包头市还将扩大开放。"
    tracker = DuplicateTracker()
    docs, linked_by_doc = [], {}
    for doc_id in ("a", "b"):
        doc, found = doc_with(sentence, [("包头市", "LOC"), ("鄂尔多斯市", "LOC"), ("包头市", "LOC")], doc_id)
        tracker.mark(doc)
        docs.append(doc)
        linked_by_doc[doc_id] = found
    linker = Linker(home_region=HOME)
    all_linked, _ = linker.link([m for d in ("a", "b") for m in linked_by_doc[d]])
    by_doc = {d: [lm for lm in all_linked if lm.mention.doc == d] for d in ("a", "b")}
    rels = find_cooccurrences(docs, by_doc)
    assert len(rels) == 1
    rel = rels[0]
    assert rel.type == CO_OCCURS and rel.source < rel.target
    assert rel.properties["weight"] == 1 and rel.properties["doc_weights"] == {"a": 1}
    assert len(rel.evidence) == 2  # both printings keep their provenance


def test_a_window_naming_more_entities_than_the_limit_is_a_list_and_gives_no_cooccurrence():
    names = [f"{a}{b}" for a in "赵钱孙李周吴郑王" for b in "伟芳娜敏"][:31]  # 31 people in one sentence
    text = "出席会议的有：" + "、".join(names) + "。包头市与鄂尔多斯市签约，赵伟出席。"
    doc, found = doc_with(text, [(n, "PER") for n in names] + [("包头市", "LOC"), ("鄂尔多斯市", "LOC"), ("赵伟", "PER")])
    linked, _ = Linker(home_region=HOME).link(found)
    pairs = {(r.source, r.target) for r in find_cooccurrences([doc], {"d": linked}, max_entities=30)}
    assert pairs == {("LOC:包头市", "LOC:鄂尔多斯市"), ("LOC:包头市", "PER:赵伟"), ("LOC:鄂尔多斯市", "PER:赵伟")}
    assert len(find_cooccurrences([doc], {"d": linked}, max_entities=31)) == 31 * 30 // 2 + 3
    assert len(find_cooccurrences([doc], {"d": linked}, max_entities=0)) == 31 * 30 // 2 + 3  # 0: no limit


def test_cooccurrence_paragraph_window():
    text = "包头市召开会议。鄂尔多斯市派员参加。"
    doc, found = doc_with(text, [("包头市", "LOC"), ("鄂尔多斯市", "LOC")])
    linked, _ = Linker(home_region=HOME).link(found)
    assert find_cooccurrences([doc], {"d": linked}) == []
    rels = find_cooccurrences([doc], {"d": linked}, window="paragraph")
    assert len(rels) == 1 and rels[0].properties["weight"] == 1


def test_role_evidence_points_into_the_raw_text():
    doc, found = doc_with(CHAIRMAN, [("天津合生生物科技有限公司", "ORG"), ("刘斌", "PER")])
    linked, entities = Linker(home_region=HOME).link(found)
    (rel,) = find_roles(doc, linked, entities)
    assert rel.type == HOLDS_ROLE
    assert doc.raw[rel.evidence[0].start:rel.evidence[0].end] == "天津合生生物科技有限公司董事长刘斌"


def _two_docs_same_pair():
    text = "包头市召开会议，张韶春出席。张韶春在包头市讲话。"
    docs = [repair(RawPage(d, d, text)) for d in ("b", "a", "c")]
    found = {}
    for doc in docs:
        spans, pos = [], 0
        for surface, label in (("包头市", "LOC"), ("张韶春", "PER"), ("张韶春", "PER"), ("包头市", "LOC")):
            start = doc.text.index(surface, pos)
            spans.append(Mention(doc.id, start, start + len(surface), surface, label, doc.sentence_at(start).index))
            pos = start + 1
        found[doc.id] = spans
    return docs, found


def test_evidence_kept_does_not_depend_on_input_order():
    docs, found = _two_docs_same_pair()
    results = []
    for order in (docs, docs[::-1], [docs[1], docs[2], docs[0]]):
        mentions = [m for d in order for m in found[d.id]]
        linked, entities = Linker(home_region=HOME).link(mentions, {d.id: d.text for d in order})
        by_doc = {d.id: [lm for lm in linked if lm.mention.doc == d.id] for d in order}
        co = find_cooccurrences(order, by_doc, max_evidence=3)
        located = find_locations(entities, linked)
        merged = merge_relations(co + located, max_evidence=3)
        results.append([(r.type, r.source, r.target, list(r.properties.items()),
                         [(e.doc, e.start, e.end) for e in r.evidence]) for r in merged])
    assert results[0] == results[1] == results[2]
    (co,) = [r for r in results[0] if r[0] == CO_OCCURS]
    assert [e[0] for e in co[4]] == ["a", "a", "b"]  # the first three spans in (doc, start, end) order
    assert [d for d, _ in dict(co[3])["doc_weights"].items()] == ["a", "b", "c"]


def test_merged_evidence_is_the_first_spans_in_document_order():
    from kg.schema import Evidence, Relation

    rels = [Relation(HOLDS_ROLE, "PER:x", "ORG:y", {"title": "t"}, [Evidence(d, s, s + 2)])
            for d, s in (("c", 0), ("b", 9), ("a", 5), ("b", 1), ("a", 5))]
    for order in (rels, rels[::-1]):
        (merged,) = merge_relations(order, max_evidence=3)
        assert [(e.doc, e.start) for e in merged.evidence] == [("a", 5), ("b", 1), ("b", 9)]


def test_a_byline_gives_reported_edges_and_no_cooccurrence():
    from kg.credits import provenance_mentions
    from kg.relate import content_mentions, find_dateline_places, find_reported

    text = "本报包头12月27日电（记者 王皓 薛来）近日，包头市委书记张平在包钢集团调研。"
    doc, found = doc_with(text, [("包头", "LOC"), ("王皓", "PER"), ("薛来", "PER"), ("包头市委", "ORG"),
                                 ("张平", "PER"), ("包钢集团", "ORG")])
    found = provenance_mentions(doc, found)
    linked, entities = Linker(home_region=HOME).link(found, {doc.id: doc.text})
    reported = find_reported(doc, linked)
    assert [(r.source, r.target, r.properties) for r in reported] == [
        ("PER:王皓", "d", {"as": "记者"}), ("PER:薛来", "d", {"as": "记者"})]
    assert doc.text[reported[0].evidence[0].start:reported[0].evidence[0].end] == "（记者 王皓 薛来）"
    pairs = {(r.source, r.target) for r in find_cooccurrences([doc], {doc.id: content_mentions(doc, linked)})}
    assert ("ORG:包钢集团", "PER:张平") in pairs
    assert not [p for p in pairs if {"PER:王皓", "PER:薛来"} & set(p)]
    datelines = find_dateline_places(doc, linked)
    assert [(r.source, r.target) for r in datelines] == [("d", "LOC:包头市")]


def test_a_reporter_and_a_photographer_of_one_page_are_two_edges():
    from kg.schema import REPORTED, Evidence, Relation

    merged = merge_relations([Relation(REPORTED, "PER:王磊", "d", {"as": "记者"}, [Evidence("d", 0, 5)]),
                              Relation(REPORTED, "PER:王磊", "d", {"as": "摄影"}, [Evidence("d", 9, 14)]),
                              Relation(REPORTED, "PER:王磊", "d", {"as": "记者"}, [Evidence("d", 20, 25)])])
    assert sorted((r.properties["as"], len(r.evidence)) for r in merged) == [("摄影", 1), ("记者", 2)]


def _windows(sentences: list[list[str]], doc_id: str = "d", day: str | None = None):
    """A document of one sentence per entry (the n-th: 'places 召开第n次会议。'), and its mentions."""
    text = "".join("、".join(places) + f"召开第{n}次会议。" for n, places in enumerate(sentences))
    doc = repair(RawPage(doc_id, doc_id, text, date=day))
    found, pos = [], 0
    for places in sentences:
        for surface in places:
            start = doc.text.index(surface, pos)
            found.append(Mention(doc_id, start, start + len(surface), surface, "LOC", doc.sentence_at(start).index))
            pos = start + len(surface)
    return doc, found


def _cooccurrences(*docs_found, **kwargs):
    docs = [d for d, _ in docs_found]
    linked, _ = Linker(home_region=HOME).link([m for _, f in docs_found for m in f], {d.id: d.text for d in docs})
    by_doc = {d.id: [lm for lm in linked if lm.mention.doc == d.id] for d in docs}
    return {(r.source, r.target): r.properties for r in find_cooccurrences(docs, by_doc, **kwargs)}


def test_npmi_ranks_an_exclusive_pair_above_the_ubiquitous_one():
    # 呼和浩特市 is in every sentence; 赤峰市 and 通辽市 only ever appear together.
    sentences = [["呼和浩特市", "包头市"]] * 3 + [["呼和浩特市", "赤峰市", "通辽市"]] * 2 + [["呼和浩特市", "乌海市"]]
    pairs = _cooccurrences(_windows(sentences))
    hohhot_baotou = pairs[("LOC:包头市", "LOC:呼和浩特市")]
    chifeng_tongliao = pairs[("LOC:赤峰市", "LOC:通辽市")]
    assert hohhot_baotou["weight"] == 3 > chifeng_tongliao["weight"] == 2
    assert chifeng_tongliao["npmi"] == 1.0  # always together
    # p(a,b) = 3/6, p(a) = 6/6, p(b) = 3/6: no more than chance
    assert hohhot_baotou["npmi"] == 0.0
    # p(a,b) = 2/6, p(a) = 2/6, p(b) = 6/6
    assert pairs[("LOC:呼和浩特市", "LOC:赤峰市")]["npmi"] == 0.0
    # below MIN_COUNT: no score, so rankings can put it last
    assert MIN_COUNT == 2 and "npmi" not in pairs[("LOC:乌海市", "LOC:呼和浩特市")]
    assert pairs[("LOC:乌海市", "LOC:呼和浩特市")]["weight"] == 1


def test_npmi_counts_windows_with_any_entity_and_skips_duplicate_printings():
    # 4 sentences with an entity (the last printed twice, counted once): N = 4
    sentences = [["包头市", "赤峰市"], ["包头市", "赤峰市"], ["通辽市"], ["包头市"]]
    doc, found = _windows(sentences, "a")
    again, found_again = _windows([["包头市", "赤峰市"]], "b")
    tracker = DuplicateTracker()
    tracker.mark(doc)
    tracker.mark(again)
    pairs = _cooccurrences((doc, found), (again, found_again))
    p_ab, p_a, p_b = 2 / 4, 3 / 4, 2 / 4
    want = round(math.log(p_ab / (p_a * p_b)) / -math.log(p_ab), 4)
    assert pairs[("LOC:包头市", "LOC:赤峰市")]["npmi"] == want == 0.415
    assert pairs[("LOC:包头市", "LOC:赤峰市")]["doc_weights"] == {"a": 2}
    assert _cooccurrences((doc, found), min_count=3)[("LOC:包头市", "LOC:赤峰市")].get("npmi") is None


def test_cooccurrence_dates_and_year_weights_come_from_the_documents_giving_the_weight():
    pair = ("LOC:包头市", "LOC:赤峰市")
    pairs = _cooccurrences(_windows([["包头市", "赤峰市"]] * 2, "a", "2023-05-01"),
                           _windows([["包头市", "赤峰市"]], "b", "2024-01-02"),
                           _windows([["包头市", "赤峰市"]], "c", "2023-11-30"),
                           _windows([["赤峰市", "包头市"]], "d"))
    props = pairs[pair]
    assert props["weight"] == 5 and props["doc_weights"] == {"a": 2, "b": 1, "c": 1, "d": 1}
    assert (props["first_seen"], props["last_seen"]) == ("2023-05-01", "2024-01-02")
    assert props["year_weights"] == {"2023": 3, "2024": 1}  # the undated document is in no year
    undated = _cooccurrences(_windows([["包头市", "赤峰市"]], "d"))[pair]
    assert not {"first_seen", "last_seen", "year_weights"} & set(undated)


def test_role_dates_span_every_document_not_only_the_evidence_kept():
    from kg.schema import Evidence, Relation

    days = {"a": "2022-03-01", "b": "2024-06-30", "c": None, "d": "2023-01-15"}
    rels = [Relation(HOLDS_ROLE, "PER:x", "ORG:y", {"title": "t"}, [Evidence(d, 0, 2)]) for d in ("d", "c", "b", "a")]
    for order in (rels, rels[::-1]):
        (merged,) = merge_relations(order, max_evidence=1, dates=days)
        assert [e.doc for e in merged.evidence] == ["a"]
        assert merged.properties == {"title": "t", "docs": ["a", "b", "c", "d"],
                                     "first_seen": "2022-03-01", "last_seen": "2024-06-30"}
    (undated,) = merge_relations(rels)
    assert undated.properties == {"title": "t", "docs": ["a", "b", "c", "d"]}


def test_place_hierarchy_comes_from_the_division_data_adjacent_or_not():
    text = "广东省召开会议。深圳市南山区的企业参加。"
    doc, found = doc_with(text, [("广东省", "LOC"), ("深圳市", "LOC"), ("南山区", "LOC")])
    linked, entities = Linker(home_region=HOME).link(found)
    rels = {(r.source, r.target) for r in find_place_hierarchy(doc, linked, entities)}
    assert rels == {("LOC:深圳市", "LOC:广东省"), ("LOC:南山区", "LOC:深圳市")}


def test_an_ambiguous_district_nests_only_where_the_document_settles_it():
    doc, found = doc_with("朝阳区发布通知，长春市也发布了。", [("朝阳区", "LOC"), ("长春市", "LOC")])
    linked, entities = Linker(home_region=HOME).link(found)
    assert {(r.source, r.target) for r in find_place_hierarchy(doc, linked, entities)} == {("LOC:朝阳区", "LOC:长春市")}
    doc, found = doc_with("朝阳区发布通知。", [("朝阳区", "LOC")])
    linked, entities = Linker(home_region=HOME).link(found)
    assert find_place_hierarchy(doc, linked, entities) == []
