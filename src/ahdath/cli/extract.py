"""``ahdath extract``: reports in, events out.

Every input that cannot be read is named on stderr in one line and the batch
goes on; the exit status is 1 when any input failed, 0 otherwise.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import IO, Iterator, TextIO

from ahdath.cli.common import (UndatedNotice, add_reading_options, fail_line, input_paths, make_pipeline,
                               parse_confidence)
from ahdath.errors import AhdathError, InputError, UsageError
from ahdath.export import FORMATS, write_events
from ahdath.export.explain import write_explanation
from ahdath.extract.trace import Decision
from ahdath.ingest import InputFailure, read_inputs
from ahdath.model import Event

EXIT_OK, EXIT_PARTIAL = 0, 1
_EXT_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".geojson": "geojson", ".json": "geojson",
               ".txt": "table"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "extract", help="extract events from Arabic reports",
        description="Extract ACLED-style events from Arabic reports (.txt, .html, .jsonl, folders, '-' for stdin).")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="report files or folders; '-' or nothing (with piped input) reads stdin")
    p.add_argument("-f", "--format", choices=FORMATS, default=None,
                   help="output format (default: table on a terminal, else from -o's extension, else jsonl)")
    p.add_argument("-o", "--output", default=None, metavar="FILE", help="write here instead of stdout")
    p.add_argument("--explain", action="store_true",
                   help="print on stderr, per report, each event kept with what set its confidence, and each "
                        "candidate dropped or folded with the reason and the words it was about")
    p.add_argument("--min-confidence", type=parse_confidence, default=0.0, metavar="P",
                   help="leave out events whose confidence is under P (0-1; --explain lists them)")
    p.add_argument("--timestamp", type=_epoch, default=None, metavar="SECONDS",
                   help="ACLED's timestamp column in CSV output, in unix seconds (default: SOURCE_DATE_EPOCH "
                        "when set, else left empty, so that two runs on the same input are byte-identical)")
    add_reading_options(p)
    p.set_defaults(run=run)


def _epoch(value: str) -> int:
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not a number of seconds since 1970: {value!r}")
    return int(value)


def _timestamp(args: argparse.Namespace) -> int | None:
    if args.timestamp is not None:
        return int(args.timestamp)
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not env:
        return None
    if not env.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH is not a number of seconds since 1970: {env!r}")
    return int(env)


def _pick_format(args: argparse.Namespace, out: IO[str]) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _EXT_FORMAT.get(Path(args.output).suffix.lower(), "jsonl")
    return "table" if out.isatty() else "jsonl"


def run(args: argparse.Namespace) -> int:
    stdin: TextIO = sys.stdin
    paths = input_paths(args, stdin)
    pipeline, boilerplate = make_pipeline(args)

    failures: list[str] = []
    total = [0]
    undated = UndatedNotice()

    def events() -> Iterator[Event]:
        for item in read_inputs(paths, stdin=stdin, default_published=args.published,
                                max_bytes=args.max_bytes, boilerplate=boilerplate, input_format=args.input_format):
            if isinstance(item, InputFailure):
                _fail(failures, item.source, item.error)
                continue
            trace: list[Decision] | None = [] if args.explain else None
            try:
                found = pipeline.extract_article(item, trace)
            except AhdathError as exc:
                _fail(failures, item.id, exc)
                continue
            except Exception as exc:  # noqa: BLE001 - one bad report must not end a batch
                _fail(failures, item.id, InputError(f"extraction failed ({type(exc).__name__}: {exc})"))
                continue
            total[0] += len(found)
            undated.note(item, found)
            if trace is not None:
                reasons = [pipeline.confidence_reasons(e, len(found)) for e in found]
                write_explanation(item.id, found, trace, reasons, sys.stderr)
            yield from found

    stamp = _timestamp(args)
    if args.output:
        try:
            out: IO[str] = open(args.output, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        out = sys.stdout
    fmt = _pick_format(args, out)
    try:
        written = write_events(events(), fmt, out, timestamp=stamp)
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
        undated.close()
    if fmt == "geojson" and written < total[0]:
        print(f"ahdath: {total[0] - written} event(s) without coordinates left out of the GeoJSON",
              file=sys.stderr)
    return EXIT_PARTIAL if failures else EXIT_OK


def _fail(failures: list[str], source: str, error: AhdathError) -> None:
    failures.append(source)
    fail_line(source, error)
