"""Find place mentions in a report and resolve them to ACLED locations.

Finding reads three kinds of evidence: gazetteer names ("دير الزور"), cue
words followed by a name the gazetteer may not know ("قرية البغيلية",
"قرى #الشعثة و #القاهرة"), and region phrases ("ريف حماة الشمالي",
"غربي درعا"). Resolution picks among same-name candidates by the report's
context (governorate in focus, other places, dateline), never by first match,
and maps neighbourhoods and facilities to their town.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from ahdath.geo import Gazetteer, PlaceRecord, distance_km, name_key
from ahdath.geo.records import is_arabic_name
from ahdath.geo.sources import load_namewords
from ahdath.lexicon import LexiconSet, PhraseMatcher
from ahdath.model import Place
from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms

_QUOTES_OPEN = "\"“«'‘"
_QUOTES_CLOSE = "\"”»'’"
_DATELINE_SEP = re.compile(r"\s*(?:\([^)\n]{0,40}\)\s*)?[–—\-:]")
_BEARING = {"N": 0, "NE": 45, "E": 90, "SE": 135, "S": 180, "SW": 225, "W": 270, "NW": 315}
_REGION_SHIFT_KM = 25.0  # "ريف X الشمالي": the countryside centre lies this far from X
_FAR_KM = 80.0
_MAX_POINTS = 64  # a report names few distinct places; a bound keeps huge inputs linear
_BIG_TOWN = 100000  # a foreign place this big may be named bare in any report ("بيروت", "بغداد")
_LIST_END = re.compile(r"\s*(?:[،,.:;!?)\n]|$)")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the text; ``start``/``end`` cover the name (for regions, the whole phrase)."""

    first: int
    last: int
    start: int
    end: int
    name: str  # normalized, clitics stripped, keeps ال
    cue: str | None  # settlement | neighbourhood | facility | region | admin | direction | None
    kind: str  # populated | neighbourhood | facility | region | admin1 | direction
    candidates: tuple[PlaceRecord, ...]
    parent: int | None = None  # index of the containing place in the list ``find`` returned
    direction: str | None = None  # N, SW ... of "ريف X الشمالي" / "غربي X"
    anchor: tuple[PlaceRecord, ...] = ()  # the place a region phrase is relative to
    marked: bool = False  # quoted or a hashtag
    reference: bool = False  # an origin or reference point ("نازحة من مدينة X", "45 كم شرق X"), not a scene


@dataclass(frozen=True, slots=True)
class _Cue:
    cue: str
    value: str | None


@dataclass(frozen=True, slots=True)
class _Name:
    first: int
    last: int
    start: int
    end: int
    name: str
    candidates: tuple[PlaceRecord, ...]
    marked: bool


