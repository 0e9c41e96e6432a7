"""``GET /api/export``: the events of the current filter as ACLED CSV, jsonl, GeoJSON or Parquet,
written by the same writers as ``ahdath export`` and streamed as they are written.

The rows are those ``ahdath export`` writes (the store's canonical rows), chosen by the same filter
as the table (``store.browse``'s conditions), read a chunk at a time. The manifest (snapshot time, engine and
lexicon versions, filter, count) comes as the ``X-Ahdath-Manifest`` header and from
``/api/export/manifest``."""
from __future__ import annotations

import datetime as dt
import queue
import tempfile
import threading
from collections.abc import Iterator
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select

from ahdath.store.db import read_connection
from ahdath.store.schema import events
from ahdath.web.deps import Ctx, Reader
from ahdath.web.schemas import ERRORS, Filters, filters

router = APIRouter(prefix="/api", responses=ERRORS)  # type: ignore[arg-type]
FilterDep = Annotated[Filters, Depends(filters)]
FORMAT = "^(acled-csv|jsonl|geojson|parquet)$"
_MEDIA = {"acled-csv": ("text/csv; charset=utf-8", "csv"), "jsonl": ("application/x-ndjson", "jsonl"),
          "geojson": ("application/geo+json", "geojson"), "parquet": ("application/vnd.apache.parquet", "parquet")}
_PAGE = 1000
_CHUNK = 64 * 1024


def manifest(ctx: Any, flt: Filters, fmt: str, *, now: dt.datetime | None = None) -> dict[str, Any]:
    from ahdath import __version__
    from ahdath.store.browse import browse_events
    from ahdath.provenance import lexicon_version

    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    total = browse_events(ctx.engine, flt.browse(sort="event_id", descending=False, limit=1)).total
    return {"snapshot": when.isoformat().replace("+00:00", "Z"), "engine_version": __version__,
            "lexicon_version": lexicon_version(), "format": fmt, "filter": flt.as_dict(), "events": total}


@router.get("/export/manifest", summary="what an export of this filter would be: snapshot, versions, count")
def export_manifest(ctx: Ctx, _who: Reader, flt: FilterDep,
                    format: Annotated[str, Query(pattern=FORMAT)] = "acled-csv") -> dict[str, Any]:
    return manifest(ctx, flt, format)


@router.get("/export", summary="the filtered events as a file (acled-csv, jsonl, geojson, parquet)",
            response_class=StreamingResponse)
def export(ctx: Ctx, _who: Reader, flt: FilterDep,
           format: Annotated[str, Query(pattern=FORMAT)] = "acled-csv") -> StreamingResponse:
    if format == "parquet":
        from ahdath.extras import require_extra

        require_extra("parquet")
    info = manifest(ctx, flt, format)
    media, ext = _MEDIA[format]
    stamp = info["snapshot"].replace("-", "").replace(":", "")
    headers = {"content-disposition": f'attachment; filename="ahdath-events-{stamp}.{ext}"',
               "x-ahdath-manifest": orjson.dumps(info).decode("utf-8").encode("ascii", "backslashreplace")
               .decode("ascii")}
    rows = export_rows(ctx.engine, flt)
    body = _parquet(rows) if format == "parquet" else _text(rows, format)
    return StreamingResponse(body, media_type=media, headers=headers)


def export_rows(engine: Any, flt: Filters) -> Iterator[dict[str, Any]]:
    """The canonical rows of the filter's events, by date then id as ``ahdath export`` writes them.
    The events are chosen once, by ``store.browse``'s conditions (the export is of that moment), and
    read a chunk of ids at a time, so memory stays small whatever the store's size."""
    from ahdath.store.browse import conditions

    date_key = func.coalesce(events.c.event_date, "")
    with read_connection(engine) as conn:
        ids = list(conn.execute(select(events.c.id).where(*conditions(flt.browse(limit=1)))
                                .order_by(date_key, events.c.id)).scalars())
    for lo in range(0, len(ids), _PAGE):
        chunk = ids[lo:lo + _PAGE]
        with read_connection(engine) as conn:
            found = {r["id"]: r for r in conn.execute(select(events).where(events.c.id.in_(chunk))).mappings()}
        for key in chunk:
            row = found.get(key)
            if row is not None and not row["deleted"]:
                d = dict(row)
                d.pop("id", None)
                d["timestamp"] = int(d["updated_at"])
                yield d


class _Stop(Exception):
    """The client went away: the writer thread ends at its next write."""


class _QueueWriter:
    """A text sink for the dataset writers that hands UTF-8 chunks to the response through a small
    queue: the writer runs at the pace the client reads."""

    def __init__(self, out: queue.Queue[bytes | BaseException | None], stop: threading.Event) -> None:
        self.out, self.stop, self.parts, self.size = out, stop, [], 0
        self.parts: list[str]

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= _CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.parts:
            chunk = "".join(self.parts).encode("utf-8")
            self.parts, self.size = [], 0
            while True:
                if self.stop.is_set():
                    raise _Stop()
                try:
                    self.out.put(chunk, timeout=0.5)
                    return
                except queue.Full:
                    continue


def _text(rows: Iterator[dict[str, Any]], fmt: str) -> Iterator[bytes]:
    from ahdath.export import write_dataset_text

    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
    stop = threading.Event()

    def produce() -> None:
        sink = _QueueWriter(chunks, stop)
        try:
            write_dataset_text(rows, fmt, sink)  # type: ignore[arg-type]
            sink.flush()
            chunks.put(None)
        except _Stop:
            return
        except BaseException as exc:  # noqa: BLE001 - handed to the response, which ends the stream
            chunks.put(exc)

    worker = threading.Thread(target=produce, name="ahdath-export", daemon=True)
    worker.start()
    try:
        while True:
            item = chunks.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def _parquet(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """Parquet's footer comes last, so the file is written whole (to a temporary file) first."""
    from ahdath.export import write_parquet

    with tempfile.TemporaryFile() as tmp:
        write_parquet(rows, tmp)
        tmp.seek(0)
        while chunk := tmp.read(_CHUNK):
            yield chunk
