"""Time expressions: which words make one, and what each field says."""
from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.errors import LexiconError
from ahdath.lexicon import LexiconSet, load_lexicons
from ahdath.lexicon.loader import Lexicon, _read_file, packaged_dir
from ahdath.text.normalize import normalize
from ahdath.text.timex import TimeExpr, TimexFinder
from ahdath.text.tokens import tokenize


@lru_cache(maxsize=1)
def _finder() -> TimexFinder:
    try:
        lex = load_lexicons()
    except LexiconError:
        # another team's lexicon file is mid-edit: read the time lexicon on its own
        problems: list[str] = []
        entries = _read_file(Path(packaged_dir()) / "time.yaml", problems)
        assert not problems, problems
        lex = LexiconSet({"time": Lexicon("time", tuple(entries))})
    return TimexFinder.from_lexicons(lex)


@pytest.fixture(scope="module")
def finder() -> TimexFinder:
    return _finder()


def find(finder: TimexFinder, text: str) -> list[TimeExpr]:
    return finder.find(tokenize(normalize(text).text))


def only(finder: TimexFinder, text: str) -> TimeExpr:
    found = find(finder, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, day, month, year", [
    ("قتل ثلاثة مدنيين في 14 أيار 2016 بقصف مدفعي", 14, 5, 2016),
    ("قتل ثلاثة مدنيين في 14 ايار 2016 بقصف مدفعي", 14, 5, 2016),  # hamza dropped
    ("وقعت الغارة في ١٤ أيار ٢٠١٦ على البلدة", 14, 5, 2016),  # Arabic-Indic digits
    ("اغتال مسلحون فجر الأربعاء 26 أكتوبر/تشرين الأول شابا", 26, 10, None),
    ("وفي التاسع من نيسان/أبريل، قتل عشرة عناصر", 9, 4, None),
    ("السبت الرابع عشر من مايو أيار الجاري", 14, 5, None),
    ("نشر البيان بتاريخ 2019/06/15 على المعرفات", 15, 6, 2019),
    ("نشر البيان بتاريخ 15-6-2019 على المعرفات", 15, 6, 2019),
    ("نشر البيان بتاريخ 15.6.2019 على المعرفات", 15, 6, 2019),
    ("في الـ 22 من تشرين الأول / أكتوبر الفائت", 22, 10, None),
    ("منذ الحادي والعشرين من كانون الثاني الماضي", 21, 1, None),
    ("في الثلاثين من حزيران 2014 أعلن التنظيم", 30, 6, 2014),
    ("جرى الهجوم في 3 جويلية 2013 قرب المدينة", 3, 7, 2013),  # Maghrebi
    ("جرى الهجوم في 3 يوليه 2013 قرب المدينة", 3, 7, 2013),  # Egyptian
    ("اندلعت الاشتباكات في 8 أوت من العام 2012", 8, 8, 2012),
    ("قصفت الطائرات البلدة في 5 مارس 2020", 5, 3, 2020),
    ("قتل الناشط في 13 آب 2015 برصاص قناص", 13, 8, 2015),
    ("الثلاثاء 12 مارس 2024 23:25", 12, 3, 2024),
    ("حدث ذلك في 1 فيفري 2019", 1, 2, 2019),
    ("وبتاريخ 17 إبريل 2018 قصفت", 17, 4, 2018),
])
def test_timex_explicit_dates(finder: TimexFinder, text: str, day: int, month: int, year: int | None) -> None:
    e = only(finder, text)
    assert (e.day, e.month, e.year) == (day, month, year)
    assert not e.hijri


@pytest.mark.parametrize("text, offset, weekday, daypart", [
    ("هز انفجار صباح اليوم حي الزهراء", 0, None, "morning"),
    ("دارت اشتباكات مساء اليوم الثلاثاء في المدينة", 0, 1, "evening"),
    ("قتل شاب أمس برصاص مجهولين", -1, None, None),
    ("وأمس قتل شاب برصاص مجهولين", -1, None, None),  # clitic و
    ("قتل بالأمس إثر اشتباكات", -1, None, None),  # clitics ب + ال
    ("استهدف الثوار يوم أمس تجمعا عسكريا", -1, None, None),
    ("انفجرت سيارة مساء أمس السبت", -1, 5, "evening"),
    ("في ساعة متأخرة من ليلة أمس قتل سبعة", -1, None, "night"),
    ("وأول أمس الاثنين أقدم مجهولون", -2, 0, None),
    ("نفذوا أول من أمس عملية على مواقع", -2, None, None),
    ("رصد خلال ساعات الليلة الماضية عودة الهدوء", -1, None, None),
    ("تعقد الجلسة غدا السبت في المدينة", 1, 5, None),
])
def test_timex_relative_days(finder: TimexFinder, text: str, offset: int, weekday: int | None,
                             daypart: str | None) -> None:
    e = only(finder, text)
    assert (e.offset_days, e.weekday, e.daypart) == (offset, weekday, daypart)
    assert e.future == (offset > 0)


