"""Sentences and clauses over normalized text.

Sentences end at . ! ? ؟ … or a line break (not inside numbers like 3.5 or
dates like 15.6.2019).
Clauses split a sentence at connectors listed as ``clause_break`` cues
(فيما، بينما، وسط ...), where Arabic news prose starts a new proposition;
commas are kept inside clauses because they mostly separate list items
("أحياء الرشدية، والصناعة، وحويجة الصكر").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Sequence

from ahdath.text.tokens import Token

# A dot ends a sentence unless digits stand on both sides ("3.5", "15.6.2019"):
# "قتل 12." still ends one.
_SENT_END = re.compile(r"(?:[!?؟…]+|\.{2,}|(?<![0-9])\.|\.(?![0-9]))\s*|\n\s*")


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
    for m in _SENT_END.finditer(text):
        if m.start() > pos and text[pos:m.start()].strip():
            out.append((pos, m.start() + (1 if text[m.start():m.start() + 1] in ".!?؟…" else 0)))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        out.append((pos, len(text)))
    return out


def sentences(text: str, tokens: Sequence[Token]) -> list[Segment]:
    """Sentences as token ranges (sentences without tokens are skipped)."""
    segs: list[Segment] = []
    i, n = 0, len(tokens)
    for s, e in sentence_spans(text):
        while i < n and tokens[i].start < s:
            i += 1
        j = i
        while j < n and tokens[j].end <= e:
            j += 1
        if j > i:
            segs.append(Segment(i, j, s, e))
        i = j
    return segs


def clauses(sentence: Segment, tokens: Sequence[Token], breaks: Sequence[int]) -> list[Segment]:
    """Split ``sentence`` before each token index in ``breaks`` (sorted, from clause_break cues)."""
    # breaks are sorted: bisection keeps a long report linear
    lo = bisect_right(breaks, sentence.first)
    hi = bisect_left(breaks, sentence.last, lo=lo)
    cuts = sorted(set(breaks[lo:hi]))
    out: list[Segment] = []
    a = sentence.first
    for b in [*cuts, sentence.last]:
        if b > a:
            out.append(Segment(a, b, tokens[a].start, tokens[b - 1].end))
        a = b
    return out
