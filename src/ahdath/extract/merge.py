"""Merge repeated mentions into ACLED units.

One event per (date, town, sub-event type, actor pair): the pair is unordered
for battles and ordered for one-sided violence. A capture and the clash that
won it on the same day and place are one territorial event. An event placed
only at a region or governorate joins a more precise event of the same kind,
day and attacker in that governorate (the report's headline restating the body).
"""
from __future__ import annotations

import datetime as _dt
from typing import Sequence

from ahdath.extract.trace import Decision
from ahdath.frozen import evolve
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


def _combine(a: Event, b: Event, lead_end: int = 0) -> Event:
    """Keep the more confident record; fatalities: the lowest stated figure (ACLED), unless the
    report's lead states the incident's toll and the body one part of it ("قتلت امرأة وطفل في قصف
    على المدينة" in the lead; "طال القصف منزل فلان وأدى لمقتل امرأة" in the body)."""
    keep, other = (a, b) if a.confidence >= b.confidence else (b, a)
    fats = [x.fatalities for x in (a, b) if x.fatalities]
    lead = [x.fatalities for x in (a, b) if x.fatalities and x.evidence.start < lead_end]
    if lead and len(lead) < len(fats):
        fats = lead
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
                confidence=round(min(1.2, max(a.confidence, b.confidence) + 0.05), 3))
    return evolve(keep, **fill)


def merge_events(events: Sequence[Event], trace: list[Decision] | None = None, lead_end: int = 0) -> list[Event]:
    """The report's events as ACLED units; ``trace`` gets every record folded into another.
    ``lead_end``: where the report's first sentence (its headline or lead) ends, in the original."""
    # buckets by (day, place, kind) keep merging linear in the number of events
    buckets: dict[tuple, list[int]] = {}
    out: list[Event] = []
    for e in events:
        slot = buckets.setdefault((e.event_date, _place_key(e), e.sub_event_type), [])
        for i in slot:
            if _compatible(out[i], e):
                _folded(trace, e, out[i], "the same unit (day, place, sub-event type, sides)")
                out[i] = _combine(out[i], e, lead_end)
                break
        else:
            slot.append(len(out))
            out.append(e)
    out = _fold_restatements(out, trace, lead_end)
    out = _one_protest_per_place(out, trace)
    out = _shots_at_demonstrations(out, trace)
    # a clash folded into the capture it produced
    captures = {(e.event_date, _place_key(e), tuple(sorted((e.actor1 or "", e.actor2 or "")))): e
                for e in out if e.sub_event_type in _TERRITORY}
    kept = []
    for e in out:
        won = captures.get((e.event_date, _place_key(e), tuple(sorted((e.actor1 or "", e.actor2 or "")))))
        if e.sub_event_type == "Armed clash" and won is not None:
            _folded(trace, e, won, "the fighting that won the ground: one territorial event")
            continue
        kept.append(e)
    out = kept
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
                         if _compatible_sides(e, f) and (f.admin1 == e.admin1 or e.admin1 is None)
                         and not _apart(e, f)), None)
            if twin is not None:
                _folded(trace, e, twin, "a region or country restating an event of the same kind that day in a town of it")
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
    return evolve(e, fatalities=told.fatalities, evidence=evolve(e.evidence, spans=spans))


# A record with no date of its own (the report's date) restates a dated one this close: the
# headline "قتلى بقصف على البلدة" told again in the body as "قصفت الطائرات البلدة مساء الثلاثاء".
RESTATE_DAYS = 2


def _context_dated(e: Event) -> bool:
    return "date_from_context" in (e.tags or "")


def _coarse(e: Event) -> bool:
    """Placed only at a governorate or region the gazetteer knows ("ريف حماة", "شمال سوريا"), or
    not at all. A name it does not know may be a village of its own: not coarse."""
    if e.location_ar is None:
        return True
    return (e.geo_precision or 3) >= 3 and "unresolved_place" not in (e.tags or "")


