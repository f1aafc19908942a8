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


# -- merged_by: the rules that joined an entity's forms ---------------------------------------

def _entity_with(entities, text):
    return next(e for e in entities.values() if text == e.name or text in e.aliases)


@pytest.mark.parametrize("items,rules", [
    ([("金龙稀土新材料（包头）有限公司", "ORG"), ("金龙稀土新材料(包头)有限公司", "ORG")], ["normalisation"]),
    ([("党中央", "ORG"), ("中国共产党中央委员会", "ORG")], ["alias_file"]),
    ([("自治区党委", "ORG"), ("内蒙古自治区党委", "ORG")], ["home_region"]),
    ([("全区", "LOC"), ("内蒙古自治区", "LOC")], ["home_region"]),
    ([("首府", "LOC"), ("呼和浩特市", "LOC")], ["region_epithet"]),
    ([("包头", "LOC"), ("包头市", "LOC")], ["gazetteer"]),
    ([("大理", "LOC"), ("大理白族自治州", "LOC")], ["place_suffix"]),
    ([("伊泰", "ORG"), ("伊泰集团有限公司", "ORG")], ["corporate_suffix"]),
    ([("合生生物", "ORG"), ("天津合生生物科技有限公司", "ORG")], ["company_short_form"]),
    ([("工信厅", "ORG"), ("工业和信息化厅", "ORG")], ["abbreviation"]),
    ([("自治区工信厅", "ORG"), ("内蒙古自治区工业和信息化厅", "ORG")], ["abbreviation", "home_region"]),
    ([("乌海巴音赛街道党工委", "ORG"), ("巴音赛街道党工委", "ORG")], ["leading_places"]),
    ([("呼和浩市", "LOC"), ("呼和浩特市", "LOC")], ["near_spelling"]),
    ([("呼和浩市", "LOC"), ("呼和浩特", "LOC")], ["gazetteer", "near_spelling"]),
])
def test_merged_by_names_the_rules_that_joined_the_forms(items, rules):
    from kg.link import RULES

    linked, entities = link(*items)
    assert len({lm.entity for lm in linked}) == 1
    (entity,) = entities.values()
    assert entity.merged_by == rules and set(rules) <= set(RULES)


def test_merged_by_of_a_parenthesised_alias():
    text = "海军军医大学第一附属医院(长海医院)合作完成"
    m1 = Mention("d", 0, 12, "海军军医大学第一附属医院", "ORG", 0)
    m2 = Mention("d", 13, 17, "长海医院", "ORG", 0)
    _, entities = Linker(home_region=HOME).link([m1, m2], {"d": text})
    assert entities["ORG:海军军医大学第一附属医院"].merged_by == ["paren_alias"]


def test_an_entity_written_one_way_has_no_merged_by():
    _, entities = link(("段志强", "PER"), ("段志强", "PER"), ("包头市", "LOC"), ("包钢股份", "ORG"))
    assert all(e.merged_by == [] and e.aliases == [] for e in entities.values())


def test_merged_by_gathers_every_rule_of_a_group_sorted():
    _, entities = link(("包头", "LOC"), ("包头市", "LOC"), ("鹿城", "LOC"), ("包 头", "LOC"))
    assert entities["LOC:包头市"].merged_by == ["gazetteer", "normalisation", "region_epithet"]


def test_the_rules_are_documented():
    from pathlib import Path

    from kg.link import RULES

    doc = (Path(__file__).resolve().parent.parent / "docs" / "linking.md").read_text(encoding="utf-8")
    assert all(f"| `{rule}` |" in doc for rule in RULES)


# -- place short forms by the suffixes the data knows ----------------------------------------

@pytest.mark.parametrize("short,long", [
    ("华北", "华北地区"), ("锡林郭勒", "锡林郭勒盟"), ("大理", "大理白族自治州"), ("海西", "海西蒙古族藏族自治州"),
    ("长阳", "长阳土家族自治县"), ("恩施", "恩施土家族苗族自治州"), ("莫力达瓦", "莫力达瓦达斡尔族自治旗"),
])
def test_a_place_short_form_by_the_datas_suffixes_joins_its_place(short, long):
    linked, _ = link((short, "LOC"), (long, "LOC"))
    assert entity_of(linked, short) == entity_of(linked, long) == f"LOC:{long}"


def test_a_short_form_of_one_division_in_the_data_links_alone():
    linked, entities = link(("锡林郭勒", "LOC"), ("阿拉善", "LOC"))
    assert entity_of(linked, "锡林郭勒") == "LOC:锡林郭勒盟" and entity_of(linked, "阿拉善") == "LOC:阿拉善盟"
    assert entities["LOC:锡林郭勒盟"].merged_by == ["gazetteer"]


