"""Which acts a clause reports: the clause's predicate, what is told beside an act named in a
clause about something else, lists of practices, frames that govern a clause, questions, years;
incidents a report recalls by a year or a month are background, dated or not.

Every sentence here was written for these tests (never taken from the shared corpora).
"""
from __future__ import annotations

from datetime import date

import pytest

from ahdath.extract.reporting import catalogue
from ahdath.extract.status_model import StatusModel
from ahdath.extract.trace import Decision
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline

PUB = "2021-06-14"


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    """The rules alone: the status model's weights are refitted data, these tests pin the rules."""
    return Pipeline.from_options(Options(today=date(2026, 11, 27), status_model=StatusModel.identity()))


def _explain(pipe: Pipeline, text: str, published: str | None = None) -> tuple[list, list[Decision]]:
    trace: list[Decision] = []
    pub = date.fromisoformat(published) if published else None
    return pipe.extract_article(Article("t", text, pub), trace), trace


@pytest.mark.parametrize("text", [
    pytest.param("واستقبل الرئيس أمس وفدا نيابيا في أول لقاء منذ اغتيال رئيس الوزراء السابق.", id="visit"),
    pytest.param("وناقش البرلمان في جلسته المطولة اغتيال القاضي.", id="debate"),
    pytest.param("ووصف الكاتب في مقاله عمليات الخطف بأنها تجارة رابحة للعصابات.", id="commentary"),
    pytest.param("وتسلمت العائلة جثمان الصحافي بعد أسابيع من اختطافه.", id="aftermath"),
])
def test_reporting_an_act_named_in_a_clause_about_something_else_is_a_mention(rules: Pipeline, text: str) -> None:
    events, _trace = _explain(rules, text)
    assert events == [], [(e.sub_event_type, e.evidence.text) for e in events]


@pytest.mark.parametrize("text", [
    pytest.param("وأفاد مصدر في الشرطة بأن مسلحين خطفوا مهندسا من منزله في حي الجامعة.", id="source-then-verb"),
    pytest.param("وفي مدينة كركوك، انفجرت عبوة ناسفة قرب دورية للشرطة.", id="fronted-place"),
    pytest.param("وأخلى السكان منازلهم في حي الزهور نتيجة القصف المتواصل على الحي.", id="act-as-cause"),
    pytest.param("وتزامن الاجتماع مع هجوم انتحاري وقع في سوق المدينة وأسفر عن مقتل تسعة أشخاص.",
                 id="act-told-beside-twice"),
])
def test_reporting_an_act_told_as_having_happened_comes_out(rules: Pipeline, text: str) -> None:
    events, trace = _explain(rules, text)
    assert events, [d.reason for d in trace]


def test_reporting_one_sign_beside_an_act_counts_only_where_the_report_tells_an_incident(rules: Pipeline) -> None:
    # "the bombing that happened in the town" recalled at a ceremony: one sign (a verb of occurrence)
    line = "وكرمت البلدية عائلات ضحايا التفجير الذي وقع في بلدة القائم."
    alone, trace = _explain(rules, line)
    assert alone == [], [d.reason for d in trace]
    report = "قصفت الطائرات الحربية مواقع للمسلحين قرب بلدة القائم صباح اليوم.\n" + line
    events, _ = _explain(rules, report, PUB)
    assert events


def test_reporting_a_list_of_kinds_of_act_is_a_practice(rules: Pipeline) -> None:
    events, trace = _explain(rules, "وقال الباحث إن القتل والخطف والاغتصاب جرائم لا تسقط بالتقادم.")
    assert events == []
    assert any(d.reason.startswith("topic: one of a list of kinds of act") for d in trace)
    # the parts of one incident are not a list: a car bomb that killed
    told, trace = _explain(rules, "انفجرت سيارة مفخخة قرب سوق المدينة مما أدى إلى مقتل أربعة أشخاص.")
    assert told, [d.reason for d in trace]


def test_reporting_catalogue_needs_three_acts_of_two_kinds(rules: Pipeline) -> None:
    m, _c, _d = rules.mentions("وتشمل الجرائم القتل والخطف والاغتصاب.")
    assert len(catalogue(m.triggers, m)) == len(m.triggers) == 3
    m, _c, _d = rules.mentions("وتشمل الجرائم الخطف والاختطاف.")
    assert catalogue(m.triggers, m) == frozenset()


