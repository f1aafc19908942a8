"""CSVs for ``neo4j-admin database import full``: the same graph :mod:`kg.write.neo4j` loads over
Bolt, for archives too large for transactional loading (``kg export DIR --format neo4j-admin``)."""
from __future__ import annotations

import csv
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from kg.errors import InputError
from kg.files import StagedDirectory
from kg.schema import RELATION_TYPES, RELATIONS
from kg.write.jsonl import OutputRows, read_output
from kg.write.neo4j import check_key_sizes, entity_rows_for_neo4j

log = logging.getLogger(__name__)

#: Separator of array values in the neo4j-admin CSVs (``--array-delimiter``).
ARRAY_DELIMITER = ";"


def _array(values: list, where: str) -> str:
    for v in values:
        if isinstance(v, str) and ARRAY_DELIMITER in v:
            raise InputError(f"{where}: value {v!r} contains the array delimiter {ARRAY_DELIMITER!r}")
    return ARRAY_DELIMITER.join(str(v) for v in values)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _admin_entry(name: str) -> bool:
    """Whether ``name`` in a neo4j-admin export folder is one of kg's CSVs (or their temporary names)."""
    return re.fullmatch(r"\.?(nodes|rels)_[a-z_]+\.csv(\..+\.tmp)?", name) is not None


_EVIDENCE_HEADER = ["evidence_docs:string[]", "evidence_starts:int[]", "evidence_ends:int[]"]


def _evidence_cells(row: dict, where: str) -> list[str]:
    return [_array(row["evidence_docs"], where), _array(row["evidence_starts"], where),
            _array(row["evidence_ends"], where)]


def export_admin_csv(out_dir: Path, dest: Path) -> list[Path]:
    """Write ``neo4j-admin database import full`` CSVs for ``out_dir`` into ``dest``; returns the files.

    ``nodes_*.csv`` go to ``--nodes``, ``rels_*.csv`` to ``--relationships``; arrays use
    ``--array-delimiter=';'`` (the default).  The CSVs are written as a set: into a staging
    folder beside ``dest``, which then takes ``dest``'s place whole (an existing ``dest`` may hold
    only kg's CSVs).  The import creates no schema: run cypher/schema.cypher afterwards.  See
    docs/neo4j.md.

    Raises:
        InputError: naming a missing or malformed output file, or a ``dest`` that cannot be replaced.
    """
    out_dir = Path(out_dir)
    for name in ("mentions.jsonl", "relations.jsonl"):  # read_output lets kg load go on without them
        if out_dir.is_dir() and not (out_dir / name).is_file():
            raise InputError(f"{out_dir / name}: missing (is {out_dir} a `kg build` output directory?)")
    data = read_output(out_dir)
    check_key_sizes(data)
    output = StagedDirectory(dest, owned=_admin_entry)
    output.check()
    try:
        written = _write_admin_csv(data, output.open())
    except OSError as err:  # a full disk, a quota: dest is untouched
        output.abort()
        raise output.failed(err) from err
    except BaseException:
        output.abort()
        raise
    try:
        output.commit()
    except BaseException:
        output.abort()
        raise
    log.info("wrote %d neo4j-admin CSV files to %s", len(written), output.given)
    return [output.given / path.name for path in written]


_SEEN_HEADER = ["first_seen:date", "last_seen:date", "years:int[]", "year_weights:int[]"]


def _seen_cells(row: dict, days: dict[str, date | None]) -> list[str]:
    """first_seen, last_seen, years, year_weights of a row, as the loader computes them."""
    dates = [days.get(d) for d in row["docs"]]
    dated = sorted(d for d in dates if d is not None)
    if not dated:
        return ["", "", "", ""]
    years: dict[int, int] = defaultdict(int)
    for day, weight in zip(dates, row.get("doc_weights") or [0] * len(dates), strict=True):
        if day is not None:
            years[day.year] += weight
    return [dated[0].isoformat(), dated[-1].isoformat(), _array(sorted(years), "years"),
            _array([years[y] for y in sorted(years)], "year_weights")]


def _write_admin_csv(data: OutputRows, dest: Path) -> list[Path]:
    written: list[Path] = []
    days = {d["id"]: d["date"] for d in data.documents}
    written.append(_write_csv(
        dest / "nodes_documents.csv",
        ["id:ID(Document)", "path", "title", "date:date", "chars:int", "sha256", ":LABEL"],
        [[d["id"], _cell(d["path"]), _cell(d["title"]), _cell(d["date"]), _cell(d["chars"]), _cell(d["sha256"]),
          "Document"] for d in data.documents],
    ))
    entity_rows = []
    for label, rows in data.entities.items():
        labels = "Entity" + (ARRAY_DELIMITER + label if label else "")
        for e in entity_rows_for_neo4j(rows):
            entity_rows.append([e["id"], e["name"], e["label"], _array(e["aliases"], f"entity {e['id']}"),
                                _array(e["merged_by"], f"entity {e['id']}"),
                                str(e["mention_count"]), str(e["doc_count"]), labels, _cell(e["full_name"])])
    entity_rows.sort(key=lambda r: r[0])
    written.append(_write_csv(
        dest / "nodes_entities.csv",
        ["id:ID(Entity)", "name", "label", "aliases:string[]", "merged_by:string[]", "mention_count:int", "doc_count:int",
         ":LABEL", "full_name"],
        entity_rows,
    ))
    written.append(_write_csv(
        dest / "rels_mentioned_in.csv",
        [":START_ID(Entity)", ":END_ID(Document)", ":TYPE", "count:int", "offsets:int[]"],
        [[m["entity"], m["doc"], "MENTIONED_IN", str(m["count"]), _array(m["offsets"], "offsets")]
         for m in data.mentions],
    ))
    for rel_type in RELATION_TYPES:
        spec = RELATIONS[rel_type]
        header = [f":START_ID({spec.source})", f":END_ID({spec.target})", ":TYPE"]
        extra: Callable[[dict], list[str]]
        if rel_type == "HOLDS_ROLE":
            header += ["title", "title_normalised", "docs:string[]", *_SEEN_HEADER[:2]]
            extra = lambda r: [r["title"], r["title_normalised"], _array(r["docs"], "docs"),  # noqa: E731
                               *_seen_cells(r, days)[:2]]
        elif spec.key:
            header.append(spec.key)
            extra = lambda r, key=spec.key: [r[key]]  # noqa: E731
        elif rel_type == "CO_OCCURS":
            header += ["weight:int", "docs:string[]", "doc_weights:int[]", "npmi:double", *_SEEN_HEADER]
            extra = lambda r: [str(r["weight"]), _array(r["docs"], "docs"), _array(r["doc_weights"], "doc_weights"),  # noqa: E731
                               _cell(r["npmi"]), *_seen_cells(r, days)]
        else:
            extra = lambda r: []  # noqa: E731
        rows = [[r["source"], r["target"], rel_type, *extra(r), *_evidence_cells(r, f"{rel_type} {r['source']}")]
                for r in data.relations.get(rel_type, [])]
        written.append(_write_csv(dest / f"rels_{rel_type.lower()}.csv", header + _EVIDENCE_HEADER, rows))
    return written
    log.info("wrote %d neo4j-admin CSV files to %s", len(written), dest)
    return written
