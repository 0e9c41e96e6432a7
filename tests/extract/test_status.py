"""What a trigger's clause is: reported incidents come out, frames that only mention one do not.

Every sentence here was written for these tests (never taken from the shared corpora).
"""
from __future__ import annotations

from datetime import date

import pytest

from ahdath.extract.status import REPORTED, FrameSpec, StatusReader
from ahdath.extract.trace import Decision
from ahdath.lexicon import LexiconSet
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline

PUB = "2021-06-14"


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_options(Options(today=date(2026, 11, 27)))


@pytest.fixture(scope="module")
def reader(lexicons: LexiconSet) -> StatusReader:
    return StatusReader.from_lexicons(lexicons)


def _explain(pipe: Pipeline, text: str, published: str | None = PUB) -> tuple[list, list[Decision]]:
    trace: list[Decision] = []
    pub = date.fromisoformat(published) if published else None
    events = pipe.extract_article(Article("t", text, pub), trace)
    return events, trace


REPORTED_SENTENCES = [
    pytest.param("قصفت قوات النظام صباح اليوم بلدة كفرنبل بقذائف المدفعية.", id="verb-first"),
    pytest.param("وقال ناشطون إن الطيران الحربي قصف بلدة خان شيخون بعدة غارات.", id="speech-then-svo"),
    pytest.param("كما اعتقلت دورية للشرطة ثلاثة شبان في مدينة الباب.", id="opener-then-verb"),
    pytest.param("قتل خمسة مدنيين بغارات روسية على بلدة سراقب.", id="toll"),
    pytest.param("وأسفر انفجار عبوة ناسفة في مدينة جرابلس عن إصابة شخصين.", id="occurrence-verb"),
    pytest.param("أدانت وزارة الخارجية انفجار السيارة المفخخة الذي هز مدينة عفرين مساء الأحد.",
                 id="reaction-to-dated-news"),
    pytest.param("وذكر المرصد أن الاشتباكات لا تزال مستمرة بين قوات النظام وفصائل المعارضة في محيط بلدة اللطامنة.",
                 id="still-not-negation"),
    pytest.param("انفجرت سيارة مفخخة في مدينة أعزاز، مما أدى إلى مقتل أربعة أشخاص.", id="which-led-not-negation"),
]


@pytest.mark.parametrize("text", REPORTED_SENTENCES)
def test_status_reported_incidents_come_out(pipe: Pipeline, text: str) -> None:
    events, trace = _explain(pipe, text)
    assert events, [d.reason for d in trace]


