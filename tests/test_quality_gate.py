"""Quality gate: scores on every shared set must not fall below the floors pinned in
benchmarks/eval_baseline.json (dev, dev2 and both GSR sentence files)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ahdath.evaluate.shared import SETS, measure, sha256
from ahdath.pipeline import Options, Pipeline

BASELINE = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_baseline.json"
NAMES = [s.name for s in SETS]


@pytest.fixture(scope="module")
def baseline() -> dict:
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pipe(baseline: dict) -> Pipeline:
    return Pipeline.from_options(Options(today=date.fromisoformat(baseline["today"])))


def test_quality_gate_baseline_is_well_formed(baseline: dict) -> None:
    assert set(baseline["sets"]) == set(NAMES)
    for entry in baseline["sets"].values():
        assert len(entry["sha256"]) == 64
        assert entry["floors"] and all(0.0 <= v <= 1.0 for v in entry["floors"].values())
        assert all(entry["floors"][k] <= entry["measured"][k] for k in entry["floors"])


@pytest.mark.parametrize("name", NAMES)
def test_quality_gate_floors_hold(shared_dir: Path, baseline: dict, pipe: Pipeline, name: str) -> None:
    s = next(x for x in SETS if x.name == name)
    entry = baseline["sets"][name]
    sha = sha256(shared_dir / s.path)
    if sha != entry["sha256"]:
        pytest.skip(f"{s.path} changed (sha256 {sha[:12]}, pinned {entry['sha256'][:12]}): "
                    "re-pin benchmarks/eval_baseline.json deliberately (benchmarks/accuracy.py --pin)")
    got = measure(pipe, shared_dir, s)
    below = {k: (got[k], floor) for k, floor in entry["floors"].items() if got[k] < floor}
    assert not below, f"{name}: figures below their pinned floors (got, floor): {below}"


def test_quality_gate_non_conflict_reports_stay_quiet(shared_dir: Path, baseline: dict, pipe: Pipeline) -> None:
    s = next(x for x in SETS if x.name == "dev2")
    pinned = baseline["sets"]["dev2"]["quiet_with_events"]
    if sha256(shared_dir / s.path) != baseline["sets"]["dev2"]["sha256"]:
        pytest.skip("dev2.jsonl changed: re-pin deliberately")
    assert measure(pipe, shared_dir, s)["quiet_with_events"] <= pinned
