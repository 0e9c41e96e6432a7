"""Browsing the store: one filter (``Browse``) shared by the table, the map, the chart and the queue.

``browse_events`` gives a page of rows and the total; ``map_points`` every matching event with a
point, in a compact form; ``stats`` the counts per day and type, per type and per governorate. All
are plain reads (``db.read_connection``), so a browser never waits for an ingest.

Filters name what the indexes of migration 0004 serve (date, event type, admin1, status) and take
the names a person types: admin1 and country in English (ACLED's) or Arabic, any spelling the admin
table knows. Free text looks in the actors, places and notes and in the reports' titles and texts,
Arabic folded as ``text.normalize.norm`` folds it (hamza seats, alef maqsura, ta marbuta, harakat,
tatweel), so "ادلب" finds "إدلب": reports carry their folded text (``reports.search``, written with
the report); an event's Arabic place name is found in the text of its reports.

Review tags, computed, never stored: ``unresolved_place`` (a place no gazetteer knew),
``precision3`` (placed at the governorate), ``one_source`` (one outlet), ``low_confidence``
(under ``LOW_CONFIDENCE``), ``disagreement`` (its reports give different fatalities or
sub-event types), ``machine_updated`` (re-extraction changed an event a person had reviewed). The
``risk`` sort (and ``workflow.review_queue``) weighs them (``RISK_WEIGHTS``), a flagged status
above all, plus 1 - confidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Float, and_, case, func, literal, or_, select

from ahdath.errors import UsageError
from ahdath.store.db import read_connection
from ahdath.store.queries import EventFilter, _where
from ahdath.store.schema import EVENT_FIELD_NAMES, STATUSES, events, mentions, reports

TAGS: tuple[str, ...] = ("unresolved_place", "precision3", "one_source", "low_confidence", "disagreement",
                         "machine_updated")
SORTS: tuple[str, ...] = ("event_date", "fatalities", "confidence", "updated_at", "event_id", "risk")
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000
MAX_TEXT = 200
# under this the engine's own estimate says it is more likely wrong than right
LOW_CONFIDENCE = 0.5
# how much each reason adds to an event's risk; low confidence adds (1 - confidence) on top of its
# weight, so among equally tagged events the least certain comes first
RISK_WEIGHTS: dict[str, float] = {"machine_updated": 0.6, "disagreement": 0.5, "unresolved_place": 0.5,
                                  "low_confidence": 0.4, "precision3": 0.3, "one_source": 0.2}
# a flagged event: a person asked for a second look, which outranks anything the machine suspects
FLAGGED_WEIGHT = 1.0
UNRESOLVED = "unresolved_place"


@dataclass(frozen=True, slots=True)
class Browse:
    """Which events, in which order, which page. Every filter is optional; a bad value is a
    ``UsageError`` naming it when the filter is made."""

    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # part of an actor name, any role
    country: str | None = None  # English or Arabic name, id prefix (SYR) or ISO number
    admin1: str | None = None  # ACLED name or Arabic name ("Aleppo", "حلب")
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    status: str | None = None
    conf_min: float | None = None
    conf_max: float | None = None
    tag: str | None = None
    text: str | None = None
    sort: str = "event_date"
    descending: bool = True
    offset: int = 0
    limit: int = 50

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise UsageError(f"{name}: {value!r} is not a date YYYY-MM-DD") from None
        if self.bbox is not None:
            box = self.bbox
            if (len(box) != 4 or not all(isinstance(v, (int, float)) and v == v for v in box)
                    or not (-180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90)):
                raise UsageError(f"bbox: {box!r} is not west,south,east,north in degrees (west <= east, "
                                 "south <= north)")
        for name, allowed in (("status", STATUSES), ("tag", TAGS), ("sort", SORTS)):
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise UsageError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
        for name in ("conf_min", "conf_max"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0):
                raise UsageError(f"{name}: {value!r} is not a confidence between 0 and 1")
        if not (isinstance(self.limit, int) and 1 <= self.limit <= MAX_LIMIT):
            raise UsageError(f"limit: {self.limit!r} is not between 1 and {MAX_LIMIT}")
        if not (isinstance(self.offset, int) and 0 <= self.offset <= MAX_OFFSET):
            raise UsageError(f"offset: {self.offset!r} is not between 0 and {MAX_OFFSET}")
        if self.text is not None and len(self.text) > MAX_TEXT:
            raise UsageError(f"text: a search is at most {MAX_TEXT} characters")
        for name in ("event_type", "sub_event_type", "actor", "country", "admin1", "text"):
            value = getattr(self, name)
            if value is not None and len(value) > 255:
                raise UsageError(f"{name}: at most 255 characters")
            if value is not None and not _is_text(value):
                raise UsageError(f"{name}: not text (it holds a NUL or an unpaired surrogate)")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    rows: list[dict[str, Any]] = field(default_factory=list)


class MapPoint(NamedTuple):
    """One event on the map. A named tuple, not a dataclass: a map reads every matching event
    (100,000 of them), and a tuple is made in a third of the time and is a JSON array as it stands."""

    event_id: str
    latitude: float
    longitude: float
    event_type: str | None
    sub_event_type: str | None
    geo_precision: int | None
    location: str | None
    event_date: str | None
    fatalities: int | None


@dataclass(frozen=True, slots=True)
class Stats:
    per_day: list[tuple[str, str, int]]  # (date, event_type, n), by date then type; undated left out
    per_type: dict[str, int]
    per_admin1: dict[str, int]
    total: int


# -- names ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)  # the packaged admin table: read once per process, never changes
def _admin_names() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Spelling key -> ACLED names: of first-level units, and of countries."""
    from ahdath.geo.records import name_key
    from ahdath.geo.sources import load_admin_table

    table = load_admin_table()
    units: dict[str, set[str]] = {}
    for iso2, specs in table.admin1.items():
        for spec in specs.values():
            acled = str(spec["name"])
            for spelling in (acled, *(spec.get("ar") or ())):
                units.setdefault(name_key(str(spelling)), set()).add(acled)
    countries: dict[str, set[str]] = {}
    for c in table.countries.values():
        for spelling in (c.name, *c.names_ar):
            countries.setdefault(name_key(spelling), set()).add(c.name)
    return ({k: frozenset(v) for k, v in units.items()}, {k: frozenset(v) for k, v in countries.items()})


