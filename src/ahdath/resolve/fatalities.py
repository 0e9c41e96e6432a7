"""How many people a clause says were killed, by ACLED's rules.

Only deaths count; a number is used only when it is tied to a death word by
syntax: "مقتل 5 مدنيين", "قتل ثلاثة", "ستة قتلى", "13 شخصا ... قتلوا". A
coordinated list of victims adds up ("امرأتان وأربعة أطفال" = 6); separate
figures for the same clause give the lowest (ACLED's conservative rule). A
singular victim ("مقتل قيادي") or a pronoun ("مقتلهما") implies 1 or 2 and is
used only when no figure is written. Wounded, captured and missing people
never count, and one figure for killed and wounded together gives none.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import NamedTuple, Sequence

from ahdath.lexicon import LexiconSet, PhraseMatcher
from ahdath.resolve import death_forms
from ahdath.text.normalize import norm
from ahdath.text.numbers import NumberFinder, NumberMention, first_words
from ahdath.text.tokens import Token, clitic_forms

_TEXT = itemgetter(0)  # a Token's text
# Cue values of fatality_cues.yaml (kind ``cues``).
DEATH, DEATH_AFTER, DEATH_NOUN, DEATH_NOUN_SINGLE = "death", "death_after", "death_noun", "death_noun_single"
DEATH_SINGLE, DEATH_DUAL, NO_DEATH = "death_single", "death_dual", "no_death"
INJURY, CAPTURE, KILLED_AND_INJURED = "injury", "capture", "killed_and_injured"
INDEFINITE, SUBSET, LIST_ADD = "indefinite", "subset", "list_add"
VICTIM_SINGLE, VICTIM_ONE, VICTIM, NON_PERSON = "victim_single", "victim_one", "victim", "non_person"
APPROX, MINIMUM = "approx", "minimum"
TOLL_RISE, TOLL_TO = "toll_rise", "toll_to"
LIFE, LIFE_LOSS, VERB_LEAD, SLOT_END = "life", "life_loss", "verb_lead", "slot_end"
OTHERS, ALSO = "others", "also"
CUES = (DEATH, DEATH_AFTER, DEATH_NOUN, DEATH_NOUN_SINGLE, DEATH_SINGLE, DEATH_DUAL, NO_DEATH, INJURY,
        CAPTURE, KILLED_AND_INJURED, INDEFINITE, SUBSET, LIST_ADD, VICTIM_SINGLE, VICTIM_ONE, VICTIM,
        NON_PERSON, APPROX, MINIMUM, TOLL_RISE, TOLL_TO, LIFE, LIFE_LOSS, VERB_LEAD, SLOT_END, OTHERS, ALSO)
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
    (LIFE, death_forms.POSSESSIVE, _ONE, None): (LIFE_ONE,),
    (LIFE, death_forms.POSSESSIVE, _TWO, None): (LIFE_TWO,),
    (LIFE, death_forms.POSSESSIVE, _MANY, None): (LIFE_MANY,),
}
_LIVES = frozenset({LIFE, LIFE_ONE, LIFE_TWO, LIFE_MANY})
# How far before a word for life its verb of losing may stand ("فقد الشاب فلان (23 عاما) لحياته").
_LIFE_SPAN = 12
# How many words one name may run ("هادي هزاع محمد") and how many names a list may give.
_NAME_WORDS, _MAX_NAMES = 4, 5
# How far left of a one-subject verb its subject may stand ("عنصرا من قسد قتل").
_SUBJECT_LEFT = 5
# How far after the count of a part ("بينهم خمسة في") the incident it belongs to may be named.
_SHARE_SPAN = 3
# How far after "ارتفعت حصيلة" its "إلى N" may come ("ارتفعت حصيلة قتلى الغارات الروسية على البلدة إلى").
_TOLL_SPAN = 10

_MODS = frozenset({APPROX, MINIMUM})
_DEATHS = frozenset({DEATH, DEATH_AFTER, DEATH_NOUN, DEATH_NOUN_SINGLE, DEATH_SINGLE, DEATH_DUAL, DEATH_ONE,
                     DEATH_NOUN_DUAL})
_HURT = frozenset({INJURY, CAPTURE})
# After a one-subject verb, these say the victims are several or uncounted: no implied one.
_NOT_ONE = frozenset({INDEFINITE, VICTIM, SUBSET, NON_PERSON, KILLED_AND_INJURED}) | _MODS
_SINGLE_SUBJECT = frozenset({VICTIM_SINGLE, VICTIM_ONE})
# A list of victims ends at any of these: what follows is not one more victim.
_LIST_STOP = _DEATHS | _HURT | frozenset({KILLED_AND_INJURED, INDEFINITE, SUBSET, NON_PERSON})
# Looking left from "قتلوا" for its subject stops at these.
_LEFT_STOP = _DEATHS | _HURT | frozenset({KILLED_AND_INJURED, NO_DEATH})
# Time words that may sit between a death verb and its victims ("قتل الثلاثاء ستة أشخاص").
_SKIPPABLE_TIME_KINDS = frozenset({"weekday", "relative_day", "daypart"})
# How many words a list item ("مقاتلين من كتائب المعارضة السورية") may run before "و" adds the next one.
_ITEM_SPAN = 7
# How many words of a subject may stand between a death verb and its counted victims.
_SUBJECT_SPAN = 3
# How far left a plural death verb looks for its counted subject.
_LEFT_SPAN = 10
# The numbers-lexicon entry whose forms are dual person nouns ("مدنيان"): a count and its noun in one word.
PERSON_DUALS = "person_duals"


@dataclass(frozen=True, slots=True)
class Fatalities:
    """Deaths stated in a window: ``count`` None when no figure is stated."""

    count: int | None
    spans: tuple[tuple[int, int], ...]  # normalized offsets of the words that gave it
    added: bool = False  # the count adds victims told as others ("و10 آخرين", "قتلوا أيضا")
    implied: bool = False  # no figure is written: singular nouns, pronouns, names ("مقتل شاب")


class _Cue(NamedTuple):
    """A fatality cue word (a named tuple: a clause holds several)."""

    first: int
    last: int
    start: int
    end: int
    cues: frozenset[str]
    conj: bool  # joined by "و" to what precedes
    definite: bool  # carries the article ("القتلى", "الأحد")


@dataclass(frozen=True, slots=True)
class _Item:
    """One entry of a victim list."""

    value: int
    implied: bool
    key: int  # token index: the same victims found twice are counted once
    span: tuple[int, int]
    end: int


@dataclass(frozen=True, slots=True)
class _Figure:
    value: int
    implied: bool
    keys: frozenset[int]
    spans: tuple[tuple[int, int], ...]
    extra: bool = False  # victims besides those of the other figures ("10 آخرين", "قتلوا أيضا")


class _Window:
    """Cues and numbers of one ``count`` call, indexed by token."""

    __slots__ = ("tokens", "first", "last", "cue_at", "cue_end", "num_at", "num_end", "consumed", "nouns")

    def __init__(self, tokens: Sequence[Token], first: int, last: int, cues: list[_Cue],
                 numbers: Sequence[NumberMention], nouns: frozenset[int] = frozenset()) -> None:
        self.tokens = tokens
        self.first = first
        self.last = last
        self.cue_at = {c.first: c for c in cues}
        self.cue_end = {c.last: c for c in cues}
        self.num_at = {m.first: m for m in numbers}
        self.num_end = {m.last: m for m in numbers}
        self.consumed: set[int] = set()
        self.nouns = nouns  # first tokens of numbers that are their own person noun (duals)

    def has(self, i: int, names: frozenset[str] | str) -> bool:
        c = self.cue_at.get(i)
        if c is None:
            return False
        return names in c.cues if isinstance(names, str) else not names.isdisjoint(c.cues)

    def conj_before(self, i: int) -> bool:
        return i > self.first and self.tokens[i - 1].text == "و"

    def gap(self, i: int) -> int:
        """Characters between token ``i - 1`` and ``i``: more than one means punctuation."""
        return self.tokens[i].start - self.tokens[i - 1].end if i > self.first else 0

    def skip_mods(self, i: int) -> int:
        while i < self.last and self.has(i, _MODS):
            i = self.cue_at[i].last
        return i


class FatalityCounter:
    """Counts deaths in a token window; build once with ``from_lexicons``."""

    __slots__ = ("_cues", "_heads", "_death_heads", "_numbers", "_skippable", "_duals")

    def __init__(self, cues: PhraseMatcher[str], heads: frozenset[str], death_heads: frozenset[str],
                 numbers: NumberFinder, skippable: frozenset[str],
                 duals: PhraseMatcher[bool] | None = None) -> None:
        self._cues = cues
        self._heads = heads
        self._death_heads = death_heads
        self._numbers = numbers
        self._skippable = skippable
        self._duals = duals

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "FatalityCounter":
        pairs = _cue_pairs(lexicons)
        skippable = frozenset(f for e in lexicons["time"].entries if e.get("kind") in _SKIPPABLE_TIME_KINDS
                              for f in e.forms if " " not in f)
        duals = lexicons["numbers"].by_id().get(PERSON_DUALS)
        return cls(PhraseMatcher(pairs), first_words(f for f, _ in pairs),
                   first_words(f for f, name in pairs if name in _DEATHS or name in _LIVES),
                   NumberFinder.from_lexicons(lexicons), skippable,
                   PhraseMatcher((f, True) for f in duals.forms) if duals is not None else None)

    def count(self, tokens: Sequence[Token], first: int = 0, last: int | None = None,
              numbers: Sequence[NumberMention] | None = None, at: int | None = None) -> Fatalities:
        """Deaths stated in tokens ``[first, last)``; ``numbers`` may come from a ``NumberFinder`` run.
        ``at``: the token of the incident asked about, when the window may split a total among
        incidents ("مقتل سبعة جنود، بينهم خمسة في هجوم" gives the attack five)."""
        last = len(tokens) if last is None else min(last, len(tokens))
        first = max(first, 0)
        if first >= last:
            return Fatalities(None, ())
        # Most clauses name no death: skip them with one set test per token.
        if self._death_heads.isdisjoint(map(_TEXT, tokens[first:last])):
            return Fatalities(None, ())
        if numbers is None:
            found = self._numbers.find(tokens[first:last])
            nums: Sequence[NumberMention] = [
                NumberMention(m.first + first, m.last + first, m.start, m.end, m.value, m.vague, m.approx)
                for m in found]
        else:
            nums = [m for m in numbers if m.first >= first and m.last <= last]
        duals = self._duals
        nouns = frozenset(m.first for m in nums if m.value == 2 and m.last == m.first + 1 and duals is not None
                          and any(d.last == m.last for d in duals.match_at(tokens, m.first)))
        w = _Window(tokens, first, last, self._find_cues(tokens, first, last), nums, nouns)
        share = _share_at(w, at) if at is not None else None
        return share if share is not None else _decide(self._figures(w))

    def _find_cues(self, tokens: Sequence[Token], first: int, last: int) -> list[_Cue]:
        out: list[_Cue] = []
        heads = self._heads
        i = first
        for j in compress(range(first, last), map(heads.__contains__, map(_TEXT, tokens[first:last]))):
            if j < i:
                continue  # inside the previous cue
            i = j
            ms = [m for m in self._cues.match_at(tokens, i) if m.last <= last]
            if not ms:
                i += 1
                continue
            tok = tokens[i]
            prefix = tok.text[: ms[0].start - tok.start]
            names = frozenset([m.payload for m in ms])
            conj = prefix.startswith("و") or (i > first and tokens[i - 1].text == "و")
            if not names.isdisjoint(_MODS) and ms[0].form.startswith("و"):
                conj = True  # "وما يقارب": a three-letter word keeps its "و" (see clitic_forms)
            definite = prefix.endswith("ال") or prefix.endswith("لل")
            out.append(_Cue(i, ms[0].last, ms[0].start, ms[0].end, names, conj, definite))
            i = ms[0].last
        return out

    def _figures(self, w: _Window) -> list[_Figure]:
        cues = sorted(w.cue_at.values(), key=lambda c: c.first)
        for c in cues:  # joint killed-and-wounded figures first: their numbers are spoken for
            if KILLED_AND_INJURED in c.cues:
                for k in (c.first, c.first - 1):
                    m = w.num_end.get(k)
                    if m is not None:
                        w.consumed.add(m.first)
            elif not _DEATHS.isdisjoint(c.cues) and _joint(w, c):
                m = w.num_at.get(w.skip_mods(c.last))
                if m is not None:
                    w.consumed.add(m.first)
                m = w.num_end.get(c.first)
                if m is not None:
                    w.consumed.add(m.first)
        figures: list[_Figure] = []
        for c in cues:
            if _DEATHS.isdisjoint(c.cues) or _negated(w, c):
                continue
            fig: _Figure | None = None
            if _joint(w, c):
                # "3 أشخاص قتلوا وأصيب 6 آخرين": the wounded have their own count, two clauses
                if DEATH_AFTER in c.cues and _hurt_counted(w, c):
                    fig = _left(w, c)
                # "عنصرا من قسد قتل وجرح 5 آخرون": one subject, told before the verb
                elif DEATH_ONE in c.cues and _subject_before(w, c):
                    fig = _Figure(1, True, frozenset({c.first}), ((c.start, c.end),))
                if fig is not None:
                    figures.append(fig)
                continue
            if DEATH in c.cues:
                fig = _victims(w, self._skip_time(w, c.last), w.last, c)
            if fig is None and DEATH_AFTER in c.cues:
                fig = _left(w, c)
            if fig is None and (DEATH_NOUN in c.cues or DEATH_NOUN_SINGLE in c.cues):
                fig = _noun_count(w, c)
            if fig is None and DEATH_SINGLE in c.cues:
                fig = _Figure(1, True, frozenset({c.first}), ((c.start, c.end),))
            if fig is None and DEATH_DUAL in c.cues:
                fig = _Figure(2, True, frozenset({c.first}), ((c.start, c.end),))
            if fig is None and DEATH_NOUN_DUAL in c.cues:  # "شهيدتان": a count of two
                fig = _Figure(2, False, frozenset({c.first}), ((c.start, c.end),))
            if fig is None and DEATH_ONE in c.cues:
                fig = self._one(w, c)
            if fig is not None:
                figures.append(_mark_extra(w, c, fig))
        figures.extend(f for c in cues if TOLL_RISE in c.cues and (f := _risen_to(w, c)) is not None)
        figures.extend(f for c in cues if not _LIVES.isdisjoint(c.cues) and (f := self._life(w, c)) is not None)
        return figures

    def _one(self, w: _Window, c: _Cue) -> _Figure | None:
        """A verb with one subject and no victims written after it: "قتل جراء القصف" (one),
        "قتل فلان وفلان" (one per name). Only where a verb may stand, not the noun "قتل"
        ("عمليات قتل"), and not when the words after it are a plural or a count."""
        if not (_verb_position(w, c) or _subject_before(w, c)):
            return None
        j = self._skip_time(w, c.last)
        spans = ((c.start, c.end),)
        if j >= w.last or w.gap(j) > 1:
            return _Figure(1, True, frozenset({c.first}), spans)
        if j in w.num_at:
            return None
        nxt = w.cue_at.get(j)
        if nxt is not None:
            return None if not _NOT_ONE.isdisjoint(nxt.cues) else _Figure(1, True, frozenset({c.first}), spans)
        if not _name_like(w.tokens[j].text):
            return None  # "قتلت القوات ...": the agent comes first, its victims are not written here
        return _Figure(_names(w, j), True, frozenset({c.first}), spans)

    def _life(self, w: _Window, c: _Cue) -> _Figure | None:
        """"فقد شاب حياته", "أودى بحياة خمسة", "فقدان سبعة عناصر وطفلين لحياتهم": a word for life
        counts the dead only after a verb of losing it; its pronoun says how many, or the
        victims stand between the verb and it."""
        loss = None
        for k in range(c.first - 1, max(w.first, c.first - _LIFE_SPAN) - 1, -1):
            p = w.cue_at.get(k)
            if p is None:
                continue
            if LIFE_LOSS in p.cues:
                loss = p
                break
            if not _LEFT_STOP.isdisjoint(p.cues) and CAPTURE not in p.cues:
                return None
        if loss is None or _negated(w, loss):
            return None
        spans = ((loss.start, loss.end), (c.start, c.end))
        if LIFE in c.cues:  # "أودى بحياة خمسة أشخاص"
            return _victims(w, c.last, w.last, c)
        if LIFE_ONE in c.cues:
            return _Figure(1, True, frozenset({c.first}), spans)
        if LIFE_TWO in c.cues:
            return _Figure(2, True, frozenset({c.first}), spans)
        if loss.last == c.first:  # "تسعة أشخاص فقدوا حياتهم": the count comes before
            return _left(w, loss)
        return _bracket(w, loss.last, c.first, loss)

    def _skip_time(self, w: _Window, i: int) -> int:
        if not self._skippable:
            return i
        for _ in range(2):
            if i < w.last and not self._skippable.isdisjoint(clitic_forms(w.tokens[i].text)) and i not in w.num_at:
                i += 1
        return i


def _cue_pairs(lexicons: LexiconSet) -> list[tuple[str, str]]:
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


def _risen_to(w: _Window, c: _Cue) -> _Figure | None:
    """"ارتفاع حصيلة قتلى الغارات إلى تسعة مدنيين": the number after "إلى", when a death noun says
    the toll is of the dead (a toll of "ضحايا" counts the wounded too)."""
    dead = False
    for k in range(c.last, min(w.last, c.last + _TOLL_SPAN)):
        cue = w.cue_at.get(k)
        if cue is None:
            continue
        if DEATH_NOUN in cue.cues:
            dead = True
        elif TOLL_TO in cue.cues:
            m = w.num_at.get(w.skip_mods(cue.last))
            if not dead or m is None or m.first in w.consumed or m.value <= 0 or m.vague:
                return None
            return _Figure(m.value, False, frozenset({m.first}), ((c.start, c.end), (m.start, m.end)))
    return None


def _share_at(w: _Window, at: int) -> Fatalities | None:
    """"بينهم خمسة في هجوم استهدف دبابة": the part of a total told for the incident at token
    ``at`` (a count after "بينهم" and a preposition that leads to it). ACLED splits a total
    only where the report does."""
    for c in w.cue_at.values():
        if SUBSET not in c.cues or c.last >= at:
            continue
        m = w.num_at.get(w.skip_mods(c.last))
        if m is None or m.vague or m.last >= at or at - m.last > _SHARE_SPAN:
            continue
        lead = w.cue_at.get(m.last)
        if lead is not None and SLOT_END in lead.cues and _person_ok(w, m):
            return Fatalities(m.value, ((c.start, c.end), (m.start, m.end)))
    return None


def _verb_position(w: _Window, c: _Cue) -> bool:
    """Where a past verb stands: at the start of the window, after punctuation or a particle
    ("وقد", "حيث", "الذي"). "قتل" after a noun or a preposition is the noun "killing"."""
    if c.first == w.first or w.gap(c.first) > 1:
        return True
    p = w.cue_end.get(c.first)
    return p is not None and VERB_LEAD in p.cues


def _subject_before(w: _Window, c: _Cue) -> bool:
    """A singular person names the subject just before the verb ("عنصرا من قسد قتل", "امرأة قد قتلت")."""
    for k in range(c.first - 1, max(w.first, c.first - _SUBJECT_LEFT) - 1, -1):
        if k in w.num_at or w.gap(k + 1) > 1 and k + 1 < c.first:
            return False
        p = w.cue_at.get(k)
        if p is None:
            continue
        if not _SINGLE_SUBJECT.isdisjoint(p.cues):
            return True
        if VERB_LEAD not in p.cues and SLOT_END not in p.cues:
            return False
    return False


def _name_like(text: str) -> bool:
    """A word that may begin a person's name: not definite, not a sound plural."""
    return not (death_forms.definite(text) or death_forms.sound_plural(text))


