#!/usr/bin/env python3
"""Accuracy on every shared set at once: dev, dev2 (with its non-conflict reports) and the GSR half.

Prints figures; asserts nothing (the floors are in eval_baseline.json, checked by the quality gate).

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared] [--json]

The same scorer rules as ``../shared/tools/score.py`` and ``gsr_eval.py``, run in one process.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from ahdath.evaluate import load_gold, score_gold
from ahdath.evaluate.sentences import KINDS, read_sentences, score_detections
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline

REPO = Path(__file__).resolve().parents[1]
SETS = (("dev", "dev.jsonl", "gold"), ("dev2", "dev2.jsonl", "gold2"))
SHOWN = ("event_p", "event_r", "event_f1", "sub_event_acc", "location_acc", "actors_acc", "date_acc",
         "fatalities_acc", "relevance_p")


def corpus_events(pipe: Pipeline, path: Path) -> list:
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            pub = date.fromisoformat(d["published"]) if d.get("published") else None
            events.extend(pipe.extract_article(Article(d["id"], d["text"], pub, d.get("url"))))
    return events


def measure(pipe: Pipeline, shared: Path) -> dict:
    out: dict = {}
    for name, corpus, gold in SETS:
        path = shared / "corpus" / corpus
        if not path.exists():
            continue
        golds = load_gold(shared / "corpus" / gold)
        events = corpus_events(pipe, path)
        scores = score_gold(golds, events).as_dict()
        quiet = sorted(i for i, g in golds.items() if not g["events"])
        noisy = sorted({e.article_id for e in events} & set(quiet))
        scores["quiet_reports"] = len(quiet)
        scores["quiet_with_events"] = len(noisy)
        out[name] = scores
    gsr = shared / "corpus" / "gsr"
    for kind, (fn, _hit) in KINDS.items():
        if not (gsr / fn).exists():
            continue
        sents = read_sentences(gsr / fn)
        found = [{(e.event_type, e.sub_event_type) for e in pipe.extract_text(s.text, article_id=s.id)}
                 for s in sents]
        out[f"gsr_{kind}"] = score_detections(kind, sents, found).as_dict()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--today", default="2026-11-27", help="the date an undated report may not pass")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    t0 = time.perf_counter()
    pipe = Pipeline.from_options(Options(today=date.fromisoformat(args.today)))
    res = measure(pipe, args.shared)
    if args.json:
        print(json.dumps(res, indent=1, sort_keys=True))
        return
    for name in ("dev", "dev2"):
        if name in res:
            s = res[name]
            figs = " ".join(f"{k.replace('_acc', '')}={s[k]}" for k in SHOWN)
            print(f"{name:5} pred={s['pred_events']} gold={s['gold_events']} {figs} "
                  f"quiet_with_events={s['quiet_with_events']}/{s['quiet_reports']}")
    for kind in KINDS:
        s = res.get(f"gsr_{kind}")
        if s:
            print(f"gsr {kind:8} p={s['p']} r={s['r']} f1={s['f1']} fp_easy={s['fp_easy']}/{s['easy_neg']} "
                  f"fp_hard={s['fp_hard']} pos={s['pos']}")
    print(f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