def _district(e: Event) -> bool:
    """Placed at a district or sub-district ("مديرية الحشاء", "ناحية عقيربات"): its location is the unit."""
    return e.geo_precision in (2, 3) and "unresolved_place" not in (e.tags or "") and e.location is not None \
        and e.location in (e.admin2, e.admin3)


def _in_district(a: Event, b: Event) -> bool:
    """``b`` lies in the district ``a`` is placed at, at a place of its own."""
    return _district(a) and not _district(b) and b.admin1 == a.admin1 and a.location in (b.admin2, b.admin3)


def _days_apart(a: Event, b: Event) -> int | None:
    if a.event_date is None or b.event_date is None:
        return None
    return abs((_dt.date.fromisoformat(a.event_date) - _dt.date.fromisoformat(b.event_date)).days)


def _restates(a: Event, b: Event, lead_end: int) -> bool:
    """Whether ``a`` tells again, with less detail, the incident ``b`` tells: the same kind of
    event and no side named differently, ``a`` without a day of its own or at a coarser place
    (or both), where ``b`` happened (its governorate; anywhere in the country when ``a`` names
    none) and within ``RESTATE_DAYS`` of it. Two precise towns, two days both told, or two tolls
    told in the body (past ``lead_end``, the end of the headline or lead) stay apart."""
    if a.event_type != b.event_type or a is b or _apart(a, b):
        return False
    if a.sub_event_type != b.sub_event_type and not (a.event_type == "Battles" and a.sub_event_type == "Armed clash"):
        return False  # a clash restates the capture it won; other sub-types are other incidents
    if not _compatible_sides(a, b):
        return False
    days = _days_apart(a, b)
    same_day = a.event_date == b.event_date
    if not same_day and not (_context_dated(a) and days is not None and days <= RESTATE_DAYS):
        return False
    if a.fatalities and b.fatalities and a.fatalities != b.fatalities and a.evidence.start >= lead_end:
        return False  # two tolls told in the body are two incidents (a headline may round one)
    same_place = _place_key(a) == _place_key(b)
    if not same_place and not (_coarse(a) and not _coarse(b) and (a.admin1 is None or a.admin1 == b.admin1)) \
            and not _in_district(a, b):
        return False
    return not (same_day and same_place)  # those merge as one unit already (or stay apart by sides)


def _lead_retold(a: Event, b: Event, lead_end: int) -> bool:
    """Whether ``a``, told in the report's headline or lead (before ``lead_end``), is the incident
    ``b`` tells in the body: the same kind, sides, day and governorate and the same toll ("قتل 14
    شخصا في هجوم على بلدة" in the lead, "هاجمت قرية X ... وقتلت 14" in the body), wherever each
    places it (a headline places an incident loosely, or at the dateline)."""
    if _apart(a, b) or not (a.evidence.start < lead_end <= b.evidence.start and a.fatalities > 0 and a.fatalities == b.fatalities
            and a.event_date == b.event_date and a.admin1 == b.admin1):
        return False
    return a.sub_event_type == b.sub_event_type and _compatible_sides(a, b)


def _apart(a: Event, b: Event) -> bool:
    """The later of the two is told as another incident ("وفي عملية منفصلة، ..."): its evidence
    holds the marker (``extract.retold``), so it restates nothing told before it."""
    later = a if a.evidence.start > b.evidence.start else b
    return "separate" in later.evidence.spans


def _compatible_sides(a: Event, b: Event) -> bool:
    if a.event_type == "Battles":
        sa = {x for x in (a.actor1, a.actor2) if not _unknown(x)}
        sb = {x for x in (b.actor1, b.actor2) if not _unknown(x)}
        return sa <= sb or sb <= sa
    return _unknown(a.actor1) or _unknown(b.actor1) or a.actor1 == b.actor1


