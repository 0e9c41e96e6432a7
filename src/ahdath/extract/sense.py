"""Sense check: is an ambiguous trigger word an event, given the arguments beside it?

Many trigger words of conflict reporting have everyday senses. "خطف الفريق هدفا" snatches a
goal, "تصدى الحارس للكرة" saves a shot, "السيطرة على الحريق" puts out a fire, "انفجار أسطوانة
غاز" is a kitchen accident, "هجوم على الليرة" is a run on a currency, "قضية اغتيال" is a trial,
"تمتلك صواريخ" names weapons owned. What decides is the trigger's argument: a ball, a goal, a
price, a gas cylinder or a court case is never a side or a weapon of political violence.

The cue words live in ``data/lexicon/ar/senses.yaml``: each entry names its sense, the trigger
entries it reads (a ball reads "تصدى" and "خطف", never a killing or a shell, since a stadium can
be hit), and how many words may stand between it and the trigger on each side, inside the
trigger's clause. A trigger with such a cue beside it is read in that sense and dropped before
events are assembled; every other trigger is kept. Cues are matched only in sentences that hold
a trigger, so reports with none cost nothing here.

Counted on the shared sets when it was written: on the GSR half it takes 63 of 379 false
ASSAULT detections away (court cases, films, weapons owned or tested, usurped power, released
hostages, verbal and computer attacks) with no true one lost; on dev2 it quiets 2 of the 11
non-conflict reports that gave events (gas cylinders) and reads the sports, fire and mine
words the domain screen then does not need to; no gold event of dev or dev2 is lost.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from ahdath.extract.mentions import Mentions, Trigger, firsts_of, within
from ahdath.extract.trace import Decision
from ahdath.frozen import evolve
from ahdath.lexicon import LexiconSet
from ahdath.lexicon.stems import CueHit, StemMatcher
from ahdath.text.sentences import Segment


SENSE_CUES = "sense"  # the name of ``SenseChecker.can_start`` among the word tests of a report's scan


class SenseCue(NamedTuple):
    """One sense entry as the matcher's payload."""

    entry: str
    sense: str
    triggers: frozenset[str] | None  # trigger entry ids it reads; None: every trigger
    before: int | None  # most words between cue and trigger when the cue comes first
    after: int | None  # ... when it comes after


@dataclass(frozen=True, slots=True)
class SenseVerdict:
    """Whether ``trigger`` reports an event; when not, the sense and the cue that decided it."""

    trigger: Trigger
    event: bool
    sense: str | None
    cue: str | None  # the cue as written in the report
    reason: str


