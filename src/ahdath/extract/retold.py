"""A sentence that comes back to an incident already told may name what its first telling lacked.

Arabic reports often tell an incident first by its outcome, loosely placed and with no side
("قتل مدنيان جراء استهداف سيارة في ريف مدينة القامشلي"), and then come back to it, with the
definite article ("السيارة", "الهجوم"), to say where exactly ("تعرضت السيارة للاستهداف قرب قرية
سيكركا شرق القامشلي") or who did it and with what ("ذكرت مصادر أن طائرة مسيرة تركية استهدفت
السيارة"). ACLED codes the incident once, at its most precise place, with its named sides and by
its weapon, so the later words refine the candidate told first instead of being dropped:

- ``narrowed``: the village a restatement names inside the countryside or bearing the incident
  was placed at;
- ``attributed``: the attacker a restatement names for an incident told with none, and the
  sub-event type its weapon says for an incident told only by a generic word ("استهداف");
- ``name_the_places``: the places a sentence lists for the incident just told ("فإن القرى هي
  نسرية ودوكان"), one event each.

A sentence opened by a discourse marker of another incident ("وفي عملية منفصلة", "في حادثة
أخرى", "في سياق متصل") comes back to nothing (``apart_from``): what follows it is not folded into
what was told before, nor placed where that was.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ahdath.extract.mentions import Cue, Trigger
from ahdath.frozen import evolve
from ahdath.resolve.places import PlaceMention, near_container
from ahdath.text.sentences import Segment
from ahdath.text.timex import TimeExpr

if TYPE_CHECKING:
    from ahdath.extract.events import Candidate, Role

# places loose enough that a village named in a restatement is more precise: a countryside ("ريف
# X"), a bearing from a town ("شرق X"); a town, a quarter or a site is already the unit
_LOOSE = frozenset({"region", "direction"})
_SETTLEMENTS = frozenset({"populated"})
_INSIDE_TOWN = frozenset({"neighbourhood", "facility"})  # what ACLED places at the town it lies in


def apart_from(cues: Sequence[Cue]) -> Cue | None:
    """The marker of another incident in a sentence, if one stands there: the triggers after it tell
    a new incident."""
    return next((c for c in cues if c.cue == "separate"), None)


def latest(out: Sequence[Candidate], event_type: str) -> int | None:
    """The candidate a restatement of ``event_type`` comes back to: the latest of that type (the
    one ``tolls.give`` gives a retold toll to)."""
    return next((k for k in range(len(out) - 1, -1, -1) if out[k].event_type == event_type), None)


def narrowed(told: Candidate, places: Sequence[PlaceMention], around: Sequence[PlaceMention]) -> PlaceMention | None:
    """The one village of ``places`` (what a restatement's clause places it at) that lies in the loose
    place ``told`` has: the clause names it beside the town the countryside or bearing is of ("قرية
    سيكركا شرق القامشلي" for "ريف مدينة القامشلي"; ``around``: all the clause's places), or the
    gazetteer puts it near that town. Several villages are several scenes: none is taken."""
    loose = told.place
    if loose is None or loose.kind not in _LOOSE or not loose.anchor:
        return None
    villages = [p for p in places if p.kind in _SETTLEMENTS and not p.reference]
    if len(villages) != 1:
        return None
    village = villages[0]
    town = {r.id for r in loose.anchor}
    if any(q is not village and town & {r.id for r in (q.anchor or q.candidates)} for q in around):
        return village
    if village.candidates and near_container(village.candidates, loose.anchor):
        return village
    return None


def within_told(out: Sequence[Candidate], places: Sequence[PlaceMention], found: Sequence[PlaceMention]) -> bool:
    """ "قتل شاب برصاص مجهولين في مدينة درعا. واستُهدف الشابان قرب مسجد في حي السبيل بمدينة درعا": a
    quarter or a site the report places in the town of an incident told (``found``: the report's
    places, which ``parent`` indexes) is that incident's scene told closer, not another scene."""
    told = {o.place.name for o in out if o.place is not None}
    return bool(places) and all(p.kind in _INSIDE_TOWN and p.parent is not None and found[p.parent].name in told
                                for p in places)


def name_the_places(out: list[Candidate], places: Sequence[PlaceMention], before: Sequence[Segment]) -> None:
    """ "سيطر على خمس قرى غرب عفرين. ... فإن القرى هي نسرية ودوكان": a sentence that only lists the
    places of the incident just told gives it one event per place (ACLED's unit), in place of the one
    it was told at (the list says where it was); ``before``: the sentences before it."""
    listed = [p for p in places if p.listing]
    if not listed or not out or out[-1].sentence not in before[-2:]:
        return
    told = out.pop()
    out.extend(evolve(told, place=p, place_inherited=False) for p in listed)


def _generic(c: Candidate) -> bool:
    """Told only by generic words ("استهداف", "هجوم") whose own sub-event type it kept."""
    return all(t.weak for t in c.triggers) and c.sub_event_type == c.triggers[0].sub_event_type


def _specific(sub: str, ts: Sequence[Trigger]) -> bool:
    """A sub-event type its words say: a specific trigger, or a cue that made a generic one specific
    ("طائرة مسيرة استهدفت": an air strike)."""
    return any(not t.weak for t in ts) or sub != ts[0].sub_event_type


def _unnamed(role: Role | None) -> bool:
    return role is None or role.mention is None or role.key == "UNKNOWN"


def wants_attacker(told: Candidate) -> bool:
    """A one-sided incident told with no attacker named (a battle's sides told later are
    ``EventAssembler._name_sides``'s: both sides, or none)."""
    return told.event_type != "Battles" and _unnamed(told.actor1)


def attributed(told: Candidate, sub: str, ts: Sequence[Trigger], sided: Candidate | None) -> Candidate | None:
    """``told`` with what a restatement of it (``sub`` read from ``ts``; ``sided``: the candidate its
    clause would make, with its roles) names and it lacked: the attacker, when ``told`` names none,
    and the weapon's sub-event type, when ``told`` was told only generically. None when it adds nothing."""
    if ts[0].event_type != told.event_type:
        return None
    changes: dict = {}
    if _generic(told) and _specific(sub, ts) and sub != told.sub_event_type:
        changes["sub_event_type"] = sub
    if sided is not None and wants_attacker(told) and not _unnamed(sided.actor1):
        changes["actor1"] = sided.actor1
        changes["assoc1"] = sided.assoc1
        if told.actor2 is None:
            changes["actor2"] = sided.actor2
    return evolve(told, **changes) if changes else None


def dated(told: Candidate, times: Sequence[TimeExpr]) -> Candidate | None:
    """ "قتل خمسة مدنيين في قصف على البلدة. وقال ناشطون إن القصف الذي نفذته القوات السبت ...": the day
    a restatement tells goes to the incident it comes back to, where that one was told with none (one
    day named, not two: "السبت والأحد" is a span the restatement does not settle)."""
    if told.time is not None:
        return None
    days = [x for x in times if not x.future and (x.offset_days is not None or x.weekday is not None or x.day is not None)]
    return evolve(told, time=days[0]) if len(days) == 1 else None