def _fold_restatements(events: list[Event], trace: list[Decision] | None, lead_end: int) -> list[Event]:
    """One incident, one event: a record that restates another with less detail (``_restates``)
    is folded into it; the precise record keeps its fields and gains the other's toll and spans."""
    out = list(events)
    gone: set[int] = set()
    # both readings fold only events of one type within ``RESTATE_DAYS`` of each other, and in the
    # governorate of a restatement that names one: each event is compared with those, in order
    # (comparing every pair made a long report's merge quadratic)
    near: dict[tuple[str | None, str | None, str | None], list[int]] = {}
    for k, e in enumerate(out):
        near.setdefault((e.event_type, e.event_date, None), []).append(k)
        if e.admin1 is not None:
            near.setdefault((e.event_type, e.event_date, e.admin1), []).append(k)
    for i, a in enumerate(out):
        if i in gone:
            continue
        if _context_dated(a) or _coarse(a) or _district(a):
            j = next((j for j in _days_around(near, a) if j != i and j not in gone and _restates(a, out[j], lead_end)
                      and (out[j].event_date == a.event_date or not _context_dated(out[j]))), None)
            why = "a restatement with less detail (no day of its own or a coarser place)"
        else:
            j = None
        lead = j is None
        if lead and a.evidence.start < lead_end:  # (``_lead_retold`` reads only the lead's events)
            j = next((j for j in near[a.event_type, a.event_date, None] if j != i and j not in gone and _lead_retold(a, out[j], lead_end)), None)
            why = "the lead telling again, with the same toll, an incident the body tells"
        if j is None:
            continue
        _folded(trace, a, out[j], why)
        kept = out[j]
        merged = _combine(kept, a)
        # the precise record's fields stand, whatever the confidence of the restatement; the body's
        # record keeps its own tags over a lead's
        out[j] = evolve(kept, fatalities=merged.fatalities, evidence=merged.evidence,
                         tags=kept.tags if lead else merged.tags, confidence=merged.confidence)
        gone.add(i)
    return [e for k, e in enumerate(out) if k not in gone]


def _days_around(near: dict[tuple[str | None, str | None, str | None], list[int]], a: Event) -> list[int]:
    """The events (indices, in order) of ``a``'s type dated within ``RESTATE_DAYS`` of it (the
    undated ones for an undated ``a``) and in its governorate when it names one: the only ones
    ``_restates`` can find it restating (a same place, a coarse place and a district all share it)."""
    if a.event_date is None:
        return near.get((a.event_type, None, a.admin1), [])
    day = _dt.date.fromisoformat(a.event_date)
    found: list[int] = []
    for k in range(-RESTATE_DAYS, RESTATE_DAYS + 1):
        found.extend(near.get((a.event_type, (day + _dt.timedelta(days=k)).isoformat(), a.admin1), ()))
    found.sort()
    return found


def _folded(trace: list[Decision] | None, e: Event, into: Event, why: str) -> None:
    if trace is not None:
        summary = f"{e.sub_event_type} at {e.location_ar or '?'} on {e.event_date or '?'}"
        trace.append(Decision("merge", "folded", summary, f"{why}; kept as {into.event_id}",
                              e.evidence.start, e.evidence.end, e.evidence.text))


HISTORY_DAYS = 31  # ACLED codes what a report tells as news; older incidents it recalls are background


def drop_history(events: Sequence[Event], trace: list[Decision] | None = None) -> list[Event]:
    """Leave out incidents dated (by their own words) over a month before the report's latest date."""
    dates = [e.event_date for e in events if e.event_date]
    if not dates:
        return list(events)
    latest = _dt.date.fromisoformat(max(dates))
    keep = []
    for e in events:
        if e.event_date and "date_from_context" not in (e.tags or ""):
            days = (latest - _dt.date.fromisoformat(e.event_date)).days
            if days > HISTORY_DAYS:
                if trace is not None:
                    trace.append(Decision("history", "dropped", f"{e.sub_event_type} at {e.location_ar or '?'}",
                                          f"background: dated {e.event_date}, {days} days before the report's "
                                          f"latest incident", e.evidence.start, e.evidence.end, e.evidence.text))
                continue
        keep.append(e)
    return keep


