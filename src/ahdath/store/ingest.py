"""Ingest: read reports, extract events, store them in batches.

A report already in the store is recognised by its content hash *before*
extraction, so re-ingesting a folder costs little more than reading it. Each
batch is one transaction; a crash loses at most the batch in flight, and the
next run redoes it (stored reports are skipped, so nothing is duplicated).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Iterator, TextIO

from ahdath.errors import AhdathError
from ahdath.ingest import MAX_BYTES, Boilerplate, InputFailure, read_inputs
from ahdath.model import Article, Event
from ahdath.store.repository import ReportOutcome, Store, content_hash
from ahdath.store.workers import extract_one, extract_parallel


@dataclass(frozen=True, slots=True)
class IngestOptions:
    batch_size: int = 50
    max_bytes: int = MAX_BYTES
    default_published: date | None = None
    extractor_version: str = ""
    # extraction processes; above 1, forked workers share the caller's pipeline, and where processes
    # are spawned instead (macOS, Windows) ``pipeline_options`` builds theirs
    jobs: int = 1
    pipeline_options: Any = None


@dataclass(frozen=True, slots=True)
class IngestSummary:
    reports_new: int = 0
    reports_changed: int = 0
    reports_unchanged: int = 0
    reports_failed: int = 0
    events_new: int = 0
    events_merged: int = 0
    events_removed: int = 0
    events_deleted: int = 0  # events a changed report told again that a reviewer had deleted: kept deleted
    failures: tuple[tuple[str, AhdathError], ...] = field(default=())

    @property
    def reports(self) -> int:
        return self.reports_new + self.reports_changed + self.reports_unchanged + self.reports_failed

    def line(self) -> str:
        """The summary line printed at the end of ``ahdath ingest``."""
        changed = f", {self.reports_changed} changed" if self.reports_changed else ""
        removed = f", {self.events_removed} withdrawn" if self.events_removed else ""
        still = f", {self.events_deleted} still deleted" if self.events_deleted else ""
        return (f"reports: {self.reports_new} new{changed}, {self.reports_unchanged} unchanged, "
                f"{self.reports_failed} failed; events: {self.events_new} new, {self.events_merged} merged"
                f"{removed}{still}")


class _Tally:
    def __init__(self) -> None:
        self.counts = dict.fromkeys(("reports_new", "reports_changed", "reports_unchanged", "reports_failed",
                                     "events_new", "events_merged", "events_removed", "events_deleted"), 0)
        self.failures: list[tuple[str, AhdathError]] = []

    def add(self, outcome: ReportOutcome) -> None:
        self.counts[f"reports_{outcome.status}"] += 1
        self.counts["events_new"] += outcome.events_new
        self.counts["events_merged"] += outcome.events_merged
        self.counts["events_removed"] += outcome.events_removed
        self.counts["events_deleted"] += outcome.events_deleted

    def fail(self, source: str, error: AhdathError) -> None:
        self.counts["reports_failed"] += 1
        self.failures.append((source, error))

    def summary(self) -> IngestSummary:
        return IngestSummary(**self.counts, failures=tuple(self.failures))


def ingest_articles(items: Iterable[Article | InputFailure], store: Store, pipeline: Any, *,
                    options: IngestOptions = IngestOptions(),
                    on_report: Callable[[IngestSummary], None] | None = None,
                    on_failure: Callable[[str, AhdathError], None] | None = None) -> IngestSummary:
    """Extract and store each article; failures are reported and the rest goes on."""
    tally = _Tally()
    batch: list[tuple[Article, list[Event]]] = []

    def flush() -> None:
        if batch:
            for outcome in store.add_reports(batch, extractor_version=options.extractor_version):
                tally.add(outcome)
            batch.clear()
            if on_report:
                on_report(tally.summary())

    def store_results(results: Iterable[tuple[Article, "list[Event] | AhdathError"]]) -> None:
        for article, found in results:
            if isinstance(found, AhdathError):
                _failed(tally, on_failure, article.id, found)
                continue
            batch.append((article, found))
            if len(batch) >= options.batch_size:
                flush()
        if on_report:
            on_report(tally.summary())

    def fresh(articles: list[Article]) -> list[Article]:
        """The reports not yet stored (checked a chunk at a time, before any extraction)."""
        stored = store.stored(*articles) if articles else set()
        out = []
        for article in articles:
            if content_hash(article) in stored:
                tally.add(ReportOutcome(article.id, "unchanged"))
            else:
                out.append(article)
        return out

    def chunks() -> Iterator[list[Article]]:
        pending: list[Article] = []
        for item in items:
            if isinstance(item, InputFailure):
                _failed(tally, on_failure, item.source, item.error)
                continue
            pending.append(item)
            if len(pending) >= options.batch_size:
                yield fresh(pending)
                pending = []
        yield fresh(pending)

    if options.jobs > 1:
        # closed on the way out, whatever ends the loop: the workers are stopped before the error
        # (or the interrupt) goes on, and none of them holds the store's connections meanwhile
        with contextlib.closing(extract_parallel(chunks(), options.pipeline_options, options.jobs, pipeline,
                                                 engines=(store.engine,))) as extracted:
            for results in extracted:
                store_results(results)
    else:
        for chunk in chunks():
            store_results((article, extract_one(pipeline, article)) for article in chunk)
    flush()
    return tally.summary()


def _failed(tally: _Tally, on_failure: Callable[[str, AhdathError], None] | None, source: str,
            error: AhdathError) -> None:
    tally.fail(source, error)
    if on_failure:
        on_failure(source, error)


def ingest_paths(paths: list[str], store: Store, pipeline: Any, *, boilerplate: Boilerplate | None = None,
                 stdin: TextIO | None = None, options: IngestOptions = IngestOptions(),
                 on_report: Callable[[IngestSummary], None] | None = None,
                 on_failure: Callable[[str, AhdathError], None] | None = None) -> IngestSummary:
    """``ingest_articles`` over files, folders, jsonl and stdin, read as ``ahdath extract`` reads them."""
    items = read_inputs(paths, stdin=stdin, default_published=options.default_published,
                        max_bytes=options.max_bytes, boilerplate=boilerplate)
    return ingest_articles(items, store, pipeline, options=options, on_report=on_report, on_failure=on_failure)
