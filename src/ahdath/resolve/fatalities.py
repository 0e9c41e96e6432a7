"""How many people a clause says were killed, by ACLED's rules.

Only deaths count; a number is used only when it is tied to a death word by
syntax: "مقتل 5 مدنيين", "قتل ثلاثة", "ستة قتلى", "13 شخصا ... قتلوا". A
coordinated list of victims adds up ("امرأتان وأربعة أطفال" = 6; see
``fatality_lists``); separate figures for the same clause give the lowest
(ACLED's conservative rule), except figures told as other victims ("و10
آخرين", "قتلوا أيضا"), which add to it. A singular victim ("مقتل قيادي"), a
pronoun ("مقتلهما"), the number of a verb ("قتل جراء القصف" one, "استشهدا"
two) or a run of names ("قتل فلان وفلان") implies a count and is used only when
no figure is written. Idioms of losing life ("فقد حياته", "أودى بحياة خمسة")
count like death words. Wounded, captured and missing people never count, one
figure for killed and wounded together gives none, a vague plural ("عشرات")
gives none, and a rate or period total ("شهريا", "خلال الشهر") is a statistic.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Mapping, Sequence

from ahdath.frozen import evolve
from ahdath.lexicon import LexiconSet, PhraseMatcher
from ahdath.resolve import death_forms
from ahdath.resolve.fatality_cues import (
    ALSO, CAUSE, DEATH, DEATHS, DEATH_AFTER, DEATH_DUAL, DEATH_NOUN, DEATH_NOUN_DUAL, DEATH_NOUN_SINGLE,
    DEATH_ONE, DEATH_SINGLE, HURT, INDEFINITE, KILLED_AND_INJURED, LEFT_STOP, LIFE, LIFE_LOSS, LIFE_ONE, LIFE_TWO, LIVES,
    MODS, NOT_ONE, NO_DEATH, OTHERS, PERIOD, SINGLE_SUBJECT, SLOT_END, SUBSET, TOLL_RISE, TOLL_TO, VERB_LEAD, VICTIM,
    cue_pairs,
)
from ahdath.resolve.fatality_lists import bracket, left, noun_count, person_ok, victims
from ahdath.resolve.fatality_window import Cue, Figure, Window
from ahdath.text.numbers import NumberFinder, NumberMention, first_words
from ahdath.text.tokens import Token, clitic_forms

_new = tuple.__new__  # makes a named tuple without its Python-level __new__
_TEXT = itemgetter(0)  # a Token's text
# How far before a word for life its verb of losing may stand ("فقد الشاب فلان (23 عاما) لحياته").
_LIFE_SPAN = 12
# How many words one name may run ("هادي هزاع محمد") and how many names a list may give.
_NAME_WORDS, _MAX_NAMES = 4, 5
# How far left of a one-subject verb its subject may stand ("عنصرا من قسد قتل"), and how far on its
# victims may be counted after a phrase ("قتلت أول من أمس أربعة").
_SUBJECT_LEFT, _AHEAD = 5, 6
# Words that say the victims are several or uncounted.
_SEVERAL = frozenset({INDEFINITE, VICTIM, SUBSET, OTHERS, KILLED_AND_INJURED})
# How far after the count of a part ("بينهم خمسة في") the incident it belongs to may be named.
_SHARE_SPAN = 3
# How near a figure a period word makes it a statistic ("تحصد شهريا نحو 100 قتيل", "مقتل 300 خلال الشهر").
_PERIOD_BEFORE, _PERIOD_AFTER = 4, 6
# How far after "ارتفعت حصيلة" its "إلى N" may come ("ارتفعت حصيلة قتلى الغارات الروسية على البلدة إلى").
_TOLL_SPAN = 10
# Time words that may sit between a death verb and its victims ("قتل الثلاثاء ستة أشخاص").
_SKIPPABLE_TIME_KINDS = frozenset({"weekday", "relative_day", "daypart"})
# The numbers-lexicon entry whose forms are dual person nouns ("مدنيان"): a count and its noun in one word.
PERSON_DUALS = "person_duals"
# The name of ``FatalityCounter.death_word`` among the word tests of a report's scan (``Mentions.heads``).
DEATH_WORDS = "death"


@dataclass(frozen=True, slots=True)
class Fatalities:
    """Deaths stated in a window: ``count`` None when no figure is stated."""

    count: int | None
    spans: tuple[tuple[int, int], ...]  # normalized offsets of the words that gave it
    added: bool = False  # the count adds victims told as others ("و10 آخرين", "قتلوا أيضا")
    implied: bool = False  # no figure is written: singular nouns, pronouns, names ("مقتل شاب")
    parts: bool = False  # the window tells parts of a total ("بينهم"): ask again with ``at``


class FatalityCounter:
    """Counts deaths in a token window; build once with ``from_lexicons``."""

    __slots__ = ("_cues", "_heads", "_death_heads", "_numbers", "_skippable", "_duals", "_particles")

    def __init__(self, cues: PhraseMatcher[str], heads: frozenset[str], death_heads: frozenset[str],
                 numbers: NumberFinder, skippable: frozenset[str],
                 duals: PhraseMatcher[bool] | None = None,
                 particles: Mapping[str, frozenset[str]] | None = None) -> None:
        self._cues = cues
        self._heads = heads
        self._death_heads = death_heads
        self._numbers = numbers
        self._skippable = skippable
        self._duals = duals
        self._particles = dict(particles or {})

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "FatalityCounter":
        pairs = cue_pairs(lexicons)
        skippable = frozenset(f for e in lexicons["time"].entries if e.get("kind") in _SKIPPABLE_TIME_KINDS
                              for f in e.forms if " " not in f)
        duals = lexicons["numbers"].by_id().get(PERSON_DUALS)
        roles: dict[str, set[str]] = {}
        for e in lexicons["particles"].entries:
            for f in e.forms:
                roles.setdefault(f, set()).add(str(e.get("role")))
        return cls(PhraseMatcher(pairs), first_words(f for f, _ in pairs),
                   first_words(f for f, name in pairs if name in DEATHS or name in LIVES),
                   NumberFinder.from_lexicons(lexicons), skippable,
                   PhraseMatcher((f, True) for f in duals.forms) if duals is not None else None,
                   {f: frozenset(r) for f, r in roles.items()})

    def death_word(self, word: str) -> bool:
        """Whether a word may start a word of death or of losing life (a ``PhraseScan`` test)."""
        return word in self._death_heads

    def death_words(self, tokens: Sequence[Token]) -> list[int]:
        """The indexes of the tokens that may start a word of death or of losing life: a window
        holding none of them states no toll (``count`` gives none without reading it)."""
        return list(compress(range(len(tokens)), map(self._death_heads.__contains__, map(_TEXT, tokens))))

    def count(self, tokens: Sequence[Token], first: int = 0, last: int | None = None,
              numbers: Sequence[NumberMention] | None = None, at: int | None = None,
              cues: dict[int, tuple[Cue, Cue] | None] | None = None) -> Fatalities:
        """Deaths stated in tokens ``[first, last)``; ``numbers`` may come from a ``NumberFinder`` run.
        ``at``: the token of the incident asked about, when the window may split a total among
        incidents ("مقتل سبعة جنود، بينهم خمسة في هجوم" gives the attack five). ``cues``: a
        memo of the cue phrases read at each token of ``tokens``, kept by a caller that counts
        several windows of one text (empty at first; see ``_cue_at``)."""
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
        w = Window(tokens, first, last, self._find_cues(tokens, first, last, cues), nums, nouns, self._particles)
        share = _share_at(w, at) if at is not None else None
        if share is not None:
            return share
        fat = _decide(self._figures(w))
        if fat.count is not None and any(SUBSET in c.cues for c in w.cue_at.values()):
            fat = evolve(fat, parts=True)
        return fat

    def _find_cues(self, tokens: Sequence[Token], first: int, last: int,
                   memo: dict[int, tuple[Cue, Cue] | None] | None = None) -> list[Cue]:
        out: list[Cue] = []
        heads = self._heads
        memo = {} if memo is None else memo
        i = first
        for j in compress(range(first, last), map(heads.__contains__, map(_TEXT, tokens[first:last]))):
            if j < i:
                continue  # inside the previous cue
            i = j
            read = memo.get(i, False)
            if read is False:
                read = memo[i] = self._cue_at(tokens, i)
            # the phrases found at a token all end together: the window keeps them all or none
            if read is None or read[0].last > last:
                i += 1
                continue
            # "و" before the window's first word does not join it to what the window holds
            cue = read[0] if i > first else read[1]
            out.append(cue)
            i = cue.last
        return out

    def _cue_at(self, tokens: Sequence[Token], i: int) -> tuple[Cue, Cue] | None:
        """The cue phrase starting at token ``i``, read in a window that holds the token before it
        and in one that starts at it (None: no phrase starts there). It does not depend on the
        window otherwise, so a caller counting several windows of one text reads it once."""
        ms = self._cues.match_at(tokens, i)
        if not ms:
            return None
        tok = tokens[i]
        prefix = tok.text[: ms[0].start - tok.start]
        names = frozenset([m.payload for m in ms])
        # "وما يقارب": a three-letter word keeps its "و" (see clitic_forms)
        conj = prefix.startswith("و") or (not names.isdisjoint(MODS) and ms[0].form.startswith("و"))
        definite = prefix.endswith("ال") or prefix.endswith("لل")
        alone = _new(Cue, (i, ms[0].last, ms[0].start, ms[0].end, names, conj, definite))
        if conj or i == 0 or tokens[i - 1].text != "و":
            return alone, alone
        return alone._replace(conj=True), alone

    def _figures(self, w: Window) -> list[Figure]:
        cues = sorted(w.cue_at.values(), key=lambda c: c.first)
        periods = any(PERIOD in c.cues for c in cues)  # (a window with no period word has no statistic)
        for c in cues:  # joint killed-and-wounded figures first: their numbers are spoken for
            if KILLED_AND_INJURED in c.cues:
                for k in (c.first, c.first - 1):
                    m = w.num_end.get(k)
                    if m is not None:
                        w.consumed.add(m.first)
            elif not DEATHS.isdisjoint(c.cues) and _joint(w, c):
                m = w.num_at.get(w.skip_mods(c.last))
                if m is not None:
                    w.consumed.add(m.first)
                m = w.num_end.get(c.first)
                if m is not None:
                    w.consumed.add(m.first)
        figures: list[Figure] = []
        for c in cues:
            if DEATHS.isdisjoint(c.cues) or _negated(w, c):
                continue
            fig: Figure | None = None
            if _joint(w, c):
                # "3 أشخاص قتلوا وأصيب 6 آخرين": the wounded have their own count, two clauses
                if DEATH_AFTER in c.cues and _hurt_counted(w, c):
                    fig = left(w, c)
                # "عنصرا من قسد قتل وجرح 5 آخرون": one subject, told before the verb
                elif DEATH_ONE in c.cues and _subject_before(w, c):
                    fig = Figure(1, True, frozenset({c.first}), ((c.start, c.end),))
                if fig is not None:
                    figures.append(fig)
                continue
            if DEATH in c.cues:
                fig = victims(w, self._skip_time(w, c.last), w.last, c)
            if fig is None and DEATH_AFTER in c.cues:
                fig = left(w, c)
            if fig is None and (DEATH_NOUN in c.cues or DEATH_NOUN_SINGLE in c.cues):
                fig = noun_count(w, c)
            if fig is None and DEATH_SINGLE in c.cues:
                fig = Figure(1, True, frozenset({c.first}), ((c.start, c.end),))
            if fig is None and DEATH_DUAL in c.cues:
                fig = Figure(2, True, frozenset({c.first}), ((c.start, c.end),))
            if fig is None and DEATH_NOUN_DUAL in c.cues:  # "شهيدتان": a count of two
                fig = Figure(2, False, frozenset({c.first}), ((c.start, c.end),))
            if fig is None and DEATH_ONE in c.cues:
                fig = self._one(w, c)
            if fig is not None and not (periods and _period(w, c, fig)):
                figures.append(_mark_extra(w, c, fig))
        figures.extend(f for c in cues if TOLL_RISE in c.cues and (f := _risen_to(w, c)) is not None)
        figures.extend(f for c in cues if not LIVES.isdisjoint(c.cues) and (f := self._life(w, c)) is not None)
        return figures

    def _one(self, w: Window, c: Cue) -> Figure | None:
        """A verb with one subject and no victims written after it: "قتل جراء القصف" (one),
        "قتل فلان وفلان" (one per name). Only where a verb may stand, not the noun "قتل"
        ("عمليات قتل"), and not when the words after it are a plural or a count."""
        if not (_verb_position(w, c) or _subject_before(w, c)):
            return None
        j = self._skip_time(w, c.last)
        spans = ((c.start, c.end),)
        if _counted_ahead(w, j):
            return None  # "قد قتلت أول من أمس أربعة من المتهمين": its victims are counted further on
        if j >= w.last or w.gap(j) > 1:
            return Figure(1, True, frozenset({c.first}), spans)
        if j in w.num_at:
            return None
        nxt = w.cue_at.get(j)
        if nxt is not None:
            return None if not NOT_ONE.isdisjoint(nxt.cues) else Figure(1, True, frozenset({c.first}), spans)
        if w.particle(j):  # "قتل في ...", "قتل أمس": the subject is not after it
            return Figure(1, True, frozenset({c.first}), spans)
        if not _name_like(w.tokens[j].text):
            return None  # "قتلت القوات ...": the agent comes first, its victims are not written here
        return Figure(_names(w, j), True, frozenset({c.first}), spans)

    def _life(self, w: Window, c: Cue) -> Figure | None:
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
            if not LEFT_STOP.isdisjoint(p.cues) and HURT.isdisjoint(p.cues):
                return None  # another death word; the wounded may be who died ("لفظ أحد الجرحى أنفاسه")
        if loss is None or _negated(w, loss):
            return None
        spans = ((loss.start, loss.end), (c.start, c.end))
        if LIFE in c.cues:  # "أودى بحياة خمسة أشخاص"
            return victims(w, c.last, w.last, c)
        if LIFE_ONE in c.cues:
            return Figure(1, True, frozenset({c.first}), spans)
        if LIFE_TWO in c.cues:
            return Figure(2, True, frozenset({c.first}), spans)
        if loss.last == c.first:  # "تسعة أشخاص فقدوا حياتهم": the count comes before
            return left(w, loss)
        return bracket(w, loss.last, c.first, loss)

    def _skip_time(self, w: Window, i: int) -> int:
        if not self._skippable:
            return i
        for _ in range(2):
            if i < w.last and not self._skippable.isdisjoint(clitic_forms(w.tokens[i].text)) and i not in w.num_at:
                i += 1
        return i


def _risen_to(w: Window, c: Cue) -> Figure | None:
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
            return Figure(m.value, False, frozenset({m.first}), ((c.start, c.end), (m.start, m.end)))
    return None


def _share_at(w: Window, at: int) -> Fatalities | None:
    """"بينهم خمسة في هجوم استهدف دبابة": the part of a total told for the incident at token
    ``at`` (a count after "بينهم" and a preposition that leads to it). ACLED splits a total
    only where the report does."""
    for c in w.cue_at.values():
        if SUBSET not in c.cues or c.last >= at:
            continue
        m = w.num_at.get(w.skip_mods(c.last))
        if m is None or m.vague or m.last >= at or at - m.last > _SHARE_SPAN or m.first in w.nouns:
            continue  # "بينهم ضابطان في هجوم": who they were, not a share
        if SLOT_END in w.particle(m.last) and person_ok(w, m):
            return Fatalities(m.value, ((c.start, c.end), (m.start, m.end)))
    return None


def _counted_ahead(w: Window, j: int) -> bool:
    """A count of people or a plural of them a few words on, before any punctuation."""
    for k in range(j, min(w.last, j + _AHEAD)):
        if (k > j and w.gap(k) > 1) or CAUSE in w.particle(k):
            return False  # "قتل جراء استهدافه من قبل مسلحين": the people after a cause are not its victims
        m = w.num_at.get(k)
        if m is not None and (m.vague or person_ok(w, m)):
            return True
        c = w.cue_at.get(k)
        if c is not None and not _SEVERAL.isdisjoint(c.cues) and c.cues.isdisjoint(HURT | DEATHS):
            return True
    return False


def _verb_position(w: Window, c: Cue) -> bool:
    """Where a past verb stands: at the start of the window, after punctuation or a particle
    ("وقد", "حيث", "الذي"). "قتل" after a noun or a preposition is the noun "killing"."""
    if c.first == w.first or w.gap(c.first) > 1:
        return True
    return VERB_LEAD in w.particle(c.first - 1)


def _subject_before(w: Window, c: Cue) -> bool:
    """A singular person names the subject just before the verb ("عنصرا من قسد قتل", "امرأة قد قتلت")."""
    for k in range(c.first - 1, max(w.first, c.first - _SUBJECT_LEFT) - 1, -1):
        if k in w.num_at or w.gap(k + 1) > 1 and k + 1 < c.first:
            return False
        p = w.cue_at.get(k)
        if p is not None:  # the nearest cue word before the verb: is it a person?
            return not SINGLE_SUBJECT.isdisjoint(p.cues)
    return False


def _name_like(text: str) -> bool:
    """A word that may begin a person's name: not definite, not a sound plural."""
    return not (death_forms.definite(text) or death_forms.sound_plural(text))


