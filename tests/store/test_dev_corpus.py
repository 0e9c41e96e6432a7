"""Deduplication on the shared corpora: reports of one incident by different outlets become one event,
reports of different incidents stay apart. Scored per report pair against the pairs grouped by hand in
``data/same_incident_pairs.yaml`` (ids only). Runs where ../shared is present.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from ahdath.evaluate.merges import PairGold, PairScore, merged_pairs, score_pairs
from ahdath.pipeline import Options, Pipeline
from ahdath.store import IngestOptions, Store, ingest_paths
from ahdath.store.schema import reports

GOLD = Path(__file__).parent / "data" / "same_incident_pairs.yaml"
# floors at the figures measured (benchmarks/merges.py): 9 of the 11 same-incident pairs share an event
# (the target, 80%) and no pair of different incidents does; the ceiling on wrong merges is 3
MIN_RECALL = 0.8
MAX_WRONG = 0


@pytest.fixture(scope="module")
def score(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> PairScore:
    url = f"sqlite:///{tmp_path_factory.mktemp('dev')}/dev.sqlite"
    paths = [str(shared_dir / "corpus" / f"{name}.jsonl") for name in ("dev", "dev2")]
    with Store.open(url, actor="test") as store:
        summary = ingest_paths(paths, store, Pipeline.from_options(Options()), options=IngestOptions())
        assert summary.reports_failed == 0
        with store.engine.connect() as conn:
            stored = {str(r.article_id) for r in conn.execute(select(reports.c.article_id))}
        merged = merged_pairs(store.engine)
    return score_pairs(merged, PairGold.load(GOLD), stored)


def test_dev_corpus_same_incident_pairs_share_an_event(score: PairScore) -> None:
    assert score.same == 11
    assert score.recall >= MIN_RECALL, score.missed


def test_dev_corpus_different_incidents_stay_apart(score: PairScore) -> None:
    assert len(score.wrong) <= MAX_WRONG, score.wrong


def test_dev_corpus_merges_never_join_a_report_with_itself(score: PairScore) -> None:
    assert score.merged >= score.found and all(a != b for a, b in score.wrong)
