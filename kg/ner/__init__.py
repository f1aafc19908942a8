"""The ner stage: the spaCy ``zh`` pipeline (kg's pkuseg segmenter, character tokenizer, word
lexicon, CNN encoder and CRF-trained entity tagger) and kg's entity rules, over documents.

=================== ==========================================================================
module              owns
=================== ==========================================================================
``segmenter``       decoding the pkuseg model (kg's own fast decoder)
``tokenizer``       the spaCy tokenizer ``kg.pkuseg_chars.v1``: characters with word features
``lexicon``         the word lexicon the tokenizer matches
``embedding``       the embedding layer ``kg.MultiHashEmbed.v1`` (folded when it predicts)
``encoders``        spaCy's CNN encoder fused for prediction
``tagger``          the entity tagger component ``kg_entity_tagger`` (CRF loss, Viterbi)
``load``            finding and loading the shipped model
``rules``           kg's entity rules: functions that return spans, one ordered ``RULES`` list
``recognizer``      :class:`Recognizer`: documents in, :class:`kg.schema.Mention` s out
``store``           the per-document store of what the NER found (``store.sqlite`` in a build's folder)
``distributed``     the NER on a Dask cluster (``kg build --engine dask``)
``engine``          a build's NER stage: the store first, then the local or Dask engine
=================== ==========================================================================
"""
from kg.ner.load import DEFAULT_MODEL, load_pipeline, resolve_model_path
from kg.ner.recognizer import Recognizer, tokenized

__all__ = ["DEFAULT_MODEL", "Recognizer", "load_pipeline", "resolve_model_path", "tokenized"]
