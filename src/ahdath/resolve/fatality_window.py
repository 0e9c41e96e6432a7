"""The working state of one fatality count: the cue words and numbers of a token window,
indexed by token, and the victim-list items and figures read from them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, NamedTuple, Sequence

from ahdath.resolve.fatality_cues import MODS
from ahdath.text.numbers import NumberMention
from ahdath.text.tokens import Token

_NONE: frozenset[str] = frozenset()
_CONJ = "وف"  # conjunctions written onto the next word ("وقد", "فقد")


class Cue(NamedTuple):
    """A fatality cue word (a named tuple: a clause holds several)."""

    first: int
    last: int
    start: int
    end: int
    cues: frozenset[str]
    conj: bool  # joined by "و" to what precedes
    definite: bool  # carries the article ("القتلى", "الأحد")


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a victim list."""

    value: int
    implied: bool
    key: int  # token index: the same victims found twice are counted once
    span: tuple[int, int]
    end: int


@dataclass(frozen=True, slots=True)
class Figure:
    value: int
    implied: bool
    keys: frozenset[int]
    spans: tuple[tuple[int, int], ...]
    extra: bool = False  # victims besides those of the other figures ("10 آخرين", "قتلوا أيضا")


class Window:
    """Cues and numbers of one ``count`` call, indexed by token."""

    __slots__ = ("tokens", "first", "last", "cue_at", "cue_end", "num_at", "num_end", "consumed", "nouns",
                 "particles")

    def __init__(self, tokens: Sequence[Token], first: int, last: int, cues: list[Cue],
                 numbers: Sequence[NumberMention], nouns: frozenset[int] = frozenset(),
                 particles: Mapping[str, frozenset[str]] | None = None) -> None:
        self.tokens = tokens
        self.first = first
        self.last = last
        self.cue_at = {c.first: c for c in cues}
        self.cue_end = {c.last: c for c in cues}
        self.num_at = {m.first: m for m in numbers}
        self.num_end = {m.last: m for m in numbers}
        self.consumed: set[int] = set()
        self.nouns = nouns  # first tokens of numbers that are their own person noun (duals)
        self.particles = particles or {}  # closed-class word -> its roles (the particles lexicon)

    def has(self, i: int, names: frozenset[str] | str) -> bool:
        c = self.cue_at.get(i)
        if c is None:
            return False
        return names in c.cues if isinstance(names, str) else not names.isdisjoint(c.cues)

    def particle(self, i: int) -> frozenset[str]:
        """Roles of token ``i`` as a closed-class word ("في", "وقد"); looked up, not matched, as
        these words are everywhere and read only by a few rules."""
        if not self.particles or not self.first <= i < self.last:
            return _NONE
        text = self.tokens[i].text
        roles = self.particles.get(text)
        if roles is None and len(text) > 2 and text[0] in _CONJ:
            roles = self.particles.get(text[1:])
        return roles or _NONE

    def conj_before(self, i: int) -> bool:
        return i > self.first and self.tokens[i - 1].text == "و"

    def gap(self, i: int) -> int:
        """Characters between token ``i - 1`` and ``i``: more than one means punctuation."""
        return self.tokens[i].start - self.tokens[i - 1].end if i > self.first else 0

    def skip_mods(self, i: int) -> int:
        while i < self.last and self.has(i, MODS):
            i = self.cue_at[i].last
        return i
