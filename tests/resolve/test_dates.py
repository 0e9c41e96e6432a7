"""Event dates from time expressions, publication dates and URLs."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.errors import LexiconError
from ahdath.lexicon import LexiconSet, load_lexicons
from ahdath.lexicon.loader import Lexicon, _read_file, packaged_dir
from ahdath.resolve.dates import (
    ResolvedDate, candidate_years, date_from_url, hijri_to_date, month_from_url, period_end, resolve_date,
)
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


def resolve_text(text: str, published: date | None, **kw: object) -> ResolvedDate | None:
    found = _finder().find(tokenize(normalize(text).text))
    assert len(found) == 1, found
    return resolve_date(found[0], published, **kw)  # type: ignore[arg-type]


PUB = date(2016, 10, 9)  # a Sunday


@pytest.mark.parametrize("text, expected", [
    ("دارت اشتباكات اليوم في الريف", date(2016, 10, 9)),
    ("هز انفجار صباح اليوم حي الزهراء", date(2016, 10, 9)),
    ("دارت اشتباكات مساء اليوم الأحد", date(2016, 10, 9)),
    ("دارت اشتباكات عنيفة مساء أمس بين الفصائل", date(2016, 10, 8)),
    ("قتل قيادي بالأمس إثر اشتباكات", date(2016, 10, 8)),
    ("وأمس قتل قيادي إثر اشتباكات", date(2016, 10, 8)),
    ("سيطرت الفصائل يوم أمس على قرى", date(2016, 10, 8)),
    ("سقط قتلى أمس السبت بقصف", date(2016, 10, 8)),
    ("نفذوا أول من أمس عملية انتحارية", date(2016, 10, 7)),
    ("وأول أمس الجمعة أقدم مجهولون", date(2016, 10, 7)),
    ("أفاد المراسل فجر الأحد بمقتل عناصر", date(2016, 10, 9)),  # same weekday = published
    ("أفاد المراسل فجر السبت بمقتل عناصر", date(2016, 10, 8)),
    ("شن التنظيم هجوما الخميس على البلدات", date(2016, 10, 6)),
    ("ويوم الأحد الماضي أقدم مسلحون", date(2016, 10, 2)),  # "الماضي" forces the week before
    ("وصباح السبت الفائت عثر الأهالي", date(2016, 10, 8)),
    ("قتل الناشط في 26 أكتوبر/تشرين الأول", date(2015, 10, 26)),  # later than published: last year
    ("في الـ 2 من تشرين الأول / أكتوبر الجاري", date(2016, 10, 2)),
    ("في التاسع من نيسان/أبريل قتل 13 شخصا", date(2016, 4, 9)),
    ("قتل الناشط في 14 أيار 2013 برصاص قناص", date(2013, 5, 14)),
    ("نشر البيان بتاريخ ٢٠١٩/٠٦/١٥ على المعرفات", date(2019, 6, 15)),
    ("الأربعاء 12 تشرين الأول القادم", date(2016, 10, 12)),
])
def test_dates_day_precision_with_published(text: str, expected: date) -> None:
    r = resolve_text(text, PUB)
    assert r == ResolvedDate(expected, 1)


@pytest.mark.parametrize("text, expected, precision", [
    ("قتل عشرون عنصرا الأسبوع الماضي", date(2016, 10, 2), 2),
    ("تصاعدت الهجمات هذا الأسبوع", date(2016, 10, 9), 2),
    ("ومنتصف الشهر الماضي قتل عشرون عنصرا", date(2016, 9, 15), 3),
    ("تمكن الجيش أواخر الشهر الماضي من كسر الحصار", date(2016, 9, 25), 3),
    ("منذ مطلع الشهر الجاري سقط قتلى", date(2016, 10, 5), 3),
    ("ومنتصف الشهر الجاري سقط قتلى", date(2016, 10, 9), 3),  # never after the publication
    ("اختراق من نوعه منذ أبريل الماضي", date(2016, 4, 15), 3),
    ("وفي كانون الأول الماضي قصفت الطائرات", date(2015, 12, 15), 3),
    ("ومنتصف العام الماضي شن التحالف هجوما", date(2015, 7, 1), 3),
    ("منتصف العام 2017 شن التحالف هجوما", date(2017, 7, 1), 3),
])
def test_dates_vague_periods(text: str, expected: date, precision: int) -> None:
    assert resolve_text(text, PUB) == ResolvedDate(expected, precision)


@pytest.mark.parametrize("text", [
    "دارت اشتباكات عنيفة مساء أمس بين الفصائل",
    "هز انفجار صباح اليوم حي الزهراء",
    "ويوم الأحد الماضي أقدم مسلحون",
    "قتل عشرون عنصرا الأسبوع الماضي",
    "قتل الناشط في 26 أكتوبر/تشرين الأول",  # day and month without a weekday: year unknown
    "واستأنف المعرض أنشطته العام الماضي",
])
def test_dates_relative_without_published_is_none(text: str) -> None:
    assert resolve_text(text, None) is None


def test_dates_seed_sentence_candidates() -> None:
    text = "فقد شن تنظيم الدولة صباح اليوم السبت الرابع عشر من مايو أيار الجاري هجوماً"
    r = resolve_text(text, None, year_range=(2011, 2026))
    assert r is not None and r.date is None and r.precision == 1
    assert r.candidates == (date(2011, 5, 14), date(2016, 5, 14), date(2022, 5, 14))
    assert date(2016, 5, 14) in resolve_text(text, None).candidates  # default range reaches today
    # a publication date settles it (and the explicit date wins over "اليوم")
    assert resolve_text(text, date(2016, 5, 15)) == ResolvedDate(date(2016, 5, 14), 1)


def test_dates_single_candidate_becomes_the_date() -> None:
    r = resolve_text("السبت الرابع عشر من مايو", None, year_range=(2014, 2020))
    assert r == ResolvedDate(date(2016, 5, 14), 1, (date(2016, 5, 14),))


def test_dates_explicit_date_without_published() -> None:
    assert resolve_text("قتل الناشط في 14 أيار 2016", None) == ResolvedDate(date(2016, 5, 14), 1)


def test_dates_weekday_beats_offset_after_midnight() -> None:
    # published on Monday just after midnight, "أمس السبت" still means Saturday
    assert resolve_text("سقط قتلى أمس السبت بقصف", date(2016, 10, 10)) == ResolvedDate(date(2016, 10, 8), 1)


def test_dates_weekday_far_from_published_wins() -> None:
    # "اليوم الثلاثاء" in a report stamped on a Friday: the Tuesday before the stamp
    assert resolve_text("أجرى الوزير اليوم الثلاثاء اتصالا", date(2024, 5, 17)) == ResolvedDate(date(2024, 5, 14), 1)


def test_dates_future_expressions_are_marked_and_dated() -> None:
    found = _finder().find(tokenize(normalize("تطلق الوزارة غدا السبت الدورة الجديدة").text))
    assert len(found) == 1 and found[0].future
    assert resolve_date(found[0], date(2024, 6, 7)) == ResolvedDate(date(2024, 6, 8), 1)


def test_dates_hijri_with_published() -> None:
    # Tuesday 2 Ramadan 1445 = 12 March 2024
    assert resolve_text("الثلاثاء / 2 / رمضان", date(2024, 3, 12)) == ResolvedDate(date(2024, 3, 12), 1)
    assert resolve_text("في 10 ذو الحجة 1445 هـ", None) == ResolvedDate(hijri_to_date(1445, 12, 10), 1)


@pytest.mark.parametrize("hijri, gregorian", [
    ((1445, 9, 1), date(2024, 3, 11)),
    ((1437, 8, 7), date(2016, 5, 15)),
    ((1432, 4, 1), date(2011, 3, 7)),
])
def test_dates_hijri_conversion_within_a_day(hijri: tuple[int, int, int], gregorian: date) -> None:
    got = hijri_to_date(*hijri)
    assert got is not None and abs((got - gregorian).days) <= 1


@pytest.mark.parametrize("day, month, weekday, lo, hi, years", [
    (14, 5, 5, 2011, 2026, [2011, 2016, 2022]),
    (29, 2, None, 2011, 2026, [2012, 2016, 2020, 2024]),
    (31, 4, None, 2011, 2026, []),
    (1, 1, 6, 2011, 2026, [2012, 2017, 2023]),
])
def test_dates_candidate_years(day: int, month: int, weekday: int | None, lo: int, hi: int,
                               years: list[int]) -> None:
    assert candidate_years(day, month, weekday, lo, hi) == years


@pytest.mark.parametrize("url, expected", [
    ("https://7al.net/2016/10/09/%d8%ad%d9%85%d8%a7%d8%a9", date(2016, 10, 9)),
    ("https://example.net/ar/2016/02/21/%d8%b9%d8%b4%d8%b1", date(2016, 2, 21)),
    ("https://example.com/politics/syria-latest/2018-07-12-1.1116926?ot=ot.AMP", date(2018, 7, 12)),
    ("https://www.example.com/news/view.aspx?cdate=17102025&id=157f3352-1a44", date(2025, 10, 17)),
    ("https://www.example.net/news/politics/2025/11/5/%D8%B4%D9%87", date(2025, 11, 5)),
    ("https://example.com/news/2019/06/1252413.html", None),  # an article id, not a day
    ("http://example.com/news/2019/3889/arab-and-world/576921.html", None),
    ("http://example.news/mob_n2.php?n=1a8bc057-19021812", None),
    ("https://example.com/p256606", None),
    ("https://example.com/2016/13/40/x", None),
    ("https://example.com/a/2016/02/30/x", None),
    ("", None),
    (None, None),
    ("not a url at all 2016/10/09", date(2016, 10, 9)),
])
def test_dates_date_from_url(url: str | None, expected: date | None) -> None:
    assert date_from_url(url) == expected


def test_dates_month_from_url() -> None:
    assert month_from_url("https://example.com/Web/News/2019/06/1252413.html") == (2019, 6)
    assert month_from_url("https://example.com/p/2019/3889/x") is None
    assert month_from_url(None) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 31), st.integers(1, 12), st.integers(2000, 2030))
def test_dates_explicit_roundtrip(day: int, month: int, year: int) -> None:
    try:
        expected = date(year, month, day)
    except ValueError:
        expected = None
    r = resolve_text(f"جرى ذلك في {year}/{month:02d}/{day:02d} ليلا", None)
    assert (r.date if r else None) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويةأإآءىئؤ ٠١٢٣٤٥٦٧٨٩0123456789/-."))
                | st.sampled_from(["أمس ", "اليوم ", "السبت ", "الماضي ", "الشهر ", "الأسبوع ", "مايو ", "رمضان ",
                                  "الرابع عشر من ", "منتصف ", "العام ", "المقبل ", "31 ", "1445 ", "2016 "]),
                max_size=60).map("".join),
       st.one_of(st.none(), st.dates(date(1, 3, 1), date(9998, 10, 1))))
def test_dates_resolve_never_raises(text: str, published: date | None) -> None:
    for e in _finder().find(tokenize(normalize(text).text)):
        r = resolve_date(e, published)
        if r is not None and r.date is not None and published is not None and not e.future and e.year is None:
            assert r.date <= published + timedelta(days=1) or e.offset_days is not None


@given(st.text(max_size=200))
def test_dates_date_from_url_never_raises(url: str) -> None:
    r = date_from_url(url)
    assert r is None or isinstance(r, date)
    month_from_url(url)


def test_dates_timeexpr_resolution_ignores_unknown_unit() -> None:
    e = TimeExpr(0, 1, 0, 1, None, None, None, None, None, "decade", None, False, False)
    assert resolve_date(e, PUB) is None


@pytest.mark.parametrize("text, end", [
    ("عام 2016", date(2016, 12, 31)),
    ("في العام 2012", date(2012, 12, 31)),
    ("في آذار 2016", date(2016, 3, 31)),
    ("في كانون الأول 2015", date(2015, 12, 31)),
    ("في شباط 2016", date(2016, 2, 29)),
    ("العام الماضي", None),  # relative: also "the former ..." in "الأمين العام السابق"
    ("أمس", None),
    ("يوم السبت", None),
    ("في 12 آذار 2016", None),  # a day: resolve_date dates it
])
def test_dates_period_end_of_a_written_year(text: str, end: date | None) -> None:
    (expr,) = _finder().find(tokenize(normalize(text).text))
    assert period_end(expr, PUB) == end


def test_dates_period_end_ignores_years_after_the_report() -> None:
    (expr,) = _finder().find(tokenize(normalize("عام 2030").text))
    assert period_end(expr, PUB) is None