# (a sentence with a frame, the status it gives, the same report told as having happened)
NOT_INCIDENTS = [
    pytest.param("نفت وزارة الدفاع الروسية قصف مستشفى في بلدة كفرنبل.", "denial",
                 "قصف الطيران الروسي مستشفى في بلدة كفرنبل.", id="deny-verb"),
    pytest.param("لم يتم قصف مدينة إدلب بالمدفعية اليوم.", "denial", "تم قصف مدينة إدلب بالمدفعية اليوم.",
                 id="neg-particle"),
    pytest.param("لم تسجل أي غارات جوية على ريف حماة خلال ساعات النهار.", "denial",
                 "شن الطيران غارات جوية على ريف حماة خلال ساعات النهار.", id="none-recorded"),
    pytest.param("هددت قوات النظام بشن هجوم واسع على مدينة إدلب.", "future",
                 "شنت قوات النظام هجوما واسعا على مدينة إدلب.", id="threat"),
    pytest.param("تستعد فصائل المعارضة لشن هجوم على مواقع قوات النظام في ريف اللاذقية.", "future",
                 "شنت فصائل المعارضة هجوما على مواقع قوات النظام في ريف اللاذقية.", id="preparation"),
    pytest.param("سوف تشن الطائرات الروسية غارات على مواقع التنظيم في البادية.", "future",
                 "شنت الطائرات الروسية غارات على مواقع التنظيم في البادية.", id="sawfa"),
    pytest.param("إذا شنت قوات النظام هجوما على إدلب فإن المدنيين سيدفعون الثمن.", "hypothetical",
                 "شنت قوات النظام هجوما على إدلب ودفع المدنيون الثمن.", id="if"),
    pytest.param("قضت محكمة الجنايات بسجن رجل عشر سنوات بتهمة قتل جاره في بلدة جرمانا.", "trial",
                 "قتل مسلحون رجلا في بلدة جرمانا.", id="court"),
    pytest.param("تتهم المعارضة قوات النظام بقصف الأحياء السكنية في حلب.", "accusation",
                 "قصفت قوات النظام الأحياء السكنية في حلب.", id="accuse"),
    pytest.param("أجرت القوات الروسية مناورات تضمنت قصفا مدفعيا لأهداف وهمية قرب مدينة طرطوس.", "exercise",
                 "نفذت القوات الروسية قصفا مدفعيا على أهداف قرب مدينة طرطوس.", id="drill"),
    pytest.param("كشف الجيش عن طائرة مسيرة قادرة على قصف مواقع تنظيم داعش في البادية.", "capability",
                 "قصفت طائرة مسيرة مواقع تنظيم داعش في البادية.", id="can"),
    pytest.param("أحيا أهالي مدينة حماة ذكرى قصف قوات النظام للمدينة.", "commemoration",
                 "قصفت قوات النظام مدينة حماة.", id="anniversary"),
    pytest.param("وكانت قوات النظام قد سيطرت على بلدة كفرنبل عام 2016.", "background",
                 "سيطرت قوات النظام على بلدة كفرنبل.", id="written-year"),
    pytest.param("قصفت الطائرات الروسية بلدة كفرنبل في آذار 2017.", "background",
                 "قصفت الطائرات الروسية بلدة كفرنبل.", id="month-and-year"),
    pytest.param("وسبق أن تعرضت مقرات الميليشيات في مدينة البوكمال لغارات جوية مجهولة.", "background",
                 "تعرضت مقرات الميليشيات في مدينة البوكمال لغارات جوية مجهولة.", id="sabaq"),
    pytest.param("وثقت الشبكة الحقوقية مقتل ثلاثمئة مدني بغارات الطيران الروسي على محافظة إدلب.", "statistic",
                 "قتل ثلاثة مدنيين بغارات الطيران الروسي على محافظة إدلب.", id="documented-total"),
    pytest.param("تتعرض مدينة معرة النعمان منذ أسابيع لقصف شبه يومي من قوات النظام.", "habitual",
                 "تعرضت مدينة معرة النعمان لقصف من قوات النظام.", id="daily"),
    pytest.param("انتقد البرلمان الأوروبي الغارات الروسية على مدينة حلب.", "reaction",
                 "شنت الطائرات الروسية غارات على مدينة حلب.", id="criticise"),
    pytest.param("أحبطت قوى الأمن محاولة لاختطاف طبيب في مدينة الحسكة.", "denial",
                 "اختطف مسلحون طبيبا في مدينة الحسكة.", id="foiled"),
    pytest.param("هل قصفت الطائرات الروسية مستشفى بلدة كفرنبل؟", "hypothetical",
                 "قصفت الطائرات الروسية مستشفى بلدة كفرنبل.", id="question"),
    pytest.param("وكان من المفترض اغتيال القائد في منزله ببلدة سرمين.", "hypothetical",
                 "اغتال مسلحون القائد في منزله ببلدة سرمين.", id="supposed"),
]


@pytest.mark.parametrize(("text", "kind", "told"), NOT_INCIDENTS)
def test_status_frames_keep_mentions_out(pipe: Pipeline, text: str, kind: str, told: str) -> None:
    events, trace = _explain(pipe, text)
    assert events == []
    # a court case is read by the status frames, or before them by the sense check ("بتهمة قتل")
    assert any((d.stage == "status" and d.reason.startswith(kind))
               or (kind == "trial" and d.stage == "sense" and "justice" in d.reason) for d in trace), \
        [d.reason for d in trace]
    control, trace = _explain(pipe, told)
    assert control, [d.reason for d in trace]


@pytest.mark.parametrize("text", [
    "ناقش المؤتمر ملف الخطف في المنطقة الشرقية.",
    "تحدث الكاتب في مقاله عن ثقافة الاغتيال في المجتمعات الخارجة من الحروب.",
    "وتبقى سياسة الاغتيالات أداة بيد الأجهزة الأمنية.",
])
def test_status_acts_named_only_as_topics_give_nothing(pipe: Pipeline, text: str) -> None:
    events, trace = _explain(pipe, text, None)
    assert events == [], [d.reason for d in trace]


