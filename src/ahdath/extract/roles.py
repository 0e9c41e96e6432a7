"""Who did what to whom in one clause: the agent of a trigger, the side it hit and the agent's associate.

``RoleReader.read`` reads the actor mentions of a trigger's clause with the cue words around them
(``cues.yaml``: a news source, a speaker, a backer, who holds a place, a claim, target and "by"
words, "بين ... و"), the sentence's bases and airports (whose site it is is the side hit) and the side
that acted in the clause before (a verb with no subject of its own goes on with it). What an event
type then makes of the pair (civilians, protesters, an unidentified attacker) is
``extract.events.EventAssembler._finish``.
"""
from __future__ import annotations

from importlib import resources
from operator import attrgetter
from typing import Sequence

import yaml

from ahdath.extract.mentions import Cue, Trigger
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.places import PlaceMention
from ahdath.text.tokens import Token

# cue kinds that mark an actor as the target
TARGET_CUES = frozenset({"state_control", "target_asset", "target_prep", "victim"})
# A bomb is the subject of what it did: "قتل عنصران من قوات النظام بانفجار عبوة" names whom it
# killed or wounded, so an actor right after a death or wound word is hit, not the bomber.
BOMB_SUBS = frozenset({"Remote explosive/landmine/IED", "Suicide bomb"})
_BOMB_TARGET_CUES = TARGET_CUES | {"death", "injury"}
NON_COMBATANT = frozenset({"CIVILIANS", "PROTESTERS", "RIOTERS"})
_STRUCK = frozenset({"Explosions/Remote violence", "Battles"})
_CUE_KIND = attrgetter("cue")
_RENAMED = 4  # how many words after a generic side the group it names may start ("فصائل إسلامية ومقاتلة هي هيئة ...")


