"""MentionFinder: triggers, cues, actors, places and times of one report (numbers are read per clause)."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from ahdath.extract.mentions import MentionFinder, Mentions, within
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
    cold = MentionFinder.from_resources(pipeline.lexicons, pipeline._mentions.places).find(text)
    warm = pipeline._mentions.find(text)
    assert warm == pipeline._mentions.find(text) == cold
