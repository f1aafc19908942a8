"""The whole job: ingest -> ner -> link -> relate -> graph -> write.

:func:`build` is what ``kg build`` runs; notebooks can call it too.  Bad input files are
reported (by name, with the reason) and skipped unless ``strict``; the rest is still built.
"""
from __future__ import annotations

import logging
import shutil
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from kg.errors import InputError, NothingToBuild
from kg.graph import build_graph
from kg.ingest import (INPUT_SUFFIXES, MAX_FILE_SIZE, DuplicateTracker, document_id, iter_input_files, iter_inputs,
                       read_pages, repair)
from kg.link import Linker
from kg.ner.engine import NERStage
from kg.progress import Stage, progress
from kg.credits import provenance_mentions
from kg.roles import find_roles, name_index
from kg.names import UserNames, user_name_mentions
from kg.relate import (
    MAX_WINDOW_ENTITIES, content_mentions, find_cooccurrences, find_dateline_places, find_locations, find_place_hierarchy, find_reported,
    merge_relations,
)
from kg.schema import BuildResult, Document, LinkedMention, Relation
from kg.write.jsonl import STORE_FILE, check_output, write_outputs

log = logging.getLogger(__name__)

def read_documents(paths: Sequence[str | Path], *, strict: bool = False, show_progress: bool = True,
                   max_file_size: int | None = MAX_FILE_SIZE, id_root: str | Path | None = None,
                   year: int | None = None) -> tuple[list[Document], list[str]]:
    """Read and repair every page under ``paths``; returns documents and the input problems (a bad
    file, a bad archive line, a duplicate id), each named once; the caller reports them.
    A file larger than ``max_file_size`` bytes (``None`` or 0: no limit) is an input problem, not read.
    Text pages get ids relative to ``id_root``, by default to the parent of the path given
    (:func:`kg.ingest.document_id`); ``year`` completes the month and day of a dateline
    (:func:`kg.ingest.repair`).

    Raises:
        InputError: for the first bad file when ``strict``, when a given path does not exist, or
            when an input is not under ``id_root``.
    """
    documents: list[Document] = []
    errors: list[str] = []
    tracker = DuplicateTracker()
    if id_root is not None and not Path(id_root).is_dir():
        raise InputError(f"{id_root}: not a directory (--id-root must name the folder the ids are relative to)")
    files = list(iter_input_files(paths))
    ids = [document_id(f, id_root) for f in files]  # before any reading: a bad --id-root stops at once
    first_read: dict[str, Path] = {}
    skip_bad_line = None if strict else (lambda err: errors.append(str(err)))
    for file, page_id in progress(list(zip(files, ids)), desc="reading", unit="file", disable=not show_progress):
        try:
            pages = list(read_pages(file.path, max_file_size, page_id, on_bad_line=skip_bad_line))
        except InputError as err:
            if strict:
                raise
            errors.append(str(err))
            continue
        for page in pages:
            if page.id in first_read:
                message = (f"{file.path}: duplicate document id {page.id!r} "
                           f"(already read from {first_read[page.id]}); skipped")
                if strict:
                    raise InputError(message)
                errors.append(message)
                continue
            first_read[page.id] = file.path
            documents.append(tracker.mark(repair(page, year=year)))
    return documents, errors


def build(
    paths: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    model: str | Path | None = None,
    home_region: str | None = None,
    alias_files: Sequence[Path] = (),
    name_files: Sequence[Path] = (),
    cooccur: str = "sentence",
    max_evidence: int = 5,
    max_window_entities: int | None = MAX_WINDOW_ENTITIES,
    strict: bool = False,
    show_progress: bool = True,
    rules: bool = True,
    jobs: int | None = None,
    max_file_size: int | None = MAX_FILE_SIZE,
    id_root: str | Path | None = None,
    year: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    rebuild: bool = False,
) -> BuildResult:
    """Build the knowledge graph of the pages under ``paths``; write it to ``out_dir`` if given.

    ``rules=False`` keeps the NER model's own spans (no :data:`kg.ner.rules.RULES`);
    ``jobs`` processes run the NER (the same output whatever the number; ``None``: as many as the
    text is worth, :func:`kg.ner.recognizer.processes_for`); ``show_progress``: a line or bar per
    stage on stderr (:mod:`kg.progress`); a file larger than
    ``max_file_size`` bytes (``None`` or 0: no limit) is an input problem, not read; ``id_root`` and
    ``year``: :func:`read_documents`.  ``max_window_entities``: a co-occurrence window naming more
    entities is a list and gives no CO_OCCURS (:data:`kg.relate.MAX_WINDOW_ENTITIES`; 0: no limit).  ``name_files``: names to tag wherever they occur
    (:mod:`kg.names`), read before anything else.  ``engine``: where the NER runs, ``local``
    (``jobs`` processes) or ``dask`` (a ``LocalCluster`` of ``jobs`` workers, or the cluster of
    ``scheduler``; :mod:`kg.ner.distributed`); the outputs are the same.  With ``out_dir``, the
    NER's findings are kept in ``out_dir/store.sqlite`` (:mod:`kg.ner.store`) and the next build
    parses only the documents it has not seen; ``rebuild`` parses every document again.  ``out_dir`` is checked
    before anything is read and its staging folder made before the NER runs, so a bad folder is
    named at once; it is replaced whole at the end (:func:`kg.write.jsonl.write_outputs`).

    Raises:
        InputError: ``out_dir`` cannot take the build, or no given file holds a readable page with
            text (``out_dir`` is then left as it was), or a bad file when ``strict``.
    """
    names = UserNames(name_files)
    output = check_output(out_dir) if out_dir is not None else None
    documents, errors = read_documents(paths, strict=strict, show_progress=show_progress,
                                       max_file_size=max_file_size, id_root=id_root, year=year)
    if not any(d.text.strip() for d in documents):
        raise NothingToBuild(_nothing_to_build(paths, documents, errors, out_dir), errors)
    try:
        store = None
        if output is not None:
            store = output.open() / STORE_FILE
            kept = output.dest / STORE_FILE
            if not rebuild and kept.is_file():
                shutil.copyfile(kept, store)  # the old folder keeps its copy until the new one is whole
        ner = NERStage(model, rules=rules, jobs=jobs, engine=engine, scheduler=scheduler, store=store)
        try:
            result = _build(documents, errors, ner=ner, home_region=home_region, alias_files=alias_files,
                            names=names, cooccur=cooccur, max_evidence=max_evidence, show_progress=show_progress,
                            max_window_entities=max_window_entities)
        finally:
            ner.close()
        if output is not None:
            with Stage("writing", total=len(documents), show=show_progress) as stage:
                result.files = write_outputs(result, output)
                stage.update(len(documents))
    except BaseException:
        if output is not None:
            output.abort()
        raise
    return result


