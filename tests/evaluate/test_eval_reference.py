"""Our figures equal the reference scorer's (../shared/tools/score.py) on varied predictions."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ahdath.evaluate import Rules, load_gold, score_gold

# gold key -> an ACLED-style name a prediction would carry
ACLED_NAMES = {
    "SYR_REGIME": "Military Forces of Syria (2000-2024)", "SYR_GOV_NEW": "Military Forces of Syria (2024-)",
    "OPPOSITION": "Opposition Rebels (Syria)", "HTS": "HTS: Hayat Tahrir al-Sham", "ISIS": "Islamic State (Syria)",
    "SDF": "SDF: Syrian Democratic Forces", "RUSSIA": "Military Forces of Russia (2000-)",
    "TURKEY": "Military Forces of Turkey (2016-)", "ISRAEL": "Military Forces of Israel (2022-)",
    "CIVILIANS": "Civilians (Syria)", "UNKNOWN": "Unidentified Armed Group (Syria)",
    "PROTESTERS": "Protesters (Syria)", "SYR_NDF": "NDF: National Defense Forces", "SNA": "Syrian National Army",
    "COALITION": "Military Forces of the United States (2021-)", "IRAN_MILITIA": "Fatemiyoun Brigade",
}
ADMIN1_SPELLINGS = {"Idleb": "Idlib Governorate", "Deir ez-Zor": "Deir-ez-Zor", "Dar'a": "Deraa",
                    "Rural Damascus": "Rif Dimashq", "Lattakia": "Latakia", "As-Sweida": "Suwayda"}
OTHER_ADMIN1 = ["Aleppo", "Hama", "Homs", "Damascus", "Idleb"]


def _as_pred(aid: str, g: dict[str, Any]) -> dict[str, Any]:
    p = {k: v for k, v in g.items() if k not in ("date", "evidence", "notes", "date_text")}
    p["article_id"] = aid
    p["event_date"] = g.get("date")
    return p


def _gold_copy(golds: dict[str, Any], rnd: random.Random) -> list[dict[str, Any]]:
    return [_as_pred(aid, g) for aid, d in golds.items() for g in d["events"]]


def _shift(d: str | None, days: int) -> str | None:
    from datetime import date, timedelta

    return (date.fromisoformat(d) + timedelta(days=days)).isoformat() if d else "2024-01-01"


def _perturbed(golds: dict[str, Any], rnd: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for aid, d in golds.items():
        for g in d["events"]:
            if rnd.random() < 0.15:
                continue  # dropped
            p = _as_pred(aid, g)
            roll = rnd.random()
            if roll < 0.15:
                p["event_date"] = _shift(g.get("date"), rnd.choice([-2, -1, 1, 3]))
            elif roll < 0.25:
                p["admin1"] = rnd.choice([a for a in OTHER_ADMIN1 if a != g.get("admin1")])
            elif roll < 0.35:
                p["admin1"] = ADMIN1_SPELLINGS.get(g.get("admin1") or "", g.get("admin1"))
            elif roll < 0.45:
                p["location_ar"] = "مدينة " + (g.get("location_ar") or "")
            elif roll < 0.5:
                p["location_ar"] = None
                p["location"] = "بلدة " + (g.get("location_ar") or "")
            elif roll < 0.55:
                p["location_ar"] = "حمص"
            elif roll < 0.6:
                p["country"] = "Iraq"
            if rnd.random() < 0.6:
                for role in ("actor1", "actor2"):
                    p[role] = ACLED_NAMES.get(p.get(role) or "", p.get(role))
            if rnd.random() < 0.15:
                p["actor1"], p["actor2"] = p.get("actor2"), p.get("actor1")
            if rnd.random() < 0.1:
                p["actor1"] = "Tribal Militia (Syria)"
            if rnd.random() < 0.15:
                p["sub_event_type"] = "Attack" if p.get("sub_event_type") != "Attack" else "Armed clash"
            if rnd.random() < 0.15:
                p["fatalities"] = (g.get("fatalities") or 0) + 1
            if rnd.random() < 0.05:
                p["event_type"] = "Battles" if g["event_type"] != "Battles" else "Riots"
            out.append(p)
            if rnd.random() < 0.2:  # extra: a duplicate reported a day later elsewhere
                extra = dict(p)
                extra["event_date"] = _shift(g.get("date"), 1)
                extra["location_ar"] = "قرية " + (g.get("location_ar") or "")
                out.append(extra)
        if not d["events"] and rnd.random() < 0.3:
            out.append({"article_id": aid, "event_type": "Battles", "sub_event_type": "Armed clash",
                        "event_date": d.get("published"), "admin1": "Hama", "location_ar": "كفرزيتا"})
    rnd.shuffle(out)
    return out


def _subset(golds: dict[str, Any], rnd: random.Random) -> list[dict[str, Any]]:
    return [p for p in _perturbed(golds, rnd) if rnd.random() < 0.5]


def _empty(golds: dict[str, Any], rnd: random.Random) -> list[dict[str, Any]]:
    return []


CASES: dict[str, Callable[[dict[str, Any], random.Random], list[dict[str, Any]]]] = {
    "gold": _gold_copy, "perturbed": _perturbed, "perturbed2": _perturbed, "subset": _subset, "empty": _empty,
}


@pytest.fixture(scope="module")
def gold_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "gold"


@pytest.fixture(scope="module")
def golds(gold_dir: Path) -> dict[str, Any]:
    return load_gold(gold_dir)


def _reference(shared_dir: Path, gold_dir: Path, pred: Path, out: Path, *extra: str) -> tuple[dict[str, Any], str]:
    pytest.importorskip("scipy")
    proc = subprocess.run([sys.executable, str(shared_dir / "tools" / "score.py"), str(gold_dir), str(pred),
                           "--json", str(out), "--detail", *extra], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


@pytest.mark.parametrize("case", list(CASES))
def test_reference_figures_equal_score_py(case: str, shared_dir: Path, gold_dir: Path, golds: dict[str, Any],
                                          tmp_path: Path, ev: Any) -> None:
    rnd = random.Random(f"ahdath-{case}")
    preds = CASES[case](golds, rnd)
    pred = ev.write_jsonl(tmp_path / "pred.jsonl", preds)
    ref, ref_out = _reference(shared_dir, gold_dir, pred, tmp_path / "ref.json")
    ours = score_gold(golds, preds, rules=Rules.packaged())
    assert ours.as_dict() == ref
    ref_detail = [line for line in ref_out.splitlines() if "\t" in line]
    assert [f"{a.article_id}\tpred={a.pred}\tgold={a.gold}\tmatched={a.matched}" for a in ours.per_article] == ref_detail
    if case == "gold":
        assert ours.event_f1 == 1.0


def test_reference_cli_json_equals_score_py(shared_dir: Path, gold_dir: Path, golds: dict[str, Any],
                                            tmp_path: Path, ev: Any, run_cli: Callable[..., Any]) -> None:
    pred = ev.write_jsonl(tmp_path / "pred.jsonl", _perturbed(golds, random.Random("ahdath-cli")))
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(sorted(golds)[::2]), encoding="utf-8")
    ref, ref_out = _reference(shared_dir, gold_dir, pred, tmp_path / "ref.json", "--ids", str(ids))
    rc, out, err = run_cli("evaluate", gold_dir, pred, "--reference", "--ids", ids, "--json", tmp_path / "ours.json")
    assert rc == 0, err
    assert json.loads((tmp_path / "ours.json").read_text(encoding="utf-8")) == ref
    assert out.splitlines()[-1] == ref_out.splitlines()[-1]
