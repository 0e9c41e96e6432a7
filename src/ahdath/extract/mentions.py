"""Find the mentions of one report: triggers, cues, actors, places, times.

Numbers are read later, per clause, by the fatality counter: only tolls need them.

Matching only: nothing here decides what an event is (``extract.events`` does).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from ahdath.frozen import evolve
from ahdath.lexicon import LexiconSet, PhraseMatcher, PhraseScan
from ahdath.lexicon.loader import Entry
from ahdath.lexicon.morphology import Reading, only_future
from ahdath.lexicon.schema import SUB_TO_TYPE
from ahdath.resolve.actors import ActorFinder, ActorMention
from ahdath.extract.status import COMPLEMENT, Frame, FrameSpec, StatusReader
from ahdath.resolve.places import PlaceFinder, PlaceMention
from ahdath.text.normalize import NormText, normalize
from ahdath.text.sentences import Segment, clauses, sentences
from ahdath.text.timex import TimeExpr, TimexFinder
from ahdath.text.tokens import Token, clitic_forms, tokenize

_new = tuple.__new__  # makes a named tuple without its Python-level __new__
# a verb in the future ("ستشن", "سيقصف") is a status frame over the words that complete it
_FUTURE_VERB = FrameSpec("future", 0, 6, frozenset(), "future_verb")
_NAMES_ITS_ACTOR = {"Explosions/Remote violence", "Protests", "Riots"}
_TOWN_KINDS = frozenset({"populated", "neighbourhood", "facility"})  # places precise enough to locate a sound
_NEEDS_WITHIN = 5  # the next tokens where the word a trigger needs may stand, unless its entry says
_MEMO_LIMIT = 1 << 14  # trigger forms (with their proclitics) whose reading a finder remembers
_FUTURE: Any = object()  # a marker: every reading of a form is a future
# (entry, sub-event type, event type, priority, weak, words it needs after it, how far,
# whether its present tense reports)
_TriggerInfo = tuple[Entry, str, str, int, bool, frozenset[str], int, bool]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word reporting an incident, with the sub-event type its lexicon entry gives."""

    first: int
    last: int
    start: int
    end: int
    entry: Entry
    sub_event_type: str
    event_type: str
    priority: int
    weak: bool
    # how the matched word reads when a lemma generated it (aspect, voice ...); () for a written form
    readings: tuple[Reading, ...] = ()


class Cue(NamedTuple):
    """A cue word (negation, hedge, clause break ...); a named tuple, as reports hold dozens."""

    first: int
    last: int
    start: int
    end: int
    cue: str


@dataclass(frozen=True, slots=True)
class Mentions:
    """Everything found in one report (offsets normalized; ``norm`` maps back)."""

    norm: NormText
    tokens: tuple[Token, ...]
    sentences: tuple[Segment, ...]
    clauses: tuple[tuple[Segment, ...], ...]  # per sentence
    triggers: tuple[Trigger, ...]
    cues: tuple[Cue, ...]
    frames: tuple[Frame, ...]  # status frames (denial, plan, statistic ...) of sentences with triggers
    actors: tuple[ActorMention, ...]
    places: tuple[PlaceMention, ...]
    times: tuple[TimeExpr, ...]
    # where the words of the pipeline's other vocabularies may start (sense and domain cues, country
    # names, death words: ``MentionFinder``'s extra word tests, by name), found by the report's one scan
    # (an index of the report's words, not a mention: left out of comparisons)
    heads: Mapping[str, Sequence[int]] = field(default_factory=dict, compare=False)


