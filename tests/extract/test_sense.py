"""Sense check: an ambiguous trigger whose argument is a ball, a price, a gas cylinder, a court
case ... is no event; the same trigger with a side or a weapon of violence stays one."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.extract.sense import SenseChecker, SenseVerdict
from ahdath.lexicon import load_lexicons
from ahdath.lexicon.schema import SENSES
from ahdath.pipeline import Pipeline
from ahdath.text.normalize import norm

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


@pytest.fixture(scope="module")
def read(pipeline: Pipeline):
    def run(text: str) -> tuple[SenseVerdict, ...]:
        return pipeline._senses.verdicts(pipeline._mentions.find(text))

    return run


def _verdict(verdicts: tuple[SenseVerdict, ...], trigger: str) -> SenseVerdict:
    """The verdict on the trigger written ``trigger`` (its quoted text in the reason)."""
    for v in verdicts:
        if norm(trigger) in norm(v.reason.split("'")[1]):
            return v
    raise AssertionError(f"no verdict on {trigger!r} in {[v.reason for v in verdicts]}")


# (text, trigger word, sense): every one a trigger word read in a sense that reports no violence
NOT_EVENTS = [
    # sports: the ball, the goal, the play
    ("خطف مهاجم الوحدة هدفا قاتلا في الدقيقة الأخيرة من المباراة.", "خطف", "sports"),
    ("خطف فريق تشرين النقاط الثلاث من ملعب منافسه في الجولة الماضية.", "خطف", "sports"),
    ("تصدى حارس المرمى لتسديدة قوية من خارج منطقة الجزاء.", "تصدى", "sports"),
    ("تصدى مدافع الفريق لكرة المنافس تحت السلة في الربع الأخير.", "تصدى", "sports"),
    ("سيطر لاعبو الفريق الضيف على مجريات اللعب في الشوط الأول.", "سيطر", "sports"),
    ("أطلق اللاعب قذيفة صاروخية من خارج المنطقة سكنت المرمى.", "قذيفة", "sports"),
    # economy: a currency, prices, inflation
    ("تعرضت الليرة التركية لهجوم من المضاربين في الأسواق المالية.", "لهجوم", "economy"),
    ("نجح المصرف المركزي في السيطرة على التضخم خلال الربع الثالث.", "السيطرة على", "economy"),
    ("حذر خبراء من انفجار الأسعار في الأسواق المحلية خلال الشتاء.", "انفجار", "figurative"),
    ("وقع البلدان اتفاقية تعاون اقتصادي في مجال الطاقة.", "اتفاقية", "economy"),
    # accidents and fires
    ("قتل شاب وأصيب اثنان في حادث سير على طريق المطار.", "قتل", "accident"),
    ("أسفر انفجار أسطوانة غاز داخل مطعم عن إصابة ثلاثة عمال.", "انفجار", "accident"),
    ("سمع دوي انفجار قنينة غاز في مطبخ أحد المنازل.", "انفجار", "accident"),
    ("تمكنت فرق الإطفاء من السيطرة على الحريق بعد ساعتين.", "السيطرة على", "fire"),
    ("فقد السائق السيطرة على السيارة فاصطدمت بعمود الإنارة.", "السيطرة على", "accident"),
    # courts
    ("بدأت محاكمة المتهمين في قضية اغتيال المحامي أمام محكمة الجنايات.", "اغتيال", "justice"),
    ("أصدرت المحكمة حكما بالإعدام على القاتل.", "بالإعدام", "justice"),
    ("وجهت النيابة إليه تهمة خطف طفل من أمام مدرسته.", "خطف", "justice"),
    ("أعلنت الحكومة الإفراج عن الرهائن الأجانب.", "الرهائن", "release"),
    # culture, speech, computers
    ("يروي فيلم اغتيال الجنرال قصة ضابط في الجيش الفرنسي.", "اغتيال", "culture"),
    ("خطفت الممثلة الأضواء في حفل افتتاح المهرجان.", "خطفت", "figurative"),
    ("اتهم الحزب الرئيس باغتصاب السلطة.", "باغتصاب", "figurative"),
    ("انفجر الحضور بالضحك عند سماع النكتة.", "انفجر", "figurative"),
    ("شن النائب هجوما إعلاميا على وزير المالية.", "هجوما", "speech"),
    ("هاجم رئيس الحزب الحكومة قائلا إنها فشلت في إدارة الأزمة.", "هاجم", "speech"),
    ("تعرضت مواقع حكومية لهجوم إلكتروني نفذه قراصنة.", "لهجوم", "cyber"),
    # weapons owned or tested, aircraft flying, mines lying
    ("تمتلك البحرية صواريخ بعيدة المدى.", "صواريخ", "arms"),
    ("أجرت كوريا الشمالية تجربة صاروخ باليستي فوق البحر.", "صاروخ", "arms"),
    ("سمع الأهالي تحليق طائرات حربية فوق المدينة.", "طائرات حربية", "flight"),
    ("انطلقت المروحيات من قاعدة روسية قرب بلدة العريمة.", "المروحيات", "flight"),
    ("رصد ناشطون انطلاق طائرة مسيرة من مطار حماة العسكري.", "طائرة مسيرة", "flight"),
    ("تواصل فرق الهندسة إزالة الألغام من الأراضي الزراعية.", "الألغام", "mine_action"),
    # animals, ordinary crime, offices and envoys
    ("ذبح الأهالي الأضاحي في أول أيام العيد.", "ذبح", "livestock"),
    ("ألقت الشرطة القبض على مروج مخدرات في حي المزة.", "القبض على", "crime"),
    ("تسلم الوزير الجديد مهامه في الوزارة أمس.", "تسلم", "politics"),
    ("انسحب المرشح من الانتخابات الرئاسية.", "انسحب", "politics"),
    ("طردت الحكومة السفير الإيراني من البلاد.", "طردت", "diplomacy"),
]


@pytest.mark.parametrize(("text", "trigger", "sense"), NOT_EVENTS, ids=[f"{s}-{i}" for i, (_t, _w, s) in
                                                                        enumerate(NOT_EVENTS)])
def test_sense_reads_a_non_violent_sense(read, text: str, trigger: str, sense: str) -> None:
    v = _verdict(read(text), trigger)
    assert not v.event
    assert v.sense == sense
    assert f"read as {sense}" in v.reason


@pytest.mark.parametrize(("text", "_trigger", "_sense"), NOT_EVENTS[:18])
def test_sense_non_violent_senses_give_no_violent_event(pipeline: Pipeline, text: str, _trigger: str,
                                                        _sense: str) -> None:
    assert not [e for e in pipeline.extract_text(text) if e.event_type in VIOLENT]


# positive controls: the same trigger words beside a side, a weapon or a target of violence
EVENTS = [
    ("خطف مسلحون مجهولون طفلا في ريف درعا.", "Abduction/forced disappearance"),
    ("قصفت قوات النظام ملعب كرة القدم في مدينة درعا.", "Shelling/artillery/missile attack"),
    ("سقطت قذيفة هاون قرب ملعب كرة القدم في مدينة حلب.", "Shelling/artillery/missile attack"),
    ("اغتال مسلحون لاعب كرة القدم السابق في مدينة درعا.", "Attack"),
    ("انفجرت عبوة ناسفة بسيارة تابعة للشرطة قرب محطة الغاز في مدينة الرقة.", "Remote explosive/landmine/IED"),
    ("استهدفت غارة جوية منشأة اقتصادية في ريف حلب.", "Air/drone strike"),
    # a drone that took off and then struck: the strike is told by its own verb
    ("انطلقت مسيرة تركية واستهدفت سيارة في بلدة عامودا.", "Air/drone strike"),
    ("سيطرت هيئة تحرير الشام على الملعب البلدي في مدينة إدلب.", "Non-state actor overtakes territory"),
    ("فتحت الشرطة تحقيقا في تفجير انتحاري استهدف حاجزا للجيش في مدينة الموصل.", "Suicide bomb"),
    ("أطلقت قوات الاحتلال صواريخ على حي سكني في مدينة غزة.", "Shelling/artillery/missile attack"),
    ("انسحبت قوات النظام من البلدة بموجب الاتفاق.", "Non-violent transfer of territory"),
    ("تصدت فصائل المعارضة لمحاولة تقدم قوات النظام على جبهة كبانة.", "Armed clash"),
    ("قتل ثلاثة مدنيين بقصف مدفعي على بلدة معرة مصرين في أثناء مباراة لكرة القدم.",
     "Shelling/artillery/missile attack"),
    ("قتل طفل بانفجار لغم أرضي من مخلفات الحرب في ريف دير الزور.", "Remote explosive/landmine/IED"),
    ("أعدم تنظيم الدولة ثلاثة شبان بتهمة التجسس في مدينة الميادين.", "Attack"),
    ("انفجرت سيارة مفخخة قرب محطة وقود في مدينة أعزاز.", "Remote explosive/landmine/IED"),
    ("خطف مسلحون تابعون لفصيل محلي شابا في ريف عفرين وطالبوا بفدية مالية.", "Abduction/forced disappearance"),
    ("قصفت قوات النظام السوق الشعبي في مدينة دوما ما أدى إلى ارتفاع أسعار الخضار.", "Shelling/artillery/missile attack"),
    ("هاجم مسلحون من تنظيم داعش حاجزا للجيش في ريف حماة، بحسب بيان نشره التنظيم على موقعه الإلكتروني.",
     "Armed clash"),
    ("فجر مسلحون مجهولون عبوة ناسفة في خط الغاز قرب مدينة العريش.", "Remote explosive/landmine/IED"),
]


@pytest.mark.parametrize(("text", "sub"), EVENTS, ids=[s for _t, s in EVENTS])
def test_sense_controls_keep_their_event(pipeline: Pipeline, read, text: str, sub: str) -> None:
    assert all(v.event for v in read(text))
    assert sub in {e.sub_event_type for e in pipeline.extract_text(text)}


def test_sense_reason_is_stable_and_names_the_cue(read) -> None:
    (v,) = read("خطف مهاجم الوحدة هدفا قاتلا.")
    assert v.reason == "'خطف' read as sports: 'هدفا' 2 words after it (sports_snatch)"
    assert v.cue == "'هدفا'"
    (kept,) = read("خطف مسلحون طفلا.")
    assert kept.event and kept.sense is None and kept.reason == "'خطف': no sense cue beside it"


def test_sense_cue_only_inside_the_trigger_clause(read) -> None:
    # the ball is in the clause after "بينما": the kidnapping before it stays an event
    verdicts = read("خطف مسلحون طفلا في ريف درعا بينما سدد اللاعب الكرة نحو المرمى.")
    assert _verdict(verdicts, "خطف").event


def test_sense_keep_events_drops_only_what_it_reads(pipeline: Pipeline) -> None:
    m = pipeline._mentions.find("خطف مهاجم الوحدة هدفا. وخطف مسلحون طفلا في ريف درعا.")
    kept = pipeline._senses.keep_events(m)
    assert len(m.triggers) == 2 and len(kept.triggers) == 1
    assert kept.triggers[0] is m.triggers[1]
    clean = pipeline._mentions.find("قصفت قوات النظام مدينة درعا.")
    assert pipeline._senses.keep_events(clean) is clean


def test_sense_verdict_is_frozen(read) -> None:
    (v,) = read("خطف مهاجم الوحدة هدفا.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.event = True  # type: ignore[misc]


def test_sense_every_cue_entry_validates() -> None:
    lex = load_lexicons()
    entries = lex["senses"].entries
    triggers = {e.id for e in lex["triggers"].entries}
    assert entries
    for e in entries:
        assert e.get("sense") in SENSES, e.id
        assert e.get("before") is not None or e.get("after") is not None, e.id
        assert set(e.get("triggers") or ()) <= triggers, e.id
        assert e.provenance


def test_sense_checker_builds_from_lexicons() -> None:
    checker = SenseChecker.from_lexicons(load_lexicons())
    assert isinstance(checker, SenseChecker)


_WORDS = ["خطف", "هدفا", "قصفت", "قوات", "النظام", "الكرة", "انفجار", "أسطوانة", "غاز", "مدينة", "درعا", "في",
          "و", "الليرة", "لهجوم", "بينما", "."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25).map(" ".join))
def test_sense_verdicts_cover_every_trigger_and_keep_a_subset(pipeline: Pipeline, text: str) -> None:
    m = pipeline._mentions.find(text)
    verdicts = pipeline._senses.verdicts(m)
    assert [v.trigger for v in verdicts] == list(m.triggers)
    kept = pipeline._senses.keep_events(m)
    assert list(kept.triggers) == [v.trigger for v in verdicts if v.event]
