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
        # first word -> [(words after it, {those words: [(form, payload), ...]}), longest first]:
        # one dict lookup per phrase length, however many phrases share a first word
        grouped: dict[str, dict[int, dict[tuple[str, ...], list[tuple[str, P]]]]] = {}
        n = 0
        for form, payload in pairs:
            words = tuple(t.text for t in tokenize(norm(form)))
            if not words:
                continue
            rest = words[1:]
            grouped.setdefault(words[0], {}).setdefault(len(rest), {}).setdefault(rest, []).append((form, payload))
            n += 1
        self._index = {first: sorted(by_len.items(), key=lambda kv: -kv[0]) for first, by_len in grouped.items()}
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
        for f in forms:
            by_len = index.get(f)
            if not by_len:
                continue
            for k, table in by_len:
                if k <= best:
                    break  # longest first; a later (less literal) reading must be strictly longer
                if i + k >= n:
                    continue
                hits = table.get(tuple(tokens[i + j].text for j in range(1, k + 1)) if k else ())
                if not hits:
                    continue
                best = k
                # Evidence starts after the clitics: "وبالرقه" -> "الرقه". For "لل" the
                # article's alef is not written, so "للنظام" read as "النظام" starts at "نظام".
                skip = len(word) - len(f) if word.endswith(f) else len(word) - len(f) + 2
                start = tokens[i].start + max(skip, 0)
                out = [Match(i, i + k + 1, start, tokens[i + k].end, form, payload) for form, payload in hits]
                break
        return out

    def find(self, tokens: Sequence[Token], *, overlapping: bool = False,
             first: int = 0, last: int | None = None) -> list[Match[P]]:
        """Leftmost-longest matches starting in tokens ``[first, last)`` (phrases may run on
        past ``last``); with ``overlapping`` every start position is tried."""
        out: list[Match[P]] = []
        firsts = self._index.keys()
        i, n = first, len(tokens) if last is None else min(last, len(tokens))
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
