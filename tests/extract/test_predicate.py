"""The predicate of a clause: an act, or another verb whose complement only names one.

Every sentence here was written for these tests (never taken from the shared corpora).
"""
from __future__ import annotations

import pytest

from ahdath.extract.predicate import EVENT, OTHER, PredicateReader
from ahdath.lexicon import LexiconSet
from ahdath.pipeline import Pipeline
from ahdath.text.normalize import norm


@pytest.fixture(scope="module")
def reader(lexicons: LexiconSet) -> PredicateReader:
    return PredicateReader.from_lexicons(lexicons)


def _head(pipeline: Pipeline, reader: PredicateReader, text: str, at: str | None = None):
    m, _country, _dateline = pipeline.mentions(text)
    sent = m.sentences[0]
    pos = next((i for i, t in enumerate(m.tokens) if t.text == norm(at)), None) if at else None
    h = reader.of(m).head(sent.first, sent.last, pos)
    return h.kind, (m.tokens[h.token].text if h.token >= 0 else None), h.reported


@pytest.mark.parametrize(("text", "word"), [
    pytest.param("وقتل مسلحون مجهولون سائق شاحنة على الطريق الدولي.", "وقتل", id="verb-first"),
    pytest.param("كما انفجرت عبوة ناسفة قرب سوق المدينة.", "انفجرت", id="opener-then-verb"),
    pytest.param("وفي مدينة الموصل، اختطف مسلحون مهندسا من منزله.", "اختطف", id="fronted-place"),
    pytest.param("من جهة أخرى، أطلق مجهولون النار على حافلة للركاب.", "اطلق", id="fronted-connector"),
    pytest.param("* 3 أيار 2006: اغتيال قاض في مدينة البصرة.", "اغتيال", id="list-item-date"),
    pytest.param("كربلاء ـ رويترز: انفجرت سيارة مفخخة قرب حاجز للشرطة.", "انفجرت", id="dateline"),
    pytest.param("وكان مسؤول في الشرطة قد قتل في الهجوم.", "قتل", id="copula-subject"),
    pytest.param("واتسعت المواجهات بين الجيش والمسلحين في ضواحي المدينة.", "المواجهات", id="act-as-subject"),
    pytest.param("وتدور معارك بين الجيش والمسلحين في ضواحي المدينة.", "وتدور", id="verb-of-happening"),
])
def test_predicate_an_act_in_the_predicate_slot(pipeline: Pipeline, reader: PredicateReader, text: str,
                                                word: str) -> None:
    kind, token, _reported = _head(pipeline, reader, text)
    assert (kind, token) == (EVENT, norm(word))


@pytest.mark.parametrize(("text", "word"), [
    pytest.param("وقال مصدر في الشرطة إن مسلحين خطفوا مهندسا في المدينة.", "خطفوا", id="complement"),
    pytest.param("وأعلنت مصادر أمنية مقتل جنديين في انفجار عبوة.", "مقتل", id="object"),
    pytest.param("وأضاف الضابط: «اندلعت اشتباكات عنيفة قرب الجسر».", "اندلعت", id="quotation"),
])
def test_predicate_a_source_tells_the_act(pipeline: Pipeline, reader: PredicateReader, text: str,
                                          word: str) -> None:
    kind, token, reported = _head(pipeline, reader, text)
    assert (kind, token, reported) == (EVENT, norm(word), True)


@pytest.mark.parametrize(("text", "word"), [
    pytest.param("واستقبل الرئيس أمس وفدا نيابيا في أول لقاء منذ اغتيال رئيس الوزراء.", "واستقبل", id="visit"),
    pytest.param("وكرمت البلدية عائلات ضحايا التفجير في حفل رسمي.", "وكرمت", id="ceremony"),
    pytest.param("ويعتقد الخبراء أن الهجمات الانتحارية ستتراجع في العام المقبل.", "ويعتقد", id="opinion"),
    pytest.param("وقال الوزير إن البرلمان يناقش قانونا جديدا لمكافحة الخطف.", "يناقش", id="speech-other"),
    pytest.param("وناقش البرلمان الجريمة التي استهدفت الصحافي قبل عامين.", "وناقش", id="relative-verb"),
])
def test_predicate_another_verb_in_the_predicate_slot(pipeline: Pipeline, reader: PredicateReader, text: str,
                                                      word: str) -> None:
    kind, token, _reported = _head(pipeline, reader, text)
    assert (kind, token) == (OTHER, norm(word))


