"""Counts written in digits or Arabic number words.

Number words come from the ``numbers`` lexicon; this module composes them
("خمسة وعشرين" = 25, "ثلاثة عشر" = 13, "مئة وعشرون" = 120, "ثلاث مئة" = 300,
"20 ألف" = 20000). Vague plurals carry the project's ACLED values (عشرات = 10,
مئات = 100) and are flagged ``vague``; modifiers from the ``approx``/``minimum``
cues ("نحو", "على الأقل") flag a number ``approx`` without changing it.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Iterable, NamedTuple, Sequence

from ahdath.lexicon import LexiconSet, Match, PhraseMatcher
from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms, tokenize

_new = tuple.__new__  # makes a named tuple without its Python-level __new__
_TEXT = itemgetter(0)  # a Token's text
_FIRST_CHAR = itemgetter(0)  # a word's first character
# Kinds of the ``numbers`` lexicon this module composes; ``digit`` is ours.
_CARDINAL, _TENS, _HUNDREDS, _THOUSANDS, _VAGUE, _MULTIPLIER = (
    "cardinal", "tens", "hundreds", "thousands", "vague", "multiplier")
_DIGIT = "digit"
# Time-lexicon kinds whose definite forms are never counts ("الاثنين" is Monday, not "the two").
_WEEKDAY_KINDS = frozenset({"weekday"})
# Digit strings longer than this are identifiers or noise, not counts.
_MAX_DIGITS = 12


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A count in the text: tokens ``[first, last)``, normalized offsets ``[start, end)``."""

    first: int
    last: int
    start: int
    end: int
    value: int
    vague: bool
    approx: bool


class _Atom(NamedTuple):
    """One number word (or digit string) before composition (a named tuple: cheap to make)."""

    value: int
    kind: str
    first: int
    last: int
    start: int
    conj: bool  # joined to what precedes by "و" (a clitic or a standalone token)
    waw_token: bool  # that "و" is a token of its own
    single: bool  # a one-token word (fused teens "أحد عشر" are not)


def first_words(forms: Iterable[str]) -> frozenset[str]:
    """Every spelling, proclitics included, of the first word of ``forms``.

    A token not in this set cannot start a match, so scanners test one set
    membership per token and call the phrase matcher only on candidates. The
    set covers what ``clitic_forms`` strips (و ف, then ب ل ك, ال, لل).
    """
    heads = {t[0].text for t in (tokenize(norm(f)) for f in forms) if t}
    inner: set[str] = set()
    for h in heads:
        inner.update((h, "ال" + h, "لل" + h, "ب" + h, "ل" + h, "ك" + h, "بال" + h, "كال" + h, "لال" + h))
        if h.startswith("ال"):
            inner.update(("لل" + h[2:], "ب" + h, "ل" + h, "ك" + h))
    return frozenset(inner | {c + f for f in inner for c in "وف"})


def parse_digits(text: str) -> int | None:
    """Integer value of a digit token ("1,200" = 1200); None for decimals and noise."""
    if "." in text or "," in text:
        groups = text.replace(".", ",").split(",")
        # Thousands separators leave groups of three; anything else is a decimal.
        if not all(len(g) == 3 for g in groups[1:]) or len(groups[0]) > 3:
            return None
        text = "".join(groups)
    if len(text) > _MAX_DIGITS:
        return None
    return int(text)


def _ordinal_shaped(word: str) -> bool:
    """"الخامس", "الحادي": the article plus a four-letter stem with alef second (فاعل)."""
    if word.startswith("و") and len(word) > 6:
        word = word[1:]
    if not word.startswith("ال"):
        return False
    stem = word[2:]
    return len(stem) == 4 and stem[1] == "ا"