def _names(w: _Window, j: int) -> int:
    """How many names run from token ``j``, joined by "و" ("هادي فلان وهشام فلان" = 2)."""
    count, k = 1, j + 1
    while count < _MAX_NAMES:
        words = 1
        while k < w.last and words < _NAME_WORDS and w.gap(k) <= 1 and k not in w.cue_at \
                and k not in w.num_at and w.tokens[k].text[0] != "و":
            k += 1
            words += 1
        if k >= w.last or w.gap(k) > 1 or k in w.cue_at or k in w.num_at:
            break
        tok = w.tokens[k].text
        if tok == "و":
            k += 1
            if k >= w.last or k in w.cue_at or k in w.num_at or not _name_like(w.tokens[k].text):
                break
        elif tok[0] != "و" or len(tok) < 3 or not _name_like(tok[1:]):
            break
        count += 1
        k += 1
    return count


def _bracket(w: _Window, first: int, stop: int, loss: _Cue) -> _Figure | None:
    """The victims between a verb of losing and its plural "lives": every count joined by "و"
    ("فقدان سبعة عناصر من قوى الأمن وطفلين لحياتهم" = 9)."""
    items: list[_Item] = []
    k = first
    while k < stop:
        c = w.cue_at.get(k)
        if c is not None and not c.cues.isdisjoint({SUBSET, INDEFINITE} | _HURT):
            break
        joined = not items or w.conj_before(k) or w.tokens[k].text[0] == "و"
        it = _item(w, k) if joined and (k in w.num_at or c is not None) else None
        if it is not None and it.end <= stop:
            items.append(it)
            k = it.end
            continue
        k += 1
    if not items:
        return None
    return _Figure(sum(x.value for x in items), all(x.implied for x in items), frozenset(x.key for x in items),
                   ((loss.start, loss.end), *(x.span for x in items)))


