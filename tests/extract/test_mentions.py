"""MentionFinder: triggers, cues, actors, places and times of one report (numbers are read per clause)."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from ahdath.extract.mentions import MentionFinder, Mentions, header_date, within
from ahdath.pipeline import Pipeline


@pytest.fixture(scope="module")
def finder(pipeline: Pipeline) -> MentionFinder:
    return pipeline._mentions  # the finder the pipeline compiled; building another costs a second


def _subs(m: Mentions) -> set[str]:
    return {t.sub_event_type for t in m.triggers}


@pytest.mark.parametrize(
    "text, sub",
    [
        ("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل.", "Air/drone strike"),
        ("وقصفت قوات النظام بالمدفعية بلدة حاس.", "Shelling/artillery/missile attack"),
        ("اندلعت اشتباكات عنيفة بين الفصائل وقوات النظام.", "Armed clash"),
        ("فجر انتحاري سيارة مفخخة عند مدخل المدينة.", "Suicide bomb"),
        # hamza and ta marbuta variants written loosely
        ("شنت طائرات روسيه غارات جويه على مدينه ادلب.", "Air/drone strike"),
    ],
    ids=["air", "shelling-clitic", "clash", "suicide", "hamza-ta-marbuta"],
)
def test_mentions_trigger_sub_event_type(finder: MentionFinder, text: str, sub: str) -> None:
    assert sub in _subs(finder.find(text))


def test_mentions_offsets_point_into_normalized_text(finder: MentionFinder) -> None:
    text = "قصفت الطائرات الروسيّة بلدةَ كفرنبل بريف إدلب، وقُتل ١٢ مدنياً."
    m = finder.find(text)
    assert m.norm.original == text
    for group in (m.triggers, m.actors, m.places, m.times, m.cues):
        for x in group:
            assert 0 <= x.start < x.end <= len(m.norm.text)
            s, e = m.norm.span(x.start, x.end)
            assert 0 <= s < e <= len(text)
    assert [t.first for t in m.triggers] == sorted(t.first for t in m.triggers)


def test_mentions_finds_actor_and_place(finder: MentionFinder) -> None:
    m = finder.find("قتل خمسة مدنيين بقصف لقوات النظام على بلدة كفرنبل في ريف إدلب.")
    keys = {str(a.entries[0].get("key")) for a in m.actors}
    assert "SYR_REGIME" in keys
    assert any(p.name == "كفرنبل" for p in m.places)


def test_mentions_denial_frame_found(finder: MentionFinder) -> None:
    m = finder.find("لم تسجل أي غارات جوية على ريف إدلب اليوم.")
    assert "denial" in {f.spec.status for f in m.frames}


def test_mentions_within_selects_range(finder: MentionFinder) -> None:
    m = finder.find("قصفت قوات النظام بلدة حاس. وشنت طائرات روسية غارات على بلدة كفرنبل.")
    s0, s1 = m.sentences[0], m.sentences[1]
    first = within(m.triggers, s0.first, s0.last)
    second = within(m.triggers, s1.first, s1.last)
    assert first and second
    assert all(t.last <= s0.last for t in first)
    assert all(t.first >= s1.first for t in second)


def test_mentions_large_input_is_bounded(finder: MentionFinder) -> None:
    # ~200 KB of one repeated sentence plus one unbroken 200 KB "word": no regex blow-up
    text = "قصفت قوات النظام بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي. " * 3000 + "ب" * 200_000
    t = time.perf_counter()
    m = finder.find(text)
    assert time.perf_counter() - t < 10
    assert len(m.sentences) >= 3000


_PIECES = ["قصفت", "قوات", "النظام", "بلدة", "كفرنبل", "وبلدة", "ريف", "إدلب", "اشتباكات", "بين",
           "مقتل", "خمسة", "١٢", "أمس", "لم", "غارة", "روسية", "،", ".", "\n", "  ", "ـ", "ّ", "x", "3"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join))
def test_mentions_never_raise_on_arbitrary_text(finder: MentionFinder, text: str) -> None:
    m = finder.find(text)
    for t in m.triggers:
        s, e = m.norm.span(t.start, t.end)
        assert 0 <= s <= e <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 4)), max_size=12), st.integers(0, 35),
       st.integers(0, 35))
def test_mentions_within_equals_a_plain_filter(spans: list[tuple[int, int]], first: int, last: int) -> None:
    from ahdath.extract.mentions import Cue, firsts_of

    items = sorted((Cue(a, a + n, 0, 0, "x") for a, n in spans), key=lambda c: c.first)
    expected = [c for c in items if first <= c.first < last and c.last <= last]
    assert within(items, first, last) == expected
    assert within(items, first, last, firsts_of(items)) == expected
    assert within(tuple(items), first, last) == expected  # a list, whatever was searched


def test_mentions_same_with_remembered_words(pipeline: Pipeline) -> None:
    # what the matchers remember between reports never changes what a report yields
    text = ("قصفت قوات النظام بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي، ما أسفر عن مقتل "
            "ثلاثة مدنيين صباح اليوم الخميس. واندلعت اشتباكات بين فصائل المعارضة وتنظيم الدولة.")
    extra = dict(pipeline._mentions._extra)  # the later stages' word tests
    cold = MentionFinder.from_resources(pipeline.lexicons, pipeline._mentions.places, extra).find(text)
    warm = pipeline._mentions.find(text)
    assert warm == pipeline._mentions.find(text) == cold
    assert warm.heads == cold.heads and set(warm.heads) == {"sense", "domain", "country", "death"}


# --- triggers given by lemma: inflections nobody listed ------------------------------------

def _trigger_subs(m: Mentions) -> dict[str, str]:
    """Matched text (normalized) -> sub-event type, for each trigger."""
    return {m.norm.text[t.start:t.end]: t.sub_event_type for t in m.triggers}


@pytest.mark.parametrize(
    "text, word, sub",
    [
        # feminine, dual and plural perfects; a passive written apart (hollow)
        ("اشتبكت فصائل المعارضة مع قوات النظام قرب بلدة كفرنبل.", "اشتبكت", "Armed clash"),
        ("واشتبكوا مع دورية للشرطة عند مدخل المدينة.", "اشتبكوا", "Armed clash"),
        ("اغتيل قيادي محلي برصاص مجهولين في مدينة سرمدا.", "اغتيل", "Attack"),
        ("اغتالت مجموعة مسلحة رئيس البلدية أمام منزله.", "اغتالت", "Attack"),
        ("اختطفا من منزليهما في مدينة الباب مساء الأحد.", "اختطفا", "Abduction/forced disappearance"),
        ("استعادت قوات النظام السيطرة على قرية في ريف إدلب.", "استعادت", "Non-state actor overtakes territory"),
        ("وكان انتحاريان قد فجرا نفسيهما عند مدخل مدينة إعزاز.", "انتحاريان", "Suicide bomb"),
        ("سقطت قذيفتان على حي سكني في المدينة.", "قذيفتان", "Shelling/artillery/missile attack"),
        # the verbal noun of a derived form, its plural
        ("وتجددت الاشتباكات على أطراف البلدة.", "اشتباكات", "Armed clash"),
        ("شنت قوات الأمن حملة اعتقالات واسعة في الحي.", "حمله اعتقالات", "Arrests"),
        # a protest verb in the present: a sit-in under way
        ("يعتصم مئات العمال أمام مبنى المحافظة في مدينة الباب.", "يعتصم", "Peaceful protest"),
        ("ويحتج السكان على انقطاع المياه منذ أسبوع.", "يحتج", "Peaceful protest"),
        # doubly weak (assimilated and defective) form X; form V of an assimilated root
        ("واستولوا على المعبر الحدودي بعد انسحاب الحامية.", "استولوا", "Non-state actor overtakes territory"),
        ("توغلت قوة عسكرية في أطراف القرية صباح اليوم.", "توغلت", "Other"),
    ],
    ids=["fem-perfect", "plural-perfect", "hollow-passive", "hollow-active", "dual-passive", "form-x-hollow",
         "noun-dual", "broken-plural-dual", "masdar-plural", "masdar-phrase", "present-protest",
         "present-protest-2", "seized", "incursion"],
)
def test_mentions_lemma_inflections_trigger(finder: MentionFinder, text: str, word: str, sub: str) -> None:
    assert _trigger_subs(finder.find(text)).get(word) == sub


@pytest.mark.parametrize(
    "text",
    [
        # a verb never carries the article or a preposition: "والدهما" is "and their father"
        "زار والدهما المدرسة في مدينة الباب أمس.",
        "وصل والدهما إلى المستشفى صباح اليوم.",
        # a violent verb in the present tells what is done, not what happened
        "تخطف العصابات من تريد وتقتل من تشاء.",
        # "وصفتهم" (described them) is not a form of "صفّى"
        "وصفتهم الحكومة بالإرهابيين في بيانها.",
    ],
    ids=["article-on-verb", "article-on-verb-2", "generic-present", "waw-root-homograph"],
)
def test_mentions_lemma_forms_that_do_not_trigger(finder: MentionFinder, text: str) -> None:
    assert finder.find(text).triggers == ()


@pytest.mark.parametrize(
    "text, planned",
    [
        ("ستقصف الطائرات الحربية مواقع الفصائل في ريف إدلب.", "ستقصف"),
        ("وسيستهدف الطيران الروسي بلدة كفرنبل خلال الأيام.", "سيستهدف"),
        ("قالت الفصائل إنها ستستعيد القرى التي خسرتها.", "ستستعيد"),
    ],
    ids=["future-3fs", "future-clitic", "future-form-x"],
)
def test_mentions_future_verb_is_a_future_frame(finder: MentionFinder, text: str, planned: str) -> None:
    m = finder.find(text)
    futures = [m.norm.text[f.start:f.end] for f in m.frames if f.spec.status == "future"]
    assert planned in futures
    assert planned not in _trigger_subs(m)


@pytest.mark.parametrize(
    "text, word, sub",
    [
        # a verb and its object, the subject between
        ("أطلق مسلحون مجهولون النار على شاب في بلدة كفرنبل.", "اطلق", "Attack"),
        ("وأطلقت دورية الاحتلال نيرانها باتجاه المزارعين.", "اطلقت", "Attack"),
        ("فتح جنود الاحتلال النار على سيارة مدنية قرب الحدود.", "فتح", "Attack"),
        ("ألقت قوات الأمن القبض على ثلاثة شبان في مدينة الباب.", "القت", "Arrests"),
        ("وألقى عناصر الشرطة العسكرية أمس القبض على مطلوب.", "القي", "Arrests"),
        ("أحرزت قوات النظام تقدما على محور بلدة كفرنبل.", "احرزت", "Non-state actor overtakes territory"),
        ("ألحقت الفصائل خسائر فادحة بقوات النظام.", "الحقت", "Armed clash"),
        ("وكان انتحاري قد فجر نفسه عند حاجز للشرطة.", "فجر", "Suicide bomb"),
        ("وكانت وحدات من الجيش أعادت أمس الجمعة الأمن والاستقرار إلى البلدة.", "اعادت",
         "Non-state actor overtakes territory"),
        ("وتعرض المعتقلون للضرب داخل مركز الشرطة.", "تعرض", "Attack"),
        ("واعتدت دورية على المارة بالضرب في السوق.", "اعتدت", "Attack"),
    ],
    ids=["open-fire-subject-between", "fire-possessive", "opened-fire", "arrest-capture",
         "arrest-time-between", "advance", "inflict-losses", "blew-himself-up", "restored-order",
         "suffered-beating",
         "assaulted-by-beating"],
)
def test_mentions_verb_with_object_apart(finder: MentionFinder, text: str, word: str, sub: str) -> None:
    assert _trigger_subs(finder.find(text)).get(word) == sub


@pytest.mark.parametrize(
    "text",
    [
        "أطلقت الحكومة حملة لتطعيم الأطفال في مدينة الباب.",
        "أعلنت البلدية فتح الطريق بين المدينتين بعد إصلاحه.",
        "ألقى الوزير كلمة في افتتاح المؤتمر.",
        "أعادت قوات الأمن فتح الطريق الدولي أمام السيارات.",
        "تعرضت المدينة لموجة برد شديدة هذا الأسبوع.",
        # the object too far off, in another sentence
        "أطلق الجيش عملية تمشيط واسعة في البادية. وتحدث شهود عن النار.",
    ],
    ids=["launched-campaign", "opened-road", "gave-speech", "reopened-road", "suffered-cold",
         "object-in-next-sentence"],
)
def test_mentions_verb_without_its_object_is_no_trigger(finder: MentionFinder, text: str) -> None:
    subs = set(_trigger_subs(finder.find(text)).values())
    assert not subs & {"Attack", "Arrests", "Non-state actor overtakes territory"}


@pytest.mark.parametrize(
    "text, sub",
    [
        ("تجمع مئات المتظاهرين أمام مبنى المحافظة في مدينة الباب.", "Peaceful protest"),
        ("وتجمع عشرات الأهالي في ساحة البلدة مطالبين بالإفراج عن المعتقلين.", "Peaceful protest"),
        ("احتشد الآلاف في الساحة الرئيسية للمدينة.", "Peaceful protest"),
        ("خرج المحتجون إلى الشوارع في مدينة سرمدا رفضا للقرار.", "Peaceful protest"),
        ("ونزل الطلاب إلى الشوارع في عدة مدن.", "Peaceful protest"),
        ("شهدت المدينة خروج عشرات المواطنين في ساحة الكرامة.", "Peaceful protest"),
        ("نظم الأهالي وقفة احتجاجية أمام مقر المجلس المحلي.", "Peaceful protest"),
        ("جابت مسيرة حاشدة شوارع مدينة الباب.", "Peaceful protest"),
        ("أضرب التجار في سوق المدينة احتجاجا على الضرائب.", "Peaceful protest"),
        ("وهتف المشاركون بشعارات تطالب برحيل المحافظ.", "Peaceful protest"),
        ("أحرق المتظاهرون إطارات السيارات أمام مبنى البلدية.", "Violent demonstration"),
        ("واقتحم محتجون غاضبون مبنى السرايا الحكومي.", "Violent demonstration"),
        ("ورشق الشبان قوات الأمن بالحجارة عند مدخل المخيم.", "Violent demonstration"),
        ("فرقت قوات الأمن المتظاهرين بالقوة في مدينة إعزاز.", "Protest with intervention"),
    ],
    ids=["gather-protesters", "gather-residents-square", "mass-thousands", "go-out-streets", "go-down-streets",
         "going-out-masdar", "hold-stand", "qualified-march", "strike-verb", "chant", "burn", "storm",
         "stones", "disperse"],
)
def test_mentions_protest_phrasings(finder: MentionFinder, text: str, sub: str) -> None:
    assert sub in _subs(finder.find(text))


@pytest.mark.parametrize(
    "text",
    [
        "احتشدت قوات النظام على أطراف البلدة.",
        "خرج الأهالي من البلدة هربا من المعارك.",
        "استهدفت مسيرة تركية سيارة في ريف القامشلي.",
        "انطلقت المسيرة السلمية بين الطرفين قبل عقود.",
        "اعتدت الشرطة على المتظاهرين في مدينة سرمدا.",
        "أعلنت الشركة تجمع موظفيها في مقرها الجديد غدا.",
    ],
    ids=["troops-massing", "people-fleeing", "drone", "peace-process", "attack-on-protesters", "future-plan"],
)
def test_mentions_no_protest_without_a_crowd_doing_it(finder: MentionFinder, text: str) -> None:
    assert not _subs(finder.find(text)) & {"Peaceful protest", "Violent demonstration"}


@pytest.mark.parametrize("text, day", [
    pytest.param(" date 2025-03-08 قتل خمسة مدنيين في قصف على بلدة كفرنبل.", (2025, 3, 8), id="marker"),
    pytest.param("السبت 8 مارس 2025 | سياسة | قتل خمسة مدنيين في قصف على بلدة كفرنبل.", (2025, 3, 8), id="bar"),
    pytest.param("إدلب، 8 مارس 2025 – قتل خمسة مدنيين في قصف على بلدة كفرنبل.", (2025, 3, 8), id="dateline"),
    pytest.param("آخر تحديث: 8 مارس 2025 - قتل خمسة مدنيين في قصف على بلدة كفرنبل.", (2025, 3, 8), id="updated"),
    # dates the first sentence tells in its own words, or no full date
    pytest.param("في 8 مارس 2025، قتل خمسة مدنيين في قصف على بلدة كفرنبل.", None, id="told"),
    pytest.param("قتل خمسة مدنيين في قصف على بلدة كفرنبل في 8 مارس 2025.", None, id="told-after"),
    pytest.param("السبت | قتل خمسة مدنيين في قصف على بلدة كفرنبل.", None, id="weekday-alone"),
    pytest.param("* 8 مارس 2015: اغتيال قائد الفصيل بتفجير سيارة مفخخة في بلدة كفرنبل.", None, id="timeline-entry"),
])
def test_mentions_header_date_is_the_pages_date(finder: MentionFinder, text: str, day: tuple | None) -> None:
    x = header_date(finder.find(text))
    assert (None if x is None else (x.year, x.month, x.day)) == day
