"""The event store: reports and their events in SQLite or PostgreSQL, deduplicated across outlets.

    >>> from ahdath.store import Store
    >>> with Store.open("sqlite:///events.sqlite") as store:
    ...     store.add_reports([(article, pipeline.extract_article(article))])

See ``repository`` for the write rules, ``dedup`` for when two reports are one
event, ``canonical`` for how their fields combine.
"""
from ahdath.store.db import DatabaseURL, resolve_url
from ahdath.store.ingest import IngestOptions, IngestSummary, ingest_articles, ingest_paths
from ahdath.store.queries import (EventDetail, EventFilter, UnresolvedPlace, event_detail, iter_events,
                                  list_tombstones, summary, unresolved_places)
from ahdath.store.repository import ReportOutcome, Store, content_hash
from ahdath.store.review import delete_event, edit_event, merge_events, split_event

__all__ = ["Store", "DatabaseURL", "resolve_url", "ReportOutcome", "content_hash", "IngestOptions",
           "IngestSummary", "ingest_articles", "ingest_paths", "EventFilter", "EventDetail", "iter_events",
           "event_detail", "list_tombstones", "summary", "UnresolvedPlace", "unresolved_places", "edit_event",
           "delete_event", "merge_events", "split_event"]
