"""The canonical dataset out of a real store: ACLED CSV, jsonl, GeoJSON and Parquet."""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ahdath.errors import UsageError
from ahdath.export import ACLED_COLUMNS, write_dataset_text, write_parquet
from ahdath.store import Store, iter_events

from store.factory import article, event

_TOWNS = ("maarrat", "saraqib", "tafas")
_INTERNAL = {"id", "pinned", "deleted", "created_at", "updated_at"}


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Eight canonical events: SYR1 told by two outlets, SYR3 with no coordinates."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dataset')}/store.sqlite"
    found = [event(i, town=_TOWNS[(i - 1) % 3], event_date=f"2024-03-{10 + i:02d}", fatalities=i) for i in range(1, 9)]
    found[2] = event(3, town="tafas", event_date="2024-03-13", location=None, latitude=None, longitude=None,
                     geo_precision=3)
    with Store.open(url, actor="tester") as store:
        store.add_reports([(article("a", url="https://a.example/1", source="Outlet A"), found)])
        store.add_reports([(article("b", url="https://b.example/7", source="Outlet B"),
                            [event(20, event_date="2024-03-11", fatalities=4)])])
        out = list(iter_events(store.engine))
    assert [r["event_id"] for r in out] == [f"SYR{i}" for i in range(1, 9)]
    return out


def _text(rows: list[dict[str, Any]], fmt: str) -> tuple[int, int, str]:
    out = io.StringIO()
    n, skipped = write_dataset_text(iter(rows), fmt, out)
    return n, skipped, out.getvalue()


def test_export_dataset_acled_csv(rows: list[dict[str, Any]]) -> None:
    n, skipped, text = _text(rows, "acled-csv")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
    table = list(reader)
    assert (n, skipped, len(table)) == (8, 0, 8)
    for src, line in zip(rows, table, strict=True):
        assert line["event_id_cnty"] == src["event_id"]
        assert line["timestamp"] == str(int(src["updated_at"])) and int(line["timestamp"]) > 0
        assert line["source_scale"] == ""
    first = table[0]
    assert first["source"] == "Outlet A; Outlet B"
    assert first["fatalities"] == "1"  # the lowest figure of 1 and 4
    assert (first["latitude"], first["longitude"]) == ("35.6476", "36.6746")
    assert table[2]["location"] == "طفس"  # no English name: the Arabic one, not a blank
    assert (table[2]["latitude"], table[2]["longitude"]) == ("", "")


def test_export_dataset_jsonl(rows: list[dict[str, Any]]) -> None:
    n, _skipped, text = _text(rows, "jsonl")
    lines = text.splitlines()
    assert n == len(lines) == 8
    assert "معرة النعمان" in lines[0]  # not \u-escaped
    first = json.loads(lines[0])
    assert next(iter(first)) == "event_id"
    assert {"n_reports", "merge_reason", "source_url", "location_ar", "confidence", "timestamp"} <= set(first)
    assert not _INTERNAL & set(first)
    assert (first["n_reports"], first["source"]) == (2, "Outlet A; Outlet B")
    assert first["source_url"] == "https://a.example/1; https://b.example/7"
    assert first["merge_reason"]


def test_export_dataset_geojson(rows: list[dict[str, Any]]) -> None:
    n, skipped, text = _text(rows, "geojson")
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection"
    assert (n, skipped, len(doc["features"])) == (7, 1, 7)
    by_id = {r["event_id"]: r for r in rows}
    assert "SYR3" not in {f["id"] for f in doc["features"]}
    for feature in doc["features"]:
        src = by_id[feature["id"]]
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [src["longitude"], src["latitude"]]}
        assert feature["properties"]["event_id"] == feature["id"]
        assert not _INTERNAL & set(feature["properties"])


def test_export_dataset_geojson_without_points_is_still_valid() -> None:
    n, skipped, text = _text([], "geojson")
    assert (n, skipped) == (0, 0)
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}


def test_export_dataset_unknown_format(rows: list[dict[str, Any]]) -> None:
    with pytest.raises(UsageError, match="unknown format"):
        write_dataset_text(iter(rows), "xlsx", io.StringIO())


@pytest.mark.parametrize("chunk", [3, 8, 10_000])
def test_export_dataset_parquet_typed_and_in_row_groups(rows: list[dict[str, Any]], chunk: int,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert write_parquet(iter(rows), path, chunk=chunk) == 8
    meta = pq.ParquetFile(path).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [min(chunk, 8 - lo) for lo in range(0, 8, chunk)]
    assert meta.num_row_groups == math.ceil(8 / chunk)
    table = pq.read_table(path)
    types = {name: table.schema.field(name).type for name in table.schema.names}
    assert types["fatalities"] == types["iso"] == types["timestamp"] == types["n_reports"] == pa.int64()
    assert types["latitude"] == types["longitude"] == types["confidence"] == pa.float64()
    assert types["event_id"] == types["event_date"] == types["source"] == pa.string()
    # the same fields and values as jsonl
    assert table.to_pylist() == [json.loads(line) for line in _text(rows, "jsonl")[2].splitlines()]


def test_export_dataset_parquet_empty_and_to_a_stream() -> None:
    sink = io.BytesIO()
    assert write_parquet(iter([]), sink) == 0
    table = pq.read_table(io.BytesIO(sink.getvalue()))
    assert table.num_rows == 0
    assert table.schema.field("fatalities").type == pa.int64()


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_export_dataset_acled_csv_escapes_formulas_keeps_numbers(rows: list[dict[str, Any]], lead: str) -> None:
    row = {**rows[0], "source": f"{lead}HYPERLINK(\"https://evil.example\")", "notes": f"{lead}1+1",
           "location": f"{lead}cmd", "latitude": -12.25, "longitude": -3.5, "fatalities": 0}
    _n, _skipped, text = _text([row], "acled-csv")
    out = next(csv.DictReader(io.StringIO(text)))
    assert out["source"] == "'" + row["source"] and out["notes"] == "'" + row["notes"]
    assert out["location"] == "'" + row["location"]
    assert (out["latitude"], out["longitude"], out["fatalities"]) == ("-12.25", "-3.5", "0")
    assert out["timestamp"].isdigit() and out["event_id_cnty"] == "SYR1"
