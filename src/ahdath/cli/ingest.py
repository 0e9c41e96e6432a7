"""``ahdath ingest``: read reports, extract their events, store and deduplicate them."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ahdath.cli.common import (add_db_option, add_reading_options, fail_line, input_paths, make_pipeline,
                               open_store, pipeline_options)
from ahdath.errors import AhdathError, UsageError
from ahdath.ingest.clean import clean
from ahdath.model import Article

EXIT_OK, EXIT_PARTIAL = 0, 1


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
    r.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    r.set_defaults(run=run_reextract)


def run_reextract(args: argparse.Namespace) -> int:
    from ahdath import __version__
    from ahdath.cli.progress import Progress
    from ahdath.store.workers import extract_one

    store = open_store(args)
    try:
        pipeline, boilerplate = make_pipeline(args)
        progress = Progress(sys.stderr, None, label="reextract ")
        progress.enabled = progress.enabled and not args.quiet
        failed: list[str] = []
        done = [0]

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

        outcomes = store.reextract(extract, version=__version__, on_report=tick)
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
    """How many reports the paths hold, for the progress bar (None when it cannot be known cheaply)."""
    from ahdath.ingest import REPORT_EXT

    total = 0
    for arg in paths:
        path = Path(arg)
        files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.suffix.lower() not in REPORT_EXT and path.is_dir():
                continue
            if f.suffix.lower() in (".jsonl", ".ndjson"):
                try:
                    with open(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def run(args: argparse.Namespace) -> int:
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
    store = open_store(args)
    try:
        pipeline, boilerplate = make_pipeline(args)
        progress = Progress(sys.stderr, None if args.quiet or "-" in paths else _count_reports(paths),
                            label="ingest ")
        if args.quiet:
            progress.enabled = False

        def on_failure(source: str, error: object) -> None:
            progress.close()
            fail_line(source, error)  # type: ignore[arg-type]

        items = read_inputs(paths, stdin=stdin, default_published=args.published, max_bytes=args.max_bytes,
                            boilerplate=boilerplate, input_format=args.input_format)
        summary = ingest_articles(
            items, store, pipeline,
            options=IngestOptions(batch_size=args.batch, max_bytes=args.max_bytes,
                                  default_published=args.published, extractor_version=__version__,
                                  jobs=args.jobs, pipeline_options=pipeline_options(args)),
            on_report=lambda s: progress.update(s.reports, f"{s.events_new} events new, {s.events_merged} merged"),
            on_failure=on_failure)
        progress.close()
    finally:
        store.close()
    print(f"ahdath: {summary.line()}", file=sys.stderr)
    return EXIT_PARTIAL if summary.reports_failed else EXIT_OK
