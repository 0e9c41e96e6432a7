"""Write events as a table for people, or jsonl, ACLED CSV and GeoJSON for programs.

jsonl, csv and geojson stream: events are written as they come, so a long
batch shows output early and holds little memory. Only the table buffers,
to size its columns.
"""
from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from typing import Any, Callable, Iterable, Sequence, TextIO

from ahdath.errors import UsageError
from ahdath.model import Event

# ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
FORMATS: tuple[str, ...] = ("table", "jsonl", "csv", "geojson")
# What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"): a report's `source`
# or an editor's note starting with "=" would otherwise run when the CSV is opened.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if not math.isfinite(value) else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def csv_cell(value: Any) -> str:
    """``cell`` for a CSV file: text starting like a formula gets a leading ``'``, which spreadsheets
    take as "this is text" and do not show. Numbers are never escaped: a longitude of -3.5 or a count
    stays a number. Whether to escape follows the value's type, not the column's, so text is escaped
    whichever column holds it."""
    text = cell(value)
    if isinstance(value, str) and text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_line(cells: Iterable[str]) -> str:
    """One CSV record ending in "\\n", a cell holding a carriage return quoted. Python's csv module
    (before 3.12) quotes only the characters of its line terminator, so with "\\n" a bare CR was left
    unquoted and split the row for every reader; writing with "\\r\\n" quotes both, then the record's
    own ending is put back to "\\n"."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()[:-2] + "\n"


def acled_row(event: Event, timestamp: int | None) -> dict[str, str]:
    """One ACLED CSV row: our fields renamed where ACLED names differ, missing ones empty, text that a
    spreadsheet would run as a formula escaped (``csv_cell``)."""
    row = {name: csv_cell(getattr(event, name, None)) for name in ACLED_COLUMNS}
    row["event_id_cnty"] = csv_cell(event.event_id)
    row["location"] = csv_cell(event.location or event.location_ar or "")
    row["source_scale"] = ""  # ACLED codes it from the outlet's reach, which a report does not say
    row["timestamp"] = "" if timestamp is None else str(timestamp)
    return row


def _write_csv(events: Iterable[Event], out: TextIO, timestamp: int | None) -> int:
    out.write(csv_line(ACLED_COLUMNS))
    n = 0
    for event in events:
        row = acled_row(event, timestamp)
        out.write(csv_line(row[name] for name in ACLED_COLUMNS))
        n += 1
    return n


def _write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    n = 0
    for event in events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _has_point(event: Event) -> bool:
    lat, lon = event.latitude, event.longitude
    return (lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180)


def geojson_feature(event: Event) -> dict[str, Any]:
    """A GeoJSON Point feature (lon, lat) with every event field as a property."""
    return {
        "type": "Feature",
        "id": event.event_id,
        "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
        "properties": event.to_dict(),
    }


def _write_geojson(events: Iterable[Event], out: TextIO) -> int:
    """A FeatureCollection, one feature a line; events without a point are left out."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for event in events:
        if not _has_point(event):
            continue
        out.write(("\n" if n == 0 else ",\n") + json.dumps(geojson_feature(event), ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


# Table: (header, width cap, value)
_TABLE: tuple[tuple[str, int, Callable[[Event], Any]], ...] = (
    ("article", 12, lambda e: e.article_id),
    ("date", 10, lambda e: e.event_date),
    ("sub_event_type", 33, lambda e: e.sub_event_type),
    ("actor1", 36, lambda e: e.actor1),
    ("actor2", 36, lambda e: e.actor2),
    ("admin1", 14, lambda e: e.admin1),
    ("fat", 4, lambda e: e.fatalities),
    # Arabic last: a right-to-left cell cannot push the columns after it out of line
    ("location", 30, lambda e: e.location_ar or e.location),
)


def display_width(text: str) -> int:
    """Terminal columns: combining marks take none, wide East Asian characters two."""
    w = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\u200e\u200f\ufeff":
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (ending in "…" when cut) and padded to it."""
    text = " ".join(text.split())
    if display_width(text) > width:
        out, w = [], 0
        for ch in text:
            cw = display_width(ch)
            if w + cw > width - 1:
                break
            out.append(ch)
            w += cw
        text = "".join(out) + "…"
    return text + " " * (width - display_width(text))


def _write_table(events: Iterable[Event], out: TextIO) -> int:
    return write_table(events, _TABLE, out)


def write_table(items: Iterable[Any], columns: Sequence[tuple[str, int, Callable[[Any], Any]]],
                out: TextIO) -> int:
    """A plain-text table: ``columns`` are (header, width cap, value getter); the last may be Arabic."""
    rows = [[cell(get(e)) for _h, _cap, get in columns] for e in items]
    widths = [min(cap, max([len(h)] + [display_width(r[i]) for r in rows]))
              for i, (h, cap, _get) in enumerate(columns)]
    last = len(columns) - 1

    def line(cells: list[str]) -> str:
        return "  ".join(_fit(c, w) if i < last else _fit(c, w).rstrip()
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip() + "\n"

    out.write(line([h for h, _cap, _get in columns]))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write(line(r))
    out.write(f"{len(rows)} event{'s' if len(rows) != 1 else ''}\n")
    return len(rows)


def write_events(events: Iterable[Event], fmt: str, out: TextIO, *, timestamp: int | None = None) -> int:
    """Write ``events`` to ``out`` in ``fmt``; returns how many were written.

    ``timestamp`` (unix seconds) fills ACLED's ``timestamp`` column, the time a row was last
    changed in a dataset. Events straight from reports belong to no dataset yet, so by default
    the column is left empty rather than filled with the clock, which would make two runs on
    the same input differ; the store's export fills it with each event's last change.
    GeoJSON leaves out events without coordinates, so its count can be lower.
    """
    if fmt == "jsonl":
        return _write_jsonl(events, out)
    if fmt == "csv":
        return _write_csv(events, out, timestamp)
    if fmt == "geojson":
        return _write_geojson(events, out)
    if fmt == "table":
        return _write_table(events, out)
    raise UsageError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
