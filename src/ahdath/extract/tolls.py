"""Which incident a stated death toll belongs to (the toll side of ``extract.events``).

A toll is counted per token range by ``resolve.fatalities`` (once per range: the
groups of a clause share it). A trigger's toll is its clause's; else its
sentence's when the sentence tells one incident; else that of the clauses of
its incident ("بمقتل 28 مدنيا، جراء قصف ..."). A clause that tells again an
incident already told, or only a toll ("مما أدى لمقتل 46 شخصا"), gives the toll
to that incident; several figures for one incident give the lowest written one
(ACLED). A total told in parts gives each incident its part ("بينهم خمسة في
هجوم").
"""
from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Sequence

from ahdath.extract.mentions import Mentions, Trigger, firsts_of
from ahdath.frozen import evolve
from ahdath.resolve.fatalities import DEATH_WORDS, Fatalities, FatalityCounter
from ahdath.resolve.fatality_window import Cue
from ahdath.resolve.places import PlaceMention
from ahdath.text.sentences import Segment

if TYPE_CHECKING:
    from ahdath.extract.events import Candidate

_KILLING = "Attack"  # the sub-event type of a bare killing ("مقتل")
_NONE = Fatalities(None, ())


class Tolls:
    """The tolls of one report's token ranges, each counted once, and where they go."""

    __slots__ = ("_m", "_counter", "_cache", "_deaths", "_cues", "_trig_f")

    def __init__(self, m: Mentions, counter: FatalityCounter) -> None:
        self._m = m
        self._counter = counter
        self._cache: dict[tuple[int, int, int | None], Fatalities] = {}
        # the report's windows overlap (a clause, its sentence, its incident, the words around a
        # trigger): where death words stand is found once, and so is each cue phrase the counter reads
        self._deaths: Sequence[int] | None = m.heads.get(DEATH_WORDS)
        self._cues: dict[int, tuple[Cue, Cue] | None] = {}
        self._trig_f: list[int] | None = None  # the triggers' first tokens (sorted), made on first use

    def of_range(self, first: int, last: int, at: int | None = None) -> Fatalities:
        """Deaths told in tokens ``[first, last)``; with ``at``, the part of a total told for the
        incident whose trigger is at that token."""
        fat = self._cache.get((first, last, None))
        if fat is None:
            if self._deaths is None:
                self._deaths = self._counter.death_words(self._m.tokens)
            k = bisect_left(self._deaths, first)
            if k == len(self._deaths) or self._deaths[k] >= last:
                fat = _NONE  # no death word in the window: what ``count`` says without reading it
            else:
                fat = self._counter.count(self._m.tokens, first, last, cues=self._cues)
            self._cache[first, last, None] = fat
        if at is None or not fat.parts:
            return fat  # no total told in parts: no share of it for the incident at ``at``
        share = self._cache.get((first, last, at))
        if share is None:
            share = self._cache[first, last, at] = self._counter.count(self._m.tokens, first, last, at=at,
                                                                       cues=self._cues)
        return share

    def of_clause(self, si: int, clause: Segment, groups: Sequence[tuple], incident: dict[int, int],
                  at: int | None = None) -> Fatalities:
        """The toll of a clause of sentence ``si``; else of its sentence when that tells one incident
        (``groups``: the sentence's trigger groups); else of the clauses of its incident."""
        m = self._m
        fat = self.of_range(clause.first, clause.last, at)
        if len(groups) == 1:
            # other clauses may add victims ("مقاتلان فارقا الحياة أيضا") or go on with the clause's
            # list ("مقتل خمسة مدنيين، إضافة إلى خمسة من مقاتلي قسد")
            whole = self.of_range(m.sentences[si].first, m.sentences[si].last)
            if fat.count is None or ((whole.count or 0) > fat.count
                                     and (whole.added or set(fat.spans) <= set(whole.spans))):
                fat = whole
        if fat.count is None:
            linked = [c for c in m.clauses[si] if incident[id(c)] == incident[id(clause)]]
            if len(linked) > 1:
                fat = self.of_range(linked[0].first, linked[-1].last)
        return fat

    def retell(self, out: list[Candidate], si: int, clause: Segment, sub: str, anchor: Trigger,
               groups: Sequence[tuple], incident: dict[int, int], same_kind: bool = False) -> None:
        """A trigger that tells again an incident already told gives it its toll; a bare killing
        ("مقتل") beside another trigger of its clause leaves the toll to that one, and gives the
        share told for the incident it names ("مقتل سبعة، بينهم خمسة في هجوم": the attack's five)."""
        bare = sub == _KILLING and not same_kind
        if bare and any(g[0] is clause and g[1] != sub for g in groups):
            return
        if self._trig_f is None:
            self._trig_f = firsts_of(self._m.triggers)
        # the clause's triggers by bisection: a scan of the report's would make a long report quadratic
        trigs = self._m.triggers[bisect_left(self._trig_f, clause.first):bisect_left(self._trig_f, clause.last)]
        named = [t.first for t in trigs if t.sub_event_type != sub]
        at = named[0] if bare and named else anchor.first
        give(out, None if bare else anchor.event_type, self.of_clause(si, clause, groups, incident, at))


def give(out: list[Candidate], event_type: str | None, fat: Fatalities) -> None:
    """A toll told after an incident ("وأدت الضربة إلى مقتل شخصين") is that incident's: the latest
    candidate of ``event_type`` (any, for a bare killing); a lower written figure replaces its own."""
    if fat.count is None:
        return
    for k in range(len(out) - 1, -1, -1):
        if event_type is None or out[k].event_type == event_type:
            had = out[k].fatalities.count
            # several figures for one incident: the lowest written one (ACLED)
            if had is None or (fat.count < had and not fat.implied):
                out[k] = evolve(out[k], fatalities=fat)
            return


def same_scene(out: Sequence[Candidate], places: Sequence[PlaceMention]) -> bool:
    """A clause naming no place, or a place of an incident told, may give that incident its toll."""
    return not places or any(o.place is not None and o.place.name == p.name for o in out for p in places)
