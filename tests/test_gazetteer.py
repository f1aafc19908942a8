"""Gazetteer: the shipped place and organisation tables and what the segmenter and NER read from them."""
from __future__ import annotations

import pytest

from kg import gazetteer


def test_world_countries_are_known_places_by_their_common_names():
    names = gazetteer.place_names()
    assert {"马拉维", "哈萨克斯坦", "蒙古国", "美国"} <= names
    assert "美" not in names  # one-character forms are for linking 中美-style pairs, not names on sight
    assert gazetteer.place_aliases()["俄"] == "俄罗斯"


def test_ordinary_text_collisions_are_left_out_of_the_tables():
    names = gazetteer.place_names()
    assert "巴林" not in names  # 巴林石, 巴林右旗 in Inner Mongolia
    assert "蒙古" not in names  # 蒙古包, 蒙古族
    assert gazetteer.place_aliases()["阿盟"] == "阿拉善盟"  # not the Arab League


def test_two_character_foreign_and_county_names_are_not_forced_on_the_segmenter():
    words = set(gazetteer.dictionary_words())
    assert {"中国", "我国", "哈萨克斯坦", "东南亚", "包头"} <= words
    assert not {"加纳", "中亚", "林西"} & words  # 增加纳税, 集中亚洲, 东林西铁


def test_known_organisations_are_short_and_full_names_of_curated_orgs():
    orgs = gazetteer.known_organisations()
    assert {"东盟", "东南亚国家联盟", "包钢", "包钢集团"} <= orgs
    assert "青城" not in orgs  # a place alias


def test_shipped_predicate_verbs_are_predicates_not_verbal_nouns():
    verbs = gazetteer.predicate_verbs()
    assert {"成立", "选派", "新增", "推动"} <= verbs
    assert not {"管理", "发展", "建设", "服务", "研究"} & verbs  # inside 市场监督管理局, 发展和改革委员会


def test_shipped_clause_words_hold_no_unit_words():
    words = gazetteer.clause_words()
    assert {"坚决", "支持", "成立"} <= words
    # the words of units an organisation names after itself (…局 + 经济技术开发区分局, …站)
    assert not {"管理", "监督", "服务", "开发", "研究", "发展", "教育", "保护"} & words


def test_clause_words_are_rebuilt_from_peoples_daily(tmp_path):
    from kg.training.tables import write_clause_words

    corpus = tmp_path / "corpora" / "peoples_daily_1998" / "199801.txt"
    corpus.parent.mkdir(parents=True)
    corpus.write_bytes("\r\n".join(f"19980101-01-001-{i:03d}/m  坚决/ad  支持/v  委员会/n" for i in range(5)).encode("gbk"))
    out = write_clause_words(tmp_path / "corpora", tmp_path / "clause.txt")
    assert gazetteer.clause_words.__wrapped__(out) == frozenset({"坚决", "支持"})


def test_predicate_verb_lexicon_is_rebuilt_from_peoples_daily(tmp_path):
    from kg.training.tables import write_predicate_verbs

    corpus = tmp_path / "corpora" / "peoples_daily_1998" / "199801.txt"
    corpus.parent.mkdir(parents=True)
    corpus.write_bytes("\r\n".join(f"19980101-01-001-{i:03d}/m  市里/s  成立/v  委员会/n" for i in range(5)).encode("gbk"))
    out = write_predicate_verbs(tmp_path / "corpora", tmp_path / "verbs.txt")
    assert gazetteer.predicate_verbs.__wrapped__(out) == frozenset({"成立"})


def test_shipped_non_person_endings_hold_facility_and_unit_characters_not_given_names():
    endings = gazetteer.non_person_endings()
    assert endings["矿"] == "ORG" and endings["县"] == "LOC" and endings["队"] == "ORG"
    assert not set("山江林海河峰") & set(endings)  # these end people's names too (孙中山, 李长江)


