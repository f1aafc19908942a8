"""``kg load`` never leaves Neo4j with less than before: an incomplete or inconsistent build folder
is refused before anything is written (exit 2), a load that fails part-way is rolled back whole,
and ids or names too long for Neo4j's indexes still load.  Real Neo4j (tests/neo4j_server.py).

Also here, without a server: the warning for plaintext Bolt to another host, ``kg build --neo4j``
with the server down, and scripts/neo4j-dev keeping the password off the command line.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import kg.write.neo4j as neo4j_write
from kg.cli import main
from kg.errors import InputError, Neo4jError
from kg.schema import MAX_ID_BYTES, bounded_id
from kg.write.neo4j import load_output, warn_if_plaintext
from tests.neo4j_server import free_port, wipe
from tests.write.test_neo4j import TINY, _co, _doc, _ent, _m, _rel, snapshot, write_output

REPO = Path(__file__).resolve().parents[2]


def state(driver) -> dict:
    """Counts and the properties a half-done load used to lose, besides the full snapshot."""
    one = lambda q: driver.execute_query(q).records[0][0]  # noqa: E731
    return {
        "nodes": one("MATCH (n) RETURN count(n)"),
        "rels": one("MATCH ()-[r]->() RETURN count(r)"),
        "co_weight": one("MATCH ()-[r:CO_OCCURS]->() RETURN sum(r.weight)"),
        "with_evidence": one("MATCH ()-[r]->() WHERE r.evidence_docs IS NOT NULL RETURN count(r)"),
        "pending": one("MATCH ()-[r]->() WHERE r.kg_pending IS NOT NULL RETURN count(r)"),
        "snapshot": snapshot(driver),
    }


@pytest.fixture(scope="module")
def seed_state(seed_build, neo4j_driver, neo4j_uri, neo4j_auth):
    """The seed build loaded once into a wiped database; returns its state."""
    wipe(neo4j_driver)
    assert main(["load", str(seed_build), "--neo4j", neo4j_uri, "--neo4j-user", neo4j_auth["user"],
                 "--neo4j-password", neo4j_auth["password"]]) == 0
    got = state(neo4j_driver)
    assert got["rels"] > 900 and got["co_weight"] > 0 and got["with_evidence"] > 0
    return got


def kg_load(folder: Path, uri: str, auth: dict) -> int:
    return main(["load", str(folder), "--neo4j", uri, "--neo4j-user", auth["user"],
                 "--neo4j-password", auth["password"]])


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def write_manifest(folder: Path) -> None:
    files = {}
    for name in ("documents.jsonl", "entities.jsonl", "mentions.jsonl", "relations.jsonl"):
        data = (folder / name).read_bytes()
        files[name] = {"rows": sum(1 for line in data.splitlines() if line.strip()), "bytes": len(data),
                       "sha256": hashlib.sha256(data).hexdigest()}
    (folder / "manifest.json").write_text(json.dumps({"kg_version": "test", "files": files}), encoding="utf-8")


def _no_relations(folder: Path) -> None:
    (folder / "relations.jsonl").unlink()


def _entities_cut(folder: Path) -> None:
    lines = _lines(folder / "entities.jsonl")
    (folder / "entities.jsonl").write_text("".join(lines[: len(lines) // 3]), encoding="utf-8")


def _mentions_cut(folder: Path) -> None:
    lines = _lines(folder / "mentions.jsonl")
    (folder / "mentions.jsonl").write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")


def _unknown_end(folder: Path) -> None:
    first = json.loads(_lines(folder / "relations.jsonl")[0])
    with (folder / "relations.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**first, "type": "PART_OF", "target": "LOC:没有这个地方", "properties": {}},
                                ensure_ascii=False) + "\n")


def _manifest_mismatch(folder: Path) -> None:
    write_manifest(folder)
    lines = _lines(folder / "relations.jsonl")
    (folder / "relations.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")  # cut at a line boundary


BROKEN = {
    "relations_missing": (_no_relations, r"relations\.jsonl: missing"),
    "entities_cut": (_entities_cut, r"mentions\.jsonl:\d+: mention names an entity not in entities\.jsonl"),
    "mentions_cut": (_mentions_cut, r"entities\.jsonl: entity .* has mention_count \d+, doc_count \d+, but .*mentions\.jsonl holds"),
    "unknown_relation_end": (_unknown_end, r"relations\.jsonl:\d+: PART_OF names an entity not in entities\.jsonl"),
    "manifest_mismatch": (_manifest_mismatch, r"relations\.jsonl: \d+ bytes, but manifest\.json says"),
    "entities_cut_with_the_builds_manifest": (_entities_cut, r"entities\.jsonl: \d+ bytes, but manifest\.json says"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_an_incomplete_build_folder_is_refused_and_nothing_changes(
        case, seed_state, seed_build, neo4j_driver, neo4j_uri, neo4j_auth, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(seed_build, folder)
    if not case.endswith("_with_the_builds_manifest"):
        (folder / "manifest.json").unlink()  # as an older build: the rows themselves must tell
    damage, message = BROKEN[case]
    damage(folder)
    assert kg_load(folder, neo4j_uri, neo4j_auth) == 2
    err = capsys.readouterr().err
    assert "kg: error:" in err and str(folder) in err
    with pytest.raises(InputError, match=message):
        load_output(folder, neo4j_uri, user=neo4j_auth["user"], password=neo4j_auth["password"])
    assert state(neo4j_driver) == seed_state


def test_a_matching_manifest_is_accepted(seed_state, seed_build, neo4j_driver, neo4j_uri, neo4j_auth, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(seed_build, folder)
    write_manifest(folder)
    assert kg_load(folder, neo4j_uri, neo4j_auth) == 0
    assert state(neo4j_driver) == seed_state  # the same build again: idempotent


def test_a_statement_neo4j_rejects_mid_load_rolls_everything_back(
        seed_state, seed_build, neo4j_driver, neo4j_uri, neo4j_auth, monkeypatch):
    """Retractions, nodes, mentions, HOLDS_ROLE and CO_OCCURS are written, then PART_OF fails in Neo4j."""
    real = neo4j_write.merge_relationships_query

    def failing(rel_type: str) -> str:
        return "UNWIND $rows AS row RETURN sum(1 / 0) AS n" if rel_type == "PART_OF" else real(rel_type)

    monkeypatch.setattr(neo4j_write, "merge_relationships_query", failing)
    with pytest.raises(Neo4jError, match="/ by zero"):
        load_output(seed_build, neo4j_uri, user=neo4j_auth["user"], password=neo4j_auth["password"], batch_size=50)
    assert state(neo4j_driver) == seed_state


def test_a_client_dying_mid_load_leaves_the_previous_graph(
        seed_state, seed_build, neo4j_driver, neo4j_uri, neo4j_auth, monkeypatch):
    """The client stops (here: an exception after 30 statements, once every CO_OCCURS was retracted)."""
    real, calls = neo4j_write._run_single, []

    def dies(tx, query, params):
        calls.append(query)
        if len(calls) > 30:
            raise KeyboardInterrupt
        return real(tx, query, params)

    monkeypatch.setattr(neo4j_write, "_run_single", dies)
    with pytest.raises(KeyboardInterrupt):
        load_output(seed_build, neo4j_uri, user=neo4j_auth["user"], password=neo4j_auth["password"], batch_size=20)
    assert any("CO_OCCURS" in q and "kg_pending = true" in q for q in calls)
    assert state(neo4j_driver) == seed_state


def test_the_same_pages_built_from_another_working_directory_merge_into_the_same_nodes(
        seed_state, seed_build, neo4j_driver, neo4j_uri, neo4j_auth, tmp_path, monkeypatch):
    """seed_build ran ``kg build /abs/…/seeds``; this one ``kg build seeds/`` from the checkout."""
    monkeypatch.chdir(REPO)
    assert main(["build", "seeds/", "--out", str(tmp_path / "relative"), "--quiet"]) == 0
    assert kg_load(tmp_path / "relative", neo4j_uri, neo4j_auth) == 0
    got = state(neo4j_driver)
    assert {k: got[k] for k in ("nodes", "rels", "co_weight", "with_evidence")} == \
        {k: seed_state[k] for k in ("nodes", "rels", "co_weight", "with_evidence")}
    paths = neo4j_driver.execute_query("MATCH (d:Document) RETURN d.id AS id, d.path AS path ORDER BY id").records
    assert [(r["id"], r["path"]) for r in paths] == [(f"seeds/{p.name}", f"seeds/{p.name}")
                                                     for p in sorted((REPO / "seeds").glob("*.txt"))]
    assert kg_load(seed_build, neo4j_uri, neo4j_auth) == 0  # back to the module's state: only the paths differed
    assert state(neo4j_driver) == seed_state


def _migration_statements() -> tuple[str, str]:
    """The two Cypher statements docs/neo4j.md gives (its "Document ids from older builds")."""
    doc = (REPO / "docs" / "neo4j.md").read_text(encoding="utf-8")
    section = doc.split("### Document ids from older builds", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```cypher\n")[1:]
    batched = section.split("`MATCH (n) CALL", 1)[1].split("`", 1)[0]
    return blocks[0].split("```")[0], "MATCH (n) CALL" + batched.replace("\n", " ")


def test_a_database_with_old_path_as_typed_ids_is_found_and_reloaded_as_documented(
        seed_state, seed_build, neo4j_driver, neo4j_uri, neo4j_auth, tmp_path):
    old = tmp_path / "old"  # the seed build as `kg build /srv/news/seeds` made it before ids were stable
    old.mkdir()
    for name in ("documents.jsonl", "entities.jsonl", "mentions.jsonl", "relations.jsonl"):
        text = (seed_build / name).read_text(encoding="utf-8")
        (old / name).write_text(text.replace('"seeds/', '"/srv/news/seeds/'), encoding="utf-8")
    find_old, delete_in_batches = _migration_statements()
    assert kg_load(old, neo4j_uri, neo4j_auth) == 0
    found = neo4j_driver.execute_query(find_old).records
    assert sorted(sorted(r["ids"]) for r in found) == [
        [f"/srv/news/seeds/{p.name}", f"seeds/{p.name}"] for p in sorted((REPO / "seeds").glob("*.txt"))]
    assert state(neo4j_driver)["co_weight"] == 2 * seed_state["co_weight"]  # each page counted twice
    with neo4j_driver.session() as session:  # CALL … IN TRANSACTIONS needs an auto-commit transaction
        session.run(delete_in_batches).consume()
    assert kg_load(seed_build, neo4j_uri, neo4j_auth) == 0
    assert neo4j_driver.execute_query(find_old).records == []
    assert state(neo4j_driver) == seed_state


# ---------------------------------------------------------------------------------------
# Ids and names longer than Neo4j can index.
# ---------------------------------------------------------------------------------------

LONG_NAME = "长" * 10_000          # 30,000 UTF-8 bytes
LONG_DOC = "d" * 8192               # an 8 KB document id, as a JSONL archive may carry


def long_folder(root: Path) -> tuple[Path, str, str]:
    """TINY plus a document with an 8 KB id and an entity with a 10,000-character name, ids bounded
    as kg build makes them (kg.schema.bounded_id)."""
    doc, person = bounded_id(LONG_DOC), bounded_id("PER:" + LONG_NAME)
    files = json.loads(json.dumps(TINY))
    files["documents.jsonl"].append({**_doc(doc, "很长", None, 10_010), "path": LONG_DOC})
    files["entities.jsonl"].append({**_ent("PER:x", [], 1, 1), "id": person, "name": LONG_NAME})
    files["entities.jsonl"][3]["mention_count"] += 1  # 包钢集团, mentioned in the long document too
    files["entities.jsonl"][3]["doc_count"] += 1
    files["mentions.jsonl"] += [_m(doc, 0, 10_000, LONG_NAME, person), _m(doc, 10_002, 10_004, "包钢", "ORG:包钢集团")]
    files["relations.jsonl"] += [_co(person, "ORG:包钢集团", {doc: 1}, [(doc, 0, 10_004)]),
                                 _rel("HOLDS_ROLE", person, "ORG:包钢集团", {"title": "董事长"}, [(doc, 0, 10_004)])]
    return write_output(root, files), doc, person


def test_an_overlong_name_and_document_id_load_fully(clean_db, neo4j_uri, neo4j_auth, tmp_path):
    folder, doc, person = long_folder(tmp_path / "long")
    counts = load_output(folder, neo4j_uri, user=neo4j_auth["user"], password=neo4j_auth["password"])
    assert counts["documents"] == 3 and counts["entities"] == 7 and counts["holds_role"] == 4
    node = clean_db.execute_query("MATCH (e:Entity {id: $id}) RETURN e", id=person).records[0]["e"]
    assert node["full_name"] == LONG_NAME and node["name"] == bounded_id(LONG_NAME)
    assert len(node["name"].encode()) <= MAX_ID_BYTES
    assert clean_db.execute_query("MATCH (d:Document {id: $id}) RETURN d.path AS p", id=doc).records[0]["p"] == LONG_DOC
    co = clean_db.execute_query("MATCH (:Entity {id: $a})-[c:CO_OCCURS]-(:Entity) RETURN c.weight AS w, "
                                "c.evidence_docs AS d", a=person).records
    assert [(r["w"], r["d"]) for r in co] == [(1, [doc])]
    assert clean_db.execute_query("MATCH (e:Entity {id: $id}) RETURN e.full_name AS f",
                                  id="PER:段志强").records[0]["f"] is None  # a normal name: no full_name


def test_an_unindexable_id_is_refused_before_writing(clean_db, neo4j_uri, neo4j_auth, tmp_path):
    files = json.loads(json.dumps(TINY))
    files["documents.jsonl"].append(_doc(LONG_DOC, "很长", None, 10))
    with pytest.raises(InputError, match=r"documents\.jsonl: id .* 8192 UTF-8 bytes"):
        load_output(write_output(tmp_path / "raw", files), neo4j_uri, user=neo4j_auth["user"],
                    password=neo4j_auth["password"])
    assert clean_db.execute_query("MATCH (n) RETURN count(n)").records[0][0] == 0


# ---------------------------------------------------------------------------------------
# No server needed.
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("uri, warned", [
    ("bolt://db.example.org:7687", True), ("neo4j://10.0.0.5", True), ("BOLT://db.example.org", True),
    ("bolt://localhost:7687", False), ("bolt://127.0.0.1:7687", False), ("neo4j://[::1]:7687", False),
    ("bolt+s://db.example.org:7687", False), ("neo4j+ssc://db.example.org", False),
])
def test_plaintext_bolt_to_another_host_is_warned_about(uri, warned, caplog):
    with caplog.at_level(logging.WARNING, logger="kg.write.neo4j"):
        assert warn_if_plaintext(uri) is warned
    assert ("unencrypted" in caplog.text and "+s://" in caplog.text) is warned


def test_build_with_neo4j_down_says_the_files_are_written_and_how_to_retry(tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("包钢集团董事长孟凡英在包头市出席会议。", encoding="utf-8")
    out, uri = tmp_path / "out", f"bolt://127.0.0.1:{free_port()}"
    assert main(["build", str(pages), "--out", str(out), "--neo4j", uri, "--neo4j-password", "x"]) == 2
    err = capsys.readouterr().err
    assert f"the build was written to {out}, but loading it into Neo4j failed" in err
    assert f"kg load {out} --neo4j {uri}" in err
    assert (out / "relations.jsonl").is_file()


def test_dev_script_keeps_the_password_off_the_command_line(tmp_path):
    """A stand-in `java` records its arguments: neo4j-admin gets the password from a 0600 @file."""
    fake = tmp_path / "bin"
    fake.mkdir()
    record = tmp_path / "argv"
    (fake / "java").write_text(
        "#!/usr/bin/env bash\n"
        'if [[ "$1" == -XshowSettings* ]]; then echo "    java.specification.version = 21" >&2; exit 0; fi\n'
        f'printf "%s\\n" "$@" >> {record}\n'
        'for a in "$@"; do if [[ "$a" == @* ]]; then stat -c %a "${a#@}" >> ' + f"{record}.mode" + '; '
        'cat "${a#@}" >> ' + f"{record}.file" + "; fi; done\nexit 1\n", encoding="utf-8")
    (fake / "java").chmod(0o755)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "classpath.txt").write_text(str(fake / "java"), encoding="utf-8")
    pom = REPO / "scripts" / "neo4j-dev-server" / "pom.xml"
    (cache / "classpath.stamp").write_text(hashlib.sha256(pom.read_bytes()).hexdigest() + "\n", encoding="utf-8")
    password = 'se cret"\\pw-123'
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}", NEO4J_DEV_CACHE=str(cache), NEO4J_PASSWORD=password,
               NEO4J_BOLT_PORT=str(free_port()), NEO4J_HTTP_PORT=str(free_port()), TMPDIR=str(tmp_path))
    proc = subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "start"], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and "set-initial-password failed" in proc.stderr
    argv = record.read_text(encoding="utf-8")
    assert "set-initial-password" in argv and "se cret" not in argv
    assert Path(f"{record}.mode").read_text().split() == ["600"]
    assert Path(f"{record}.file").read_text(encoding="utf-8") == '"se cret\\"\\\\pw-123"\n'
    assert not list(tmp_path.glob("kg-neo4j-dev.*"))  # the instance home, password file included, is gone
