"""A canonical event's fields, derived from the reports behind it (ACLED's rules).

Outlets disagree; ACLED codes the most precise date and place any credible
source gives, the lowest credible death toll, and names every source. Each
report's own values stay in its mention, so ``ahdath show`` can list them.

A report that names no toll carries ``fatalities: 0``: that is "not said",
not "nobody died", so it does not pull a reported toll down to zero.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from ahdath.lexicon.schema import DISORDER_TYPE, SUB_TO_TYPE
from ahdath.resolve.actors import interaction
from ahdath.store.schema import EVENT_FIELD_NAMES

_PLACE = ("iso", "region", "country", "admin1", "admin2", "admin3", "location", "location_ar", "latitude",
          "longitude", "geo_precision")
_ACTORS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction")
_TYPE = ("disorder_type", "event_type", "sub_event_type", "civilian_targeting")


@dataclass(frozen=True, slots=True)
class Member:
    """One report's version of the event: its extracted record and where it came from."""

    record: Mapping[str, Any]
    source: str | None
    url: str | None
    order: int  # ingest order: ties go to the report seen first


def _most_common(values: Iterable[Any], order: Sequence[Any]) -> Any:
    # a plain dict: these lists hold a handful of values, where building a Counter costs the most
    counts: dict[Any, int] = {}
    for v in values:
        if v is not None and v != "":
            counts[v] = counts.get(v, 0) + 1
    if len(counts) < 2:
        return next(iter(counts), None)
    best = max(counts.values())
    return next(v for v in order if counts.get(v) == best)


def _pick(members: Sequence[Member], key: Callable[[Member], tuple]) -> Member:
    return min(members, key=lambda m: (*key(m), m.order))


def _join(values: Iterable[str | None]) -> str | None:
    seen: dict[str, None] = {}  # insertion-ordered set
    for v in values:
        if not v:
            continue
        for part in v.split(";") if ";" in v else (v,):
            part = part.strip()
            if part:
                seen[part] = None
    return "; ".join(seen) or None


def _outlet(m: Member) -> str | None:
    return m.source or m.record.get("source") or m.record.get("article_id")