def test_non_person_endings_are_rebuilt_from_the_corpora_and_a_bad_row_is_refused(tmp_path):
    from kg.errors import ModelError
    from kg.training.tables import write_name_endings

    root = tmp_path / "corpora"
    (root / "msra_ner").mkdir(parents=True)
    mine = "福\tB-ORG\n元\tI-ORG\n矿\tI-ORG\n\n"
    person = "李\tB-PER\n山\tI-PER\n\n"
    (root / "msra_ner" / "msra_train_bio").write_text(mine + person * 40, encoding="utf-8")
    (root / "peoples_daily_1998").mkdir()
    (root / "peoples_daily_1998" / "199801.txt").write_bytes(
        "\r\n".join(f"19980101-01-001-{i:03d}/m  [福山/ns  铁矿/n]nt  在/p  泰山/ns" for i in range(40)).encode("gbk"))
    (root / "cluener2020").mkdir()
    (root / "cluener2020" / "train.json").write_text("", encoding="utf-8")
    out = write_name_endings(root, tmp_path / "endings.tsv")
    assert gazetteer.non_person_endings.__wrapped__(out) == {"矿": "ORG"}  # 山 ends 李山, a person
    out.write_text("矿山\tORG\n", encoding="utf-8")
    with pytest.raises(ModelError, match="endings.tsv"):
        gazetteer.non_person_endings.__wrapped__(out)


def test_national_divisions_have_codes_levels_parents_and_short_forms():
    divisions = gazetteer.divisions()
    counts = {level: sum(p.level == level for p in divisions.values()) for level in ("province", "county", "township")}
    assert counts["province"] == 31 and counts["county"] > 2800 and counts["township"] > 40000
    haidian = gazetteer.places()["海淀区"]
    assert (haidian.code, haidian.parent, haidian.parent_code, haidian.level) == ("110108", "北京市", "11", "county")
    aliases = gazetteer.place_aliases()
    assert aliases["辽宁"] == "辽宁省" and aliases["沈阳"] == "沈阳市" and aliases["浦东"] == "浦东新区"
    assert aliases["黔东南"] == "黔东南苗族侗族自治州" and aliases["广西"] == "广西壮族自治区"


def test_countries_regions_and_hand_short_forms_are_kept_with_the_data():
    places = gazetteer.places()
    assert places["中国"].level == "country" and "长三角" in gazetteer.place_names()
    assert gazetteer.place_aliases()["锡盟"] == "锡林郭勒盟" and places["河北省"].capital == "石家庄市"
    assert places["河北省"].code == "13"


def test_short_forms_are_never_one_character_common_words_or_generic():
    from kg.training.gazetteer import rule_short_form

    assert rule_short_form("大理白族自治州", "prefecture") == "大理"
    assert rule_short_form("鄂伦春自治旗", "county") is None  # the people, not the banner
    assert rule_short_form("忠县", "county") is None
    forms = {s for p in gazetteer.divisions().values() for s in p.short}
    assert not {"城关", "平安", "和平", "东区"} & forms
    assert not {"城区", "郊区", "和县"} & gazetteer.place_names()  # ordinary text


def test_an_ambiguous_name_is_resolved_by_the_documents_other_places_or_not_at_all():
    assert {p.parent for p in gazetteer.ambiguous("朝阳区")} == {"北京市", "长春市"}
    assert gazetteer.places()["朝阳区"].code is None
    assert gazetteer.resolve("朝阳区") is None
    assert gazetteer.resolve("朝阳区", ["北京"]).code == "110105"
    assert gazetteer.resolve("朝阳区", ["吉林省"]).parent == "长春市"
    assert gazetteer.resolve("朝阳区", ["北京", "长春"]) is None
    assert gazetteer.resolve("海淀区").code == "110108" and gazetteer.ambiguous("海淀区") == []


def test_divisions_load_fast():
    import time

    start = time.perf_counter()
    rows = gazetteer._division_rows.__wrapped__()
    assert len(rows) > 44000 and time.perf_counter() - start < 2.0  # 0.2 s on an idle core
