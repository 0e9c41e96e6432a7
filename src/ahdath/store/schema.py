"""The store's tables (SQLAlchemy Core), shared by the code and the first migration.

Migrations under ``migrations/versions`` create and change these tables; a
test checks that the migrated database matches this metadata.

- ``reports``: every report ever ingested, with its text, so events can be
  re-extracted later without the original files.
- ``mentions``: one row per event as extracted from one report (the full
  record as JSON plus the fields deduplication looks at).
- ``events``: canonical events, the published dataset; ``event_id`` (``SYR12``)
  never changes once given.
- ``report_sketches``: sampled hashes of each report's wording, to find reports
  that retell one story (``store.kin``).
- ``id_counters``: the next number for each country prefix.
- ``changes``: every change to an event: what, when, by whom, before/after.
- ``tombstones``: events deleted or merged into another, for downstream sync.
- ``users`` / ``api_tokens``: who may review (``store.users``); passwords as argon2 hashes, tokens
  as sha256 digests, never as given.
- ``dismissed_pairs``: suggested duplicates a reviewer said are two events (``store.suggest``).
- ``settings``: the store's own values, such as the web sessions' signing secret.
"""
from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text, UniqueConstraint, text)

metadata = MetaData()

reports = Table(
    "reports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(255), nullable=False),
    Column("url", Text, nullable=True, unique=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", String(255)),
    Column("title", Text),
    Column("published", String(10)),
    Column("text", Text, nullable=False),
    Column("extracted_at", Float, nullable=False),
    Column("extractor_version", String(32), nullable=False),
    Column("n_events", Integer, nullable=False, default=0),
    # when the report first reached the store (``extracted_at`` moves with every re-extraction): the
    # day an undated report's events are dated by when it carries no publication date
    Column("ingested_at", Float, nullable=False, server_default=text("0")),
    # title and text folded for free-text search (``browse.report_search_text``)
    Column("search", Text),
)

# The ACLED fields a canonical event carries (types for the events table).
EVENT_FIELDS: tuple[tuple[str, type], ...] = (
    ("event_date", String), ("year", Integer), ("time_precision", Integer), ("disorder_type", String),
    ("event_type", String), ("sub_event_type", String), ("actor1", String), ("assoc_actor_1", Text),
    ("inter1", Integer), ("actor2", String), ("assoc_actor_2", Text), ("inter2", Integer),
    ("interaction", Integer), ("civilian_targeting", String), ("iso", Integer), ("region", String),
    ("country", String), ("admin1", String), ("admin2", String), ("admin3", String), ("location", String),
    ("location_ar", String), ("latitude", Float), ("longitude", Float), ("geo_precision", Integer),
    ("source", Text), ("source_url", Text), ("notes", Text), ("fatalities", Integer), ("tags", Text),
    ("confidence", Float),
)
EVENT_FIELD_NAMES: tuple[str, ...] = tuple(name for name, _t in EVENT_FIELDS)
# an event's review status (``store.workflow``)
STATUSES: tuple[str, ...] = ("machine", "reviewed", "final", "machine_updated", "flagged")
# the statuses a person's check stands behind: a machine change to what they show reopens them
CHECKED: tuple[str, ...] = ("reviewed", "final")


def _event_columns() -> list[Column]:
    return [Column(name, typ if typ is not String else String(255)) for name, typ in EVENT_FIELDS]


events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False, unique=True),
    *_event_columns(),
    Column("merge_reason", Text),
    Column("n_reports", Integer, nullable=False, default=0),
    Column("pinned", JSON),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    # an undated event's window, the days its reports may tell of (see dedup.yaml); NULL when dated
    Column("date_lo", String(10)),
    Column("date_hi", String(10)),
    Column("date_basis", String(10)),  # "published" or "ingested": what the window counts back from
    # the review workflow (``store.workflow``): machine | reviewed | final | machine_updated | flagged
    Column("status", String(16), nullable=False, default="machine", server_default="machine"),
    Column("status_note", Text),
    Index("ix_events_iso_date", "iso", "event_date"),
    Index("ix_events_window", "iso", "date_hi"),
    Index("ix_events_iso_sub_date", "iso", "sub_event_type", "event_date"),
    Index("ix_events_updated", "updated_at"),
    # the browser's filters and sorts (``store.browse``) on a store of any country
    # deleted first: a listing's count (live events) reads this small index, not the table
    Index("ix_events_live_date", "deleted", "event_date"),
    Index("ix_events_type_date", "event_type", "event_date"),
    Index("ix_events_admin1", "admin1"),
    Index("ix_events_status", "status"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False, index=True),
    Column("local_id", String(64), nullable=False),
    Column("record", JSON, nullable=False),
    Column("merge_reason", Text),
    Column("added_at", Float, nullable=False),
)

# a sample of each report's word 4-gram hashes (``store.kin``): reports sharing wording are found
# by looking their hashes up, not by reading texts
report_sketches = Table(
    "report_sketches", metadata,
    Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("hash", BigInteger, nullable=False, index=True),
)

id_counters = Table(
    "id_counters", metadata,
    Column("prefix", String(8), primary_key=True),
    Column("next_value", Integer, nullable=False),
)

changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False, index=True),
    Column("at", Float, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text),
    Column("before", JSON),
    Column("after", JSON),
)

tombstones = Table(
    "tombstones", metadata,
    Column("event_id", String(32), primary_key=True),
    Column("at", Float, nullable=False),
    Column("reason", String(16), nullable=False),
    Column("merged_into", String(32)),
    Column("actor", String(255), nullable=False),
    Column("detail", Text),
    Index("ix_tombstones_at", "at"),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # coder | admin
    Column("password_hash", Text, nullable=False),  # argon2id, as argon2-cffi writes it
    Column("created_at", Float, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False, server_default=text("false")),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex of the token
    Column("label", String(255)),
    Column("created_at", Float, nullable=False),
    Column("last_used_at", Float),
)

dismissed_pairs = Table(
    "dismissed_pairs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_a", String(32), nullable=False),  # public ids, event_a < event_b
    Column("event_b", String(32), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", Float, nullable=False),
    UniqueConstraint("event_a", "event_b", name="uq_dismissed_pairs"),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