def _nothing_to_build(paths: Sequence[str | Path], documents: list[Document], errors: list[str],
                      out_dir: str | Path | None) -> str:
    given = ", ".join(str(p) for p in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    files = len(list(iter_inputs(paths)))
    if not files:
        why = f"no {'/'.join(INPUT_SUFFIXES)} file there"
    else:
        found = f"{len(documents)} page(s) found, none with text" if documents else "no page found"
        why = f"{files} file(s) read, {len(errors)} input problem(s), {found}"
    kept = f"; {out_dir} left as it was" if out_dir is not None else ""
    return f"nothing to build from {given}: {why}{kept}"


def _build(documents: list[Document], errors: list[str], *, ner: NERStage, home_region, alias_files, names, cooccur,
           max_evidence, show_progress, max_window_entities) -> BuildResult:
    mentions = []
    with Stage("entities", total=len(documents), show=show_progress) as stage:
        for doc, found in stage.wrap(zip(documents, ner.pipe(documents), strict=True)):
            found = provenance_mentions(doc, found)
            mentions.extend(user_name_mentions(doc, found, names, ner.words) if names else found)

    with Stage("linking", total=len(documents), show=show_progress) as stage:
        linker = Linker(home_region=home_region, alias_files=alias_files, aliases=names.aliases())
        linked, entities = linker.link(mentions, {d.id: d.text for d in documents})
        stage.update(len(documents))

    by_doc: dict[str, list[LinkedMention]] = defaultdict(list)
    for lm in linked:
        by_doc[lm.mention.doc].append(lm)
    relations: list[Relation] = []
    content: dict[str, list[LinkedMention]] = {}
    entity_names = name_index(entities)  # once a build: per document it made role finding quadratic
    with Stage("relations", total=len(documents), show=show_progress) as stage:
        for doc in stage.wrap(documents):
            relations += find_roles(doc, by_doc[doc.id], entities, entity_names)
            relations += find_place_hierarchy(doc, by_doc[doc.id], entities)
            relations += find_reported(doc, by_doc[doc.id])
            relations += find_dateline_places(doc, by_doc[doc.id])
            content[doc.id] = content_mentions(doc, by_doc[doc.id])
        relations += find_locations(entities, linked)
        relations += find_cooccurrences(documents, content, window=cooccur, max_evidence=max_evidence,
                                        max_entities=max_window_entities)
        relations = merge_relations(relations, max_evidence=max_evidence, dates={d.id: d.date for d in documents})

    return BuildResult(documents, linked, entities, relations, errors, linker.home_region, linker.home_region_inferred,
                       reused=ner.reused, make_graph=lambda: build_graph(entities.values(), relations, documents))


def summary(result: BuildResult, *, top: int = 5, list_errors: bool = True) -> str:
    """A short human summary: counts, the most-mentioned entities per type and the input problems
    (only their number with ``list_errors=False``: ``kg build`` names each on stderr)."""
    rel_counts = Counter(r.type for r in result.relations)
    lines = [
        f"documents: {len(result.documents)}   mentions: {len(result.linked)}   entities: {len(result.entities)}",
        "relations: " + ", ".join(f"{k} {v}" for k, v in sorted(rel_counts.items())) if rel_counts else "relations: 0",
    ]
    if result.reused:
        lines.append(f"NER: {result.reused} of {len(result.documents)} documents unchanged since the last build, "
                     "taken from its store")
    if result.home_region:
        how = "the commonest of the pages' own, each from its places" if result.home_region_inferred else "given"
        lines.append(f"home region: {result.home_region} ({how})")
    for label, title in (("PER", "people"), ("ORG", "organisations"), ("LOC", "places")):
        ranked = sorted((e for e in result.entities.values() if e.label == label), key=lambda e: (-e.mention_count, e.id))
        shown = ", ".join(f"{e.name} ({e.mention_count})" for e in ranked[:top])
        lines.append(f"top {title}: {shown or '-'}")
    if result.errors:
        lines.append(f"skipped {len(result.errors)} input problem(s)" + (":" if list_errors else " (named on stderr)"))
        lines += [f"  {e}" for e in result.errors] if list_errors else []
    if result.files:
        lines.append("wrote: " + ", ".join(str(p) for p in result.files))
    return "\n".join(lines)
