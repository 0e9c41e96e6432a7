"""Kin reports: sketches of wording, and how much of it two reports share."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ahdath.store.kin import MIN_SKETCH, containment, sketch

STORY = ("أفاد ناشطون بأن قوات النظام قصفت بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، ما أدى إلى "
         "مقتل ثلاثة مدنيين بينهم طفل وإصابة ستة آخرين، ونقل المصابون إلى مشفى ميداني قريب، فيما خرجت فرق الدفاع "
         "المدني لإخماد حرائق اندلعت في عدد من المنازل والمحال التجارية وسط البلدة.")
ELSE = ("أعلنت مديرية الزراعة في محافظة حماة بدء موسم حصاد القمح في سهل الغاب الأسبوع المقبل، وقالت إن المساحات "
        "المزروعة هذا العام أكبر من العام الماضي بفضل الأمطار الغزيرة، وإن مراكز استلام الحبوب ستفتح أبوابها "
        "للفلاحين في مواعيد محددة لكل قرية تجنبا للازدحام على الطرق الزراعية.")


def test_kin_copy_with_diacritics_and_a_new_opening_is_kin() -> None:
    copy = "إدلب - خاص: " + STORY.replace("قصفت", "قَصَفَت").replace("الثقيلة", "الثقيـــلة")
    assert len(sketch(STORY)) >= MIN_SKETCH
    assert containment(sketch(STORY), sketch(copy)) >= 0.8


def test_kin_other_story_shares_nothing() -> None:
    assert containment(sketch(STORY), sketch(ELSE)) == 0.0


def test_kin_short_texts_are_never_kin() -> None:
    assert containment(sketch("قصف على البلدة"), sketch("قصف على البلدة")) == 0.0


def test_kin_containment_is_over_the_shorter_report() -> None:
    # a report quoted whole inside a longer one is all of the shorter one's wording
    assert containment(sketch(STORY), sketch(STORY + " " + ELSE)) == 1.0


@given(st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،.")), max_size=600))
def test_kin_sketch_is_sorted_distinct_and_self_contained(text: str) -> None:
    s = sketch(text)
    assert s == sorted(set(s)) and all(0 <= h < 2 ** 63 for h in s)
    assert containment(s, s) in (0.0, 1.0)
    assert containment(s, s) == (1.0 if len(s) >= MIN_SKETCH else 0.0)
