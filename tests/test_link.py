"""Alias linking rules, including the merges that must NOT happen."""
from __future__ import annotations

import pytest

from kg.link import Linker, is_abbreviation, normalise
from kg.schema import Mention

HOME = "内蒙古自治区"


def mentions(*items: tuple[str, str], doc: str = "d1") -> list[Mention]:
    out, pos = [], 0
    for text, label in items:
        out.append(Mention(doc, pos, pos + len(text), text, label, 0))
        pos += len(text) + 1
    return out


def entity_of(linked, text: str) -> str:
    return next(lm.entity for lm in linked if lm.mention.text == text)


def link(*items, home_region=HOME, alias_files=()):
    linker = Linker(home_region=home_region, alias_files=alias_files)
    return linker.link(mentions(*items))


def test_normalise_folds_width_and_brackets():
    assert normalise("金龙稀土新材料（包头）有限公司") == normalise("金龙稀土新材料(包头)有限公司")
    assert normalise("包 头\n市") == "包头市"


@pytest.mark.parametrize("short,long", [("包头", "包头市"), ("呼和浩特", "呼和浩特市"), ("内蒙古", "内蒙古自治区")])
def test_place_short_forms_join_the_official_name(short, long):
    linked, entities = link((short, "LOC"), (long, "LOC"))
    assert entity_of(linked, short) == entity_of(linked, long) == f"LOC:{long}"


def test_gazetteer_gives_the_official_name_even_alone():
    linked, entities = link(("上海", "LOC"))
    assert entities[entity_of(linked, "上海")].name == "上海市"


def test_places_sharing_a_stem_stay_apart():
    linked, _ = link(("包头市", "LOC"), ("包头大街", "LOC"), ("鄂尔多斯市", "LOC"), ("鄂尔多斯西街", "LOC"))
    assert entity_of(linked, "包头市") != entity_of(linked, "包头大街")
    assert entity_of(linked, "鄂尔多斯市") != entity_of(linked, "鄂尔多斯西街")


def test_home_region_prefix_expands():
    linked, _ = link(("自治区党委", "ORG"), ("内蒙古自治区党委", "ORG"), ("自治区人大常委会", "ORG"))
    assert entity_of(linked, "自治区党委") == entity_of(linked, "内蒙古自治区党委") == "ORG:内蒙古自治区党委"
    assert entity_of(linked, "自治区人大常委会") == "ORG:内蒙古自治区人大常委会"


def test_home_region_capital_and_pronouns():
    linked, _ = link(("首府", "LOC"), ("呼和浩特", "LOC"), ("全区", "LOC"), ("内蒙古", "LOC"))
    assert entity_of(linked, "首府") == entity_of(linked, "呼和浩特") == "LOC:呼和浩特市"
    assert entity_of(linked, "全区") == entity_of(linked, "内蒙古") == "LOC:内蒙古自治区"


def test_home_region_is_inferred_from_the_corpus():
    linker = Linker()
    linked, _ = linker.link(mentions(("内蒙古", "LOC"), ("内蒙古", "LOC"), ("北京", "LOC"), ("自治区党委", "ORG")))
    assert linker.home_region == "内蒙古自治区" and linker.home_region_inferred
    assert entity_of(linked, "自治区党委") == "ORG:内蒙古自治区党委"


def test_abbreviation_by_characters():
    linked, _ = link(("自治区工信厅", "ORG"), ("内蒙古自治区工业和信息化厅", "ORG"))
    assert entity_of(linked, "自治区工信厅") == entity_of(linked, "内蒙古自治区工业和信息化厅")


def test_corporate_suffix_merges_but_listed_subsidiary_stays_apart():
    linked, _ = link(("包钢", "ORG"), ("包钢集团", "ORG"), ("包钢股份", "ORG"))
    assert entity_of(linked, "包钢") == entity_of(linked, "包钢集团")
    assert entity_of(linked, "包钢股份") != entity_of(linked, "包钢集团")


@pytest.mark.parametrize("unit,sub_unit", [
    ("内蒙古自治区党委", "内蒙古自治区党委宣传部"),
    ("呼和浩特市市场监督管理局", "呼和浩特市市场监督管理局经济技术开发区分局"),
    ("内蒙古自治区人大常委会", "内蒙古自治区人大常委会机关"),
])
def test_a_name_never_merges_with_its_sub_unit(unit, sub_unit):
    assert not is_abbreviation(normalise(unit), normalise(sub_unit))
    linked, _ = link((unit, "ORG"), (sub_unit, "ORG"))
    assert entity_of(linked, unit) != entity_of(linked, sub_unit)


def test_ambiguous_abbreviation_is_not_merged():
    # 北方磁材 could abbreviate either long form: no evidence which, so no merge
    linked, _ = link(("北方磁材", "ORG"), ("北方稀土磁材", "ORG"), ("北方永磁材", "ORG"))
    assert len({entity_of(linked, t) for t in ("北方磁材", "北方稀土磁材", "北方永磁材")}) == 3


def test_parenthesised_alias_follows_the_name():
    text = "海军军医大学第一附属医院(长海医院)合作完成"
    m1 = Mention("d", 0, 12, "海军军医大学第一附属医院", "ORG", 0)
    m2 = Mention("d", 13, 17, "长海医院", "ORG", 0)
    linked, _ = Linker(home_region=HOME).link([m1, m2], {"d": text})
    assert linked[0].entity == linked[1].entity == "ORG:海军军医大学第一附属医院"


