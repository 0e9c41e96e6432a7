"""Kin reports: two reports that share most of their wording tell one story.

Outlets republish wire stories and rewrite one agency's text, so the same incident reaches
the store in near-identical words, often one copy dated and the other not. Shared wording is
then better evidence that their events are one incident than a date one of them lacks (see
``dedup.yaml``, ``kin_containment``).

A report's *sketch* is a sample of the hashes of its word 4-grams, taken after the
project's normalizer folds spelling variants: the hashes divisible by ``_SAMPLE``. Sampling
by value (not by position) keeps the same 4-grams in every copy, so the share of one
sketch's hashes found in the other estimates the share of wording the two reports have in
common (containment, over the shorter report), and a store finds kin by looking up a few
dozen hashes in an index rather than by reading texts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from zlib import crc32

from sqlalchemy import BigInteger, Integer, any_, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from ahdath.text.normalize import norm

_WORDS = re.compile(r"\w+")
_GRAM = 4  # four words: long enough that set phrases of news prose are rarely whole 4-grams of two stories
_SAMPLE = 4  # keep a quarter of the 4-grams: a 60-word brief still has a dozen
MIN_SKETCH = 6  # a shorter sketch says too little to call two reports kin
_MASK = (1 << 63) - 1  # hashes fit a signed 64-bit column
_P = 1_000_003  # the 4-gram polynomial's base
_MIX = 0x9E3779B97F4A7C15  # an odd 64-bit multiplier (Fibonacci hashing) spreads the polynomial's bits


def sketch(text: str) -> list[int]:
    """The sorted, distinct sampled hashes of ``text``'s word 4-grams."""
    # each word hashed once (CRC-32, the same in every process), each 4-gram a polynomial of its four
    # words' hashes mixed by a multiplication: a tenth of the cost of hashing every 4-gram's bytes
    hs = [crc32(w.encode("utf-8", "surrogatepass")) for w in _WORDS.findall(norm(text))]
    out: set[int] = set()
    for i in range(len(hs) - _GRAM + 1):
        g = ((((hs[i] * _P + hs[i + 1]) * _P + hs[i + 2]) * _P + hs[i + 3]) * _MIX) & _MASK
        if g % _SAMPLE == 0:
            out.add(g)
    return sorted(out)


def containment(a: Sequence[int] | frozenset[int], b: Sequence[int] | frozenset[int]) -> float:
    """Share of the smaller sketch found in the other (0 when either is too short to judge)."""
    if len(a) < MIN_SKETCH or len(b) < MIN_SKETCH:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    big = large if isinstance(large, (set, frozenset)) else frozenset(large)
    return sum(1 for h in small if h in big) / len(small)


def find_kin(conn: Any, sketches: Mapping[int, Sequence[int]], threshold: float) -> dict[int, list[int]]:
    """For each report of ``sketches`` (report id -> its sketch), the reports stored or in
    ``sketches`` that share at least ``threshold`` of its wording (itself left out)."""
    from ahdath.store.schema import report_sketches

    shared: dict[int, dict[int, int]] = {rid: {} for rid in sketches}  # report -> other -> hashes in common
    owners: dict[int, list[int]] = {}
    for rid, sk in sketches.items():
        for h in sk:
            owners.setdefault(h, []).append(rid)
    hashes = sorted(owners)
    stored: set[int] = set()
    for rows in _among(conn, select(report_sketches.c.report_id, report_sketches.c.hash), report_sketches.c.hash,
                       hashes, BigInteger):
        for other, h in rows:
            if other in sketches:
                continue  # a report of this batch (a changed one's old sketch): compared below
            stored.add(other)
            for rid in owners[h]:
                shared[rid][other] = shared[rid].get(other, 0) + 1
    sizes: dict[int, int] = {rid: len(sk) for rid, sk in sketches.items()}
    sizes_of = select(report_sketches.c.report_id, func.count()).group_by(report_sketches.c.report_id)
    for rows in _among(conn, sizes_of, report_sketches.c.report_id, sorted(stored), Integer):
        sizes.update((other, int(n)) for other, n in rows)
    for h, rids in owners.items():  # within the batch
        for a in rids:
            for b in rids:
                if a != b:
                    shared[a][b] = shared[a].get(b, 0) + 1
    out: dict[int, list[int]] = {}
    for rid, others in shared.items():
        mine = sizes[rid]
        out[rid] = sorted(o for o, n in others.items()
                          if min(mine, sizes.get(o, 0)) >= MIN_SKETCH and n / min(mine, sizes[o]) >= threshold)
    return out


def _among(conn: Any, query: Any, column: Any, values: Sequence[int], item: Any) -> Any:
    """The rows of ``query`` whose ``column`` is one of ``values``, a result per part. PostgreSQL
    takes them as one array parameter (one statement text, prepared once, whatever the number of
    values); other databases as IN lists of at most 1000."""
    if not values:
        return
    if conn.dialect.name == "postgresql":
        yield conn.execute(query.where(column == any_(bindparam("values", type_=ARRAY(item)))), {"values": list(values)})
        return
    for lo in range(0, len(values), 1000):
        yield conn.execute(query.where(column.in_(values[lo:lo + 1000])))


def sketch_rows(sketches: Mapping[int, Sequence[int]]) -> list[dict[str, int]]:
    """The ``report_sketches`` rows of these reports, in report order."""
    return [{"report_id": rid, "hash": h} for rid in sorted(sketches) for h in sketches[rid]]


def forget_sketches(conn: Any, report_ids: Sequence[int]) -> None:
    """Delete the sketches of these reports (changed reports, before their new sketch is written)."""
    from ahdath.store.schema import report_sketches

    ids = sorted(report_ids)
    for lo in range(0, len(ids), 1000):
        conn.execute(delete(report_sketches).where(report_sketches.c.report_id.in_(ids[lo:lo + 1000])))
