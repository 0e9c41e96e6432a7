"""Writing the canonical dataset from the store: ACLED CSV, jsonl, GeoJSON, Parquet.

Rows are plain dicts (``ahdath.store.iter_events``): every ACLED field plus
``event_id``, ``timestamp`` (last change, epoch seconds), ``n_reports`` and
``merge_reason``. ``source`` already lists every outlet, ``;``-separated.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Mapping, TextIO

from ahdath.errors import UsageError
from ahdath.export.writers import ACLED_COLUMNS, csv_cell, csv_line

DATASET_FORMATS: tuple[str, ...] = ("acled-csv", "jsonl", "geojson", "parquet")
_EXTRA = ("location_ar", "source_url", "confidence", "n_reports", "merge_reason")


def acled_dataset_row(row: Mapping[str, Any]) -> dict[str, str]:
    """One ACLED CSV row, text that a spreadsheet would run as a formula escaped (``csv_cell``)."""
    out = {name: csv_cell(row.get(name)) for name in ACLED_COLUMNS}
    out["event_id_cnty"] = csv_cell(str(row["event_id"]))
    out["location"] = csv_cell(row.get("location") or row.get("location_ar") or "")
    out["source_scale"] = ""  # ACLED codes it from each outlet's reach, which reports do not state
    out["timestamp"] = str(int(row.get("timestamp") or 0))
    return out


def _public(row: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("event_id",) + tuple(c for c in ACLED_COLUMNS if c not in ("event_id_cnty", "source_scale")) + _EXTRA
    return {k: row.get(k) for k in keep}


def _has_point(row: Mapping[str, Any]) -> bool:
    lat, lon = row.get("latitude"), row.get("longitude")
    return (isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and math.isfinite(lat)
            and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180)


def write_dataset_text(rows: Iterable[Mapping[str, Any]], fmt: str, out: TextIO) -> tuple[int, int]:
    """Stream ``rows`` as ``fmt``; returns (written, left out for lack of a point)."""
    n = skipped = 0
    if fmt == "acled-csv":
        out.write(csv_line(ACLED_COLUMNS))
        for row in rows:
            cells = acled_dataset_row(row)
            out.write(csv_line(cells[name] for name in ACLED_COLUMNS))
            n += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row if "reports" in row else _public(row), ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "geojson":
        out.write('{"type": "FeatureCollection", "features": [')
        for row in rows:
            if not _has_point(row):
                skipped += 1
                continue
            feature = {"type": "Feature", "id": row["event_id"],
                       "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                       "properties": _public(row)}
            out.write(("\n" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
            n += 1
        out.write("\n]}\n")
    else:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(DATASET_FORMATS)})")
    return n, skipped


def _parquet_schema() -> Any:
    from ahdath.extras import require_extra

    require_extra("parquet")
    import pyarrow as pa

    from ahdath.store.schema import EVENT_FIELDS

    kinds = {name: typ.__name__ for name, typ in EVENT_FIELDS}
    arrow = {"Integer": pa.int64(), "Float": pa.float64()}
    fields = [pa.field("event_id", pa.string())]
    for name in _public({"event_id": ""}):
        if name == "event_id":
            continue
        kind = "Integer" if name in ("timestamp", "n_reports") else kinds.get(name, "String")
        fields.append(pa.field(name, arrow.get(kind, pa.string())))
    return pa.schema(fields)


def write_parquet(rows: Iterable[Mapping[str, Any]], out: str | Path | BinaryIO, *, chunk: int = 10_000) -> int:
    """Parquet with typed columns (the jsonl fields), written in row groups so memory stays flat.

    Needs the ``parquet`` extra (pyarrow); without it raises ``MissingExtraError`` (E510).
    """
    schema = _parquet_schema()
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        buf: list[dict[str, Any]] = []
        for row in rows:
            buf.append(_public(row))
            if len(buf) >= chunk:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                n += len(buf)
                buf.clear()
        if buf or n == 0:
            writer.write_table(pa.Table.from_pylist(buf, schema=schema))
            n += len(buf)
    return n
