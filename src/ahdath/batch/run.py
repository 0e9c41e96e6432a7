"""The driver of ``ahdath batch``: plan, submit the unfinished partitions to Dask, record what finishes.

Without a scheduler address it starts a ``LocalCluster`` of worker processes (one thread each:
extraction is pure Python, so threads would share one GIL) sized to the machine. Dask retries the
partition of a worker that dies (``distributed.scheduler.allowed-failures``); the partition's files
are written under fixed names by atomic renames (``write``), so a retried one replaces its own
files and the output holds each event once.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ahdath.batch import manifest
from ahdath.batch.inputs import expand
from ahdath.batch.plan import DEFAULT_PARTITION_SIZE, Partition, plan
from ahdath.batch.worker import PipelinePlugin, Settings, extract_partition
from ahdath.batch.write import done_records, remove_temporaries
from ahdath.errors import UsageError, WorkerError
from ahdath.extras import require_extra


@dataclass(frozen=True, slots=True)
class BatchOptions:
    inputs: tuple[str, ...]
    out: Path
    scheduler: str | None = None
    workers: int | None = None  # LocalCluster processes (default: the machine's cores)
    partition_size: int = DEFAULT_PARTITION_SIZE
    settings: Settings = Settings()
    dedup: bool = False


@dataclass(frozen=True, slots=True)
class BatchResult:
    partitions: int  # in the output, done before or now
    ran: int  # done by this run
    skipped: int  # found done
    reports: int
    events: int
    failures: int
    wall_s: float
    workers: int
    pipeline_loads: int  # distinct worker pipelines that ran this run's partitions
    dashboard: str | None = None
    dedup: dict[str, Any] | None = None  # the dedup's figures, when this run made it
    extract_s: float = 0.0  # from the first partition submitted to the last one done


def run_batch(options: BatchOptions, *, progress: Callable[[int, int, int], None] | None = None,
              say: Callable[[str], None] | None = None) -> BatchResult:
    """Run (or resume) a batch; ``progress(reports, failures, partitions done)`` after each partition;
    ``say`` gets the lines worth a user's eye (the dashboard's address)."""
    require_extra("batch")
    require_extra("parquet")
    started = time.perf_counter()
    out = options.out
    settings = options.settings
    _check_layers(settings)
    made = manifest.versions(settings)
    previous = manifest.read(out)
    manifest.check_same(previous, made, settings, out)
    passed: list[str] = []
    files = expand(options.inputs, passed=passed)
    if passed and say:
        # batch reads JSON lines and Parquet only; a folder's pages and text files need ``ahdath extract``
        shown = ", ".join(passed[:3]) + (f" and {len(passed) - 3} more" if len(passed) > 3 else "")
        say(f"not read (not .jsonl or .parquet; `ahdath extract` reads them): {shown}")
    parts, inputs = plan(files, options.partition_size)
    records = done_records(out) if out.exists() else {}
    pending = [p for p in parts if p.id not in records]
    skipped = len(parts) - len(pending)
    ran: dict[str, dict[str, Any]] = {}
    dashboard, n_workers = None, 0
    dedup_figures: dict[str, Any] | None = None
    extract_s = 0.0
    if pending or (options.dedup and not _dedup_current(out, records)):
        try:
            out.mkdir(parents=True, exist_ok=True)
            (out / "_parts").mkdir(exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
        with ExitStack() as stack:
            client = stack.enter_context(_client(options))
            dashboard = client.dashboard_link
            n_workers = _workers(client)
            if say and dashboard:
                say(f"Dask dashboard at {dashboard}")
            if pending:
                t = time.perf_counter()

                def checkpoint() -> None:
                    # the manifest kept near current while partitions finish (a driver killed meanwhile
                    # loses none of them: each one's own ``_parts`` record is what resuming reads)
                    entry = {"started": _stamp(started), "in_progress": True, "partitions_run": len(ran),
                             "partitions_skipped": skipped, "workers": n_workers}
                    manifest.write(out, manifest.build(previous, made, settings, inputs, records, entry))

                _run_partitions(client, pending, settings, out, records, ran, progress, checkpoint)
                extract_s = time.perf_counter() - t
            remove_temporaries(out)
            if options.dedup:
                from ahdath.batch.dedup import run_dedup

                dedup_figures = run_dedup(client, out, records, n_workers)
    if ran or previous is None or dedup_figures:
        manifest.write_failures(out, records)
        run = {"started": _stamp(started),
               "wall_s": round(time.perf_counter() - started, 3), "partitions_run": len(ran),
               "partitions_skipped": skipped, "workers": n_workers, "dedup": options.dedup,
               "reports": sum(r["reports"] for r in ran.values()),
               "pipeline_loads": len({r["worker"] for r in ran.values()}),
               **({"dedup_figures": dedup_figures} if dedup_figures else {})}
        manifest.write(out, manifest.build(previous, made, settings, inputs, records, run))
    return BatchResult(partitions=len(records), ran=len(ran), skipped=skipped,
                       reports=sum(r["reports"] for r in records.values()),
                       events=sum(r["events"] for r in records.values()),
                       failures=sum(r["failed"] for r in records.values()),
                       wall_s=time.perf_counter() - started, workers=n_workers,
                       pipeline_loads=len({r["worker"] for r in ran.values()}), dashboard=dashboard,
                       dedup=dedup_figures, extract_s=extract_s)


def _check_layers(settings: Settings) -> None:
    """The extra lexicons and gazetteer layers, checked here before any cluster starts (each worker
    loads them again, from the same paths)."""
    from ahdath.errors import GazetteerError
    from ahdath.lexicon import load_lexicons

    if settings.lexicon_dirs:
        load_lexicons(tuple(Path(d) for d in settings.lexicon_dirs))
    for g in settings.gazetteer_paths:
        if not Path(g).exists():
            raise GazetteerError("gazetteer layer not found", source=g)


def _workers(client: Any) -> int:
    try:
        info = client.scheduler_info(n_workers=-1)  # all of them (newer Dask lists only the first few)
    except TypeError:  # an older Dask, which lists them all
        info = client.scheduler_info()
    return len(info["workers"])


def _stamp(started: float) -> str:
    """The UTC time at which ``time.perf_counter()`` read ``started``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - (time.perf_counter() - started)))


