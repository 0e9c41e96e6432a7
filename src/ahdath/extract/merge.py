"""Merge repeated mentions into ACLED units.

One event per (date, town, sub-event type, actor pair): the pair is unordered
for battles and ordered for one-sided violence. A capture and the clash that
won it on the same day and place are one territorial event. An event placed
only at a region or governorate joins a more precise event of the same kind,
day and attacker in that governorate (the report's headline restating the body).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Sequence

from ahdath.model import Event, Evidence
from ahdath.resolve.actors import interaction as _interaction
from ahdath.text.normalize import norm

_TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}


def _place_key(e: Event) -> str:
    # the town's name, not its coordinates: a neighbourhood resolved to its town (precision 2)
    # and the town itself (precision 1) are the same ACLED location
    return f"{norm(e.location_ar or '')}|{e.admin1 or ''}"


def unit_key(e: Event) -> tuple:
    pair: tuple = (e.actor1, e.actor2)
    if e.event_type == "Battles":
        pair = tuple(sorted(x or "" for x in pair))
    return (e.event_date, _place_key(e), e.sub_event_type, pair)


def _unknown(name: str | None) -> bool:
    return name is None or name.startswith("Unidentified")


def _compatible(a: Event, b: Event) -> bool:
    """Same day, place and kind, and no side named differently (a missing side is compatible)."""
    if (a.event_date, _place_key(a), a.sub_event_type) != (b.event_date, _place_key(b), b.sub_event_type):
        return False
    if a.event_type == "Battles":
        sa = {x for x in (a.actor1, a.actor2) if not _unknown(x)}
        sb = {x for x in (b.actor1, b.actor2) if not _unknown(x)}
        return sa <= sb or sb <= sa
    ok1 = _unknown(a.actor1) or _unknown(b.actor1) or a.actor1 == b.actor1
    if a.event_type == "Explosions/Remote violence":
        # one attacker striking one town on one day: reports name its targets loosely
        # ("مواقع الميليشيات", "مستودعات النظام"), so the target does not split the strike
        return ok1
    ok2 = a.actor2 is None or b.actor2 is None or a.actor2 == b.actor2
    return ok1 and ok2


def _combine(a: Event, b: Event) -> Event:
    """Keep the more confident record; fatalities: the lowest stated figure (ACLED)."""
    keep, other = (a, b) if a.confidence >= b.confidence else (b, a)
    fats = [x.fatalities for x in (a, b) if x.fatalities]
    spans = dict(other.evidence.spans)
    spans.update(keep.evidence.spans)
    evidence = Evidence(keep.evidence.text, keep.evidence.start, keep.evidence.end, spans)
    tags = ";".join(sorted({t for x in (a, b) for t in (x.tags or "").split(";") if t} - {"unresolved_place"}
                           | ({"unresolved_place"} if "unresolved_place" in (keep.tags or "") else set())))
    fill: dict = {}
    for f in ("actor1", "actor2", "assoc_actor_1"):
        if _unknown(getattr(keep, f)) and not _unknown(getattr(other, f)):
            fill[f] = getattr(other, f)
            if f != "assoc_actor_1":
                fill["inter" + f[-1]] = getattr(other, "inter" + f[-1])
    if fill:
        i1, i2 = fill.get("inter1", keep.inter1), fill.get("inter2", keep.inter2)
        fill["interaction"] = _interaction(i1, i2)
    # one ``replace`` (an event has 34 fields): the filled sides, then the merged figures
    fill.update(fatalities=min(fats) if fats else 0, evidence=evidence, tags=tags or None,
                assoc_actor_1=fill.get("assoc_actor_1", keep.assoc_actor_1) or other.assoc_actor_1,
                confidence=round(min(1.0, max(a.confidence, b.confidence) + 0.05), 3))
    return replace(keep, **fill)


def merge_events(events: Sequence[Event]) -> list[Event]:
    # buckets by (day, place, kind) keep merging linear in the number of events
    buckets: dict[tuple, list[int]] = {}
    out: list[Event] = []
    for e in events:
        slot = buckets.setdefault((e.event_date, _place_key(e), e.sub_event_type), [])
        for i in slot:
            if _compatible(out[i], e):
                out[i] = _combine(out[i], e)
                break
        else:
            slot.append(len(out))
            out.append(e)
    out = _one_protest_per_place(out)
    # a clash folded into the capture it produced
    captures = {(e.event_date, _place_key(e), tuple(sorted((e.actor1 or "", e.actor2 or ""))))
                for e in out if e.sub_event_type in _TERRITORY}
    out = [e for e in out if not (e.sub_event_type == "Armed clash" and
                                  (e.event_date, _place_key(e), tuple(sorted((e.actor1 or "", e.actor2 or ""))))
                                  in captures)]
    # coarse restatements folded into precise events
    precise: dict[tuple, list[Event]] = {}
    for f in out:
        if (f.geo_precision or 3) < 3:
            precise.setdefault((f.event_date, f.sub_event_type), []).append(f)
    result: list[Event] = []
    folded: dict[int, Event] = {}  # by id of the precise event: the restatement whose toll it takes
    for e in out:
        if (e.geo_precision or 3) >= 3 and "unresolved_place" not in (e.tags or ""):
            # a governorate-level restatement joins the precise event; a country-level one
            # ("شمال سوريا") joins a precise event anywhere in the report
            twin = next((f for f in precise.get((e.event_date, e.sub_event_type), ())
                         if (f.actor1 == e.actor1 or _unknown(e.actor1)
                             or e.event_type == "Battles" and e.actor1 in (f.actor1, f.actor2))  # either side
                         and (f.admin1 == e.admin1 or e.admin1 is None)), None)
            if twin is not None:
                told = folded.get(id(twin))
                # the toll told with the restatement is the event's (the lowest, when several are)
                if e.fatalities and not twin.fatalities and (told is None or e.fatalities < told.fatalities):
                    folded[id(twin)] = e
                continue
        result.append(e)
    return [_with_toll(f, folded[id(f)]) if id(f) in folded else f for f in result]


def _with_toll(e: Event, told: Event) -> Event:
    spans = dict(e.evidence.spans)
    if "fatalities" in told.evidence.spans:
        spans["fatalities"] = told.evidence.spans["fatalities"]
    return replace(e, fatalities=told.fatalities, evidence=replace(e.evidence, spans=spans))


HISTORY_DAYS = 31  # ACLED codes what a report tells as news; older incidents it recalls are background


def drop_history(events: Sequence[Event]) -> list[Event]:
    """Leave out incidents dated (by their own words) over a month before the report's latest date."""
    dates = [e.event_date for e in events if e.event_date]
    if not dates:
        return list(events)
    latest = _dt.date.fromisoformat(max(dates))
    keep = []
    for e in events:
        if e.event_date and "date_from_context" not in (e.tags or "") and \
                (latest - _dt.date.fromisoformat(e.event_date)).days > HISTORY_DAYS:
            continue
        keep.append(e)
    return keep


