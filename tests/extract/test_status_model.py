"""The status model: named features, data weights, a gate that reads a lone sentence only.

Every sentence here was written for these tests (never taken from the shared corpora).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ahdath.errors import LexiconError
from ahdath.extract.status_model import FEATURES, StatusModel
from ahdath.extract.trace import Decision
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline

TODAY = date(2026, 11, 27)
# a model that doubts every act named with the article (what a fitted one weighs with the rest)
DOUBTS_DEFINITE = StatusModel({"definite": -6.0, "verb": 6.0}, bias=3.0, threshold=0.5)


def _pipe(model: StatusModel) -> Pipeline:
    return Pipeline.from_options(Options(today=TODAY, status_model=model))


def _run(pipe: Pipeline, text: str, published: str | None = None) -> tuple[list, list[Decision]]:
    trace: list[Decision] = []
    pub = date.fromisoformat(published) if published else None
    return pipe.extract_article(Article("t", text, pub), trace), trace


def test_status_model_packaged_reads_only_named_features() -> None:
    model = StatusModel.packaged()
    assert set(model.weights) <= set(FEATURES) and 0.0 <= model.threshold < 1.0


@pytest.mark.parametrize(("doc", "problem"), [
    ("weights: {mood: 1.0}\n", "unknown features"),
    ("threshold: 1.5\nweights: {}\n", "threshold"),
    ("weights: [1, 2]\n", "unreadable"),
])
def test_status_model_bad_files_are_reported(tmp_path: Path, doc: str, problem: str) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(LexiconError, match=problem):
        StatusModel.from_path(path)


def test_status_model_probability_and_contributions() -> None:
    model = StatusModel({"verb": 2.0, "definite": -1.0, "town": 0.5}, bias=-1.0)
    x = dict.fromkeys(FEATURES, 0.0) | {"verb": 1.0, "definite": 1.0}
    assert model.probability(x) == pytest.approx(0.5)
    assert model.contributions(x) == (("verb", 2.0), ("definite", -1.0))
    assert not StatusModel.identity().active


def test_status_model_leaves_out_a_lone_sentence_it_doubts() -> None:
    pipe = _pipe(DOUBTS_DEFINITE)
    text = "وأسفر التفجير الانتحاري قرب الحاجز عن مقتل ثلاثة جنود في بلدة الرمادي."
    events, trace = _run(pipe, text)
    assert events == []
    (d,) = [d for d in trace if d.reason.startswith("status model")]
    assert "definite -6.00" in d.reason and "no other sentence" in d.reason
    # the same rules without the model report it
    told, _ = _run(_pipe(StatusModel.identity()), text)
    assert told


def test_status_model_keeps_what_another_sentence_bears_out() -> None:
    report = ("قصفت الطائرات الحربية مواقع للمسلحين قرب بلدة الرمادي صباح اليوم.\n"
              "وأسفر التفجير الانتحاري قرب الحاجز عن مقتل ثلاثة جنود في بلدة هيت.")
    events, trace = _run(_pipe(DOUBTS_DEFINITE), report, "2021-06-14")
    assert {e.location_ar for e in events} >= {"هيت"}, [d.reason for d in trace]


def test_status_model_reads_no_crowd_event() -> None:
    events, _ = _run(_pipe(StatusModel({}, bias=-9.0, threshold=0.5)),
                     "وخرجت مظاهرة في وسط المدينة احتجاجا على انقطاع الكهرباء.")
    assert any(e.event_type == "Protests" for e in events)


def test_status_model_recording_keeps_everything_and_reads_features() -> None:
    rows: list = []
    pipe = _pipe(StatusModel.recording(rows))
    events, _ = _run(pipe, "وأسفر التفجير الانتحاري قرب الحاجز عن مقتل ثلاثة جنود في بلدة الرمادي.")
    assert events and rows
    sentence, x = rows[0]
    assert set(x) == set(FEATURES) and x["definite"] == 1.0 and x["town"] == 1.0
    assert sentence.startswith("وأسفر")
