#!/usr/bin/env python3
"""Merge quality of the store on the shared corpora: report pairs that share an event, scored
against the pairs grouped by hand in tests/store/data/same_incident_pairs.yaml.

Prints figures; asserts nothing (tests/store/test_dev_corpus.py holds the floors).

    .venv/bin/python benchmarks/merges.py [--shared ../shared] [--corpora dev dev2]

All corpora go into one fresh SQLite store in one run, as a feed would: reports without a
publication date then share the ingest day, the hardest case for undated events.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sqlalchemy import select  # noqa: E402

from ahdath.evaluate.merges import PairGold, merged_pairs, score_pairs  # noqa: E402
from ahdath.pipeline import Options, Pipeline  # noqa: E402
from ahdath.store import IngestOptions, Store, ingest_paths  # noqa: E402
from ahdath.store.schema import reports  # noqa: E402

GOLD = REPO / "tests" / "store" / "data" / "same_incident_pairs.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--corpora", nargs="+", default=["dev", "dev2"])
    args = parser.parse_args()
    gold = PairGold.load(GOLD)
    paths = [str(args.shared / "corpus" / f"{name}.jsonl") for name in args.corpora]
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        with Store.open(f"sqlite:///{tmp}/merges.sqlite", actor="benchmark") as store:
            summary = ingest_paths(paths, store, Pipeline.from_options(Options()), options=IngestOptions())
            with store.engine.connect() as conn:
                stored = {str(r.article_id) for r in conn.execute(select(reports.c.article_id))}
            merged = merged_pairs(store.engine)
        took = time.perf_counter() - began
    score = score_pairs(merged, gold, stored)
    print(f"corpora              {', '.join(args.corpora)}: {len(stored)} reports, {summary.events_new} events "
          f"created, {summary.events_merged} merged in ({took:.1f} s)")
    print(f"same-incident pairs  {score.found} of {score.same} share an event (recall {score.recall:.2f})  "
          "target >= 0.80")
    print(f"merged report pairs  {score.merged}: {len(score.wrong)} against the gold, "
          f"{score.merged - score.found - len(score.wrong)} unsure (pair precision {score.precision:.2f})  "
          "target <= 3 wrong")
    for a, b in score.missed:
        print(f"  missed  {a} {b}")
    for a, b in score.wrong:
        print(f"  wrong   {a} {b}")


if __name__ == "__main__":
    main()
