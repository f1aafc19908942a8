"""Shipping a trained NER pipeline: compacting its weights to float16 and splitting large
files into parts that git hosts accept; :func:`kg.ner.load.load_pipeline` reads them back."""
from __future__ import annotations

import io
import json
from pathlib import Path

from kg.files import write_file, write_text
from kg.ner.load import HALF, PART_SIZE, PART_SUFFIX, _cast_weights, load_pipeline



def split_large_files(model_dir: Path, *, part_size: int = PART_SIZE) -> list[Path]:
    """Split every component weight file over ``part_size`` into ``NAME.part-000``, ``-001`` ...

    Keeps each tracked file small (git hosts and our pre-stop check flag files over 20 MB);
    :func:`load_pipeline` joins the parts in memory.  Returns the files that were split.
    """
    split = []
    for path in sorted(Path(model_dir).glob("*/model")):
        data = path.read_bytes()
        if len(data) <= part_size:
            continue
        _write_parts(path.parent, "model", data, part_size, replacing=[path])
        split.append(path)
    return split


def _write_parts(folder: Path, stem: str, data: bytes, part_size: int, *, replacing: list[Path]) -> None:
    """Write ``data`` as ``folder/STEM.part-000`` … of at most ``part_size`` bytes, replacing the
    files in ``replacing``: the new parts are complete (as ``.tmp``) before anything old goes."""
    parts = [folder / f"{stem}{PART_SUFFIX}{i // part_size:03d}.tmp" for i in range(0, len(data), part_size)]
    for i, part in enumerate(parts):
        part.write_bytes(data[i * part_size:(i + 1) * part_size])
    for path in replacing:
        path.unlink()
    for part in parts:
        part.rename(part.with_suffix(""))


def compact_model(model_dir: Path, *, part_size: int = PART_SIZE) -> list[str]:
    """Shrink a trained pipeline in place, without changing what it predicts:

    - every component's weights become float16 parts (``NAME/model.f16.part-000`` …), which
      :func:`load_pipeline` turns back into float32;
    - the vocab's string table keeps only the entity labels: the model reads hashed features,
      and the tokenizer adds the strings of each text it reads;
    - a static vectors table (kg/ner/embedding.py) is stored in float16 too (``vocab/vectors``); it
      stays float16 in memory, and the rows a batch needs are read as float32.

    Halves the shipped size and what each retrained model adds to git history (57 MB -> 24 MB
    for the model of models/README.md, whose scores are measured on the compacted model and are
    identical to the full one's).  Returns the components rewritten."""
    import numpy

    model_dir = Path(model_dir)
    nlp = load_pipeline(model_dir)
    done = []
    for name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        folder = model_dir / name
        if model is None or not any(folder.glob("model*")):
            continue
        _cast_weights(model, numpy.float32, numpy.float16)
        _write_parts(folder, f"model{HALF}", model.to_bytes(), part_size, replacing=list(folder.glob("model*")))
        done.append(name)
    vectors = model_dir / "vocab" / "vectors"
    if vectors.exists() and nlp.vocab.vectors.shape[0]:
        half = io.BytesIO()
        numpy.save(half, numpy.asarray(nlp.vocab.vectors.data, dtype=numpy.float16), allow_pickle=False)
        write_file(vectors, half.getvalue())
    labels = sorted({label for _, c in nlp.pipeline for label in getattr(c, "labels", ())})
    strings = model_dir / "vocab" / "strings.json"
    if strings.exists():
        write_text(strings, json.dumps(labels, ensure_ascii=False))
    return done

