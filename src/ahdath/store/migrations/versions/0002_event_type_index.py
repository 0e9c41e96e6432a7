"""Index canonical events by country, sub-event type and date: the dedup candidate search.

Revision ID: 0002_event_type_index
Revises: 0001_initial
Create Date: 2026-11-27
"""
from __future__ import annotations

from alembic import op

revision = "0002_event_type_index"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a candidate search names the country, the compatible sub-event types and a few days: with
    # (iso, event_date) alone a busy day's events of every type were read to find a few
    op.create_index("ix_events_iso_sub_date", "events", ["iso", "sub_event_type", "event_date"])


def downgrade() -> None:
    op.drop_index("ix_events_iso_sub_date", table_name="events")
