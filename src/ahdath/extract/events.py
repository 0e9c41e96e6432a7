"""Assemble candidate events: a trigger (or a group of them in one clause) plus
its arguments — actors in their roles, places, a time expression, a death toll.

Rules follow the ACLED unit: one event per (date, town, sub-event type, actor
pair). Arguments are looked for in the trigger's clause first, then its
sentence, then (for places) the report's running context, because Arabic
reports name the town once and then describe what happened there.
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Callable, Sequence

from ahdath.extract.groups import TERRITORY as _TERRITORY
from ahdath.extract.coding import by_air, unopposed
from ahdath.extract.groups import clause_groups, killings_with_cause, sentence_groups
from ahdath.extract import retold
from ahdath.extract.mentions import (
    Cue,
    Mentions,
    Trigger,
    firsts_of,
    header_date,
    stands_alone,
    within,
)
from ahdath.extract.predicate import PredicateReader
from ahdath.extract.reporting import (
    STRONG,
    UNANCHORED,
    anchoring,
    incident_spans,
    one_incident,
    recent,
    reported,
    trace_trigger,
)
from ahdath.extract.roles import BOMB_SUBS as _BOMB_SUBS
from ahdath.extract.roles import NON_COMBATANT as _NON_COMBATANT
from ahdath.extract.roles import RoleReader, load_allies, load_proxies
from ahdath.extract.roles import key_of as _key
from ahdath.extract.scenes import scenes
from ahdath.extract.status_model import StatusModel
from ahdath.extract.tolls import Tolls, same_scene
from ahdath.extract.trace import Decision
from ahdath.frozen import evolve
from ahdath.lexicon import LexiconSet
from ahdath.lexicon.loader import Entry
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.fatalities import Fatalities, FatalityCounter
from ahdath.resolve.places import PlaceMention
from ahdath.text.sentences import Segment
from ahdath.text.timex import TimeExpr

_CUE_KIND = attrgetter("cue")
_ONE_SIDED_TARGET_CIVILIAN = {"Attack", "Abduction/forced disappearance", "Sexual violence"}
_STATE_INTER = 1
_AIR_CAPABLE = {1, 8}  # state and foreign forces: who flies aircraft and drones
_CROWDS = frozenset({"PROTESTERS", "RIOTERS"})  # a crowd in a fight with a force: a violent demonstration


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
    # the marker of another incident its sentence opens with ("وفي عملية منفصلة"), normalized offsets:
    # it tells a new incident, not one told before (``retold``; the merge keeps it apart)
    apart: tuple[int, int] | None = None
    # ground taken (a territory sub-type): whether the report tells it fought for (a clash, a toll);
    # a foreign force taking ground unopposed is a transfer, not a battle (``record``)
    fought: bool = True
    # a bombardment told by the generic word by a side whose other strikes the report tells from the air
    # (``coding.by_air``): an air strike where that side is a state's forces abroad (``record``)
    by_air: bool = False


class EventAssembler:
    """Turns mentions into candidates; holds the implied-actor entries looked up once."""

    def __init__(self, implied: dict[str, Entry], fatalities: FatalityCounter,
                 allies: frozenset[frozenset[str]] = frozenset(),
                 proxies: dict[tuple[str, str], tuple[Entry, ...]] | None = None,
                 predicates: PredicateReader | None = None, status_model: StatusModel | None = None) -> None:
        self._implied = implied
        self._predicates = predicates
        self._status_model = status_model or StatusModel.identity()
        self._fat = fatalities
        # (side, its backer) -> the entries of the force that side then is
        self._proxies = proxies or {}
        self._roles = RoleReader(allies)
        self.allied = self._roles.allied

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
        proxies = {(side, backer): tuple(e for e in lexicons["actors"].entries
                                         if e.get("key") == key and not e.get("generic"))
                   for side, backer, key in load_proxies()}
        return cls(implied, fatalities, load_allies(), {k: v for k, v in proxies.items() if v},
                   PredicateReader.from_lexicons(lexicons),
                   status_model if status_model is not None else StatusModel.packaged())

    # -- roles -------------------------------------------------------------------

    def _implied_role(self, key: str) -> Role | None:
        e = self._implied.get(key)
        return Role((e,)) if e is not None else None

    # -- places, times, tolls ------------------------------------------------------

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
        page_date = header_date(m)  # the page's date: no incident's own day
        readings: dict[int, tuple] = {}  # per candidate (by id), what the status model reads of it
        heads = self._predicates.of(m) if self._predicates is not None else None
        for si, sent in enumerate(m.sentences):
            s_trigs = within(m.triggers, sent.first, sent.last, trig_f)
            if not s_trigs:
                retold.name_the_places(out, within(m.places, sent.first, sent.last, place_f),
                                       m.sentences[max(0, si - 2):si])  # (it reads the last two)
                continue  # no clause of it can have a trigger
            s_trig_f = firsts_of(s_trigs)
            s_cues = within(m.cues, sent.first, sent.last, cue_f)
            s_cue_f = firsts_of(s_cues)
            clause_cues: dict[int, list[Cue]] = {}  # per clause (by id): its cues, read once

            def cues_of(clause: Segment) -> list[Cue]:
                found = clause_cues.get(id(clause))
                if found is None:
                    found = clause_cues[id(clause)] = within(s_cues, clause.first, clause.last, s_cue_f)
                return found

            groups_in_sentence: list[tuple[Segment, str, list[Trigger]]] = []
            s_frames = within(m.frames, sent.first, sent.last, frame_f)
            s_times = [t for t in within(m.times, sent.first, sent.last, time_f) if not t.future and t is not page_date]
            incident = one_incident(m.clauses[si], s_cues)
            spans = incident_spans(m.clauses[si], incident)
            for clause in m.clauses[si]:
                c_trigs = within(s_trigs, clause.first, clause.last, s_trig_f)
                if not c_trigs:
                    continue  # (a clause with no trigger reports none)
                c_cues = cues_of(clause)
                first, last = spans[id(clause)]
                dated = any(first <= t.first < last and recent(t) for t in s_times)
                trigs = reported(c_trigs, within(s_frames, clause.first, clause.last), c_cues, dated, m, trace)
                if not trigs:
                    continue
                for sub, ts in clause_groups(trigs, c_cues, m, trace):
                    groups_in_sentence.append((clause, sub, ts))
            if not groups_in_sentence:
                continue
            groups_in_sentence = killings_with_cause(groups_in_sentence, m.clauses[si], incident, spans, m, trace)
            groups_in_sentence = sentence_groups(groups_in_sentence, incident, m, trace)
            s_actors = within(m.actors, sent.first, sent.last, actor_f)
            s_places = within(m.places, sent.first, sent.last, place_f)
            s_actor_f, s_place_f, s_time_f = firsts_of(s_actors), firsts_of(s_places), firsts_of(s_times)
            civ_cue = "civilian_target" in map(_CUE_KIND, s_cues)
            s_refs = [c for c in s_cues if c.cue == "reference"]
            told_before = len(out)
            apart = retold.apart_from(s_cues)
            for clause, sub, ts in groups_in_sentence:
                anchor = ts[0]
                c_actors = within(s_actors, clause.first, clause.last, s_actor_f)
                c_cues = cues_of(clause)
                c_places = within(s_places, clause.first, clause.last, s_place_f)
                c_times = within(s_times, clause.first, clause.last, s_time_f)
                # "وفي عملية منفصلة، ...": what follows a marker of another incident comes back to none
                new = apart is not None and anchor.first > apart.first
                if all(t.weak for t in ts) and not c_actors and not stands_alone(
                        ts, c_places, lambda: tolls.of_range(clause.first, clause.last).count is not None):
                    # "... مما أدى لمقتل 46 شخصا": a bare toll tells the toll of the incident just told
                    if out and not new and same_scene(out, c_places):
                        tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident)
                        _date(out, ts, c_times, s_trigs)
                    elif out and not new and c_places and self._narrow(out, anchor, c_places, index, parents,
                                                                       c_cues, m, s_cues):
                        tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident)
                        _date(out, ts, c_times, s_trigs)
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
                prior = self._roles.prior_subject(
                    [c.actor1.mention for c in out[told_before:] if c.actor1 is not None
                     and c.actor1.mention is not None and c.clause is not clause], clause.first, s_actors, s_cues)
                sites = [p for p in s_places if p.kind == "facility"]
                agent, target, assoc = self._roles.read(anchor, c_actors or s_actors,
                                                        c_cues if c_actors else s_cues, m.tokens, prior, sites)
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
                # (up to the next trigger, the whole clause, the sentence: the first two are one
                # range where no later trigger stands)
                cand_places = scenes(within(s_places, clause.first, stop, s_place_f) if later else c_places,
                                     index, parents, anchor, c_refs, m, s_cues) \
                    or later and scenes(c_places, index, parents, anchor, c_refs, m, s_cues) \
                    or scenes(s_places, index, parents, anchor, s_refs, m, s_cues, outside=True)
                inherited = False
                told = {o.place.name for o in out if o.place is not None}
                if all(t.weak for t in ts) and out and not new and len(cand_places) > 1 \
                        and any(p.name in told for p in cand_places) and not all(p.name in told for p in cand_places):
                    # "توغلت في بلدتي A وB" after a taking told at A: A is told again, B is a scene of its own
                    cand_places = [p for p in cand_places if p.name not in told]
                if all(t.weak for t in ts) and out and not new and (not cand_places or any(
                        p.name in told for p in cand_places)
                        or all(_key(a) in _NON_COMBATANT for a in c_actors)
                        and retold.within_told(out, cand_places, m.places)):
                    # "أسفر الاعتداء عن مقتل خمسة": a toll or generic word after a reported incident
                    tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident)
                    self._attribute(out, sub, ts, agent, target, assoc, civ_cue, clause, sent, tally, s_frames)
                    _date(out, ts, c_times, s_trigs)
                    if trace is not None:
                        trace_trigger(trace, m, "assemble", anchor, "a generic word after an incident told: its toll "
                                      "goes to that incident", anchor.start, anchor.end, "folded")
                    continue
                if not cand_places and not new and any(_same_kind(o, anchor) for o in out):
                    # no place of its own and the kind already reported: the report is
                    # coming back to an incident it has told ("الهجوم", "الغارات")
                    tolls.retell(out, si, clause, sub, anchor, groups_in_sentence, incident, same_kind=True)
                    self._name_sides(out, anchor, agent, target, assoc, civ_cue, tally)
                    self._attribute(out, sub, ts, agent, target, assoc, civ_cue, clause, sent, tally, s_frames)
                    _date(out, ts, c_times, s_trigs)
                    if trace is not None:
                        trace_trigger(trace, m, "assemble", anchor, "no place of its own: the report coming back to "
                                      "an incident of its kind it has told", anchor.start, anchor.end, "folded")
                    continue
                if not cand_places and not new:
                    fallback = last_place or focus
                    cand_places = [fallback] if fallback is not None else []
                    inherited = True
                times = c_times or s_times
                time = min(times, key=lambda t: abs(t.first - anchor.first)) if times else None
                fat = tolls.of_clause(si, clause, groups_in_sentence, incident, anchor.first)
                killed = bool(fat.count)  # whom it hit, though the total is no place's toll
                if len(cand_places) > 1:  # one total over several places is the toll of none of them (ACLED)
                    fat = Fatalities(None, ())
                for place in cand_places or [None]:
                    cand = self._finish(sub, ts, agent, target, assoc, civ_cue, place, inherited, time, fat,
                                        clause, sent, tally, killed)
                    if cand is not None:
                        if new:
                            assert apart is not None
                            cand = evolve(cand, apart=(apart.start, apart.end))
                        out.append(cand if strength == STRONG else evolve(cand, anchor=strength))
                        if reading is not None:
                            readings[id(out[-1])] = reading
                if cand_places and not inherited:
                    last_place = cand_places[-1]
            self._taken_not_handed(out, told_before, s_actors, s_cues, tally)
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
        return by_air(unopposed(out, m))

    def _taken_not_handed(self, out: list[Candidate], first: int, actors: Sequence[ActorMention],
                          cues: Sequence[Cue], tally: dict) -> None:
        """ "انسحبت قوات النظام من البلدة إثر تقدم الفصائل": a withdrawal forced by the other side's
        fighting is ground that side took (ACLED), not a non-violent transfer; one under a deal stays.
        The side that fought is named in the sentence, or else it is the report's most named
        opponent ("بعد قتال عنيف مع القوات الحكومية التي نفذت انسحابات")."""
        kinds = {c.cue for c in cues}
        if "pressure" not in kinds or "by_agreement" in kinds:
            return
        for k in range(first, len(out)):
            c = out[k]
            if c.sub_event_type != "Non-violent transfer of territory" or c.actor1 is None:
                continue
            taker = next((a for a in actors if _key(a) not in _NON_COMBATANT and not self.allied(_key(a), c.actor1.key)),
                         None)
            role = Role(taker.entries, taker) if taker is not None else self._opponent(tally, c.actor1)
            if role is None or role.key == "UNKNOWN":
                continue
            sub = "Government regains territory" if _inter(role) == _STATE_INTER else _TERRITORY
            out[k] = evolve(c, sub_event_type=sub, event_type="Battles", actor1=role, actor2=c.actor1)

    def _name_sides(self, out: list[Candidate], anchor: Trigger, agent: ActorMention | None,
                    target: ActorMention | None, assoc: ActorMention | None, civ_cue: bool, tally: dict) -> None:
        """"قتل شخصان في اشتباكات اندلعت في المخيم. ووقع الاشتباك بين X وY": a clash told first by its
        toll and place, and its sides in the sentence that comes back to it, is one clash with those
        sides."""
        if agent is None or anchor.event_type != "Battles":
            return
        k = next((k for k in range(len(out) - 1, -1, -1) if _same_kind(out[k], anchor)), None)
        # sides it has only by default (an unnamed armed group, "اشتباك مسلح"; the opponent the report
        # names most) give way to the sides named
        if k is None or not all(r is None or r.mention is None or r.key == "UNKNOWN" for r in (out[k].actor1, out[k].actor2)):
            return
        o = out[k]
        sided = self._finish(o.sub_event_type, list(o.triggers), agent, target, assoc, civ_cue, o.place,
                             o.place_inherited, o.time, o.fatalities, o.clause, o.sentence, tally)
        if sided is not None and sided.event_type == "Battles":
            out[k] = evolve(o, actor1=sided.actor1, actor2=sided.actor2, assoc1=sided.assoc1)

    def _narrow(self, out: list[Candidate], anchor: Trigger, c_places: Sequence[PlaceMention], index: dict,
                parents: set, c_cues: Sequence[Cue], m: Mentions, s_cues: Sequence[Cue]) -> bool:
        """ "قتل مدنيان جراء استهداف سيارة بريف مدينة القامشلي. وتعرضت السيارة للاستهداف قرب قرية
        سيكركا شرق القامشلي": a generic restatement that names a village inside the loose place of the
        incident it comes back to places that incident there (``retold.narrowed``)."""
        k = retold.latest(out, anchor.event_type)
        if k is None:
            return False
        refs = [c for c in c_cues if c.cue == "reference"]
        village = retold.narrowed(out[k], scenes(c_places, index, parents, anchor, refs, m, s_cues), c_places)
        if village is None:
            return False
        out[k] = evolve(out[k], place=village, place_inherited=False)
        return True

    def _attribute(self, out: list[Candidate], sub: str, ts: list[Trigger], agent: ActorMention | None,
                   target: ActorMention | None, assoc: ActorMention | None, civ_cue: bool, clause: Segment,
                   sent: Segment, tally: dict, frames: Sequence) -> None:
        """ "قتل مدنيان جراء استهداف سيارة ... وذكرت مصادر أن طائرة مسيرة تركية استهدفت السيارة": the
        attacker and the weapon a restatement names go to the incident it comes back to, where that
        one lacked them (``retold.attributed``). A side named before a complementizer that opens the
        trigger's content clause is who tells it ("أوردت وزارة الداخلية أن التفجير وقع"), not who did it."""
        k = retold.latest(out, ts[0].event_type)
        if k is None:
            return
        if agent is not None and any(f.spec.status == "complement" and agent.last <= f.first < ts[0].first
                                     for f in frames):
            agent = None
        o = out[k]
        # (the roles are read only where they can be taken: most restatements come back to an incident
        # whose attacker is named)
        sided = self._finish(sub, ts, agent, target, assoc, civ_cue, o.place, o.place_inherited, o.time,
                             o.fatalities, clause, sent, tally) if agent is not None and retold.wants_attacker(o) \
            else None
        better = retold.attributed(o, sub, ts, sided)
        if better is not None:
            out[k] = better

    def _finish(self, sub: str, ts: list[Trigger], agent: ActorMention | None, target: ActorMention | None,
                assoc: ActorMention | None, civ_cue: bool, place: PlaceMention | None, inherited: bool,
                time: TimeExpr | None, fat: Fatalities, clause: Segment, sent: Segment,
                tally: dict, killed: bool = False) -> Candidate | None:
        """``civ_cue``: the sentence has a cue saying civilians were targeted; ``killed``: its clause
        tells people killed (a total over several places included)."""
        a1 = Role(agent.entries, agent) if agent else None
        a2 = Role(target.entries, target) if target else None
        as1 = Role(assoc.entries, assoc) if assoc else None
        proxy = self._proxies.get((a1.key, as1.key)) if a1 is not None and as1 is not None else None
        if proxy and agent is not None:
            # "الجيش الحر مدعوما بالجيش التركي": rebels a state backs are its proxy force
            a1 = Role(proxy, evolve(agent, entries=proxy))
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
            if sub == "Excessive force against protesters":
                # ACLED: the force that used it is the side acting, the demonstrators its target
                force = a2 if a2 is not None and a2.key not in _NON_COMBATANT else self._implied_role("UNKNOWN")
                a1, a2 = force, a1
        elif sub in ("Violent demonstration", "Mob violence"):
            rioters = self._implied_role("RIOTERS")
            if a1 is None or a1.key not in ("RIOTERS", "PROTESTERS"):
                a1 = rioters
            elif a1.key == "PROTESTERS" and rioters is not None:
                # ACLED: demonstrators who turn violent are rioters; the words that named them stay its evidence
                a1 = Role(rioters.entries, a1.mention)
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
            elif event_type == "Battles" and sub == "Armed clash" and a2 is not None and a2.key in _CROWDS \
                    and a1 is not None and a1.key not in _NON_COMBATANT:
                # "مواجهات بين المتظاهرين وقوات الأمن": a crowd in a fight with a force is a violent
                # demonstration (ACLED's riots), the rioters against the force they fought
                sub, event_type = "Violent demonstration", "Riots"
                a1, a2 = self._implied_role("RIOTERS"), a1
            elif event_type == "Battles":
                if sub == _TERRITORY and a1 is None:
                    return None  # ground changes hands only between named sides
                if a2 is not None and a2.key == "CIVILIANS" and a1 is not None:
                    sub, event_type = "Attack", "Violence against civilians"
                elif a2 is not None and a2.key == "CIVILIANS":
                    # "قتل شخصان في اشتباكات": the people a clash killed are its toll, not a side in it
                    a2 = None
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
                if a1 is None and (sub in ("Remote explosive/landmine/IED", "Suicide bomb",
                                           "Shelling/artillery/missile attack")
                                   or sub == "Air/drone strike" and a2 is not None and a2.mention is not None):
                    # "سقطت قذائف": fired by someone the report does not name; "تعرضت القاعدة الروسية لقصف
                    # بطائرات مسيرة": aircraft no side the report names could have flown against it
                    a1 = self._implied_role("UNKNOWN")
                if a2 is None and sub in _BOMB_SUBS and (fat.count or killed):
                    # "تفجيرات ... راح ضحيتها 120 قتيلا": a bomb that killed people the report does not
                    # tie to an armed side killed civilians
                    a2 = self._implied_role("CIVILIANS")
            elif sub == "Arrests":
                if a2 is None:
                    a2 = self._implied_role("CIVILIANS")
                if a1 is None:
                    # "اعتُقل ثلاثة مدنيين", "واعتقلت الشابين": an arrest whose sentence names no one
                    # making it is made by those who hold the ground: the state force the report names
                    # most, else its most named armed side (never the side arrested)
                    a1 = self._air_force(tally, a2) or self._armed_side(tally, a2)
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


_DAY_NEAR = 6  # how many words after its act a day may stand and be that act's ("القصف الذي نفذته القوات السبت")


def _date(out: list[Candidate], ts: Sequence[Trigger], times: Sequence[TimeExpr], trigs: Sequence[Trigger]) -> None:
    """The day a restatement tells right with its act, for the incident it comes back to
    (``retold.dated``); a day past another act of the clause ("في أعقاب الهجوم ... السبت") is that one's."""
    k = retold.latest(out, ts[0].event_type)
    if k is None:
        return
    near = [x for x in times if any(t.last <= x.first <= t.last + _DAY_NEAR for t in ts)
            and not any(ts[0].last <= t.first < x.first and t not in ts for t in trigs)]
    better = retold.dated(out[k], near)
    if better is not None:
        out[k] = better


def _same_kind(told: Candidate, trig: Trigger) -> bool:
    """Whether a trigger may be the report coming back to ``told``: the same event type, and for
    strategic developments (a deal, a handover, arrests) the same sub-event type."""
    if told.event_type != trig.event_type:
        return False
    return trig.event_type != "Strategic developments" or told.sub_event_type == trig.sub_event_type


def _inter(r: Role) -> int:
    return int(r.entries[0].get("inter") or 0)
