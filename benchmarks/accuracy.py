#!/usr/bin/env python3
"""Accuracy on every shared set at once: dev, dev2 (with its non-conflict reports) and the GSR half.

Prints figures; asserts nothing (the floors in eval_baseline.json are checked by the quality gate).

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared] [--json]
    .venv/bin/python benchmarks/accuracy.py --pin [--allow-regression]

The same scorer rules as ``../shared/tools/score.py`` and ``gsr_eval.py``, run in one process.
``--pin`` writes the figures measured now into ``benchmarks/eval_baseline.json`` with floors 0.02
under them (rounded down), the sets' sha256 and today's date; it refuses to lower any floor
unless ``--allow-regression`` is given, so a floor never falls silently.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import date
from pathlib import Path

from ahdath.evaluate.shared import SETS, measure, sha256
from ahdath.pipeline import Options, Pipeline

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "benchmarks" / "eval_baseline.json"
TODAY = "2026-11-27"  # the latest date an undated report may carry: pinned so figures do not drift
SHOWN = ("event_p", "event_r", "event_f1", "sub_event_acc", "location_acc", "actors_acc", "date_acc",
         "fatalities_acc", "relevance_p")
# what the gate holds per set: report corpora on their scores, sentence files on detection
FLOORED = {"corpus": ("event_p", "event_r", "event_f1", "strict_f1", "sub_event_acc", "location_acc",
                      "actors_acc", "date_acc", "fatalities_acc", "relevance_f1", "relevance_p", "relevance_r"),
           "sentences": ("p", "r", "f1")}
MARGIN = 0.02


def _floor(v: float) -> float:
    return math.floor((v - MARGIN) * 100) / 100


def pin(res: dict, shared: Path, allow_regression: bool) -> int:
    old = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    sets: dict = {}
    lowered = []
    for s in SETS:
        if s.name not in res:
            continue
        kind = "corpus" if s.gold else "sentences"
        measured = {k: res[s.name][k] for k in FLOORED[kind]}
        floors = {k: max(0.0, _floor(v)) for k, v in measured.items()}
        before = old.get("sets", {}).get(s.name, {}).get("floors", {})
        lowered += [f"{s.name}.{k}: {before[k]} -> {v}" for k, v in floors.items() if k in before and v < before[k]]
        entry = {"path": s.path, "sha256": sha256(shared / s.path), "measured": measured, "floors": floors}
        if s.gold is None:
            entry["kind"] = s.kind
        else:
            entry["gold"] = s.gold
            entry["quiet_with_events"] = res[s.name]["quiet_with_events"]
        sets[s.name] = entry
    if lowered and not allow_regression:
        print("refusing to lower floors (give --allow-regression to do it deliberately):\n  " + "\n  ".join(lowered),
              file=sys.stderr)
        return 1
    doc = {"_comment": "Floors for tests/test_quality_gate.py: figures measured on each shared set minus "
                       f"{MARGIN}, rounded down to 2 decimals. Re-pin with benchmarks/accuracy.py --pin; "
                       "floors are never lowered silently.",
           "pinned": str(date.today()), "today": TODAY, "sets": sets}
    BASELINE.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"pinned {len(sets)} sets in {BASELINE}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--pin", action="store_true", help="write the figures and floors to eval_baseline.json")
    ap.add_argument("--allow-regression", action="store_true", help="let --pin lower a floor")
    args = ap.parse_args()
    t0 = time.perf_counter()
    pipe = Pipeline.from_options(Options(today=date.fromisoformat(TODAY)))
    res = {s.name: measure(pipe, args.shared, s) for s in SETS if (args.shared / s.path).exists()}
    if args.pin:
        return pin(res, args.shared, args.allow_regression)
    if args.json:
        print(json.dumps(res, indent=1, sort_keys=True))
        return 0
    for name in ("dev", "dev2"):
        if name in res:
            s = res[name]
            figs = " ".join(f"{k.replace('_acc', '')}={s[k]}" for k in SHOWN)
            print(f"{name:5} pred={s['pred_events']} gold={s['gold_events']} {figs} "
                  f"quiet_with_events={s['quiet_with_events']}/{s['quiet_reports']}")
    for name in ("gsr_assault", "gsr_protest"):
        if name in res:
            s = res[name]
            print(f"{name.replace('_', ' '):12} p={s['p']} r={s['r']} f1={s['f1']} fp_easy={s['fp_easy']}/"
                  f"{s['easy_neg']} fp_hard={s['fp_hard']} pos={s['pos']}")
    print(f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
