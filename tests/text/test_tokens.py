"""Tokens and clitic readings over normalized text."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.text.normalize import norm
from ahdath.text.tokens import Token, clitic_forms, tokenize


@pytest.mark.parametrize(("text", "words"), [
    ("قصف مدفعي على ريف ادلب", ["قصف", "مدفعي", "علي", "ريف", "ادلب"]),
    ("#تنظيم_الدولة يتبنى", ["تنظيم", "الدوله", "يتبني"]),
    ("(الرقة)، «منبج»: حلب/حمص-درعا!", ["الرقه", "منبج", "حلب", "حمص", "درعا"]),
    ("مقتل ١٢ شخصاً و٣ أطفال", ["مقتل", "12", "شخصا", "و", "3", "اطفال"]),
    ("بنسبة ٣٫٥ في ١٥.٦.٢٠١٩ و1,000", ["بنسبه", "3.5", "في", "15.6.2019", "و", "1,000"]),
    ("طائرة F16 أمريكية", ["طايره", "F", "16", "امريكيه"]),
    ("عام 2019.", ["عام", "2019"]),
    ("", []),
    ("  ،،  !! ", []),
])
def test_tokens_tokenize_splits(text: str, words: list[str]) -> None:
    toks = tokenize(norm(text))
    assert [t.text for t in toks] == words


def test_tokens_offsets_point_into_text() -> None:
    text = norm("وبالرقة، قصف #الطيران_الروسي")
    for t in tokenize(text):
        assert isinstance(t, Token)
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize(("word", "expected"), [
    ("وبالرقة", ["وبالرقه", "بالرقه", "الرقه", "رقه"]),
    ("للنظام", ["للنظام", "النظام", "نظام"]),
    ("فالجيش", ["فالجيش", "الجيش", "جيش"]),
    ("وللمدنيين", ["وللمدنيين", "للمدنيين", "المدنيين", "مدنيين"]),
    ("كالعادة", ["كالعاده", "العاده", "عاده"]),
    ("والأهالي", ["والاهالي", "الاهالي", "اهالي"]),
    ("بإدلب", ["بادلب", "ادلب"]),
    ("لقوات", ["لقوات", "قوات"]),
    ("وقصفت", ["وقصفت", "قصفت"]),
])
def test_tokens_clitic_forms_strip_proclitics(word: str, expected: list[str]) -> None:
    forms = clitic_forms(norm(word))
    assert forms[0] == norm(word)  # surface form first
    for f in expected:
        assert f in forms
    # most literal first: each expected reading comes in the listed order
    assert [f for f in forms if f in expected] == expected


@pytest.mark.parametrize("word", ["ولد", "بل", "لا", "و", "فن", "الله", "ال", "لل"])
def test_tokens_clitic_forms_keep_short_words(word: str) -> None:
    forms = clitic_forms(word)
    assert forms[0] == word
    assert all(len(f) >= 2 for f in forms[1:])


def test_tokens_clitic_forms_short_stems_never_appear() -> None:
    assert "ه" not in clitic_forms("وله")
    assert clitic_forms("ولد") == ("ولد",)
    assert "له" not in clitic_forms("الله")


_WORD = st.text(st.sampled_from(list("وفبلكالرقهنظمجيشدت")), min_size=1, max_size=9)


@settings(max_examples=500, deadline=None)
@given(_WORD)
def test_tokens_clitic_forms_are_suffixes(word: str) -> None:
    forms = clitic_forms(word)
    assert forms[0] == word
    assert len(set(forms)) == len(forms)
    for f in forms[1:]:
        assert len(f) >= 2
        assert word.endswith(f) or (f.startswith("ال") and word.endswith(f[2:]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_tokens_cover_no_separators(text: str) -> None:
    prev = 0
    for t in tokenize(text):
        assert prev <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert "#" not in t.text and "_" not in t.text and " " not in t.text
        prev = t.end


_WORDLIKE = st.text(alphabet=st.sampled_from(list("قصفالرقهو ١٢٣0123456789.,_#،!؟-abcXY\n٣²½")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _WORDLIKE))
def test_tokens_tokenize_is_every_match_of_the_token_pattern(text: str) -> None:
    # the tokens come from one split of the text: the same as reading each match of the pattern
    pattern = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+")
    assert tokenize(text) == [Token(m.group(), m.start(), m.end()) for m in pattern.finditer(text)]
