"""The pkuseg character tokenizer: words from the shipped segmenter, one token per character."""
from __future__ import annotations

import pytest

from kg.errors import ModelError
import spacy

from kg.ner.tokenizer import SEGMENTER_READING, reverse_doc, segmenter_words, word_class, word_position

SENTENCE = "本报12月27日讯（记者 王皓 薛来）近日，自治区人大常委会党组书记、副主任张韶春宣讲。"


def make():
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1"}}})


def test_one_token_per_character_and_text_preserved():
    doc = make()(SENTENCE)
    assert doc.text == SENTENCE
    assert all(len(t.text) == 1 for t in doc)


def test_word_features_come_from_the_segmenter():
    doc = make()(SENTENCE)
    by_char = {t.idx: t for t in doc}
    start = SENTENCE.index("张韶春")
    # the trained segmenter keeps a person's name together (People's Daily nr runs joined)
    assert by_char[start].norm_ == "张韶春"
    assert [by_char[start + i].tag_ for i in range(3)] == ["B3", "M3", "E3"]


def test_word_position():
    assert [word_position(i, 1) for i in range(1)] == ["S1"]
    assert [word_position(i, 5) for i in range(5)] == ["B4", "M4", "M4", "M4", "E4"]


def test_serialisation_keeps_settings_not_a_copy_of_the_segmenter(tmp_path):
    nlp = make()
    nlp.to_disk(tmp_path / "p")
    assert sum(f.stat().st_size for f in (tmp_path / "p").rglob("*") if f.is_file()) < 100_000
    again = spacy.load(tmp_path / "p")
    assert [t.norm_ for t in again("包头市")] == [t.norm_ for t in nlp("包头市")]


def test_user_dictionary_keeps_modern_agency_and_place_words_whole():
    words = make().tokenizer.words("国家发改委和自治区工业和信息化厅在鄂尔多斯市调研")
    assert "国家发改委" in words  # models/user_dict.txt
    assert "工业和信息化厅" in words
    assert "鄂尔多斯市" in words  # models/places.tsv is read as a dictionary


def test_user_dictionary_files_are_configurable(tmp_path):
    (tmp_path / "mine.txt").write_text("# my words\n稀土高新区\n", encoding="utf-8")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {
        "@tokenizers": "kg.pkuseg_chars.v1", "user_dict": str(tmp_path / "mine.txt")}}})
    assert "稀土高新区" in nlp.tokenizer.words("包头稀土高新区")
    none = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1", "user_dict": ""}}})
    assert "国家发改委" not in none.tokenizer.words("国家发改委")


def test_missing_user_dictionary_is_named(tmp_path):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {
        "@tokenizers": "kg.pkuseg_chars.v1", "user_dict": str(tmp_path / "nope.txt")}}})
    with pytest.raises(ModelError, match="nope.txt"):
        nlp("包头")


def test_features_are_folded_and_bigrams_ride_on_lemma():
    doc = make()("３月ABC")
    assert [t.text for t in doc] == ["３", "月", "A", "B", "C"]  # text is untouched
    assert doc[0].norm_ == "3月"  # NFKC + lower case
    assert [t.lemma_ for t in doc] == ["3月", "月a", "ab", "bc", "c</s>"]


def test_clause_punctuation_is_its_own_word_name_marks_stay():
    words = make().tokenizer.words("同时,克什克腾旗还在推进。约翰·史密斯说")
    assert "," in words and ",克什克" not in words
    assert "约翰·史密斯" in words


def test_ascii_punctuation_is_read_full_width_and_words_keep_the_text():
    tokenizer = make().tokenizer
    half = "本报讯(记者 武子暄)近日,合生远景; 12.5%"
    full = half.translate(SEGMENTER_READING)
    assert full == "本报讯（记者 武子暄）近日，合生远景； 12．5％"
    # the same word boundaries as the page printed full-width, in the page's own characters
    assert [len(w) for w in tokenizer.words(half)] == [len(w) for w in tokenizer.words(full)]
    assert "".join(tokenizer.words(half)) == half.replace(" ", "")
    assert "武子暄" in tokenizer.words(half)  # read as printed, the segmenter cut 武子|暄)
    unspaced = "本报讯(记者武子暄)近日,合生远景"
    assert segmenter_words(tokenizer.seg, [unspaced]) == [
        [w.translate({v: k for k, v in SEGMENTER_READING.items()})
         for w in tokenizer.seg.cut(unspaced.translate(SEGMENTER_READING))]]
    # whitespace is dropped, as the segmenter drops it, and every word is the text's own
    assert segmenter_words(tokenizer.seg, ["A股 (上涨)", ""]) == [["A股", "(", "上涨", ")"], []]
    assert not any(chr(code).isalnum() for code in SEGMENTER_READING)  # letters and digits as printed