def _names(w: Window, j: int) -> int:
    """How many names run from token ``j``, joined by "و" ("هادي فلان وهشام فلان" = 2)."""
    def ends(k: int) -> bool:  # a cue word, a number or a particle is no part of a name
        return k in w.cue_at or k in w.num_at or bool(w.particle(k))

    count, k = 1, j + 1
    while count < _MAX_NAMES:
        words = 1
        while k < w.last and words < _NAME_WORDS and w.gap(k) <= 1 and not ends(k) and w.tokens[k].text[0] != "و":
            k += 1
            words += 1
        if k >= w.last or w.gap(k) > 1 or ends(k):
            break
        tok = w.tokens[k].text
        if tok == "و":
            k += 1
            if k >= w.last or ends(k) or not _name_like(w.tokens[k].text):
                break
        elif tok[0] != "و" or len(tok) < 3 or not _name_like(tok[1:]):
            break
        count += 1
        k += 1
    return count


def _joint(w: Window, c: Cue) -> bool:
    """"مقتل وإصابة", "القتلى والجرحى", "إصابة ومقتل": one figure for both."""
    j = c.last
    if j < w.last and w.has(j, HURT) and w.cue_at[j].conj:
        return True
    if j + 1 < w.last and w.tokens[j].text == "و" and w.has(j + 1, HURT):
        return True
    prev = w.cue_end.get(c.first) or (w.cue_end.get(c.first - 1) if w.conj_before(c.first) else None)
    return c.conj and prev is not None and not HURT.isdisjoint(prev.cues)


