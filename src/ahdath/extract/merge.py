"""Merge repeated mentions into ACLED units.

One event per (date, town, sub-event type, actor pair): the pair is unordered
for battles and ordered for one-sided violence. A capture and the clash that
won it on the same day and place are one territorial event. An event placed
only at a region or governorate joins a more precise event of the same kind,
day and attacker in that governorate (the report's headline restating the body).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ahdath.model import Event
from ahdath.text.normalize import norm

_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}


def _place_key(e: Event) -> str:
    if e.latitude is not None and e.geo_precision == 1:
        return f"{e.latitude:.3f},{e.longitude:.3f}"
    return norm(e.location_ar or "")


def unit_key(e: Event) -> tuple:
    pair: tuple = (e.actor1, e.actor2)
    if e.event_type == "Battles":
        pair = tuple(sorted(x or "" for x in pair))
    return (e.event_date, _place_key(e), e.sub_event_type, pair)


def _combine(a: Event, b: Event) -> Event:
    """Keep the more confident record; fatalities: the lowest stated figure (ACLED)."""
    keep, other = (a, b) if a.confidence >= b.confidence else (b, a)
    fats = [x.fatalities for x in (a, b) if x.fatalities]
    spans = dict(other.evidence.spans)
    spans.update(keep.evidence.spans)
    evidence = replace(keep.evidence, spans=spans)
    tags = ";".join(sorted({t for x in (a, b) for t in (x.tags or "").split(";") if t} - {"unresolved_place"}
                           | ({"unresolved_place"} if "unresolved_place" in (keep.tags or "") else set())))
    return replace(keep, fatalities=min(fats) if fats else 0, evidence=evidence, tags=tags or None,
                   assoc_actor_1=keep.assoc_actor_1 or other.assoc_actor_1,
                   confidence=round(min(1.0, max(a.confidence, b.confidence) + 0.05), 3))


def merge_events(events: Sequence[Event]) -> list[Event]:
    merged: dict[tuple, Event] = {}
    for e in events:
        k = unit_key(e)
        merged[k] = _combine(merged[k], e) if k in merged else e
    out = list(merged.values())
    # a clash folded into the capture it produced
    captures = {(e.event_date, _place_key(e), tuple(sorted((e.actor1 or "", e.actor2 or ""))))
                for e in out if e.sub_event_type in _TERRITORY}
    out = [e for e in out if not (e.sub_event_type == "Armed clash" and
                                  (e.event_date, _place_key(e), tuple(sorted((e.actor1 or "", e.actor2 or ""))))
                                  in captures)]
    # coarse restatements folded into precise events
    result: list[Event] = []
    for e in out:
        if (e.geo_precision or 3) >= 3:
            twin = next((f for f in out if f is not e and (f.geo_precision or 3) < 3
                         and f.event_date == e.event_date and f.sub_event_type == e.sub_event_type
                         and f.actor1 == e.actor1 and f.admin1 == e.admin1 and e.admin1), None)
            if twin is not None:
                continue
        result.append(e)
    return result
