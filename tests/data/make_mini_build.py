"""Regenerate ``tests/data/mini-build/`` (a hand-made ``kg build`` output) from ``mini-pages/``.

The build is written by hand, not by the NER model, so the graph tests run without a model:
the entities, their surface forms and the roles below are the "gold" of the three pages.
Run ``python tests/data/make_mini_build.py`` after editing a page or the tables here.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = HERE / "mini-pages"
OUT = HERE / "mini-build"

# id -> surface forms (the name first)
ENTITIES = {
    "PER:张韶春": ["张韶春"],
    "PER:段志强": ["段志强"],
    "PER:孟繁英": ["孟繁英"],
    "PER:王皓": ["王皓"],
    "PER:李娜": ["李娜"],
    "ORG:内蒙古自治区人大常委会": ["内蒙古自治区人大常委会", "自治区人大常委会"],
    "ORG:包钢集团": ["包钢集团", "包钢"],
    "ORG:金龙稀土新材料（包头）有限公司": ["金龙稀土新材料（包头）有限公司"],
    "ORG:合生远景(内蒙古)生物科技有限公司": ["合生远景(内蒙古)生物科技有限公司"],
    "LOC:包头市": ["包头市", "包头"],
    "LOC:呼和浩特市": ["呼和浩特市", "首府"],
    "LOC:清水河县": ["清水河县"],
    "LOC:内蒙古自治区": ["内蒙古自治区", "内蒙古"],
}
# id -> the linking rules that joined its forms (docs/linking.md); none for one form
MERGED_BY = {
    "ORG:内蒙古自治区人大常委会": ["home_region"],
    "ORG:包钢集团": ["alias_file"],
    "LOC:包头市": ["gazetteer"],
    "LOC:呼和浩特市": ["region_epithet"],
    "LOC:内蒙古自治区": ["gazetteer"],
}
# (type, source, target, title, doc, evidence text)
DIRECTED = [
    ("HOLDS_ROLE", "PER:张韶春", "ORG:内蒙古自治区人大常委会", "党组书记", "a.txt", "自治区人大常委会党组书记、副主任张韶春"),
    ("HOLDS_ROLE", "PER:张韶春", "ORG:内蒙古自治区人大常委会", "副主任", "a.txt", "自治区人大常委会党组书记、副主任张韶春"),
    ("HOLDS_ROLE", "PER:段志强", "ORG:内蒙古自治区人大常委会", "副主任", "a.txt", "内蒙古自治区人大常委会副主任段志强"),
    ("HOLDS_ROLE", "PER:孟繁英", "ORG:包钢集团", "党委书记", "a.txt", "包钢集团党委书记、董事长孟繁英"),
    ("HOLDS_ROLE", "PER:孟繁英", "ORG:包钢集团", "董事长", "a.txt", "包钢集团党委书记、董事长孟繁英"),
    ("PART_OF", "LOC:清水河县", "LOC:呼和浩特市", "", "b.txt", "呼和浩特市清水河县"),
    ("LOCATED_IN", "ORG:金龙稀土新材料（包头）有限公司", "LOC:包头市", "", "a.txt", "金龙稀土新材料（包头）有限公司"),
    ("LOCATED_IN", "ORG:合生远景(内蒙古)生物科技有限公司", "LOC:内蒙古自治区", "", "b.txt", "合生远景(内蒙古)生物科技有限公司"),
]
SENTENCE_END = re.compile(r"[。！？\n]")
MIN_COUNT = 2  # as kg.relate.MIN_COUNT


def npmi(both: int, count_a: int, count_b: int, windows: int) -> float:
    """As kg.relate.npmi."""
    p_ab = both / windows
    if p_ab >= 1.0:
        return 1.0
    return round(math.log(p_ab / ((count_a / windows) * (count_b / windows))) / -math.log(p_ab), 4) + 0.0


def main() -> None:
    surfaces = sorted(((s, eid) for eid, forms in ENTITIES.items() for s in forms), key=lambda x: -len(x[0]))
    documents, mentions, relations = [], [], []
    counts: dict[str, list[str]] = defaultdict(list)
    cooc: dict[tuple[str, str], dict] = {}
    windows, windows_of = 0, defaultdict(int)  # sentences holding any entity; and each entity
    for path in sorted(PAGES.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        doc_id = f"pages/{path.name}"
        documents.append({"id": doc_id, "path": doc_id, "title": raw.splitlines()[0], "date": None,
                          "chars": len(raw), "sha256": hashlib.sha256(raw.encode("utf-8")).hexdigest()})
        taken = [False] * len(raw)
        found = []
        for surface, eid in surfaces:
            for m in re.finditer(re.escape(surface), raw):
                if not any(taken[m.start():m.end()]):
                    taken[m.start():m.end()] = [True] * (m.end() - m.start())
                    found.append((m.start(), m.end(), surface, eid))
        found.sort()
        bounds = [0] + [m.end() for m in SENTENCE_END.finditer(raw)]
        by_sentence = defaultdict(set)
        for start, end, surface, eid in found:
            sentence = max(i for i, b in enumerate(bounds) if b <= start)
            mentions.append({"doc": doc_id, "start": start, "end": end, "text": surface, "label": eid[:3],
                             "entity": eid, "sentence": sentence})
            counts[eid].append(doc_id)
            by_sentence[sentence].add(eid)
        for sentence, eids in sorted(by_sentence.items()):
            windows += 1
            for eid in eids:
                windows_of[eid] += 1
            s_start, s_end = bounds[sentence], bounds[sentence + 1] if sentence + 1 < len(bounds) else len(raw)
            for a, b in combinations(sorted(eids), 2):
                rel = cooc.setdefault((a, b), {"weight": 0, "doc_weights": {}, "evidence": []})
                rel["weight"] += 1
                rel["doc_weights"][doc_id] = rel["doc_weights"].get(doc_id, 0) + 1
                if len(rel["evidence"]) < 5:
                    rel["evidence"].append({"doc": doc_id, "start": s_start, "end": s_end})
    for rtype, source, target, title, doc, text in DIRECTED:
        raw = (PAGES / doc.removeprefix("pages/")).read_text(encoding="utf-8")
        start = raw.index(text)
        relations.append({"type": rtype, "source": source, "target": target,
                          "properties": {"title": title, "docs": [f"pages/{doc}"]} if title else {},
                          "evidence": [{"doc": f"pages/{doc}", "start": start, "end": start + len(text)}]})
    for (a, b), rel in cooc.items():
        properties = {"weight": rel["weight"], "doc_weights": rel["doc_weights"]}
        if rel["weight"] >= MIN_COUNT:
            properties["npmi"] = npmi(rel["weight"], windows_of[a], windows_of[b], windows)
        relations.append({"type": "CO_OCCURS", "source": a, "target": b, "properties": properties,
                          "evidence": rel["evidence"]})
    relations.sort(key=lambda r: (r["type"], r["source"], r["target"], r["properties"].get("title", "")))
    entities = []
    for eid, forms in sorted(ENTITIES.items()):
        docs = counts[eid]
        entities.append({"id": eid, "name": forms[0], "label": eid[:3], "aliases": forms[1:],
                         "merged_by": MERGED_BY.get(eid, []), "mention_count": len(docs), "doc_count": len(set(docs))})
    OUT.mkdir(exist_ok=True)
    for name, rows in (("documents", documents), ("mentions", mentions), ("entities", entities),
                       ("relations", relations)):
        with (OUT / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
