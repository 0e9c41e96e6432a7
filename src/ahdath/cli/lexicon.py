"""``ahdath lexicon check``: validate the packaged lexicons plus a user's folders, listing every problem."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS = 0, 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("lexicon", help="work with lexicon files",
                              description="Work with lexicon files (YAML word lists with provenance).")
    sub = p.add_subparsers(dest="lexicon_command", metavar="SUBCOMMAND")
    check = sub.add_parser("check", help="validate lexicons and list every problem",
                           description="Validate the packaged lexicons and any --lexicon folders; "
                                       "print every problem, one a line.")
    check.add_argument("--lexicon", action="append", default=[], metavar="DIR",
                       help="extra lexicon folder to check with the packaged one (repeatable)")
    check.set_defaults(run=run_check)
    p.set_defaults(run=lambda _args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_check(args: argparse.Namespace) -> int:
    from ahdath.lexicon import check_lexicons, load_lexicons

    dirs = [Path(d) for d in args.lexicon]
    problems = check_lexicons(dirs)
    if problems:
        for problem in problems:
            print(" ".join(problem.split()))
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        return EXIT_PROBLEMS
    lexicons = load_lexicons(dirs)
    kinds = [lex for lex in lexicons.lexicons.values() if lex.entries]
    entries = sum(len(lex.entries) for lex in kinds)
    print(f"lexicons OK: {entries} entries in {len(kinds)} kinds")
    return EXIT_OK