def _joint(w: _Window, c: _Cue) -> bool:
    """"مقتل وإصابة", "القتلى والجرحى", "إصابة ومقتل": one figure for both."""
    j = c.last
    if j < w.last and w.has(j, _HURT) and w.cue_at[j].conj:
        return True
    if j + 1 < w.last and w.tokens[j].text == "و" and w.has(j + 1, _HURT):
        return True
    prev = w.cue_end.get(c.first) or (w.cue_end.get(c.first - 1) if w.conj_before(c.first) else None)
    return c.conj and prev is not None and not _HURT.isdisjoint(prev.cues)


def _hurt_counted(w: _Window, c: _Cue) -> bool:
    """The wound word after ``c`` has its own number ("وأصيب 6")."""
    j = c.last + 1 if c.last < w.last and w.tokens[c.last].text == "و" else c.last
    h = w.cue_at.get(j)
    return h is not None and w.skip_mods(h.last) in w.num_at


def _negated(w: _Window, c: _Cue) -> bool:
    """"محاولة اغتيال", "نجا من الموت": the death did not happen."""
    for k in (c.first, c.first - 1):
        p = w.cue_end.get(k)
        if p is not None and NO_DEATH in p.cues:
            return True
    return False


def _person_ok(w: _Window, m: NumberMention) -> bool:
    """The number counts people: not years, kilometres, the wounded or the captured."""
    if m.value <= 0 or m.first in w.consumed:
        return False
    if m.first in w.nouns:
        return True  # "قتل مدنيان اليوم": a dual is its own noun, whatever word follows
    # after punctuation the next word is not what the number counts ("قتل اثنان، اليوم")
    nxt = w.cue_at.get(m.last) if m.last < w.last and w.gap(m.last) <= 1 else None
    if nxt is not None and OTHERS in nxt.cues:  # "5 آخرين بجروح": what follows "others" tells
        end = nxt.last
        nxt = w.cue_at.get(end) if end < w.last and w.gap(end) <= 1 else None
    if nxt is not None and not nxt.cues.isdisjoint({NON_PERSON, KILLED_AND_INJURED}):
        return False
    if nxt is not None and not nxt.conj and not nxt.cues.isdisjoint(_HURT):
        return False  # "20 جريحا"; "وأصيب" after it starts a new clause
    after = w.cue_at.get(m.last + 1) if nxt is None and m.last + 1 < w.last and w.gap(m.last) <= 1 else None
    if after is not None and not after.conj and not after.cues.isdisjoint(_HURT):
        return False  # "5 آخرين بجروح"
    text = w.tokens[m.first].text
    if m.last == m.first + 1 and len(text) == 4 and text.isdigit() and 1900 <= m.value <= 2100:
        # a year unless people follow ("2000 شخص")
        return nxt is not None and not nxt.cues.isdisjoint({VICTIM, VICTIM_SINGLE})
    return True


