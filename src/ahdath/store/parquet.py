"""Load ``ahdath batch`` output into the store without extracting again (``ingest --from-parquet``).

The reports and their events are read back a partition at a time, in the order the batch read
them (input, then line), and go through ``Store.add_reports``: the same path as ``ingest``, so the
store's ids, dedup, kin and change log follow the same rules, and a report already stored is left
unchanged. The bulk writes inside it are PostgreSQL COPY (``Store.insert_many``); batches larger
than ``ingest``'s make each COPY carry more rows.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ahdath.errors import UsageError
from ahdath.model import Article, Event, Evidence, Span
from ahdath.store.ingest import IngestSummary, _Tally
from ahdath.store.repository import Store

_EVENT_FIELDS = tuple(Event.__dataclass_fields__)


def batch_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{folder}: not an `ahdath batch` output (no manifest.json)") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: unreadable ({exc})") from None
    if not isinstance(manifest, dict) or "partitions" not in manifest:
        raise UsageError(f"{path}: not an `ahdath batch` manifest")
    return manifest


def event_from_row(row: dict[str, Any]) -> Event:
    """An ``Event`` from a batch output row (its evidence from JSON)."""
    ev = json.loads(row["evidence"])
    spans = {role: tuple(Span(s["start"], s["end"], s["text"]) for s in items)
             for role, items in ev.get("spans", {}).items()}
    values = {name: row[name] for name in _EVENT_FIELDS}
    values["evidence"] = Evidence(ev["text"], ev["start"], ev["end"], spans)
    return Event(**values)


def reports_of(folder: Path) -> Iterator[tuple[Article, list[Event]]]:
    """Each report of a batch output with its events, in the order the batch read them."""
    import pyarrow.parquet as pq

    manifest = batch_manifest(folder)
    parts = sorted(manifest["partitions"].items(), key=lambda kv: (kv[1]["input"], kv[1]["start"]))
    order = {i["url"]: n for n, i in enumerate(manifest.get("inputs", []))}
    parts.sort(key=lambda kv: (order.get(kv[1]["input"], len(order)), kv[1]["start"]))
    for pid, _info in parts:
        reports = pq.read_table(folder / "reports" / f"part-{pid}.parquet").to_pylist()
        found: dict[tuple[int, int], list[tuple[int, Event]]] = defaultdict(list)
        for f in sorted((folder / "events").glob(f"*/*/part-{pid}.parquet")):
            for row in pq.read_table(f).to_pylist():
                found[(row["report_input"], row["report_line"])].append((row["report_event"], event_from_row(row)))
        for r in sorted(reports, key=lambda r: (r["report_input"], r["report_line"])):
            published = date.fromisoformat(r["published"]) if r["published"] else None
            article = Article(r["article_id"], r["text"], published, r["url"], r["title"], r["source"])
            yield article, [e for _n, e in sorted(found.get((r["report_input"], r["report_line"]), []),
                                                   key=lambda x: x[0])]


def load_batch_output(folder: Path, store: Store, *, batch_size: int = 200,
                      on_report: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Store every report of a batch output with the events the batch extracted."""
    version = str(batch_manifest(folder).get("versions", {}).get("engine", ""))
    tally = _Tally()
    batch: list[tuple[Article, list[Event]]] = []

    def flush() -> None:
        if batch:
            for outcome in store.add_reports(batch, extractor_version=version):
                tally.add(outcome)
            batch.clear()
            if on_report:
                on_report(tally.summary())

    for item in reports_of(folder):
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    return tally.summary()
