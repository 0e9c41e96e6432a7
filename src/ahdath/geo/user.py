"""The user layer: places a reviewer adds by hand (``ahdath gazetteer add``).

One JSON Lines file, ``user.jsonl``, in a store folder (the user data folder that
``Gazetteer.load`` reads by itself, or a team's folder passed to ``--gazetteer``). Each line is
one ``PlaceRecord``; its id comes from the country, first-level unit and name, so adding the same
place again replaces its line where it stands (a team keeping the folder in git sees a one-line
diff) instead of stacking a second record.
"""
from __future__ import annotations

import difflib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ahdath.errors import GazetteerError
from ahdath.geo.records import KINDS, PlaceRecord, distance_km, is_arabic, name_key
from ahdath.geo.sources import load_admin_table
from ahdath.geo.store import Gazetteer

if TYPE_CHECKING:  # the admin table's row type; only its name, iso2, iso and names_ar are read
    from ahdath.geo.sources import Country

USER_FILE = "user.jsonl"
# administrative units come from the packaged tables; a hand-added place is one of these
ADD_KINDS: tuple[str, ...] = tuple(sorted(k for k in KINDS if not k.startswith("admin")))
# farther than this from its unit's representative point, a place is more likely a typo or a swapped
# latitude/longitude than a real outlier (the widest governorates reach about 160 km from theirs)
FAR_KM = 250.0


@dataclass(frozen=True, slots=True)
class NewPlace:
    """What ``ahdath gazetteer add`` was told, before it is checked."""

    name: str
    latitude: float
    longitude: float
    admin1: str
    source: str
    country: str = "Syria"
    admin2: str | None = None
    admin3: str | None = None
    kind: str = "populated"
    name_en: str | None = None
    aliases: tuple[str, ...] = ()


def _bad(message: str) -> GazetteerError:
    return GazetteerError(message)


def find_country(value: str) -> "Country":
    """A country of the admin table by English name, ISO2 code or Arabic name."""
    countries = load_admin_table().countries
    want = name_key(value.strip())
    for c in countries.values():
        if value.strip().upper() == c.iso2 or want in {name_key(n) for n in (c.name, *c.names_ar)}:
            return c
    known = ", ".join(c.name for c in countries.values())
    raise _bad(f"unknown country {value!r} (known: {known})")


def _admin1_names(iso2: str) -> list[str]:
    return [str(spec["name"]) for spec in load_admin_table().admin1.get(iso2, {}).values()]


def find_admin1(gaz: Gazetteer, value: str, country: "Country") -> PlaceRecord:
    """The first-level unit of ``country`` named ``value`` (any spelling the gazetteer knows)."""
    unit = gaz.admin1(value)
    if unit is not None and unit.country == country.name:
        return unit
    if unit is not None:  # a unit of another country: say which, the usual slip is a missing --country
        raise _bad(f"{value!r} is a first-level unit of {unit.country}, not {country.name} "
                   f"(add --country {unit.country!r})")
    names = _admin1_names(country.iso2)
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise _bad(f"unknown admin1 {value!r} for {country.name} ({hint}known: {', '.join(sorted(names))})")


def place_id(name: str, admin1: str, iso2: str) -> str:
    """``user:<slug>``: the same name (any spelling with the same key) in the same unit, the same id."""
    def slug(s: str) -> str:
        return "-".join(name_key(s).split())

    return f"user:{iso2.lower()}.{slug(admin1)}.{slug(name)}"


def make_record(gaz: Gazetteer, new: NewPlace) -> PlaceRecord:
    """Check ``new`` and build its record; one ``GazetteerError`` names every problem found."""
    problems: list[str] = []
    name = " ".join(new.name.split())
    if not name or not name_key(name):
        problems.append("a place needs a name")
    for label, value, limit in (("latitude", new.latitude, 90.0), ("longitude", new.longitude, 180.0)):
        if not math.isfinite(value) or abs(value) > limit:
            problems.append(f"{label} {value} is out of range (-{limit:g} to {limit:g})")
    if new.kind not in ADD_KINDS:
        problems.append(f"unknown kind {new.kind!r} (use {', '.join(ADD_KINDS)})")
    source = " ".join(new.source.split())
    if not source:
        problems.append("say where the place comes from: --source (a map, a report, who checked it)")
    unit: PlaceRecord | None = None
    try:
        country = find_country(new.country)
        unit = find_admin1(gaz, new.admin1, country)
    except GazetteerError as exc:
        problems.append(exc.message)
    if problems or unit is None:
        raise _bad("; ".join(problems))
    admin1 = unit.admin1 or unit.name_en or new.admin1
    name_en = " ".join((new.name_en or "").split()) or (None if is_arabic(name) else name)
    names = tuple(dict.fromkeys(n for n in (name, *(" ".join(a.split()) for a in new.aliases), name_en) if n))
    arabic = [n for n in names if is_arabic(n)]
    # the provenance says which layer a record came from, as "geonames:" and "curated:" do
    provenance = source if source.startswith("user:") else f"user:{source}"
    return PlaceRecord(
        place_id(name, admin1, country.iso2), arabic[0] if arabic else None, name_en, country.name, country.iso,
        admin1, new.admin2 or None, new.admin3 or None, float(new.latitude), float(new.longitude), new.kind,
        None, 0, provenance, 2 if new.kind == "region" else None, names)


def far_from_unit(record: PlaceRecord, unit: PlaceRecord) -> float | None:
    """The distance to the unit's point when it is suspiciously far (None when fine or unknown)."""
    if unit.latitude is None or unit.longitude is None or record.latitude is None or record.longitude is None:
        return None
    km = distance_km(record.latitude, record.longitude, unit.latitude, unit.longitude)
    return km if km > FAR_KM else None


def add_place(record: PlaceRecord, into: Path) -> tuple[Path, bool]:
    """Write ``record`` to ``into``/user.jsonl, replacing a line with its id; returns (file, replaced).

    Written to a temporary file and renamed over the old one, so a reader never sees half a file
    and a crash leaves the previous version whole."""
    into = Path(into)
    target = into / USER_FILE
    lines: list[str] = []
    if target.exists():
        try:
            lines = target.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise GazetteerError(f"cannot read the user gazetteer: {exc}", source=str(target)) from None
    new_line = json.dumps(record.to_dict(), ensure_ascii=False)
    out: list[str] = []
    replaced = False
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            same = json.loads(line).get("id") == record.id
        except (ValueError, AttributeError):
            # never drop a line we cannot read: it is someone's data, and the loader will name it
            raise GazetteerError(f"line {n}: not a gazetteer record; fix or remove it first",
                                 source=str(target)) from None
        if same and not replaced:
            out.append(new_line)
            replaced = True
        elif not same:
            out.append(line)
    if not replaced:
        out.append(new_line)
    try:
        into.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=into, prefix=".user-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write("\n".join(out) + "\n")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise GazetteerError(f"cannot write the user gazetteer: {exc.strerror or exc}", source=str(into)) from None
    return target, replaced
