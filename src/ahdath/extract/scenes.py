"""Which of a sentence's places an act happened at: not an origin, a destination or a reference point,
not the container of a more precise place named beside it, not the town a road is named after; one
scene per place of a coordinated list. (Split from ``events``: the assembler asks it per trigger.)"""
from __future__ import annotations

from typing import Sequence

from ahdath.extract.mentions import Cue, Mentions, Trigger
from ahdath.resolve.places import PlaceMention

_MOVES = frozenset({"Non-violent transfer of territory", "Agreement"})  # what moves people away from a place
_SETTLEMENT_KINDS = {"populated", "neighbourhood", "facility"}


def scenes(places: Sequence[PlaceMention], index: dict[int, int], parents: set[int], trig: Trigger,
            refs: Sequence[Cue], m: Mentions, cues: Sequence[Cue], outside: bool = False) -> list[PlaceMention]:
    """Scene(s) of a trigger among ``places``: not an origin or reference point (``refs``: the
    "reference" cues around), not the container of a more precise place named beside it.
    ``cues``: the sentence's."""
    cands = [p for p in places
             if not getattr(p, "reference", False)
             and not (index[id(p)] in parents and any(q.parent == index[id(p)] and not getattr(q, "road", False)
                                                      for q in places))
             and not any(0 <= p.first - r.last <= 4 for r in refs)]
    if trig.sub_event_type in _MOVES or outside:
        # people moved to a place: the handover happened where they left, not where they went; and
        # a place another clause names as where people fled to ("نزوح باتجاه بلدة X") is not the scene
        # (where reinforcements arrived, "وصلت التعزيزات إلى X حيث اندلعت اشتباكات", may well be)
        fled = [c for c in cues if c.cue == "displacement"]
        to = [c for c in cues if c.cue == "destination" and c.first >= trig.first - 12
              and (not outside or trig.sub_event_type in _MOVES or any(0 <= c.first - f.last <= 4 for f in fled))]
        cands = [p for p in cands if not any(0 <= p.first - c.last <= 2 for c in to)]
    # where the wounded or the dead were taken ("وتم نقلهم إلى مستشفى المرج") is not where it happened
    carried = [t for t in cues if t.cue == "transport"]
    if carried:
        taken_to = [c for c in cues if c.cue == "destination" and any(0 <= c.first - t.last <= 2 for t in carried)]
        cands = [p for p in cands if not any(0 <= p.first - c.last <= 3 for c in taken_to)]
    if not cands:
        return []
    # the towns a road is named after place an incident on it only when nothing else does, and
    # then the first ("على طريق أم باطنة - نبع الصخر"): where the road starts, not a list of scenes
    roads = [p for p in cands if getattr(p, "road", False)]
    if roads:
        # ... a road named after the trigger is its scene rather than a place named before it, and the
        # place named right after the road with "في" or "ب" is where the road lies ("على طريق أم باطنة
        # - نبع الصخر في القنيطرة"), not another scene
        end = max(r.last for r in roads)
        ahead = any(r.first >= trig.first for r in roads)
        named = {r.name for r in roads}  # "طريق برج رحال - العباسية في منطقة برج رحال": the town again
        cands = [p for p in cands if not getattr(p, "road", False) and not (ahead and p.first < trig.first)
                 and not (0 <= p.first - end <= 1 and p.inside and p.name not in named)] or roads[:1]
    # a town named beside its region is the scene ("قرية X بريف حماة"): regions only when alone
    towns = [p for p in cands if p.kind in _SETTLEMENT_KINDS]
    cands = towns or cands
    # a place named right after another without "و" or a comma is where that one lies ("بادية كباجب
    # بريف دير الزور", "تل صلبا بريف حماة"), not one more scene; a settlement word with other words
    # before it and no "في", "ب" or bearing introduces one ("في إدلب مع حلفائها على بلدة كفرجنة")
    # ... and so is a bearing after a comma ("بمديرية الحشاء، غرب الضالع"), unless "و" joins it on
    cands = [p for k, p in enumerate(cands)
             if not (k and 0 <= p.first - cands[k - 1].last <= 3
                     and (not _listed(m, cues, cands[k - 1], p)
                          and (p.cue != "settlement" or p.inside or p.first == cands[k - 1].last)
                          or p.kind == "direction" and not any(t.text.startswith("و")
                                                               for t in m.tokens[cands[k - 1].last:p.first + 1])))]
    after = [p for p in cands if p.first >= trig.first]
    # coordinated list: "قرى A و B و C" -> one event per town, whichever side of the trigger
    if after:
        chosen = [after[0]]
        for p in after[1:]:
            if p.first - chosen[-1].last <= 2 and p.first > chosen[-1].first:
                chosen.append(p)
            else:
                break
        return chosen
    before = cands[::-1]
    chosen = [before[0]]
    for p in before[1:]:
        if chosen[-1].first - p.last <= 2 and p.first < chosen[-1].first:
            chosen.append(p)
        else:
            break
    chosen.reverse()
    return chosen


def _listed(m: Mentions, cues: Sequence[Cue], prev: PlaceMention, p: PlaceMention) -> bool:
    """``p`` follows ``prev`` as one more item of a list: joined by "و" or a comma (``cues``: the sentence's)."""
    # "و", "وحتى", "مرورا ب": the list goes on ("من رحبة خطاب غربا وحتى الطليسية شرقا مرورا بقمحانة")
    if prev.last > p.first or m.tokens[p.first].text.startswith("و") \
            or any(t.text.startswith("و") for t in m.tokens[prev.last:p.first]) \
            or any(c.cue == "list_on" and prev.last <= c.first < p.first for c in cues):
        return True
    gap = m.norm.text[m.tokens[prev.last - 1].end:m.tokens[p.first].start]
    return "،" in gap or "," in gap
