"""Import GeoNames dumps and Open-Syria admin JSON into a user gazetteer store (JSON Lines)."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

from ahdath.errors import GazetteerError
from ahdath.geo.records import PlaceRecord, is_arabic, is_arabic_name
from ahdath.geo.sources import load_admin_table

FORMATS = ("geonames", "opensyria")
_FEATURE_KIND = {"P": "populated", "L": "region", "T": "region", "S": "facility"}
_ADM_KIND = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3"}
_EXTRACT_HEADER = ["geonameid", "country", "admin1code", "name", "arabic_script_names", "lat", "lon", "population"]


def detect_format(path: Path) -> str:
    return "opensyria" if path.suffix.lower() == ".json" else "geonames"


def _bad(path: Path, msg: str) -> GazetteerError:
    return GazetteerError(msg, source=str(path))


def _float(v: str, path: Path, n: int) -> float:
    try:
        return float(v)
    except ValueError:
        raise _bad(path, f"line {n}: not a coordinate: {v[:30]!r}") from None


def read_geonames(path: Path) -> Iterator[PlaceRecord]:
    """The geonames.org dump format (19 tab-separated columns) or the shared cities500 extract (with header)."""
    table = load_admin_table()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(path, f"cannot read GeoNames file: {exc}") from None
    rows = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    extract = False
    for n, row in enumerate(rows, 1):
        if not row or not any(row):
            continue
        if n == 1 and row[:len(_EXTRACT_HEADER)] == _EXTRACT_HEADER:
            extract = True
            continue
        if extract:
            if len(row) < 8:
                raise _bad(path, f"line {n}: expected 8 columns of the cities extract, got {len(row)}")
            gid, cc, a1, name, arabic, lat, lon, pop = row[:8]
            names, kind = [*(x for x in arabic.split("|") if is_arabic_name(x)), name], "populated"
            a2 = a3 = ""
        else:
            if len(row) < 15:
                raise _bad(path, f"line {n}: expected 19 tab-separated GeoNames columns, got {len(row)}")
            gid, name, _ascii, alt, lat, lon, fclass, fcode, cc = row[:9]
            a1, a2, a3, pop = row[10], row[11], row[12], row[14]
            kind = _ADM_KIND.get(fcode) or _FEATURE_KIND.get(fclass)
            if kind is None:
                continue
            names = [*(x for x in alt.split(",") if is_arabic_name(x)), name]
        country = table.countries.get(cc)
        spec = table.admin1.get(cc, {}).get(a1)
        arabic_names = [x for x in names if is_arabic(x)]
        yield PlaceRecord(
            f"geonames:{gid}", arabic_names[0] if arabic_names else None, name,
            country.name if country else cc, country.iso if country else None,
            spec["name"] if spec else (a1 or None), a2 or None, a3 or None,
            _float(lat, path, n), _float(lon, path, n), kind, None, int(pop or 0) if pop.isdigit() else 0,
            f"geonames:{gid}", None, tuple(dict.fromkeys(names)))


def read_opensyria(path: Path) -> Iterator[PlaceRecord]:
    """governorates.json / districts.json / subdistricts.json of Open-Syria data-geography."""
    table = load_admin_table()
    by_pcode = {spec["pcode"]: spec["name"] for spec in table.admin1["SY"].values()}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(path, f"cannot read Open-Syria file: {exc}") from None
    except ValueError as exc:
        raise _bad(path, f"not valid JSON: {exc}") from None
    if not isinstance(doc, list):
        raise _bad(path, "expected a JSON list of Open-Syria records")
    districts: dict[str, str] = {}
    sibling = path.parent / "districts.json"
    if sibling.is_file() and sibling != path:
        try:
            districts = {d["id"]: d["name"]["en"] for d in json.loads(sibling.read_text(encoding="utf-8"))}
        except (OSError, ValueError, KeyError, TypeError):
            districts = {}
    for n, d in enumerate(doc, 1):
        try:
            pcode = d["externalIds"]["ochaPcode"]
            en, ar = d["name"]["en"], d["name"]["ar"]
            lat, lon = float(d["centroid"]["latitude"]), float(d["centroid"]["longitude"])
            aliases = [a["value"] for a in d.get("aliases") or () if isinstance(a, dict) and a.get("value")]
        except (KeyError, TypeError, ValueError) as exc:
            raise _bad(path, f"record {n}: not an Open-Syria admin record (missing {exc})") from None
        if not isinstance(d, dict):
            raise _bad(path, f"record {n}: expected an object")
        kind = "admin3" if d.get("districtId") else "admin2" if d.get("governorateId") else "admin1"
        if kind == "admin2":
            districts.setdefault(d.get("id", ""), en)
        admin1 = by_pcode.get(pcode[:4], en if kind == "admin1" else None)
        admin2 = en if kind == "admin2" else districts.get(d.get("districtId") or "")
        pop = (d.get("population") or {}).get("value") or 0
        yield PlaceRecord(f"opensyria:{pcode}", ar, en, "Syria", 760, admin1, admin2,
                          en if kind == "admin3" else None, lat, lon, kind, None, int(pop),
                          f"opensyria:{pcode}", 2 if kind != "admin1" else 3,
                          tuple(dict.fromkeys([ar, en, *aliases])))


def import_file(path: Path, into: Path, fmt: str | None = None) -> tuple[Path, int]:
    """Read ``path`` and write its records to ``into``/<format>-<name>.jsonl; returns (file, count)."""
    path = Path(path)
    if not path.is_file():
        raise _bad(path, "file not found")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise GazetteerError(f"unknown format {fmt!r} (use {' or '.join(FORMATS)})")
    records = list(read_geonames(path) if fmt == "geonames" else read_opensyria(path))
    if not records:
        raise _bad(path, "no places found")
    into = Path(into)
    target = into / f"{fmt}-{path.stem}.jsonl"
    try:
        into.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=into, prefix=".import-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        os.replace(tmp, target)
    except OSError as exc:
        raise GazetteerError(f"cannot write the gazetteer store: {exc}", source=str(into)) from None
    return target, len(records)


def describe(r: PlaceRecord) -> dict[str, Any]:
    return {k: v for k, v in r.to_dict().items() if k != "names"}
