"""Output formats: jsonl, ACLED CSV, GeoJSON and the table."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from ahdath.errors import UsageError
from ahdath.export import ACLED_COLUMNS, write_events
from ahdath.export.writers import display_width

ACLED_ORDER = (
    "event_id_cnty, event_date, year, time_precision, disorder_type, event_type, sub_event_type, actor1, "
    "assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country, "
    "admin1, admin2, admin3, location, latitude, longitude, geo_precision, source, source_scale, notes, "
    "fatalities, tags, timestamp"
)


def _write(events, fmt: str, **kw) -> tuple[int, str]:
    out = io.StringIO()
    n = write_events(iter(events), fmt, out, **kw)
    return n, out.getvalue()


def test_export_acled_columns_are_acleds_in_order() -> None:
    assert ACLED_COLUMNS == tuple(ACLED_ORDER.split(", "))


def test_export_jsonl_one_event_a_line_unescaped(events) -> None:
    n, text = _write(events, "jsonl")
    lines = text.splitlines()
    assert n == 3 and len(lines) == 3
    assert "كفرنبل" in lines[0]  # ensure_ascii=False
    assert [json.loads(line) for line in lines] == [json.loads(json.dumps(e.to_dict())) for e in events]
    assert list(json.loads(lines[0])) == list(events[0].to_dict())


def test_export_csv_header_exact_and_rows(events) -> None:
    n, text = _write(events, "csv", timestamp=1_700_000_000)
    assert n == 3
    assert text.split("\n", 1)[0] == ACLED_ORDER.replace(", ", ",")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    first = rows[0]
    assert first["event_id_cnty"] == "SYR1" and first["timestamp"] == "1700000000"
    assert first["location"] == "Kafr Nobol" and first["latitude"] == "35.6137" and first["iso"] == "760"
    assert first["assoc_actor_1"] == "" and first["tags"] == "" and first["source_scale"] == ""
    assert rows[1]["notes"] == 'Clashes, with "quotes", commas\nand a newline.'  # quoted, round-trips
    assert rows[1]["latitude"] == ""


def test_export_csv_location_falls_back_to_arabic(events) -> None:
    _n, text = _write([replace(events[0], location=None)], "csv")
    assert next(csv.DictReader(io.StringIO(text)))["location"] == "كفرنبل"


def test_export_csv_empty_still_has_header() -> None:
    n, text = _write([], "csv")
    assert n == 0 and text == ACLED_ORDER.replace(", ", ",") + "\n"


def test_export_geojson_valid_feature_collection_without_unplaced(events) -> None:
    n, text = _write(events, "geojson")
    doc = json.loads(text)
    assert n == 2 and doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
    for feature, event in zip(doc["features"], [events[0], events[2]]):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [event.longitude, event.latitude]}
        assert feature["properties"]["event_id"] == event.event_id
        assert feature["properties"]["location_ar"] == event.location_ar


@pytest.mark.parametrize("lat, lon", [(float("nan"), 36.0), (95.0, 36.0), (35.0, None)])
def test_export_geojson_drops_impossible_points(events, lat, lon) -> None:
    n, text = _write([replace(events[0], latitude=lat, longitude=lon)], "geojson")
    assert n == 0 and json.loads(text) == {"type": "FeatureCollection", "features": []}


def test_export_table_aligned_truncated_with_arabic_location(events) -> None:
    n, text = _write(events, "table")
    lines = text.splitlines()
    assert n == 3
    assert lines[0].split() == ["article", "date", "sub_event_type", "actor1", "actor2", "admin1", "fat", "location"]
    assert set(lines[1]) == {"-", " "}
    assert lines[-1] == "3 events"
    body = lines[2:5]
    assert "كفرنبل" in body[0] and "سهل الغاب" in body[1]
    assert "…" in body[2] and "X" * 80 not in body[2]  # long values are cut
    # every column before the (last, Arabic) location starts at the same place on every line
    start = lines[0].index("location")
    assert all(display_width(line[:start]) == start for line in body)


def test_export_table_empty() -> None:
    n, text = _write([], "table")
    assert n == 0 and text.splitlines()[-1] == "0 events"


def test_export_unknown_format_is_a_usage_error(events) -> None:
    with pytest.raises(UsageError) as info:
        write_events(events, "xml", io.StringIO())
    assert info.value.code == "E500"


@pytest.mark.parametrize("text, width", [("abc", 3), ("كفرنبل", 6), ("قُتِلَ", 3), ("東京", 4), ("\u200fحلب", 3)])
def test_export_display_width(text: str, width: int) -> None:
    assert display_width(text) == width
