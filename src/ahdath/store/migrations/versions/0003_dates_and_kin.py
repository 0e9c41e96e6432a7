"""Undated events dated by their reports' windows; reports found kin by their wording; a report
is its text as published by one outlet.

- ``reports.ingested_at``: when a report first reached the store (filled from ``extracted_at``).
- ``events.date_lo`` / ``date_hi``: an undated event's window, filled from its reports.
- ``report_sketches``: sampled hashes of each report's wording (``ahdath.store.kin``).
- ``reports.content_hash`` now covers the url and the outlet, so the same wire text published by a
  second outlet is a report of its own (recomputed for every stored report).

Revision ID: 0003_dates_and_kin
Revises: 0002_event_type_index
Create Date: 2026-12-05
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003_dates_and_kin"
down_revision = "0002_event_type_index"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    from ahdath.store.kin import sketch
    from ahdath.store.repository import report_hash
    from ahdath.store.rules import DedupRules

    # plain ADD COLUMNs: SQLite's batch mode would copy the reports table, and dropping the old copy
    # cascades to every mention and sketch (a NOT NULL column needs a default there; rows get theirs below)
    op.add_column("reports", sa.Column("ingested_at", sa.Float, nullable=False, server_default=sa.text("0")))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("date_lo", sa.String(10)))
        batch.add_column(sa.Column("date_hi", sa.String(10)))
        batch.add_column(sa.Column("date_basis", sa.String(10)))
    op.create_index("ix_events_window", "events", ["iso", "date_hi"])
    op.create_table(
        "report_sketches",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("hash", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_report_sketches_report_id", "report_sketches", ["report_id"])
    op.create_index("ix_report_sketches_hash", "report_sketches", ["hash"])

    conn = op.get_bind()
    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                       sa.column("title", sa.Text), sa.column("published", sa.String),
                       sa.column("url", sa.Text), sa.column("source", sa.String),
                       sa.column("content_hash", sa.String), sa.column("extracted_at", sa.Float),
                       sa.column("ingested_at", sa.Float))
    sketches = sa.table("report_sketches", sa.column("report_id", sa.Integer), sa.column("hash", sa.BigInteger))
    conn.execute(sa.update(reports).values(ingested_at=reports.c.extracted_at))
    ids = [r.id for r in conn.execute(sa.select(reports.c.id).order_by(reports.c.id))]
    # two passes over the hashes: a new hash may equal an old one not yet rewritten (unique column)
    for prefix in ("~", ""):
        for lo in range(0, len(ids), _BATCH):
            rows = conn.execute(sa.select(reports).where(reports.c.id.in_(ids[lo:lo + _BATCH]))).mappings().all()
            for r in rows:
                digest = report_hash(r["text"], r["title"], r["published"], r["url"], r["source"])
                conn.execute(sa.update(reports).where(reports.c.id == r["id"]).values(
                    content_hash=(prefix + digest)[:64] if prefix else digest))
                if not prefix:
                    rows_s = [{"report_id": r["id"], "hash": h} for h in sketch(r["text"])]
                    if rows_s:
                        conn.execute(sa.insert(sketches), rows_s)
    _windows(conn, DedupRules.from_data().undated_window_days)


def _windows(conn: sa.engine.Connection, days: int) -> None:
    """Each undated event's window: the hull of its reports' windows."""
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("event_date", sa.String),
                      sa.column("date_lo", sa.String), sa.column("date_hi", sa.String),
                      sa.column("date_basis", sa.String), sa.column("deleted", sa.Boolean))
    mentions = sa.table("mentions", sa.column("event_id", sa.Integer), sa.column("report_id", sa.Integer))
    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("published", sa.String),
                       sa.column("ingested_at", sa.Float))
    rows = conn.execute(sa.select(events.c.id, reports.c.published, reports.c.ingested_at)
                        .join(mentions, mentions.c.event_id == events.c.id)
                        .join(reports, reports.c.id == mentions.c.report_id)
                        .where(events.c.event_date.is_(None)))
    hull: dict[int, tuple[str, str, str]] = {}
    for event_id, published, ingested in rows:
        day = dt.date.fromisoformat(published) if published else \
            dt.datetime.fromtimestamp(ingested, tz=dt.timezone.utc).date()
        lo, hi = (day - dt.timedelta(days=days)).isoformat(), day.isoformat()
        basis = "published" if published else "ingested"
        old = hull.get(event_id)
        if old:
            basis = "published" if "published" in (basis, old[2]) else basis
            hull[event_id] = (min(lo, old[0]), max(hi, old[1]), basis)
        else:
            hull[event_id] = (lo, hi, basis)
    for event_id, (lo, hi, basis) in sorted(hull.items()):
        conn.execute(sa.update(events).where(events.c.id == event_id).values(date_lo=lo, date_hi=hi,
                                                                            date_basis=basis))


def downgrade() -> None:
    op.drop_index("ix_report_sketches_hash", table_name="report_sketches")
    op.drop_index("ix_report_sketches_report_id", table_name="report_sketches")
    op.drop_table("report_sketches")
    op.drop_index("ix_events_window", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("date_basis")
        batch.drop_column("date_hi")
        batch.drop_column("date_lo")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("ingested_at")
