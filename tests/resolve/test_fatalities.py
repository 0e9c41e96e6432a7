"""Deaths stated in a clause, by ACLED's rules (ahdath.resolve.fatalities)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.lexicon import load_lexicons
from ahdath.resolve.fatalities import Fatalities, FatalityCounter
from ahdath.text.normalize import normalize
from ahdath.text.numbers import NumberFinder
from ahdath.text.tokens import tokenize


@pytest.fixture(scope="module")
def counter(lexicons) -> FatalityCounter:
    return FatalityCounter.from_lexicons(lexicons)


def _count(counter: FatalityCounter, text: str) -> int | None:
    return counter.count(tokenize(normalize(text).text)).count


@pytest.mark.parametrize("text, deaths", [
    # a death word and its victims
    ("مقتل 5 مدنيين بقصف مدفعي على البلدة", 5),
    ("قتل ثلاثة أشخاص برصاص قناص في الحي", 3),
    ("وقتل ثلاثة أشخاص برصاص قناص", 3),  # clitic و
    ("أفاد المرصد بمقتل ٢٨ مدنيا على الأقل", 28),  # clitic ب, Arabic-Indic digits, modifier after
    ("أسفر القصف عن مقتل ما لا يقل عن 40 شخصًا", 40),
    ("الطائرات المسيرة تقتل 15 عنصرا من الميليشيات", 15),
    ("قتلت القوات 6 أشخاص على الأقل في المدينة", 6),
    ("استشهد أربعه مدنيين في غارة جوية", 4),  # ta marbuta as ha
    ("بمقتل ثلاثة", 3),
    ("مقتل إثني عشر عنصرا", 12),
    ("قتل خمسة وعشرون شخصا في الهجوم", 25),
    ("أسفر الانفجار عن مقتل أكثر من 20 ألف شخص", 20000),
    # a death noun after its count
    ("ستة قتلى في قصف على ريف إدلب", 6),
    ("سقوط 10 قتلى جراء الانفجار", 10),
    ("الهجوم خلف 18 قتيلا من قوات النظام", 18),
    ("64 قتيلاً و20 أسيراً من عناصر الحاجز", 64),
    ("سقط عشرات القتلى في القصف", None),  # a vague plural is no figure (ACLED)
    # duals and pronouns
    ("سقوط قتيلين في القصف", 2),
    ("سقوط قتيلان في القصف", 2),
    ("أدت الغارة إلى مقتل شخصين أحدهما طفل", 2),
    ("مقتل عنصرين من الشرطة", 2),
    ("ما أدى إلى مقتلهما على الفور", 2),
    ("ما أدى لمقتله على الفور", 1),
    ("لقي حتفه إثر انفجار لغم أرضي", 1),
    # a singular victim
    ("مقتل قيادي في الفصيل بكمين", 1),
    ("أقدم مجهولون على اغتيال الشاب خالد في بلدته", 1),
    ("استشهاد شاب تحت التعذيب في السجن", 1),
    ("مقتل أحد عناصر الفصيل بانفجار", 1),
    ("مقتل شاب في العقد الثالث من عمره", 1),  # an age is no count
    ("مقتل طفل يبلغ من العمر 12 عاما", 1),
    ("اغتيال الشاب سامر وشقيقه ما أدى لمقتلهما", 2),  # the pronoun says how many
    # lists of victims add up
    ("قتلت امرأتان وأربعة أطفال بقصف جوي", 6),
    ("أسفر عن مقتل خمسة مدنيين، إضافة إلى خمسة من مقاتلي قسد", 10),
    ("مقتل 18 من قسد و16 من داعش في اشتباكات السجن", 34),
    ("أسفرت عن مقتل 7 مسلحين من المعارضة و10 من قوات النظام", 17),
    ("قتل سبعة مقاتلين على الأقل من كتائب المعارضة وعشرة من قوات النظام", 17),
    ("مقتل أربعة ضباط وأربعة آخرين من الجيش وما يقارب 15 عنصرا", 23),
    ("فقتلت طبيبا وممرضا وسائق سيارة إسعاف", 3),
    ("مقتل طفل و3 نساء", 4),
    ("استشهدت طفلة، امرأتان وأربعة أطفال", 7),
    # victims counted before the verb
    ("ذكرت مصادر أن 13 شخصا بينهم نساء وأطفال قتلوا بالبراميل", 13),
    ("أكثر من 15 مقاتلا من الفصائل قتلوا في الاشتباكات", 15),
    ("قالت الوزارة إن ثلاثة أشخاص قتلوا وأصيب 6 آخرون", 3),
    ("لقي عشرات الأشخاص مصرعهم في الغارات", None),
    ("إن 32 شخصا على الأقل قتلوا – بينهم ستة أطفال", 32),
    # the wounded, captured and missing never count
    ("إصابة 20 شخصا بجروح متفاوتة", None),
    ("نقل 20 جريحاً إلى المستشفى", None),
    ("قتل شخص وجرح آخرين في القصف", 1),
    ("قتل طفلان وأصيب ثلاثة آخرون بجروح", 2),
    ("قتل أربعة أشخاص وجرح العشرات على أيدي الأمن", 4),
    ("مقتل 30 عنصراً من قوات النظام وجرح آخرين", 30),
    ("بمقتل 28 مدنيا وإصابة 50 آخرين", 28),
    ("قتل 5 مدنيين و3 جرحى", 5),
    ("حيث أسفرت عن مقتل 8 مسلحين واعتقال 13 آخرين", 8),
    ("18 قتيلا و50 مفقودا بهجوم في البادية", 18),
    ("مقتل 18 شخصا بينهم 4 من عناصر الدفاع الوطني وإصابة 16", 18),
    # killed and wounded together: no figure
    ("مقتل وإصابة 15 شخصا بالقصف", None),
    ("إصابة ومقتل 15 شخصا", None),
    ("سقط عشرات القتلى والجرحى في القصف", None),
    ("سقوط 15 بين قتيل وجريح", None),
    ("هجوم يخلف 68 قتيلا ومفقودا", None),
    # conflicting figures: the lowest
    ("قتل عشرة أشخاص على الأقل في الغارة، وأكد المرصد مقتل 13 شخصا", 10),
    ("قالت المصادر إن 7 قتلى سقطوا، فيما تحدث ناشطون عن 9 قتلى", 7),
    ("مقتل 28 مدنيا، كما أن طفلا لقي مصرعه", 28),  # a pronoun never lowers a written figure
    # no figure stated
    ("قضى عدد من المدنيين في القصف", None),
    ("لقي عدد من العناصر مصرعهم", None),
    ("قتلت القوات شخصا", 1),  # verb-subject-object: the accusative tells the victim beyond the actor
    ("قتلت القوات الأمريكية شابا يشتبه بانتمائه إلى التنظيم", 1),
    ("قتلت القوات الشاب في المداهمة", None),  # no accusative ending: "الشاب" may be the subject
    ("مقتل مدنيين في قصف على البلدة", None),
    ("سقوط ضحايا مدنيين في القصف", None),
    ("9 ضحايا في غارة على المنزل", None),  # victims may include the wounded
    ("محاولة اغتيال قيادي في الفصيل", None),
    ("نجا قيادي من محاولة اغتيال", None),
    # numbers that are not people
    ("قتل 3 أشخاص على بعد 45 كم من المدينة", 3),
    ("قصف على بعد 45 كم من المدينة", None),
    ("قضى 10 سنوات في السجن", None),
    ("في عام 2015 قتل", None),
    ("قتل 20 شخصا في الغارة عام 2015", 20),
    ("أطلقت 20 قذيفة على الحي", None),
    ("فارق الشاب الحياة تحت التعذيب في المعتقل", 1),  # "passed away": one dead
    ("أعلن الدفاع المدني ارتفاع حصيلة قتلى الغارات على البلدة إلى تسعة مدنيين", 9),  # the toll of the dead rose to
    ("ارتفعت حصيلة ضحايا الغارات على البلدة إلى تسعة مدنيين", None),  # victims: the wounded too
    ("وذكر المرصد أن سبعة مقاتلين على الأقل من الفصائل الإسلامية والمقاتلة قتلوا في اشتباكات", 7),  # long subject
    ("", None),
])
def test_fatalities_count(counter: FatalityCounter, text: str, deaths: int | None) -> None:
    assert _count(counter, text) == deaths


@pytest.mark.parametrize("text, deaths", [
    # a dual person noun is a count and its noun in one word: the next word is not its noun
    ("قتل مدنيان، اليوم الثلاثاء، جراء غارة جوية", 2),
    ("قتل مدنيان اليوم الثلاثاء جراء غارة جوية", 2),
    ("قتل عنصران، أمس الأحد، بانفجار عبوة ناسفة", 2),
    ("استشهد طفلان الليلة الماضية بقصف مدفعي", 2),
    # after punctuation a number word's next word is not what it counts
    ("قتل اثنان، اليوم الثلاثاء، بقصف مدفعي", 2),
    ("قتل خمسة، الليلة الماضية، بقصف على البلدة", 5),
    # wounded duals and counted objects are not deaths
    ("أصيب مدنيان، اليوم الثلاثاء، بقصف مدفعي", None),
    ("أطلقت 20 قذيفة، اليوم، على الحي", None),
    ("قتل 3 أشخاص وأصيب مدنيان، اليوم، بقصف مدفعي", 3),
])
def test_fatalities_dual_nouns_and_punctuation(counter: FatalityCounter, text: str, deaths: int | None) -> None:
    assert _count(counter, text) == deaths


def test_fatalities_spans_point_at_evidence(counter: FatalityCounter) -> None:
    nt = normalize("وأسفر الهجوم عن مقتل خمسة مدنيين وثلاثة عناصر")
    r = counter.count(tokenize(nt.text))
    assert r.count == 8
    assert [nt.original_text(s, e) for s, e in r.spans] == ["مقتل", "خمسة", "ثلاثة"]


def test_fatalities_window_and_shared_numbers(lexicons, counter: FatalityCounter) -> None:
    nt = normalize("أصيب 12 شخصا بجروح. وقتل 4 أشخاص في قصف آخر.")
    toks = tokenize(nt.text)
    numbers = NumberFinder.from_lexicons(lexicons).find(toks)
    split = next(i for i, t in enumerate(toks) if t.text == "وقتل")
    assert counter.count(toks, 0, split, numbers) == Fatalities(None, ())
    assert counter.count(toks, split, None, numbers).count == 4
    assert counter.count(toks, split).count == 4  # numbers found on the fly
    assert counter.count(toks, 5, 3).count is None  # an empty window


def test_fatalities_time_words_between_verb_and_victims(tmp_path: Path) -> None:
    (tmp_path / "time_test.yaml").write_text(
        "lexicon: time\nlanguage: ar\nprovenance: test fixture\nentries:\n"
        "  - {id: test_tuesday, kind: weekday, value: 1, forms: [الثلاثاء]}\n", encoding="utf-8")
    counter = FatalityCounter.from_lexicons(load_lexicons([tmp_path]))
    assert _count(counter, "قتل الثلاثاء ستة أشخاص بقصف جوي") == 6


def test_fatalities_large_input_is_linear(counter: FatalityCounter) -> None:
    text = "وأسفر القصف عن مقتل 5 مدنيين وإصابة 20 آخرين، فيما قتل ثلاثة عناصر وأربعة من المهاجمين. " * 4000
    assert _count(counter, text) == 5


_WORDS = st.sampled_from([
    "مقتل", "قتل", "وقتل", "قتلوا", "قتلى", "قتيلا", "قتيلين", "مقتلهما", "لقي", "حتفه", "مصرعهم", "إصابة",
    "وإصابة", "جرحى", "وجرحى", "بين", "قتيل", "وجريح", "عدد", "من", "بينهم", "إضافة", "إلى", "و", "على", "الأقل",
    "نحو", "ثلاثة", "عشر", "وعشرين", "مئة", "ألف", "عشرات", "5", "١٢", "2015", "كم", "شخصا", "أشخاص", "شاب",
    "أحد", "الأحد", "محاولة", "اغتيال", "،", ".", "-", "في", "الرقة",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join), st.integers(-3, 45), st.integers(-3, 45))
def test_fatalities_never_raises(counter: FatalityCounter, text: str, first: int, last: int) -> None:
    norm = normalize(text).text
    r = counter.count(tokenize(norm), first, last)
    assert r.count is None or r.count > 0
    assert all(0 <= s < e <= len(norm) for s, e in r.spans)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_fatalities_never_raises_on_any_text(counter: FatalityCounter, text: str) -> None:
    counter.count(tokenize(normalize(text).text))


def _count_at(counter: FatalityCounter, text: str, word: str) -> int | None:
    toks = tokenize(normalize(text).text)
    at = next(i for i, t in enumerate(toks) if t.text == word)
    return counter.count(toks, at=at).count


@pytest.mark.parametrize("text, deaths", [
    # a past verb with one subject and no victim written after it: one dead
    ("قتل جراء استهدافه بالرصاص من قبل مسلحين مجهولين", 1),
    ("وقتل برصاص قناص في الحي الشرقي للمدينة", 1),
    ("وأضاف أن الرجل قد قتل، بينما نجا شقيقه", 1),
    ("امرأة قد قتلت إثر سقوط قذيفة على منزلها", 1),
    ("أكد المصدر أن عنصرا من الفصيل قتل وجرح ثلاثة آخرون في الاشتباك", 1),
    ("استشهد متأثرا بجروح أصيب بها قبل أيام", 1),
    ("توفيت الأربعاء في المستشفى", 1),
    # ... but not the noun "killing", nor a verb whose victims are plural or uncounted
    ("تتواصل عمليات قتل المدنيين في المنطقة", None),
    ("أدانت الهيئة أعمال قتل واغتصاب في الإقليم", None),
    ("قتلت القوات مسلحين في الهجوم", None),
    ("قتل عدد من عناصر الحاجز", None),
    ("قتل العشرات في القصف", None),
    ("وكانت القوات قد قتلت أول من أمس أربعة من المتهمين", None),  # its victims are counted further on
    ("قتلت قوات الأمن المتظاهرين في الساحة", None),
    ("تترافق مع تخريب محاصيلهم، وقتل أطفالهم، ومصادرة أراضيهم", None),
    ("هدد الخاطفون بقتل جميع الرهائن", None),
    # two subjects: two dead
    ("استشهدا خلال اقتحام المخيم فجر اليوم", 2),
    ("وأكد أن جنديين قتلا بانفجار عبوة", 2),
    ("وأضاف أن مقاتلين اثنين كانا برفقته فارقا الحياة", 2),
    ("أن مواطنة وابنتها لقيتا حتفهما جراء الغارة", 2),
    ("شهيدتان في قصف على منزل في البلدة", 2),
    ("تم انتشال جثتين من تحت الأنقاض", 2),
    # named victims: one per name
    ("قتل سامر خالد العلي ومحمود عبد الله الحسن في كمين على الطريق", 2),
    ("وفي اليوم نفسه، قتل رامي الأحمد، وأصيب ثالث بجروح", 1),
    ("وتوفي أمس الخميس وائل السعيد متأثرا بجراحه", 1),
    ("قتل جابر حسين وعمر يوسف وناصر سليم على أطراف القرية", 3),
    # duals of person nouns, the nisba ones included
    ("استشهد فلسطينيان برصاص القوات الإسرائيلية", 2),
    ("قتلت مدنيتان في القصف على الحي", 2),
    ("أسفر عن مقتل عراقيتين في الانفجار", 2),
    ("مقتل امرأة وطفليها بقصف مدفعي", 3),
    ("مقتل قائدها وأربعة جنود من وحدتها", 5),
    # more person nouns
    ("اغتيال عضو المجلس المحلي في المدينة", 1),
    ("مقتل رئيس البلدية برصاص مجهولين", 1),
    # idioms of losing life
    ("فقد شاب حياته بانفجار لغم أرضي", 1),
    ("وفقدت سيدة حياتها بعد إصابتها بشظية", 1),
    ("أسفر الانفجار عن فقدان الشاب سامر (19 عاما) لحياته", 1),
    ("أودى القصف بحياة خمسة مدنيين بينهم طفلان", 5),
    ("حصد الانفجار أرواح سبعة أشخاص وجرح عشرة آخرين", 7),
    ("ولفظ أحد الجرحى أنفاسه الأخيرة في المستشفى", 1),
    ("قال إن ستة أشخاص فقدوا حياتهم على الفور", 6),
    ("أدى إلى فقدان ثلاثة عناصر من الشرطة وطفلين لحياتهم", 5),
    ("أكد أن القصف لم يهدد حياته", None),
    ("عادت الحياة إلى طبيعتها في المدينة", None),
    ("فقدت القوات السيطرة على البلدة", None),
    # a vague plural is no figure
    ("مقتل العشرات في القصف على السوق", None),
    ("سقط مئات القتلى في المعارك", None),
    ("مقتل 5 مدنيين وعشرات الجرحى", 5),
    # others and also: more victims, added to the lowest figure
    ("مقتل 12 من عناصر النظام، و9 آخرين من الفصائل", 21),
    ("وقتلت القيادي في التنظيم أبو خالد، ومسؤول آخر فيه", 2),
    ("أن خمسة مقاتلين قتلوا في الاشتباكات، وأن ثلاثة عناصر من القوات قتلوا أيضا", 8),
    ("أسفرت الاشتباكات عن أسر أربعة ومقتل أكثر من 10 آخرين، وأكد مقتل جنديين من الجيش", 12),
    ("قتل 3 أشخاص وأصيب 5 آخرون بجروح", 3),
    ("مقتل مدنيين اثنين وإصابة ستة آخرين", 2),
    # a rate or a total over a period is a statistic
    ("وثقت الشبكة مقتل 300 مدني خلال الشهر الماضي", None),
    ("تحصد الحرب شهريا نحو 50 قتيلا من المدنيين", None),
    ("قتل 40 شخصا منذ بداية العام في الهجمات", None),
    ("قتل أربعة أشخاص في غارة على السوق", 4),
])
def test_fatalities_verbs_names_idioms_and_others(counter: FatalityCounter, text: str, deaths: int | None) -> None:
    assert _count(counter, text) == deaths


@pytest.mark.parametrize("text, word, deaths", [
    # a total split among incidents: the incident asked about gets its share
    ("مقتل سبعة جنود السبت، بينهم خمسة في هجوم استهدف دبابة", "هجوم", 5),
    ("قتل عشرة مدنيين، بينهم أربعة في غارة على السوق", "غاره", 4),
    ("مقتل ستة عناصر، منهم ثلاثة جراء انفجار لغم", "انفجار", 3),
    # no share told for it: the whole toll
    ("مقتل سبعة جنود في هجوم استهدف دبابة", "هجوم", 7),
    ("مقتل سبعة جنود بينهم ضابطان في هجوم على الحاجز", "هجوم", 7),
])
def test_fatalities_share_of_a_total(counter: FatalityCounter, text: str, word: str, deaths: int) -> None:
    assert _count_at(counter, text, word) == deaths


def test_fatalities_implied_and_added_flags(counter: FatalityCounter) -> None:
    nt = normalize("مقتل شاب في القصف")
    assert counter.count(tokenize(nt.text)).implied
    nt = normalize("مقتل 5 عناصر ومقتل 3 آخرين")
    r = counter.count(tokenize(nt.text))
    assert (r.count, r.added, r.implied) == (8, True, False)


_REPORTS = [
    "قتل ثلاثة أشخاص برصاص قناص، وأصيب خمسة آخرون بجروح في الحي الشرقي.",
    "أسفر القصف عن مقتل ما لا يقل عن 40 شخصًا بينهم خمسة في هجوم على السوق، وقتل عنصران.",
    "وقتل فلان وفلان في كمين. ولقي ثمانية مدنيين حتفهم جراء انفجار سيارة مفخخة.",
    "أعلنت وزارة الصحة ارتفاع حصيلة قتلى الغارات إلى تسعة مدنيين وإصابة العشرات.",
]


@pytest.mark.parametrize("text", _REPORTS)
def test_fatalities_windows_sharing_cue_readings_count_the_same(counter: FatalityCounter, text: str) -> None:
    # a report's windows overlap: one memo of the cue phrases read for all of them changes no count
    toks = tokenize(normalize(text).text)
    memo: dict = {}
    windows = [(a, b) for a in range(0, len(toks), 3) for b in range(a + 1, len(toks) + 1, 4)]
    for at in (None, 6):
        for a, b in windows:
            assert counter.count(toks, a, b, at=at, cues=memo) == counter.count(toks, a, b, at=at)


@pytest.mark.parametrize("text", _REPORTS)
def test_fatalities_death_words_are_where_a_toll_may_start(counter: FatalityCounter, text: str) -> None:
    toks = tokenize(normalize(text).text)
    deaths = counter.death_words(toks)
    assert deaths == [i for i, t in enumerate(toks) if counter.death_word(t.text)]
    # a window without one of them states no toll
    for a in range(len(toks)):
        for b in range(a + 1, len(toks) + 1):
            if not any(a <= i < b for i in deaths):
                assert counter.count(toks, a, b) == Fatalities(None, ())
