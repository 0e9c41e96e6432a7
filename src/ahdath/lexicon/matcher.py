"""Phrase matching over clitic-aware tokens.

Forms are indexed by their first word; at each token we try the surface form
and then its clitic-stripped forms, and keep the longest phrase. Lookups are
dict hits, so cost grows with the text, not with the lexicon.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Iterable, Sequence, TypeVar

from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms, tokenize

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Match(Generic[P]):
    """Tokens ``[first, last)`` matched ``payload``; ``start``/``end`` are normalized offsets."""

    first: int
    last: int
    start: int
    end: int
    form: str
    payload: P


class PhraseMatcher(Generic[P]):
    """Immutable after construction; build once per pipeline."""

    __slots__ = ("_index", "_size")

    def __init__(self, pairs: Iterable[tuple[str, P]]) -> None:
        index: dict[str, list[tuple[tuple[str, ...], str, P]]] = {}
        n = 0
        for form, payload in pairs:
            words = tuple(t.text for t in tokenize(norm(form)))
            if not words:
                continue
            index.setdefault(words[0], []).append((words[1:], form, payload))
            n += 1
        for cands in index.values():
            cands.sort(key=lambda c: -len(c[0]))
        self._index = index
        self._size = n

    def __len__(self) -> int:
        return self._size

    def starts(self, word: str) -> bool:
        """Whether some phrase may start at ``word`` (any clitic reading): a cheap pre-test."""
        return not self._index.keys().isdisjoint(clitic_forms(word))

    def match_at(self, tokens: Sequence[Token], i: int) -> list[Match[P]]:
        """Every phrase starting at token ``i`` (longest first, all payloads of that length).

        The longest phrase wins over every clitic reading of the first token; among
        readings that reach the same length the most literal one (surface first) wins.
        """
        index = self._index
        word = tokens[i].text
        forms = clitic_forms(word)
        if index.keys().isdisjoint(forms):
            return []
        n = len(tokens)
        out: list[Match[P]] = []
        best = -1
        for f in clitic_forms(word):
            cands = index.get(f)
            if not cands:
                continue
            found = -1
            for rest, form, payload in cands:
                k = len(rest)
                if k < best or (k == best and found != k):
                    break  # sorted longest first: this reading cannot do better any more
                if i + k >= n:
                    continue
                ok = True
                for j, w in enumerate(rest, 1):
                    if tokens[i + j].text != w:
                        ok = False
                        break
                if not ok:
                    continue
                if k > best:
                    out = []
                    best = k
                found = k
                # Evidence starts after the clitics: "وبالرقه" -> "الرقه". For "لل" the
                # article's alef is not written, so "للنظام" read as "النظام" starts at "نظام".
                skip = len(word) - len(f) if word.endswith(f) else len(word) - len(f) + 2
                out.append(Match(i, i + k + 1, tokens[i].start + max(skip, 0), tokens[i + k].end, form, payload))
        return out

    def find(self, tokens: Sequence[Token], *, overlapping: bool = False) -> list[Match[P]]:
        """Leftmost-longest matches; with ``overlapping`` every start position is tried."""
        out: list[Match[P]] = []
        firsts = self._index.keys()
        i, n = 0, len(tokens)
        while i < n:
            # most tokens start no phrase: one set test instead of a call
            if firsts.isdisjoint(clitic_forms(tokens[i].text)):
                i += 1
                continue
            ms = self.match_at(tokens, i)
            if ms:
                out.extend(ms)
                i = i + 1 if overlapping else ms[0].last
            else:
                i += 1
        return out
