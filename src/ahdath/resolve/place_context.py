"""Resolve place mentions to ACLED locations using the report's place context.

Among same-name candidates the choice follows the report's context (governorate in
focus, other places named, dateline), never the first match; neighbourhoods and
facilities map to their town; regions get their governorate and a coarse precision.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any, Sequence

import yaml

from ahdath.frozen import evolve
from ahdath.geo import Gazetteer, PlaceRecord, distance_km, name_key
from ahdath.geo.records import is_arabic_name
from ahdath.lexicon import LexiconSet
from ahdath.model import Place
from ahdath.resolve.containment import BIG_TOWN as _BIG
from ahdath.resolve.places import _BEARING, _FAR_KM, _MAX_POINTS, _REGION_SHIFT_KM, PlaceMention

# -- context ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticlePlaces:
    """What the whole report says about where it is: governorate weights, focus town, known points."""

    admin1_weights: tuple[tuple[str, float], ...] = ()
    focus: PlaceRecord | None = None
    points: tuple[tuple[float, float], ...] = ()
    country: str | None = None
    focus_name: str | None = None  # how the report writes the focus town

    @property
    def admin1(self) -> str | None:
        return self.admin1_weights[0][0] if self.admin1_weights else None

    def weight(self, admin1: str | None) -> float:
        total = sum(map(itemgetter(1), self.admin1_weights))
        if not admin1 or not total:
            return 0.0
        return next((w for a, w in self.admin1_weights if a == admin1), 0.0) / total

    @classmethod
    def from_mentions(cls, mentions: Sequence[PlaceMention], *, dateline: PlaceMention | int | None = None,
                      country: str | None = None, actors: Sequence[Any] = ()) -> "ArticlePlaces":
        """``country``: the report's, when decided from more than its places (``resolve.report_country``);
        ``actors``: the report's actor mentions, whose ``areas`` (actors lexicon) weigh a little for
        the governorates they hold ("قرية عابدين الخاضعة لسيطرة هيئة تحرير الشام": Idleb's)."""
        if isinstance(dateline, int):
            dateline = mentions[dateline] if 0 <= dateline < len(mentions) else None
        votes: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        points: dict[tuple[float, float], None] = {}  # distinct points, in order: resolution scans them
        focus: PlaceRecord | None = None
        focus_name: str | None = None
        for m in mentions:
            cands = m.candidates or m.anchor
            top = _unambiguous(cands)
            if country is not None and top is None:
                # the report's area is inside its country: "طرابلس" in a Libyan report is Libya's
                # capital; a village with a namesake abroad is still only a guess of the area
                home = tuple(r for r in cands if r.country == country)
                if len(home) < len(cands):
                    top = _unambiguous(home)
                    top = top if top is not None and (top.population >= _BIG or top.kind == "admin1") else None
                    cands = home
            elif country is not None and top is not None and top.country != country:
                cands = ()  # "صور" (pictures) in a Libyan report says nothing about the Lebanese south
            if not cands:
                continue
            w = 4.0 if m is dateline else 1.0
            if top is not None:
                if top.admin1:
                    votes[top.admin1] += w
                if top.country:
                    countries[top.country] += w
                if top.latitude is not None and top.longitude is not None:
                    if len(points) < _MAX_POINTS:
                        points.setdefault((round(top.latitude, 2), round(top.longitude, 2)))
                # where a drone took off or a displaced family came from is not where the report is
                if top.kind == "populated" and (focus is None or m is dateline) and not m.reference:
                    focus, focus_name = top, m.name
            else:
                # candidate order, not a set's: vote order breaks ties in most_common()
                for a in dict.fromkeys(r.admin1 for r in cands if r.admin1):
                    votes[a] += 0.25 * w
        for a in actors:
            if a.generic:
                continue
            e = a.entries[0]
            areas = e.get("areas") or ()
            if areas and (country is None or e.get("country") in (None, country)):
                for area in areas:
                    votes[area] += _ACTOR_VOTE / len(areas)
        if isinstance(dateline, PlaceMention):
            top = _unambiguous([r for r in dateline.candidates if country is None or r.country == country])
            if top is not None and top.kind == "populated":
                focus, focus_name = top, dateline.name
        return cls(tuple(votes.most_common()), focus, tuple(points),
                   country or (countries.most_common(1)[0][0] if countries else None), focus_name)


_ACTOR_VOTE = 0.5  # a side the report names weighs half a place named for certain, shared among its areas


def _unambiguous(cands: Sequence[PlaceRecord]) -> PlaceRecord | None:
    """The one place meant, when all candidates agree on a governorate (a town and its governorate do)."""
    if not cands:
        return None
    keys = {(r.country, r.admin1) for r in cands}
    return cands[0] if len(keys) == 1 else None


# -- resolution --------------------------------------------------------------------------


def _countries_regions() -> dict[str, str]:
    path = Path(str(resources.files("ahdath") / "data" / "countries.yaml"))
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {c["name"]: c["region"] for c in doc.get("countries", ())}
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return {}


def _shift(lat: float, lon: float, direction: str | None, km: float) -> tuple[float, float]:
    if direction not in _BEARING:
        return lat, lon
    b = math.radians(_BEARING[direction])
    dlat = km * math.cos(b) / 111.0
    dlon = km * math.sin(b) / (111.0 * max(0.2, math.cos(math.radians(lat))))
    return round(lat + dlat, 4), round(lon + dlon, 4)


@dataclass(frozen=True, slots=True)
class PlaceResolver:
    """Turns a mention into an ACLED ``Place`` using the report's context."""

    gazetteer: Gazetteer
    regions: dict[str, str] = field(default_factory=dict)  # country -> ACLED region
    default_country: str = "Syria"
    compass: dict[str, str] = field(default_factory=dict)  # "N" -> the placewords form for north

    @classmethod
    def from_resources(cls, gazetteer: Gazetteer, lexicons: LexiconSet | None = None, *,
                       default_country: str = "Syria") -> "PlaceResolver":
        compass: dict[str, str] = {}
        if lexicons is not None:
            for e in lexicons["placewords"].entries:
                v = e.get("value")
                if e.get("cue") == "direction" and v and v not in compass:
                    compass[str(v)] = e.raw_forms[0]
        return cls(gazetteer, _countries_regions(), default_country, compass)

    def choose(self, cands: Sequence[PlaceRecord], context: ArticlePlaces,
               kinds: frozenset[str] | None = None) -> PlaceRecord | None:
        """The candidate the context supports best (governorate in focus, nearby places, size)."""
        pool = [r for r in cands if kinds is None or r.kind in kinds] or list(cands)
        if len(pool) <= 1:
            return pool[0] if pool else None  # nothing to weigh
        home = context.country or self.default_country
        # ``context.weight`` of each governorate, its total summed once
        total = sum(map(itemgetter(1), context.admin1_weights))
        shares: dict[str, float] = {}
        for a, w in context.admin1_weights:
            shares.setdefault(a, w)

        def score(r: PlaceRecord) -> float:
            s = 2.0 if r.country == home else 0.0
            s += 3.0 * (shares.get(r.admin1, 0.0) / total if r.admin1 and total else 0.0)
            if r.latitude is not None and r.longitude is not None and context.points:
                d = min(distance_km(r.latitude, r.longitude, la, lo) for la, lo in context.points)
                s += 1.5 if d < 30 else 0.75 if d < _FAR_KM else 0.0
            s += 0.5 if r.source.startswith("curated") else 0.0
            return s + 0.1 * math.log10(r.population + 1)

        return max(pool, key=score)

    def resolve(self, mention: PlaceMention, context: ArticlePlaces,
                mentions: Sequence[PlaceMention] = ()) -> Place:
        parent = self._parent(mention, context, mentions)
        if mention.kind in ("neighbourhood", "facility"):
            return self._part_of(mention, context, parent)
        if mention.kind == "region" and not mention.candidates:
            return self._relative_region(mention, context, parent)
        if mention.kind == "direction":
            return self._near(mention, context)
        rec = self.choose(mention.candidates, context)
        if rec is not None and parent is not None and parent.admin1 and rec.admin1 != parent.admin1:
            rec = self._namesake_in(mention, parent) or rec
        if rec is None or self._implausible(rec, mention, context, parent, mentions):
            return self._unresolved(mention, context, parent)
        if rec.kind in ("neighbourhood", "facility"):
            town = self.gazetteer.get(rec.parent_id) if rec.parent_id else None
            return self._place(town or rec, precision=2)
        if rec.kind == "admin1":
            return self._place(rec, precision=3, name_ar=rec.name_ar)
        if rec.latitude is None and rec.kind in ("populated", "region") and not rec.id.startswith("country:"):
            # a village or district a list names without a point (Yemen's, whose district has no known
            # point either): its governorate, flagged for a reviewer like a name no gazetteer knows
            return _replace(self._place(rec, precision=3, name_ar=_as_written(rec, mention.name)), unresolved=True)
        if rec.kind == "region":
            return self._place(rec, precision=rec.precision or 2)
        # curated villages placed approximately: 2
        return self._place(rec, precision=rec.precision or 1, name_ar=_as_written(rec, mention.name))

    def _namesake_in(self, m: PlaceMention, parent: Place) -> PlaceRecord | None:
        """"قرية المشيرفة بريف حمص الشرقي": the report puts the village in another governorate than the
        place of its name the main records know; the village of that name there (the OCHA namesake
        nearest the container's point) is the one meant."""
        there = [r for r in self.gazetteer.namesakes(m.name) if r.admin1 == parent.admin1 and r.country == parent.country]
        if not there:
            return None
        if parent.latitude is None or parent.longitude is None:
            return there[0] if len(there) == 1 else None
        return min(there, key=lambda r: (distance_km(r.latitude, r.longitude, parent.latitude, parent.longitude), r.id))

    def _parent(self, m: PlaceMention, context: ArticlePlaces, ms: Sequence[PlaceMention]) -> Place | None:
        if m.parent is None or not 0 <= m.parent < len(ms) or ms[m.parent] is m:
            return None
        return self.resolve(ms[m.parent], context, ())

    def _implausible(self, rec: PlaceRecord, m: PlaceMention, context: ArticlePlaces, parent: Place | None,
                     mentions: Sequence[PlaceMention] = ()) -> bool:
        """A small village far from everything else the report names is more likely an unknown namesake."""
        if rec.kind != "populated" or rec.population >= 100000:
            return False
        if context.country and rec.country and rec.country != context.country and context.admin1:
            return True  # a village across the border from everything the report is about: a namesake
        ref_admin1 = parent.admin1 if parent is not None else context.admin1
        if ref_admin1 is None or rec.admin1 == ref_admin1:
            return False
        if parent is not None and 0 <= (m.parent or -1) < len(mentions) and mentions[m.parent].kind == "direction":
            # "العزيزية جنوب طرابلس": a bearing from a town places it near that town, often across a border
            if rec.latitude is None or parent.latitude is None or parent.longitude is None:
                return False
            return distance_km(rec.latitude, rec.longitude, parent.latitude, parent.longitude) > _FAR_KM
        if parent is not None and not rec.source.startswith("curated"):
            return True  # "بلدة الزيارة بجبل التركمان": the place it is said to lie in wins over a namesake
        if context.weight(ref_admin1) < 0.5 and parent is None:
            return False
        if not context.points or rec.latitude is None or rec.longitude is None:
            return parent is not None
        d = min(distance_km(rec.latitude, rec.longitude, la, lo) for la, lo in context.points)
        return d > _FAR_KM

    def _part_of(self, m: PlaceMention, context: ArticlePlaces, parent: Place | None) -> Place:
        if parent is not None and parent.kind == "populated" and not parent.unresolved:
            return _replace(parent, geo_precision=max(2, parent.geo_precision))
        rec = self.choose([r for r in m.candidates if r.kind in ("neighbourhood", "facility", "populated")],
                          context)
        if rec is not None and rec.parent_id:
            town = self.gazetteer.get(rec.parent_id)
            if town is not None and (context.admin1 is None or town.admin1 == context.admin1
                                     or context.weight(town.admin1) > 0):
                return self._place(town, precision=2)
        if rec is not None and rec.kind == "populated" and m.cue == "facility":
            return self._place(rec, precision=2)  # "مطار حميميم": the facility of a known town
        if m.site and not m.candidates and parent is None:
            # "قاعدة العند": a named base, field or airport the gazetteer does not know is a place of its
            # own, not a part of whatever town the report is about
            return self._unresolved(m, context, parent)
        if context.focus is not None:
            return self._place(context.focus, precision=2,
                               name_ar=_as_written(context.focus, context.focus_name or ""))
        return self._unresolved(m, context, parent)

    def _relative_region(self, m: PlaceMention, context: ArticlePlaces, parent: Place | None = None) -> Place:
        anchor = self.choose(m.anchor, context)
        if anchor is None:
            # "منطقة العيث بقضاء الدور": an area the gazetteer does not know, placed by the report
            return self._unresolved(m, context, parent)
        lat, lon = anchor.latitude, anchor.longitude
        if lat is not None and lon is not None:
            lat, lon = _shift(lat, lon, m.direction, _REGION_SHIFT_KM)
        return _replace(self._place(anchor, precision=3, name_ar=m.name), latitude=lat, longitude=lon,
                        kind="region", name_en=None, admin2=None, admin3=None, source=anchor.source)

    def _near(self, m: PlaceMention, context: ArticlePlaces) -> Place:
        rec = self.choose(m.candidates, context)
        if rec is None:
            return self._unresolved(m, context, None)
        if rec.kind == "populated":
            return self._place(rec, precision=2, name_ar=_as_written(rec, m.name))
        if rec.kind in ("neighbourhood", "facility") and rec.parent_id:
            town = self.gazetteer.get(rec.parent_id)
            if town is not None:
                return self._place(town, precision=2)
        # "شمال سوريا", "شرقي حمص" meaning the governorate: a wide area, named as written
        d = m.direction or ""
        word = " ".join(self.compass.get(part, "") for part in ([d[0], d[1:]] if len(d) == 2 else [d])).strip()
        written = rec.id.startswith("country:") and name_key(m.name) not in {name_key(n) for n in rec.names}
        label = f"{word} {m.name if written else rec.name_ar or m.name}".strip()
        return _replace(self._place(rec, precision=3, name_ar=label), kind="region")

    def _unresolved(self, m: PlaceMention, context: ArticlePlaces, parent: Place | None) -> Place:
        country = (parent.country if parent else None) or context.country or self.default_country
        kind = "populated" if m.kind == "populated" else "unknown"
        if parent is not None and parent.latitude is not None:
            near_town = parent.kind == "populated" and not parent.unresolved
            # (a village placed in a district, "جبهة الثوخب بمديرية الحشاء", lies in that district)
            return Place(m.name, None, country, parent.iso, parent.region, parent.admin1,
                         parent.admin2 if near_town or parent.kind == "region" else None,
                         parent.admin3 if parent.kind == "region" else None, parent.latitude, parent.longitude,
                         2 if near_town or parent.geo_precision <= 2 else 3, kind, parent.source, True)
        admin1 = context.admin1 if country == (context.country or self.default_country) else None
        rec = self.gazetteer.admin1(admin1) if admin1 else None
        iso = rec.iso if rec else None
        if iso is None:
            iso = next((r.iso for r in self.gazetteer.lookup(country) if r.country == country), None)
        return Place(m.name, None, country, iso, self.regions.get(country), admin1, None, None,
                     rec.latitude if rec else None, rec.longitude if rec else None, 3, kind,
                     rec.source if rec else None, True)

    def _place(self, r: PlaceRecord, *, precision: int, name_ar: str | None = None) -> Place:
        kind = r.kind if r.kind in ("populated", "region", "admin1", "admin2", "admin3") else "populated"
        return Place(name_ar or r.name_ar or r.name_en or "", r.name_en, r.country, r.iso,
                     self.regions.get(r.country or ""), r.admin1, r.admin2, r.admin3, r.latitude, r.longitude,
                     precision, kind, r.source, False)


def _as_written(r: PlaceRecord, written: str) -> str | None:
    """The record's spelling of the name the report used: an imported record's first Arabic name
    is whichever its source listed first ("ترابلس" for Tripoli), not the usual one. Curated
    records keep their own first name (an alias such as "قامشلو" names the standard one)."""
    if r.source.startswith("curated"):
        return None
    key = name_key(written)
    return next((n for n in r.names if is_arabic_name(n) and name_key(n) == key), None)


def _replace(p: Place, **changes: Any) -> Place:
    return evolve(p, **changes)
