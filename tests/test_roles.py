"""kg.roles: every common way Chinese news writes a role, on sentences written for these tests.

Mentions are placed by hand (as a perfect NER would find them), so these pin the role shapes."""
from __future__ import annotations

import pytest

from kg.credits import provenance_mentions
from kg.ingest import RawPage, repair
from kg.link import Linker
from kg.roles import find_roles
from kg.schema import Mention


def roles(text: str, spans: list[tuple[str, str]]) -> set[tuple[str, str, str]]:
    """(person, title, organisation name) of each role; spans are (surface, label), left to right."""
    doc = repair(RawPage("d", "d", text))
    found, pos = [], 0
    for surface, label in spans:
        start = doc.text.index(surface, pos)
        found.append(Mention("d", start, start + len(surface), surface, label, doc.sentence_at(start).index))
        pos = start + 1
    found = provenance_mentions(doc, found)
    linked, entities = Linker().link(found, {doc.id: doc.text})
    return {(r.source.split(":", 1)[1], r.properties["title"], entities[r.target].name)
            for r in find_roles(doc, linked, entities)}


@pytest.mark.parametrize("text, spans, expected", [
    # ORG TITLE PERSON, ORG的TITLE PERSON
    ("华泰证券董事长王明出席会议。", [("华泰证券", "ORG"), ("王明", "PER")], {("王明", "董事长", "华泰证券")}),
    ("北京大学的校长林建华致辞。", [("北京大学", "ORG"), ("林建华", "PER")], {("林建华", "校长", "北京大学")}),
    # several titles before one name, joined by 、 and 兼
    ("光明集团副董事长兼总经理赵强表示。", [("光明集团", "ORG"), ("赵强", "PER")],
     {("赵强", "副董事长", "光明集团"), ("赵强", "总经理", "光明集团")}),
    # a chain: each title its own organisation
    ("省委副书记、省政府党组书记刘军主持会议。", [("省委", "ORG"), ("省政府", "ORG"), ("刘军", "PER")],
     {("刘军", "副书记", "省委"), ("刘军", "党组书记", "省政府")}),
    # the person before the title
    ("南京大学王芳教授介绍。", [("南京大学", "ORG"), ("王芳", "PER")], {("王芳", "教授", "南京大学")}),
    # appositions after the name
    ("王磊（华夏银行副行长）认为。", [("王磊", "PER"), ("华夏银行", "ORG")], {("王磊", "副行长", "华夏银行")}),
    ("李娜，东方医院院长，昨天表示。", [("李娜", "PER"), ("东方医院", "ORG")], {("李娜", "院长", "东方医院")}),
    # verbs
    ("陈刚，男，1965年生，现任长江集团总经理。", [("陈刚", "PER"), ("长江集团", "ORG")], {("陈刚", "总经理", "长江集团")}),
    ("去年，孙涛担任了市公安局局长。", [("孙涛", "PER"), ("市公安局", "ORG")], {("孙涛", "局长", "市公安局")}),
    ("华光公司董事长由周红担任。", [("华光公司", "ORG"), ("周红", "PER")], {("周红", "董事长", "华光公司")}),
    # a title fused with its organisation
    ("外交部长王毅会见了来宾。", [("外交部", "ORG"), ("王毅", "PER")], {("王毅", "部长", "中华人民共和国外交部")}),
    # the organisation given earlier
    ("在清华大学，校长邱勇说。", [("清华大学", "ORG"), ("邱勇", "PER")], {("邱勇", "校长", "清华大学")}),
    # an honour passes in a chain and gives no role
    ("北京四中特级教师、数学教研组组长李明说。", [("北京四中", "ORG"), ("李明", "PER")],
     {("李明", "数学教研组组长", "北京四中")}),
    ("包钢集团全国劳动模范张强发言。", [("包钢集团", "ORG"), ("张强", "PER")], set()),
    # the second person of a list keeps the organisation
    ("全国总工会主席张华、副主席兼秘书长刘洋出席。", [("全国总工会", "ORG"), ("张华", "PER"), ("刘洋", "PER")],
     {("张华", "主席", "全国总工会"), ("刘洋", "副主席", "全国总工会"), ("刘洋", "秘书长", "全国总工会")}),
    # a bracketed alias between the organisation and the title, tagged or not
    ("世界卫生组织（WHO）总干事谭德塞表示。", [("世界卫生组织", "ORG"), ("谭德塞", "PER")],
     {("谭德塞", "总干事", "世界卫生组织")}),
    ("石油输出国组织（欧佩克）秘书长巴尔金多说。", [("石油输出国组织", "ORG"), ("欧佩克", "ORG"), ("巴尔金多", "PER")],
     {("巴尔金多", "秘书长", "石油输出国组织")}),
    ("“绿野”总经理周平说。", [("绿野", "ORG"), ("周平", "PER")], {("周平", "总经理", "绿野")}),
    # a title that names its own body is no post of the organisation before it in a chain
    ("越共中央总书记、国家主席阮富仲会见代表团。", [("越共中央", "ORG"), ("阮富仲", "PER")],
     {("阮富仲", "总书记", "越共中央")}),
    ("泰国政府副总理兼外长帕拉出席。", [("泰国政府", "ORG"), ("帕拉", "PER")], {("帕拉", "副总理", "泰国政府")}),
    # a verb of appointment before a post named by its place
    ("王强当选江苏省省长。", [("王强", "PER"), ("江苏省", "LOC")], {("王强", "省长", "江苏省")}),
    # a caption: the person, then the organisation and the titles to the clause's end
    ("图为刘建国华夏证券董事长兼总裁", [("刘建国", "PER"), ("华夏证券", "ORG")],
     {("刘建国", "董事长", "华夏证券"), ("刘建国", "总裁", "华夏证券")}),
    # a title the tagger stops short of in a chain, read whole up to the joiner
    ("全国律师协会副主任委员兼秘书长陈红出席。", [("全国律师协会", "ORG"), ("陈红", "PER")],
     {("陈红", "副主任委员", "全国律师协会"), ("陈红", "秘书长", "全国律师协会")}),
])
def test_the_ways_news_writes_a_role(text, spans, expected):
    assert roles(text, spans) == expected


