"""kg.titles: the learned title recogniser and the grouping key, on sentences written here."""
import pytest

from kg.titles import (find_titles, is_former, is_generic, is_honour, is_title, normalise_title, title_at_end,
                       title_at_start)


def spans(text, **kw):
    return [text[s:e] for s, e in find_titles(text, **kw)]


@pytest.mark.parametrize("text, expected", [
    ("国家发展改革委二级巡视员陈刚表示", ["二级巡视员"]),
    ("中国建设银行首席经济学家黄志凌认为", ["首席经济学家"]),
    ("他任该委党组书记、副主任。", ["党组书记", "副主任"]),
    ("北京安贞医院心血管内科主任张三说", ["心血管内科主任"]),
    ("某中学数学教师李四", ["数学教师"]),
    ("腾讯首席技术官张志东", ["首席技术官"]),
    ("李明是正高级工程师", ["正高级工程师"]),
    ("他是正处级调研员", ["正处级调研员"]),
    ("市财政局人事科科长王五", ["人事科科长"]),
    ("常务副总经理周十出席", ["常务副总经理"]),
    ("某公司董事长兼总经理郑二说", ["董事长", "总经理"]),
    ("新华社记者张三报道", ["记者"]),
    # the sector an analyst covers; a rank word of business titles (资深)
    ("东方证券研究所汽车行业分析师王芳认为", ["汽车行业分析师"]),
    ("某银行信用卡处资深副总经理刘强表示", ["信用卡处资深副总经理"]),
])
def test_whole_titles(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "（记者 王五）本报讯",              # byline
    "（本报记者 李四 通讯员 王五）",
    "老师们和同学们都来了",              # plural, generic
    "全国劳动模范王六",                  # honour
    "特级教师赵七上课",
    "国家一级演员冯三",
    "今天天气很好，我们去公园散步。",
    "全国人大常委会通过了决定",          # 常委 inside 常委会
])
def test_no_post(text):
    assert spans(text) == []


def test_honours_and_generic_kept_on_request():
    assert spans("特级教师赵七上课", honours=True) == ["特级教师"]
    assert spans("中国科学院院士钱八", honours=True) == ["院士"]
    assert is_honour("全国劳动模范") and is_honour("国家一级演员") and is_honour("院士")
    assert not is_honour("二级巡视员") and not is_honour("副主任")
    assert is_generic("学生") and not is_generic("董事长")


def test_window_offsets():
    text = "中国银行董事长张三和副行长李四"
    assert [text[s:e] for s, e in find_titles(text, 4, 7)] == ["董事长"]
    assert [text[s:e] for s, e in find_titles(text, 9)] == ["副行长"]


def test_title_at_end_and_start():
    assert title_at_end("党组书记") == "党组书记"
    assert title_at_end("心血管内科主任") == "心血管内科主任"
    assert title_at_end("的二级巡视员") == "二级巡视员"
    assert title_at_end("举行会议") is None
    assert title_at_start("副总经理表示") == "副总经理"
    assert title_at_start("表示同意") is None


def test_is_title():
    for title in ("党组书记", "二级巡视员", "正高级工程师", "首席经济学家", "副总经理", "数学教师", "首席技术官"):
        assert is_title(title), title
    for word in ("张三", "学生", "同学", "全国劳动模范", ""):
        assert not is_title(word), word


@pytest.mark.parametrize("written, key", [
    ("副局长", "副局长"), ("党组书记", "党组书记"), ("常务副总经理", "常务副总经理"),
    ("原副市长", "副市长"), ("前总经理", "总经理"), ("时任市委书记", "市委书记"), ("兼总经理", "总经理"),
    ("ＣＥＯ", "CEO"), ("ceo", "CEO"), ("（文物鉴藏家）", "文物鉴藏家"), (" 董事长 ", "董事长"),
    ("正局长", "局长"), ("正处级调研员", "正处级调研员"), ("正高级工程师", "正高级工程师"), ("代市长", "代市长"),
])
def test_normalise_title(written, key):
    assert normalise_title(written) == key


def test_is_former():
    assert is_former("原副市长") and is_former("前总经理") and not is_former("副市长") and not is_former("前锋")


def test_a_title_is_read_whole_up_to_a_joiner():
    assert title_at_start("副主任委员兼秘书长") == "副主任委员"
    assert title_at_start("董事长兼总经理") == "董事长"


def test_a_senior_generic_word_is_still_generic():
    assert is_generic("资深专家")
