"""What each kind of lexicon file must contain.

A lexicon file is YAML::

    lexicon: triggers          # the kind, one of SCHEMAS
    language: ar
    provenance: "who wrote it, from what, when"   # default for entries
    entries:
      - id: airstrike_ghara    # unique within the kind
        forms: ["غارة", "غارات جوية"]
        provenance: "optional, overrides the file's"
        ...fields of the kind...

Field specs are ``(type, required, allowed)``; ``allowed`` is a set of values
(for a list, of its items) or None. Types: str, int, bool, date (YYYY-MM-DD),
float, list[str], lemmas.

``lemmas`` (triggers): words given by lemma, inflected when the lexicon loads
(``ahdath.lexicon.morphology`` documents the specs)::

      - id: clash_ishtibak
        lemmas:
          - {root: شبك, form: 8}              # اشتبك اشتبكت يشتبكون ... اشتباك اشتباكات
          - {noun: معركة, plural: [معارك]}
        forms: [تبادل إطلاق النار]            # surface phrases still work beside lemmas

An entry needs ``forms`` or ``lemmas`` (or both).
"""
from __future__ import annotations

from typing import Any

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}
SUB_TO_TYPE: dict[str, str] = {sub: t for t, subs in EVENT_TYPES.items() for sub in subs}
DISORDER_TYPE: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

# what a frame of the ``status`` lexicon makes of the trigger it governs (status.yaml documents each)
STATUS_KINDS = ("denial", "hedge", "future", "hypothetical", "trial", "accusation", "exercise", "capability",
                "commemoration", "background", "statistic", "habitual", "reaction", "topic", "none", "occurrence", "opener", "complement")

FieldSpec = tuple[str, bool, frozenset[Any] | None]

# What a report is about (``extract.domain``): conflict, or a field whose vocabulary shares
# words with conflict reporting. ``politics`` (statements, diplomacy, elections) is read so that
# a political report is not taken for another field; it does not hold events back.
DOMAINS: tuple[str, ...] = ("conflict", "politics", "sports", "economy", "accident", "disaster", "crime",
                            "justice", "culture", "defence", "health")
# What an ambiguous trigger means when a sense cue stands beside it (``extract.sense``): every
# sense is a reading in which the trigger reports no political violence.
SENSES: tuple[str, ...] = ("sports", "economy", "accident", "fire", "disaster", "justice", "culture",
                           "speech", "politics", "cyber", "arms", "flight", "policy", "figurative", "festive",
                           "livestock", "crime", "diplomacy", "mine_action", "release", "health")

