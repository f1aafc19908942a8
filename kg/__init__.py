"""kg: Chinese news text to a knowledge graph of people, organisations and places.

``import kg`` is cheap: submodules (spaCy, networkx, matplotlib) load only when used, so a
notebook can do ``import kg; G = kg.load_graph("out/")`` without loading the NLP stack.
"""
from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__version__ = "0.1.0"

__all__ = ["__version__", "load_graph"]


def load_graph(out_dir: str | PathLike[str]) -> nx.MultiDiGraph:
    """Load a ``kg build`` output directory as a :class:`networkx.MultiDiGraph`.

    Nodes are entity ids (``ORG:包钢集团``) with ``label``, ``name``, ``type``, ``aliases``
    and ``merged_by`` (lists: the linking rules that joined the aliases), ``mention_count`` and ``doc_count``; edges carry ``type``, ``weight``,
    ``title``, ``directed`` and ``evidence``.  Same as :func:`kg.write.jsonl.load_graph`, imported
    on first use (networkx only, never spaCy).
    """
    from kg.write.jsonl import load_graph as _load_graph

    return _load_graph(out_dir)
