"""Where a report's places lie: in one another, in a country, at the head of the report.

The finder (``places.PlaceFinder``) decides a mention from the places around it: a village only the
community layer knows counts where the report puts it in a known place near it, a name right after
another can be the place that one lies in, a small foreign namesake named bare is dropped in a report
whose places lie elsewhere, and the place opening the report is its dateline. These rules read
gazetteer records and finished mentions (and, for a parent, the cue after a name), never the
finder's state, so they live apart from it; the extractor uses ``near_container`` and the pipeline
``dateline_index`` (both also importable from ``places``, the package's entry point).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ahdath.geo import PlaceRecord, distance_km
from ahdath.lexicon import PhraseMatcher
from ahdath.text.tokens import Token

if TYPE_CHECKING:  # the finder imports this module: its types only for annotations
    from ahdath.resolve.places import PlaceMention, _Cue

_CONTAINED_KM = 60.0  # a village lies this close to the town or region the report places it in, at most


def near_container(cands: Sequence[PlaceRecord], container: Sequence[PlaceRecord]) -> tuple[PlaceRecord, ...]:
    """The candidates that lie in or near one of ``container`` (same governorate, or within
    ``_CONTAINED_KM`` of its point)."""
    out = []
    for r in cands:
        for c in container:
            if c.kind == "admin1" and c.admin1 == r.admin1 and c.country == r.country:
                out.append(r)
                break
            if None not in (r.latitude, r.longitude, c.latitude, c.longitude) and distance_km(
                    r.latitude, r.longitude, c.latitude, c.longitude) <= _CONTAINED_KM:
                out.append(r)
                break
    return tuple(out)


_SUBURB_KM = 4.0  # a community this close to the town the report puts it in is a part of that town


def part_of_town(cands: Sequence[PlaceRecord], container: Sequence[PlaceRecord]) -> bool:
    """"ضاحية الأسد بحرستا": a suburb the report places in its town is that town's (ACLED codes the town)."""
    return any(c.kind == "populated" and None not in (r.latitude, r.longitude, c.latitude, c.longitude)
               and distance_km(r.latitude, r.longitude, c.latitude, c.longitude) <= _SUBURB_KM
               for r in cands for c in container)


def kind_of(cands: Sequence[PlaceRecord]) -> str:
    return cands[0].kind if cands else "populated"


BIG_TOWN = 100000  # a foreign place this big may be named bare in any report ("بيروت", "بغداد")


def strong(r: PlaceRecord) -> bool:
    """A record named often enough that finding it bare anywhere is plausible."""
    return r.source.startswith("curated") or r.kind == "admin1" or r.population >= BIG_TOWN


def home_country(mentions: Iterable[PlaceMention]) -> str | None:
    """The country most places the report names for certain lie in."""
    votes: Counter[str] = Counter()
    for m in mentions:
        cands = m.candidates or m.anchor
        countries = {r.country for r in cands}
        if len(countries) == 1 and any(strong(r) for r in cands):
            c = next(iter(countries))
            if c:
                votes[c] += 1
    return votes.most_common(1)[0][0] if votes else None


_LINK_BREAKS = frozenset("،,.;:!?()\n-–")  # punctuation that parts a place from the next one
_CONTAINERS = frozenset({"populated", "region", "admin1", "direction"})
_SPECIFICITY = {"neighbourhood": 0, "facility": 0, "populated": 1, "region": 2, "direction": 2, "admin1": 3}


def mention_parents(ms: list[PlaceMention], tokens: Sequence[Token], cues: PhraseMatcher[_Cue],
                    text: str | None) -> list[int | None]:
    """The parent of each mention: "حي الجورة في دير الزور": the neighbourhood's is the town right after it."""
    out = [m.parent for m in ms]
    for idx, m in enumerate(ms[:-1]):
        nxt = ms[idx + 1]
        gap = nxt.first - m.last
        if text is not None and text[m.end:nxt.start].strip(" #_\"“”«»'"):
            between = text[m.end:nxt.start]
            if not _LINK_BREAKS.isdisjoint(between):
                continue
        if gap > 2 or nxt.kind not in _CONTAINERS or _SPECIFICITY[m.kind] >= _SPECIFICITY[nxt.kind] + (
                1 if nxt.kind == "direction" else 0):
            continue
        if gap > 0:
            cm = cues.match_at(tokens, m.last)
            if not cm or cm[0].payload.cue not in ("preposition", "direction") or cm[0].last != nxt.first:
                if not (nxt.cue in ("settlement", "region", "admin", "direction") and gap <= 1):
                    continue
        out[idx] = idx + 1
    return out


_DATELINE_SEP = re.compile(r"\s*(?:\([^)\n]{0,40}\)\s*)?[–—\-:]")


def dateline_index(text: str, mentions: Sequence[PlaceMention]) -> int | None:
    """The mention that opens a line as a dateline ("درعا – ...", "دير الزور (خاص) -")."""
    for idx, m in enumerate(mentions):
        if m.start > 400:
            break
        line_start = text.rfind("\n", 0, m.start) + 1
        if m.start - line_start <= 25 and _DATELINE_SEP.match(text, m.end):
            return idx
    return None
