"""The article of a saved web page: its text without menus and footers, its title and date."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.article import extract_article
from kg.errors import InputError
from kg.ingest import iter_inputs, read_pages, repair

ARTICLE = Path(__file__).parent / "data" / "web" / "article.html"
PARAGRAPHS = ("本报包头12月24日电 （记者 王磊）12月23日，包头市人民政府召开稀土产业发展推进会，市长张三出席会议并讲话。",
              "内蒙古自治区工业和信息化厅副厅长李四介绍了全区稀土产业的发展情况。")
#: what the page holds outside its article: menu, login bar, sidebar, footer, script
AROUND = ("首页", "登录", "呼伦贝尔新闻", "热点排行", "乌兰察布", "版权所有", "赵六", "ICP", "dataLayer")


def test_the_article_is_read_without_menu_sidebar_or_footer():
    article = extract_article(ARTICLE.read_text(encoding="utf-8"), "article.html")
    assert article.title == "包头市召开稀土产业发展推进会"  # the headline, not the <title> with the site's name
    assert article.date == "2024-12-24"
    assert all(p in article.text.split("\n\n") for p in PARAGRAPHS)  # a paragraph per <p>, blank lines between
    assert not [word for word in AROUND if word in article.text]
    assert "<" not in article.text and "head" not in article.text


def test_a_web_page_builds_a_document_from_its_article(tmp_path):
    page = tmp_path / "news" / "article.HTM"
    page.parent.mkdir()
    page.write_bytes(ARTICLE.read_text(encoding="utf-8").encode("gb18030"))  # decoded like a text page
    assert list(iter_inputs([tmp_path])) == [page]
    (raw,) = read_pages(page, page_id="news/article.HTM")
    doc = repair(raw)
    assert raw.extracted and doc.extracted and doc.raw == raw.text
    assert (doc.id, doc.title, doc.date) == ("news/article.HTM", "包头市召开稀土产业发展推进会", "2024-12-24")
    assert doc.text.startswith("包头市召开稀土产业发展推进会\n") and PARAGRAPHS[1] in doc.text.split("\n")
    assert [d.place for d in doc.datelines] == ["包头"]


@pytest.mark.parametrize("html, reason", [
    ("", "empty HTML page"),
    ("  \n", "empty HTML page"),
    ("<html><head><title>首页</title></head><body><nav><a href='/'>首页</a> <a href='/n'>新闻</a></nav>"
     "<footer>版权</footer></body></html>", "no article text found in the HTML page: only '首页 新闻'"),
    ("<html><head><script>var a = 1;</script></head><body></body></html>", "no article text found in the HTML page "),
])
def test_a_web_page_without_article_text_is_a_bad_input_with_the_reason(tmp_path, html, reason):
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_pages(page))
    assert str(err.value).startswith(f"{page}: {reason}")


def test_a_binary_file_named_html_is_refused_before_extraction(tmp_path):
    page = tmp_path / "photo.html"
    page.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match=r"photo\.html: binary file"):
        list(read_pages(page))
