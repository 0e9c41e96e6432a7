"""``ahdath ingest --from-parquet``: an ``ahdath batch`` output loaded into the store gives the store
that ``ahdath ingest`` of the same inputs gives (ids, dedup, mentions, change log), on SQLite and
PostgreSQL, without extracting again."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from ahdath.cli.main import main
from ahdath.store import Store
from storedump import dump
from synthetic import write_reports

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

UNDATED = {"text": "قتل ثلاثة مدنيين جراء قصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب الجنوبي.",
           "source": "Outlet 9"}


@pytest.fixture(scope="module")
def batch_output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    from distributed import LocalCluster

    from ahdath.batch.run import BatchOptions, run_batch

    d = tmp_path_factory.mktemp("batch")
    src = d / "feed.jsonl"
    write_reports(src, n_days=3, outlets=3)
    with src.open("a", encoding="utf-8") as f:  # an undated report, and one report twice
        f.write(json.dumps(UNDATED, ensure_ascii=False) + "\n")
        f.write(src.read_text(encoding="utf-8").splitlines()[4] + "\n")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        run_batch(BatchOptions(inputs=(str(src),), out=d / "out", scheduler=cluster.scheduler_address,
                               partition_size=2500))
    yield src, d / "out"


@pytest.mark.parametrize("batch", ["7", "50"])
def test_parquet_load_equals_ingest_of_the_inputs(batch_output: tuple[Path, Path], db_url: str, tmp_path: Path,
                                                   batch: str) -> None:
    src, out = batch_output
    reference = f"sqlite:///{tmp_path}/reference.sqlite"
    assert main(["ingest", "--db", reference, "--user", "t", "--batch", batch, "-q", str(src)]) == 0
    assert main(["ingest", "--db", db_url, "--user", "t", "--batch", batch, "-q", "--from-parquet", str(out)]) == 0
    with Store.open(reference, access="read") as a, Store.open(db_url, access="read") as b:
        expected, got = _dump(a), _dump(b)
    assert len(expected["events"]) > 5 and len(expected["mentions"]) > len(expected["events"])  # merges happened
    for table in ("reports", "events", "mentions", "tombstones", "id_counters", "changes"):
        assert got[table] == expected[table], table
    # loading again changes nothing
    assert main(["ingest", "--db", db_url, "--user", "t", "-q", "--from-parquet", str(out)]) == 0
    with Store.open(db_url, access="read") as b:
        assert _dump(b) == got


def _dump(store: Store) -> dict[str, list[tuple]]:
    """``storedump.dump`` without the clock the reports table adds (``ingested_at``)."""
    return {table: [tuple(kv for kv in row if kv[0] != "ingested_at") for row in rows]
            for table, rows in dump(store).items()}


def test_parquet_load_refuses_a_folder_that_is_no_batch_output(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path}/s.sqlite"
    assert main(["ingest", "--db", db, "--from-parquet", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ahdath: [E500] {tmp_path}: not an `ahdath batch` output (no manifest.json)"]
    assert not (tmp_path / "s.sqlite").exists()
