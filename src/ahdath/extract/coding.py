"""ACLED coding choices that need the report's other incidents, made once the candidates are assembled:
whether ground taken was fought for anywhere in the report, and whether a side's bombardment told by
the generic word is one more of the air strikes the report tells of it. (``extract.record`` applies both
once the actor's country is known.)"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ahdath.extract.groups import TERRITORY
from ahdath.extract.mentions import Mentions
from ahdath.frozen import evolve

if TYPE_CHECKING:
    from ahdath.extract.events import Candidate

TAKEN = frozenset({"Government regains territory", TERRITORY})  # the sub-event types of ground taken


def unopposed(out: list[Candidate], m: Mentions) -> list[Candidate]:
    """Marks ground taken in an incursion the report tells with no fighting ("توغلت قوة ... وسيطرت على
    مفرزة الأمن"): a force pushing in (a trigger flagged ``incursion``), no clash among the report's
    incidents nor in the clause of the taking (one folded into it: "بعد اشتباكات"), no one killed in it.
    (Ground cleared of an enemy in an operation, with no incursion told, stays a battle.)"""
    if not any(c.sub_event_type in TAKEN for c in out) or not any(t.entry.get("incursion") for t in m.triggers) \
            or any(c.sub_event_type == "Armed clash" for c in out):
        return out
    clashes = [t.first for t in m.triggers if t.sub_event_type == "Armed clash"]
    return [evolve(c, fought=bool(c.fatalities.count) or any(c.clause.first <= k < c.clause.last for k in clashes))
            if c.sub_event_type in TAKEN else c for c in out]


_SHELLING = "Shelling/artillery/missile attack"


def by_air(out: list[Candidate]) -> list[Candidate]:
    """Marks a bombardment told only by the generic word ("قصف تركي استهدف مستشفى", "حملة قصف على القطاع")
    by a side whose other strikes the report tells as air strikes, and none by its guns ("قصف مدفعي",
    "قذائف"): the report named the platform once, then said "قصف" (``Candidate.by_air``; ``extract.record``
    reads it for a state's forces abroad, whose bombardments are its aircraft's)."""
    air = {c.actor1.key for c in out if c.sub_event_type == "Air/drone strike" and c.actor1 is not None}
    if not air:
        return out
    guns = {c.actor1.key for c in out if c.sub_event_type == _SHELLING and c.actor1 is not None
            and not all(t.weak for t in c.triggers)}
    return [evolve(c, by_air=True)
            if c.sub_event_type == _SHELLING and c.actor1 is not None and c.actor1.key in air - guns
            and all(t.weak for t in c.triggers) else c for c in out]