class PlaceFinder:
    """Compiled once from the gazetteer and the ``placewords`` lexicon."""

    __slots__ = ("_gaz", "_cues", "_names", "_words")

    def __init__(self, gazetteer: Gazetteer, cues: PhraseMatcher[_Cue], names: PhraseMatcher[str],
                 words: dict[str, frozenset[str]]) -> None:
        self._gaz = gazetteer
        self._cues = cues
        self._names = names
        self._words = words

    @classmethod
    def from_resources(cls, gazetteer: Gazetteer, lexicons: LexiconSet) -> "PlaceFinder":
        cues = PhraseMatcher((f, _Cue(str(e.get("cue")), e.get("value")))
                             for e in lexicons["placewords"].entries for f in e.forms)
        words = load_namewords()
        pairs: dict[str, str] = {}
        for r in gazetteer.records:
            for n in r.names:
                f = norm(n)
                # "المدينة" is a town in Iraq, but in a report it means "the city"; Kurdish and
                # Persian spellings ("bەghdad") would match Arabic words that are not this place
                if len(f) >= 3 and f not in words["stop"] and is_arabic_name(n):
                    pairs.setdefault(f, name_key(f))
        return cls(gazetteer, cues, PhraseMatcher(pairs.items()), words)

    # -- reading names ----------------------------------------------------------------

    def _gap(self, text: str | None, tokens: Sequence[Token], i: int) -> str:
        """Characters between token i-1 and token i (' ' when the text is not known)."""
        if text is None or i <= 0 or i >= len(tokens):
            return " "
        return text[tokens[i - 1].end:tokens[i].start]

    def _known(self, tokens: Sequence[Token], i: int) -> _Name | None:
        ms = self._names.match_at(tokens, i)
        if not ms:
            return None
        m = ms[0]
        name = norm(" ".join(t.text for t in tokens[m.first:m.last]))
        name = name[m.start - tokens[m.first].start:] if m.start > tokens[m.first].start else name
        return _Name(m.first, m.last, m.start, m.end, name, self._gaz.lookup(m.payload), False)

    def _read_name(self, tokens: Sequence[Token], j: int, text: str | None, *, strip: bool,
                   listed: bool = False) -> _Name | None:
        """The name starting at token j after a cue word; None when what follows is not a name."""
        n = len(tokens)
        if j >= n:
            return None
        w = self._words
        before = text[tokens[j].start - 1] if text is not None and tokens[j].start > 0 else " "
        if before == "#" or before in _QUOTES_OPEN:
            last = j + 1
            joiner = "_" if before == "#" else " "
            while last < n and last - j < 5 and self._gap(text, tokens, last) == joiner:
                last += 1
            if before in _QUOTES_OPEN and text is not None:
                end_q = next((k for k in range(j + 1, min(n, j + 6))
                              if any(c in _QUOTES_CLOSE for c in self._gap(text, tokens, k))), None)
                last = end_q if end_q is not None else j + 1
            words = " ".join(t.text for t in tokens[j:last])
            if not words or words in w["stop"]:
                return None
            return _Name(j, last, tokens[j].start, tokens[last - 1].end, words, self._gaz.lookup(words), True)
        gap = self._gap(text, tokens, j)
        if (gap.strip() or "\n" in gap) and not listed:
            return None  # a comma, full stop or line break between cue and word: no name follows
        if self._cue_word(tokens, j):
            return None  # "مدينة وقرية شرق ...", "قرى وبلدات ريف حماة": a cue word after a cue word
        tok = tokens[j]

        def nxt(k: int) -> str | None:
            if k >= n or self._gap(text, tokens, k) != " " and text is not None:
                return None
            return tokens[k].text

        known = self._known(tokens, j)
        if known is not None:
            # "منطقة برج رحال": a head word that is also a gazetteer name still opens a longer name
            after = nxt(j + 1) if known.last == j + 1 and tok.text in w["heads"] else None
            if after is None or after in w["stop"] or self._cue_word(tokens, j + 1):
                return known
        word, start = tok.text, tok.start
        if strip and len(word) > 2 and word[0] == "و" and word not in w["heads"]:
            word, start = word[1:], start + 1
        if word in w["stop"] or len(word) < 2 or word.isdigit() or not word.isalpha():
            return None
        parts, last = [word], j + 1

        t2 = nxt(last)
        if t2 is not None and t2 not in w["stop"]:
            if word in w["heads"] or (not word.startswith("ال") and t2.startswith("ال") and t2 not in w["suffixes"]):
                parts.append(t2)
                last += 1
                t3 = nxt(last)
                if t2 in w["linkers"] and t3 is not None and t3 not in w["stop"]:
                    parts.append(t3)
                    last += 1
        t2 = nxt(last)
        if t2 is not None and t2 in w["suffixes"]:
            after = last + 1
            cm = self._cues.match_at(tokens, after) if after < n else []
            # "قرية X غربي درعا" / "غربي المدينة": a direction; "اشكان غربي" at the end: part of the name
            is_direction = after < n and (self._known(tokens, after) is not None or bool(
                cm and cm[0].payload.cue != "direction" and self._definite(tokens, cm[0].start, after)))
            if not is_direction or t2.startswith("ال"):
                parts.append(t2)
                last += 1
        name = " ".join(parts)
        return _Name(j, last, start, tokens[last - 1].end, name, self._gaz.lookup(name), False)

    def _cue_word(self, tokens: Sequence[Token], j: int) -> bool:
        """Token j is a place cue word ("وقرية", "بلدات", "ريف") that is not also a name head ("خربة")."""
        if j >= len(tokens):
            return False
        cm = self._cues.match_at(tokens, j)
        if not cm:
            return False
        bare = cm[0].start == tokens[j].start and cm[0].last == j + 1
        return not (bare and tokens[j].text in self._words["heads"])

    # -- finding ------------------------------------------------------------------------

    def find(self, tokens: Sequence[Token], text: str | None = None) -> list[PlaceMention]:
        """Place mentions in token order. Pass the normalized ``text`` to read quotes, hashtags and commas."""
        found: list[list[PlaceMention]] = []
        i, n = 0, len(tokens)
        cues, names = self._cues, self._names
        while i < n:
            w = tokens[i].text
            if not (cues.starts(w) or names.starts(w)):
                i += 1
                continue
            got = self._at(tokens, i, text)
            if got:
                found.append(got)
                i = max(m.last for m in got)
            else:
                i += 1
        home = _home_country(m for g in found for m in g)
        out: list[PlaceMention] = []
        groups: list[tuple[int, int]] = []
        country = tuple(r for r in self._gaz.lookup(home) if r.id.startswith("country:")) if home else ()
        for g in found:
            g = [m if m.candidates or m.cue != "direction" else replace(m, candidates=country, anchor=country)
                 for m in g]
            g = [m for m in (self._local_or_foreign(m, tokens, home) for m in g)
                 if m is not None and (m.candidates or m.cue != "direction")]
            if not g:
                continue
            if self._is_reference(tokens, g[0].first):
                g = [replace(m, reference=True) for m in g]
            groups.append((len(out), len(out) + len(g)))
            out.extend(g)
        out = _link_parents(out, tokens, self._cues, text)
        for a, b in groups:
            # "بلدتي زور أبو زيد و زور العاصي في ريف حماة": the list shares the place its last item is in
            parent = out[b - 1].parent
            if parent is not None:
                for k in range(a, b - 1):
                    if out[k].parent is None:
                        out[k] = replace(out[k], parent=parent)
        return out

    def _local_or_foreign(self, m: PlaceMention, tokens: Sequence[Token], home: str | None) -> PlaceMention | None:
        """Drops a small foreign namesake named bare ("البشري", "عنه"); "منطقة العمارة" in a Syrian
        report is a local area the gazetteer does not know, not the Iraqi city."""
        cands = m.candidates or m.anchor
        if home is None or not cands or any(r.country == home for r in cands):
            return m
        cm = self._cues.match_at(tokens, m.first) if m.cue is not None else []
        if cm and cm[0].payload.value == "weak" and not any(r.source.startswith("curated") for r in cands):
            return replace(m, candidates=(), anchor=())
        if m.cue in (None, "direction", "region") and not any(_strong(r) for r in cands):
            return None
        return m

    def _is_reference(self, tokens: Sequence[Token], first: int) -> bool:
        """ "45 كم جنوب X", "نازحة من مدينة X", "ابن بلدة X": the place locates something else."""
        w = self._words

        def at(k: int) -> str:
            return tokens[k].text if 0 <= k < len(tokens) else ""

        p1, p2 = at(first - 1), at(first - 2)
        if p1 in w["units"] or p1 in w["origin_before"] or f"{p2} {p1}" in w["origin_before"]:
            return True
        if p1 in ("من", "عن") and p2:
            return any(f in w["units"] or f in w["origin"] for f in clitic_forms(p2))
        return False

    @staticmethod
    def _definite(tokens: Sequence[Token], start: int, i: int) -> bool:
        """ "المدينة", "للبلدة": a definite cue word refers back; it does not introduce a name."""
        prefix = tokens[i].text[:start - tokens[i].start]
        return prefix.endswith("ال") or prefix.endswith("لل")

    def _at(self, tokens: Sequence[Token], i: int, text: str | None) -> list[PlaceMention]:
        cm = self._cues.match_at(tokens, i)
        if cm:
            c = cm[0]
            cue: _Cue = c.payload
            if cue.cue == "direction" and cue.value not in ("edge", None) and not self._definite(tokens, c.start, i):
                return self._direction(tokens, c, text)
            if cue.cue in ("settlement", "neighbourhood", "facility", "region", "admin") \
                    and not self._definite(tokens, c.start, i):
                got = self._after_cue(tokens, c, text)
                if got:
                    return got
        return self._bare(tokens, i)

    def _bare(self, tokens: Sequence[Token], i: int) -> list[PlaceMention]:
        k = self._known(tokens, i)
        if k is None or not k.candidates:
            return []
        key = name_key(k.name)
        single = k.last - k.first == 1
        if key in self._words["common"] or norm(k.name) in self._words["common"]:
            return []
        if single and not any(r.source.startswith("curated") or r.population >= 5000 or r.kind == "admin1"
                              for r in k.candidates):
            return []
        if single and k.name.startswith("ال") and not any(
                norm(n).startswith("ال") for r in k.candidates for n in r.names if is_arabic_name(n)):
            return []  # "الخاطر الجاسم", "المسلخ البشري": a family name or adjective, not "جاسم" or "بشري"
        if all(r.id.startswith("country:") for r in k.candidates):
            return []  # a bare country name places nothing; "شمال سوريا" is read as a direction
        return [PlaceMention(k.first, k.last, k.start, k.end, k.name, None, _kind_of(k.candidates), k.candidates)]

    def _after_cue(self, tokens: Sequence[Token], c: Any, text: str | None) -> list[PlaceMention]:
        cue: _Cue = c.payload
        first_name = self._read_name(tokens, c.last, text, strip=False)
        if first_name is None:
            return []
        # "مخيم اليرموك", "جبل الأكراد": the cue word can be part of the name
        full = norm(" ".join(t.text for t in tokens[c.first:first_name.last]))
        full = full[c.start - tokens[c.first].start:]
        with_cue = self._gaz.lookup(full)
        if with_cue and cue.cue != "region" or with_cue and any(r.kind == "region" for r in with_cue):
            return [PlaceMention(c.first, first_name.last, c.start, first_name.end, full, cue.cue,
                                 _kind_of(with_cue), with_cue, marked=first_name.marked)]
        if cue.cue == "region" and cue.value != "weak":
            return self._region(tokens, c, first_name)
        if cue.value == "weak" and not (first_name.candidates or first_name.marked):
            return []
        kind = {"settlement": "populated", "admin": "admin1"}.get(cue.cue, cue.cue)
        if cue.cue == "admin":
            cands = tuple(r for r in first_name.candidates if r.kind == "admin1") or first_name.candidates
            if not cands:
                return []
            return [PlaceMention(c.first, first_name.last, first_name.start, first_name.end, first_name.name,
                                 cue.cue, kind, cands, marked=first_name.marked)]
        out = [self._mention(c.first, first_name, cue.cue, kind)]
        if cue.value == "many":
            j = first_name.last
            while j < len(tokens) and len(out) < 12:
                gap = self._gap(text, tokens, j)
                tok = tokens[j].text
                if tok == "و" and not gap.strip().strip("،,"):
                    nm = self._read_name(tokens, j + 1, text, strip=False)
                elif gap.strip() in ("", "،", ",") and tok.startswith("و") and len(tok) > 2:
                    nm = self._read_name(tokens, j, text, strip=True, listed=True)
                elif gap.strip() in ("،", ","):
                    nm = self._read_name(tokens, j, text, strip=False, listed=True)
                    # "قريتي سرحا والمستريحة، قصفا متبادلا": after a comma only a known name or one
                    # that the list goes on from is an item
                    if nm is not None and not (nm.candidates or nm.marked or self._list_goes_on(tokens, nm.last, text)):
                        nm = None
                else:
                    nm = None
                if nm is None:
                    break
                out.append(self._mention(j, nm, cue.cue, kind))
                j = nm.last
        return out

    def _list_goes_on(self, tokens: Sequence[Token], k: int, text: str | None) -> bool:
        if k >= len(tokens) or text is None:
            return True
        if _LIST_END.match(text, tokens[k - 1].end):
            return True
        tok = tokens[k].text
        return tok == "و" or tok.startswith("و") and len(tok) > 2 and self._gap(text, tokens, k) == " "

    @staticmethod
    def _mention(first: int, nm: _Name, cue: str, kind: str) -> PlaceMention:
        # the cue names the kind; a gazetteer town named after "حي" is still a neighbourhood here
        return PlaceMention(first, nm.last, nm.start, nm.end, nm.name, cue, kind, nm.candidates, marked=nm.marked)

    def _region(self, tokens: Sequence[Token], c: Any, anchor: _Name) -> list[PlaceMention]:
        """ "ريف حماة الشمالي", "بادية دير الزور": a region relative to a known place."""
        if not anchor.candidates:
            return []
        last, direction = anchor.last, None
        if last < len(tokens):
            dm = self._cues.match_at(tokens, last)
            if dm and dm[0].payload.cue == "direction" and tokens[last].text.startswith("ال"):
                direction, last = dm[0].payload.value, dm[0].last
        name = " ".join([tokens[c.first].text[c.start - tokens[c.first].start:],
                         *(t.text for t in tokens[c.first + 1:last])])
        return [PlaceMention(c.first, last, c.start, tokens[last - 1].end, name, "region", "region", (),
                             direction=direction, anchor=anchor.candidates)]

    def _direction(self, tokens: Sequence[Token], c: Any, text: str | None) -> list[PlaceMention]:
        """ "غربي درعا", "جنوب غرب دير الزور", "شمال سوريا"."""
        j = c.last
        if j >= len(tokens) or self._gap(text, tokens, j).strip():
            return []
        k = self._known(tokens, j)
        if k is None:
            return []
        if norm(k.name) in self._words["country_words"]:
            # "جنوب البلاد": the country the report is about, not a town called "البلاد"; ``find`` fills it in
            return [PlaceMention(c.first, k.last, k.start, k.end, k.name, "direction", "direction", (),
                                 direction=c.payload.value)]
        if norm(k.name) in self._words["common"] or name_key(k.name) in self._words["common"]:
            return []
        return [PlaceMention(c.first, k.last, k.start, k.end, k.name, "direction", "direction", k.candidates,
                             direction=c.payload.value, anchor=k.candidates)]


