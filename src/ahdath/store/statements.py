"""The event store's frequent SQL statements, built once per dialect.

They live apart from ``repository`` because they are the one part of the store that differs by
database (PostgreSQL takes a list as one array parameter, SQLite an expanding IN list) and the
part the dedup reads are tuned in: which indexes a candidate read can use, and in what order its
rows come back (``unit``).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, any_, bindparam, func, or_, select, union_all, update
from sqlalchemy.dialects.postgresql import ARRAY

from ahdath.store.schema import events, id_counters, mentions, reports


class Statements:
    """The store's frequent statements, built once: SQLAlchemy then reuses their compiled form,
    where statements rebuilt with literal values would be compiled again for every row."""

    def __init__(self, dialect: str) -> None:
        def one_of(column: Any, name: str) -> Any:
            # PostgreSQL takes a list as one array parameter: one statement text whatever its length,
            # which the driver prepares once (an IN list is a new statement for every length)
            if dialect == "postgresql":
                return column == any_(bindparam(name, type_=ARRAY(column.type)))
            return column.in_(bindparam(name, expanding=True))

        live = events.c.deleted.is_(False)
        same_name = or_(events.c.location == bindparam("loc"), events.c.location_ar == bindparam("loc"))
        # a precise key: nearby points, same-named places, and coarse events (compared in Python)
        near = or_(and_(events.c.latitude.between(bindparam("lat0"), bindparam("lat1")),
                        events.c.longitude.between(bindparam("lon0"), bindparam("lon1"))),
                   events.c.latitude.is_(None), events.c.geo_precision >= 3, same_name)
        # a coarse key: whatever lies in its admin1, or carries its name
        coarse = or_(events.c.admin1 == bindparam("a1"), same_name)
        iso, no_iso = events.c.iso == bindparam("iso"), events.c.iso.is_(None)
        # candidate reads give stamps (see ``cache``); the rows not cached come from ``events_by_ids``.
        # Rows are taken in id order whatever read found them: ties between equal matches go to the
        # event filed first in the dedup index, so the oldest.
        stamps = select(events.c.id, events.c.updated_at, events.c.n_reports)
        # dated and undated candidates are read apart (UNION ALL): an OR of the two would keep SQLite
        # from using the date in its (iso, sub-event type, date) index, reading a country's every event
        # of the type (50 ms a record at 100,000 events) where each half reads only the days it needs
        subs = one_of(events.c.sub_event_type, "subs")
        on_days = (events.c.event_date.between(bindparam("lo"), bindparam("hi")), subs)
        in_window = (events.c.event_date.is_(None), events.c.date_hi >= bindparam("lo"),
                     events.c.date_lo <= bindparam("hi"), subs)

        def either(*cond: Any) -> Any:
            return union_all(stamps.where(live, *on_days, *cond), stamps.where(live, *in_window, *cond))

        self.candidates_near = either(iso, near)
        self.candidates_near_no_iso = either(no_iso, near)
        self.candidates_coarse = either(iso, coarse)
        self.candidates_coarse_no_iso = either(no_iso, coarse)
        # a batch's read of whole days: live events of its countries on the days it touches
        days = (live, one_of(events.c.event_date, "days"))
        isos = one_of(events.c.iso, "isos")
        self.window = stamps.where(*days, isos)
        self.window_or_no_iso = stamps.where(*days, or_(isos, no_iso))
        # undated events whose windows meet a batch's days
        windows = (live, events.c.event_date.is_(None), events.c.date_hi >= bindparam("lo"),
                   events.c.date_lo <= bindparam("hi"))
        self.undated = stamps.where(*windows, isos)
        self.undated_or_no_iso = stamps.where(*windows, or_(isos, no_iso))
        # the archive rule (``dedup._archived``): candidates by place name, whatever their day.
        # Dated events of the names an undated batch record gives, by (place, sub-event type, actor1)
        # groups on one day only: a group on several days can never be reached (``dedup._best``).
        named = (one_of(events.c.iso, "isos"),
                 one_of(events.c.sub_event_type, "subs"),
                 one_of(events.c.location, "names"), events.c.geo_precision < 3)
        day = func.coalesce(events.c.event_date, events.c.date_lo)
        dated = or_(events.c.event_date.is_not(None), events.c.date_basis == "published")
        groups = (select(events.c.location, events.c.sub_event_type, events.c.actor1)
                  .where(live, dated, *named)
                  .group_by(events.c.location, events.c.sub_event_type, events.c.actor1)
                  .having(func.count(func.distinct(day)) == 1).subquery())
        self.archived_dated = stamps.where(live, dated, *named).join(groups, and_(
            groups.c.location == events.c.location, groups.c.sub_event_type == events.c.sub_event_type,
            groups.c.actor1 == events.c.actor1))
        # undated events of reports read with no feed date, at the names a dated batch record gives,
        # read on or after its day (a report never tells of a later day than the one it was read)
        self.archived_undated = stamps.where(live, events.c.event_date.is_(None), events.c.date_basis == "ingested",
                                             events.c.date_hi >= bindparam("lo"), *named)
        # the events kin reports tell (deleted ones too: ``live_by_ids`` then reads only the live)
        self.events_of_reports = (select(mentions.c.report_id, mentions.c.event_id).distinct()
                                  .where(one_of(mentions.c.report_id, "r")))
        self.live_by_ids = stamps.where(live, one_of(events.c.id, "ids"))
        self.events_by_ids = select(events).where(one_of(events.c.id, "ids"))
        self.reports_known = select(reports.c.id, reports.c.content_hash, reports.c.url).where(
            or_(one_of(reports.c.content_hash, "h"),
                one_of(reports.c.url, "u")))
        self.reports_by_hash = select(reports.c.content_hash).where(
            one_of(reports.c.content_hash, "h"))
        self.mentions_of_report = (select(mentions.c.id, mentions.c.event_id, mentions.c.local_id, mentions.c.record,
                                          mentions.c.merge_reason)
                                   .where(mentions.c.report_id == bindparam("r")).order_by(mentions.c.id))
        self.update_mention = update(mentions).where(mentions.c.id == bindparam("b_id"))
        self.set_counter = update(id_counters).where(id_counters.c.prefix == bindparam("p"))
        self.public_id = select(events.c.event_id).where(events.c.id == bindparam("i"))
        self.event_by_id = select(events).where(events.c.id == bindparam("i"))
        self.update_event = update(events).where(events.c.id == bindparam("b_id"))
        self.members = (select(mentions.c.record, mentions.c.id, reports.c.source, reports.c.url)
                        .join(reports, reports.c.id == mentions.c.report_id)
                        .where(mentions.c.event_id == bindparam("i")).order_by(mentions.c.id))
