"""``ahdath evaluate GOLD_DIR PRED.jsonl``: score predictions as ``corpus/SCORING.md`` defines."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ahdath.errors import EvaluationError, LexiconError

if TYPE_CHECKING:
    from ahdath.evaluate import Rules


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "evaluate", help="score predicted events (JSONL) against gold annotations",
        description="Score predicted events against gold: prints one key=value summary line "
                    "(the figures of the reference scorer).")
    p.add_argument("gold", metavar="GOLD_DIR", type=Path, help="folder of gold *.json files")
    p.add_argument("pred", metavar="PRED.jsonl", help="predicted events, one JSON object a line ('-' = stdin)")
    p.add_argument("--ids", metavar="FILE", type=Path, help="score only the report ids listed in FILE")
    p.add_argument("--json", metavar="OUT", type=Path, help="also write the summary as JSON to OUT")
    p.add_argument("--detail", action="store_true", help="print one line per report before the summary")
    p.add_argument("--reference", action="store_true",
                   help="map actor names with the keyword rules only, ignoring the actor lexicon")
    p.add_argument("--lexicon", metavar="DIR", type=Path, action="append", default=[],
                   help="extra lexicon folder whose actor names count too (repeatable)")
    p.set_defaults(run=run)


def _rules(args: argparse.Namespace) -> "Rules":
    from ahdath.evaluate import Rules

    rules = Rules.packaged()
    if args.reference:
        return rules
    from ahdath.lexicon import load_lexicons

    try:
        lexicons = load_lexicons(tuple(args.lexicon))
    except LexiconError as exc:
        raise EvaluationError(f"actor lexicon not loadable ({exc.message}); --reference scores without it") from exc
    return rules.with_lexicons(lexicons)


def run(args: argparse.Namespace) -> int:
    from ahdath.evaluate import load_gold, read_ids, read_predictions, score_gold

    golds = load_gold(args.gold)
    ids = read_ids(args.ids) if args.ids else None
    scores = score_gold(golds, read_predictions(args.pred), ids, rules=_rules(args))
    summary: dict[str, Any] = scores.as_dict()
    if args.json:
        out = dict(summary)
        if args.detail:
            out["per_article"] = [
                {"article_id": a.article_id, "pred": a.pred, "gold": a.gold, "matched": a.matched, "strict": a.strict}
                for a in scores.per_article]
        try:
            args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
        except OSError as exc:
            raise EvaluationError(f"cannot write JSON: {exc.strerror or exc}", source=str(args.json)) from exc
    if args.detail:
        for a in scores.per_article:
            sys.stdout.write(f"{a.article_id}\tpred={a.pred}\tgold={a.gold}\tmatched={a.matched}\tstrict={a.strict}\n")
    sys.stdout.write(scores.summary_line() + "\n")
    return 0
