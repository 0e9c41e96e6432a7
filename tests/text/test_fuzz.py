"""Fuzzing the text layer: any Unicode string, and any bytes as the readers decode them.

Nothing but ``AhdathError`` may escape normalize, tokenize, sentences, numbers and time
expressions, and every offset map stays valid: monotone, within bounds, and quoting back to what
was normalized. CI runs a short, derandomized pass; ``AHDATH_FUZZ_EXAMPLES=N`` makes a long,
random one (docs/testing.md).
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ahdath.errors import AhdathError
from ahdath.ingest.clean import clean, packaged_boilerplate
from ahdath.ingest.decode import decode_bytes
from ahdath.text.normalize import NormText, norm, normalize
from ahdath.text.numbers import NumberFinder
from ahdath.text.sentences import clauses, sentence_spans, sentences
from ahdath.text.timex import TimexFinder
from ahdath.text.tokens import clitic_forms, tokenize


def fuzz_settings(ci_examples: int) -> settings:
    """``ci_examples`` derandomized examples, or a long random run when ``AHDATH_FUZZ_EXAMPLES`` is set."""
    long_run = os.environ.get("AHDATH_FUZZ_EXAMPLES")
    common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
    if long_run:
        return settings(max_examples=int(long_run), derandomize=False, database=None, **common)
    return settings(max_examples=ci_examples, derandomize=True, database=None, **common)


# Any code point; lone surrogates too, now and then (no decoder makes one, but a JSON "\ud800" does).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
# Bias towards what the text layer treats specially, or hypothesis rarely meets an Arabic word.
_HOT = st.one_of(
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
    st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF),
    st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩۴٫٬.,،؛؟!…:/-_# \n\r\t\u00a0\u200b\u200c\u200d\u200e\u200f"
                         "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u0640\u064b\u0651")),
    st.sampled_from(["قتل", "قصف", "غارة", "في", "ريف", "حلب", "يوم", "الأحد", "أمس", "شباط", "٢٠١٦",
                     "ثلاثة", "عشرات", "و", "ال", "ﻻ", "ﷺ", "ﷲ"]),
)
HOT_TEXT = st.lists(st.one_of(_HOT, _HOT, st.characters(blacklist_categories=("Cs",)), _SURROGATE),
                    max_size=120).map("".join)
TEXTS = st.one_of(ANY_TEXT, HOT_TEXT)


@pytest.fixture(scope="module")
def numbers(lexicons) -> NumberFinder:
    return NumberFinder.from_lexicons(lexicons)


@pytest.fixture(scope="module")
def timex(lexicons) -> TimexFinder:
    return TimexFinder.from_lexicons(lexicons)


def check_norm(nt: NormText, raw: str) -> None:
    """The offset map of ``normalize(raw)``: monotone, in bounds, every char quoting back."""
    assert nt.original == raw
    if nt.index is None:
        assert len(nt.text) == len(raw)
    else:
        index = nt.index
        assert len(index) == len(nt.text) + 1 and index[-1] == len(raw)
        assert all(a <= b for a, b in zip(index, index[1:]))
        assert all(0 <= o < len(raw) for o in index[:-1])
    for i in range(len(nt.text)):
        s, e = nt.span(i, i + 1)
        assert 0 <= s < e <= len(raw)
        # the quoted stretch normalizes to text holding the character (a ligature gives more)
        assert nt.text[i] in normalize(raw[s:e]).text
    s, e = nt.span(0, len(nt.text))
    assert normalize(raw[s:e]).text == nt.text


def check_layer(raw: str, numbers: NumberFinder, timex: TimexFinder) -> None:
    nt = normalize(raw)
    check_norm(nt, raw)
    assert normalize(nt.text).text == nt.text  # idempotent
    assert norm(raw) == " ".join(nt.text.split())
    text = nt.text
    tokens = tokenize(text)
    end = 0
    for t in tokens:
        assert end <= t.start < t.end <= len(text) and text[t.start:t.end] == t.text
        assert clitic_forms(t.text)[0] == t.text
        end = t.end
    pos = 0
    for s, e in sentence_spans(text):
        assert pos <= s < e <= len(text)
        pos = e
    sents = sentences(text, tokens)
    last = 0
    for seg in sents:
        assert last <= seg.first < seg.last <= len(tokens)
        assert seg.start <= tokens[seg.first].start and tokens[seg.last - 1].end <= seg.end
        parts = clauses(seg, tokens, list(range(seg.first, seg.last, 3)))
        assert [c.first for c in parts][:1] == [seg.first] and parts[-1].last == seg.last
        last = seg.last
    for n in numbers.find(tokens):
        assert 0 <= n.first < n.last <= len(tokens)
        # a clitic "و" is left out of the number it joins ("وثلاث")
        assert tokens[n.first].start <= n.start < n.end == tokens[n.last - 1].end
        assert n.value >= 0
    for t in timex.find(tokens):
        assert 0 <= t.first < t.last <= len(tokens)
        assert tokens[t.first].start <= t.start < t.end <= tokens[t.last - 1].end
        assert t.month is None or 1 <= t.month <= 12
        assert t.day is None or 1 <= t.day <= 31
        assert t.weekday is None or 0 <= t.weekday <= 6


@fuzz_settings(300)
@given(TEXTS)
def test_fuzz_text_layer_any_unicode(numbers: NumberFinder, timex: TimexFinder, raw: str) -> None:
    check_layer(raw, numbers, timex)


@fuzz_settings(200)
@given(st.binary(max_size=400))
def test_fuzz_text_layer_any_bytes_decoded(numbers: NumberFinder, timex: TimexFinder, data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz")
    except AhdathError:
        return
    assert isinstance(text, str) and text.strip()
    check_layer(text, numbers, timex)
    cleaned, smap = clean(text, packaged_boilerplate())
    check_layer(cleaned, numbers, timex)


@fuzz_settings(200)
@given(st.lists(st.sampled_from(["قتل ٣ مدنيين في قصف على ريف حلب", "\u200f", "ﻻ", "\r\n", "\r", "\n", " \n",
                                 "ــ", "ً", "🔥", "ISIS", "٢٠١٩"]), max_size=20).map("".join)
       .map(lambda s: s.encode("utf-8")) | st.binary(max_size=200).map(lambda b: "قصف ".encode("cp1256") + b))
def test_fuzz_decode_then_text_layer_arabic_bytes(numbers: NumberFinder, timex: TimexFinder, data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz")
    except AhdathError:
        return
    check_layer(text, numbers, timex)
