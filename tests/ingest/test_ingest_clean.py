"""Furniture lines go, reporting stays verbatim."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.ingest import Boilerplate, clean_text, packaged_boilerplate
from ahdath.lexicon.loader import Entry, Lexicon

BODY = "قُتل شابان برصاص مجهولين في بلدة الجيزة بريف درعا الشرقي، مساء أمس الإثنين."


@pytest.fixture(scope="module")
def bp() -> Boilerplate:
    return packaged_boilerplate()


@pytest.mark.parametrize("line", [
    "مقالات ذات صلة",
    "  مقالات ذات صلة  ",
    "مقالات ذات صلة:",
    "زر الذهاب إلى الأعلى",
    "زر الذهاب الى الاعلى",  # hamza dropped
    "اقرأ أيضاً: قصف مدفعي على بلدة بصرى الشام",
    "إقرأ ايضا - غارات على معرة النعمان",
    "شارك هذا المقال",
    "هل أعجبك المحتوى؟ شاركه مع أصدقائك",
    "© 2020 جميع الحقوق محفوظة لموقعنا",
    "الشأن السوري",
    "تابعونا على تلغرام",
])
def test_clean_drops_furniture_lines(bp: Boilerplate, line: str) -> None:
    assert clean_text(f"{BODY}\n{line}\n{BODY}", bp) == f"{BODY}\n{BODY}"


@pytest.mark.parametrize("line", [
    BODY,
    "وشارك عناصر من الفرقة الرابعة في الهجوم على بلدة الكرك الشرقي",  # و + شارك inside real reporting
    "اقرأوا البيان الكامل للفصائل",  # not the furniture verb form
    # a long reporting paragraph that happens to contain a furniture phrase
    "أعلنت الفصائل أن جميع الحقوق محفوظة لأهالي القرية في العودة إلى منازلهم بعد أن " + " قصفت قوات النظام البلدة" * 12,
])
def test_clean_keeps_reporting_lines(bp: Boilerplate, line: str) -> None:
    assert clean_text(line, bp) == line


def test_clean_unifies_newlines_collapses_blank_runs_and_trims(bp: Boilerplate) -> None:
    text = f"\r\n\r\n{BODY}\r\n\r\n\r\nمقالات ذات صلة\r\n\r\n{BODY}\n \n\n"
    assert clean_text(text, bp) == f"{BODY}\n\n{BODY}"


def test_clean_accepts_a_lexicon_and_honours_match_kinds() -> None:
    def entry(i: str, form: str, how: str) -> Entry:
        return Entry("boilerplate", i, (form,), (form,), {"match": how}, "test", "test.yaml")

    lex = Lexicon("boilerplate", (entry("a", "اخبار عاجله", "line"), entry("b", "المصدر", "prefix"),
                                  entry("c", "اعلان", "contains")))
    # contains matches whole words: "إعلانية" is not "إعلان"
    text = "أخبار عاجلة\nأخبار عاجلة من حمص\nالمصدر: وكالات\nمساحة إعلان مدفوع\nمساحة إعلانية\n" + BODY
    assert clean_text(text, lex) == "أخبار عاجلة من حمص\nمساحة إعلانية\n" + BODY


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([BODY, "مقالات ذات صلة", "", "  ", "اقرأ أيضا: عنوان", "قصف على حلب",
                                 "١٢ قتيلاً في إدلب"]), max_size=12))
def test_clean_is_idempotent_and_only_removes_lines(lines: list[str]) -> None:
    bp = packaged_boilerplate()
    once = clean_text("\n".join(lines), bp)
    assert clean_text(once, bp) == once
    kept = [line for line in once.split("\n") if line]
    assert all(line in lines for line in kept)
