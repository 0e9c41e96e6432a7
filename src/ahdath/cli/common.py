"""Options and set-up shared by the commands that read reports or open the store."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ahdath.errors import AhdathError, UsageError
from ahdath.ingest import INPUT_FORMATS, MAX_BYTES, Boilerplate
from ahdath.limits import TIME_BUDGET

if TYPE_CHECKING:
    from ahdath.store.opening import Access


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def parse_confidence(value: str) -> float:
    try:
        p = float(value)
    except ValueError:
        p = -1.0
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"not a confidence between 0 and 1: {value!r}")
    return p


def parse_size(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number of bytes: {value!r}")
    return n


def parse_seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        n = 0.0
    if not 0 < n < float("inf"):
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {value!r}")
    return n


def input_paths(args: argparse.Namespace, stdin: Any) -> list[str]:
    """The PATH arguments, or ``-`` when none are given and reports are piped in."""
    paths: list[str] = list(args.paths)
    if not paths:
        if stdin is None or stdin.isatty():
            raise UsageError("no input: give report files or folders, or pipe reports on stdin")
        paths = ["-"]
    return paths


def add_reading_options(p: argparse.ArgumentParser) -> None:
    """How reports are read and which lexicons and gazetteers extract them."""
    p.add_argument("--published", type=parse_date, default=None, metavar="YYYY-MM-DD",
                   help="publication date for reports that carry none")
    p.add_argument("--lexicon", action="append", default=[], metavar="DIR",
                   help="extra lexicon folder layered over the packaged one (repeatable)")
    p.add_argument("--gazetteer", action="append", default=[], metavar="PATH",
                   help="extra gazetteer layer: a .jsonl file or a folder of them, such as a team's "
                        "`gazetteer add --into` folder (repeatable)")
    p.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                   help="what the inputs hold (default auto: files by extension; stdin and other files sniffed: "
                        "JSON lines when every line is a JSON object with 'text', HTML when it looks like a page, "
                        "else plain text)")
    p.add_argument("--max-bytes", type=parse_size, default=MAX_BYTES, metavar="N",
                   help=f"refuse a report larger than N bytes of UTF-8, decoded and decompressed: a file's or "
                        f"stdin's content (a page's markup), a jsonl record's text (or html) (default {MAX_BYTES})")
    p.add_argument("--time-budget", type=parse_seconds, default=TIME_BUDGET, metavar="SECONDS",
                   help=f"give up a report not read within this time (default {TIME_BUDGET:g})")


def pipeline_options(args: argparse.Namespace) -> Any:
    """The pipeline ``Options`` the reading options ask for."""
    from ahdath.pipeline import Options

    return Options(lexicon_dirs=tuple(Path(d) for d in args.lexicon),
                   gazetteer_paths=tuple(Path(g) for g in args.gazetteer),
                   min_confidence=getattr(args, "min_confidence", 0.0),
                   max_report_bytes=getattr(args, "max_bytes", MAX_BYTES),
                   time_budget=getattr(args, "time_budget", TIME_BUDGET))


def make_pipeline(args: argparse.Namespace) -> tuple[Any, Boilerplate]:
    """The extraction pipeline and the boilerplate lines to strip, from the reading options."""
    from ahdath.lexicon import LexiconSet, load_lexicons
    from ahdath.pipeline import Pipeline

    options = pipeline_options(args)
    pipeline = Pipeline.from_options(options)
    lexicons = getattr(pipeline, "lexicons", None)  # reuse the pipeline's copy when it keeps one
    if not isinstance(lexicons, LexiconSet):
        lexicons = load_lexicons(options.lexicon_dirs)
    boilerplate = Boilerplate.from_lexicon(lexicons["boilerplate"])
    # the lexicons and gazetteer live as long as the process: without this every full collection
    # (a long ingest runs many) walks their hundred thousand objects again
    gc.freeze()
    return pipeline, boilerplate


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, metavar="URL",
                   help="database: a SQLAlchemy URL (sqlite:///FILE, postgresql://...) or a file path "
                        "(default: $AHDATH_DB, else a SQLite file in your data folder)")
    p.add_argument("--user", default=None, metavar="NAME",
                   help="who is making the changes, for the change log (default: $AHDATH_USER or your login)")


def add_lock_timeout_option(p: argparse.ArgumentParser) -> None:
    """``--lock-timeout``, for commands that write the store."""
    p.add_argument("--lock-timeout", type=parse_seconds, default=None, metavar="SECONDS",
                   help="how long a write waits for another writer to finish before giving up with E605, "
                        "which names the holder (default: $AHDATH_LOCK_TIMEOUT, else 60)")


def open_store(args: argparse.Namespace, *, access: Access, adopt: bool = False) -> Any:
    """Open the store as the command's ``access`` allows (``ahdath.store.opening``): ``read`` and
    ``write`` never create one, so a mistyped --db is an error; ``create`` announces a new default one."""
    from ahdath.store import Store, resolve_url

    db = resolve_url(args.db)
    fresh = access == "create" and db.is_default and db.path is not None and not db.path.exists()
    store = Store.open(db.url if not db.is_default else None,
                       actor=getattr(args, "user", None) or os.environ.get("AHDATH_USER") or None,
                       access=access, adopt=adopt, lock_timeout=getattr(args, "lock_timeout", None),
                       application=f"ahdath {getattr(args, 'command', None) or ''}".strip())
    if fresh:
        print(f"ahdath: created database {db.display()} (use --db or AHDATH_DB for another)", file=sys.stderr)
    return store


def fail_line(source: str, error: AhdathError) -> None:
    """One line on stderr per failed input: ``ahdath: SOURCE: [E10x] problem``."""
    message = " ".join(error.message.split())
    print(f"ahdath: {source}: [{error.code}] {message}", file=sys.stderr, flush=True)


class UndatedNotice:
    """Warns on stderr about reports that carry no publication date and gave undated events.

    Relative dates ("أمس", "الخميس الماضي") are counted back from the publication date; a
    report without one (no JSON-LD, ``<meta>`` or ``<time>`` date, no ``published`` field,
    no ``--published``) gives such events no date. That is not an error, the events are
    kept, but a reviewer must know. The first ``shown`` reports are named; the rest are
    counted in one closing line so that a large undated feed does not flood the terminal.
    """

    def __init__(self, shown: int = 10) -> None:
        self.shown, self.count = shown, 0

    def note(self, article: Any, events: list[Any]) -> None:
        if article.published is not None:
            return
        undated = sum(1 for e in events if e.event_date is None)
        if not undated:
            return
        self.count += 1
        if self.count <= self.shown:
            print(f"ahdath: {article.id}: warning: no publication date found, so {undated} event(s) stay "
                  "undated (give --published or a 'published' field)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.count > self.shown:
            print(f"ahdath: warning: {self.count - self.shown} more report(s) without a publication date gave "
                  "undated events", file=sys.stderr, flush=True)
