"""Helpers for the evaluation tests: tiny gold folders and prediction files in tmp_path."""
from __future__ import annotations

import argparse
import io
import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from ahdath.errors import AhdathError


def write_gold(folder: Path, docs: Iterable[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (folder / f"{d['id']}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return folder


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def gold_event(**kw: Any) -> dict[str, Any]:
    e = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "date": "2024-03-05",
         "location_ar": "سراقب", "admin1": "Idleb", "country": "Syria", "actor1": "RUSSIA",
         "actor2": "CIVILIANS", "fatalities": 2}
    e.update(kw)
    return e


def pred_event(article_id: str, **kw: Any) -> dict[str, Any]:
    e = {"article_id": article_id, "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
         "event_date": "2024-03-05", "location_ar": "سراقب", "admin1": "Idlib", "country": "Syria",
         "actor1": "Military Forces of Russia (2000-)", "actor2": "Civilians (Syria)", "fatalities": 2}
    e.update(kw)
    return e


def _fallback_main(argv: Sequence[str]) -> int:
    """The evaluate command alone, with main's error contract, while sibling commands are unwritten."""
    from ahdath.cli import evaluate
    from ahdath.cli.main import EXIT_PARTIAL, EXIT_USAGE, _Parser

    parser = _Parser(prog="ahdath")
    evaluate.register(parser.add_subparsers(dest="command", parser_class=_Parser))
    args: argparse.Namespace = parser.parse_args(list(argv))
    try:
        return int(args.run(args))
    except AhdathError as exc:
        import sys

        print(f"ahdath: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.code.startswith("E5") else EXIT_PARTIAL


class Helpers:
    """Builders for gold folders, prediction files and events (a fixture, since test modules cannot import conftest)."""

    write_gold = staticmethod(write_gold)
    write_jsonl = staticmethod(write_jsonl)
    gold_event = staticmethod(gold_event)
    pred_event = staticmethod(pred_event)


@pytest.fixture
def ev() -> type[Helpers]:
    return Helpers


@pytest.fixture
def run_cli() -> Callable[..., tuple[int, str, str]]:
    """``run_cli(*argv) -> (exit code, stdout, stderr)`` through ``ahdath.cli.main``."""
    from ahdath.cli import main as cli_main

    try:
        cli_main.build_parser()
        entry: Callable[[Sequence[str]], int] = cli_main.main
    except ModuleNotFoundError:
        entry = _fallback_main

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                rc = entry(list(map(str, argv)))
            except SystemExit as exc:  # argparse usage errors
                rc = int(exc.code or 0)
        return rc, out.getvalue(), err.getvalue()

    return run