def test_predicate_an_act_the_predicate_frames_is_not_what_the_clause_tells(pipeline: Pipeline,
                                                                             reader: PredicateReader) -> None:
    # "أثار اغتياله": the act is what the reaction is about; "تصاعدت الهجمات": the act is what goes on
    assert _head(pipeline, reader, "وأثار اغتيال القاضي موجة غضب في الشارع.")[0] == OTHER
    assert _head(pipeline, reader, "وتصاعدت الهجمات على القوافل في الأسابيع الأخيرة.")[0] == EVENT


def test_predicate_a_quotation_is_its_own_clause(pipeline: Pipeline, reader: PredicateReader) -> None:
    text = "وتحدث القائد في مؤتمر صحافي عن الوضع في الجبهة: «قصفت طائراتنا مخازن للأسلحة»."
    assert _head(pipeline, reader, text)[0] == OTHER
    assert _head(pipeline, reader, text, at="قصفت")[:2] == (EVENT, norm("قصفت"))


@pytest.mark.parametrize("text", [
    "وأخلى السكان منازلهم نتيجة القصف المتواصل على الحي.",
    "وتوفي السجين جراء التعذيب في أحد مراكز الاحتجاز.",
])
def test_predicate_an_act_told_as_a_cause(pipeline: Pipeline, reader: PredicateReader, text: str) -> None:
    m, _c, _d = pipeline.mentions(text)
    (trig, *_rest) = m.triggers
    assert reader.caused(m, 0, trig.first)


def test_predicate_roles_read_with_their_conjunction(reader: PredicateReader) -> None:
    assert reader.role(norm("وقال")) == reader.role(norm("قال")) == "speech"
    assert reader.role(norm("فأعلنت")) == "speech"
    assert reader.role(norm("وفي")) == "lead"
    assert reader.role(norm("الذي")) == "relative"
    assert reader.role(norm("مدرسة")) is None


@pytest.mark.parametrize("text, place", [
    ("وقتل مدنيان بانفجار عبوة ناسفة في قرية جبا صباح اليوم، بالإضافة إلى اغتيال عضو المجلس المحلي في مدينة "
     "البعث، رضوان الأحمد.", "البعث"),
    ("وقصفت المدفعية أطراف بلدة اللطامنة فجر اليوم، فضلا عن اغتيال شاب في بلدة كفرزيتا، ابن أحد وجهائها.",
     "كفرزيتا"),
], ids=["in-addition-to", "besides"])
def test_predicate_an_act_added_to_those_told_is_told(pipeline: Pipeline, text: str, place: str) -> None:
    from ahdath.text.normalize import norm

    events = pipeline.extract_text(text, article_id="t")
    assert norm(place) in {norm(e.location_ar or "") for e in events}, [(e.sub_event_type, e.location_ar) for e in events]


@pytest.mark.parametrize(("word", "present"), [
    ("تشهد", True), ("وتشهد", True), ("يشهد", True), ("تدور", True), ("فتجري", True),
    ("شهدت", False), ("ستشهد", False),  # a perfect; the future is a plan, not what keeps happening
    ("تجدد", False), ("تصاعد", False), ("تعرض", False),  # perfects of forms V and VI open with ت as well
])
def test_predicate_present_reads_the_imperfect_by_its_lemma(reader: PredicateReader, word: str, present: bool) -> None:
    assert reader.present(norm(word)) is present