class MentionFinder:
    """All matchers of a pipeline, compiled once."""

    def __init__(self, triggers: PhraseMatcher[Entry], cues: PhraseMatcher[str], actors: ActorFinder,
                 places: PlaceFinder, times: TimexFinder, status: StatusReader,
                 extra: Mapping[str, Callable[[str], object]] | None = None) -> None:
        """``extra``: word tests of the pipeline's other vocabularies, by name; ``find`` gives
        where each passes in ``Mentions.heads``."""
        self._triggers = triggers
        self._cues = cues
        self.status = status
        self.actors = actors
        self.places = places
        self.times = times
        self._extra = tuple((extra or {}).items())
        # every matcher that reads a whole report, looked up once per token
        self._scan = PhraseScan((triggers.can_start, cues.can_start, status.can_start, actors.matcher.can_start,
                                 times.starts, *(m.can_start for m in places.starters),
                                 *(test for _name, test in self._extra)))
        self._n_places = len(places.starters)
        # id of a trigger entry -> what ``_trigger_entry`` gives, read once
        self._trigger_info: dict[int, _TriggerInfo] = {}
        # (id of a trigger entry, form, proclitics) -> (the entry, what ``_read_as`` gives)
        self._readings: dict[tuple[int, str, str | None], tuple[Entry, Any]] = {}

    @classmethod
    def from_resources(cls, lexicons: LexiconSet, places: PlaceFinder,
                       extra: Mapping[str, Callable[[str], object]] | None = None) -> "MentionFinder":
        triggers = PhraseMatcher((f, e) for e in lexicons["triggers"].entries for f in e.forms)
        cues = PhraseMatcher((f, str(e.get("cue"))) for e in lexicons["cues"].entries for f in e.forms)
        return cls(triggers, cues, ActorFinder.from_lexicons(lexicons), places,
                   TimexFinder.from_lexicons(lexicons), StatusReader.from_lexicons(lexicons), extra)

    def find(self, text: str) -> Mentions:
        nt = normalize(text)
        tokens = tokenize(nt.text)
        sents = sentences(nt.text, tokens)
        trig_heads, cue_heads, frame_heads, actor_heads, time_heads, *rest = self._scan.heads(tokens)
        place_heads = rest[:self._n_places]
        extra = {name: found for (name, _test), found in zip(self._extra, rest[self._n_places:])}
        raw = self._triggers.find(tokens, heads=trig_heads)
        if not raw:
            # nothing reported happening: no need to read actors, places or dates
            return Mentions(nt, tuple(tokens), tuple(sents), tuple(() for _ in sents), (), (), (), (), (), (), extra)
        actors = tuple(self.actors.find(tokens, actor_heads))
        # a trigger word inside an actor's name is not a trigger ("هيئة تحرير الشام"),
        # except where the word names both the act and who did it: aircraft ("الطيران
        # الروسي"), demonstrations ("مظاهرة" is the act and its protesters)
        in_actor = {i for a in actors for i in range(a.first, a.last)}
        trig: list[Trigger] = []
        planned: list[Frame] = []
        sent_lasts = [s.last for s in sents]
        for m in raw:
            e, sub, event_type, priority, weak, needs, reach, present = self._trigger_entry(m.payload)
            if m.first in in_actor and event_type not in _NAMES_ITS_ACTOR:
                continue
            tok = tokens[m.first]
            readings = self._read_as(e, m.form, tok.text[:m.start - tok.start] if m.start > tok.start else None,
                                     present)
            if readings is None:
                continue
            if readings is _FUTURE:
                # "ستشن", "سيقصف": a plan or a threat, not a report; it governs what it announces
                planned.append(Frame(m.first, m.last, m.start, m.end, _FUTURE_VERB))
                continue
            if needs:
                k = bisect_right(sent_lasts, m.first)
                stop = sents[k].last if k < len(sents) else len(tokens)
                if not _followed_by(tokens, m.last, min(stop, m.last + reach), needs):
                    continue
            trig.append(Trigger(m.first, m.last, m.start, m.end, e, sub, event_type, priority, weak, readings))
        trig.sort(key=_first)
        # cue words only matter around triggers: read them in the sentences that have one
        read: list[int] = []  # the cue heads of those sentences
        frames: list[Frame] = []
        for s in sents:
            if within(trig, s.first, s.last):
                read.extend(cue_heads[bisect_left(cue_heads, s.first):bisect_left(cue_heads, s.last)])
                heads = frame_heads[bisect_left(frame_heads, s.first):bisect_left(frame_heads, s.last)]
                frames.extend(self.status.frames(tokens, s.first, s.last, heads))
        if planned:
            frames = sorted(frames + planned, key=_first)
        # every start tried (overlapping): one call over all those sentences finds what one per sentence would
        cue_list = [_new(Cue, (m.first, m.last, m.start, m.end, m.payload))
                    for m in self._cues.find(tokens, overlapping=True, heads=read)]
        cue_list.sort(key=_first)
        breaks = {c.first for c in cue_list if c.cue in ("clause_break", "clause_cause")}
        # "نشر الفيلق الذي يخوض معارك ... بيانا قال فيه إن الجيش هاجم مقراته": what a statement says is
        # a clause of its own when the words before the speech verb tell an act of their own; else the
        # clause stays whole, and the frames around the speech verb govern what it says ("تخشى أن",
        # "أكد ... أن الجيش سيفرض")
        speech = [c for c in cue_list if c.cue == "speech"]
        if speech:
            starts = sorted(breaks)
            trig_f, sent_f = firsts_of(trig), [s.first for s in sents]  # bisected: a long report stays linear
            speech_f, longest = firsts_of(speech), max(c.last - c.first for c in speech)
            for f in frames:
                if f.spec.status != COMPLEMENT:
                    continue
                c = _speaker_of(speech, speech_f, longest, f.first)
                if c is None:
                    continue
                k = bisect_right(starts, c.first)
                begin = max(starts[k - 1] if k else 0, _sentence_start(sents, c.first, sent_f))
                if bisect_left(trig_f, begin) < bisect_left(trig_f, c.first):  # a trigger in [begin, c.first)
                    breaks.add(f.first)
        breaks = sorted(breaks)
        # a place inside an actor's name ("جيش إدلب الحر") is not where anything happened
        places = tuple(evolve(p, reference=True) if p.first in in_actor and p.last - 1 in in_actor else p
                       for p in self.places.find(tokens, nt.text, place_heads))
        return Mentions(
            norm=nt,
            tokens=tuple(tokens),
            sentences=tuple(sents),
            clauses=tuple(tuple(clauses(s, tokens, breaks)) for s in sents),
            triggers=tuple(trig),
            cues=tuple(cue_list),
            frames=tuple(frames),
            actors=tuple(sorted(actors, key=_first)),
            places=places,  # in text order; parents index it
            times=tuple(sorted(self.times.find(tokens, time_heads), key=_first)),
            heads=extra,
        )

    def _read_as(self, e: Entry, form: str, prefix: str | None, present: bool) -> Any:
        """How a trigger form matched with the proclitics ``prefix`` (None: none) reads: its readings
        (() for a written form), ``_FUTURE`` for a future verb, None where it reports nothing.
        Read once per entry, form and prefix."""
        key = (id(e), form, prefix)
        known = self._readings.get(key)
        if known is None or known[0] is not e:  # the entry is kept, so its id is not reused
            known = (e, _reading(e, form, prefix, present))
            if len(self._readings) >= _MEMO_LIMIT:
                self._readings.clear()
            self._readings[key] = known
        return known[1]

    def _trigger_entry(self, e: Entry) -> _TriggerInfo:
        info = self._trigger_info.get(id(e))
        if info is None or info[0] is not e:  # the entry is kept, so its id is not reused
            sub = str(e.get("sub_event_type"))
            info = self._trigger_info[id(e)] = (e, sub, SUB_TO_TYPE[sub], int(e.get("priority") or 0),
                                                bool(e.get("weak")), frozenset(e.get("needs") or ()),
                                                int(e.get("needs_within") or _NEEDS_WITHIN), bool(e.get("present")))
        return info