def _kind_of(cands: Sequence[PlaceRecord]) -> str:
    return cands[0].kind if cands else "populated"


def _strong(r: PlaceRecord) -> bool:
    """A record named often enough that finding it bare anywhere is plausible."""
    return r.source.startswith("curated") or r.kind == "admin1" or r.population >= _BIG_TOWN


def _home_country(mentions: Iterable[PlaceMention]) -> str | None:
    """The country most places the report names for certain lie in."""
    votes: Counter[str] = Counter()
    for m in mentions:
        cands = m.candidates or m.anchor
        countries = {r.country for r in cands}
        if len(countries) == 1 and any(_strong(r) for r in cands):
            c = next(iter(countries))
            if c:
                votes[c] += 1
    return votes.most_common(1)[0][0] if votes else None


_CONTAINERS = frozenset({"populated", "region", "admin1", "direction"})
_SPECIFICITY = {"neighbourhood": 0, "facility": 0, "populated": 1, "region": 2, "direction": 2, "admin1": 3}


def _link_parents(ms: list[PlaceMention], tokens: Sequence[Token], cues: PhraseMatcher[_Cue],
                  text: str | None) -> list[PlaceMention]:
    """ "حي الجورة في دير الزور": the neighbourhood's parent is the town right after it."""
    out = list(ms)
    for idx, m in enumerate(ms[:-1]):
        nxt = ms[idx + 1]
        gap = nxt.first - m.last
        if text is not None and text[m.end:nxt.start].strip(" #_\"“”«»'"):
            between = text[m.end:nxt.start]
            if any(ch in between for ch in "،,.;:!?()\n-–"):
                continue
        if gap > 2 or nxt.kind not in _CONTAINERS or _SPECIFICITY[m.kind] >= _SPECIFICITY[nxt.kind] + (
                1 if nxt.kind == "direction" else 0):
            continue
        if gap > 0:
            cm = cues.match_at(tokens, m.last)
            if not cm or cm[0].payload.cue not in ("preposition", "direction") or cm[0].last != nxt.first:
                if not (nxt.cue in ("settlement", "region", "admin", "direction") and gap <= 1):
                    continue
        out[idx] = replace(m, parent=idx + 1)
    return out


