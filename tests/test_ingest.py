"""Page repair, offsets, duplicates and encodings on the real seed pages; inputs that hang or lie."""
from __future__ import annotations

import codecs
import json
import logging
import os
import re
import socket
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.datelines import find_datelines
from kg.ingest import (
    MAX_PARAGRAPH_CHARS,
    DuplicateTracker,
    RawPage,
    check_size,
    decode_bytes,
    iter_inputs,
    read_pages,
    repair,
    split_paragraph,
    split_sentences,
)
from kg.pipeline import read_documents

BROKEN_COMPANY = "金名信息技术股份有限公司"  # 000: 金名信息技术股份有限公 / 司
BROKEN_CITY = "呼浩特市"  # 004: 呼 / 浩特市 (the page itself drops 和)
JUMP_MARKERS = ("上接第1版", "下转第3版")
BYLINE = "□本报记者 刘向平 通讯员 贾婷婷"
TRADITIONAL_NEWS = (
    "台北市政府今日宣布，將於明年啟動新的捷運路線建設計畫，預計投入經費新台幣三百億元。"
    "市長表示，這項計畫將大幅改善交通壅塞問題，並帶動沿線地區的經濟發展。\n交通部長也出席記者會，對此表示支持。"
)
JAPANESE_NEWS = (
    "東京都は本日、新たな地下鉄路線の建設計画を発表した。総事業費は約三千億円を見込んでいる。"
    "知事は記者会見で、交通渋滞の緩和と沿線地域の経済発展につながると述べた。\n国土交通大臣も会見に出席し、計画への支持を表明した。"
)


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
    for short in ("包头市", "台北市", "Baotou 包头 is a city in Inner Mongolia."):  # the detector guesses Big5 for these
        assert decode_bytes(short.encode("gb18030"), "x") == short


def test_binary_input_is_refused_by_name(tmp_path):
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="photo.txt"):
        list(read_pages(bad))


def test_empty_file_is_read_with_a_warning(tmp_path, caplog):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        doc = repair(next(read_pages(empty)))
    assert doc.text == "" and doc.sentences == []
    assert [r.getMessage() for r in caplog.records] == [f"{empty}: empty file, nothing in it to build from"]


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


def test_bad_archive_lines_are_named_with_their_reason_and_the_rest_read(tmp_path, caplog):
    archive = tmp_path / "a.jsonl"
    lines = ['{"id": "n1", "text": "包头市位于内蒙古。"}', '{"id": "n2", "text": "没有结尾', "",
             '{"id": "n3"}', '{"id": "n4", "text": 42}', '{"text": "无编号。"}', '{"id": true, "text": "好。"}',
             '["n5", "好。"]', '{"id": 6, "text": "第六篇。", "date": "2024年1月2日", "title": ["T"]}']
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list[InputError] = []
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        pages = list(read_pages(archive, on_bad_line=problems.append))
    assert [p.id for p in pages] == ["n1", "6"]
    assert (pages[1].date, pages[1].title) == (None, None)  # a bad date or title is dropped, the page kept
    assert [str(e) for e in problems] == [
        f"{archive}:2: invalid JSON at column 22 (Unterminated string starting at)",
        f"{archive}:4: no 'text' (each line needs an 'id' and a string 'text')",
        f"{archive}:5: 'text' is a JSON number, not a string (each line needs an 'id' and a string 'text')",
        f"{archive}:6: no 'id' (each line needs an 'id' and a string 'text')",
        f"{archive}:7: 'id' is a JSON boolean, not a string or a number",
        f"{archive}:8: a JSON array, not an object {{id, text, ...}}",
    ]
    assert [r.getMessage() for r in caplog.records] == [f"{archive}:9: 'title' is a JSON array, not a string; ignored",
                                                        f"{archive}:9: date '2024年1月2日' is not YYYY-MM-DD; ignored"]


