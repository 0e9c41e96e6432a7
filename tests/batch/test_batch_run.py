"""``ahdath batch`` on a real Dask LocalCluster of two worker processes: the events equal
``ahdath extract``'s, a killed worker loses and duplicates nothing, a re-run does nothing, and
corrupt lines land in the failures file."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from ahdath.batch.run import BatchOptions, run_batch
from ahdath.cli.main import main
from batchdata import batch_events, gzip_copy, ordered, parquet_copy, reports_jsonl, strip_locators


def _extract(tmp_path: Path, *inputs: Path) -> list[dict[str, Any]]:
    out = tmp_path / "extract.jsonl"
    assert main(["extract", "-f", "jsonl", "-o", str(out), *map(str, inputs)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("inputs")
    reports_jsonl(d / "feed.jsonl")
    return {"jsonl": d / "feed.jsonl", "gzip": gzip_copy(d / "feed.jsonl", d / "wire.jsonl.gz"),
            "parquet": parquet_copy(d / "feed.jsonl", d / "archive.parquet"),
            "utf16": _utf16_copy(d / "feed.jsonl", d / "wide.jsonl"),
            "archive": Path(shutil.copy(d / "feed.jsonl", tmp_path_factory.mktemp("same") / "archive.jsonl"))}


def _utf16_copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_text(encoding="utf-8").encode("utf-16"))
    return dst


@pytest.mark.parametrize("kind", ["jsonl", "gzip", "parquet", "utf16"])
def test_batch_events_equal_extract(cluster: Any, inputs: dict[str, Path], tmp_path: Path, kind: str) -> None:
    src = inputs[kind]
    # extract reads no Parquet: the JSONL the Parquet file was made of, under the same name (a report
    # without an id is named after its file)
    expected = _extract(tmp_path, inputs["archive"] if kind == "parquet" else src)
    result = run_batch(BatchOptions(inputs=(str(src),), out=tmp_path / "out", scheduler=cluster.scheduler_address,
                                    partition_size=3000))
    got = batch_events(tmp_path / "out")
    # a compressed stream cannot be entered in the middle, nor UTF-16 cut at a byte: one task reads it whole
    assert result.ran == 1 if kind in ("gzip", "utf16") else result.ran > 4
    assert result.failures == 0
    assert ordered(strip_locators(got)) == ordered(expected)
    # the pipeline is loaded once per worker process, not per partition
    assert 1 <= result.pipeline_loads <= min(2, result.ran)
    import pyarrow.parquet as pq

    for f in (tmp_path / "out" / "events").rglob("part-*.parquet"):
        for row in pq.read_table(f).to_pylist():
            assert f.parent.name == f"month={(row['event_date'] or 'undated')[:7]}"
            assert f.parent.parent.name == f"country={row['country'] or 'unknown'}"


def test_batch_rerun_after_completion_does_nothing(cluster: Any, inputs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BatchOptions(inputs=(str(inputs["jsonl"]), str(inputs["gzip"])), out=out,
                           scheduler=cluster.scheduler_address, partition_size=5000)
    first = run_batch(options)
    files = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    again = run_batch(options)
    assert first.ran == first.partitions > 1
    assert again.ran == 0 and again.skipped == first.partitions and again.events == first.events
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()} == files


def test_batch_corrupt_lines_land_in_the_failures_file(cluster: Any, inputs: dict[str, Path], tmp_path: Path) -> None:
    lines = inputs["jsonl"].read_text(encoding="utf-8").splitlines()
    bad = list(lines[:5]) + ['{"id": "x", "text": ', "[1, 2]", '{"id": "latin", "text": "no Arabic here at all"}',
                             '{"id": "n", "text": 7}'] + lines[5:10]
    src = tmp_path / "damaged.jsonl"
    src.write_text("\n".join(bad) + "\n", encoding="utf-8")
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(inputs["jsonl"].read_bytes())[:900])
    out = tmp_path / "out"
    result = run_batch(BatchOptions(inputs=(str(src), str(truncated)), out=out, scheduler=cluster.scheduler_address,
                                    partition_size=2000))
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(f["input"], f["line"], f["code"]) for f in failures[:4]] == [
        (str(src), 6, "E105"), (str(src), 7, "E105"), (str(src), 8, "E106"), (str(src), 9, "E105")]
    assert "not valid JSON" in failures[0]["reason"] and "JSON object" in failures[1]["reason"]
    assert failures[-1]["input"] == str(truncated) and failures[-1]["code"] == "E105"
    assert result.failures == len(failures) == 5
    # the good lines around them are all there
    reports = {r["article_id"] for r in batch_events(out)}
    assert {json.loads(line)["id"] for line in lines[:10]} <= reports


def test_batch_killed_worker_still_gives_complete_output_without_duplicates(
        inputs: dict[str, Path], tmp_path: Path) -> None:
    import logging

    from distributed import Client, LocalCluster

    expected = _extract(tmp_path, inputs["jsonl"])
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        options = BatchOptions(inputs=(str(inputs["jsonl"]),), out=out, scheduler=cluster.scheduler_address,
                               partition_size=800)
        outcome: dict[str, Any] = {}
        runner = threading.Thread(target=lambda: outcome.update(result=run_batch(options)))
        runner.start()
        deadline = time.monotonic() + 120
        while not (out / "_parts").is_dir() or not any((out / "_parts").iterdir()):
            assert time.monotonic() < deadline and runner.is_alive()
            time.sleep(0.05)
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        runner.join(300)
        assert not runner.is_alive()
        after = client.run(os.getpid)
    result = outcome["result"]
    assert victim not in after.values()  # the nanny started a fresh process, whose partitions were retried
    assert result.ran == result.partitions and result.ran < len(expected)  # it was killed mid-run
    got = strip_locators(batch_events(out))
    keys = [(r["article_id"], r["event_id"]) for r in got]
    assert len(keys) == len(set(keys))
    assert ordered(got) == ordered(expected)
    assert not [p for p in out.rglob(".*") if p.is_file()]  # no temporaries left behind


def test_batch_cli_starts_a_local_cluster_and_says_where_its_dashboard_is(
        inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    args = ["batch", str(inputs["jsonl"]), "--out", str(out), "--workers", "2", "--partition-size", "4KB", "--dedup"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "ahdath: Dask dashboard at http" in err and "ahdath: batch: " in err and "ahdath: dedup: " in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["runs"][-1]["workers"] == 2 and manifest["counts"]["reports"] == len(
        inputs["jsonl"].read_text(encoding="utf-8").splitlines())
    assert manifest["inputs"][0]["sha256"] and manifest["versions"]["engine"]
    # the same command again: nothing to do, the dedup included
    assert main(args) == 0
    assert capsys.readouterr().err.strip() == f"ahdath: nothing to do: all {len(manifest['partitions'])} partitions of {out} are done"


@pytest.mark.parametrize("extra, line", [
    (["--lexicon", "{tmp}/nowhere"], "ahdath: [E200] 1 lexicon problem(s); first: {tmp}/nowhere: lexicon folder not found"),
    (["--gazetteer", "{tmp}/layer.jsonl"], "ahdath: {tmp}/layer.jsonl: [E300] gazetteer layer not found"),
    (["--input-missing"], "ahdath: {tmp}/nowhere.jsonl: [E100] no such file or directory"),
])
def test_batch_cli_names_what_it_cannot_read_in_one_line(inputs: dict[str, Path], tmp_path: Path, extra: list[str],
                                                         line: str) -> None:
    # a separate process: the worker processes' own stderr is the command's too, and must stay quiet
    src = str(tmp_path / "nowhere.jsonl") if extra == ["--input-missing"] else str(inputs["jsonl"])
    args = [a.format(tmp=tmp_path) for a in extra if a != "--input-missing"]
    done = subprocess.run([sys.executable, "-m", "ahdath", "batch", src, "--out", str(tmp_path / "out"), "--workers",
                           "1", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 1 and done.stderr.splitlines() == [line.format(tmp=tmp_path)]
    assert not (tmp_path / "out").exists()


def test_batch_refuses_an_output_folder_of_another_engine_or_settings(inputs: dict[str, Path], tmp_path: Path) -> None:
    from ahdath.batch.worker import Settings
    from ahdath.errors import UsageError

    out = tmp_path / "out"
    out.mkdir()
    made = {"format": 1, "versions": {"engine": "0.0.1", "lexicon": "x", "gazetteer": "y", "dedup_rules": "z"},
            "settings": Settings().as_dict(), "partitions": {}, "inputs": [], "runs": []}
    (out / "manifest.json").write_text(json.dumps(made), encoding="utf-8")
    with pytest.raises(UsageError, match="holds the output of another engine"):
        run_batch(BatchOptions(inputs=(str(inputs["jsonl"]),), out=out, workers=1))
    with pytest.raises(UsageError, match="not a folder"):
        run_batch(BatchOptions(inputs=(str(inputs["jsonl"]),), out=inputs["jsonl"], workers=1))