@pytest.mark.parametrize("form", ["大理", "兴安", "甘孜"])  # 大理市 and 大理白族自治州; 兴安盟 and 兴安县; 甘孜州 and 甘孜县
def test_a_short_form_of_two_divisions_stays_alone(form):
    from kg import gazetteer

    assert gazetteer.place_of_short_form(form) is None
    linked, _ = link((form, "LOC"))
    assert entity_of(linked, form) == f"LOC:{form}"


def test_a_short_form_with_two_suffixed_places_in_the_corpus_joins_neither():
    linked, _ = link(("大理", "LOC"), ("大理市", "LOC"), ("大理白族自治州", "LOC"))
    assert len({lm.entity for lm in linked}) == 3


def test_a_place_short_form_never_joins_an_organisation_or_a_street():
    linked, _ = link(("恩施", "LOC"), ("恩施大道", "LOC"), ("恩施州", "ORG"))
    assert len({lm.entity for lm in linked}) == 3


# -- a place one character off a known place of the same document ----------------------------

@pytest.mark.parametrize("odd,known", [
    ("呼和浩市", "呼和浩特市"),      # a character lost
    ("呼和浩", "呼和浩特"),          # the last one lost
    ("呼和和浩特", "呼和浩特"),      # one doubled at a line break
    ("鄂尔朵斯市", "鄂尔多斯市"),    # one misread
    ("锡林浩特", "锡林郭勒盟"),      # not one off: stays apart
])
def test_a_place_one_character_off_a_known_place_joins_it(odd, known):
    linked, entities = link((known, "LOC"), (odd, "LOC"), ("段志强", "PER"))
    joined = entity_of(linked, odd) == entity_of(linked, known)
    assert joined == (odd != "锡林浩特")
    if joined:
        assert "near_spelling" in _entity_with(entities, odd).merged_by


@pytest.mark.parametrize("odd,known", [
    ("包头路", "包头市"),          # the last character changed: a street
    ("赤峰市区", "赤峰市"),        # one added at the end: a part of the city
    ("尔多斯市", "鄂尔多斯市"),    # the first one lost
    ("北鄂尔多斯市", "鄂尔多斯市"),  # one added at the start
    ("东胜新区", "东胜区"),        # a known name of three characters: too short to read one off
])
def test_a_place_changed_at_its_ends_or_too_short_stays_apart(odd, known):
    linked, _ = link((known, "LOC"), (odd, "LOC"))
    assert entity_of(linked, odd) != entity_of(linked, known)


def test_a_near_spelling_joins_only_the_one_place_it_fits():
    # 阿拉善旗 is one off 阿拉善左旗 and 阿拉善右旗: two fit, none joins
    linked, _ = link(("阿拉善左旗", "LOC"), ("阿拉善右旗", "LOC"), ("阿拉善旗", "LOC"))
    assert len({lm.entity for lm in linked}) == 3


def test_a_near_spelling_needs_the_known_place_in_the_same_document():
    linker = Linker(home_region=HOME)
    linked, _ = linker.link(mentions(("呼和浩特市", "LOC"), doc="a") + mentions(("呼和浩市", "LOC"), doc="b"))
    assert linked[0].entity != linked[1].entity
    # in two documents, each with the place it fits: joined; with a document where it fits nothing: apart
    linked, _ = linker.link(mentions(("呼和浩特市", "LOC"), ("呼和浩市", "LOC"), doc="a")
                            + mentions(("呼和浩市", "LOC"), ("呼和浩特", "LOC"), doc="b"))
    assert len({lm.entity for lm in linked}) == 1
    linked, _ = linker.link(mentions(("呼和浩特市", "LOC"), ("呼和浩市", "LOC"), doc="a")
                            + mentions(("呼和浩市", "LOC"), doc="b"))
    assert linked[0].entity != linked[1].entity


def test_a_near_spelling_is_no_known_place_and_no_alias(tmp_path):
    # 东乌旗 and 西乌旗 are both known (东乌珠穆沁旗, 西乌珠穆沁旗): one off, never joined
    linked, _ = link(("东乌旗", "LOC"), ("西乌旗", "LOC"), ("东乌珠穆沁旗", "LOC"), ("西乌珠穆沁旗", "LOC"))
    assert entity_of(linked, "东乌旗") != entity_of(linked, "西乌旗")
    table = tmp_path / "aliases.tsv"
    table.write_text("呼和浩市\t呼和浩市\tLOC\n", encoding="utf-8")  # a user's own name: kept apart
    linked, _ = link(("呼和浩特市", "LOC"), ("呼和浩市", "LOC"), alias_files=[table])
    assert entity_of(linked, "呼和浩市") == "LOC:呼和浩市"