@pytest.mark.parametrize("text, spans", [
    ("本报讯（记者 王皓 薛来）近日，包头市召开会议。", [("王皓", "PER"), ("薛来", "PER"), ("包头市", "LOC")]),  # a byline
    ("出席会议的有王明、李强、赵刚。", [("王明", "PER"), ("李强", "PER"), ("赵刚", "PER")]),  # attendees, no titles
    ("华泰证券发布公告。董事长王明说。", [("华泰证券", "ORG"), ("王明", "PER")]),  # no role across a sentence end
    ("副主任段志强表示。", [("段志强", "PER")]),  # no organisation
    ("光大银行潘主任表示。", [("光大银行", "ORG"), ("潘", "PER")]),  # a surname names no one
    ("袁伟当选省人大常委会主任。", [("袁伟", "PER"), ("省人大常委会", "ORG")]),  # only the earlier person's
    # a caption's titles run into another name, or into words that are no pause: not the first person's
    ("刘建国华夏证券董事长张三出席。", [("刘建国", "PER"), ("华夏证券", "ORG"), ("张三", "PER")]),
    ("刘建国华夏证券董事长说。", [("刘建国", "PER"), ("华夏证券", "ORG")]),
])
def test_no_role_where_the_text_gives_none(text, spans):
    got = roles(text, spans)
    # the one true role of 袁伟's and 张三's sentences, nothing else
    assert got <= {("袁伟", "主任", "省人大常委会"), ("张三", "董事长", "华夏证券")}