def _item(w: _Window, i: int) -> _Item | None:
    """A victim-list entry starting at token ``i``: a count, or one singular victim."""
    i = w.skip_mods(i)
    if i >= w.last:
        return None
    m = w.num_at.get(i)
    if m is not None:
        # "عشرات": a vague plural is no figure (ACLED)
        ok = not m.vague and _person_ok(w, m)
        return _Item(m.value, False, m.first, (m.start, m.end), m.last) if ok else None
    c = w.cue_at.get(i)
    if c is None:
        tok = w.tokens[i]
        if death_forms.nisba_dual(tok.text):  # "فلسطينيان", "مدنيتان": a dual of any nisba noun
            return _Item(2, False, i, (tok.start, tok.end), i + 1)
        return None
    if VICTIM_SINGLE in c.cues or (VICTIM_ONE in c.cues and not c.definite):
        return _Item(1, True, i, (c.start, c.end), c.last)
    if VICTIM_DUAL in c.cues:
        return _Item(2, False, i, (c.start, c.end), c.last)
    if VICTIM in c.cues and c.cues.isdisjoint(_HURT):  # "إصابة ستة" is no victim list
        m = w.num_at.get(c.last)  # "مقتل الشبان الثلاثة": a number word after the noun
        if m is not None and not w.tokens[m.first].text[0].isdigit() and _person_ok(w, m):
            return _Item(m.value, False, m.first, (m.start, m.end), m.last)
    return None


