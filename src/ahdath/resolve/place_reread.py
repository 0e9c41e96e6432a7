"""Second readings of a report's places: what a first pass over cue words and gazetteer names misses.

A name the report introduced with a cue word comes back bare ("داخل أم القرى"); a definite
settlement word refers back to the place last introduced with it ("في محيط القرية"); an unknown
name after a generic area word is a place when the report places it at once ("منطقة يارون بجنوب
لبنان"); a site's adjective says it is a base or an airport ("قاعدة العند العسكرية"); a road is
named after the towns it joins ("طريق حلب - دمشق"); and a place inside a phrase that names no
actor in the report's country is a place again ("ولاية الجزيرة" in Sudan).

``PlaceRereading`` is a mixin of ``ahdath.resolve.places.PlaceFinder``: it uses the finder's cue
matcher, name words and readers.
"""
from __future__ import annotations

from itertools import compress, count, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Sequence

from ahdath.frozen import evolve
from ahdath.resolve.containment import kind_of
from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms

if TYPE_CHECKING:  # the finder imports this module: its types only for annotations
    from ahdath.resolve.places import PlaceMention, _Name

_REFER_BACK = 120  # tokens over which "القرية" still refers to the village last named
_TEXT = itemgetter(0)  # a Token's text


class PlaceRereading:
    """Readings that need the finder's first pass, or its readers, to find more (a mixin)."""

    __slots__ = ()
    _cues: Any
    _words: Any
    _gaz: Any

    def _named_again(self, tokens: Sequence[Token], found: Sequence[Sequence[PlaceMention]]
                     ) -> list[list[PlaceMention]]:
        """ "استعادة السيطرة على منطقة أم القرى ... داخل أم القرى": a name the report has introduced as a
        place with a cue word is that place when it comes back bare after a preposition, though the
        gazetteer does not know it, or knows only as a village too small to be matched bare ("بلدتي بريقة
        وبئر عجم ... مفرزة الأمن في بريقة"). A name matched bare is taken already where it comes back."""
        names: dict[str, list[PlaceMention]] = {}
        for g in found:
            for m in g:
                if m.cue not in ("settlement", "region", "admin") \
                        or m.reference or (" " not in m.name and m.name in self._words["common"]):
                    continue
                names.setdefault(m.name.split()[0], []).append(m)
        if not names:
            return []
        taken = {i for g in found for m in g for i in range(m.first, m.last)}
        out: list[list[PlaceMention]] = []
        firsts = tuple(names)
        # only words that end with a name's first word can start it again (C functions over the words)
        for k in compress(count(), map(str.endswith, map(_TEXT, tokens), repeat(firsts))):
            tok = tokens[k]
            if k in taken:
                continue
            for f in clitic_forms(tok.text):
                for m in names.get(f, ()):
                    words = m.name.split()
                    last = k + len(words)
                    if last > len(tokens) or any(t.text != w for t, w in zip(tokens[k + 1:last], words[1:])) \
                            or any(i in taken for i in range(k, last)):
                        continue
                    # after "في", "داخل" ... or a preposition's clitic ("بأم القرى"), never the article's
                    clitics = tok.text[:len(tok.text) - len(f)] if tok.text.endswith(f) else "ال"
                    before = self._cues.match_at(tokens, k - 1) if k > 0 else []
                    prep = (bool(clitics) and "ال" not in clitics and not clitics.endswith("لل")) \
                        or bool(before) and before[0].payload.cue == "preposition"
                    if prep:
                        start = tok.end - len(f)
                        out.append([_places().PlaceMention(k, last, start, tokens[last - 1].end, m.name, None,
                                                           m.kind, m.candidates, site=m.site, again=True)])
                        taken.update(range(k, last))
                        break
                else:
                    continue
                break
        return out

    def _referring_back(self, tokens: Sequence[Token], starts: Sequence[int],
                        found: Sequence[Sequence[PlaceMention]]) -> list[list[PlaceMention]]:
        """ "قرب قرية تل العيد ... استهدفت موقعا في محيط القرية": a definite settlement word after a
        preposition refers back to the last place the report introduced with the same word.
        ``starts``: the tokens where a place cue word other than a preposition may start."""
        named = [(m.first, self._cues.match_at(tokens, m.first), m) for g in found for m in g
                 if m.cue == "settlement" and not m.reference and m.first < len(tokens)]
        if not named:
            return []
        taken = {i for g in found for m in g for i in range(m.first, m.last)}
        out: list[list[PlaceMention]] = []
        for k in starts:
            if k in taken or k == 0:
                continue
            cm = self._cues.match_at(tokens, k)
            if not cm or cm[0].payload.cue != "settlement" or cm[0].payload.value in ("many", "two") \
                    or not self._definite(tokens, cm[0].start, k):
                continue
            before = self._cues.match_at(tokens, k - 1)
            placed = tokens[k].text.startswith(("بال", "في")) or bool(before) and before[0].payload.cue in (
                "preposition", "direction")
            nxt = tokens[cm[0].last].text if cm[0].last < len(tokens) else ""
            if not placed or nxt.startswith("ال") and nxt in self._words["stop"]:
                continue  # "القرية المجاورة", "البلدة الأخرى": another village than the one named
            back = [m for first, mm, m in named if first < k and k - first <= _REFER_BACK
                    and mm and mm[0].form == cm[0].form]
            if back:
                m = back[-1]
                out.append([_places().PlaceMention(k, cm[0].last, cm[0].start, cm[0].end, m.name, None, m.kind,
                                                   m.candidates, anchor=m.anchor, marked=m.marked)])
        return out

    def release(self, tokens: Sequence[Token], places: Sequence[PlaceMention], before: Sequence[Any],
                after: Sequence[Any]) -> tuple[PlaceMention, ...]:
        """``places`` once the actor mentions ``before`` have been narrowed to ``after`` (the report's
        country known): a place inside a phrase that names no actor there ("ولاية الجزيرة" in Sudan,
        a state, not the Islamic State's province) is read again as a place."""
        kept = {i for a in after for i in range(a.first, a.last)}
        gone = {i for a in before for i in range(a.first, a.last)} - kept
        if not gone:
            return tuple(places)
        return tuple(evolve(p, reference=self._is_reference(tokens, p.first))
                     if p.reference and p.first in gone and p.last - 1 in gone else p for p in places)

    def _placed_in(self, tokens: Sequence[Token], nm: _Name, text: str | None) -> bool:
        """ "منطقة يارون بجنوب لبنان", "منطقة العيث بقضاء الدور": an unknown name after a generic area
        word is a place when the report places it at once in another ("ب"/"في" and a place word or
        a known name), an adjective of the area aside. An indefinite adjective ("مناطق متفرقة بريف
        حماة") is not a name."""
        k = nm.last
        if k >= len(tokens) or nm.marked or self._gap(text, tokens, k) != " ":
            return False
        if not nm.name.startswith("ال") and nm.name[-1] in "هة":
            return False
        if self._qualified(tokens, k) and k + 1 < len(tokens) and self._gap(text, tokens, k + 1) == " ":
            k += 1  # "منطقة وادي الخيام الحدودية جنوب البلاد": an adjective of the area before where it lies
        k = self._placing(tokens, k)
        if k is None:
            return False
        cm = self._cues.match_at(tokens, k)
        if cm and cm[0].payload.cue in ("direction", "region", "admin", "settlement"):
            return True
        known = self._known(tokens, k)
        return known is not None and bool(known.candidates)

    def _container(self, tokens: Sequence[Token], nm: _Name, text: str | None) -> tuple[Any, ...]:
        """ "في زاما بريف جبلة", "قرية X شرق حماة", "X في منطقة جبل الأكراد": the known places the report
        puts the name in, right after it ("ب"/"في" and a place word or a known name, or a bearing);
        () when it puts it in none the gazetteer knows."""
        k = nm.last
        if k >= len(tokens) or self._gap(text, tokens, k) != " ":
            return ()
        k = self._placing(tokens, k)
        if k is None:
            return ()
        # past a place word ("بريف", "في منطقة", "بمحافظة") to the name it heads
        for _ in range(2):
            cm = self._cues.match_at(tokens, k)
            if cm and cm[0].payload.cue in ("region", "admin", "settlement", "direction") and cm[0].last < len(tokens):
                k = cm[0].last
        known = self._known(tokens, k)
        return known.candidates if known is not None else ()

    def _placing(self, tokens: Sequence[Token], k: int) -> int | None:
        """Where the place a name is put in begins, when token ``k`` (right after the name) puts it in
        one: a bearing ("شرق ولاية الجزيرة": after it), "في" (after it), the clitic "ب" ("بريف": that
        word); None otherwise."""
        word = tokens[k].text
        cm = self._cues.match_at(tokens, k)
        if cm and cm[0].payload.cue == "direction" and cm[0].payload.value not in ("edge", None) \
                and not word.startswith("ال") and cm[0].last < len(tokens):
            return cm[0].last
        if word == "في" and k + 1 < len(tokens):
            return k + 1
        return k if word.startswith("ب") and len(word) > 2 else None

    @staticmethod
    def _qualified(tokens: Sequence[Token], k: int) -> bool:
        """ "قاعدة العند العسكرية", "مطار معيتيقة الدولي": a definite nisba adjective after a site's name
        says what kind of site it is ("قاعدة السلطة للأسد" is a figure of speech, not a base)."""
        if k >= len(tokens):
            return False
        w = tokens[k].text
        return w.startswith("ال") and len(w) > 4 and (w.endswith("يه") or w.endswith("ي"))

    def _road(self, tokens: Sequence[Token], c: Any, text: str | None) -> list[PlaceMention]:
        """ "طريق حلب - دمشق", "أوتوستراد دمشق حمص": the known towns a road is named after. A settlement
        word after it ("طريق قرية X") names the village whose road it is: read as usual."""
        j, out = c.last, []
        if j < len(tokens) and tokens[j].text in self._words["stop"] and not self._gap(text, tokens, j).strip():
            j += 1  # "طريق عام بنت جبيل", "الطريق الدولي حمص - دمشق": a word about the road, not its end
        while j < len(tokens) and len(out) < 2:
            gap = self._gap(text, tokens, j)
            if gap.strip(" -–—") or self._cue_word(tokens, j):
                break
            if out and not (set(gap) & set("-–—")) and text is not None:
                # "أوتوستراد دمشق حمص": two known towns side by side; unknown ones need the dash
                k = self._known(tokens, j)
                nm = k if k is not None and k.candidates else None
            else:
                k = self._known(tokens, j)
                nm = k if k is not None and k.candidates else self._read_name(tokens, j, text, strip=False,
                                                                              listed=bool(out))
            if nm is None or norm(nm.name) in self._words["common"]:
                break
            places = _places()
            out.append(places.PlaceMention(j, nm.last, nm.start, nm.end, nm.name, None,
                                           kind_of(nm.candidates), nm.candidates, road=True))
            j = nm.last
        # one town: the road is that town's ("طريق عام بنت جبيل"), and the town the scene; a name the
        # gazetteer does not know is a road's end only as one of a pair ("طريق A - B")
        if len(out) == 1:
            return [evolve(out[0], road=False)] if out[0].candidates else []
        return out


def _places() -> Any:
    """``ahdath.resolve.places``, which imports this module (so it is read at call time)."""
    from ahdath.resolve import places

    return places
