"""Cue-word matching where a word of a form may be a stem.

Arabic inflects mostly at the end of a word: "مباراة", "مباراته", "مباريات" share their first
letters, and proclitics (و ف ب ل ك ال) are already peeled off by ``clitic_forms``. A lexicon
form word written with a final ``*`` ("مبارا*") is a stem: it matches any clitic reading of a
token that starts with it. Other words match a clitic reading exactly, as in ``PhraseMatcher``.

Lookups are dict hits on a per-word memo (bounded like the phrase matcher's), so a report
costs one memo lookup per token; only tokens that start some form do more work.
"""
from __future__ import annotations

from itertools import compress
from operator import itemgetter
from typing import Generic, Iterable, NamedTuple, Sequence, TypeVar

from ahdath.text.tokens import Token, clitic_forms

P = TypeVar("P")
STEM_MARK = "*"
MIN_STEM = 3  # letters a stem must have: shorter prefixes start too many unrelated words
_TEXT = itemgetter(0)
_MEMO_LIMIT = 1 << 15
_new = tuple.__new__

# a trie node: (payloads of the forms ending here, next word key -> node)
_Node = tuple[list[P], dict[str, "_Node[P]"]]


class CueHit(NamedTuple, Generic[P]):
    """Tokens ``[first, last)`` matched a form of ``payload``."""

    first: int
    last: int
    payload: P


def form_words(form: str) -> list[str]:
    """The words of a normalized form (a stem keeps its ``*``)."""
    return form.split()


def stem_problem(form: str) -> str | None:
    """Why ``form`` is not a valid stem form (None when it is): ``*`` only ends a word of at
    least ``MIN_STEM`` letters."""
    for w in form_words(form):
        body = w[:-1] if w.endswith(STEM_MARK) else w
        if STEM_MARK in body:
            return f"{STEM_MARK!r} may only end a word, got {form!r}"
        if w.endswith(STEM_MARK) and len(body) < MIN_STEM:
            return f"a stem needs at least {MIN_STEM} letters, got {form!r}"
    return None


class StemMatcher(Generic[P]):
    """Immutable after construction (but for its memo of word readings); build once per pipeline."""

    __slots__ = ("_index", "_stem_lengths", "_memo", "_stemmed")

    def __init__(self, pairs: Iterable[tuple[str, P]]) -> None:
        index: dict[str, _Node[P]] = {}
        lengths: set[int] = set()
        for form, payload in pairs:
            words = form_words(form)
            if not words:
                continue
            node: _Node[P] | None = None
            for w in words:
                if w.endswith(STEM_MARK):
                    lengths.add(len(w) - 1)
                children = index if node is None else node[1]
                node = children.setdefault(w, ([], {}))
            assert node is not None
            node[0].append(payload)
        self._index = index
        # longest first: a longer stem is the more specific reading of a word
        self._stem_lengths = tuple(sorted(lengths, reverse=True))
        self._memo: dict[str, tuple[str, ...]] = {}
        # ids of the child tables (past a phrase's first word) that hold a stem: only those need
        # a word's prefixes tried; the others are read with exact clitic forms only
        self._stemmed = frozenset(id(children) for children in _tables(index)
                                  if children is not index and any(k.endswith(STEM_MARK) for k in children))

    def keys(self, word: str, children: dict[str, _Node[P]]) -> tuple[str, ...]:
        """The keys of ``children`` that ``word`` may be read as: each clitic reading exactly,
        then as each stem it starts with; most literal first."""
        out: list[str] = []
        for f in clitic_forms(word):
            if f in children:
                out.append(f)
            for n in self._stem_lengths:
                if n <= len(f):
                    k = f[:n] + STEM_MARK
                    if k in children and k not in out:
                        out.append(k)
        return tuple(out)

    def _learn(self, word: str) -> tuple[str, ...]:
        keys = self.keys(word, self._index)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[word] = keys
        return keys

    def can_start(self, word: str) -> bool:
        """Whether some form may start at ``word`` (a ``PhraseScan`` test); not remembered."""
        return bool(self.keys(word, self._index))

    def find(self, tokens: Sequence[Token], first: int = 0, last: int | None = None,
             heads: Sequence[int] | None = None) -> list[CueHit[P]]:
        """Leftmost-longest hits starting in ``[first, last)``, one per payload of the form found.
        ``heads``: the tokens of that range where a form may start (``can_start``), when a
        ``PhraseScan`` has found them already: only their words are looked up."""
        end = len(tokens) if last is None else last
        memo = self._memo
        if heads is None:
            words = list(map(_TEXT, tokens[first:end]))
            at: Iterable[int] = range(first, end)
        else:
            words = list(map(_TEXT, map(tokens.__getitem__, heads)))
            at = heads
        found = list(map(memo.get, words))
        if None in found:
            found = [k if k is not None else self._learn(w) for w, k in zip(words, found)]
        out: list[CueHit[P]] = []
        nxt = first
        index = self._index
        for i, keys in compress(zip(at, found), found):
            if i < nxt:
                continue
            if len(keys) == 1:
                payloads, children = index[keys[0]]
                if not children:  # the usual case: a one-word form and nothing longer to try
                    if len(payloads) == 1:
                        out.append(_new(CueHit, (i, i + 1, payloads[0])))
                    else:
                        out.extend([_new(CueHit, (i, i + 1, p)) for p in payloads])
                    nxt = i + 1
                    continue
            hit = self._longest(tokens, i, keys)
            if hit is not None:
                j, payloads = hit
                out.extend(_new(CueHit, (i, j, p)) for p in payloads)
                nxt = j
        return out

    def _longest(self, tokens: Sequence[Token], i: int, keys: tuple[str, ...]) -> tuple[int, list[P]] | None:
        best: tuple[int, list[P]] | None = None
        for k in keys:
            node = self._index[k]
            j = i + 1
            if node[0] and (best is None or j > best[0]):
                best = (j, node[0])
            # phrases are few: walk on only where a form goes on past this word
            while node[1] and j < len(tokens):
                children = node[1]
                if id(children) in self._stemmed:
                    nk = self.keys(tokens[j].text, children)
                else:
                    nk = tuple(f for f in clitic_forms(tokens[j].text) if f in children)
                if not nk:
                    break
                node = children[nk[0]]
                j += 1
                if node[0] and (best is None or j > best[0]):
                    best = (j, node[0])
        return best


def _tables(index: dict[str, _Node[P]]) -> list[dict[str, _Node[P]]]:
    """Every child table of the trie under ``index``, ``index`` included."""
    out, todo = [], [index]
    while todo:
        table = todo.pop()
        out.append(table)
        todo.extend(node[1] for node in table.values() if node[1])
    return out
