"""Page repair, offsets, duplicates and encodings on the real seed pages."""
from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.ingest import DuplicateTracker, RawPage, decode_bytes, read_pages, repair, split_sentences
from kg.pipeline import read_documents

BROKEN_COMPANY = "金名信息技术股份有限公司"  # 000: 金名信息技术股份有限公 / 司
BROKEN_CITY = "呼浩特市"  # 004: 呼 / 浩特市 (the page itself drops 和)
JUMP_MARKERS = ("上接第1版", "下转第3版")
BYLINE = "□本报记者 刘向平 通讯员 贾婷婷"


@pytest.fixture(scope="module")
def docs(seed_dir):
    documents, errors = read_documents([seed_dir], show_progress=False)
    assert errors == []
    return {d.path.rsplit("/", 1)[-1][:3]: d for d in documents}


def test_offsets_map_every_cleaned_char_to_the_same_raw_char(docs):
    for doc in docs.values():
        for i, ch in enumerate(doc.text):
            if ch != "\n":
                assert doc.raw[doc.raw_index[i]] == ch


def test_to_raw_spans_a_layout_break(docs):
    doc = docs["000"]
    start = doc.text.index(BROKEN_COMPANY)
    raw_start, raw_end = doc.to_raw(start, start + len(BROKEN_COMPANY))
    raw = doc.raw[raw_start:raw_end]
    assert "\n" in raw
    assert "".join(raw.split()) == BROKEN_COMPANY


def test_words_broken_across_paragraphs_are_rejoined(docs):
    assert BROKEN_COMPANY in docs["000"].text
    assert BROKEN_CITY in docs["004"].text
    # 001: 打造中 / 国北方 is one sentence again
    assert "打造中国北方" in docs["001"].text


def test_titles_are_not_glued_to_the_next_paragraph(docs):
    doc = docs["000"]
    paragraphs = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert "自治区领导深入各地区各部门宣讲党的二十大精神" in paragraphs
    assert "确保道路交通安全" in paragraphs


def test_page_jump_markers_vanish_from_the_nlp_text(docs):
    for doc in docs.values():
        for marker in JUMP_MARKERS:
            assert marker not in doc.text
    assert "有了新作为。" in docs["001"].text  # （下转第3版） removed, the sentence kept


def test_bylines_stay_their_own_paragraph(docs):
    doc = docs["000"]
    bylines = [doc.text[p.start:p.end] for p in doc.paragraphs if p.byline]
    assert BYLINE in bylines


def test_sentences_do_not_cross_paragraphs(docs):
    for doc in docs.values():
        for s in doc.sentences:
            p = doc.paragraphs[s.paragraph]
            assert p.start <= s.start < s.end <= p.end
            assert "\n" not in doc.text[s.start:s.end]


def test_passages_printed_twice_are_flagged(docs):
    # 002 repeats a seven-paragraph block; 003 reprints 001's press release
    assert sum(1 for s in docs["002"].sentences if s.duplicate_of) >= 7
    dup_003 = [s for s in docs["003"].sentences if s.duplicate_of]
    assert any(s.duplicate_of[0].endswith("001_e86e4ea87c2784a2.txt") for s in dup_003)
    assert not any(s.duplicate_of for s in docs["000"].sentences)


def test_short_formulaic_sentences_are_not_folded():
    tracker = DuplicateTracker()
    a = tracker.mark(repair(RawPage("a", "a", "会议还研究了其他事项。")))
    b = tracker.mark(repair(RawPage("b", "b", "会议还研究了其他事项。")))
    assert a.sentences[0].duplicate_of is None and b.sentences[0].duplicate_of is None


def test_split_sentences_keeps_closing_quotes():
    text = "他说：“很好。”调度员说。"
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == ["他说：“很好。”", "调度员说。"]


def test_gb18030_and_bom_decode_like_utf8(seed_dir):
    raw = (seed_dir / "000_40da871ae59ea618.txt").read_text(encoding="utf-8")
    assert decode_bytes(raw.encode("gb18030"), "x") == raw
    assert decode_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"), "x") == raw


def test_binary_input_is_refused_by_name(tmp_path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="photo.txt"):
        list(read_pages(bad))


def test_empty_file_is_fine(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    doc = repair(next(read_pages(empty)))
    assert doc.text == "" and doc.sentences == []


def test_jsonl_archive_lines_become_documents(tmp_path):
    archive = tmp_path / "a.jsonl"
    archive.write_text(
        json.dumps({"id": "n1", "text": "包头市位于内蒙古。", "title": "T", "date": "2025-01-02"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "n2", "text": "第二篇。"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    pages = list(read_pages(archive))
    assert [p.id for p in pages] == ["n1", "n2"]
    assert pages[0].title == "T" and pages[0].date == "2025-01-02"


def test_jsonl_line_without_text_names_file_and_line(tmp_path):
    archive = tmp_path / "bad.jsonl"
    archive.write_text('{"id": "n1", "text": "好"}\n{"id": "n2"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        list(read_pages(archive))


def test_bad_file_is_reported_and_the_rest_still_read(tmp_path, seed_dir):
    (tmp_path / "good.txt").write_text((seed_dir / "004_058751ca2aa39382.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    documents, errors = read_documents([tmp_path], show_progress=False)
    assert len(documents) == 1 and len(errors) == 1 and "bad.txt" in errors[0]
    with pytest.raises(InputError):
        read_documents([tmp_path], strict=True, show_progress=False)


def test_overlong_document_ids_are_bounded_and_stable(tmp_path):
    from kg.schema import MAX_ID_BYTES, bounded_id

    long_id = "新闻" * 1400  # 8,400 UTF-8 bytes: more than Neo4j can index
    archive = tmp_path / "long.jsonl"
    archive.write_text(json.dumps({"id": long_id, "text": "好。"}, ensure_ascii=False) + "\n"
                       + json.dumps({"id": "n2", "text": "好。"}) + "\n", encoding="utf-8")
    first, second = read_pages(archive)
    assert second.id == "n2"  # normal ids are untouched
    assert len(first.id.encode()) <= MAX_ID_BYTES and first.id.startswith("新闻新闻")
    assert first.id == bounded_id(long_id) == list(read_pages(archive))[0].id  # deterministic
    assert bounded_id(long_id + "x") != first.id  # the hash tells long ids apart
    assert bounded_id("a" * MAX_ID_BYTES) == "a" * MAX_ID_BYTES
    assert len(bounded_id("a" * (MAX_ID_BYTES + 1)).encode()) == MAX_ID_BYTES
