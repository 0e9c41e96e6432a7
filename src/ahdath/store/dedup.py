"""Cross-report deduplication: do two events, told by different reports, describe one incident?

Pure functions over small frozen keys, so the repository can ask the database for a narrow
candidate window (same ``iso``, dates within ``rules.max_days``, compatible event types) and
decide here, and batch tools can cluster in memory with :class:`DedupIndex`.

The rules (what counts as the same type, date, place and actors) are data in
``ahdath/data/store/dedup.yaml`` (loaded and checked by ``ahdath.store.rules``), following ACLED's unit of an event: one day, one town, one
sub-event type, one pair of actors. ``compare`` explains every verdict in one English
sentence, which ``ahdath show`` prints as the merge reason.
"""
from __future__ import annotations

import math
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ahdath.store.rules import DedupRules, _fold, _fold_place, data_path

EARTH_KM = 6371.0088  # mean Earth radius (IUGG), the one haversine and the grid share
COARSE_PRECISION = 3  # ACLED geo_precision 3: only the region/governorate is known
_CELL_SPAN = 2.0
_GRID_EPS_DEG = 1e-7  # widens the search box so float rounding never hides a pair at exactly max_km


@dataclass(frozen=True, slots=True)
class EventKey:
    """The fields deduplication looks at, for one event (canonical or as extracted)."""

    ref: int  # events.id (canonical) or any int id
    iso: int | None
    event_date: date | None
    time_precision: int  # 1 day, 2 week, 3 month
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    admin1: str | None
    location: str | None  # English name if known, else Arabic as written
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # 1 town, 2 near/district, 3 region/governorate
    fatalities: int = 0
    report_refs: frozenset[int] = frozenset()  # an event never merges with another from the same report
    # an undated event's window (``date_lo``, ``date_hi``): the days its report may tell of (see dedup.yaml)
    window: tuple[date, date] | None = None
    # what the window counts back from: "published" (the report's date) or "ingested" (the day the store
    # read it, when the feed gave no date: weak, since an archive ingested at once shares one day)
    window_basis: str | None = None
    kin: frozenset[int] = frozenset()  # refs of the events told by reports that share this one's wording
    # a town or village the report names that the gazetteer does not list (tag "unresolved_place"): its
    # coordinates are its container's, but its name is as specific as a listed town's
    unlisted: bool = False

    @classmethod
    def from_row(cls, ref: int, row: Mapping[str, Any], report_refs: Iterable[int] = (),
                 kin: Iterable[int] = ()) -> "EventKey":
        """A key from an event record or table row (``event_date`` as ``date`` or ISO text)."""
        day = _day(row.get("event_date"))
        lo, hi = _day(row.get("date_lo")), _day(row.get("date_hi"))
        return cls(ref=ref, iso=row.get("iso"), event_date=day, time_precision=int(row.get("time_precision") or 1),
                   event_type=str(row.get("event_type") or ""), sub_event_type=str(row.get("sub_event_type") or ""),
                   actor1=row.get("actor1"), actor2=row.get("actor2"), admin1=row.get("admin1"),
                   location=row.get("location") or row.get("location_ar"), latitude=row.get("latitude"),
                   longitude=row.get("longitude"),
                   geo_precision=row.get("geo_precision"), fatalities=int(row.get("fatalities") or 0),
                   report_refs=frozenset(report_refs),
                   window=(lo, hi) if day is None and lo is not None and hi is not None and lo <= hi else None,
                   window_basis=row.get("date_basis") if day is None else None,
                   kin=frozenset(kin), unlisted=_unlisted(row))


def _unlisted(row: Mapping[str, Any]) -> bool:
    return bool(row.get("location_ar")) and "unresolved_place" in str(row.get("tags") or "").split(";")