def test_a_role_after_当选_belongs_to_the_person_before_it():
    assert roles("袁伟当选省人大常委会主任贺强当选省长", [("袁伟", "PER"), ("省人大常委会", "ORG"), ("贺强", "PER")]) == {
        ("袁伟", "主任", "省人大常委会")}


def test_a_post_named_by_its_place_is_held_in_its_government_or_the_place():
    assert roles("天津市委书记、市长张立昌讲话。", [("天津市委", "ORG"), ("张立昌", "PER")]) >= {
        ("张立昌", "书记", "天津市委")}
    got = roles("广东省省长王伟视察。", [("广东省", "LOC"), ("王伟", "PER")])
    assert got == {("王伟", "省长", "广东省")}
    with_government = roles("广东省人民政府召开会议。广东省省长王伟讲话。",
                            [("广东省人民政府", "ORG"), ("广东省", "LOC"), ("王伟", "PER")])
    assert with_government == {("王伟", "省长", "广东省人民政府")}


def test_the_title_as_written_and_its_grouping_key():
    doc = repair(RawPage("d", "d", "华泰证券副董事长王明出席。"))
    found = [Mention("d", 0, 4, "华泰证券", "ORG", 0), Mention("d", 8, 10, "王明", "PER", 0)]
    linked, entities = Linker().link(found, {doc.id: doc.text})
    (role,) = find_roles(doc, linked, entities)
    assert role.properties["title"] == "副董事长" and role.properties["title_normalised"]


def test_a_body_named_after_a_sibling_belongs_to_their_parent_when_the_build_names_it():
    # 书记处 is no body of 政治局: its 书记 is the party centre's, where the build names the centre
    with_parent = roles("中共中央召开会议。中共中央政治局委员、书记处书记王强出席。",
                        [("中共中央", "ORG"), ("中共中央政治局", "ORG"), ("王强", "PER")])
    assert with_parent == {("王强", "委员", "中共中央政治局"), ("王强", "书记处书记", "中国共产党中央委员会")}
    alone = roles("中共中央政治局委员、书记处书记王强出席。", [("中共中央政治局", "ORG"), ("王强", "PER")])
    assert alone == {("王强", "委员", "中共中央政治局")}
    # the unit itself, where the build names it
    named = roles("中共中央书记处召开会议。中共中央政治局委员、书记处书记王强出席。",
                  [("中共中央书记处", "ORG"), ("中共中央政治局", "ORG"), ("王强", "PER")])
    assert named == {("王强", "委员", "中共中央政治局"), ("王强", "书记", "中共中央书记处")}


def test_a_chief_executive_is_a_post_named_by_its_place():
    assert roles("香港特别行政区行政长官李明说。", [("香港特别行政区", "LOC"), ("李明", "PER")]) == {
        ("李明", "行政长官", "香港特别行政区")}
    assert roles("香港特别行政区政府发布公告。香港特别行政区行政长官李明说。",
                 [("香港特别行政区政府", "ORG"), ("香港特别行政区", "LOC"), ("李明", "PER")]) == {
        ("李明", "行政长官", "香港特别行政区政府")}


def test_a_chain_cut_by_the_length_limit_keeps_the_titles_that_end_at_a_joiner():
    got = roles("周强曾任安徽省人大常委会委员、省人大常委会民族宗教侨务外事工委主任、省委副秘书长。",
                [("周强", "PER"), ("安徽省人大常委会", "ORG")])
    assert ("周强", "委员", "安徽省人大常委会") in got
    assert not any(title.endswith("副") for _, title, _ in got)


def test_a_title_read_out_of_context_is_no_title():
    # 声明 reads as a title alone, not after 欧盟的: no chain from 欧盟 to the person
    got = roles("对欧盟的声明，维萨欧洲分部负责人彼得表示。", [("欧盟", "ORG"), ("维萨欧洲分部", "ORG"), ("彼得", "PER")])
    assert got == {("彼得", "负责人", "维萨欧洲分部")}