def admin1_names(value: str) -> list[str]:
    """The ACLED names ``value`` may mean (any spelling the admin table knows), plus ``value`` itself."""
    from ahdath.geo.records import name_key

    value = value.strip()
    known = _admin_names()[0].get(name_key(value), frozenset())
    return sorted(known | {value})


def _country_name(value: str) -> str:
    from ahdath.geo.records import name_key

    known = sorted(_admin_names()[1].get(name_key(value.strip()), frozenset()))
    return known[0] if known else value


# -- text ----------------------------------------------------------------------------------------

def report_search_text(title: str | None, text: str) -> str:
    """What a free-text search reads of a report (``reports.search``): title and text, folded by
    ``norm`` and lower-cased, so a search compares like with like in plain SQL ``LIKE``."""
    from ahdath.text.normalize import norm

    return norm(f"{title or ''}\n{text}").lower()


def _text_pattern(text: str) -> str | None:
    folded = " ".join(report_search_text(None, text).split())
    if not folded:
        return None
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_condition(text: str) -> Any:
    pattern = _text_pattern(text)
    if pattern is None:
        return None
    # the event's own fields are ACLED's English names and notes: the case folded, one LIKE over
    # them all (a LIKE per field cost twice as much); its Arabic place name is in its reports' text
    joined: Any = None
    for col in (events.c.actor1, events.c.actor2, events.c.assoc_actor_1, events.c.assoc_actor_2,
                events.c.location, events.c.admin1, events.c.admin2, events.c.admin3, events.c.notes):
        part = func.coalesce(col, "")
        joined = part if joined is None else joined.concat("\x1f").concat(part)
    own = func.lower(joined).like(pattern, escape="\\")
    told = events.c.id.in_(select(mentions.c.event_id).join(reports, reports.c.id == mentions.c.report_id)
                           .where(reports.c.search.like(pattern, escape="\\")))
    return or_(own, told)


