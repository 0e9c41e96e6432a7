"""Quality gate: dev-corpus scores must not fall below the floors pinned in benchmarks/eval_baseline.json."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from ahdath.evaluate import Scores, score
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline

BASELINE = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_baseline.json"


@pytest.fixture(scope="module")
def baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev_scores(shared_dir: Path, baseline: dict) -> Scores:
    corpus = shared_dir / "corpus" / "dev.jsonl"
    sha = hashlib.sha256(corpus.read_bytes()).hexdigest()
    if sha != baseline["corpus_sha256"]:
        pytest.skip(f"dev.jsonl changed (sha256 {sha[:12]}, pinned {baseline['corpus_sha256'][:12]}): "
                    "re-pin benchmarks/eval_baseline.json deliberately")
    pipe = Pipeline.from_options(Options(today=date.fromisoformat(baseline["today"])))
    events = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        pub = date.fromisoformat(d["published"]) if d.get("published") else None
        events.extend(pipe.extract_article(Article(d["id"], d["text"], pub, d.get("url"))))
    return score(shared_dir / "corpus" / "gold", events)


def test_quality_gate_baseline_is_well_formed(baseline: dict) -> None:
    assert len(baseline["corpus_sha256"]) == 64
    assert baseline["floors"] and all(0.0 <= v <= 1.0 for v in baseline["floors"].values())


def test_quality_gate_floors_hold(dev_scores: Scores, baseline: dict) -> None:
    got = dev_scores.as_dict()
    below = {k: (got[k], floor) for k, floor in baseline["floors"].items() if got[k] < floor}
    assert not below, f"figures below their pinned floors (got, floor): {below}"