def test_status_weak_anchor_counts_in_a_report_that_tells_incidents(pipe: Pipeline) -> None:
    # a nominal line with only a place is an incident when the report tells one as happening
    report = ("قصفت قوات النظام صباح اليوم بلدة كفرنبل بالمدفعية الثقيلة.\n"
              "والغارات الجوية على بلدة حيش في ريف إدلب الجنوبي.")
    events, _ = _explain(pipe, report)
    assert {e.location_ar for e in events} >= {"كفرنبل", "حيش"}
    alone, trace = _explain(pipe, "والغارات الجوية على بلدة حيش في ريف إدلب الجنوبي.")
    assert alone == [] and any("nothing in the report is told as happening" in d.reason for d in trace)


def test_status_trace_points_at_the_frame_words(pipe: Pipeline) -> None:
    text = "نفت وزارة الدفاع الروسية قصف مستشفى في بلدة كفرنبل."
    _events, trace = _explain(pipe, text)
    (d,) = [d for d in trace if d.stage == "status"]
    assert text[d.start:d.end] == d.text and d.text.startswith("نفت") and "قصف" in d.text


def test_status_reader_reach_and_spares(reader: StatusReader, lexicons: LexiconSet) -> None:
    from ahdath.extract.status import Frame

    charge = Frame(0, 1, 0, 5, FrameSpec("trial", 3, 0, frozenset({"Arrests"}), "t"))
    assert reader.status(1, 2, "Attack", [charge]).kind == "trial"
    assert reader.status(1, 2, "Arrests", [charge]) is REPORTED  # "اعتقل ... بتهمة": the arrest happened
    assert reader.status(5, 6, "Attack", [charge]) is REPORTED  # out of reach
    later = Frame(4, 5, 20, 25, FrameSpec("future", 0, 2, frozenset(), "f"))
    assert reader.status(1, 3, "Attack", [later]).kind == "future"
    assert reader.status(1, 2, "Attack", [later]).kind == "reported"


def test_status_shields_hide_particles_inside_other_words(reader: StatusReader) -> None:
    from ahdath.text.normalize import normalize
    from ahdath.text.tokens import tokenize

    for text in ("كما قصفت الطائرات البلدة", "انفجرت العبوة مما أدى إلى مقتل شخص", "لا تزال الاشتباكات مستمرة"):
        tokens = tokenize(normalize(text).text)
        kinds = {f.spec.status for f in reader.frames(tokens, 0, len(tokens))}
        assert "denial" not in kinds, text


@pytest.mark.parametrize("text", [
    "وشكل مئات المتظاهرين سلسلة بشرية أمام مبنى البلدية للاحتجاج على قطع المياه.",
    "ونزل آلاف المحتجين إلى الشوارع احتجاجا على رفع أسعار الوقود.",
])
def test_status_a_crowd_of_protesters_anchors_a_purpose_protest(pipe: Pipeline, text: str) -> None:
    events, trace = _explain(pipe, text)
    assert any(e.event_type == "Protests" for e in events), [d.reason for d in trace]


def test_status_a_fair_called_a_demonstration_is_not_anchored_by_itself(pipe: Pipeline) -> None:
    # "تظاهرة" names the act and its crowd: the crowd in the trigger's own words anchors nothing
    events, _ = _explain(pipe, "ويعد المعرض أكبر تظاهرة ثقافية في البلاد.")
    assert events == []


@pytest.mark.parametrize(("text", "told"), [
    ("وعرض الجيش في الاستعراض صواريخ بعيدة المدى وراجمات محلية الصنع.",
     "وسقطت صواريخ بعيدة المدى على أطراف مدينة إدلب."),
    ("وتحدث الرهائن المفرج عنهم عن ظروف احتجازهم في مدينة الرقة.",
     "وخطف مسلحون رهائن من مدينة الرقة صباح اليوم."),
    ("ونشرت الصحيفة صورة الانتحاري في مدينة الموصل.",
     "وفجر انتحاري نفسه في مدينة الموصل."),
], ids=["munitions", "hostages", "bomber"])
def test_status_a_weapon_or_participant_needs_an_act(pipe: Pipeline, text: str, told: str) -> None:
    events, trace = _explain(pipe, text)
    assert events == [], [(e.sub_event_type, e.evidence.text) for e in events]
    control, trace = _explain(pipe, told)
    assert control, [d.reason for d in trace]