def _hurt_counted(w: Window, c: Cue) -> bool:
    """The wound word after ``c`` has its own number ("وأصيب 6")."""
    j = c.last + 1 if c.last < w.last and w.tokens[c.last].text == "و" else c.last
    h = w.cue_at.get(j)
    return h is not None and w.skip_mods(h.last) in w.num_at


def _negated(w: Window, c: Cue) -> bool:
    """"محاولة اغتيال", "نجا من الموت": the death did not happen."""
    for k in (c.first, c.first - 1):
        p = w.cue_end.get(k)
        if p is not None and NO_DEATH in p.cues:
            return True
    return False


def _period(w: Window, c: Cue, fig: Figure) -> bool:
    """"تحصد شهريا نحو 100 قتيل", "وثقت مقتل 300 مدني خلال الشهر الماضي": a rate or a total
    over a period, told right around the figure, is a statistic, not the toll of an incident."""
    lo = min(c.first, *fig.keys) - _PERIOD_BEFORE
    hi = max(c.last, *(k + 1 for k in fig.keys)) + _PERIOD_AFTER
    return any(PERIOD in p.cues for k in range(max(lo, w.first), min(hi, w.last)) if (p := w.cue_at.get(k)))


def _mark_extra(w: Window, c: Cue, fig: Figure) -> Figure:
    """Victims told as more than the others: "مقتل أكثر من 10 آخرين", "10 عناصر قتلوا أيضا"."""
    also = w.cue_at.get(c.last)
    first = min(fig.keys)
    m = w.num_at.get(first)
    cue = w.cue_at.get(first)
    end = m.last if m is not None else cue.last if cue is not None and cue.first == first else None
    if (also is not None and ALSO in also.cues) or (end is not None and _others_after(w, end)):
        return Figure(fig.value, fig.implied, fig.keys, fig.spans, True)
    return fig


def _others_after(w: Window, i: int) -> bool:
    """"آخرين" right after a count, or after its noun ("أربعة جنود آخرين")."""
    for k in (i, i + 1):
        c = w.cue_at.get(k)
        if k >= w.last or (k > i and w.gap(k) > 1):
            return False
        if c is not None and OTHERS in c.cues:
            return True
    return False


def _decide(figures: list[Figure]) -> Fatalities:
    """Lowest written figure plus the written figures of other victims ("آخرين"); else the
    largest implied one; else none."""
    if len(figures) <= 1:  # the usual case: what follows gives the one figure there is, or none
        if not figures:
            return Fatalities(None, ())
        f = figures[0]
        return Fatalities(f.value, tuple(sorted(set(f.spans))), implied=f.implied)
    # A figure whose victims all appear in a larger one is the same report of them.
    by_key: dict[int, list[Figure]] = {}
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
