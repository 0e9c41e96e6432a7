"""Ingest end to end: idempotence, a real kill mid-ingest, two ingests at once (SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from ahdath.store import EventFilter, Store, iter_events, summary
from ahdath.store.schema import events, mentions, reports

from synthetic import write_reports

AHDATH = [sys.executable, "-m", "ahdath"]


def _ingest(db_url: str, path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "AHDATH_DB": db_url}
    return subprocess.Popen([*AHDATH, "ingest", "-q", str(path), *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _snapshot(db_url: str) -> tuple[dict[str, int], list[tuple]]:
    with Store.open(db_url) as store:
        rows = [(r["event_id"], r["event_date"], r["location"], r["n_reports"], r["fatalities"])
                for r in iter_events(store.engine, EventFilter())]
        return summary(store.engine), sorted(rows)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("corpus") / "reports.jsonl"
    return path, write_reports(path, n_days=8, outlets=3)


@pytest.fixture(scope="module")
def reference(corpus: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list]:
    """What one uninterrupted ingest of the corpus gives (SQLite)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ref')}/ref.sqlite"
    proc = _ingest(url, corpus[0])
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return _snapshot(url)


def test_ingest_twice_changes_nothing(db_url: str, corpus: tuple[Path, int], reference: tuple) -> None:
    for expected_new in (corpus[1], 0):
        proc = _ingest(db_url, corpus[0])
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert f"reports: {expected_new} new" in err
    assert _snapshot(db_url) == reference


def count_reports(db_url: str) -> int:
    """Reports stored (0 before the schema exists)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(reports)).scalar_one())
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return 0
    finally:
        engine.dispose()


def test_ingest_killed_midway_loses_and_duplicates_nothing(db_url: str, corpus: tuple[Path, int],
                                                           reference: tuple) -> None:
    proc = _ingest(db_url, corpus[0], "--batch", "5")
    deadline = time.monotonic() + 120
    while count_reports(db_url) < 20:
        assert proc.poll() is None, "ingest finished before it could be killed: make the corpus bigger"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    stored = count_reports(db_url)
    assert 20 <= stored < corpus[1]
    proc = _ingest(db_url, corpus[0])
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"reports: {corpus[1] - stored} new, {stored} unchanged" in err
    assert _snapshot(db_url) == reference


def test_ingest_two_at_once_do_not_duplicate(db_url: str, corpus: tuple[Path, int], reference: tuple) -> None:
    Store.open(db_url).close()  # schema first: both racers then start from the same empty dataset
    procs = [_ingest(db_url, corpus[0], "--batch", "7") for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _o, err in results]
    counts, rows = _snapshot(db_url)
    ref_counts, ref_rows = reference
    assert counts == ref_counts
    assert len({r[0] for r in rows}) == len(rows)
    # which racer stored a report first can change the numbering, never the dataset
    assert sorted(r[1:] for r in rows) == sorted(r[1:] for r in ref_rows)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(mentions)).scalar_one() == \
                conn.execute(select(func.sum(events.c.n_reports))).scalar_one()
    finally:
        engine.dispose()


def test_ingest_parallel_extraction_gives_the_same_dataset(tmp_path: Path, corpus: tuple[Path, int],
                                                           reference: tuple) -> None:
    url = f"sqlite:///{tmp_path}/jobs.sqlite"
    proc = _ingest(url, corpus[0], "--jobs", "2", "--batch", "9")
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert _snapshot(url) == reference


def test_ingest_summary_counts_events_kept_deleted(tmp_path: Path) -> None:
    """A changed report that tells again an incident a reviewer deleted says so in the summary line."""
    import json

    from ahdath.pipeline import Options, Pipeline
    from ahdath.store import IngestOptions, ingest_paths
    from ahdath.store.review import delete_event

    first = ("قصفت المدفعية التركية صباح اليوم قرية تل تمر بريف الحسكة الشمالي الغربي، ما أدى إلى مقتل "
             "مدنيين اثنين وإصابة ثلاثة آخرين، بحسب مصادر محلية.")
    line = {"id": "r1", "url": "https://outlet.example/tal-tamr", "published": "2023-06-01"}
    path = tmp_path / "reports.jsonl"
    url = f"sqlite:///{tmp_path}/store.sqlite"
    pipeline = Pipeline.from_options(Options())
    with Store.open(url, actor="test") as store:
        path.write_text(json.dumps({**line, "text": first}, ensure_ascii=False) + "\n", encoding="utf-8")
        ingest_paths([str(path)], store, pipeline, options=IngestOptions())
        (live,) = list(iter_events(store.engine, EventFilter()))
        delete_event(store, live["event_id"], reason="not an incident of this dataset")
        changed = first + " وأكدت المصادر أن القصف استمر ساعة كاملة."
        path.write_text(json.dumps({**line, "text": changed}, ensure_ascii=False) + "\n", encoding="utf-8")
        result = ingest_paths([str(path)], store, pipeline, options=IngestOptions())
        assert result.reports_changed == 1 and result.events_deleted == 1 and result.events_new == 0
        assert result.line().endswith(", 1 still deleted")
        assert list(iter_events(store.engine, EventFilter())) == []
