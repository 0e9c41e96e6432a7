"""``ahdath evaluate`` end to end: output format, files, exit codes."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def files(tmp_path: Path, ev: Any) -> tuple[Path, Path]:
    gold = ev.write_gold(tmp_path / "gold", [
        {"id": "b1", "events": [ev.gold_event(location_ar="الأتارب", admin1="Aleppo")]},
        {"id": "b2", "events": [ev.gold_event(location_ar="تلبيسة", admin1="Homs", fatalities=4)]},
    ])
    pred = ev.write_jsonl(tmp_path / "pred.jsonl", [
        ev.pred_event("b1", location_ar="مدينة الاتارب", admin1="Aleppo"),
        ev.pred_event("b2", location_ar="الرستن", admin1="Homs", fatalities="٤"),
    ])
    return gold, pred


def test_evaluate_cli_summary_line(run_cli: Cli, files: tuple[Path, Path]) -> None:
    rc, out, err = run_cli("evaluate", *files, "--reference")
    assert rc == 0 and err == ""
    line = out.strip()
    assert line.startswith("articles=2 gold_events=2 pred_events=2 matched=2 ")
    assert "strict_f1=0.5" in line and "fatalities_acc=0.5" in line and "fatalities_n=2" in line
    assert line.endswith("relevance_f1=1.0 relevance_p=1.0 relevance_r=1.0")


def test_evaluate_cli_detail_and_json(run_cli: Cli, files: tuple[Path, Path], tmp_path: Path) -> None:
    out_json = tmp_path / "s.json"
    rc, out, _ = run_cli("evaluate", *files, "--reference", "--detail", "--json", out_json)
    lines = out.splitlines()
    assert rc == 0
    assert lines[:2] == ["b1\tpred=1\tgold=1\tmatched=1\tstrict=1", "b2\tpred=1\tgold=1\tmatched=1\tstrict=0"]
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["matched"] == 2 and data["strict_f1"] == 0.5
    assert data["per_article"][1] == {"article_id": "b2", "pred": 1, "gold": 1, "matched": 1, "strict": 0}


def test_evaluate_cli_ids_file(run_cli: Cli, files: tuple[Path, Path], tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("b2\n", encoding="utf-8")
    rc, out, _ = run_cli("evaluate", *files, "--reference", "--ids", ids)
    assert rc == 0 and out.startswith("articles=1 gold_events=1 pred_events=1 matched=1 ")


@pytest.mark.parametrize("case, message", [
    ("no_gold", "gold folder not found"),
    ("no_pred", "unreadable predictions"),
    ("bad_line", "line 2: bad JSON"),
    ("no_ids", "unreadable id list"),
])
def test_evaluate_cli_errors_exit_1(run_cli: Cli, files: tuple[Path, Path], tmp_path: Path, case: str,
                                    message: str) -> None:
    gold, pred = files
    extra: list[Any] = []
    if case == "no_gold":
        gold = tmp_path / "missing"
    elif case == "no_pred":
        pred = tmp_path / "missing.jsonl"
    elif case == "bad_line":
        pred.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\nnot json\n", encoding="utf-8")
    else:
        extra = ["--ids", tmp_path / "missing.txt"]
    rc, out, err = run_cli("evaluate", gold, pred, "--reference", *extra)
    assert rc == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "[E400]" in err and message in err


def test_evaluate_cli_usage_error_exit_2(run_cli: Cli) -> None:
    rc, _, err = run_cli("evaluate", "only-gold")
    assert rc == 2 and "error" in err


def test_evaluate_cli_default_uses_actor_lexicon(run_cli: Cli, files: tuple[Path, Path]) -> None:
    rc, out, _ = run_cli("evaluate", *files)
    _, ref, _ = run_cli("evaluate", *files, "--reference")
    assert rc == 0 and out == ref  # keyword rules cover these names, so the lexicon changes nothing
