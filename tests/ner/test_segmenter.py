"""kg.ner.segmenter: spacy_pkuseg's own words from the shipped model, decoded with array operations."""
import logging
import shutil

import numpy
import pytest

from kg.errors import ModelError
import spacy_pkuseg

from kg.resources import MODELS
from kg.ner.segmenter import TABLES_FILE, FastPkuseg, HashTable, load_tables, write_tables
from kg.ner.tokenizer import DEFAULT_USER_DICT, read_user_words

SEGMENTER = MODELS / "segmenter"
SEEDS = MODELS.parent / "seeds"

#: the edges: digits and letters (pkuseg's **Num / **Letter), its renamed keyword characters,
#: whitespace, one- to three-character texts (windows at both ends), characters beyond the BMP
EDGE_CASES = ["", " ", "\u3000\n", "中", "中国", "包头市", "2024年3月15日，ＧＤＰ增长5.2%",
              "a-b.c_d,e|f/g*h:i", "内蒙古自治区人大常委会副主任段志强", "𠀀𠀁字", "ＡＢＣ公司和abc公司",
              "呼和浩特　市民 在　首府", "■上接第1版", "一二三四五六七八九十百千万亿",
              # letters pkuseg has no feature for: segmentations tie, and only sums equal to the
              # last bit break the tie as the package does (c|ci, not cc|i)
              "vaccino更是体现了透纳对于光与空气的微妙关系的敏感捕捉和高超表现技艺。"]


@pytest.fixture(scope="module")
def fast():
    return FastPkuseg(SEGMENTER, read_user_words(DEFAULT_USER_DICT))


@pytest.fixture(scope="module")
def reference():
    seg = spacy_pkuseg.pkuseg(str(SEGMENTER), user_dict=None)
    seg.preprocesser = spacy_pkuseg.Preprocesser(read_user_words(DEFAULT_USER_DICT))
    return seg


def seed_lines() -> list[str]:
    return [line for page in sorted(SEEDS.glob("*.txt"))
            for line in page.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_words_are_spacy_pkusegs_own(fast, reference):
    texts = seed_lines() + EDGE_CASES
    assert sum(map(len, texts)) > 20_000
    for text in texts:
        assert fast.cut(text) == reference.cut(text), text


def test_node_scores_are_the_packages_to_the_last_bit(fast, reference):
    from spacy_pkuseg import inference

    fe, model = reference.feature_extractor, reference.model
    texts = [line.replace(" ", "").replace("\u3000", "") for line in seed_lines()[:60]] + ["vaccino更是体现了"]
    for text in texts:
        if not text:
            continue
        nodes = list(fe.normalize_text(text))
        features = [fe.get_node_features_idx(i, nodes) for i in range(len(nodes))]
        expected, _ = inference.getLogYY(features, model.n_tag, model.n_feature * model.n_tag, model.w, 1.0)
        ids = numpy.array([fast._normalise[ord(ch)] if ord(ch) < 0x10000 else ord(ch) for ch in text])
        got = fast.node_scores(ids, numpy.zeros(len(ids), dtype=int), numpy.full(len(ids), len(ids)))
        assert (got == expected).all(), text


def test_decoding_together_gives_the_words_of_one_by_one(fast):
    texts = seed_lines()[:200] + EDGE_CASES
    assert fast.cut_many(texts) == [fast.cut(text) for text in texts]
    assert fast.cut_many([]) == []


def test_user_dictionary_words_stay_whole():
    seg = FastPkuseg(SEGMENTER, ["自治区人大常委会"])
    assert "自治区人大常委会" in seg.cut("内蒙古自治区人大常委会召开会议")
    assert "自治区人大常委会" not in FastPkuseg(SEGMENTER).cut("内蒙古自治区人大常委会召开会议")


def test_shipped_tables_were_compiled_from_the_shipped_features():
    saved = numpy.load(SEGMENTER / TABLES_FILE)
    compiled = load_tables(SEGMENTER)  # the saved tables when current, else compiled now
    import hashlib
    assert str(saved["source"]) == hashlib.sha256((SEGMENTER / "features.msgpack").read_bytes()).hexdigest(), \
        "models/segmenter/decoder.npz is stale: run kg.ner.segmenter.write_tables(models/segmenter)"
    assert set(compiled) == set(saved.files) - {"source"}


def test_missing_or_stale_tables_are_compiled(tmp_path, fast, caplog):
    model = tmp_path / "segmenter"
    model.mkdir()
    for name in ("features.msgpack", "weights.npz"):
        shutil.copy(SEGMENTER / name, model / name)
    text = "包钢集团在包头市召开2024年工作会议。"
    assert FastPkuseg(model, read_user_words(DEFAULT_USER_DICT)).cut(text) == fast.cut(text)
    write_tables(model)
    saved = load_tables(model)
    with numpy.load(model / TABLES_FILE) as npz:
        numpy.testing.assert_array_equal(saved["char_keys"], npz["char_keys"])
    # tables of another model: noticed by their digest and compiled afresh
    with numpy.load(model / TABLES_FILE) as npz:
        tables = {k: npz[k] for k in npz.files}
    tables["source"] = numpy.array("0" * 64)
    numpy.savez(model / TABLES_FILE, **tables)
    with caplog.at_level(logging.INFO, logger="kg.ner.segmenter"):
        assert FastPkuseg(model, read_user_words(DEFAULT_USER_DICT)).cut(text) == fast.cut(text)
    assert "out of date" in caplog.text


def test_a_missing_segmenter_names_the_command_that_builds_it(tmp_path):
    with pytest.raises(ModelError, match="kg train segmenter"):
        FastPkuseg(tmp_path / "nowhere")


def test_hash_table_finds_every_key_and_misses_the_rest():
    rng = numpy.random.default_rng(0)
    keys = numpy.unique(rng.integers(0, 1 << 47, size=5000))
    values = numpy.arange(len(keys)) * 3
    table = HashTable(keys, values, missing=-7)
    numpy.testing.assert_array_equal(table.get(keys), values)
    absent = numpy.setdiff1d(rng.integers(0, 1 << 47, size=5000), keys)
    assert (table.get(absent) == -7).all()
    assert (HashTable([], [], missing=-1).get(keys[:3]) == -1).all()
