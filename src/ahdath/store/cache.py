"""What the writing process remembers between batches, each entry valid for one stamp.

A feed's batches keep touching the same few days: each would read the same canonical rows
and decode the same members' records again. A stamp is an event's ``(updated_at, n_reports)``.
Every change to an event (a merge, a changed or re-extracted report, a reviewer's edit, merge
or split, another process) changes its row's stamp, and a batch reads the current stamps before
it trusts an entry, so a stale entry is never used.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from ahdath.store.canonical import Member

Stamp = tuple[float, int]
V = TypeVar("V")


class StampedCache(Generic[V]):
    """At most ``size`` entries; the one stored longest ago makes room. The defaults below hold a
    few days of a busy country's events (what consecutive batches of a feed revisit) for some tens
    of MB."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[int, tuple[Stamp, V]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def _get(self, ref: int, stamp: Stamp) -> V | None:
        entry = self._entries.get(ref)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def _put(self, ref: int, stamp: Stamp, value: V) -> None:
        self._entries.pop(ref, None)
        self._entries[ref] = (stamp, value)
        while len(self._entries) > self.size:
            del self._entries[next(iter(self._entries))]


class MemberCache(StampedCache[tuple[Member, ...]]):
    """The members of recently touched canonical events: a busy event's reports are not read
    (and their records decoded) again for every batch that merges into it."""

    def __init__(self, size: int = 5_000) -> None:
        super().__init__(size)

    def get(self, ref: int, stamp: Stamp) -> list[Member] | None:
        members = self._get(ref, stamp)
        return None if members is None else list(members)

    def put(self, ref: int, stamp: Stamp, members: Sequence[Member]) -> None:
        # orders restart from 0 in stored order, as mention ids would give them
        self._put(ref, stamp, tuple(Member(m.record, m.source, m.url, n) for n, m in enumerate(members)))


class RowCache(StampedCache[dict[str, Any]]):
    """Canonical event rows as last read or written, so a batch reads only the stamps of the
    events around its days and the full rows of those that changed since."""

    def __init__(self, size: int = 5_000) -> None:
        super().__init__(size)

    def get(self, ref: int, stamp: Stamp) -> dict[str, Any] | None:
        row = self._get(ref, stamp)
        return None if row is None else dict(row)  # the unit changes its rows in place

    def put(self, ref: int, row: dict[str, Any]) -> None:
        self._put(ref, (row["updated_at"], row["n_reports"]), {**row, "id": ref})
