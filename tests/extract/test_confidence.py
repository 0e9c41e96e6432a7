"""The confidence model: logistic weights read from data, features read off the record."""
from __future__ import annotations

from pathlib import Path

import pytest

from ahdath.errors import LexiconError
from ahdath.extract.confidence import FEATURES, ConfidenceModel
from ahdath.model import Event, Evidence, Span


def _event(**kw) -> Event:
    base = dict(
        article_id="a", event_id="SYR-0", event_date="2019-03-10", year=2019, time_precision=1,
        disorder_type="Political violence", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="Military Forces of Russia (2000-)", assoc_actor_1=None, inter1=8,
        actor2=None, assoc_actor_2=None, inter2=None, interaction=80, civilian_targeting=None,
        iso=760, region="Middle East", country="Syria", admin1="Idleb", admin2=None, admin3=None,
        location="Kafr Nabl", location_ar="كفرنبل", latitude=35.6, longitude=36.5, geo_precision=1,
        source=None, source_url=None, notes="", fatalities=0, tags=None,
        evidence=Evidence("غارة", 0, 4, {"trigger": (Span(0, 4, "غارة"),)}), confidence=0.8)
    base.update(kw)
    return Event(**base)


def test_confidence_packaged_model_is_fitted_and_bounded() -> None:
    model = ConfidenceModel.packaged()
    assert model.weights and set(model.weights) <= set(FEATURES)
    for conf in (0.05, 0.6, 1.2):
        assert 0.0 < model(_event(confidence=conf), 3) < 1.0


def test_confidence_rises_with_evidence() -> None:
    model = ConfidenceModel.packaged()
    bare = _event(confidence=0.5, actor1=None, geo_precision=3, tags="place_from_context;date_from_context")
    full = _event(confidence=1.0, evidence=Evidence("غارة", 0, 4, {
        "trigger": (Span(0, 4, "غارة"),), "actor1": (Span(5, 10, "روسية"),), "date": (Span(11, 15, "أمس"),)}))
    assert model(full, 3) > model(bare, 3)
    assert model.contributions(full, 3)[0][1] != 0


def test_confidence_identity_keeps_the_evidence_score() -> None:
    assert ConfidenceModel.identity()(_event(confidence=0.73), 1) == 0.73


@pytest.mark.parametrize(("text", "problem"), [
    ("bias: 0\nweights: {no_such_feature: 1.0}\n", "unknown features"),
    ("bias: [1\n", "unreadable"),
])
def test_confidence_bad_model_file_is_named(tmp_path: Path, text: str, problem: str) -> None:
    f = tmp_path / "confidence.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=problem):
        ConfidenceModel.from_path(f)