@pytest.mark.parametrize("text, weekday, past, daypart", [
    ("أفاد المراسل فجر الأحد بمقتل عناصر", 6, False, "dawn"),
    ("ويوم الأحد الماضي أقدم مسلحون", 6, True, None),
    ("وصباح السبت الفائت عثر الأهالي على جثة", 5, True, "morning"),
    ("وخسر النظام، السبت، الماضي سيطرته على المدينة", 5, True, None),
    ("قتلت امرأتان الثلاثاء بقصف جوي", 1, False, None),
    ("شن التنظيم ليل الخميس الجمعة هجوما", 3, False, "night"),
    ("مصرعهم ليل السبت - الأحد بغارات", 5, False, "night"),
    ("بعد منتصف ليل الأربعاء شاركت مروحيات", 2, False, "night"),
    ("أقيمت اليوم /الجمعة/ مراسم العزاء", 4, False, None),
])
def test_timex_weekdays(finder: TimexFinder, text: str, weekday: int, past: bool, daypart: str | None) -> None:
    e = only(finder, text)
    assert (e.weekday, e.explicit_past, e.daypart) == (weekday, past, daypart)


@pytest.mark.parametrize("text, unit, past, future, anchor", [
    ("قتل عشرون عنصرا الأسبوع الماضي", "week", True, False, None),
    ("ومنتصف الشهر الماضي قتل عشرون عنصرا", "month", True, False, 2),
    ("منذ مطلع الشهر الجاري سقط قتلى", "month", False, False, 1),
    ("تمكن الجيش أواخر الشهر الماضي من كسر الحصار", "month", True, False, 3),
    ("ستبدأ الحملة الأسبوع المقبل", "week", False, True, None),
    ("تصاعدت الهجمات هذا الأسبوع", "week", False, False, None),
    ("واستأنف المعرض أنشطته العام الماضي", "year", True, False, None),
])
def test_timex_vague_periods(finder: TimexFinder, text: str, unit: str, past: bool, future: bool,
                             anchor: int | None) -> None:
    e = only(finder, text)
    assert (e.unit, e.explicit_past, e.future, e.anchor) == (unit, past, future, anchor)


@pytest.mark.parametrize("text, month, year, past", [
    ("اعتقل في شهر أيلول/سبتمبر 2011 في المدينة", 9, 2011, False),
    ("ومنذ منتصف مارس الماضي تشن المقاتلات غارات", 3, None, True),
    ("اختراق من نوعه منذ أبريل الماضي", 4, None, True),
    ("ومنذ منتصف أبريل 2023 يخوض الجيش معارك", 4, 2023, False),
    ("اعتقل في ديسمبر من العام 2015", 12, 2015, False),
])
def test_timex_months(finder: TimexFinder, text: str, month: int, year: int | None, past: bool) -> None:
    e = only(finder, text)
    assert (e.day, e.month, e.year, e.explicit_past) == (None, month, year, past)


@pytest.mark.parametrize("text", [
    "مارس الضغط على الأهالي لمغادرة المنطقة",  # verb "practised"
    "قال أب لثلاثة أطفال إن منزله دمر",  # "father" folds onto "آب"
    "شوهد جوان وهو يغادر الحي",
    "بلغت درجة الحرارة صفر في المدينة",
    "قتل 15 عنصرا في الهجوم",
    "وقال رمضان إن القصف استمر",
    "تولى الأمن العام حماية الطريق",
    "وفي اليوم التالي انسحب المسلحون",
    "وفي اليوم نفسه قتل عنصران",
    "فجر انتحاري نفسه قرب الحاجز",
    "صباح الأولى في احتجاجات سلمية",
    "هذا الهجوم هو الأول من نوعه",
    "في اليوم الثالث للمعارك تقدمت القوات",
    "عملية رقم 2019 6 في الملف",
    "",
])
def test_timex_rejects_non_dates(finder: TimexFinder, text: str) -> None:
    assert find(finder, text) == []


