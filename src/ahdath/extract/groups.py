"""Trigger groups: which triggers of a clause, and of one incident, tell one event together.

A clause often names one incident in several words: the weapon and the generic act ("قصف
مدفعي" and "استهدف"), a capture and the fighting that won it, a bomber and his bomb, a death
and what caused it. ACLED codes the incident once, by what it was, so:

- per clause (``clause_groups``): the specific words absorb the generic ones, and triggers
  of one sub-event type form one group; a bomb that did not go off is the disrupted use, a
  clash that won ground is the capture;
- a bare killing ("قتل", "مقتل") names the toll, not the incident, when the words around it
  say how people were killed: "قتل ثلاثة في قصف", "مقتل 34 مدنيا في قصف استهدف السوق" is a
  strike with its toll, in one clause or across a cause connector ("قتل مدنيان جراء
  استهداف سيارة", ``one_incident``); then the strike is read over the whole incident, so
  the sides and the toll the killing clause names are the strike's;
- per sentence (``sentence_groups``): a generic word beside a specific report of the same
  incident adds nothing.

Every group left out or folded goes to the caller's trace with its reason.
"""
from __future__ import annotations

from typing import Sequence

from ahdath.extract.mentions import Cue, Mentions, Trigger
from ahdath.extract.reporting import trace_trigger
from ahdath.extract.trace import Decision
from ahdath.text.sentences import Segment

TERRITORY = "Non-state actor overtakes territory"
KILLING = "Attack"  # the sub-event type of a bare killing, a weak trigger ("مقتل")
_BOMBS = ("Remote explosive/landmine/IED", "Suicide bomb")
# what a death may be the toll of: the weapon that killed is the incident
_CAUSES = frozenset({"Explosions/Remote violence"})

Group = tuple[Segment, str, list[Trigger]]  # (clause or incident span, sub-event type, triggers)


def bare_killing(sub: str, ts: Sequence[Trigger]) -> bool:
    """A group that only says people were killed ("قتل", "مقتل"): no weapon, no manner."""
    return sub == KILLING and all(t.weak for t in ts)


def clause_groups(trigs: Sequence[Trigger], cues: Sequence[Cue], m: Mentions,
                  trace: list[Decision] | None) -> list[tuple[str, list[Trigger]]]:
    """The groups of one clause's reported triggers, by sub-event type, in text order; what
    the clause's more specific words absorb goes to ``trace`` as folded, and a trigger told
    only with words its clause lacks (``told_with``: a deal named, not made) as dropped."""
    strong = [t for t in trigs if not t.weak]
    pool = strong or list(trigs)
    kinds = {c.cue for c in cues}
    subs: dict[str, list[Trigger]] = {}
    for t in pool:
        sub = t.sub_event_type
        if t.weak and sub == "Shelling/artillery/missile attack":
            if _aircraft(cues) and "ground" not in kinds:
                sub = "Air/drone strike"
        subs.setdefault(sub, []).append(t)
    absorbed: list[tuple[list[Trigger], str]] = []
    if "Suicide bomb" in subs and "Remote explosive/landmine/IED" in subs:
        absorbed.append((subs.pop("Remote explosive/landmine/IED"), "the bomb a suicide bomber set off"))
    if "Disrupted weapons use" in subs:
        # "فككت العبوات", "إحباط محاولة تفجير": the bomb named is the one that did not go off
        for sub in _BOMBS:
            if sub in subs:
                absorbed.append((subs.pop(sub), "a bomb that did not go off: the disrupted use"))
    if "Disrupted weapons use" in subs and any(ts[0].event_type == "Battles" and ts[0].first >= subs[
            "Disrupted weapons use"][0].first for ts in subs.values()):
        # "أحبطت محاولة تسلل": an attack foiled is an attack repelled, a clash; bombs defused on the way
        # to ground taken ("فككت العبوات لتعيد الأمن إلى البلدات") are part of taking it (what the clause
        # tells after the battle is its own act)
        absorbed.append((subs.pop("Disrupted weapons use"), "foiled or defused in the course of a battle told in "
                                                            "its clause: the battle"))
    airs = subs.get("Air/drone strike")
    if airs and all(t.entry.get("aircraft") for t in airs) and any(t.entry.get("landing") for t in pool):
        # "إنزال جوي شاركت فيه ثلاث مروحيات": the helicopters carried the landing; they struck nothing
        absorbed.append((subs.pop("Air/drone strike"), "the aircraft that carried a landing told in its clause"))
    if TERRITORY in subs and "Armed clash" in subs:
        absorbed.append((subs.pop("Armed clash"), "the fighting that won the ground: the capture"))
    if not strong and KILLING in subs and any(ts[0].event_type in _CAUSES for s, ts in subs.items() if s != KILLING):
        # "مقتل 34 مدنيا في قصف استهدف السوق": the strike is the incident, the deaths its toll
        absorbed.append((subs.pop(KILLING), "a death told with the weapon that caused it: the weapon's event, "
                                            "with its toll"))
    if "air_defence" in kinds and (_aircraft(cues) or any(ts[0].event_type in _CAUSES for ts in subs.values())):
        # "تصدت وسائط الدفاع الجوي لصواريخ العدوان": the defence meeting a strike (or missiles, aircraft)
        # named in its clause is part of the strike; fighting around an air-defence base is a battle
        if "Armed clash" in subs:
            absorbed.append((subs.pop("Armed clash"), "air defence meeting a strike: part of the strike, not a battle"))
        shells = subs.get("Shelling/artillery/missile attack")
        if shells and all(t.entry.get("instrument") for t in shells):
            absorbed.append((subs.pop("Shelling/artillery/missile attack"),
                             "missiles of or against air defence: part of the strike they met"))
    shells = subs.get("Shelling/artillery/missile attack")
    if shells and all(t.entry.get("projectile") for t in shells):
        # "أطلقت طائرة مسيرة صاروخين على سيارة", "قصفت الطائرات الروسية البلدة بالصواريخ": the
        # missiles are what the aircraft fired
        if "Air/drone strike" in subs:
            absorbed.append((subs.pop("Shelling/artillery/missile attack"),
                             "missiles an aircraft or a drone of the clause fired: part of the air strike"))
        elif _aircraft(cues):
            subs["Air/drone strike"] = subs.pop("Shelling/artillery/missile attack")
    if not strong and len(subs) > 1:
        best = max(subs, key=lambda s: max(t.priority for t in subs[s]))
        for sub in [s for s in subs if s != best]:
            absorbed.append((subs.pop(sub), "a generic word beside a more specific one of its clause"))
    if trace is not None:
        for ts, why in absorbed:
            trace_trigger(trace, m, "assemble", ts[0], why, ts[0].start, ts[0].end, "folded")
    # a deal named, not made, still says what the clause is about: its generic words stay absorbed
    return [(sub, told) for sub, ts in sorted(subs.items(), key=lambda kv: kv[1][0].first)
            if (told := _told_with(ts, cues, m, trace))]