class NumberFinder:
    """Finds counts in tokens; build once with ``from_lexicons``."""

    __slots__ = ("_words", "_word_heads", "_modifiers", "_mod_heads", "_weekdays")

    def __init__(self, words: PhraseMatcher[tuple[int, str]], word_heads: frozenset[str],
                 modifiers: PhraseMatcher[str], mod_heads: frozenset[str], weekdays: frozenset[str]) -> None:
        self._words = words
        self._word_heads = word_heads
        self._modifiers = modifiers
        self._mod_heads = mod_heads
        self._weekdays = weekdays

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "NumberFinder":
        pairs = [(f, (int(e.get("value")), str(e.get("kind"))))
                 for e in lexicons["numbers"].entries if e.get("kind") != "ordinal" for f in e.forms]
        mod_pairs = ([(f, "approx") for f in lexicons.cue_forms("approx")]
                     + [(f, "minimum") for f in lexicons.cue_forms("minimum")])
        weekdays = frozenset(f for e in lexicons["time"].entries if e.get("kind") in _WEEKDAY_KINDS
                             for f in e.forms)
        return cls(PhraseMatcher(pairs), first_words(f for f, _ in pairs),
                   PhraseMatcher(mod_pairs), first_words(f for f, _ in mod_pairs), weekdays)

    def _is_weekday(self, word: str) -> bool:
        # Only a definite form can be a weekday: "الاثنين" is Monday, "اثنين" is two.
        if not self._weekdays:
            return False
        for f in clitic_forms(word):
            if f.startswith("ال") and (f in self._weekdays or f[2:] in self._weekdays):
                return True
        return False

    def _atoms(self, tokens: Sequence[Token]) -> list[_Atom | None]:
        atoms: list[_Atom | None] = [None] * len(tokens)
        heads = self._word_heads
        i = 0
        # only digits and the first words of number phrases can start a number
        words = list(map(_TEXT, tokens))
        at = range(len(words))
        starts = {*compress(at, map(heads.__contains__, words)),
                  *compress(at, map(str.isdecimal, map(_FIRST_CHAR, words)))}
        for j in sorted(starts):
            if j < i:
                continue  # inside the previous number
            i = j
            tok = tokens[i]
            conj_tok = i > 0 and tokens[i - 1].text == "و"
            if tok.text[0].isdecimal():
                v = parse_digits(tok.text)
                if v is not None:
                    atoms[i] = _new(_Atom, (v, _DIGIT, i, i + 1, tok.start, conj_tok, conj_tok, True))
                i += 1
                continue
            ms = self._words.match_at(tokens, i)
            waw_short = False
            if tok.text[0] == "و" and (not ms or ms[0].last == i + 1):
                # "وست" stays whole in clitic_forms, and "وأحد عشر" folds to "واحد" (one)
                # before the phrase is tried: match the word without its "و" as well.
                rest = [Token(tok.text[1:], tok.start + 1, tok.end), *tokens[i + 1:i + 3]]
                alt = self._words.match_at(rest, 0)
                if alt and (not ms or alt[0].last > 1):
                    ms = [Match(i, i + m.last, m.start, m.end, m.form, m.payload) for m in alt]
                    waw_short = True
            if not ms or self._is_weekday(tok.text):
                i += 1
                continue
            m = ms[0]
            value, kind = m.payload
            conj = conj_tok or waw_short or (m.start > tok.start and tok.text[0] == "و")
            atoms[i] = _new(_Atom, (value, kind, i, m.last, m.start, conj, conj_tok, m.last == i + 1))
            i = m.last
        return atoms

    def find(self, tokens: Sequence[Token]) -> list[NumberMention]:
        """Every count in ``tokens``, left to right, composed words as one mention."""
        if not tokens:
            return []
        atoms = self._atoms(tokens)
        if not any(atoms):
            return []  # no number word or digit: no modifier matters
        mod_starts: set[int] = set()
        mod_ends: set[int] = set()
        heads = self._mod_heads
        for i in compress(range(len(tokens)), map(heads.__contains__, map(_TEXT, tokens))):
            for m in self._modifiers.match_at(tokens, i):
                mod_starts.add(m.first)
                mod_ends.add(m.last)
        out: list[NumberMention] = []
        i = 0
        for a in list(filter(None, atoms)):  # the atoms (an atom is never false)
            if a.first < i:
                continue  # inside the previous number
            i = a.first
            if i > 0 and self._after_ordinal(a, tokens[i - 1].text):
                i += 1
                continue
            value, last, vague = _compose(atoms, a)
            approx = i in mod_ends or last in mod_starts or (last + 1) in mod_starts
            out.append(NumberMention(i, last, a.start, tokens[last - 1].end, value, vague, approx))
            i = last
        return out

    @staticmethod
    def _after_ordinal(a: _Atom, prev: str) -> bool:
        # "الخامس عشر", "الحادي والعشرين" are dates, not counts of ten or twenty.
        starts_teen = a.kind == _CARDINAL and a.value == 10 and not a.conj
        starts_tens = a.kind == _TENS and a.conj
        return (starts_teen or starts_tens) and _ordinal_shaped(prev)


