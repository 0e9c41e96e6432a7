"""``ahdath batch``: extract a large archive on Dask into Parquet, resumable and exactly once."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ahdath.cli.common import parse_date, parse_seconds, parse_size
from ahdath.errors import UsageError
from ahdath.limits import MAX_BYTES, TIME_BUDGET

EXIT_OK, EXIT_PARTIAL = 0, 1
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30}


def parse_partition_size(value: str) -> int:
    text = value.strip().lower()
    digits = text.rstrip("kmgb")
    unit = text[len(digits):]
    if not digits.isdigit() or unit not in _UNITS or int(digits) <= 0:
        raise argparse.ArgumentTypeError(f"not a size such as 64MB or 500000: {value!r}")
    return int(digits) * _UNITS[unit]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "batch", help="extract a large archive on Dask into Parquet (resumable)",
        description="Extract events from JSONL (plain or compressed) or Parquet inputs (files, folders, globs, "
                    "fsspec URLs) on a Dask cluster into Parquet partitioned by country and month, with a "
                    "failures file and a manifest. Re-running the same command skips the finished partitions.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL or Parquet files, folders, globs or URLs")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (local or shared by the workers)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="a running Dask scheduler (tcp://host:8786); default: a LocalCluster on this machine")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="LocalCluster worker processes (default: the machine's cores)")
    p.add_argument("--partition-size", type=parse_partition_size, default="64MB", metavar="SIZE",
                   help="input bytes per task, e.g. 64MB (default); a compressed file is one task")
    p.add_argument("--dedup", action="store_true",
                   help="also deduplicate across reports with the store's rules (output in DIR/dedup)")
    p.add_argument("--published", type=parse_date, default=None, metavar="YYYY-MM-DD",
                   help="publication date for reports that carry none")
    p.add_argument("--lexicon", action="append", default=[], metavar="DIR",
                   help="extra lexicon folder layered over the packaged one (repeatable; the workers must see it)")
    p.add_argument("--gazetteer", action="append", default=[], metavar="PATH",
                   help="extra gazetteer layer (repeatable; the workers must see it)")
    p.add_argument("--max-bytes", type=parse_size, default=MAX_BYTES, metavar="N",
                   help=f"refuse a report larger than N bytes of UTF-8 (default {MAX_BYTES})")
    p.add_argument("--time-budget", type=parse_seconds, default=TIME_BUDGET, metavar="SECONDS",
                   help=f"give up a report not read within this time (default {TIME_BUDGET:g})")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ahdath.batch.run import BatchOptions, run_batch, stderr_say
    from ahdath.batch.worker import Settings
    from ahdath.cli.progress import Progress

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.workers is not None and args.scheduler:
        raise UsageError("--workers sizes a local cluster; with --scheduler the cluster is sized by its own means")
    settings = Settings(lexicon_dirs=tuple(str(Path(d).resolve()) for d in args.lexicon),
                        gazetteer_paths=tuple(str(Path(g).resolve()) for g in args.gazetteer),
                        published=args.published, max_bytes=args.max_bytes, time_budget=args.time_budget)
    options = BatchOptions(inputs=tuple(args.inputs), out=Path(args.out), scheduler=args.scheduler,
                           workers=args.workers, partition_size=args.partition_size, settings=settings,
                           dedup=args.dedup)
    progress = Progress(sys.stderr, None, label="batch ")
    progress.enabled = progress.enabled and not args.quiet

    def tick(reports: int, failures: int, parts: int) -> None:
        progress.update(reports, f"{failures} failed, {parts} partitions done")

    def say(line: str) -> None:
        progress.close()
        if not args.quiet:
            stderr_say()(line)

    try:
        result = run_batch(options, progress=tick, say=say)
    finally:
        progress.close()
    if result.ran == 0 and result.dedup is None:
        print(f"ahdath: nothing to do: all {result.partitions} partitions of {args.out} are done", file=sys.stderr)
    else:
        if result.dedup:
            print(f"ahdath: dedup: {result.dedup['events_in']} events in {result.dedup['canonical_events']} canonical "
                  f"events ({result.dedup['groups']} groups in {result.dedup['buckets']} buckets; see "
                  f"{Path(args.out) / 'dedup'})", file=sys.stderr)
        print(f"ahdath: batch: {result.ran} partitions run, {result.skipped} already done; {result.reports} reports, "
              f"{result.events} events, {result.failures} failed lines (see {Path(args.out) / 'failures.jsonl'}); "
              f"{result.wall_s:.1f}s on {result.workers} workers", file=sys.stderr)
    return EXIT_PARTIAL if result.failures else EXIT_OK
