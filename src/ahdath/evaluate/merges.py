"""Merge quality of a store: which report pairs share an event, against report pairs grouped by hand.

A store promises one event per incident. Scored per pair of reports, as an analyst checks it:
a pair the gold calls ``same`` should share at least one live event (recall); a pair in
neither ``same`` nor ``unsure`` tells different incidents, and any event it shares is a wrong
merge. Pair ids are the reports' ``article_id``. The gold is a YAML file of ids, never texts.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from ahdath.errors import EvaluationError

Pair = tuple[str, str]


def _pair(a: Any, b: Any) -> Pair:
    x, y = str(a), str(b)
    return (x, y) if x <= y else (y, x)


@dataclass(frozen=True, slots=True)
class PairGold:
    same: frozenset[Pair]
    unsure: frozenset[Pair]

    @classmethod
    def load(cls, path: Path) -> "PairGold":
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise EvaluationError(f"cannot read the pair gold {path}: {exc}") from None
        lists: dict[str, frozenset[Pair]] = {}
        for name in ("same", "unsure"):
            rows = doc.get(name) or []
            if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 2 and r[0] != r[1]
                                                     for r in rows):
                raise EvaluationError(f"{path}: '{name}' must be a list of pairs of two different ids")
            lists[name] = frozenset(_pair(a, b) for a, b in rows)
        both = lists["same"] & lists["unsure"]
        if both:
            raise EvaluationError(f"{path}: pairs both same and unsure: {sorted(both)}")
        return cls(lists["same"], lists["unsure"])


@dataclass(frozen=True, slots=True)
class PairScore:
    same: int  # gold same-incident pairs among the reports stored
    found: int  # of those, pairs that share a live event
    merged: int  # report pairs sharing a live event
    wrong: tuple[Pair, ...]  # merged pairs the gold calls different incidents
    missed: tuple[Pair, ...]  # same-incident pairs that share no event

    @property
    def recall(self) -> float:
        return self.found / self.same if self.same else 1.0

    @property
    def precision(self) -> float:
        """Of the merged pairs the gold decides (same or different), the share that are the same."""
        decided = self.found + len(self.wrong)
        return self.found / decided if decided else 1.0


def merged_pairs(engine: Any) -> set[Pair]:
    """Pairs of reports (``article_id``) that share a live canonical event of the store."""
    from ahdath.store.schema import events, mentions, reports

    by_event: defaultdict[int, set[str]] = defaultdict(set)
    with engine.connect() as conn:
        rows = conn.execute(select(mentions.c.event_id, reports.c.article_id)
                            .join(reports, reports.c.id == mentions.c.report_id)
                            .join(events, events.c.id == mentions.c.event_id)
                            .where(events.c.deleted.is_(False)))
        for event_id, article_id in rows:
            by_event[event_id].add(str(article_id))
    return {_pair(a, b) for ids in by_event.values() for a, b in itertools.combinations(sorted(ids), 2)}


def score_pairs(merged: set[Pair], gold: PairGold, stored: set[str]) -> PairScore:
    """``stored``: the article ids in the store (gold pairs of reports not stored are not counted)."""
    same = {p for p in gold.same if p[0] in stored and p[1] in stored}
    found = same & merged
    wrong = sorted(merged - gold.same - gold.unsure)
    return PairScore(len(same), len(found), len(merged), tuple(wrong), tuple(sorted(same - merged)))
