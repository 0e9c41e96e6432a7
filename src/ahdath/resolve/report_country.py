"""The country a report is about, decided from its places and actors before actors are named.

Generic words mean different forces in different theatres: "الجيش" is the Syrian army in
Idlib, the Sudanese army in El Fasher and the Lebanese army in Tyre; "طرابلس" is in Libya
or in Lebanon. A report is about one country as a rule, and says which by the places it
names (a dateline weighs most), the armed groups that exist only there ("الحوثيون",
"الدعم السريع") and the country's own name and adjective ("اليمن", "القوات اليمنية",
placewords of cues ``country`` and ``nationality``). Each is a vote; the country with most votes wins.
"""
from __future__ import annotations

from bisect import bisect_left

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ahdath.frozen import evolve
from ahdath.lexicon import LexiconSet, PhraseMatcher
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.containment import strong  # a place this big or curated is rarely a namesake: a full vote
from ahdath.resolve.places import PlaceMention
from ahdath.geo import PlaceRecord
from ahdath.text.tokens import Token

# cue kind -> weight of one occurrence: a name points at the country, an adjective may describe
# people or things from it anywhere ("لاجئين فلسطينيين" in a camp in Lebanon)
COUNTRY_CUES = {"country": 1.0, "nationality": 0.5}
_DATELINE_WEIGHT = 3.0
_SMALL_PLACE = 0.25  # a small place whose every namesake lies in one country
_SAYS_SO = 4  # tokens around a foreign place where the report may name its country
COUNTRY_WORDS = "country"  # the name of ``CountryFinder.can_start`` among the word tests of a report's scan


@dataclass(frozen=True, slots=True)
class CountryVotes:
    """Votes per country (insertion order: where the report first pointed to it)."""

    votes: tuple[tuple[str, float], ...]

    @property
    def country(self) -> str | None:
        if not self.votes:
            return None
        # highest vote; among equals the country the report pointed to first
        return max(enumerate(self.votes), key=lambda kv: (kv[1][1], -kv[0]))[1][0]


_MEMO_LIMIT = 1 << 14  # candidate lists whose vote a finder remembers


class CountryFinder:
    """Compiled once from the ``placewords`` entries of cues ``COUNTRY_CUES``; share one per pipeline."""

    __slots__ = ("_words", "_votes")

    def __init__(self, words: PhraseMatcher[tuple[str, float]]) -> None:
        self._words = words
        # id of a place's candidates (the gazetteer's tuple, kept) -> (them, the country they vote
        # for or None, its weight): the same names come back report after report
        self._votes: dict[int, tuple[tuple[PlaceRecord, ...], str | None, float]] = {}

    def _place_vote(self, cands: tuple[PlaceRecord, ...]) -> tuple[str | None, float]:
        known = self._votes.get(id(cands))
        if known is None or known[0] is not cands:
            # "صيدا": the Lebanese city, not a West Bank village of the name; a small place
            # counts only when every namesake lies in one country
            big = list(dict.fromkeys(r.country for r in cands if r.country and strong(r)))
            countries = big or list(dict.fromkeys(r.country for r in cands if r.country))
            known = (cands, countries[0] if len(countries) == 1 else None, 1.0 if big else _SMALL_PLACE)
            if len(self._votes) >= _MEMO_LIMIT:
                self._votes.clear()
            self._votes[id(cands)] = known
        return known[1], known[2]

    @property
    def can_start(self):  # noqa: ANN201 - a PhraseMatcher's word test, for PhraseScan
        return self._words.can_start

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "CountryFinder":
        pairs = [(f, (str(e.get("value")), COUNTRY_CUES[str(e.get("cue"))]))
                 for e in lexicons["placewords"].entries if e.get("cue") in COUNTRY_CUES for f in e.forms]
        return cls(PhraseMatcher(pairs))

    def votes(self, tokens: Sequence[Token], places: Sequence[PlaceMention], actors: Sequence[ActorMention],
              dateline: int | None = None, heads: Sequence[int] | None = None) -> CountryVotes:
        """``places`` and ``actors`` in text order; ``dateline``: index of the dateline place, if any;
        ``heads``: where a country's name or adjective may start (``can_start``), when known."""
        marks: list[tuple[int, str, float]] = []  # (token, country, weight)
        taken: set[int] = set()
        for idx, m in enumerate(places):
            taken.update(range(m.first, m.last))
            country, w = self._place_vote(m.candidates or m.anchor)
            if country is None:
                continue
            marks.append((m.first, country, w * (_DATELINE_WEIGHT if idx == dateline else 1.0)))
        for a in actors:
            taken.update(range(a.first, a.last))
            if a.generic:
                continue  # "الجيش", "التنظيم": meant in whichever country the report is about
            scopes = {e.get("country") for e in a.entries}
            if len(scopes) == 1 and None not in scopes:
                marks.append((a.first, str(next(iter(scopes))), 1.0))
        for w in self._words.find(tokens, heads=heads):
            if w.first not in taken:  # "الجيش السوري" voted once, as an actor
                marks.append((w.first, *w.payload))
        tally: Counter[str] = Counter()
        for _pos, country, weight in sorted(marks, key=lambda x: x[0]):
            tally[country] += weight
        return CountryVotes(tuple(tally.items()))

    def decide(self, tokens: Sequence[Token], places: Sequence[PlaceMention], actors: Sequence[ActorMention],
               dateline: int | None = None, heads: Sequence[int] | None = None) -> str | None:
        return self.votes(tokens, places, actors, dateline, heads).country

    def foreign_named_bare(self, tokens: Sequence[Token], places: Sequence[PlaceMention],
                           country: str | None, heads: Sequence[int] | None = None) -> tuple[PlaceMention, ...]:
        """``places`` with each place named bare (no cue word) that lies only outside ``country``
        marked as a reference, not a scene, unless the report names its country beside it
        ("صور اللبنانية", "حيفا في إسرائيل"), or introduced it as a place before (``PlaceMention.again``):
        in a Libyan report "صور" is pictures, not Tyre;
        "الحرب في غزة" in a Lebanese one is the war's name; "وقالت دمشق" is a government."""
        if country is None:
            return tuple(places)
        words: list[tuple[int, str]] | None = None
        at_f: list[int] = []  # where each word stands, sorted: bisected, so a long report stays linear
        out = []
        for m in places:
            if m.cue is None and not m.reference and not m.again and m.candidates \
                    and all(r.country != country for r in m.candidates):
                if words is None:
                    words = sorted((w.first, w.payload[0]) for w in self._words.find(tokens, heads=heads))
                    at_f = [at for at, _c in words]
                theirs = {r.country for r in m.candidates}
                near = words[bisect_left(at_f, m.first - _SAYS_SO):bisect_left(at_f, m.last + _SAYS_SO)]
                if not any(c in theirs for _at, c in near):
                    m = evolve(m, reference=True)
            out.append(m)
        return tuple(out)