def _reading(e: Entry, form: str, prefix: str | None, present: bool) -> Any:
    """``MentionFinder._read_as``, worked out."""
    readings = e.readings.get(form, ()) if e.readings else ()
    if readings and prefix is not None:
        # a verb takes only و ف (and ل before the imperfect), and so does "هجوما"
        readings = tuple(r for r in readings if _takes_clitics(prefix, r))
        if not readings:
            return None
    if readings and only_future(readings):
        return _FUTURE
    if readings and not present and all(r.aspect == "imperfect" for r in readings):
        return None  # "تخطف من تريد": a present that tells what is done, not what happened
    return readings


def stands_alone(triggers: Sequence[Trigger], places: Sequence[PlaceMention], tolled: Callable[[], bool]) -> bool:
    """Whether weak triggers with no actor in their clause still tell an incident: their entry lets
    them stand alone (``alone_with``) and the clause (``places``: its places; ``tolled``: whether it
    states a toll) names a town or a toll ("دوى انفجار في بلدة X"). One incident stands alone: a
    plural noun ("التفجيرات الأخيرة") recalls a series; a sound heard over a region is not located."""
    kinds = [k for t in triggers if not any(r.number == "plural" and r.part != "verb" for r in t.readings)
             for k in (t.entry.get("alone_with") or ())]
    if "place" in kinds and any(p.kind in _TOWN_KINDS for p in places):
        return True
    return "toll" in kinds and tolled()