class SenseChecker:
    """Sense cues compiled once per pipeline."""

    def __init__(self, cues: StemMatcher[SenseCue]) -> None:
        self._cues = cues
        self.can_start = cues.can_start  # where a sense cue may start: a word test for the report's scan

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "SenseChecker":
        pairs = []
        for e in lexicons["senses"].entries:
            trigs = e.get("triggers")
            cue = SenseCue(e.id, str(e.get("sense")), frozenset(trigs) if trigs else None,
                           e.get("before"), e.get("after"))
            pairs.extend((f, cue) for f in e.forms)
        return cls(StemMatcher(pairs))

    def verdicts(self, m: Mentions) -> tuple[SenseVerdict, ...]:
        """One verdict per trigger of ``m``, in trigger order."""
        out: list[SenseVerdict] = []
        for t, found in self._read(m):
            if found is None:
                out.append(SenseVerdict(t, True, None, None, f"{_quote(m, t.first, t.last)}: no sense cue beside it"))
            else:
                hit, between = found
                side = "before" if hit.last <= t.first else "after"
                where = f"right {side}" if between == 0 else f"{between} word{'s' if between > 1 else ''} {side}"
                cue = _quote(m, hit.first, hit.last)
                out.append(SenseVerdict(t, False, hit.payload.sense, cue,
                                        f"{_quote(m, t.first, t.last)} read as {hit.payload.sense}: "
                                        f"{cue} {where} it ({hit.payload.entry})"))
        return tuple(out)

    def keep_events(self, m: Mentions, trace: list[Decision] | None = None) -> Mentions:
        """``m`` without the triggers a sense cue reads as no event (``m`` itself when none is);
        each one dropped goes to ``trace`` with its verdict's reason."""
        if not m.triggers:
            return m
        if trace is None:
            dropped = {id(t) for t, found in self._read(m) if found is not None}
        else:
            dropped = set()
            for v in self.verdicts(m):
                if not v.event:
                    dropped.add(id(v.trigger))
                    t = v.trigger
                    a, b = m.norm.span(t.start, t.end)
                    trace.append(Decision("sense", "dropped", t.sub_event_type, v.reason, a, b, m.norm.original[a:b]))
        if not dropped:
            return m
        return evolve(m, triggers=tuple(t for t in m.triggers if id(t) not in dropped))

    def _read(self, m: Mentions) -> list[tuple[Trigger, tuple[CueHit[SenseCue], int] | None]]:
        """Each trigger with the nearest sense cue that reads it, and the words between (or None)."""
        if not m.triggers:
            return []
        # one pass from the first trigger's sentence to the last one's: cheaper than one per sentence
        firsts = [s.first for s in m.sentences]
        lo = bisect_right(firsts, m.triggers[0].first) - 1
        hi = bisect_right(firsts, m.triggers[-1].first) - 1
        first, last = m.sentences[lo].first, m.sentences[hi].last
        heads = m.heads.get(SENSE_CUES)
        if heads is not None:
            heads = heads[bisect_left(heads, first):bisect_left(heads, last)]
        hits = self._cues.find(m.tokens, first, last, heads)
        if not hits:
            return [(t, None) for t in m.triggers]
        hit_firsts = [h.first for h in hits]
        trig_firsts = firsts_of(m.triggers)
        out: list[tuple[Trigger, tuple[CueHit[SenseCue], int] | None]] = []
        for si in range(lo, hi + 1):
            sent = m.sentences[si]
            trigs = within(m.triggers, sent.first, sent.last, trig_firsts)
            if not trigs:
                continue
            near = hits[bisect_left(hit_firsts, sent.first):bisect_left(hit_firsts, sent.last)]
            if not near:
                out.extend((t, None) for t in trigs)
                continue
            clauses = m.clauses[si]
            starts = [c.first for c in clauses]
            for t in trigs:
                out.append((t, _nearest(t, _clause_of(clauses, starts, t.first), near)))
        return out


def _clause_of(clauses: Sequence[Segment], starts: list[int], pos: int) -> Segment | None:
    k = bisect_right(starts, pos) - 1
    return clauses[k] if k >= 0 and pos < clauses[k].last else None


def _nearest(t: Trigger, clause: Segment | None, hits: Sequence[CueHit[SenseCue]]
             ) -> tuple[CueHit[SenseCue], int] | None:
    """The closest cue of ``hits`` inside ``clause`` that reads ``t`` from where it stands."""
    lo, hi = (clause.first, clause.last) if clause is not None else (t.first, t.last)
    best: tuple[CueHit[SenseCue], int] | None = None
    tid = t.entry.id
    for h in hits:
        if h.first < lo or h.last > hi:
            continue
        cue = h.payload
        if cue.triggers is not None and tid not in cue.triggers:
            continue
        if h.last <= t.first:
            between, reach = t.first - h.last, cue.before
        elif h.first >= t.last:
            between, reach = h.first - t.last, cue.after
        else:
            continue  # the cue shares words with the trigger: it is part of the trigger's own phrase
        if reach is not None and between <= reach and (best is None or between < best[1]):
            best = (h, between)
    return best


def _quote(m: Mentions, first: int, last: int) -> str:
    """Tokens ``[first, last)`` as the report writes them, quoted."""
    start, end = m.norm.span(m.tokens[first].start, m.tokens[last - 1].end)
    return f"'{m.norm.original[start:end]}'"