def _dedup_current(out: Path, records: dict[str, dict[str, Any]]) -> bool:
    """Whether ``out/dedup`` was made from exactly the finished partitions (so a re-run has nothing to do)."""
    from ahdath.batch.dedup import partitions_digest

    try:
        summary = json.loads((out / "dedup" / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(summary.get("partitions_digest") == partitions_digest(sorted(records)))


def _client(options: BatchOptions) -> Any:
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout="30s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}") from None
    else:
        n = options.workers or os.cpu_count() or 1
        # one thread a process: extraction holds the GIL; "spawn" keeps workers free of the driver's state
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    closing = _Closing(client, cluster)
    try:
        client.register_plugin(PipelinePlugin(options.settings), name=PipelinePlugin.name)
    except BaseException:
        closing.__exit__()
        raise
    return closing


class _Closing:
    """The client as a context manager that also closes a cluster it started."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _run_partitions(client: Any, pending: Sequence[Partition], settings: Settings, out: Path,
                    records: dict[str, dict[str, Any]], ran: dict[str, dict[str, Any]],
                    progress: Callable[[int, int, int], None] | None, checkpoint: Callable[[], None],
                    every: float = 10.0) -> None:
    from distributed import as_completed
    from distributed.client import FutureCancelledError

    futures = [client.submit(extract_partition, p, settings, str(out), key=f"ahdath-partition-{p.id}",
                             pure=False) for p in pending]
    reports = sum(r["reports"] for r in records.values())
    failures = sum(r["failed"] for r in records.values())
    last = time.monotonic()
    try:
        for future in as_completed(futures):
            try:
                record = future.result()
            except FutureCancelledError:
                raise WorkerError("the Dask scheduler cancelled the batch's tasks") from None
            except OSError as exc:  # the output's disk full or read-only, as a worker met it
                raise UsageError(f"cannot write the output folder {out}: {exc.strerror or exc}") from None
            except Exception as exc:
                if type(exc).__name__ == "KilledWorker":
                    raise WorkerError(f"a partition's worker died {exc.args[-1] if exc.args else ''} times over; "
                                      "what finished is kept: run the same command again to finish") from None
                raise
            records[record["id"]] = ran[record["id"]] = record
            reports += record["reports"]
            failures += record["failed"]
            if progress:
                progress(reports, failures, len(records))
            if time.monotonic() - last >= every:
                checkpoint()
                last = time.monotonic()
    finally:
        for f in futures:
            f.release()


def stderr_say(stream: TextIO | None = None) -> Callable[[str], None]:
    return lambda line: print(f"ahdath: {line}", file=stream or sys.stderr, flush=True)
