"""Review in the browser: a status on every event, reviewers and their tokens, dismissed
duplicate suggestions, the store's own settings, and indexes for the browser's filters.

- ``events.status`` (``machine`` for every event already stored) and ``events.status_note``.
- ``reports.search``: title and text folded for free-text search, filled for stored reports.
- ``users``, ``api_tokens``, ``dismissed_pairs``, ``settings`` (see ``schema``).
- indexes on ``(deleted, event_date)``, ``(event_type, event_date)``, ``admin1`` and ``status``: the
  existing ones all start with ``iso``, which a filter by date or type alone cannot use; a listing's
  count of live events reads the first, not the table.

Revision ID: 0004_review
Revises: 0003_dates_and_kin
Create Date: 2026-12-05
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_review"
down_revision = "0003_dates_and_kin"
branch_labels = None
depends_on = None

_BATCH = 500
_INDEXES = (("ix_events_live_date", ["deleted", "event_date"]), ("ix_events_type_date", ["event_type", "event_date"]),
            ("ix_events_admin1", ["admin1"]), ("ix_events_status", ["status"]))


def upgrade() -> None:
    # plain ADD COLUMNs (see 0003): a NOT NULL column with a server default fills the rows already there
    op.add_column("events", sa.Column("status", sa.String(16), nullable=False, server_default="machine"))
    op.add_column("events", sa.Column("status_note", sa.Text))
    op.add_column("reports", sa.Column("search", sa.Text))
    for name, columns in _INDEXES:
        op.create_index(name, "events", columns)
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.text("false")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(255)),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_used_at", sa.Float),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "dismissed_pairs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_a", sa.String(32), nullable=False),
        sa.Column("event_b", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.UniqueConstraint("event_a", "event_b", name="uq_dismissed_pairs"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    _fill_search(op.get_bind())


def _fill_search(conn: sa.engine.Connection) -> None:
    from ahdath.store.browse import report_search_text

    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                       sa.column("text", sa.Text), sa.column("search", sa.Text))
    ids = [r.id for r in conn.execute(sa.select(reports.c.id).order_by(reports.c.id))]
    for lo in range(0, len(ids), _BATCH):
        rows = conn.execute(sa.select(reports.c.id, reports.c.title, reports.c.text)
                            .where(reports.c.id.in_(ids[lo:lo + _BATCH]))).all()
        conn.execute(sa.update(reports).where(reports.c.id == sa.bindparam("b_id")),
                     [{"b_id": r.id, "search": report_search_text(r.title, r.text)} for r in rows])


def downgrade() -> None:
    for name in ("settings", "dismissed_pairs", "api_tokens", "users"):
        op.drop_table(name)
    for name, _columns in _INDEXES:
        op.drop_index(name, table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("status_note")
        batch.drop_column("status")
    # not batch mode: SQLite's copy of the reports table would cascade to every mention
    op.drop_column("reports", "search")
