"""``ahdath ingest``: read reports, extract their events, store and deduplicate them."""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from ahdath.cli.common import (add_db_option, add_lock_timeout_option, add_reading_options, fail_line, input_paths,
                               make_pipeline, open_store, pipeline_options)
from ahdath.errors import AhdathError, UsageError
from ahdath.ingest.clean import clean
from ahdath.model import Article

EXIT_OK, EXIT_PARTIAL = 0, 1
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM while a command writes the store. A ``KeyboardInterrupt``, so that no
    ``except Exception`` holds it up and the PostgreSQL driver cancels a statement in flight;
    on its way out the transaction in flight rolls back and the extraction workers are killed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[list[int]]:
    """SIGINT and SIGTERM raise ``Stopped`` in the main thread; a second one, while the first is
    being cleaned up after, exits at once (the database rolls back what a dead client left).
    Yields the signals received: a library's clean-up may replace ``Stopped`` with an error of its
    own (a driver interrupted mid-statement), and the signal is still what ended the command."""
    raised: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield raised  # signal handlers can only be set from the main thread
        return

    def stop(signum: int, _frame: Any) -> None:
        if raised:
            print(f"ahdath: stopped at once by a second {signal.Signals(signum).name}", file=sys.stderr, flush=True)
            os._exit(128 + signum)
        raised.append(signum)
        # a connection interrupted mid-statement cannot be reset when the pool takes it back: the
        # pool says so with a traceback, where the one line printed at the end says what happened.
        # The pool logs through a child logger ("sqlalchemy.pool.impl.QueuePool"): a level set on the
        # parent reaches it (``disabled`` would not)
        logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL + 1)
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in _STOP_SIGNALS}
    try:
        yield raised
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _until_stopped(command: str, run: Callable[[list[int]], int]) -> int:
    """``run(done)`` with SIGINT and SIGTERM turned into one line and exit status 128 + signal;
    ``run`` keeps ``done[0]``, the reports stored so far, for that line."""
    done = [0]
    raised: list[int] = []
    try:
        with _stopped_by_signals() as raised:
            return run(done)
    except BaseException:
        if not raised:
            raise
    signum = raised[0]
    print(f"ahdath: {command} stopped by {signal.Signals(signum).name} after {done[0]} reports: the batch "
          "in flight was rolled back and nothing of it stored; run the same command again to finish",
          file=sys.stderr, flush=True)
    return 128 + signum


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ingest", help="store reports and their events in the database (deduplicated)",
        description="Read reports like `extract`, store them and their events, and merge events that several "
                    "reports describe. Re-ingesting the same reports changes nothing.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="report files or folders; '-' reads stdin")
    add_db_option(p)
    add_reading_options(p)
    p.add_argument("--batch", type=int, default=50, metavar="N",
                   help="reports per transaction (default 50; a crash redoes at most one batch)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="extraction processes (default 1); the store is written by one process")
    add_lock_timeout_option(p)
    p.add_argument("--from-parquet", default=None, metavar="DIR",
                   help="load an `ahdath batch` output folder: its reports and events are stored (deduplicated, "
                        "ids and history as usual) without extracting again")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=run)

    r = subparsers.add_parser(
        "reextract", help="extract every stored report again (after a lexicon or engine change)",
        description="Run extraction again over the reports in the database and update their events; "
                    "event ids and corrections stay, events a reviewer deleted stay deleted, and events "
                    "no report supports any more are tombstoned.")
    add_db_option(r)
    r.add_argument("--lexicon", action="append", default=[], metavar="DIR",
                   help="extra lexicon folder layered over the packaged one (repeatable)")
    r.add_argument("--gazetteer", action="append", default=[], metavar="PATH",
                   help="extra gazetteer layer: a .jsonl file or a folder of them, such as a team's "
                        "`gazetteer add --into` folder (repeatable)")
    add_lock_timeout_option(r)
    r.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    r.set_defaults(run=run_reextract)


def run_reextract(args: argparse.Namespace) -> int:
    return _until_stopped("reextract", lambda done: _reextract(args, done))


