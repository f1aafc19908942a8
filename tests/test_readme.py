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