def _next_item(w: _Window, i: int, stop: int) -> _Item | None:
    """The next entry joined by "و" or "إضافة إلى" within a few words of ``i``."""
    k, words = i, 0
    while k < stop and words < _ITEM_SPAN:
        c = w.cue_at.get(k)
        if c is not None and LIST_ADD in c.cues:
            return _item(w, c.last)
        if k > w.first and w.gap(k) > 1:
            # punctuation ends the list, unless "إضافة إلى" carries it on, an item joined by
            # "و" follows it ("مقتل 21 من عناصر النظام، و14 آخرين") or it is the comma of
            # "طفلة، امرأتان وأربعة أطفال" (an item followed by a "و" item)
            tok = w.tokens[k].text
            if tok == "و" and k + 1 < stop and w.gap(k + 1) <= 1:
                return _item(w, k + 1)
            it = _item(w, k)
            if it is not None and it.end <= stop and tok[0] == "و" and len(tok) > 1:
                return it
            if it is not None and it.end < stop and _next_item_joined(w, it.end, stop):
                return it
            return None
        tok = w.tokens[k].text
        m = w.num_at.get(k)
        if m is not None:
            joined = w.conj_before(k) or (tok[0] == "و" and m.start > w.tokens[k].start)
            return _item(w, k) if joined else None
        if tok == "و":
            return _item(w, k + 1)
        if c is not None:
            if c.conj and not c.cues.isdisjoint(_MODS | {VICTIM_SINGLE, VICTIM_ONE}):
                return _item(w, k)
            if not c.cues.isdisjoint(_LIST_STOP):
                return None
            if not c.cues.isdisjoint(_MODS):
                k = c.last
                continue
        if tok[0] == "و":
            return None  # "واعتقال", "ودمار": a new coordinated phrase
        k += 1
        words += 1
    return None


