"""Behaviour of the whole pipeline on short Arabic reports written for these tests."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ahdath.model import Article, Event
from ahdath.pipeline import Options, Pipeline

PUB = "2019-03-10"
RUSSIA = "Military Forces of Russia (2000-)"
REGIME = "Military Forces of Syria (2000-2024)"
REBELS = "Opposition Rebels (Syria)"
ISIS = "Islamic State (Syria)"
SDF = "SDF: Syrian Democratic Forces"


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_options(Options(today=date(2026, 11, 27)))


def _run(pipe: Pipeline, text: str, published: str | None = PUB) -> list[Event]:
    return pipe.extract_text(text, published=published)


def _has(events: list[Event], **want: object) -> bool:
    return any(all(getattr(e, k) == v for k, v in want.items()) for e in events)


def _show(events: list[Event]) -> list[tuple]:
    return [(e.event_date, e.sub_event_type, e.actor1, e.actor2, e.admin1, e.location_ar, e.fatalities)
            for e in events]


POSITIVE = [
    pytest.param(
        "شنت طائرات حربية روسية أمس غارات جوية على بلدة معرة النعمان في ريف إدلب الجنوبي.",
        [dict(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", actor1=RUSSIA,
              admin1="Idleb", location_ar="معرة النعمان", event_date="2019-03-09")],
        id="russian-air-strike-yesterday"),
    pytest.param(
        "قصفت الطائرات الروسية مدينة خان شيخون بعدة غارات، فيما استهدفت قوات النظام بالمدفعية الثقيلة "
        "بلدة كفرنبل في ريف إدلب.",
        [dict(sub_event_type="Air/drone strike", actor1=RUSSIA, location_ar="خان شيخون"),
         dict(sub_event_type="Shelling/artillery/missile attack", actor1=REGIME, location_ar="كفرنبل")],
        id="two-events-one-sentence"),
    pytest.param(
        "اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم الدولة الإسلامية في محيط مدينة دير الزور.",
        [dict(event_type="Battles", sub_event_type="Armed clash", actor1=REGIME, actor2=ISIS,
              admin1="Deir ez-Zor")],
        id="clash-between-regime-isis"),
    pytest.param(
        "اندلعت اشتباكات عنيفة بين قوات سوريا الديمقراطية وفصائل المعارضة في محيط بلدة تل رفعت بريف حلب الشمالي.",
        [dict(sub_event_type="Armed clash", actor1=SDF, actor2=REBELS, admin1="Aleppo")],
        id="clash-between-sdf-rebels"),
    pytest.param(
        "سيطرت قوات النظام على بلدة مورك في ريف حماة الشمالي بعد معارك عنيفة.",
        [dict(event_type="Battles", sub_event_type="Government regains territory", actor1=REGIME, admin1="Hama")],
        id="capture-by-regime"),
    pytest.param(
        "سيطرت فصائل المعارضة على بلدة مورك في ريف حماة الشمالي بعد معارك عنيفة.",
        [dict(sub_event_type="Non-state actor overtakes territory", actor1=REBELS, admin1="Hama")],
        id="capture-by-rebels"),
    pytest.param(
        "انفجرت سيارة مفخخة في مدينة اعزاز بريف حلب الشمالي.",
        [dict(sub_event_type="Remote explosive/landmine/IED", admin1="Aleppo")],
        id="car-bomb-remote"),
    pytest.param(
        "فجر انتحاري سيارة مفخخة عند مدخل مدينة جبلة.",
        [dict(sub_event_type="Suicide bomb", admin1="Lattakia")],
        id="car-bomb-suicide"),
    pytest.param(
        "أدى القصف إلى مقتل خمسة مدنيين في بلدة كفرنبل بريف إدلب.",
        [dict(location_ar="كفرنبل", fatalities=5)],
        id="fatalities-number-word"),
    pytest.param(
        "قتل سبعة مدنيين في غارات روسية على بلدة كفرنبل بريف إدلب، فيما قالت مصادر أخرى إن عدد القتلى بلغ عشرة.",
        [dict(sub_event_type="Air/drone strike", actor1=RUSSIA, fatalities=7)],
        id="fatalities-lowest-figure"),
    pytest.param(
        "شنت طائرات روسية غارات على مدينة البوكمال في 14 أيار 2016.",
        [dict(event_date="2016-05-14", admin1="Deir ez-Zor", actor1=RUSSIA)],
        id="levantine-month"),
    pytest.param(
        "شنت طائرات روسية غارات على مدينة البوكمال في ١٤ أيار ٢٠١٦ وقتل ٣ مدنيين.",
        [dict(event_date="2016-05-14", admin1="Deir ez-Zor", fatalities=3)],
        id="arabic-indic-digits"),
    pytest.param(
        "شنت طائرات روسيه غارات على مدينه ادلب.",
        [dict(sub_event_type="Air/drone strike", actor1=RUSSIA, admin1="Idleb")],
        id="hamza-ta-marbuta-variants"),
    pytest.param(
        "قصفت قوات الأسد بالبراميل المتفجرة وبلدة داعل بريف درعا.",
        [dict(admin1="Dar'a", location_ar="داعل")],
        id="clitic-waw-ba"),
]


@pytest.mark.parametrize("text, expected", POSITIVE)
def test_pipeline_reports_expected_events(pipe: Pipeline, text: str, expected: list[dict]) -> None:
    events = _run(pipe, text)
    for want in expected:
        assert _has(events, **want), (want, _show(events))


@pytest.mark.parametrize(
    "text",
    [
        "لم تسجل أي غارات جوية على ريف إدلب اليوم.",
        "تهدد قوات النظام بشن هجوم واسع على بلدة خان شيخون في ريف إدلب.",
        "فاز فريق الجيش على فريق الاتحاد بثلاثة أهداف في الدوري السوري لكرة القدم.",
        "ارتفعت أسعار الخبز والمحروقات في أسواق دمشق خلال الأسبوع الماضي.",
        "",
        "   \n  ",
    ],
    ids=["negation", "future-threat", "sports", "economy", "empty", "blank"],
)
def test_pipeline_no_event(pipe: Pipeline, text: str) -> None:
    assert _run(pipe, text) == []


def test_pipeline_village_list_one_event_each(pipe: Pipeline) -> None:
    events = _run(pipe, "قصفت قوات النظام قرى كفرنبل وحاس وكفرومة في ريف إدلب الجنوبي.")
    assert len(events) == 3, _show(events)
    assert {e.sub_event_type for e in events} == {"Shelling/artillery/missile attack"}
    assert {e.admin1 for e in events} == {"Idleb"}


def test_pipeline_repeated_mentions_merge(pipe: Pipeline) -> None:
    events = _run(pipe, "شنت الطائرات الروسية غارات على بلدة كفرنبل بريف إدلب. "
                        "وأسفرت الغارات الروسية على بلدة كفرنبل عن أضرار مادية.")
    assert len(events) == 1, _show(events)


def test_pipeline_old_incident_left_out(pipe: Pipeline) -> None:
    events = _run(pipe, "قصف الطيران الحربي الروسي بلدة التمانعة بريف إدلب في 3 آذار 2019.\n"
                        "وكانت قوات النظام قد قصفت بلدة كفرنبل في 5 كانون الثاني 2019.")
    assert _show(events) == [("2019-03-03", "Air/drone strike", RUSSIA, None, "Idleb", "التمانعة", 0)]


def test_pipeline_unknown_village_unresolved(pipe: Pipeline) -> None:
    (e,) = _run(pipe, "قصفت قوات النظام قرية أبو زريزيرات في ريف إدلب.")
    assert "unresolved_place" in (e.tags or "")
    assert e.geo_precision in (2, 3) and e.admin1 == "Idleb"


def test_pipeline_checkpoint_of_forces_is_not_a_place(pipe: Pipeline) -> None:
    events = _run(pipe, "فجر انتحاري سيارة مفخخة عند حاجز لقوات النظام في مدينة جبلة.")
    assert [e.location_ar for e in events] == ["جبلة"], _show(events)


REPORT = ("دمشق - شنت طائرات حربية روسيّة أمس غاراتٍ على بلدة كفرنبل بريف إدلب الجنوبي، ما أدى إلى مقتل "
          "٤ مدنيين، فيما اندلعت اشتباكات بين فصائل المعارضة وقوات النظام على محور بلدة كبانة في ريف "
          "اللاذقية.\nوقصفت قوات النظام بالمدفعية قرية حاس وأطراف مدينة خان شيخون.")


def test_pipeline_evidence_slices_original(pipe: Pipeline) -> None:
    events = _run(pipe, REPORT)
    assert len(events) >= 3, _show(events)
    for e in events:
        assert REPORT[e.evidence.start:e.evidence.end] == e.evidence.text
        assert e.evidence.spans.get("trigger")
        for spans in e.evidence.spans.values():
            for s in spans:
                assert REPORT[s.start:s.end] == s.text


def test_pipeline_event_ids_stable_across_runs(pipe: Pipeline) -> None:
    first = [e.event_id for e in _run(pipe, REPORT)]
    again = [e.event_id for e in Pipeline.from_options(Options(today=date(2026, 11, 27))).extract_text(
        REPORT, published=PUB)]
    assert first == again
    assert len(set(first)) == len(first)


def test_pipeline_extract_article_equals_extract_text(pipe: Pipeline) -> None:
    a = pipe.extract_article(Article("r1", REPORT, date(2019, 3, 10), "https://example.org/a"))
    b = pipe.extract_text(REPORT, published=PUB, url="https://example.org/a", article_id="r1")
    assert a == b and all(e.article_id == "r1" for e in a)


def test_pipeline_min_confidence_filters() -> None:
    strict = Pipeline.from_options(Options(today=date(2026, 11, 27), min_confidence=1.0))
    assert strict.extract_text(REPORT, published=PUB) == []


def test_pipeline_module_extract_api() -> None:
    import ahdath.pipeline  # noqa: F401  (what any first call does)

    events = ahdath.extract("شنت طائرات روسية أمس غارات على بلدة كفرنبل.", published="2019-03-10")
    assert [(e.event_date, e.actor1, e.location_ar) for e in events] == [("2019-03-09", RUSSIA, "كفرنبل")]
    assert ahdath.extract("ارتفعت أسعار الخبز في أسواق دمشق.", published=date(2019, 3, 10)) == []


_WORDS = ["قصفت", "قوات", "النظام", "بلدة", "كفرنبل", "وبلدة", "حاس", "ريف", "إدلب", "اشتباكات", "بين",
          "الفصائل", "مقتل", "خمسة", "١٢", "أمس", "لم", "غارة", "روسية", "انتحاري", "مفخخة", "،", ".",
          "\n", "ـ", "ّ", "2016", "أيار", "14"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join))
def test_pipeline_evidence_invariants_hold_on_any_text(pipe: Pipeline, text: str) -> None:
    for e in _run(pipe, text):
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text
        for spans in e.evidence.spans.values():
            assert all(text[s.start:s.end] == s.text for s in spans)


def test_pipeline_seed_report(pipe: Pipeline, shared_dir: Path) -> None:
    text = (shared_dir / "seed" / "seed.txt").read_text(encoding="utf-8")
    events = _run(pipe, text, published=None)
    assert sum(e.event_date == "2016-05-14" for e in events) >= 8, _show(events)
    assert {e.admin1 for e in events} <= {"Deir ez-Zor", "Dar'a"}
    assert any(e.sub_event_type == "Suicide bomb" and e.actor1 == ISIS and "البغيلية" in (e.location_ar or "")
               for e in events), _show(events)
    for e in events:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text
