"""The gazetteer's hand-kept data: countries and governorates (``admin1.yaml``), curated places
(``places*.yaml``) and the name words the place finder reads (``namewords.yaml``). The compiled
file (``geo.compiled``) is built from these and the bulk sources by ``geo.build``."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from ahdath.errors import GazetteerError
from ahdath.geo.records import PlaceRecord
from ahdath.text.normalize import norm

try:  # the C loader is several times faster
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader



def data_dir() -> Path:
    return Path(str(resources.files("ahdath") / "data" / "gazetteer"))


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    name: str
    iso: int
    names_ar: tuple[str, ...]
    border_only: bool = False  # only the units listed in admin1.yaml are compiled (Turkey's border provinces)


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
    countries = {c["iso2"]: Country(c["iso2"], c["name"], int(c["iso"]), tuple(c.get("ar") or ()),
                                    bool(c.get("border_only")))
                 for c in doc["countries"]}
    return AdminTable(countries, {k: {str(code): spec for code, spec in v.items()} for k, v in doc["admin1"].items()})


NAMEWORD_SETS = ("heads", "linkers", "suffixes", "stop", "common", "origin", "origin_before", "units",
                 "country_words", "copulas", "joining_heads", "join_with_article", "place_words", "governorate_word")


def load_namewords(path: Path | None = None) -> dict[str, frozenset[str]]:
    """namewords.yaml, normalized: one word set per key of ``NAMEWORD_SETS``."""
    doc = _yaml(path or data_dir() / "namewords.yaml")
    return {k: frozenset(norm(w) for w in doc.get(k) or ()) for k in NAMEWORD_SETS}


def admin1_records(table: AdminTable) -> Iterator[PlaceRecord]:
    for iso2, units in table.admin1.items():
        c = table.countries[iso2]
        for code, spec in units.items():
            names = tuple(spec.get("ar") or ()) + (spec["name"],)
            if spec.get("pcode"):
                names += (f"{iso2}.{code}",)
            ident = spec.get("pcode") or f"{iso2}.{code}"
            yield PlaceRecord(f"admin1:{ident}", (spec.get("ar") or [None])[0], spec["name"], c.name, c.iso, spec["name"], None, None,
                              spec.get("lat"), spec.get("lon"), "admin1", None, 0, f"curated:admin1.yaml:{ident}",
                              3, names, pcode=spec.get("pcode"), feature="admin1")


def country_records(table: AdminTable) -> Iterator[PlaceRecord]:
    for c in table.countries.values():
        yield PlaceRecord(f"country:{c.iso2}", c.names_ar[0] if c.names_ar else None, c.name, c.name, c.iso,
                          None, None, None, None, None, "region", None, 0, f"curated:admin1.yaml:{c.iso2}", 3,
                          (*c.names_ar, c.name), feature="country")


def curated_files() -> list[Path]:
    """``places.yaml`` and the per-country ``places_<country>.yaml`` files, in a fixed order."""
    return sorted(data_dir().glob("places*.yaml"))


def curated_records(table: AdminTable) -> Iterator[PlaceRecord]:
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
            f"curated:{path.name}:{p['id']}", p.get("precision"), names,
            feature=p.get("feature") or ("town" if p.get("kind", "populated") == "populated" else p.get("kind")))
