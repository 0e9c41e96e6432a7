"""Entry point: ``ahdath <command> ...``.

Each command lives in its own module ``ahdath.cli.<name>`` exposing
``register(subparsers)``; the parser it adds sets ``run=function(args) -> int``.
Errors of ours become one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from ahdath.errors import AhdathError

# modules under ahdath.cli; some register several commands (events: events and show; review: edit,
# delete and merge)
COMMANDS = ("extract", "ingest", "export", "events", "review", "db", "evaluate", "lexicon", "gazetteer",
            "users", "serve", "batch")

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"ahdath: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from ahdath import __version__

    parser = _Parser(prog="ahdath", description="Arabic conflict reports to ACLED-style event data.")
    parser.add_argument("--version", action="version", version=f"ahdath {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"ahdath.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except AhdathError as exc:
        print(f"ahdath: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.code.startswith("E5") else EXIT_PARTIAL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``| head``); nothing useful left to say
        return EXIT_OK
    except Exception as exc:  # a database failing mid-command: one line, not a traceback
        if not type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3", "alembic")):
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"ahdath: [E600] database error: {first}", file=sys.stderr)
        return EXIT_PARTIAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