def test_timex_seed_sentence_fields(finder: TimexFinder) -> None:
    text = "فقد شن تنظيم الدولة صباح اليوم السبت الرابع عشر من مايو أيار الجاري هجوماً مباغتاً"
    nt = normalize(text)
    e = only(finder, text)
    assert (e.day, e.month, e.weekday, e.offset_days, e.daypart) == (14, 5, 5, 0, "morning")
    assert e.current and not e.explicit_past and not e.future
    assert nt.original_text(e.start, e.end) == "صباح اليوم السبت الرابع عشر من مايو أيار الجاري"


def test_timex_offsets_skip_clitics(finder: TimexFinder) -> None:
    text = "قتل عنصر وبالأمس قتل آخر"
    nt = normalize(text)
    e = only(finder, text)
    assert nt.original_text(e.start, e.end) == "الأمس"


def test_timex_hijri_month(finder: TimexFinder) -> None:
    e = only(finder, "يخلف 68 قتيلا الثلاثاء / 2 / رمضان")
    assert (e.day, e.month, e.weekday, e.hijri) == (2, 9, 1, True)
    e = only(finder, "في 10 ذو الحجة 1445 هـ")
    assert (e.day, e.month, e.year, e.hijri) == (10, 12, 1445, True)


def test_timex_several_expressions_in_order(finder: TimexFinder) -> None:
    found = find(finder, "اندلعت الاشتباكات مساء أمس واستمرت حتى صباح اليوم، وكانت قد بدأت في 3 أيار")
    assert [(e.offset_days, e.day) for e in found] == [(-1, None), (0, None), (None, 3)]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


MONTHS = ["يناير", "فبراير", "آذار", "نيسان", "أيار", "حزيران", "تموز", "أغسطس", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول"]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 28), st.integers(1, 12), st.integers(1990, 2030), st.booleans())
def test_timex_day_month_year_roundtrip(day: int, month: int, year: int, indic: bool) -> None:
    text = f"وقع الهجوم في {day} {MONTHS[month - 1]} {year} على البلدة"
    if indic:
        text = text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    e = only(_finder(), text)
    assert (e.day, e.month, e.year) == (day, month, year)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةأإآءىئؤ ٠١٢٣٤٥٦٧٨٩0123456789/-.")),
               max_size=120))
def test_timex_never_raises_and_spans_are_ordered(text: str) -> None:
    nt = normalize(text)
    found = _finder().find(tokenize(nt.text))
    for e in found:
        assert 0 <= e.start < e.end <= len(nt.text)
        assert e.first < e.last


def test_timex_large_input_is_linear(finder: TimexFinder) -> None:
    chunk = "قصفت الطائرات صباح اليوم السبت الرابع عشر من مايو أيار الجاري البلدة وأمس 2019/06/15 "
    text = chunk * 20000  # ~1.8 MB
    toks = tokenize(normalize(text).text)
    t0 = time.perf_counter()
    found = finder.find(toks)
    assert time.perf_counter() - t0 < 10
    assert len(found) == 60000


@pytest.mark.parametrize("prefix", ["", "قال المرصد ", "قتل 5 عناصر "])
def test_timex_mute_words_say_nothing_alone_wherever_they_stand(finder: TimexFinder, prefix: str) -> None:
    # ``find`` skips a lone mute word: reading it in place gives nothing either
    from ahdath.text.timex import _Atom

    toks = tokenize(normalize(prefix).text)
    first = len(toks)
    for kind, value, ambiguous in sorted(finder._mute):
        out: list[TimeExpr] = []
        finder._read_group([_Atom(first, first + 1, 40, 46, kind, value, ambiguous)], out)
        assert out == [], (kind, value, ambiguous)
    for value in (0, 1, 12, 31, 99, 1999, 2024, 9999):
        for start, end in ((0, len(str(value))), (7, 7 + len(str(value)))):
            out = []
            finder._read_group([_Atom(first, first + 1, start, end, "num", value)], out)
            assert out == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتدرسعلمنهوي ٠١٢٣0123456789/-.")), max_size=40),
       st.sampled_from(["صباح اليوم", "الخميس", "منتصف الشهر الماضي", "14 أيار 2019", "العام", "أمس", ""]))
def test_timex_heads_from_a_scan_give_the_same_expressions(text: str, when: str) -> None:
    from ahdath.lexicon import PhraseScan

    finder = _finder()
    toks = tokenize(normalize(f"{text} {when} {text}").text)
    (heads,) = PhraseScan((finder.starts,)).heads(toks)
    assert finder.find(toks, heads) == finder.find(toks)
