"""Assemble candidate events: a trigger (or a group of them in one clause) plus
its arguments — actors in their roles, places, a time expression, a death toll.

Rules follow the ACLED unit: one event per (date, town, sub-event type, actor
pair). Arguments are looked for in the trigger's clause first, then its
sentence, then (for places) the report's running context, because Arabic
reports name the town once and then describe what happened there.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from operator import attrgetter
from typing import Callable, Sequence

import yaml

from ahdath.lexicon import LexiconSet
from ahdath.lexicon.loader import Entry
from ahdath.extract.mentions import Cue, Mentions, Trigger, firsts_of, stands_alone, within
from ahdath.extract.predicate import ClauseHeads, PredicateReader
from ahdath.extract.status_model import StatusModel
from ahdath.extract.reporting import (STRONG, UNANCHORED, anchoring, incident_spans, one_incident, recent,
                                      reported, trace_trigger)
from ahdath.extract.tolls import Tolls, same_scene
from ahdath.extract.trace import Decision
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.fatalities import Fatalities, FatalityCounter
from ahdath.resolve.places import PlaceMention
from ahdath.text.sentences import Segment
from ahdath.text.timex import TimeExpr

_TERRITORY = "Non-state actor overtakes territory"
_CUE_KIND = attrgetter("cue")
# cue kinds that mark an actor as the target
_TARGET_CUES = frozenset({"state_control", "target_asset", "target_prep", "victim"})
# A bomb is the subject of what it did: "قتل عنصران من قوات النظام بانفجار عبوة" names whom it
# killed or wounded, so an actor right after a death or wound word is hit, not the bomber.
_BOMB_SUBS = frozenset({"Remote explosive/landmine/IED", "Suicide bomb"})
_BOMB_TARGET_CUES = _TARGET_CUES | {"death", "injury"}
_ONE_SIDED_TARGET_CIVILIAN = {"Attack", "Abduction/forced disappearance", "Sexual violence"}
_STATE_INTER = 1
_MOVES = frozenset({"Non-violent transfer of territory", "Agreement"})  # what moves people away from a place
_NON_COMBATANT = {"CIVILIANS", "PROTESTERS", "RIOTERS"}
_AIR_CAPABLE = {1, 8}
_SETTLEMENT_KINDS = {"populated", "neighbourhood", "facility"}  # state and foreign forces: who flies aircraft and drones


@dataclass(frozen=True, slots=True)
class Role:
    """An actor in an event: the lexicon entries it may be, and where the text names it."""

    entries: tuple[Entry, ...]
    mention: ActorMention | None = None  # None when implied (civilians targeted, unidentified gunmen)

    @property
    def key(self) -> str:
        return str(self.entries[0].get("key"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One event before resolution."""

    sub_event_type: str
    event_type: str
    triggers: tuple[Trigger, ...]
    actor1: Role | None
    actor2: Role | None
    assoc1: Role | None
    place: PlaceMention | None
    place_inherited: bool
    time: TimeExpr | None
    fatalities: Fatalities
    clause: Segment
    sentence: Segment
    # how its words tie it to an occasion: "strong" (a verb, a toll or a date), "weak" (only a
    # place or a named side, which counts where the report tells some incident strongly)
    anchor: str = "strong"