SCHEMAS: dict[str, dict[str, FieldSpec]] = {
    # ACLED actors. ``key`` is the guideline key (SYR_REGIME ...); a form may be
    # shared by entries whose active periods do not overlap.
    "actors": {
        "name": ("str", True, None),
        "key": ("str", True, None),
        "inter": ("int", True, frozenset(range(1, 9))),
        "country": ("str", False, None),
        "active_from": ("date", False, None),
        "active_to": ("date", False, None),
        # a bare reference ("التنظيم", "النظام") that names the actor only in context
        "generic": ("bool", False, None),
        "priority": ("int", False, None),
        # the governorates (admin1.yaml names) the actor holds: a village a report ties to it is more
        # likely the namesake there (resolve.place_context)
        "areas": ("list[str]", False, None),
    },
    # Event triggers by ACLED sub-event type.
    "triggers": {
        "sub_event_type": ("str", True, frozenset(SUB_TO_TYPE)),
        "priority": ("int", False, None),
        # the trigger names what happened to the victim (killed, wounded): the actor
        # after it is the agent only when introduced by a "by" phrase
        "passive": ("bool", False, None),
        # the trigger only counts with another trigger or an actor in the clause
        "weak": ("bool", False, None),
        # a weapon, device or participant: counts only where its clause tells an act
        "instrument": ("bool", False, None),
        # a missile or shell of no stated launcher: with an aircraft in its clause, the air strike's
        "projectile": ("bool", False, None),
        # a weak trigger that also counts alone when its clause names a place or a toll
        # (a bare explosion in a named town is an incident; "the explosion" told again is not)
        "alone_with": ("list[str]", False, frozenset({"place", "toll"})),
        # lemmas inflected at load time (see the module docstring)
        "lemmas": ("lemmas", False, None),
        # the present (imperfect) of its verbs reports an incident under way ("يعتصم المئات");
        # otherwise a verb read only as a present is generic or habitual ("تخطف من تريد") and
        # does not trigger
        "present": ("bool", False, None),
        # a word that must be one of the next ``needs_within`` tokens (5 unless given) of the trigger's sentence:
        # a verb and its object with the subject between ("أطلق مسلحون مجهولون النار"), or a verb
        # of gathering and the crowd that gathers ("تجمع مئات المتظاهرين")
        "needs": ("list[str]", False, None),
        "needs_within": ("int", False, frozenset(range(1, 9))),
        # an unmanned aircraft: armed groups fly them too, so their agent is whoever the text says
        "drone": ("bool", False, None),
        # an aircraft named (not an air strike told): in the clause of a landing it is what carried it
        "aircraft": ("bool", False, None),
        # a landing from the air ("إنزال جوي"): the aircraft of its clause carried the troops, they struck nothing
        "landing": ("bool", False, None),
        # a force pushing into a place ("توغلت قوة"): ground it takes where the report tells no fighting
        # is handed over, not fought for (``extract.coding.unopposed``)
        "incursion": ("bool", False, None),
        # a cue kind (cues.yaml) one of whose words must stand in the trigger's clause: a deal is an
        # event where the clause tells it being made ("توصل الطرفان إلى اتفاق"), not where it is
        # named ("خط وقف إطلاق النار", "عراب المصالحة")
        "told_with": ("str", False, None),
    },
    # Grammatical and pragmatic cue words: negation, hedging, death, injury ...
    "cues": {
        "cue": ("str", True, None),
        # the forms are lemmas that ahdath.resolve.death_forms inflects (fatality cues only)
        "inflect": ("str", False, frozenset({"verb", "possessive", "noun"})),
    },
    # Frames that make a trigger's clause something other than a reported incident
    # (denial, threat, plan, trial, anniversary, statistics ...): ``extract/status.py``.
    "status": {
        "status": ("str", True, frozenset(STATUS_KINDS)),
        "before": ("int", True, frozenset(range(0, 21))),
        "after": ("int", True, frozenset(range(0, 21))),
        "spares": ("list[str]", False, None),
        # "named": a trigger in construct right after the frame ("حصيلة التفجير") is the one
        # incident the frame is about, not governed by it
        "construct": ("str", False, frozenset({"named"})),
    },
    # Number words: cardinals, ordinals, tens, hundreds, vague quantities.
    "numbers": {
        "value": ("int", True, None),
        "kind": ("str", True, frozenset({"cardinal", "ordinal", "tens", "hundreds", "thousands", "vague", "multiplier"})),
    },
    # Time words: months (several calendars/dialects), weekdays, relative days, parts of day.
    "time": {
        "kind": ("str", True, frozenset({"month", "weekday", "relative_day", "relative_week", "relative_month",
                                          "daypart", "hijri_month", "anchor", "year_marker",
                                          "day_ordinal", "modifier"})),
        "value": ("int", True, None),
    },
    # Lines and phrases that are page furniture, not reporting.
    "boilerplate": {
        "match": ("str", False, frozenset({"line", "prefix", "contains"})),
    },
    # Domain cue words: the vocabulary of a field of news. A form word ending in "*" is a stem
    # (matches any word starting with it); weight: how much one occurrence tells.
    "domains": {
        "domain": ("str", True, frozenset(DOMAINS)),
        "weight": ("float", False, frozenset({0.5, 1.0, 2.0, 3.0})),
    },
    # Sense cues: an argument that makes an ambiguous trigger something other than violence
    # ("خطف هدفا": a goal, "انفجار أسطوانة غاز": a gas cylinder). ``triggers``: ids of the trigger
    # entries it reads (all when absent); ``before``/``after``: the most words that may stand
    # between the cue and the trigger on that side, inside the clause (0: adjacent); a side
    # not given is not read, and an entry gives at least one.
    "senses": {
        "sense": ("str", True, frozenset(SENSES)),
        "triggers": ("list[str]", False, None),
        "before": ("int", False, frozenset(range(0, 13))),
        "after": ("int", False, frozenset(range(0, 13))),
    },
    # Closed-class words (prepositions, particles, auxiliaries) by the role a rule reads them in:
    # ``slot_end`` never a person's name, ``verb_lead`` a past verb may follow, ``cause`` a cause or
    # an agent follows (resolve/fatalities).
    "particles": {
        "role": ("str", True, frozenset({"slot_end", "verb_lead", "cause"})),
    },
    # Words read past to find a clause's predicate (``extract/predicate.py``): reporting verbs
    # (``speech``), verbs whose object names the act (``light``), words opening a fronted adverbial
    # (``lead``), words after which a subject stands before its verb (``copula``), verbs of happening
    # (``event``), words after which an act is told as a cause (``cause``), relative pronouns (``relative``).
    "predicates": {
        "role": ("str", True, frozenset({"speech", "light", "lead", "copula", "event", "cause", "relative"})),
        "lemmas": ("lemmas", False, None),
    },
    # Place cue words: settlement types, facilities, directions, regions; and the names and
    # adjectives of a country ("اليمن": cue ``country``, "اليمنية": cue ``nationality``, value its
    # English name), which say what country a report is about but are never a scene.
    "placewords": {
        "cue": ("str", True, frozenset({"settlement", "facility", "neighbourhood", "region", "direction",
                                         "admin", "preposition", "country", "nationality", "road"})),
        "value": ("str", False, None),
    },
}

COMMON: dict[str, FieldSpec] = {
    "id": ("str", True, None),
    "forms": ("list[str]", True, None),
    "provenance": ("str", False, None),
    "note": ("str", False, None),
}
