"""Scoring on tiny gold folders written here (Arabic place names of our own)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ahdath.errors import EvaluationError
from ahdath.evaluate import load_gold, read_predictions, score


@pytest.fixture
def gold_dir(tmp_path: Path, ev: Any) -> Path:
    return ev.write_gold(tmp_path / "gold", [
        {"id": "a1", "relevant": True, "events": [
            ev.gold_event(),
            ev.gold_event(event_type="Battles", sub_event_type="Armed clash", location_ar="مدينة معرة النعمان",
                          actor1="SYR_REGIME", actor2="HTS", fatalities=None, date=None),
        ]},
        {"id": "a2", "relevant": True, "events": [
            ev.gold_event(event_type="Protests", sub_event_type="Peaceful protest", location_ar="السويداء",
                          admin1="As-Sweida", actor1="PROTESTERS", actor2=None, fatalities=0, date="2024-03-08"),
        ]},
        {"id": "a3", "relevant": False, "events": []},
    ])


def test_scoring_perfect_predictions(gold_dir: Path, ev: Any) -> None:
    preds = [
        ev.pred_event("a1", location_ar="مدينة سراقب"),
        ev.pred_event("a1", event_type="Battles", sub_event_type="Armed clash", location_ar="معرّة النعمان",
                      actor1="Military Forces of Syria (2000-2024)", actor2="HTS: Hayat Tahrir al-Sham",
                      fatalities=3, event_date="2024-03-04"),
        ev.pred_event("a2", event_type="Protests", sub_event_type="Peaceful protest", location_ar="مدينة السويداء",
                      admin1="Suwayda", actor1="Protesters (Syria)", actor2=None, fatalities=0,
                      event_date="2024-03-08"),
    ]
    s = score(gold_dir, preds)
    assert (s.articles, s.gold_events, s.pred_events, s.matched) == (3, 3, 3, 3)
    assert s.event_f1 == s.strict_f1 == 1.0
    assert s.sub_event_acc == s.location_acc == s.actors_acc == 1.0
    assert (s.date_n, s.date_acc) == (2, 1.0)  # the undated gold event is not counted
    assert (s.fatalities_n, s.fatalities_acc) == (2, 1.0)  # null fatalities not counted
    assert (s.relevance_p, s.relevance_r, s.relevance_f1) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize("change, matched", [
    ({}, 1),
    ({"event_date": "2024-03-06"}, 1),  # one day off is compatible
    ({"event_date": "2024-03-07"}, 0),  # two days off is not
    ({"event_date": None, "date": "2024-03-04"}, 1),  # 'date' is read when 'event_date' is missing
    ({"event_date": "not a date"}, 0),
    ({"admin1": "Aleppo"}, 0),
    ({"admin1": "Idleb Governorate"}, 1),
    ({"admin1": None}, 0),
    ({"event_type": "Battles"}, 0),
    ({"location_ar": "حلب"}, 1),  # wrong place: still matched, but not strictly
])
def test_scoring_compatibility(tmp_path: Path, ev: Any, change: dict[str, Any], matched: int) -> None:
    gold = ev.write_gold(tmp_path / "g", [{"id": "x", "events": [ev.gold_event()]}])
    s = score(gold, [ev.pred_event("x", **change)])
    assert s.matched == matched


def test_scoring_gold_without_admin1_or_date_accepts_any(tmp_path: Path, ev: Any) -> None:
    gold = ev.write_gold(tmp_path / "g", [{"id": "x", "events": [ev.gold_event(admin1=None, date=None)]}])
    s = score(gold, [ev.pred_event("x", admin1="Homs", event_date="2020-01-01")])
    assert s.matched == 1 and s.date_n == 0


def test_scoring_abroad_compares_country(tmp_path: Path, ev: Any) -> None:
    gold = ev.write_gold(tmp_path / "g", [{"id": "x", "events": [
        ev.gold_event(country="Lebanon", admin1="Nabatieh", location_ar="النبطية", actor1="ISRAEL")]}])
    ok = score(gold, [ev.pred_event("x", country="lebanon ", admin1="South", location_ar="مدينة النبطية",
                                    actor1="Military Forces of Israel (2022-)")])
    wrong = score(gold, [ev.pred_event("x", country="Syria", admin1="Nabatieh", location_ar="النبطية")])
    assert (ok.matched, ok.strict_f1, ok.actors_acc) == (1, 1.0, 1.0)
    assert wrong.matched == 0


def test_scoring_prefers_better_pairs(tmp_path: Path, ev: Any) -> None:
    # two gold strikes on the same day; the predictions name the places in the other order
    gold = ev.write_gold(tmp_path / "g", [{"id": "x", "events": [
        ev.gold_event(location_ar="سراقب"), ev.gold_event(location_ar="أريحا")]}])
    s = score(gold, [ev.pred_event("x", location_ar="اريحا"), ev.pred_event("x", location_ar="بلدة سراقب")])
    assert (s.matched, s.strict_f1, s.location_acc) == (2, 1.0, 1.0)


def test_scoring_counts_extra_and_missed_events(tmp_path: Path, ev: Any) -> None:
    gold = ev.write_gold(tmp_path / "g", [
        {"id": "x", "events": [ev.gold_event(), ev.gold_event(location_ar="جسر الشغور")]},
        {"id": "y", "events": []},
    ])
    preds = [ev.pred_event("x"), ev.pred_event("y"), ev.pred_event("y"), ev.pred_event("zzz")]
    s = score(gold, preds)
    assert (s.pred_events, s.gold_events, s.matched) == (3, 2, 1)  # 'zzz' has no gold: ignored
    assert (s.event_p, s.event_r, s.event_f1) == (0.333, 0.5, 0.4)
    assert (s.relevance_p, s.relevance_r) == (0.5, 1.0)


def test_scoring_actor_pair_must_cover_gold(tmp_path: Path, ev: Any) -> None:
    gold = ev.write_gold(tmp_path / "g", [{"id": "x", "events": [ev.gold_event()]}])
    swapped = score(gold, [ev.pred_event("x", actor1="Civilians (Syria)", actor2="Military Forces of Russia (2000-)")])
    half = score(gold, [ev.pred_event("x", actor2=None)])
    assert swapped.actors_acc == 1.0 and half.actors_acc == 0.0


def test_scoring_ids_restrict_articles(gold_dir: Path, ev: Any) -> None:
    s = score(gold_dir, [ev.pred_event("a1")], ids={"a1", "nope"})
    assert (s.articles, s.gold_events, s.matched) == (1, 2, 1)


def test_scoring_empty_predictions(gold_dir: Path) -> None:
    s = score(gold_dir, [])
    assert s.matched == 0 and s.event_f1 == 0.0 and s.relevance_f1 == 0.0
    assert list(s.as_dict())[:4] == ["articles", "gold_events", "pred_events", "matched"]
    assert s.summary_line().startswith("articles=3 gold_events=3 pred_events=0 matched=0 event_p=0.0")


def test_scoring_per_article_detail(gold_dir: Path, ev: Any) -> None:
    s = score(gold_dir, [ev.pred_event("a1", location_ar="حماة")])
    assert [(a.article_id, a.pred, a.gold, a.matched, a.strict) for a in s.per_article] == [
        ("a1", 1, 2, 1, 0), ("a2", 0, 1, 0, 0), ("a3", 0, 0, 0, 0)]


def test_scoring_read_predictions_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text('{"article_id": "a1"}\n\n   \n{"article_id": 7}\n', encoding="utf-8")
    assert [e["article_id"] for e in read_predictions(path)] == ["a1", 7]


@pytest.mark.parametrize("content, message", [
    ('{"article_id": "a1"}\n{oops\n', "line 2: bad JSON"),
    ('[1, 2]\n', "line 1: an event must be a JSON object"),
])
def test_scoring_read_predictions_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=message) as info:
        list(read_predictions(path))
    assert info.value.code == "E400" and "\n" not in str(info.value)


def test_scoring_missing_prediction_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="unreadable predictions"):
        list(read_predictions(tmp_path / "absent.jsonl"))


@pytest.mark.parametrize("files, message", [
    (None, "gold folder not found"),
    ({}, "no \\*.json gold files"),
    ({"a.json": "{broken"}, "unreadable gold file"),
    ({"a.json": '{"events": []}'}, "needs an 'id'"),
    ({"a.json": '{"id": "a", "events": [{"admin1": "Hama"}]}'}, "event_type"),
])
def test_scoring_load_gold_errors(tmp_path: Path, files: dict[str, str] | None, message: str) -> None:
    folder = tmp_path / "gold"
    if files is not None:
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(EvaluationError, match=message):
        load_gold(folder)
