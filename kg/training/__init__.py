"""Everything that needs the corpora: ``kg train`` and ``kg evaluate``, corpus readers, vectors
and lexicon building, distillation, checkpoints and shipping a model.  It may import any part of
kg; nothing outside it imports it (``lint-imports`` checks, see pyproject.toml)."""