# (a sentence whose frame is a scene, a readiness, a purpose or a habit; the status; the sub-event type
# it keeps out; the act told)
SCENES_AND_PURPOSES = [
    pytest.param("ويعاني سكان المدينة من نقص الغذاء في ظل استمرار المعارك حول مدينة كادوقلي.", "background",
                 "Armed clash", "اندلعت معارك عنيفة حول مدينة كادوقلي.", id="amid-the-war"),
    pytest.param("ونزح مئات الأهالي مع استمرار القصف على بلدة كفرنبل.", "background",
                 "Shelling/artillery/missile attack", "قصفت قوات النظام بلدة كفرنبل.", id="as-shelling-goes-on"),
    pytest.param("وأكد قائد الفصيل أن مقاتليه مستعدون لشن هجوم على مواقع قوات النظام في ريف اللاذقية.", "future",
                 "Armed clash", "شن مقاتلو الفصيل هجوما على مواقع قوات النظام في ريف اللاذقية.", id="ready-to"),
    pytest.param("وهاجمت قوات الدعم السريع قرية ود النورة بغرض النهب.", "future",
                 "Looting/property destruction", "ونهبت قوات الدعم السريع قرية ود النورة.", id="purpose"),
    pytest.param("ويبلغ السكان من وقت لآخر عن عمليات خطف في ريف حمص.", "habitual",
                 "Abduction/forced disappearance", "خطف مسلحون مجهولون شابا في ريف حمص.", id="now-and-then"),
    # "recently": an earlier act or a trend the report recalls, with no day
    pytest.param("وقال المتحدث إن الطيران الإسرائيلي قصف مؤخرا مستودعات ذخيرة قرب مدينة حمص.", "background",
                 "Air/drone strike", "وقال المتحدث إن الطيران الإسرائيلي قصف فجر اليوم مستودعات ذخيرة قرب مدينة حمص.",
                 id="recently-after"),
    pytest.param("وتزايدت في الآونة الأخيرة عمليات الخطف على طريق دمشق درعا.", "background",
                 "Abduction/forced disappearance", "وخطف مسلحون أمس ثلاثة مسافرين على طريق دمشق درعا.",
                 id="lately-before"),
    pytest.param("وتصاعدت الهجمات خلال الفترة الأخيرة على مواقع الجيش في بادية حمص.", "background",
                 "Armed clash", "وهاجم مسلحو التنظيم اليوم مواقع الجيش في بادية حمص.", id="of-late"),
]


@pytest.mark.parametrize(("text", "kind", "sub", "told"), SCENES_AND_PURPOSES)
def test_status_scenes_readiness_and_purposes_are_not_incidents(pipe: Pipeline, text: str, kind: str, sub: str,
                                                                 told: str) -> None:
    events, trace = _explain(pipe, text)
    assert sub not in {e.sub_event_type for e in events}
    assert any(d.stage == "status" and d.reason.startswith(kind) for d in trace), [d.reason for d in trace]
    control, trace = _explain(pipe, told)
    assert sub in {e.sub_event_type for e in control}, [d.reason for d in trace]


def test_status_a_battle_named_amid_its_sides_stays(pipe: Pipeline) -> None:
    # "in the shadow of" a battle whose sides and place are named: a battle of its own
    events, _ = _explain(pipe, "وقع الانفجار في ظل معارك عنيفة بين قوات النظام وفصائل المعارضة في ريف القنيطرة.")
    assert "Armed clash" in {e.sub_event_type for e in events}


def test_status_a_repelled_attack_is_still_a_clash(pipe: Pipeline) -> None:
    # "foiled" governs what did not happen; an infiltration repelled was fought
    events, trace = _explain(pipe, "أحبطت فصائل المعارضة صباح اليوم محاولة تسلل لقوات النظام على محور بلدة كبانة.")
    assert any(e.event_type == "Battles" for e in events), [d.reason for d in trace]


@pytest.mark.parametrize("text", [
    "قتل سبعة جنود في هجوم على حاجز للجيش في بلدة الصنمين، هو الأكثر دموية منذ بدء الحرب.",
    "شنت الطائرات الروسية غارات على بلدة كفرنبل هي الأعنف منذ بداية العام.",
])
def test_status_a_superlative_compares_an_incident_with_a_period(pipe: Pipeline, text: str) -> None:
    # "the deadliest since the war began" tells one incident; the period is a comparison, not a total
    events, trace = _explain(pipe, text)
    assert events, [d.reason for d in trace]