def _reextract(args: argparse.Namespace, done: list[int]) -> int:
    from ahdath import __version__
    from ahdath.cli.progress import Progress
    from ahdath.store.workers import extract_one

    store = open_store(args, access="write")
    try:
        pipeline, boilerplate = make_pipeline(args)
        progress = Progress(sys.stderr, None, label="reextract ")
        progress.enabled = progress.enabled and not args.quiet
        failed: list[str] = []

        def extract(article: Article) -> list:
            # a report is stored as given; the engine reads it cleaned, as when it was ingested, and
            # the evidence still points into the stored text
            text, origin = clean(article.text, boilerplate)
            found = extract_one(pipeline, replace(article, text=text, origin=origin))
            if isinstance(found, AhdathError):
                fail_line(article.id, found)
                failed.append(article.id)
                return []
            return found

        def tick(_outcome: object) -> None:
            done[0] += 1
            progress.update(done[0])

        try:
            outcomes = store.reextract(extract, version=__version__, on_report=tick)
        finally:
            progress.close()
    finally:
        store.close()
    new = sum(o.events_new for o in outcomes)
    kept = sum(o.events_merged for o in outcomes)
    removed = sum(o.events_removed for o in outcomes)
    deleted = sum(o.events_deleted for o in outcomes)
    # events a reviewer deleted are read again too, and stay deleted: said, so the count adds up
    still = f", {deleted} still deleted" if deleted else ""
    print(f"ahdath: reports: {len(outcomes)} re-extracted, {len(failed)} failed; events: {new} new, "
          f"{kept} kept or merged, {removed} withdrawn{still}", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def _count_reports(paths: list[str]) -> int | None:
    """How many reports the paths hold, for the progress bar (None when it cannot be known cheaply:
    a compressed file, whose lines are known only by decompressing it)."""
    from ahdath.ingest import REPORT_EXT
    from ahdath.ingest.compressed import COMPRESSED_EXT, HEAD_BYTES, compression

    total = 0
    for arg in paths:
        path = Path(arg)
        files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for f in files:
            suffixes = [x.lower() for x in f.suffixes[-2:]]
            ext = suffixes[0] if len(suffixes) == 2 and suffixes[1] in COMPRESSED_EXT else f.suffix.lower()
            if ext not in REPORT_EXT and path.is_dir():
                continue
            try:
                with open(f, "rb") as fh:
                    if compression(fh.read(HEAD_BYTES)) is not None:
                        return None  # by content, not name: gzip bytes in a file named .jsonl too
                    if ext in (".jsonl", ".ndjson"):
                        fh.seek(0)
                        total += sum(1 for line in fh if line.strip())
                    else:
                        total += 1
            except OSError:
                total += 1
    return total


def run(args: argparse.Namespace) -> int:
    if getattr(args, "from_parquet", None):
        return _until_stopped("ingest", lambda done: _from_parquet(args, done))
    return _until_stopped("ingest", lambda done: _ingest(args, done))


def _from_parquet(args: argparse.Namespace, done: list[int]) -> int:
    from ahdath.cli.progress import Progress
    from ahdath.extras import require_extra
    from ahdath.store.parquet import batch_manifest, load_batch_output

    if args.paths:
        raise UsageError("--from-parquet reads a batch output folder: give no PATH with it")
    if args.batch < 1:
        raise UsageError("--batch must be at least 1")
    require_extra("parquet")
    folder = Path(args.from_parquet)
    total = batch_manifest(folder).get("counts", {}).get("reports")  # checked before the store is opened
    store = open_store(args, access="create")
    try:
        progress = Progress(sys.stderr, None if args.quiet else total, label="ingest ")
        progress.enabled = progress.enabled and not args.quiet

        def on_report(s: Any) -> None:
            done[0] = s.reports
            progress.update(s.reports, f"{s.events_new} events new, {s.events_merged} merged")

        try:
            # a batch carries more reports than ``ingest``'s default: each COPY then carries more rows
            summary = load_batch_output(folder, store, batch_size=max(args.batch, 200), on_report=on_report)
        finally:
            progress.close()
    finally:
        store.close()
    print(f"ahdath: {summary.line()}", file=sys.stderr)
    return EXIT_OK


def _ingest(args: argparse.Namespace, done: list[int]) -> int:
    from ahdath import __version__
    from ahdath.cli.progress import Progress
    from ahdath.ingest import read_inputs
    from ahdath.store import IngestOptions, ingest_articles

    stdin: TextIO = sys.stdin
    paths = input_paths(args, stdin)
    if args.batch < 1:
        raise UsageError("--batch must be at least 1")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    store = open_store(args, access="create")
    try:
        pipeline, boilerplate = make_pipeline(args)
        progress = Progress(sys.stderr, None if args.quiet or "-" in paths else _count_reports(paths),
                            label="ingest ")
        if args.quiet:
            progress.enabled = False

        def on_failure(source: str, error: object) -> None:
            progress.close()
            fail_line(source, error)  # type: ignore[arg-type]

        def on_report(s: Any) -> None:
            done[0] = s.reports
            progress.update(s.reports, f"{s.events_new} events new, {s.events_merged} merged")

        items = read_inputs(paths, stdin=stdin, default_published=args.published, max_bytes=args.max_bytes,
                            boilerplate=boilerplate, input_format=args.input_format)
        try:
            summary = ingest_articles(
                items, store, pipeline,
                options=IngestOptions(batch_size=args.batch, max_bytes=args.max_bytes,
                                      default_published=args.published, extractor_version=__version__,
                                      jobs=args.jobs, pipeline_options=pipeline_options(args)),
                on_report=on_report, on_failure=on_failure)
        finally:
            progress.close()
    finally:
        store.close()
    print(f"ahdath: {summary.line()}", file=sys.stderr)
    return EXIT_PARTIAL if summary.reports_failed else EXIT_OK
