"""Answers kept while the store does not change: the map and the stats of a filter cost a third of a
second each on 100,000 events, and every analyst opening the overview asks for the same ones.

An answer is keyed by the request's filter and the store's *data version*: the newest change-log id,
the newest ``updated_at`` and the newest dismissed pair (each read from an index, a millisecond). Every write, by this server,
another server or the CLI, logs a change or touches an event, so a stale answer is never served; a
bounded number of bytes is kept, least recently used out first."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import func, select

from ahdath.store.db import read_connection
from ahdath.store.schema import changes, dismissed_pairs, events


def data_version(engine: Any) -> tuple[Any, ...]:
    with read_connection(engine) as conn:
        return (conn.execute(select(func.max(changes.c.id))).scalar(),
                conn.execute(select(func.max(events.c.updated_at))).scalar(),
                # a dismissed suggestion changes no event
                conn.execute(select(func.max(dismissed_pairs.c.id))).scalar())


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        if self.max_bytes <= 0:
            return make()
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        made = make()  # outside the lock: two first askers may both build it, neither waits on the other
        if len(made) <= self.max_bytes // 2:
            with self._lock:
                if key not in self._items:
                    self._items[key] = made
                    self._size += len(made)
                while self._size > self.max_bytes:
                    _old, dropped = self._items.popitem(last=False)
                    self._size -= len(dropped)
        return made