def _day(raw: Any) -> date | None:
    try:
        return raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """``same``: one incident; ``score`` in 0..1 ranks matches (0 when not the same);
    ``reason``: one English sentence saying why."""

    same: bool
    score: float
    reason: str


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An ``EventKey`` with the folded and derived values that comparisons reuse."""

    key: EventKey
    refs: frozenset[int]
    day: int | None  # the event's own date (ordinal)
    lo: int | None  # the days it may be on: its date, else its report's window; None when unbounded
    hi: int | None
    approx: bool
    place: str
    admin1: str
    precise: bool  # coordinates known to the town (geo_precision 1/2)
    lat: float
    lon: float
    coslat: float
    actor1: str
    actor2: str
    generic1: bool
    generic2: bool
    weak: bool  # undated, its window counted back from the day the store read its report (no feed date)


def _prepare(key: EventKey, rules: DedupRules) -> _Prepared:
    has_xy = key.latitude is not None and key.longitude is not None
    lat = float(key.latitude) if has_xy else 0.0  # type: ignore[arg-type]
    lon = float(key.longitude) if has_xy else 0.0  # type: ignore[arg-type]
    day = key.event_date.toordinal() if key.event_date else None
    lo, hi = (day, day) if day is not None else \
        (key.window[0].toordinal(), key.window[1].toordinal()) if key.window else (None, None)
    return _Prepared(key=key, refs=key.report_refs, day=day, lo=lo, hi=hi,
                     approx=key.time_precision > 1, place=_fold_place(key.location), admin1=_fold(key.admin1),
                     precise=has_xy and key.geo_precision != COARSE_PRECISION, lat=lat, lon=lon,
                     coslat=math.cos(math.radians(lat)), actor1=_fold(key.actor1), actor2=_fold(key.actor2),
                     generic1=rules.is_generic_actor(key.actor1), generic2=rules.is_generic_actor(key.actor2),
                     weak=day is None and key.window_basis != "published")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    return _distance(lat1, lon1, math.cos(math.radians(lat1)), lat2, lon2, math.cos(math.radians(lat2)))


def _distance(lat1: float, lon1: float, cos1: float, lat2: float, lon2: float, cos2: float) -> float:
    h = math.sin(math.radians(lat2 - lat1) / 2) ** 2 + cos1 * cos2 * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _reports(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    shared = a.refs & b.refs
    return (0.0, "", f"both come from report {min(shared)}") if shared else (1.0, "", "")


def _country(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    return (1.0, "", "") if a.key.iso == b.key.iso else \
        (0.0, "", f"different countries (iso {a.key.iso} and {b.key.iso})")


def _type(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    sa, sb = a.key.sub_event_type, b.key.sub_event_type
    if sa == sb:
        return 1.0, f"same sub-event type ({sa})", ""
    if sb in rules.partners.get(sa, ()):
        return rules.factors["compatible_type"], f"compatible sub-event types ({sa} and {sb})", ""
    return 0.0, "", f"sub-event types differ ({sa} and {sb})"


def _date(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    if a.day is None or b.day is None:
        return _undated(a, b, rules)
    da, db = a.key.event_date, b.key.event_date
    gap = abs(a.day - b.day)
    unit = "day" if gap == 1 else "days"
    if gap > rules.max_days:
        return 0.0, "", f"dates {da} and {db} are {gap} {unit} apart (more than {rules.max_days})"
    part = 1.0 - 0.5 * gap / rules.max_days if rules.max_days else 1.0
    approx = ", one only approximate" if a.approx or b.approx else ""
    if approx:
        part *= rules.factors["approximate_date"]
    return part, f"same date ({da}{approx})" if gap == 0 else f"dates {da} and {db} ({gap} {unit} apart{approx})", ""


def _undated(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    """The date rule when one side (or both) has no date of its own: its report's words or its window."""
    if b.key.ref in a.key.kin or a.key.ref in b.key.kin:
        return rules.factors["kin_date"], "the reports share their wording (one story retold)", ""
    if a.lo is None or b.lo is None:
        if a.lo is None and b.lo is None:
            return 0.0, "", "neither event has a date, nor a report date to bound it"
        return 0.0, "", "one event has no date, nor a report date to bound it"
    assert a.hi is not None and b.hi is not None
    gap = max(a.lo - b.hi, b.lo - a.hi, 0)
    span = " and ".join(_span(p) for p in (a, b))
    if gap > rules.max_days:
        if _archived(a, b, rules):
            return rules.factors["archived"], (f"an undated report read on {_span(_weak_side(a, b))[-10:]} "
                                               f"may tell of an earlier day ({_span(_dated_side(a, b))}); "
                                               "sub-event type, place, actors and toll agree"), ""
        return 0.0, "", f"dates {span} are {gap} days apart (more than {rules.max_days})"
    if a.weak or b.weak:
        # the day a store read a report says little of when the incident was: ask for the rest to agree
        # closely (the same sub-event type, precise places that match, the same named attacker)
        if not _close(a, b, rules):
            return 0.0, "", (f"dates {span} meet only through the day an undated report was ingested, and its "
                             "sub-event type, precise place and named actor1 do not all agree")
        return rules.factors["undated"], f"dates {span} meet (an undated report dated by the day it was read)", ""
    return rules.factors["undated"], f"dates {span} meet (an undated report dated by its publication)", ""


