"""Find place mentions in a report and resolve them to ACLED locations.

Finding reads three kinds of evidence: gazetteer names ("دير الزور"), cue
words followed by a name the gazetteer may not know ("قرية البغيلية",
"قرى #الشعثة و #القاهرة"), and region phrases ("ريف حماة الشمالي",
"غربي درعا"). Resolution picks among same-name candidates by the report's
context (governorate in focus, other places, dateline), never by first match,
and maps neighbourhoods and facilities to their town.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Iterable, NamedTuple, Sequence

from ahdath.frozen import evolve
from ahdath.geo import Gazetteer, PlaceRecord, name_key
from ahdath.geo.records import is_arabic_name
from ahdath.geo.sources import load_namewords
from ahdath.lexicon import LexiconSet, PhraseMatcher
from ahdath.resolve.containment import (home_country, kind_of, mention_parents, near_container, part_of_town,
                                        strong)
from ahdath.resolve.place_reread import PlaceRereading
from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms

_QUOTES_OPEN = "\"“«'‘"
_QUOTES_CLOSE = "\"”»'’"
_BEARING = {"N": 0, "NE": 45, "E": 90, "SE": 135, "S": 180, "SW": 225, "W": 270, "NW": 315}
_REGION_SHIFT_KM = 25.0  # "ريف X الشمالي": the countryside centre lies this far from X
_FAR_KM = 80.0
_MAX_POINTS = 64  # a report names few distinct places; a bound keeps huge inputs linear
_MEMO_LIMIT = 1 << 14  # names whose bare-mention verdict a finder remembers
_TEXT, _LAST = attrgetter("text"), attrgetter("last")
_LIST_END = re.compile(r"\s*(?:[،,.:;!?)\n\-–—]|$)")
_CLITIC_IN = "\u0628"  # the proclitic ba: "بريف حماة", "بالقنيطرة"
_LISTS = ("many", "two")  # cue words that introduce a list of places (a plural, a dual)
_new = tuple.__new__  # makes a named tuple without its Python-level __new__


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
    listing: bool = False  # named in "القرى هي X وY": the places of something the report told just before
    road: bool = False  # a town a road is named after ("طريق حلب - دمشق"): the scene only when no other is named
    site: bool = False  # a base, airport or field ("قاعدة العند"): a place of its own, not part of a town
    # introduced by a preposition of containment, the clitic "ب" or a bearing ("في القنيطرة", "بريف
    # حماة", "شمال مدينة حماة"): named right after another place, it says where that one lies
    inside: bool = False
    # a name the report introduced as a place with a settlement or area word, named again bare ("بلدتي
    # بريقة ... مفرزة الأمن في بريقة"): that place, though the gazetteer's namesakes lie abroad
    again: bool = False


@dataclass(frozen=True, slots=True)
class _Cue:
    cue: str
    value: str | None


class _Name(NamedTuple):
    """A name read from the text (a named tuple: reading tries many, most are dropped)."""

    first: int
    last: int
    start: int
    end: int
    name: str
    candidates: tuple[PlaceRecord, ...]
    marked: bool


class PlaceFinder(PlaceRereading):
    """Compiled once from the gazetteer and the ``placewords`` lexicon."""

    __slots__ = ("_gaz", "_cues", "_names", "_words", "_openers", "_bare_memo")

    def __init__(self, gazetteer: Gazetteer, cues: PhraseMatcher[_Cue], names: PhraseMatcher[str],
                 words: dict[str, frozenset[str]], openers: PhraseMatcher[None] | None = None) -> None:
        """``openers``: the cue phrases that can open a mention (all but prepositions); a
        token that starts none of them nor a gazetteer name starts no mention."""
        self._gaz = gazetteer
        self._cues = cues
        self._names = names
        self._words = words
        self._openers = openers if openers is not None else cues
        # (name, one word, id of its candidates) -> (those candidates, whether found bare it is a place)
        self._bare_memo: dict[tuple[str, bool, int], tuple[tuple[PlaceRecord, ...], bool]] = {}

    @classmethod
    def from_resources(cls, gazetteer: Gazetteer, lexicons: LexiconSet) -> "PlaceFinder":
        # country names and adjectives say what country the report is about (resolve.report_country),
        # never where something happened
        entries = [e for e in lexicons["placewords"].entries if e.get("cue") not in ("country", "nationality")]
        cues = PhraseMatcher((f, _Cue(str(e.get("cue")), e.get("value"))) for e in entries for f in e.forms)
        openers: PhraseMatcher[None] = PhraseMatcher(
            (f, None) for e in entries if e.get("cue") != "preposition" for f in e.forms)
        words = load_namewords()
        pairs: dict[str, str] = {}
        for r in gazetteer.records:
            for n in r.names:
                if not is_arabic_name(n):
                    continue  # (tested before normalizing: most spellings are English)
                f = norm(n)
                # "المدينة" is a town in Iraq, but in a report it means "the city"; Kurdish and
                # Persian spellings ("bەghdad") would match Arabic words that are not this place
                if len(f) >= 3 and f not in words["stop"]:
                    pairs.setdefault(f, name_key(f))
        # the near layer's villages: read bare only where the report places them (``_bare``)
        for n, key in gazetteer.near_names():
            if len(n) >= 3 and n not in words["stop"] and is_arabic_name(n):
                pairs.setdefault(n, key)
        return cls(gazetteer, cues, PhraseMatcher(pairs.items()), words, openers)

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
        name = norm(" ".join(map(_TEXT, tokens[m.first:m.last])))
        name = name[m.start - tokens[m.first].start:] if m.start > tokens[m.first].start else name
        return _new(_Name, (m.first, m.last, m.start, m.end, name, self._gaz.lookup(m.payload), False))

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
            return _new(_Name, (j, last, tokens[j].start, tokens[last - 1].end, words, self._gaz.lookup(words), True))
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
        return _new(_Name, (j, last, start, tokens[last - 1].end, name, self._gaz.lookup(name), False))

    def _cue_word(self, tokens: Sequence[Token], j: int) -> bool:
        """Token j is a place cue word ("وقرية", "بلدات", "ريف") that is not also a name head ("خربة")."""
        if j >= len(tokens):
            return False
        cm = self._cues.match_at(tokens, j)
        if not cm:
            return False
        if cm[0].payload.cue == "preposition" and self._definite(tokens, cm[0].start, j):
            return False  # "العند" is a name: a preposition ("عند") takes no article
        bare = cm[0].start == tokens[j].start and cm[0].last == j + 1
        return not (bare and tokens[j].text in self._words["heads"])

    # -- finding ------------------------------------------------------------------------

    @property
    def starters(self) -> tuple[PhraseMatcher[Any], ...]:
        """The matchers whose heads are where a mention may start (see ``find``)."""
        return self._openers, self._names

    def find(self, tokens: Sequence[Token], text: str | None = None,
             heads: Iterable[Sequence[int]] | None = None) -> list[PlaceMention]:
        """Place mentions in token order. Pass the normalized ``text`` to read quotes, hashtags and commas;
        ``heads``: the heads of each of ``starters`` in ``tokens``, when known."""
        found: list[list[PlaceMention]] = []
        i = 0
        # Only a cue word or the first word of a gazetteer name can start a mention. Where only
        # prepositions ("في", "قرب") start, ``_at`` finds their cue, no name, and nothing.
        if heads is None:
            heads = [m.heads(tokens) for m in self.starters]
        openers, names = heads
        starts = sorted({*openers, *names})
        opens = frozenset(openers)
        for j in starts:
            if j < i:
                continue  # inside the previous mention
            # where no cue word but a preposition may start, ``_at`` reads the name there
            got = self._at(tokens, j, text) if j in opens else self._bare(tokens, j, text)
            if got:
                found.append(got)
                i = max(map(_LAST, got))
            else:
                i = j + 1
        again = self._named_again(tokens, found) + self._referring_back(tokens, openers, found)
        if again:
            found = sorted(found + again, key=lambda g: g[0].first)
        home = home_country(m for g in found for m in g)
        out: list[PlaceMention] = []
        groups: list[tuple[int, int]] = []
        country = tuple(r for r in self._gaz.lookup(home) if r.id.startswith("country:")) if home else ()
        for group in found:
            g = []
            for m in group:
                if not m.candidates and m.cue == "direction":
                    m = evolve(m, candidates=country, anchor=country)
                m = self._local_or_foreign(m, tokens, home)
                if m is not None and (m.candidates or m.cue != "direction"):
                    g.append(m)
            if not g:
                continue
            if self._is_reference(tokens, g[0].first):
                g = [evolve(m, reference=True) for m in g]
            groups.append((len(out), len(out) + len(g)))
            out.extend(g)
        parents = mention_parents(out, tokens, self._cues, text)
        for a, b in groups:
            # "بلدتي زور أبو زيد و زور العاصي في ريف حماة": the list shares the place its last item is in
            parent = parents[b - 1]
            if parent is not None:
                for k in range(a, b - 1):
                    if parents[k] is None:
                        parents[k] = parent
        # a name named again lies where its introduction was put ("بلدتي بريقة بريف القنيطرة ... في بريقة")
        put = {}
        for k, m in enumerate(out):
            if not m.again and parents[k] is not None:
                put.setdefault(m.name, parents[k])
        for k, m in enumerate(out):
            if m.again and parents[k] is None and m.name in put:
                parents[k] = put[m.name]
        # each mention amended once, with all it was found to be
        for k, m in enumerate(out):
            inside = self._introduced_inside(tokens, m)
            if inside or parents[k] != m.parent:
                out[k] = evolve(m, inside=True, parent=parents[k]) if inside else evolve(m, parent=parents[k])
        return out

    def _introduced_inside(self, tokens: Sequence[Token], m: PlaceMention) -> bool:
        """A preposition of containment or a bearing just before the mention, or "ب" among the clitics
        of its first word."""
        for k in (m.first - 1, m.first - 2):
            before = self._cues.match_at(tokens, k) if k >= 0 else []
            if before and before[0].last == m.first and (
                    before[0].payload.cue == "preposition" and before[0].payload.value == "in"
                    or before[0].payload.cue == "direction"):
                return True
        if m.first >= len(tokens):
            return False
        tok = tokens[m.first]
        start = m.start
        if not tok.start <= start < tok.end:  # the mention starts with a cue word: the cue's own start
            cm = self._cues.match_at(tokens, m.first)
            start = cm[0].start if cm else tok.start
        return _CLITIC_IN in tok.text[:start - tok.start]

    def _local_or_foreign(self, m: PlaceMention, tokens: Sequence[Token], home: str | None) -> PlaceMention | None:
        """Drops a small foreign namesake named bare ("البشري", "عنه"), but for a name the report has
        introduced as a place (``again``: "بلدتي بريقة ... في بريقة" is the town both times);
        "منطقة العمارة" in a Syrian report is a local area the gazetteer does not know, not the Iraqi city."""
        cands = m.candidates or m.anchor
        if home is None or not cands or any(r.country == home for r in cands):
            return m
        cm = self._cues.match_at(tokens, m.first) if m.cue is not None else []
        if all(map(self._gaz.lookup_only, cands)):
            # a village the community layer knows abroad: a place of this report's country the
            # gazetteer does not know, kept as written ("أم القرى" in a Sudanese report)
            return evolve(m, candidates=(), anchor=())
        if cm and cm[0].payload.value == "weak" and not any(r.source.startswith("curated") for r in cands):
            return evolve(m, candidates=(), anchor=())
        if m.cue in (None, "direction", "region") and not any(strong(r) for r in cands) \
                and not m.again:
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
            if cue.cue == "road" and not self._definite(tokens, c.start, i):
                return self._road(tokens, c, text)
            if cue.cue != "preposition" and cue.value in _LISTS and self._definite(tokens, c.start, i) \
                    and c.last < len(tokens) \
                    and tokens[c.last].text in self._words["copulas"]:
                # "فإن القرى هي نسرية ودوكان": the definite plural refers back, and its list names the places
                return [evolve(p, listing=True) for p in self._after_cue(tokens, c, text)]
        return self._bare(tokens, i, text)

    def _bare(self, tokens: Sequence[Token], i: int, text: str | None = None) -> list[PlaceMention]:
        k = self._known(tokens, i)
        if k is None or not k.candidates:
            return []
        if all(map(self._gaz.lookup_only, k.candidates)):
            # a village only the community layer knows (many are common words: "مسجد", "الصحية"): a
            # place when the report puts it at once in a known place near it ("في زاما بريف جبلة")
            container = self._container(tokens, k, text)
            near = near_container(k.candidates, container)
            if not near or norm(k.name) in self._words["common"] or part_of_town(near, container):
                return []
            return [PlaceMention(k.first, k.last, k.start, k.end, k.name, None, "populated", near)]
        # the verdict depends on the name and its candidates only: reached once per name
        memo_key = (k.name, k.last - k.first == 1, id(k.candidates))
        known = self._bare_memo.get(memo_key)
        if known is None or known[0] is not k.candidates:  # the tuple is kept: its id stays its own
            known = (k.candidates, self._bare_verdict(k.name, k.candidates, memo_key[1]))
            if len(self._bare_memo) >= _MEMO_LIMIT:
                self._bare_memo.clear()
            self._bare_memo[memo_key] = known
        if not known[1]:
            return []
        return [PlaceMention(k.first, k.last, k.start, k.end, k.name, None, kind_of(k.candidates), k.candidates)]

    def _bare_verdict(self, name: str, candidates: tuple[PlaceRecord, ...], single: bool) -> bool:
        """Whether a gazetteer name found without a cue word is a place mention."""
        if name_key(name) in self._words["common"] or norm(name) in self._words["common"]:
            return False
        if single and not any(r.source.startswith("curated") or r.population >= 5000 or r.kind == "admin1"
                              for r in candidates):
            return False
        if single and name.startswith("ال") and not any(
                norm(n).startswith("ال") for r in candidates for n in r.names if is_arabic_name(n)):
            return False  # "الخاطر الجاسم", "المسلخ البشري": a family name or adjective, not "جاسم" or "بشري"
        # a bare country name places nothing; "شمال سوريا" is read as a direction
        return not all(r.id.startswith("country:") for r in candidates)

    def _after_cue(self, tokens: Sequence[Token], c: Any, text: str | None) -> list[PlaceMention]:
        cue: _Cue = c.payload
        at, listed = c.last, False
        if cue.value in _LISTS and at < len(tokens):
            # "خمس قرى هي نسرية ودوكان", "قرى من بينها ...": the list follows the copula
            words = self._words["copulas"]
            if tokens[at].text == "من" and at + 1 < len(tokens) and tokens[at + 1].text in words:
                at += 2
            elif tokens[at].text in words:
                at += 1
            # "قرى: الشعثة، القاهرة", "بلدات (كفرنبل وحاس)": the list opens after a colon or a bracket
            listed = at > c.last or self._gap(text, tokens, at).strip() in ("(", ":")
        elif cue.cue == "region" and cue.value != "weak" and at < len(tokens):
            # "ريف مدينة القامشلي", "ريف بلدة سراقب", "ريف محافظة إدلب": the word that says what the
            # town is stands between the countryside and its town's name, as in "مدينة القامشلي"
            inner = self._cues.match_at(tokens, at)
            if inner and inner[0].payload.cue in ("settlement", "admin") and inner[0].payload.value not in _LISTS \
                    and inner[0].start == tokens[at].start and not self._gap(text, tokens, at).strip():
                at = inner[0].last
        first_name = self._read_name(tokens, at, text, strip=False, listed=listed)
        if first_name is None:
            return []
        if cue.cue in ("facility", "neighbourhood") and first_name.candidates \
                and all(map(self._gaz.lookup_only, first_name.candidates)):
            # "مشفى الأسد", "حي الشهداء": a site or a quarter named like some village elsewhere is not it
            first_name = first_name._replace(candidates=())
        if cue.cue == "facility" and tokens[first_name.first].text.startswith("ل") and not first_name.marked \
                and not (first_name.name.startswith("ل") and first_name.candidates):
            return []  # "حاجز لقسد", "قاعدة للتحالف": whose post it is, not its name (a known "ل…" town aside)
        # "مخيم اليرموك", "جبل الأكراد": the cue word can be part of the name
        full = norm(" ".join(map(_TEXT, tokens[c.first:first_name.last])))
        full = full[c.start - tokens[c.first].start:]
        # (only a name the main records know: a district's formal name, "مدينة إدلب", is the city's)
        with_cue = tuple(r for r in self._gaz.lookup(full) if not self._gaz.lookup_only(r))
        if with_cue and cue.cue != "region" or with_cue and any(r.kind == "region" for r in with_cue):
            return [PlaceMention(c.first, first_name.last, c.start, first_name.end, full, cue.cue,
                                 kind_of(with_cue), with_cue, marked=first_name.marked)]
        if cue.cue == "region" and cue.value != "weak":
            # "ريف دمشق" is a governorate of its own (Rural Damascus), not the city's countryside
            own = tuple(r for r in with_cue if r.kind == "admin1")
            return self._region(tokens, c, first_name._replace(candidates=own) if own else first_name)
        if cue.value == "weak" and not (first_name.candidates and not all(map(self._gaz.lookup_only, first_name.candidates))
                                         or first_name.marked or self._placed_in(tokens, first_name, text)):
            return []  # (a name only a lookup-only layer knows is no more a place after a weak word)
        kind = {"settlement": "populated", "admin": "admin1"}.get(cue.cue, cue.cue)
        if cue.cue == "admin":
            cands = tuple(r for r in first_name.candidates if r.kind == "admin1") or first_name.candidates
            if not cands and cue.value != "admin1":
                # "مديرية مودية": a district the gazetteer does not know is still where it happened
                return [PlaceMention(c.first, first_name.last, first_name.start, first_name.end, first_name.name,
                                     "region", "region", (), marked=first_name.marked)]
            if not cands:
                return []
            return [PlaceMention(c.first, first_name.last, first_name.start, first_name.end, first_name.name,
                                 cue.cue, kind, cands, marked=first_name.marked)]
        if cue.value == "site" and not first_name.candidates and first_name.last - first_name.first > 1 \
                and self._qualified(tokens, first_name.last - 1):
            # "مطار بنينا الدولي": the adjective read into the name says what the site is
            short = first_name.last - 1
            name = " ".join(t.text for t in tokens[first_name.first:short])
            first_name = first_name._replace(last=short, end=tokens[short - 1].end, name=name,
                                             candidates=self._gaz.lookup(name))
            site = True
        else:
            site = cue.value == "site" and bool(first_name.candidates or first_name.marked
                                                or self._qualified(tokens, first_name.last)
                                                or self._placed_in(tokens, first_name, text))
        out = [self._mention(c.first, first_name, cue.cue, kind)]
        if site:
            out = [evolve(out[0], site=True)]
        if cue.value in _LISTS:
            j = first_name.last
            while j < len(tokens) and len(out) < (2 if cue.value == "two" else 12):
                # quotes and brackets around the items do not part them ("قرى "الشعثة" و"القاهرة""); a
                # dash joins them like a comma ("بلدات كفرنبل - حاس - كفرسجنة")
                raw = self._gap(text, tokens, j).strip().strip(_QUOTES_OPEN + _QUOTES_CLOSE + "()").strip()
                gap = "،" if raw in ("-", "–", "—") else raw
                tok = tokens[j].text
                if tok == "و" and not gap.strip().strip("،,"):
                    nm = self._read_name(tokens, j + 1, text, strip=False)
                elif gap.strip() in ("", "،", ",") and tok.startswith("و") and len(tok) > 2:
                    nm = self._read_name(tokens, j, text, strip=True, listed=True)
                    # "مدينتي طرطوس واللاذقية، وفق القناة": after a comma only a known name or one the
                    # list goes on from is an item
                    if nm is not None and gap.strip() and not (nm.candidates or nm.marked
                                                              or self._list_goes_on(tokens, nm.last, text)):
                        nm = None
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


# Resolution lives beside finding, and the dateline rule in ``containment``; re-exported so
# ``ahdath.resolve.places`` stays the one entry point.
from ahdath.resolve.containment import dateline_index  # noqa: E402, F401
from ahdath.resolve.place_context import ArticlePlaces, PlaceResolver  # noqa: E402, F401