_PROTEST_ORDER = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")


def _one_protest_per_place(events: list[Event]) -> list[Event]:
    """ACLED codes one demonstration per day and place, by what happened to it: shots fired to
    disperse it make it a protest with intervention; excessive force needs deaths or grave harm."""
    groups: dict[tuple, list[int]] = {}
    for i, e in enumerate(events):
        if e.event_type == "Protests":
            groups.setdefault((e.event_date, _place_key(e)), []).append(i)
    drop: set[int] = set()
    for idxs in groups.values():
        if len(idxs) < 2:
            continue
        es = [events[i] for i in idxs]
        killed = any(e.fatalities for e in es)
        subs = {e.sub_event_type for e in es}
        if "Excessive force against protesters" in subs and killed:
            want = "Excessive force against protesters"
        elif subs - {"Peaceful protest"}:
            want = "Protest with intervention"
        else:
            want = "Peaceful protest"
        keep = next((i for i in idxs if events[i].sub_event_type == want), None)
        if keep is None:  # excessive force without deaths: recode the strongest record
            keep = max(idxs, key=lambda i: _PROTEST_ORDER.index(events[i].sub_event_type))
            base = events[keep]
            prot = next((e for e in es if e.actor1 and e.actor1.startswith("Protesters")), None)
            events[keep] = replace(base, sub_event_type=want, actor1=prot.actor1 if prot else base.actor1,
                                   inter1=prot.inter1 if prot else base.inter1,
                                   actor2=base.actor1 if prot and base.actor1 != prot.actor1 else base.actor2,
                                   inter2=base.inter1 if prot and base.actor1 != prot.actor1 else base.inter2)
        # the deaths any of the records reports are the demonstration's (the lowest figure, as ACLED)
        tolls = [e for e in es if e.fatalities]
        if tolls and not events[keep].fatalities:
            told = min(tolls, key=lambda e: e.fatalities)
            spans = dict(events[keep].evidence.spans)
            if "fatalities" in told.evidence.spans:
                spans["fatalities"] = told.evidence.spans["fatalities"]
            events[keep] = replace(events[keep], fatalities=told.fatalities,
                                   evidence=replace(events[keep].evidence, spans=spans))
        drop.update(i for i in idxs if i != keep)
    return [e for i, e in enumerate(events) if i not in drop]
