"""Suggested duplicates: pairs of live events the dedup rules (``dedup``) find close, for a person to
merge or dismiss.

Two kinds of pair are suggested:

- ``same_event``: every rule agrees, yet the two are apart (stored before a report that joined
  them was, or compared in an order that matched each elsewhere first);
- a near miss: every rule agrees but one (``date``, ``place``, ``actors`` or ``type``), and what
  agrees scores at least ``MIN_SCORE``: the reports may tell one incident with a date off by a
  day more than the rules allow, a place a few kilometres too far, an attacker named otherwise.

Candidates come from ``dedup.DedupIndex`` built with the rules widened (``RELAX_DAYS`` more days,
``RELAX_KM`` times the distance), so a pair is only ever looked for where the real rules would
nearly look; each pair is then judged by the real rules, part by part (``dedup._CHECKS``), so the
score and the sentences are the ones a merge would give. Two rules stay decisive: events of one
report (a report never tells one incident twice) and of two countries are never suggested.

A dismissed pair (``dismiss``, and every split: a split says the two are apart) is remembered in
``dismissed_pairs`` and never suggested again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, true

from ahdath.errors import UsageError
from ahdath.store.browse import Browse, conditions
from ahdath.store.db import read_connection
from ahdath.store.dedup import _CHECKS, DedupIndex, DedupRules, EventKey
from ahdath.store.repository import Store
from ahdath.store.review import _live, ordered_pair
from ahdath.store.schema import dismissed_pairs, events, mentions

MIN_SCORE = 0.5
RELAX_DAYS = 2
RELAX_KM = 2.0
MAX_SUGGESTIONS = 500
# without a filter, the events of this many days up to the newest one: duplicates come in with new
# reports, and judging every pair of a 100,000-event archive takes a minute where two months take
# half a second (a filter, ``q``, looks wherever it says)
RECENT_DAYS = 60
RULE_NAMES = {"type": "type", "date": "date", "place": "place", "actors": "actors"}


@dataclass(frozen=True, slots=True)
class Suggestion:
    event_a: str  # the pair in id order (SYR9 before SYR10)
    event_b: str
    score: float  # the dedup score, 0..1 (the failed rule's part counted as 0)
    rule: str  # same_event | date | place | actors | type: what keeps them apart
    reasons: tuple[str, ...]  # the rule that failed first (if one did), then what agrees


_KEY_COLUMNS = (events.c.id, events.c.event_id, events.c.iso, events.c.event_date, events.c.time_precision,
                events.c.event_type, events.c.sub_event_type, events.c.actor1, events.c.actor2, events.c.admin1,
                events.c.location, events.c.location_ar, events.c.latitude, events.c.longitude,
                events.c.geo_precision, events.c.fatalities, events.c.date_lo, events.c.date_hi,
                events.c.date_basis, events.c.tags)


def _judge(pa: Any, pb: Any, rules: DedupRules) -> tuple[float, str, tuple[str, ...]] | None:
    """``(score, rule, reasons)`` for two prepared keys (``dedup._prepare``) when at most one rule
    fails and it is not a decisive one."""
    score, says, failed = 0.0, [], None
    for name, check in _CHECKS:
        part, clause, failure = check(pa, pb, rules)
        if failure:
            if not name or failed is not None:  # one report, two countries; or a second rule failing
                return None
            failed = (name, failure)
            continue
        if name:
            score += rules.weights[name] * part
        if clause:
            says.append(clause)
    score = min(1.0, max(0.0, score / sum(rules.weights.values())))
    if failed is None:
        return score, "same_event", tuple(says)
    return score, RULE_NAMES.get(failed[0], failed[0]), (failed[1], *says)


def suggestions(engine: Any, limit: int = 50, q: Browse | None = None,
                rules: DedupRules | None = None) -> list[Suggestion]:
    """The best ``limit`` suggested pairs among the live events of ``q`` (without one, those of the
    ``RECENT_DAYS`` up to the newest event): highest score first, then by the pair's ids."""
    if not (isinstance(limit, int) and 1 <= limit <= MAX_SUGGESTIONS):
        raise UsageError(f"limit: {limit!r} is not between 1 and {MAX_SUGGESTIONS}")
    rules = rules or DedupRules.from_data()
    with read_connection(engine) as conn:
        if q is None:
            newest = conn.execute(select(func.max(events.c.event_date)).where(events.c.deleted.is_(False))).scalar()
            since = (date.fromisoformat(newest) - timedelta(days=RECENT_DAYS)).isoformat() if newest else None
            # undated events are dated by their windows: those that reach into the days looked at
            cond = [events.c.deleted.is_(False),
                    or_(events.c.event_date >= since, events.c.date_hi >= since) if since else true()]
        else:
            cond = conditions(q)
        rows = conn.execute(select(*_KEY_COLUMNS).where(*cond).order_by(events.c.id)).mappings().all()
        told: dict[int, set[int]] = {}
        for event_ref, report in conn.execute(select(mentions.c.event_id, mentions.c.report_id)
                                              .join(events, events.c.id == mentions.c.event_id).where(*cond)):
            told.setdefault(event_ref, set()).add(report)
        dismissed = {(a, b) for a, b in conn.execute(select(dismissed_pairs.c.event_a, dismissed_pairs.c.event_b))}
    public = {r["id"]: r["event_id"] for r in rows}
    keys = [EventKey.from_row(r["id"], r, told.get(r["id"], ())) for r in rows]
    # the wide index's prepared keys serve the real rules too: preparing reads the rules only for
    # which actor names are generic, and widening changes neither those nor anything else prepared
    wide = replace(rules, max_days=rules.max_days + RELAX_DAYS, max_km=rules.max_km * RELAX_KM)
    index = DedupIndex(wide)
    for key in keys:
        index.add(key)
    found: list[tuple[float, tuple[int, str], tuple[int, str], Suggestion]] = []
    for pa, pb in index.near_pairs():
        a, b = ordered_pair(public[pa.key.ref], public[pb.key.ref])
        if (a, b) in dismissed:
            continue
        judged = _judge(pa, pb, rules)
        if judged is None or judged[0] < MIN_SCORE:
            continue
        score, rule, reasons = judged
        found.append((-round(score, 9), (len(a), a), (len(b), b), Suggestion(a, b, round(score, 6), rule, reasons)))
    found.sort(key=lambda f: f[:3])
    return [f[3] for f in found[:limit]]


def dismiss(store: Store, a: str, b: str, *, actor: str | None = None) -> None:
    """Remember that ``a`` and ``b`` are two events; each one's history says so."""
    if a == b:
        raise UsageError("an event cannot be dismissed as its own duplicate")
    first, second = ordered_pair(a, b)
    now = time.time()
    with store.transaction() as conn:
        _live(conn, first), _live(conn, second)
        if conn.execute(select(dismissed_pairs.c.id).where(dismissed_pairs.c.event_a == first,
                                                           dismissed_pairs.c.event_b == second)).first():
            return
        conn.execute(insert(dismissed_pairs).values(event_a=first, event_b=second, actor=actor or store.actor,
                                                    at=now))
        for one, other in ((first, second), (second, first)):
            store.log(conn, one, now, "dismiss", f"not the same event as {other}", None, None, actor)
