"""Phrase matching over clitic-aware tokens.

Forms are indexed by their first word, then word by word in a trie; at each
token we try the surface form and then its clitic-stripped forms, and keep the
longest phrase. Lookups are dict hits, so cost grows with the text, not with
the lexicon. What each word can start is worked out once and remembered, and
``PhraseScan`` finds where several matchers may start in one pass over a text.
"""
from __future__ import annotations

from itertools import compress
from operator import itemgetter
from typing import Callable, Generic, Iterable, NamedTuple, Sequence, TypeVar

from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms, tokenize

P = TypeVar("P")
T = TypeVar("T")
_TEXT = itemgetter(0)  # a Token's text
_new = tuple.__new__  # makes a named tuple without its Python-level __new__


class Match(NamedTuple, Generic[P]):
    """Tokens ``[first, last)`` matched ``payload``; ``start``/``end`` are normalized offsets.

    A named tuple, like ``Token``: scanners make one per hit, and tuples are cheap to create.
    """

    first: int
    last: int
    start: int
    end: int
    form: str
    payload: P


# A trie over the words of the phrases: (the (form, payload) pairs of the phrase ending
# here, the next word -> its node). Lists and dicts are filled in ``__init__`` only.
_Node = tuple[list[tuple[str, P]], dict[str, "_Node[P]"]]
# Distinct words whose readings a matcher (or scan) remembers; past this the memo starts
# afresh, so memory stays bounded on any input (a report's vocabulary fits many times over).
_MEMO_LIMIT = 1 << 15


class PhraseMatcher(Generic[P]):
    """Immutable after construction (but for a memo of word readings); build once per pipeline."""

    __slots__ = ("_index", "_readings", "_size")

    def __init__(self, pairs: Iterable[tuple[str, P]]) -> None:
        # first word -> its trie node: one dict lookup per word of the text a phrase covers,
        # however many phrases share a first word
        index: dict[str, _Node[P]] = {}
        n = 0
        for form, payload in pairs:
            words = [t.text for t in tokenize(norm(form))]
            if not words:
                continue
            node = index.setdefault(words[0], ([], {}))
            for w in words[1:]:
                node = node[1].setdefault(w, ([], {}))
            node[0].append((form, payload))
            n += 1
        self._index = index
        self._size = n
        # word -> ((chars of clitics before the phrase, trie node), ...) for each clitic
        # reading that starts a phrase, most literal first; () for the many words that start none
        self._readings: dict[str, tuple[tuple[int, _Node[P]], ...]] = {}

    def __len__(self) -> int:
        return self._size

    def readings(self, word: str) -> tuple[tuple[int, _Node[P]], ...]:
        """The clitic readings of ``word`` that start some phrase (false when none); not remembered."""
        found = []
        for f in clitic_forms(word):
            node = self._index.get(f)
            if node is not None:
                # Evidence starts after the clitics: "وبالرقه" -> "الرقه". For "لل" the
                # article's alef is not written, so "للنظام" read as "النظام" starts at "نظام".
                skip = len(word) - len(f) if word.endswith(f) else len(word) - len(f) + 2
                found.append((max(skip, 0), node))
        return tuple(found)

    def _learn(self, word: str) -> tuple[tuple[int, _Node[P]], ...]:
        readings = self.readings(word)
        if len(self._readings) >= _MEMO_LIMIT:
            self._readings.clear()
        self._readings[word] = readings
        return readings

    def heads(self, tokens: Sequence[Token], first: int = 0, last: int | None = None) -> list[int]:
        """Indexes in ``[first, last)`` of the tokens some phrase may start at (any clitic reading)."""
        words = list(map(_TEXT, tokens[first:last]))
        readings = list(map(self._readings.get, words))
        if None in readings:  # words not met before
            readings = _fill(words, readings, self._learn)
        # a word that starts no phrase has no readings: () is false
        return list(compress(range(first, first + len(words)), readings))

    def can_start(self, word: str) -> bool:
        """Whether some phrase may start at ``word`` (any clitic reading); not remembered."""
        return not self._index.keys().isdisjoint(clitic_forms(word))

    def starts(self, word: str) -> bool:
        """Whether some phrase may start at ``word`` (any clitic reading): a cheap pre-test."""
        readings = self._readings.get(word)
        if readings is None:
            readings = self._learn(word)
        return bool(readings)

    def match_at(self, tokens: Sequence[Token], i: int) -> list[Match[P]]:
        """Every phrase starting at token ``i`` (longest first, all payloads of that length).

        The longest phrase wins over every clitic reading of the first token; among
        readings that reach the same length the most literal one (surface first) wins.
        """
        tok = tokens[i]
        readings = self._readings.get(tok.text)
        if readings is None:
            readings = self._learn(tok.text)
        if len(readings) == 1:
            skip, (hits, more) = readings[0]
            # the usual case: one reading, and no longer phrase goes on from it here (none starts
            # with it, or the next word is not one that goes on): no trie walk (``find`` too)
            if not more or i + 1 >= len(tokens) or tokens[i + 1].text not in more:
                if len(hits) == 1:  # one entry per form, as a rule
                    return [_new(Match, (i, i + 1, tok.start + skip, tok.end, *hits[0]))]
                return [_new(Match, (i, i + 1, tok.start + skip, tok.end, form, payload)) for form, payload in hits]
        return self._match(tokens, i, readings) if readings else []

    @staticmethod
    def _match(tokens: Sequence[Token], i: int, readings: tuple[tuple[int, _Node[P]], ...]) -> list[Match[P]]:
        n = len(tokens)
        best = -1  # words after token i that the best phrase so far covers
        found: tuple[int, list[tuple[str, P]]] | None = None  # (skip, hits) of that phrase
        for skip, (hits, nxt) in readings:
            # the longest phrase of this reading: walk the trie along the text
            k = 0 if hits else -1
            j = i + 1
            while nxt and j < n:
                node = nxt.get(tokens[j].text)
                if node is None:
                    break
                if node[0]:
                    k, hits = j - i, node[0]
                nxt = node[1]
                j += 1
            if k > best:  # a later (less literal) reading must be strictly longer
                best, found = k, (skip, hits)
        if found is None:
            return []
        skip, hits = found
        start, end, last = tokens[i].start + skip, tokens[i + best].end, i + best + 1
        if len(hits) == 1:  # the usual case: one entry per form
            return [_new(Match, (i, last, start, end, *hits[0]))]
        return [_new(Match, (i, last, start, end, form, payload)) for form, payload in hits]

    def find(self, tokens: Sequence[Token], *, overlapping: bool = False,
             first: int = 0, last: int | None = None, heads: Iterable[int] | None = None) -> list[Match[P]]:
        """Leftmost-longest matches starting in tokens ``[first, last)`` (phrases may run on
        past ``last``); with ``overlapping`` every start position is tried. ``heads``: this
        matcher's ``heads`` in that range, when a ``PhraseScan`` has found them already."""
        out: list[Match[P]] = []
        known = self._readings
        nxt = first
        n = len(tokens)
        for i in self.heads(tokens, first, last) if heads is None else heads:
            if i < nxt:
                continue  # inside the previous match
            tok = tokens[i]
            readings = known.get(tok.text) or self._learn(tok.text)
            if len(readings) == 1:
                skip, (hits, more) = readings[0]
                if not more or i + 1 >= n or tokens[i + 1].text not in more:
                    # the usual case, as in ``match_at``: one reading and a one-word phrase
                    if len(hits) == 1:  # one entry per form, as a rule
                        out.append(_new(Match, (i, i + 1, tok.start + skip, tok.end, *hits[0])))
                        nxt = i + 1
                    elif hits:
                        out.extend([_new(Match, (i, i + 1, tok.start + skip, tok.end, form, payload))
                                    for form, payload in hits])
                        nxt = i + 1
                    continue
            ms = self._match(tokens, i, readings)
            if ms:
                out.extend(ms)
                nxt = i + 1 if overlapping else ms[0].last
        return out


