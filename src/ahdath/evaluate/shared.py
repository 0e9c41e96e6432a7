"""The shared measuring sets, scored in one process: what the quality gate and
``benchmarks/accuracy.py`` both run.

``SETS`` names each set by the files it reads under the shared folder (``../shared``):
report corpora with their gold folder, scored by ``score_gold``; labelled sentence files,
scored by ``evaluate.sentences``. ``quiet_with_events`` counts the reports whose gold is empty
(non-conflict articles) that still give an event.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ahdath.evaluate.scoring import load_gold, score_gold
from ahdath.evaluate.sentences import read_sentences, score_detections
from ahdath.model import Article, Event


@dataclass(frozen=True, slots=True)
class SharedSet:
    name: str
    path: str  # under the shared folder
    gold: str | None = None  # a gold folder (report corpora); None for a sentence file
    kind: str | None = None  # the sentence kind (assault, protest) of a sentence file


SETS: tuple[SharedSet, ...] = (
    SharedSet("dev", "corpus/dev.jsonl", gold="corpus/gold"),
    SharedSet("dev2", "corpus/dev2.jsonl", gold="corpus/gold2"),
    SharedSet("gsr_assault", "corpus/gsr/assault_gsr.csv", kind="assault"),
    SharedSet("gsr_protest", "corpus/gsr/protest_gsr.csv", kind="protest"),
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_events(pipe: Any, path: Path) -> list[Event]:
    """Every event of a JSONL corpus (``id``, ``text``, ``published``, ``url``)."""
    events: list[Event] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            pub = date.fromisoformat(d["published"]) if d.get("published") else None
            events.extend(pipe.extract_article(Article(d["id"], d["text"], pub, d.get("url"))))
    return events


def measure(pipe: Any, shared: Path, s: SharedSet) -> dict[str, Any]:
    """The figures of one set (a flat mapping of names to numbers)."""
    path = shared / s.path
    if s.gold is not None:
        golds = load_gold(shared / s.gold)
        events = corpus_events(pipe, path)
        figures: dict[str, Any] = score_gold(golds, events).as_dict()
        quiet = {i for i, g in golds.items() if not g["events"]}
        figures["quiet_reports"] = len(quiet)
        figures["quiet_with_events"] = len({e.article_id for e in events} & quiet)
        return figures
    sents = read_sentences(path)
    found = [{(e.event_type, e.sub_event_type) for e in pipe.extract_text(x.text, article_id=x.id)} for x in sents]
    return score_detections(str(s.kind), sents, found).as_dict()
