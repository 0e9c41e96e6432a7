#!/usr/bin/env python3
"""Compile the OCHA Syria communities into the package's community layer (developers only).

    python scripts/build_gazetteer.py [--shared ../shared] [--check]

Reads ``data/gazetteer/`` of the shared folder: ``syrianarchive-locations.json`` (OCHA Syria
communities via the Syrian Archive, CC BY 3.0 IGO) and Open-Syria ``subdistricts.json`` (CC BY
4.0) for each community's sub-district, district and governorate. Writes
``src/ahdath/data/gazetteer/communities.tsv.gz``: one line per community (P-code, Arabic and
English name, admin1/2/3, point, normalized spellings and their name keys, so that loading
computes neither), sorted by P-code, gzip without a timestamp, so the
same inputs give byte-identical output. ``--check`` builds in memory and exits 1 when the
packaged file differs (it is stale). Nothing here runs at install or run time.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
from pathlib import Path

from ahdath.geo.aliases import variants
from ahdath.geo.communities import COLUMNS, communities_path
from ahdath.geo.records import distance_km, name_key
from ahdath.geo.sources import load_admin_table, load_namewords
from ahdath.text.normalize import norm

REPO = Path(__file__).resolve().parents[1]
_TAIL_ID = re.compile(r"\s*-*\s*\(\(\(\d+\)\)\)\s*$")
_NEAR_KM = 60.0  # a sub-district named in a community's record lies this close to it at most


def _parts(search_name: str) -> list[str]:
    return [p.strip() for p in _TAIL_ID.sub("", search_name).split(" - ") if p.strip()]


def _markaz(s: str) -> str:
    return s[len("مركز "):] if s.startswith("مركز ") else s


def _name(short: str) -> str:
    """ "خربة السنديانة (جوبة برغال)" -> "خربة السنديانة"; "ابين- عفرين" (name and district glued) -> "ابين"."""
    s = _TAIL_ID.sub("", short).strip()
    s = re.sub(r"\s*\(.*\)\s*$", "", s).strip()
    if re.search(r"\S- ", s):
        s = s.split("-", 1)[0].strip()
    return s


def build(shared: Path) -> bytes:
    gaz = shared / "data" / "gazetteer"
    table = load_admin_table()
    words = load_namewords()
    heads, with_article = words["joining_heads"], words["join_with_article"]
    admin1_of = {spec["pcode"]: spec["name"] for spec in table.admin1["SY"].values()}
    subs = []
    for d in json.loads((gaz / "subdistricts.json").read_text(encoding="utf-8")):
        pcode = d["externalIds"]["ochaPcode"]
        subs.append((pcode, d["name"]["ar"], d["name"]["en"], d["districtId"],
                     d["centroid"]["latitude"], d["centroid"]["longitude"]))
    districts = {d["id"]: d["name"]["en"] for d in json.loads((gaz / "districts.json").read_text(encoding="utf-8"))}
    by_name: dict[str, list[tuple]] = {}
    for s in subs:
        by_name.setdefault(name_key(_markaz(s[1])), []).append(s)
    rows: list[list[str]] = []
    for d in json.loads((gaz / "syrianarchive-locations.json").read_text(encoding="utf-8")):
        if d.get("sa_loc_only") == "TRUE":
            continue  # the Syrian Archive's own neighbourhoods and crossings: less reliable points
        pcode = (d.get("closest_geonames_post_code") or "").strip()
        if not re.fullmatch(r"C\d+", pcode):
            pcode = f"SA{d['id']}"  # a row without its OCHA P-code: the Syrian Archive's id names it
        try:
            lat, lon = float(d["lat"]), float(d["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        name = _name(d.get("search_name_ar_short") or "")
        if not name:
            continue
        parts = _parts(d.get("search_name_ar") or "")
        near = [s for s in by_name.get(name_key(_markaz(parts[1])) if len(parts) > 1 else "", [])
                if distance_km(lat, lon, s[4], s[5]) < _NEAR_KM]
        pool = near or subs
        sub = min(pool, key=lambda s: (distance_km(lat, lon, s[4], s[5]), s[0]))
        en = re.sub(r"\s*\(.*\)\s*$", "", _parts(d.get("search_name_en") or "")[0]) if d.get("search_name_en") else ""
        # "البعثية_كردوشان": two villages the list joined; each name is a spelling of the community
        names = [p.strip() for p in name.split("_") if p.strip()]
        spellings = list(dict.fromkeys(norm(v) for n in names for v in (n, *variants(n, heads, with_article))))
        keys = [name_key(v) for v in spellings]
        rows.append([pcode, names[0], en, admin1_of.get(sub[0][:4], ""), districts.get(sub[3], ""), sub[2],
                     f"{lat:.5f}", f"{lon:.5f}", "|".join(spellings), "|".join(keys)])
    rows.sort(key=lambda r: (r[0], r[1]))
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--check", action="store_true", help="exit 1 when the packaged file is stale")
    args = ap.parse_args()
    data = build(args.shared)
    out = communities_path()
    if args.check:
        same = out.is_file() and out.read_bytes() == data
        print("up to date" if same else f"stale: rebuild {out}")
        return 0 if same else 1
    out.write_bytes(data)
    n = gzip.decompress(data).count(b"\n") - 1
    print(f"wrote {n} communities to {out} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
