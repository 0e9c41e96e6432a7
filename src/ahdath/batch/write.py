"""Parquet output of ``ahdath batch``, written exactly once.

Layout under ``--out``::

    events/country=C/month=YYYY-MM/part-ID.parquet   the events (the fields of ``extract --format jsonl``,
                                                     evidence as JSON), plus report_input, report_line
                                                     and report_event: the report's, and its place in it
    reports/part-ID.parquet                          the reports (text as given: what evidence indexes)
    _parts/ID.json                                   the partition's record: written last, it marks it done
    failures.jsonl, manifest.json                    written by the driver

Every file of a partition has a name fixed by the partition's id and is written under a hidden
temporary name, then renamed into place (atomic on a POSIX file system). A task that runs twice (a
worker killed mid-task and its partition retried, or a speculative duplicate) writes the same names
with the same content, so the output never holds an event twice; readers skip hidden files, so a
half-written file is never read.
"""
from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ahdath.batch.plan import Partition
from ahdath.model import Event

EVENT_FIELDS = tuple(Event.__dataclass_fields__)
_INT = ("year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities")
_FLOAT = ("latitude", "longitude", "confidence")
_SAFE = " ()',"  # kept as written in a country's folder name; "/" and the rest are %-escaped


def event_schema() -> Any:
    import pyarrow as pa

    cols = []
    for name in EVENT_FIELDS:
        kind = pa.int64() if name in _INT else pa.float64() if name in _FLOAT else pa.string()
        cols.append(pa.field(name, kind))
    return pa.schema(cols + [pa.field("report_input", pa.int32()), pa.field("report_line", pa.int64()),
                             pa.field("report_event", pa.int32())])


def report_schema() -> Any:
    import pyarrow as pa

    return pa.schema([pa.field("report_input", pa.int32()), pa.field("report_line", pa.int64()),
                      pa.field("input", pa.string()), pa.field("article_id", pa.string()),
                      pa.field("text", pa.string()), pa.field("published", pa.string()),
                      pa.field("url", pa.string()), pa.field("title", pa.string()), pa.field("source", pa.string()),
                      pa.field("content_hash", pa.string()), pa.field("n_events", pa.int32())])


def event_row(event: Event, input_no: int, line: int, nth: int) -> dict[str, Any]:
    """``nth``: the event's place among its report's (the order the store links them in)."""
    row = {name: getattr(event, name) for name in EVENT_FIELDS}
    row["evidence"] = json.dumps(event.evidence.to_dict(), ensure_ascii=False)
    row["report_input"], row["report_line"], row["report_event"] = input_no, line, nth
    return row


def place_dir(country: str | None, event_date: str | None) -> str:
    """``country=C/month=YYYY-MM`` (hive style; ``unknown`` and ``undated`` where missing)."""
    month = event_date[:7] if event_date else "undated"
    return f"country={quote(country or 'unknown', safe=_SAFE)}/month={month}"


def _atomic_table(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex}"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def atomic_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class PartitionWriter:
    """One partition's output, written as it comes (a row group every ``flush_rows`` rows, so a worker
    holds one chunk of a partition, not all of it) under hidden temporary names; ``close`` renames the
    files into place and writes the record last."""

    def __init__(self, out: Path, part: Partition, *, flush_rows: int = 2000) -> None:
        self.out, self.part, self.flush_rows = out, part, flush_rows
        self.tag = uuid.uuid4().hex
        self.writers: dict[str, Any] = {}  # relative path -> ParquetWriter on its temporary file
        self.pending: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.reports = self.events = 0

    def _tmp(self, rel: str) -> Path:
        path = self.out / rel
        return path.parent / f".{path.name}.tmp-{self.tag}"

    def _flush(self, rel: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = self.pending.pop(rel, None)
        if not rows:
            return
        schema = report_schema() if rel.startswith("reports/") else event_schema()
        writer = self.writers.get(rel)
        if writer is None:
            tmp = self._tmp(rel)
            tmp.parent.mkdir(parents=True, exist_ok=True)
            writer = self.writers[rel] = pq.ParquetWriter(tmp, schema, compression="zstd")
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))

    def add(self, report: Any, found: Sequence[Event]) -> None:
        from ahdath.store.repository import content_hash

        a = report.article
        rel = f"reports/part-{self.part.id}.parquet"
        self.pending[rel].append({"report_input": report.input_no, "report_line": report.line, "input": self.part.url,
                                  "article_id": a.id, "text": a.reference,
                                  "published": a.published.isoformat() if a.published else None, "url": a.url,
                                  "title": a.title, "source": a.source, "content_hash": content_hash(a),
                                  "n_events": len(found)})
        self.reports += 1
        for nth, e in enumerate(found):
            where = f"events/{place_dir(e.country, e.event_date)}/part-{self.part.id}.parquet"
            self.pending[where].append(event_row(e, report.input_no, report.line, nth))
            self.events += 1
        if self.reports % self.flush_rows == 0:
            for where in sorted(self.pending):
                self._flush(where)

    def close(self, failures: list[dict[str, Any]], *, seconds: float, worker: str, cpu_s: float = 0.0,
              ) -> dict[str, Any]:
        """``seconds``: the task's wall time; ``cpu_s``: the CPU time of its thread (what a loaded machine
        does not inflate)."""
        rel_reports = f"reports/part-{self.part.id}.parquet"
        self.pending.setdefault(rel_reports, [])
        for where in sorted(self.pending):
            self._flush(where)
        if rel_reports not in self.writers:  # a partition of failures only still says so
            _atomic_table(_empty(report_schema()), self.out / rel_reports)
        files = []
        for rel in sorted(self.writers):
            self.writers[rel].close()
            os.replace(self._tmp(rel), self.out / rel)
            files.append(rel)
        files = sorted(set(files) | {rel_reports})
        part = self.part
        record = {"id": part.id, "input_no": part.input_no, "input": part.url, "mode": part.mode,
                  "start": part.start, "end": part.end, "reports": self.reports, "events": self.events,
                  "failed": len(failures), "failures": failures, "files": files, "seconds": round(seconds, 3),
                  "cpu_s": round(cpu_s, 3), "worker": worker}
        atomic_text(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n",
                    self.out / "_parts" / f"{part.id}.json")
        return record

    def abort(self) -> None:
        for rel, writer in self.writers.items():
            try:
                writer.close()
                self._tmp(rel).unlink()
            except OSError:
                pass


def _empty(schema: Any) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist([], schema=schema)


def done_records(out: Path) -> dict[str, dict[str, Any]]:
    """The records of the partitions finished in ``out`` (by id)."""
    found: dict[str, dict[str, Any]] = {}
    folder = out / "_parts"
    if folder.is_dir():
        for p in sorted(folder.glob("*.json")):
            try:
                record = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # never written whole (renamed into place only when complete): not done
            found[record["id"]] = record
    return found


def remove_temporaries(out: Path) -> int:
    """Hidden temporaries of attempts that died before their rename; run when no task is running."""
    n = 0
    for p in out.rglob(".*.tmp-*"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n
