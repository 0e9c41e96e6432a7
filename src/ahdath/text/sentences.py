"""Sentences and clauses over normalized text.

Sentences end at . ! ? ؟ … or a line break (not inside numbers like 3.5 or
dates like 15.6.2019). A run of text longer than ``MAX_SENTENCE`` characters
with no such end (hostile input, a page that lost its punctuation) is cut at a
comma or space: what the engine reads per sentence then stays bounded, and a
long report stays linear in time. (The shared corpora's longest sentence has
about 1,000 characters.)
Clauses split a sentence at connectors listed as ``clause_break`` cues
(فيما، بينما، وسط ...), where Arabic news prose starts a new proposition;
commas are kept inside clauses because they mostly separate list items
("أحياء الرشدية، والصناعة، وحويجة الصكر").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from operator import itemgetter
from typing import Sequence

from ahdath.text.tokens import Token

_START, _END = itemgetter(1), itemgetter(2)  # a Token's offsets

# A dot ends a sentence unless digits stand on both sides ("3.5", "15.6.2019"):
# "قتل 12." still ends one.
_SENT_END = re.compile(r"(?:[!?؟…]+|\.{2,}|(?<![0-9])\.|\.(?![0-9]))\s*|\n\s*")
# Every break starts with one of these: finding them first and trying ``_SENT_END`` only
# there is several times cheaper than letting ``finditer`` try it at every character.
_BREAK_START = re.compile(r"[!?؟….\n]")


MAX_SENTENCE = 2000  # characters; a longer run without a sentence end is cut (see the module's docstring)


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence or clause: token range ``[first, last)`` and normalized offsets."""

    first: int
    last: int
    start: int
    end: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence of normalized ``text``."""
    out: list[tuple[int, int]] = []
    pos = 0
    match = _SENT_END.match
    for c in _BREAK_START.finditer(text):
        p = c.start()
        if p < pos:
            continue  # inside the previous break
        m = match(text, p)  # as ``_SENT_END.finditer`` would: the first break at or after pos
        if m is None:
            continue
        if p > pos and text[pos:p].strip():
            _add(out, text, pos, p + (1 if text[p:p + 1] in ".!?؟…" else 0))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        _add(out, text, pos, len(text))
    return out


def _add(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Sentence ``[start, end)``, cut into pieces of at most ``MAX_SENTENCE`` characters after a
    comma or a space in a piece's second half, else at the limit."""
    while end - start > MAX_SENTENCE:
        stop, half = start + MAX_SENTENCE, start + MAX_SENTENCE // 2
        cut = max(text.rfind("،", half, stop), text.rfind(",", half, stop)) + 1 or text.rfind(" ", half, stop) + 1
        if not cut:
            cut = stop
        if text[start:cut].strip():
            out.append((start, cut))
        start = cut
    if text[start:end].strip():
        out.append((start, end))


def section_spans(text: str, size: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive sections of ``text`` (covering it) of at most ``size``
    characters each, cut after a line break where one lies in a section's second half, else after
    a sentence end, else at a space; a section without any is cut at ``size``. A very long report
    is read a section at a time."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > size:
        stop, half = start + size, start + size // 2
        cut = text.rfind("\n", half, stop) + 1
        if not cut:
            cut = max(text.rfind(c, half, stop) for c in ".!?؟…") + 1
        if not cut:
            cut = text.rfind(" ", half, stop) + 1
        if not cut:
            cut = stop
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


def sentences(text: str, tokens: Sequence[Token]) -> list[Segment]:
    """Sentences as token ranges (sentences without tokens are skipped)."""
    segs: list[Segment] = []
    # tokens are in text order: their starts and ends both ascend
    starts, ends = list(map(_START, tokens)), list(map(_END, tokens))
    i = 0
    for s, e in sentence_spans(text):
        i = bisect_left(starts, s, i)  # the first token starting in the sentence
        j = bisect_right(ends, e, i)  # the first token ending after it
        if j > i:
            segs.append(Segment(i, j, s, e))
        i = j
    return segs


def clauses(sentence: Segment, tokens: Sequence[Token], breaks: Sequence[int]) -> list[Segment]:
    """Split ``sentence`` before each token index in ``breaks`` (sorted, from clause_break cues)."""
    # breaks are sorted: bisection keeps a long report linear
    lo = bisect_right(breaks, sentence.first)
    hi = bisect_left(breaks, sentence.last, lo=lo)
    a, b = sentence.first, sentence.last
    if lo == hi:  # most sentences have no break: one clause
        return [Segment(a, b, tokens[a].start, tokens[b - 1].end)] if b > a else []
    cuts = sorted(set(breaks[lo:hi]))
    out: list[Segment] = []
    for b in [*cuts, sentence.last]:
        if b > a:
            out.append(Segment(a, b, tokens[a].start, tokens[b - 1].end))
        a = b
    return out
