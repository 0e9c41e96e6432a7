"""Sentence-level detection scores: does a sentence yield an event of a kind at all?

Reads a labelled sentence file (CSV with ``id``, ``label``, ``text``; labels ``yes``, ``easy no``,
``difficult no``, ``ambiguous``), as the public Arabic event gold standard is distributed, and
counts what the pipeline finds in each sentence read alone as a report with no date. The rules
follow ``../shared/tools/gsr_eval.py``: precision counts false positives on unanimous rejects
(``easy no``); ``difficult no`` is reported apart; ``ambiguous`` is left out.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ahdath.errors import EvaluationError

VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
PROTEST = frozenset({"Protests", "Riots"})

# kind -> (file, does a set of (event_type, sub_event_type) count as a detection)
KINDS: dict[str, tuple[str, Callable[[set[tuple[str, str]]], bool]]] = {
    "assault": ("assault_gsr.csv", lambda s: any(t in VIOLENT or st == "Mob violence" for t, st in s)),
    "protest": ("protest_gsr.csv", lambda s: any(t in PROTEST for t, _st in s)),
}
LABELS = ("yes", "easy no", "difficult no")


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class DetectionScores:
    kind: str
    p: float
    r: float
    f1: float
    pos: int
    easy_neg: int
    fp_easy: int
    fp_hard: int

    def as_dict(self) -> dict[str, float | int]:
        return {"p": self.p, "r": self.r, "f1": self.f1, "pos": self.pos, "easy_neg": self.easy_neg,
                "fp_easy": self.fp_easy, "fp_hard": self.fp_hard}


def read_sentences(path: Path) -> list[Sentence]:
    """The labelled sentences of ``path`` whose label counts (``ambiguous`` left out)."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvaluationError(f"unreadable sentence file: {exc}", source=str(path)) from exc
    if rows and not {"id", "label", "text"} <= set(rows[0]):
        raise EvaluationError("sentence file needs 'id', 'label' and 'text' columns", source=str(path))
    return [Sentence(r["id"], r["label"], r["text"]) for r in rows if r["label"] in LABELS]


def score_detections(kind: str, sentences: Sequence[Sentence],
                     found: Iterable[set[tuple[str, str]]]) -> DetectionScores:
    """Scores of ``kind`` given, per sentence, the (event_type, sub_event_type) pairs extracted."""
    hit = KINDS[kind][1]
    tp = fn = fp_easy = fp_hard = n_easy = 0
    for s, pairs in zip(sentences, found, strict=True):
        h = hit(pairs)
        if s.label == "yes":
            tp, fn = tp + h, fn + (not h)
        elif s.label == "easy no":
            n_easy += 1
            fp_easy += h
        else:
            fp_hard += h
    p = tp / (tp + fp_easy) if tp + fp_easy else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return DetectionScores(kind, round(p, 3), round(r, 3), round(f, 3), tp + fn, n_easy, fp_easy, fp_hard)
