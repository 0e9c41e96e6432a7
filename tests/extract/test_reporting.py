"""Reporting: incidents a report recalls by a year or a month are background, dated or not.

Every sentence here was written for these tests (never taken from the shared corpora).
"""
from __future__ import annotations

from datetime import date

import pytest

from ahdath.extract.trace import Decision
from ahdath.model import Article
from ahdath.pipeline import Pipeline


def _extract(pipeline: Pipeline, text: str, published: date | None = None) -> tuple[list, list[Decision]]:
    trace: list[Decision] = []
    return pipeline.extract_article(Article("t", text, published), trace), trace


@pytest.mark.parametrize(
    "recall",
    [
        "وكانت قوات النظام قد سيطرت على مدينة نوى عام 2018.",
        "وكانت قاعدة الحامدية قد تعرضت لغارات جوية في آذار 2019.",
        "واعتقلت الشرطة العسكرية شقيقه في بلدة الحراك في شهر أيار من عام 2020.",
    ],
    ids=["capture-in-a-year", "strikes-in-a-month", "arrest-in-a-month"],
)
def test_reporting_undated_report_recalls_what_it_dates_by_year(pipeline: Pipeline, recall: str) -> None:
    news = "قصفت قوات النظام أمس الجمعة بلدة اليادودة بقذائف المدفعية."
    events, trace = _extract(pipeline, news + "\n" + recall)
    assert [e.sub_event_type for e in events] == ["Shelling/artillery/missile attack"]
    assert any("background" in d.reason and "by a year or a month" in d.reason for d in trace)


def test_reporting_undated_report_without_a_day_keeps_its_years(pipeline: Pipeline) -> None:
    # nothing told by the day: no news-by-day frame to set the year apart
    events, _ = _extract(pipeline, "قصفت قوات النظام بلدة اليادودة بقذائف المدفعية في آذار 2019.")
    assert events


def test_reporting_dated_report_keeps_its_own_month(pipeline: Pipeline) -> None:
    text = "قصفت قوات النظام أمس بلدة اليادودة بالمدفعية.\nوكانت الطائرات الحربية الروسية قد شنت غارات جوية على بلدة نوى في آذار 2019."
    events, _ = _extract(pipeline, text, date(2019, 3, 20))
    assert len(events) == 2


@pytest.mark.parametrize(
    "text, toll",
    [
        ("هاجمت مليشيا الدعم السريع قرية أم عضام بغرض السلب والنهب، وقتلت تسعة مواطنين.", 9),
        ("اقتحم مسلحون بلدة الصنمين بغرض السرقة والخطف، فقتلوا شابين من أهلها.", 2),
    ],
    ids=["purpose-then-killing", "purpose-then-fa-killing"],
)
def test_reporting_a_verb_joined_after_a_framed_trigger_is_its_own_act(pipeline: Pipeline, text: str,
                                                                        toll: int) -> None:
    events, trace = _extract(pipeline, text, date(2024, 11, 14))
    assert [e.fatalities for e in events] == [toll], [d.reason for d in trace]
    assert not any(d.subject == "Attack" and d.stage == "status" for d in trace)
