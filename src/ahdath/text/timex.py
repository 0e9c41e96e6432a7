"""Time expressions in normalized text.

Words come from the ``time`` lexicon (months in several dialects, weekdays,
relative days, parts of the day, day ordinals, modifiers); digits are read
here. Adjacent time words form one expression ("صباح اليوم السبت الرابع عشر
من مايو أيار الجاري"); what each expression means on the calendar is
``ahdath.resolve.dates``' job.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Iterable, NamedTuple, Sequence

from ahdath.lexicon.loader import LexiconSet
from ahdath.lexicon.matcher import PhraseMatcher
from ahdath.text.tokens import Token

_new = tuple.__new__  # makes a named tuple without its Python-level __new__
_TEXT = itemgetter(0)  # a Token's text
_FIRST_CHAR = itemgetter(0)  # a word's first character
# Value codes of the time lexicon (documented at the top of time.yaml).
_DAYPARTS = {1: "dawn", 2: "morning", 3: "noon", 4: "afternoon", 5: "evening", 6: "night"}
_UNITS = {"relative_week": "week", "relative_month": "month"}
MOD_PAST, MOD_CURRENT, MOD_FUTURE, MOD_NARRATIVE, MOD_CONNECTOR = -1, 0, 1, 2, 5
YEAR_WORD, YEAR_HIJRI = 0, 2
_YEAR_LO, _YEAR_HI = 1900, 2100
_HIJRI_LO, _HIJRI_HI = 1300, 1600
_MONTHS = ("month", "hijri_month")


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """One time expression; which fields are set says what the text gave."""

    first: int  # token range [first, last)
    last: int
    start: int  # normalized offsets
    end: int
    day: int | None
    month: int | None
    year: int | None
    weekday: int | None  # Monday=0 .. Sunday=6
    offset_days: int | None  # 0 today, -1 yesterday ...
    unit: str | None  # None (a day) | 'week' | 'month' | 'year' for vague periods
    daypart: str | None
    future: bool
    explicit_past: bool
    anchor: int | None = None  # 1 start, 2 middle, 3 end of the period ("منتصف الشهر")
    hijri: bool = False  # day/month (and year) are Hijri
    current: bool = False  # "الجاري/الحالي": the period that contains the publication date


class _Atom(NamedTuple):
    """One time word, number or numeric date (a named tuple: a report has many, and they are cheap)."""

    first: int
    last: int
    start: int
    end: int
    kind: str  # a time lexicon kind, "num" (digits) or "numdate" ("2019/06/15")
    value: int
    ambiguous: bool = False
    ymd: tuple[int, int, int] | None = None


class _Draft:
    """Fields of the expression being read; lives for one ``find`` call.

    Unset fields fall back to the class defaults, so a draft costs one attribute to
    start (a report starts dozens, most of which stay empty).
    """

    day: int | None = None
    month: int | None = None
    month_kind: str | None = None
    year: int | None = None
    weekday: int | None = None
    offset: int | None = None
    unit: str | None = None
    daypart: str | None = None
    mod: int | None = None
    anchor: int | None = None
    partner = False
    ambiguous = False
    drop = False
    hijri_year = False
    year_word = False

    def __init__(self) -> None:
        self.atoms: list[_Atom] = []

    def core(self) -> bool:
        return not (self.day is None and self.month is None and self.year is None and self.weekday is None
                    and self.offset is None and self.unit is None)

    def valid(self) -> bool:
        if self.drop or self.mod == MOD_NARRATIVE or not self.atoms:
            return False
        if self.offset is not None or self.weekday is not None or self.year is not None:
            return True
        if self.month is not None:
            if self.day is not None:
                return True
            if self.month_kind == "hijri_month":
                return False
            return not self.ambiguous or self.partner or self.mod is not None or self.anchor is not None
        if self.unit is not None:
            return self.mod is not None or self.anchor is not None
        return False

    def build(self) -> TimeExpr:
        atoms = self.atoms
        hijri = self.month_kind == "hijri_month"
        # a Hijri year next to a Gregorian month is a typo we cannot repair
        year = None if self.hijri_year and not hijri else self.year
        return TimeExpr(
            min(a.first for a in atoms), max(a.last for a in atoms),
            min(a.start for a in atoms), max(a.end for a in atoms),
            self.day if self.month is not None else None, self.month, year, self.weekday, self.offset,
            self.unit, self.daypart,
            future=(self.offset is not None and self.offset > 0) or self.mod == MOD_FUTURE,
            explicit_past=self.mod == MOD_PAST,
            anchor=self.anchor,
            hijri=hijri,
            current=self.mod == MOD_CURRENT,
        )


def _is_year(a: _Atom) -> bool:
    return a.kind == "num" and _YEAR_LO <= a.value <= _YEAR_HI


def _is_day(a: _Atom) -> bool:
    return (a.kind == "day_ordinal" or (a.kind == "num" and a.end - a.start <= 2)) and 1 <= a.value <= 31


def _numeric_date(tokens: Sequence[Token], i: int) -> tuple[int, tuple[int, int, int]] | None:
    """(tokens used, (day, month, year)) for "2019/06/15", "15-6-2019", "15.6.2019" at token ``i``."""
    t = tokens[i].text
    if "." in t:
        parts, used = t.split("."), 1
    else:
        if i + 2 >= len(tokens):
            return None
        trio = tokens[i:i + 3]
        # one separator character between the parts: "15 - 6 - 2019" is too loose to trust
        if not all(trio[k + 1].start - trio[k].end == 1 for k in range(2)):
            return None
        parts, used = [x.text for x in trio], 3
    if len(parts) != 3 or not all(p.isdecimal() for p in parts):
        return None
    if len(parts[0]) == 4 and len(parts[1]) <= 2 and len(parts[2]) <= 2:
        y, m, d = (int(p) for p in parts)
    elif len(parts[2]) == 4 and len(parts[0]) <= 2 and len(parts[1]) <= 2:
        d, m, y = (int(p) for p in parts)
    else:
        return None
    if not (_YEAR_LO <= y <= _YEAR_HI and 1 <= m <= 12 and 1 <= d <= 31):
        return None
    return used, (d, m, y)


class TimexFinder:
    """Finds time expressions; immutable after ``from_lexicons``."""

    __slots__ = ("_matcher", "_mute")

    def __init__(self, matcher: PhraseMatcher[tuple[str, int, bool]],
                 payloads: Iterable[tuple[str, int, bool]] = ()) -> None:
        self._matcher = matcher
        # Payloads of the words that make no expression on their own ("صباح", "العام", "منذ"),
        # found by reading each alone (where a lone word stands does not change what it says).
        # Most groups are one such word; ``find`` skips them, as it skips a lone number.
        mute = set()
        for payload in set(payloads):
            out: list[TimeExpr] = []
            self._read_group([_Atom(0, 1, 0, 1, *payload)], out)
            if not out:
                mute.add(payload)
        self._mute = frozenset(mute)

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "TimexFinder":
        pairs = [(form, (str(e.get("kind")), int(e.get("value")), e.id.endswith("_ambiguous")))
                 for e in lexicons["time"].entries for form in e.forms]
        return cls(PhraseMatcher(pairs), (p for _, p in pairs))

    def starts(self, word: str) -> bool:
        """Whether a time expression may start at ``word``: a number or a time word."""
        return word[:1].isdecimal() or self._matcher.can_start(word)

    def find(self, tokens: Sequence[Token], heads: Iterable[int] | None = None) -> list[TimeExpr]:
        """Every time expression in ``tokens``, left to right; ``heads``: the indexes of the tokens
        that ``starts`` (in order), when a ``PhraseScan`` has found them already."""
        out: list[TimeExpr] = []
        groups: list[list[_Atom]] = []
        for atom in self._atoms(tokens, heads):
            if groups and atom.first == groups[-1][-1].last:
                groups[-1].append(atom)
            else:
                groups.append([atom])
        mute = self._mute
        for g in groups:
            if len(g) == 1:
                a = g[0]
                if a.kind == "num" or (a.kind, a.value, a.ambiguous) in mute:
                    continue  # a lone number or mute word: no expression
            self._read_group(g, out)
        return out

    def _atoms(self, tokens: Sequence[Token], heads: Iterable[int] | None) -> list[_Atom]:
        atoms: list[_Atom] = []
        matcher = self._matcher
        if heads is None:  # only digits and words that start a time phrase can start an atom
            digits = compress(range(len(tokens)), map(str.isdecimal, map(_FIRST_CHAR, map(_TEXT, tokens))))
            heads = sorted({*matcher.heads(tokens), *digits})
        i = 0
        for j in heads:
            if j < i:
                continue  # inside the previous atom
            i = j
            tok = tokens[i]
            if tok.text[0].isdecimal():
                nd = _numeric_date(tokens, i)
                if nd is not None:
                    used, ymd = nd
                    atoms.append(_Atom(i, i + used, tok.start, tokens[i + used - 1].end, "numdate", 0, ymd=ymd))
                    i += used
                    continue
                if tok.text.isdecimal() and len(tok.text) <= 4:
                    atoms.append(_new(_Atom, (i, i + 1, tok.start, tok.end, "num", int(tok.text), False, None)))
                i += 1
                continue
            ms = matcher.match_at(tokens, i)
            if not ms:
                i += 1
                continue
            m = ms[0]
            kind, value, ambiguous = m.payload
            atoms.append(_new(_Atom, (m.first, m.last, m.start, m.end, kind, value, ambiguous, None)))
            i = m.last
        return atoms

    def _read_group(self, g: list[_Atom], out: list[TimeExpr]) -> None:
        d = _Draft()

        def flush() -> None:
            nonlocal d
            if d.valid():
                out.append(d.build())
            d = _Draft()

        sig = [a for a in g if not (a.kind == "modifier" and a.value == MOD_CONNECTOR)]
        for j, a in enumerate(sig):
            k = a.kind
            prev = sig[j - 1] if j else None
            nxt = sig[j + 1] if j + 1 < len(sig) else None
            if k == "numdate":
                if d.day is not None or d.month is not None or d.year is not None or d.offset is not None:
                    flush()
                d.day, d.month, d.year = a.ymd  # type: ignore[misc]
                d.month_kind = "month"
                d.atoms.append(a)
            elif k == "daypart":
                if d.daypart is not None or d.core():
                    flush()
                d.daypart = _DAYPARTS.get(a.value)
                d.atoms.append(a)
            elif k == "relative_day":
                if d.offset is not None or d.day is not None or d.month is not None or d.unit is not None:
                    flush()
                d.offset = a.value
                d.atoms.append(a)
            elif k == "weekday":
                if d.weekday is not None and prev is not None and prev.kind == "weekday":
                    d.atoms.append(a)  # "ليل الخميس الجمعة": the night between two days
                    continue
                if d.weekday is not None or d.unit is not None:
                    flush()
                d.weekday = a.value
                d.atoms.append(a)
            elif k in ("day_ordinal", "num"):
                if nxt is not None and nxt.kind in _MONTHS and _is_day(a):
                    if d.day is not None or d.month is not None:
                        flush()
                    d.day = a.value
                    d.atoms.append(a)
                elif d.year is None and (_is_year(a) and (d.month is not None or d.year_word) or (
                        d.month_kind == "hijri_month" and a.kind == "num" and _HIJRI_LO <= a.value <= _HIJRI_HI)):
                    d.year = a.value
                    d.atoms.append(a)
                elif (k == "day_ordinal" and prev is not None and prev.kind == "relative_month"
                      and d.month is None and a.value <= 12):
                    d.month, d.month_kind, d.unit = a.value, "month", None  # "الشهر الرابع"
                    d.atoms.append(a)
                else:
                    if k == "day_ordinal" and prev is not None and prev.kind == "relative_day":
                        d.drop = True  # "اليوم الثالث" counts days of a story, not the calendar
                    flush()
            elif k in _MONTHS:
                if d.month == a.value and d.month_kind == k and prev is not None and prev.kind == k:
                    d.partner = True  # "مايو أيار", "أكتوبر/تشرين الأول"
                    d.atoms.append(a)
                    continue
                if d.month is not None or (d.unit is not None and d.unit != "year"):
                    flush()
                d.month, d.month_kind, d.ambiguous = a.value, k, a.ambiguous
                d.atoms.append(a)
            elif k == "year_marker":
                if a.value == YEAR_WORD:
                    if nxt is not None and _is_year(nxt):
                        d.year_word = True
                        d.atoms.append(a)
                    elif (nxt is not None and nxt.kind == "modifier") or (prev is not None and prev.kind == "anchor"):
                        if d.unit is not None:
                            flush()
                        d.unit = "year"
                        d.atoms.append(a)
                    else:
                        flush()  # "العام" in "الرأي العام", "الأمن العام"
                elif prev is not None and prev.kind == "num" and d.year == prev.value:
                    d.hijri_year = a.value == YEAR_HIJRI
                    d.atoms.append(a)
            elif k in _UNITS:
                if d.unit is not None or d.core():
                    flush()
                d.unit = _UNITS[k]
                d.atoms.append(a)
            elif k == "anchor":
                if d.core() or d.anchor is not None:
                    flush()
                d.anchor = a.value
                d.atoms.append(a)
            elif k == "modifier":
                if not d.atoms:
                    # only "هذا الأسبوع"-like: a current-period word before a unit
                    if a.value == MOD_CURRENT and nxt is not None and nxt.kind in (*_UNITS, "year_marker"):
                        d.mod = a.value
                        d.atoms.append(a)
                    continue
                if d.mod is None or a.value == MOD_NARRATIVE:
                    d.mod = a.value
                d.atoms.append(a)
        flush()
