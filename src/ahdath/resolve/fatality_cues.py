"""Fatality cue kinds and how the cue file's words become them.

The kinds are the ``cue`` values of ``fatality_cues.yaml`` (documented at the top of that
file) plus the kinds given to inflected forms, whose grammatical number says how many died.
``cue_pairs`` turns the cue file into (normalized form, kind) pairs for the phrase matcher;
the spelling of inflected forms is left to ``ahdath.resolve.death_forms``.
"""
from __future__ import annotations

from ahdath.lexicon import LexiconSet
from ahdath.resolve import death_forms
from ahdath.text.normalize import norm

# Cue values of fatality_cues.yaml (kind ``cues``).
DEATH, DEATH_AFTER, DEATH_NOUN, DEATH_NOUN_SINGLE = "death", "death_after", "death_noun", "death_noun_single"
DEATH_SINGLE, DEATH_DUAL, NO_DEATH = "death_single", "death_dual", "no_death"
INJURY, CAPTURE, KILLED_AND_INJURED = "injury", "capture", "killed_and_injured"
INDEFINITE, SUBSET, LIST_ADD = "indefinite", "subset", "list_add"
VICTIM_SINGLE, VICTIM_ONE, VICTIM, NON_PERSON = "victim_single", "victim_one", "victim", "non_person"
APPROX, MINIMUM = "approx", "minimum"
TOLL_RISE, TOLL_TO = "toll_rise", "toll_to"
LIFE, LIFE_LOSS = "life", "life_loss"
OTHERS, ALSO, PERIOD = "others", "also", "period"
CUES = (DEATH, DEATH_AFTER, DEATH_NOUN, DEATH_NOUN_SINGLE, DEATH_SINGLE, DEATH_DUAL, NO_DEATH, INJURY,
        CAPTURE, KILLED_AND_INJURED, INDEFINITE, SUBSET, LIST_ADD, VICTIM_SINGLE, VICTIM_ONE, VICTIM,
        NON_PERSON, APPROX, MINIMUM, TOLL_RISE, TOLL_TO, LIFE, LIFE_LOSS, OTHERS, ALSO, PERIOD)
# Roles of the particles lexicon (closed-class words, looked up rather than matched).
SLOT_END, VERB_LEAD, CAUSE = "slot_end", "verb_lead", "cause"
# Kinds given to inflected forms only (not written in the cue file): the number of the form says
# how many died. DEATH_ONE: a verb with one subject ("قتل"), one dead when no victim is written.
DEATH_ONE, DEATH_NOUN_DUAL, VICTIM_DUAL = "death_one", "death_noun_dual", "victim_dual"
LIFE_ONE, LIFE_TWO, LIFE_MANY = "life_one", "life_two", "life_many"
_ONE, _TWO, _MANY = death_forms.ONE, death_forms.TWO, death_forms.MANY
# (cue, inflection, number, several words) -> kinds of the generated form; None: any word count.
_INFLECTED: dict[tuple[str, str, str, bool | None], tuple[str, ...]] = {
    (DEATH, death_forms.VERB, _ONE, False): (DEATH, DEATH_ONE),
    (DEATH, death_forms.VERB, _ONE, True): (DEATH_SINGLE,),  # "لقي حتفه" is whole
    (DEATH, death_forms.VERB, _TWO, None): (DEATH_DUAL,),
    (DEATH, death_forms.VERB, _MANY, False): (DEATH, DEATH_AFTER),  # "قتلوا 5 جنود", "13 شخصا قتلوا"
    (DEATH, death_forms.VERB, _MANY, True): (DEATH_AFTER,),
    (DEATH, death_forms.POSSESSIVE, _ONE, None): (DEATH_SINGLE,),
    (DEATH, death_forms.POSSESSIVE, _TWO, None): (DEATH_DUAL,),
    (DEATH, death_forms.POSSESSIVE, _MANY, None): (DEATH_AFTER,),
    (DEATH_NOUN_SINGLE, death_forms.NOUN, _ONE, None): (DEATH_NOUN_SINGLE,),
    (DEATH_NOUN_SINGLE, death_forms.NOUN, _TWO, None): (DEATH_NOUN_DUAL,),
    (VICTIM_SINGLE, death_forms.NOUN, _ONE, None): (VICTIM_SINGLE,),
    (VICTIM_SINGLE, death_forms.NOUN, _TWO, None): (VICTIM_DUAL,),
    (LIFE_LOSS, death_forms.VERB, _ONE, None): (LIFE_LOSS,),
    (LIFE_LOSS, death_forms.VERB, _TWO, None): (LIFE_LOSS,),
    (LIFE_LOSS, death_forms.VERB, _MANY, None): (LIFE_LOSS,),
    (VICTIM, death_forms.POSSESSIVE, _ONE, None): (VICTIM,),
    (VICTIM, death_forms.POSSESSIVE, _TWO, None): (VICTIM,),
    (VICTIM, death_forms.POSSESSIVE, _MANY, None): (VICTIM,),
    (LIFE, death_forms.POSSESSIVE, _ONE, None): (LIFE_ONE,),
    (LIFE, death_forms.POSSESSIVE, _TWO, None): (LIFE_TWO,),
    (LIFE, death_forms.POSSESSIVE, _MANY, None): (LIFE_MANY,),
}
LIVES = frozenset({LIFE, LIFE_ONE, LIFE_TWO, LIFE_MANY})

MODS = frozenset({APPROX, MINIMUM})
DEATHS = frozenset({DEATH, DEATH_AFTER, DEATH_NOUN, DEATH_NOUN_SINGLE, DEATH_SINGLE, DEATH_DUAL, DEATH_ONE,
                     DEATH_NOUN_DUAL})
HURT = frozenset({INJURY, CAPTURE})
# After a one-subject verb, these say the victims are several or uncounted: no implied one.
NOT_ONE = frozenset({INDEFINITE, VICTIM, SUBSET, NON_PERSON, KILLED_AND_INJURED, OTHERS}) | MODS
SINGLE_SUBJECT = frozenset({VICTIM_SINGLE, VICTIM_ONE})
# A list of victims ends at any of these: what follows is not one more victim.
LIST_STOP = DEATHS | HURT | frozenset({KILLED_AND_INJURED, INDEFINITE, SUBSET, NON_PERSON})
# Looking left from "قتلوا" for its subject stops at these.
LEFT_STOP = DEATHS | HURT | frozenset({KILLED_AND_INJURED, NO_DEATH})


def cue_pairs(lexicons: LexiconSet) -> list[tuple[str, str]]:
    """(normalized form, cue kind) of every fatality cue; ``inflect`` entries spelled out by
    ``death_forms``, each form's kind chosen by its grammatical number (``_INFLECTED``)."""
    plurals = frozenset(lexicons.cue_forms(VICTIM))
    pairs: list[tuple[str, str]] = []
    for e in lexicons["cues"].entries:
        cue, how = e.get("cue"), e.get("inflect")
        if cue not in CUES:
            continue
        if how is None:
            pairs.extend((f, cue) for f in e.forms)
            continue
        for raw in e.raw_forms:
            phrase = " ".join(raw.replace("_", " ").lstrip("#").split())
            several = " " in phrase
            for form, number in death_forms.inflect(phrase, how):
                kinds = _INFLECTED.get((cue, how, number, several)) or _INFLECTED.get((cue, how, number, None), ())
                f = norm(form)
                if number == _TWO and f in plurals:
                    continue  # "مدنيين": the dual is spelled like the plural, which is far more common
                pairs.extend((f, k) for k in kinds)
    return pairs