def _next_item_joined(w: _Window, i: int, stop: int) -> bool:
    """An item joined by "و" follows right after token ``i`` (no punctuation)."""
    if i >= stop or w.gap(i) > 1:
        return False
    tok = w.tokens[i].text
    if tok == "و":
        return _item(w, i + 1) is not None
    m = w.num_at.get(i)
    c = w.cue_at.get(i)
    if m is not None:
        return tok[0] == "و" and m.start > w.tokens[i].start and _item(w, i) is not None
    return c is not None and c.conj and _item(w, i) is not None


def _victims(w: _Window, i: int, stop: int, cue: _Cue) -> _Figure | None:
    """The victim list a death word governs, starting at token ``i``."""
    i = w.skip_mods(i)
    if i >= stop or w.has(i, INDEFINITE):
        return None
    it = _item(w, i)
    if it is None:
        it = _item_after_subject(w, i, stop)
    items: list[_Item] = []
    while it is not None and it.end <= stop:
        items.append(it)
        it = _next_item(w, it.end, stop)
    if not items:
        return None
    spans = ((cue.start, cue.end), *(x.span for x in items))
    return _Figure(sum(x.value for x in items), all(x.implied for x in items),
                   frozenset(x.key for x in items), spans)


def _item_after_subject(w: _Window, i: int, stop: int) -> _Item | None:
    """"قتلت القوات الأمريكية 6 أشخاص": a count of people after a short subject.

    Only a number followed by a person noun qualifies, so a date or a
    place after the verb ("قتل في 15 آذار") is never taken for victims.
    """
    for k in range(i, min(i + _SUBJECT_SPAN + 1, stop)):
        if w.gap(k) > 1 and k > i:
            return None
        m = w.num_at.get(k)
        if m is not None:
            if k == i or not w.has(m.last, frozenset({VICTIM, VICTIM_SINGLE})):
                return None
            return _item(w, k)
        if k in w.cue_at or w.tokens[k].text[0] == "و":
            return None
    return None


