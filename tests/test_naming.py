"""kg.naming: the short forms a page calls a company by."""
from __future__ import annotations

import pytest

from kg.naming import company_short_form, company_short_forms


@pytest.mark.parametrize(("name", "short"), [
    ("天津合生生物科技有限公司", "合生生物"),  # place, trade word, legal form
    ("才匠智能（内蒙古）科技有限公司", "才匠智能"),  # a bracketed place
    ("内蒙古鑫环硅能科技有限公司", "鑫环硅能"),
    ("金山热电公司", "金山热电"),
    ("包钢集团", None),  # no legal form: kg.link's suffix rule links 包钢 already
    ("内蒙古公司", None),  # nothing left but the place
    ("通辽一牧业公司", None),  # a count, not a name
    ("中国人民银行", None),
])
def test_a_companys_short_form_drops_its_place_trade_word_and_legal_form(name, short):
    assert company_short_form(name) == short


@pytest.mark.parametrize(("name", "forms"), [
    ("金宇保灵生物药品有限公司", ("金宇保灵生物药品", "金宇保灵")),  # the brand drops every trade word
    ("天津合生生物科技有限公司", ("合生生物",)),  # a two-character brand (合生) is too short to look for
    ("包头天和磁材科技股份有限公司", ("天和磁材",)),
    ("中国人民银行", ()),
])
def test_a_companys_short_forms_include_its_brand(name, forms):
    assert company_short_forms(name) == forms