def test_people_with_the_same_name_are_one_entity_across_documents():
    linker = Linker(home_region=HOME)
    linked, entities = linker.link(mentions(("刘斌", "PER"), doc="a") + mentions(("刘斌", "PER"), doc="b"))
    assert linked[0].entity == linked[1].entity
    assert entities[linked[0].entity].doc_count == 2


def test_user_alias_file(tmp_path):
    table = tmp_path / "aliases.tsv"
    table.write_text("# mine\n合生生物\t天津合生生物科技有限公司\tORG\n", encoding="utf-8")
    linked, _ = link(("合生生物", "ORG"), ("天津合生生物科技有限公司", "ORG"), alias_files=[table])
    assert entity_of(linked, "合生生物") == entity_of(linked, "天津合生生物科技有限公司")


def test_ids_are_stable_and_labelled():
    first, _ = link(("包头", "LOC"), ("包头市", "LOC"))
    second, _ = link(("包头市", "LOC"), ("包头", "LOC"), ("段志强", "PER"))
    assert entity_of(first, "包头") == entity_of(second, "包头") == "LOC:包头市"
    assert entity_of(second, "段志强") == "PER:段志强"


def test_a_known_place_is_a_place_whatever_the_model_said():
    linked, entities = link(("鄂尔多斯", "PER"), ("鄂尔多斯市", "ORG"), ("段志强", "PER"))
    assert entity_of(linked, "鄂尔多斯") == entity_of(linked, "鄂尔多斯市") == "LOC:鄂尔多斯市"
    assert all(lm.mention.label == "LOC" for lm in linked if lm.entity == "LOC:鄂尔多斯市")


def test_a_name_the_alias_table_knows_is_not_an_abbreviation():
    linked, _ = link(("内蒙古大学", "ORG"), ("内蒙古师范大学", "ORG"))
    assert entity_of(linked, "内蒙古大学") != entity_of(linked, "内蒙古师范大学")


def test_a_companys_short_form_abbreviates_its_full_name():
    assert is_abbreviation("合生生物", "天津合生生物科技有限公司")
    assert not is_abbreviation("合生远景", "天津合生生物科技有限公司")
    assert is_abbreviation("金宇保灵", "金宇保灵生物药品有限公司")  # its brand


def test_an_overlong_name_gets_a_bounded_id_and_keeps_its_full_name():
    from kg.schema import MAX_ID_BYTES, bounded_id

    name = "张" * 10_000
    linked, entities = link((name, "PER"), ("张三", "PER"))
    (long_entity,) = [e for e in entities.values() if e.name == name]
    assert long_entity.id == bounded_id("PER:" + name) and long_entity.id.startswith("PER:张张")
    assert len(long_entity.id.encode()) <= MAX_ID_BYTES
    assert entity_of(linked, name) == long_entity.id
    assert "PER:张三" in entities  # normal ids are unchanged


def test_each_document_links_自治区_to_its_own_region():
    # an archive mixing an Inner Mongolia page and a Guangxi page: 自治区党委 is each page's own
    def m(doc, text, label, start):
        return Mention(doc, start, start + len(text), text, label, 0)

    mentions = [m("a", "包头市", "LOC", 0), m("a", "自治区党委", "ORG", 10), m("a", "呼和浩特市", "LOC", 20),
                m("b", "南宁市", "LOC", 0), m("b", "自治区党委", "ORG", 10), m("b", "柳州市", "LOC", 20),
                m("c", "自治区党委", "ORG", 0)]  # a page naming no place: no region
    linked, _ = Linker().link(mentions)
    by_doc = {(lm.mention.doc, lm.mention.text): lm.entity for lm in linked}
    assert by_doc[("a", "自治区党委")] == "ORG:内蒙古自治区党委"
    assert by_doc[("b", "自治区党委")] == "ORG:广西壮族自治区党委"
    assert by_doc[("c", "自治区党委")] == "ORG:自治区党委"
    assert Linker(home_region="内蒙古自治区").link(mentions)[0][4].entity == "ORG:内蒙古自治区党委"  # given: all pages


def test_a_document_region_is_none_when_two_provinces_tie():
    from kg.link import document_regions

    mentions = [Mention("d", 0, 3, "广州市", "LOC", 0), Mention("d", 5, 8, "南宁市", "LOC", 0)]
    assert document_regions(mentions) == {"d": None}
    assert document_regions(mentions + [Mention("d", 9, 11, "广东", "LOC", 0)]) == {"d": "广东省"}


def test_an_organisation_with_and_without_its_leading_places_in_one_document_is_one():
    def m(doc, text, start):
        return Mention(doc, start, start + len(text), text, "ORG", 0)

    mentions = [m("a", "乌海巴音赛街道党工委", 0), m("a", "巴音赛街道党工委", 20),
                m("b", "巴音赛街道党工委", 0),  # another page: no evidence there
                m("c", "包头市第一中学", 0), m("c", "呼和浩特市第一中学", 10), m("c", "第一中学", 20)]  # two longer forms
    linked, entities = Linker().link(mentions)
    ids = [lm.entity for lm in linked]
    assert ids[0] == ids[1] == "ORG:乌海巴音赛街道党工委" and entities[ids[0]].aliases == ["巴音赛街道党工委"]
    assert ids[2] == ids[0]  # the same surface form links the same way in every page
    assert ids[5] == "ORG:第一中学"  # ambiguous: left alone
