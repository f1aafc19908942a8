"""Training ideas that were measured and not shipped (docs/ner-experiments.md has the record):
masked-character pretraining of the tok2vec and parts of speech as an auxiliary task."""
