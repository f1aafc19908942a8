"""Scores every evaluation shares: precision, recall and F1 counts, per-label reports, dev splits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

#: the splits of a hand-annotated dev set (eval/README.md): tune on dev, report heldout apart
SPLITS = ("dev", "heldout", "all")
LABELS = ("PER", "ORG", "LOC")


@dataclass
class PRF:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set, predicted: set) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def __str__(self) -> str:
        return f"P {self.precision:.4f}  R {self.recall:.4f}  F1 {self.f1:.4f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


@dataclass
class Report:
    """Per-label and overall scores."""

    name: str
    overall: PRF = field(default_factory=PRF)
    per_label: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    extra: list[str] = field(default_factory=list)

    def add(self, gold: set[tuple], predicted: set[tuple]) -> None:
        self.overall.add(gold, predicted)
        for label in LABELS:
            self.per_label[label].add({g for g in gold if g[-1] == label}, {p for p in predicted if p[-1] == label})

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.overall}"]
        lines += [f"  {label}: {self.per_label[label]}" for label in LABELS if label in self.per_label]
        lines += [f"  {line}" for line in self.extra]
        return "\n".join(lines)