def dateline_index(text: str, mentions: Sequence[PlaceMention]) -> int | None:
    """The mention that opens a line as a dateline ("درعا – ...", "دير الزور (خاص) -")."""
    for idx, m in enumerate(mentions):
        if m.start > 400:
            break
        line_start = text.rfind("\n", 0, m.start) + 1
        if m.start - line_start <= 25 and _DATELINE_SEP.match(text, m.end):
            return idx
    return None


# -- context ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticlePlaces:
    """What the whole report says about where it is: governorate weights, focus town, known points."""

    admin1_weights: tuple[tuple[str, float], ...] = ()
    focus: PlaceRecord | None = None
    points: tuple[tuple[float, float], ...] = ()
    country: str | None = None

    @property
    def admin1(self) -> str | None:
        return self.admin1_weights[0][0] if self.admin1_weights else None

    def weight(self, admin1: str | None) -> float:
        total = sum(w for _, w in self.admin1_weights)
        if not admin1 or not total:
            return 0.0
        return next((w for a, w in self.admin1_weights if a == admin1), 0.0) / total

    @classmethod
    def from_mentions(cls, mentions: Sequence[PlaceMention], *,
                      dateline: PlaceMention | int | None = None) -> "ArticlePlaces":
        if isinstance(dateline, int):
            dateline = mentions[dateline] if 0 <= dateline < len(mentions) else None
        votes: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        points: dict[tuple[float, float], None] = {}  # distinct points, in order: resolution scans them
        focus: PlaceRecord | None = None
        for m in mentions:
            cands = m.candidates or m.anchor
            if not cands:
                continue
            top = _unambiguous(cands)
            w = 4.0 if m is dateline else 1.0
            if top is not None:
                if top.admin1:
                    votes[top.admin1] += w
                if top.country:
                    countries[top.country] += w
                if top.latitude is not None and top.longitude is not None:
                    if len(points) < _MAX_POINTS:
                        points.setdefault((round(top.latitude, 2), round(top.longitude, 2)))
                if top.kind == "populated" and (focus is None or m is dateline):
                    focus = top
            else:
                for a in {r.admin1 for r in cands if r.admin1}:
                    votes[a] += 0.25 * w
        if isinstance(dateline, PlaceMention):
            top = _unambiguous(dateline.candidates)
            if top is not None and top.kind == "populated":
                focus = top
        return cls(tuple(votes.most_common()), focus, tuple(points),
                   countries.most_common(1)[0][0] if countries else None)


