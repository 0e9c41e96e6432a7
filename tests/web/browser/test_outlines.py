"""The shipped map outlines (``data/geo/outlines.geojson``) and the script that compiles them
(``scripts/build_outlines.py``): its shapefile reader, clipping, joining and simplifying, on shapes
made here; the packaged file's shape and size."""
from __future__ import annotations

import importlib.util
import json
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "src" / "ahdath" / "data" / "geo" / "outlines.geojson"


def _script():
    spec = importlib.util.spec_from_file_location("build_outlines", ROOT / "scripts" / "build_outlines.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_outlines = _script()


def polyline_shp(lines: list[list[tuple[float, float]]]) -> bytes:
    """An ESRI shapefile (.shp) of one PolyLine record per line, as the format describes it."""
    records = b""
    for n, line in enumerate(lines, 1):
        xs, ys = [p[0] for p in line], [p[1] for p in line]
        body = struct.pack("<i4d2i", 3, min(xs), min(ys), max(xs), max(ys), 1, len(line))
        body += struct.pack("<i", 0) + b"".join(struct.pack("<2d", x, y) for x, y in line)
        records += struct.pack(">2i", n, len(body) // 2) + body
    header = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + len(records)) // 2) + struct.pack("<2i", 1000, 3)
    header += struct.pack("<8d", 0, 0, 0, 0, 0, 0, 0, 0)
    return header + records


def test_outlines_read_lines_reads_polylines() -> None:
    lines = [[(36.0, 35.0), (36.5, 35.5), (37.0, 35.2)], [(40.0, 30.0), (41.0, 31.0)]]
    assert build_outlines.read_lines(polyline_shp(lines)) == lines


def test_outlines_read_lines_refuses_other_files() -> None:
    with pytest.raises(ValueError, match="not a shapefile"):
        build_outlines.read_lines(b"\0" * 120)


@pytest.mark.parametrize("line, runs", [
    ([(0.0, 10.0), (1.0, 10.0)], 1),  # inside
    ([(-20.0, 10.0), (-15.0, 10.0)], 0),  # outside, west of the box
    ([(0.0, 10.0), (100.0, 10.0), (1.0, 10.0), (2.0, 10.0)], 2),  # leaves and comes back: two runs
])
def test_outlines_clip_keeps_runs_inside_the_box(line: list[tuple[float, float]], runs: int) -> None:
    assert len(build_outlines.clip(line, build_outlines.BOX)) == runs


def test_outlines_chain_joins_pieces_end_to_end() -> None:
    a = [(0.0, 0.0), (1.0, 0.0)]
    b = [(2.0, 0.0), (1.0, 0.0)]  # reversed, meets a's end
    c = [(5.0, 5.0), (6.0, 6.0)]  # alone
    out = build_outlines.chain([a, b, c])
    assert out == [[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)], c]


points = st.lists(st.tuples(st.floats(-5, 5, allow_nan=False), st.floats(-5, 5, allow_nan=False)), min_size=2, unique=True,
                  max_size=60)


@settings(max_examples=200, deadline=None)
@given(points, st.floats(0.001, 1.0))
def test_outlines_simplify_keeps_ends_and_stays_within_tolerance(line: list[tuple[float, float]], tol: float) -> None:
    out = build_outlines.simplify(line, tol)
    assert out[0] == line[0] and out[-1] == line[-1]
    assert all(p in line for p in out)
    # every dropped point lies within tol of the line through the kept points around it (distinct
    # points, so a kept point is found by value)
    kept = [i for i, p in enumerate(line) if p in out]
    for a, b in zip(kept, kept[1:]):
        (ax, ay), (bx, by) = line[a], line[b]
        norm = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        for px, py in line[a + 1:b]:
            d = abs((by - ay) * (px - ax) - (bx - ax) * (py - ay)) / norm if norm else \
                ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            assert d <= tol + 1e-9


def test_outlines_build_is_deterministic_and_clipped(tmp_path: Path) -> None:
    wheel = tmp_path / "ne.whl"
    inside = [(36.0, 35.0), (36.2, 35.1), (36.4, 35.0)]
    far = [(100.0, 60.0), (101.0, 61.0)]
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, _kind in build_outlines.LAYERS:
            zf.writestr(build_outlines.PREFIX + name, polyline_shp([inside, far]))
    first = build_outlines.build(wheel)
    assert first == build_outlines.build(wheel)
    doc = json.loads(first)
    assert [f["properties"]["kind"] for f in doc["features"]] == ["coast", "country", "admin1"]
    for f in doc["features"]:
        assert f["geometry"]["coordinates"] == [[[36.0, 35.0], [36.2, 35.1], [36.4, 35.0]]]


def test_outlines_shipped_file_is_small_and_inside_the_box() -> None:
    raw = SHIPPED.read_bytes()
    assert len(raw) < 600_000  # sent with every map; gzip takes it to about a third
    doc = json.loads(raw)
    assert "Natural Earth" in doc["attribution"]
    kinds = {f["properties"]["kind"]: f for f in doc["features"]}
    assert set(kinds) == {"coast", "country", "admin1"}
    w, s, e, n = build_outlines.BOX
    for f in doc["features"]:
        lines = f["geometry"]["coordinates"]
        assert lines and all(len(line) >= 2 for line in lines)
        # a run may end on the first point past the box's edge, never further than one segment
        inside = sum(w <= x <= e and s <= y <= n for line in lines for x, y in line)
        total = sum(len(line) for line in lines)
        assert inside / total > 0.97
    assert (ROOT / "src" / "ahdath" / "data" / "geo" / "SOURCE.md").is_file()
