"""Sentence and clause segmentation over normalized text."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.text.normalize import norm, normalize
from ahdath.text.sentences import Segment, clauses, sentence_spans, sentences
from ahdath.text.tokens import tokenize


def _split(text: str) -> list[str]:
    t = normalize(text).text
    return [t[s:e] for s, e in sentence_spans(t)]


@pytest.mark.parametrize(("text", "parts"), [
    ("قصف الطيران ريف إدلب. وقتل مدنيان", ["قصف الطيران ريف ادلب.", "وقتل مدنيان"]),
    ("هل انسحب التنظيم؟ لا! ما زال هناك", ["هل انسحب التنظيم؟", "لا!", "ما زال هناك"]),
    ("ماذا جرى? انفجار", ["ماذا جري?", "انفجار"]),
    ("وتستمر الاشتباكات… فيما قصفت المدفعية", ["وتستمر الاشتباكات…", "فيما قصفت المدفعيه"]),
    ("الحصيلة الأولية... وارتفعت", ["الحصيله الاوليه.", "وارتفعت"]),
    ("درعا\nحمص\n\nحلب", ["درعا", "حمص", "حلب"]),
    ("بلغ عدد القتلى 12. وقال المرصد", ["بلغ عدد القتلي 12.", "وقال المرصد"]),
    ("قتل ٣. وجرح ٥.", ["قتل 3.", "وجرح 5."]),
])
def test_sentences_split_on_enders(text: str, parts: list[str]) -> None:
    assert _split(text) == parts


@pytest.mark.parametrize("text", [
    "ارتفع سعر الصرف بنسبة 3.5 بالمئة اليوم",
    "وقع الهجوم في 15.6.2019 قرب دير الزور",
    "بنسبة ٣٫٥ في ١٥.٦.٢٠١٩ عند الفجر",
])
def test_sentences_keep_decimals_and_dates(text: str) -> None:
    assert len(_split(text)) == 1


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", "؟!"])
def test_sentences_empty_inputs(text: str) -> None:
    assert sentence_spans(text) == []
    assert sentences(text, tokenize(text)) == []


def test_sentences_as_token_ranges() -> None:
    text = norm("قصفت الطائرات البلدة. وقتل ثلاثة مدنيين")
    toks = tokenize(text)
    segs = sentences(text, toks)
    assert [(s.first, s.last) for s in segs] == [(0, 3), (3, 6)]
    assert all(isinstance(s, Segment) for s in segs)
    assert text[segs[1].start:segs[1].end] == "وقتل ثلاثه مدنيين"


def test_sentences_clauses_split_at_breaks() -> None:
    text = norm("قصفت المدفعية قرية الكبينة فيما اندلعت اشتباكات بينما انسحب المسلحون")
    toks = tokenize(text)
    (sent,) = sentences(text, toks)
    cut = [i for i, t in enumerate(toks) if t.text in ("فيما", "بينما")]
    parts = clauses(sent, toks, cut)
    assert [text[c.start:c.end] for c in parts] == [
        "قصفت المدفعيه قريه الكبينه", "فيما اندلعت اشتباكات", "بينما انسحب المسلحون"]
    # breaks outside the sentence, at its edges or repeated are harmless (they come sorted:
    # bisection over them keeps long reports linear)
    assert clauses(sent, toks, [0, cut[0], cut[0], cut[1], 99]) == parts
    assert clauses(sent, toks, []) == [Segment(sent.first, sent.last, sent.start, sent.end)]


_SENT_TEXT = st.text(st.sampled_from(list("قصف حلب 3.5١٢. !؟…\n،")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_SENT_TEXT)
def test_sentences_spans_ordered_and_tokens_inside(text: str) -> None:
    spans = sentence_spans(text)
    prev = 0
    for s, e in spans:
        assert prev <= s < e <= len(text)
        assert text[s:e].strip()
        prev = e
    toks = tokenize(text)
    for seg in sentences(text, toks):
        assert seg.start <= toks[seg.first].start and toks[seg.last - 1].end <= seg.end


def _spans_by_finditer(text: str) -> list[tuple[int, int]]:
    """``sentence_spans`` as first written (``_SENT_END.finditer``): the reference."""
    from ahdath.text.sentences import _SENT_END

    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if m.start() > pos and text[pos:m.start()].strip():
            out.append((pos, m.start() + (1 if text[m.start():m.start() + 1] in ".!?؟…" else 0)))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        out.append((pos, len(text)))
    return out


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("قتل 12.3\n!?؟…،ab \t")), max_size=60))
def test_sentences_break_search_equals_finditer(text: str) -> None:
    # breaks are looked for only where one can start: the spans are those of a full scan
    assert sentence_spans(text) == _spans_by_finditer(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("قتل و12 .\n")), max_size=50), st.lists(st.integers(0, 20), max_size=5))
def test_sentences_clauses_cover_each_sentence(text: str, cuts: list[int]) -> None:
    toks = tokenize(text)
    breaks = sorted(cuts)
    for s in sentences(text, toks):
        cl = clauses(s, toks, breaks)
        assert cl and cl[0].first == s.first and cl[-1].last == s.last
        assert all(a.last == b.first for a, b in zip(cl, cl[1:]))
        assert all(c.start == toks[c.first].start and c.end == toks[c.last - 1].end for c in cl)
    assert clauses(Segment(3, 3, 0, 0), toks, breaks) == []