def _aircraft(cues: Sequence[Cue]) -> bool:
    """An air word of the clause outside the names of air defence ("الدفاع الجوي" holds "الجوي") and
    of civil aviation ("الرحلات الجوية", "المجال الجوي")."""
    shields = [c for c in cues if c.cue in ("air_defence", "civil_air")]
    return any(c.cue == "air" and not any(d.first <= c.first < d.last for d in shields) for c in cues)


def _told_with(trigs: Sequence[Trigger], cues: Sequence[Cue], m: Mentions,
               trace: list[Decision] | None) -> Sequence[Trigger]:
    """The triggers whose entry's ``told_with`` cue kind, if any, stands in the clause (``cues``)."""
    if not any(t.entry.get("told_with") for t in trigs):
        return trigs
    kinds = {c.cue for c in cues}
    out = []
    for t in trigs:
        need = t.entry.get("told_with")
        if need is None or need in kinds:
            out.append(t)
        elif trace is not None:
            trace_trigger(trace, m, "status", t, f"named, not told: no {need} word in its clause (a name, a "
                          "reference or a background)", t.start, t.end)
    return out


def killings_with_cause(groups: list[Group], clauses: Sequence[Segment], incident: dict[int, int],
                        spans: dict[int, tuple[int, int]], m: Mentions, trace: list[Decision] | None) -> list[Group]:
    """ "قتل مدنيان جراء استهداف سيارة": a bare killing whose incident (clauses joined by a cause
    or outcome connector) tells the weapon gives one group, the weapon's, read over the whole
    incident (a new span, registered in ``incident`` and ``spans``); its words fold into it."""
    out = list(groups)
    for k, (clause, sub, ts) in enumerate(groups):
        if not bare_killing(sub, ts):
            continue
        key = incident[id(clause)]
        cause = next((g for g in out if g[0] is not clause and incident.get(id(g[0])) == key
                      and g[2][0].event_type in _CAUSES), None)
        if cause is None:
            continue
        first, last = spans[id(clause)]
        linked = [c for c in clauses if incident[id(c)] == key]
        whole = Segment(first, last, linked[0].start, linked[-1].end)
        incident[id(whole)] = key
        spans[id(whole)] = (first, last)
        merged = (whole, cause[1], sorted(cause[2] + ts, key=lambda t: (t is not cause[2][0], t.first)))
        out = [merged if g is cause else g for g in out if g is not groups[k]]
        if trace is not None:
            trace_trigger(trace, m, "assemble", ts[0], "a death told with its cause: the cause's event, with its toll",
                          ts[0].start, ts[0].end, "folded")
    return out


def sentence_groups(groups: list[Group], incident: dict[int, int], m: Mentions,
                    trace: list[Decision] | None) -> list[Group]:
    """Leave out what a specific report of the same incident makes redundant: a generic strike
    ("القصف", "انفجار") in that report's clause, or of its kind in a clause told as its cause
    or outcome ("... جراء تفجير انتحاري"); a bare killing ("مقتل") anywhere in the sentence."""
    if not any(not t.weak for _c, _s, ts in groups for t in ts):
        return groups
    told = [(c, ts[0].event_type) for c, _s, ts in groups if any(not t.weak for t in ts)]
    in_clause = {id(c) for c, _k in told}
    of_kind = {(incident[id(c)], kind) for c, kind in told}
    out = []
    for g in groups:
        clause, sub, ts = g
        if any(not t.weak for t in ts) or (sub != KILLING and id(clause) not in in_clause
                                           and (incident[id(clause)], ts[0].event_type) not in of_kind):
            out.append(g)
        elif trace is not None:
            why = ("a death beside a specific report in its sentence: the toll of that incident" if sub == KILLING
                   else "a generic word beside a specific report of the same incident")
            trace_trigger(trace, m, "assemble", ts[0], why, ts[0].start, ts[0].end, "folded")
    return out