# -- review tags and risk --------------------------------------------------------------------------


def _disagreeing() -> Any:
    """Ids of events whose reports give more than one toll or sub-event type."""
    fat = mentions.c.record["fatalities"].as_string()
    sub = mentions.c.record["sub_event_type"].as_string()
    # only events told more than once can disagree: the JSON of the others is never read
    return (select(mentions.c.event_id).join(events, events.c.id == mentions.c.event_id)
            .where(events.c.n_reports > 1, events.c.deleted.is_(False)).group_by(mentions.c.event_id)
            .having(or_(func.count(func.distinct(fat)) > 1, func.count(func.distinct(sub)) > 1)))


def _tag_conditions() -> dict[str, Any]:
    return {
        "unresolved_place": events.c.tags.like(f"%{UNRESOLVED}%"),
        "precision3": events.c.geo_precision == 3,
        "one_source": or_(events.c.source.is_(None), ~events.c.source.like("%;%")),
        "low_confidence": events.c.confidence < LOW_CONFIDENCE,
        "disagreement": and_(events.c.n_reports > 1, events.c.id.in_(_disagreeing())),
        "machine_updated": events.c.status == "machine_updated",
    }


def _risk(disagree: Any) -> Any:
    """The risk expression; ``disagree`` is a true-when-disagreeing SQL expression."""
    conds = {**_tag_conditions(), "disagreement": disagree}
    total: Any = literal(0.0, Float)
    for name, weight in RISK_WEIGHTS.items():
        total = total + case((conds[name], weight), else_=0.0)
    total = total + case((events.c.status == "flagged", FLAGGED_WEIGHT), else_=0.0)
    return total + (1.0 - func.coalesce(events.c.confidence, 0.0))


def row_tags(row: Any, disagree: bool) -> list[str]:
    """The review tags that apply to one event row (``TAGS`` order), then its other stored tags."""
    stored = [t.strip() for t in (row["tags"] or "").split(";") if t.strip()]
    conf = row["confidence"]
    flags = {"unresolved_place": UNRESOLVED in stored, "precision3": row["geo_precision"] == 3,
             "one_source": ";" not in (row["source"] or ""),
             "low_confidence": conf is not None and conf < LOW_CONFIDENCE, "disagreement": disagree,
             "machine_updated": row["status"] == "machine_updated"}
    out = [t for t in TAGS if flags[t]]
    return out + [t for t in stored if t not in out]


def risk_of(tags: list[str], confidence: float | None, status: str | None = None) -> float:
    """The same sum as the SQL ``risk`` sort, for one event's tags and status."""
    flagged = FLAGGED_WEIGHT if status == "flagged" else 0.0
    return sum(RISK_WEIGHTS[t] for t in tags if t in RISK_WEIGHTS) + flagged + (1.0 - (confidence or 0.0))


# -- the filter --------------------------------------------------------------------------------------


def conditions(q: Browse) -> list[Any]:
    """The SQL conditions of a filter (live events only)."""
    flt = EventFilter(since=q.since, until=q.until, actor=q.actor or None,
                      country=_country_name(q.country) if q.country and q.country.strip() else None)
    cond = _where(flt)
    if q.event_type:
        cond.append(events.c.event_type == q.event_type.strip())
    if q.sub_event_type:
        cond.append(events.c.sub_event_type == q.sub_event_type.strip())
    if q.admin1 and q.admin1.strip():
        cond.append(events.c.admin1.in_(admin1_names(q.admin1)))
    if q.bbox is not None:
        west, south, east, north = q.bbox
        cond.append(and_(events.c.longitude.between(west, east), events.c.latitude.between(south, north)))
    if q.status:
        cond.append(events.c.status == q.status)
    if q.conf_min is not None:
        cond.append(events.c.confidence >= q.conf_min)
    if q.conf_max is not None:
        cond.append(events.c.confidence <= q.conf_max)
    if q.tag:
        cond.append(_tag_conditions()[q.tag])
    if q.text and q.text.strip():
        found = _text_condition(q.text)
        if found is not None:
            cond.append(found)
    return cond


