"""The README's Python example runs on the seed build, and what its comments show is what it gives."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def shown_value(comment: str):
    """The value a comment shows (``{'type': 'ORG', ...}``), with ``...`` meaning "and more"."""
    literal = re.sub(r",\s*\.\.\.\s*([}\]])", r"\1", comment.strip())
    try:
        return ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return None


def test_the_readme_has_a_python_example():
    assert python_blocks(README)


@pytest.mark.parametrize("block", python_blocks(README))
def test_each_readme_python_example_runs_on_the_seed_build_as_shown(block, seed_build):
    namespace: dict = {}
    checked = 0
    for line in block.replace('"out/"', repr(str(seed_build))).splitlines():
        code, _, comment = line.partition("  #")
        value = shown_value(comment) if comment else None
        if value is None or "=" in code.split("[")[0]:
            exec(code, namespace)  # noqa: S102 - the README's own example
            continue
        got = eval(code, namespace)  # noqa: S307
        if isinstance(value, dict):
            assert {k: got[k] for k in value} == value, line
        else:
            assert got == value, line
        checked += 1
    assert checked, "no line of the example shows its value"


def readme_commands(verbs: tuple[str, ...]) -> list[str]:
    """The ``kg VERB out/ …`` commands the README shows (in code spans and blocks), once each."""
    found = re.findall(r"\bkg (?:%s) out/[^`\n]*" % "|".join(verbs), README)
    return list(dict.fromkeys(c.strip() for c in found))


def test_the_readme_shows_export_and_plot_commands():
    assert len(readme_commands(("export", "plot"))) >= 3


@pytest.mark.parametrize("command", readme_commands(("export", "plot")))
def test_each_readme_export_and_plot_command_works_on_the_seed_build(command, seed_build, tmp_path):
    import shutil
    import shlex

    from kg.cli import main

    out = tmp_path / "out"
    shutil.copytree(seed_build, out)
    args = [str(out) if a == "out/" else str(tmp_path / a) if a.endswith(".png") else a
            for a in shlex.split(command)[1:]]
    before = {p for p in tmp_path.rglob("*")}
    assert main(args) == 0, command
    made = [p for p in tmp_path.rglob("*") if p not in before and p.is_file()]
    assert made and all(p.stat().st_size > 0 for p in made), f"{command} wrote nothing"


def test_docs_neo4j_lists_each_query_with_its_own_example():
    import json

    table = dict(re.findall(r"^\| `(\w+)\.cypher` \|[^\n]*\| `(\{[^`]*\})` \|$", (REPO / "docs" / "neo4j.md").read_text("utf-8"),
                            flags=re.M))
    files = {p.stem: p for p in (REPO / "cypher").glob("*.cypher") if p.stem != "schema"}
    assert set(table) == set(files)
    for name, shown in table.items():
        example = re.search(r"^// Example: (\{.*\})$", files[name].read_text("utf-8"), flags=re.M).group(1)
        assert json.loads(shown) == json.loads(example), name


def test_the_gexf_kg_export_writes_reads_back_in_networkx(seed_build, tmp_path):
    import networkx as nx

    from kg.cli import main

    assert main(["export", str(seed_build), "--format", "gexf", "--dest", str(tmp_path / "g.gexf")]) == 0
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert back.number_of_edges() > 100
    assert main(["export", str(seed_build), "--format", "gexf", "--mixed", "--dest", str(tmp_path / "m.gexf")]) == 0
    assert b'type="undirected"' in (tmp_path / "m.gexf").read_bytes()  # Gephi's mixed graph, on request


def test_the_readme_synopsis_lists_every_kg_train_step():
    import argparse

    from kg.cli import make_parser

    commands = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    train = next(a for a in commands.choices["train"]._actions if a.dest == "what")
    shown = re.search(r"^kg train ([a-z|]+)", README, flags=re.M).group(1).split("|")
    assert sorted(shown) == sorted(train.choices)


def test_export_and_plot_say_what_they_wrote_unless_quiet(seed_build, tmp_path, capsys):
    from kg.cli import main

    assert main(["export", str(seed_build), "--format", "neo4j-admin", "--dest", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().out.startswith("wrote: ")
    for argv in (["export", str(seed_build), "--format", "neo4j-admin", "--dest", str(tmp_path / "b"), "-q"],
                 ["export", str(seed_build), "--format", "gexf", "--dest", str(tmp_path / "g.gexf"), "--quiet"],
                 ["plot", str(seed_build), "--out", str(tmp_path / "g.png"), "-q", "--top", "10"]):
        assert main(argv) == 0
        assert capsys.readouterr() == ("", "")
    assert (tmp_path / "g.png").stat().st_size > 0 and (tmp_path / "b").is_dir()