def _next(atoms: Sequence[_Atom | None], j: int, *, conj: bool) -> _Atom | None:
    """The atom at token ``j`` (after a standalone "و" when ``conj``), if joined as asked."""
    if j >= len(atoms):
        return None
    a = atoms[j]
    if a is None and conj and j + 1 < len(atoms):
        b = atoms[j + 1]  # "خمسة و عشرين": the "و" token carries no atom
        a = b if b is not None and b.waw_token else None
    if a is None or a.conj != conj:
        return None
    return a


def _units_tens(atoms: Sequence[_Atom | None], a: _Atom) -> tuple[int, int]:
    """A unit, teen, tens or "unit و tens" starting at ``a``: (value, last)."""
    if a.kind == _TENS:
        return a.value, a.last
    v, last = a.value, a.last
    nxt = _next(atoms, last, conj=False)
    if nxt is not None and a.single and 3 <= v <= 9 and nxt.kind == _CARDINAL and nxt.value == 10 and nxt.single:
        return v + 10, nxt.last
    if v <= 9:
        t = _next(atoms, last, conj=True)
        if t is not None and t.kind == _TENS:
            return v + t.value, t.last
    return v, last


def _group(atoms: Sequence[_Atom | None], a: _Atom) -> tuple[int, int]:
    """A number under a thousand starting at ``a``: (value, last)."""
    if a.kind == _HUNDREDS:
        v, last = a.value, a.last
    elif a.kind == _CARDINAL and a.single and 1 <= a.value <= 9:
        h = _next(atoms, a.last, conj=False)
        if h is not None and h.kind == _HUNDREDS and h.value == 100:
            v, last = a.value * 100, h.last  # "ثلاث مئة"
        else:
            return _units_tens(atoms, a)
    else:
        return _units_tens(atoms, a)
    rest = _next(atoms, last, conj=True)
    if rest is not None and rest.kind in (_CARDINAL, _TENS):
        r, last = _units_tens(atoms, rest)
        v += r
    return v, last


def _is_scale(a: _Atom | None) -> bool:
    return a is not None and a.kind in (_THOUSANDS, _VAGUE, _MULTIPLIER) and a.value in (1000, 1000000, 1000000000)


def _remainder(atoms: Sequence[_Atom | None], v: int, last: int, scale: int) -> tuple[int, int]:
    """"ألف ومئتان": add a smaller conjoined group after a scale word."""
    rest = _next(atoms, last, conj=True)
    if rest is not None and rest.kind in (_CARDINAL, _TENS, _HUNDREDS):
        r, end = _group(atoms, rest)
        if r < scale:
            return v + r, end
    return v, last


def _compose(atoms: Sequence[_Atom | None], a: _Atom) -> tuple[int, int, bool]:
    """(value, last, vague) of the longest number starting at ``a``."""
    if a.kind == _VAGUE:
        v, last = a.value, a.last
        s = _next(atoms, last, conj=False)
        if _is_scale(s) and s is not None and s.value > v:
            v, last = v * s.value, s.last  # "عشرات الآلاف"
        return v, last, True
    if a.kind == _DIGIT:
        v, last = a.value, a.last
        s = _next(atoms, last, conj=False)
        if _is_scale(s) and s is not None:
            v, last = v * s.value, s.last  # "20 ألف", "15 مليونا"
        return v, last, False
    if a.kind in (_THOUSANDS, _MULTIPLIER):
        v, last = _remainder(atoms, a.value, a.last, 1000 if a.value < 1000000 else a.value)
        return v, last, False
    v, last = _group(atoms, a)
    s = _next(atoms, last, conj=False)
    if _is_scale(s) and s is not None:
        v, last = v * s.value, s.last  # "ثلاثة آلاف", "خمسة عشر ألفا"
        v, last = _remainder(atoms, v, last, s.value)
    return v, last, False