def _order(q: Browse, risk: Any) -> list[Any]:
    if q.sort == "risk":
        key: Any = risk
    elif q.sort == "event_id":
        # SYR9 before SYR10: the number's length first
        key = None
    else:
        key = events.c[q.sort]
    keys: list[Any]
    if key is None:
        keys = [func.length(events.c.event_id), events.c.event_id]
        keys = [k.desc() for k in keys] if q.descending else keys
    else:
        # missing values last either way, on both databases (their default NULL orders differ);
        # SQLite reads "DESC NULLS LAST" straight off an index, so the newest page needs no sort
        keys = [(key.desc() if q.descending else key.asc()).nulls_last()]
    return [*keys, events.c.id.desc() if q.descending else events.c.id]


def _public_row(row: Any, disagree: bool) -> dict[str, Any]:
    out: dict[str, Any] = {name: row[name] for name in EVENT_FIELD_NAMES}
    tags = row_tags(row, disagree)
    out.update(event_id=row["event_id"], status=row["status"], status_note=row["status_note"],
               n_reports=row["n_reports"], merge_reason=row["merge_reason"], updated_at=row["updated_at"],
               timestamp=int(row["updated_at"]), tags=tags,
               risk=round(risk_of(tags, row["confidence"], row["status"]), 6))
    return out


def _disagreeing_among(conn: Any, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return {r[0] for r in conn.execute(_disagreeing().where(mentions.c.event_id.in_(ids)))}


def browse_events(engine: Any, q: Browse) -> Page:
    """One page of events and how many match in all."""
    cond = conditions(q)
    with read_connection(engine) as conn:
        total = int(conn.execute(select(func.count()).select_from(events).where(*cond)).scalar_one())
        stmt = select(events).where(*cond)
        if q.sort == "risk":
            dis = _disagreeing().subquery()
            stmt = stmt.outerjoin(dis, dis.c.event_id == events.c.id)
            order = _order(q, _risk(dis.c.event_id.is_not(None)))
        else:
            order = _order(q, None)
        rows = conn.execute(stmt.order_by(*order).offset(q.offset).limit(q.limit)).mappings().all()
        disagree = _disagreeing_among(conn, [r["id"] for r in rows])
    return Page(total, [_public_row(r, r["id"] in disagree) for r in rows])


def map_points(engine: Any, q: Browse, limit: int = 200_000) -> list[MapPoint]:
    """Every matching event that has a point (up to ``limit``), oldest stored first; ``q``'s sort,
    offset and page size are not used (a map shows them all)."""
    cols = (events.c.event_id, events.c.latitude, events.c.longitude, events.c.event_type,
            events.c.sub_event_type, events.c.geo_precision, events.c.location, events.c.event_date,
            events.c.fatalities)
    stmt = (select(*cols).where(*conditions(q), events.c.latitude.is_not(None), events.c.longitude.is_not(None))
            .order_by(events.c.id).limit(max(0, int(limit))))
    with read_connection(engine) as conn:
        return [MapPoint(*r) for r in conn.execute(stmt)]


def stats(engine: Any, q: Browse) -> Stats:
    """Counts of the matching events: per day and type, per type, per admin1 (``""`` for none)."""
    cond = conditions(q)
    etype = func.coalesce(events.c.event_type, "")
    a1 = func.coalesce(events.c.admin1, "")
    per_day: list[tuple[str, str, int]] = []
    per_type: dict[str, int] = {}
    with read_connection(engine) as conn:
        # one pass gives both the days and the types (undated events count for their type only)
        for day, kind, n in conn.execute(select(events.c.event_date, etype, func.count()).where(*cond)
                                         .group_by(events.c.event_date, etype)):
            per_type[kind] = per_type.get(kind, 0) + int(n)
            if day is not None:
                per_day.append((day, kind, int(n)))
        per_admin1 = {a: int(n) for a, n in conn.execute(
            select(a1, func.count()).where(*cond).group_by(a1).order_by(a1))}
    per_day.sort()
    per_type = dict(sorted(per_type.items()))
    return Stats(per_day, per_type, per_admin1, sum(per_type.values()))