def test_word_classes_from_the_reference_data_ride_on_tag_when_asked(tmp_path):
    assert [word_class(w) for w in ("达茂旗", "公安局", "局", "局长", "团队")] == ["P", "O", "O", "T", ""]
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1", "word_classes": True}}})
    doc = nlp("包头市公安局局长说。")
    assert [t.tag_ for t in doc][:3] == ["B3P", "M3P", "E3P"]
    assert all(not t.tag_[2:] for t in make()("包头市公安局局长说。"))  # off by default: older models
    nlp.to_disk(tmp_path / "p")
    assert spacy.load(tmp_path / "p")("包头市")[0].tag_ == "B3P"  # the setting is saved with the pipeline


def test_the_training_data_tokenizer_follows_the_config(tmp_path):
    from kg.training.train import featured_tokenizer

    config = tmp_path / "c.cfg"
    config.write_text('[nlp]\nlang = "zh"\n\n[nlp.tokenizer]\n@tokenizers = "kg.pkuseg_chars.v1"\nword_classes = true\n',
                      encoding="utf-8")
    assert featured_tokenizer(config=config)("包头市")[0].tag_ == "B3P"
    assert featured_tokenizer()("包头市")[0].tag_ == "B3"


@pytest.mark.parametrize("text", [SENTENCE, "  包头市 ", "记者 冯雪玉 孙柳\n", ""])
def test_reversed_document_round_trips_exactly(text):
    doc = make()(text)
    doc.ents = [doc.char_span(*span, label="PER") for span in [(text.find("冯雪玉"), text.find("冯雪玉") + 3)]
                if span[0] >= 0]
    rev = reverse_doc(doc)
    assert [t.text for t in rev] == [t.text for t in reversed(doc)]
    assert [(t.norm_, t.tag_, t.lemma_) for t in rev] == [(t.norm_, t.tag_, t.lemma_) for t in reversed(doc)]
    back = reverse_doc(rev)
    assert back.text == text
    assert [(e.start_char, e.end_char, e.label_) for e in back.ents] == [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert [t.ent_iob_ for t in back] == [t.ent_iob_ for t in doc]


def test_right_to_left_pipeline_hands_back_left_to_right_entities():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1", "reverse": True}}})
    ruler = nlp.add_pipe("entity_ruler")  # stands in for a right-to-left NER: it sees reversed text
    ruler.add_patterns([{"label": "ORG", "pattern": [{"TEXT": c} for c in "院医一第市特浩和呼"]}])
    nlp.add_pipe("kg_unreverse")
    text = "呼和浩特市第一医院的医生来到清水河县。"
    assert nlp.tokenizer(text).text == text[::-1]
    doc = nlp(text)
    assert doc.text == text and "kg_trailing_space" not in doc.user_data
    assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [("呼和浩特市第一医院", "ORG", 0)]
    (again,) = nlp.pipe([text], n_process=2)  # documents cross process boundaries as bytes
    assert [(e.text, e.label_) for e in again.ents] == [("呼和浩特市第一医院", "ORG")]
    for processes in (1, 2):
        assert [(d.text, context) for d, context in nlp.pipe([(text, 7)], as_tuples=True, n_process=processes)] \
            == [(text, 7)]


def test_an_annotation_convention_marks_every_tag_and_is_saved(tmp_path):
    from kg.ner.tokenizer import convention_tag

    assert convention_tag("B2", "msra") == "B2|msra"
    assert convention_tag("B2", "") == "B2"
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.pkuseg_chars.v1",
                                                          "conventions": ["msra"]}}})
    assert [t.tag_ for t in nlp("包头市")] == ["B3", "M3", "E3"]  # kg's own by default
    nlp.tokenizer.convention = "msra"
    assert [t.tag_ for t in nlp("包头市")] == ["B3|msra", "M3|msra", "E3|msra"]
    with pytest.raises(ValueError, match="no annotation convention 'cluener'.*knows: msra"):
        nlp.tokenizer.convention = "cluener"
    nlp.tokenizer.convention = ""
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    assert again.tokenizer.conventions == ("msra",) and again.tokenizer.convention == ""
    with pytest.raises(ValueError, match="knows: none"):
        make().tokenizer.convention = "msra"


