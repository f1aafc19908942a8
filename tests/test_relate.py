"""Role, co-occurrence and place-hierarchy rules on real sentences from the seed pages.

Mentions are placed by hand (as a perfect NER would find them) so these tests pin the
relation rules themselves; tests/test_pipeline.py covers the same with the trained model.
"""
from __future__ import annotations

from kg.ingest import DuplicateTracker, RawPage, repair
from kg.link import Linker
from kg.schema import Mention
from kg.relate import (
    CO_OCCURS, HOLDS_ROLE, LOCATED_IN, PART_OF, find_cooccurrences, find_locations, find_place_hierarchy, find_roles,
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
        results.append([(r.type, r.source, r.target, list(r.properties.get("doc_weights", {}).items()),
                         [(e.doc, e.start, e.end) for e in r.evidence]) for r in merged])
    assert results[0] == results[1] == results[2]
    (co,) = [r for r in results[0] if r[0] == CO_OCCURS]
    assert [e[0] for e in co[4]] == ["a", "a", "b"]  # the first three spans in (doc, start, end) order
    assert [d for d, _ in co[3]] == ["a", "b", "c"]


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