class PhraseScan:
    """Which tokens of a text pass each of several word tests, from one memo lookup per token.

    The matchers of a pipeline read the same tokens; with their ``can_start`` as tests,
    ``heads`` finds where each may match in one pass instead of one pass per matcher.
    """

    __slots__ = ("_passes", "_tests")

    def __init__(self, tests: Sequence[Callable[[str], object]]) -> None:
        """``tests``: functions of a word, true where it may start something (``PhraseMatcher.can_start``)."""
        self._tests = tuple(tests)
        # word -> the indexes of the tests it passes (() for most words); memoized like a matcher's readings
        self._passes: dict[str, tuple[int, ...]] = {}

    def _learn(self, word: str) -> tuple[int, ...]:
        # the matchers themselves learn only the words they are asked to match at
        passes = tuple(k for k, test in enumerate(self._tests) if test(word))
        if len(self._passes) >= _MEMO_LIMIT:
            self._passes.clear()
        self._passes[word] = passes
        return passes

    def heads(self, tokens: Sequence[Token]) -> list[list[int]]:
        """For each test in order, the indexes of the tokens whose word passes it
        (for ``can_start``, what ``PhraseMatcher.heads(tokens)`` gives)."""
        words = list(map(_TEXT, tokens))
        found = list(map(self._passes.get, words))
        if None in found:  # words not met before
            found = _fill(words, found, self._learn)
        out: list[list[int]] = [[] for _ in self._tests]
        # most tokens pass no test (an empty tuple is false); the others pass one or two
        for i, passes in compress(enumerate(found), found):
            for k in passes:
                out[k].append(i)
        return out


def _fill(words: list[str], found: list[T | None], learn: Callable[[str], T]) -> list[T]:
    """``found`` (a memo's answer per word, None where it had none) completed by ``learn``,
    called once per new word however often it occurs."""
    new: dict[str, T] = {}
    for w, x in zip(words, found):
        if x is None and w not in new:
            new[w] = learn(w)
    return [x if x is not None else new[w] for w, x in zip(words, found)]