class EventAssembler:
    """Turns mentions into candidates; holds the implied-actor entries looked up once."""

    def __init__(self, implied: dict[str, Entry], fatalities: FatalityCounter,
                 allies: frozenset[frozenset[str]] = frozenset(), predicates: PredicateReader | None = None,
                 status_model: StatusModel | None = None) -> None:
        self._implied = implied
        self._predicates = predicates
        self._status_model = status_model or StatusModel.identity()
        self._fat = fatalities
        self._allies = allies
        # every (a, b) that some side holds both of: ``allied`` is asked per candidate
        self._allied_pairs = frozenset((a, b) for side in allies for a in side for b in side)

    def allied(self, a: str, b: str) -> bool:
        return a == b or (a, b) in self._allied_pairs

    @staticmethod
    def _count_actors(m: Mentions) -> dict[str, tuple[float, int, ActorMention]]:
        """Per actor key: how often the report names it (generic references count half),
        where first, and that first mention. Computed once per report."""
        tally: dict[str, tuple[float, int, ActorMention]] = {}
        for a in m.actors:
            k = _key(a)
            w = 0.5 if a.generic else 1.0
            if k in tally:
                n, first, rep = tally[k]
                tally[k] = (n + w, first, rep)
            else:
                tally[k] = (w, a.first, a)
        return tally

    @staticmethod
    def _most_named(tally: dict[str, tuple[float, int, ActorMention]],
                    keep: Callable[[str, ActorMention], bool]) -> Role | None:
        best = None
        for k, (n, first, rep) in tally.items():
            if keep(k, rep) and (best is None or (n, -first) > (best[0], -best[1])):
                best = (n, first, rep)
        return Role(best[2].entries, None) if best else None

    def _air_force(self, tally: dict, target: Role | None) -> Role | None:
        """The report's most named state or foreign force not on the target's side: who flies."""
        return self._most_named(tally, lambda k, rep: int(rep.entries[0].get("inter") or 0) in _AIR_CAPABLE
                                and not (target and self.allied(k, target.key)))

    def _armed_side(self, tally: dict, target: Role | None) -> Role | None:
        """The report's most named armed actor not on the target's side: who sent a drone."""
        return self._most_named(tally, lambda k, rep: k not in _NON_COMBATANT and k != "UNKNOWN"
                                and not (target and self.allied(k, target.key)))

    def _opponent(self, tally: dict, a1: Role) -> Role | None:
        """The report's most named armed actor not on ``a1``'s side (a battle has two sides)."""
        return self._most_named(tally, lambda k, rep: k not in _NON_COMBATANT and not self.allied(k, a1.key))

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet, fatalities: FatalityCounter,
                      status_model: StatusModel | None = None) -> "EventAssembler":
        """``status_model``: the model that weighs what the rules anchor (None: the packaged one)."""
        implied: dict[str, Entry] = {}
        for e in lexicons["actors"].entries:
            k = str(e.get("key"))
            if k in ("CIVILIANS", "PROTESTERS", "RIOTERS", "UNKNOWN") and (k not in implied or not e.get("generic")):
                implied.setdefault(k, e)
        return cls(implied, fatalities, load_allies(), PredicateReader.from_lexicons(lexicons),
                   status_model if status_model is not None else StatusModel.packaged())

    # -- roles -------------------------------------------------------------------

    def _implied_role(self, key: str) -> Role | None:
        e = self._implied.get(key)
        return Role((e,)) if e is not None else None

    @staticmethod
    def _cue_before(cues: Sequence[Cue], pos: int, reach: int) -> bool:
        """A cue of ``cues`` (already of the wanted kinds) ends within ``reach`` tokens before ``pos``."""
        for c in cues:  # a loop rather than any(generator): asked for every actor of a clause
            if pos - reach <= c.last <= pos and c.first < pos:
                return True
        return False

    def _roles(self, trig: Trigger, actors: Sequence[ActorMention], cues: Sequence[Cue]
               ) -> tuple[ActorMention | None, ActorMention | None, ActorMention | None]:
        """(agent, target, associate of the agent) among ``actors`` of the clause."""
        # who told the news is not a side of it ("عن مصدر في قيادة الشرطة")
        sources = [c for c in cues if c.cue == "source"]
        if sources:
            actors = [a for a in actors if not self._cue_before(sources, a.first, 2)]
        speech = [c for c in cues if c.cue == "speech"]
        if speech:  # "قال الناشط الإعلامي": who speaks is not the civilian hit
            actors = [a for a in actors if _key(a) not in _NON_COMBATANT or not self._cue_before(speech, a.first, 1)]
        # "الجيش الحر مدعوما بالجيش التركي": the backer is the agent's associate, not a side of its own
        backing = [c for c in cues if c.cue == "support"]
        backers = [a for a in actors if backing and self._cue_before(backing, a.first, 1)]
        if backers:
            actors = [a for a in actors if a not in backers]
        # "انطلقت من مدينة تعز الخاضعة لسيطرة الحوثيين": who holds a place named describes it: never
        # the agent, and the target ("معسكرات ... الخاضعة لسيطرة الحوثيين") only when no other side is
        held_cues = [c for c in cues if c.cue == "held_by"]
        held = [a for a in actors if held_cues and self._cue_before(held_cues, a.first, 2)]
        if held:
            actors = [a for a in actors if a not in held]
            # ... and who holds the place a drone or missile was launched from is not whom it hit
            launched = [c for c in cues if c.cue == "launched_from"]
            held = [a for a in held if not self._cue_before(launched, a.first, 8)]
        if not actors:
            return None, (held[0] if held else None), (backers[0] if backers else None)
        claimant = self._claimant(actors, cues)
        if trig.sub_event_type == "Agreement":
            # a deal's parties are the sides the clause names, in order; "المسلحين" it moves are not one
            named = [a for a in actors if _key(a) != "UNKNOWN"]
            if len(named) >= 2 and _key(named[0]) != _key(named[1]):
                return named[0], named[1], None
        between = [c for c in cues if c.cue == "between" and c.first < trig.first + 12]
        for b in between:
            after = [a for a in actors if a.first > b.first and a.first - b.last <= 3]
            if after:
                # "بين قوات الجيش والحشد الشعبي من جهة وداعش من جهة أخرى": allies named together are one side
                rest = [a for a in actors if a.first > after[0].last and not self.allied(_key(a), _key(after[0]))]
                mates = [a for a in actors if a.first > after[0].last and a not in rest
                         and _key(a) != _key(after[0]) and (not rest or a.first < rest[0].first)]
                return after[0], (rest[0] if rest else None), (mates[0] if mates else None)
        agent: ActorMention | None = None
        target: ActorMention | None = None
        tagged_target: list[ActorMention] = []
        free: list[ActorMention] = []
        by_cues = [c for c in cues if c.cue == "agent_by"]
        kinds = _BOMB_TARGET_CUES if trig.sub_event_type in _BOMB_SUBS else _TARGET_CUES
        target_cues = [c for c in cues if c.cue in kinds]
        # "قتلى الغارات الروسية": the nationality of the raids is who flew them, whatever precedes
        flown = [c for c in cues if c.cue == "air"] if trig.sub_event_type == "Air/drone strike" else []
        for a in actors:
            if by_cues and self._cue_before(by_cues, a.first, 2):
                agent = agent or a
            elif flown and self._cue_before(flown, a.first, 1) and _key(a) not in _NON_COMBATANT:
                free.append(a)
            elif target_cues and self._cue_before(target_cues, a.first, 2):
                tagged_target.append(a)
            else:
                free.append(a)
        if agent is None and trig.sub_event_type in _BOMB_SUBS:
            # a bomb's maker is named as the subject before it ("فجر تنظيم الدولة عبوة") or as the
            # bomber's group ("انتحاري من داعش"); a side named after it is where it went off
            # ("سيارة مفخخة على حاجز لقسد"), and an unclaimed bomb has no known agent
            before = [a for a in free if a.last <= trig.first and trig.first - a.last <= 4]
            members = [c for c in cues if c.cue == "member_of"]
            of = [a for a in free if 0 <= a.first - trig.last <= 3 and self._cue_before(members, a.first, 1)]
            agent = before[-1] if before else of[0] if of else None
        elif agent is None:
            after = [a for a in free if 0 <= a.first - trig.last <= 4]
            before = [a for a in free if a.last <= trig.first]
            if after:
                agent = after[0]
            elif before:
                agent = before[-1]
            elif free:
                agent = free[0]
        assoc = None
        if agent is not None:
            nxt = [a for a in free if a is not agent and 0 <= a.first - agent.last <= 1 and _key(a) != _key(agent)
                   and _key(a) not in _NON_COMBATANT]
            if nxt and not tagged_target:
                assoc = nxt[0]
            elif backers and _key(backers[0]) != _key(agent):
                assoc = backers[0]
        # an ally named beside the agent without a target word acts with it ("قصفت قوات النظام والطيران
        # الروسي", "هاجمت قوات الجيش والحشد الشعبي مواقع لداعش"): its associate, not the side it hit
        allies = [a for a in free if agent is not None and a is not agent and _key(a) != _key(agent)
                  and self.allied(_key(a), _key(agent))]
        if allies and assoc is None:
            assoc = allies[0]
        for a in tagged_target + free + held:
            if a is agent or a is assoc or a in allies:
                continue
            if agent is None or _key(a) != _key(agent):
                target = a
                break
        if agent is None and target is not None and _key(target) not in _NON_COMBATANT and trig.event_type == "Battles":
            agent, target = target, None
        if claimant is not None and claimant is not agent:
            # "تبنى تنظيم الدولة الهجوم", "أعلن حزب الله مسؤوليته عن": the side that claims it did it;
            # the side first read as the agent is then the one it hit
            before, agent = agent, claimant
            if target is claimant:
                target = None
            if target is None and before is not None and _key(before) != _key(claimant):
                target = before
            if assoc is not None and _key(assoc) == _key(agent):
                assoc = None
        if agent is not None and _key(agent) == "UNKNOWN":
            # "مسلحون يرجح أنهم تابعون لخلايا تنظيم داعش": gunmen the report ties to a group are that group's
            members = [c for c in cues if c.cue == "member_of"]
            # ... and "مسلحو تنظيم داعش", gunmen of a group named right after them
            tied = [a for a in free + tagged_target if a.first >= agent.last and a.first - agent.last <= 8
                    and _key(a) not in _NON_COMBATANT and _key(a) != "UNKNOWN"
                    and (self._cue_before(members, a.first, 2) or a.first == agent.last)]
            if tied:
                if target is tied[0]:
                    rest = [a for a in tagged_target + free + held if a is not agent and a is not tied[0]
                            and _key(a) != _key(tied[0]) and not self.allied(_key(a), _key(tied[0]))]
                    target = rest[0] if rest else None
                agent = tied[0]
                if assoc is agent:
                    assoc = None
        return agent, target, assoc

    def _claimant(self, actors: Sequence[ActorMention], cues: Sequence[Cue]) -> ActorMention | None:
        """The armed side a claim of responsibility names: the first after the claim word
        ("تبنى تنظيم الدولة"), else the last just before it ("أعلن حزب الله مسؤوليته", "داعش يتبنى")."""
        claims = [c for c in cues if c.cue == "claim"]
        if not claims:
            return None
        armed = [a for a in actors if _key(a) not in _NON_COMBATANT]
        for c in claims:
            after = [a for a in armed if 0 <= a.first - c.last <= 2]
            if after:
                return after[0]
            before = [a for a in armed if 0 <= c.first - a.last <= 4]
            if before:
                return before[-1]
        return None

    # -- grouping ----------------------------------------------------------------

    @staticmethod
    def _groups(trigs: Sequence[Trigger], cues: Sequence[Cue]) -> list[tuple[str, list[Trigger]]]:
        strong = [t for t in trigs if not t.weak]
        pool = strong or list(trigs)
        subs: dict[str, list[Trigger]] = {}
        for t in pool:
            sub = t.sub_event_type
            if t.weak and sub == "Shelling/artillery/missile attack":
                kinds = {c.cue for c in cues}
                if "air" in kinds and "ground" not in kinds:
                    sub = "Air/drone strike"
            subs.setdefault(sub, []).append(t)
        if "Suicide bomb" in subs:
            subs.pop("Remote explosive/landmine/IED", None)
        if "Disrupted weapons use" in subs:
            # "فككت العبوات", "إحباط محاولة تفجير": the bomb named is the one that did not go off
            subs.pop("Remote explosive/landmine/IED", None)
            subs.pop("Suicide bomb", None)
        if _TERRITORY in subs:
            subs.pop("Armed clash", None)
        if not strong and len(subs) > 1:
            best = max(subs, key=lambda s: max(t.priority for t in subs[s]))
            subs = {best: subs[best]}
        return sorted(subs.items(), key=lambda kv: kv[1][0].first)

    # -- places, times, tolls ------------------------------------------------------

    @staticmethod
    def _places(places: Sequence[PlaceMention], index: dict[int, int], parents: set[int], trig: Trigger,
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
        if not cands:
            return []
        # the towns a road is named after place an incident on it only when nothing else does, and
        # then the first ("على طريق أم باطنة - نبع الصخر"): where the road starts, not a list of scenes
        roads = [p for p in cands if getattr(p, "road", False)]
        if roads:
            cands = [p for p in cands if not getattr(p, "road", False)] or roads[:1]
        # a town named beside its region is the scene ("قرية X بريف حماة"): regions only when alone
        towns = [p for p in cands if p.kind in _SETTLEMENT_KINDS]
        cands = towns or cands
        # a place named right after another without "و" or a comma is where that one lies
        # ("بادية كباجب بريف دير الزور", "تل صلبا بريف حماة"), not one more scene
        # ... and so is a bearing after a comma ("بمديرية الحشاء، غرب الضالع"), unless "و" joins it on
        cands = [p for k, p in enumerate(cands)
                 if not (k and 0 <= p.first - cands[k - 1].last <= 3
                         and (not _listed(m, cues, cands[k - 1], p)
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

    def assemble(self, m: Mentions, trace: list[Decision] | None = None) -> list[Candidate]:
        """The candidate events of a report; what is left out and why goes to ``trace``."""
        out: list[Candidate] = []
        index = {id(p): i for i, p in enumerate(m.places)}
        parents = {p.parent for p in m.places if p.parent is not None}
        tally = self._count_actors(m)
        last_place: PlaceMention | None = None
        focus = m.places[0] if m.places else None
        trig_f, actor_f, place_f = firsts_of(m.triggers), firsts_of(m.actors), firsts_of(m.places)
        tolls = Tolls(m, self._fat)
        time_f, cue_f, frame_f = firsts_of(m.times), firsts_of(m.cues), firsts_of(m.frames)
        readings: dict[int, tuple] = {}  # per candidate (by id), what the status model reads of it
        heads = self._predicates.of(m) if self._predicates is not None else None
        for si, sent in enumerate(m.sentences):
            if not within(m.triggers, sent.first, sent.last, trig_f):
                self._name_the_places(out, within(m.places, sent.first, sent.last, place_f), m.sentences[:si])
                continue  # no clause of it can have a trigger
            s_cues = within(m.cues, sent.first, sent.last, cue_f)
            s_cue_f = firsts_of(s_cues)
            groups_in_sentence: list[tuple[Segment, str, list[Trigger]]] = []
            s_frames = within(m.frames, sent.first, sent.last, frame_f)
            s_times = [t for t in within(m.times, sent.first, sent.last, time_f) if not t.future]
            incident = one_incident(m.clauses[si], s_cues)
            spans = incident_spans(m.clauses[si], incident)
            for clause in m.clauses[si]:
                c_cues = within(s_cues, clause.first, clause.last, s_cue_f)
                first, last = spans[id(clause)]
                dated = any(first <= t.first < last and recent(t) for t in s_times)
                trigs = reported(within(m.triggers, clause.first, clause.last, trig_f),
                                       within(s_frames, clause.first, clause.last), c_cues, dated, m, trace)
                if not trigs:
                    continue
                for sub, ts in self._groups(trigs, c_cues):
                    groups_in_sentence.append((clause, sub, ts))
            if not groups_in_sentence:
                continue
            # a generic word beside a specific report of the same incident adds nothing: a generic
            # strike ("القصف", "انفجار") in that report's clause, or of its kind in a clause told as its
            # cause or outcome ("... جراء تفجير انتحاري"); a bare killing ("مقتل") anywhere in the sentence
            if any(not t.weak for _c, _s, ts in groups_in_sentence for t in ts):
                told = [(c, ts[0].event_type) for c, _s, ts in groups_in_sentence if any(not t.weak for t in ts)]
                in_clause = {id(c) for c, _k in told}
                of_kind = {(incident[id(c)], kind) for c, kind in told}
                groups_in_sentence = [g for g in groups_in_sentence if any(not t.weak for t in g[2])
                                      or (g[1] != "Attack" and id(g[0]) not in in_clause
                                          and (incident[id(g[0])], g[2][0].event_type) not in of_kind)]
            s_actors = within(m.actors, sent.first, sent.last, actor_f)
            s_places = within(m.places, sent.first, sent.last, place_f)
            s_actor_f, s_place_f, s_time_f = firsts_of(s_actors), firsts_of(s_places), firsts_of(s_times)
            civ_cue = "civilian_target" in map(_CUE_KIND, s_cues)
            s_refs = [c for c in s_cues if c.cue == "reference"]
            told_before = len(out)
            for clause, sub, ts in groups_in_sentence:
                anchor = ts[0]
                c_actors = within(s_actors, clause.first, clause.last, s_actor_f)
                c_cues = within(s_cues, clause.first, clause.last, s_cue_f)
                if all(t.weak for t in ts) and not c_actors and not stands_alone(
                        ts, within(s_places, clause.first, clause.last, s_place_f),
                        lambda: tolls.of_range(clause.first, clause.last).count is not None):
                    # "... مما أدى لمقتل 46 شخصا": a bare toll tells the toll of the incident just told
                    if out and same_scene(out, within(s_places, clause.first, clause.last, s_place_f)):
                        tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident)
                    if trace is not None:
                        trace_trigger(trace, m, "assemble", anchor, "a generic word with no side named in its clause",
                                      anchor.start, anchor.end)
                    continue
                strength, why = anchoring(m, spans[id(clause)], ts, c_actors, s_cues, s_places, s_times, s_frames,
                                          tolls.of_range, heads)
                if strength == UNANCHORED:
                    if trace is not None:
                        trace_trigger(trace, m, "status", anchor, why, anchor.start, anchor.end)
                    continue
                # what the status model reads, if the report tells nothing firmly elsewhere (read at the end)
                reading = (sent, clause, spans[id(clause)], ts, strength, why, s_actors, s_places, s_times, s_frames) \
                    if self._status_model.active else None
                agent, target, assoc = self._roles(anchor, c_actors or s_actors, c_cues if c_actors else s_cues)
                if agent is None and not c_actors and not s_actors and not s_places and sub not in (
                        "Remote explosive/landmine/IED", "Suicide bomb") and why != "a trigger is its clause's verb":
                    if trace is not None:
                        trace_trigger(trace, m, "assemble", anchor, "no side and no place in its sentence",
                               anchor.start, anchor.end)
                    continue
                # places after a later trigger of the clause belong to that trigger
                later = [g[2][0].first for g in groups_in_sentence
                         if g[0] is clause and g[2][0].first > anchor.first]
                stop = min(later) if later else clause.last
                c_refs = [c for c in c_cues if c.cue == "reference"]
                cand_places = self._places(within(s_places, clause.first, stop, s_place_f), index, parents,
                                           anchor, c_refs, m, s_cues) \
                    or self._places(within(s_places, clause.first, clause.last, s_place_f), index, parents,
                                    anchor, c_refs, m, s_cues) \
                    or self._places(s_places, index, parents, anchor, s_refs, m, s_cues, outside=True)
                inherited = False
                if all(t.weak for t in ts) and out and (not cand_places or any(
                        o.place is not None and o.place.name == p.name for o in out for p in cand_places)):
                    # "أسفر الاعتداء عن مقتل خمسة": a toll or generic word after a reported incident
                    tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident)
                    if trace is not None:
                        trace_trigger(trace, m, "assemble", anchor, "a generic word after an incident told: its toll "
                                      "goes to that incident", anchor.start, anchor.end, "folded")
                    continue
                if not cand_places and any(_same_kind(o, anchor) for o in out):
                    # no place of its own and the kind already reported: the report is
                    # coming back to an incident it has told ("الهجوم", "الغارات")
                    tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident, same_kind=True)
                    if trace is not None:
                        trace_trigger(trace, m, "assemble", anchor, "no place of its own: the report coming back to "
                                      "an incident of its kind it has told", anchor.start, anchor.end, "folded")
                    continue
                if not cand_places:
                    fallback = last_place or focus
                    cand_places = [fallback] if fallback is not None else []
                    inherited = True
                times = within(s_times, clause.first, clause.last, s_time_f) or s_times
                time = min(times, key=lambda t: abs(t.first - anchor.first)) if times else None
                fat = tolls.of_clause(si, clause, groups_in_sentence, incident, anchor.first)
                if len(cand_places) > 1:  # one total over several places is the toll of none of them (ACLED)
                    fat = Fatalities(None, ())
                for place in cand_places or [None]:
                    cand = self._finish(sub, ts, agent, target, assoc, civ_cue, place, inherited, time, fat,
                                        clause, sent, tally)
                    if cand is not None:
                        out.append(cand if strength == STRONG else replace(cand, anchor=strength))
                        if reading is not None:
                            readings[id(out[-1])] = reading
                if cand_places and not inherited:
                    last_place = cand_places[-1]
            self._taken_not_handed(out, told_before, s_actors, s_cues)
        if readings:
            out = self._status_model.screen(out, readings, m, heads, trace)
        if not any(c.anchor == STRONG for c in out):
            # nothing in the report is told as happening (an op-ed, a policy piece): a place or a
            # side named beside an act is not enough to make it an incident
            for c in out:
                if trace is not None:
                    t = c.triggers[0]
                    trace_trigger(trace, m, "status", t, "mention: only a place or a side ties it to an occasion, and "
                           "nothing in the report is told as happening", t.start, t.end)
            return []
        return out

    def _taken_not_handed(self, out: list[Candidate], first: int, actors: Sequence[ActorMention],
                          cues: Sequence[Cue]) -> None:
        """ "انسحبت قوات النظام من البلدة إثر تقدم الفصائل": a withdrawal forced by the other side's
        fighting is ground that side took (ACLED), not a non-violent transfer; one under a deal stays."""
        kinds = {c.cue for c in cues}
        if "pressure" not in kinds or "by_agreement" in kinds:
            return
        for k in range(first, len(out)):
            c = out[k]
            if c.sub_event_type != "Non-violent transfer of territory" or c.actor1 is None:
                continue
            taker = next((a for a in actors if _key(a) not in _NON_COMBATANT and not self.allied(_key(a), c.actor1.key)),
                         None)
            if taker is None:
                continue
            role = Role(taker.entries, taker)
            sub = "Government regains territory" if _inter(role) == _STATE_INTER else _TERRITORY
            out[k] = replace(c, sub_event_type=sub, event_type="Battles", actor1=role, actor2=c.actor1)

    @staticmethod
    def _name_the_places(out: list[Candidate], places: Sequence[PlaceMention], before: Sequence[Segment]) -> None:
        """ "سيطر على خمس قرى غرب عفرين. ... فإن القرى هي نسرية ودوكان": a sentence that only lists the
        places of the incident just told gives it one event per place (ACLED's unit), in place of
        the one it was told at (the list says where it was)."""
        listed = [p for p in places if p.listing]
        if not listed or not out or out[-1].sentence not in before[-2:]:
            return
        told = out.pop()
        out.extend(replace(told, place=p, place_inherited=False) for p in listed)

    def _finish(self, sub: str, ts: list[Trigger], agent: ActorMention | None, target: ActorMention | None,
                assoc: ActorMention | None, civ_cue: bool, place: PlaceMention | None, inherited: bool,
                time: TimeExpr | None, fat: Fatalities, clause: Segment, sent: Segment,
                tally: dict) -> Candidate | None:
        """``civ_cue``: the sentence has a cue saying civilians were targeted."""
        a1 = Role(agent.entries, agent) if agent else None
        a2 = Role(target.entries, target) if target else None
        as1 = Role(assoc.entries, assoc) if assoc else None
        event_type = ts[0].event_type
        drone = any(t.entry.get("drone") for t in ts)
        if sub in ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"):
            if a1 is None or a1.key != "PROTESTERS":
                a2 = a1 if a1 is not None and a1.key not in _NON_COMBATANT else a2
                a1 = self._implied_role("PROTESTERS")
            if sub == "Peaceful protest" and fat.count and a2 is not None and a2.key not in _NON_COMBATANT:
                # protesters killed by a named force: ACLED's excessive force, not a peaceful protest
                sub, event_type = "Excessive force against protesters", "Protests"
            elif sub == "Peaceful protest":
                a2 = None
        elif sub in ("Violent demonstration", "Mob violence"):
            if a1 is None or a1.key not in ("RIOTERS", "PROTESTERS"):
                a1 = self._implied_role("RIOTERS")
        else:
            if a1 is not None and a1.key in _NON_COMBATANT:
                a1, a2 = (a2 if a2 is not None and a2.key not in _NON_COMBATANT else None), a1
            if sub in _ONE_SIDED_TARGET_CIVILIAN:
                if a2 is None or a2.key not in _NON_COMBATANT:
                    if a2 is not None and event_type == "Violence against civilians" and sub == "Attack" \
                            and a1 is not None and a2.key not in _NON_COMBATANT:
                        sub, event_type = "Armed clash", "Battles"
                    else:
                        a2 = self._implied_role("CIVILIANS")
                if a1 is None:
                    a1 = self._implied_role("UNKNOWN")
                if sub == "Attack" and a2 is not None and a2.key == "PROTESTERS":
                    sub, event_type = "Excessive force against protesters", "Protests"
            elif event_type == "Battles":
                if sub == _TERRITORY and a1 is None:
                    return None  # ground changes hands only between named sides
                if a2 is not None and a2.key == "CIVILIANS" and a1 is not None:
                    sub, event_type = "Attack", "Violence against civilians"
                if sub == _TERRITORY and a1 is not None and int(a1.entries[0].get("inter") or 0) == _STATE_INTER:
                    sub = "Government regains territory"
            elif event_type == "Explosions/Remote violence":
                if sub == "Air/drone strike" and a1 is not None and a1.key == "UNKNOWN":
                    # "طائرات مجهولة": unidentified aircraft are the attacker, not a side hit; a force
                    # the report names (often as the suspect) may fly them
                    a1 = self._air_force(tally, a2) or a1
                elif sub == "Air/drone strike" and a1 is not None and _inter(a1) not in _AIR_CAPABLE and not drone:
                    # rebels and militias rarely fly warplanes: the named side is the one hit (drones they do fly)
                    a1, a2 = (a2 if a2 is not None and _inter(a2) in _AIR_CAPABLE else None), a1
                if a2 is None and civ_cue:
                    a2 = self._implied_role("CIVILIANS")
                if a1 is None and sub == "Air/drone strike":
                    a1 = self._air_force(tally, a2) if not drone else self._armed_side(tally, a2)
                if a1 is None and sub in ("Remote explosive/landmine/IED", "Suicide bomb",
                                          "Shelling/artillery/missile attack"):
                    a1 = self._implied_role("UNKNOWN")  # "سقطت قذائف": fired by someone the report does not name
                if a2 is None and sub in _BOMB_SUBS and fat.count:
                    # "تفجيرات ... راح ضحيتها 120 قتيلا": a bomb that killed people the report does not
                    # tie to an armed side killed civilians
                    a2 = self._implied_role("CIVILIANS")
            elif sub == "Arrests" and a2 is None:
                a2 = self._implied_role("CIVILIANS")
        if a1 is not None and a2 is not None and self.allied(a1.key, a2.key) and a1.key == a2.key:
            a2 = None
        if a2 is None and a1 is not None and a1.key not in _NON_COMBATANT and event_type in (
                "Battles", "Explosions/Remote violence") and not (event_type == "Battles" and a1.mention is None) \
                and not (a1.key == "UNKNOWN" and a1.mention is None and sub == "Shelling/artillery/missile attack"):
            # (shells of an unnamed side: no side is known to be their target either)
            a2 = self._opponent(tally, a1)
            if event_type == "Explosions/Remote violence" and a2 is not None and a2.mention is None:
                # a strike whose clause names no target: the civilians the report says were hit, when
                # it names them more often than the other armed side
                civilians = tally.get("CIVILIANS")
                if civilians is not None and civilians[0] > tally[a2.key][0]:
                    a2 = self._implied_role("CIVILIANS")
        return Candidate(sub, event_type, tuple(ts), a1, a2, as1, place, inherited, time, fat, clause, sent)


def _same_kind(told: Candidate, trig: Trigger) -> bool:
    """Whether a trigger may be the report coming back to ``told``: the same event type, and for
    strategic developments (a deal, a handover, arrests) the same sub-event type."""
    if told.event_type != trig.event_type:
        return False
    return trig.event_type != "Strategic developments" or told.sub_event_type == trig.sub_event_type


def _listed(m: Mentions, cues: Sequence[Cue], prev: PlaceMention, p: PlaceMention) -> bool:
    """``p`` follows ``prev`` as one more item of a list: joined by "و" or a comma (``cues``: the sentence's)."""
    # "و", "وحتى", "مرورا ب": the list goes on ("من رحبة خطاب غربا وحتى الطليسية شرقا مرورا بقمحانة")
    if prev.last > p.first or m.tokens[p.first].text.startswith("و") \
            or any(t.text.startswith("و") for t in m.tokens[prev.last:p.first]) \
            or any(c.cue == "list_on" and prev.last <= c.first < p.first for c in cues):
        return True
    gap = m.norm.text[m.tokens[prev.last - 1].end:m.tokens[p.first].start]
    return "،" in gap or "," in gap


def load_allies() -> frozenset[frozenset[str]]:
    doc = yaml.safe_load((resources.files("ahdath") / "data" / "alliances.yaml").read_text(encoding="utf-8"))
    return frozenset(frozenset(side) for side in doc["sides"])


def _inter(r: Role) -> int:
    return int(r.entries[0].get("inter") or 0)


def _key(a: ActorMention) -> str:
    return str(a.entries[0].get("key"))