def _takes_clitics(prefix: str, r: Reading) -> bool:
    """Whether a word read as ``r`` may carry the proclitics ``prefix``: a noun takes any, but an
    indefinite accusative (هجوما) neither the article nor a preposition; a verb takes the
    conjunctions, and the imperfect also ل ("ليقصف"): "والدهما" is not "دهما"."""
    if prefix in ("و", "ف"):
        return True
    if r.part != "verb":
        return not r.indefinite_accusative
    return r.aspect == "imperfect" and prefix in ("ل", "ول", "فل")


def _followed_by(tokens: Sequence[Token], first: int, last: int, words: frozenset[str]) -> bool:
    """Whether a token in ``[first, last)`` is one of ``words`` (read with or without its clitics)."""
    for tok in tokens[first:last]:
        if not words.isdisjoint(clitic_forms(tok.text)):
            return True
    return False


def within(items: Sequence, first: int, last: int, firsts: Sequence[int] | None = None) -> list:
    """Mentions whose token range lies inside ``[first, last)``; ``items`` sorted by ``first``.

    Bisection keeps a report linear in its length: a sentence looks only at its own mentions.
    ``firsts`` (``firsts_of(items)``) saves a key call per step when ``items`` is searched often.
    """
    if firsts is None:
        lo = bisect_left(items, first, key=_first)
        hi = bisect_left(items, last, lo=lo, key=_first)
    else:
        lo = bisect_left(firsts, first)
        hi = bisect_left(firsts, last, lo)
    if hi - lo <= 1:  # most ranges hold one mention or none
        return [items[lo]] if lo < hi and items[lo].last <= last else []
    found = items[lo:hi]
    if max(map(_last, found)) <= last:  # the usual case: none runs past ``last``
        return found if type(found) is list else list(found)  # (a list's slice is already a new list)
    return [x for x in found if x.last <= last]


def firsts_of(items: Sequence) -> list[int]:
    """The ``first`` token of each item: the search key ``within`` takes."""
    return list(map(_first, items))


_first, _last = attrgetter("first"), attrgetter("last")  # token range of a mention


_SPEAKER_WORDS = 2  # how far a speech verb's complementizer may stand from it ("قال فيه إن")


def _speaker_of(speech: Sequence[Cue], firsts: Sequence[int], longest: int, at: int) -> Cue | None:
    """The latest speech cue (sorted by ``first``; ``firsts`` their first tokens, ``longest`` the
    most tokens one spans) ending at most ``_SPEAKER_WORDS`` before token ``at``, or None. Only the
    cues that can end there are looked at: one scan of them all per frame made a long report quadratic."""
    k = bisect_right(firsts, at)
    lowest = at - _SPEAKER_WORDS - longest
    while k > 0 and firsts[k - 1] >= lowest:
        k -= 1
        if 0 <= at - speech[k].last <= _SPEAKER_WORDS:
            return speech[k]
    return None


def _sentence_start(sents: Sequence[Segment], i: int, firsts: Sequence[int]) -> int:
    k = bisect_right(firsts, i)
    return sents[k - 1].first if k else 0



_HEADER_TOKENS = 6  # a page's date stands among the first words of the text, if anywhere
_HEADER_AFTER = "|–—-\n"  # what parts a page's date from the report after it (":" opens a timeline's entry)


def header_date(m: Mentions) -> TimeExpr | None:
    """A full date at the head of a report, written apart from its first sentence (" date 2025-08-17
    قتل ...", "الجمعة 17 مايو 2024 | ...", "ود مدني، 14 نوفمبر 2024 – قُتل ..."): the date the page
    carries (the publication date, or the day it was rendered), not an incident's. A date the first
    sentence tells in its own words ("في 14 نوفمبر 2024، قتل"), or a timeline's entry ("* 21 مايو 2005:
    اغتيال ..."), is not one."""
    text = m.norm.text
    for x in m.times:
        if x.first >= _HEADER_TOKENS:
            return None
        if x.day is None or x.month is None or x.year is None:
            continue
        after = text[x.end:x.end + 3]
        if ":" in after.strip()[:1]:
            continue
        if any(ch in _HEADER_AFTER for ch in after) or not any("\u0600" <= ch <= "\u06ff" for ch in text[:x.start]):
            return x
    return None
