#!/usr/bin/env python3
"""How often events are right at each confidence: the calibration table, and the model's fit.

Prints, for dev and dev2 together and apart, per confidence band, how many events fall in it
and what share of them the scorer matches to a gold event. Asserts nothing.

    .venv/bin/python benchmarks/calibration.py [--shared ../shared]
    .venv/bin/python benchmarks/calibration.py --fit     # rewrite src/ahdath/data/confidence.yaml

``--fit`` fits the logistic weights of ``ahdath.extract.confidence`` on both corpora (L2
penalty, plain gradient descent: a few hundred events, a dozen features) and first shows what a
model fitted on one corpus does on the other, so a fit that only remembers one is seen.
"""
from __future__ import annotations

import argparse
import json
import math
from datetime import date
from pathlib import Path

import yaml

from ahdath.evaluate import load_gold, matched_flags
from ahdath.extract.confidence import FEATURES, ConfidenceModel
from ahdath.model import Article, Event
from ahdath.pipeline import Options, Pipeline

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "ahdath" / "data" / "confidence.yaml"
SETS = (("dev", "dev.jsonl", "gold"), ("dev2", "dev2.jsonl", "gold2"))
BANDS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
L2 = 0.5  # penalty per weight (the data are a few hundred events)

Row = tuple[dict[str, float], bool]  # a record's features and whether it is right


def rows_of(pipe: Pipeline, shared: Path, corpus: str, gold: str) -> list[Row]:
    golds = load_gold(shared / "corpus" / gold)
    events: list[Event] = []
    sizes: list[int] = []
    for line in (shared / "corpus" / corpus).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            pub = date.fromisoformat(d["published"]) if d.get("published") else None
            found = pipe.extract_article(Article(d["id"], d["text"], pub, d.get("url")))
            events.extend(found)
            sizes.extend([len(found)] * len(found))
    every = ConfidenceModel(dict.fromkeys(FEATURES, 0.0))
    return [(every.features(e, n), bool(f)) for e, n, f in zip(events, sizes, matched_flags(golds, events))
            if f is not None]


def fit(rows: list[Row], steps: int = 3000, rate: float = 0.5) -> ConfidenceModel:
    names = list(FEATURES)
    w = dict.fromkeys(names, 0.0)
    b = 0.0
    n = len(rows)
    for _ in range(steps):
        gw = dict.fromkeys(names, 0.0)
        gb = 0.0
        for x, y in rows:
            z = b + sum(w[k] * x[k] for k in names)
            err = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
            gb += err
            for k in names:
                if x[k]:
                    gw[k] += err * x[k]
        b -= rate * gb / n
        for k in names:
            w[k] -= rate * (gw[k] / n + L2 * w[k] / n)
    return ConfidenceModel({k: round(v, 3) for k, v in w.items()}, round(b, 3))


def predict(model: ConfidenceModel, x: dict[str, float]) -> float:
    z = model.bias + sum(model.weights[k] * x[k] for k in model.weights)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def table(scored: list[tuple[float, bool]], title: str) -> None:
    right = sum(r for _c, r in scored)
    print(f"{title}: {len(scored)} events, {right} right")
    print("  band        events  right  share")
    for lo, hi in zip(BANDS, BANDS[1:]):
        inside = [r for c, r in scored if lo <= c < hi]
        if inside:
            print(f"  {lo:.1f}-{min(hi, 1.0):.1f}    {len(inside):6d} {sum(inside):6d}  {sum(inside) / len(inside):5.2f}")
    above = [r for c, r in scored if c > 0.8]
    if above:
        print(f"  above 0.8: {len(above)} events, {sum(above) / len(above):.2f} right")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--fit", action="store_true", help="refit the confidence model and write it")
    args = ap.parse_args()
    today = date(2026, 11, 27)
    if args.fit:
        pipe = Pipeline.from_options(Options(today=today, confidence=ConfidenceModel.identity()))
        rows = {name: rows_of(pipe, args.shared, corpus, gold) for name, corpus, gold in SETS}
        for a, b in (("dev", "dev2"), ("dev2", "dev")):
            m = fit(rows[a])
            table([(predict(m, x), y) for x, y in rows[b]], f"fitted on {a}, read on {b}")
        model = fit(rows["dev"] + rows["dev2"])
        doc = {"provenance": f"benchmarks/calibration.py --fit on dev.jsonl + dev2.jsonl, {date.today()}: "
                             f"{len(rows['dev']) + len(rows['dev2'])} events, L2 {L2}",
               "bias": model.bias, "weights": dict(model.weights)}
        OUT.write_text("# Logistic weights of ahdath/extract/confidence.py (refit: benchmarks/calibration.py --fit).\n"
                       + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"wrote {OUT}; run again without --fit for the table")
        return
    pipe = Pipeline.from_options(Options(today=today))
    both: list[tuple[float, bool]] = []
    for name, corpus, gold in SETS:
        golds = load_gold(args.shared / "corpus" / gold)
        events = []
        for line in (args.shared / "corpus" / corpus).read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                pub = date.fromisoformat(d["published"]) if d.get("published") else None
                events.extend(pipe.extract_article(Article(d["id"], d["text"], pub, d.get("url"))))
        scored = [(e.confidence, bool(f)) for e, f in zip(events, matched_flags(golds, events)) if f is not None]
        table(scored, f"confidence ({name})")
        both.extend(scored)
    table(both, "confidence (dev + dev2)")


if __name__ == "__main__":
    main()