def test_read_documents_builds_an_archive_around_its_bad_line_unless_strict(tmp_path):
    archive = tmp_path / "a.jsonl"
    archive.write_text('{"id": "n1", "text": "好。"}\n{oops}\n{"id": "n2", "text": "又好。"}\n', encoding="utf-8")
    documents, errors = read_documents([archive], show_progress=False)
    assert [d.id for d in documents] == ["n1", "n2"]
    assert errors == [f"{archive}:2: invalid JSON at column 2 (Expecting property name enclosed in double quotes)"]
    with pytest.raises(InputError, match=r"a\.jsonl:2: invalid JSON"):
        read_documents([archive], show_progress=False, strict=True)


def test_bad_file_is_reported_and_the_rest_still_read(tmp_path, seed_dir):
    (tmp_path / "good.txt").write_text((seed_dir / "004_058751ca2aa39382.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    documents, errors = read_documents([tmp_path], show_progress=False)
    assert len(documents) == 1 and len(errors) == 1 and "bad.txt" in errors[0]
    with pytest.raises(InputError):
        read_documents([tmp_path], strict=True, show_progress=False)


# --------------------------------------------------------------------------- inputs that hang or lie

_READ_IN_A_CHILD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # the old code read /dev/zero until MemoryError
from kg.errors import InputError
from kg.ingest import read_pages
try:
    list(read_pages(Path(sys.argv[1])))
except InputError as err:
    print(err)
"""


@pytest.mark.parametrize("kind", ["FIFO", "character device"])
def test_a_fifo_or_dev_zero_is_refused_before_it_is_read(tmp_path, kind):
    if kind == "FIFO":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    # a child process, so that the old code (which waited for a writer forever) fails instead of hanging
    try:
        done = subprocess.run([sys.executable, "-c", _READ_IN_A_CHILD, str(path)], capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path} hung")
    assert done.stdout.strip() == f"{path}: a {kind}{' (named pipe)' if kind == 'FIFO' else ''}, not a regular file; only regular files are read"


def test_sockets_and_devices_are_refused_by_kind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short relative name: AF_UNIX paths are limited to ~100 bytes
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("news.txt")
        with pytest.raises(InputError, match=r"^news\.txt: a socket, not a regular file"):
            list(read_pages(Path("news.txt")))
    with pytest.raises(InputError, match=r"^/dev/null: a character device, not a regular file"):
        list(read_pages(Path("/dev/null")))


def test_a_fifo_in_a_folder_is_reported_and_the_rest_read(tmp_path, seed_dir):
    (tmp_path / "good.txt").write_bytes((seed_dir / "004_058751ca2aa39382.txt").read_bytes())
    os.mkfifo(tmp_path / "pipe.txt")
    documents, errors = read_documents([tmp_path], show_progress=False)
    assert len(documents) == 1
    assert errors == [f"{tmp_path / 'pipe.txt'}: a FIFO (named pipe), not a regular file; only regular files are read"]


def test_symlink_loops_and_broken_symlinks_say_so(tmp_path, seed_dir):
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "c.md").symlink_to("gone.md")
    (tmp_path / "good.txt").write_bytes((seed_dir / "004_058751ca2aa39382.txt").read_bytes())
    with pytest.raises(InputError, match=r"a\.txt: symlink loop$"):
        list(iter_inputs([tmp_path / "a.txt"]))
    with pytest.raises(InputError, match=r"c\.md: broken symlink to gone\.md$"):
        list(iter_inputs([tmp_path / "c.md"]))
    documents, errors = read_documents([tmp_path], show_progress=False)  # found while walking a folder
    assert len(documents) == 1
    assert errors == [f"{tmp_path / 'a.txt'}: symlink loop", f"{tmp_path / 'b.txt'}: symlink loop",
                      f"{tmp_path / 'c.md'}: broken symlink to gone.md"]


@pytest.mark.parametrize("encoding", ["big5", "cp950"])
def test_big5_pages_are_read_as_traditional_chinese(tmp_path, encoding):
    page = tmp_path / "news.txt"
    page.write_bytes(TRADITIONAL_NEWS.encode(encoding))
    assert [p.text for p in read_pages(page)] == [TRADITIONAL_NEWS]
    assert decode_bytes("台北市".encode(encoding), "x") == "台北市"  # short: the detector guesses GB18030


@pytest.mark.parametrize(("encoding", "name"), [("shift_jis", "Shift-JIS"), ("euc_jp", "EUC-JP")])
def test_japanese_pages_are_refused_naming_the_encoding(tmp_path, encoding, name):
    page = tmp_path / "news.txt"
    page.write_bytes(JAPANESE_NEWS.encode(encoding))
    with pytest.raises(InputError, match=rf"news\.txt: not Chinese text in UTF-8, GB18030 or Big5 \(detected {name}\b.*Japanese"):
        list(read_pages(page))


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
])
def test_utf16_with_a_bom_is_text(seed_dir, bom, encoding):
    raw = (seed_dir / "000_40da871ae59ea618.txt").read_text(encoding="utf-8")
    assert decode_bytes(bom + raw.encode(encoding), "x") == raw
    assert decode_bytes(bom + TRADITIONAL_NEWS.encode(encoding), "x") == TRADITIONAL_NEWS


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected(seed_dir, encoding):
    for page in sorted(seed_dir.glob("*.txt")):
        raw = page.read_text(encoding="utf-8")
        assert decode_bytes(raw.encode(encoding), page.name) == raw


def test_invalid_utf8_names_the_first_bad_byte(seed_dir):
    data = (seed_dir / "000_40da871ae59ea618.txt").read_bytes()
    at = data.index("包头".encode())  # 8046, well past the first non-ASCII character
    truncated = "incomplete character at the end of the file: truncated?"
    with pytest.raises(InputError, match=rf"^x: invalid UTF-8 at byte {at} \({re.escape(truncated)}\)$"):
        decode_bytes(data[:at + 2], "x")  # cut inside 包
    with pytest.raises(InputError, match=rf"^x: invalid UTF-8 at byte {at + 3} \({re.escape(truncated)}\)$"):
        decode_bytes(codecs.BOM_UTF8 + data[:at + 1], "x")  # the BOM counts: offsets are in the file
    with pytest.raises(InputError, match=rf"^x: invalid UTF-8 at byte {at} \(invalid start byte\)$"):
        decode_bytes(data[:at] + b"\xff" + data[at:], "x")


def test_valid_utf8_never_reaches_the_detector(seed_dir, monkeypatch):
    def detector(data):
        raise AssertionError("the encoding detector ran on valid UTF-8")

    monkeypatch.setattr("kg.decode.from_bytes", detector)
    for page in sorted(seed_dir.glob("*.txt")):
        data = page.read_bytes()
        assert decode_bytes(data, page.name) == decode_bytes(codecs.BOM_UTF8 + data, page.name) == data.decode("utf-8")


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


def test_a_sentence_longer_than_the_bound_is_cut_at_a_clause_mark_else_at_the_bound():
    text = "甲" * 30 + "，" + "乙" * 15 + "。" + "丙" * 25 + "。"
    spans = split_sentences(text, 0, len(text), limit=40)
    assert [text[a:b] for a, b in spans] == ["甲" * 30 + "，", "乙" * 15 + "。", "丙" * 25 + "。"]
    bare = "丁" * 100  # no punctuation at all
    assert split_sentences(bare, 0, 100, limit=40) == [(0, 40), (40, 80), (80, 100)]


def test_a_long_paragraph_is_cut_at_sentence_ends_into_bounded_pieces():
    text = "".join(f"第{i}句话说的是内蒙古自治区的事。" for i in range(10))  # 10 sentences of 16 chars
    sentences = split_sentences(text, 0, len(text))
    pieces = split_paragraph(sentences, 0, len(text), limit=40)
    assert [len(group) for _, _, group in pieces] == [2, 2, 2, 2, 2]
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (_, end, group), (start, _, _) in pairwise(pieces):
        assert end == start == group[-1][1] and text[end - 1] == "。"
    assert split_paragraph(sentences, 0, len(text), limit=len(text)) == [(0, len(text), sentences)]


def test_a_page_without_line_breaks_becomes_bounded_paragraphs_with_raw_offsets(seed_dir):
    lines = [p.read_text(encoding="utf-8").replace("\n", "") for p in sorted(seed_dir.glob("*.txt"))]
    raw = "".join(lines)[:30_000] + "无标点" * 1000  # and a last sentence of 3,000 characters
    doc = repair(RawPage(id="long", path="long.txt", text=raw))
    assert "\n" not in doc.text
    assert len(doc.paragraphs) > 15
    assert all(p.end - p.start <= MAX_PARAGRAPH_CHARS for p in doc.paragraphs)
    assert doc.paragraphs[0].start == 0 and doc.paragraphs[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in pairwise(doc.paragraphs))
    assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
    for s in doc.sentences:
        para = doc.paragraphs[s.paragraph]
        assert para.start <= s.start < s.end <= para.end
    for i in range(0, len(doc.text), 997):
        assert doc.raw[doc.raw_index[i]] == doc.text[i]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    page = tmp_path / "big.txt"
    page.write_text("内蒙古" * 1000, encoding="utf-8")  # 9,000 bytes
    check_size(page, 9000)
    check_size(page, 0)  # 0: no limit
    monkeypatch.setattr(type(page), "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    with pytest.raises(InputError, match=r"big\.txt: 8\.8 kB \(9,000 bytes\), over the limit of 8 kB"):
        list(read_pages(page, 8192))


# --------------------------------------------------------------------------- document ids


def _ids(paths, **kwargs) -> list[str]:
    documents, errors = read_documents(paths, show_progress=False, **kwargs)
    assert errors == []
    return [d.id for d in documents]


def test_ids_do_not_depend_on_the_working_directory_or_how_the_folder_is_named(seed_dir, monkeypatch):
    expected = [f"seeds/{p.name}" for p in sorted(seed_dir.glob("*.txt"))]
    monkeypatch.chdir(seed_dir.parent)
    assert _ids(["seeds/"]) == _ids(["seeds"]) == expected
    monkeypatch.chdir("/")
    assert _ids([seed_dir]) == expected
    monkeypatch.chdir(seed_dir)
    assert _ids(["."]) == _ids([f"../{seed_dir.name}/."]) == expected
    assert _ids([expected[0].split("/")[1]]) == expected[:1]  # a file: its folder's name + its name


def test_a_given_file_and_a_nested_file_keep_their_folder_names(tmp_path, monkeypatch):
    (tmp_path / "archive" / "2024").mkdir(parents=True)
    (tmp_path / "archive" / "2024" / "a.txt").write_text("包头市位于内蒙古。", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _ids(["archive"]) == ["archive/2024/a.txt"]
    assert _ids(["archive/2024/a.txt"]) == _ids([tmp_path / "archive" / "2024"]) == ["2024/a.txt"]
    assert _ids(["archive/2024"], id_root="archive") == ["2024/a.txt"]
    assert _ids(["archive/2024"], id_root=tmp_path) == ["archive/2024/a.txt"]
    assert _ids(["archive/2024/a.txt"], id_root=".") == ["archive/2024/a.txt"]
    documents, _ = read_documents(["archive"], show_progress=False)
    assert documents[0].path == str(Path("archive/2024/a.txt"))  # the path as read


def test_an_input_outside_the_id_root_is_refused_before_any_reading(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text("包头市位于内蒙古。", encoding="utf-8")
    with pytest.raises(InputError, match=r"b/x\.txt: not under the id root .*a \(--id-root\)"):
        read_documents([tmp_path / "a", tmp_path / "b"], id_root=tmp_path / "a", show_progress=False)
    with pytest.raises(InputError, match=r"gone: not a directory \(--id-root"):
        read_documents([tmp_path / "a"], id_root=tmp_path / "gone", show_progress=False)


def test_two_folders_of_one_name_give_a_duplicate_id_naming_both_files(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name / "seeds").mkdir(parents=True)
        (tmp_path / name / "seeds" / "x.txt").write_text("包头市位于内蒙古。", encoding="utf-8")
    documents, errors = read_documents([tmp_path / "a" / "seeds", tmp_path / "b" / "seeds"], show_progress=False)
    assert [d.path for d in documents] == [str(tmp_path / "a" / "seeds" / "x.txt")]
    assert errors == [f"{tmp_path / 'b' / 'seeds' / 'x.txt'}: duplicate document id 'seeds/x.txt' "
                      f"(already read from {tmp_path / 'a' / 'seeds' / 'x.txt'}); skipped"]


# --------------------------------------------------------------------------- headlines


def _title(text: str, title: str | None = None) -> str | None:
    return repair(RawPage("p", "p.txt", text, title=title)).title


@pytest.mark.parametrize("text, title", [
    ("风电装备走向全国\n\n本报讯（记者 王磊）近日，包头市风电装备产业园投产。", "风电装备走向全国"),
    ("工人在包头市明阳新能源智能制造产业园总装车间作业 李志鹏 摄\n\n转换动能 兴业筑基\n\n推动高质量发展的内蒙古实践\n\n"
     "“十四五”，中华民族伟大复兴的壮阔征程再次镌刻下时代印记。", "转换动能 兴业筑基"),
    ("牧民在草原上转场（摄影：张三）\n\n草原上的春天\n\n春天来了。", "草原上的春天"),
    ("□本报记者 刘向平\n\n乌兰察布建成数据中心集群\n\n近日，乌兰察布数据中心集群建成。", "乌兰察布建成数据中心集群"),
    ("全国两会\n\n王彩云代表:\n\n## 以技术“突围”护国民“奶瓶”\n\n□本报记者 许敬\n\n她说，技术要自己握在手里。",
     "以技术“突围”护国民“奶瓶”"),
    ("王彩云代表:\n\n以技术突围\n\n她说，技术要自己握在手里。", "以技术突围"),
    ("包头市位于内蒙古。呼和浩特市是首府。", None),  # the page opens with its body
])
def test_the_title_is_the_headline_not_a_caption_byline_or_body(text, title):
    assert _title(text) == title


def test_the_archive_title_wins():
    assert _title("工人作业 李志鹏 摄\n\n转换动能", title="档案标题") == "档案标题"


def test_seed_002s_title_is_its_headline_not_the_photo_caption(docs):
    assert docs["002"].title == "转换动能 兴业筑基"
    assert docs["000"].title == "自治区领导深入各地区各部门宣讲党的二十大精神"


# --------------------------------------------------------------------------- datelines and dates


def test_datelines_of_every_form_with_place_month_and_day():
    text = ("头条\n\n本报包头12月24日电 （记者 蔡冬梅）包头市召开大会。\n\n本报12月27日讯（记者 王皓）近日，开会。\n\n"
            "本报讯(记者 祁晓燕)2月27日,开会。\n\n■新华社北京3月5日电 （记者 张三）开会。\n\n"
            "本报呼和浩特１２月２４日讯 （记者 郑学良）开会。\n\n他是本报通讯员。本报记者 王磊 摄")
    doc = repair(RawPage("p", "p.txt", text))
    got = [(d.agency, d.place, d.month, d.day, doc.text[d.start:d.end], doc.text[d.place_start:d.place_end])
           for d in doc.datelines]
    assert got == [
        ("本报", "包头", 12, 24, "本报包头12月24日电", "包头"),
        ("本报", "", 12, 27, "本报12月27日讯", ""),
        ("本报", "", 2, 27, "本报讯", ""),  # the date opening its lead
        ("新华社", "北京", 3, 5, "新华社北京3月5日电", "北京"),
        ("本报", "呼和浩特", 12, 24, "本报呼和浩特１２月２４日讯", "呼和浩特"),
    ]
    assert doc.date is None  # no year: never guessed
    assert repair(RawPage("p", "p.txt", text), year=2024).date == "2024-12-24"


def test_a_dateline_is_not_glued_to_the_headline_above_it():
    doc = repair(RawPage("p", "p.txt", "头条\n\n合生生物母乳低聚糖(HMOs)研发及生产基地项目开工\n\n本报讯(记者 武子暄)近日,项目开工。"))
    assert [doc.text[p.start:p.end] for p in doc.paragraphs][1] == "合生生物母乳低聚糖(HMOs)研发及生产基地项目开工"
    assert len(doc.datelines) == 1


@pytest.mark.parametrize("text, archive_date, year, date", [
    ("标题\n\n本报包头12月24日电 包头市召开大会。", None, None, None),
    ("标题\n\n本报包头12月24日电 包头市召开大会。", None, 2024, "2024-12-24"),
    ("2023年12月25日 星期一\n\n本报包头12月24日电 包头市召开大会。", None, 2024, "2023-12-25"),  # a full date on the page
    ("标题\n\n本报包头12月24日电 包头市召开大会。", "2020-01-02", 2024, "2020-01-02"),  # the archive's
    ("标题\n\n本报讯 包头市召开大会。\n\n本报2月30日讯 开会。\n\n本报3月1日讯 开会。", None, 2024, "2024-03-01"),
    ("标题\n\n包头市召开大会。", None, 2024, None),  # no dateline
])
def test_the_date_comes_from_the_archive_the_page_then_a_dateline_in_the_given_year(text, archive_date, year, date):
    assert repair(RawPage("p", "p.txt", text, date=archive_date), year=year).date == date


def test_every_dated_seed_page_gets_its_dateline_and_a_date_with_year(seed_dir):
    documents, _ = read_documents([seed_dir], show_progress=False, year=2024)
    by_page = {d.id[6:9]: d for d in documents}
    assert {k: (d.datelines[0].month, d.datelines[0].day) for k, d in by_page.items() if d.datelines} == {
        "000": (12, 27), "001": (2, 27), "003": (2, 27), "004": (12, 24)}  # 001: 本报讯（…）2月27日; 002: none
    assert by_page["000"].date == "2024-12-27" and by_page["004"].date == "2024-12-24"
    assert by_page["001"].date == "2024-02-27" and by_page["002"].date is None  # 002 states no date


@pytest.mark.parametrize("text, month_day", [
    ("本报讯（记者 王明）3月5日，全市召开大会。", (3, 5)),
    ("本报讯 12月1日,市政府发布通知。", (12, 1)),
    ("本报讯（记者 王明）近日，全市召开大会。3月5日，又开一次。", (None, None)),  # only the lead's opening date
    ("本报讯（记者 王明）全市在3月5日召开大会。", (None, None)),
])
def test_a_dateline_without_a_date_takes_the_one_opening_its_lead(text, month_day):
    dateline = find_datelines(text)[0]
    assert (dateline.month, dateline.day) == month_day


@pytest.mark.parametrize("text", ["本报通讯员 张三", "新华社电视台播出了节目。", "本报记者 王磊 摄", "他说本报讯息很多。"])
def test_lines_that_only_look_like_a_dateline_are_none(text):
    assert repair(RawPage("p", "p.txt", "标题\n\n" + text)).datelines == []


def test_a_dateline_followed_by_its_reporter_without_a_bracket():
    doc = repair(RawPage("p", "p.txt", "标题\n\n新华社北京3月5日电记者张三报道：开会。"))
    assert [(d.place, d.month, d.day) for d in doc.datelines] == [("北京", 3, 5)]


def test_a_dateline_never_spans_two_paragraphs():
    assert find_datelines("本报\n讯（记者 张三）") == find_datelines("本报包头12月24日\n电（记者 张三）") == []
    assert [d.start for d in find_datelines("■\n本报讯（记者 张三）开会。\n■ 本报讯 开会。")] == [2, 18]  # at the agency, after ■ and the space


def test_the_readme_archive_example_reads_as_documented(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### JSONL archives.*?```json\n(.*?)```", readme, re.DOTALL).group(1)
    archive = tmp_path / "example.jsonl"
    archive.write_text(example, encoding="utf-8")
    first, second = read_pages(archive)
    assert (first.id, first.date, second.id, second.path) == ("bt-2024-1224-01", "2024-12-24", "20241225", str(archive))