@pytest.mark.parametrize("text", [SENTENCE, "", " ", "包头市 ", "  中文\n包钢 集团 ", "a b"])
def test_a_right_to_left_tokenizer_gives_the_reversal_of_the_left_to_right_one(text):
    """The right-to-left tokenizer builds its document directly; it must be exactly what
    reverse_doc makes of the left-to-right one (words, spaces, features, trailing space)."""
    from spacy.attrs import LEMMA, NORM, ORTH, SPACY, TAG

    from kg.ner.tokenizer import TRAILING_SPACE, PkusegCharTokenizer

    vocab = make().vocab
    direct = PkusegCharTokenizer(vocab, reverse=True, conventions=("msra",)).tokenize(text, "msra")
    via = reverse_doc(PkusegCharTokenizer(vocab, conventions=("msra",)).tokenize(text, "msra"))
    attrs = [ORTH, NORM, TAG, LEMMA, SPACY]
    assert direct.to_array(attrs).tolist() == via.to_array(attrs).tolist()
    assert direct.user_data.get(TRAILING_SPACE) == via.user_data.get(TRAILING_SPACE)
    assert reverse_doc(direct).text == text


#: a text with every kind of whitespace the aligner meets: single and double spaces, a
#: full-width space, a tab, spaces at both ends, half-width punctuation
SPACED = (" 本报记者 王皓  薛来\u3000报道：自治区 人大常委会,党组书记\t张韶春 (副主任) 宣讲。"
          "Inner Mongolia 2022 年 GDP 增长 4.2% 。 ")


@pytest.mark.parametrize("text", [SPACED, SPACED.strip(), "张韶春", "", "   ", "a b  c\u3000d", "你好 "])
def test_words_and_spaces_is_spacys_alignment_in_one_pass(text):
    from spacy.util import get_words_and_spaces

    from kg.ner.tokenizer import words_and_spaces

    tokenizer = make().tokenizer
    words = tokenizer.words(text)
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_words_and_spaces_refuses_words_not_in_the_text():
    from kg.ner.tokenizer import words_and_spaces

    with pytest.raises(ValueError):
        words_and_spaces(["你", "们"], "你 好")
    with pytest.raises(ValueError):
        words_and_spaces(["你"], "你 好")


def test_a_long_spaced_text_gives_the_same_document_as_spacys_alignment(seed_dir, monkeypatch):
    """The tokens and every feature of a text of several hundred characters with spaces, one
    paragraph after another on one line, are what spaCy's get_words_and_spaces made of them."""
    from spacy.util import get_words_and_spaces

    import kg.ner.tokenizer as tokenizer_module

    pages = sorted(seed_dir.glob("*.txt"))
    text = "".join(pages[0].read_text(encoding="utf-8").split("\n"))[:800]
    assert text.count(" ") >= 3
    nlp = make()
    new = nlp(text)
    monkeypatch.setattr(tokenizer_module, "words_and_spaces", get_words_and_spaces)
    old = nlp(text)
    assert new.text == old.text == text
    assert [(t.text, t.whitespace_) for t in new] == [(t.text, t.whitespace_) for t in old]
    attrs = ["ORTH", "SPACY", "NORM", "TAG", "LEMMA", "MORPH"]
    assert (new.to_array(attrs) == old.to_array(attrs)).all()


def test_a_page_long_line_keeps_its_text_and_offsets(seed_dir):
    pages = sorted(seed_dir.glob("*.txt"))
    text = "".join(p.read_text(encoding="utf-8").replace("\n", "") for p in pages)[:30_000]
    doc = make()(text)
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
