"""``ahdath batch --dedup``: the shuffle on blocking keys gives the store's merges on the same input."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
from sqlalchemy import select

from ahdath.batch.dedup import read_canonical
from ahdath.batch.run import BatchOptions, run_batch
from ahdath.cli.main import main
from ahdath.store import Store
from ahdath.store.schema import EVENT_FIELD_NAMES, events, mentions, reports
from batchdata import reports_jsonl

WINDOW = ("date_lo", "date_hi", "date_basis", "n_reports")
# days on either side of a time bucket's edge (2024-03-15 is a multiple of BUCKET_DAYS in ordinals):
# a strike told on one day by one outlet and dated the next by another is one event across two buckets
EDGE = ("2024-03-15", "2024-03-16")
STRIKE = "قصفت طائرات حربية روسية بلدة {town} اليوم، ما أدى إلى مقتل {n} مدنيين بحسب {who}."


def _edge_reports(path: Path) -> None:
    with path.open("a", encoding="utf-8") as f:
        for t, town in enumerate(("سراقب", "أريحا", "طفس", "نوى")):
            for o, day in enumerate(EDGE):
                text = STRIKE.format(town=town, n="أربعة", who=("ناشطين محليين", "الدفاع المدني")[o])
                f.write(json.dumps({"id": f"edge-{t}-{o}", "published": day, "source": f"Edge {o}", "text": text},
                                   ensure_ascii=False) + "\n")


def _store_events(url: str) -> dict[frozenset[tuple[str, str]], dict[str, Any]]:
    """Each live canonical event of a store by its members (article id, extractor's id): fields and reasons."""
    with Store.open(url, access="read") as store, store.engine.connect() as conn:
        canon = {r["id"]: dict(r) for r in conn.execute(select(events).where(events.c.deleted.is_(False))).mappings()}
        members: dict[int, list[Any]] = {}
        for m in conn.execute(select(mentions.c.event_id, mentions.c.local_id, mentions.c.merge_reason,
                                     reports.c.article_id).join(reports, reports.c.id == mentions.c.report_id)
                              .order_by(mentions.c.id)):
            members.setdefault(m.event_id, []).append(m)
    return {frozenset((m.article_id, m.local_id) for m in members[i]):
            {**{k: c[k] for k in (*EVENT_FIELD_NAMES, *WINDOW)},
             "reasons": [(m.article_id, m.local_id, m.merge_reason) for m in members[i]]}
            for i, c in canon.items()}


def _batch_events(out: Path) -> dict[frozenset[tuple[str, str]], dict[str, Any]]:
    found = {}
    for r in read_canonical(out):
        key = frozenset(zip(r["reports"], r["mentions"]))
        assert key not in found
        found[key] = {**{k: r[k] for k in (*EVENT_FIELD_NAMES, *WINDOW)},
                      "reasons": list(zip(r["reports"], r["mentions"], r["merge_reasons"]))}
    return found


@pytest.mark.parametrize("partition_size", [1500, 1 << 20])
def test_batch_dedup_equals_the_stores_merges(cluster: Any, tmp_path: Path, partition_size: int) -> None:
    src = tmp_path / "feed.jsonl"
    reports_jsonl(src, n_days=5, outlets=3)
    _edge_reports(src)
    db = f"sqlite:///{tmp_path}/store.sqlite"
    assert main(["ingest", "--db", db, "-q", str(src)]) == 0
    expected = _store_events(db)
    out = tmp_path / "out"
    result = run_batch(BatchOptions(inputs=(str(src),), out=out, scheduler=cluster.scheduler_address,
                                    partition_size=partition_size, dedup=True))
    got = _batch_events(out)
    assert sum(len(k) for k in got) == result.events  # every event is in exactly one canonical event
    assert len(expected) < result.events  # reports were merged
    assert got == expected
    edge = [k for k in got if any(a.startswith("edge-") for a, _e in k)]
    assert len(edge) == 4 and all(len(k) == 2 for k in edge)  # each across the edge is one event
    summary = json.loads((out / "dedup" / "summary.json").read_text())
    assert summary["groups"] > 1 and summary["canonical_events"] == len(expected)
    # the shuffle's working files are gone; the manifest tells the figures
    assert not (out / "dedup" / "_shuffle").exists()
    assert json.loads((out / "manifest.json").read_text())["runs"][-1]["dedup_figures"] == summary