class RoleReader:
    """Roles in a clause, given which sides fight together (``allies``: sets of actor keys)."""

    __slots__ = ("_allied_pairs",)

    def __init__(self, allies: frozenset[frozenset[str]] = frozenset()) -> None:
        # every (a, b) that some side holds both of: ``allied`` is asked per candidate
        self._allied_pairs = frozenset((a, b) for side in allies for a in side for b in side)

    def allied(self, a: str, b: str) -> bool:
        return a == b or (a, b) in self._allied_pairs

    @staticmethod
    def cue_before(cues: Sequence[Cue], pos: int, reach: int) -> bool:
        """A cue of ``cues`` (already of the wanted kinds) ends within ``reach`` tokens before ``pos``."""
        for c in cues:  # a loop rather than any(generator): asked for every actor of a clause
            if pos - reach <= c.last <= pos and c.first < pos:
                return True
        return False

    def read(self, trig: Trigger, actors: Sequence[ActorMention], cues: Sequence[Cue],
             tokens: Sequence[Token] = (), prior: ActorMention | None = None,
             sites: Sequence[PlaceMention] = ()
             ) -> tuple[ActorMention | None, ActorMention | None, ActorMention | None]:
        """(agent, target, associate of the agent) among ``actors`` of the clause; ``prior``: the
        side that acted in the clause told just before in the sentence; ``sites``: the bases,
        airports and posts the sentence names."""
        # most cue kinds are absent from a clause: each is looked for only where it is present
        present = set(map(_CUE_KIND, cues))

        def of(kind: str) -> list[Cue]:
            return [c for c in cues if c.cue == kind] if kind in present else []

        # who told the news is not a side of it ("عن مصدر في قيادة الشرطة")
        sources = of("source")
        if sources:
            actors = [a for a in actors if not self.cue_before(sources, a.first, 2)]
        outlets = of("outlet")
        if outlets:  # "قناة روسيا اليوم": the name right after a media noun is the outlet's
            actors = [a for a in actors if not self.cue_before(outlets, a.first, 0)]
        speech = of("speech")
        if speech:  # "قال الناشط الإعلامي": who speaks is not the civilian hit
            actors = [a for a in actors if _key(a) not in NON_COMBATANT or not self.cue_before(speech, a.first, 1)]
        # "الجيش الحر مدعوما بالجيش التركي": the backer is the agent's associate, not a side of its own
        backing = of("support")
        backers = [a for a in actors if backing and self.cue_before(backing, a.first, 1)]
        if backers:
            actors = [a for a in actors if a not in backers]
        # "انطلقت من مدينة تعز الخاضعة لسيطرة الحوثيين": who holds a place named describes it: never
        # the agent, and the target ("معسكرات ... الخاضعة لسيطرة الحوثيين") only when no other side is
        held_cues = of("held_by")
        held = [a for a in actors if held_cues and self.cue_before(held_cues, a.first, 2)]
        if held:
            actors = [a for a in actors if a not in held]
            # ... and who holds the place a drone or missile was launched from is not whom it hit
            launched = of("launched_from")
            held = [a for a in held if not self.cue_before(launched, a.first, 8)]
        if not actors:
            return None, (held[0] if held else None), (backers[0] if backers else None)
        claimant = self.claimant(actors, cues) if "claim" in present else None
        if trig.sub_event_type == "Agreement":
            # a deal's parties are the sides the clause names, in order; "المسلحين" it moves are not one
            named = [a for a in actors if _key(a) != "UNKNOWN"]
            if len(named) >= 2 and _key(named[0]) != _key(named[1]):
                return named[0], named[1], None
        between = [c for c in of("between") if c.first < trig.first + 12]
        for b in between:
            after = [a for a in actors if a.first > b.first and a.first - b.last <= 3]
            if after:
                # "بين قوات الجيش والحشد الشعبي من جهة وداعش من جهة أخرى": allies named together are one side
                # (the next side may start right where the first ends: "بين المتظاهرين وقوات الأمن")
                rest = [a for a in actors if a.first >= after[0].last and not self.allied(_key(a), _key(after[0]))]
                mates = [a for a in actors if a.first >= after[0].last and a not in rest
                         and _key(a) != _key(after[0]) and (not rest or a.first < rest[0].first)]
                # ... and a side the report names beats gunmen it does not ("بين قوات النظام والمسلحين الموالين
                # لها من جهة، وفصائل المعارضة من جهة أخرى")
                named = [a for a in rest if _key(a) != "UNKNOWN"] or rest
                # ... and a generic side renamed right after it ("وفصائل إسلامية ومقاتلة هي هيئة تحرير الشام"):
                # the group it names
                if named and named[0].generic:
                    named = [a for a in named if not a.generic and 0 <= a.first - named[0].last <= _RENAMED] or named
                return after[0], (named[0] if named else None), (mates[0] if mates else None)
        agent: ActorMention | None = None
        target: ActorMention | None = None
        tagged_target: list[ActorMention] = []
        free: list[ActorMention] = []
        by_cues = of("agent_by")
        kinds = _BOMB_TARGET_CUES if trig.sub_event_type in BOMB_SUBS else TARGET_CUES
        target_cues = [c for c in cues if c.cue in kinds] if not present.isdisjoint(kinds) else []
        # "قتلى الغارات الروسية": the nationality of the raids is who flew them, whatever precedes
        flown = of("air") if trig.sub_event_type == "Air/drone strike" else []
        # a site struck or stormed belongs to the side hit (a prison's holder, by contrast, is the jailer)
        struck = trig.event_type in _STRUCK
        for a in actors:
            if by_cues and self.cue_before(by_cues, a.first, 2):
                agent = agent or a
            elif flown and self.cue_before(flown, a.first, 1) and _key(a) not in NON_COMBATANT \
                    and not (target_cues and self.cue_before(target_cues, a.first, 0)):
                free.append(a)
            elif target_cues and self.cue_before(
                    # a victim word before the trigger is not about a side named after it ("قتل أربعة
                    # أشخاص في قصف تركي": the adjective names who fired)
                    [c for c in target_cues if not c.last <= trig.first < a.first], a.first, 2) \
                    or struck and any(0 <= a.first - p.last <= 3 for p in sites):
                # ... and whose base it is ("قاعدة حميميم العسكرية الروسية", "مطار كويرس العسكري التابع
                # للقوات الروسية"): the side the site belongs to
                tagged_target.append(a)
            else:
                free.append(a)
        if agent is None and trig.sub_event_type in BOMB_SUBS:
            # a bomb's maker is named as the subject before it ("فجر تنظيم الدولة عبوة") or as the
            # bomber's group ("انتحاري من داعش"); a side named after it is where it went off
            # ("سيارة مفخخة على حاجز لقسد"), and an unclaimed bomb has no known agent
            before = [a for a in free if a.last <= trig.first and trig.first - a.last <= 4]
            members = of("member_of")
            by_group = [a for a in free if 0 <= a.first - trig.last <= 3 and self.cue_before(members, a.first, 1)]
            agent = before[-1] if before else by_group[0] if by_group else None
        elif agent is None:
            # ("وسيطر عليها بعد اشتباكات مع الوحدات": a side after "مع" is who it was fought with)
            with_ = of("comitative")
            after = [a for a in free if 0 <= a.first - trig.last <= 4 and not (with_ and self.cue_before(with_, a.first, 0))]
            before = [a for a in free if a.last <= trig.first]
            if after:
                agent = after[0]
            elif before:
                agent = before[-1]
            elif free:
                agent = free[0]
        assoc = None
        if agent is not None:
            # "قوات النظام والقوات الرديفة": a side joined to the agent by "و" acts with it; a noun right
            # after the subject without "و" is the verb's object ("اعتقلت قوات الجيش ثلاثة إرهابيين")
            nxt = [a for a in free if a is not agent and 0 <= a.first - agent.last <= 1 and _key(a) != _key(agent)
                   and _key(a) not in NON_COMBATANT and _joined(tokens, agent, a)]
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
        if agent is None and prior is not None and _active_verb(trig) \
                and (target is None or not self.allied(_key(target), _key(prior))):
            # "توغلت قوة ... حيث سيطرت على مفرزة الأمن": a verb with no subject of its own goes on
            # with the subject of the clause before it
            agent = prior
        if agent is None and target is not None and _key(target) not in NON_COMBATANT and trig.event_type == "Battles":
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
            members = of("member_of")
            # ... and "مسلحو تنظيم داعش", gunmen of a group named right after them
            tied = [a for a in free + tagged_target if a.first >= agent.last and a.first - agent.last <= 8
                    and _key(a) not in NON_COMBATANT and _key(a) != "UNKNOWN"
                    and (self.cue_before(members, a.first, 2) or a.first == agent.last)]
            if tied:
                if target is tied[0]:
                    rest = [a for a in tagged_target + free + held if a is not agent and a is not tied[0]
                            and _key(a) != _key(tied[0]) and not self.allied(_key(a), _key(tied[0]))]
                    target = rest[0] if rest else None
                agent = tied[0]
                if assoc is agent:
                    assoc = None
        return agent, target, assoc

    def prior_subject(self, agents: Sequence[ActorMention], first: int, actors: Sequence[ActorMention],
                      cues: Sequence[Cue]) -> ActorMention | None:
        """Who acts in the sentence before the clause starting at token ``first``: the agent named for the
        incident its clauses told last (``agents``, in the order told), else the last armed side named
        before it that no target word marks (``actors``, ``cues``: the sentence's)."""
        if agents:
            return agents[-1]
        targets = [c for c in cues if c.cue in TARGET_CUES]
        before = [a for a in actors if a.last <= first and _key(a) not in NON_COMBATANT
                  and _key(a) != "UNKNOWN" and not self.cue_before(targets, a.first, 2)]
        return before[-1] if before else None

    def claimant(self, actors: Sequence[ActorMention], cues: Sequence[Cue]) -> ActorMention | None:
        """The armed side a claim of responsibility names: the first after the claim word
        ("تبنى تنظيم الدولة"), else the last just before it ("أعلن حزب الله مسؤوليته", "داعش يتبنى")."""
        claims = [c for c in cues if c.cue == "claim"]
        if not claims:
            return None
        armed = [a for a in actors if _key(a) not in NON_COMBATANT]
        for c in claims:
            after = [a for a in armed if 0 <= a.first - c.last <= 2]
            if after:
                return after[0]
            before = [a for a in armed if 0 <= c.first - a.last <= 4]
            if before:
                return before[-1]
        return None