def _weak_side(a: _Prepared, b: _Prepared) -> _Prepared:
    return a if a.weak else b


def _dated_side(a: _Prepared, b: _Prepared) -> _Prepared:
    return b if a.weak else a


def _archived(a: _Prepared, b: _Prepared, rules: DedupRules) -> bool:
    """Whether an undated event read from a feed with no dates (``weak``) may be a dated one from before
    its window: an archive read today tells of any earlier day, never of a later one. Only the same
    named place (the name is what ``Unit.load`` reads such candidates by), the same sub-event type, the
    same named attacker, the same actor2 and the same toll stand for the date; ``_best`` also refuses it
    when more than one earlier day fits."""
    if a.weak == b.weak:
        return False  # two undated reports read far apart in time never meet; two dated ones have dates
    weak, dated = _weak_side(a, b), _dated_side(a, b)
    assert weak.lo is not None and dated.hi is not None
    if dated.hi > weak.lo:  # later than the window, or within max_days of it (the window rule decides)
        return False
    # with no date to go by, every other field of the unit must agree: the victims and the toll too
    return (bool(weak.place) and weak.place == dated.place and a.actor2 == b.actor2
            and a.key.fatalities == b.key.fatalities and _close(a, b, rules))


def _close(a: _Prepared, b: _Prepared, rules: DedupRules) -> bool:
    """Same sub-event type, precise places that are one place (or one village the gazetteer does not
    list, named alike in one admin1), the same named (not generic) actor1."""
    if a.key.sub_event_type != b.key.sub_event_type:
        return False
    if not (a.precise and b.precise) and not (a.place and a.place == b.place and a.admin1 == b.admin1
                                                and (a.precise or a.key.unlisted) and (b.precise or b.key.unlisted)):
        return False
    if a.generic1 or b.generic1:
        return False
    if a.actor1 != b.actor1 and (rules.state_of(a.key.actor1) or "-") != rules.state_of(b.key.actor1):
        return False
    if a.place and a.place == b.place:
        return True
    return _distance(a.lat, a.lon, a.coslat, b.lat, b.lon, b.coslat) <= rules.max_km


def _span(p: _Prepared) -> str:
    assert p.lo is not None and p.hi is not None
    if p.lo == p.hi:
        return date.fromordinal(p.lo).isoformat()
    return f"{date.fromordinal(p.lo).isoformat()}..{date.fromordinal(p.hi).isoformat()}"