def _unambiguous(cands: Sequence[PlaceRecord]) -> PlaceRecord | None:
    """The one place meant, when all candidates agree on a governorate (a town and its governorate do)."""
    if not cands:
        return None
    keys = {(r.country, r.admin1) for r in cands}
    return cands[0] if len(keys) == 1 else None


# -- resolution --------------------------------------------------------------------------


def _countries_regions() -> dict[str, str]:
    path = Path(str(resources.files("ahdath") / "data" / "countries.yaml"))
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {c["name"]: c["region"] for c in doc.get("countries", ())}
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return {}


def _shift(lat: float, lon: float, direction: str | None, km: float) -> tuple[float, float]:
    if direction not in _BEARING:
        return lat, lon
    b = math.radians(_BEARING[direction])
    dlat = km * math.cos(b) / 111.0
    dlon = km * math.sin(b) / (111.0 * max(0.2, math.cos(math.radians(lat))))
    return round(lat + dlat, 4), round(lon + dlon, 4)


@dataclass(frozen=True, slots=True)
class PlaceResolver:
    """Turns a mention into an ACLED ``Place`` using the report's context."""

    gazetteer: Gazetteer
    regions: dict[str, str] = field(default_factory=dict)  # country -> ACLED region
    default_country: str = "Syria"

    @classmethod
    def from_resources(cls, gazetteer: Gazetteer, lexicons: LexiconSet | None = None, *,
                       default_country: str = "Syria") -> "PlaceResolver":
        return cls(gazetteer, _countries_regions(), default_country)

    def choose(self, cands: Sequence[PlaceRecord], context: ArticlePlaces,
               kinds: frozenset[str] | None = None) -> PlaceRecord | None:
        """The candidate the context supports best (governorate in focus, nearby places, size)."""
        pool = [r for r in cands if kinds is None or r.kind in kinds] or list(cands)
        if not pool:
            return None
        home = context.country or self.default_country

        def score(r: PlaceRecord) -> float:
            s = 2.0 if r.country == home else 0.0
            s += 3.0 * context.weight(r.admin1)
            if r.latitude is not None and r.longitude is not None and context.points:
                d = min(distance_km(r.latitude, r.longitude, la, lo) for la, lo in context.points)
                s += 1.5 if d < 30 else 0.75 if d < _FAR_KM else 0.0
            s += 0.5 if r.source.startswith("curated") else 0.0
            return s + 0.1 * math.log10(r.population + 1)

        return max(pool, key=score)

    def resolve(self, mention: PlaceMention, context: ArticlePlaces,
                mentions: Sequence[PlaceMention] = ()) -> Place:
        parent = self._parent(mention, context, mentions)
        if mention.kind in ("neighbourhood", "facility"):
            return self._part_of(mention, context, parent)
        if mention.kind == "region" and not mention.candidates:
            return self._relative_region(mention, context)
        if mention.kind == "direction":
            return self._near(mention, context)
        rec = self.choose(mention.candidates, context)
        if rec is None or self._implausible(rec, mention, context, parent):
            return self._unresolved(mention, context, parent)
        if rec.kind in ("neighbourhood", "facility"):
            town = self.gazetteer.get(rec.parent_id) if rec.parent_id else None
            return self._place(town or rec, precision=2)
        if rec.kind == "admin1":
            return self._place(rec, precision=3, name_ar=rec.name_ar)
        if rec.kind == "region":
            return self._place(rec, precision=rec.precision or 2)
        return self._place(rec, precision=rec.precision or 1)  # curated villages placed approximately: 2

    def _parent(self, m: PlaceMention, context: ArticlePlaces, ms: Sequence[PlaceMention]) -> Place | None:
        if m.parent is None or not 0 <= m.parent < len(ms) or ms[m.parent] is m:
            return None
        return self.resolve(ms[m.parent], context, ())

    def _implausible(self, rec: PlaceRecord, m: PlaceMention, context: ArticlePlaces, parent: Place | None) -> bool:
        """A small village far from everything else the report names is more likely an unknown namesake."""
        if rec.kind != "populated" or rec.population >= 100000:
            return False
        ref_admin1 = parent.admin1 if parent is not None else context.admin1
        if ref_admin1 is None or rec.admin1 == ref_admin1:
            return False
        if parent is not None and not rec.source.startswith("curated"):
            return True  # "بلدة الزيارة بجبل التركمان": the place it is said to lie in wins over a namesake
        if context.weight(ref_admin1) < 0.5 and parent is None:
            return False
        if not context.points or rec.latitude is None or rec.longitude is None:
            return parent is not None
        d = min(distance_km(rec.latitude, rec.longitude, la, lo) for la, lo in context.points)
        return d > _FAR_KM

    def _part_of(self, m: PlaceMention, context: ArticlePlaces, parent: Place | None) -> Place:
        if parent is not None and parent.kind == "populated" and not parent.unresolved:
            return _replace(parent, geo_precision=max(2, parent.geo_precision))
        rec = self.choose([r for r in m.candidates if r.kind in ("neighbourhood", "facility", "populated")],
                          context)
        if rec is not None and rec.parent_id:
            town = self.gazetteer.get(rec.parent_id)
            if town is not None and (context.admin1 is None or town.admin1 == context.admin1
                                     or context.weight(town.admin1) > 0):
                return self._place(town, precision=2)
        if rec is not None and rec.kind == "populated" and m.cue == "facility":
            return self._place(rec, precision=2)  # "مطار حميميم": the facility of a known town
        if context.focus is not None:
            return self._place(context.focus, precision=2)
        return self._unresolved(m, context, parent)

    def _relative_region(self, m: PlaceMention, context: ArticlePlaces) -> Place:
        anchor = self.choose(m.anchor, context)
        if anchor is None:
            return self._unresolved(m, context, None)
        lat, lon = anchor.latitude, anchor.longitude
        if lat is not None and lon is not None:
            lat, lon = _shift(lat, lon, m.direction, _REGION_SHIFT_KM)
        return _replace(self._place(anchor, precision=3, name_ar=m.name), latitude=lat, longitude=lon,
                        kind="region", name_en=None, admin2=None, admin3=None, source=anchor.source)

    def _near(self, m: PlaceMention, context: ArticlePlaces) -> Place:
        rec = self.choose(m.candidates, context)
        if rec is None:
            return self._unresolved(m, context, None)
        if rec.kind == "populated":
            return self._place(rec, precision=2)
        if rec.kind in ("neighbourhood", "facility") and rec.parent_id:
            town = self.gazetteer.get(rec.parent_id)
            if town is not None:
                return self._place(town, precision=2)
        # "شمال سوريا", "شرقي حمص" meaning the governorate: a wide area, named as written
        words = {"N": "شمال", "S": "جنوب", "E": "شرق", "W": "غرب", "NE": "شمال شرق", "NW": "شمال غرب",
                 "SE": "جنوب شرق", "SW": "جنوب غرب"}
        written = rec.id.startswith("country:") and name_key(m.name) not in {name_key(n) for n in rec.names}
        label = f"{words.get(m.direction or '', '')} {m.name if written else rec.name_ar or m.name}".strip()
        return _replace(self._place(rec, precision=3, name_ar=label), kind="region")

    def _unresolved(self, m: PlaceMention, context: ArticlePlaces, parent: Place | None) -> Place:
        country = (parent.country if parent else None) or context.country or self.default_country
        kind = "populated" if m.kind == "populated" else "unknown"
        if parent is not None and parent.latitude is not None:
            near_town = parent.kind == "populated" and not parent.unresolved
            return Place(m.name, None, country, parent.iso, parent.region, parent.admin1,
                         parent.admin2 if near_town else None, None, parent.latitude, parent.longitude,
                         2 if near_town or parent.geo_precision <= 2 else 3, kind, parent.source, True)
        admin1 = context.admin1 if country == (context.country or self.default_country) else None
        rec = self.gazetteer.admin1(admin1) if admin1 else None
        iso = rec.iso if rec else None
        if iso is None:
            iso = next((r.iso for r in self.gazetteer.lookup(country) if r.country == country), None)
        return Place(m.name, None, country, iso, self.regions.get(country), admin1, None, None,
                     rec.latitude if rec else None, rec.longitude if rec else None, 3, kind,
                     rec.source if rec else None, True)

    def _place(self, r: PlaceRecord, *, precision: int, name_ar: str | None = None) -> Place:
        kind = r.kind if r.kind in ("populated", "region", "admin1", "admin2", "admin3") else "populated"
        return Place(name_ar or r.name_ar or r.name_en or "", r.name_en, r.country, r.iso,
                     self.regions.get(r.country or ""), r.admin1, r.admin2, r.admin3, r.latitude, r.longitude,
                     precision, kind, r.source, False)


def _replace(p: Place, **changes: Any) -> Place:
    return replace(p, **changes)