def derive(members: Sequence[Member], *, is_generic: Callable[[str | None], bool] = lambda a: not a,
           pinned: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The canonical values of every ACLED field, plus ``n_reports``."""
    if not members:
        raise ValueError("a canonical event needs at least one report")
    if len(members) == 1:  # most events have one report: the rules below then reduce to copying it
        return _derive_one(members[0], pinned)
    return _derive_many(members, is_generic, pinned)


def _derive_one(m: Member, pinned: Mapping[str, Any] | None) -> dict[str, Any]:
    """``derive`` for a single report (the same values, as a test checks)."""
    r = m.record
    out = {k: r.get(k) for k in EVENT_FIELD_NAMES}
    day = out["event_date"] = out["event_date"] or None
    out["year"] = int(day[:4]) if day else out["year"]
    out["time_precision"] = out["time_precision"] or 3
    out["assoc_actor_1"] = _join((out["assoc_actor_1"],))
    out["assoc_actor_2"] = _join((out["assoc_actor_2"],))
    toll = int(out["fatalities"] or 0)
    out["fatalities"] = toll if toll > 0 else 0
    out["source"] = _join((_outlet(m),))
    out["source_url"] = _join((m.url or out["source_url"],))
    out["tags"] = _join((out["tags"],))
    out["confidence"] = round(float(out["confidence"] or 0), 3)
    n_sources = len(out["source"].split("; ")) if out["source"] else 0
    out["notes"] = _notes(out["notes"] or "", n_sources, [toll] if toll > 0 else [])
    if pinned:
        _pin(out, pinned)
    out["n_reports"] = 1
    return out


def _derive_many(members: Sequence[Member], is_generic: Callable[[str | None], bool],
                 pinned: Mapping[str, Any] | None) -> dict[str, Any]:
    ms = sorted(members, key=lambda m: m.order)
    rec = [m.record for m in ms]
    out: dict[str, Any] = {}

    # date: the most precise; among equals the one most reports give, then the first seen
    # (a report without a date says nothing about it, whatever its time_precision)
    dated = [r for r in rec if r.get("event_date")] or rec
    best_tp = min((r.get("time_precision") or 3) for r in dated)
    dates = [r.get("event_date") for r in dated if (r.get("time_precision") or 3) == best_tp]
    out["event_date"] = _most_common(dates, dates)
    out["year"] = int(out["event_date"][:4]) if out["event_date"] else rec[0].get("year")
    out["time_precision"] = best_tp

    # place: the most precise geo_precision, then the place most reports name
    best_gp = min((r.get("geo_precision") or 3) for r in rec)
    precise = [m for m in ms if (m.record.get("geo_precision") or 3) == best_gp]
    names = [m.record.get("location") or m.record.get("location_ar") for m in precise]
    name = _most_common(names, names)
    place = next(m for m in precise if (m.record.get("location") or m.record.get("location_ar")) == name) \
        if name is not None else precise[0]
    out.update({k: place.record.get(k) for k in _PLACE})

    # type: what most reports say, the first report breaking ties
    subs = [r.get("sub_event_type") or None for r in rec]  # "" is no type, as None is
    sub = _most_common(subs, subs)
    with_type = [m for m in ms if (m.record.get("sub_event_type") or None) == sub]
    typed = with_type[0]
    out.update({k: typed.record.get(k) for k in _TYPE})
    out["civilian_targeting"] = next((r["civilian_targeting"] for r in rec if r.get("civilian_targeting")),
                                     out.get("civilian_targeting"))

    # actors: a named actor beats a generic one; then the most common naming
    named = [m for m in with_type if not is_generic(m.record.get("actor1"))] or with_type
    a1 = [m.record.get("actor1") for m in named]
    chosen_a1 = _most_common(a1, a1)
    actors = _pick(named, lambda m: (m.record.get("actor1") != chosen_a1, is_generic(m.record.get("actor2"))))
    out.update({k: actors.record.get(k) for k in _ACTORS})
    out["assoc_actor_1"] = _join(r.get("assoc_actor_1") for r in rec if r.get("actor1") == out["actor1"])
    out["assoc_actor_2"] = _join(r.get("assoc_actor_2") for r in rec if r.get("actor2") == out["actor2"])

    # deaths: the lowest figure among the reports that give one
    tolls = [int(r.get("fatalities") or 0) for r in rec if int(r.get("fatalities") or 0) > 0]
    out["fatalities"] = min(tolls) if tolls else 0

    out["source"] = _join(_outlet(m) for m in ms)
    out["source_url"] = _join(m.url or m.record.get("source_url") for m in ms)
    out["tags"] = _join(r.get("tags") for r in rec)
    out["confidence"] = round(max(float(r.get("confidence") or 0) for r in rec), 3)
    # the count is of the outlets `source` names, so a report with no outlet is not counted as one
    n_sources = len(out["source"].split("; ")) if out["source"] else 0
    out["notes"] = _notes(place.record.get("notes") or "", n_sources, tolls)
    for k in EVENT_FIELD_NAMES:
        out.setdefault(k, None)
    if pinned:
        _pin(out, pinned)
    out["n_reports"] = len(ms)
    return out


def _pin(out: dict[str, Any], pinned: Mapping[str, Any]) -> None:
    """Apply a reviewer's pins, and make what ACLED derives from a pinned field follow it.

    Only the pin itself is stored, never what follows from it, so unpinning a field gives every
    field derived from it back to the reports; a field pinned in its own right stays as pinned."""
    out.update({k: v for k, v in pinned.items() if k in EVENT_FIELD_NAMES})
    if pinned.get("event_date") and "year" not in pinned:
        out["year"] = int(str(pinned["event_date"])[:4])
    if "sub_event_type" in pinned and "event_type" not in pinned:
        out["event_type"] = SUB_TO_TYPE.get(out["sub_event_type"], out["event_type"])
    if ("sub_event_type" in pinned or "event_type" in pinned) and "disorder_type" not in pinned:
        out["disorder_type"] = DISORDER_TYPE.get(out["event_type"], out["disorder_type"])
    if ("inter1" in pinned or "inter2" in pinned) and "interaction" not in pinned:
        out["interaction"] = interaction(out["inter1"], out["inter2"])


def _notes(base: str, n_sources: int, tolls: list[int]) -> str:
    notes = base.strip()
    if n_sources > 1:
        notes += f" [{n_sources} sources]"
    if len(set(tolls)) > 1:
        notes += f" [fatalities reported: {', '.join(str(t) for t in sorted(set(tolls)))}; lowest coded]"
    return notes.strip()