def test_status_a_period_total_without_a_superlative_stays_a_statistic(pipe: Pipeline) -> None:
    events, _ = _explain(pipe, "قتل ثلاثمئة مدني بغارات الطيران الروسي على محافظة إدلب منذ بداية العام.")
    assert events == []


@pytest.mark.parametrize("text", [
    pytest.param("قالت مصادر طبية إن قتيلين وخمسة جرحى هي حصيلة التفجير الذي ضرب سوق مدينة الباب.", id="toll-of-the-bombing"),
    pytest.param("وبلغت حصيلة ضحايا القصف المدفعي على بلدة سرمين ثلاثة قتلى.", id="toll-of-the-victims-of"),
    pytest.param("ارتفعت إلى سبعة قتلى الحصيلة الإجمالية للغارة الجوية على مدينة أريحا.", id="toll-before-the-strike"),
])
def test_status_the_toll_of_one_incident_is_no_statistic(pipe: Pipeline, text: str) -> None:
    events, trace = _explain(pipe, text)
    assert events, [d.reason for d in trace]


@pytest.mark.parametrize("text", [
    pytest.param("وبلغت حصيلة ضحايا الغارات الجوية على محافظة إدلب منذ بداية العام ثلاثمئة قتيل.", id="since-new-year"),
    pytest.param("وثقت الشبكة حصيلة القصف على محافظة إدلب خلال الشهر الماضي بمئتي قتيل.", id="last-month"),
])
def test_status_a_toll_over_a_period_stays_a_statistic(pipe: Pipeline, text: str) -> None:
    events, trace = _explain(pipe, text)
    assert events == [], [(e.sub_event_type, e.location_ar) for e in events]
    assert any(d.stage == "status" and d.reason.startswith("statistic") for d in trace)


def test_status_reader_construct_named_spares_the_incident_right_after(reader: StatusReader) -> None:
    from ahdath.extract.status import Frame

    toll = Frame(2, 3, 10, 15, FrameSpec("statistic", 12, 0, frozenset(), "s", True))
    assert reader.status(3, 4, "Attack", [toll]) is REPORTED  # "حصيلة التفجير"
    assert reader.status(4, 5, "Attack", [toll]) is REPORTED  # "حصيلة ضحايا التفجير"
    assert reader.status(6, 7, "Attack", [toll]).kind == "statistic"
    assert reader.status(0, 1, "Attack", [toll]) is REPORTED  # it never reaches forward


@pytest.mark.parametrize("text, told", [
    pytest.param("ينفذ التنظيم هجمات على القرى النائية في بادية حمص.", "نفذ التنظيم هجمات على القرى النائية في بادية حمص.",
                 id="carries-out-attacks"),
    pytest.param("يشن الطيران الروسي غارات على قرى ريف إدلب الجنوبي.", "شن الطيران الروسي غارات على قرى ريف إدلب الجنوبي.",
                 id="wages-raids"),
    pytest.param("وينفذ مسلحون مجهولون عمليات اغتيال في ريف درعا الغربي.",
                 "ونفذ مسلحون مجهولون عمليات اغتيال في ريف درعا الغربي.", id="assassinations"),
    # ت opens the imperfect of a verb the lexicon knows ("تشهد"), not only perfects ("تجدد")
    pytest.param("تشهد قرى ريف حماة الشمالي غارات تشنها الطائرات الروسية.",
                 "شهدت قرى ريف حماة الشمالي غارات شنتها الطائرات الروسية.", id="sees-raids"),
    pytest.param("وتشهد أحياء مدينة درعا عمليات اغتيال ينفذها مجهولون.",
                 "وشهدت أحياء مدينة درعا عمليات اغتيال نفذها مجهولون.", id="sees-assassinations"),
])
def test_status_an_imperfect_verb_with_acts_in_the_plural_is_habitual(pipe: Pipeline, text: str, told: str) -> None:
    events, trace = _explain(pipe, text)
    assert events == [] and any(d.reason.startswith("habitual") for d in trace), [d.reason for d in trace]
    control, trace = _explain(pipe, told)
    assert control, [d.reason for d in trace]


def test_status_the_imperfect_with_a_day_is_an_incident_under_way(pipe: Pipeline) -> None:
    events, trace = _explain(pipe, "يشن الطيران الروسي منذ صباح اليوم غارات على قرى ريف إدلب الجنوبي.")
    assert events, [d.reason for d in trace]