def test_a_near_spelling_is_a_place_the_ner_tagged():
    linked, _ = link(("呼和浩特市", "LOC"), ("呼和浩市", "ORG"))
    assert entity_of(linked, "呼和浩市") == "ORG:呼和浩市"


# -- descriptive names per region ------------------------------------------------------------

@pytest.mark.parametrize("region,epithet,place", [
    ("内蒙古自治区", "首府", "呼和浩特市"), ("新疆维吾尔自治区", "首府", "乌鲁木齐市"), ("西藏自治区", "首府", "拉萨市"),
    ("广西壮族自治区", "首府", "南宁市"), ("宁夏回族自治区", "首府", "银川市"),
    ("内蒙古自治区", "鹿城", "包头市"), ("内蒙古自治区", "青城", "呼和浩特市"), ("广东省", "羊城", "广州市"),
    ("广东省", "鹏城", "深圳市"), ("云南省", "春城", "昆明市"), ("黑龙江省", "冰城", "哈尔滨市"),
    ("福建省", "榕城", "福州市"), ("山东省", "泉城", "济南市"), ("四川省", "蓉城", "成都市"), ("重庆市", "山城", "重庆市"),
])
def test_a_regions_epithet_is_its_place_in_that_regions_pages(region, epithet, place):
    linked, entities = link((epithet, "LOC"), home_region=region)
    assert entity_of(linked, epithet) == f"LOC:{place}"
    assert entities[f"LOC:{place}"].merged_by == ["region_epithet"]


def test_an_epithet_is_read_only_in_its_region_and_only_as_a_place():
    assert entity_of(link(("鹿城", "LOC"), home_region="浙江省")[0], "鹿城") == "LOC:鹿城区"  # 温州's district
    assert entity_of(link(("羊城", "LOC"), home_region=HOME)[0], "羊城") == "LOC:羊城"
    assert entity_of(link(("首府", "LOC"), home_region="广东省")[0], "首府") == "LOC:首府"  # no autonomous region
    assert entity_of(link(("首府", "LOC"), home_region=None)[0], "首府") == "LOC:首府"
    assert entity_of(link(("青城", "ORG"))[0], "青城") == "ORG:青城"
    # each page its own region: 首府 is 呼和浩特 on an Inner Mongolian page, 南宁 on a Guangxi one
    def m(doc, text, start):
        return Mention(doc, start, start + len(text), text, "LOC", 0)

    linked, _ = Linker().link([m("a", "包头市", 0), m("a", "首府", 10), m("b", "柳州市", 0), m("b", "首府", 10)])
    assert [lm.entity for lm in linked if lm.mention.text == "首府"] == ["LOC:呼和浩特市", "LOC:南宁市"]


def test_the_region_epithets_name_known_places(tmp_path):
    from kg import gazetteer
    from kg.errors import ModelError

    table = gazetteer.region_epithets()
    assert {region for region, epithet in table if epithet == "首府"} == {
        "内蒙古自治区", "新疆维吾尔自治区", "西藏自治区", "广西壮族自治区", "宁夏回族自治区"}
    assert all(place in gazetteer.places() for place in table.values())
    bad = tmp_path / "epithets.tsv"
    bad.write_text("内蒙古自治区\t鹿城\t鹿城县\n", encoding="utf-8")
    with pytest.raises(ModelError, match="鹿城县"):
        gazetteer.region_epithets(bad)


def test_an_epithet_counts_for_no_province_when_finding_a_pages_region():
    from kg.link import document_regions

    # 鹿城 is also 温州's 鹿城区 (浙江): three of them must not outweigh 包头 and 呼和浩特
    def m(text, start):
        return Mention("d", start, start + len(text), text, "LOC", 0)

    page = [m("包头", 0), m("鹿城", 5), m("呼和浩特", 10), m("鹿城", 20), m("鹿城", 30)]
    assert document_regions(page) == {"d": "内蒙古自治区"}
    linked, _ = Linker().link(page)
    assert {lm.entity for lm in linked if lm.mention.text == "鹿城"} == {"LOC:包头市"}


def test_the_seed_pages_name_cut_at_a_line_break_joins_its_city(seed_build):
    import json

    # seeds/004: 呼|(blank line)|浩特市 lost its 和 between the lines
    entities = {e["id"]: e for e in map(json.loads, (seed_build / "entities.jsonl").read_text("utf-8").splitlines())}
    city = entities["LOC:呼和浩特市"]
    assert "呼浩特市" in city["aliases"] and city["merged_by"] == ["gazetteer", "near_spelling"]
    assert "LOC:呼浩特市" not in entities
