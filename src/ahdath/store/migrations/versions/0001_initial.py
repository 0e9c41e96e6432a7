"""Initial store: reports, mentions, canonical events, id counters, change log, tombstones.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

_S = sa.String(255)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(255), nullable=False),
        sa.Column("url", sa.Text, nullable=True, unique=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", _S), sa.Column("title", sa.Text), sa.Column("published", sa.String(10)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extracted_at", sa.Float, nullable=False),
        sa.Column("extractor_version", sa.String(32), nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), nullable=False, unique=True),
        sa.Column("event_date", _S), sa.Column("year", sa.Integer), sa.Column("time_precision", sa.Integer),
        sa.Column("disorder_type", _S), sa.Column("event_type", _S), sa.Column("sub_event_type", _S),
        sa.Column("actor1", _S), sa.Column("assoc_actor_1", sa.Text), sa.Column("inter1", sa.Integer),
        sa.Column("actor2", _S), sa.Column("assoc_actor_2", sa.Text), sa.Column("inter2", sa.Integer),
        sa.Column("interaction", sa.Integer), sa.Column("civilian_targeting", _S), sa.Column("iso", sa.Integer),
        sa.Column("region", _S), sa.Column("country", _S), sa.Column("admin1", _S), sa.Column("admin2", _S),
        sa.Column("admin3", _S), sa.Column("location", _S), sa.Column("location_ar", _S),
        sa.Column("latitude", sa.Float), sa.Column("longitude", sa.Float), sa.Column("geo_precision", sa.Integer),
        sa.Column("source", sa.Text), sa.Column("source_url", sa.Text), sa.Column("notes", sa.Text),
        sa.Column("fatalities", sa.Integer), sa.Column("tags", sa.Text), sa.Column("confidence", sa.Float),
        sa.Column("merge_reason", sa.Text),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("pinned", sa.JSON),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_events_iso_date", "events", ["iso", "event_date"])
    op.create_index("ix_events_updated", "events", ["updated_at"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("local_id", sa.String(64), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("merge_reason", sa.Text),
        sa.Column("added_at", sa.Float, nullable=False),
    )
    op.create_index("ix_mentions_report_id", "mentions", ["report_id"])
    op.create_index("ix_mentions_event_id", "mentions", ["event_id"])
    op.create_table(
        "id_counters",
        sa.Column("prefix", sa.String(8), primary_key=True),
        sa.Column("next_value", sa.Integer, nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text), sa.Column("before", sa.JSON), sa.Column("after", sa.JSON),
    )
    op.create_index("ix_changes_event_id", "changes", ["event_id"])
    op.create_table(
        "tombstones",
        sa.Column("event_id", sa.String(32), primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("merged_into", sa.String(32)),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_tombstones_at", "tombstones", ["at"])


def downgrade() -> None:
    for name in ("tombstones", "changes", "id_counters", "mentions", "events", "reports"):
        op.drop_table(name)