def _fatalities(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    # outlets' tolls differ often and grow over time, so a toll only ranks matches, never splits them
    fa, fb = a.key.fatalities, b.key.fatalities
    if fa == fb:
        return 1.0, f"fatalities agree ({fa})" if fa else "", ""
    if min(fa, fb) <= 0:
        return 0.5, "", ""
    return 0.5 * min(fa, fb) / max(fa, fb), f"fatalities {fa} and {fb}", ""


def _judge(a: _Prepared, b: _Prepared, rules: DedupRules, explain: bool) -> tuple[bool, float, list[str]]:
    """``(same, score, clauses)``: the clauses of the verdict's sentence, the failed rules when not the
    same; without ``explain`` the first failed rule ends the comparison (and clauses are not kept)."""
    score = 0.0
    says: list[str] = []
    fails: list[str] = []
    for part_name, check in _CHECKS:
        part, clause, failure = check(a, b, rules)
        if failure:
            if not explain:
                return False, 0.0, fails
            fails.append(failure)
        else:
            if part_name:
                score += rules.weights[part_name] * part
            if clause:
                says.append(clause)
    if fails:
        return False, 0.0, fails
    return True, min(1.0, max(0.0, score / sum(rules.weights.values()))), says


def _place(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    """``(part, clause, failure)`` for the place rule."""
    ka, kb = a.key, b.key
    name_a, name_b = ka.location or "an unnamed place", kb.location or "an unnamed place"
    both_precise = a.precise and b.precise
    dist = _distance(a.lat, a.lon, a.coslat, b.lat, b.lon, b.coslat) if both_precise else 0.0
    if a.place and a.place == b.place:
        if both_precise and dist > rules.max_km:
            return 0.0, "", f"two places named {ka.location}, {dist:.1f} km apart"
        if not both_precise and a.admin1 and b.admin1 and a.admin1 != b.admin1:
            return 0.0, "", f"same name ({ka.location}) but in different admin1 ({ka.admin1} and {kb.admin1})"
        has_a = ka.latitude is not None and ka.longitude is not None
        has_b = kb.latitude is not None and kb.longitude is not None
        return (1.0 if has_a == has_b else rules.factors["named_place"]), f"same place ({ka.location})", ""
    if both_precise:
        if dist > rules.max_km:
            return 0.0, "", (f"places {name_a} and {name_b} are {dist:.1f} km apart "
                             f"(more than {rules.max_km:g} km)")
        return 1.0 - 0.5 * dist / rules.max_km, \
            f"nearby places ({name_a} and {name_b}, {dist:.1f} km apart)", ""
    if not (a.place or a.admin1 or a.precise) or not (b.place or b.admin1 or b.precise):
        return 0.0, "", "no place to compare"
    if a.admin1 and a.admin1 == b.admin1:
        if not a.precise and not b.precise:
            return rules.factors["coarse_place"], f"both places coarse, in the same admin1 ({ka.admin1})", ""
        coarse, other = (ka, name_b) if not a.precise else (kb, name_a)
        named = f" {coarse.location}" if coarse.location else ""
        return rules.factors["coarse_place"], f"coarse place{named} in the same admin1 ({ka.admin1}) as {other}", ""
    admins = f"{ka.admin1 or 'unknown'} and {kb.admin1 or 'unknown'}"
    return 0.0, "", f"a coarse place only matches within its admin1, and these are {admins}"


def _actors(a: _Prepared, b: _Prepared, rules: DedupRules) -> tuple[float, str, str]:
    """``(part, clause, failure)`` for the actor rule."""
    ka, kb = a.key, b.key
    f = rules.factors
    differs2 = not a.generic2 and not b.generic2 and a.actor2 != b.actor2
    tail = f" but actor2 differs ({ka.actor2} and {kb.actor2})" if differs2 else ""
    factor2 = f["actor2_differs"] if differs2 else 1.0
    if a.actor1 and a.actor1 == b.actor1:
        part = f["generic_actor"] if a.generic1 else 1.0
        return part * factor2, f"actor1 agrees ({ka.actor1}){tail}", ""
    if a.generic1 and b.generic1:
        if not a.actor1 and not b.actor1:
            return f["unknown_actors"] * factor2, f"actor1 unknown in both{tail}", ""
        return f["unknown_actors"] * factor2, \
            f"actor1 generic in both ({ka.actor1 or 'unknown'} and {kb.actor1 or 'unknown'}){tail}", ""
    if a.generic1 or b.generic1:
        g, named = (ka, kb) if a.generic1 else (kb, ka)
        what = f"actor1 {g.actor1} is generic" if g.actor1 else "actor1 unknown on one side"
        return f["generic_actor"] * factor2, f"{what} and fits {named.actor1}{tail}", ""
    state = rules.state_of(ka.actor1)
    if state is not None and state == rules.state_of(kb.actor1):
        return f["same_state"] * factor2, f"actor1 are forces of one state ({ka.actor1} and {kb.actor1}){tail}", ""
    # two named attackers: the same unit only as a battle told from each side
    if ka.event_type in rules.unordered_actor_types and kb.event_type in rules.unordered_actor_types:
        cross1 = a.actor1 == b.actor2
        cross2 = b.actor1 == a.actor2
        if (cross1 or cross2) and (cross1 or b.generic2) and (cross2 or a.generic2):
            return f["swapped_actors"], f"roles swapped ({ka.actor1} and {kb.actor1})", ""
    return 0.0, "", f"actor1 differs ({ka.actor1} and {kb.actor1})"


# cheap, decisive checks first; "" parts count for nothing in the score
_CHECKS = (("", _reports), ("", _country), ("type", _type), ("date", _date), ("place", _place),
           ("actors", _actors), ("fatalities", _fatalities))


def _sentence(same: bool, clauses: list[str]) -> str:
    return "; ".join(clauses) if same else "not the same event: " + "; ".join(clauses)


def compare(a: EventKey, b: EventKey, rules: DedupRules) -> Verdict:
    """Whether ``a`` and ``b`` are one incident, how well they match, and why (symmetric in ``same``)."""
    same, score, clauses = _judge(_prepare(a, rules), _prepare(b, rules), rules, explain=True)
    return Verdict(same, score, _sentence(same, clauses))


def _best(p: _Prepared, candidates: Sequence[_Prepared], rules: DedupRules) -> int | None:
    """Position of the best candidate that is the same event as ``p``, if any."""
    # strictly greater: on a tie the earliest candidate wins, so results do not depend on the index layout
    matches: list[tuple[float, int, bool]] = []  # (score, position, met only through the archive rule)
    archive_days: set[int] = set()  # the days of the dated events an undated archive report reaches
    for n, c in enumerate(candidates):
        if c.key.ref == p.key.ref:
            continue
        same, score, _ = _judge(p, c, rules, explain=False)
        if same:
            reach = p.weak and _reaches(p, c, rules)
            if reach:
                assert c.lo is not None
                archive_days.add(c.lo)
            matches.append((score, n, reach))
    # a village that saw this act on more than one earlier day: nothing says which one the report tells
    ambiguous = len(archive_days) > 1
    best: int | None = None
    best_score = -1.0
    for score, n, reach in matches:
        if score > best_score and not (reach and ambiguous):
            best, best_score = n, score
    return best


def _reaches(p: _Prepared, c: _Prepared, rules: DedupRules) -> bool:
    """Whether ``p`` and ``c`` meet only through ``_archived`` (dates further apart than ``max_days``)."""
    if p.lo is None or p.hi is None or c.lo is None or c.hi is None or (p.day is not None and c.day is not None):
        return False
    return max(p.lo - c.hi, c.lo - p.hi, 0) > rules.max_days and _archived(p, c, rules)


def _explained(p: _Prepared, c: _Prepared, rules: DedupRules) -> tuple[EventKey, Verdict]:
    same, score, clauses = _judge(p, c, rules, explain=True)
    return c.key, Verdict(same, score, _sentence(same, clauses))


def best_match(key: EventKey, candidates: Iterable[EventKey], rules: DedupRules) -> tuple[EventKey, Verdict] | None:
    """The candidate with the highest score among those that are the same event (the first on a tie);
    a candidate with the key's own ``ref`` is skipped."""
    p = _prepare(key, rules)
    prepared = [_prepare(c, rules) for c in candidates]
    best = _best(p, prepared, rules)
    return None if best is None else _explained(p, prepared[best], rules)


class DedupIndex:
    """In-memory blocking index over keys, for batch clustering.

    Keys are filed by ``(iso, day, sub-event type)`` and by place: a grid cell of about
    twice ``max_km`` for precise coordinates, the folded location name, and the admin1 (separately
    for coarse places). A lookup reads only the cells that a match could be in: days within
    ``max_days``, compatible sub-event types, the cells around the point, the same name, and
    the admin1 buckets a coarse match needs; so the work per key does not grow with the number
    of keys on other days and places.
    """

    __slots__ = ("_buckets", "_dead", "_entries", "_near", "_open", "_placed", "_row_deg", "_rows", "_seq_of",
                 "rules")

    def __init__(self, rules: DedupRules) -> None:
        self.rules = rules
        self._entries: list[_Prepared] = []
        self._seq_of: dict[int, int] = {}  # ref -> its live entry (``discard`` retires entries)
        self._dead: set[int] = set()
        # (iso, day, sub-event type) -> place bucket -> entries (an undated key under each day of its window)
        self._buckets: dict[tuple[Any, ...], dict[tuple[str, Any], list[int]]] = {}
        self._near: dict[tuple[float, float], list[tuple[int, int]]] = {}  # (lat, lon) -> _cells_around
        # (iso, sub-event type, place name) -> entries, for the archive rule (``_archived``), which reads
        # no day: the undated events of reports read with no feed date, and the dated events
        self._open: dict[tuple[Any, str, str], list[int]] = {}
        self._placed: dict[tuple[Any, str, str], list[int]] = {}
        self._row_deg = _CELL_SPAN * math.degrees(rules.max_km / EARTH_KM)
        self._rows = max(1, math.ceil(180.0 / self._row_deg))

    def __len__(self) -> int:
        return len(self._entries)

    def _cols(self, row: int) -> int:
        # cells of a row are at least as wide as they are high, at the row's poleward edge
        edge = min(90.0, max(abs(-90.0 + row * self._row_deg), abs(-90.0 + (row + 1) * self._row_deg)))
        return max(1, int(360.0 * math.cos(math.radians(edge)) / self._row_deg))

    def _row(self, lat: float) -> int:
        return min(self._rows - 1, max(0, int((lat + 90.0) // self._row_deg)))

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        row = self._row(lat)
        cols = self._cols(row)
        return row, min(cols - 1, int(((lon + 180.0) % 360.0) / (360.0 / cols)))

    def _cells_around(self, lat: float, lon: float) -> list[tuple[int, int]]:
        """Every cell holding some point within ``max_km`` of ``(lat, lon)``."""
        ang = self.rules.max_km / EARTH_KM
        dlat = math.degrees(ang) + _GRID_EPS_DEG
        if abs(lat) + dlat >= 90.0 or math.cos(math.radians(lat)) <= math.sin(ang):
            half = 180.0  # the circle reaches a pole: every longitude
        else:
            half = math.degrees(math.asin(math.sin(ang) / math.cos(math.radians(lat)))) + _GRID_EPS_DEG
        cells: list[tuple[int, int]] = []
        for row in range(self._row(lat - dlat), self._row(lat + dlat) + 1):
            cols = self._cols(row)
            width = 360.0 / cols
            first = math.floor((lon + 180.0 - half) / width)
            last = math.floor((lon + 180.0 + half) / width)
            wrap = half >= 180.0 or last - first + 1 >= cols
            cells.extend((row, c % cols) for c in (range(cols) if wrap else range(first, last + 1)))
        return cells

    def _candidates(self, p: _Prepared) -> list[int]:
        """Entry numbers of the filed keys that could be the same event as ``p``, in filing order."""
        k = p.key
        if p.lo is None or p.hi is None:
            return []  # no date and no window: only kin (``match``'s ``also``) can place it
        # the places to look up are the same on every day and type: built once
        looks: list[tuple[str, Any]] = [("g", cell) for cell in self._around(p.lat, p.lon)] if p.precise else []
        if p.place:
            looks.append(("n", p.place))
        if p.admin1:  # a precise key needs only the coarse keys of its admin1; a coarse key needs all of them
            looks.append(("c" if p.precise else "a", p.admin1))
        found: set[int] = set()
        buckets = self._buckets
        subs = self.rules.compatible_sub_event_types(k.sub_event_type)
        md = self.rules.max_days
        for day in range(p.lo - md, p.hi + md + 1):
            for sub in subs:
                places = buckets.get((k.iso, day, sub))
                if places:
                    for look in looks:
                        hit = places.get(look)
                        if hit:
                            found.update(hit)
        if p.precise and p.place:
            far = (self._placed if p.weak else self._open).get((k.iso, k.sub_event_type, p.place))
            if far:
                found.update(far)
        return sorted(found)

    def _around(self, lat: float, lon: float) -> list[tuple[int, int]]:
        # reports of one town give the same coordinates again and again
        cells = self._near.get((lat, lon))
        if cells is None:
            if len(self._near) >= 4096:
                self._near.clear()
            cells = self._near[(lat, lon)] = self._cells_around(lat, lon)
        return cells

    def _add(self, p: _Prepared) -> None:
        seq = len(self._entries)
        self._entries.append(p)
        if p.lo is None or p.hi is None:  # no date, no window: found only through kin
            return
        if p.precise and p.place:
            far = self._open if p.weak else self._placed
            far.setdefault((p.key.iso, p.key.sub_event_type, p.place), []).append(seq)
        files: list[tuple[str, Any]] = [("g", self._cell(p.lat, p.lon))] if p.precise else []
        if p.place:
            files.append(("n", p.place))
        if p.admin1:
            files += [("a", p.admin1)] if p.precise else [("a", p.admin1), ("c", p.admin1)]
        for day in range(p.lo, p.hi + 1):  # a window is filed under each of its days
            places = self._buckets.setdefault((p.key.iso, day, p.key.sub_event_type), {})
            for bucket in files:
                places.setdefault(bucket, []).append(seq)

    def add(self, key: EventKey) -> None:
        """File a key so that later ``match`` calls can find it (replacing an earlier key of its ref)."""
        self.discard(key.ref)
        self._seq_of[key.ref] = len(self._entries)
        self._add(_prepare(key, self.rules))

    def update_reports(self, ref: int, report_refs: Iterable[int]) -> bool:
        """Give the key filed for ``ref`` new ``report_refs`` (nothing else changed): cheaper than
        ``add`` since the buckets stay as they are. False when nothing is filed for ``ref``."""
        seq = self._seq_of.get(ref)
        if seq is None:
            return False
        entry = self._entries[seq]
        refs = frozenset(report_refs)
        self._entries[seq] = replace(entry, key=replace(entry.key, report_refs=refs), refs=refs)
        return True

    def discard(self, ref: int) -> None:
        """Forget the key filed for ``ref`` (an event that changed or is gone)."""
        seq = self._seq_of.pop(ref, None)
        if seq is not None:
            self._dead.add(seq)

    def candidates(self, key: EventKey) -> list[EventKey]:
        """The filed keys that could be the same event as ``key`` (to rank with ``best_match``)."""
        return [self._entries[i].key for i in self._candidates(_prepare(key, self.rules)) if i not in self._dead]

    def match(self, key: EventKey, among: Container[int] | None = None) -> tuple[EventKey, Verdict] | None:
        """The best filed key that is the same event as ``key`` (as ``best_match`` over all filed keys,
        or over those whose ref is in ``among``), without preparing the filed keys again. The events of
        ``key.kin`` are candidates whatever their dates (the reports share wording)."""
        p = _prepare(key, self.rules)
        seqs = set(self._candidates(p))
        seqs.update(self._seq_of[r] for r in key.kin if r in self._seq_of)
        entries = [self._entries[i] for i in sorted(seqs) if i not in self._dead]
        if among is not None:
            entries = [e for e in entries if e.key.ref in among]
        best = _best(p, entries, self.rules)
        return None if best is None else _explained(p, entries[best], self.rules)

    def near_pairs(self) -> Iterator[tuple[_Prepared, _Prepared]]:
        """Every pair of filed keys that could be the same event by this index's blocking (each pair
        once, in filing order), prepared: for judging pairs without preparing keys again
        (``suggest``)."""
        for seq, p in enumerate(self._entries):
            if seq in self._dead:
                continue
            for i in self._candidates(p):
                if i > seq and i not in self._dead:
                    yield p, self._entries[i]

    def cluster(self, keys: Iterable[EventKey]) -> list[list[int]]:
        """Group ``keys`` (in the order given) into events: each key joins the cluster whose first key
        matches it best, or starts a new cluster. A cluster collects its members' reports, so it
        never takes a second event from a report it already holds (as the store's canonical events
        do). Keys filed with ``add`` before are not used. Returns the clusters as lists of refs."""
        index = DedupIndex(self.rules)
        clusters: list[list[int]] = []  # cluster n is represented by index entry n
        for key in keys:
            p = _prepare(key, self.rules)
            seqs = index._candidates(p)
            best = _best(p, [index._entries[i] for i in seqs], self.rules)
            if best is None:
                index._add(p)
                clusters.append([key.ref])
                continue
            seq = seqs[best]
            clusters[seq].append(key.ref)
            rep = index._entries[seq]
            index._entries[seq] = replace(rep, refs=rep.refs | p.refs)
        return clusters


__all__ = ["EventKey", "Verdict", "DedupRules", "DedupIndex", "compare", "best_match", "haversine_km",
           "data_path"]