def _active_verb(t: Trigger) -> bool:
    """The trigger reads only as a verb in the active voice ("سيطرت", "واعتقلت")."""
    return bool(t.readings) and all(r.part == "verb" and r.voice != "passive" for r in t.readings)


def _joined(tokens: Sequence[Token], a: ActorMention, b: ActorMention) -> bool:
    """``b`` is joined to ``a`` by "و" (its clitic or a word between), or the tokens are not known."""
    if not tokens:
        return True
    return any(t.text.startswith("و") for t in tokens[a.last:b.first + 1])


def key_of(a: ActorMention) -> str:
    """The guideline key of a mention's first (most likely) entry."""
    return str(a.entries[0].get("key"))


_key = key_of


def _alliances() -> dict:
    return yaml.safe_load((resources.files("ahdath") / "data" / "alliances.yaml").read_text(encoding="utf-8"))


def load_allies() -> frozenset[frozenset[str]]:
    """The sides of ``data/alliances.yaml``: actor keys that fight on one side."""
    return frozenset(frozenset(side) for side in _alliances()["sides"])


def load_proxies() -> tuple[tuple[str, str, str], ...]:
    """(side, backer, the force that side is when that backer backs it)."""
    return tuple((str(a), str(b), str(c)) for a, b, c in _alliances().get("proxies", ()))