@pytest.mark.parametrize(("text", "kind"), [
    pytest.param("وأدانت الجامعة العربية في بيان مطول صدر عن أمانتها العامة في القاهرة بعد اجتماع طارئ الهجوم "
                 "على الكنيسة.", "reaction", id="reaction-far"),
    pytest.param("ويعتزم الجيش بحسب مصادر عسكرية مطلعة على الخطط في الأسابيع المقبلة قصف معاقل المسلحين "
                 "في الجبال.", "future", id="plan-far"),
])
def test_reporting_a_frame_governs_an_act_named_far_into_its_clause(rules: Pipeline, text: str, kind: str) -> None:
    events, trace = _explain(rules, text)
    assert events == []
    assert any(d.reason.startswith(kind) for d in trace), [d.reason for d in trace]


def test_reporting_a_denial_far_off_denies_a_claim_not_the_act(rules: Pipeline) -> None:
    text = ("نفى التحالف في بيان صدر اليوم أي مسؤولية له عن القصف الذي استهدف سوقا شعبيا في مدينة حجة "
            "وأوقع عشرين قتيلا أمس.")
    events, trace = _explain(rules, text, PUB)
    assert events, [d.reason for d in trace]


@pytest.mark.parametrize("text", [
    "هل يمكن أن يتوقف القصف على الأحياء السكنية في المدينة؟",
    "قتل مسلحون ثلاثة جنود في بغداد؟",
])
def test_reporting_a_question_tells_nothing(rules: Pipeline, text: str) -> None:
    events, trace = _explain(rules, text)
    assert events == [], [(e.sub_event_type, e.evidence.text) for e in events]


def test_reporting_an_act_dated_by_a_year_alone_is_background(rules: Pipeline) -> None:
    events, trace = _explain(rules, "وعاد الوزير إلى المدينة التي غادرها بعد اغتيال شقيقه عام 2004.")
    assert events == []
    assert any(d.reason.startswith("background: the clause dates it by a year alone") for d in trace)
    # a day with its year dates an incident
    told, trace = _explain(rules, "اغتال مسلحون قاضيا في مدينة البصرة في 12 آذار 2006.")
    assert told, [d.reason for d in trace]


def test_reporting_an_act_told_by_its_verb_needs_no_side_or_place(rules: Pipeline) -> None:
    events, trace = _explain(rules, "فأطلقوا النار باتجاه السيارة مما أدى إلى مقتل شخص وإصابة اثنين.")
    assert events, [d.reason for d in trace]


def test_reporting_trace_names_the_predicate(rules: Pipeline) -> None:
    _events, trace = _explain(rules, "واستقبل الرئيس أمس وفدا نيابيا في أول لقاء منذ اغتيال رئيس الوزراء السابق.")
    (d,) = [d for d in trace if "clause's predicate" in d.reason]
    assert "واستقبل" in d.reason and d.subject == "Attack"


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


@pytest.mark.parametrize("text", [
    pytest.param("دخل الجيش التركي قرية راجو وسيطر عليها بعد معارك مع وحدات حماية الشعب.", id="entered-and-took"),
    pytest.param("ووصلت دورية للأمن إلى حي الجامعة واعتقلت ثلاثة شبان من منازلهم.", id="arrived-and-arrested"),
    pytest.param("وحاصر المسلحون الحافلة على طريق المطار واختطفوا سائقها.", id="besieged-and-kidnapped"),
])
def test_reporting_a_perfect_joined_on_by_wa_is_a_predicate_of_its_own(rules: Pipeline, text: str) -> None:
    # the first verb is no act; the act is a second verb coordinated with it, whatever came between
    events, trace = _explain(rules, text, "2019-03-01")
    assert events, [d.reason for d in trace]


@pytest.mark.parametrize("text", [
    pytest.param("وتحدث التقرير عن ما يجري في المحافظة من قتل وخطف وتهجير.", id="a-list-of-acts"),
    pytest.param("وطالب الوفد بوقف القتل والاغتصاب في الإقليم.", id="a-demand"),
])
def test_reporting_a_verbal_noun_joined_on_is_no_predicate(rules: Pipeline, text: str) -> None:
    # "وقتل", "وخطف" read as verbal nouns too: in a list of acts they name kinds of act, no incident
    events, _trace = _explain(rules, text, "2019-03-01")
    assert events == [], [(e.sub_event_type, e.evidence.text) for e in events]