def _left(w: _Window, c: _Cue) -> _Figure | None:
    """"13 شخصا بينهم نساء قتلوا": the counted subject before a plural death verb."""
    lo = max(w.first, c.first - _LEFT_SPAN)
    k = c.first - 1
    if k >= w.first and w.gap(k + 1) > 1:
        return None
    while k >= lo:
        m = w.num_end.get(k + 1)
        if m is not None:
            sub = w.cue_end.get(m.first)
            if sub is not None and SUBSET in sub.cues:
                k = sub.first - 1  # "بينهم 4": part of an earlier count
                continue
            head = _list_head(w, m, lo)
            return _victims(w, head.first, c.first, c)
        p = w.cue_end.get(k + 1)
        if p is not None:
            if INDEFINITE in p.cues or not p.cues.isdisjoint(_LEFT_STOP):
                return None
            k = p.first - 1
            continue
        k -= 1
    return None


def _list_head(w: _Window, m: NumberMention, lo: int) -> NumberMention:
    """Walk back over "و"-joined counts to the first ("امرأتان وأربعة أطفال")."""
    while True:
        tok = w.tokens[m.first].text
        joined = w.conj_before(m.first) or (tok[0] == "و" and m.start > w.tokens[m.first].start)
        if not joined:
            return m
        prev = None
        for k in range(m.first - 1, max(lo, m.first - _ITEM_SPAN) - 1, -1):
            if w.has(k, _LIST_STOP):
                break
            prev = w.num_end.get(k)
            if prev is not None:
                break
        if prev is None:
            return m
        m = prev