_MET_WITH_FORCE = ("Protest with intervention", "Excessive force against protesters")


def _crowd(name: str | None) -> bool:
    return name is not None and name.startswith(("Protesters", "Rioters"))


def _shots_at_demonstrations(events: list[Event], trace: list[Decision] | None) -> list[Event]:
    """ "أطلقت قوات الاحتلال الرصاص على تظاهرة ... ما أدى إلى إصابة شاب": the shooting at a demonstration
    met with force that day and place is how it was met, not an attack of its own: it folds into the
    demonstration, which gains the shooter as the force (when it names none) and the toll."""
    met = {(e.event_date, _place_key(e)): i for i, e in enumerate(events) if e.sub_event_type in _MET_WITH_FORCE}
    if not met:
        return events
    out = list(events)
    gone: set[int] = set()
    for i, e in enumerate(events):
        j = met.get((e.event_date, _place_key(e)))
        if j is None or e.sub_event_type != "Attack":
            continue
        demo = out[j]
        side = "actor1" if _crowd(demo.actor2) else "actor2"  # the force that met it (either column)
        force = getattr(demo, side)
        if not (_unknown(force) or _unknown(e.actor1) or force == e.actor1):
            continue
        _folded(trace, e, demo, "shots at a demonstration met with force that day and place: how it was met")
        fill: dict = {}
        if _unknown(force) and not _unknown(e.actor1):
            fill.update({side: e.actor1, "inter" + side[-1]: e.inter1})
            i1, i2 = fill.get("inter1", demo.inter1), fill.get("inter2", demo.inter2)
            fill["interaction"] = _interaction(i1, i2)
        if e.fatalities and not demo.fatalities:
            fill["fatalities"] = e.fatalities
        out[j] = evolve(demo, **fill) if fill else demo
        gone.add(i)
    return [e for k, e in enumerate(out) if k not in gone]


_PROTEST_ORDER = ("Peaceful protest", "Protest with intervention", "Excessive force against protesters")


def _one_protest_per_place(events: list[Event], trace: list[Decision] | None = None) -> list[Event]:
    """ACLED codes one demonstration per day and place, by what happened to it: shots fired to
    disperse it make it a protest with intervention; excessive force needs deaths or grave harm;
    demonstrators who storm, burn or smash make it a riot (a violent demonstration)."""
    groups: dict[tuple, list[int]] = {}
    riots: dict[tuple, Event] = {}
    for i, e in enumerate(events):
        if e.event_type == "Protests":
            groups.setdefault((e.event_date, _place_key(e)), []).append(i)
        elif e.sub_event_type == "Violent demonstration":
            riots.setdefault((e.event_date, _place_key(e)), e)
    drop: set[int] = set()
    for where, idxs in groups.items():
        riot = riots.get(where)
        if riot is not None:
            # the protest turned violent: one riot (its toll, if any, is the riot's own)
            for i in idxs:
                if events[i].sub_event_type != "Excessive force against protesters":
                    _folded(trace, events[i], riot, "a demonstration that turned violent that day: the riot")
                    drop.add(i)
            idxs = [i for i in idxs if i not in drop]
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
            events[keep] = evolve(base, sub_event_type=want, actor1=prot.actor1 if prot else base.actor1,
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
            events[keep] = evolve(events[keep], fatalities=told.fatalities,
                                   evidence=evolve(events[keep].evidence, spans=spans))
        for i in idxs:
            if i != keep:
                _folded(trace, events[i], events[keep], "one demonstration per day and place")
                drop.add(i)
    return [e for i, e in enumerate(events) if i not in drop]