def _noun_count(w: _Window, c: _Cue) -> _Figure | None:
    """"ستة قتلى", "18 قتيلا", "قتيلين", "سقوط قتيل"."""
    m = w.num_at.get(c.first)
    if m is not None and m.last == c.last:  # a dual noun is its own count
        return _Figure(m.value, False, frozenset({m.first}), ((m.start, m.end),))
    m = w.num_end.get(c.first)
    if m is not None:
        if m.first in w.consumed or m.value <= 0 or m.vague:  # "عشرات القتلى": no figure
            return None
        return _Figure(m.value, False, frozenset({m.first}), ((m.start, m.end), (c.start, c.end)))
    if DEATH_NOUN_SINGLE in c.cues and not c.definite:
        return _Figure(1, True, frozenset({c.first}), ((c.start, c.end),))
    return None


def _mark_extra(w: _Window, c: _Cue, fig: _Figure) -> _Figure:
    """Victims told as more than the others: "مقتل أكثر من 10 آخرين", "10 عناصر قتلوا أيضا"."""
    also = w.cue_at.get(c.last)
    first = min(fig.keys)
    m = w.num_at.get(first)
    cue = w.cue_at.get(first)
    end = m.last if m is not None else cue.last if cue is not None and cue.first == first else None
    if (also is not None and ALSO in also.cues) or (end is not None and _others_after(w, end)):
        return _Figure(fig.value, fig.implied, fig.keys, fig.spans, True)
    return fig


def _others_after(w: _Window, i: int) -> bool:
    """"آخرين" right after a count, or after its noun ("أربعة جنود آخرين")."""
    for k in (i, i + 1):
        c = w.cue_at.get(k)
        if k >= w.last or (k > i and w.gap(k) > 1):
            return False
        if c is not None and OTHERS in c.cues:
            return True
    return False


def _decide(figures: list[_Figure]) -> Fatalities:
    """Lowest written figure plus the written figures of other victims ("آخرين"); else the
    largest implied one; else none."""
    # A figure whose victims all appear in a larger one is the same report of them.
    by_key: dict[int, list[_Figure]] = {}
    for f in figures:
        for k in f.keys:
            by_key.setdefault(k, []).append(f)
    kept = [f for f in figures if not any(f.keys < g.keys for g in by_key[min(f.keys)])]
    written = [f for f in kept if not f.implied]
    extra = [f for f in kept if f.extra]
    base = [f for f in kept if not f.extra]
    if extra and base:
        told = [f for f in base if not f.implied]
        low = min(told, key=lambda f: f.value) if told else max(base, key=lambda f: f.value)
        spans = {*low.spans, *(s for f in extra for s in f.spans)}
        return Fatalities(low.value + sum(f.value for f in extra), tuple(sorted(spans)), True)
    if written:
        best = min(written, key=lambda f: f.value)
    elif kept:
        best = max(kept, key=lambda f: f.value)
    else:
        return Fatalities(None, ())
    return Fatalities(best.value, tuple(sorted(set(best.spans))), implied=best.implied)
